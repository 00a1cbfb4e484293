//! # sigscope-gtp
//!
//! Parses and validates GTP in every version a mobile core carries:
//! GTPv1-C (3GPP TS 29.060), GTPv1-U (TS 29.281), GTPv2-C (TS 29.274), GTP' (TS 32.295) and
//! GTPv0 (GSM 09.60).
//!
//! Entry points:
//! - [`decode`]: recognise one UDP payload as GTP (by port 2123 / 2152 / 3386, or by a strictly
//!   checked header on any other port), parse it and validate it: a [`Decoded`] with the
//!   [`Message`] view and its [`Anomalies`]. On a GTP port a payload that is not GTP is a
//!   [`Message::NotGtp`] with a `not_gtp` anomaly. [`detect`] only recognises.
//! - Per version, zero-copy views with accessors that cannot fail: [`v1::V1Slice`] (header,
//!   extension header chain, TV/TLV IEs, typed values via [`v1::Ie::decode`]),
//!   [`v2::V2Slice`] (piggybacking, IEs with instance, grouped IEs via [`v2::V2Value::Grouped`]
//!   and [`v2::walk`]), [`prime::PrimeSlice`], [`prime::V0Slice`]; G-PDU inner packets through
//!   [`gtpu`] (etherparse).
//! - Owned forms with `emit` for round trips and synthesis: [`v1::V1Repr`], [`v2::V2Repr`].
//! - [`matcher::Matcher`]: bounded request/response pairing by version, plane (GTP port
//!   class), peer pair and sequence number; [`Message::txn`] gives what it needs.
//!
//! Limits (named constants): [`v1::MAX_IES`], [`v1::MAX_EXT_HEADERS`], [`v2::MAX_IES`],
//! [`v2::MAX_GROUP_DEPTH`], [`v2::MAX_PIGGYBACKED`], [`common::MAX_LABELS`],
//! [`common::MAX_PCO_OPTIONS`], [`matcher::MAX_PENDING`], [`matcher::EXPIRY_NANOS`]. Anomaly
//! lists hold [`sigscope_core::error::MAX_ANOMALIES`] per message.
//!
//! Decoding allocates nothing; the `Repr` types and the matcher do.
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

pub mod common;
pub mod door;
pub mod gtpu;
pub mod matcher;
pub mod prime;
pub mod v1;
pub mod v2;

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

/// UDP port of GTP-C (v1 and v2).
pub const PORT_GTPC: u16 = 2123;
/// UDP port of GTP-U.
pub const PORT_GTPU: u16 = 2152;
/// UDP port of GTP' (and of GTPv0).
pub const PORT_PRIME: u16 = 3386;

/// Which GTP a payload holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// GTPv0 (GSM 09.60).
    V0,
    /// GTPv1-C or GTPv1-U.
    V1,
    /// GTPv2-C.
    V2,
    /// GTP' (any of its versions).
    Prime,
    /// A GTP header cut short on a GTP port: only version and type are known.
    Runt,
}

const fn is_gtp_port(p: u16) -> bool {
    matches!(p, PORT_GTPC | PORT_GTPU | PORT_PRIME)
}

/// First port above the well-known (system) ports of IANA's registry: 0-1023 are services
/// (DNS 53, NTP 123, HTTPS and QUIC 443, SNMP 161, syslog 514...).
pub const WELL_KNOWN_PORT_END: u16 = 1024;

/// Whether a datagram between these ports is judged by the GTP ports: a GTP port on one side,
/// unless the other side is a well-known service port. Wireshark tries the lower port's
/// dissector first, so a DNS query a client happened to send from source port 2152 to port 53
/// (and its answer back), NTP or QUIC from a client's source port 2123 is DNS, NTP or QUIC,
/// not a malformed GTP message; such a datagram is GTP only if it passes the checks that
/// recognise GTP off its ports (a well-formed header, or an Echo with GTPDOOR's frame).
/// Between two GTP ports, or a GTP port and an ephemeral one (a node's answer to a request
/// sent from any port), the GTP port decides.
pub const fn on_gtp_ports(sport: u16, dport: u16) -> bool {
    (is_gtp_port(sport) && (dport >= WELL_KNOWN_PORT_END || is_gtp_port(dport)))
        || (is_gtp_port(dport) && sport >= WELL_KNOWN_PORT_END)
}

