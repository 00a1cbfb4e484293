//! The engine: every detector over one typed [`Message`] at a time, with bounded state keyed
//! by typed values (global-title digits, point codes, IP addresses), never by built strings.

use std::net::IpAddr;

use arrayvec::ArrayVec;
use foldhash::HashMap;
use serde_json::Value;
use sigscope_core::e164;
use sigscope_decode::ss7::MAX_MAP_ENTRIES;
use sigscope_decode::{GtpLayer, Message, Party};
use sigscope_gtp::v1::{self};
use sigscope_gtp::v2::{self};
use sigscope_map::param::Role;
use sigscope_map::{AddressString, MapEntry, OpCode, SmRpOa};

mod actors;
mod beacon;
mod behaviour;
mod concat;
mod content;
pub mod exploit;
pub mod flow;
mod gtp_door;
mod gtp_echo;
mod gtp_peers;
mod harvest;
mod hits;
mod home;
mod keylog;
mod keys;
pub mod misuse;
pub use sm_route::{SM_ROUTE_SLOTS, SM_ROUTE_WINDOW_S};
mod report;
pub mod sigtran;
mod sm_route;
mod sms_service;
mod structure;
mod teids;
mod tunnel;
mod tunnel_icmp;

use actors::{Actor, Actors};
use beacon::{BeaconKey, BeaconTable};
use flow::{Flag, Flows, Recent, Wire};
pub use gtp_peers::{ECHO_PE_JUDGED_ALONE, MAX_SWEEP_DESTINATIONS};
use hits::Hits;
use keylog::KeyLog;
pub use keys::{DigitKey, End};
use report::Found;

use crate::alert::Alert;
use crate::policy::{Cidr, Policy};
use crate::user::RuleSet;

/// Digits of a VLR/SGSN/MSC number kept for velocity evidence (longer ones are cut).
pub const MAX_NODE_DIGITS: usize = 32;

/// A node's digits for evidence, cut at [`MAX_NODE_DIGITS`] characters.
fn node_text(d: &str) -> arrayvec::ArrayString<MAX_NODE_DIGITS> {
    // digits are ASCII: the first characters are the first octets
    if let Some(s) = d
        .get(..d.len().min(MAX_NODE_DIGITS))
        .and_then(|cut| arrayvec::ArrayString::from(cut).ok())
    {
        return s;
    }
    let mut s = arrayvec::ArrayString::new();
    for c in d.chars() {
        if s.try_push(c).is_err() {
            break;
        }
    }
    s
}

/// Most keys in each state table (rate limits, beacons, locations); a full table is emptied
/// (counted in [`Stats::state_resets`]) rather than grown.
pub const MAX_STATE_KEYS: usize = 100_000;
const _: () = assert!(MAX_STATE_KEYS <= keylog::MAX_KEYLOG_ENTRIES);
/// Most events judged (and kept) per beacon key: the policy's `beacon_min_events`, capped.
pub const BEACON_HISTORY: usize = 16;
/// Nested grouped GTP IEs walked when looking for private extensions.
pub const MAX_IE_DEPTH: usize = 4;
/// Distinct subscribers remembered per global title for the harvesting count (the threshold
/// is capped by it).
pub const MAX_HARVEST_SUBSCRIBERS: usize = 256;
/// Most foreign global titles whose lookups are remembered for the harvesting count (each
/// holds up to [`MAX_HARVEST_SUBSCRIBERS`] lookups of 32 octets: at most 32 MiB); a full table
/// is emptied, as the others are.
pub const MAX_HARVEST_GTS: usize = 4096;
/// Routing-information operations (sendRoutingInfo, sendRoutingInfoForGprs,
/// sendRoutingInfoForSM, sendIMSI, sendRoutingInfoForLCS).
pub const ROUTING_INFO_OPS: [OpCode; 5] = [
    OpCode::SEND_ROUTING_INFO,
    OpCode::SEND_ROUTING_INFO_FOR_GPRS,
    OpCode::SEND_ROUTING_INFO_FOR_SM,
    OpCode::SEND_IMSI,
    OpCode::SEND_ROUTING_INFO_FOR_LCS,
];
/// Digits of an IMSI its PLMN depends on (MCC and a three-digit MNC).
pub const PLMN_PREFIX_DIGITS: usize = 6;
/// Most texts (USSD, SMS) remembered as raising nothing (a full memo is emptied).
pub const MAX_CLEAN_TEXTS: usize = 65_536;
/// Most IMSI prefixes whose PLMN is remembered (a full memo is emptied).
pub const MAX_PLMN_MEMO: usize = 4096;
/// Hashed with the engine's random state to draw the seed of beacon key digests.
const BEACON_SEED_INPUT: u64 = 0x6265_6163_6f6e;
/// Unexpected IEs of one Echo listed in the evidence (more are not listed).
pub const MAX_LISTED_IES: usize = 16;
/// GTP message type of Echo Request in every version (GTPv0, v1, v2, GTP').
pub const GTP_ECHO_REQUEST: u8 = 1;
/// GTP message type of Echo Response in every version.
pub const GTP_ECHO_RESPONSE: u8 = 2;
/// GTPv1-U / GTPv0 message type of a G-PDU / T-PDU (user traffic, never a beacon).
pub const GTP_GPDU: u8 = 255;
/// What a GTPv1 / GTPv0 Echo may carry: Recovery and Private Extension.
pub const V1_ECHO_IES: [u8; 2] = [v1::IeType::RECOVERY.0, v1::IeType::PRIVATE_EXTENSION.0];
/// What a GTPv2 Echo may carry: Recovery, Sending Node Features and Private Extension.
pub const V2_ECHO_IES: [u8; 3] = [
    v2::IeType::RECOVERY.0,
    v2::IeType::NODE_FEATURES.0,
    v2::IeType::PRIVATE_EXTENSION.0,
];

/// Counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Messages observed.
    pub records: u64,
    /// Alerts raised (after rate limiting).
    pub alerts: u64,
    /// Alerts held back by the rate limit.
    pub suppressed: u64,
    /// Messages reported as members of a flagged flow (not counted in `alerts`).
    pub tagged: u64,
    /// Times a full state table was emptied.
    pub state_resets: u64,
    /// Alerts per signature id.
    pub per_signature: std::collections::BTreeMap<u32, u64>,
}

/// A set of MAP operation codes (one bit each), asked once per invoke.
#[derive(Debug, Clone, Copy, Default)]
struct OpSet([u64; 4]);

impl OpSet {
    fn of(ops: &[u8]) -> OpSet {
        let mut s = OpSet::default();
        for op in ops {
            if let Some(w) = s.0.get_mut(usize::from(*op / 64)) {
                *w |= 1 << (op % 64);
            }
        }
        s
    }

    fn contains(&self, op: u8) -> bool {
        self.0
            .get(usize::from(op / 64))
            .is_some_and(|w| w & (1 << (op % 64)) != 0)
    }
}

/// Ordered pair of ends (from, to): the key of rate limits and per-pair state.
type Pair = (End, End);

/// Odd multiplier of [`fold_mix`] (the golden ratio's 64 bits).
const DIGEST_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
/// Mixed in last so that a digest never ends on a bare word.
const DIGEST_FINAL: u64 = 0x2545_f491_4f6c_dd1d;

/// One round of a digest: the 128-bit product with an odd constant, its halves folded.
const fn fold_mix(x: u64) -> u64 {
    let p = (x as u128) * (DIGEST_MULTIPLIER as u128);
    (p as u64) ^ ((p >> 64) as u64)
}

/// Hashes a 64-bit digest as itself: the keys of [`DigestMap`] are well-mixed digests
/// already (beacon keys, texts), so they are not mixed again on every lookup.
#[derive(Debug, Clone, Copy, Default)]
struct DigestHasher(u64);

