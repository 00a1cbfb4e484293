//! The `gtp` object of decode records (DESIGN.md schema: `version`, `type`, `name`, `teid`,
//! `seq`, `imsi`, `msisdn`, `apn`, `ies: [{type, instance, len}]`), plus the protocol variant,
//! header flags, typed IE values (`value`), cause, recovery, F-TEIDs, ULI, the inner packet of a
//! G-PDU, extension headers, the piggybacked GTPv2 message and the request/response match.

use std::fmt::Write as _;

use serde_json::{json, Map, Value};
use sigscope_core::{Anomaly, AnomalyCode, Layer};
use sigscope_gtp::common::{Labels, Pco, PlmnId, Tft};
use sigscope_gtp::matcher::{Matcher, Outcome, Plane};
use sigscope_gtp::v1::{self, V1Value};
use sigscope_gtp::v2::{self, V2Value};
use sigscope_gtp::{gtpu, prime, Message};

/// Raw IE values longer than this are cut in the `hex` output (the record says `hex_truncated`).
pub const MAX_HEX_BYTES: usize = 256;

/// Per-decoding-session GTP state: the request/response matcher.
#[derive(Default)]
pub struct GtpState {
    /// Pairs requests with responses.
    pub matcher: Matcher,
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(2 * b.len().min(MAX_HEX_BYTES));
    for x in b.iter().take(MAX_HEX_BYTES) {
        let _ = write!(s, "{x:02x}");
    }
    s
}

fn hex_json(o: &mut Map<String, Value>, b: &[u8]) {
    o.insert("hex".into(), hex(b).into());
    if b.len() > MAX_HEX_BYTES {
        o.insert("hex_truncated".into(), true.into());
    }
}

fn text(b: &[u8]) -> Value {
    String::from_utf8_lossy(b).into_owned().into()
}

fn plmn(p: &PlmnId) -> Value {
    json!({"mcc": p.mcc(), "mnc": p.mnc()})
}

fn labels(l: &Labels<'_>) -> Value {
    l.to_string().into()
}

fn pco(p: &Pco<'_>) -> Value {
    let opts: Vec<Value> = p
        .iter()
        .map_while(Result::ok)
        .map(|(id, c)| json!({"id": id, "len": c.len()}))
        .collect();
    json!({"protocol": p.protocol, "options": opts})
}

fn tft(t: &Tft<'_>) -> Value {
    let filters: Vec<Value> = t
        .filters()
        .map_while(Result::ok)
        .map(|f| json!({"id": f.id, "direction": f.direction, "precedence": f.precedence, "len": f.contents.len()}))
        .collect();
    json!({"op_code": t.op_code, "filters": t.filter_count, "packet_filters": filters})
}

fn arp(a: &v1::Arp) -> Value {
    json!({"pci": a.pci, "pl": a.pl, "pvi": a.pvi})
}

