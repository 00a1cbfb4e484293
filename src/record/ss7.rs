//! The `sccp`, `tcap` and `map` objects of decode records, written from the typed layers.

use sigscope_decode::{Party, SccpLayer, TcapLayer};
use sigscope_map::sms::{Direction, Tpdu, TpduKind, ValidityPeriod};
use sigscope_map::{
    AddressString, CellId, CellKind, GeoInfo, GeodeticInfo, Location, MapDialogue, MapEntry,
    MapParam, SmRpDa, SmRpOa,
};
use sigscope_sccp::Ssn;
use sigscope_tcap::{Code, Component, ComponentKind, Diagnostic, Tcap};

use crate::json::{Arr, Obj};

/// Hex of MAP values (never cut: MAP values are small and bounded by the TCAP message).
const NO_CAP: usize = usize::MAX;

fn party(o: &mut Obj<'_>, p: &Party<'_>) {
    let a = &p.address;
    o.str("ri", a.routing.as_str());
    o.opt_u64("ssn", a.ssn.map(|s| s.0));
    if let Some(n) = a.ssn.and_then(Ssn::name) {
        o.str("ssn_name", n);
    }
    o.opt_u64("pc", a.pc);
    if a.national {
        o.bool("national", true);
    }
    if let Some(gt) = &a.gt {
        let mut g = o.obj("gt");
        g.u64("gti", gt.gti);
        if let Some(tt) = gt.tt {
            g.u64("tt", tt);
        }
        if let Some(np) = gt.np {
            g.u64("np", np.0);
        }
        if let Some(nai) = gt.nai {
            g.u64("nai", nai.0);
        }
        if let Some(es) = gt.es {
            g.u64("es", es.0);
        }
        g.str("digits", p.digits_str().unwrap_or(""));
        if let (Some(name), Some(c)) = (p.country_name(), p.country) {
            g.str("country", name);
            g.str("country_code", c.cc);
        }
    }
}

/// The `sccp` object.
pub fn sccp(o: &mut Obj<'_>, s: &SccpLayer<'_>) {
    let m = &s.msg;
    match m.msg_type.name() {
        Some(n) => o.str("type", n),
        None => o.u64("type", m.msg_type.0),
    }
    o.u64("type_code", m.msg_type.0);
    if let Some(pc) = m.protocol_class {
        o.u64("class", pc.class());
        if pc.return_on_error() {
            o.bool("return_on_error", true);
        }
    }
    if let Some(v) = m.dst_local_ref {
        o.u64("dlr", v);
    }
    if let Some(v) = m.src_local_ref {
        o.u64("slr", v);
    }
    if let Some(c) = m.cause {
        o.u64(c.key(), c.value());
        if let Some(n) = c.name() {
            o.str(c.name_key(), n);
        }
    }
    if let Some(h) = m.hop_counter {
        o.u64("hop_counter", h);
    }
    if let Some(i) = m.importance {
        o.u64("importance", i);
    }
    if let Some(c) = m.credit {
        o.u64("credit", c);
    }
    // DT2/IT carry P(S), P(R) and the more-data bit in their sequencing octets, DT1 only
    // the more-data bit, AK only P(R)
    let seq = m.sequencing_segmenting;
    if let Some([ps, _]) = seq {
        o.u64("ps", ps >> 1);
    }
    if let Some(pr) = m.receive_sequence.or(seq.map(|[_, r]| r)) {
        o.u64("pr", pr >> 1);
    }
    if let Some(more) = seq
        .map(|[_, r]| r)
        .or(m.segmenting_reassembling)
        .map(|x| x & 0x01 != 0)
    {
        o.bool("more_data", more);
    }
    if let Some(a) = &s.called {
        party(&mut o.obj("called"), a);
    }
    if let Some(a) = &s.calling {
        party(&mut o.obj("calling"), a);
    }
    if let Some(g) = m.segmentation {
        let mut j = o.obj("segmentation");
        j.bool("first", g.first);
        j.u64("in_sequence", g.in_sequence);
        j.u64("remaining", g.remaining);
        j.u64("local_ref", g.local_ref);
    }
    if let Some(d) = m.data {
        o.usize("data_len", d.value.len());
    }
    if let Some(n) = s.reassembled_len {
        o.bool("reassembled", true);
        o.usize("reassembled_len", n);
    }
    if let Some(g) = &s.scmg {
        let mut j = o.obj("scmg");
        j.display("type", &g.msg_type);
        j.u64("affected_ssn", g.affected_ssn.0);
        j.u64("affected_pc", g.affected_pc);
    }
}

