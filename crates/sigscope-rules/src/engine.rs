//! The engine: every detector over one typed [`Message`] at a time, with bounded state keyed
//! by typed values (global-title digits, point codes, IP addresses), never by built strings.

use std::collections::VecDeque;
use std::net::IpAddr;

use arrayvec::ArrayVec;
use foldhash::HashMap;
use serde_json::{json, Value};
use sigscope_core::digits::Digits;
use sigscope_core::{e164, e212, AnomalyCode, Layer};
use sigscope_decode::{GtpLayer, Message, Party};
use sigscope_gtp::v1::{self, V1Value};
use sigscope_gtp::v2::{self, V2Value};
use sigscope_gtp::Message as Gtp;
use sigscope_map::param::Role;
use sigscope_map::{AddressString, MapEntry, OpCode, SmRpOa};
use sigscope_tcap::{ComponentKind, Tcap};

use crate::alert::Alert;
use crate::content::{encoded_binary, encoded_text};
use crate::policy::{Cidr, Policy};
use crate::signatures::{self as sig, Signature};

/// Most keys in each state table (rate limits, beacons, locations); a full table is emptied
/// (counted in [`Stats::state_resets`]) rather than grown.
pub const MAX_STATE_KEYS: usize = 100_000;
/// Timestamps kept per beacon key.
pub const BEACON_HISTORY: usize = 32;
/// Nested grouped GTP IEs walked when looking for private extensions.
pub const MAX_IE_DEPTH: usize = 4;
/// Distinct subscribers remembered per global title for the harvesting count (the threshold
/// is capped by it).
pub const MAX_HARVEST_SUBSCRIBERS: usize = 256;
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
        let nibble = |c: u8| char::from(c).to_digit(16);
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
        let mut h = std::hash::BuildHasher::build_hasher(&foldhash::fast::FixedState::with_seed(
            DIGIT_KEY_SEED,
        ));
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
const DIGIT_KEY_SEED: u64 = 0x5167_5c0e_d1a1_0001;

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
    times: VecDeque<f64>,
    sizes: VecDeque<u64>,
    alerted_at: Option<f64>,
}

#[derive(Debug, Default)]
struct Harvest {
    start: f64,
    subscribers: Vec<u64>,
    alerted: bool,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    country: &'static str,
    ts: f64,
    node: DigitKey,
}

/// The detection engine.
#[derive(Debug)]
pub struct Engine {
    policy: Policy,
    peers: Vec<Cidr>,
    limits: HashMap<(u32, Pair), (f64, u64)>,
    beacons: HashMap<BeaconKey, Beacon>,
    locations: HashMap<DigitKey, Seen>,
    first_ts: Option<f64>,
    unsolicited: HashMap<Pair, (u32, f64)>,
    harvest: HashMap<DigitKey, Harvest>,
    stats: Stats,
    /// Scratch text (USSD / SMS decoded for the content checks), reused.
    text: String,
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
    suppressed: u64,
    resets: u64,
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
            Some((last, held)) if ts - *last < self.window && ts >= *last => {
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
        Engine {
            peers: policy.gtp_peer_blocks(),
            policy,
            limits: HashMap::default(),
            beacons: HashMap::default(),
            locations: HashMap::default(),
            first_ts: None,
            unsolicited: HashMap::default(),
            harvest: HashMap::default(),
            stats: Stats::default(),
            text: String::new(),
        }
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
        let ctx = Ctx {
            ts: m.ts_nanos as f64 / 1e9,
            pair: ends(m),
        };
        // the rate limit is applied as each detector fires, so that evidence is built only
        // for alerts that go out (nothing is allocated for a suppressed one)
        let mut limits = std::mem::take(&mut self.limits);
        let mut found = Hits {
            limits: &mut limits,
            pair: ctx.pair,
            ts: ctx.ts,
            window: self.policy.thresholds.alert_window_s,
            seen: ArrayVec::new(),
            out: Vec::new(),
            suppressed: 0,
            resets: 0,
        };
        self.structure(m, &mut found);
        self.content(m, &mut found);
        self.behaviour(m, &ctx, &mut found);
        let Hits {
            out: hits,
            suppressed,
            resets,
            ..
        } = found;
        self.limits = limits;
        self.stats.suppressed += suppressed;
        self.stats.state_resets += resets;
        for (s, evidence, held) in hits {
            self.stats.alerts += 1;
            *self.stats.per_signature.entry(s.id).or_default() += 1;
            out(Alert {
                sig: s,
                frame: m.frame,
                ts_nanos: m.ts_nanos,
                src: m.endpoints.map(|e| e.src),
                dst: m.endpoints.map(|e| e.dst),
                sport: m.endpoints.map(|e| e.sport),
                dport: m.endpoints.map(|e| e.dport),
                evidence,
                suppressed: held,
            });
        }
    }

