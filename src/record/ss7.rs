//! The `sccp`, `tcap` and `map` objects of decode records, written from the typed layers.

use sigscope_decode::{Party, SccpLayer, TcapLayer};
use sigscope_map::sms::{Direction, Tpdu, TpduKind, ValidityPeriod};
use sigscope_map::{
    AddressString, CellId, CellKind, GeoInfo, GeodeticInfo, Location, MapDialogue, MapEntry,
    MapParam, SmRpDa, SmRpOa,
};
use sigscope_sccp::Ssn;
use sigscope_tcap::{Code, Component, ComponentKind, Diagnostic, Tcap};

use sigscope_core::ber::{oid_to_string, OidText};
use sigscope_core::memo::DirectMemo;

use crate::json::{Arr, Key, Obj};
use crate::k;

/// Hex of MAP values (never cut: MAP values are small and bounded by the TCAP message).
const NO_CAP: usize = usize::MAX;

fn party(o: &mut Obj<'_>, p: &Party<'_>) {
    let a = &p.address;
    o.str(k!("ri"), a.routing.as_str());
    o.opt_u64(k!("ssn"), a.ssn.map(|s| s.0));
    if let Some(n) = a.ssn.and_then(Ssn::name) {
        o.str(k!("ssn_name"), n);
    }
    o.opt_u64(k!("pc"), a.pc);
    if a.national {
        o.bool(k!("national"), true);
    }
    if let Some(gt) = &a.gt {
        let mut g = o.obj(k!("gt"));
        g.u64(k!("gti"), gt.gti);
        if let Some(tt) = gt.tt {
            g.u64(k!("tt"), tt);
        }
        if let Some(np) = gt.np {
            g.u64(k!("np"), np.0);
        }
        if let Some(nai) = gt.nai {
            g.u64(k!("nai"), nai.0);
        }
        if let Some(es) = gt.es {
            g.u64(k!("es"), es.0);
        }
        g.ascii(
            k!("digits"),
            p.digits.as_ref().map_or(&[][..], |d| d.as_bytes()),
        );
        if let (Some(name), Some(c)) = (p.country_name(), p.country) {
            g.str(k!("country"), name);
            g.str(k!("country_code"), c.cc);
        }
    }
}

/// The `sccp` object.
pub fn sccp(o: &mut Obj<'_>, s: &SccpLayer<'_>) {
    let m = &s.msg;
    match m.msg_type.name() {
        Some(n) => o.str(k!("type"), n),
        None => o.u64(k!("type"), m.msg_type.0),
    }
    o.u64(k!("type_code"), m.msg_type.0);
    if let Some(pc) = m.protocol_class {
        o.u64(k!("class"), pc.class());
        if pc.return_on_error() {
            o.bool(k!("return_on_error"), true);
        }
    }
    if let Some(v) = m.dst_local_ref {
        o.u64(k!("dlr"), v);
    }
    if let Some(v) = m.src_local_ref {
        o.u64(k!("slr"), v);
    }
    if let Some(c) = m.cause {
        o.u64(c.key(), c.value());
        if let Some(n) = c.name() {
            o.str(c.name_key(), n);
        }
    }
    if let Some(h) = m.hop_counter {
        o.u64(k!("hop_counter"), h);
    }
    if let Some(i) = m.importance {
        o.u64(k!("importance"), i);
    }
    if let Some(c) = m.credit {
        o.u64(k!("credit"), c);
    }
    // DT2/IT carry P(S), P(R) and the more-data bit in their sequencing octets, DT1 only
    // the more-data bit, AK only P(R)
    let seq = m.sequencing_segmenting;
    if let Some([ps, _]) = seq {
        o.u64(k!("ps"), ps >> 1);
    }
    if let Some(pr) = m.receive_sequence.or(seq.map(|[_, r]| r)) {
        o.u64(k!("pr"), pr >> 1);
    }
    if let Some(more) = seq
        .map(|[_, r]| r)
        .or(m.segmenting_reassembling)
        .map(|x| x & 0x01 != 0)
    {
        o.bool(k!("more_data"), more);
    }
    if let Some(a) = &s.called {
        party(&mut o.obj(k!("called")), a);
    }
    if let Some(a) = &s.calling {
        party(&mut o.obj(k!("calling")), a);
    }
    if let Some(g) = m.segmentation {
        let mut j = o.obj(k!("segmentation"));
        j.bool(k!("first"), g.first);
        j.u64(k!("in_sequence"), g.in_sequence);
        j.u64(k!("remaining"), g.remaining);
        j.u64(k!("local_ref"), g.local_ref);
    }
    if let Some(d) = m.data {
        o.usize(k!("data_len"), d.value.len());
    }
    if let Some(n) = s.reassembled_len {
        o.bool(k!("reassembled"), true);
        o.usize(k!("reassembled_len"), n);
    }
    if let Some(g) = &s.scmg {
        let mut j = o.obj(k!("scmg"));
        j.display(k!("type"), &g.msg_type);
        j.u64(k!("affected_ssn"), g.affected_ssn.0);
        j.u64(k!("affected_pc"), g.affected_pc);
    }
}

