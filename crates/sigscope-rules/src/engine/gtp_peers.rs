//! Who a GTP peer is (behaviour 3020, 3023, 3024, 3025 and jittered Echo beacons under 3005):
//! bounded per-peer state says whether an address takes part in sessions (Create / Update /
//! Modify / Delete, or user plane), whether it created a session without being a declared
//! session peer, and feeds the detectors that need it.

use std::net::IpAddr;

use serde_json::{json, Value};
use sigscope_decode::{GtpLayer, Message};
use sigscope_gtp::v1::{self, V1Value};
use sigscope_gtp::v2::{self, V2Value};
use sigscope_gtp::Message as Gtp;

use super::gtp_echo::{EchoPe, EchoRecovery};
use super::teids::TeidSet;
use super::tunnel::DnsDomain;
use super::*;
use crate::signatures as sig;

/// Most peers remembered; a full table is emptied.
pub const MAX_GTP_PEERS: usize = 65_536;
/// Shortest Echo private extension value examined for encrypted data or change (shorter
/// values are vendor flags).
pub const ECHO_PE_MIN_LEN: usize = 6;
/// Values shorter than this count as changed whole only when all their octets but one
/// differ (a 6-octet clock in milliseconds moves two or three low octets between Echoes).
pub const ECHO_PE_STRICT_BELOW: usize = 8;
/// Shortest Echo private extension value judged for encrypted data on its first sight (3020):
/// a shorter one's entropy says little (eight distinct octets of a vendor's node name and
/// counter measure as random), so it is judged when the peer's next Echo does not repeat it.
pub const ECHO_PE_JUDGED_ALONE: usize = 24;
/// sgsnemu's default IMSI.
pub const SGSNEMU_IMSI: &str = "240010123456789";
/// sgsnemu's default MSISDN.
pub const SGSNEMU_MSISDN: &str = "46702123456";
/// sgsnemu's default PAP user name and password.
pub const SGSNEMU_PAP: [&[u8]; 2] = [b"mig", b"hemmelig"];
/// Echoes in a row whose private extension changed almost whole from the one before, from
/// one peer, before it is reported (3025): a keepalive's vendor data repeats, or counts.
pub const ECHO_PE_CHANGES: u8 = 3;
/// Octets of an Echo private extension kept to compare with the next.
pub const ECHO_PE_KEPT: usize = 32;

/// Distinct values of one peer's restart counter (Recovery) within
/// [`ECHO_RECOVERY_WINDOW_S`] before it is reported (3025): a counter that takes a new value
/// on every Echo is data. A node restarts rarely (and each restart makes its peers drop its
/// sessions); from a node in sessions two values that alternate may be two stacks or nodes
/// behind one address, not a channel (a peer in none is judged by its changes,
/// [`ECHO_RECOVERY_CHANGES`]); four values within the hour are.
pub const ECHO_RECOVERY_VALUES: usize = 4;
/// The window those changes are counted in, seconds.
pub const ECHO_RECOVERY_WINDOW_S: f64 = 3600.0;
/// Changes of a restart counter within [`ECHO_RECOVERY_WINDOW_S`] from one socket (source
/// port) of a peer that takes part in no session, each in an Echo numbered next after the
/// one before, before it is reported (3025), whatever its values: a counter that goes back
/// and forth between two or three values is a bit or two per Echo (such a peer has no sessions
/// a restart would drop, and no second stack behind its address to explain it).
pub const ECHO_RECOVERY_CHANGES: usize = 6;

/// Distinct sizes an Echo beacon must show (a keepalive's size never changes).
pub const ECHO_BEACON_MIN_SIZES: usize = 3;
/// Seconds before the same Echo beacon key may alert again.
pub const ECHO_BEACON_REALERT_S: f64 = 3600.0;

/// Most destinations one sweep keeps (the most `gtp_sweep_destinations` may ask for).
pub const MAX_SWEEP_DESTINATIONS: usize = 64;
/// Most senders whose sweeps are followed at once (a full table is emptied, counted as a
/// state reset): a sweep keeps its destinations, so the table is kept smaller than the
/// others.
pub const MAX_SWEEPERS: usize = 4096;
/// Seconds before the same sender's sweep may alert again (sooner when the tagging of its
/// last alert runs out first: see [`realert_after`]).
pub const SWEEP_REALERT_S: f64 = 3600.0;
/// Destinations a sweep's alert names.
const SWEEP_NAMED: usize = 8;

/// The Echo Requests of one sender within the slow sweep window: the distinct destinations,
/// each with the frame and time of its first request (named with the alert); those of the
/// (fast) sweep window are the ones asked within it.
#[derive(Debug, Clone)]
pub(super) struct Sweep {
    start: f64,
    to: ArrayVec<(IpAddr, u64, u64), MAX_SWEEP_DESTINATIONS>,
    /// Echo Requests sent in the slow window (to any address, again or not).
    requests: u32,
    /// The answers (frame, time) the swept hosts sent back, in no order.
    answers: ArrayVec<(u64, u64), MAX_SWEEP_DESTINATIONS>,
    alerted_at: Option<f64>,
}

/// Most Echo Requests per distinct address, on average, of a paced sweep within its window: a
/// sweep asks each address once (a retry or two), a monitor or a node asks its peers every
/// minute or few.
pub const SWEEP_SLOW_MAX_REQUESTS_PER_ADDRESS: usize = 2;
/// Seconds a paced sweep is watched before it is judged: a monitor's or a node's first round
/// over its list of peers asks each once too, and asks them again within a few minutes.
pub const SWEEP_SLOW_MIN_SPAN_S: f64 = 600.0;