    // ---------------------------------------------------------------- structure

    fn structure(&self, m: &Message<'_>, found: &mut Hits<'_>) {
        if let Some(g) = &m.gtp {
            self.gtp_echo(g, found);
        }
        let mut digits_reported = false;
        for a in m.anomalies {
            let s = match (a.layer, a.code) {
                (
                    Layer::Gtp,
                    AnomalyCode::HeaderLengthMismatch
                    | AnomalyCode::TrailingBytes
                    | AnomalyCode::HeaderTruncated,
                ) => Some(&sig::GTP_LENGTH_MISMATCH),
                (Layer::Gtp, AnomalyCode::UnassignedMessageType) => Some(&sig::GTP_UNASSIGNED_TYPE),
                (Layer::Gtp, AnomalyCode::NotGtp) => Some(&sig::NOT_GTP_ON_GTP_PORT),
                (
                    Layer::Gtp,
                    AnomalyCode::GtpInGtpu
                    | AnomalyCode::GtpuOnControlPort
                    | AnomalyCode::GtpcOnUserPort,
                ) => Some(&sig::GTP_TUNNEL_ABUSE),
                (Layer::Sccp, AnomalyCode::SccpDataNotTcap) => Some(&sig::SCCP_NOT_TCAP),
                (Layer::Tcap, AnomalyCode::TcapMalformed) => Some(&sig::TCAP_MALFORMED),
                (
                    _,
                    AnomalyCode::NonDigitNibble
                    | AnomalyCode::GtNonDigitSignal
                    | AnomalyCode::TbcdNonDigit,
                ) if !digits_reported => {
                    digits_reported = true;
                    Some(&sig::IDENTITY_NOT_DIGITS)
                }
                _ => None,
            };
            if let Some(s) = s {
                if !found.seen(s.id) {
                    found.hit(s, || json!({"anomaly": a.code.as_str(), "layer": a.layer.as_str(), "offset": a.offset,
                               "value": a.value, "detail": a.detail}));
                }
            }
        }
    }

