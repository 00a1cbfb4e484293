//! Behaviour detectors (3xxx): stateful and bounded — who talks to whom, how often, from where.

use serde_json::{json, Value};
use sigscope_core::{e164, e212, AnomalyCode};
use sigscope_decode::{GtpLayer, Message, Party};
use sigscope_gtp::Message as Gtp;
use sigscope_map::param::Role;
use sigscope_map::{MapEntry, OpCode};
use sigscope_sccp::Ssn;
use sigscope_tcap::{ComponentKind, Tcap};

use super::beacon::requester_tx;
use super::harvest::{block_key, harvest_key, BLOCK_WIDTHS};
use super::home::HOME_CODE_OCTETS;
use super::sms_service::{silent_sms, text_for_a_reader};
use super::*;
use crate::signatures as sig;

/// Nature of address "international number" of a MAP AddressString (TS 29.002 17.7.8).
const NAI_INTERNATIONAL: u8 = 1;

/// A home global-title prefix without its country code (`4477009` → `77009`).
fn national_part(prefix: &str) -> Option<&[u8]> {
    let cc = e164::country_of(prefix)?.cc;
    prefix.as_bytes().get(cc.len()..)
}

/// The octets naming a MAP entry's subscriber, undecoded: its IMSI, else its MSISDN, else
/// the IMSI or LMSI of SM-RP-DA.
fn subscriber_octets<'a>(e: &MapEntry<'a>) -> Option<&'a [u8]> {
    let p = e.param.as_ref()?;
    if let Some(i) = p.imsi {
        return Some(i.raw);
    }
    if let Some(a) = msisdn_address(e) {
        return Some(a.digit_octets());
    }
    match p.sm_rp_da {
        Some(sigscope_map::SmRpDa::Imsi(i)) => Some(i.raw),
        Some(sigscope_map::SmRpDa::Lmsi(l)) => Some(l),
        _ => None,
    }
}