/// JSON of a typed GTPv1 / GTP' / GTPv0 IE value (`None` for values kept raw).
pub fn v1_value_json(v: &V1Value<'_>) -> Option<Value> {
    Some(match v {
        V1Value::Cause(c)
        | V1Value::MapCause(c)
        | V1Value::Recovery(c)
        | V1Value::SelectionMode(c)
        | V1Value::Nsapi(c)
        | V1Value::RanapCause(c)
        | V1Value::RadioPriority(c)
        | V1Value::MsNotReachableReason(c)
        | V1Value::PacketTransferCommand(c)
        | V1Value::Flags(c)
        | V1Value::ApnRestriction(c)
        | V1Value::RatType(c)
        | V1Value::HopCounter(c) => json!(c),
        V1Value::Imsi(d) | V1Value::Imei(d) => json!(d.as_str()),
        V1Value::Rai { plmn: p, lac, rac } => json!({"plmn": plmn(p), "lac": lac, "rac": rac}),
        V1Value::Tlli(x)
        | V1Value::PTmsi(x)
        | V1Value::PTmsiSignature(x)
        | V1Value::TeidDataI(x)
        | V1Value::TeidCPlane(x)
        | V1Value::ChargingId(x)
        | V1Value::CsgId(x)
        | V1Value::UeUsageType(x) => json!(x),
        V1Value::ReorderingRequired(b) | V1Value::MsValidated(b) | V1Value::TeardownInd(b) => {
            json!(b)
        }
        V1Value::TeidDataII { nsapi, teid } => json!({"nsapi": nsapi, "teid": teid}),
        V1Value::PacketFlowId { nsapi, pfi } => json!({"nsapi": nsapi, "pfi": pfi}),
        V1Value::ChargingCharacteristics(x)
        | V1Value::TraceReference(x)
        | V1Value::TraceType(x) => json!(x),
        V1Value::EndUserAddress(e) => {
            let mut o = json!({"organisation": e.organisation, "pdp_type": e.pdp_type});
            if let Some(a) = e.addr {
                o["addr"] = a.to_string().into();
            }
            if let Some(a) = e.addr2 {
                o["addr2"] = a.to_string().into();
            }
            o
        }
        V1Value::Apn(l) | V1Value::Fqdn(l) => labels(l),
        V1Value::Pco(p) => pco(p),
        V1Value::Address(a) => json!(a.to_string()),
        V1Value::Msisdn { ton_npi, digits } => {
            json!({"ton_npi": ton_npi, "digits": digits.as_str()})
        }
        V1Value::QosProfile { arp, data } => json!({"arp": arp, "len": data.len()}),
        V1Value::Tft(t) => tft(t),
        V1Value::Text(b) => text(b),
        V1Value::Uli(u) => {
            json!({"location_type": u.location_type, "plmn": plmn(&u.plmn), "lac": u.lac, "id": u.id})
        }
        V1Value::MsTimeZone { tz, dst } => json!({"tz": tz, "dst": dst}),
        V1Value::Plmn(p) => plmn(p),
        V1Value::EvolvedArp(a) => arp(a),
        V1Value::EvolvedArpII { nsapi, arp: a } => json!({"nsapi": nsapi, "arp": arp(a)}),
        V1Value::ApnAmbr { ul, dl } => json!({"ul": ul, "dl": dl}),
        V1Value::UeAmbr { ul, dl, authorized } => {
            let mut o = json!({"ul": ul, "dl": dl});
            if let Some((a, b)) = authorized {
                o["authorized_ul"] = (*a).into();
                o["authorized_dl"] = (*b).into();
            }
            o
        }
        V1Value::ApnAmbrWithNsapi { nsapi, ul, dl } => json!({"nsapi": nsapi, "ul": ul, "dl": dl}),
        V1Value::ExtHeaderTypes(b) => json!(b),
        V1Value::QosProfileV0 {
            delay_class,
            reliability_class,
            peak_throughput,
            precedence_class,
            mean_throughput,
        } => json!({
            "delay_class": delay_class,
            "reliability_class": reliability_class,
            "peak_throughput": peak_throughput,
            "precedence_class": precedence_class,
            "mean_throughput": mean_throughput,
        }),
        V1Value::FlowLabel(x) => json!(x),
        V1Value::FlowLabelDataII { nsapi, flow_label } => {
            json!({"nsapi": nsapi, "flow_label": flow_label})
        }
        V1Value::SequenceNumbers(b) => {
            let v: Vec<u16> = b
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            json!(v)
        }
        V1Value::DataRecordPacket {
            records,
            format,
            data,
        } => json!({"records": records, "format": format, "len": data.len()}),
        V1Value::PrivateExtension { enterprise, value } => {
            json!({"enterprise": enterprise, "hex": hex(value)})
        }
        V1Value::Raw(_) => return None,
    })
}

fn ip_opt(o: &mut Value, k: &str, a: Option<impl ToString>) {
    if let Some(a) = a {
        o[k] = a.to_string().into();
    }
}