fn v1_strict(p: &[u8]) -> bool {
    let Ok(s) = v1::V1Slice::from_slice(p) else {
        return false;
    };
    if !s.pt()
        || s.flags() & v1::flags::RESERVED != 0
        || !s.message_type().is_known()
        || s.is_header_truncated()
        || s.ext_header_error().is_some()
        || v1::HEADER_LEN + usize::from(s.length()) != p.len()
    {
        return false;
    }
    if s.is_gpdu() {
        matches!(s.body().first().map(|b| b >> 4), Some(4 | 6))
    } else {
        s.ies().all(|r| r.is_ok())
    }
}

fn v2_strict(p: &[u8]) -> bool {
    let Ok(s) = v2::V2Slice::from_slice(p) else {
        return false;
    };
    let t = s.message_type();
    if s.flags() & v2::flags::SPARE != 0
        || !t.is_known()
        || s.is_truncated()
        || t.has_no_teid() == s.t()
    {
        return false;
    }
    let piggyback_ok = s.p() && s.piggybacked().is_some_and(|r| r.is_ok());
    if !s.trailing().is_empty() && !piggyback_ok {
        return false;
    }
    s.ies().all(|r| r.is_ok())
}

fn prime_ok(p: &[u8], strict: bool) -> bool {
    let Ok(s) = prime::PrimeSlice::from_slice(p) else {
        return false;
    };
    let t = s.message_type();
    if !(prime::is_prime_type(t.0) || (!strict && t.is_known())) {
        return false;
    }
    !strict
        || (s.flags() & 0x0e == 0x0e
            && s.trailing().is_empty()
            && s.header_len() + usize::from(s.length()) == p.len()
            && s.ies().all(|r| r.is_ok()))
}

fn v0_ok(p: &[u8], strict: bool) -> bool {
    let Ok(s) = prime::V0Slice::from_slice(p) else {
        return false;
    };
    if !prime::is_v0_type(s.message_type().0) {
        return false;
    }
    !strict
        || (s.flags() & 0x0e == 0x0e && prime::V0_HEADER_LEN + usize::from(s.length()) == p.len())
}

/// Recognise a UDP payload as GTP.
///
/// On the GTP ports (2123, 2152, 3386; see [`on_gtp_ports`]) the header decides as Wireshark
/// does: version 1 is GTPv1 (whatever its PT bit), version 2 GTPv2; PT = 0 with spare bits
/// '111' is GTP' when its message type is a GTP' type; version 0 with PT = 1 is GTPv0 when its
/// type is a GTPv0 type.
/// A payload too short for its header is a [`Kind::Runt`]. On any other port only a header that
/// passes every check (flags, known type, exact length, a clean IE walk or an IP T-PDU) counts,
/// or an Echo header with GTPDOOR's frame behind it ([`door`]) or a sealed body (an exact
/// length and random-looking octets that do not walk as IEs).
pub fn detect(payload: &[u8], sport: u16, dport: u16) -> Option<Kind> {
    let (&b0, _) = payload.split_first()?;
    let version = b0 >> 5;
    let pt = b0 & 0x10 != 0;
    let prime_flags = !pt && b0 & 0x0e == 0x0e;
    if on_gtp_ports(sport, dport) {
        let on_prime = sport == PORT_PRIME || dport == PORT_PRIME;
        let kind = match version {
            0 if pt => v0_ok(payload, false).then_some(Kind::V0),
            // PT = 0 selects the GTP' header layout (as Wireshark does on every GTP port); a
            // message type that no GTP version assigns means this is not GTP at all.
            0 | 1 if !pt => prime_ok(payload, false).then_some(Kind::Prime),
            2 if !pt
                && on_prime
                && prime_flags
                && prime::is_prime_type(payload.get(1).copied().unwrap_or(0)) =>
            {
                Some(Kind::Prime)
            }
            1 => Some(Kind::V1),
            2 => Some(Kind::V2),
            _ => None,
        }?;
        let parses = match kind {
            Kind::V1 => v1::V1Slice::from_slice(payload).is_ok(),
            Kind::V2 => v2::V2Slice::from_slice(payload).is_ok(),
            _ => true,
        };
        return Some(if parses {
            kind
        } else if payload.len() >= 2 {
            Kind::Runt
        } else {
            return None;
        });
    }
    match version {
        1 if pt && v1_strict(payload) => Some(Kind::V1),
        2 if v2_strict(payload) => Some(Kind::V2),
        0..=2 if prime_flags && prime_ok(payload, true) => Some(Kind::Prime),
        0 if pt && v0_ok(payload, true) => Some(Kind::V0),
        1 if pt && door_echo(payload) => Some(Kind::V1),
        2 if door_echo(payload) => Some(Kind::V2),
        _ => None,
    }
}

