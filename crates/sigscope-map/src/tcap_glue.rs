//! MAP over TCAP: which TCAP dialogues are MAP and in which version ([`MapVersions`]), and
//! the typed MAP entry of one TCAP component ([`MapEntry`]).
//!
//! These are the protocol decisions the TCAP → MAP step takes for every message; they live
//! here so that anyone embedding `sigscope-tcap` + `sigscope-map` gets them.

use std::collections::VecDeque;

// Randomly seeded per table: transaction ids are chosen by the peers.
use foldhash::HashMap;

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};
use sigscope_sccp::Ssn;
use sigscope_tcap::{Code, Component, ComponentKind, Dialogue, Message, MessageType};

use crate::ops::{map_version, AcnIssue, OpCode};
use crate::param::{decode_started, Kind, MapParam};
use crate::sms::Tpdu;

/// Most dialogues whose MAP version is remembered (oldest forgotten beyond).
pub const MAX_MAP_DIALOGUES: usize = 65_536;

/// Ended dialogues the order queue may hold before it is compacted, at least.
const ORDER_SLACK: usize = 64;

/// MAP versions of open dialogues, keyed by peer and local transaction id (bounded).
#[derive(Debug)]
pub struct MapVersions {
    /// Version and generation (the insert that made the entry) per open dialogue.
    by_tid: HashMap<(u64, u32), (u8, u64)>,
    /// Keys in insert order with their generation: an entry whose generation is not the
    /// key's current one is stale (the dialogue ended, or ended and began again).
    order: VecDeque<((u64, u32), u64)>,
    generation: u64,
}

impl Default for MapVersions {
    fn default() -> Self {
        MapVersions {
            by_tid: HashMap::default(),
            order: VecDeque::with_capacity(2 * ORDER_SLACK + 1),
            generation: 0,
        }
    }
}

/// Offset of `inner` in `outer` when `inner` is a sub-slice of it (addresses compared,
/// nothing dereferenced).
fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    i.checked_sub(o).filter(|d| d + inner.len() <= outer.len())
}

impl MapVersions {
    fn remember(&mut self, key: (u64, u32), v: u8) {
        if let Some(e) = self.by_tid.get_mut(&key) {
            e.0 = v;
            return;
        }
        self.generation = self.generation.wrapping_add(1);
        let gen = self.generation;
        self.by_tid.insert(key, (v, gen));
        self.order.push_back((key, gen));
        // ended dialogues leave the queue lazily: compact it in proportion to the open ones
        // (after compaction it holds exactly the open ones, so neither grows while the traffic
        // does not, even when one transaction id is used again and again)
        if self.order.len() > self.by_tid.len().max(ORDER_SLACK).saturating_mul(2) {
            let open = &self.by_tid;
            self.order
                .retain(|(k, g)| open.get(k).is_some_and(|(_, cur)| cur == g));
        }
        while self.by_tid.len() > MAX_MAP_DIALOGUES {
            match self.order.pop_front() {
                Some((old, g)) => {
                    if self.by_tid.get(&old).is_some_and(|(_, cur)| *cur == g) {
                        self.by_tid.remove(&old);
                    }
                }
                None => break,
            }
        }
    }