impl std::hash::Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // never used by `u64` keys; a fold keeps any other use correct
        for b in bytes {
            self.0 = fold_mix(self.0 ^ u64::from(*b));
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

/// A table keyed by 64-bit digests (see [`DigestHasher`]).
type DigestMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<DigestHasher>>;

/// One routing-information lookup remembered for the harvesting count.
#[derive(Debug, Clone, Copy)]
struct Lookup {
    /// 64-bit digest of the subscriber (MSISDN or IMSI).
    digest: u64,
    /// Capture time (seconds).
    ts: f64,
    /// Frame and time of the message (reported as a member of the harvest once it alerts).
    frame: u64,
    ts_nanos: u64,
    /// The lookup's transaction at its requester ([`beacon::requester_tx`]; 0 without one),
    /// and the frame and time of its answer once seen (reported with it).
    tx: u64,
    answer: Option<(u64, u64)>,
}

#[derive(Debug)]
struct Harvest {
    /// Distinct subscribers looked up within the slow window, oldest first.
    lookups: Vec<Lookup>,
    /// Whether `lookups` are in order of time (they are unless the capture's times go
    /// back): their lookups within a window are then a suffix, found by bisection.
    in_order: bool,
    /// Short messages this global title delivered (mt-/mo-ForwardSM), for the lookups held
    /// (lookups leaving the window take their share with them).
    deliveries: u32,
    /// The time of the last lookup judged (times that go back start the count afresh).
    deliveries_since: f64,
    /// Alerts go on until then (the rest of the window once it has alerted).
    alerting_until: Option<f64>,
}

impl Default for Harvest {
    fn default() -> Self {
        Harvest {
            lookups: Vec::new(),
            in_order: true,
            deliveries: 0,
            deliveries_since: 0.0,
            alerting_until: None,
        }
    }
}

impl Harvest {
    /// Lookups at most `window` seconds before `ts` (or after it).
    fn in_fast(&self, ts: f64, window: f64) -> usize {
        let within = |l: &Lookup| ts - l.ts <= window;
        if self.in_order {
            // `ts - l.ts` does not grow along times in order: the lookups within are a suffix
            self.lookups.len() - self.lookups.partition_point(|l| !within(l))
        } else {
            self.lookups.iter().filter(|l| within(l)).count()
        }
    }
}

/// A subscriber's last place. Small (32-octet entries with the key), so that the table of
/// every subscriber's place takes few pages and fewer cache misses: the country is packed
/// ([`Place`]) and the node's text, read only for evidence, is one of the distinct nodes
/// kept apart in [`Engine::nodes`] (a network has few; it had one copy per subscriber).
#[derive(Debug, Clone, Copy)]
struct Seen {
    ts: f64,
    /// Index of the node's digits as evidence shows them (cut at [`MAX_NODE_DIGITS`]) in
    /// [`Engine::nodes`].
    node: u32,
    country: Place,
}

/// Octets of the longest country a [`Place`] holds: an ISO code (two letters), else an E.164
/// country code (at most three digits).
const PLACE_OCTETS: usize = 3;

/// A country as the velocity detector keeps it (an ISO code, else an E.164 country code),
/// packed in one word: its length in the low octet, its octets above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place(u32);

impl Place {
    /// The place of a country's code; `None` for a code longer than [`PLACE_OCTETS`] (the
    /// country table has none, a test says so).
    fn of(code: &str) -> Option<Place> {
        let b = code.as_bytes();
        if b.len() > PLACE_OCTETS {
            return None;
        }
        let packed = b.iter().rev().fold(0u32, |v, c| (v << 8) | u32::from(*c));
        Some(Place((packed << 8) | b.len() as u32))
    }

    /// The code back, in `buf`.
    fn text(self, buf: &mut [u8; PLACE_OCTETS]) -> &str {
        let len = ((self.0 & 0xff) as usize).min(PLACE_OCTETS);
        for (i, o) in buf.iter_mut().enumerate() {
            *o = (self.0 >> (8 * (i + 1))) as u8;
        }
        buf.get(..len)
            .and_then(|s| std::str::from_utf8(s).ok())
            .unwrap_or("")
    }
}

/// The detection engine.
#[derive(Debug)]
pub struct Engine {
    policy: Policy,
    peers: Vec<Cidr>,
    /// Signatures switched off by the policy (sorted ids).
    disabled: Vec<u32>,
    /// The policy's FS.11 categories 1, 2 and 3 as sets.
    fs11: [OpSet; 3],
    /// Rate-limit windows by signature and pair (taken out while a message is judged).
    limits: Option<HashMap<(u32, Pair), (f64, u64)>>,
    /// Beacon state by a 64-bit digest of its key (seeded per engine).
    beacons: BeaconTable,
    beacon_keys: foldhash::fast::RandomState,
    /// Seed of beacon key digests (drawn from `beacon_keys`).
    beacon_seed: u64,
    /// Every subscriber's last place (most are seen once: see [`KeyLog`]).
    locations: KeyLog<(DigitKey, Seen)>,
    /// The distinct node texts of `locations` (emptied with the table), and the index of
    /// each by its key.
    nodes: Vec<arrayvec::ArrayString<MAX_NODE_DIGITS>>,
    node_ids: HashMap<DigitKey, u32>,
    /// Subscribers moved by impossible travel (few): the nodes they were moved to, and until
    /// when short messages delivered there are interception. Kept apart from `locations`,
    /// whose entries are one per subscriber, so that those stay small.
    suspects: HashMap<DigitKey, Suspect>,
    first_ts: Option<f64>,
    /// Without the policy's home prefixes: the country most titles belong to.
    home_guess: home::HomeGuess,
    unsolicited: HashMap<Pair, (u32, f64)>,
    /// GTP addresses and calling global titles outside the interconnect: when each was last
    /// reported (3006) and its messages since.
    outside: HashMap<Outside, (f64, u64)>,
    /// MAP beacon keys whose attempts keep failing (retry schedules, see [`beacon::Retries`]).
    retries: beacon::Retries,
    harvest: HashMap<DigitKey, Harvest>,
    /// The titles of `harvest` ([`actors::gt_value`]): an answer to a title not there is not
    /// looked up.
    harvest_filter: flow::Filter,
    /// The PLMN's ISO code of IMSI prefixes (see [`Engine::plmn_iso`]).
    plmn_isos: HashMap<DigitKey, Option<&'static str>>,
    stats: Stats,
    /// The message observed is another engine's to report ([`Engine::learn`]): its findings
    /// flag flows and name attackers, but nothing remembered is taken for them and the
    /// message itself is not remembered.
    learning: bool,
    /// Scratch text (USSD / SMS decoded for the content checks), reused.
    text: String,
    /// Digests of texts that raised nothing (see `Engine::text_digest`).
    clean_texts: DigestMap<()>,
    /// Small dense private extension values of TCAP dialogues, joined per sender's
    /// transaction (see [`misuse::ExtPieces`]).
    ext_pieces: misuse::ExtPieces,
    /// Extension values judged encrypted, to tell a sender's constant from data.
    constant_values: misuse::ConstantValues,
    /// Dense extension pieces joined per sender across its transactions (2007).
    sender_pieces: misuse::SenderPieces,
    /// Concatenated short messages' parts (a part's finding is its message's).
    concat: concat::ConcatParts,
    /// Short USSD strings shaped like pieces of encoded data, joined per sender's transaction.
    ussd_text_pieces: misuse::ExtPieces,
    /// Recent sendRoutingInfoForSM answers by the IMSI they gave: (IMSI digest, frame, time),
    /// direct-mapped ([`SM_ROUTE_SLOTS`], made on first use), so that a short message
    /// delivery found is reported with the routing query that set it up.
    sm_routes: Vec<(u64, u64, u64)>,
    /// Scratch identities of a message's MAP entries, reused.
    ids: Vec<Ids>,
    /// Flagged flows and the recent messages (for tagging whole exchanges).
    flows: Box<Flows>,
    /// Attackers named by findings (their other messages are tagged).
    actors: Actors,
    /// State of the GTP families (peers in sessions, rogue session peers, DNS in tunnels).
    fam: gtp_peers::GtpFamilies,
    /// Operator rules.
    rules: Option<RuleSet>,
}

/// What 3006 reports once per window: a GTP address outside the declared peers, or a
/// calling global title of a country the interconnect does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Outside {
    Ip(IpAddr),
    Gt(DigitKey),
}