/// Recognise a payload as GTP only when it is well-formed (every check [`detect`] makes off
/// the GTP ports: flags, a known type, the exact length, a clean IE walk or an IP T-PDU, or
/// an Echo with GTPDOOR's frame), whatever port it came to: for GTP inside a tunnel, where a
/// subscriber's own traffic may use any port.
pub fn detect_well_formed(payload: &[u8]) -> Option<Kind> {
    // port 0 is reserved: never a GTP port, nor a service's
    detect(payload, 0, 0)
}

/// An Echo header (GTPv1 or GTPv2, type 1 or 2) carrying GTPDOOR's frame behind it
/// ([`door::frame`], at the fixed offsets or behind the header the flags announce): what the
/// implant takes on a raw socket, so on any port. Off the GTP ports nothing else with a
/// malformed body counts as GTP; this frame is specific enough (a command type of 1-16 and a
/// length that fits the octets after it, or the default key) that other UDP traffic does not
/// take its shape.
fn door_echo(p: &[u8]) -> bool {
    let header_len = match p.first().map(|b| b >> 5) {
        Some(1) => match v1::V1Slice::from_slice(p) {
            Ok(s)
                if matches!(
                    s.message_type(),
                    v1::MsgType::ECHO_REQUEST | v1::MsgType::ECHO_RESPONSE
                ) =>
            {
                s.body_offset()
            }
            _ => return false,
        },
        Some(2) => match v2::V2Slice::from_slice(p) {
            Ok(s)
                if matches!(
                    s.message_type(),
                    v2::MsgType::ECHO_REQUEST | v2::MsgType::ECHO_RESPONSE
                ) =>
            {
                s.header_len()
            }
            _ => return false,
        },
        _ => return false,
    };
    door::frame(p).is_some()
        || (header_len != door::HEADER_LEN && door::frame_after(p, header_len).is_some())
        || sealed_echo(p, header_len)
}

/// Fewest body octets an Echo off the GTP ports needs for its body to be taken as a sealed
/// command (see [`sealed_echo`]).
pub const SEALED_BODY_MIN: usize = 16;

