//! Operator knowledge: home network, declared interconnect, operation categories and
//! thresholds — from a TOML policy file, with defaults that work without one.
//!
//! ```toml
//! rules = ["local.rules"]        # operator rule files, relative to this file (before any table)
//!
//! [vars]                         # $NAME variables of the rules
//! HOME_GTP = "[203.0.113.0/24, 2001:db8::/32]"
//!
//! [home]
//! plmns = ["23415"]              # MCC+MNC of the operator's own subscribers
//! gt_prefixes = ["4477009"]      # E.164 prefixes of the operator's own global titles
//!
//! [interconnect]
//! gtp_peers = ["203.0.113.0/24", "2001:db8::/32"]   # empty: not checked
//! allowed_countries = ["GB", "FR", "DE"]            # calling-GT countries; empty: any
//! session_peers = ["203.0.113.0/28"]                # own SGSN/SGW/MME; empty: not judged
//! roaming_partners = ["198.18.0.0/16"]              # partners' GTP nodes
//! charging_gateways = ["203.0.113.200"]             # GTP' CDR receivers; empty: not judged
//!
//! [fs11]                         # MAP operation codes per GSMA FS.11 category
//! category1 = [22, 58, 62, 65, 71, 85]
//! category2 = [3, 4, 7, 8, 70, 83]
//! category3 = [2, 23]
//!
//! [thresholds]
//! encoded_min_len = 20
//!
//! [signatures]
//! disabled = [3007, "beaconing"]   # switched off, by id or by name
//! ```
//!
//! Without `home`, a global title is "foreign" when its country differs from the country of
//! the global title it calls (a cross-border location enquiry is what FS.11 cares about).

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Deserialize;

/// The whole policy.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// The operator's own network.
    pub home: Home,
    /// Declared interconnect.
    pub interconnect: Interconnect,
    /// MAP operation categories (GSMA FS.11).
    pub fs11: Fs11,
    /// Thresholds.
    pub thresholds: Thresholds,
    /// Operator rule files ([`crate::user`]), relative to the policy file.
    pub rules: Vec<String>,
    /// `$NAME` variables of the rules (name without `$`, value as written in a rule header).
    pub vars: BTreeMap<String, String>,
    /// Signatures switched on or off.
    pub signatures: Signatures,
}

/// Signatures switched off.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Signatures {
    /// Signatures that never raise an alert (nor flag a flow), by id (`3007`) or name
    /// (`"beaconing"`); an id or name no signature has is refused.
    pub disabled: Vec<SignatureRef>,
}

/// A signature named in the policy: its id or its name.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum SignatureRef {
    /// `alert.signature_id`.
    Id(u32),
    /// The stable snake_case name.
    Name(String),
}

impl SignatureRef {
    /// The signature it names.
    pub fn resolve(&self) -> Option<&'static crate::signatures::Signature> {
        match self {
            SignatureRef::Id(id) => crate::signatures::by_id(*id),
            SignatureRef::Name(n) => crate::signatures::by_name(n),
        }
    }
}

/// The operator's own network.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Home {
    /// MCC+MNC (5 or 6 digits) of home subscribers' IMSIs.
    pub plmns: Vec<String>,
    /// E.164 prefixes of the operator's global titles (HLR, MSC/VLR, SMSC, gsmSCF, ...).
    pub gt_prefixes: Vec<String>,
}

/// Declared interconnect.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Interconnect {
    /// GTP peers (own nodes and roaming partners) as CIDR blocks or addresses; empty: any.
    pub gtp_peers: Vec<String>,
    /// ISO 3166 codes of countries whose global titles may call in; empty: any.
    pub allowed_countries: Vec<String>,
    /// Own nodes that create sessions (SGSN, SGW, MME; CIDR blocks or addresses). With
    /// `roaming_partners` empty too, who creates sessions is not judged.
    pub session_peers: Vec<String>,
    /// Roaming partners' GTP nodes (CIDR blocks or addresses) that may create sessions.
    pub roaming_partners: Vec<String>,
    /// Charging gateways that may receive GTP' CDRs; empty: not judged.
    pub charging_gateways: Vec<String>,
}

/// MAP operation codes per FS.11 category.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Fs11 {
    /// Sent only inside the home network; never from the interconnect.
    pub category1: Vec<u8>,
    /// Sent to a network only by the home network of its inbound roamers: an alert when the
    /// subscriber is a home subscriber and the caller is foreign.
    pub category2: Vec<u8>,
    /// Sent by the network the subscriber is visiting: checked for impossible travel.
    pub category3: Vec<u8>,
}