/// Answers of no such tunnel named with a probing alert (the first of them).
const PROBE_NAMED: usize = 32;

/// The answers of no such tunnel to one address (3027): the minute's count and the slow
/// window's, and the first answers of the slow window (named with the alert).
#[derive(Debug, Clone)]
pub(super) struct Probe {
    start: f64,
    n: u32,
    slow_start: f64,
    slow_n: u32,
    /// Creates refused for their APN (within the slow window).
    apn_n: u32,
    /// Session requests of the address accepted since its first answer of no such tunnel
    /// (within the slow window).
    accepted: u32,
    answers: ArrayVec<(u64, u64), PROBE_NAMED>,
    /// The requests those answers answer, when still in [`GtpFamilies::requests`].
    requests: ArrayVec<(u64, u64), PROBE_NAMED>,
    alerted_at: Option<f64>,
}

/// Shortest span (seconds) of the guessed tunnels a peer in sessions met before they are
/// judged (3027): a restart's stale tunnels are met within a minute or two.
pub const PARTNER_GUESS_MIN_SPAN_S: f64 = 300.0;

/// Places of the direct-mapped table of session requests in flight (a request is looked up
/// when its answer comes, milliseconds later: only the requests awaiting an answer matter).
const REQUEST_SLOTS: usize = 256;

/// The table key of a GTP exchange: its sequence number and its two ends, folded and mixed
/// (never 0, the empty place's key).
fn exchange_key(seq: u32, initiator: IpAddr, responder: IpAddr) -> u64 {
    let x = u64::from(seq)
        ^ super::actors::ip_value(initiator).rotate_left(24)
        ^ super::actors::ip_value(responder).rotate_left(44);
    fold_mix(x) | 1
}

/// A session created by a peer outside the declared session peers.
#[derive(Debug, Clone, Copy)]
pub(super) struct RogueCreate {
    ts: f64,
    /// The control-plane peer that sent the Create, when this entry is the user-plane
    /// address the Create named for its tunnels (a rogue may split the two).
    via: Option<IpAddr>,
    /// The Create's frame and time (reported with the alert: the session's start).
    frame: u64,
    ts_nanos: u64,
    imsi: Option<DigitKey>,
    msisdn: Option<DigitKey>,
    /// sgsnemu defaults seen: bit 0 IMSI, bit 1 MSISDN, bit 2 PAP login.
    sgsnemu: u8,
    alerted: bool,
}

/// What is known of one peer address.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PeerSeen {
    /// Took part in a session (signalling of one, or user plane).
    pub(super) sessions: bool,
    /// Was sent user plane, or took part in an accepted session exchange: sessions that a
    /// peer cannot claim by sending (a G-PDU or a Create of its own), as a scanner could.
    carried: bool,
    /// Created a session without being a declared session peer.
    rogue: Option<RogueCreate>,
}

/// State of the GTP families' detectors.
#[derive(Debug, Default)]
pub(super) struct GtpFamilies {
    pub(super) session_blocks: Vec<Cidr>,
    cg_blocks: Vec<Cidr>,
    pub(super) peers: HashMap<IpAddr, PeerSeen>,
    pub(super) dns: HashMap<u64, DnsDomain>,
    /// The last Echo private extension of each peer that sent one.
    pub(super) echo_pes: HashMap<IpAddr, EchoPe>,
    /// The restart counter each peer's Echoes to another carry, by protocol, plane and
    /// direction (a node's GTPv1 and GTPv2 stacks count apart, some keep one per path; GTP-U
    /// sends 0), and how often it changed (3025).
    pub(super) echo_recoveries: HashMap<(IpAddr, IpAddr, u8), EchoRecovery>,
    /// When each peer's Echo restart counter last changed (it restarted).
    pub(super) restarts: HashMap<IpAddr, f64>,
    /// Peers marked as taking part in sessions, one per slot of a small direct-mapped
    /// memo (the last marked of its slot): marking one again changes nothing, so it is not
    /// looked up. Emptied with `peers`.
    in_sessions: Vec<Option<IpAddr>>,
    /// The same memo for [`PeerSeen::carried`].
    in_carried: Vec<Option<IpAddr>>,
    /// Whether a peer's entry may hold a rogue create (cleared with `peers`): user plane is
    /// looked up only then.
    any_rogue: bool,
    /// Echo Request sweeps by sender (3026).
    sweeps: HashMap<IpAddr, Sweep>,
    /// Answers of no such tunnel by the address they go to (3027).
    probes: HashMap<IpAddr, Probe>,
    /// Session requests in flight: (exchange key, frame, time), direct-mapped by key (a later
    /// request of the same place takes it; an answer empties it), so that a prober's requests
    /// are named with its answers even when the messages remembered by flow lost them.
    requests: Vec<(u64, u64, u64, Option<u32>)>,
    /// Tunnel ids that sessions set up or used (the TEIDs of Creates and their answers, the
    /// header TEIDs of session requests).
    pub(super) teids: TeidSet,
    /// ICMP echo requests inside tunnels awaiting their reply: (key of the request's inner
    /// addresses, identifier and sequence; digest of its payload), direct-mapped by key
    /// (tunnel.rs: a reply whose data is not its request's is no ping).
    pub(super) icmp_echoes: Vec<(u64, u64)>,
}

/// Slots of the memo of peers marked (the GTP peers user plane flows between are few).
const SESSION_MEMO: usize = 64;

