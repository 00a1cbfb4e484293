//! Threat-intel sharing: what the alerts of a capture say about the attacker's network
//! identities, as a STIX 2.1 bundle ([`stix`]) or a MISP event ([`misp`]).
//!
//! A [`Collector`] is fed every alert with the message that raised it. It keeps, bounded:
//! the sender's network identities (SCCP calling global title with its country, originating
//! point code, source IP address, the peers evidence names as outside the interconnect,
//! GTPDOOR keys and C2 domains where evidence carries them), when each was first and last
//! seen and by which signatures; the signatures seen; and subscriber identities only as
//! keyed labels ([`hash`]). The operator's own global titles (policy `home.gt_prefixes`) and
//! declared GTP peers (`interconnect.gtp_peers`) are not attacker identities and are left out.
//!
//! Network identities stay in clear; subscriber identities (IMSI, MSISDN, IMEI) never do:
//! with a salt they appear as HMAC-SHA256 labels, without one they are not shared at all.

pub mod hash;
pub mod misp;
pub mod stix;

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use serde_json::Value;
use sigscope_decode::Message;
use sigscope_rules::policy::{Cidr, Policy};
use sigscope_rules::signatures::Signature;
use sigscope_rules::Alert;

use hash::IdentityHasher;

/// Most network identities kept (further new ones are counted in [`Collector::dropped`]).
pub const MAX_INDICATORS: usize = 10_000;
/// Most subscriber labels kept per network identity.
pub const MAX_SUBSCRIBERS_PER_INDICATOR: usize = 64;
/// Most distinct subscriber labels kept overall.
pub const MAX_SUBSCRIBERS: usize = 10_000;
/// Evidence samples kept per signature (the first ones seen).
pub const EVIDENCE_SAMPLES_PER_SIGNATURE: usize = 3;
/// Longest evidence value (characters of JSON) shared; longer samples are cut.
pub const MAX_EVIDENCE_CHARS: usize = 2_000;
/// Evidence keys that carry a GTPDOOR / C2 key.
pub const KEY_FIELDS: &[&str] = &["key", "gtpdoor_key", "xor_key", "c2_key"];
/// Evidence keys that carry a C2 domain.
pub const DOMAIN_FIELDS: &[&str] = &["domain", "c2_domain", "qname"];

/// The signature of an alert. Every use of `Alert.sig` in sharing and reporting goes through
/// here (the signature's representation in `Alert` is expected to change).
pub fn signature(a: &Alert) -> Option<&'static Signature> {
    a.sig.builtin()
}

/// GSMA MoTIF (FS.57) technique ids of a signature.
pub fn motif_ids(s: &Signature) -> &'static [&'static str] {
    sigscope_rules::signatures::motif(s.id)
}

/// Traffic Light Protocol level of what is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tlp {
    /// TLP:CLEAR (STIX's TLP:WHITE).
    Clear,
    /// TLP:GREEN.
    Green,
    /// TLP:AMBER.
    Amber,
    /// TLP:RED.
    Red,
}

impl Tlp {
    /// The lowercase name (`amber`).
    pub fn name(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::Red => "red",
        }
    }
}

/// Who shares, and how widely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareOptions {
    /// The reporting operator's name (STIX identity, MISP Orgc).
    pub operator: String,
    /// TLP level.
    pub tlp: Tlp,
}

/// A network identity of the sending side of a flagged message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NetId {
    /// SCCP calling global title digits.
    Gt(String),
    /// MTP3 / M3UA originating point code.
    PointCode(u32),
    /// IP address (GRX / IPX peer, SIGTRAN peer).
    Ip(IpAddr),
    /// A GTPDOOR / C2 key from evidence.
    Key(String),
    /// A C2 domain from evidence.
    Domain(String),
}

impl NetId {
    /// The identity as text (`85290001234`, `3301`, `198.51.100.7`, ...).
    pub fn value(&self) -> String {
        match self {
            NetId::Gt(s) | NetId::Key(s) | NetId::Domain(s) => s.clone(),
            NetId::PointCode(pc) => pc.to_string(),
            NetId::Ip(ip) => ip.to_string(),
        }
    }

    /// What it is, for people.
    pub fn kind(&self) -> &'static str {
        match self {
            NetId::Gt(_) => "SCCP calling global title",
            NetId::PointCode(_) => "SS7 originating point code",
            NetId::Ip(_) => "IP address",
            NetId::Key(_) => "GTPDOOR / C2 key",
            NetId::Domain(_) => "C2 domain",
        }
    }
}

