//! The `sccp` and `tcap` objects of decode records.
//!
//! [`add_sccp`] decodes SCCP user data of MTP3 / M3UA (SI = 3), reassembles XUDT/LUDT
//! segments, and when the user data is TCAP decodes it into `tcap`; [`add_tcap`] decodes TCAP
//! carried directly by SUA. [`SccpTcapState`] holds the per-session reassembler and TCAP
//! transaction matcher. Anomalies are layer `sccp` / `tcap` with offsets relative to the SCCP
//! payload (TCAP offsets are shifted by the data parameter's offset; for reassembled TCAP they
//! are relative to the reassembled user data).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde_json::{json, Map, Value};
use sigscope_core::{Anomalies, Anomaly};
use sigscope_sccp::bytes::Bytes;
use sigscope_sccp::{
    Address, Message as SccpMessage, PcFormat, Reassembler, Scmg, SegmentKey, SegmentOutcome, Ssn,
};
use sigscope_tcap::{Code, Component, ComponentKind, Diagnostic, Matcher, Tcap};

/// Per-session state: XUDT/LUDT reassembler and TCAP transaction matcher.
#[derive(Default)]
pub struct SccpTcapState {
    /// Segment reassembly.
    pub reassembler: Reassembler,
    /// TCAP transaction matching.
    pub matcher: Matcher,
}

/// What [`add_sccp`] needs besides the payload.
pub struct SccpCtx<'p> {
    /// Point-code format (from `--mtp3`).
    pub pc_format: PcFormat,
    /// MTP3 / M3UA originating point code.
    pub opc: u32,
    /// MTP3 / M3UA destination point code.
    pub dpc: u32,
    /// Peer text (`"src:port>dst:port"`, or anything; `>` separates the two ends).
    pub peer: &'p str,
    /// Capture time in nanoseconds.
    pub ts_nanos: u64,
}

/// TCAP bytes handed on to the next layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TcapData<'a> {
    /// Borrowed from the SCCP payload (unsegmented).
    Borrowed(&'a [u8]),
    /// Reassembled from segments.
    Owned(Bytes),
}

impl TcapData<'_> {
    /// The octets.
    pub fn as_slice(&self) -> &[u8] {
        match self {
            TcapData::Borrowed(b) => b,
            TcapData::Owned(b) => b.as_ref(),
        }
    }
}

impl AsRef<[u8]> for TcapData<'_> {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

/// A direction-independent key for a peer text and a point-code pair.
fn peer_key(peer: &str, opc: u32, dpc: u32) -> u64 {
    let (a, b) = match peer.split_once('>') {
        Some((a, b)) => (a, b),
        None => (peer, ""),
    };
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let (p, q) = if opc <= dpc { (opc, dpc) } else { (dpc, opc) };
    let mut h = DefaultHasher::new();
    (a, b, p, q).hash(&mut h);
    h.finish()
}

fn push_all(out: &mut Vec<Anomaly>, a: &Anomalies, shift: usize) {
    out.extend(a.iter().map(|x| x.shifted(shift)));
}

fn address_json(a: &Address<'_>) -> Value {
    let mut o = Map::new();
    o.insert("ri".into(), a.routing.as_str().into());
    o.insert("ssn".into(), a.ssn.map_or(Value::Null, |s| s.0.into()));
    if let Some(n) = a.ssn.and_then(Ssn::name) {
        o.insert("ssn_name".into(), n.into());
    }
    o.insert("pc".into(), a.pc.map_or(Value::Null, Value::from));
    if a.national {
        o.insert("national".into(), true.into());
    }
    if let Some(gt) = &a.gt {
        let mut g = Map::new();
        g.insert("gti".into(), gt.gti.into());
        if let Some(tt) = gt.tt {
            g.insert("tt".into(), tt.into());
        }
        if let Some(np) = gt.np {
            g.insert("np".into(), np.0.into());
        }
        if let Some(nai) = gt.nai {
            g.insert("nai".into(), nai.0.into());
        }
        if let Some(es) = gt.es {
            g.insert("es".into(), es.0.into());
        }
        g.insert("digits".into(), gt.digits().as_str().into());
        if let Some(c) = gt.country() {
            g.insert(
                "country".into(),
                (if c.iso.is_empty() { c.name } else { c.iso }).into(),
            );
            g.insert("country_code".into(), c.cc.into());
        }
        o.insert("gt".into(), Value::Object(g));
    }
    Value::Object(o)
}