/// The memo slot of a peer address: its bits folded and spread by an odd multiplier.
fn memo_slot(ip: IpAddr) -> usize {
    (super::actors::ip_value(ip).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize % SESSION_MEMO
}

impl GtpFamilies {
    pub(super) fn new(p: &Policy) -> Self {
        GtpFamilies {
            session_blocks: p.session_peer_blocks(),
            cg_blocks: p.charging_gateway_blocks(),
            in_sessions: vec![None; SESSION_MEMO],
            in_carried: vec![None; SESSION_MEMO],
            ..GtpFamilies::default()
        }
    }
}

/// GTPv1 / GTPv0 message types of session signalling (TS 29.060: Create / Update / Delete
/// PDP Context request and response).
const V1_SESSION_TYPES: [u8; 6] = [16, 17, 18, 19, 20, 21];
/// GTPv2 message types of session signalling (Create / Modify / Delete Session, Create /
/// Update / Delete Bearer, requests and responses).
const V2_SESSION_TYPES: [u8; 12] = [32, 33, 34, 35, 36, 37, 95, 96, 97, 98, 99, 100];
/// GTPv2 session management beyond [`V2_SESSION_TYPES`]: the bearer commands and their
/// failure indications (64-73) and Release Access Bearers (170-171), requests and responses
/// (TS 29.274 6.1). Each names one session, as those do.
const V2_SESSION_MANAGEMENT_MORE: [std::ops::RangeInclusive<u8>; 2] = [64..=73, 170..=171];

/// A GTP message of session management: its subscriber or tunnel names one session (the
/// subject of a beacon's events).
pub(super) fn session_message(msg: &Gtp<'_>) -> bool {
    let ty = msg.message_type();
    match msg {
        Gtp::V1(_) | Gtp::V0(_) => V1_SESSION_TYPES.contains(&ty),
        Gtp::V2(_) => {
            V2_SESSION_TYPES.contains(&ty)
                || V2_SESSION_MANAGEMENT_MORE.iter().any(|r| r.contains(&ty))
        }
        _ => false,
    }
}

/// GTPv2 responses of session signalling (Create / Modify / Delete Session, Create / Update /
/// Delete Bearer).
const V2_SESSION_RESPONSES: [u8; 6] = [33, 35, 37, 96, 98, 100];
/// GTPv1 / GTPv0 causes of an accepted request (TS 29.060 7.7.1: 128-191 response accepted).
const V1_ACCEPTED: std::ops::RangeInclusive<u8> = 128..=191;
/// GTPv2 causes of an accepted request (TS 29.274 8.4: request accepted, partially, new PDN
/// type due to network preference or single address bearer only).
const V2_ACCEPTED: std::ops::RangeInclusive<u8> = 16..=19;
/// GTPv1 / GTPv0 cause "Non-existent" (TS 29.060 7.7.1: no PDP context of that TEID).
const V1_NON_EXISTENT: u8 = 192;
/// GTPv2 cause "Context Not Found" (TS 29.274 8.4).
const V2_CONTEXT_NOT_FOUND: u8 = 64;
/// GTPv1 cause "Missing or unknown APN" (TS 29.060 7.7.1).
const V1_UNKNOWN_APN: u8 = 219;
/// GTPv2 cause "Missing or unknown APN" (TS 29.274 8.4).
const V2_UNKNOWN_APN: u8 = 78;
/// GTP-U Error Indication (TS 29.281 7.3.1: a G-PDU for a TEID the node does not have).
const V1_ERROR_INDICATION: u8 = 26;
/// Create PDP Context Request (v1) / Create Session Request (v2).
const V1_CREATE: u8 = 16;
const V2_CREATE: u8 = 32;
/// GTPv1 Create PDP Context Response.
const V1_CREATE_RESPONSE: u8 = 17;
/// GTPv2 Create Session Response.
const V2_CREATE_RESPONSE: u8 = 33;
/// GTP' Data Record Transfer Request.
const PRIME_DRT_REQUEST: u8 = 240;
/// GTP' messages a GTPv0 header may carry: node alive, redirection (request and response),
/// data record transfer (TS 32.295 6.2; 09.60 numbers them alike).
const PRIME_V0_CHARGING: [u8; 6] = [4, 5, 6, 7, PRIME_DRT_REQUEST, PRIME_DRT_REQUEST + 1];

fn has_bytes(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// sgsnemu's defaults in a Create (bits as [`RogueCreate::sgsnemu`]).
fn sgsnemu_defaults(g: &GtpLayer<'_>) -> u8 {
    let mut bits = 0;
    if g.summary.imsi.as_ref().map(|d| d.as_str()) == Some(SGSNEMU_IMSI) {
        bits |= 1;
    }
    if g.summary.msisdn.as_ref().map(|d| d.as_str()) == Some(SGSNEMU_MSISDN) {
        bits |= 2;
    }
    let pco = match &g.decoded.message {
        Gtp::V1(x) => x
            .ies()
            .map_while(Result::ok)
            .find(|ie| ie.ie_type == v1::IeType::PCO)
            .map(|ie| ie.value),
        Gtp::V2(x) => x
            .ies()
            .map_while(Result::ok)
            .find(|ie| ie.ie_type == v2::IeType::PCO)
            .map(|ie| ie.value),
        _ => None,
    };
    if pco.is_some_and(|p| SGSNEMU_PAP.iter().all(|n| has_bytes(p, n))) {
        bits |= 4;
    }
    bits
}

/// Most user-plane addresses read from one Create.
const MAX_USER_PLANE_ADDRESSES: usize = 4;

/// GTPv2 F-TEID interface types of a Create Session Request's sender's own user plane
/// (TS 29.274 table 8.22-1): S5/S8 SGW GTP-U (4), S4 SGSN GTP-U (15). The other user-plane
/// F-TEIDs a request may carry (S1-U eNodeB 0, S12 RNC 2) are the radio nodes', not the
/// sender's.
const V2_SENDER_USER_PLANE: [u8; 2] = [4, 15];

/// The sender's user-plane addresses a Create names: GTPv1 its GSN Addresses (for
/// signalling, for user traffic and their alternatives, TS 29.060 7.3.1), GTPv2 the F-TEIDs
/// of its bearer contexts of its own user-plane interfaces ([`V2_SENDER_USER_PLANE`]).
fn user_plane_addresses(g: &GtpLayer<'_>) -> ArrayVec<IpAddr, MAX_USER_PLANE_ADDRESSES> {
    let mut out = ArrayVec::new();
    let mut add = |ip: IpAddr| {
        if !out.contains(&ip) {
            let _ = out.try_push(ip);
        }
    };
    match &g.decoded.message {
        Gtp::V1(x) => {
            for ie in x.ies().map_while(Result::ok) {
                if ie.ie_type != v1::IeType::GSN_ADDRESS {
                    continue;
                }
                if let Ok(V1Value::Address(a)) = ie.decode() {
                    add(a);
                }
            }
        }
        Gtp::V2(x) => {
            let _ = v2::walk(x.ies(), &mut |ie| {
                if ie.ie_type != v2::IeType::F_TEID || ie.depth == 0 {
                    return;
                }
                if let Ok(V2Value::FTeid(f)) = ie.decode() {
                    if !V2_SENDER_USER_PLANE.contains(&f.interface_type) {
                        return;
                    }
                    if let Some(a) = f.ipv4 {
                        add(IpAddr::V4(a));
                    }
                    if let Some(a) = f.ipv6 {
                        add(IpAddr::V6(a));
                    }
                }
            });
        }
        _ => {}
    }
    out
}

fn sgsnemu_names(bits: u8) -> Value {
    let names = ["imsi", "msisdn", "pap_login"];
    Value::Array(
        names
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, n)| Value::from(*n))
            .collect(),
    )
}

