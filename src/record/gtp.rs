//! The `gtp` object of decode records (DESIGN.md schema: `version`, `type`, `name`, `teid`,
//! `seq`, `imsi`, `msisdn`, `apn`, `ies: [{type, instance, len}]`), plus the protocol variant,
//! header flags, typed IE values (`value`), cause, recovery, F-TEIDs, ULI, the inner packet of a
//! G-PDU, extension headers, the piggybacked GTPv2 message and the request/response match.

use sigscope_decode::{GtpLayer, GtpSummary};
use sigscope_gtp::common::{Labels, Pco, PlmnId, Tft};
use sigscope_gtp::matcher::Outcome;
use sigscope_gtp::v1::{self, V1Value};
use sigscope_gtp::v2::{self, V2Value};
use sigscope_gtp::{gtpu, prime, Message};

use crate::json::{Key, Obj};
use crate::k;

/// Raw IE values longer than this are cut in the `hex` output (the record says `hex_truncated`).
pub const MAX_HEX_BYTES: usize = 256;

fn hex_json(o: &mut Obj<'_>, b: &[u8]) {
    o.hex(k!("hex"), b, MAX_HEX_BYTES);
    if b.len() > MAX_HEX_BYTES {
        o.bool(k!("hex_truncated"), true);
    }
}

fn plmn(o: &mut Obj<'_>, k: Key, p: &PlmnId) {
    let mut j = o.obj(k);
    j.str(k!("mcc"), p.mcc());
    j.str(k!("mnc"), p.mnc());
}

/// A dotted name as its Display writes it (labels joined by `.`, other than printable
/// octets as `\xNN`), appended without the formatting machinery.
fn labels(o: &mut Obj<'_>, k: Key, l: &Labels<'_>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    o.with_str(k, |out| {
        for (i, label) in l.iter().enumerate() {
            if i > 0 {
                out.push(b'.');
            }
            for &c in label {
                if c.is_ascii_graphic() {
                    if c == b'"' || c == b'\\' {
                        out.push(b'\\');
                    }
                    out.push(c);
                } else {
                    out.extend_from_slice(b"\\\\x");
                    out.push(HEX.get(usize::from(c >> 4)).copied().unwrap_or(b'0'));
                    out.push(HEX.get(usize::from(c & 0xf)).copied().unwrap_or(b'0'));
                }
            }
        }
    });
}

fn pco(o: &mut Obj<'_>, k: Key, p: &Pco<'_>) {
    let mut j = o.obj(k);
    j.u64(k!("protocol"), p.protocol);
    let mut a = j.arr(k!("options"));
    for (id, c) in p.iter().map_while(Result::ok) {
        let mut x = a.obj();
        x.u64(k!("id"), id);
        x.usize(k!("len"), c.len());
    }
}

fn tft(o: &mut Obj<'_>, k: Key, t: &Tft<'_>) {
    let mut j = o.obj(k);
    j.u64(k!("op_code"), t.op_code);
    j.u64(k!("filters"), t.filter_count);
    let mut a = j.arr(k!("packet_filters"));
    for f in t.filters().map_while(Result::ok) {
        let mut x = a.obj();
        x.u64(k!("id"), f.id);
        x.u64(k!("direction"), f.direction);
        x.u64(k!("precedence"), f.precedence);
        x.usize(k!("len"), f.contents.len());
    }
}

fn arp(o: &mut Obj<'_>, k: Key, a: &v1::Arp) {
    let mut j = o.obj(k);
    j.u64(k!("pci"), a.pci);
    j.u64(k!("pl"), a.pl);
    j.u64(k!("pvi"), a.pvi);
}

fn u16_list(o: &mut Obj<'_>, k: Key, b: &[u8]) {
    let mut a = o.arr(k);
    for c in b.chunks_exact(2) {
        if let [x, y] = *c {
            a.u64(u16::from_be_bytes([x, y]));
        }
    }
}