/// An Echo header whose length is exact, carrying a body that does not walk as IEs and whose
/// octets are as varied as random ones (at least three quarters of the distinct values
/// `SEALED_BODY_MIN`.. random octets have): a GTPDOOR-like implant's command or answer sealed
/// in another frame layout, sent on any port. The exact length and Echo type alone leave other
/// UDP traffic one chance in billions of taking this shape.
fn sealed_echo(p: &[u8], header_len: usize) -> bool {
    let (exact, walks) = match p.first().map(|b| b >> 5) {
        Some(1) => match v1::V1Slice::from_slice(p) {
            Ok(s) => (
                v1::HEADER_LEN + usize::from(s.length()) == p.len(),
                s.ies().all(|i| i.is_ok()),
            ),
            Err(_) => return false,
        },
        Some(2) => match v2::V2Slice::from_slice(p) {
            Ok(s) => (
                !s.is_truncated() && s.trailing().is_empty(),
                s.ies().all(|i| i.is_ok()),
            ),
            Err(_) => return false,
        },
        _ => return false,
    };
    let Some(body) = p.get(header_len..) else {
        return false;
    };
    if !exact || walks || body.len() < SEALED_BODY_MIN {
        return false;
    }
    let distinct = sigscope_core::octets::distinct(body) as f64;
    // octets drawn at random: 256 (1 - (255/256)^n) distinct expected
    let n = body.len().min(i32::MAX as usize) as i32;
    let expected = 256.0 * (1.0 - (255.0f64 / 256.0).powi(n));
    distinct >= 0.75 * expected
}

/// A GTP header cut short (on a GTP port): the first two octets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Runt<'a> {
    /// All the bytes there are.
    pub data: &'a [u8],
}

impl Runt<'_> {
    /// Version bits.
    pub fn version(&self) -> u8 {
        self.data.first().map_or(0, |b| b >> 5)
    }
    /// Message type octet.
    pub fn message_type(&self) -> u8 {
        self.data.get(1).copied().unwrap_or(0)
    }
}

/// A payload on a GTP port that is not GTP (an unassigned version, a GTP' / GTPv0 header with
/// a type that version does not have, or too few bytes for any header): kept undecoded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct NotGtp<'a> {
    /// All the bytes there are.
    pub data: &'a [u8],
}

impl NotGtp<'_> {
    /// The version bits of the first octet, when there is one.
    pub fn version(&self) -> Option<u8> {
        self.data.first().map(|b| b >> 5)
    }

    /// Why it is not GTP: (offset of the offending field, what is wrong, the value found).
    pub fn reason(&self) -> (usize, &'static str, u64) {
        let Some(&b0) = self.data.first() else {
            return (0, "empty datagram on a GTP port", 0);
        };
        let version = b0 >> 5;
        let pt = b0 & 0x10 != 0;
        let len = self.data.len() as u64;
        let ty = self.data.get(1).copied();
        match (version, pt, ty) {
            (3..=7, _, _) => (
                0,
                "GTP version field above 2 on a GTP port",
                u64::from(version),
            ),
            (_, _, None) => (
                self.data.len(),
                "datagram on a GTP port too short for a GTP header",
                len,
            ),
            (0, true, Some(t)) if !prime::is_v0_type(t) => (
                1,
                "GTPv0 header with a type GTPv0 does not have",
                u64::from(t),
            ),
            (0, true, Some(_)) => (
                self.data.len(),
                "datagram too short for the GTPv0 header",
                len,
            ),
            (_, false, Some(t)) if !prime::is_prime_type(t) && !v1::MsgType(t).is_known() => (
                1,
                "PT = 0 (GTP' layout) with a type no GTP version assigns",
                u64::from(t),
            ),
            _ => (
                self.data.len(),
                "datagram on a GTP port too short for its GTP header",
                len,
            ),
        }
    }
}