fn uli_json(u: &v2::Uli) -> Value {
    let mut o = json!({"flags": u.flags});
    if let Some((p, lac, ci)) = u.cgi {
        o["cgi"] = json!({"plmn": plmn(&p), "lac": lac, "ci": ci});
    }
    if let Some((p, lac, sac)) = u.sai {
        o["sai"] = json!({"plmn": plmn(&p), "lac": lac, "sac": sac});
    }
    if let Some((p, lac, rac)) = u.rai {
        o["rai"] = json!({"plmn": plmn(&p), "lac": lac, "rac": rac});
    }
    if let Some((p, tac)) = u.tai {
        o["tai"] = json!({"plmn": plmn(&p), "tac": tac});
    }
    if let Some((p, eci)) = u.ecgi {
        o["ecgi"] = json!({"plmn": plmn(&p), "eci": eci});
    }
    if let Some((p, lac)) = u.lai {
        o["lai"] = json!({"plmn": plmn(&p), "lac": lac});
    }
    if let Some((p, id)) = u.macro_enb {
        o["macro_enb"] = json!({"plmn": plmn(&p), "id": id});
    }
    if let Some((p, id, sm)) = u.ext_macro_enb {
        o["ext_macro_enb"] = json!({"plmn": plmn(&p), "id": id, "smenb": sm});
    }
    o
}

fn f_teid_json(instance: u8, f: &v2::FTeid) -> Value {
    let mut o = json!({"instance": instance, "interface_type": f.interface_type, "teid": f.teid});
    ip_opt(&mut o, "ipv4", f.ipv4);
    ip_opt(&mut o, "ipv6", f.ipv6);
    o
}

