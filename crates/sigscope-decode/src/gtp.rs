//! The GTP part of the walk: decode the datagram, run the request/response matcher (whose
//! outcomes raise their own anomalies, [`Outcome::anomaly`]), and gather the identities.

use sigscope_core::Layer;
use sigscope_gtp::matcher::{Matcher, Plane};
use sigscope_gtp::v1::{self, V1Value};
use sigscope_gtp::v2::{self, V2Value};
use sigscope_gtp::{Decoded, Message as GtpMessage};

use crate::anomalies::MsgAnomalies;
use crate::message::{Endpoints, GtpLayer, GtpSummary, Upper};

/// Nested grouped GTPv2 IEs walked for identities (deeper ones are not read).
pub const MAX_GROUPED_DEPTH: usize = 8;

/// GTPv0 message type of a T-PDU (user data, no IEs).
pub const V0_TPDU: u8 = 255;

/// Flows that carried GTP off the GTP ports remembered at once (direct-mapped by their ends).
pub const OFF_PORT_FLOWS: usize = 64;
/// How long such a flow's answers are read as GTP after its last GTP datagram.
pub const OFF_PORT_WINDOW_NANOS: u64 = 60_000_000_000;

/// Per-capture GTP state: the request/response matcher, and the flows that carried GTP off
/// the GTP ports (an implant listening on a port of its own: its answers are read as GTP).
#[derive(Default)]
pub struct GtpState {
    /// Pairs requests with responses.
    pub matcher: Matcher,
    /// (key of the flow's ends as sent, time) of GTP seen off the GTP ports (made on first use).
    off_port: Vec<(u64, u64)>,
}

impl GtpState {
    /// GTP off the GTP ports went from `src:sport` to `dst:dport` at `ts`.
    fn sent_off_port(&mut self, e: &Endpoints, ts: u64) {
        if self.off_port.is_empty() {
            self.off_port = vec![(0, 0); OFF_PORT_FLOWS];
        }
        let key = crate::decoder::hash_key(&(e.src, e.dst, e.sport, e.dport)) | 1;
        if let Some(s) = self.off_port.get_mut(key as usize % OFF_PORT_FLOWS) {
            *s = (key, ts);
        }
    }

    /// Whether a datagram `e` answers a flow that carried GTP off the GTP ports lately.
    fn answers_off_port(&self, e: &Endpoints, ts: u64) -> bool {
        if self.off_port.is_empty() {
            return false;
        }
        let key = crate::decoder::hash_key(&(e.dst, e.src, e.dport, e.sport)) | 1;
        self.off_port
            .get(key as usize % OFF_PORT_FLOWS)
            .is_some_and(|&(k, at)| k == key && ts >= at && ts - at <= OFF_PORT_WINDOW_NANOS)
    }
}

/// Decode one UDP payload into `slot` (the layer is large: it is built where it stays);
/// `None` when it is not GTP and not on a GTP port.
pub fn gtp_step<'a, 's>(
    slot: &'s mut Option<GtpLayer<'a>>,
    st: &mut GtpState,
    payload: &'a [u8],
    ends: Option<Endpoints>,
    sport: u16,
    dport: u16,
    ts: u64,
) -> Option<&'s GtpLayer<'a>> {
    // the layer is written where it stays: the datagram decoded into it, the identities
    // gathered into it (neither is built elsewhere and moved)
    let decoded = {
        let layer = slot.insert(GtpLayer {
            decoded: Decoded::empty(),
            plane: Plane::Control,
            summary: GtpSummary::default(),
            outcome: None,
            piggybacked_outcome: None,
        });
        let on_port = sigscope_gtp::on_gtp_ports(sport, dport);
        let mut ok = sigscope_gtp::decode_into(payload, sport, dport, &mut layer.decoded);
        if let (false, false, Some(e)) = (ok, on_port, ends.as_ref()) {
            // the answer on a flow that carried GTP off the GTP ports: read as GTP when it
            // parses as GTP (what does not stays ordinary UDP)
            if st.answers_off_port(e, ts) {
                let p = sigscope_gtp::PORT_GTPC;
                ok = sigscope_gtp::decode_into(payload, p, p, &mut layer.decoded)
                    && !matches!(layer.decoded.message, GtpMessage::NotGtp(_));
            }
        }
        if let (true, false, Some(e)) = (ok, on_port, ends.as_ref()) {
            st.sent_off_port(e, ts);
        }
        ok
    };
    if !decoded {
        *slot = None;
        return None;
    }
    let layer = slot.as_mut()?;
    let d = &layer.decoded;
    let mut plane = d.message.plane(sport, dport);
    if let GtpMessage::V1(m) = &d.message {
        // The port says which plane (Echo and Supported Extension Headers Notification belong
        // to both); GTPv1 on the GTP'/GTPv0 port falls back to what the message is.
        if plane == Plane::V0Prime {
            plane = if m.message_type().is_user_plane_only() {
                Plane::User
            } else {
                Plane::Control
            };
        }
    }
    layer.plane = plane;
    if let Some(e) = ends {
        let t = d.message.txn(sport, dport);
        st.matcher
            .observe_into(&t, e.src, e.dst, ts, &mut layer.outcome);
        if let Some(p) = &d.piggybacked {
            let pm = GtpMessage::V2(*p);
            let t = pm.txn(sport, dport);
            st.matcher
                .observe_into(&t, e.src, e.dst, ts, &mut layer.piggybacked_outcome);
        }
    }
    summary_into(&d.message, &mut layer.summary);
    Some(&*layer)
}