    /// A valid Echo carries only Recovery, Private Extension and (v2) Sending Node Features.
    fn gtp_echo(&self, g: &GtpLayer<'_>, found: &mut Hits<'_>) {
        let msg = &g.decoded.message;
        let ty = msg.message_type();
        if !(ty == GTP_ECHO_REQUEST || ty == GTP_ECHO_RESPONSE) {
            return;
        }
        let max = self.policy.thresholds.echo_private_extension_max;
        // (type, name, len) of every top-level IE, with the private extension's enterprise
        let mut bad: ArrayVec<(u8, Option<&'static str>, usize), MAX_LISTED_IES> = ArrayVec::new();
        let mut large: Option<(usize, Option<u16>)> = None;
        let (protocol, length) = match msg {
            Gtp::V1(m) => {
                for ie in m.ies().map_while(Result::ok) {
                    self.echo_ie_v1(&ie, &mut bad, &mut large, max);
                }
                ("gtpv1", u64::from(m.length()))
            }
            Gtp::V0(m) => {
                for ie in m.ies().map_while(Result::ok) {
                    self.echo_ie_v1(&ie, &mut bad, &mut large, max);
                }
                ("gtpv0", u64::from(m.length()))
            }
            Gtp::V2(m) => {
                for ie in m.ies().map_while(Result::ok) {
                    if !V2_ECHO_IES.contains(&ie.ie_type.0) {
                        let _ = bad.try_push((ie.ie_type.0, ie.ie_type.name(), ie.value.len()));
                    }
                    if ie.ie_type == v2::IeType::PRIVATE_EXTENSION
                        && large.is_none()
                        && ie.value.len().saturating_sub(2) > max
                    {
                        let ent = match ie.decode() {
                            Ok(V2Value::PrivateExtension { enterprise, .. }) => Some(enterprise),
                            _ => None,
                        };
                        large = Some((ie.value.len(), ent));
                    }
                }
                ("gtpv2", u64::from(m.length()))
            }
            _ => return,
        };
        if !bad.is_empty() {
            found.hit(&sig::GTP_ECHO_UNEXPECTED_IE, || {
                let list: Vec<Value> = bad
                    .iter()
                    .map(|(t, n, l)| json!({"type": t, "name": n, "len": l}))
                    .collect();
                json!({"message": gtp_name(g), "protocol": protocol, "unexpected_ies": list, "length": length})
            });
        }
        if let Some((len, enterprise)) = large {
            // the IE length counts the 2-octet enterprise id too
            found.hit(&sig::GTP_ECHO_LARGE_PRIVATE_EXTENSION, || {
                json!({"message": gtp_name(g), "private_extension_len": len, "max": max, "enterprise": enterprise})
            });
        }
    }

    fn echo_ie_v1(
        &self,
        ie: &v1::Ie<'_>,
        bad: &mut ArrayVec<(u8, Option<&'static str>, usize), MAX_LISTED_IES>,
        large: &mut Option<(usize, Option<u16>)>,
        max: usize,
    ) {
        if !V1_ECHO_IES.contains(&ie.ie_type.0) {
            let _ = bad.try_push((ie.ie_type.0, ie.name(), ie.value.len()));
        }
        if ie.ie_type == v1::IeType::PRIVATE_EXTENSION
            && large.is_none()
            && ie.value.len().saturating_sub(2) > max
        {
            let ent = match ie.decode() {
                Ok(V1Value::PrivateExtension { enterprise, .. }) => Some(enterprise),
                _ => None,
            };
            *large = Some((ie.value.len(), ent));
        }
    }

    // ---------------------------------------------------------------- content

    fn content(&mut self, m: &Message<'_>, found: &mut Hits<'_>) {
        let t = self.policy.thresholds.clone();
        for e in m.map {
            let Some(p) = &e.param else { continue };
            if let Some(u) = &p.ussd {
                self.text.clear();
                if u.text_into(&mut self.text) {
                    let text = self.text.as_str();
                    if let Some(v) = encoded_text(text, t.encoded_min_len, t.text_entropy_bits) {
                        found.hit(&sig::USSD_ENCODED_PAYLOAD, || json!({"operation": e.operation(), "ussd": text, "encoding": v.kind,
                                   "entropy": round(v.entropy, 2), "len": v.len, "msisdn": opt_str(msisdn(e).as_ref())}));
                    }
                }
            }
            if let Some(tp) = &e.sms {
                self.text.clear();
                if tp
                    .user_data
                    .as_ref()
                    .is_some_and(|u| u.text_into(&mut self.text))
                {
                    let text = self.text.as_str();
                    if let Some(v) = encoded_text(text, t.encoded_min_len, t.text_entropy_bits) {
                        let originator = match (&tp.address, tp.kind) {
                            (Some(a), sigscope_map::sms::TpduKind::Deliver) => {
                                Value::from(a.text())
                            }
                            _ => Value::Null,
                        };
                        found.hit(&sig::SMS_ENCODED_PAYLOAD, || json!({"operation": e.operation(), "sms_text": text, "encoding": v.kind,
                                   "entropy": round(v.entropy, 2), "len": v.len, "originator": originator}));
                    }
                }
            }
            let mut bad = Vec::new();
            if let Some(imsi) = imsi(e) {
                let s = imsi.as_str();
                let mcc_known = s
                    .get(..3)
                    .and_then(|m| m.parse::<u16>().ok())
                    .and_then(e212::mcc_country)
                    .is_some();
                if digits_ok(s) && (!(6..=15).contains(&s.len()) || !mcc_known) {
                    bad.push(json!({"imsi": s, "len": s.len()}));
                }
            }
            if let Some(msisdn) = msisdn(e) {
                let s = msisdn.as_str();
                if digits_ok(s) && s.len() > 15 {
                    bad.push(json!({"msisdn": s, "len": s.len()}));
                }
            }
            if !bad.is_empty() && !found.seen(sig::IDENTITY_MALFORMED.id) {
                found.hit(
                    &sig::IDENTITY_MALFORMED,
                    || json!({"operation": e.operation(), "identities": bad}),
                );
            }
        }
        if let Some(g) = &m.gtp {
            let pe = match &g.decoded.message {
                Gtp::V2(x) => self.private_ext_v2(x.ies(), 0),
                Gtp::V1(x) if !x.is_gpdu() => self.private_ext_v1(x.ies()),
                Gtp::Prime(x) => self.private_ext_v1(x.ies()),
                Gtp::V0(x) if x.message_type().0 != GTP_GPDU => self.private_ext_v1(x.ies()),
                _ => None,
            };
            if let Some((enterprise, v)) = pe {
                found.hit(&sig::PRIVATE_EXTENSION_PAYLOAD, || {
                    json!({"message": gtp_name(g), "enterprise": enterprise, "encoding": v.kind,
                           "entropy": round(v.entropy, 2), "len": v.len})
                });
            }
            if let Some(imsi) = &g.summary.imsi {
                let s = imsi.as_str();
                if digits_ok(s) && !(6..=15).contains(&s.len()) {
                    found.hit(
                        &sig::IDENTITY_MALFORMED,
                        || json!({"message": gtp_name(g), "imsi": s, "len": s.len()}),
                    );
                }
            }
        }
    }

    fn private_ext_v1(&self, ies: v1::IeIter<'_>) -> Option<(u16, crate::content::Verdict)> {
        let t = &self.policy.thresholds;
        for ie in ies.map_while(Result::ok) {
            if ie.ie_type != v1::IeType::PRIVATE_EXTENSION {
                continue;
            }
            if let Ok(V1Value::PrivateExtension { enterprise, value }) = ie.decode() {
                if let Some(v) = encoded_binary(value, t.binary_min_len, t.binary_entropy_bits) {
                    return Some((enterprise, v));
                }
            }
        }
        None
    }

    fn private_ext_v2(
        &self,
        ies: v2::IeIter<'_>,
        depth: usize,
    ) -> Option<(u16, crate::content::Verdict)> {
        if depth > MAX_IE_DEPTH {
            return None;
        }
        let t = &self.policy.thresholds;
        for ie in ies.map_while(Result::ok) {
            match ie.decode() {
                Ok(V2Value::Grouped(inner)) => {
                    if let Some(r) = self.private_ext_v2(inner, depth + 1) {
                        return Some(r);
                    }
                }
                Ok(V2Value::PrivateExtension { enterprise, value }) => {
                    if let Some(v) = encoded_binary(value, t.binary_min_len, t.binary_entropy_bits)
                    {
                        return Some((enterprise, v));
                    }
                }
                _ => {}
            }
        }
        None
    }

    // ---------------------------------------------------------------- behaviour

    fn behaviour(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
        let ts = ctx.ts;
        let first = *self.first_ts.get_or_insert(ts);
        let warm = ts - first >= self.policy.thresholds.unsolicited_warmup_s;
        for a in m.anomalies {
            if warm
                && matches!(
                    a.code,
                    AnomalyCode::UnmatchedResponse | AnomalyCode::TcapResponseWithoutRequest
                )
            {
                let key = ctx.pair;
                let t = &self.policy.thresholds;
                let (window, min) = (t.alert_window_s, t.unsolicited_min_count.max(1));
                if !self.unsolicited.contains_key(&key) {
                    bounded(&mut self.unsolicited, &mut self.stats.state_resets);
                }
                let e = self.unsolicited.entry(key).or_insert((0, ts));
                if ts - e.1 > window || ts < e.1 {
                    *e = (0, ts);
                }
                e.0 += 1;
                if e.0 >= min {
                    let (tcap, dtid) = match m.tcap.as_ref().map(|t| &t.tcap) {
                        Some(Tcap::Itu(x)) => (
                            Value::from(x.msg_type.to_string()),
                            x.dtid.map_or(Value::Null, |d| d.hex().as_str().into()),
                        ),
                        Some(Tcap::Ansi(x)) => (
                            Value::from(x.package.to_string()),
                            x.rtid.map_or(Value::Null, |d| d.hex().as_str().into()),
                        ),
                        None => (Value::Null, Value::Null),
                    };
                    found.hit(&sig::UNSOLICITED_RESPONSE, || json!({"anomaly": a.code.as_str(), "count": e.0, "within_s": round(ts - e.1, 3),
                               "gtp": m.gtp.as_ref().map_or(Value::Null, gtp_name), "tcap": tcap, "dtid": dtid}));
                }
                break;
            }
        }
        if !m.map.is_empty() {
            self.map_behaviour(m, ctx, found);
        }
        if let Some(g) = &m.gtp {
            self.gtp_behaviour(m, g, ctx, found);
        }
    }

    /// Is a calling global title foreign? With home prefixes: not one of them. Without:
    /// its country differs from the called global title's.
    fn foreign(&self, calling: &Party<'_>, called: Option<&Party<'_>>) -> Option<bool> {
        let h = &self.policy.home.gt_prefixes;
        let c = calling.digits_str()?;
        if !h.is_empty() {
            return Some(!h.iter().any(|p| c.starts_with(p.as_str())));
        }
        let a = country_code(calling)?;
        let b = country_code(called?)?;
        Some(a.cc != b.cc || (a.iso != b.iso && !a.iso.is_empty() && !b.iso.is_empty()))
    }

    /// Is an IMSI a home subscriber's? With home PLMNs: one of them. Without: its country is
    /// the country of the network being asked (the called global title).
    fn home_imsi(&self, imsi: &str, called: Option<&Party<'_>>) -> Option<bool> {
        let h = &self.policy.home.plmns;
        if !h.is_empty() {
            return Some(h.iter().any(|p| imsi.starts_with(p.as_str())));
        }
        let p = e212::plmn_of(imsi)?;
        let c = country_code(called?)?;
        Some(!p.iso.is_empty() && p.iso == c.iso)
    }

    fn map_behaviour(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
        let ts = ctx.ts;
        let (calling, called) = m.parties();
        let calling = calling.filter(|p| p.digits.is_some());
        let called = called.filter(|p| p.digits.is_some());
        let calling_country = calling.and_then(Party::country_name);
        let size = m
            .sccp
            .as_ref()
            .and_then(|s| s.msg.data)
            .map(|d| d.value.len() as u64);
        let allowed = &self.policy.interconnect.allowed_countries;
        if let (Some(c), Some(cc)) = (calling, calling_country) {
            if !allowed.is_empty()
                && !allowed.iter().any(|a| a.eq_ignore_ascii_case(cc))
                && self.foreign(c, called) != Some(false)
            {
                found.hit(&sig::PEER_OUTSIDE_INTERCONNECT, || json!({"calling_gt": c.digits_str(), "country": cc, "allowed_countries": allowed}));
            }
        }
        for e in m.map {
            if e.component != ComponentKind::Invoke {
                continue;
            }
            let Some(op) = e.opcode.and_then(OpCode::from_local) else {
                continue;
            };
            let imsi = imsi(e);
            let msisdn = msisdn(e);
            let evidence = || {
                json!({"operation": e.operation(), "opcode": op.0, "calling_gt": calling.and_then(Party::digits_str),
                       "calling_country": calling_country, "called_gt": called.and_then(Party::digits_str),
                       "called_country": called.and_then(Party::country_name),
                       "imsi": opt_str(imsi.as_ref()), "msisdn": opt_str(msisdn.as_ref()), "requested_info": requested_info(e)})
            };
            let fs = &self.policy.fs11;
            if let Some(c) = calling {
                let foreign = self.foreign(c, called) == Some(true);
                if fs.category1.contains(&op.0) && foreign {
                    found.hit(&sig::FS11_CATEGORY1, evidence);
                }
                if fs.category2.contains(&op.0)
                    && foreign
                    && imsi.and_then(|i| self.home_imsi(i.as_str(), called)) == Some(true)
                {
                    found.hit(&sig::FS11_CATEGORY2, evidence);
                }
            }
            if fs.category3.contains(&op.0) {
                self.velocity(e, imsi, calling, ts, found);
            }
            if ROUTING_INFO_OPS.contains(&op) {
                if let Some(c) = calling {
                    if self.foreign(c, called) == Some(true) {
                        if let Some(who) = msisdn.or(imsi) {
                            self.harvesting(c, e, &who, op, ts, found);
                        }
                    }
                }
            }
            // beaconing: the same operation between the same global titles
            if let Some(ev) = self.beacon(BeaconKey::Map(ctx.pair, op.0), ts, size) {
                found.hit(&sig::BEACONING, || json!({"operation": e.operation(), "from": ctx.pair.0.to_json(), "to": ctx.pair.1.to_json(), "timing": ev}));
            }
        }
    }

    /// Many distinct subscribers looked up by one foreign global title within the window.
    fn harvesting(
        &mut self,
        calling: &Party<'_>,
        e: &MapEntry<'_>,
        who: &Digits,
        op: OpCode,
        ts: f64,
        found: &mut Hits<'_>,
    ) {
        let Some(digits) = &calling.digits else {
            return;
        };
        let gt = DigitKey::of(digits.as_str());
        let t = &self.policy.thresholds;
        let (need, window) = (
            t.harvest_subscribers.clamp(2, MAX_HARVEST_SUBSCRIBERS),
            t.harvest_window_s,
        );
        if !self.harvest.contains_key(&gt) {
            bounded(&mut self.harvest, &mut self.stats.state_resets);
        }
        let h = self.harvest.entry(gt).or_default();
        if h.subscribers.is_empty() || ts - h.start > window || ts < h.start {
            h.start = ts;
            h.subscribers.clear();
            h.alerted = false;
        }
        // a 64-bit digest of the subscriber (FNV-1a): the set stays small and fixed-size
        let digest = who.as_str().bytes().fold(0xcbf2_9ce4_8422_2325u64, |a, b| {
            (a ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        if !h.subscribers.contains(&digest) && h.subscribers.len() < MAX_HARVEST_SUBSCRIBERS {
            h.subscribers.push(digest);
        }
        if h.subscribers.len() >= need && !h.alerted {
            h.alerted = true;
            found.hit(&sig::SUBSCRIBER_HARVESTING, || {
                json!({"calling_gt": digits.as_str(), "operation": e.operation(), "opcode": op.0,
                       "subscribers": h.subscribers.len(), "within_s": round(ts - h.start, 3),
                       "window_s": window})
            });
        }
    }

    /// FS.11 category 3: the VLR/SGSN a subscriber updates from moves to another country
    /// faster than anyone travels.
    fn velocity(
        &mut self,
        e: &MapEntry<'_>,
        imsi: Option<Digits>,
        calling: Option<&Party<'_>>,
        ts: f64,
        found: &mut Hits<'_>,
    ) {
        let Some(imsi) = imsi else { return };
        let node = address(e, Role::VLR_NUMBER)
            .or_else(|| address(e, Role::SGSN_NUMBER))
            .or_else(|| address(e, Role::MSC_NUMBER))
            .map(|a| a.digits())
            .or_else(|| calling.and_then(|c| c.digits));
        let Some(node) = node else { return };
        let Some(country) =
            e164::country_of(node.as_str()).map(|c| if c.iso.is_empty() { c.cc } else { c.iso })
        else {
            return;
        };
        let window = self.policy.thresholds.velocity_window_s;
        let key = DigitKey::of(imsi.as_str());
        if let Some(prev) = self.locations.get(&key) {
            let dt = ts - prev.ts;
            if prev.country != country && (0.0..window).contains(&dt) {
                found.hit(&sig::FS11_CATEGORY3_VELOCITY, || json!({"operation": e.operation(), "imsi": imsi.as_str(), "from_country": prev.country,
                           "from_node": prev.node.text(), "to_country": country, "to_node": node.as_str(),
                           "seconds": round(dt, 3), "window_s": window}));
            }
        } else {
            bounded(&mut self.locations, &mut self.stats.state_resets);
        }
        self.locations.insert(
            key,
            Seen {
                country,
                ts,
                node: DigitKey::of(node.as_str()),
            },
        );
    }

    /// Record one event for `key`; `Some(evidence)` the first time its last
    /// `beacon_min_events` events are regular in period and constant in size (again after
    /// an hour).
    fn beacon(&mut self, key: BeaconKey, ts: f64, size: Option<u64>) -> Option<Value> {
        let t = &self.policy.thresholds;
        let (n, max_cv, min_period) = (t.beacon_min_events, t.beacon_max_cv, t.beacon_min_period_s);
        if !self.beacons.contains_key(&key) {
            bounded(&mut self.beacons, &mut self.stats.state_resets);
        }
        // the history is sized once per key: nothing grows per event afterwards
        let keep = BEACON_HISTORY.max(n);
        let b = self.beacons.entry(key).or_insert_with(|| Beacon {
            times: VecDeque::with_capacity(keep + 1),
            sizes: VecDeque::with_capacity(keep + 1),
            alerted_at: None,
        });
        b.times.push_back(ts);
        b.sizes.push_back(size.unwrap_or(0));
        while b.times.len() > keep {
            b.times.pop_front();
            b.sizes.pop_front();
        }
        if b.times.len() < n || n < 2 || b.alerted_at.is_some_and(|a| ts - a < 3600.0) {
            return None;
        }
        // the last n timestamps: n - 1 gaps, mean and spread computed in place
        let skip = b.times.len() - n;
        let gaps = || {
            b.times
                .iter()
                .skip(skip)
                .zip(b.times.iter().skip(skip + 1))
                .map(|(a, c)| c - a)
        };
        let count = (n - 1) as f64;
        let mean = gaps().sum::<f64>() / count;
        if mean < min_period {
            return None;
        }
        let var = gaps().map(|g| (g - mean).powi(2)).sum::<f64>() / count;
        let cv = var.sqrt() / mean;
        let first_size = b.sizes.back().copied();
        let constant = b.sizes.iter().rev().take(n).all(|s| Some(*s) == first_size);
        if cv <= max_cv && constant {
            b.alerted_at = Some(ts);
            return Some(
                json!({"events": n, "period_s": round(mean, 3), "cv": round(cv, 3), "size": first_size}),
            );
        }
        None
    }

    fn gtp_behaviour(
        &mut self,
        m: &Message<'_>,
        g: &GtpLayer<'_>,
        ctx: &Ctx,
        found: &mut Hits<'_>,
    ) {
        if let (false, Some(e)) = (self.peers.is_empty(), &m.endpoints) {
            let outside: Vec<Value> = [e.src, e.dst]
                .into_iter()
                .filter(|ip| !self.peers.iter().any(|c| c.contains(*ip)))
                .map(|ip| Value::from(ip.to_string()))
                .collect();
            if !outside.is_empty() {
                found.hit(
                    &sig::PEER_OUTSIDE_INTERCONNECT,
                    || json!({"gtp": gtp_name(g), "outside": outside}),
                );
            }
        }
        let msg = &g.decoded.message;
        let ty = msg.message_type();
        let length = match msg {
            Gtp::V1(x) => Some(u64::from(x.length())),
            Gtp::V2(x) => Some(u64::from(x.length())),
            Gtp::Prime(x) => Some(u64::from(x.length())),
            Gtp::V0(x) => Some(u64::from(x.length())),
            Gtp::Runt(_) => None,
            Gtp::NotGtp(_) => return,
        };
        // Echo is a keepalive (periodic by design), G-PDU is user traffic: neither beacons.
        if !matches!(ty, GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE | GTP_GPDU) {
            let key = BeaconKey::Gtp(ctx.pair, msg.version(), ty);
            if let Some(ev) = self.beacon(key, ctx.ts, length) {
                found.hit(&sig::BEACONING, || json!({"gtp": gtp_name(g), "from": ctx.pair.0.to_json(), "to": ctx.pair.1.to_json(), "timing": ev}));
            }
        }
    }
}
