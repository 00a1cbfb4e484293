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
use sigscope_core::{Anomalies, Anomaly, AnomalyCode};
use sigscope_sccp::bytes::Bytes;
use sigscope_sccp::{
    Address, Message as SccpMessage, PcFormat, Reassembler, Scmg, SegmentKey, SegmentOutcome, Ssn,
};
use sigscope_tcap::{Code, Component, ComponentKind, Diagnostic, Matcher, Tcap};

use self::map_json::{map_entry, MapVersions};

/// Per-session state: XUDT/LUDT reassembler and TCAP transaction matcher.
#[derive(Default)]
pub struct SccpTcapState {
    /// Segment reassembly.
    pub reassembler: Reassembler,
    /// TCAP transaction matching.
    pub matcher: Matcher,
    /// MAP version of open dialogues (from the Begin's / first Continue's ACN).
    pub map_versions: MapVersions,
    /// Called and calling SSN of the SCCP message being decoded (None from SUA).
    pub ssns: (Option<u8>, Option<u8>),
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
    pub peer: &'p super::Peer,
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

/// A direction-independent key for the two endpoints and the point-code pair.
fn peer_key(peer: &super::Peer, opc: u32, dpc: u32) -> u64 {
    let a = (peer.src, peer.sport);
    let b = (peer.dst, peer.dport);
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
                    AnomalyCode::ScmgTruncated,
                    shift,
                    "SCCP management message too short",
                )),
            }
        }
    }
    // User data to or from a TCAP user (MAP, CAP) that is not TCAP: a real node never sends
    // it; a covert channel over SIGTRAN might.
    let tcap_ssn = [called, calling]
        .iter()
        .flatten()
        .filter_map(|a| a.ssn)
        .find(|s| s.is_tcap_user());
    if let (Some(u), Some(ssn)) = (&user, tcap_ssn) {
        let b = u.as_slice();
        if !is_scmg && !b.is_empty() && !Tcap::looks_like(b) {
            // A TCAP package tag whose contents break Q.773 is malformed TCAP (tshark says
            // "BER Error" there); anything else is not TCAP at all.
            let first = b.first().copied().unwrap_or(0);
            an.push(if Tcap::is_package_tag(first) {
                Anomaly::new(
                    sigscope_core::Layer::Tcap,
                    AnomalyCode::TcapMalformed,
                    shift,
                    "TCAP package tag, but its contents break Q.773 (value: the tag)",
                )
                .with_value(u64::from(first))
            } else {
                Anomaly::new(
                    sigscope_core::Layer::Sccp,
                    AnomalyCode::SccpDataNotTcap,
                    shift,
                    "user data to or from a TCAP subsystem is not TCAP (value: the SSN)",
                )
                .with_value(u64::from(ssn.0))
            });
        }
    }
    push_all(anomalies, &an, 0);
    rec.insert("sccp".into(), Value::Object(o));
    let user = user.filter(|u| !is_scmg && Tcap::looks_like(u.as_slice()))?;
    let key = peer_key(ctx.peer, ctx.opc, ctx.dpc);
    state.ssns = (
        called.and_then(|a| a.ssn).map(|s| s.0),
        calling.and_then(|a| a.ssn).map(|s| s.0),
    );
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
    peer: &super::Peer,
    ts_nanos: u64,
    rec: &mut Map<String, Value>,
    anomalies: &mut Vec<Anomaly>,
) {
    state.ssns = (None, None);
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
    let mut parsed: Vec<Component<'_>> = Vec::new();
    let mut comp_iter = t.components();
    for r in comp_iter.by_ref() {
        match r {
            Ok(c) => {
                c.check(&mut an);
                comps.push(component_json(&c));
                parsed.push(c);
            }
            Err(e) => an.push(Anomaly::new(
                sigscope_core::Layer::Tcap,
                AnomalyCode::ComponentInvalid,
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
            let dialogue = m.dialogue(&mut an);
            if let Some(d) = dialogue {
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
                    let mut man = Anomalies::new();
                    if let Some(md) = sigscope_map::MapDialogue::decode(u, &mut man) {
                        dj.insert("map_dialogue".into(), map_json::map_dialogue_json(&md));
                    }
                    push_all(anomalies, &man, d.offset);
                }
                o.insert("dialogue".into(), Value::Object(dj));
            }
            if let Some(version) =
                state
                    .map_versions
                    .version(m, dialogue.as_ref(), peer, state.ssns, anomalies)
            {
                let mut entries = Vec::new();
                for c in &parsed {
                    let pending = || {
                        let dtid = m.dtid?;
                        state.matcher.pending_opcode(peer, &dtid, c.invoke_id?)
                    };
                    if let Some(e) = map_entry(c, version, pending, anomalies) {
                        entries.push(e);
                    }
                }
                if !entries.is_empty() {
                    rec.insert("map".into(), Value::Array(entries));
                }
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

/// The `map` array of decode records: one entry per TCAP component of a MAP dialogue.
mod map_json {
    use std::collections::{HashMap, VecDeque};

    use serde_json::{json, Map, Value};
    use sigscope_core::{Anomalies, Anomaly, AnomalyCode};
    use sigscope_map::sms::{Direction, Tpdu, TpduKind, ValidityPeriod};
    use sigscope_map::{
        decode, map_version, AcnIssue, AddressString, CellId, ErrorCode, GeoInfo, GeodeticInfo,
        Kind, Location, MapDialogue, MapParam, OpCode, SmRpDa, SmRpOa,
    };
    use sigscope_tcap::{Code, Component, ComponentKind, Dialogue, Message, MessageType};

    /// Most dialogues whose MAP version is remembered (oldest forgotten beyond).
    pub const MAX_MAP_DIALOGUES: usize = 65_536;

    /// MAP versions of open dialogues, keyed by peer and local transaction id.
    #[derive(Default)]
    pub struct MapVersions {
        by_tid: HashMap<(u64, u32), u8>,
        order: VecDeque<(u64, u32)>,
    }

    impl MapVersions {
        fn remember(&mut self, key: (u64, u32), v: u8) {
            if self.by_tid.insert(key, v).is_none() {
                self.order.push_back(key);
                while self.order.len() > MAX_MAP_DIALOGUES {
                    if let Some(old) = self.order.pop_front() {
                        self.by_tid.remove(&old);
                    }
                }
            }
        }

        /// The MAP version of `m`, or `None` when it is not MAP (another application
        /// context, e.g. CAP, or no dialogue and no MAP SSN). An ACN with the MAP prefix that
        /// TS 29.002 does not define is still MAP: the dialogue is decoded best-effort and an
        /// `acn_unknown` / `acn_version_undefined` anomaly (offset of the ACN in the TCAP
        /// message) is pushed to `anomalies`.
        pub fn version(
            &mut self,
            m: &Message<'_>,
            dialogue: Option<&Dialogue<'_>>,
            peer: u64,
            ssns: (Option<u8>, Option<u8>),
            anomalies: &mut Vec<Anomaly>,
        ) -> Option<u8> {
            let acn = dialogue.and_then(|d| d.acn);
            let otid = m.otid.map(|t| (peer, t.value()));
            let dtid = m.dtid.map(|t| (peer, t.value()));
            let v = match acn {
                Some(oid) => {
                    let mv = map_version(Some(oid.0))?;
                    if let Some(issue) = mv.issue {
                        let offset = offset_in(m.raw, oid.0)
                            .or(dialogue.map(|d| d.offset))
                            .unwrap_or(0);
                        let value = match issue {
                            AcnIssue::UnknownContext => mv.context,
                            AcnIssue::UndefinedVersion => mv.acn_version,
                        };
                        anomalies.push(
                            Anomaly::new(
                                sigscope_core::Layer::Map,
                                issue.code(),
                                offset,
                                issue.detail(),
                            )
                            .with_value(u64::from(value)),
                        );
                    }
                    mv.version
                }
                None => match dtid.and_then(|k| self.by_tid.get(&k).copied()) {
                    Some(v) => v,
                    None => {
                        let map_ssn =
                            |s: Option<u8>| s.is_some_and(|s| sigscope_sccp::Ssn(s).is_map());
                        let unknown = ssns.0.is_none() && ssns.1.is_none();
                        if !(unknown || map_ssn(ssns.0) || map_ssn(ssns.1)) {
                            return None;
                        }
                        if dialogue.is_some() {
                            // a dialogue portion without ACN (e.g. an ABRT): keep the version
                            // learnt before, else unknown
                            return None;
                        }
                        1
                    }
                },
            };
            match m.msg_type {
                MessageType::END | MessageType::ABORT => {
                    if let Some(k) = dtid {
                        self.by_tid.remove(&k);
                    }
                }
                _ => {
                    for k in [otid, dtid].into_iter().flatten() {
                        self.remember(k, v);
                    }
                }
            }
            Some(v)
        }
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Offset of `inner` in `outer` when `inner` is a sub-slice of it (addresses compared,
    /// nothing dereferenced).
    fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
        let o = outer.as_ptr() as usize;
        let i = inner.as_ptr() as usize;
        i.checked_sub(o).filter(|d| d + inner.len() <= outer.len())
    }

    fn address_value(a: &AddressString<'_>) -> Value {
        a.digits().as_str().into()
    }

    fn address_detail(role: &str, a: &AddressString<'_>) -> Value {
        let mut o = Map::new();
        o.insert("role".into(), role.into());
        o.insert("digits".into(), a.digits().as_str().into());
        o.insert("nature".into(), a.nature().into());
        o.insert("plan".into(), a.plan().into());
        if a.is_e164() {
            if let Some(c) = sigscope_core::e164::country_of(a.digits().as_str()) {
                o.insert(
                    "country".into(),
                    (if c.iso.is_empty() { c.name } else { c.iso }).into(),
                );
            }
        }
        Value::Object(o)
    }

    pub fn map_dialogue_json(m: &MapDialogue<'_>) -> Value {
        let mut o = Map::new();
        o.insert("pdu".into(), m.kind.as_str().into());
        for (k, a) in [
            ("destination_reference", &m.destination_reference),
            ("origination_reference", &m.origination_reference),
        ] {
            if let Some(a) = a {
                o.insert(k.into(), address_value(a));
                o.insert(format!("{k}_nature"), a.nature().into());
                o.insert(format!("{k}_plan"), a.plan().into());
            }
        }
        if let Some(r) = m.reason {
            o.insert("reason".into(), r.into());
        }
        Value::Object(o)
    }

    fn cell_json(c: &CellId<'_>) -> Value {
        let mut o = Map::new();
        if let Some(p) = c.plmn() {
            o.insert("mcc".into(), format!("{:03}", p.mcc).into());
            o.insert(
                "mnc".into(),
                format!("{:0w$}", p.mnc, w = usize::from(p.mnc_digits)).into(),
            );
        }
        if let Some(l) = c.lac() {
            o.insert(
                if c.kind == sigscope_map::CellKind::Tai {
                    "tac"
                } else {
                    "lac"
                }
                .into(),
                l.into(),
            );
        }
        if let Some(v) = c.cell() {
            let k = match c.kind {
                sigscope_map::CellKind::Sai => "sac",
                sigscope_map::CellKind::Rai => "rac",
                sigscope_map::CellKind::Ecgi => "eci",
                _ => "ci",
            };
            o.insert(k.into(), v.into());
        }
        o.insert("raw".into(), hex(c.raw).into());
        Value::Object(o)
    }

    fn geo_json(raw: &[u8]) -> Value {
        let mut o = Map::new();
        if let Some(g) = GeoInfo::parse(raw) {
            o.insert("shape".into(), format!("{:?}", g.shape).into());
            if let (Some(la), Some(lo)) = (g.latitude, g.longitude) {
                o.insert("latitude".into(), la.into());
                o.insert("longitude".into(), lo.into());
            }
            if let Some(u) = g.uncertainty_metres() {
                o.insert("uncertainty_m".into(), u.into());
            }
        }
        o.insert("raw".into(), hex(raw).into());
        Value::Object(o)
    }

    /// GeodeticInformation (TS 29.002, Q.763 Calling Geodetic Location): indicators octet,
    /// Q.763 type of shape, then the point.
    fn geodetic_json(raw: &[u8]) -> Value {
        let mut o = Map::new();
        if let Some(g) = GeodeticInfo::parse(raw) {
            o.insert("shape".into(), format!("{:?}", g.shape()).into());
            o.insert("shape_code".into(), g.shape_code.into());
            o.insert("presentation".into(), g.presentation.into());
            o.insert("screening".into(), g.screening.into());
            if let (Some(la), Some(lo)) = (g.latitude, g.longitude) {
                o.insert("latitude".into(), la.into());
                o.insert("longitude".into(), lo.into());
            }
            if let Some(u) = g.uncertainty_metres() {
                o.insert("uncertainty_m".into(), u.into());
            }
            if let Some(c) = g.confidence {
                o.insert("confidence".into(), c.into());
            }
        }
        o.insert("raw".into(), hex(raw).into());
        Value::Object(o)
    }

    fn location_json(l: &Location<'_>) -> Value {
        let mut o = Map::new();
        if let Some(a) = l.age {
            o.insert("age_minutes".into(), a.into());
        }
        for (k, c) in [
            ("cell", l.cell),
            ("rai", l.rai),
            ("ecgi", l.ecgi),
            ("tai", l.tai),
        ] {
            if let Some(c) = c {
                let key = if k == "cell" { c.kind.as_str() } else { k };
                o.insert(key.into(), cell_json(&c));
            }
        }
        if let Some(g) = l.geographical {
            o.insert("geographical".into(), geo_json(g.bytes));
        }
        if let Some(g) = l.geodetic {
            o.insert("geodetic".into(), geodetic_json(g.bytes));
        }
        if let Some(n) = l.location_number {
            o.insert("location_number".into(), hex(n.bytes).into());
        }
        if let Some(n) = l.mme_name {
            o.insert(
                "mme_name".into(),
                String::from_utf8_lossy(n.bytes).into_owned().into(),
            );
        }
        if l.current_location_retrieved {
            o.insert("current_location_retrieved".into(), true.into());
        }
        Value::Object(o)
    }

    fn sms_json(t: &Tpdu<'_>) -> Value {
        let mut o = Map::new();
        o.insert("tpdu".into(), t.kind.as_str().into());
        if let Some(mr) = t.mr {
            o.insert("mr".into(), mr.into());
        }
        if let Some(a) = &t.address {
            let key = match t.kind {
                TpduKind::Deliver => "originator",
                TpduKind::StatusReport => "recipient",
                _ => "destination",
            };
            o.insert(key.into(), a.text().into());
            o.insert(format!("{key}_ton"), a.ton().into());
            o.insert(format!("{key}_npi"), a.npi().into());
        }
        if let Some(p) = t.pid {
            o.insert("pid".into(), p.into());
        }
        if let Some(d) = t.dcs {
            o.insert("dcs".into(), d.0.into());
            o.insert("dcs_group".into(), d.group().into());
            o.insert("charset".into(), d.charset().as_str().into());
            if let Some(c) = d.class() {
                o.insert("class".into(), c.into());
            }
            if let Some(mw) = d.message_waiting() {
                o.insert(
                    "message_waiting".into(),
                    json!({"store": mw.store, "active": mw.active, "kind": mw.kind}),
                );
            }
        }
        if let Some(s) = &t.scts {
            o.insert("scts".into(), s.to_string().into());
        }
        if let Some(s) = &t.discharge_time {
            o.insert("discharge_time".into(), s.to_string().into());
        }
        if let Some(s) = t.status {
            o.insert("status".into(), s.into());
        }
        if let Some(f) = t.failure_cause {
            o.insert("failure_cause".into(), f.into());
        }
        if let Some(c) = t.command_type {
            o.insert("command_type".into(), c.into());
        }
        if let Some(vp) = &t.validity {
            let mut v = Map::new();
            v.insert("format".into(), vp.format().into());
            if let Some(s) = vp.seconds() {
                v.insert("seconds".into(), s.into());
            }
            if let ValidityPeriod::Absolute(a) = vp {
                v.insert("time".into(), a.to_string().into());
            }
            o.insert("validity".into(), Value::Object(v));
        }
        if t.reject_duplicates() {
            o.insert("reject_duplicates".into(), true.into());
        }
        if t.status_report_flag() {
            o.insert("status_report".into(), true.into());
        }
        if t.reply_path() {
            o.insert("reply_path".into(), true.into());
        }
        if let Some(u) = &t.user_data {
            o.insert("udl".into(), u.udl.into());
            o.insert("ud_len".into(), u.raw.len().into());
            if u.udhi {
                let ies: Vec<Value> = u
                    .ies()
                    .flatten()
                    .map(|ie| {
                        let mut m = Map::new();
                        m.insert("iei".into(), ie.iei.into());
                        if let Some(n) = ie.name() {
                            m.insert("name".into(), n.into());
                        }
                        m.insert("data".into(), hex(ie.data).into());
                        Value::Object(m)
                    })
                    .collect();
                o.insert("udh".into(), Value::Array(ies));
                if let Some(c) = u.concat() {
                    o.insert(
                        "concat".into(),
                        json!({"reference": c.reference, "total": c.total, "seq": c.seq}),
                    );
                }
                if let Some((d, s)) = u.ports() {
                    o.insert("ports".into(), json!({"destination": d, "originator": s}));
                }
            }
            match u.text() {
                Some(text) => {
                    o.insert("text".into(), text.into());
                }
                None => {
                    o.insert("data".into(), hex(u.body()).into());
                }
            }
        }
        Value::Object(o)
    }

    fn component_kind(k: ComponentKind) -> Option<Kind> {
        match k {
            ComponentKind::Invoke | ComponentKind::InvokeNotLast => Some(Kind::Invoke),
            ComponentKind::ReturnResultLast | ComponentKind::ReturnResultNotLast => {
                Some(Kind::ReturnResult)
            }
            ComponentKind::ReturnError => Some(Kind::ReturnError),
            _ => None,
        }
    }

    /// The `map` entry of one component (`None` for rejects and unknown components).
    pub fn map_entry(
        c: &Component<'_>,
        version: u8,
        pending: impl FnOnce() -> Option<i64>,
        anomalies: &mut Vec<Anomaly>,
    ) -> Option<Value> {
        let kind = component_kind(c.kind)?;
        let mut o = Map::new();
        o.insert("kind".into(), c.kind.as_str().into());
        if let Some(i) = c.invoke_id {
            o.insert("invoke_id".into(), i.into());
        }
        o.insert("version".into(), version.into());
        let local = match c.opcode {
            Some(Code::Local(v)) => Some(v),
            Some(_) => None,
            None if kind != Kind::Invoke => pending(),
            None => None,
        };
        let op = local.and_then(OpCode::from_local);
        if let Some(v) = local {
            o.insert("opcode".into(), v.into());
            if c.opcode.is_none() {
                o.insert("opcode_from_invoke".into(), true.into());
            }
        }
        if let Some(op) = op {
            if let Some(n) = op.name_for_version(version) {
                o.insert("operation".into(), n.into());
            }
        }
        if let Some(Code::Local(e)) = c.error_code {
            o.insert("error_code".into(), e.into());
            if let Some(n) = ErrorCode::from_local(e).and_then(ErrorCode::name) {
                o.insert("error".into(), n.into());
            }
        }
        let Some(param) = c.parameter else {
            return Some(Value::Object(o));
        };
        o.insert("parameter_len".into(), param.raw.len().into());
        let Some(op) = op else {
            if kind != Kind::ReturnError {
                anomalies.push(Anomaly::new(
                    sigscope_core::Layer::Map,
                    AnomalyCode::OpcodeUnknown,
                    c.parameter_offset,
                    "parameter without a MAP operation code to decode it by",
                ));
            }
            return Some(Value::Object(o));
        };
        let mut an = Anomalies::new();
        let p = decode(op, kind, version, param.raw, &mut an);
        param_json(&p, &mut o, &mut an);
        anomalies.extend(an.iter().map(|a| a.shifted(c.parameter_offset)));
        Some(Value::Object(o))
    }

    fn param_json(p: &MapParam<'_>, o: &mut Map<String, Value>, an: &mut Anomalies) {
        if !p.typed {
            o.insert("typed".into(), false.into());
        }
        if !p.complete {
            o.insert("complete".into(), false.into());
        }
        if let Some(i) = &p.imsi {
            let d = i.digits();
            o.insert("imsi".into(), d.as_str().into());
            if let Some(pl) = sigscope_core::e212::plmn_of(d.as_str()) {
                o.insert(
                    "imsi_plmn".into(),
                    json!({"mcc": pl.mcc, "mnc": pl.mnc, "country": pl.iso}),
                );
            }
        }
        if let Some(i) = &p.imei {
            o.insert("imei".into(), i.digits().as_str().into());
        }
        if let Some(i) = &p.imeisv {
            o.insert("imeisv".into(), i.digits().as_str().into());
        }
        if let Some(l) = &p.lmsi {
            o.insert("lmsi".into(), hex(l.bytes).into());
        }
        if let Some(t) = &p.tmsi {
            o.insert("tmsi".into(), hex(t.bytes).into());
        }
        let mut list = Vec::new();
        for (role, a) in p.addresses() {
            let key = role.name().unwrap_or("address");
            o.entry(key).or_insert_with(|| address_value(&a));
            list.push(address_detail(key, &a));
        }
        if let Some(da) = &p.sm_rp_da {
            let v = match da {
                SmRpDa::Imsi(i) => json!({"imsi": i.digits().as_str()}),
                SmRpDa::Lmsi(l) => json!({"lmsi": hex(l)}),
                SmRpDa::RoamingNumber(a) => {
                    list.push(address_detail("sm_rp_da", a));
                    json!({"roaming_number": address_value(a)})
                }
                SmRpDa::ServiceCentre(a) => {
                    list.push(address_detail("sm_rp_da", a));
                    json!({"service_centre_address": address_value(a)})
                }
                SmRpDa::None => json!({"none": true}),
            };
            o.insert("sm_rp_da".into(), v);
        }
        if let Some(oa) = &p.sm_rp_oa {
            let v = match oa {
                SmRpOa::Msisdn(a) => {
                    list.push(address_detail("sm_rp_oa", a));
                    o.entry("msisdn").or_insert_with(|| address_value(a));
                    json!({"msisdn": address_value(a)})
                }
                SmRpOa::ServiceCentre(a) => {
                    list.push(address_detail("sm_rp_oa", a));
                    o.entry("service_centre_address")
                        .or_insert_with(|| address_value(a));
                    json!({"service_centre_address": address_value(a)})
                }
                SmRpOa::None => json!({"none": true}),
            };
            o.insert("sm_rp_oa".into(), v);
        }
        if !list.is_empty() {
            o.insert("addresses".into(), Value::Array(list));
        }
        if let Some(ui) = &p.sm_rp_ui {
            o.insert("sm_rp_ui_len".into(), ui.bytes.len().into());
            if let Some(dir) = p.sms_direction {
                o.insert(
                    "sms_direction".into(),
                    match dir {
                        Direction::ToMs => "mt",
                        Direction::FromMs => "mo",
                    }
                    .into(),
                );
            }
            let mut san = Anomalies::new();
            match p.sms(&mut san) {
                Some(Ok(t)) => {
                    o.insert("sms".into(), sms_json(&t));
                }
                Some(Err(e)) => san.push(e.to_anomaly()),
                None => {}
            }
            for a in san.iter() {
                an.push(a.shifted(ui.offset));
            }
        }
        if p.more_messages_to_send {
            o.insert("more_messages_to_send".into(), true.into());
        }
        if let Some(v) = p.sm_rp_pri {
            o.insert("sm_rp_pri".into(), v.into());
        }
        if let Some(v) = p.sm_rp_mti {
            o.insert("sm_rp_mti".into(), v.into());
        }
        if let Some(v) = p.sm_delivery_outcome {
            o.insert("sm_delivery_outcome".into(), v.into());
        }
        if let Some(u) = &p.ussd {
            let mut m = Map::new();
            if let Some(d) = u.dcs {
                m.insert("dcs".into(), d.into());
            }
            m.insert("charset".into(), u.coding().charset.as_str().into());
            match u.text() {
                Some(t) => {
                    m.insert("text".into(), t.into());
                }
                None => {
                    m.insert("data".into(), hex(u.string).into());
                }
            }
            m.insert("len".into(), u.string.len().into());
            o.insert("ussd".into(), Value::Object(m));
        }
        if let Some(r) = p.requested_info {
            o.insert(
                "requested_info".into(),
                Value::Array(r.names().map(Value::from).collect()),
            );
        }
        for (k, l) in [
            ("location", &p.location),
            ("location_gprs", &p.location_gprs),
            ("location_eps", &p.location_eps),
        ] {
            if let Some(l) = l {
                o.insert(k.into(), location_json(l));
            }
        }
        if let Some(s) = p.subscriber_state {
            o.insert("subscriber_state".into(), s.as_str().into());
        }
        if let Some(s) = p.ps_subscriber_state {
            o.insert("ps_subscriber_state".into(), s.as_str().into());
        }
        if let Some(n) = p.requested_vectors {
            o.insert("requested_vectors".into(), n.into());
        }
        if p.resync {
            o.insert("resynchronisation".into(), true.into());
        }
        if let Some(v) = &p.auth_vectors {
            o.insert(
                "auth_vectors".into(),
                json!({"triplets": v.triplets, "quintuplets": v.quintuplets, "eps": v.eps}),
            );
        }
        if !p.ss_codes().is_empty() {
            o.insert(
                "ss_codes".into(),
                Value::Array(p.ss_codes().iter().map(|c| Value::from(*c)).collect()),
            );
        }
        let x = &p.extensions;
        if x.containers > 0 {
            let mut m = Map::new();
            m.insert("containers".into(), x.containers.into());
            m.insert("private".into(), x.private.into());
            m.insert("private_bytes".into(), x.private_bytes.into());
            if x.pcs {
                m.insert("pcs".into(), true.into());
            }
            if let Some(id) = x.first_ext_id {
                if let Some(t) = sigscope_core::ber::oid_to_string(id) {
                    m.insert("first_ext_id".into(), t.as_str().into());
                }
            }
            o.insert("extensions".into(), Value::Object(m));
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
                o.insert(k.into(), v.into());
            }
        }
        if let Some(l) = &p.location_estimate {
            o.insert("location_estimate".into(), geo_json(l.bytes));
        }
        if let Some(a) = p.age_of_location_estimate {
            o.insert("age_of_location_estimate".into(), a.into());
        }
        for (k, r) in [
            ("sgsn_address", &p.sgsn_address),
            ("ggsn_address", &p.ggsn_address),
            ("trace_reference", &p.trace_reference),
        ] {
            if let Some(r) = r {
                o.insert(k.into(), hex(r.bytes).into());
            }
        }
        if let Some(t) = p.trace_type {
            o.insert("trace_type".into(), t.into());
        }
        if p.teleservices > 0 {
            o.insert("teleservices".into(), p.teleservices.into());
        }
        if p.bearer_services > 0 {
            o.insert("bearer_services".into(), p.bearer_services.into());
        }
        if p.hlr_list > 0 {
            o.insert("hlr_list".into(), p.hlr_list.into());
        }
        if p.unexpected > 0 {
            o.insert("unexpected_elements".into(), p.unexpected.into());
        }
    }

    /// The MAP version state machine of decode records (`map_versions` + `map_entry`), on
    /// TCAP messages built with the project's BER writer.
    #[cfg(test)]
    mod tests {
        use serde_json::{Map, Value};
        use sigscope_core::ber::{write_tlv, Class, Tag};
        use sigscope_core::digits::encode_tbcd;
        use sigscope_core::AnomalyCode;

        use super::super::{tcap_into, SccpTcapState};

        fn tlv(tag: Tag, parts: &[&[u8]]) -> Vec<u8> {
            let mut out = Vec::new();
            write_tlv(&mut out, tag, &parts.concat());
            out
        }

        fn app(n: u32, cons: bool) -> Tag {
            Tag::new(Class::Application, cons, n)
        }

        /// Dialogue portion: AARQ (`aare` false) or AARE accepted, for the MAP ACN
        /// `0.4.0.0.1.0.<ac>.<version>`.
        fn dialogue(ac: u8, version: u8, aare: bool) -> Vec<u8> {
            let acn = tlv(Tag::OID, &[&[0x04, 0x00, 0x00, 0x01, 0x00, ac, version]]);
            let mut parts = vec![
                tlv(Tag::ctx(0), &[&[0x07, 0x80]]),
                tlv(Tag::ctx_cons(1), &[&acn]),
            ];
            if aare {
                parts.push(tlv(Tag::ctx_cons(2), &[&tlv(Tag::INTEGER, &[&[0]])]));
                parts.push(tlv(
                    Tag::ctx_cons(3),
                    &[&tlv(Tag::ctx_cons(1), &[&tlv(Tag::INTEGER, &[&[0]])])],
                ));
            }
            let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            let pdu = tlv(app(u32::from(aare), true), &refs);
            let external = tlv(
                Tag::EXTERNAL,
                &[
                    &tlv(Tag::OID, &[&[0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01]]),
                    &tlv(Tag::ctx_cons(0), &[&pdu]),
                ],
            );
            tlv(app(11, true), &[&external])
        }

        fn invoke(invoke_id: u8, opcode: u8, arg: &[u8]) -> Vec<u8> {
            tlv(
                Tag::ctx_cons(1),
                &[
                    &tlv(Tag::INTEGER, &[&[invoke_id]]),
                    &tlv(Tag::INTEGER, &[&[opcode]]),
                    arg,
                ],
            )
        }

        fn result(invoke_id: u8, opcode: u8, res: &[u8]) -> Vec<u8> {
            tlv(
                Tag::ctx_cons(2),
                &[
                    &tlv(Tag::INTEGER, &[&[invoke_id]]),
                    &tlv(Tag::SEQUENCE, &[&tlv(Tag::INTEGER, &[&[opcode]]), res]),
                ],
            )
        }

        /// A TCAP message: type tag, otid / dtid, optional dialogue portion, components.
        fn message(
            ty: u32,
            otid: Option<u32>,
            dtid: Option<u32>,
            dlg: Option<Vec<u8>>,
            comp: &[u8],
        ) -> Vec<u8> {
            let mut parts = Vec::new();
            if let Some(t) = otid {
                parts.push(tlv(app(8, false), &[&t.to_be_bytes()]));
            }
            if let Some(t) = dtid {
                parts.push(tlv(app(9, false), &[&t.to_be_bytes()]));
            }
            parts.extend(dlg);
            parts.push(tlv(app(12, true), &[comp]));
            let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            tlv(app(ty, true), &refs)
        }

        /// forwardSM / mo-forwardSM argument: SM-RP-DA serviceCentreAddressDA [4],
        /// SM-RP-OA msisdn [2], SM-RP-UI (an SMS-SUBMIT to 12345, empty text).
        fn forward_sm_arg() -> Vec<u8> {
            let mut sc = vec![0x91];
            sc.extend(encode_tbcd("447700900999").unwrap_or_default());
            let mut ms = vec![0x91];
            ms.extend(encode_tbcd("447700900123").unwrap_or_default());
            let tpdu = [0x01, 0x01, 0x05, 0x81, 0x21, 0x43, 0xf5, 0x00, 0x00, 0x00];
            tlv(
                Tag::SEQUENCE,
                &[
                    &tlv(Tag::ctx(4), &[&sc]),
                    &tlv(Tag::ctx(2), &[&ms]),
                    &tlv(Tag::OCTET_STRING, &[&tpdu]),
                ],
            )
        }

        /// Decode one TCAP message as tcap_into does for a record: the `map` array (empty
        /// when absent) and the anomaly codes.
        fn run(state: &mut SccpTcapState, bytes: &[u8]) -> (Vec<Value>, Vec<String>) {
            let mut rec = Map::new();
            let mut an = Vec::new();
            tcap_into(state, bytes, 1, 0, &mut rec, &mut an);
            let map = match rec.get("map") {
                Some(Value::Array(a)) => a.clone(),
                _ => Vec::new(),
            };
            (map, an.iter().map(|a| a.code.to_string()).collect())
        }

        /// State as after an SCCP message between MSC/VLR SSNs (8).
        fn map_state() -> SccpTcapState {
            SccpTcapState {
                ssns: (Some(8), Some(8)),
                ..SccpTcapState::default()
            }
        }

        fn field<'v>(e: &'v Value, k: &str) -> &'v Value {
            e.get(k).unwrap_or(&Value::Null)
        }

        #[test]
        fn v1_without_dialogue() {
            // MAP v1 has no dialogue portion: a Begin without one is v1, and 46 is forwardSM
            let mut st = map_state();
            let b = message(2, Some(0x11), None, None, &invoke(1, 46, &forward_sm_arg()));
            let (map, an) = run(&mut st, &b);
            assert_eq!(map.len(), 1, "{an:?}");
            assert_eq!(field(&map[0], "version"), 1);
            assert_eq!(field(&map[0], "operation"), "forwardSM");
            assert_eq!(field(&map[0], "sms_direction"), "mo");
            // a phase 1 operation code is named, not unknown, in a v1 dialogue
            let b = message(2, Some(0x12), None, None, &invoke(1, 1, &[0x05, 0x00]));
            let (map, an) = run(&mut st, &b);
            assert_eq!(field(&map[0], "operation"), "updateLocationArea");
            assert!(
                !an.iter()
                    .any(|c| c == AnomalyCode::UnknownOperation.as_str()),
                "{an:?}"
            );
            // no dialogue between non-MAP SSNs (CAP gsmSCF 146 and gsmSSF 146): not MAP
            st.ssns = (Some(146), Some(146));
            let b = message(2, Some(0x13), None, None, &invoke(1, 46, &forward_sm_arg()));
            assert!(run(&mut st, &b).0.is_empty());
        }

        #[test]
        fn version_carried_from_begin_into_continue_and_end() {
            let mut st = map_state();
            // Begin: shortMsgMO-RelayContext v2 -> forwardSM
            let b = message(
                2,
                Some(0xa1),
                None,
                Some(dialogue(21, 2, false)),
                &invoke(1, 46, &forward_sm_arg()),
            );
            let (map, an) = run(&mut st, &b);
            assert_eq!(field(&map[0], "version"), 2, "{an:?}");
            assert_eq!(field(&map[0], "operation"), "forwardSM");
            // Continue without a dialogue portion (the peer's otid 0xb1, our dtid 0xa1)
            let c = message(
                5,
                Some(0xb1),
                Some(0xa1),
                None,
                &invoke(2, 46, &forward_sm_arg()),
            );
            let (map, _) = run(&mut st, &c);
            assert_eq!(field(&map[0], "version"), 2);
            assert_eq!(field(&map[0], "operation"), "forwardSM");
            // End towards the peer (dtid 0xb1), no dialogue portion: still v2
            let e = message(4, None, Some(0xb1), None, &result(2, 46, &[]));
            let (map, _) = run(&mut st, &e);
            assert_eq!(field(&map[0], "version"), 2);
            assert_eq!(field(&map[0], "operation"), "forwardSM");
            // the End closed the dialogue: the same dtid again falls back to v1
            let (map, _) = run(&mut st, &e);
            assert_eq!(field(&map[0], "version"), 1);

            // v3: mo-forwardSM, carried into the End (which also answers with an AARE)
            let b = message(
                2,
                Some(0xa2),
                None,
                Some(dialogue(21, 3, false)),
                &invoke(1, 46, &forward_sm_arg()),
            );
            let (map, _) = run(&mut st, &b);
            assert_eq!(field(&map[0], "operation"), "mo-forwardSM");
            let e = message(4, None, Some(0xa2), None, &result(1, 46, &[]));
            let (map, _) = run(&mut st, &e);
            assert_eq!(field(&map[0], "version"), 3);
            assert_eq!(field(&map[0], "operation"), "mo-forwardSM");
        }

        #[test]
        fn unassigned_acn_is_decoded_and_flagged() {
            let mut st = map_state();
            // <ac> 30 is not assigned by TS 29.002: decoded as MAP v3, flagged
            let dlg = dialogue(30, 3, false);
            let b = message(
                2,
                Some(0xc1),
                None,
                Some(dlg),
                &invoke(1, 46, &forward_sm_arg()),
            );
            let mut rec = Map::new();
            let mut an = Vec::new();
            tcap_into(&mut st, &b, 1, 0, &mut rec, &mut an);
            let map = rec.get("map").and_then(Value::as_array).cloned();
            let map = map.unwrap_or_default();
            assert_eq!(map.len(), 1);
            assert_eq!(field(&map[0], "version"), 3);
            assert_eq!(field(&map[0], "operation"), "mo-forwardSM");
            let a = an.iter().find(|a| a.code == AnomalyCode::AcnUnknown);
            let a = a.unwrap_or_else(|| panic!("no acn_unknown in {an:?}"));
            // the offset points at the ACN's content octets in the TCAP message
            let acn = [0x04, 0x00, 0x00, 0x01, 0x00, 30, 3];
            assert_eq!(b.get(a.offset..a.offset + acn.len()), Some(&acn[..]));
            assert_eq!(a.value, Some(30));
            // a context in a version TS 29.002 does not define: kept, flagged
            let b = message(
                2,
                Some(0xc2),
                None,
                Some(dialogue(19, 3, false)),
                &invoke(1, 59, &[0x30, 0x00]),
            );
            let (map, an) = run(&mut st, &b);
            assert_eq!(field(&map[0], "version"), 3);
            assert!(
                an.iter()
                    .any(|c| c == AnomalyCode::AcnVersionUndefined.as_str()),
                "{an:?}"
            );
            // CAMEL phase 2 under the MAP prefix stays CAP: no map entries, no anomaly
            let b = message(
                2,
                Some(0xc3),
                None,
                Some(dialogue(50, 1, false)),
                &invoke(1, 0, &[0x30, 0x00]),
            );
            let (map, an) = run(&mut st, &b);
            assert!(map.is_empty());
            assert!(!an.iter().any(|c| c.starts_with("acn_")), "{an:?}");
        }

        #[test]
        fn geodetic_coordinates() {
            // TS 29.002 GeodeticInformation: indicators 0x06, Q.763 shape 1, latitude
            // 0x2aaaab (30.000004 N), longitude 0xf8e38e (10.000005 W), uncertainty 20,
            // confidence 80 (computed in sigscope-map types::tests::geodetic)
            let raw = [0x06, 0x01, 0x2a, 0xaa, 0xab, 0xf8, 0xe3, 0x8e, 0x14, 0x50];
            let v = super::geodetic_json(&raw);
            let lat = v.get("latitude").and_then(Value::as_f64).unwrap_or(0.0);
            let lon = v.get("longitude").and_then(Value::as_f64).unwrap_or(0.0);
            assert!((lat - 30.0).abs() < 1e-4, "{v}");
            assert!((lon + 10.0).abs() < 1e-4, "{v}");
            assert_eq!(field(&v, "shape"), "PointUncertaintyCircle");
            assert_eq!(field(&v, "confidence"), 80);
            assert_eq!(field(&v, "screening"), 2);
        }
    }
}