impl GtpLayer<'_> {
    /// The `path` step: `gtpv0`, `gtpv1`, `gtpu`, `gtpv2`, `gtp_prime`, or `gtp`.
    pub fn upper(&self) -> Upper {
        match &self.decoded.message {
            GtpMessage::V1(_) if self.plane == Plane::User => Upper::Gtpu,
            GtpMessage::V1(_) => Upper::Gtpv1,
            GtpMessage::V2(_) => Upper::Gtpv2,
            GtpMessage::Prime(_) => Upper::GtpPrime,
            GtpMessage::V0(_) => Upper::Gtpv0,
            GtpMessage::Runt(_) | GtpMessage::NotGtp(_) => Upper::Gtp,
        }
    }

    /// The layer's anomalies: the datagram's, then the matcher's.
    pub fn anomalies(&self, out: &mut MsgAnomalies) {
        out.take(&self.decoded.anomalies, 0, Layer::Gtp);
        let ty = self.decoded.message.message_type();
        if let Some(a) = self.outcome.as_ref().and_then(|o| o.anomaly(ty)) {
            out.push(a);
        }
        if let (Some(p), Some(o)) = (&self.decoded.piggybacked, &self.piggybacked_outcome) {
            if let Some(a) = o.anomaly(p.message_type().0) {
                out.push(a);
            }
        }
    }
}

/// Identities and key values of a message's IEs (first occurrence wins).
pub fn summary<'a>(m: &GtpMessage<'a>) -> GtpSummary<'a> {
    let mut s = GtpSummary::default();
    summary_into(m, &mut s);
    s
}

/// [`summary`] into `s` (empty: first occurrences win over what it holds).
pub fn summary_into<'a>(m: &GtpMessage<'a>, s: &mut GtpSummary<'a>) {
    match m {
        GtpMessage::V2(m) => v2_summary(m.ies(), 0, s),
        GtpMessage::V1(m) if !m.is_gpdu() => v1_summary(m.ies(), s),
        GtpMessage::Prime(m) => v1_summary(m.ies(), s),
        GtpMessage::V0(m) if m.message_type().0 != V0_TPDU => v1_summary(m.ies(), s),
        _ => {}
    }
}

/// GTPv1 IE types whose values the summary takes (TS 29.060 numbering).
const V1_SUMMARY_IES: [v1::IeType; 7] = [
    v1::IeType::CAUSE,
    v1::IeType::IMSI,
    v1::IeType::RECOVERY,
    v1::IeType::APN,
    v1::IeType::MSISDN,
    v1::IeType::RAT_TYPE,
    v1::IeType::IMEI_SV,
];

/// GTPv2 IE types whose values the summary takes (grouped IEs are entered).
const V2_SUMMARY_IES: [v2::IeType; 7] = [
    v2::IeType::IMSI,
    v2::IeType::CAUSE,
    v2::IeType::RECOVERY,
    v2::IeType::APN,
    v2::IeType::MEI,
    v2::IeType::MSISDN,
    v2::IeType::RAT_TYPE,
];

fn v1_summary<'a>(ies: v1::IeIter<'a>, s: &mut GtpSummary<'a>) {
    for ie in ies.map_while(Result::ok) {
        if ie.ie_type == v1::IeType::PRIVATE_EXTENSION {
            s.private_extension = true;
            continue;
        }
        // GTP' and GTPv0 number some IEs differently: only GTPv1 is filtered by type
        if ie.table == v1::TvTable::V1 && !V1_SUMMARY_IES.contains(&ie.ie_type) {
            continue;
        }
        match ie.decode() {
            Ok(V1Value::Imsi(d)) => {
                s.imsi.get_or_insert(d);
            }
            Ok(V1Value::Msisdn { digits, .. }) if ie.ie_type == v1::IeType::MSISDN => {
                s.msisdn.get_or_insert(digits);
            }
            Ok(V1Value::Apn(l)) => {
                s.apn.get_or_insert(l);
            }
            Ok(V1Value::Imei(d)) => {
                s.mei.get_or_insert(d);
            }
            Ok(V1Value::Cause(c)) => {
                s.cause.get_or_insert(c);
            }
            Ok(V1Value::Recovery(c)) => {
                s.recovery.get_or_insert(c);
            }
            Ok(V1Value::RatType(c)) => {
                s.rat_type.get_or_insert(c);
            }
            _ => {}
        }
    }
}

fn v2_summary<'a>(ies: v2::IeIter<'a>, depth: usize, s: &mut GtpSummary<'a>) {
    if depth > MAX_GROUPED_DEPTH {
        return;
    }
    for ie in ies.map_while(Result::ok) {
        if !(ie.ie_type.is_grouped() || V2_SUMMARY_IES.contains(&ie.ie_type)) {
            if ie.ie_type == v2::IeType::PRIVATE_EXTENSION {
                s.private_extension = true;
            }
            continue;
        }
        match ie.decode() {
            Ok(V2Value::Imsi(d)) => {
                s.imsi.get_or_insert(d);
            }
            Ok(V2Value::Msisdn(d)) => {
                s.msisdn.get_or_insert(d);
            }
            Ok(V2Value::Apn(l)) => {
                s.apn.get_or_insert(l);
            }
            Ok(V2Value::Mei(d)) => {
                s.mei.get_or_insert(d);
            }
            Ok(V2Value::Cause(c)) if ie.depth == 0 => {
                s.cause.get_or_insert(c.value);
            }
            Ok(V2Value::Recovery(c)) => {
                s.recovery.get_or_insert(c);
            }
            Ok(V2Value::RatType(c)) => {
                s.rat_type.get_or_insert(c);
            }
            Ok(V2Value::Grouped(inner)) => v2_summary(inner, depth + 1, s),
            _ => {}
        }
    }
}