/// JSON of a typed GTPv2 IE value (`None` for raw and grouped values).
pub fn v2_value_json(v: &V2Value<'_>, instance: u8) -> Option<Value> {
    Some(match v {
        V2Value::Imsi(d)
        | V2Value::Mei(d)
        | V2Value::Msisdn(d)
        | V2Value::StnSr(d)
        | V2Value::NodeNumber(d)
        | V2Value::RemoteUserId(d) => {
            json!(d.as_str())
        }
        V2Value::Cause(c) => {
            let mut o = json!({"value": c.value, "pce": c.pce, "bce": c.bce, "cs": c.cs});
            if let Some((t, i)) = c.offending {
                o["offending_ie"] = json!({"type": t, "instance": i});
            }
            o
        }
        V2Value::Recovery(x)
        | V2Value::Ebi(x)
        | V2Value::RatType(x)
        | V2Value::U8(x)
        | V2Value::Flags(x) => json!(x),
        V2Value::Apn(l) | V2Value::Fqdn(l) => labels(l),
        V2Value::Ambr { ul, dl } => json!({"ul": ul, "dl": dl}),
        V2Value::IpAddress(a) => json!(a.to_string()),
        V2Value::Indication(b) => json!(hex(b)),
        V2Value::Pco(p) => pco(p),
        V2Value::Paa(p) => {
            let mut o = json!({"pdn_type": p.pdn_type});
            ip_opt(&mut o, "ipv4", p.ipv4);
            if let Some((len, a)) = p.ipv6 {
                o["ipv6"] = a.to_string().into();
                o["ipv6_prefix_len"] = len.into();
            }
            o
        }
        V2Value::Qos(q) => {
            let mut o = json!({"qci": q.qci, "mbr_ul": q.mbr_ul, "mbr_dl": q.mbr_dl, "gbr_ul": q.gbr_ul, "gbr_dl": q.gbr_dl});
            if let Some(a) = &q.arp {
                o["arp"] = arp(a);
            }
            o
        }
        V2Value::Plmn(p) => plmn(p),
        V2Value::Tft(t) => tft(t),
        V2Value::Uli(u) => uli_json(u),
        V2Value::FTeid(f) => f_teid_json(instance, f),
        V2Value::U32(x) => json!(x),
        V2Value::U16(x) => json!(x),
        V2Value::GlobalCnId { plmn: p, cn_id } => json!({"plmn": plmn(p), "cn_id": cn_id}),
        V2Value::TraceInfo(t) => {
            let mut o = json!({"plmn": plmn(&t.plmn), "trace_id": t.trace_id, "ne_types": t.ne_types, "depth": t.depth});
            ip_opt(&mut o, "collection_entity", t.collection_entity);
            o
        }
        V2Value::UeTimeZone { tz, dst } => json!({"tz": tz, "dst": dst}),
        V2Value::TraceReference { plmn: p, trace_id } => {
            json!({"plmn": plmn(p), "trace_id": trace_id})
        }
        V2Value::Guti {
            plmn: p,
            mme_group_id,
            mme_code,
            m_tmsi,
        } => {
            json!({"plmn": plmn(p), "mme_group_id": mme_group_id, "mme_code": mme_code, "m_tmsi": m_tmsi})
        }
        V2Value::Typed { kind, data } => json!({"kind": kind, "len": data.len()}),
        V2Value::TargetId(t) => {
            let mut o =
                json!({"target_type": t.target_type, "plmn": plmn(&t.plmn), "node_id": t.node_id});
            if let Some(tac) = t.tac {
                o["tac"] = tac.into();
            }
            o
        }
        V2Value::FqCsid(f) => {
            let csids: Vec<u16> = f
                .csids
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            let mut o = json!({"node_id_type": f.node_id_type, "csids": csids});
            ip_opt(&mut o, "node_addr", f.node_addr);
            if let Some(n) = f.node_number {
                o["node_number"] = n.into();
            }
            o
        }
        V2Value::Uci {
            plmn: p,
            csg_id,
            access_mode,
            flags,
        } => {
            json!({"plmn": plmn(p), "csg_id": csg_id, "access_mode": access_mode, "flags": flags})
        }
        V2Value::Text(b) => text(b),
        V2Value::Throttling { delay, factor } => json!({"delay": delay, "factor": factor}),
        V2Value::Arp(a) => arp(a),
        V2Value::EpcTimer { unit, value } => json!({"unit": unit, "value": value}),
        V2Value::NodeIdentifier { name, realm } => {
            json!({"name": text(name), "realm": text(realm)})
        }
        V2Value::Timestamp(t) => json!(t),
        V2Value::Counter { timestamp, value } => json!({"timestamp": timestamp, "value": value}),
        V2Value::MaxPacketLossRate { ul, dl } => json!({"ul": ul, "dl": dl}),
        V2Value::Ncgi {
            plmn: p,
            nr_cell_id,
        } => json!({"plmn": plmn(p), "nr_cell_id": nr_cell_id}),
        V2Value::MonitoringEventExtension {
            flags,
            scef_reference_id,
            scef_id,
            rest,
        } => {
            let mut o = json!({"flags": flags, "scef_reference_id": scef_reference_id, "scef_id": text(scef_id)});
            if !rest.is_empty() {
                o["rest_hex"] = hex(rest).into();
            }
            o
        }
        V2Value::PrivateExtension { enterprise, value } => {
            json!({"enterprise": enterprise, "hex": hex(value)})
        }
        V2Value::Grouped(_) | V2Value::Raw(_) => return None,
    })
}

/// Identities and key fields gathered while walking IEs (first occurrence wins).
#[derive(Default)]
struct Summary {
    imsi: Option<String>,
    msisdn: Option<String>,
    apn: Option<String>,
    mei: Option<String>,
    cause: Option<u8>,
    recovery: Option<u8>,
    rat_type: Option<u8>,
    uli: Option<Value>,
    f_teids: Vec<Value>,
}