/// One recognised GTP message (the first of the datagram).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Message<'a> {
    /// GTPv0.
    V0(prime::V0Slice<'a>),
    /// GTPv1-C / GTPv1-U.
    V1(v1::V1Slice<'a>),
    /// GTPv2-C.
    V2(v2::V2Slice<'a>),
    /// GTP'.
    Prime(prime::PrimeSlice<'a>),
    /// Header cut short.
    Runt(Runt<'a>),
    /// On a GTP port, but not GTP.
    NotGtp(NotGtp<'a>),
}

impl<'a> Message<'a> {
    /// Header version field (GTP' reports its own version).
    pub fn version(&self) -> u8 {
        match self {
            Message::V0(_) => 0,
            Message::V1(_) => 1,
            Message::V2(_) => 2,
            Message::Prime(p) => p.version(),
            Message::Runt(r) => r.version(),
            Message::NotGtp(n) => n.version().unwrap_or(0),
        }
    }
    /// The whole UDP payload the message was decoded from (header, body, anything after).
    pub fn datagram(&self) -> &'a [u8] {
        match self {
            Message::V0(m) => m.datagram(),
            Message::V1(m) => m.datagram(),
            Message::V2(m) => m.datagram(),
            Message::Prime(m) => m.datagram(),
            Message::Runt(r) => r.data,
            Message::NotGtp(n) => n.data,
        }
    }
    /// Message type code.
    pub fn message_type(&self) -> u8 {
        match self {
            Message::V0(m) => m.message_type().0,
            Message::V1(m) => m.message_type().0,
            Message::V2(m) => m.message_type().0,
            Message::Prime(m) => m.message_type().0,
            Message::Runt(r) => r.message_type(),
            Message::NotGtp(n) => n.data.get(1).copied().unwrap_or(0),
        }
    }
    /// Message type name (snake_case), when assigned in that version.
    pub fn name(&self) -> Option<&'static str> {
        match self {
            Message::V0(m) => prime::v0_name(m.message_type().0),
            Message::V1(m) => m.message_type().name(),
            Message::V2(m) => m.message_type().name(),
            Message::Prime(m) => m.message_type().name(),
            Message::Runt(r) => {
                if r.version() == 2 {
                    v2::MsgType(r.message_type()).name()
                } else {
                    v1::MsgType(r.message_type()).name()
                }
            }
            Message::NotGtp(_) => None,
        }
    }
    /// Sequence number (GTPv1: only when the S flag is set).
    pub fn sequence(&self) -> Option<u32> {
        match self {
            Message::V0(m) => Some(u32::from(m.sequence())),
            Message::V1(m) => m.sequence().map(u32::from),
            Message::V2(m) => Some(m.sequence()),
            Message::Prime(m) => Some(u32::from(m.sequence())),
            Message::Runt(_) | Message::NotGtp(_) => None,
        }
    }
    /// TEID (GTPv1 always, GTPv2 when T = 1).
    pub fn teid(&self) -> Option<u32> {
        match self {
            Message::V1(m) => Some(m.teid()),
            Message::V2(m) => m.teid(),
            _ => None,
        }
    }
    /// Protocol label: "gtpv0", "gtpv1", "gtpv2", "gtp_prime", "gtp".
    pub fn protocol(&self) -> &'static str {
        match self {
            Message::V0(_) => "gtpv0",
            Message::V1(_) => "gtpv1",
            Message::V2(_) => "gtpv2",
            Message::Prime(_) => "gtp_prime",
            Message::Runt(_) | Message::NotGtp(_) => "gtp",
        }
    }
    /// The plane the message travels on: by the GTP port of the datagram (`sport`, `dport`), or
    /// off the GTP ports by what the message is (GTPv2 and GTPv1 signalling: control; G-PDU,
    /// End Marker, Error Indication: user; GTPv0 / GTP': the 3386 class).
    pub fn plane(&self, sport: u16, dport: u16) -> matcher::Plane {
        use matcher::Plane;
        if let Some(p) = Plane::of_ports(sport, dport) {
            return p;
        }
        match self {
            Message::V1(m) if m.message_type().is_user_plane_only() => Plane::User,
            Message::V0(_) | Message::Prime(_) => Plane::V0Prime,
            _ => Plane::Control,
        }
    }
    /// What the request/response matcher needs, for a message sent from `sport` to `dport`.
    pub fn txn(&self, sport: u16, dport: u16) -> matcher::Txn {
        use matcher::Role;
        let t = self.message_type();
        let v1_role = || {
            let m = v1::MsgType(t);
            if m.is_request() {
                Role::Request
            } else if let Some(r) = m.request_for() {
                Role::Response { answers: r.0 }
            } else if let Some(r) = m.acknowledges() {
                Role::Acknowledge { request: r.0 }
            } else {
                Role::Other
            }
        };
        let (version, role) = match self {
            Message::V2(m) => {
                let m = m.message_type();
                let role = if m.is_request() {
                    Role::Request
                } else if let Some(r) = m.request_for() {
                    Role::Response { answers: r.0 }
                } else if let Some(r) = m.acknowledges() {
                    Role::Acknowledge { request: r.0 }
                } else {
                    Role::Other
                };
                (2, role)
            }
            Message::Prime(p) => (0x80 | p.version(), v1_role()),
            Message::V0(_) => (0, v1_role()),
            Message::V1(_) => (1, v1_role()),
            Message::Runt(_) | Message::NotGtp(_) => (0xff, Role::Other),
        };
        matcher::Txn {
            version,
            plane: self.plane(sport, dport),
            msg_type: t,
            seq: self.sequence(),
            role,
        }
    }
}

/// A decoded datagram: the first message, the piggybacked GTPv2 message if any, the inner
/// packet of a G-PDU, and every anomaly (offsets relative to the UDP payload).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Decoded<'a> {
    /// The message.
    pub message: Message<'a>,
    /// GTPv2: the message piggybacked after the first (P = 1).
    pub piggybacked: Option<v2::V2Slice<'a>>,
    /// G-PDU: the inner IP packet summary.
    pub inner: Option<gtpu::InnerSummary>,
    /// Anomalies of the datagram.
    pub anomalies: Anomalies,
}

fn port_anomalies(kind: Kind, m: &Message<'_>, sport: u16, dport: u16, out: &mut Anomalies) {
    let on = |p: u16| sport == p || dport == p;
    if !(on(PORT_GTPC) || on(PORT_GTPU) || on(PORT_PRIME)) {
        out.push(
            Anomaly::new(
                Layer::Gtp,
                AnomalyCode::GtpOnNonstandardPort,
                0,
                "GTP recognised by its header on a non-GTP port",
            )
            .with_value(u64::from(dport)),
        );
        return;
    }
    match (kind, m) {
        (Kind::V2, _) if (on(PORT_GTPU) && !on(PORT_GTPC)) || dport == PORT_GTPU => {
            out.push(
                Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::GtpcOnUserPort,
                    0,
                    "GTPv2-C on the GTP-U port",
                )
                .with_value(2),
            );
        }
        (Kind::V1, Message::V1(s)) => {
            let t = s.message_type();
            // the destination port names the plane too: GTP-C from 2123 to 2152 and G-PDU
            // from 2152 to 2123 are each on the other plane's port
            if (on(PORT_GTPU) && !on(PORT_GTPC) || dport == PORT_GTPU)
                && !t.is_user_plane()
                && t.is_known()
            {
                out.push(
                    Anomaly::new(
                        Layer::Gtp,
                        AnomalyCode::GtpcOnUserPort,
                        1,
                        "GTPv1-C message on the GTP-U port",
                    )
                    .with_value(u64::from(t.0)),
                );
            } else if (on(PORT_GTPC) && !on(PORT_GTPU) || dport == PORT_GTPC)
                && t.is_user_plane_only()
            {
                out.push(
                    Anomaly::new(
                        Layer::Gtp,
                        AnomalyCode::GtpuOnControlPort,
                        1,
                        "GTP-U message on the GTP-C port",
                    )
                    .with_value(u64::from(t.0)),
                );
            } else if on(PORT_PRIME) && !on(PORT_GTPC) && !on(PORT_GTPU) {
                out.push(
                    Anomaly::new(
                        Layer::Gtp,
                        AnomalyCode::GtpVersionPortMismatch,
                        0,
                        "GTPv1 on the GTP' port",
                    )
                    .with_value(1),
                );
            }
        }
        (Kind::V2, _) if on(PORT_PRIME) && !on(PORT_GTPC) => {
            out.push(
                Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::GtpVersionPortMismatch,
                    0,
                    "GTPv2 on the GTP' port",
                )
                .with_value(2),
            );
        }
        (Kind::Prime | Kind::V0, _) if !on(PORT_PRIME) => {
            out.push(
                Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::GtpVersionPortMismatch,
                    0,
                    "GTP'/GTPv0 on a GTP-C/GTP-U port",
                )
                .with_value(0),
            );
        }
        _ => {}
    }
}