impl Engine {
    /// The GTP families' behaviour of one message.
    #[inline(never)]
    pub(super) fn gtp_families(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
        let Some(g) = m.gtp else { return };
        self.gtpu_tunnel(g, ctx, found);
        let Some(e) = &m.endpoints else { return };
        let msg = &g.decoded.message;
        let ty = msg.message_type();
        let session = match msg {
            Gtp::V1(x) => x.is_gpdu() || V1_SESSION_TYPES.contains(&ty),
            Gtp::V0(_) => ty == GTP_GPDU || V1_SESSION_TYPES.contains(&ty),
            Gtp::V2(_) => V2_SESSION_TYPES.contains(&ty),
            _ => false,
        };
        let create = matches!((msg, ty), (Gtp::V1(_), V1_CREATE) | (Gtp::V2(_), V2_CREATE));
        let gpdu = matches!(msg, Gtp::V1(x) if x.is_gpdu());
        if gpdu {
            self.rogue_user_plane(g, e.src, e.dst, ctx, found);
        }
        if create
            || matches!(
                (msg, ty),
                (Gtp::V1(_), V1_CREATE_RESPONSE) | (Gtp::V2(_), V2_CREATE_RESPONSE)
            )
        {
            self.session_teids(g);
        }
        if create {
            // who may create sessions is the policy's list; without one, sgsnemu's defaults
            // (its IMSI, MSISDN or PAP login, a test tool's fingerprint) stand in for it
            let bits = sgsnemu_defaults(g);
            let blocks = &self.fam.session_blocks;
            let declared = blocks.iter().any(|c| c.contains(e.src));
            // (a peer that carries others' sessions, or keeps an Echo path with the node it
            // asks, is an established one)
            let in_sessions = self.fam.peers.get(&e.src).is_some_and(|p| p.sessions)
                || (bits != 0 && self.echo_path(e.src, e.dst));
            // the fingerprint from a declared peer, or (without a policy) from a peer that
            // carries others' sessions: that one session is the finding, not the peer
            if bits != 0 && (declared || (blocks.is_empty() && in_sessions)) {
                found.hit(&sig::ROGUE_GTP_SESSION_PEER, || {
                    json!({"peer": e.src.to_string(), "shape": "test_tool_session_from_peer_in_sessions",
                           "declared": declared,
                           "imsi": g.summary.imsi.as_ref().map(|d| d.as_str().to_string()),
                           "msisdn": g.summary.msisdn.as_ref().map(|d| d.as_str().to_string()),
                           "sgsnemu_defaults": sgsnemu_names(bits)})
                });
                found.alone = true;
            }
            let rogue = if blocks.is_empty() {
                bits != 0 && !in_sessions
            } else {
                !declared
            };
            if rogue {
                let rc = RogueCreate {
                    ts: ctx.ts,
                    via: None,
                    frame: m.frame,
                    ts_nanos: m.ts_nanos,
                    imsi: g.summary.imsi.as_ref().map(|d| DigitKey::of(d.as_str())),
                    msisdn: g.summary.msisdn.as_ref().map(|d| DigitKey::of(d.as_str())),
                    sgsnemu: bits,
                    alerted: false,
                };
                self.peer(e.src).rogue = Some(rc);
                // the user plane the Create asks for may come from another address of the
                // rogue's (its own user-plane node): that address's tunnels are the rogue's
                // too, unless it is a declared session peer's
                for up in user_plane_addresses(g) {
                    let declared = self.fam.session_blocks.iter().any(|c| c.contains(up));
                    // a node already in sessions (a real gateway's user plane the Create
                    // names) is not taken for the rogue's, nor is an address already marked
                    let known = self
                        .fam
                        .peers
                        .get(&up)
                        .is_some_and(|p| p.sessions || p.carried || p.rogue.is_some());
                    if up != e.src && !declared && !known {
                        self.peer(up).rogue = Some(RogueCreate {
                            via: Some(e.src),
                            ..rc
                        });
                    }
                }
                self.fam.any_rogue = true;
            }
        }
        if session {
            self.mark(e.src, false);
            self.mark(e.dst, false);
            let accepted = match msg {
                Gtp::V1(x) if !x.is_gpdu() => {
                    ty % 2 == 1 && g.summary.cause.is_some_and(|c| V1_ACCEPTED.contains(&c))
                }
                Gtp::V0(_) if ty != GTP_GPDU => {
                    ty % 2 == 1 && g.summary.cause.is_some_and(|c| V1_ACCEPTED.contains(&c))
                }
                Gtp::V2(_) => {
                    V2_SESSION_RESPONSES.contains(&ty)
                        && g.summary.cause.is_some_and(|c| V2_ACCEPTED.contains(&c))
                }
                _ => false,
            };
            if accepted {
                self.mark(e.src, true);
                self.mark(e.dst, true);
                // an answer the prober's requests were accepted with (3027 weighs its
                // guesses against them)
                if !self.fam.probes.is_empty() {
                    if let Some(p) = self.fam.probes.get_mut(&e.dst) {
                        p.accepted = p.accepted.saturating_add(1);
                    }
                }
            } else if matches!(msg, Gtp::V1(x) if x.is_gpdu())
                || matches!(msg, Gtp::V0(_) if ty == GTP_GPDU)
            {
                self.mark(e.dst, true);
            }
        }
        if matches!(ty, GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE) {
            self.echo_payload(g, e.src, found);
            if let Some(r) = g.summary.recovery {
                self.echo_recovery(g, (e.src, e.dst), r, ctx.ts, found);
            }
        }
        if ty == GTP_ECHO_REQUEST && !matches!(msg, Gtp::Runt(_) | Gtp::NotGtp(_)) {
            self.sweep(g, e.src, e.dst, ctx.ts, found);
        }
        // a swept host's answer to the sweeper is remembered with its request
        if ty == GTP_ECHO_RESPONSE && !self.fam.sweeps.is_empty() {
            if let Some(s) = self.fam.sweeps.get_mut(&e.dst) {
                if s.to.iter().any(|(a, ..)| *a == e.src) {
                    let _ = s.answers.try_push((ctx.m.frame, ctx.m.ts_nanos));
                }
            }
        }
        let no_tunnel = match msg {
            Gtp::V1(_) if ty == V1_ERROR_INDICATION => true,
            Gtp::V1(_) | Gtp::V0(_) => g.summary.cause == Some(V1_NON_EXISTENT),
            Gtp::V2(_) => g.summary.cause == Some(V2_CONTEXT_NOT_FOUND),
            _ => false,
        };
        // an APN guessed wrong: the Create's answer says no such APN
        let no_apn = match msg {
            Gtp::V1(_) | Gtp::V0(_) => g.summary.cause == Some(V1_UNKNOWN_APN),
            Gtp::V2(_) => g.summary.cause == Some(V2_UNKNOWN_APN),
            _ => false,
        };
        // a session request (a Create too: its answer may refuse the APN) waits for its
        // answer
        if session && !gpdu && matches!(g.outcome, Some(sigscope_gtp::matcher::Outcome::Request)) {
            if let Some(seq) = msg.sequence() {
                let key = exchange_key(seq, e.src, e.dst);
                let r = &mut self.fam.requests;
                if r.is_empty() {
                    r.resize(REQUEST_SLOTS, (0, 0, 0, None));
                }
                // the tunnel it asks for, when no session seen set it up or used it before
                // (a first use: a guess, if the answer says there is no such tunnel)
                let teid = msg.teid().filter(|t| *t != 0);
                let first_use = teid.filter(|t| !self.fam.teids.holds(*t));
                if let Some(slot) = r.get_mut(key as usize % REQUEST_SLOTS) {
                    *slot = (key, ctx.m.frame, ctx.m.ts_nanos, first_use);
                }
                if let Some(t) = teid {
                    if self.fam.teids.add(t) {
                        self.stats.state_resets += 1;
                    }
                }
            }
        }
        if no_tunnel || no_apn {
            // the session request this answers (an Error Indication answers a G-PDU, which
            // has no place there); taken once, and only while the slow window could hold it
            let oldest = ctx.m.ts_nanos.saturating_sub(
                (self.policy.thresholds.gtp_probe_slow_window_s.max(0.0) * 1e9) as u64,
            );
            let request = match msg {
                Gtp::V1(_) if ty == V1_ERROR_INDICATION => None,
                _ => msg.sequence().and_then(|seq| {
                    let key = exchange_key(seq, e.dst, e.src);
                    let slot = self.fam.requests.get_mut(key as usize % REQUEST_SLOTS)?;
                    let (k, frame, ts, teid) = *slot;
                    if k != key {
                        return None;
                    }
                    *slot = (0, 0, 0, None);
                    (ts >= oldest).then_some((frame, ts, teid.is_some()))
                }),
            };
            self.probing(g, (e.dst, e.src), request, no_apn, ctx.ts, found);
        }
        // GTP' (and the same charging messages behind a GTPv0 header: 09.60 / 12.15 number
        // node alive, redirection and data record transfer alike)
        let charging = match msg {
            Gtp::Prime(_) => true,
            Gtp::V0(_) => PRIME_V0_CHARGING.contains(&ty),
            _ => false,
        };
        if charging {
            let cg = &self.fam.cg_blocks;
            let declared = |ip: IpAddr| cg.iter().any(|c| c.contains(ip));
            // records go to a charging gateway; the rest of GTP' (node alive, redirection,
            // their answers) is between a gateway and the nodes that send it records: with
            // neither end declared, an undeclared gateway is at work (Echo aside)
            let undeclared = if ty == PRIME_DRT_REQUEST {
                !declared(e.dst)
            } else {
                !matches!(ty, GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE)
                    && !declared(e.src)
                    && !declared(e.dst)
            };
            if !cg.is_empty() && undeclared {
                found.hit(&sig::CDR_TO_UNDECLARED_CG, || {
                    json!({"message": gtp_name(g), "charging_gateway": e.dst.to_string(),
                           "sender": e.src.to_string(), "length": msg.datagram().len()})
                });
            }
        }
    }

