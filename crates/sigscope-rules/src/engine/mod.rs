//! The engine: every detector over one typed [`Message`] at a time, with bounded state keyed
//! by typed values (global-title digits, point codes, IP addresses), never by built strings.

use std::net::IpAddr;

use arrayvec::ArrayVec;
use foldhash::HashMap;
use serde_json::Value;
use sigscope_core::digits::Digits;
use sigscope_core::e164;
use sigscope_decode::{GtpLayer, Message, Party};
use sigscope_gtp::v1::{self};
use sigscope_gtp::v2::{self};
use sigscope_map::param::Role;
use sigscope_map::{AddressString, MapEntry, OpCode, SmRpOa};

mod behaviour;
mod content;
pub mod exploit;
pub mod flow;
mod gtp_door;
mod gtp_peers;
pub mod misuse;
pub mod sigtran;
mod structure;
mod tunnel;

use flow::{Flag, FlowParts, Flows, Recent};

use crate::alert::{Alert, SigRef};
use crate::policy::{Cidr, Policy};
use crate::signatures::Signature;
use crate::user::RuleSet;

/// Digits of a VLR/SGSN/MSC number kept for velocity evidence (longer ones are cut).
pub const MAX_NODE_DIGITS: usize = 32;

/// A node's digits for evidence, cut at [`MAX_NODE_DIGITS`] characters.
fn node_text(d: &str) -> arrayvec::ArrayString<MAX_NODE_DIGITS> {
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

/// A digit string (global title, IMSI, MSISDN) as a compact key: up to 16 hex digits packed
/// four bits each with the length, else a 64-bit hash of the text with the length (global
/// titles longer than 16 digits do not occur in practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DigitKey {
    packed: u64,
    len: u8,
    hashed: bool,
}

impl DigitKey {
    /// The key of a digit string.
    pub fn of(d: &str) -> DigitKey {
        let b = d.as_bytes();
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(u32::from(c - b'0')),
            b'a'..=b'f' => Some(u32::from(c - b'a' + 10)),
            b'A'..=b'F' => Some(u32::from(c - b'A' + 10)),
            _ => None,
        };
        if b.len() <= 16 {
            let mut packed = 0u64;
            let ok = b.iter().try_for_each(|c| {
                packed = (packed << 4) | u64::from(nibble(*c)?);
                Some(())
            });
            if ok.is_some() {
                return DigitKey {
                    packed,
                    len: b.len() as u8,
                    hashed: false,
                };
            }
        }
        let mut h =
            std::hash::BuildHasher::build_hasher(DIGIT_KEY_STATE.get_or_init(Default::default));
        std::hash::Hasher::write(&mut h, b);
        DigitKey {
            packed: std::hash::Hasher::finish(&h),
            len: b.len().min(usize::from(u8::MAX)) as u8,
            hashed: true,
        }
    }

    /// The digits back (`#<hash>` for a hashed key).
    pub fn text(&self) -> String {
        if self.hashed {
            return format!("#{:016x}", self.packed);
        }
        (0..self.len)
            .rev()
            .filter_map(|i| {
                let v = (self.packed >> (4 * u32::from(i))) & 0xf;
                char::from_digit(v as u32, 16)
            })
            .collect()
    }
}

/// Seed of the hash of digit strings too long to pack (keys only; never shown).
static DIGIT_KEY_STATE: std::sync::OnceLock<foldhash::quality::RandomState> =
    std::sync::OnceLock::new();

/// One end of a message, as detection names it: the SCCP global title, else the point
/// code, else the IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum End {
    /// Global-title digits.
    Gt(DigitKey),
    /// Signalling point code.
    Pc(u32),
    /// IP address.
    Ip(IpAddr),
    /// Nothing known.
    Unknown,
}

impl End {
    /// As evidence shows it: digits, `pc<n>`, the address, or empty.
    pub fn to_json(&self) -> Value {
        match self {
            End::Gt(d) => d.text().into(),
            End::Pc(p) => format!("pc{p}").into(),
            End::Ip(a) => a.to_string().into(),
            End::Unknown => "".into(),
        }
    }
}

