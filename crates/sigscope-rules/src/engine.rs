//! The engine: every detector over one decode record at a time, with bounded state.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

use serde_json::{json, Value};
use sigscope_core::{e164, e212, AnomalyCode as Code};

use crate::alert::Alert;
use crate::content::{encoded_binary, encoded_text, unhex};
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
/// Routing-information operations: sendRoutingInfo 22, sendRoutingInfoForGprs 24,
/// sendRoutingInfoForSM 45, sendIMSI 58, sendRoutingInfoForLCS 85.
pub const ROUTING_INFO_OPS: [u8; 5] = [22, 24, 45, 58, 85];

/// Counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Records observed.
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

#[derive(Debug, Default)]
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

#[derive(Debug, Clone)]
struct Seen {
    country: String,
    ts: f64,
    node: String,
}

/// The detection engine.
#[derive(Debug)]
pub struct Engine {
    policy: Policy,
    peers: Vec<Cidr>,
    limits: HashMap<(u32, String), (f64, u64)>,
    beacons: HashMap<String, Beacon>,
    locations: HashMap<String, Seen>,
    first_ts: Option<f64>,
    unsolicited: HashMap<String, (u32, f64)>,
    harvest: HashMap<String, Harvest>,
    stats: Stats,
}

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

fn st<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

fn num(v: &Value, path: &[&str]) -> Option<u64> {
    at(v, path).and_then(Value::as_u64)
}

fn bounded<K, V>(m: &mut HashMap<K, V>, resets: &mut u64) {
    if m.len() >= MAX_STATE_KEYS {
        m.clear();
        *resets += 1;
    }
}

/// Who sent / received a record, for rate limits and evidence: IPs when there are, global
/// titles (or point codes) for SS7.
fn endpoints(rec: &Value) -> (String, String) {
    let gt = |side: &str| {
        st(rec, &["sccp", side, "gt", "digits"])
            .map(str::to_string)
            .or_else(|| num(rec, &["sccp", side, "pc"]).map(|p| format!("pc{p}")))
    };
    let pc = |k: &str| {
        num(rec, &["m3ua", k])
            .or_else(|| num(rec, &["mtp3", k]))
            .map(|p| format!("pc{p}"))
    };
    let a = gt("calling")
        .or_else(|| pc("opc"))
        .or_else(|| st(rec, &["src"]).map(str::to_string))
        .unwrap_or_default();
    let b = gt("called")
        .or_else(|| pc("dpc"))
        .or_else(|| st(rec, &["dst"]).map(str::to_string))
        .unwrap_or_default();
    (a, b)
}

/// What every detector of one record needs: its time and its two ends (computed once).
struct Ctx {
    ts: f64,
    from: String,
    to: String,
    /// `from>to`: the key of rate limits and per-pair state.
    pair: String,
}

impl Ctx {
    fn of(rec: &Value) -> Ctx {
        let (from, to) = endpoints(rec);
        Ctx {
            ts: at(rec, &["ts"]).and_then(Value::as_f64).unwrap_or(0.0),
            pair: format!("{from}>{to}"),
            from,
            to,
        }
    }
}

/// Digit strings that must be digits only.
fn digits_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