    /// GTP node discovery (3026): Echo Requests from one address to
    /// `gtp_sweep_destinations` distinct addresses within `gtp_sweep_window_s`, the sender
    /// carrying no session ([`PeerSeen::carried`]: sent user plane, or in an accepted session
    /// exchange; what it sends itself does not count). A node echoes the peers it has paths with, which carry
    /// sessions (TS 29.060 7.2.1, TS 29.274 7.1.2), at most once a minute each: a node with
    /// that many paths carries sessions all the time, and they are seen before its Echoes add
    /// up. A scanner asks a range of addresses which of them are GTP nodes, and takes part in
    /// nothing. (No warm-up: a scan's capture may last seconds.)
    #[cold]
    #[inline(never)]
    fn sweep(&mut self, g: &GtpLayer<'_>, src: IpAddr, dst: IpAddr, ts: f64, found: &mut Hits<'_>) {
        let t = &self.policy.thresholds;
        let again = realert_after(t.tag_window_s, SWEEP_REALERT_S);
        let (need, window) = (
            t.gtp_sweep_destinations.min(MAX_SWEEP_DESTINATIONS),
            t.gtp_sweep_window_s,
        );
        let (need_slow, slow_window) = (
            t.gtp_sweep_slow_destinations.min(MAX_SWEEP_DESTINATIONS),
            t.gtp_sweep_slow_window_s,
        );
        // sessions it was sent, or had accepted: not claimed by a packet of its own
        if self.fam.peers.get(&src).is_some_and(|p| p.carried) {
            return;
        }
        let f = &mut self.fam;
        if f.sweeps.len() >= MAX_SWEEPERS && !f.sweeps.contains_key(&src) {
            f.sweeps.clear();
            self.stats.state_resets += 1;
        }
        let s = f.sweeps.entry(src).or_insert_with(|| Sweep {
            start: ts,
            to: ArrayVec::new(),
            requests: 0,
            answers: ArrayVec::new(),
            alerted_at: None,
        });
        let m = found.ctx.m;
        let window_from = m.ts_nanos.saturating_sub((window.max(0.0) * 1e9) as u64);
        let in_window = |(_, _, t): &(IpAddr, u64, u64)| *t >= window_from && *t <= m.ts_nanos;
        if ts < s.start {
            s.start = ts;
            s.to.clear();
            s.requests = 0;
            s.answers.clear();
        } else if ts - s.start > slow_window {
            // the slow window slides: the addresses first asked within its length before this
            // request stay, with their share of the requests counted (a monitor's repeated
            // asks keep counting against it), and it starts at the oldest of them
            let slow_from = m
                .ts_nanos
                .saturating_sub((slow_window.max(0.0) * 1e9) as u64);
            let before = s.to.len().max(1) as u64;
            s.to.retain(|(_, _, t)| *t >= slow_from && *t <= m.ts_nanos);
            s.requests = (u64::from(s.requests) * s.to.len() as u64 / before) as u32;
            s.start =
                s.to.iter()
                    .map(|(_, _, t)| *t as f64 / 1e9)
                    .fold(ts, f64::min);
            s.answers.clear();
        }
        s.requests = s.requests.saturating_add(1);
        if !s.to.iter().any(|(a, ..)| *a == dst) {
            let _ = s.to.try_push((dst, m.frame, m.ts_nanos));
        }
        let recent = s.alerted_at.is_some_and(|a| ts - a < again && ts >= a);
        let fast_n = s.to.iter().filter(|e| in_window(e)).count();
        let fast = fast_n >= need;
        // paced: most addresses asked once (a monitor asks its fixed list again and again)
        // (judged once it has gone on for [`SWEEP_SLOW_MIN_SPAN_S`]: a fast sweep is found as one,
        // and a monitor's first round over its list is not yet a sweep)
        let slow = s.to.len() >= need_slow
            && ts - s.start >= window.max(SWEEP_SLOW_MIN_SPAN_S)
            && s.requests as usize <= SWEEP_SLOW_MAX_REQUESTS_PER_ADDRESS * s.to.len();
        if !(fast || slow) || recent {
            return;
        }
        s.alerted_at = Some(ts);
        let first = |fast: bool| {
            s.to.iter()
                .filter(move |e| !fast || in_window(e))
                .map(|(a, _, t)| (*a, *t))
        };
        let (n, pace) = if fast {
            (fast_n, "fast")
        } else {
            (s.to.len(), "slow")
        };
        let since = first(fast).map(|(_, t)| t).min().unwrap_or(m.ts_nanos);
        let within = m.ts_nanos.saturating_sub(since) as f64 / 1e9;
        let named: Vec<Value> = first(fast)
            .take(SWEEP_NAMED)
            .map(|(a, _)| a.to_string().into())
            .collect();
        found.hit(&sig::GTP_NODE_DISCOVERY, || {
            json!({"message": gtp_name(g), "sender": src.to_string(), "destinations": n,
                   "within_s": round(within, 3), "pace": pace, "first_destinations": named})
        });
        // the sweep's requests before the alert and the hosts' answers are part of it, and
        // its sender's later messages are tagged
        if found.admitted(sig::GTP_NODE_DISCOVERY.id) {
            let frame = m.frame;
            found.earlier.extend(
                s.to.iter()
                    .map(|(_, f, t)| (*f, *t))
                    .chain(s.answers.iter().copied())
                    .filter(|(f, _)| *f != frame),
            );
        }
        found.actor(&sig::GTP_NODE_DISCOVERY, Some(Actor::Ip(src)));
    }