impl Summary {
    fn put(self, o: &mut Map<String, Value>) {
        for (k, v) in [
            ("imsi", self.imsi),
            ("msisdn", self.msisdn),
            ("apn", self.apn),
            ("mei", self.mei),
        ] {
            if let Some(v) = v {
                o.insert(k.into(), v.into());
            }
        }
        for (k, v) in [
            ("cause", self.cause),
            ("recovery", self.recovery),
            ("rat_type", self.rat_type),
        ] {
            if let Some(v) = v {
                o.insert(k.into(), v.into());
            }
        }
        if let Some(u) = self.uli {
            o.insert("uli".into(), u);
        }
        if !self.f_teids.is_empty() {
            o.insert("f_teid".into(), Value::Array(self.f_teids));
        }
    }
}

fn v1_ies_json(ies: v1::IeIter<'_>, decode: bool, sum: &mut Summary) -> Vec<Value> {
    let mut out = Vec::new();
    for ie in ies.map_while(Result::ok) {
        let mut o = Map::new();
        o.insert("type".into(), ie.ie_type.0.into());
        o.insert("instance".into(), 0.into());
        o.insert("len".into(), ie.value.len().into());
        // In the numbering of the message's version (GTPv0 has its own names for a few types).
        if let Some(n) = ie.name() {
            o.insert("name".into(), n.into());
        }
        o.insert("offset".into(), ie.offset.into());
        let val = if decode { ie.decode().ok() } else { None };
        match &val {
            Some(V1Value::Imsi(d)) => {
                sum.imsi.get_or_insert_with(|| d.as_str().to_string());
            }
            Some(V1Value::Msisdn { digits, .. }) if ie.ie_type == v1::IeType::MSISDN => {
                sum.msisdn
                    .get_or_insert_with(|| digits.as_str().to_string());
            }
            Some(V1Value::Apn(l)) => {
                sum.apn.get_or_insert_with(|| l.to_string());
            }
            Some(V1Value::Imei(d)) => {
                sum.mei.get_or_insert_with(|| d.as_str().to_string());
            }
            Some(V1Value::Cause(c)) => {
                sum.cause.get_or_insert(*c);
            }
            Some(V1Value::Recovery(c)) => {
                sum.recovery.get_or_insert(*c);
            }
            Some(V1Value::RatType(c)) => {
                sum.rat_type.get_or_insert(*c);
            }
            Some(V1Value::Uli(u)) => {
                sum.uli.get_or_insert_with(|| json!({"location_type": u.location_type, "plmn": plmn(&u.plmn), "lac": u.lac, "id": u.id}));
            }
            _ => {}
        }
        match val.as_ref().and_then(v1_value_json) {
            Some(v) => {
                o.insert("value".into(), v);
            }
            None => hex_json(&mut o, ie.value),
        }
        out.push(Value::Object(o));
    }
    out
}

fn v2_ies_json(ies: v2::IeIter<'_>, sum: &mut Summary) -> Vec<Value> {
    let mut out = Vec::new();
    for ie in ies.map_while(Result::ok) {
        let mut o = Map::new();
        o.insert("type".into(), ie.ie_type.0.into());
        o.insert("instance".into(), ie.instance.into());
        o.insert("len".into(), ie.value.len().into());
        if let Some(n) = ie.ie_type.name() {
            o.insert("name".into(), n.into());
        }
        o.insert("offset".into(), ie.offset.into());
        let val = ie.decode().ok();
        match &val {
            Some(V2Value::Imsi(d)) => {
                sum.imsi.get_or_insert_with(|| d.as_str().to_string());
            }
            Some(V2Value::Msisdn(d)) => {
                sum.msisdn.get_or_insert_with(|| d.as_str().to_string());
            }
            Some(V2Value::Apn(l)) => {
                sum.apn.get_or_insert_with(|| l.to_string());
            }
            Some(V2Value::Mei(d)) => {
                sum.mei.get_or_insert_with(|| d.as_str().to_string());
            }
            Some(V2Value::Cause(c)) if ie.depth == 0 => {
                sum.cause.get_or_insert(c.value);
            }
            Some(V2Value::Recovery(c)) => {
                sum.recovery.get_or_insert(*c);
            }
            Some(V2Value::RatType(c)) => {
                sum.rat_type.get_or_insert(*c);
            }
            Some(V2Value::Uli(u)) => {
                sum.uli.get_or_insert_with(|| uli_json(u));
            }
            Some(V2Value::FTeid(f)) => sum.f_teids.push(f_teid_json(ie.instance, f)),
            _ => {}
        }
        match val {
            Some(V2Value::Grouped(inner)) => {
                o.insert("ies".into(), Value::Array(v2_ies_json(inner, sum)));
            }
            Some(ref v) => match v2_value_json(v, ie.instance) {
                Some(j) => {
                    o.insert("value".into(), j);
                }
                None => hex_json(&mut o, ie.value),
            },
            None => hex_json(&mut o, ie.value),
        }
        out.push(Value::Object(o));
    }
    out
}

