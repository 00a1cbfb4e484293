//! Transaction matching: pairs Begin / Continue / End / Abort by transaction ids and peers,
//! and invokes with their results by invoke id. Bounded in transactions, invokes per
//! transaction, and time.

use std::collections::VecDeque;

// Randomly seeded per table: transaction ids are chosen by the peers, so a fixed hash would
// let a sender collide them.
use foldhash::HashMap;

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

use crate::component::{Component, ComponentKind};
use crate::message::{Message, MessageType};

/// Most open transactions tracked (oldest dropped beyond).
pub const MAX_TRANSACTIONS: usize = 65_536;
/// Most pending invokes tracked per transaction.
pub const MAX_PENDING_INVOKES: usize = 16;
/// A Begin with no answer for this long is reported as timed out and forgotten.
pub const TRANSACTION_TIMEOUT_NANOS: u64 = 60_000_000_000;
/// An answered transaction (a Continue came back) idle for this long is forgotten: MAP
/// dialogues such as handover (prepareHandover ... sendEndSignal) stay open for the whole
/// call, with minutes between messages.
pub const ESTABLISHED_TIMEOUT_NANOS: u64 = 3_600_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    peer: u64,
    tid: u32,
    len: u8,
}

#[derive(Debug, Clone)]
struct Tx {
    /// Initiator's id (the Begin's otid).
    a: Key,
    /// Responder's id, once a Continue gave it.
    b: Option<Key>,
    started: u64,
    last: u64,
    pending: [Option<(i64, Option<i64>)>; MAX_PENDING_INVOKES],
    /// More invokes were outstanding than [`MAX_PENDING_INVOKES`]: results that match none
    /// are then not reported (the invoke may be one that was not kept).
    overflowed: bool,
}

/// What the matcher learnt from one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Observation {
    /// The message belongs to a known transaction (or starts one).
    pub matched: bool,
    /// Nanoseconds since the transaction's Begin (for a matched message).
    pub since_begin_nanos: Option<u64>,
    /// The transaction ended with this message.
    pub ended: bool,
}

/// Ended transaction ids the Begin-order queue may hold before it is compacted, at least.
const ORDER_SLACK: usize = 64;

/// Stateful, bounded TCAP transaction matcher (ITU).
#[derive(Debug)]
pub struct Matcher {
    txs: HashMap<u64, Tx>,
    index: HashMap<Key, u64>,
    /// Transaction id alone → the latest transaction using it: answers routed back through
    /// other point codes or addresses (STP mated pairs, alias point codes) still match when
    /// exactly that id is open.
    by_tid: HashMap<(u32, u8), u64>,
    /// Transaction ids in Begin order (ids of ended transactions are skipped lazily).
    order: VecDeque<u64>,
    next_id: u64,
    last_sweep: u64,
    max: usize,
}

fn anom(code: AnomalyCode, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Tcap, code, 0, detail)
}

impl Default for Matcher {
    /// Same as [`Matcher::new`]: bounded by [`MAX_TRANSACTIONS`].
    fn default() -> Self {
        Matcher::new()
    }
}

impl Matcher {
    /// New matcher holding at most [`MAX_TRANSACTIONS`].
    pub fn new() -> Self {
        Self::with_capacity_limit(MAX_TRANSACTIONS)
    }

    /// New matcher holding at most `max` transactions.
    pub fn with_capacity_limit(max: usize) -> Self {
        Matcher {
            txs: HashMap::default(),
            index: HashMap::default(),
            by_tid: HashMap::default(),
            order: VecDeque::with_capacity(2 * ORDER_SLACK + 1),
            next_id: 0,
            last_sweep: 0,
            max: max.max(1),
        }
    }

    /// Open transactions.
    pub fn len(&self) -> usize {
        self.txs.len()
    }

    /// No open transaction.
    pub fn is_empty(&self) -> bool {
        self.txs.is_empty()
    }

    /// Forget transaction `id`; returns its initiator's key (callers need nothing else of the
    /// transaction, which with its pending invokes is large).
    fn drop_tx(&mut self, id: u64) -> Option<Key> {
        let (a, b) = self.txs.remove_entry(&id).map(|(_, tx)| (tx.a, tx.b))?;
        self.index.remove(&a);
        if let Some(b) = b {
            self.index.remove(&b);
        }
        for k in [Some(a), b].into_iter().flatten() {
            if self.by_tid.get(&(k.tid, k.len)) == Some(&id) {
                self.by_tid.remove(&(k.tid, k.len));
            }
        }
        Some(a)
    }