    /// GTP tunnel probing (3027): `gtp_probe_answers` answers of no such tunnel (Context Not
    /// Found, Non-existent, GTP-U Error Indication) to one address within
    /// `gtp_sweep_window_s`, the address carrying no session. A node whose peer restarted
    /// meets stale tunnels too, but it carries sessions; an address guessing tunnel ids (to
    /// delete, modify or inject into them) carries none.
    ///
    /// A peer that carries sessions (a partner's gateway) is judged on guessed answers
    /// only: ones about a tunnel no session seen set up or used, from a node (`from`, the
    /// one answering) that did not restart
    /// within the slow window (a compromised partner guessing tunnel ids meets only
    /// those; stale tunnels are ones it knew).
    #[cold]
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn probing(
        &mut self,
        g: &GtpLayer<'_>,
        (to, from): (IpAddr, IpAddr),
        request: Option<(u64, u64, bool)>,
        apn: bool,
        ts: f64,
        found: &mut Hits<'_>,
    ) {
        let carried = self.fam.peers.get(&to).is_some_and(|p| p.carried);
        // a guess: the request (`request.2`) asked for a tunnel never set up nor used in a
        // session seen, and the node `from` that answers did not restart within the window
        // (its lost tunnels are stale, not guessed)
        let window = self.policy.thresholds.gtp_probe_slow_window_s;
        if carried
            && (apn || !request.is_some_and(|r| r.2) || self.restarted_within(from, ts, window))
        {
            return;
        }
        let request = request.map(|(frame, at, _)| (frame, at));
        let t = &self.policy.thresholds;
        let again = realert_after(t.tag_window_s, SWEEP_REALERT_S);
        let (need, window) = (t.gtp_probe_answers, t.gtp_sweep_window_s);
        let (need_slow, slow) = (
            t.gtp_probe_slow_answers,
            t.gtp_probe_slow_window_s.max(window),
        );
        let need_apn = t.gtp_apn_guesses;
        let f = &mut self.fam;
        if f.probes.len() >= MAX_SWEEPERS && !f.probes.contains_key(&to) {
            f.probes.clear();
            self.stats.state_resets += 1;
        }
        let e = f.probes.entry(to).or_insert_with(|| Probe {
            start: ts,
            n: 0,
            slow_start: ts,
            slow_n: 0,
            apn_n: 0,
            accepted: 0,
            answers: ArrayVec::new(),
            requests: ArrayVec::new(),
            alerted_at: None,
        });
        if ts - e.start > window || ts < e.start {
            e.start = ts;
            e.n = 0;
        }
        if ts - e.slow_start > slow || ts < e.slow_start {
            e.slow_start = ts;
            e.slow_n = 0;
            e.apn_n = 0;
            e.accepted = 0;
            e.answers.clear();
            e.requests.clear();
        }
        if apn {
            e.apn_n += 1;
        } else {
            e.n += 1;
            e.slow_n += 1;
        }
        let m = found.ctx.m;
        let _ = e.answers.try_push((m.frame, m.ts_nanos));
        if let Some(r) = request {
            let _ = e.requests.try_push(r);
        }
        let recent = e.alerted_at.is_some_and(|a| ts - a < again && ts >= a);
        // reported already in this slow window (its answers and requests went out then)
        let reported = e.alerted_at.is_some_and(|a| a >= e.slow_start);
        let (fast, paced, guessing) = if carried {
            // a partner's guesses, paced over minutes (a node walking its table after a
            // restart meets its stale tunnels at once), and at least as many as its
            // requests accepted meanwhile (a node meeting the tunnels a peer lost one by one,
            // as their subscribers come back, carries far more that are found)
            let span = ts - e.slow_start;
            let paced =
                e.slow_n >= need_slow && span >= PARTNER_GUESS_MIN_SPAN_S && e.slow_n >= e.accepted;
            (false, paced, false)
        } else {
            (e.n >= need, e.slow_n >= need_slow, e.apn_n >= need_apn)
        };
        // (a peer in sessions is not named as the attacker whose every message is tagged:
        // its partner traffic goes on beside the guesses; each further guess is reported)
        if !(fast || paced || guessing) || (recent && !carried) {
            return;
        }
        e.alerted_at = Some(ts);
        let (n, within, w) = if fast {
            (e.n, ts - e.start, window)
        } else if paced {
            (e.slow_n, ts - e.slow_start, slow)
        } else {
            (e.apn_n, ts - e.slow_start, slow)
        };
        let (pace, what) = match (fast, paced) {
            (true, _) => ("fast", "tunnels"),
            (false, true) => ("slow", "tunnels"),
            (false, false) => ("slow", "apns"),
        };
        found.hit(&sig::GTP_TUNNEL_PROBING, || {
            json!({"message": gtp_name(g), "cause": g.summary.cause, "prober": to.to_string(),
                   "answers": n, "within_s": round(within, 3), "window_s": w, "pace": pace,
                   "guessing": what})
        });
        // the answers before the alert and the requests they answer are part of it, and the
        // prober's later messages are tagged
        if found.admitted(sig::GTP_TUNNEL_PROBING.id) {
            if recent || reported {
                found.earlier.extend(request);
            } else {
                found.earlier.extend(
                    e.answers
                        .iter()
                        .chain(&e.requests)
                        .filter(|(f, _)| *f != m.frame)
                        .copied(),
                );
            }
        }
        if carried {
            // the finding is about these exchanges: the peer pair's other traffic (its
            // partner sessions and keepalives) is not flagged with it
            found.alone = true;
        } else {
            found.actor(&sig::GTP_TUNNEL_PROBING, Some(Actor::Ip(to)));
        }
    }