/// `"value"` of a typed GTPv1 / GTP' / GTPv0 IE; false for values kept raw.
fn v1_value(o: &mut Obj<'_>, v: &V1Value<'_>) -> bool {
    const K: Key = k!("value");
    match v {
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
        | V1Value::HopCounter(c) => o.u64(K, *c),
        V1Value::Imsi(d) | V1Value::Imei(d) => o.digits(K, d),
        V1Value::Rai { plmn: p, lac, rac } => {
            let mut j = o.obj(K);
            plmn(&mut j, k!("plmn"), p);
            j.u64(k!("lac"), *lac);
            j.u64(k!("rac"), *rac);
        }
        V1Value::Tlli(x)
        | V1Value::PTmsi(x)
        | V1Value::PTmsiSignature(x)
        | V1Value::TeidDataI(x)
        | V1Value::TeidCPlane(x)
        | V1Value::ChargingId(x)
        | V1Value::CsgId(x)
        | V1Value::UeUsageType(x) => o.u64(K, *x),
        V1Value::ReorderingRequired(b) | V1Value::MsValidated(b) | V1Value::TeardownInd(b) => {
            o.bool(K, *b)
        }
        V1Value::TeidDataII { nsapi, teid } => {
            let mut j = o.obj(K);
            j.u64(k!("nsapi"), *nsapi);
            j.u64(k!("teid"), *teid);
        }
        V1Value::PacketFlowId { nsapi, pfi } => {
            let mut j = o.obj(K);
            j.u64(k!("nsapi"), *nsapi);
            j.u64(k!("pfi"), *pfi);
        }
        V1Value::ChargingCharacteristics(x)
        | V1Value::TraceReference(x)
        | V1Value::TraceType(x) => o.u64(K, *x),
        V1Value::EndUserAddress(e) => {
            let mut j = o.obj(K);
            j.u64(k!("organisation"), e.organisation);
            j.u64(k!("pdp_type"), e.pdp_type);
            if let Some(a) = e.addr {
                j.ip(k!("addr"), a);
            }
            if let Some(a) = e.addr2 {
                j.ip(k!("addr2"), a);
            }
        }
        V1Value::Apn(l) | V1Value::Fqdn(l) => labels(o, K, l),
        V1Value::Pco(p) => pco(o, K, p),
        V1Value::Address(a) => o.ip(K, *a),
        V1Value::Msisdn { ton_npi, digits } => {
            let mut j = o.obj(K);
            j.u64(k!("ton_npi"), *ton_npi);
            j.digits(k!("digits"), digits);
        }
        V1Value::QosProfile { arp, data } => {
            let mut j = o.obj(K);
            j.u64(k!("arp"), *arp);
            j.usize(k!("len"), data.len());
        }
        V1Value::Tft(t) => tft(o, K, t),
        V1Value::Text(b) => o.lossy(K, b),
        V1Value::Uli(u) => {
            let mut j = o.obj(K);
            v1_uli(&mut j, u);
        }
        V1Value::MsTimeZone { tz, dst } => {
            let mut j = o.obj(K);
            j.u64(k!("tz"), *tz);
            j.u64(k!("dst"), *dst);
        }
        V1Value::Plmn(p) => plmn(o, K, p),
        V1Value::EvolvedArp(a) => arp(o, K, a),
        V1Value::EvolvedArpII { nsapi, arp: a } => {
            let mut j = o.obj(K);
            j.u64(k!("nsapi"), *nsapi);
            arp(&mut j, k!("arp"), a);
        }
        V1Value::ApnAmbr { ul, dl } => {
            let mut j = o.obj(K);
            j.u64(k!("ul"), *ul);
            j.u64(k!("dl"), *dl);
        }
        V1Value::UeAmbr { ul, dl, authorized } => {
            let mut j = o.obj(K);
            j.u64(k!("ul"), *ul);
            j.u64(k!("dl"), *dl);
            if let Some((a, b)) = authorized {
                j.u64(k!("authorized_ul"), *a);
                j.u64(k!("authorized_dl"), *b);
            }
        }
        V1Value::ApnAmbrWithNsapi { nsapi, ul, dl } => {
            let mut j = o.obj(K);
            j.u64(k!("nsapi"), *nsapi);
            j.u64(k!("ul"), *ul);
            j.u64(k!("dl"), *dl);
        }
        V1Value::ExtHeaderTypes(b) => {
            let mut a = o.arr(K);
            for x in b.iter() {
                a.u64(*x);
            }
        }
        V1Value::QosProfileV0 {
            delay_class,
            reliability_class,
            peak_throughput,
            precedence_class,
            mean_throughput,
        } => {
            let mut j = o.obj(K);
            j.u64(k!("delay_class"), *delay_class);
            j.u64(k!("reliability_class"), *reliability_class);
            j.u64(k!("peak_throughput"), *peak_throughput);
            j.u64(k!("precedence_class"), *precedence_class);
            j.u64(k!("mean_throughput"), *mean_throughput);
        }
        V1Value::FlowLabel(x) => o.u64(K, *x),
        V1Value::FlowLabelDataII { nsapi, flow_label } => {
            let mut j = o.obj(K);
            j.u64(k!("nsapi"), *nsapi);
            j.u64(k!("flow_label"), *flow_label);
        }
        V1Value::SequenceNumbers(b) => u16_list(o, K, b),
        V1Value::DataRecordPacket {
            records,
            format,
            data,
        } => {
            let mut j = o.obj(K);
            j.u64(k!("records"), *records);
            j.u64(k!("format"), *format);
            j.usize(k!("len"), data.len());
        }
        V1Value::PrivateExtension { enterprise, value } => {
            let mut j = o.obj(K);
            j.u64(k!("enterprise"), *enterprise);
            j.hex(k!("hex"), value, MAX_HEX_BYTES);
        }
        V1Value::Raw(_) => return false,
    }
    true
}

