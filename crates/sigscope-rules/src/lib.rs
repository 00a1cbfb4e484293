//! # sigscope-rules
//!
//! Detection over sigscope's typed messages: recognises command-and-control and espionage
//! traffic disguised as SS7/SIGTRAN and GTP signalling.
//!
//! The input is the decoder's [`sigscope_decode::Message`]: the crates' own borrowed views of
//! every layer, never a JSON tree. Detectors stand on what the parsers expose — anomalies with
//! catalogue codes ([`sigscope_core::AnomalyCode`]), raw values, identities, typed constants
//! of each protocol — and come in three kinds, each signature with a stable id
//! ([`signatures`]):
//!
//! - structure (1xxx): the message breaks its protocol where a real node never would
//!   (a GTP Echo carrying more than Recovery / Private Extension / Sending Node Features,
//!   header length that disagrees with the datagram, SCCP user data to a MAP subsystem that
//!   is not TCAP, ...);
//! - content (2xxx): a field carries data its type never carries (encoded or encrypted data in
//!   USSD strings, SMS text, private extensions; impossible identities);
//! - behaviour (3xxx, stateful and bounded): unsolicited responses, GSMA FS.11 categories 1-3
//!   (location enquiries from foreign global titles, impossible travel), beaconing, peers
//!   outside the declared interconnect;
//! - operator rules ([`user`]): a Suricata-style rule language over the decoded fields, with
//!   the operator's own sids; their alerts have the built-ins' shape ([`SigRef::User`]).
//!
//! Operator knowledge comes from a [`Policy`] (TOML), with defaults that work without one.
//! State is keyed by typed values (digits, point codes, addresses) and allocates nothing per
//! message in the steady state; evidence is built only when an alert fires. The facade's EVE
//! sink writes alerts as Suricata EVE lines.
//!
//! Entry points: [`Engine::new`], [`Engine::with_rules`], [`Engine::observe`],
//! [`Policy::from_toml`], [`RuleSet::builder`].
//! Limits: [`engine::MAX_STATE_KEYS`] keys per state table, [`engine::BEACON_HISTORY`]
//! timestamps per beacon key; the GTP families (issue 9: GTPDOOR, tunnels in GTP-U, rogue
//! peers) keep at most 65,536 peers and 65,536 (tunnel, domain) DNS keys with 64 subdomain
//! digests each (`MAX_GTP_PEERS`, `MAX_DNS_KEYS`, `DNS_MAX_DISTINCT` in `engine/gtp_peers.rs`
//! and `engine/tunnel.rs`), each table emptied when full; [`user::limits`] for the rule
//! language. Panic contract: no input message, however odd its values,
//! makes the engine panic.
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

pub mod alert;
mod common_chars;
pub mod content;
pub mod engine;
pub mod policy;
pub mod signatures;
pub mod user;

pub use alert::{Alert, SigRef};
pub use engine::{Engine, Stats};
pub use policy::Policy;
pub use signatures::Signature;
pub use user::{RuleSet, RuleSetBuilder};