    /// Forget unanswered transactions idle for longer than [`TRANSACTION_TIMEOUT_NANOS`] and
    /// answered ones idle for longer than [`ESTABLISHED_TIMEOUT_NANOS`], reporting each as
    /// `tcap_transaction_timeout`. Returns how many.
    pub fn expire(&mut self, now: u64, anomalies: &mut Anomalies) -> usize {
        // walk the Begin-order queue (no list of expired ids built): an id whose transaction
        // timed out is dropped, ended ones are skipped
        let mut expired = 0usize;
        for i in 0..self.order.len() {
            let Some(id) = self.order.get(i).copied() else {
                break;
            };
            let old = self.txs.get(&id).is_some_and(|t| {
                let limit = if t.b.is_some() {
                    ESTABLISHED_TIMEOUT_NANOS
                } else {
                    TRANSACTION_TIMEOUT_NANOS
                };
                now.saturating_sub(t.last) > limit
            });
            if !old {
                continue;
            }
            if let Some(a) = self.drop_tx(id) {
                expired += 1;
                anomalies.push(
                    anom(
                        AnomalyCode::TcapTransactionTimeout,
                        "transaction had no answer before the timeout (value: its otid)",
                    )
                    .with_value(u64::from(a.tid)),
                );
            }
        }
        self.compact_order();
        expired
    }

    /// Keep the Begin-order queue within twice the number of open transactions (ended ids
    /// leave it lazily; compacting in proportion to what is open keeps it, and its buffer,
    /// from growing while the traffic does not).
    fn compact_order(&mut self) {
        if self.order.len() > self.txs.len().max(ORDER_SLACK).saturating_mul(2) {
            let txs = &self.txs;
            self.order.retain(|id| txs.contains_key(id));
        }
    }

    /// Forget the transaction that began first of those still open (amortised O(1)).
    fn evict_oldest(&mut self) -> bool {
        while let Some(id) = self.order.pop_front() {
            if self.drop_tx(id).is_some() {
                return true;
            }
        }
        false
    }

    /// Observe one ITU message between `peer` (a direction-independent key for the two
    /// endpoints: the same for both directions) at `ts_nanos`. Components are matched by
    /// invoke id. Anomalies: `tcap_duplicate_begin`, `tcap_response_without_request`,
    /// `tcap_result_without_invoke`, `tcap_transaction_timeout`, `tcap_transactions_full`.
    pub fn observe(
        &mut self,
        msg: &Message<'_>,
        peer: u64,
        ts_nanos: u64,
        anomalies: &mut Anomalies,
    ) -> Observation {
        self.observe_components(msg, msg.components().flatten(), peer, ts_nanos, anomalies)
    }