/// When, how often and by what something was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// First alert time (ns since the epoch).
    pub first_ns: u64,
    /// Last alert time.
    pub last_ns: u64,
    /// Alerts.
    pub count: u64,
    /// Signature ids.
    pub sigs: BTreeSet<u32>,
    /// Country (ISO code or name) of a global title.
    pub country: Option<&'static str>,
    /// Subscriber labels of the alerts (bounded by [`MAX_SUBSCRIBERS_PER_INDICATOR`]).
    pub subscribers: BTreeSet<String>,
}

impl Seen {
    fn new(ts: u64) -> Seen {
        Seen {
            first_ns: ts,
            last_ns: ts,
            count: 0,
            sigs: BTreeSet::new(),
            country: None,
            subscribers: BTreeSet::new(),
        }
    }

    fn add(&mut self, ts: u64, sig: u32) {
        self.first_ns = self.first_ns.min(ts);
        self.last_ns = self.last_ns.max(ts);
        self.count = self.count.saturating_add(1);
        self.sigs.insert(sig);
    }
}

/// One evidence sample, subscriber identities already labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Frame of the alert.
    pub frame: u64,
    /// Time of the alert.
    pub ts_nanos: u64,
    /// The scrubbed evidence as JSON text (cut at [`MAX_EVIDENCE_CHARS`]).
    pub evidence: String,
}

/// Per-signature counts.
#[derive(Debug, Clone, PartialEq)]
pub struct SigSeen {
    /// The signature.
    pub sig: &'static Signature,
    /// Alerts, first and last time.
    pub seen: Seen,
    /// The first evidence samples.
    pub samples: Vec<Sample>,
}

/// Gathers what a capture's alerts say, for [`stix::bundle`] and [`misp::event`].
#[derive(Debug)]
pub struct Collector {
    hasher: IdentityHasher,
    home_gt_prefixes: Vec<String>,
    own_peers: Vec<Cidr>,
    /// Network identities of senders of flagged messages.
    pub indicators: BTreeMap<NetId, Seen>,
    /// Signatures by id.
    pub signatures: BTreeMap<u32, SigSeen>,
    /// Subscriber labels (empty without a salt) and when they were seen.
    pub subscribers: BTreeMap<String, Seen>,
    /// Alerts collected.
    pub alerts: u64,
    /// First and last alert time.
    pub span: Option<(u64, u64)>,
    /// New identities not kept because a table was full.
    pub dropped: u64,
}

impl Collector {
    /// A collector for an operator's policy; `hasher` decides whether identities are shared.
    pub fn new(policy: &Policy, hasher: IdentityHasher) -> Collector {
        Collector {
            hasher,
            home_gt_prefixes: policy.home.gt_prefixes.clone(),
            own_peers: policy.gtp_peer_blocks(),
            indicators: BTreeMap::new(),
            signatures: BTreeMap::new(),
            subscribers: BTreeMap::new(),
            alerts: 0,
            span: None,
            dropped: 0,
        }
    }

    /// Subscriber identities are shared as keyed labels.
    pub fn shares_identities(&self) -> bool {
        self.hasher.is_salted()
    }

    fn own_gt(&self, d: &str) -> bool {
        self.home_gt_prefixes
            .iter()
            .any(|p| d.starts_with(p.as_str()))
    }

    fn own_ip(&self, ip: IpAddr) -> bool {
        self.own_peers.iter().any(|c| c.contains(ip))
    }