fn code(o: &mut Obj<'_>, k: &str, c: &Code<'_>) {
    match c {
        Code::Local(v) => o.i64(k, *v),
        Code::Global(oid) => o.display(k, oid),
        Code::National(v) | Code::Private(v) => {
            let mut j = o.obj(k);
            j.bool(
                if matches!(c, Code::National(_)) {
                    "national"
                } else {
                    "private"
                },
                true,
            );
            j.u64("family", (*v >> 8) & 0xff);
            j.u64("specifier", *v & 0xff);
        }
    }
}

fn component(o: &mut Obj<'_>, c: &Component<'_>) {
    o.str("kind", c.kind.as_str());
    if let Some(i) = c.invoke_id {
        o.i64("invoke_id", i);
    }
    if let Some(l) = c.linked_id {
        o.i64("linked_id", l);
    }
    if let Some(op) = &c.opcode {
        code(o, "opcode", op);
    }
    if let Some(e) = &c.error_code {
        code(o, "error_code", e);
    }
    if let Some(p) = &c.problem {
        o.display("problem_type", &p.kind);
        o.i64("problem", p.code);
        if let Some(n) = p.name() {
            o.str("problem_name", n);
        }
    }
    if let Some(p) = &c.parameter {
        o.usize("parameter_len", p.raw.len());
    }
    if c.kind == ComponentKind::Unknown {
        o.u64("tag", c.tag.number);
    }
}

fn tid(o: &mut Obj<'_>, k: &str, t: Option<impl TidLike>) {
    match t {
        Some(t) => t.write(o, k),
        None => o.null(k),
    }
}

/// A transaction id as lowercase hex.
trait TidLike {
    fn write(&self, o: &mut Obj<'_>, k: &str);
}

impl TidLike for sigscope_tcap::message::TransactionId<'_> {
    fn write(&self, o: &mut Obj<'_>, k: &str) {
        o.str(k, self.hex().as_str());
    }
}