/// Ordered pair of ends (from, to): the key of rate limits and per-pair state.
type Pair = (End, End);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum BeaconKey {
    Map(Pair, u8),
    Gtp(Pair, u8, u8),
}

#[derive(Debug)]
struct Beacon {
    /// Time of the key's first event in the ring (seconds): the times are offsets from it.
    base: f64,
    /// The last events, a ring written at `next`: times in milliseconds since `base`, sizes
    /// (saturated at 65,535 octets). No heap; nothing grows.
    times: [u32; BEACON_HISTORY],
    sizes: [u16; BEACON_HISTORY],
    next: u8,
    count: u8,
    alerted_at: Option<f64>,
}

impl Beacon {
    const fn new() -> Self {
        Beacon {
            base: 0.0,
            times: [0; BEACON_HISTORY],
            sizes: [0; BEACON_HISTORY],
            next: 0,
            count: 0,
            alerted_at: None,
        }
    }

    /// Record one event at `ts` (seconds). An event before the key's base, or further from
    /// it than a `u32` of milliseconds spans (49 days), starts the history afresh from it.
    fn push(&mut self, ts: f64, size: u16) {
        if self.count == 0 {
            self.base = ts;
        }
        let offset = (ts - self.base) * 1e3;
        if !(0.0..=f64::from(u32::MAX)).contains(&offset) {
            self.base = ts;
            self.next = 0;
            self.count = 0;
        }
        let ms = ((ts - self.base) * 1e3) as u32;
        let at = usize::from(self.next);
        if let (Some(t), Some(s)) = (self.times.get_mut(at), self.sizes.get_mut(at)) {
            *t = ms;
            *s = size;
        }
        self.next = ((at + 1) % BEACON_HISTORY) as u8;
        self.count = (usize::from(self.count) + 1).min(BEACON_HISTORY) as u8;
    }

    /// The last `n` events (seconds since the key's base, size), oldest first
    /// (fewer when fewer were seen).
    fn last(&self, n: usize) -> impl Iterator<Item = (f64, u16)> + '_ {
        let n = n.min(usize::from(self.count));
        let start = usize::from(self.next) + BEACON_HISTORY - n;
        (0..n).filter_map(move |i| {
            let at = (start + i) % BEACON_HISTORY;
            Some((f64::from(*self.times.get(at)?) / 1e3, *self.sizes.get(at)?))
        })
    }
}

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
}

#[derive(Debug, Default)]
struct Harvest {
    /// Distinct subscribers looked up within the slow window, oldest first.
    lookups: Vec<Lookup>,
    /// Short messages this global title delivered (mt-/mo-ForwardSM) since `deliveries_since`.
    deliveries: u32,
    deliveries_since: f64,
    /// Alerts go on until then (the rest of the window once it has alerted).
    alerting_until: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    country: &'static str,
    ts: f64,
    /// The node's digits as evidence shows them (cut at [`MAX_NODE_DIGITS`]).
    node: arrayvec::ArrayString<MAX_NODE_DIGITS>,
    /// A node the subscriber was moved to by impossible travel, and until when short
    /// messages delivered there are interception.
    suspect: Option<(DigitKey, f64)>,
}

/// The detection engine.
#[derive(Debug)]
pub struct Engine {
    policy: Policy,
    peers: Vec<Cidr>,
    /// Signatures switched off by the policy (sorted ids).
    disabled: Vec<u32>,
    limits: HashMap<(u32, Pair), (f64, u64)>,
    /// Beacon state by a 64-bit digest of its key (seeded per engine): compared and hashed
    /// as one integer.
    beacons: HashMap<u64, Beacon>,
    /// Keys seen once (time, size): most pairs never repeat a message, so their history
    /// starts in this small table and moves to `beacons` on the second event.
    beacon_first: HashMap<u64, (f64, u16)>,
    beacon_keys: foldhash::fast::RandomState,
    locations: HashMap<DigitKey, Seen>,
    first_ts: Option<f64>,
    unsolicited: HashMap<Pair, (u32, f64)>,
    harvest: HashMap<DigitKey, Harvest>,
    stats: Stats,
    /// Scratch text (USSD / SMS decoded for the content checks), reused.
    text: String,
    /// Flagged flows and the recent messages (for tagging whole exchanges).
    flows: Box<Flows>,
    /// State of the GTP families (peers in sessions, rogue session peers, DNS in tunnels).
    fam: gtp_peers::GtpFamilies,
    /// Operator rules.
    rules: Option<RuleSet>,
}