    /// Take one alert and the message that raised it.
    pub fn observe(&mut self, alert: &Alert, msg: &Message<'_>) {
        // built-in signatures' findings (operator rules carry no technique table yet)
        let Some(sig) = signature(alert) else {
            return;
        };
        let ts = alert.ts_nanos;
        self.alerts = self.alerts.saturating_add(1);
        self.span = Some(match self.span {
            Some((a, b)) => (a.min(ts), b.max(ts)),
            None => (ts, ts),
        });

        // subscriber identities: the evidence's, and the GTP message's own
        let mut labels = Vec::new();
        let scrubbed = hash::scrub(&alert.evidence, &self.hasher, &mut labels);
        if let Some(g) = msg.gtp {
            for (kind, d) in [
                ("imsi", g.summary.imsi.as_ref()),
                ("msisdn", g.summary.msisdn.as_ref()),
                ("imei", g.summary.mei.as_ref()),
            ] {
                if let Some(d) = d {
                    let l = self.hasher.label(kind, d.as_str());
                    if !labels.contains(&l) {
                        labels.push(l);
                    }
                }
            }
        }
        if !self.hasher.is_salted() {
            labels.clear();
        }

        let entry = self.signatures.entry(sig.id).or_insert_with(|| SigSeen {
            sig,
            seen: Seen::new(ts),
            samples: Vec::new(),
        });
        entry.seen.add(ts, sig.id);
        if entry.samples.len() < EVIDENCE_SAMPLES_PER_SIGNATURE {
            let mut text = scrubbed.to_string();
            if text.chars().count() > MAX_EVIDENCE_CHARS {
                text = text.chars().take(MAX_EVIDENCE_CHARS).collect();
                text.push('…');
            }
            entry.samples.push(Sample {
                frame: alert.frame,
                ts_nanos: ts,
                evidence: text,
            });
        }

        for l in &labels {
            if let Some(s) = self.subscribers.get_mut(l) {
                s.add(ts, sig.id);
            } else if self.subscribers.len() < MAX_SUBSCRIBERS {
                let mut s = Seen::new(ts);
                s.add(ts, sig.id);
                self.subscribers.insert(l.clone(), s);
            } else {
                self.dropped = self.dropped.saturating_add(1);
            }
        }

        for (id, country) in self.sender_ids(alert, msg) {
            let full = self.indicators.len() >= MAX_INDICATORS;
            if full && !self.indicators.contains_key(&id) {
                self.dropped = self.dropped.saturating_add(1);
                continue;
            }
            let seen = self.indicators.entry(id).or_insert_with(|| Seen::new(ts));
            seen.add(ts, sig.id);
            if seen.country.is_none() {
                seen.country = country;
            }
            for l in &labels {
                if seen.subscribers.len() >= MAX_SUBSCRIBERS_PER_INDICATOR {
                    break;
                }
                seen.subscribers.insert(l.clone());
            }
        }
    }