fn code(o: &mut Obj<'_>, k: Key, c: &Code<'_>) {
    match c {
        Code::Local(v) => o.i64(k, *v),
        Code::Global(x) => oid(o, k, x),
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
            j.u64(k!("family"), (*v >> 8) & 0xff);
            j.u64(k!("specifier"), *v & 0xff);
        }
    }
}

fn component(o: &mut Obj<'_>, c: &Component<'_>) {
    o.str(k!("kind"), c.kind.as_str());
    if let Some(i) = c.invoke_id {
        o.i64(k!("invoke_id"), i);
    }
    if let Some(l) = c.linked_id {
        o.i64(k!("linked_id"), l);
    }
    if let Some(op) = &c.opcode {
        code(o, k!("opcode"), op);
    }
    if let Some(e) = &c.error_code {
        code(o, k!("error_code"), e);
    }
    if let Some(p) = &c.problem {
        o.display(k!("problem_type"), &p.kind);
        o.i64(k!("problem"), p.code);
        if let Some(n) = p.name() {
            o.str(k!("problem_name"), n);
        }
    }
    if let Some(p) = &c.parameter {
        o.usize(k!("parameter_len"), p.raw.len());
    }
    if c.kind == ComponentKind::Unknown {
        o.u64(k!("tag"), c.tag.number);
    }
}

/// Places in the memo of OID texts (direct-mapped by the last two content octets, where
/// MAP application contexts differ).
const OID_MEMO_SLOTS: usize = 16;
/// Longest OID encoding the memo keeps (application contexts are 7 octets).
const OID_MEMO_MAX_CONTENT: usize = 16;

/// An OID memo key: the content octets (zero-padded) and their count.
type OidKey = ([u8; OID_MEMO_MAX_CONTENT], usize);

thread_local! {
    /// The texts of OIDs written lately: a capture's dialogues use a handful of application
    /// contexts, each formatted once instead of on every message.
    static OID_MEMO: core::cell::RefCell<DirectMemo<OidKey, Option<OidText>, OID_MEMO_SLOTS>> =
        const { core::cell::RefCell::new(DirectMemo::new(([0; OID_MEMO_MAX_CONTENT], usize::MAX), None)) };
}

thread_local! {
    /// The networks of IMSIs written lately (a capture's subscribers belong to a few).
    static PLMN_MEMO: core::cell::RefCell<sigscope_core::e212::PlmnMemo> =
        core::cell::RefCell::new(sigscope_core::e212::PlmnMemo::default());
    /// The countries of address strings written lately.
    static COUNTRY_MEMO: core::cell::RefCell<sigscope_core::e164::CountryMemo> =
        core::cell::RefCell::new(sigscope_core::e164::CountryMemo::default());
}

/// The dotted text of an OID's content octets (`None`: not a valid encoding), from the memo
/// when it is there.
fn oid_text(content: &[u8]) -> Option<OidText> {
    let mut key = ([0; OID_MEMO_MAX_CONTENT], content.len());
    match key.0.get_mut(..content.len()) {
        Some(dst) => dst.copy_from_slice(content),
        None => return oid_to_string(content),
    }
    let hash = match content {
        [.., a, b] => u64::from(*a) * 31 + u64::from(*b),
        _ => 0,
    };
    OID_MEMO.with(|m| match m.try_borrow_mut() {
        Ok(mut m) => m.get_or(key, hash, || oid_to_string(content)),
        Err(_) => oid_to_string(content),
    })
}

