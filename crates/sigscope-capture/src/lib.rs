//! # sigscope-capture
//!
//! From capture bytes to signalling payloads: pcap/pcapng reading ([`reader`]), link layers,
//! IPv4/IPv6 (etherparse) with fragment reassembly, UDP, TCP segment headers ([`TcpSegment`]), and SCTP handed to
//! `sigscope-sigtran` (chunks, CRC32c, DATA reassembly) — see [`demux`]. Each signal says
//! the way it came through the frame ([`Encap`]: `eth/vlan/ipv4(reassembled)/sctp`, ...).
//!
//! Entry points: [`Reader::open`] / [`Reader::new`] (streaming, gzip-transparent),
//! [`SliceReader::new`] (zero-copy, in memory), [`Demux::dissect`] (one frame → signals).
//! Limits are the named constants of each module. Panic contract: nothing here panics on any
//! input; malformed frames yield anomalies and whatever could be decoded.
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

pub mod defrag;
pub mod demux;
pub mod encap;
pub mod reader;
pub mod writer;

pub use demux::{Demux, DemuxOptions, Signal, TcpSegment, Transport};
pub use encap::{Encap, Step};
pub use reader::{CaptureError, Packet, Reader, SliceReader};