fn v1_uli(j: &mut Obj<'_>, u: &v1::Uli) {
    j.u64(k!("location_type"), u.location_type);
    plmn(j, k!("plmn"), &u.plmn);
    j.u64(k!("lac"), u.lac);
    j.u64(k!("id"), u.id);
}

fn v2_uli(o: &mut Obj<'_>, u: &v2::Uli) {
    o.u64(k!("flags"), u.flags);
    if let Some((p, lac, ci)) = u.cgi {
        let mut j = o.obj(k!("cgi"));
        plmn(&mut j, k!("plmn"), &p);
        j.u64(k!("lac"), lac);
        j.u64(k!("ci"), ci);
    }
    if let Some((p, lac, sac)) = u.sai {
        let mut j = o.obj(k!("sai"));
        plmn(&mut j, k!("plmn"), &p);
        j.u64(k!("lac"), lac);
        j.u64(k!("sac"), sac);
    }
    if let Some((p, lac, rac)) = u.rai {
        let mut j = o.obj(k!("rai"));
        plmn(&mut j, k!("plmn"), &p);
        j.u64(k!("lac"), lac);
        j.u64(k!("rac"), rac);
    }
    if let Some((p, tac)) = u.tai {
        let mut j = o.obj(k!("tai"));
        plmn(&mut j, k!("plmn"), &p);
        j.u64(k!("tac"), tac);
    }
    if let Some((p, eci)) = u.ecgi {
        let mut j = o.obj(k!("ecgi"));
        plmn(&mut j, k!("plmn"), &p);
        j.u64(k!("eci"), eci);
    }
    if let Some((p, lac)) = u.lai {
        let mut j = o.obj(k!("lai"));
        plmn(&mut j, k!("plmn"), &p);
        j.u64(k!("lac"), lac);
    }
    if let Some((p, id)) = u.macro_enb {
        let mut j = o.obj(k!("macro_enb"));
        plmn(&mut j, k!("plmn"), &p);
        j.u64(k!("id"), id);
    }
    if let Some((p, id, sm)) = u.ext_macro_enb {
        let mut j = o.obj(k!("ext_macro_enb"));
        plmn(&mut j, k!("plmn"), &p);
        j.u64(k!("id"), id);
        j.bool(k!("smenb"), sm);
    }
}