/// An OID as dotted text (`invalid-oid` when its encoding is not one).
fn oid(o: &mut Obj<'_>, k: Key, x: &sigscope_tcap::component::Oid<'_>) {
    match oid_text(x.0) {
        Some(t) => {
            let (buf, len) = t.buffer();
            o.plain_fixed(k, buf, len);
        }
        None => o.str(k, "invalid-oid"),
    }
}

/// A transaction id as lowercase hex, `null` when absent.
fn tid(o: &mut Obj<'_>, k: Key, t: Option<sigscope_tcap::message::TransactionId<'_>>) {
    match t {
        Some(t) => o.ascii(k, t.hex().as_bytes()),
        None => o.null(k),
    }
}

/// The `tcap` object.
pub fn tcap(o: &mut Obj<'_>, t: &TcapLayer<'_>, components: &[Component<'_>]) {
    match &t.tcap {
        Tcap::Itu(m) => {
            match m.msg_type.name() {
                Some(n) => o.str(k!("type"), n),
                None => o.display(k!("type"), &m.msg_type),
            }
            tid(o, k!("otid"), m.otid);
            tid(o, k!("dtid"), m.dtid);
            if let Some(c) = m.p_abort_cause {
                o.u64(k!("p_abort_cause"), c.0);
                if let Some(n) = c.name() {
                    o.str(k!("p_abort_cause_name"), n);
                }
            }
            if let Some(d) = &t.dialogue {
                if let Some(acn) = d.acn {
                    oid(o, k!("acn"), &acn);
                }
                let mut dj = o.obj(k!("dialogue"));
                dj.str(k!("pdu"), d.kind.as_str());
                if let Some(x) = d.oid {
                    oid(&mut dj, k!("oid"), &x);
                }
                if let Some(v) = d.protocol_version {
                    dj.bool(k!("version1"), v.get(1).is_some_and(|b| b & 0x80 != 0));
                }
                if let Some(r) = d.result {
                    dj.i64(k!("result"), r);
                }
                match d.diagnostic {
                    Some(Diagnostic::User(v)) => dj.i64(k!("diagnostic_user"), v),
                    Some(Diagnostic::Provider(v)) => dj.i64(k!("diagnostic_provider"), v),
                    None => {}
                }
                if let Some(s) = d.abort_source {
                    dj.i64(k!("abort_source"), s);
                }
                if let Some(u) = d.user_info {
                    dj.usize(k!("user_info_len"), u.len());
                    if let Some(md) = &t.map_dialogue {
                        map_dialogue(&mut dj.obj(k!("map_dialogue")), md);
                    }
                }
            }
            if let Some(ns) = t.since_begin_nanos {
                o.f64(k!("since_begin_ms"), ns as f64 / 1e6);
            }
        }
        Tcap::Ansi(m) => {
            o.str(k!("variant"), "ansi");
            o.display(k!("type"), &m.package);
            tid(o, k!("otid"), m.otid);
            tid(o, k!("dtid"), m.rtid);
            if let Some(c) = m.p_abort_cause {
                o.u64(k!("p_abort_cause"), c);
            }
        }
    }
    let mut a = o.arr(k!("components"));
    for c in components {
        component(&mut a.obj(), c);
    }
}

fn address_detail(
    a: &mut Arr<'_>,
    role: &str,
    x: &AddressString<'_>,
    d: &sigscope_core::digits::Digits,
) {
    let mut o = a.obj();
    o.str(k!("role"), role);
    o.digits(k!("digits"), d);
    o.u64(k!("nature"), x.nature());
    o.u64(k!("plan"), x.plan());
    if x.is_e164() {
        let country = COUNTRY_MEMO.with(|m| match m.try_borrow_mut() {
            Ok(mut m) => m.country_of(d.as_bytes()),
            Err(_) => sigscope_core::e164::country_of_bytes(d.as_bytes()),
        });
        if let Some(c) = country {
            o.str(k!("country"), if c.iso.is_empty() { c.name } else { c.iso });
        }
    }
}

fn map_dialogue(o: &mut Obj<'_>, m: &MapDialogue<'_>) {
    o.str(k!("pdu"), m.kind.as_str());
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
            o.digits(k, &a.digits());
            o.u64(kn, a.nature());
            o.u64(kp, a.plan());
        }
    }
    if let Some(r) = m.reason {
        o.u64(k!("reason"), r);
    }
}