fn bounded<K, V>(m: &mut HashMap<K, V>, resets: &mut u64) {
    if m.len() >= MAX_STATE_KEYS {
        m.clear();
        *resets += 1;
    }
}

fn party_end(p: Option<&Party<'_>>) -> Option<End> {
    let p = p?;
    if let Some(d) = &p.digits {
        return Some(End::Gt(DigitKey::of(d.as_str())));
    }
    p.address.pc.map(End::Pc)
}

/// Who sent / received a message: global titles (or point codes) for SS7, IPs otherwise.
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

/// Most distinct signatures one message raises (a message cannot raise more: there are
/// fewer signatures).
const MAX_HITS: usize = 32;

/// The findings of one message, rate-limited as they are found: `hit` builds the evidence
/// only when the alert is admitted.
struct Hits<'l> {
    limits: &'l mut HashMap<(u32, Pair), (f64, u64)>,
    pair: Pair,
    ts: f64,
    window: f64,
    /// Signature ids found in this message, admitted or not.
    seen: ArrayVec<u32, MAX_HITS>,
    /// Admitted: signature, evidence, alerts held back before it.
    out: Vec<(&'static Signature, Value, u64)>,
    /// Earlier messages (frame, time) a detector names as part of what it found (a harvest's
    /// first lookups): reported as tagged members of the alert's flow.
    earlier: Vec<(u64, u64)>,
    suppressed: u64,
    resets: u64,
    /// The signature that flagged this message's flow, if it is flagged: the rate limit
    /// never hides the first alert of a signature in a flow.
    flagged_by: Option<u32>,
}

impl Hits<'_> {
    /// Whether `id` was found in this message already.
    fn seen(&self, id: u32) -> bool {
        self.seen.contains(&id)
    }

    /// `s` fired: rate-limit it per signature and pair, and keep it with its evidence when
    /// admitted.
    fn hit(&mut self, s: &'static Signature, evidence: impl FnOnce() -> Value) {
        if !self.seen(s.id) {
            let _ = self.seen.try_push(s.id);
        }
        let ts = self.ts;
        let key = (s.id, self.pair);
        let held = match self.limits.get_mut(&key) {
            Some((last, held))
                if ts - *last < self.window && ts >= *last && self.flagged_by == Some(s.id) =>
            {
                *held += 1;
                self.suppressed += 1;
                return;
            }
            Some((last, held)) => {
                *last = ts;
                std::mem::take(held)
            }
            None => {
                bounded(self.limits, &mut self.resets);
                self.limits.insert(key, (ts, 0));
                0
            }
        };
        self.out.push((s, evidence(), held));
    }
}

/// What every detector of one message needs: its time and its two ends (computed once).
struct Ctx {
    ts: f64,
    pair: Pair,
}

/// Digit strings that must be digits only.
fn digits_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
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

/// The entry's MSISDN: the MSISDN address, else an SM-RP-OA MSISDN.
fn msisdn(e: &MapEntry<'_>) -> Option<Digits> {
    if let Some(a) = address(e, Role::MSISDN) {
        return Some(a.digits());
    }
    match e.param.as_ref()?.sm_rp_oa {
        Some(SmRpOa::Msisdn(a)) => Some(a.digits()),
        _ => None,
    }
}

fn imsi(e: &MapEntry<'_>) -> Option<Digits> {
    e.param.as_ref()?.imsi.map(|i| i.digits())
}

fn opt_str(d: Option<&Digits>) -> Value {
    d.map_or(Value::Null, |d| d.as_str().into())
}

fn requested_info(e: &MapEntry<'_>) -> Value {
    match e.param.as_ref().and_then(|p| p.requested_info) {
        Some(r) => Value::Array(r.names().map(Value::from).collect()),
        None => Value::Null,
    }
}

/// The E.164 country of a party's global title: the decoder's (worked out once, for E.164 /
/// E.214 numbering plans), else read from the digits whatever the numbering plan says.
fn country_code(p: &Party<'_>) -> Option<e164::Country> {
    p.country.or_else(|| e164::country_of(p.digits_str()?))
}

