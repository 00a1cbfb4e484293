//! # sigscope-sccp
//!
//! SCCP (ITU-T Q.713, with the ANSI T1.112.3 differences that matter) for sigscope.
//!
//! - [`Message::decode`] decodes any of the 20 message types (CR ... LUDTS) from the MTP3 /
//!   M3UA user data: fixed part, pointers (1 octet; 2 octets for LUDT/LUDTS), mandatory
//!   variable parameters and the optional part in any order ([`Message::optional_params`]).
//!   [`Message::from_slice`] is the strict form.
//! - [`Address::decode`] decodes called/calling party addresses for a [`PcFormat`]
//!   (ITU 14-bit, ANSI 24-bit with its own indicator layout, Chinese 24-bit, Japan 16-bit):
//!   routing indicator, point code, [`Ssn`], and the [`GlobalTitle`] for every GTI with its
//!   digits ([`GlobalTitle::digits`], BCD, zero filler) and E.164 country.
//! - [`Reassembler`] reassembles XUDT/XUDTS/LUDT/LUDTS segments (bounded in entries, bytes
//!   and time; owns bytes as [`bytes::Bytes`]).
//! - [`UnitdataRepr`] and [`AddressRepr`] emit UDT(S), XUDT(S), LUDT(S) and addresses.
//! - [`Scmg`] decodes SCCP management (SSN 1) user data.
//!
//! Decoding borrows the input and allocates nothing; digits go to a stack buffer.
//! Malformed input is decoded as far as it goes and every problem becomes an
//! [`sigscope_core::Anomaly`] with a stable code and the byte offset in the SCCP message.
//! Limits are [`MAX_OPTIONAL_PARAMS`] and the `MAX_REASSEMBLY_*` constants.
//!
//! Panic contract: no function of this crate panics on any input.
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

pub use bytes;

pub mod address;
pub mod emit;
pub mod message;
pub mod reassembly;
pub mod scmg;
#[doc(hidden)]
pub mod testdata;
pub mod types;

pub use address::{
    Address, AddressLayout, AddressRepr, GlobalTitle, GtRepr, PcFormat, RoutingIndicator,
};
pub use emit::UnitdataRepr;
pub use message::{
    Message, OptionalIter, OptionalParam, Param, MAX_OPTIONAL_PARAMS, STRUCTURAL_ANOMALIES,
};
pub use reassembly::{
    Reassembler, ReassemblyLimits, SegmentKey, SegmentOutcome, MAX_REASSEMBLED_LEN,
    MAX_REASSEMBLY_BYTES, MAX_REASSEMBLY_ENTRIES, MAX_SEGMENTS, MAX_USER_DATA,
    REASSEMBLY_TIMEOUT_NANOS,
};
pub use scmg::{Scmg, ScmgType};
pub use types::{
    Cause, EncodingScheme, ErrorCause, MessageType, NatureOfAddress, NumberingPlan, ParamName,
    ProtocolClass, RefusalCause, ReleaseCause, ResetCause, ReturnCause, Segmentation, Ssn,
};