/// Recognise, parse and validate one UDP payload.
///
/// On a GTP port (2123, 2152, 3386) every payload yields a [`Decoded`]: one that [`detect`]
/// does not recognise is a [`Message::NotGtp`] with a `not_gtp` anomaly. Off the GTP ports,
/// `None` when the payload is not GTP (ordinary UDP).
pub fn decode(payload: &[u8], sport: u16, dport: u16) -> Option<Decoded<'_>> {
    let mut d = Decoded::empty();
    decode_into(payload, sport, dport, &mut d).then_some(d)
}

impl Decoded<'_> {
    /// Nothing decoded: a runt of no octets, no anomalies (what [`decode_into`] fills).
    pub const fn empty() -> Self {
        Decoded {
            message: Message::Runt(Runt { data: &[] }),
            piggybacked: None,
            inner: None,
            anomalies: Anomalies::new(),
        }
    }
}

/// [`decode`] into `out`, in place (the decoded datagram is large: a caller that keeps it
/// in a place of its own has it written there, not moved there). Whatever `out` held is
/// replaced. False when the payload is not GTP and not on a GTP port, or its header does
/// not parse: nothing was decoded, and `out` is to be discarded.
pub fn decode_into<'a>(payload: &'a [u8], sport: u16, dport: u16, out: &mut Decoded<'a>) -> bool {
    out.anomalies.clear();
    let Some(kind) = detect(payload, sport, dport) else {
        if !on_gtp_ports(sport, dport) {
            return false;
        }
        let n = NotGtp { data: payload };
        let (offset, detail, value) = n.reason();
        out.anomalies
            .push(Anomaly::new(Layer::Gtp, AnomalyCode::NotGtp, offset, detail).with_value(value));
        out.message = Message::NotGtp(n);
        out.piggybacked = None;
        out.inner = None;
        return true;
    };
    let Decoded {
        anomalies,
        piggybacked,
        inner,
        message: slot,
    } = out;
    *piggybacked = None;
    *inner = None;
    // each message is written into the slot as soon as it is read, not returned by the match
    // and copied (a copy of fields written a moment before waits on store forwarding)
    match kind {
        Kind::V1 => {
            let Ok(s) = v1::V1Slice::from_slice(payload) else {
                return false;
            };
            s.validate(anomalies);
            if s.is_gpdu() {
                *inner = gtpu::check_inner(&s, anomalies);
                if inner.is_none() && !s.body().is_empty() {
                    anomalies.push(Anomaly::new(
                        Layer::Gtp,
                        AnomalyCode::TpduNotIp,
                        s.body_offset(),
                        "G-PDU payload is not an IPv4/IPv6 packet",
                    ));
                }
            }
            *slot = Message::V1(s);
        }
        Kind::V2 => {
            let Ok(s) = v2::V2Slice::from_slice(payload) else {
                return false;
            };
            s.validate(anomalies);
            match s.piggybacked() {
                Some(Ok(p)) => {
                    p.validate(anomalies);
                    if !p.trailing().is_empty() {
                        anomalies.push(
                            Anomaly::new(
                                Layer::Gtp,
                                AnomalyCode::TrailingBytes,
                                p.base() + p.message().len(),
                                "bytes after the piggybacked message",
                            )
                            .with_value(p.trailing().len() as u64),
                        );
                    }
                    *piggybacked = Some(p);
                }
                Some(Err(e)) => anomalies.push(Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::PiggybackMalformed,
                    e.offset(),
                    "piggybacked message does not parse",
                )),
                None => {}
            }
            *slot = Message::V2(s);
        }
        Kind::Prime => {
            let Ok(s) = prime::PrimeSlice::from_slice(payload) else {
                return false;
            };
            s.validate(anomalies);
            *slot = Message::Prime(s);
        }
        Kind::V0 => {
            let Ok(s) = prime::V0Slice::from_slice(payload) else {
                return false;
            };
            s.validate(anomalies);
            *slot = Message::V0(s);
        }
        Kind::Runt => {
            anomalies.push(
                Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::HeaderTruncated,
                    0,
                    "datagram shorter than the GTP header",
                )
                .with_value(payload.len() as u64),
            );
            *slot = Message::Runt(Runt { data: payload });
        }
    }
    port_anomalies(kind, slot, sport, dport, anomalies);
    true
}