/// A subscriber's octets folded to 16 bits (FNV-1a, both halves): a beacon's events must
/// agree on it.
fn fold_subject(o: &[u8]) -> u16 {
    let h = o.iter().fold(0x811c_9dc5u32, |a, b| {
        (a ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    });
    (h ^ (h >> 16)) as u16
}

/// Operations a VLR or SGSN sends to the HLR about a subscriber it serves: purgeMS (the VLR
/// drops the subscriber's record: they were there), restoreData (the node restarted with the
/// subscriber in it), readyForSM (the subscriber is reachable there again). Sent from abroad
/// for a home subscriber just active at home, each is judged for impossible travel (a
/// spoofed purge makes the subscriber unreachable); a purge places no one.
const LOCATION_CLAIMS: [OpCode; 3] = [OpCode::PURGE_MS, OpCode::RESTORE_DATA, OpCode::READY_FOR_SM];

/// Supplementary-service and USSD operations a VLR sends to the HLR for a subscriber it
/// serves (the subscriber set a forwarding or dialled a code there: registerSS, eraseSS,
/// activateSS, deactivateSS, interrogateSS, registerPassword, processUnstructuredSS-Request;
/// FS.11 category 3). From a VLR (calling SSN 7) each places the subscriber there and, from
/// abroad for a home subscriber just active at home, is judged for impossible travel as a
/// location claim is (a spoofed forwarding diverts the subscriber's calls; a spoofed USSD
/// reads or moves their balance). Their parameters name no IMSI: the dialogue's MAP-OPEN
/// does ([`dialogue_imsi`]). (processUnstructuredSS-Request from an HLR to a gsmSCF is the
/// same operation relayed: not the VLR's, not judged.)
const VLR_SUBSCRIBER_OPS: [OpCode; 7] = [
    OpCode::REGISTER_SS,
    OpCode::ERASE_SS,
    OpCode::ACTIVATE_SS,
    OpCode::DEACTIVATE_SS,
    OpCode::INTERROGATE_SS,
    OpCode::REGISTER_PASSWORD,
    OpCode::PROCESS_UNSTRUCTURED_SS_REQUEST,
];

/// Lookups of one subscriber's location, routing or identity, judged with a tracker's
/// jitter when they come from abroad ([`Engine::beacon`]'s `tracking`): sendRoutingInfoForSM
/// (a lookup delivered is an SMS service's, exempt), sendRoutingInfo,
/// sendRoutingInfoForGprs, sendIMSI, anyTimeInterrogation, anyTimeSubscriptionInterrogation,
/// provideSubscriberInfo, provideSubscriberLocation, sendRoutingInfoForLCS. Not what a
/// roaming subscriber's own device sends (authentication, updates, USSD): a machine's
/// attaches and sessions recur on its own jittered clock.
const TRACKING_OPS: [OpCode; 9] = [
    OpCode::SEND_ROUTING_INFO_FOR_SM,
    OpCode::SEND_ROUTING_INFO,
    OpCode::SEND_ROUTING_INFO_FOR_GPRS,
    OpCode::SEND_IMSI,
    OpCode::ANY_TIME_INTERROGATION,
    OpCode::ANY_TIME_SUBSCRIPTION_INTERROGATION,
    OpCode::PROVIDE_SUBSCRIBER_INFO,
    OpCode::PROVIDE_SUBSCRIBER_LOCATION,
    OpCode::SEND_ROUTING_INFO_FOR_LCS,
];

/// A title in national format (its digits carry no country code).
fn national_title(p: &Party<'_>) -> bool {
    p.address
        .gt
        .is_some_and(|g| g.nai == Some(sigscope_sccp::NatureOfAddress::NATIONAL))
}

/// Numbering plan "land mobile numbering" (E.212) of a MAP address string (TS 29.002
/// AddressString): a MAP-OPEN destination reference in it is the subscriber's IMSI.
const PLAN_LAND_MOBILE: u8 = 6;

/// The IMSI a dialogue's MAP-OPEN names as its destination reference (in land mobile
/// numbering): the subscriber of operations whose parameters carry none.
fn dialogue_imsi(m: &Message<'_>) -> Option<Id> {
    let r = m.tcap?.map_dialogue.as_ref()?.destination_reference?;
    (r.plan() == PLAN_LAND_MOBILE).then(|| Id::of_tbcd(r.digit_octets()))
}

impl Engine {
    #[inline(never)]
    pub(super) fn behaviour(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
        let ts = ctx.ts;
        let first = *self.first_ts.get_or_insert(ts);
        // a response nobody asked for is named by an anomaly (few messages have any)
        if !m.anomalies.is_empty() && ts - first >= self.policy.thresholds.unsolicited_warmup_s {
            self.unsolicited_responses(m, ctx, found);
        }
        if !m.map.is_empty() {
            self.map_behaviour(m, ctx, found);
        }
        if let Some(g) = &m.gtp {
            self.gtp_behaviour(m, g, ctx, found);
        }
    }

    /// Responses without a request (anomalies the matchers raised), counted per pair of
    /// ends; out of line and cold: only messages with anomalies, after the warm-up, get here.
    #[cold]
    #[inline(never)]
    fn unsolicited_responses(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
        let ts = ctx.ts;
        for a in m.anomalies {
            if matches!(
                a.code,
                AnomalyCode::UnmatchedResponse | AnomalyCode::TcapResponseWithoutRequest
            ) {
                let key = *ctx.pair();
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
    }

    /// Is a calling global title foreign? With home prefixes: not one of them. Without:
    /// its country differs from the called global title's.
    pub(super) fn foreign(&self, calling: &Party<'_>, called: Option<&Party<'_>>) -> Option<bool> {
        let h = &self.policy.home.gt_prefixes;
        let c = calling.digits.as_ref()?;
        if !h.is_empty() {
            let c = c.as_bytes();
            // a national number has no country code: it is home when it starts with a home
            // prefix without its country code (national format is routed within the country)
            let national = calling
                .address
                .gt
                .is_some_and(|g| g.nai == Some(sigscope_sccp::NatureOfAddress::NATIONAL));
            let home = h.iter().any(|p| {
                c.starts_with(p.as_bytes())
                    || (national
                        && national_part(p).is_some_and(|n| !n.is_empty() && c.starts_with(n)))
            });
            return Some(!home);
        }
        let a = country_code(calling)?;
        let b = country_code(called?)?;
        Some(a.cc != b.cc || (a.iso != b.iso && !a.iso.is_empty() && !b.iso.is_empty()))
    }

    /// Both titles are the home network's (by the policy's home prefixes; never without).
    fn home_pair(&self, calling: Option<&Party<'_>>, called: Option<&Party<'_>>) -> bool {
        let h = &self.policy.home.gt_prefixes;
        let home = |p: Option<&Party<'_>>| {
            p.and_then(|p| p.digits.as_ref())
                .is_some_and(|d| h.iter().any(|x| d.as_bytes().starts_with(x.as_bytes())))
        };
        !h.is_empty() && home(calling) && home(called)
    }

    /// Without the policy's home titles: a location service's polling within one country
    /// (anyTimeInterrogation or provideSubscriberInfo between two titles of the same country,
    /// a gsmSCF's fleet tracking or family locator), which the policy would show to be two
    /// home titles ([`Engine::home_pair`]). Tracking from abroad still beacons.
    fn domestic_polling(
        &self,
        op: OpCode,
        calling: Option<&Party<'_>>,
        called: Option<&Party<'_>>,
    ) -> bool {
        if !self.policy.home.gt_prefixes.is_empty()
            || !matches!(
                op,
                OpCode::ANY_TIME_INTERROGATION | OpCode::PROVIDE_SUBSCRIBER_INFO
            )
        {
            return false;
        }
        match (
            calling.and_then(country_code),
            called.and_then(country_code),
        ) {
            (Some(a), Some(b)) => a.cc == b.cc && a.iso == b.iso,
            _ => false,
        }
    }

    /// A subscriber's own HLR asking the VLR serving them where they are
    /// (provideSubscriberInfo, which a location service's anyTimeInterrogation sets off, on a
    /// clock for fleet tracking): the calling title is of the IMSI's own network — a home
    /// title for a home IMSI with the policy, else the IMSI's country. Not a beacon, wherever
    /// the subscriber roams; a PSI from any other network still is judged.
    fn own_subscriber_polling(
        &mut self,
        op: OpCode,
        imsi: Option<&Id>,
        calling: Option<&Party<'_>>,
    ) -> bool {
        let (true, Some(i), Some(c)) = (op == OpCode::PROVIDE_SUBSCRIBER_INFO, imsi, calling)
        else {
            return false;
        };
        let h = &self.policy.home;
        if !h.gt_prefixes.is_empty() && !h.plmns.is_empty() && self.home_imsi(i, None) == Some(true)
        {
            // a home subscriber: with both lists, the home helpers answer from them alone
            let home_title = c
                .digits
                .as_ref()
                .and_then(|d| self.home_number(d.as_bytes(), None));
            return home_title == Some(true);
        }
        // an inbound roamer (or no lists): its own network is its IMSI's country
        let from = country_code(c).map(|c| c.iso);
        matches!((self.plmn_iso(i), from), (Some(h), Some(f)) if !h.is_empty() && h == f)
    }

    /// Is an E.164 number (an HLR's) one of the home network's? With home prefixes: it starts
    /// with one. Without: its country is the country of the network being asked.
    fn home_number(&self, digits: &[u8], called: Option<&Party<'_>>) -> Option<bool> {
        let h = &self.policy.home.gt_prefixes;
        if !h.is_empty() {
            return Some(h.iter().any(|p| digits.starts_with(p.as_bytes())));
        }
        let a = e164::country_of_bytes(digits)?;
        let b = country_code(called?)?;
        Some(a.cc == b.cc && a.iso == b.iso)
    }

    /// Is an IMSI a home subscriber's? With home PLMNs: one of them. Without: its country is
    /// the country of the network being asked (the called global title).
    pub(super) fn home_imsi(&mut self, imsi: &Id, called: Option<&Party<'_>>) -> Option<bool> {
        let h = &self.policy.home.plmns;
        if !h.is_empty() {
            return Some(h.iter().any(|p| imsi.as_bytes().starts_with(p.as_bytes())));
        }
        let iso = self.plmn_iso(imsi)?;
        let c = country_code(called?)?;
        Some(!iso.is_empty() && iso == c.iso)
    }

    /// The ISO code of the PLMN an IMSI belongs to ([`e212::plmn_of`]), remembered by the
    /// digits it depends on (MCC and the longest MNC). Not core's direct-mapped
    /// `e212::PlmnMemo`: its few places hold a capture's networks, but here the six digits
    /// include a subscriber digit for two-digit MNCs, up to ten keys a network, and that
    /// memo measured 0.6% more instructions on `detect` than this table (0.4% with 128 places).
    pub(super) fn plmn_iso(&mut self, imsi: &Id) -> Option<&'static str> {
        let b = imsi.as_bytes();
        let key = DigitKey::of_bytes(b.get(..PLMN_PREFIX_DIGITS).unwrap_or(b));
        if key.hashed() {
            return e212::plmn_of(imsi.as_str()).map(|p| p.iso);
        }
        if let Some(iso) = self.plmn_isos.get(&key) {
            return *iso;
        }
        let iso = e212::plmn_of(imsi.as_str()).map(|p| p.iso);
        if self.plmn_isos.len() >= MAX_PLMN_MEMO {
            self.plmn_isos.clear();
        }
        self.plmn_isos.insert(key, iso);
        iso
    }

    pub(super) fn map_behaviour(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
        let ts = ctx.ts;
        let (calling, called) = m.parties();
        let calling = calling.filter(|p| p.digits.is_some());
        let called = called.filter(|p| p.digits.is_some());
        let calling_country = calling.and_then(Party::country_name);
        self.guess_home(calling, called);
        let size = m
            .sccp
            .as_ref()
            .and_then(|s| s.msg.data)
            .map(|d| d.value.len() as u64);
        if let (Some(c), Some(cc)) = (calling, calling_country) {
            let allowed = &self.policy.interconnect.allowed_countries;
            let outside = !allowed.is_empty()
                && !allowed.iter().any(|a| a.eq_ignore_ascii_case(cc))
                && self.foreign(c, called) != Some(false);
            // reported once per calling title and window, with its messages since
            let gt = c.digits.as_ref().filter(|_| outside);
            if let Some(messages) =
                gt.and_then(|d| self.outside_due(Outside::Gt(DigitKey::of_digits(d)), ts))
            {
                let allowed = &self.policy.interconnect.allowed_countries;
                let window = self.policy.thresholds.outside_peer_window_s;
                found.hit(&sig::PEER_OUTSIDE_INTERCONNECT, || json!({"calling_gt": c.digits_str(), "country": cc, "allowed_countries": allowed, "messages": messages, "window_s": window}));
            }
        }
        for (i, e) in m.map.iter().enumerate() {
            if e.component != ComponentKind::Invoke {
                if matches!(
                    e.component,
                    ComponentKind::ReturnError | ComponentKind::ReturnResultLast
                ) {
                    self.answered(m, e);
                }
                continue;
            }
            let Some(op) = e.opcode.and_then(OpCode::from_local) else {
                continue;
            };
            let [c1, c2, c3] = &self.fs11;
            let (cat1, cat2, cat3) = (c1.contains(op.0), c2.contains(op.0), c3.contains(op.0));
            let routing = ROUTING_INFO_OPS.contains(&op);
            if op == OpCode::MT_FORWARD_SM || op == OpCode::MO_FORWARD_SM {
                if let Some(c) = calling {
                    self.delivered(c);
                }
            }
            // identities and the caller's standing are worked out only for operations that
            // need them, once
            let needs = cat1 || cat2 || cat3 || routing;
            let ids = ctx.ids(i);
            let imsi = if needs { ids.imsi(e) } else { None };
            let msisdn = if cat1 || cat2 || routing {
                ids.msisdn(e)
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
                       "imsi": imsi.map(Id::as_str), "msisdn": msisdn.map(Id::as_str), "requested_info": requested_info(e)})
            };
            if cat1 && foreign {
                found.hit(&sig::FS11_CATEGORY1, evidence);
                found.actor(&sig::FS11_CATEGORY1, calling.and_then(Actor::gt));
                self.name_lookups(calling, ts, &sig::FS11_CATEGORY1, found);
            }
            // category 2: only the subscriber's home network sends these. A home subscriber's
            // from a foreign GT; an inbound roamer's from a GT of another country than the
            // one their IMSI belongs to
            if cat2 {
                if let (Some(i), Some(c)) = (imsi, calling) {
                    let wrong_home = match self.home_imsi(i, called) {
                        Some(true) => foreign,
                        _ => {
                            let home = self.plmn_iso(i);
                            let from = country_code(c).map(|c| c.iso);
                            matches!((home, from), (Some(h), Some(f)) if !h.is_empty() && !f.is_empty() && h != f)
                        }
                    };
                    if wrong_home {
                        found.hit(&sig::FS11_CATEGORY2, evidence);
                        found.actor(&sig::FS11_CATEGORY2, Actor::gt(c));
                        self.name_lookups(calling, ts, &sig::FS11_CATEGORY2, found);
                    }
                } else if op == OpCode::RESET && foreign {
                    // reset names no subscriber: it names the HLR that restarted, and only
                    // that HLR's network sends it. One of ours named from a foreign title is
                    // a spoofed restart (every VLR then drops and refetches our subscribers)
                    let hlr = address(e, Role::HLR_NUMBER).map(|a| a.digits());
                    if hlr.is_some_and(|h| self.home_number(h.as_bytes(), called) == Some(true)) {
                        found.hit(&sig::FS11_CATEGORY2, || {
                            json!({"operation": e.operation(), "opcode": op.0,
                                   "calling_gt": calling.and_then(Party::digits_str),
                                   "calling_country": calling_country,
                                   "called_gt": called.and_then(Party::digits_str),
                                   "hlr_number": hlr.as_ref().map(|h| h.as_str())})
                        });
                        found.actor(&sig::FS11_CATEGORY2, calling.and_then(Actor::gt));
                    }
                }
            }
            // an update whose node (VLR, SGSN number, in international format) belongs to
            // another country than the title sending it: a node registers its subscribers
            // under its own title (FS.11 checks the calling title against the VLR address of
            // UpdateLocation), so another country's title claiming it is a spoofed update
            if matches!(op, OpCode::UPDATE_LOCATION | OpCode::UPDATE_GPRS_LOCATION)
                && !found.seen(sig::FS11_CATEGORY2.id)
            {
                if let Some(c) = calling {
                    self.node_of_another_country(e, c, found);
                }
            }
            // the subscriber's place: judged on updates, followed on other activity
            // a delivery: mt-ForwardSM, or MAP v1/v2 forwardSM (the code of mo-ForwardSM)
            // whose SM-RP-DA names the subscriber
            let to_subscriber = || {
                e.param.as_ref().is_some_and(|p| {
                    matches!(
                        p.sm_rp_da,
                        Some(sigscope_map::SmRpDa::Imsi(_) | sigscope_map::SmRpDa::Lmsi(_))
                    )
                })
            };
            // activity places the subscriber at the node that sent it: authentication, and a
            // short message the subscriber sent (not one delivered to them by an SMSC, which
            // may be at home while they are abroad)
            let from_vlr = || calling.and_then(Party::ssn) == Some(Ssn::VLR);
            let vlr_op = VLR_SUBSCRIBER_OPS.contains(&op) && from_vlr();
            let claims = LOCATION_CLAIMS.contains(&op) || vlr_op;
            let activity = op == OpCode::SEND_AUTHENTICATION_INFO
                || claims
                || (op == OpCode::MO_FORWARD_SM && !to_subscriber());
            if cat3 {
                self.velocity(e, imsi, calling, true, true, ts, found);
            } else if activity {
                // a home subscriber's activity at home places them (inbound roamers are not
                // followed: their updates come from our own VLRs)
                let opened = if vlr_op { dialogue_imsi(m) } else { None };
                let imsi = ids
                    .imsi(e)
                    .or(opened.as_ref())
                    .filter(|i| self.home_imsi(i, called) == Some(true));
                if imsi.is_some() {
                    // authentication asked from abroad is judged as an update is (a spoofed
                    // VLR asks for a subscriber's vectors): placed by its calling title
                    // (so are a purge, a restore and a ready-for-SM: each says the
                    // subscriber is or was at the node that sends it)
                    let judged = (op == OpCode::SEND_AUTHENTICATION_INFO || claims)
                        && calling.is_some_and(|c| self.foreign(c, called) == Some(true));
                    // a purge says where the subscriber was: it places no one, and only a
                    // VLR's is judged (an SGSN a subscriber left for CS-only service at
                    // home is never cancelled, and purges them hours later)
                    let purge = op == OpCode::PURGE_MS;
                    if !purge || address(e, Role::VLR_NUMBER).is_some() {
                        self.velocity(e, imsi, calling, judged, !purge, ts, found);
                    }
                }
            }
            let delivery =
                op == OpCode::MT_FORWARD_SM || (op == OpCode::MO_FORWARD_SM && to_subscriber());
            if delivery {
                self.interception(e, ids.imsi(e), called, ts, found);
                // the delivery of a lookup's answer (an SMS service's lookup, not a poll)
                if let Some(sigscope_map::SmRpDa::Imsi(i)) =
                    e.param.as_ref().and_then(|p| p.sm_rp_da)
                {
                    self.retries.delivered_to(
                        octets_digest(i.raw),
                        calling,
                        &mut self.stats.state_resets,
                    );
                }
            }
            if routing && foreign {
                if let (Some(c), Some(who)) = (calling, msisdn.or(imsi)) {
                    self.harvesting(c, e, who, op, m, found);
                }
            }
            // beaconing: the same operation between the same global titles
            // the operator's own services between its own titles (a gsmSCF's location
            // polling, an SMS router's retries) are declared peers at work, as GTP Echoes are
            // a text message delivered to the subscriber (an alert or code service's, on
            // its clock) is an SMS service, not a beacon; an empty, one-character or
            // type-0 ("silent") one is judged
            if self.home_pair(calling, called)
                || self.domestic_polling(op, calling, called)
                || self.own_subscriber_polling(op, imsi, calling)
                || (delivery && text_for_a_reader(e))
            {
                continue;
            }
            let subject = subscriber_octets(e).map_or(0, fold_subject);
            let digest = BeaconKey::Map(ctx.pair(), op.0).digest(self.beacon_seed);
            // the dialogue's answer will say whether this attempt failed (a retry schedule)
            if let Some(tx) = requester_tx(m, true, calling) {
                self.retries.asked(tx, digest);
            }
            if op == OpCode::SEND_ROUTING_INFO_FOR_SM {
                self.retries.lookup(digest);
            }
            // a subscriber's location, routing or identity asked from abroad on a clock:
            // tracking, whatever the jitter
            // (so is a silent SMS, type 0, delivered on a clock: a tracker's ping)
            let tracking = subject != 0
                && (TRACKING_OPS.contains(&op) || (delivery && silent_sms(e)))
                && calling.is_some_and(|c| self.foreign(c, called) == Some(true));
            if let Some(ev) = self
                .beacon(digest, ts, size, subject, tracking)
                .filter(|_| {
                    let n = self.policy.thresholds.beacon_min_events;
                    // a retry schedule, or an SMS service's lookups delivered
                    let retried = self.retries.retrying(digest, n);
                    let served = op == OpCode::SEND_ROUTING_INFO_FOR_SM
                        && self.retries.delivering(digest, n);
                    !(retried || served)
                })
            {
                found.hit(&sig::BEACONING, || {
                    // the message's own digits (the keys may be hashes of unusual ones)
                    let end = |p: Option<&Party<'_>>, e: &End| {
                        p.and_then(Party::digits_str)
                            .map_or_else(|| e.to_json(), Value::from)
                    };
                    json!({"operation": e.operation(), "from": end(calling, &ctx.pair().0), "to": end(called, &ctx.pair().1), "timing": ev})
                });
                // each event is a transaction of its own: the polling title is named, so that
                // its next polls (and their answers) are reported with it
                found.actor(&sig::BEACONING, calling.and_then(Actor::gt));
            }
        }
    }

    /// A short message delivered by `calling` (mt-/mo-ForwardSM): counted for the global
    /// title's harvesting judgement, and its block's (an SMSC delivers what it looks up).
    pub(super) fn delivered(&mut self, calling: &Party<'_>) {
        let Some(digits) = calling.digits.as_ref().filter(|_| !self.harvest.is_empty()) else {
            return;
        };
        if let Some(h) = self.harvest.get_mut(&harvest_key(calling, digits)) {
            h.deliveries = h.deliveries.saturating_add(1);
        }
        for open in BLOCK_WIDTHS {
            if let Some((k, _)) = block_key(calling, digits, open) {
                if let Some(h) = self.harvest.get_mut(&k) {
                    h.deliveries = h.deliveries.saturating_add(1);
                }
            }
        }
    }

    /// 3003 for an update naming a node (VLR, else SGSN number) whose country code is not
    /// the calling title's. Out of line: updates are a small share.
    #[cold]
    #[inline(never)]
    fn node_of_another_country(&mut self, e: &MapEntry<'_>, c: &Party<'_>, found: &mut Hits<'_>) {
        let Some(node) = address(e, Role::VLR_NUMBER)
            .or_else(|| address(e, Role::SGSN_NUMBER))
            .filter(|a| a.is_e164() && a.nature() == NAI_INTERNATIONAL)
        else {
            return;
        };
        let digits = node.digits();
        let (Some(n), Some(f)) = (e164::country_of_bytes(digits.as_bytes()), country_code(c))
        else {
            return;
        };
        if n.cc == f.cc {
            return;
        }
        found.hit(&sig::FS11_CATEGORY2, || {
            json!({"operation": e.operation(), "calling_gt": c.digits_str(),
                   "calling_country": c.country_name(), "node_number": digits.as_str(),
                   "node_country": if n.iso.is_empty() { n.cc } else { n.iso },
                   "shape": "node_number_of_another_country"})
        });
        // (no actor named: the title may be a real node whose numbering the check cannot
        // know, and its own traffic is not to be tagged for one update)
    }

    /// FS.11 category 3: the place a subscriber is seen (an update location names the new
    /// VLR/SGSN; other activity — authentication, mobile-originated SMS — names the serving
    /// node by its calling GT) moves further than anyone travels in the time since the last
    /// place. Only updates are judged (they are what an attacker sends); every event moves
    /// the subscriber. The node an impossible update names is remembered: short messages then
    /// delivered to it are interception.
    ///
    /// `moves`: the event places the subscriber at its node (a purge says where they were,
    /// not where they are: judged, it moves no one and places no new subscriber).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn velocity(
        &mut self,
        e: &MapEntry<'_>,
        imsi: Option<&Id>,
        calling: Option<&Party<'_>>,
        judged: bool,
        moves: bool,
        ts: f64,
        found: &mut Hits<'_>,
    ) {
        let Some(imsi) = imsi else { return };
        // an update names the new node; other activity is placed by its calling GT, whose
        // country the decoder worked out already
        let named = if judged {
            address(e, Role::VLR_NUMBER)
                .or_else(|| address(e, Role::SGSN_NUMBER))
                .or_else(|| address(e, Role::MSC_NUMBER))
                .map(|a| a.digits())
        } else {
            None
        };
        let (node, country) = match named {
            Some(n) => {
                let c = e164::country_of_bytes(n.as_bytes());
                (n, c)
            }
            None => match calling.and_then(|c| Some((c.digits?, country_code(c)))) {
                Some(x) => x,
                None => return,
            },
        };
        // a title in national format names no country: it is one of the network the probe
        // sits in (national format is routed within the country), the home country
        let mut home = [0u8; HOME_CODE_OCTETS];
        let country = match country.map(|c| if c.iso.is_empty() { c.cc } else { c.iso }) {
            Some(c) => c,
            None if named.is_none() && calling.is_some_and(national_title) => {
                match self.home_code(&mut home) {
                    Some(c) => c,
                    None => return,
                }
            }
            None => return,
        };
        let Some(place) = Place::of(country) else {
            return;
        };
        let t = &self.policy.thresholds;
        let (window, speed, min_km) = (
            t.velocity_window_s,
            t.max_travel_speed_kmh,
            t.velocity_min_distance_km,
        );
        let key = DigitKey::of_bytes(imsi.as_bytes());
        if !moves && !self.locations.contains_key(&key) {
            return;
        }
        let node_key = DigitKey::of_digits(&node);
        // one lookup: a full table is emptied before a new subscriber (or node) would grow it
        if (self.locations.len() >= MAX_STATE_KEYS && !self.locations.contains_key(&key))
            || (self.nodes.len() >= MAX_STATE_KEYS && !self.node_ids.contains_key(&node_key))
        {
            self.locations.clear();
            self.stats.state_resets += 1;
            self.nodes.clear();
            self.node_ids.clear();
            // a subscriber forgotten is no longer a suspect either
            self.suspects.clear();
        }
        // the node's index among the distinct nodes (few: the network's VLRs, SGSNs, MSCs)
        let at = match self.node_ids.entry(node_key) {
            std::collections::hash_map::Entry::Occupied(o) => *o.get(),
            std::collections::hash_map::Entry::Vacant(v) => {
                // the list never holds more than `MAX_STATE_KEYS` nodes
                let Ok(at) = u32::try_from(self.nodes.len()) else {
                    return;
                };
                self.nodes.push(node_text(node.as_str()));
                *v.insert(at)
            }
        };
        let seen = Seen {
            ts,
            node: at,
            country: place,
        };
        // a new subscriber is only placed
        let Some((_, prev)) = self.locations.get_or_insert_with(key, || (key, seen)) else {
            return;
        };
        let mut suspect = None;
        let dt = ts - prev.ts;
        let mut buf = [0u8; PLACE_OCTETS];
        let from_country = prev.country.text(&mut buf);
        // the least travel between the two countries (none between neighbours)
        let km = (prev.country != place)
            .then(|| sigscope_core::geo::travel_km(from_country, country))
            .flatten();
        if let (true, Some(km)) = (judged && (0.0..window).contains(&dt), km) {
            let needed_s = km / speed * 3600.0;
            if km > 0.0 && km >= min_km && dt < needed_s {
                // the update names the VLR (or SGSN) and the MSC serving it: a short message
                // is delivered to the MSC's number, the same node as the VLR's or not
                let msc = address(e, Role::MSC_NUMBER).map(|a| DigitKey::of_digits(&a.digits()));
                suspect = Some(Suspect {
                    node: node_key,
                    msc,
                    until: ts + window,
                });
                let from_node = self
                    .nodes
                    .get(prev.node as usize)
                    .copied()
                    .unwrap_or_default();
                found.hit(&sig::FS11_CATEGORY3_VELOCITY, || json!({"operation": e.operation(), "imsi": imsi.as_str(), "from_country": from_country,
                           "from_node": from_node.as_str(), "to_country": country, "to_node": node.as_str(),
                           "seconds": round(dt, 3), "distance_km": round(km, 0),
                           "travel_needs_s": round(needed_s, 0), "max_speed_kmh": speed}));
            }
        }
        if !moves {
            return;
        }
        prev.country = place;
        prev.ts = ts;
        prev.node = at;
        match suspect {
            Some(s) => {
                self.suspects.insert(key, s);
            }
            // a suspect node stays suspect while its window lasts
            None if !self.suspects.is_empty() => {
                if let std::collections::hash_map::Entry::Occupied(o) = self.suspects.entry(key) {
                    if ts > o.get().until {
                        o.remove();
                    }
                }
            }
            None => {}
        }
    }

    /// A short message delivered to a subscriber (mt-ForwardSM, IMSI in SM-RP-DA) at the
    /// node an impossible update moved them to: interception.
    pub(super) fn interception(
        &mut self,
        e: &MapEntry<'_>,
        entry_imsi: Option<&Id>,
        called: Option<&Party<'_>>,
        ts: f64,
        found: &mut Hits<'_>,
    ) {
        // nobody moved impossibly: nothing to look up (most deliveries)
        if self.suspects.is_empty() {
            return;
        }
        let da = e.param.as_ref().and_then(|p| match p.sm_rp_da {
            Some(sigscope_map::SmRpDa::Imsi(i)) => Some(Id::of_tbcd(i.raw)),
            _ => None,
        });
        let Some(imsi) = da.as_ref().or(entry_imsi) else {
            return;
        };
        let Some(to) = called.and_then(|c| c.digits.as_ref()) else {
            return;
        };
        let key = DigitKey::of_bytes(imsi.as_bytes());
        let Some(&Suspect { node, msc, until }) = self.suspects.get(&key) else {
            return;
        };
        let Some((_, seen)) = self.locations.get(&key) else {
            return;
        };
        let to_key = DigitKey::of_digits(to);
        if ts <= until && (node == to_key || msc == Some(to_key)) {
            found.hit(&sig::SMS_INTERCEPTION, || {
                json!({"operation": e.operation(), "imsi": imsi.as_str(), "delivered_to": to.as_str(),
                       "moved_there_from_country": seen.country.text(&mut [0; PLACE_OCTETS])})
            });
        }
    }

    /// 3006 for GTP: an end outside the declared interconnect, reported when it is first
    /// seen and again once per `outside_peer_window_s` with the messages to or from it since
    /// (a standing violation, such as an undeclared node that keeps talking, is one alert an
    /// hour, not one per flow and minute).
    fn outside_peers(
        &mut self,
        src: IpAddr,
        dst: IpAddr,
        g: &GtpLayer<'_>,
        ts: f64,
        found: &mut Hits<'_>,
    ) {
        let window = self.policy.thresholds.outside_peer_window_s;
        let mut due: ArrayVec<(IpAddr, u64), 2> = ArrayVec::new();
        for ip in [src, dst] {
            if self.peers.iter().any(|c| c.contains(ip)) || due.iter().any(|(d, _)| *d == ip) {
                continue;
            }
            if let Some(n) = self.outside_due(Outside::Ip(ip), ts) {
                let _ = due.try_push((ip, n));
            }
        }
        if !due.is_empty() {
            found.hit(&sig::PEER_OUTSIDE_INTERCONNECT, || {
                let outside: Vec<Value> = due.iter().map(|(ip, _)| ip.to_string().into()).collect();
                let messages: Vec<Value> = due.iter().map(|(_, n)| (*n).into()).collect();
                json!({"gtp": gtp_name(g), "outside": outside, "messages": messages, "window_s": window})
            });
        }
    }

    /// One more message of `key` (outside the interconnect): its messages since it was last
    /// reported (this one included) when it is due again — first seen, or
    /// `outside_peer_window_s` after its last report.
    fn outside_due(&mut self, key: Outside, ts: f64) -> Option<u64> {
        if !self.outside.contains_key(&key) {
            bounded(&mut self.outside, &mut self.stats.state_resets);
        }
        let window = self.policy.thresholds.outside_peer_window_s;
        let e = self.outside.entry(key).or_insert((f64::NEG_INFINITY, 0));
        e.1 += 1;
        (ts - e.0 >= window || ts < e.0).then(|| {
            let n = e.1;
            *e = (ts, 0);
            n
        })
    }

    pub(super) fn gtp_behaviour(
        &mut self,
        m: &Message<'_>,
        g: &GtpLayer<'_>,
        ctx: &Ctx,
        found: &mut Hits<'_>,
    ) {
        if let (false, Some(e)) = (self.peers.is_empty(), &m.endpoints) {
            self.outside_peers(e.src, e.dst, g, ctx.ts, found);
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
        // G-PDU is user traffic: never a beacon. GTP' is charging: nodes hand their records
        // to the charging gateway on a timer and each transfer is acknowledged in a constant
        // size (its abuse is 3024's, records to a gateway not declared).
        let prime = matches!(msg, Gtp::Prime(_));
        // An Error Indication answers a peer's G-PDUs on a tunnel it does not know (after a
        // restart, at the rate the stale tunnel's traffic and the node's rate limit set,
        // TS 29.281 7.3.1): periodic because the traffic it answers is (3027 judges probing).
        let answers_traffic =
            matches!(msg, Gtp::V1(_)) && ty == sigscope_gtp::v1::MsgType::ERROR_INDICATION.0;
        if !prime
            && !answers_traffic
            && !matches!(ty, GTP_ECHO_REQUEST | GTP_ECHO_RESPONSE | GTP_GPDU)
        {
            let key = BeaconKey::Gtp(ctx.pair(), msg.version(), ty);
            // what a session's message is about: its subscriber, else its tunnel (an answer
            // names the requester's tunnel of that session): a node re-creating many
            // subscribers' sessions at its throttle's pace after a restart is no beacon.
            // Other messages name no session a sender could not make up: no subject (a
            // beacon's random tunnel ids would hide it)
            let subject = match (
                super::gtp_peers::session_message(msg),
                &g.summary.imsi,
                msg.teid(),
            ) {
                (false, _, _) => 0,
                (true, Some(i), _) => fold_subject(i.as_bytes()),
                (true, None, Some(t)) => fold_subject(&t.to_be_bytes()),
                (true, None, None) => 0,
            };
            if let Some(ev) =
                self.beacon(key.digest(self.beacon_seed), ctx.ts, length, subject, false)
            {
                found.hit(&sig::BEACONING, || json!({"gtp": gtp_name(g), "from": ctx.pair().0.to_json(), "to": ctx.pair().1.to_json(), "timing": ev}));
            }
        }
    }
}