fn bounded<K, V>(m: &mut HashMap<K, V>, resets: &mut u64) {
    if m.len() >= MAX_STATE_KEYS {
        m.clear();
        *resets += 1;
    }
}

#[inline(always)]
fn party_end(p: Option<&Party<'_>>) -> Option<End> {
    let p = p?;
    if let Some(d) = &p.digits {
        return Some(End::Gt(DigitKey::of_digits(d)));
    }
    p.address.pc.map(End::Pc)
}

/// Who sent / received a message: global titles (or point codes) for SS7, IPs otherwise.
/// (Inlined into [`Ctx::pair`], its one caller, so that the ends are stored in place.)
#[inline(always)]
fn ends(m: &Message<'_>) -> Pair {
    let (calling, called) = m.parties();
    let pc = |opc: bool| m.mtp3.map(|l| End::Pc(if opc { l.opc } else { l.dpc }));
    let ip = |src: bool| {
        m.endpoints
            .map(|e| End::Ip(if src { e.src } else { e.dst }))
    };
    let a = party_end(calling)
        .or_else(|| pc(true))
        .or_else(|| ip(true))
        .unwrap_or(End::Unknown);
    let b = party_end(called)
        .or_else(|| pc(false))
        .or_else(|| ip(false))
        .unwrap_or(End::Unknown);
    (a, b)
}

/// A subscriber an impossible update moved: the node it named (VLR or SGSN), the MSC it
/// named beside it, and until when short messages delivered to either are interception.
#[derive(Debug, Clone, Copy)]
struct Suspect {
    node: DigitKey,
    msc: Option<DigitKey>,
    until: f64,
}

/// A digest of an octet string (an IMSI's TBCD octets, an extension's value; never 0).
fn octets_digest(raw: &[u8]) -> u64 {
    fold_words(DIGEST_FINAL, raw) | 1
}

/// `h` with `bytes` folded in, eight octets at a time (the last word zero-padded).
fn fold_words(mut h: u64, bytes: &[u8]) -> u64 {
    for c in bytes.chunks(8) {
        let mut w = [0u8; 8];
        w.iter_mut().zip(c).for_each(|(a, b)| *a = *b);
        h = fold_mix(h ^ u64::from_le_bytes(w));
    }
    h
}