    /// [`Matcher::observe`] with the message's components already parsed (those
    /// [`Message::components`] yields before its first error): they are not parsed again.
    pub fn observe_parsed(
        &mut self,
        msg: &Message<'_>,
        components: &[Component<'_>],
        peer: u64,
        ts_nanos: u64,
        anomalies: &mut Anomalies,
    ) -> Observation {
        self.observe_components(msg, components.iter().copied(), peer, ts_nanos, anomalies)
    }

    fn observe_components<'c>(
        &mut self,
        msg: &Message<'_>,
        components: impl Iterator<Item = Component<'c>>,
        peer: u64,
        ts_nanos: u64,
        anomalies: &mut Anomalies,
    ) -> Observation {
        if ts_nanos.saturating_sub(self.last_sweep) > TRANSACTION_TIMEOUT_NANOS / 4 {
            self.last_sweep = ts_nanos;
            self.expire(ts_nanos, anomalies);
        }
        let key = |t: &crate::message::TransactionId<'_>| Key {
            peer,
            tid: t.value(),
            len: t.len() as u8,
        };
        let mut obs = Observation::default();
        let tx_id = match msg.msg_type {
            MessageType::BEGIN => {
                let Some(o) = msg.otid else {
                    return obs;
                };
                let k = key(&o);
                if let Some(old) = self.index.get(&k).copied() {
                    anomalies.push(anom(
                        AnomalyCode::TcapDuplicateBegin,
                        "Begin reuses the id of an open transaction",
                    ));
                    self.drop_tx(old);
                }
                if self.txs.len() >= self.max && self.evict_oldest() {
                    anomalies.push(anom(
                        AnomalyCode::TcapTransactionsFull,
                        "transaction table full: oldest forgotten",
                    ));
                }
                let id = self.next_id;
                self.next_id += 1;
                self.txs.insert(
                    id,
                    Tx {
                        a: k,
                        b: None,
                        started: ts_nanos,
                        last: ts_nanos,
                        pending: Default::default(),
                        overflowed: false,
                    },
                );
                self.index.insert(k, id);
                self.by_tid.insert((k.tid, k.len), id);
                self.order.push_back(id);
                self.compact_order();
                obs.matched = true;
                obs.since_begin_nanos = Some(0);
                Some(id)
            }
            MessageType::CONTINUE | MessageType::END | MessageType::ABORT => {
                let Some(d) = msg.dtid else {
                    return obs;
                };
                let dk = key(&d);
                let found = self
                    .index
                    .get(&dk)
                    .or_else(|| self.by_tid.get(&(dk.tid, dk.len)))
                    .copied();
                match found {
                    None => {
                        anomalies.push(anom(
                            AnomalyCode::TcapResponseWithoutRequest,
                            "no open transaction with this destination id",
                        ));
                        None
                    }
                    Some(id) => {
                        obs.matched = true;
                        if msg.msg_type == MessageType::CONTINUE {
                            if let (Some(o), Some(tx)) = (msg.otid, self.txs.get_mut(&id)) {
                                let k = key(&o);
                                if tx.b.is_none() && k != tx.a {
                                    tx.b = Some(k);
                                    self.index.insert(k, id);
                                    self.by_tid.insert((k.tid, k.len), id);
                                }
                            }
                        }
                        Some(id)
                    }
                }
            }
            _ => None,
        };
        let Some(id) = tx_id else {
            return obs;
        };
        if let Some(tx) = self.txs.get_mut(&id) {
            tx.last = ts_nanos;
            obs.since_begin_nanos = Some(ts_nanos.saturating_sub(tx.started));
            for c in components {
                match_component(tx, &c, anomalies);
            }
        }
        if matches!(msg.msg_type, MessageType::END | MessageType::ABORT) {
            self.drop_tx(id);
            obs.ended = true;
        }
        obs
    }

    /// The local operation code of a pending invoke, for a response that carries no opcode
    /// (call before [`Matcher::observe`] consumes the invoke).
    pub fn pending_opcode(
        &self,
        peer: u64,
        dtid: &crate::message::TransactionId<'_>,
        invoke_id: i64,
    ) -> Option<i64> {
        let k = Key {
            peer,
            tid: dtid.value(),
            len: dtid.len() as u8,
        };
        let id = self
            .index
            .get(&k)
            .or_else(|| self.by_tid.get(&(k.tid, k.len)))?;
        let tx = self.txs.get(id)?;
        tx.pending
            .iter()
            .flatten()
            .find(|(i, _)| *i == invoke_id)
            .and_then(|(_, op)| *op)
    }
}

fn match_component(tx: &mut Tx, c: &Component<'_>, anomalies: &mut Anomalies) {
    let Some(iid) = c.invoke_id else {
        return;
    };
    match c.kind {
        ComponentKind::Invoke | ComponentKind::InvokeNotLast => {
            if let Some(slot) = tx.pending.iter_mut().find(|s| s.is_none()) {
                *slot = Some((iid, c.local_opcode()));
            } else {
                if !tx.overflowed {
                    anomalies.push(
                        Anomaly::new(
                            Layer::Tcap,
                            AnomalyCode::TcapInvokesFull,
                            c.offset,
                            "more outstanding invokes in one transaction than are tracked",
                        )
                        .with_value(MAX_PENDING_INVOKES as u64),
                    );
                }
                tx.overflowed = true;
            }
        }
        k if k.is_response() => {
            let pos = tx
                .pending
                .iter()
                .position(|s| s.is_some_and(|(i, _)| i == iid));
            match pos {
                Some(p) if k.is_final() => {
                    if let Some(s) = tx.pending.get_mut(p) {
                        *s = None;
                    }
                }
                Some(_) => {}
                None if k != ComponentKind::Reject && !tx.overflowed => {
                    anomalies.push(
                        Anomaly::new(
                            Layer::Tcap,
                            AnomalyCode::TcapResultWithoutInvoke,
                            c.offset,
                            "result for an invoke id never seen",
                        )
                        .with_value(iid as u64),
                    );
                }
                None => {}
            }
        }
        _ => {}
    }
}
