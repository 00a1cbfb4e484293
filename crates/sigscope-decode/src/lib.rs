//! # sigscope-decode
//!
//! The walk from captured frames to typed signalling messages: [`Decoder::packet`] takes one
//! frame ([`sigscope_capture::Packet`]) and hands out a [`Message`] per signalling message
//! in it — SCTP DATA, M3UA / M2PA / M2UA / SUA, MTP3, SCCP, TCAP with its matched
//! transaction, MAP entries with the dialogue's version, GTP with its matched transaction —
//! each layer the protocol crate's own borrowed view, plus the message's anomalies.
//!
//! The decoder owns all per-capture state (IP and SCTP reassembly, SCCP reassembly, the TCAP
//! and GTP matchers, MAP versions per dialogue), each bounded by its crate. Protocol
//! decisions are the crates' ([`sigscope_tcap::UserData`], [`sigscope_map::MapVersions`],
//! [`sigscope_map::MapEntry`], [`sigscope_gtp::matcher::Outcome::anomaly`]); this crate only
//! walks. Nothing here serialises: sinks (the `sigscope` facade) and detectors
//! (`sigscope-rules`) read the [`Message`].
//!
//! This crate sits between the protocol crates and both the facade and `sigscope-rules`, so
//! that detection can take the typed message without depending on the facade.
//!
//! Entry points: [`Decoder::new`], [`Decoder::packet`], [`Decoder::finish`].
//! Limits: [`MAX_MESSAGE_ANOMALIES`] anomalies per message (one more counts the rest),
//! [`ss7::MAX_MAP_ENTRIES`] MAP entries and [`sigscope_tcap::MAX_COMPONENTS`] TCAP components
//! per message, [`gtp::MAX_GROUPED_DEPTH`] nested grouped GTPv2 IEs read for identities.
//! Allocation: none per message in the steady state (views borrow the frame or a reassembly
//! buffer; lists live on the stack); state tables allocate only as they grow.
//!
//! Panic contract: no input makes any function of this crate panic.
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

pub mod anomalies;
pub mod decoder;
pub mod gtp;
pub mod message;
pub mod ss7;
pub mod tcp_gtp;

pub use anomalies::{MsgAnomalies, MAX_MESSAGE_ANOMALIES};
pub use decoder::{adaptation, pc_format, AdaptationKind, Decoder, Options};
pub use message::{
    Adaptation, Endpoints, GtpLayer, GtpSummary, Message, Mtp3Label, Party, Path, SccpLayer,
    SctpInfo, SuaParties, TcapLayer, Upper,
};
pub use sigscope_capture::TcpSegment;