    /// The network identities of the sending side of a flagged message.
    fn sender_ids(&self, alert: &Alert, msg: &Message<'_>) -> Vec<(NetId, Option<&'static str>)> {
        let mut out = Vec::new();
        let (calling, _) = msg.parties();
        if let Some(p) = calling {
            if let Some(d) = p.digits_str() {
                if !d.is_empty() && !self.own_gt(d) {
                    out.push((NetId::Gt(d.to_string()), p.country_name()));
                    if let Some(l) = msg.mtp3 {
                        out.push((NetId::PointCode(l.opc), None));
                    }
                }
            }
        }
        if let Some(ip) = alert.src {
            if !self.own_ip(ip) && !ip.is_loopback() {
                out.push((NetId::Ip(ip), None));
            }
        }
        evidence_ids(&alert.evidence, &mut out, 0);
        out.retain(|(id, _)| match id {
            NetId::Ip(ip) => !self.own_ip(*ip),
            NetId::Gt(d) => !self.own_gt(d),
            _ => true,
        });
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}

/// Identities that evidence names: peers outside the interconnect, keys and domains.
fn evidence_ids(v: &Value, out: &mut Vec<(NetId, Option<&'static str>)>, depth: usize) {
    if depth > hash::MAX_EVIDENCE_DEPTH {
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let k = k.as_str();
                if k == "outside" {
                    let items = match x {
                        Value::Array(xs) => xs.iter().collect::<Vec<_>>(),
                        other => vec![other],
                    };
                    for i in items {
                        if let Some(ip) = i.as_str().and_then(|s| s.parse::<IpAddr>().ok()) {
                            out.push((NetId::Ip(ip), None));
                        }
                    }
                } else if KEY_FIELDS.contains(&k) {
                    if let Some(s) = x.as_str().filter(|s| !s.is_empty()) {
                        out.push((NetId::Key(s.to_string()), None));
                    }
                } else if DOMAIN_FIELDS.contains(&k) {
                    if let Some(s) = x.as_str().filter(|s| !s.is_empty()) {
                        out.push((NetId::Domain(s.trim_end_matches('.').to_string()), None));
                    }
                } else {
                    evidence_ids(x, out, depth + 1);
                }
            }
        }
        Value::Array(xs) => {
            for x in xs {
                evidence_ids(x, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Nanoseconds since the epoch as `2025-11-24T16:00:00.750Z` (STIX: milliseconds, UTC).
pub fn stix_time(ts_nanos: u64) -> String {
    let s = sigscope_rules::alert::rfc3339_nanos(ts_nanos);
    match s.get(..23) {
        Some(head) => format!("{head}Z"),
        None => "1970-01-01T00:00:00.000Z".to_string(),
    }
}

/// Nanoseconds since the epoch as `2025-11-24T16:00:00.750000+00:00` (MISP first/last seen).
pub fn iso_micros(ts_nanos: u64) -> String {
    let s = sigscope_rules::alert::rfc3339_nanos(ts_nanos);
    match s.get(..26) {
        Some(head) => format!("{head}+00:00"),
        None => "1970-01-01T00:00:00.000000+00:00".to_string(),
    }
}

/// The MITRE ATT&CK technique's name (the techniques sigscope's signatures name), for
/// attack-pattern objects and MISP galaxy tags.
pub fn mitre_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "T1001" => "Data Obfuscation",
        "T1020" => "Automated Exfiltration",
        "T1029" => "Scheduled Transfer",
        "T1046" => "Network Service Discovery",
        "T1041" => "Exfiltration Over C2 Channel",
        "T1059" => "Command and Scripting Interpreter",
        "T1071" => "Application Layer Protocol",
        "T1071.004" => "Application Layer Protocol: DNS",
        "T1095" => "Non-Application Layer Protocol",
        "T1111" => "Multi-Factor Authentication Interception",
        "T1132" => "Data Encoding",
        "T1190" => "Exploit Public-Facing Application",
        "T1199" => "Trusted Relationship",
        "T1203" => "Exploitation for Client Execution",
        "T1205" => "Traffic Signaling",
        "T1426" => "System Information Discovery",
        "T1430" => "Location Tracking",
        "T1499" => "Endpoint Denial of Service",
        "T1571" => "Non-Standard Port",
        "T1572" => "Protocol Tunneling",
        "T1573" => "Encrypted Channel",
        "T1595" => "Active Scanning",
        _ => return None,
    })
}

/// The GSMA MoTIF technique's name as the MISP galaxy `gsma-motif` spells its value.
pub fn motif_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "MOT1046" => "Network Service Scanning",
        "MOT1046.301" => "Scan Signalling Addresses",
        "MOT1199" => "Trusted Relationship",
        "MOT1199.301" => "Exploit Interconnection Agreements",
        "MOT1589" => "Gather Victim Identity Information",
        "MOT1589.301" => "Phone and Subscription Information",
        "MOT3002" => "Exploit Interconnection Link",
        "MOT3003" => "Exploit via Core Signalling Interface",
        "MOT3003.301" => "SS7 Protocol",
        "MOT3004" => "Access Subscriber Data",
        "MOT1583" => "Acquire Infrastructure",
        "MOT1583.301" => "Core Signalling Infrastructure Access",
        "MOT1587" => "Develop Capabilities",
        "MOT1587.301" => "Mobile Network Tool",
        "MOT3005" => "Disguise Signalling Messages",
        "MOT3005.301" => "Unexpected Encoding",
        "MOT1036" => "Masquerading",
        "MOT1036.301" => "Originating Entity Spoofing",
        "MOT5012" => "Locate Subscriber",
        "MOT5012.501" => "Core Network Function Signalling",
        "MOT5019" => "Identify Subscriber",
        "MOT5019.302" => "Retrieve Subscriber Identity Information",
        "MOT5019.303" => "Retrieve Subscriber Network Information",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(
            stix_time(1_764_000_000_450_000_999),
            "2025-11-24T16:00:00.450Z"
        );
        assert_eq!(
            iso_micros(1_764_000_000_450_000_999),
            "2025-11-24T16:00:00.450000+00:00"
        );
    }

    #[test]
    fn every_signature_technique_has_a_name() {
        for s in sigscope_rules::signatures::ALL {
            for t in s.mitre {
                assert!(mitre_name(t).is_some(), "{t}");
            }
            for m in motif_ids(s) {
                assert!(motif_name(m).is_some(), "{m}");
            }
        }
    }
}