    /// The entry of a peer (a full table is emptied before it would grow).
    fn peer(&mut self, ip: IpAddr) -> &mut PeerSeen {
        let f = &mut self.fam;
        if f.peers.len() >= MAX_GTP_PEERS && !f.peers.contains_key(&ip) {
            bounded(&mut f.peers, &mut self.stats.state_resets);
            if f.peers.is_empty() {
                // emptied: nothing is known of any peer now
                f.in_sessions.fill(None);
                f.in_carried.fill(None);
                f.any_rogue = false;
            }
        }
        f.peers.entry(ip).or_default()
    }

    /// A peer takes part in a session, or (`carried`) was sent user plane or took part in an
    /// accepted session exchange; looked up unless it was one of the last marked so.
    fn mark(&mut self, ip: IpAddr, carried: bool) {
        let at = memo_slot(ip);
        let f = &self.fam;
        let memo = if carried {
            &f.in_carried
        } else {
            &f.in_sessions
        };
        if memo.get(at) == Some(&Some(ip)) {
            return;
        }
        let p = self.peer(ip);
        if carried {
            p.carried = true;
        } else {
            p.sessions = true;
        }
        let f = &mut self.fam;
        let memo = if carried {
            &mut f.in_carried
        } else {
            &mut f.in_sessions
        };
        if let Some(slot) = memo.get_mut(at) {
            *slot = Some(ip);
        }
    }