/// Decode SCCP `payload` into `rec["sccp"]` (and `rec["tcap"]` when the user data is TCAP).
/// Returns the TCAP bytes (borrowed, or owned when reassembled).
pub fn add_sccp<'p>(
    state: &mut SccpTcapState,
    payload: &'p [u8],
    ctx: &SccpCtx<'_>,
    rec: &mut Map<String, Value>,
    anomalies: &mut Vec<Anomaly>,
) -> Option<TcapData<'p>> {
    let mut an = Anomalies::new();
    let m = match SccpMessage::decode(payload, &mut an) {
        Ok(m) => m,
        Err(e) => {
            anomalies.push(e.to_anomaly());
            return None;
        }
    };
    let mut o = Map::new();
    o.insert(
        "type".into(),
        m.msg_type
            .name()
            .map_or_else(|| Value::from(m.msg_type.0), Value::from),
    );
    o.insert("type_code".into(), m.msg_type.0.into());
    if let Some(pc) = m.protocol_class {
        o.insert("class".into(), pc.class().into());
        if pc.return_on_error() {
            o.insert("return_on_error".into(), true.into());
        }
    }
    if let Some(v) = m.dst_local_ref {
        o.insert("dlr".into(), v.into());
    }
    if let Some(v) = m.src_local_ref {
        o.insert("slr".into(), v.into());
    }
    if let Some(c) = m.cause {
        o.insert(c.key().into(), c.value().into());
        if let Some(n) = c.name() {
            o.insert(format!("{}_name", c.key()), n.into());
        }
    }
    if let Some(h) = m.hop_counter {
        o.insert("hop_counter".into(), h.into());
    }
    if let Some(i) = m.importance {
        o.insert("importance".into(), i.into());
    }
    if let Some(c) = m.credit {
        o.insert("credit".into(), c.into());
    }
    if let Some(s) = m.segmenting_reassembling {
        o.insert("more_data".into(), (s & 0x01 != 0).into());
    }
    if let Some([s, r]) = m.sequencing_segmenting {
        o.insert("ps".into(), (s >> 1).into());
        o.insert("pr".into(), (r >> 1).into());
        o.insert("more_data".into(), (r & 0x01 != 0).into());
    }
    if let Some(r) = m.receive_sequence {
        o.insert("pr".into(), (r >> 1).into());
    }
    let called = m.called_address(ctx.pc_format, &mut an);
    let calling = m.calling_address(ctx.pc_format, &mut an);
    if let Some(a) = &called {
        o.insert("called".into(), address_json(a));
    }
    if let Some(a) = &calling {
        o.insert("calling".into(), address_json(a));
    }
    if let Some(s) = m.segmentation {
        o.insert(
            "segmentation".into(),
            json!({"first": s.first, "in_sequence": s.in_sequence, "remaining": s.remaining, "local_ref": s.local_ref}),
        );
    }
    let data = m.data;
    if let Some(d) = data {
        o.insert("data_len".into(), d.value.len().into());
    }
    let is_scmg = called.and_then(|a| a.ssn) == Some(Ssn::SCMG)
        || calling.and_then(|a| a.ssn) == Some(Ssn::SCMG);
    // User data, reassembled when segmented.
    let mut user: Option<TcapData<'p>> = data.map(|d| TcapData::Borrowed(d.value));
    let mut shift = data.map_or(0, |d| d.offset);
    if let (Some(seg), Some(d)) = (m.segmentation, data) {
        if !seg.is_single() {
            let key = SegmentKey {
                opc: ctx.opc,
                dpc: ctx.dpc,
                called: m.called.map_or(&[][..], |p| p.value),
                calling: m.calling.map_or(&[][..], |p| p.value),
                local_ref: seg.local_ref,
            };
            match state.reassembler.push(
                &key,
                seg,
                d.value,
                m.segmentation_offset,
                ctx.ts_nanos,
                &mut an,
            ) {
                SegmentOutcome::Complete(b) => {
                    o.insert("reassembled".into(), true.into());
                    o.insert("reassembled_len".into(), b.len().into());
                    user = Some(TcapData::Owned(b));
                    shift = 0;
                }
                SegmentOutcome::Pending | SegmentOutcome::Dropped => user = None,
            }
        }
    }
    if is_scmg {
        if let Some(u) = &user {
            match Scmg::parse(u.as_slice(), ctx.pc_format) {
                Ok(s) => {
                    o.insert(
                        "scmg".into(),
                        json!({"type": s.msg_type.to_string(), "affected_ssn": s.affected_ssn.0, "affected_pc": s.affected_pc}),
                    );
                }
                Err(_) => an.push(Anomaly::new(
                    sigscope_core::Layer::Sccp,
                    "scmg_truncated",
                    shift,
                    "SCCP management message too short",
                )),
            }
        }
    }
    push_all(anomalies, &an, 0);
    rec.insert("sccp".into(), Value::Object(o));
    let user = user.filter(|u| !is_scmg && Tcap::looks_like(u.as_slice()))?;
    let key = peer_key(ctx.peer, ctx.opc, ctx.dpc);
    let before = anomalies.len();
    tcap_into(state, user.as_slice(), key, ctx.ts_nanos, rec, anomalies);
    for a in anomalies.iter_mut().skip(before) {
        *a = a.shifted(shift);
    }
    Some(user)
}

/// SUA carries TCAP directly; decode it and insert `"tcap"`.
pub fn add_tcap(
    state: &mut SccpTcapState,
    tcap: &[u8],
    peer: &str,
    ts_nanos: u64,
    rec: &mut Map<String, Value>,
    anomalies: &mut Vec<Anomaly>,
) {
    tcap_into(state, tcap, peer_key(peer, 0, 0), ts_nanos, rec, anomalies);
}