fn f_teid(o: &mut Obj<'_>, instance: u8, f: &v2::FTeid) {
    o.u64(k!("instance"), instance);
    o.u64(k!("interface_type"), f.interface_type);
    o.u64(k!("teid"), f.teid);
    if let Some(a) = f.ipv4 {
        o.ip(k!("ipv4"), a);
    }
    if let Some(a) = f.ipv6 {
        o.ip(k!("ipv6"), a);
    }
}

/// `"value"` of a typed GTPv2 IE; false for raw and grouped values.
fn v2_value(o: &mut Obj<'_>, v: &V2Value<'_>, instance: u8) -> bool {
    const K: Key = k!("value");
    match v {
        V2Value::Imsi(d)
        | V2Value::Mei(d)
        | V2Value::Msisdn(d)
        | V2Value::StnSr(d)
        | V2Value::NodeNumber(d)
        | V2Value::RemoteUserId(d) => o.digits(K, d),
        V2Value::Cause(c) => {
            let mut j = o.obj(K);
            j.u64(k!("value"), c.value);
            j.bool(k!("pce"), c.pce);
            j.bool(k!("bce"), c.bce);
            j.bool(k!("cs"), c.cs);
            if let Some((t, i)) = c.offending {
                let mut x = j.obj(k!("offending_ie"));
                x.u64(k!("type"), t);
                x.u64(k!("instance"), i);
            }
        }
        V2Value::Recovery(x)
        | V2Value::Ebi(x)
        | V2Value::RatType(x)
        | V2Value::U8(x)
        | V2Value::Flags(x) => o.u64(K, *x),
        V2Value::Apn(l) | V2Value::Fqdn(l) => labels(o, K, l),
        V2Value::Ambr { ul, dl } => {
            let mut j = o.obj(K);
            j.u64(k!("ul"), *ul);
            j.u64(k!("dl"), *dl);
        }
        V2Value::IpAddress(a) => o.ip(K, *a),
        V2Value::Indication(b) => o.hex(K, b, MAX_HEX_BYTES),
        V2Value::Pco(p) => pco(o, K, p),
        V2Value::Paa(p) => {
            let mut j = o.obj(K);
            j.u64(k!("pdn_type"), p.pdn_type);
            if let Some(a) = p.ipv4 {
                j.ip(k!("ipv4"), a);
            }
            if let Some((len, a)) = p.ipv6 {
                j.ip(k!("ipv6"), a);
                j.u64(k!("ipv6_prefix_len"), len);
            }
        }
        V2Value::Qos(q) => {
            let mut j = o.obj(K);
            j.u64(k!("qci"), q.qci);
            j.u64(k!("mbr_ul"), q.mbr_ul);
            j.u64(k!("mbr_dl"), q.mbr_dl);
            j.u64(k!("gbr_ul"), q.gbr_ul);
            j.u64(k!("gbr_dl"), q.gbr_dl);
            if let Some(a) = &q.arp {
                arp(&mut j, k!("arp"), a);
            }
        }
        V2Value::Plmn(p) => plmn(o, K, p),
        V2Value::Tft(t) => tft(o, K, t),
        V2Value::Uli(u) => v2_uli(&mut o.obj(K), u),
        V2Value::FTeid(f) => f_teid(&mut o.obj(K), instance, f),
        V2Value::U32(x) => o.u64(K, *x),
        V2Value::U16(x) => o.u64(K, *x),
        V2Value::GlobalCnId { plmn: p, cn_id } => {
            let mut j = o.obj(K);
            plmn(&mut j, k!("plmn"), p);
            j.u64(k!("cn_id"), *cn_id);
        }
        V2Value::TraceInfo(t) => {
            let mut j = o.obj(K);
            plmn(&mut j, k!("plmn"), &t.plmn);
            j.u64(k!("trace_id"), t.trace_id);
            j.u64(k!("ne_types"), t.ne_types);
            j.u64(k!("depth"), t.depth);
            if let Some(a) = t.collection_entity {
                j.ip(k!("collection_entity"), a);
            }
        }
        V2Value::UeTimeZone { tz, dst } => {
            let mut j = o.obj(K);
            j.u64(k!("tz"), *tz);
            j.u64(k!("dst"), *dst);
        }
        V2Value::TraceReference { plmn: p, trace_id } => {
            let mut j = o.obj(K);
            plmn(&mut j, k!("plmn"), p);
            j.u64(k!("trace_id"), *trace_id);
        }
        V2Value::Guti {
            plmn: p,
            mme_group_id,
            mme_code,
            m_tmsi,
        } => {
            let mut j = o.obj(K);
            plmn(&mut j, k!("plmn"), p);
            j.u64(k!("mme_group_id"), *mme_group_id);
            j.u64(k!("mme_code"), *mme_code);
            j.u64(k!("m_tmsi"), *m_tmsi);
        }
        V2Value::Typed { kind, data } => {
            let mut j = o.obj(K);
            j.u64(k!("kind"), *kind);
            j.usize(k!("len"), data.len());
        }
        V2Value::TargetId(t) => {
            let mut j = o.obj(K);
            j.u64(k!("target_type"), t.target_type);
            plmn(&mut j, k!("plmn"), &t.plmn);
            j.u64(k!("node_id"), t.node_id);
            if let Some(tac) = t.tac {
                j.u64(k!("tac"), tac);
            }
        }
        V2Value::FqCsid(f) => {
            let mut j = o.obj(K);
            j.u64(k!("node_id_type"), f.node_id_type);
            u16_list(&mut j, k!("csids"), f.csids);
            if let Some(a) = f.node_addr {
                j.ip(k!("node_addr"), a);
            }
            if let Some(n) = f.node_number {
                j.u64(k!("node_number"), n);
            }
        }
        V2Value::Uci {
            plmn: p,
            csg_id,
            access_mode,
            flags,
        } => {
            let mut j = o.obj(K);
            plmn(&mut j, k!("plmn"), p);
            j.u64(k!("csg_id"), *csg_id);
            j.u64(k!("access_mode"), *access_mode);
            j.u64(k!("flags"), *flags);
        }
        V2Value::Text(b) => o.lossy(K, b),
        V2Value::Throttling { delay, factor } => {
            let mut j = o.obj(K);
            j.u64(k!("delay"), *delay);
            j.u64(k!("factor"), *factor);
        }
        V2Value::Arp(a) => arp(o, K, a),
        V2Value::EpcTimer { unit, value } => {
            let mut j = o.obj(K);
            j.u64(k!("unit"), *unit);
            j.u64(k!("value"), *value);
        }
        V2Value::NodeIdentifier { name, realm } => {
            let mut j = o.obj(K);
            j.lossy(k!("name"), name);
            j.lossy(k!("realm"), realm);
        }
        V2Value::Timestamp(t) => o.u64(K, *t),
        V2Value::Counter { timestamp, value } => {
            let mut j = o.obj(K);
            j.u64(k!("timestamp"), *timestamp);
            j.u64(k!("value"), *value);
        }
        V2Value::MaxPacketLossRate { ul, dl } => {
            let mut j = o.obj(K);
            j.opt_u64(k!("ul"), *ul);
            j.opt_u64(k!("dl"), *dl);
        }
        V2Value::Ncgi {
            plmn: p,
            nr_cell_id,
        } => {
            let mut j = o.obj(K);
            plmn(&mut j, k!("plmn"), p);
            j.u64(k!("nr_cell_id"), *nr_cell_id);
        }
        V2Value::MonitoringEventExtension {
            flags,
            scef_reference_id,
            scef_id,
            rest,
        } => {
            let mut j = o.obj(K);
            j.u64(k!("flags"), *flags);
            j.u64(k!("scef_reference_id"), *scef_reference_id);
            j.lossy(k!("scef_id"), scef_id);
            if !rest.is_empty() {
                j.hex(k!("rest_hex"), rest, MAX_HEX_BYTES);
            }
        }
        V2Value::PrivateExtension { enterprise, value } => {
            let mut j = o.obj(K);
            j.u64(k!("enterprise"), *enterprise);
            j.hex(k!("hex"), value, MAX_HEX_BYTES);
        }
        V2Value::Grouped(_) | V2Value::Raw(_) => return false,
    }
    true
}