impl Default for Fs11 {
    fn default() -> Self {
        Fs11 {
            // sendRoutingInfo 22, sendRoutingInfoForGprs 24 (asked by the home GGSN only),
            // sendIMSI 58, anyTimeSubscriptionInterrogation 62, anyTimeModification 65,
            // anyTimeInterrogation 71, sendRoutingInfoForLCS 85, sendParameters 9;
            // sendIdentification 55 is category 3 in some readings: left out.
            category1: vec![9, 22, 24, 58, 62, 65, 71, 85],
            // cancelLocation 3, provideRoamingNumber 4, insertSubscriberData 7,
            // deleteSubscriberData 8, reset 37, activateTraceMode 50 (the subscriber's HLR
            // only), provideSubscriberInfo 70, provideSubscriberLocation 83.
            category2: vec![3, 4, 7, 8, 37, 50, 70, 83],
            // updateLocation 2, updateGprsLocation 23.
            category3: vec![2, 23],
        }
    }
}

/// Thresholds.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Shortest text (USSD/SMS) examined for encoded data.
    pub encoded_min_len: usize,
    /// Shannon entropy (bits per character) above which long text counts as encoded.
    pub text_entropy_bits: f64,
    /// Shannon entropy (bits per byte) above which binary data counts as encrypted.
    pub binary_entropy_bits: f64,
    /// Shortest binary value (private extension) examined.
    pub binary_min_len: usize,
    /// Largest private extension value an Echo may carry before it is reported.
    pub echo_private_extension_max: usize,
    /// Events needed before a period is judged regular.
    pub beacon_min_events: usize,
    /// Largest coefficient of variation of the intervals still called regular.
    pub beacon_max_cv: f64,
    /// Shortest period (seconds) considered (faster is traffic, not a beacon).
    pub beacon_min_period_s: f64,
    /// How long (seconds) a subscriber's last place is remembered for the travel check.
    pub velocity_window_s: f64,
    /// Fastest a subscriber travels (km/h, an airliner with margin): a new place further than
    /// this allows since the last one is impossible travel.
    pub max_travel_speed_kmh: f64,
    /// Travel shorter than this (km: the least distance from one country into the other,
    /// edge to edge, `geo::travel_km`) is never impossible; neighbours (a land border, a
    /// fixed link, a narrow strait) never are, whatever this says: border areas flip between
    /// networks.
    pub velocity_min_distance_km: f64,
    /// Distinct subscribers one foreign global title may look up with routing-information
    /// operations (SRI, SRI-for-SM, SRI-for-GPRS, SRI-for-LCS, sendIMSI) within
    /// `harvest_window_s` before it is reported.
    pub harvest_subscribers: usize,
    /// Window (seconds) of the harvesting count.
    pub harvest_window_s: f64,
    /// Distinct subscribers one foreign global title may look up within
    /// `harvest_slow_window_s` (slow harvesting: dozens over hours).
    pub harvest_slow_subscribers: usize,
    /// Window (seconds) of the slow harvesting count.
    pub harvest_slow_window_s: f64,
    /// A global title whose sendRoutingInfoForSM lookups are followed by at least this share
    /// of short messages it delivers (mt-/mo-ForwardSM) is an SMSC at work, not a harvester.
    pub harvest_delivery_ratio: f64,
    /// One alert per signature and peer pair within this many seconds (the rest are
    /// counted in the next alert's `suppressed`).
    pub alert_window_s: f64,
    /// A GTP address outside the interconnect (3006) is reported when first seen and again
    /// at most once per this many seconds, with the messages to or from it since.
    pub outside_peer_window_s: f64,
    /// Responses with no request are not judged during the first seconds of the input:
    /// their requests may predate the capture (the transaction timeouts are 60 s).
    pub unsolicited_warmup_s: f64,
    /// Responses with no request from the same peer to the same peer, within
    /// `alert_window_s`, before one is reported (a single stray response is noise; a peer
    /// that keeps answering what nobody asked is a pattern).
    pub unsolicited_min_count: u32,
    /// Once a flow is flagged, its other messages are reported (tagged) for this many
    /// seconds after the alert.
    pub tag_window_s: f64,
    /// Most messages of one flagged flow reported as tagged.
    pub tag_max_per_flow: u32,
    /// Longest GTPv2 private extension value (octets) any vendor sends, in any message.
    pub private_extension_max_len: usize,
    /// Largest coefficient of variation of the intervals of GTP Echoes still called a
    /// (jittered) beacon between peers that carry no session.
    pub echo_jitter_max_cv: f64,
    /// Shortest subdomain part (characters, dots excluded) of a DNS name examined for encoded
    /// data.
    pub dns_encoded_min_len: usize,
    /// Entropy (bits per character) of a subdomain part above which it counts as encoded.
    pub dns_label_entropy_bits: f64,
    /// Distinct encoded-looking subdomains of one domain, per GTP-U tunnel and window, before
    /// it is reported.
    pub dns_subdomains: usize,
    /// TXT / NULL / ANY queries for one domain, per tunnel and window, before it is reported.
    pub dns_record_queries: usize,
    /// Window (seconds) of the DNS counts.
    pub dns_window_s: f64,
    /// Distinct encoded-looking subdomains of one domain, per GTP-U tunnel, within
    /// `dns_slow_window_s` before it is reported (a tunnel paced under `dns_subdomains` per
    /// `dns_window_s`; at most 32).
    pub dns_slow_subdomains: usize,
    /// Window (seconds) of the slow DNS count.
    pub dns_slow_window_s: f64,
    /// Distinct addresses one address sends GTP Echo Requests to within `gtp_sweep_window_s`,
    /// taking part in no session, before it is reported as a node discovery sweep (3026;
    /// 2 to 64).
    pub gtp_sweep_destinations: usize,
    /// Window (seconds) of the sweep count, and of the tunnel probing count (3027).
    pub gtp_sweep_window_s: f64,
    /// The same for a sweep paced under the window's count: distinct addresses within
    /// `gtp_sweep_slow_window_s` (a scanner asking a host every few seconds).
    pub gtp_sweep_slow_destinations: usize,
    /// Window of `gtp_sweep_slow_destinations` (seconds).
    pub gtp_sweep_slow_window_s: f64,
    /// Answers of no such tunnel (Context Not Found, Non-existent, Error Indication) to one
    /// address that carries no session, within `gtp_sweep_window_s`, before it is reported as
    /// tunnel probing (3027; 2 or more).
    pub gtp_probe_answers: u32,
    /// The same answers within `gtp_probe_slow_window_s`: tunnel probing paced under the
    /// minute's count (3027; 2 or more).
    pub gtp_probe_slow_answers: u32,
    /// Window (seconds) of the slow probing count.
    pub gtp_probe_slow_window_s: f64,
    /// Create requests answered "Missing or unknown APN" (GTPv1 cause 219, GTPv2 78) to one
    /// address that carries no session within `gtp_probe_slow_window_s`, before it is
    /// reported as APN guessing (3027; 2 or more). A subscriber's mistyped APN is refused
    /// once or twice and then corrected; a partner's misconfigured devices are refused to a
    /// node that carries sessions.
    pub gtp_apn_guesses: u32,
    /// Largest ICMP echo payload ping sends by default (56 on Unix, 32 on Windows, 64 some).
    pub icmp_ping_max_payload: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            encoded_min_len: 20,
            text_entropy_bits: 4.8,
            binary_entropy_bits: 6.0,
            binary_min_len: 32,
            echo_private_extension_max: 16,
            beacon_min_events: 8,
            beacon_max_cv: 0.1,
            beacon_min_period_s: 1.0,
            velocity_window_s: 86_400.0,
            max_travel_speed_kmh: 1000.0,
            velocity_min_distance_km: 100.0,
            harvest_subscribers: 20,
            harvest_window_s: 300.0,
            harvest_slow_subscribers: 24,
            harvest_slow_window_s: 86_400.0,
            harvest_delivery_ratio: 0.5,
            alert_window_s: 60.0,
            outside_peer_window_s: 3600.0,
            unsolicited_warmup_s: 60.0,
            unsolicited_min_count: 3,
            tag_window_s: 900.0,
            tag_max_per_flow: 256,
            private_extension_max_len: 512,
            echo_jitter_max_cv: 0.3,
            dns_encoded_min_len: 24,
            dns_label_entropy_bits: 3.5,
            dns_subdomains: 20,
            dns_record_queries: 30,
            dns_window_s: 300.0,
            dns_slow_subdomains: 24,
            dns_slow_window_s: 3600.0,
            gtp_sweep_destinations: 32,
            gtp_sweep_window_s: 60.0,
            gtp_sweep_slow_destinations: 20,
            gtp_sweep_slow_window_s: 3600.0,
            gtp_probe_answers: 16,
            gtp_probe_slow_answers: 24,
            gtp_probe_slow_window_s: 3600.0,
            gtp_apn_guesses: 6,
            icmp_ping_max_payload: 64,
        }
    }
}