fn v2_json(m: &v2::V2Slice<'_>) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("version".into(), 2.into());
    o.insert("protocol".into(), "gtpv2".into());
    o.insert("type".into(), m.message_type().0.into());
    if let Some(n) = m.message_type().name() {
        o.insert("name".into(), n.into());
    }
    if let Some(t) = m.teid() {
        o.insert("teid".into(), t.into());
    }
    o.insert("seq".into(), m.sequence().into());
    if let Some(p) = m.priority() {
        o.insert("priority".into(), p.into());
    }
    o.insert(
        "flags".into(),
        json!({"p": m.p(), "t": m.t(), "mp": m.mp()}),
    );
    o.insert("length".into(), m.length().into());
    let mut sum = Summary::default();
    let ies = v2_ies_json(m.ies(), &mut sum);
    sum.put(&mut o);
    o.insert("ies".into(), Value::Array(ies));
    o
}

fn header_common(
    o: &mut Map<String, Value>,
    version: u8,
    protocol: &str,
    t: u8,
    name: Option<&str>,
) {
    o.insert("version".into(), version.into());
    o.insert("protocol".into(), protocol.into());
    o.insert("type".into(), t.into());
    if let Some(n) = name {
        o.insert("name".into(), n.into());
    }
}

fn v1_json(
    m: &v1::V1Slice<'_>,
    inner: Option<&gtpu::InnerSummary>,
    plane: Plane,
) -> Map<String, Value> {
    let mut o = Map::new();
    let t = m.message_type();
    header_common(&mut o, 1, "gtpv1", t.0, t.name());
    // The port says which plane (Echo and Supported Extension Headers Notification belong to
    // both); GTPv1 on the GTP'/GTPv0 port falls back to what the message is.
    let plane = match plane {
        Plane::Control | Plane::User => plane,
        Plane::V0Prime if t.is_user_plane_only() => Plane::User,
        Plane::V0Prime => Plane::Control,
    };
    o.insert("plane".into(), plane.as_str().into());
    o.insert("teid".into(), m.teid().into());
    // Wireshark shows the sequence field whenever the optional header is present.
    if let Some(s) = m.raw_sequence() {
        o.insert("seq".into(), s.into());
    }
    if let Some(n) = m.npdu() {
        o.insert("npdu".into(), n.into());
    }
    o.insert(
        "flags".into(),
        json!({"pt": m.pt(), "e": m.e(), "s": m.s(), "pn": m.pn()}),
    );
    o.insert("length".into(), m.length().into());
    let ext: Vec<Value> = m
        .ext_headers()
        .map_while(Result::ok)
        .map(|h| {
            let mut e = json!({"type": h.ext_type.0, "len": h.content.len()});
            if let Some(n) = h.ext_type.name() {
                e["name"] = n.into();
            }
            match h.value() {
                v1::ExtValue::UdpPort(p) => e["udp_port"] = p.into(),
                v1::ExtValue::PdcpPduNumber(p) => e["pdcp_pdu_number"] = p.into(),
                v1::ExtValue::LongPdcpPduNumber(p) => e["pdcp_pdu_number"] = p.into(),
                v1::ExtValue::ServiceClassIndicator(p) => e["service_class_indicator"] = p.into(),
                v1::ExtValue::PduSessionContainer { pdu_type, qfi, rqi } => {
                    e["pdu_type"] = pdu_type.into();
                    e["qfi"] = qfi.into();
                    e["rqi"] = rqi.into();
                }
                v1::ExtValue::Raw(b) => e["hex"] = hex(b).into(),
            }
            e
        })
        .collect();
    if !ext.is_empty() {
        o.insert("ext_headers".into(), Value::Array(ext));
    }
    if m.is_gpdu() {
        o.insert("tpdu_len".into(), m.body().len().into());
        if let Some(s) = inner {
            let mut i = json!({"version": s.version, "src": s.src.to_string(), "dst": s.dst.to_string(), "protocol": s.protocol});
            if let Some(p) = s.sport {
                i["sport"] = p.into();
            }
            if let Some(p) = s.dport {
                i["dport"] = p.into();
            }
            if s.fragmented {
                i["fragmented"] = true.into();
            }
            if s.incomplete {
                i["incomplete"] = true.into();
            }
            o.insert("inner".into(), i);
        }
    } else {
        let mut sum = Summary::default();
        let ies = v1_ies_json(m.ies(), true, &mut sum);
        sum.put(&mut o);
        o.insert("ies".into(), Value::Array(ies));
    }
    o
}