/// The `tcap` object.
pub fn tcap(o: &mut Obj<'_>, t: &TcapLayer<'_>, components: &[Component<'_>]) {
    match &t.tcap {
        Tcap::Itu(m) => {
            match m.msg_type.name() {
                Some(n) => o.str("type", n),
                None => o.display("type", &m.msg_type),
            }
            tid(o, "otid", m.otid);
            tid(o, "dtid", m.dtid);
            if let Some(c) = m.p_abort_cause {
                o.u64("p_abort_cause", c.0);
                if let Some(n) = c.name() {
                    o.str("p_abort_cause_name", n);
                }
            }
            if let Some(d) = &t.dialogue {
                if let Some(acn) = d.acn {
                    o.display("acn", &acn);
                }
                let mut dj = o.obj("dialogue");
                dj.str("pdu", d.kind.as_str());
                if let Some(oid) = d.oid {
                    dj.display("oid", &oid);
                }
                if let Some(v) = d.protocol_version {
                    dj.bool("version1", v.get(1).is_some_and(|b| b & 0x80 != 0));
                }
                if let Some(r) = d.result {
                    dj.i64("result", r);
                }
                match d.diagnostic {
                    Some(Diagnostic::User(v)) => dj.i64("diagnostic_user", v),
                    Some(Diagnostic::Provider(v)) => dj.i64("diagnostic_provider", v),
                    None => {}
                }
                if let Some(s) = d.abort_source {
                    dj.i64("abort_source", s);
                }
                if let Some(u) = d.user_info {
                    dj.usize("user_info_len", u.len());
                    if let Some(md) = &t.map_dialogue {
                        map_dialogue(&mut dj.obj("map_dialogue"), md);
                    }
                }
            }
            if let Some(ns) = t.since_begin_nanos {
                o.f64("since_begin_ms", ns as f64 / 1e6);
            }
        }
        Tcap::Ansi(m) => {
            o.str("variant", "ansi");
            o.display("type", &m.package);
            tid(o, "otid", m.otid);
            tid(o, "dtid", m.rtid);
            if let Some(c) = m.p_abort_cause {
                o.u64("p_abort_cause", c);
            }
        }
    }
    let mut a = o.arr("components");
    for c in components {
        component(&mut a.obj(), c);
    }
}

fn address_detail(a: &mut Arr<'_>, role: &str, x: &AddressString<'_>) {
    let mut o = a.obj();
    o.str("role", role);
    let d = x.digits();
    o.str("digits", d.as_str());
    o.u64("nature", x.nature());
    o.u64("plan", x.plan());
    if x.is_e164() {
        if let Some(c) = sigscope_core::e164::country_of(d.as_str()) {
            o.str("country", if c.iso.is_empty() { c.name } else { c.iso });
        }
    }
}

fn map_dialogue(o: &mut Obj<'_>, m: &MapDialogue<'_>) {
    o.str("pdu", m.kind.as_str());
    for (k, kn, kp, a) in [
        (
            "destination_reference",
            "destination_reference_nature",
            "destination_reference_plan",
            &m.destination_reference,
        ),
        (
            "origination_reference",
            "origination_reference_nature",
            "origination_reference_plan",
            &m.origination_reference,
        ),
    ] {
        if let Some(a) = a {
            o.str(k, a.digits().as_str());
            o.u64(kn, a.nature());
            o.u64(kp, a.plan());
        }
    }
    if let Some(r) = m.reason {
        o.u64("reason", r);
    }
}

fn plmn_digits(o: &mut Obj<'_>, p: &sigscope_map::Plmn) {
    if p.mcc < 1000 {
        let d = |x: u16| b'0' + (x % 10) as u8;
        let b = [d(p.mcc / 100), d(p.mcc / 10), d(p.mcc)];
        o.str("mcc", core::str::from_utf8(&b).unwrap_or(""));
    } else {
        o.display("mcc", &format_args!("{:03}", p.mcc));
    }
    o.display(
        "mnc",
        &format_args!("{:0w$}", p.mnc, w = usize::from(p.mnc_digits)),
    );
}

fn cell(o: &mut Obj<'_>, c: &CellId<'_>) {
    if let Some(p) = c.plmn() {
        plmn_digits(o, &p);
    }
    if let Some(l) = c.lac() {
        o.u64(
            if c.kind == CellKind::Tai {
                "tac"
            } else {
                "lac"
            },
            l,
        );
    }
    if let Some(v) = c.cell() {
        let k = match c.kind {
            CellKind::Sai => "sac",
            CellKind::Rai => "rac",
            CellKind::Ecgi => "eci",
            _ => "ci",
        };
        o.u64(k, v);
    }
    o.hex("raw", c.raw, NO_CAP);
}

fn geo(o: &mut Obj<'_>, raw: &[u8]) {
    if let Some(g) = GeoInfo::parse(raw) {
        o.display("shape", &format_args!("{:?}", g.shape));
        if let (Some(la), Some(lo)) = (g.latitude, g.longitude) {
            o.f64("latitude", la);
            o.f64("longitude", lo);
        }
        if let Some(u) = g.uncertainty_metres() {
            o.f64("uncertainty_m", u);
        }
    }
    o.hex("raw", raw, NO_CAP);
}

/// GeodeticInformation (TS 29.002, Q.763 Calling Geodetic Location).
fn geodetic(o: &mut Obj<'_>, raw: &[u8]) {
    if let Some(g) = GeodeticInfo::parse(raw) {
        o.display("shape", &format_args!("{:?}", g.shape()));
        o.u64("shape_code", g.shape_code);
        o.u64("presentation", g.presentation);
        o.u64("screening", g.screening);
        if let (Some(la), Some(lo)) = (g.latitude, g.longitude) {
            o.f64("latitude", la);
            o.f64("longitude", lo);
        }
        if let Some(u) = g.uncertainty_metres() {
            o.f64("uncertainty_m", u);
        }
        if let Some(c) = g.confidence {
            o.u64("confidence", c);
        }
    }
    o.hex("raw", raw, NO_CAP);
}

fn location(o: &mut Obj<'_>, l: &Location<'_>) {
    if let Some(a) = l.age {
        o.u64("age_minutes", a);
    }
    for (k, c) in [
        ("cell", l.cell),
        ("rai", l.rai),
        ("ecgi", l.ecgi),
        ("tai", l.tai),
    ] {
        if let Some(c) = c {
            let key = if k == "cell" { c.kind.as_str() } else { k };
            cell(&mut o.obj(key), &c);
        }
    }
    if let Some(g) = l.geographical {
        geo(&mut o.obj("geographical"), g.bytes);
    }
    if let Some(g) = l.geodetic {
        geodetic(&mut o.obj("geodetic"), g.bytes);
    }
    if let Some(n) = l.location_number {
        o.hex("location_number", n.bytes, NO_CAP);
    }
    if let Some(n) = l.mme_name {
        o.lossy("mme_name", n.bytes);
    }
    if l.current_location_retrieved {
        o.bool("current_location_retrieved", true);
    }
}

fn sms(o: &mut Obj<'_>, t: &Tpdu<'_>) {
    o.str("tpdu", t.kind.as_str());
    if let Some(mr) = t.mr {
        o.u64("mr", mr);
    }
    if let Some(a) = &t.address {
        let (key, ton, npi) = match t.kind {
            TpduKind::Deliver => ("originator", "originator_ton", "originator_npi"),
            TpduKind::StatusReport => ("recipient", "recipient_ton", "recipient_npi"),
            _ => ("destination", "destination_ton", "destination_npi"),
        };
        o.display(key, &a.text());
        o.u64(ton, a.ton());
        o.u64(npi, a.npi());
    }
    if let Some(p) = t.pid {
        o.u64("pid", p);
    }
    if let Some(d) = t.dcs {
        o.u64("dcs", d.0);
        o.str("dcs_group", d.group());
        o.str("charset", d.charset().as_str());
        if let Some(c) = d.class() {
            o.u64("class", c);
        }
        if let Some(mw) = d.message_waiting() {
            let mut j = o.obj("message_waiting");
            j.bool("store", mw.store);
            j.bool("active", mw.active);
            j.u64("kind", mw.kind);
        }
    }
    if let Some(s) = &t.scts {
        o.display("scts", s);
    }
    if let Some(s) = &t.discharge_time {
        o.display("discharge_time", s);
    }
    if let Some(s) = t.status {
        o.u64("status", s);
    }
    if let Some(f) = t.failure_cause {
        o.u64("failure_cause", f);
    }
    if let Some(c) = t.command_type {
        o.u64("command_type", c);
    }
    if let Some(vp) = &t.validity {
        let mut v = o.obj("validity");
        v.str("format", vp.format());
        if let Some(s) = vp.seconds() {
            v.u64("seconds", s);
        }
        if let ValidityPeriod::Absolute(a) = vp {
            v.display("time", a);
        }
    }
    if t.reject_duplicates() {
        o.bool("reject_duplicates", true);
    }
    if t.status_report_flag() {
        o.bool("status_report", true);
    }
    if t.reply_path() {
        o.bool("reply_path", true);
    }
    if let Some(u) = &t.user_data {
        o.u64("udl", u.udl);
        o.usize("ud_len", u.raw.len());
        if u.udhi {
            {
                let mut a = o.arr("udh");
                for ie in u.ies().flatten() {
                    let mut m = a.obj();
                    m.u64("iei", ie.iei);
                    if let Some(n) = ie.name() {
                        m.str("name", n);
                    }
                    m.hex("data", ie.data, NO_CAP);
                }
            }
            if let Some(c) = u.concat() {
                let mut j = o.obj("concat");
                j.u64("reference", c.reference);
                j.u64("total", c.total);
                j.u64("seq", c.seq);
            }
            if let Some((d, s)) = u.ports() {
                let mut j = o.obj("ports");
                j.u64("destination", d);
                j.u64("originator", s);
            }
        }
        match u.text() {
            Some(text) => o.str("text", &text),
            None => o.hex("data", u.body(), NO_CAP),
        }
    }
}

/// One entry of the `map` array.
pub fn map_entry(o: &mut Obj<'_>, e: &MapEntry<'_>) {
    o.str("kind", e.component.as_str());
    if let Some(i) = e.invoke_id {
        o.i64("invoke_id", i);
    }
    o.u64("version", e.version);
    if let Some(v) = e.opcode {
        o.i64("opcode", v);
        if e.opcode_from_invoke {
            o.bool("opcode_from_invoke", true);
        }
    }
    if let Some(n) = e.operation() {
        o.str("operation", n);
    }
    if let Some(c) = e.error_code {
        o.i64("error_code", c);
        if let Some(n) = sigscope_map::ErrorCode::from_local(c).and_then(|x| x.name()) {
            o.str("error", n);
        }
    }
    if let Some(n) = e.parameter_len {
        o.usize("parameter_len", n);
    }
    if let Some(p) = &e.param {
        param(o, p, e.sms.as_ref());
    }
}

fn param(o: &mut Obj<'_>, p: &MapParam<'_>, tpdu: Option<&Tpdu<'_>>) {
    if !p.typed {
        o.bool("typed", false);
    }
    if !p.complete {
        o.bool("complete", false);
    }
    if let Some(i) = &p.imsi {
        let d = i.digits();
        o.str("imsi", d.as_str());
        if let Some(pl) = sigscope_core::e212::plmn_of(d.as_str()) {
            let mut j = o.obj("imsi_plmn");
            j.u64("mcc", pl.mcc);
            j.str("mnc", pl.mnc);
            j.str("country", pl.iso);
        }
    }
    if let Some(i) = &p.imei {
        o.str("imei", i.digits().as_str());
    }
    if let Some(i) = &p.imeisv {
        o.str("imeisv", i.digits().as_str());
    }
    if let Some(l) = &p.lmsi {
        o.hex("lmsi", l.bytes, NO_CAP);
    }
    if let Some(t) = &p.tmsi {
        o.hex("tmsi", t.bytes, NO_CAP);
    }
    // Each address under its role's key (the first of a role wins), and the list of all.
    let mut written: [Option<&'static str>; sigscope_map::param::MAX_ADDRESSES + 2] =
        [None; sigscope_map::param::MAX_ADDRESSES + 2];
    let mut n_written = 0usize;
    let mut put = |o: &mut Obj<'_>, key: &'static str, a: &AddressString<'_>| {
        if written.iter().take(n_written).any(|k| *k == Some(key)) {
            return;
        }
        if let Some(slot) = written.get_mut(n_written) {
            *slot = Some(key);
            n_written += 1;
        }
        o.str(key, a.digits().as_str());
    };
    for (role, a) in p.addresses() {
        put(o, role.name().unwrap_or("address"), &a);
    }
    if let Some(da) = &p.sm_rp_da {
        let mut j = o.obj("sm_rp_da");
        match da {
            SmRpDa::Imsi(i) => j.str("imsi", i.digits().as_str()),
            SmRpDa::Lmsi(l) => j.hex("lmsi", l, NO_CAP),
            SmRpDa::RoamingNumber(a) => j.str("roaming_number", a.digits().as_str()),
            SmRpDa::ServiceCentre(a) => j.str("service_centre_address", a.digits().as_str()),
            SmRpDa::None => j.bool("none", true),
        }
    }
    if let Some(oa) = &p.sm_rp_oa {
        match oa {
            SmRpOa::Msisdn(a) => put(o, "msisdn", a),
            SmRpOa::ServiceCentre(a) => put(o, "service_centre_address", a),
            SmRpOa::None => {}
        }
        let mut j = o.obj("sm_rp_oa");
        match oa {
            SmRpOa::Msisdn(a) => j.str("msisdn", a.digits().as_str()),
            SmRpOa::ServiceCentre(a) => j.str("service_centre_address", a.digits().as_str()),
            SmRpOa::None => j.bool("none", true),
        }
    }
    let da_addr = match &p.sm_rp_da {
        Some(SmRpDa::RoamingNumber(a) | SmRpDa::ServiceCentre(a)) => Some(a),
        _ => None,
    };
    let oa_addr = match &p.sm_rp_oa {
        Some(SmRpOa::Msisdn(a) | SmRpOa::ServiceCentre(a)) => Some(a),
        _ => None,
    };
    if p.addresses().next().is_some() || da_addr.is_some() || oa_addr.is_some() {
        let mut l = o.arr("addresses");
        for (role, a) in p.addresses() {
            address_detail(&mut l, role.name().unwrap_or("address"), &a);
        }
        if let Some(a) = da_addr {
            address_detail(&mut l, "sm_rp_da", a);
        }
        if let Some(a) = oa_addr {
            address_detail(&mut l, "sm_rp_oa", a);
        }
    }
    if let Some(ui) = &p.sm_rp_ui {
        o.usize("sm_rp_ui_len", ui.bytes.len());
        if let Some(dir) = p.sms_direction {
            o.str(
                "sms_direction",
                match dir {
                    Direction::ToMs => "mt",
                    Direction::FromMs => "mo",
                },
            );
        }
        if let Some(t) = tpdu {
            sms(&mut o.obj("sms"), t);
        }
    }
    if p.more_messages_to_send {
        o.bool("more_messages_to_send", true);
    }
    if let Some(v) = p.sm_rp_pri {
        o.bool("sm_rp_pri", v);
    }
    if let Some(v) = p.sm_rp_mti {
        o.u64("sm_rp_mti", v);
    }
    if let Some(v) = p.sm_delivery_outcome {
        o.u64("sm_delivery_outcome", v);
    }
    if let Some(u) = &p.ussd {
        let mut m = o.obj("ussd");
        if let Some(d) = u.dcs {
            m.u64("dcs", d);
        }
        m.str("charset", u.coding().charset.as_str());
        match u.text() {
            Some(t) => m.str("text", &t),
            None => m.hex("data", u.string, NO_CAP),
        }
        m.usize("len", u.string.len());
    }
    if let Some(r) = p.requested_info {
        let mut a = o.arr("requested_info");
        for n in r.names() {
            a.str(n);
        }
    }
    for (k, l) in [
        ("location", &p.location),
        ("location_gprs", &p.location_gprs),
        ("location_eps", &p.location_eps),
    ] {
        if let Some(l) = l {
            location(&mut o.obj(k), l);
        }
    }
    if let Some(s) = p.subscriber_state {
        o.str("subscriber_state", s.as_str());
    }
    if let Some(s) = p.ps_subscriber_state {
        o.str("ps_subscriber_state", s.as_str());
    }
    if let Some(n) = p.requested_vectors {
        o.u64("requested_vectors", n);
    }
    if p.resync {
        o.bool("resynchronisation", true);
    }
    if let Some(v) = &p.auth_vectors {
        let mut j = o.obj("auth_vectors");
        j.u64("triplets", v.triplets);
        j.u64("quintuplets", v.quintuplets);
        j.u64("eps", v.eps);
    }
    if !p.ss_codes().is_empty() {
        let mut a = o.arr("ss_codes");
        for c in p.ss_codes() {
            a.u64(*c);
        }
    }
    let x = &p.extensions;
    if x.containers > 0 {
        let mut m = o.obj("extensions");
        m.u64("containers", x.containers);
        m.u64("private", x.private);
        m.u64("private_bytes", x.private_bytes);
        if x.pcs {
            m.bool("pcs", true);
        }
        if let Some(id) = x.first_ext_id {
            if let Some(t) = sigscope_core::ber::oid_to_string(id) {
                m.str("first_ext_id", t.as_str());
            }
        }
    }
    for (k, v) in [
        ("cancellation_type", p.cancellation_type),
        ("alert_reason", p.alert_reason),
        ("failure_cause", p.failure_cause),
        ("interrogation_type", p.interrogation_type),
        ("equipment_status", p.equipment_status),
        ("lcs_event", p.lcs_event),
        ("location_estimate_type", p.location_estimate_type),
        ("category", p.category),
        ("subscriber_status", p.subscriber_status),
        ("number_of_forwarding", p.number_of_forwarding),
        ("password_len", p.password_len),
        ("guidance_info", p.guidance_info),
        ("ss_status", p.ss_status),
    ] {
        if let Some(v) = v {
            o.u64(k, v);
        }
    }
    if let Some(l) = &p.location_estimate {
        geo(&mut o.obj("location_estimate"), l.bytes);
    }
    if let Some(a) = p.age_of_location_estimate {
        o.u64("age_of_location_estimate", a);
    }
    for (k, r) in [
        ("sgsn_address", &p.sgsn_address),
        ("ggsn_address", &p.ggsn_address),
        ("trace_reference", &p.trace_reference),
    ] {
        if let Some(r) = r {
            o.hex(k, r.bytes, NO_CAP);
        }
    }
    if let Some(t) = p.trace_type {
        o.u64("trace_type", t);
    }
    if p.teleservices > 0 {
        o.u64("teleservices", p.teleservices);
    }
    if p.bearer_services > 0 {
        o.u64("bearer_services", p.bearer_services);
    }
    if p.hlr_list > 0 {
        o.u64("hlr_list", p.hlr_list);
    }
    if p.unexpected > 0 {
        o.u64("unexpected_elements", p.unexpected);
    }
}