impl Engine {
    /// A new engine with this policy.
    pub fn new(policy: Policy) -> Self {
        let fam = gtp_peers::GtpFamilies::new(&policy);
        Engine {
            peers: policy.gtp_peer_blocks(),
            disabled: policy.disabled_ids(),
            policy,
            limits: HashMap::default(),
            beacons: HashMap::default(),
            beacon_first: HashMap::default(),
            beacon_keys: foldhash::fast::RandomState::default(),
            locations: HashMap::default(),
            first_ts: None,
            unsolicited: HashMap::default(),
            harvest: HashMap::default(),
            stats: Stats::default(),
            text: String::new(),
            flows: Box::default(),
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

    /// The beacon history of `key` with this event (`ts`, `size`) recorded; `None` the first
    /// time the key is seen (kept in the small first-seen table until it repeats). Full tables
    /// are emptied before they would grow.
    fn beacon_slot(&mut self, key: u64, ts: f64, size: u16) -> Option<&mut Beacon> {
        if !self.beacons.contains_key(&key) {
            let Some((t0, s0)) = self.beacon_first.remove(&key) else {
                if self.beacon_first.len() >= MAX_STATE_KEYS {
                    bounded(&mut self.beacon_first, &mut self.stats.state_resets);
                }
                self.beacon_first.insert(key, (ts, size));
                return None;
            };
            if self.beacons.len() >= MAX_STATE_KEYS {
                bounded(&mut self.beacons, &mut self.stats.state_resets);
            }
            let mut b = Beacon::new();
            b.push(t0, s0);
            self.beacons.insert(key, b);
        }
        let b = self.beacons.get_mut(&key)?;
        b.push(ts, size);
        Some(b)
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Look at one decoded message; alerts go to `out`.
    pub fn observe(&mut self, m: &Message<'_>, out: &mut dyn FnMut(Alert)) {
        self.stats.records += 1;
        // a matching `pass` rule suppresses every alert of the message
        let passed = self.rules.as_mut().is_some_and(|r| r.evaluate(m));
        let ctx = Ctx {
            ts: m.ts_nanos as f64 / 1e9,
            pair: ends(m),
        };
        let parts = FlowParts::of(m);
        let flag = self.flows.flag_of(&parts, ctx.ts);
        // the rate limit is applied as each detector fires, so that evidence is built only
        // for alerts that go out (nothing is allocated for a suppressed one)
        let mut limits = std::mem::take(&mut self.limits);
        // a passed message's findings go out nowhere, and take no rate-limit window either
        let mut passed_limits = HashMap::default();
        let mut found = Hits {
            limits: if passed {
                &mut passed_limits
            } else {
                &mut limits
            },
            pair: ctx.pair,
            ts: ctx.ts,
            window: self.policy.thresholds.alert_window_s,
            seen: ArrayVec::new(),
            out: Vec::new(),
            earlier: Vec::new(),
            suppressed: 0,
            resets: 0,
            flagged_by: flag.as_ref().map(|f| f.sig.id()),
        };
        self.structure(m, &mut found);
        self.exploit(m, &mut found);
        self.sigtran(m, &mut found);
        self.gtp_door(m, &mut found);
        self.content(m, &mut found);
        self.misuse(m, &mut found);
        self.behaviour(m, &ctx, &mut found);
        self.gtp_families(m, &ctx, &mut found);
        let Hits {
            out: mut hits,
            earlier,
            suppressed,
            resets,
            ..
        } = found;
        // signatures the policy switched off raise nothing and flag no flow
        if !self.disabled.is_empty() {
            hits.retain(|(s, ..)| self.disabled.binary_search(&s.id).is_err());
        }
        self.limits = limits;
        self.stats.suppressed += suppressed;
        self.stats.state_resets += resets;
        let mut recent = Recent::of(m, parts);
        let alert = |sig, evidence, suppressed, flow_id, tagged| Alert {
            sig,
            frame: m.frame,
            ts_nanos: m.ts_nanos,
            src: m.endpoints.map(|e| e.src),
            dst: m.endpoints.map(|e| e.dst),
            sport: m.endpoints.map(|e| e.sport),
            dport: m.endpoints.map(|e| e.dport),
            evidence,
            suppressed,
            flow_id,
            tagged,
        };
        let t = &self.policy.thresholds;
        let (window, max) = (t.tag_window_s, t.tag_max_per_flow);
        // built-in findings (rate-limited as found), then the operator rules' (never thinned
        // by the built-in rate limit): both flag their flow and have it tagged
        let mut findings: Vec<(SigRef, Value, u64)> = Vec::new();
        if !passed {
            findings.extend(
                hits.into_iter()
                    .map(|(s, ev, held)| (SigRef::Builtin(s), ev, held)),
            );
        }
        if let Some(r) = self.rules.as_mut() {
            r.drain(m, &mut |meta, evidence| {
                findings.push((SigRef::User(meta.clone()), evidence, 0));
            });
        }
        if !findings.is_empty() {
            recent.reported = true;
        }
        for (sig, evidence, held) in findings {
            self.stats.alerts += 1;
            *self.stats.per_signature.entry(sig.id()).or_default() += 1;
            let flow_id = flag.as_ref().map_or_else(|| parts.flow_id(), |f| f.flow_id);
            out(alert(sig.clone(), evidence, held, flow_id, false));
            let new = Flag {
                sig,
                flow_id,
                alert_frame: m.frame,
                until: ctx.ts + window,
                left: max,
            };
            // messages the detector itself names as part of the finding (not of this flow)
            for (frame, ts_nanos) in earlier.iter().take(max as usize) {
                self.stats.tagged += 1;
                out(tagged_alert(
                    &new,
                    &Recent {
                        frame: *frame,
                        ts_nanos: *ts_nanos,
                        src: None,
                        dst: None,
                        sport: None,
                        dport: None,
                        parts,
                        reported: true,
                    },
                ));
            }
            if max > 0
                && !self
                    .flows
                    .flag(&parts, new.clone(), &mut self.stats.state_resets)
            {
                // the flow's messages before this alert (still remembered) are reported too
                let since = m.ts_nanos.saturating_sub((window * 1e9) as u64);
                for r in self.flows.earlier(&parts, since, max) {
                    self.stats.tagged += 1;
                    out(tagged_alert(&new, &r));
                }
            }
        }
        if let (false, Some(f)) = (recent.reported || passed, flag) {
            recent.reported = true;
            self.stats.tagged += 1;
            self.flows.tagged(&parts, &f);
            out(tagged_alert(&f, &recent));
        }
        self.flows.remember(recent);
    }
}

/// The tagged alert of a flagged flow's message `r`.
fn tagged_alert(f: &Flag, r: &Recent) -> Alert {
    Alert {
        sig: f.sig.clone(),
        frame: r.frame,
        ts_nanos: r.ts_nanos,
        src: r.src,
        dst: r.dst,
        sport: r.sport,
        dport: r.dport,
        evidence: serde_json::json!({"flow": r.parts.kind().name(), "alert_frame": f.alert_frame}),
        suppressed: 0,
        flow_id: f.flow_id,
        tagged: true,
    }
}

#[cfg(test)]
mod beacon_tests {
    use super::*;

    /// Times are kept relative to the key's own first event: regular gaps stay regular however
    /// long the engine has run, and an event out of order or 49 days away restarts the ring.
    #[test]
    fn ring_keeps_gaps_far_from_the_engine_start() {
        let mut b = Beacon::new();
        let start = 60.0 * 86_400.0; // 60 days in
        for i in 0..20 {
            b.push(start + f64::from(i) * 30.0, 100);
        }
        let gaps: Vec<f64> = b
            .last(8)
            .zip(b.last(8).skip(1))
            .map(|((a, _), (c, _))| c - a)
            .collect();
        assert_eq!(gaps.len(), 7);
        assert!(gaps.iter().all(|g| (g - 30.0).abs() < 1e-9), "{gaps:?}");
        // an event before the base starts afresh
        b.push(start - 10.0, 1);
        assert_eq!(b.count, 1);
        // and one 50 days later too
        b.push(start + 50.0 * 86_400.0, 1);
        assert_eq!(b.count, 1);
    }
}
