//! # sigscope-tcap
//!
//! TCAP for sigscope: ITU-T Q.773 messages (Begin, Continue, End, Abort, Unidirectional)
//! with the dialogue portion (AARQ/AARE/ABRT/AUDT), and ANSI T1.114 packages recognised.
//!
//! - [`Tcap::decode`] / [`Message::decode`] / [`AnsiMessage::decode`]: the transaction
//!   portion (transaction ids 1-4 octets, P-Abort cause), borrowing the input.
//! - [`Message::dialogue`] decodes the dialogue portion ([`Dialogue`]): the EXTERNAL's OID,
//!   protocol version, application context name, result and diagnostic, abort source, and the
//!   user information kept as raw bytes.
//! - [`Message::components`] iterates components lazily ([`Component`]): Invoke (invoke id,
//!   linked id, local or global [`Code`], parameter as a borrowed BER [`sigscope_core::ber::Tlv`]),
//!   ReturnResult-Last/-NotLast, ReturnError, Reject ([`Problem`]). ANSI components come out
//!   of the same iterator with national/private codes.
//! - [`Matcher`] pairs transactions and invokes/results (stateful, bounded).
//!
//! BER definite and indefinite lengths are read with `sigscope_core::ber` (depth limit
//! [`sigscope_core::ber::MAX_DEPTH`]); components are capped at [`MAX_COMPONENTS`].
//! Nothing is allocated while decoding. Problems are [`sigscope_core::Anomaly`]s with byte
//! offsets in the TCAP message; errors only when not even the message tag is readable.
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

mod ber_util;
pub mod component;
pub mod dialogue;
pub mod emit;
pub mod matcher;
pub mod message;
pub mod user_data;

pub use component::{
    Code, Component, ComponentKind, Components, Oid, Problem, ProblemType, MAX_COMPONENTS,
};
pub use dialogue::{Diagnostic, Dialogue, DialoguePduKind, DIALOGUE_AS_ID, UNI_DIALOGUE_AS_ID};
pub use matcher::{
    Matcher, Observation, MAX_PENDING_INVOKES, MAX_TRANSACTIONS, TRANSACTION_TIMEOUT_NANOS,
};
pub use message::{
    AnsiMessage, Message, MessageType, PAbortCause, PackageType, Portion, Tcap, TidHex,
    TransactionId, MAX_TID_LEN,
};
pub use user_data::UserData;