/// The summary keys (`imsi` ... `rat_type`), then `uli` and `f_teid` of a v1 or v2 message.
fn summary(o: &mut Obj<'_>, s: &GtpSummary<'_>) {
    for (k, v) in [("imsi", &s.imsi), ("msisdn", &s.msisdn)] {
        if let Some(d) = v {
            o.digits(k, d);
        }
    }
    if let Some(a) = &s.apn {
        labels(o, k!("apn"), a);
    }
    if let Some(d) = &s.mei {
        o.digits(k!("mei"), d);
    }
    for (k, v) in [
        ("cause", s.cause),
        ("recovery", s.recovery),
        ("rat_type", s.rat_type),
    ] {
        if let Some(v) = v {
            o.u64(k, v);
        }
    }
}

fn v1_ies(o: &mut Obj<'_>, ies: v1::IeIter<'_>, s: &GtpSummary<'_>) {
    summary(o, s);
    for ie in ies.clone().map_while(Result::ok) {
        if let Ok(V1Value::Uli(u)) = ie.decode() {
            v1_uli(&mut o.obj(k!("uli")), &u);
            break;
        }
    }
    let mut a = o.arr(k!("ies"));
    for ie in ies.map_while(Result::ok) {
        let mut j = a.obj();
        j.u64(k!("type"), ie.ie_type.0);
        j.u64(k!("instance"), 0u8);
        j.usize(k!("len"), ie.value.len());
        // In the numbering of the message's version (GTPv0 has its own names for a few types).
        if let Some(n) = ie.name() {
            j.str(k!("name"), n);
        }
        j.usize(k!("offset"), ie.offset);
        let written = ie.decode().is_ok_and(|v| v1_value(&mut j, &v));
        if !written {
            hex_json(&mut j, ie.value);
        }
    }
}