fn message_json(d: &sigscope_gtp::Decoded<'_>, sport: u16, dport: u16) -> Map<String, Value> {
    match &d.message {
        Message::V2(m) => {
            let mut o = v2_json(m);
            if let Some(p) = &d.piggybacked {
                o.insert("piggybacked".into(), Value::Object(v2_json(p)));
            }
            o
        }
        Message::V1(m) => v1_json(m, d.inner.as_ref(), d.message.plane(sport, dport)),
        Message::Prime(m) => {
            let mut o = Map::new();
            let t = m.message_type();
            header_common(&mut o, m.version(), "gtp_prime", t.0, d.message.name());
            o.insert("seq".into(), m.sequence().into());
            o.insert("length".into(), m.length().into());
            o.insert("header_len".into(), m.header_len().into());
            let mut sum = Summary::default();
            let ies = v1_ies_json(m.ies(), true, &mut sum);
            sum.put(&mut o);
            o.insert("ies".into(), Value::Array(ies));
            o
        }
        Message::V0(m) => {
            let mut o = Map::new();
            header_common(
                &mut o,
                0,
                "gtpv0",
                m.message_type().0,
                prime::v0_name(m.message_type().0),
            );
            o.insert("seq".into(), m.sequence().into());
            o.insert("length".into(), m.length().into());
            o.insert("flow_label".into(), m.flow_label().into());
            o.insert("tid".into(), hex(&m.tid()).into());
            o.insert("tid_imsi".into(), m.tid_imsi().as_str().into());
            o.insert("nsapi".into(), m.tid_nsapi().into());
            if m.message_type().0 == 255 {
                o.insert("tpdu_len".into(), m.body().len().into());
            } else {
                let mut sum = Summary::default();
                let ies = v1_ies_json(m.ies(), true, &mut sum);
                sum.put(&mut o);
                o.insert("ies".into(), Value::Array(ies));
            }
            o
        }
        Message::Runt(r) => {
            let mut o = Map::new();
            header_common(
                &mut o,
                r.version(),
                "gtp",
                r.message_type(),
                d.message.name(),
            );
            o.insert("truncated".into(), true.into());
            o.insert("hex".into(), hex(r.data).into());
            o
        }
        Message::NotGtp(n) => {
            let mut o = Map::new();
            o.insert(
                "version".into(),
                n.version().map_or(Value::Null, Value::from),
            );
            o.insert("decoded".into(), false.into());
            o.insert("len".into(), n.data.len().into());
            hex_json(&mut o, n.data);
            o
        }
    }
}