#[cfg(test)]
mod sealed_echo_tests {
    use super::*;

    fn noise(mut x: u32, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 8) as u8
            })
            .collect()
    }

    /// A GTPv1 Echo (flags 0x32: S set, 12-octet header) or GTPv2 Echo (no TEID) around `body`.
    fn echo(version: u8, ty: u8, body: &[u8]) -> Vec<u8> {
        let mut p = match version {
            1 => vec![0x32, ty, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0],
            _ => vec![0x40, ty, 0, 0, 0x00, 0x12, 0x34, 0x00],
        };
        p.extend_from_slice(body);
        let len = (p.len() - if version == 1 { 8 } else { 4 }) as u16;
        p[2..4].copy_from_slice(&len.to_be_bytes());
        p
    }

    /// An Echo of exact length with a random body is GTP on any port (an implant's sealed
    /// command); a short, structured or mis-sized one is not, off the GTP ports.
    #[test]
    fn sealed_echo_bodies_off_the_gtp_ports() {
        for (seed, n) in [(1u32, 16usize), (2, 40), (3, 100), (4, 300)] {
            for (v, ty) in [(1u8, 1u8), (1, 2), (2, 1), (2, 2)] {
                let p = echo(v, ty, &noise(seed * 7 + u32::from(ty), n));
                // a random body that happens to walk as IEs is not this shape (rare)
                let walks = match v {
                    1 => v1::V1Slice::from_slice(&p).is_ok_and(|s| s.ies().all(|i| i.is_ok())),
                    _ => v2::V2Slice::from_slice(&p).is_ok_and(|s| s.ies().all(|i| i.is_ok())),
                };
                if walks {
                    continue;
                }
                for (sport, dport) in [(47001, 40123), (2123, 53), (123, 2152), (53, 2123)] {
                    assert!(
                        detect(&p, sport, dport).is_some(),
                        "v{v} type {ty} len {n} {sport}->{dport}"
                    );
                }
            }
        }
        // too short, structured (zeros and counters) or a length that does not fit: not GTP
        let short = echo(1, 1, &noise(9, 12));
        let structured: Vec<u8> = (0..64u8).map(|i| if i % 4 == 0 { i } else { 0 }).collect();
        let mut bad_len = echo(1, 1, &noise(10, 48));
        bad_len[3] ^= 1;
        for p in [
            short,
            echo(1, 1, &structured),
            echo(2, 2, &[0xff; 64]),
            bad_len,
        ] {
            assert_eq!(detect(&p, 47001, 40123), None, "{p:02x?}");
        }
        // other types with a random body are not taken off the GTP ports
        assert_eq!(detect(&echo(1, 16, &noise(11, 64)), 47001, 40123), None);
    }
}
