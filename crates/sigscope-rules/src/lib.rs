//! # sigscope-rules
//!
//! Detection over sigscope decode records: recognises command-and-control and espionage
//! traffic disguised as SS7/SIGTRAN and GTP signalling.
//!
//! The input is the decode record (`sigscope decode`'s JSON object, schema in DESIGN.md):
//! the same engine runs live behind the decoder and offline over JSON lines kept from an
//! earlier run. Detectors stand on what the parsers expose — anomalies with stable codes,
//! raw values, identities — and come in three kinds, each signature with a stable id
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
//!   outside the declared interconnect.
//!
//! Operator knowledge comes from a [`Policy`] (TOML), with defaults that work without one.
//! Alerts serialise as EVE JSON ([`Alert::to_eve`]).
//!
//! Entry points: [`Engine::new`], [`Engine::observe`], [`Policy::from_toml`].
//! Limits: [`engine::MAX_STATE_KEYS`] keys per state table, [`engine::BEACON_HISTORY`]
//! timestamps per beacon key. Panic contract: no input record, however odd its values,
//! makes the engine panic.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod alert;
pub mod content;
pub mod engine;
pub mod policy;
pub mod signatures;

pub use alert::Alert;
pub use engine::{Engine, Stats};
pub use policy::Policy;
pub use signatures::Signature;
