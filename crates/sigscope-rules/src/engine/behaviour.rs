//! Behaviour detectors (3xxx): stateful and bounded — who talks to whom, how often, from where.

use serde_json::{json, Value};
use sigscope_core::digits::Digits;
use sigscope_core::{e164, e212, AnomalyCode};
use sigscope_decode::{GtpLayer, Message, Party};
use sigscope_gtp::Message as Gtp;
use sigscope_map::param::Role;
use sigscope_map::{MapEntry, OpCode};
use sigscope_tcap::{ComponentKind, Tcap};

use super::*;
use crate::signatures as sig;

impl Engine {
    pub(super) fn behaviour(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
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
                               "gtp": m.gtp.map_or(Value::Null, gtp_name), "tcap": tcap, "dtid": dtid}));
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
    pub(super) fn foreign(&self, calling: &Party<'_>, called: Option<&Party<'_>>) -> Option<bool> {
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
    pub(super) fn home_imsi(&self, imsi: &str, called: Option<&Party<'_>>) -> Option<bool> {
        let h = &self.policy.home.plmns;
        if !h.is_empty() {
            return Some(h.iter().any(|p| imsi.starts_with(p.as_str())));
        }
        let p = e212::plmn_of(imsi)?;
        let c = country_code(called?)?;
        Some(!p.iso.is_empty() && p.iso == c.iso)
    }

    pub(super) fn map_behaviour(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
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
            let fs = &self.policy.fs11;
            let (cat1, cat2, cat3) = (
                fs.category1.contains(&op.0),
                fs.category2.contains(&op.0),
                fs.category3.contains(&op.0),
            );
            let routing = ROUTING_INFO_OPS.contains(&op);
            // identities and the caller's standing are worked out only for operations that
            // need them, once
            let needs = cat1 || cat2 || cat3 || routing;
            let imsi = if needs { imsi(e) } else { None };
            let msisdn = if cat1 || cat2 || routing {
                msisdn(e)
            } else {
                None
            };
            let foreign = match calling {
                Some(c) if cat1 || cat2 || routing => self.foreign(c, called) == Some(true),
                _ => false,
            };
            let evidence = || {
                json!({"operation": e.operation(), "opcode": op.0, "calling_gt": calling.and_then(Party::digits_str),
                       "calling_country": calling_country, "called_gt": called.and_then(Party::digits_str),
                       "called_country": called.and_then(Party::country_name),
                       "imsi": opt_str(imsi.as_ref()), "msisdn": opt_str(msisdn.as_ref()), "requested_info": requested_info(e)})
            };
            if cat1 && foreign {
                found.hit(&sig::FS11_CATEGORY1, evidence);
            }
            if cat2
                && foreign
                && imsi.and_then(|i| self.home_imsi(i.as_str(), called)) == Some(true)
            {
                found.hit(&sig::FS11_CATEGORY2, evidence);
            }
            if cat3 {
                self.velocity(e, imsi, calling, ts, found);
            }
            if routing && foreign {
                if let (Some(c), Some(who)) = (calling, msisdn.or(imsi)) {
                    self.harvesting(c, e, &who, op, ts, found);
                }
            }
            // beaconing: the same operation between the same global titles
            if let Some(ev) = self.beacon(BeaconKey::Map(ctx.pair, op.0), ts, size) {
                found.hit(&sig::BEACONING, || {
                    // the message's own digits (the keys may be hashes of unusual ones)
                    let end = |p: Option<&Party<'_>>, e: &End| {
                        p.and_then(Party::digits_str)
                            .map_or_else(|| e.to_json(), Value::from)
                    };
                    json!({"operation": e.operation(), "from": end(calling, &ctx.pair.0), "to": end(called, &ctx.pair.1), "timing": ev})
                });
            }
        }
    }

    /// Many distinct subscribers looked up by one foreign global title within the window.
    pub(super) fn harvesting(
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
    pub(super) fn velocity(
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
                           "from_node": prev.node.as_str(), "to_country": country, "to_node": node.as_str(),
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
                node: node_text(node.as_str()),
            },
        );
    }

    /// Record one event for `key`; `Some(evidence)` the first time its last
    /// `beacon_min_events` events are regular in period and constant in size (again after
    /// an hour).
    pub(super) fn beacon(&mut self, key: BeaconKey, ts: f64, size: Option<u64>) -> Option<Value> {
        let t = &self.policy.thresholds;
        let (n, max_cv, min_period) = (
            t.beacon_min_events.min(BEACON_HISTORY),
            t.beacon_max_cv,
            t.beacon_min_period_s,
        );
        // only the last n events are judged; the history lives in the entry (no heap)
        let key = std::hash::BuildHasher::hash_one(&self.beacon_keys, key);
        // a full table is emptied before it would grow
        if self.beacons.len() >= MAX_STATE_KEYS && !self.beacons.contains_key(&key) {
            bounded(&mut self.beacons, &mut self.stats.state_resets);
        }
        let b = self.beacons.entry(key).or_insert_with(Beacon::new);
        b.push(ts, size.map_or(0, |s| u16::try_from(s).unwrap_or(u16::MAX)));
        if usize::from(b.count) < n || n < 2 || b.alerted_at.is_some_and(|a| ts - a < 3600.0) {
            return None;
        }
        // the last n timestamps: n - 1 gaps, mean and spread computed in place
        let gaps = || {
            b.last(n)
                .zip(b.last(n).skip(1))
                .map(|((a, _), (c, _))| c - a)
        };
        let count = (n - 1) as f64;
        let mean = gaps().sum::<f64>() / count;
        if mean < min_period {
            return None;
        }
        let var = gaps().map(|g| (g - mean).powi(2)).sum::<f64>() / count;
        let cv = var.sqrt() / mean;
        let last_size = b.last(1).next().map(|(_, s)| u64::from(s));
        let constant = b.last(n).all(|(_, s)| Some(u64::from(s)) == last_size);
        if cv <= max_cv && constant {
            b.alerted_at = Some(ts);
            return Some(
                json!({"events": n, "period_s": round(mean, 3), "cv": round(cv, 3), "size": last_size}),
            );
        }
        None
    }

    pub(super) fn gtp_behaviour(
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
        // Echo is a keepalive (periodic by design, constant size): judged only between peers
        // that carry no session, with jitter allowed and sizes that vary (gtp_peers.rs).
        if matches!(ty, GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE) {
            self.echo_beacon(m, g, ctx, length, found);
        }
        // G-PDU is user traffic: never a beacon.
        if !matches!(ty, GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE | GTP_GPDU) {
            let key = BeaconKey::Gtp(ctx.pair, msg.version(), ty);
            if let Some(ev) = self.beacon(key, ctx.ts, length) {
                found.hit(&sig::BEACONING, || json!({"gtp": gtp_name(g), "from": ctx.pair.0.to_json(), "to": ctx.pair.1.to_json(), "timing": ev}));
            }
        }
    }
}