fn plmn_digits(o: &mut Obj<'_>, p: &sigscope_map::Plmn) {
    if p.mcc < 1000 {
        let d = |x: u16| b'0' + (x % 10) as u8;
        let b = [d(p.mcc / 100), d(p.mcc / 10), d(p.mcc)];
        o.str(k!("mcc"), core::str::from_utf8(&b).unwrap_or(""));
    } else {
        o.display(k!("mcc"), &format_args!("{:03}", p.mcc));
    }
    if p.mnc < 1000 && p.mnc_digits <= 3 {
        let d = |x: u16| b'0' + (x % 10) as u8;
        let b = [d(p.mnc / 100), d(p.mnc / 10), d(p.mnc)];
        let skip = 3usize.saturating_sub(usize::from(p.mnc_digits.max(1)));
        // a value wider than its digit count is written whole, as `{:0w$}` does
        let skip = skip.min(usize::from(p.mnc < 100) + usize::from(p.mnc < 10));
        o.ascii("mnc", b.get(skip..).unwrap_or(&b));
    } else {
        o.display(
            "mnc",
            &format_args!("{:0w$}", p.mnc, w = usize::from(p.mnc_digits)),
        );
    }
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
    o.hex(k!("raw"), c.raw, NO_CAP);
}

fn geo(o: &mut Obj<'_>, raw: &[u8]) {
    if let Some(g) = GeoInfo::parse(raw) {
        o.display(k!("shape"), &format_args!("{:?}", g.shape));
        if let (Some(la), Some(lo)) = (g.latitude, g.longitude) {
            o.f64(k!("latitude"), la);
            o.f64(k!("longitude"), lo);
        }
        if let Some(u) = g.uncertainty_metres() {
            o.f64(k!("uncertainty_m"), u);
        }
    }
    o.hex(k!("raw"), raw, NO_CAP);
}

/// GeodeticInformation (TS 29.002, Q.763 Calling Geodetic Location).
fn geodetic(o: &mut Obj<'_>, raw: &[u8]) {
    if let Some(g) = GeodeticInfo::parse(raw) {
        o.display(k!("shape"), &format_args!("{:?}", g.shape()));
        o.u64(k!("shape_code"), g.shape_code);
        o.u64(k!("presentation"), g.presentation);
        o.u64(k!("screening"), g.screening);
        if let (Some(la), Some(lo)) = (g.latitude, g.longitude) {
            o.f64(k!("latitude"), la);
            o.f64(k!("longitude"), lo);
        }
        if let Some(u) = g.uncertainty_metres() {
            o.f64(k!("uncertainty_m"), u);
        }
        if let Some(c) = g.confidence {
            o.u64(k!("confidence"), c);
        }
    }
    o.hex(k!("raw"), raw, NO_CAP);
}

fn location(o: &mut Obj<'_>, l: &Location<'_>) {
    if let Some(a) = l.age {
        o.u64(k!("age_minutes"), a);
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
        geo(&mut o.obj(k!("geographical")), g.bytes);
    }
    if let Some(g) = l.geodetic {
        geodetic(&mut o.obj(k!("geodetic")), g.bytes);
    }
    if let Some(n) = l.location_number {
        o.hex(k!("location_number"), n.bytes, NO_CAP);
    }
    if let Some(n) = l.mme_name {
        o.lossy(k!("mme_name"), n.bytes);
    }
    if l.current_location_retrieved {
        o.bool(k!("current_location_retrieved"), true);
    }
}