/// Seconds after which a finding about something still going on (a beacon, a sweep, a
/// prober) is raised again: once the tagging of its last alert (`tag_window_s`) has run out,
/// so that an activity of hours is reported whole, and at most `at_most`.
fn realert_after(tag_window_s: f64, at_most: f64) -> f64 {
    if tag_window_s > 0.0 {
        tag_window_s.min(at_most)
    } else {
        at_most
    }
}

/// A subscriber identity (IMSI, MSISDN): its TBCD digits as core decodes them, keyed and
/// compared as octets, shown as text only in evidence.
/// Decoded here ([`Id::of_tbcd`]) as [`tbcd`] decodes it, without its flags (no detector
/// reads them).
#[derive(Clone, Copy)]
struct Id {
    buf: [u8; MAX_DIGITS],
    len: u8,
}

impl std::fmt::Debug for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Digits a decoded identity keeps (as [`tbcd`] does).
const MAX_DIGITS: usize = sigscope_core::digits::MAX_DIGITS;

impl Id {
    /// The digits [`tbcd`] decodes from `raw` (core's [`sigscope_core::digits::tbcd_digits`]).
    fn of_tbcd(raw: &[u8]) -> Id {
        let mut id = Id {
            buf: [0; MAX_DIGITS],
            len: 0,
        };
        id.len = sigscope_core::digits::tbcd_digits(raw, &mut id.buf) as u8;
        id
    }

    /// The digits as ASCII octets.
    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The digits as text.
    fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

/// A MAP entry's subscriber identities, decoded once per message for every detector, each
/// when a detector first asks for it.
#[derive(Debug, Clone, Default)]
struct Ids {
    /// The entry's IMSI ([`imsi_octets`]), decoded when first asked for.
    imsi: std::cell::OnceCell<Option<Id>>,
    /// The entry's MSISDN ([`msisdn_address`]), decoded when first asked for.
    msisdn: std::cell::OnceCell<Option<Id>>,
}

/// A MAP entry's MSISDN: the MSISDN address, else an SM-RP-OA MSISDN (undecoded).
fn msisdn_address<'a>(e: &MapEntry<'a>) -> Option<AddressString<'a>> {
    match address(e, Role::MSISDN) {
        Some(a) => Some(a),
        None => match e.param.as_ref().and_then(|p| p.sm_rp_oa) {
            Some(SmRpOa::Msisdn(a)) => Some(a),
            _ => None,
        },
    }
}

/// A MAP entry's IMSI as TBCD octets (undecoded).
fn imsi_octets<'a>(e: &MapEntry<'a>) -> Option<&'a [u8]> {
    e.param.as_ref().and_then(|p| p.imsi).map(|i| i.raw)
}

/// The count of digits [`tbcd`] decodes from `raw` when they are all decimal digits and
/// there is at least one, else `None` — read from the octets, with nothing decoded.
fn tbcd_decimal_len(raw: &[u8]) -> Option<usize> {
    let keep = sigscope_core::digits::tbcd_end(raw).min(MAX_DIGITS);
    if keep == 0 {
        return None;
    }
    // nibble j is octet j / 2's low nibble (even j) or high nibble (odd j)
    let whole = raw.get(..keep / 2)?;
    if whole.iter().any(|b| b & 0x0f > 9 || b >> 4 > 9) {
        return None;
    }
    if keep % 2 == 1 && !raw.get(keep / 2).is_some_and(|b| b & 0x0f <= 9) {
        return None;
    }
    Some(keep)
}

/// The first `n` TBCD digits of `raw` as a number (those of [`tbcd_decimal_len`]).
fn tbcd_leading(raw: &[u8], n: usize) -> u16 {
    (0..n)
        .filter_map(|j| {
            raw.get(j / 2)
                .map(|b| if j % 2 == 0 { b & 0x0f } else { b >> 4 })
        })
        .fold(0u16, |v, d| v * 10 + u16::from(d))
}

impl Ids {
    /// The IMSI of `e`, the entry these are the identities of.
    fn imsi(&self, e: &MapEntry<'_>) -> Option<&Id> {
        self.imsi
            .get_or_init(|| imsi_octets(e).map(Id::of_tbcd))
            .as_ref()
    }

    /// The MSISDN of `e`, the entry these are the identities of.
    fn msisdn(&self, e: &MapEntry<'_>) -> Option<&Id> {
        self.msisdn
            .get_or_init(|| msisdn_address(e).map(|a| Id::of_tbcd(a.digit_octets())))
            .as_ref()
    }
}