fn observe(
    state: &mut GtpState,
    m: &Message<'_>,
    peer: &super::Peer,
    ts: u64,
    o: &mut Map<String, Value>,
    anomalies: &mut Vec<Anomaly>,
) {
    let t = m.txn(peer.sport, peer.dport);
    let (Some(src), Some(dst)) = (peer.src, peer.dst) else {
        return;
    };
    match state.matcher.observe(&t, src, dst, ts) {
        Outcome::Request | Outcome::Untracked => {}
        Outcome::DuplicateRequest { count, answered } => {
            o.insert("duplicate".into(), count.into());
            anomalies.push(
                Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::DuplicateRequest,
                    0,
                    if answered {
                        "request repeated after it was answered"
                    } else {
                        "request repeated before an answer"
                    },
                )
                .with_value(u64::from(t.msg_type)),
            );
        }
        outcome @ (Outcome::Response {
            request_type,
            latency_nanos,
            type_mismatch,
        }
        | Outcome::Acknowledge {
            request_type,
            latency_nanos,
            type_mismatch,
        }) => {
            let ack = matches!(outcome, Outcome::Acknowledge { .. });
            o.insert(
                if ack { "acknowledges" } else { "response_to" }.into(),
                json!({"type": request_type, "latency_us": latency_nanos / 1000}),
            );
            if type_mismatch {
                anomalies.push(
                    Anomaly::new(
                        Layer::Gtp,
                        AnomalyCode::ResponseTypeMismatch,
                        1,
                        if ack {
                            "acknowledge type does not complete the request type"
                        } else {
                            "response type does not answer the request type"
                        },
                    )
                    .with_value(u64::from(request_type)),
                );
            }
        }
        Outcome::DuplicateResponse => {
            anomalies.push(
                Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::DuplicateResponse,
                    0,
                    "second response to one request",
                )
                .with_value(u64::from(t.msg_type)),
            );
        }
        Outcome::UnmatchedResponse => {
            anomalies.push(
                Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::UnmatchedResponse,
                    0,
                    "response with no request seen",
                )
                .with_value(u64::from(t.msg_type)),
            );
        }
    }
}

/// If `payload` (one UDP payload) is GTP, or anything at all on a GTP port, insert the `gtp`
/// object into `rec`, push the anomalies (layer Gtp, offsets relative to the UDP payload) and
/// return true; otherwise touch nothing and return false. A payload on a GTP port that is not
/// GTP gets `{"version": N | null, "decoded": false, ...}` and a `not_gtp` anomaly. `peer` gives
/// the addresses and ports for the request/response matcher.
#[allow(clippy::too_many_arguments)]
pub fn add_gtp(
    state: &mut GtpState,
    payload: &[u8],
    sport: u16,
    dport: u16,
    peer: &super::Peer,
    ts_nanos: u64,
    rec: &mut Map<String, Value>,
    anomalies: &mut Vec<Anomaly>,
) -> bool {
    let Some(d) = sigscope_gtp::decode(payload, sport, dport) else {
        return false;
    };
    let mut o = message_json(&d, sport, dport);
    anomalies.extend(d.anomalies.iter().copied());
    if d.anomalies.dropped() > 0 {
        anomalies.push(
            Anomaly::new(
                Layer::Gtp,
                AnomalyCode::AnomaliesDropped,
                0,
                "more anomalies than one message keeps",
            )
            .with_value(d.anomalies.dropped() as u64),
        );
    }
    observe(state, &d.message, peer, ts_nanos, &mut o, anomalies);
    if let Some(p) = &d.piggybacked {
        let mut po = Map::new();
        observe(state, &Message::V2(*p), peer, ts_nanos, &mut po, anomalies);
        if let Some(Value::Object(pm)) = o.get_mut("piggybacked") {
            pm.extend(po);
        }
    }
    rec.insert("gtp".into(), Value::Object(o));
    true
}