/// A policy that does not hold together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(pub String);

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "policy: {}", self.0)
    }
}

impl std::error::Error for PolicyError {}

/// An address block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `"10.0.0.0/8"`, `"2001:db8::/32"` or a bare address.
    pub fn parse(s: &str) -> Option<Cidr> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Cidr { addr, prefix })
    }

    /// The block holds `ip`.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let m = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & m == u32::from(a) & m
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let m = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & m == u128::from(a) & m
            }
            _ => false,
        }
    }
}

/// The international call prefix most countries dial before a country code (ITU-T E.164
/// Annex, "00"); E.164 country codes never start with 0.
const INTERNATIONAL_PREFIX: &str = "00";

impl Policy {
    /// Parse a TOML policy; unknown keys are refused (a typo must not silently disable a
    /// check).
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let mut p: Policy = toml::from_str(text).map_err(|e| PolicyError(e.to_string()))?;
        p.normalise()?;
        p.check()?;
        Ok(p)
    }

    /// Written forms an operator may use, taken to the one the checks compare: a global-title
    /// prefix in international dialling form (`+44 7700`, `0044-7700`) becomes E.164 digits
    /// (`447700`); a country code of any case becomes upper case, and `UK` (ISO's reserved
    /// code for it) `GB`. A prefix in national form (`07700`: no country code) and a
    /// country that is no ISO 3166 alpha-2 code are refused (they would never match, and
    /// silently leave titles foreign or every country outside).
    pub fn normalise(&mut self) -> Result<(), PolicyError> {
        for g in &mut self.home.gt_prefixes {
            let digits: String = g
                .chars()
                .filter(|c| !matches!(c, ' ' | '-' | '.'))
                .collect();
            let e164 = digits
                .strip_prefix('+')
                .or_else(|| digits.strip_prefix(INTERNATIONAL_PREFIX))
                .unwrap_or(&digits);
            if e164.starts_with('0') {
                return Err(PolicyError(format!(
                    "home.gt_prefixes: {g:?} is in national form; give it with its country \
                     code (E.164), e.g. 447700 for the United Kingdom's 07700"
                )));
            }
            *g = e164.to_string();
        }
        for c in &mut self.interconnect.allowed_countries {
            let up = c.trim().to_ascii_uppercase();
            let iso = if up == "UK" { "GB".to_string() } else { up };
            if sigscope_core::geo::position(&iso).is_none() {
                return Err(PolicyError(format!(
                    "interconnect.allowed_countries: {c:?} is no ISO 3166 alpha-2 country code"
                )));
            }
            *c = iso;
        }
        Ok(())
    }

    /// What is allowed but probably not meant: said to the operator when the policy is
    /// loaded (the CLI prints each on stderr), never refused.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let i = &self.interconnect;
        if !i.session_peers.is_empty() && i.roaming_partners.is_empty() {
            out.push(
                "interconnect.session_peers is set and roaming_partners is empty: every \
                 roaming partner's Create will be judged a rogue session peer (3023); list \
                 the partners' GTP blocks in roaming_partners"
                    .to_string(),
            );
        }
        for p in &self.home.plmns {
            let (mcc, mnc) = p.split_at(p.len().min(3));
            let known = mcc
                .parse::<u16>()
                .ok()
                .is_some_and(|m| sigscope_core::e212::lookup(m, mnc).is_some());
            if !known {
                out.push(format!(
                    "home.plmns: {p:?} is no network the E.212 table knows (is its MNC of \
                     two or three digits?): IMSIs are matched by its digits as written"
                ));
            }
        }
        out
    }

    /// Consistency checks.
    pub fn check(&self) -> Result<(), PolicyError> {
        let i = &self.interconnect;
        for (name, list) in [
            ("gtp_peers", &i.gtp_peers),
            ("session_peers", &i.session_peers),
            ("roaming_partners", &i.roaming_partners),
            ("charging_gateways", &i.charging_gateways),
        ] {
            if let Some(c) = list.iter().find(|c| Cidr::parse(c).is_none()) {
                return Err(PolicyError(format!(
                    "{name}: {c:?} is not an address block"
                )));
            }
        }
        for p in &self.home.plmns {
            if !(5..=6).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PolicyError(format!("home.plmns: {p:?} is not MCC+MNC")));
            }
        }
        for g in &self.home.gt_prefixes {
            if g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PolicyError(format!(
                    "home.gt_prefixes: {g:?} is not digits"
                )));
            }
        }
        for d in &self.signatures.disabled {
            if d.resolve().is_none() {
                return Err(PolicyError(format!(
                    "signatures.disabled: {d:?} is no signature's id or name"
                )));
            }
        }
        let t = &self.thresholds;
        if t.beacon_min_events < 3 || t.beacon_min_events > crate::engine::BEACON_HISTORY {
            return Err(PolicyError(format!(
                "beacon_min_events must be 3 to {}",
                crate::engine::BEACON_HISTORY
            )));
        }
        if !(t.text_entropy_bits > 0.0 && t.binary_entropy_bits > 0.0 && t.beacon_max_cv >= 0.0) {
            return Err(PolicyError(
                "entropy and cv thresholds must be positive".into(),
            ));
        }
        if !(t.max_travel_speed_kmh > 0.0 && t.max_travel_speed_kmh.is_finite()) {
            return Err(PolicyError(
                "max_travel_speed_kmh must be a positive number".into(),
            ));
        }
        let slow_ok = (2..=crate::engine::MAX_SWEEP_DESTINATIONS)
            .contains(&t.gtp_sweep_slow_destinations)
            && t.gtp_sweep_slow_window_s.is_finite()
            && t.gtp_sweep_slow_window_s > 0.0;
        if !slow_ok {
            return Err(PolicyError(format!(
                "gtp_sweep_slow_destinations must be 2 to {} and gtp_sweep_slow_window_s positive",
                crate::engine::MAX_SWEEP_DESTINATIONS
            )));
        }
        if !(2..=crate::engine::MAX_SWEEP_DESTINATIONS).contains(&t.gtp_sweep_destinations) {
            return Err(PolicyError(format!(
                "gtp_sweep_destinations must be 2 to {}",
                crate::engine::MAX_SWEEP_DESTINATIONS
            )));
        }
        if t.gtp_probe_answers < 2 || t.gtp_probe_slow_answers < 2 || t.gtp_apn_guesses < 2 {
            return Err(PolicyError(
                "gtp_probe_answers, gtp_probe_slow_answers and gtp_apn_guesses must be 2 or more"
                    .into(),
            ));
        }
        if !(t.gtp_probe_slow_window_s.is_finite() && t.gtp_probe_slow_window_s > 0.0) {
            return Err(PolicyError(
                "gtp_probe_slow_window_s must be a finite number of seconds above 0".into(),
            ));
        }
        if !(t.tag_window_s.is_finite() && t.tag_window_s >= 0.0) {
            return Err(PolicyError(
                "tag_window_s must be a finite number of seconds, 0 or more".into(),
            ));
        }
        Ok(())
    }

    /// Ids of the signatures switched off (`[signatures] disabled`), sorted.
    pub fn disabled_ids(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .signatures
            .disabled
            .iter()
            .filter_map(|d| d.resolve().map(|s| s.id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Parsed GTP peer blocks.
    pub fn gtp_peer_blocks(&self) -> Vec<Cidr> {
        blocks(&self.interconnect.gtp_peers)
    }

    /// Parsed blocks of the nodes that may create sessions: own session peers and roaming
    /// partners (empty: not judged).
    pub fn session_peer_blocks(&self) -> Vec<Cidr> {
        let i = &self.interconnect;
        let mut v = blocks(&i.session_peers);
        v.extend(blocks(&i.roaming_partners));
        v
    }

    /// Parsed charging gateway blocks (empty: not judged).
    pub fn charging_gateway_blocks(&self) -> Vec<Cidr> {
        blocks(&self.interconnect.charging_gateways)
    }
}

fn blocks(list: &[String]) -> Vec<Cidr> {
    list.iter().filter_map(|c| Cidr::parse(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses_typos() {
        let p = Policy::from_toml(
            "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"4477009\"]\n[interconnect]\ngtp_peers=[\"10.0.0.0/8\",\"2001:db8::1\"]\n[thresholds]\nencoded_min_len=30\n",
        )
        .unwrap();
        assert_eq!(p.home.plmns, ["23415"]);
        assert_eq!(p.thresholds.encoded_min_len, 30);
        assert_eq!(p.thresholds.beacon_min_events, 8);
        assert_eq!(p.fs11, Fs11::default());
        assert!(Policy::from_toml("[home]\nplmn=[\"23415\"]\n").is_err());
        assert!(Policy::from_toml("[interconnect]\ngtp_peers=[\"10.0.0.0/33\"]\n").is_err());
        assert!(Policy::from_toml("[home]\nplmns=[\"2341\"]\n").is_err());
        assert_eq!(Policy::from_toml("").unwrap(), Policy::default());
    }

    #[test]
    fn rule_files_and_variables() {
        let p = Policy::from_toml(
            "rules = [\"local.rules\", \"more/x.rules\"]\n[vars]\nHOME_GTP = \"[203.0.113.0/24, 2001:db8::/32]\"\nGTP_PORTS = \"2123\"\n[home]\nplmns = [\"23415\"]\n",
        )
        .unwrap();
        assert_eq!(p.rules, ["local.rules", "more/x.rules"]);
        assert_eq!(
            p.vars.get("HOME_GTP").map(String::as_str),
            Some("[203.0.113.0/24, 2001:db8::/32]")
        );
        assert_eq!(p.vars.len(), 2);
        assert!(Policy::from_toml("rules = \"one.rules\"\n").is_err());
        assert!(Policy::from_toml("[vars]\nX = 1\n").is_err());
    }

    #[test]
    fn signatures_switched_off_by_id_or_name() {
        let p =
            Policy::from_toml("[signatures]\ndisabled = [3007, \"beaconing\", 3007]\n").unwrap();
        let beaconing = crate::signatures::ALL
            .iter()
            .find(|s| s.name == "beaconing")
            .unwrap();
        let mut want = vec![3007, beaconing.id];
        want.sort_unstable();
        want.dedup();
        assert_eq!(p.disabled_ids(), want);
        assert!(Policy::from_toml("[signatures]\ndisabled = [9999]\n").is_err());
        assert!(Policy::from_toml("[signatures]\ndisabled = [\"no_such\"]\n").is_err());
        assert!(Policy::from_toml("[signatures]\nenabled = [3007]\n").is_err());
        assert!(Policy::default().disabled_ids().is_empty());
    }

    #[test]
    fn warnings_for_what_is_probably_not_meant() {
        let ok = Policy::from_toml(
            "[home]\nplmns = [\"23415\", \"310260\"]\n[interconnect]\n\
             session_peers = [\"10.0.0.0/24\"]\nroaming_partners = [\"198.18.0.0/16\"]\n",
        )
        .unwrap();
        assert!(ok.warnings().is_empty(), "{:?}", ok.warnings());
        let w = Policy::from_toml(
            "[home]\nplmns = [\"234015\"]\n[interconnect]\nsession_peers = [\"10.0.0.0/24\"]\n",
        )
        .unwrap()
        .warnings();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].contains("roaming_partners") && w[1].contains("234015"),
            "{w:?}"
        );
    }

    #[test]
    fn written_forms_of_prefixes_and_countries() {
        let p = Policy::from_toml(
            "[home]\ngt_prefixes = [\"+44 7700\", \"0044-7700-9\", \"4477009\"]\n\
             [interconnect]\nallowed_countries = [\"gb\", \"UK\", \"Fr\"]\n",
        )
        .unwrap();
        assert_eq!(p.home.gt_prefixes, ["447700", "4477009", "4477009"]);
        assert_eq!(p.interconnect.allowed_countries, ["GB", "GB", "FR"]);
        // national form, and countries no ISO code names: refused with the reason
        let e = Policy::from_toml("[home]\ngt_prefixes = [\"07700\"]\n").unwrap_err();
        assert!(e.0.contains("national form"), "{}", e.0);
        for c in ["44", "GBR", "England"] {
            let t = format!("[interconnect]\nallowed_countries = [\"{c}\"]\n");
            assert!(Policy::from_toml(&t).is_err(), "{c}");
        }
    }

    #[test]
    fn cidr_contains() {
        let c = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(c.contains("10.1.200.3".parse().unwrap()));
        assert!(!c.contains("10.2.0.1".parse().unwrap()));
        assert!(!c.contains("::1".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains("192.0.2.1".parse().unwrap()));
        let h = Cidr::parse("2001:db8::1").unwrap();
        assert!(h.contains("2001:db8::1".parse().unwrap()));
        assert!(!h.contains("2001:db8::2".parse().unwrap()));
    }
}
