//! # sigscope-map
//!
//! GSM MAP for sigscope: 3GPP TS 29.002 operations decoded by operation code, component kind
//! and application-context version, with SMS TPDUs (TS 23.040) and USSD strings (TS 23.038).
//!
//! - [`ops`]: catalogues of every operation code ([`OpCode`], with v1/v2 names where they
//!   differ), error code ([`ErrorCode`]) and application context ([`AppContext`], [`Acn`]
//!   with versions); [`map_version`] / [`version_of`] map a dialogue's ACN to the MAP
//!   version (1 without one; an ACN TS 29.002 does not define is decoded best-effort and
//!   flagged with an [`AcnIssue`]).
//! - [`decode`]: one parameter (the BER value a TCAP component carries) into a typed,
//!   zero-copy [`MapParam`] — IMSI, MSISDN and every address string by [`Role`], LMSI,
//!   IMEI, SM-RP-DA/OA/UI, requested info, location (CGI/SAI/LAI/RAI/ECGI/TAI, age,
//!   geographical and geodetic information), subscriber state, authentication vector counts (never the
//!   key material), SS codes, USSD, extension containers. Layouts differ by version where
//!   TS 29.002 changed them (forwardSM v1/v2 carries MO and MT; v1 bare arguments).
//! - [`sms`]: SMS-DELIVER, -SUBMIT, -STATUS-REPORT, -COMMAND, -DELIVER-REPORT,
//!   -SUBMIT-REPORT ([`sms::Tpdu`]); DCS, validity period, time stamps, UDH IEs, GSM 7-bit
//!   (with fill bits), 8-bit and UCS-2 user data. [`concat`] reassembles concatenated SMS.
//! - [`ussd`]: USSD strings by the CBS data coding scheme. [`dialogue`]: MAP-OPEN references.
//!
//! [`decode`] needs only the parameter bytes, the operation code, the component kind and the
//! version; [`tcap_glue`] glues TCAP to it: [`MapVersions`] (which dialogues are MAP, in
//! which version) and [`MapEntry`] (the typed reading of one TCAP component).
//!
//! Limits: [`param::MAX_ADDRESSES`], [`param::MAX_SS_CODES`], [`param::MAX_NESTING`],
//! [`sms::MAX_UDH_IES`], [`concat::MAX_CONCAT_ENTRIES`] / [`concat::MAX_CONCAT_BYTES`] /
//! [`concat::CONCAT_TIMEOUT_NANOS`]. Decoding allocates nothing; rendering text does.
//! GSM 7-bit national language shift tables are not applied (the default alphabet is used).
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

pub mod concat;
pub mod dialogue;
pub mod emit;
pub mod ops;
pub mod param;
pub mod sms;
pub mod tcap_glue;
pub mod types;
pub mod ussd;

pub use dialogue::{MapDialogue, MapDialogueKind};
pub use ops::{map_version, version_of, Acn, AcnIssue, AppContext, ErrorCode, MapVersion, OpCode};
pub use param::{
    decode, decode_into, decode_started, AuthVectors, Extensions, Kind, Location, MapParam, Raw,
    RequestedInfo, Role, SmRpDa, SmRpOa, SubscriberState,
};
pub use tcap_glue::{MapEntry, MapVersions, MAX_MAP_DIALOGUES};
pub use types::{AddressString, CellId, CellKind, GeoInfo, GeodeticInfo, Plmn, Tbcd};
pub use ussd::Ussd;
