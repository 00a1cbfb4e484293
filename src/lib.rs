//! # sigscope
//!
//! Inspect mobile-network signalling — SS7 over SIGTRAN (SCTP, M3UA, M2PA, M2UA, SUA, MTP3,
//! SCCP, TCAP, MAP) and GTP — from captures or live buffers, and recognise C2 and espionage
//! traffic hidden in it.
//!
//! The walk: [`capture::Reader`] → [`decode::Decoder`] → typed [`decode::Message`] →
//! [`rules::Engine::observe`] → sinks that serialise only when output is wanted. This facade
//! re-exports the crates and holds the sinks: decode records ([`record`], written straight
//! into a buffer by [`record::write_record`]), the table ([`record::table`]), counts
//! ([`stats`]) and EVE alerts ([`eve`]). It holds no protocol logic.
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

pub use sigscope_capture as capture;
pub use sigscope_core as core;
pub use sigscope_decode as decode;
pub use sigscope_gtp as gtp;
pub use sigscope_map as map;
pub use sigscope_rules as rules;
pub use sigscope_sccp as sccp;
pub use sigscope_sigtran as sigtran;
pub use sigscope_tcap as tcap;

pub mod eve;
pub mod json;
pub mod record;
pub mod report;
pub mod share;
pub mod stats;
pub mod synth;
