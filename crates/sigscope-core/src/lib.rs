//! # sigscope-core
//!
//! Shared ground for every sigscope layer:
//! - [`open_enum!`]: newtype open enumerations (unknown code points are values),
//! - [`error`]: [`Error`]/[`LenError`] (fatal for one message) apart from [`Anomaly`]
//!   (non-fatal, stable code + byte offset), collected allocation-free in [`Anomalies`],
//! - [`anomaly_code`]: [`AnomalyCode`], the one catalogue of anomaly codes (snake_case names),
//! - [`digits`]: TBCD/BCD digit strings into stack buffers,
//! - [`gsm7`]: GSM 7-bit default alphabet (with extension table, fill bits) and UCS-2,
//! - [`e164`] country codes and [`e212`] MCC/MNC,
//! - [`ber`]: a lean zero-copy BER TLV reader, with asn1-rs (re-exported) for OIDs and cold paths.
//!
//! Limits are named constants ([`ber::MAX_DEPTH`], [`digits::MAX_DIGITS`],
//! [`error::MAX_ANOMALIES`]). Panic contract: no function here panics on any input.
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

pub use asn1_rs;

pub mod anomaly_code;
pub mod ber;
pub mod ber_audit;
pub mod digits;
pub mod e164;
pub mod e212;
mod enums;
pub mod error;
pub mod geo;
pub mod gsm7;
pub mod memo;
pub mod octets;

pub use anomaly_code::AnomalyCode;
pub use digits::Digits;
pub use error::{Anomalies, Anomaly, Error, Layer, LenError};