/// What every detector of one message needs: its time, its two ends and the identities of
/// its MAP entries (computed once).
struct Ctx<'i> {
    ts: f64,
    /// The message (its ends are worked out from it when first asked).
    m: &'i Message<'i>,
    /// Its ends ([`ends`]), once asked for.
    pair: std::cell::OnceCell<Pair>,
    /// Identities of `m.map`'s entries, in order.
    ids: &'i [Ids],
    /// No identities (the fallback of [`Ctx::ids`], never used: every entry has its own).
    no_ids: Ids,
}

impl Ctx<'_> {
    /// The message's two ends (worked out once, and only for detectors that key on them).
    fn pair(&self) -> &Pair {
        self.pair.get_or_init(|| ends(self.m))
    }

    /// The identities of the message's `i`th MAP entry (every entry has its own: the
    /// identities are read from the message's entries, in order).
    fn ids(&self, i: usize) -> &Ids {
        self.ids.get(i).unwrap_or(&self.no_ids)
    }
}

/// Digit strings that must be digits only.
fn digits_ok(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn gtp_name(g: &GtpLayer<'_>) -> Value {
    g.decoded.message.name().map_or(Value::Null, Value::from)
}

/// The first address of a role in a MAP entry's parameter.
fn address<'a>(e: &MapEntry<'a>, role: Role) -> Option<AddressString<'a>> {
    e.param
        .as_ref()?
        .addresses()
        .find(|(r, _)| *r == role)
        .map(|(_, a)| a)
}

fn requested_info(e: &MapEntry<'_>) -> Value {
    match e.param.as_ref().and_then(|p| p.requested_info) {
        Some(r) => Value::Array(r.names().map(Value::from).collect()),
        None => Value::Null,
    }
}

/// The E.164 country of a party's global title: the decoder's (worked out once, for E.164 /
/// E.214 numbering plans), else read from the digits whatever the numbering plan says, unless
/// the nature of address says they are a national or subscriber number.
fn country_code(p: &Party<'_>) -> Option<e164::Country> {
    p.country.or_else(|| {
        // digits of a national or subscriber number carry no country code (`7700900026`
        // in national format is a UK title, not Kazakhstan's +7)
        let nai = p.address.gt.as_ref().and_then(|g| g.nai);
        let local = matches!(
            nai,
            Some(
                sigscope_sccp::NatureOfAddress::NATIONAL
                    | sigscope_sccp::NatureOfAddress::SUBSCRIBER
            )
        );
        if local {
            return None;
        }
        let digits = p.digits.as_ref()?.as_bytes();
        // a title in the land-mobile plan (E.212) is an IMSI's digits: its country is its
        // MCC's (`234...` is the United Kingdom there, not Nigeria's +234)
        let np = p.address.gt.as_ref().and_then(|g| g.np);
        if np == Some(sigscope_sccp::NumberingPlan::E212) {
            let mcc = digits
                .get(..MCC_DIGITS)
                .and_then(|d| std::str::from_utf8(d).ok())
                .and_then(|d| d.parse::<u16>().ok())?;
            let (iso, _) = sigscope_core::e212::mcc_country(mcc)?;
            return e164::prefixes()
                .iter()
                .find(|(_, c)| c.iso == iso)
                .map(|(_, c)| *c);
        }
        e164::country_of_bytes(digits)
    })
}

/// Digits of a mobile country code.
const MCC_DIGITS: usize = 3;

impl Engine {
    /// A new engine with this policy.
    pub fn new(policy: Policy) -> Self {
        let fam = gtp_peers::GtpFamilies::new(&policy);
        let beacon_keys = foldhash::fast::RandomState::default();
        Engine {
            peers: policy.gtp_peer_blocks(),
            disabled: policy.disabled_ids(),
            fs11: [
                OpSet::of(&policy.fs11.category1),
                OpSet::of(&policy.fs11.category2),
                OpSet::of(&policy.fs11.category3),
            ],
            policy,
            limits: Some(HashMap::default()),
            beacons: BeaconTable::default(),
            beacon_seed: std::hash::BuildHasher::hash_one(&beacon_keys, BEACON_SEED_INPUT),
            beacon_keys,
            locations: KeyLog::default(),
            nodes: Vec::new(),
            node_ids: HashMap::default(),
            suspects: HashMap::default(),
            first_ts: None,
            home_guess: home::HomeGuess::default(),
            unsolicited: HashMap::default(),
            outside: HashMap::default(),
            retries: beacon::Retries::default(),
            harvest: HashMap::default(),
            harvest_filter: flow::Filter::default(),
            plmn_isos: HashMap::default(),
            stats: Stats::default(),
            learning: false,
            text: String::new(),
            clean_texts: DigestMap::default(),
            ext_pieces: misuse::ExtPieces::default(),
            constant_values: misuse::ConstantValues::default(),
            sender_pieces: misuse::SenderPieces::default(),
            concat: concat::ConcatParts::default(),
            ussd_text_pieces: misuse::ExtPieces::default(),
            sm_routes: Vec::new(),
            ids: Vec::with_capacity(MAX_MAP_ENTRIES),
            flows: Box::default(),
            actors: Actors::default(),
            fam,
            rules: None,
        }
    }

