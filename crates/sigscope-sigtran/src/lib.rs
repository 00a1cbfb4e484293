//! # sigscope-sigtran
//!
//! The SS7-over-IP transport: SCTP (RFC 9260: common header, every chunk type named,
//! DATA/I-DATA, CRC32c, fragment reassembly), M3UA (RFC 4666), M2PA (RFC 4165), M2UA (RFC 3331),
//! SUA (RFC 3868), MTP3 routing labels in the ITU, ANSI, Chinese and Japanese formats, and MTP2
//! signal units.
//!
//! Entry points: [`sctp::SctpSlice::from_slice`], [`m3ua::parse`], [`m2pa::parse_m2pa`],
//! [`m2pa::parse_m2ua`], [`sua::parse`], [`mtp3::parse`], [`mtp3::parse_mtp2`], and the stateful
//! [`reasm::Reassembler`]. Emitters: [`sctp::SctpRepr`], [`m3ua::DataRepr`], [`mtp3::LabelRepr`].
//!
//! Limits: [`sctp::MAX_CHUNKS_PER_PACKET`], [`common::MAX_PARAMS`], the `reasm::MAX_*`
//! constants. Panic contract: nothing here panics on any input; malformed input yields an
//! `Error` for what cannot be decoded and `Anomaly`s for what is odd.
#![forbid(unsafe_code)]
// The no-panic contract, enforced: library code never unwraps, expects, panics or indexes.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![warn(missing_docs)]

pub mod common;
pub mod m2pa;
pub mod m3ua;
pub mod mtp3;
pub mod reasm;
pub mod sctp;
pub mod sua;
#[doc(hidden)]
pub mod testdata;

pub use mtp3::Mtp3Variant;