    /// The MAP version of `m`, or `None` when it is not MAP (another application context,
    /// e.g. CAP, or no dialogue and no MAP SSN). `peer` is a direction-independent key of the
    /// two ends; `ssns` the called and calling SSNs (both `None` from SUA: unknown). An ACN
    /// with the MAP prefix that TS 29.002 does not define is still MAP: the dialogue is decoded
    /// best-effort and an `acn_unknown` / `acn_version_undefined` anomaly (offset of the ACN
    /// in the TCAP message) is pushed.
    pub fn version(
        &mut self,
        m: &Message<'_>,
        dialogue: Option<&Dialogue<'_>>,
        peer: u64,
        ssns: (Option<Ssn>, Option<Ssn>),
        anomalies: &mut impl Extend<Anomaly>,
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
                    anomalies.extend(Some(
                        Anomaly::new(Layer::Map, issue.code(), offset, issue.detail())
                            .with_value(u64::from(value)),
                    ));
                }
                mv.version
            }
            None => match dtid.and_then(|k| self.by_tid.get(&k).map(|(v, _)| *v)) {
                Some(v) => v,
                None => {
                    let map_ssn = |s: Option<Ssn>| s.is_some_and(Ssn::is_map);
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

/// The MAP reading of one TCAP component (Invoke, ReturnResult, ReturnError; rejects and
/// unknown components have none).
#[derive(Debug, Clone)]
pub struct MapEntry<'a> {
    /// The TCAP component kind.
    pub component: ComponentKind,
    /// The MAP component kind.
    pub kind: Kind,
    /// Invoke id.
    pub invoke_id: Option<i64>,
    /// MAP version of the dialogue.
    pub version: u8,
    /// Local operation code: the component's, or (results and errors without one) the
    /// pending invoke's.
    pub opcode: Option<i64>,
    /// The operation code came from the pending invoke.
    pub opcode_from_invoke: bool,
    /// The operation, when the code is a MAP one.
    pub op: Option<OpCode>,
    /// Local error code (ReturnError).
    pub error_code: Option<i64>,
    /// Length of the parameter encoding, when there is one.
    pub parameter_len: Option<usize>,
    /// The typed parameter (when there is one and the operation is known).
    pub param: Option<MapParam<'a>>,
    /// The SMS TPDU of SM-RP-UI, when there is one and it decoded.
    pub sms: Option<Tpdu<'a>>,
}

impl<'a> MapEntry<'a> {
    /// The operation's name in this version.
    pub fn operation(&self) -> Option<&'static str> {
        self.op.and_then(|o| o.name_for_version(self.version))
    }

    /// The MAP entry of `c` in a dialogue of `version`; `pending` gives the pending invoke's
    /// operation for results and errors that carry none. Anomalies of the parameter (offsets
    /// in the TCAP message) go to `anomalies`.
    pub fn of(
        c: &Component<'a>,
        version: u8,
        pending: impl FnOnce() -> Option<i64>,
        anomalies: &mut impl Extend<Anomaly>,
    ) -> Option<MapEntry<'a>> {
        let mut e = Self::header(c, version, pending)?;
        e.decode_param(c, anomalies);
        Some(e)
    }

    /// The entry of `c` without its parameter decoded (see [`MapEntry::decode_param`]):
    /// `None` for rejects and unknown components.
    pub fn header(
        c: &Component<'a>,
        version: u8,
        pending: impl FnOnce() -> Option<i64>,
    ) -> Option<MapEntry<'a>> {
        let kind = match c.kind {
            ComponentKind::Invoke | ComponentKind::InvokeNotLast => Kind::Invoke,
            ComponentKind::ReturnResultLast | ComponentKind::ReturnResultNotLast => {
                Kind::ReturnResult
            }
            ComponentKind::ReturnError => Kind::ReturnError,
            _ => return None,
        };
        let local = match c.opcode {
            Some(Code::Local(v)) => Some(v),
            Some(_) => None,
            None if kind != Kind::Invoke => pending(),
            None => None,
        };
        Some(MapEntry {
            component: c.kind,
            kind,
            invoke_id: c.invoke_id,
            version,
            opcode: local,
            opcode_from_invoke: local.is_some() && c.opcode.is_none(),
            op: local.and_then(OpCode::from_local),
            error_code: match c.error_code {
                Some(Code::Local(e)) => Some(e),
                _ => None,
            },
            parameter_len: c.parameter.map(|p| p.raw.len()),
            param: None,
            sms: None,
        })
    }

    /// Decode the parameter of `c` (the component this entry was made from) into the entry,
    /// in place, with its SMS TPDU. Anomalies (offsets in the TCAP message) go to `anomalies`.
    pub fn decode_param(&mut self, c: &Component<'a>, anomalies: &mut impl Extend<Anomaly>) {
        let Some(param) = c.parameter else {
            return;
        };
        let kind = self.kind;
        let Some(op) = self.op else {
            if kind != Kind::ReturnError {
                anomalies.extend(Some(Anomaly::new(
                    Layer::Map,
                    AnomalyCode::OpcodeUnknown,
                    c.parameter_offset,
                    "parameter without a MAP operation code to decode it by",
                )));
            }
            return;
        };
        let mut an = Anomalies::new();
        let p = self
            .param
            .insert(MapParam::start(op, kind, self.version, param.raw));
        decode_started(p, &mut an);
        if let Some(ui) = p.sm_rp_ui {
            let mut san = Anomalies::new();
            match p.sms(&mut san) {
                Some(Ok(t)) => self.sms = Some(t),
                Some(Err(err)) => san.push(err.to_anomaly()),
                None => {}
            }
            for a in san.iter() {
                an.push(a.shifted(ui.offset));
            }
        }
        for a in an.iter() {
            anomalies.extend(Some(a.shifted(c.parameter_offset)));
        }
        if an.dropped() > 0 {
            anomalies.extend(Some(
                Anomaly::new(
                    Layer::Map,
                    AnomalyCode::AnomaliesDropped,
                    c.parameter_offset,
                    "more anomalies in one MAP parameter than are kept",
                )
                .with_value(an.dropped() as u64),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One transaction id begun and ended again and again: the order queue stays bounded
    /// (stale entries of earlier generations are compacted away).
    #[test]
    fn reused_transaction_id_keeps_the_queue_bounded() {
        let mut v = MapVersions::default();
        let k = (7u64, 0x1234u32);
        for _ in 0..10_000 {
            v.remember(k, 2);
            v.by_tid.remove(&k);
        }
        assert!(v.order.len() <= 2 * ORDER_SLACK + 1, "{}", v.order.len());
        // a live key is not evicted by a stale entry of itself
        v.remember(k, 3);
        v.remember((8, 1), 2);
        assert_eq!(v.by_tid.get(&k).map(|e| e.0), Some(3));
    }
}