    /// A G-PDU another engine judges ([`Engine::learn`]): only who takes part in sessions and
    /// who carries them is learnt from it (its tunnel is that engine's). `true` when `m` is
    /// a G-PDU.
    pub(super) fn learn_user_plane(&mut self, m: &Message<'_>) -> bool {
        let (Some(g), Some(e)) = (m.gtp, m.endpoints) else {
            return false;
        };
        let msg = &g.decoded.message;
        let gpdu = matches!(msg, Gtp::V1(x) if x.is_gpdu())
            || matches!(msg, Gtp::V0(_) if msg.message_type() == GTP_GPDU);
        if gpdu {
            self.mark(e.src, false);
            self.mark(e.dst, false);
            self.mark(e.dst, true);
        }
        gpdu
    }

    /// User plane to or from a peer that created a session without being declared.
    fn rogue_user_plane(
        &mut self,
        g: &GtpLayer<'_>,
        src: IpAddr,
        dst: IpAddr,
        ctx: &Ctx,
        found: &mut Hits<'_>,
    ) {
        if !self.fam.any_rogue {
            return;
        }
        for ip in [src, dst] {
            let Some(p) = self.fam.peers.get_mut(&ip) else {
                continue;
            };
            let Some(r) = p.rogue.as_mut().filter(|r| !r.alerted) else {
                continue;
            };
            r.alerted = true;
            let r = *r;
            found.hit(&sig::ROGUE_GTP_SESSION_PEER, || {
                json!({"peer": ip.to_string(), "created_s_ago": round(ctx.ts - r.ts, 3),
                       "control_peer": r.via.map(|v| v.to_string()),
                       "imsi": r.imsi.map(|d| d.text()), "msisdn": r.msisdn.map(|d| d.text()),
                       "sgsnemu_defaults": sgsnemu_names(r.sgsnemu), "teid": g.decoded.message.teid()})
            });
            // the Create is part of it (it may be older than the messages remembered by flow),
            // and the rogue peer's other messages (what it sends after) are tagged
            if found.admitted(sig::ROGUE_GTP_SESSION_PEER.id) && r.frame != ctx.m.frame {
                found.earlier.push((r.frame, r.ts_nanos));
            }
            found.actor(&sig::ROGUE_GTP_SESSION_PEER, Some(Actor::Ip(ip)));
            return;
        }
    }
}