/// First ULI and every F-TEID of a GTPv2 IE tree (grouped IEs entered).
fn v2_uli_fteid(o: &mut Obj<'_>, ies: v2::IeIter<'_>) {
    fn first_uli(ies: v2::IeIter<'_>, depth: usize) -> Option<v2::Uli> {
        if depth > sigscope_decode::gtp::MAX_GROUPED_DEPTH {
            return None;
        }
        for ie in ies.map_while(Result::ok) {
            match ie.decode() {
                Ok(V2Value::Uli(u)) => return Some(u),
                Ok(V2Value::Grouped(inner)) => {
                    if let Some(u) = first_uli(inner, depth + 1) {
                        return Some(u);
                    }
                }
                _ => {}
            }
        }
        None
    }
    fn has_fteid(ies: v2::IeIter<'_>, depth: usize) -> bool {
        depth <= sigscope_decode::gtp::MAX_GROUPED_DEPTH
            && ies.map_while(Result::ok).any(|ie| match ie.decode() {
                Ok(V2Value::FTeid(_)) => true,
                Ok(V2Value::Grouped(inner)) => has_fteid(inner, depth + 1),
                _ => false,
            })
    }
    fn fteids(a: &mut crate::json::Arr<'_>, ies: v2::IeIter<'_>, depth: usize) {
        if depth > sigscope_decode::gtp::MAX_GROUPED_DEPTH {
            return;
        }
        for ie in ies.map_while(Result::ok) {
            match ie.decode() {
                Ok(V2Value::FTeid(f)) => f_teid(&mut a.obj(), ie.instance, &f),
                Ok(V2Value::Grouped(inner)) => fteids(a, inner, depth + 1),
                _ => {}
            }
        }
    }
    if let Some(u) = first_uli(ies.clone(), 0) {
        v2_uli(&mut o.obj(k!("uli")), &u);
    }
    if has_fteid(ies.clone(), 0) {
        let mut a = o.arr(k!("f_teid"));
        fteids(&mut a, ies, 0);
    }
}