impl Engine {
    /// A new engine with this policy.
    pub fn new(policy: Policy) -> Self {
        Engine {
            peers: policy.gtp_peer_blocks(),
            policy,
            limits: HashMap::new(),
            beacons: HashMap::new(),
            locations: HashMap::new(),
            first_ts: None,
            unsolicited: HashMap::new(),
            harvest: HashMap::new(),
            stats: Stats::default(),
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

    /// Look at one decode record (the schema of `sigscope decode`); alerts go to `out`.
    pub fn observe(&mut self, rec: &Value, out: &mut dyn FnMut(Alert)) {
        self.stats.records += 1;
        let ctx = Ctx::of(rec);
        let mut found: Vec<(&'static Signature, Value)> = Vec::new();
        self.structure(rec, &mut found);
        self.content(rec, &mut found);
        self.behaviour(rec, &ctx, &mut found);
        for (s, evidence) in found {
            self.emit(rec, &ctx, s, evidence, out);
        }
    }

    fn emit(
        &mut self,
        rec: &Value,
        ctx: &Ctx,
        s: &'static Signature,
        evidence: Value,
        out: &mut dyn FnMut(Alert),
    ) {
        let ts = ctx.ts;
        let key = (s.id, ctx.pair.clone());
        let window = self.policy.thresholds.alert_window_s;
        let suppressed = match self.limits.get_mut(&key) {
            Some((last, held)) if ts - *last < window && ts >= *last => {
                *held += 1;
                self.stats.suppressed += 1;
                return;
            }
            Some((last, held)) => {
                *last = ts;
                std::mem::take(held)
            }
            None => {
                bounded(&mut self.limits, &mut self.stats.state_resets);
                self.limits.insert(key, (ts, 0));
                0
            }
        };
        self.stats.alerts += 1;
        *self.stats.per_signature.entry(s.id).or_default() += 1;
        out(Alert {
            sig: s,
            frame: num(rec, &["frame"]).unwrap_or(0),
            ts,
            src: st(rec, &["src"]).map(str::to_string),
            dst: st(rec, &["dst"]).map(str::to_string),
            sport: num(rec, &["sport"]),
            dport: num(rec, &["dport"]),
            evidence,
            suppressed,
        });
    }

    // ---------------------------------------------------------------- structure

    fn structure(&self, rec: &Value, found: &mut Vec<(&'static Signature, Value)>) {
        if let Some(g) = rec.get("gtp") {
            self.gtp_echo(g, found);
        }
        let Some(list) = rec.get("anomalies").and_then(Value::as_array) else {
            return;
        };
        let mut digits_reported = false;
        for a in list {
            let name = st(a, &["code"]).unwrap_or("");
            let layer = st(a, &["layer"]).unwrap_or("");
            let ev = || json!({"anomaly": name, "layer": layer, "offset": a.get("offset"), "value": a.get("value"), "detail": a.get("detail")});
            // by code, so records that carry a retired alias match too
            let Some(code) = Code::from_name(name) else {
                continue;
            };
            let s = match (layer, code) {
                (
                    "gtp",
                    Code::HeaderLengthMismatch | Code::TrailingBytes | Code::HeaderTruncated,
                ) => Some(&sig::GTP_LENGTH_MISMATCH),
                ("gtp", Code::UnassignedMessageType) => Some(&sig::GTP_UNASSIGNED_TYPE),
                ("gtp", Code::NotGtp) => Some(&sig::NOT_GTP_ON_GTP_PORT),
                ("gtp", Code::GtpInGtpu | Code::GtpuOnControlPort | Code::GtpcOnUserPort) => {
                    Some(&sig::GTP_TUNNEL_ABUSE)
                }
                ("sccp", Code::SccpDataNotTcap) => Some(&sig::SCCP_NOT_TCAP),
                ("tcap", Code::TcapMalformed) => Some(&sig::TCAP_MALFORMED),
                (_, Code::NonDigitNibble | Code::GtNonDigitSignal) if !digits_reported => {
                    digits_reported = true;
                    Some(&sig::IDENTITY_NOT_DIGITS)
                }
                _ => None,
            };
            if let Some(s) = s {
                if !found.iter().any(|(f, _)| f.id == s.id) {
                    found.push((s, ev()));
                }
            }
        }
    }

    /// A valid Echo carries only Recovery, Private Extension and (v2) Sending Node Features.
    fn gtp_echo(&self, g: &Value, found: &mut Vec<(&'static Signature, Value)>) {
        let proto = st(g, &["protocol"]).unwrap_or("");
        let ty = num(g, &["type"]).unwrap_or(0);
        if !(ty == 1 || ty == 2) {
            return;
        }
        let allowed: &[u64] = match proto {
            "gtpv1" | "gtpv0" => &[14, 255],
            "gtpv2" => &[3, 152, 255],
            _ => return,
        };
        let ies = g.get("ies").and_then(Value::as_array);
        let bad: Vec<Value> = ies
            .into_iter()
            .flatten()
            .filter(|ie| num(ie, &["type"]).is_some_and(|t| !allowed.contains(&t)))
            .map(|ie| json!({"type": ie.get("type"), "name": ie.get("name"), "len": ie.get("len")}))
            .collect();
        if !bad.is_empty() {
            found.push((
                &sig::GTP_ECHO_UNEXPECTED_IE,
                json!({"message": g.get("name"), "protocol": proto, "unexpected_ies": bad, "length": g.get("length")}),
            ));
        }
        let max = self.policy.thresholds.echo_private_extension_max;
        for ie in ies.into_iter().flatten() {
            if num(ie, &["type"]) == Some(255) {
                let len = num(ie, &["len"]).unwrap_or(0);
                // the IE length counts the 2-octet enterprise id too
                if len.saturating_sub(2) > max as u64 {
                    found.push((
                        &sig::GTP_ECHO_LARGE_PRIVATE_EXTENSION,
                        json!({"message": g.get("name"), "private_extension_len": len, "max": max, "enterprise": at(ie, &["value", "enterprise"])}),
                    ));
                    break;
                }
            }
        }
    }

    // ---------------------------------------------------------------- content

    fn content(&self, rec: &Value, found: &mut Vec<(&'static Signature, Value)>) {
        let t = &self.policy.thresholds;
        for m in rec
            .get("map")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(text) = st(m, &["ussd", "text"]) {
                if let Some(v) = encoded_text(text, t.encoded_min_len, t.text_entropy_bits) {
                    found.push((
                        &sig::USSD_ENCODED_PAYLOAD,
                        json!({"operation": m.get("operation"), "ussd": text, "encoding": v.kind, "entropy": (v.entropy * 100.0).round() / 100.0, "len": v.len, "msisdn": m.get("msisdn")}),
                    ));
                }
            }
            if let Some(text) = st(m, &["sms", "text"]) {
                if let Some(v) = encoded_text(text, t.encoded_min_len, t.text_entropy_bits) {
                    found.push((
                        &sig::SMS_ENCODED_PAYLOAD,
                        json!({"operation": m.get("operation"), "sms_text": text, "encoding": v.kind, "entropy": (v.entropy * 100.0).round() / 100.0, "len": v.len, "originator": at(m, &["sms", "originator"])}),
                    ));
                }
            }
            let mut bad = Vec::new();
            if let Some(imsi) = st(m, &["imsi"]) {
                let mcc_known = imsi
                    .get(..3)
                    .and_then(|m| m.parse::<u16>().ok())
                    .and_then(e212::mcc_country)
                    .is_some();
                if digits_ok(imsi) && (!(6..=15).contains(&imsi.len()) || !mcc_known) {
                    bad.push(json!({"imsi": imsi, "len": imsi.len()}));
                }
            }
            if let Some(msisdn) = st(m, &["msisdn"]) {
                if digits_ok(msisdn) && msisdn.len() > 15 {
                    bad.push(json!({"msisdn": msisdn, "len": msisdn.len()}));
                }
            }
            if !bad.is_empty()
                && !found
                    .iter()
                    .any(|(s, _)| s.id == sig::IDENTITY_MALFORMED.id)
            {
                found.push((
                    &sig::IDENTITY_MALFORMED,
                    json!({"operation": m.get("operation"), "identities": bad}),
                ));
            }
        }
        if let Some(g) = rec.get("gtp") {
            if let Some(ies) = g.get("ies").and_then(Value::as_array) {
                self.private_extensions(ies, g, 0, found);
            }
            if let Some(imsi) = st(g, &["imsi"]) {
                if digits_ok(imsi) && !(6..=15).contains(&imsi.len()) {
                    found.push((
                        &sig::IDENTITY_MALFORMED,
                        json!({"message": g.get("name"), "imsi": imsi, "len": imsi.len()}),
                    ));
                }
            }
        }
    }

    fn private_extensions(
        &self,
        ies: &[Value],
        g: &Value,
        depth: usize,
        found: &mut Vec<(&'static Signature, Value)>,
    ) {
        if depth > MAX_IE_DEPTH {
            return;
        }
        let t = &self.policy.thresholds;
        for ie in ies {
            if let Some(inner) = ie.get("ies").and_then(Value::as_array) {
                self.private_extensions(inner, g, depth + 1, found);
            }
            if num(ie, &["type"]) != Some(255) {
                continue;
            }
            let Some(bytes) = st(ie, &["value", "hex"]).and_then(unhex) else {
                continue;
            };
            if let Some(v) = encoded_binary(&bytes, t.binary_min_len, t.binary_entropy_bits) {
                found.push((
                    &sig::PRIVATE_EXTENSION_PAYLOAD,
                    json!({"message": g.get("name"), "enterprise": at(ie, &["value", "enterprise"]), "encoding": v.kind, "entropy": (v.entropy * 100.0).round() / 100.0, "len": v.len}),
                ));
                return;
            }
        }
    }

    // ---------------------------------------------------------------- behaviour

    fn behaviour(&mut self, rec: &Value, ctx: &Ctx, found: &mut Vec<(&'static Signature, Value)>) {
        let ts = ctx.ts;
        let first = *self.first_ts.get_or_insert(ts);
        let warm = ts - first >= self.policy.thresholds.unsolicited_warmup_s;
        for a in rec
            .get("anomalies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let code = st(a, &["code"]).unwrap_or("");
            let unsolicited = matches!(
                Code::from_name(code),
                Some(Code::UnmatchedResponse | Code::TcapResponseWithoutRequest)
            );
            if warm && unsolicited {
                let key = ctx.pair.clone();
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
                    found.push((
                        &sig::UNSOLICITED_RESPONSE,
                        json!({"anomaly": code, "count": e.0, "within_s": ((ts - e.1) * 1000.0).round() / 1000.0,
                               "gtp": at(rec, &["gtp", "name"]), "tcap": at(rec, &["tcap", "type"]), "dtid": at(rec, &["tcap", "dtid"])}),
                    ));
                }
                break;
            }
        }
        if rec.get("map").is_some() {
            self.map_behaviour(rec, ctx, found);
        }
        if let Some(g) = rec.get("gtp") {
            self.gtp_behaviour(rec, g, ctx, found);
        }
    }

    /// Is a calling global title foreign? With home prefixes: not one of them. Without:
    /// its country differs from the called global title's.
    fn foreign(&self, calling: &str, called: Option<&str>) -> Option<bool> {
        let h = &self.policy.home.gt_prefixes;
        if !h.is_empty() {
            return Some(!h.iter().any(|p| calling.starts_with(p.as_str())));
        }
        let a = e164::country_of(calling)?;
        let b = e164::country_of(called?)?;
        Some(a.cc != b.cc || (a.iso != b.iso && !a.iso.is_empty() && !b.iso.is_empty()))
    }

    /// Is an IMSI a home subscriber's? With home PLMNs: one of them. Without: its country is
    /// the country of the network being asked (the called global title).
    fn home_imsi(&self, imsi: &str, called: Option<&str>) -> Option<bool> {
        let h = &self.policy.home.plmns;
        if !h.is_empty() {
            return Some(h.iter().any(|p| imsi.starts_with(p.as_str())));
        }
        let p = e212::plmn_of(imsi)?;
        let c = e164::country_of(called?)?;
        Some(!p.iso.is_empty() && p.iso == c.iso)
    }

    fn map_behaviour(
        &mut self,
        rec: &Value,
        ctx: &Ctx,
        found: &mut Vec<(&'static Signature, Value)>,
    ) {
        let ts = ctx.ts;
        let calling = st(rec, &["sccp", "calling", "gt", "digits"]);
        let called = st(rec, &["sccp", "called", "gt", "digits"]);
        let calling_country = st(rec, &["sccp", "calling", "gt", "country"]);
        let (ea, eb) = (&ctx.from, &ctx.to);
        let size = num(rec, &["sccp", "data_len"]);
        let allowed = &self.policy.interconnect.allowed_countries;
        if let (Some(c), Some(cc)) = (calling, calling_country) {
            if !allowed.is_empty()
                && !allowed.iter().any(|a| a.eq_ignore_ascii_case(cc))
                && self.foreign(c, called) != Some(false)
            {
                found.push((
                    &sig::PEER_OUTSIDE_INTERCONNECT,
                    json!({"calling_gt": c, "country": cc, "allowed_countries": allowed}),
                ));
            }
        }
        for m in rec
            .get("map")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if st(m, &["kind"]) != Some("invoke") {
                continue;
            }
            let Some(op) = num(m, &["opcode"]).and_then(|o| u8::try_from(o).ok()) else {
                continue;
            };
            let evidence = || {
                json!({"operation": m.get("operation"), "opcode": op, "calling_gt": calling, "calling_country": calling_country,
                       "called_gt": called, "called_country": st(rec, &["sccp", "called", "gt", "country"]),
                       "imsi": m.get("imsi"), "msisdn": m.get("msisdn"), "requested_info": m.get("requested_info")})
            };
            let fs = &self.policy.fs11;
            if let Some(c) = calling {
                if fs.category1.contains(&op) && self.foreign(c, called) == Some(true) {
                    found.push((&sig::FS11_CATEGORY1, evidence()));
                }
                if fs.category2.contains(&op) && self.foreign(c, called) == Some(true) {
                    let imsi = st(m, &["imsi"]);
                    if imsi.and_then(|i| self.home_imsi(i, called)) == Some(true) {
                        found.push((&sig::FS11_CATEGORY2, evidence()));
                    }
                }
            }
            if fs.category3.contains(&op) {
                self.velocity(m, calling, ts, found);
            }
            if ROUTING_INFO_OPS.contains(&op) {
                if let Some(c) = calling {
                    if self.foreign(c, called) == Some(true) {
                        self.harvesting(c, m, op, ts, found);
                    }
                }
            }
            // beaconing: the same operation between the same global titles
            let key = format!("map:{}:{op}", ctx.pair);
            if let Some(ev) = self.beacon(key, ts, size) {
                found.push((
                    &sig::BEACONING,
                    json!({"operation": m.get("operation"), "from": ea, "to": eb, "timing": ev}),
                ));
            }
        }
    }

    /// Many distinct subscribers looked up by one foreign global title within the window.
    fn harvesting(
        &mut self,
        calling: &str,
        m: &Value,
        op: u8,
        ts: f64,
        found: &mut Vec<(&'static Signature, Value)>,
    ) {
        let Some(who) = st(m, &["msisdn"]).or_else(|| st(m, &["imsi"])) else {
            return;
        };
        let t = &self.policy.thresholds;
        let (need, window) = (
            t.harvest_subscribers.clamp(2, MAX_HARVEST_SUBSCRIBERS),
            t.harvest_window_s,
        );
        if !self.harvest.contains_key(calling) {
            bounded(&mut self.harvest, &mut self.stats.state_resets);
        }
        let h = self.harvest.entry(calling.to_string()).or_default();
        if h.subscribers.is_empty() || ts - h.start > window || ts < h.start {
            *h = Harvest {
                start: ts,
                subscribers: Vec::new(),
                alerted: false,
            };
        }
        // a 64-bit digest of the subscriber (FNV-1a): the set stays small and fixed-size
        let digest = who.bytes().fold(0xcbf2_9ce4_8422_2325u64, |a, b| {
            (a ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        if !h.subscribers.contains(&digest) && h.subscribers.len() < MAX_HARVEST_SUBSCRIBERS {
            h.subscribers.push(digest);
        }
        if h.subscribers.len() >= need && !h.alerted {
            h.alerted = true;
            found.push((
                &sig::SUBSCRIBER_HARVESTING,
                json!({"calling_gt": calling, "operation": m.get("operation"), "opcode": op,
                       "subscribers": h.subscribers.len(), "within_s": ((ts - h.start) * 1000.0).round() / 1000.0,
                       "window_s": window}),
            ));
        }
    }

    /// FS.11 category 3: the VLR/SGSN a subscriber updates from moves to another country
    /// faster than anyone travels.
    fn velocity(
        &mut self,
        m: &Value,
        calling: Option<&str>,
        ts: f64,
        found: &mut Vec<(&'static Signature, Value)>,
    ) {
        let Some(imsi) = st(m, &["imsi"]) else { return };
        let node = st(m, &["vlr_number"])
            .or_else(|| st(m, &["sgsn_number"]))
            .or_else(|| st(m, &["msc_number"]))
            .or(calling);
        let Some(node) = node else { return };
        let Some(country) =
            e164::country_of(node).map(|c| if c.iso.is_empty() { c.cc } else { c.iso })
        else {
            return;
        };
        let window = self.policy.thresholds.velocity_window_s;
        if let Some(prev) = self.locations.get(imsi) {
            let dt = ts - prev.ts;
            if prev.country != country && (0.0..window).contains(&dt) {
                found.push((
                    &sig::FS11_CATEGORY3_VELOCITY,
                    json!({"operation": m.get("operation"), "imsi": imsi, "from_country": prev.country, "from_node": prev.node,
                           "to_country": country, "to_node": node, "seconds": (dt * 1000.0).round() / 1000.0, "window_s": window}),
                ));
            }
        } else {
            bounded(&mut self.locations, &mut self.stats.state_resets);
        }
        self.locations.insert(
            imsi.to_string(),
            Seen {
                country: country.to_string(),
                ts,
                node: node.to_string(),
            },
        );
    }

    /// Record one event for `key`; `Some(evidence)` the first time its last
    /// `beacon_min_events` events are regular in period and constant in size (again after
    /// an hour).
    fn beacon(&mut self, key: String, ts: f64, size: Option<u64>) -> Option<Value> {
        let t = &self.policy.thresholds;
        let (n, max_cv, min_period) = (t.beacon_min_events, t.beacon_max_cv, t.beacon_min_period_s);
        if !self.beacons.contains_key(&key) {
            bounded(&mut self.beacons, &mut self.stats.state_resets);
        }
        let b = self.beacons.entry(key).or_default();
        b.times.push_back(ts);
        b.sizes.push_back(size.unwrap_or(0));
        while b.times.len() > BEACON_HISTORY.max(n) {
            b.times.pop_front();
            b.sizes.pop_front();
        }
        if b.times.len() < n || b.alerted_at.is_some_and(|a| ts - a < 3600.0) {
            return None;
        }
        let times: Vec<f64> = b.times.iter().rev().take(n).rev().copied().collect();
        let gaps: Vec<f64> = times
            .windows(2)
            .map(|w| w.get(1).copied().unwrap_or(0.0) - w.first().copied().unwrap_or(0.0))
            .collect();
        let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
        if mean < min_period {
            return None;
        }
        let var = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len().max(1) as f64;
        let cv = var.sqrt() / mean;
        let first_size = b.sizes.back().copied();
        let constant = b.sizes.iter().rev().take(n).all(|s| Some(*s) == first_size);
        if cv <= max_cv && constant {
            b.alerted_at = Some(ts);
            return Some(
                json!({"events": n, "period_s": (mean * 1000.0).round() / 1000.0, "cv": (cv * 1000.0).round() / 1000.0, "size": first_size}),
            );
        }
        None
    }

    fn gtp_behaviour(
        &mut self,
        rec: &Value,
        g: &Value,
        ctx: &Ctx,
        found: &mut Vec<(&'static Signature, Value)>,
    ) {
        if !self.peers.is_empty() {
            let outside: Vec<&str> = ["src", "dst"]
                .iter()
                .filter_map(|k| st(rec, &[k]))
                .filter(|a| {
                    a.parse::<IpAddr>()
                        .is_ok_and(|ip| !self.peers.iter().any(|c| c.contains(ip)))
                })
                .collect();
            if !outside.is_empty() {
                found.push((
                    &sig::PEER_OUTSIDE_INTERCONNECT,
                    json!({"gtp": g.get("name"), "outside": outside}),
                ));
            }
        }
        let ty = num(g, &["type"]).unwrap_or(0);
        let decoded = g.get("decoded").and_then(Value::as_bool) != Some(false);
        // Echo is a keepalive (periodic by design), G-PDU is user traffic: neither beacons.
        if decoded && !matches!(ty, 1 | 2 | 255) {
            let (a, b) = (&ctx.from, &ctx.to);
            let key = format!(
                "gtp:{}:{}:{ty}",
                ctx.pair,
                num(g, &["version"]).unwrap_or(9)
            );
            if let Some(ev) = self.beacon(key, ctx.ts, num(g, &["length"])) {
                found.push((
                    &sig::BEACONING,
                    json!({"gtp": g.get("name"), "from": a, "to": b, "timing": ev}),
                ));
            }
        }
    }
}