fn sms(o: &mut Obj<'_>, t: &Tpdu<'_>) {
    o.str(k!("tpdu"), t.kind.as_str());
    if let Some(mr) = t.mr {
        o.u64(k!("mr"), mr);
    }
    if let Some(a) = &t.address {
        let (key, ton, npi) = match t.kind {
            TpduKind::Deliver => ("originator", "originator_ton", "originator_npi"),
            TpduKind::StatusReport => ("recipient", "recipient_ton", "recipient_npi"),
            _ => ("destination", "destination_ton", "destination_npi"),
        };
        if a.is_alphanumeric() {
            o.display(key, &a.text());
        } else {
            o.digits(key, &a.digits());
        }
        o.u64(ton, a.ton());
        o.u64(npi, a.npi());
    }
    if let Some(p) = t.pid {
        o.u64(k!("pid"), p);
    }
    if let Some(d) = t.dcs {
        o.u64(k!("dcs"), d.0);
        o.str(k!("dcs_group"), d.group());
        o.str(k!("charset"), d.charset().as_str());
        if let Some(c) = d.class() {
            o.u64(k!("class"), c);
        }
        if let Some(mw) = d.message_waiting() {
            let mut j = o.obj(k!("message_waiting"));
            j.bool(k!("store"), mw.store);
            j.bool(k!("active"), mw.active);
            j.u64(k!("kind"), mw.kind);
        }
    }
    if let Some(s) = &t.scts {
        o.display(k!("scts"), s);
    }
    if let Some(s) = &t.discharge_time {
        o.display(k!("discharge_time"), s);
    }
    if let Some(s) = t.status {
        o.u64(k!("status"), s);
    }
    if let Some(f) = t.failure_cause {
        o.u64(k!("failure_cause"), f);
    }
    if let Some(c) = t.command_type {
        o.u64(k!("command_type"), c);
    }
    if let Some(vp) = &t.validity {
        let mut v = o.obj(k!("validity"));
        v.str(k!("format"), vp.format());
        if let Some(s) = vp.seconds() {
            v.u64(k!("seconds"), s);
        }
        if let ValidityPeriod::Absolute(a) = vp {
            v.display(k!("time"), a);
        }
    }
    if t.reject_duplicates() {
        o.bool(k!("reject_duplicates"), true);
    }
    if t.status_report_flag() {
        o.bool(k!("status_report"), true);
    }
    if t.reply_path() {
        o.bool(k!("reply_path"), true);
    }
    if let Some(u) = &t.user_data {
        o.u64(k!("udl"), u.udl);
        o.usize(k!("ud_len"), u.raw.len());
        if u.udhi {
            {
                let mut a = o.arr(k!("udh"));
                for ie in u.ies().flatten() {
                    let mut m = a.obj();
                    m.u64(k!("iei"), ie.iei);
                    if let Some(n) = ie.name() {
                        m.str(k!("name"), n);
                    }
                    m.hex(k!("data"), ie.data, NO_CAP);
                }
            }
            if let Some(c) = u.concat() {
                let mut j = o.obj(k!("concat"));
                j.u64(k!("reference"), c.reference);
                j.u64(k!("total"), c.total);
                j.u64(k!("seq"), c.seq);
            }
            if let Some((d, s)) = u.ports() {
                let mut j = o.obj(k!("ports"));
                j.u64(k!("destination"), d);
                j.u64(k!("originator"), s);
            }
        }
        if !o.text_with(k!("text"), |s| u.text_into(s)) {
            o.hex(k!("data"), u.body(), NO_CAP);
        }
    }
}

/// One entry of the `map` array.
pub fn map_entry(o: &mut Obj<'_>, e: &MapEntry<'_>) {
    o.str(k!("kind"), e.component.as_str());
    if let Some(i) = e.invoke_id {
        o.i64(k!("invoke_id"), i);
    }
    o.u64(k!("version"), e.version);
    if let Some(v) = e.opcode {
        o.i64(k!("opcode"), v);
        if e.opcode_from_invoke {
            o.bool(k!("opcode_from_invoke"), true);
        }
    }
    if let Some(n) = e.operation() {
        o.str(k!("operation"), n);
    }
    if let Some(c) = e.error_code {
        o.i64(k!("error_code"), c);
        if let Some(n) = sigscope_map::ErrorCode::from_local(c).and_then(|x| x.name()) {
            o.str(k!("error"), n);
        }
    }
    if let Some(n) = e.parameter_len {
        o.usize(k!("parameter_len"), n);
    }
    if let Some(p) = &e.param {
        param(o, p, e.sms.as_ref());
    }
}