fn code_json(c: &Code<'_>) -> Value {
    match c {
        Code::Local(v) => (*v).into(),
        Code::Global(oid) => oid.to_string().into(),
        Code::National(v) => json!({"national": true, "family": v >> 8, "specifier": v & 0xff}),
        Code::Private(v) => json!({"private": true, "family": v >> 8, "specifier": v & 0xff}),
    }
}

fn component_json(c: &Component<'_>) -> Value {
    let mut o = Map::new();
    o.insert("kind".into(), c.kind.as_str().into());
    if let Some(i) = c.invoke_id {
        o.insert("invoke_id".into(), i.into());
    }
    if let Some(l) = c.linked_id {
        o.insert("linked_id".into(), l.into());
    }
    if let Some(op) = &c.opcode {
        o.insert("opcode".into(), code_json(op));
    }
    if let Some(e) = &c.error_code {
        o.insert("error_code".into(), code_json(e));
    }
    if let Some(p) = &c.problem {
        o.insert("problem_type".into(), p.kind.to_string().into());
        o.insert("problem".into(), p.code.into());
        if let Some(n) = p.name() {
            o.insert("problem_name".into(), n.into());
        }
    }
    if let Some(p) = &c.parameter {
        o.insert("parameter_len".into(), p.raw.len().into());
    }
    if c.kind == ComponentKind::Unknown {
        o.insert("tag".into(), c.tag.number.into());
    }
    Value::Object(o)
}

fn tcap_into(
    state: &mut SccpTcapState,
    data: &[u8],
    peer: u64,
    ts_nanos: u64,
    rec: &mut Map<String, Value>,
    anomalies: &mut Vec<Anomaly>,
) {
    let mut an = Anomalies::new();
    let t = match Tcap::decode(data, &mut an) {
        Ok(t) => t,
        Err(e) => {
            anomalies.push(e.to_anomaly());
            return;
        }
    };
    let mut o = Map::new();
    let mut comps = Vec::new();
    let mut comp_iter = t.components();
    for r in comp_iter.by_ref() {
        match r {
            Ok(c) => {
                c.check(&mut an);
                comps.push(component_json(&c));
            }
            Err(e) => an.push(Anomaly::new(
                sigscope_core::Layer::Tcap,
                "component_invalid",
                e.offset(),
                "component breaks BER or Q.773 structure",
            )),
        }
    }
    match &t {
        Tcap::Itu(m) => {
            o.insert("type".into(), m.msg_type.to_string().into());
            o.insert(
                "otid".into(),
                m.otid.map_or(Value::Null, |x| x.hex().as_str().into()),
            );
            o.insert(
                "dtid".into(),
                m.dtid.map_or(Value::Null, |x| x.hex().as_str().into()),
            );
            if let Some(c) = m.p_abort_cause {
                o.insert("p_abort_cause".into(), c.0.into());
                if let Some(n) = c.name() {
                    o.insert("p_abort_cause_name".into(), n.into());
                }
            }
            if let Some(d) = m.dialogue(&mut an) {
                if let Some(acn) = d.acn {
                    o.insert("acn".into(), acn.to_string().into());
                }
                let mut dj = Map::new();
                dj.insert("pdu".into(), d.kind.as_str().into());
                if let Some(oid) = d.oid {
                    dj.insert("oid".into(), oid.to_string().into());
                }
                if let Some(v) = d.protocol_version {
                    dj.insert(
                        "version1".into(),
                        (v.get(1).is_some_and(|b| b & 0x80 != 0)).into(),
                    );
                }
                if let Some(r) = d.result {
                    dj.insert("result".into(), r.into());
                }
                match d.diagnostic {
                    Some(Diagnostic::User(v)) => {
                        dj.insert("diagnostic_user".into(), v.into());
                    }
                    Some(Diagnostic::Provider(v)) => {
                        dj.insert("diagnostic_provider".into(), v.into());
                    }
                    None => {}
                }
                if let Some(s) = d.abort_source {
                    dj.insert("abort_source".into(), s.into());
                }
                if let Some(u) = d.user_info {
                    dj.insert("user_info_len".into(), u.len().into());
                }
                o.insert("dialogue".into(), Value::Object(dj));
            }
            let obs = state.matcher.observe(m, peer, ts_nanos, &mut an);
            if let Some(ns) = obs
                .since_begin_nanos
                .filter(|_| obs.matched && m.msg_type != sigscope_tcap::MessageType::BEGIN)
            {
                o.insert("since_begin_ms".into(), (ns as f64 / 1e6).into());
            }
        }
        Tcap::Ansi(m) => {
            o.insert("variant".into(), "ansi".into());
            o.insert("type".into(), m.package.to_string().into());
            o.insert(
                "otid".into(),
                m.otid.map_or(Value::Null, |x| x.hex().as_str().into()),
            );
            o.insert(
                "dtid".into(),
                m.rtid.map_or(Value::Null, |x| x.hex().as_str().into()),
            );
            if let Some(c) = m.p_abort_cause {
                o.insert("p_abort_cause".into(), c.into());
            }
        }
    }
    o.insert("components".into(), Value::Array(comps));
    push_all(anomalies, &an, 0);
    rec.insert("tcap".into(), Value::Object(o));
}
