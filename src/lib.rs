//! # sigscope
//!
//! Inspect mobile-network signalling — SS7 over SIGTRAN (SCTP, M3UA, M2PA, M2UA, SUA, MTP3,
//! SCCP, TCAP) and GTP — from captures or live buffers.
//!
//! This facade re-exports the layer crates and adds the one-call path from capture bytes to
//! decode records ([`record`]).
#![forbid(unsafe_code)]

pub use sigscope_capture as capture;
pub use sigscope_core as core;
pub use sigscope_gtp as gtp;
pub use sigscope_map as map;
pub use sigscope_rules as rules;
pub use sigscope_sccp as sccp;
pub use sigscope_sigtran as sigtran;
pub use sigscope_tcap as tcap;

pub mod record;