fn v2_ies(a: &mut crate::json::Arr<'_>, ies: v2::IeIter<'_>, depth: usize) {
    for ie in ies.map_while(Result::ok) {
        let mut j = a.obj();
        j.u64(k!("type"), ie.ie_type.0);
        j.u64(k!("instance"), ie.instance);
        j.usize(k!("len"), ie.value.len());
        if let Some(n) = ie.ie_type.name() {
            j.str(k!("name"), n);
        }
        j.usize(k!("offset"), ie.offset);
        match ie.decode() {
            Ok(V2Value::Grouped(inner)) if depth < sigscope_decode::gtp::MAX_GROUPED_DEPTH => {
                let mut l = j.arr(k!("ies"));
                v2_ies(&mut l, inner, depth + 1);
            }
            Ok(v) => {
                if !v2_value(&mut j, &v, ie.instance) {
                    hex_json(&mut j, ie.value);
                }
            }
            Err(_) => hex_json(&mut j, ie.value),
        }
    }
}

fn v2_obj(o: &mut Obj<'_>, m: &v2::V2Slice<'_>, s: &GtpSummary<'_>, outcome: Option<&Outcome>) {
    o.u64(k!("version"), 2u8);
    o.str(k!("protocol"), "gtpv2");
    o.u64(k!("type"), m.message_type().0);
    if let Some(n) = m.message_type().name() {
        o.str(k!("name"), n);
    }
    if let Some(t) = m.teid() {
        o.u64(k!("teid"), t);
    }
    o.u64(k!("seq"), m.sequence());
    if let Some(p) = m.priority() {
        o.u64(k!("priority"), p);
    }
    {
        let mut f = o.obj(k!("flags"));
        f.bool(k!("p"), m.p());
        f.bool(k!("t"), m.t());
        f.bool(k!("mp"), m.mp());
    }
    o.u64(k!("length"), m.length());
    summary(o, s);
    v2_uli_fteid(o, m.ies());
    {
        let mut a = o.arr(k!("ies"));
        v2_ies(&mut a, m.ies(), 0);
    }
    if let Some(oc) = outcome {
        matched(o, oc);
    }
}

fn header_common(o: &mut Obj<'_>, version: u8, protocol: &str, t: u8, name: Option<&str>) {
    o.u64(k!("version"), version);
    o.str(k!("protocol"), protocol);
    o.u64(k!("type"), t);
    if let Some(n) = name {
        o.str(k!("name"), n);
    }
}

fn v1_obj(o: &mut Obj<'_>, m: &v1::V1Slice<'_>, g: &GtpLayer<'_>) {
    let t = m.message_type();
    header_common(o, 1, "gtpv1", t.0, t.name());
    o.str(k!("plane"), g.plane.as_str());
    o.u64(k!("teid"), m.teid());
    // Wireshark shows the sequence field whenever the optional header is present.
    if let Some(s) = m.raw_sequence() {
        o.u64(k!("seq"), s);
    }
    if let Some(n) = m.npdu() {
        o.u64(k!("npdu"), n);
    }
    {
        let mut f = o.obj(k!("flags"));
        f.bool(k!("pt"), m.pt());
        f.bool(k!("e"), m.e());
        f.bool(k!("s"), m.s());
        f.bool(k!("pn"), m.pn());
    }
    o.u64(k!("length"), m.length());
    if m.ext_headers().map_while(Result::ok).next().is_some() {
        let mut a = o.arr(k!("ext_headers"));
        for h in m.ext_headers().map_while(Result::ok) {
            let mut e = a.obj();
            e.u64(k!("type"), h.ext_type.0);
            e.usize(k!("len"), h.content.len());
            if let Some(n) = h.ext_type.name() {
                e.str(k!("name"), n);
            }
            match h.value() {
                v1::ExtValue::UdpPort(p) => e.u64(k!("udp_port"), p),
                v1::ExtValue::PdcpPduNumber(p) => e.u64(k!("pdcp_pdu_number"), p),
                v1::ExtValue::LongPdcpPduNumber(p) => e.u64(k!("pdcp_pdu_number"), p),
                v1::ExtValue::ServiceClassIndicator(p) => e.u64(k!("service_class_indicator"), p),
                v1::ExtValue::PduSessionContainer { pdu_type, qfi, rqi } => {
                    e.u64(k!("pdu_type"), pdu_type);
                    e.u64(k!("qfi"), qfi);
                    e.bool(k!("rqi"), rqi);
                }
                v1::ExtValue::Raw(b) => e.hex(k!("hex"), b, MAX_HEX_BYTES),
            }
        }
    }
    if m.is_gpdu() {
        o.usize(k!("tpdu_len"), m.body().len());
        if let Some(s) = &g.decoded.inner {
            inner(o, s);
        }
    } else {
        v1_ies(o, m.ies(), &g.summary);
    }
}