fn param(o: &mut Obj<'_>, p: &MapParam<'_>, tpdu: Option<&Tpdu<'_>>) {
    if !p.typed {
        o.bool(k!("typed"), false);
    }
    if !p.complete {
        o.bool(k!("complete"), false);
    }
    if let Some(i) = &p.imsi {
        let d = i.digits();
        o.digits(k!("imsi"), &d);
        if let Some(pl) = PLMN_MEMO.with(|m| match m.try_borrow_mut() {
            Ok(mut m) => m.plmn_of(d.as_str()),
            Err(_) => sigscope_core::e212::plmn_of(d.as_str()),
        }) {
            let mut j = o.obj(k!("imsi_plmn"));
            j.u64(k!("mcc"), pl.mcc);
            j.str(k!("mnc"), pl.mnc);
            j.str(k!("country"), pl.iso);
        }
    }
    if let Some(i) = &p.imei {
        o.digits(k!("imei"), &i.digits());
    }
    if let Some(i) = &p.imeisv {
        o.digits(k!("imeisv"), &i.digits());
    }
    if let Some(l) = &p.lmsi {
        o.hex(k!("lmsi"), l.bytes, NO_CAP);
    }
    if let Some(t) = &p.tmsi {
        o.hex(k!("tmsi"), t.bytes, NO_CAP);
    }
    // Each address under its role's key (the first of a role wins), and the list of all;
    // every address's digits decoded once.
    let mut addrs: arrayvec::ArrayVec<
        (
            &'static str,
            AddressString<'_>,
            sigscope_core::digits::Digits,
        ),
        { sigscope_map::param::MAX_ADDRESSES + 2 },
    > = arrayvec::ArrayVec::new();
    for (role, a) in p.addresses() {
        let _ = addrs.try_push((role.name().unwrap_or("address"), a, a.digits()));
    }
    let da = match &p.sm_rp_da {
        Some(SmRpDa::RoamingNumber(a) | SmRpDa::ServiceCentre(a)) => Some((*a, a.digits())),
        _ => None,
    };
    let oa = match &p.sm_rp_oa {
        Some(SmRpOa::Msisdn(a) | SmRpOa::ServiceCentre(a)) => Some((*a, a.digits())),
        _ => None,
    };
    let mut written: arrayvec::ArrayVec<&'static str, { sigscope_map::param::MAX_ADDRESSES + 2 }> =
        arrayvec::ArrayVec::new();
    let mut put = |o: &mut Obj<'_>, key: &'static str, d: &sigscope_core::digits::Digits| {
        if written.contains(&key) {
            return;
        }
        let _ = written.try_push(key);
        o.digits(key, d);
    };
    for (key, _, d) in &addrs {
        put(o, key, d);
    }
    if let Some(x) = &p.sm_rp_da {
        let mut j = o.obj(k!("sm_rp_da"));
        match (x, &da) {
            (SmRpDa::Imsi(i), _) => j.digits(k!("imsi"), &i.digits()),
            (SmRpDa::Lmsi(l), _) => j.hex(k!("lmsi"), l, NO_CAP),
            (SmRpDa::RoamingNumber(_), Some((_, d))) => j.digits(k!("roaming_number"), d),
            (SmRpDa::ServiceCentre(_), Some((_, d))) => j.digits(k!("service_centre_address"), d),
            (SmRpDa::None, _) => j.bool(k!("none"), true),
            _ => {}
        }
    }
    if let Some(x) = &p.sm_rp_oa {
        if let Some((_, d)) = &oa {
            match x {
                SmRpOa::Msisdn(_) => put(o, "msisdn", d),
                SmRpOa::ServiceCentre(_) => put(o, "service_centre_address", d),
                SmRpOa::None => {}
            }
        }
        let mut j = o.obj(k!("sm_rp_oa"));
        match (x, &oa) {
            (SmRpOa::Msisdn(_), Some((_, d))) => j.digits(k!("msisdn"), d),
            (SmRpOa::ServiceCentre(_), Some((_, d))) => j.digits(k!("service_centre_address"), d),
            (SmRpOa::None, _) => j.bool(k!("none"), true),
            _ => {}
        }
    }
    if !addrs.is_empty() || da.is_some() || oa.is_some() {
        let mut l = o.arr(k!("addresses"));
        for (key, a, d) in &addrs {
            address_detail(&mut l, key, a, d);
        }
        if let Some((a, d)) = &da {
            address_detail(&mut l, "sm_rp_da", a, d);
        }
        if let Some((a, d)) = &oa {
            address_detail(&mut l, "sm_rp_oa", a, d);
        }
    }
    if let Some(ui) = &p.sm_rp_ui {
        o.usize(k!("sm_rp_ui_len"), ui.bytes.len());
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
            sms(&mut o.obj(k!("sms")), t);
        }
    }
    if p.more_messages_to_send {
        o.bool(k!("more_messages_to_send"), true);
    }
    if let Some(v) = p.sm_rp_pri {
        o.bool(k!("sm_rp_pri"), v);
    }
    if let Some(v) = p.sm_rp_mti {
        o.u64(k!("sm_rp_mti"), v);
    }
    if let Some(v) = p.sm_delivery_outcome {
        o.u64(k!("sm_delivery_outcome"), v);
    }
    if let Some(u) = &p.ussd {
        let mut m = o.obj(k!("ussd"));
        if let Some(d) = u.dcs {
            m.u64(k!("dcs"), d);
        }
        m.str(k!("charset"), u.coding().charset.as_str());
        if !m.text_with(k!("text"), |s| u.text_into(s)) {
            m.hex(k!("data"), u.string, NO_CAP);
        }
        m.usize(k!("len"), u.string.len());
    }
    if let Some(r) = p.requested_info {
        let mut a = o.arr(k!("requested_info"));
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
        o.str(k!("subscriber_state"), s.as_str());
    }
    if let Some(s) = p.ps_subscriber_state {
        o.str(k!("ps_subscriber_state"), s.as_str());
    }
    if let Some(n) = p.requested_vectors {
        o.u64(k!("requested_vectors"), n);
    }
    if p.resync {
        o.bool(k!("resynchronisation"), true);
    }
    if let Some(v) = &p.auth_vectors {
        let mut j = o.obj(k!("auth_vectors"));
        j.u64(k!("triplets"), v.triplets);
        j.u64(k!("quintuplets"), v.quintuplets);
        j.u64(k!("eps"), v.eps);
    }
    if !p.ss_codes().is_empty() {
        let mut a = o.arr(k!("ss_codes"));
        for c in p.ss_codes() {
            a.u64(*c);
        }
    }
    let x = &p.extensions;
    if x.containers > 0 {
        let mut m = o.obj(k!("extensions"));
        m.u64(k!("containers"), x.containers);
        m.u64(k!("private"), x.private);
        m.u64(k!("private_bytes"), x.private_bytes);
        if x.pcs_value.is_some() {
            m.bool(k!("pcs"), true);
        }
        if let Some(id) = x.first_ext_id {
            if let Some(t) = oid_text(id) {
                m.ascii(k!("first_ext_id"), t.as_bytes());
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
        geo(&mut o.obj(k!("location_estimate")), l.bytes);
    }
    if let Some(a) = p.age_of_location_estimate {
        o.u64(k!("age_of_location_estimate"), a);
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
        o.u64(k!("trace_type"), t);
    }
    if p.teleservices > 0 {
        o.u64(k!("teleservices"), p.teleservices);
    }
    if p.bearer_services > 0 {
        o.u64(k!("bearer_services"), p.bearer_services);
    }
    if p.hlr_list > 0 {
        o.u64(k!("hlr_list"), p.hlr_list);
    }
    if p.unexpected > 0 {
        o.u64(k!("unexpected_elements"), p.unexpected);
    }
}