    /// A new engine with this policy that also evaluates operator rules.
    pub fn with_rules(policy: Policy, rules: RuleSet) -> Self {
        let mut e = Engine::new(policy);
        e.rules = Some(rules);
        e
    }

    /// The operator rules, when there are any.
    pub fn rules(&self) -> Option<&RuleSet> {
        self.rules.as_ref()
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Look at a message that another engine reports (one of several workers judging a
    /// capture by flow): the detectors' state learns from it as in [`Engine::observe`], and
    /// its findings flag their flows and name their attackers (whose later messages here are
    /// then tagged), but neither the message nor its findings go out or are counted in
    /// [`Engine::stats`], and it is not remembered (it pushes none of this engine's own
    /// messages out of the ring, and no finding takes it as its own).
    ///
    /// What does go to `out`: this engine's own remembered messages of an attacker a finding
    /// names (a prober's G-PDUs dealt here, before the alert its owner reports on the learnt
    /// Error Indication), tagged with that finding as [`Engine::observe`] would have. A G-PDU
    /// teaches only which peers take part in sessions and carry them.
    pub fn learn(&mut self, m: &Message<'_>, out: &mut dyn FnMut(Alert)) {
        // a G-PDU teaches only who is in sessions (its tunnel is judged where it is dealt)
        if self.learn_user_plane(m) {
            return;
        }
        let kept = std::mem::take(&mut self.stats);
        self.learning = true;
        self.observe(m, out);
        self.learning = false;
        let learnt = std::mem::replace(&mut self.stats, kept);
        self.stats.state_resets += learnt.state_resets;
        self.stats.tagged += learnt.tagged;
    }

    /// Look at one decoded message; alerts go to `out`.
    pub fn observe(&mut self, m: &Message<'_>, out: &mut dyn FnMut(Alert)) {
        self.stats.records += 1;
        // a matching `pass` rule suppresses every alert of the message
        let passed = self.rules.as_mut().is_some_and(|r| r.evaluate(m));
        // the identities of the MAP entries, read once (into a vector kept between messages)
        let mut ids = std::mem::take(&mut self.ids);
        ids.clear();
        ids.resize_with(m.map.len(), Ids::default);
        let ctx = Ctx {
            ts: m.ts_nanos as f64 / 1e9,
            m,
            pair: std::cell::OnceCell::new(),
            ids: &ids,
            no_ids: Ids::default(),
        };
        let wire = Wire::of(m);
        let mut flag = self.flows.flag_of(&wire, Wire::ends_bit_of(m), ctx.ts);
        let tcap_type = match m.tcap.as_ref().map(|t| &t.tcap) {
            Some(sigscope_tcap::Tcap::Itu(x)) => Some(x.msg_type),
            _ => None,
        };
        if flag.is_some() && tcap_type == Some(sigscope_tcap::MessageType::BEGIN) {
            // a Begin starts a transaction: a flagged one its id names is over (the id was
            // freed by its End), and this one is not a member
            self.flows.unflag(&wire.parts());
            flag = None;
        }
        // an End or Abort closes its transaction: reported (as a member, or with its own
        // finding), then its ids are free
        let closes = matches!(
            tcap_type,
            Some(sigscope_tcap::MessageType::END | sigscope_tcap::MessageType::ABORT)
        );
        if flag.is_none() && !m.segments.is_empty() {
            flag = self.segments_flag(m, ctx.ts);
        }
        // the rate limit is applied as each detector fires, so that evidence is built only
        // for alerts that go out (nothing is allocated for a suppressed one)
        let mut limits = self.limits.take().unwrap_or_default();
        // a passed message's findings go out nowhere, and take no rate-limit window either
        // (its table is made only then)
        let mut passed_limits = passed.then(HashMap::default);
        let mut found = Hits {
            limits: match passed_limits.as_mut() {
                Some(p) => p,
                None => &mut limits,
            },
            ctx: &ctx,
            ts: ctx.ts,
            window: self.policy.thresholds.alert_window_s,
            seen: ArrayVec::new(),
            out: Vec::new(),
            earlier: Vec::new(),
            actor: None,
            suppressed: 0,
            resets: 0,
            flagged_by: flag.as_ref().map(|f| f.sig.id()),
            alone: false,
            lift: false,
        };
        self.detect(m, &ctx, &mut found);
        if found.lift {
            // (only 1002's flag: another signature's on the same flow stays)
            let id = crate::signatures::GTP_ECHO_LARGE_PRIVATE_EXTENSION.id;
            self.flows.unflag_by(&wire.parts(), id);
            flag = self.flows.flag_of(&wire, Wire::ends_bit_of(m), ctx.ts);
        }
        // (the entries' own codes say whether there is anything to do: an SRI-SM answer to
        // remember, or a finding whose delivery may name one)
        if !found.out.is_empty()
            || m.map.iter().any(|e| {
                e.opcode == Some(i64::from(OpCode::SEND_ROUTING_INFO_FOR_SM.0))
                    && e.component != sigscope_tcap::ComponentKind::Invoke
            })
        {
            self.sm_route(m, &mut found);
        }
        if !found.out.is_empty() && !m.segments.is_empty() {
            // the segments that built a message found are part of what was found
            found.earlier.extend_from_slice(m.segments);
        }
        let Hits {
            out: hits,
            earlier,
            actor,
            suppressed,
            resets,
            alone,
            ..
        } = found;
        // a message of a named attacker in a flow not flagged is tagged with its finding
        let member = match (&flag, self.actors.is_empty()) {
            (None, false) => self.actors.of(m, ctx.ts),
            _ => None,
        };
        self.limits = Some(limits);
        self.stats.suppressed += suppressed;
        self.stats.state_resets += resets;
        if hits.is_empty() && flag.is_none() && member.is_none() && self.rules.is_none() {
            // nothing found, no flagged flow, no operator rules: the message is only
            // remembered (most messages)
            if !self.learning {
                self.flows.remember(Recent::of(m, wire));
            }
        } else {
            let found = Found {
                hits,
                earlier,
                actor,
                member,
                alone,
            };
            self.report(m, ctx.ts, wire, flag, found, passed, out);
            if closes {
                self.flows.unflag(&wire.parts());
            }
        }
        self.ids = ids;
    }

    /// The flag of the flow a segmented message's other segments travelled (a segment found
    /// flags it): the message they complete is a member too. Out of line: rare.
    #[cold]
    #[inline(never)]
    fn segments_flag(&mut self, m: &Message<'_>, ts: f64) -> Option<Flag> {
        self.flows
            .flag_of(&Wire::of_segments(m), Wire::ends_bit_of(m), ts)
    }

    /// Every detector over one message, each only where its message kind can raise
    /// something (each one's checks, out of line, are skipped whole otherwise).
    fn detect(&mut self, m: &Message<'_>, ctx: &Ctx<'_>, found: &mut Hits<'_>) {
        let gtp = m.gtp.is_some();
        let anomalies = !m.anomalies.is_empty();
        let map = !m.map.is_empty();
        // the GTP structure checks of a message without anomalies judge Echo only
        let echo = m.gtp.is_some_and(|g| {
            matches!(
                g.decoded.message.message_type(),
                GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE
            )
        });
        if echo || anomalies {
            self.structure(m, found);
        }
        if anomalies || exploit::may_fire_clean(m) {
            self.exploit(m, found);
        }
        if anomalies || sigtran::may_fire(m) {
            self.sigtran(m, found);
        }
        // one walk over a GTP message's IEs for the checks of both families that read them
        // (user plane, GTPv1 G-PDUs, carries no IEs: the walk is not even called for it)
        let ies = match &m.gtp {
            Some(g) if !matches!(&g.decoded.message, sigscope_gtp::Message::V1(x) if x.is_gpdu()) => {
                self.gtp_ies(g)
            }
            _ => content::GtpIes::default(),
        };
        // GTPDOOR's checks judge TCP, Echo and the IE of a length no node sends (found above)
        if m.tcp.is_some()
            || echo
            || ies.bad_length.is_some()
            || (anomalies && gtp_door::body_not_its_kind(m))
        {
            self.gtp_door(m, &ies, found);
        }
        // the content checks of a GTP message judge an encoded private extension (found
        // above) and the IMSI
        if map || ies.private_ext.is_some() || m.gtp.is_some_and(|g| g.summary.imsi.is_some()) {
            self.content(m, ctx, &ies, found);
        }
        if misuse::may_fire(m) {
            for piece in self.misuse(m, found) {
                self.ext_piece(m, ctx.ts, piece, found);
            }
        }
        if map && m.map.iter().any(|e| e.sms.is_some()) {
            self.concat_parts(m, ctx.ts, found);
        }
        self.behaviour(m, ctx, found);
        if gtp {
            self.gtp_families(m, ctx, found);
        }
    }
}

#[cfg(test)]
mod place_tests;