fn inner(o: &mut Obj<'_>, s: &gtpu::InnerSummary) {
    let mut i = o.obj(k!("inner"));
    i.u64(k!("version"), s.version);
    i.ip(k!("src"), s.src);
    i.ip(k!("dst"), s.dst);
    i.u64(k!("protocol"), s.protocol);
    if let Some(p) = s.sport {
        i.u64(k!("sport"), p);
    }
    if let Some(p) = s.dport {
        i.u64(k!("dport"), p);
    }
    if s.fragmented {
        i.bool(k!("fragmented"), true);
    }
    if s.incomplete {
        i.bool(k!("incomplete"), true);
    }
}

/// `duplicate`, `response_to` / `acknowledges` from the matcher's outcome.
fn matched(o: &mut Obj<'_>, oc: &Outcome) {
    match *oc {
        Outcome::DuplicateRequest { count, .. } => o.u64(k!("duplicate"), count),
        Outcome::Response {
            request_type,
            latency_nanos,
            ..
        }
        | Outcome::Acknowledge {
            request_type,
            latency_nanos,
            ..
        } => {
            let k = if matches!(oc, Outcome::Acknowledge { .. }) {
                "acknowledges"
            } else {
                "response_to"
            };
            let mut j = o.obj(k);
            j.u64(k!("type"), request_type);
            j.u64(k!("latency_us"), latency_nanos / 1000);
        }
        _ => {}
    }
}

/// The `gtp` object.
pub fn gtp(o: &mut Obj<'_>, g: &GtpLayer<'_>) {
    let d = &g.decoded;
    match &d.message {
        Message::V2(m) => {
            v2_obj(o, m, &g.summary, None);
            if let Some(p) = &d.piggybacked {
                let s = sigscope_decode::gtp::summary(&Message::V2(*p));
                v2_obj(
                    &mut o.obj(k!("piggybacked")),
                    p,
                    &s,
                    g.piggybacked_outcome.as_ref(),
                );
            }
        }
        Message::V1(m) => v1_obj(o, m, g),
        Message::Prime(m) => {
            let t = m.message_type();
            header_common(o, m.version(), "gtp_prime", t.0, d.message.name());
            o.u64(k!("seq"), m.sequence());
            o.u64(k!("length"), m.length());
            o.usize(k!("header_len"), m.header_len());
            v1_ies(o, m.ies(), &g.summary);
        }
        Message::V0(m) => {
            header_common(
                o,
                0,
                "gtpv0",
                m.message_type().0,
                prime::v0_name(m.message_type().0),
            );
            o.u64(k!("seq"), m.sequence());
            o.u64(k!("length"), m.length());
            o.u64(k!("flow_label"), m.flow_label());
            o.hex(k!("tid"), &m.tid(), MAX_HEX_BYTES);
            o.digits(k!("tid_imsi"), &m.tid_imsi());
            o.u64(k!("nsapi"), m.tid_nsapi());
            if m.message_type().0 == sigscope_decode::gtp::V0_TPDU {
                o.usize(k!("tpdu_len"), m.body().len());
            } else {
                v1_ies(o, m.ies(), &g.summary);
            }
        }
        Message::Runt(r) => {
            header_common(o, r.version(), "gtp", r.message_type(), d.message.name());
            o.bool(k!("truncated"), true);
            o.hex(k!("hex"), r.data, MAX_HEX_BYTES);
        }
        Message::NotGtp(n) => {
            o.opt_u64(k!("version"), n.version());
            o.bool(k!("decoded"), false);
            o.usize(k!("len"), n.data.len());
            hex_json(o, n.data);
        }
    }
    if let Some(oc) = &g.outcome {
        matched(o, oc);
    }
}
