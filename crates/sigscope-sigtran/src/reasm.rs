//! SCTP DATA fragment reassembly (RFC 9260 §6.9), bounded in entries, bytes and time.
//!
//! Fragments are keyed by association (a caller-chosen id), stream, ordered/unordered and the
//! stream sequence number (DATA) or message identifier (I-DATA). A message completes when the
//! B and E fragments and every TSN (or FSN) between them are present; the reassembled user
//! message is owned (`bytes::Bytes`).

use std::collections::HashMap;

use bytes::{Bytes, BytesMut};
use sigscope_core::{Anomaly, AnomalyCode, Layer};

use crate::sctp::DataChunk;

/// Most messages under reassembly at once.
pub const MAX_PENDING_MESSAGES: usize = 4096;
/// Most fragments kept for one message.
pub const MAX_FRAGMENTS_PER_MESSAGE: usize = 1024;
/// Largest reassembled message.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;
/// Most bytes held across all pending messages.
pub const MAX_TOTAL_BYTES: usize = 64 << 20;
/// A pending message older than this (nanoseconds) is dropped and reported.
pub const TIMEOUT_NANOS: u64 = 60_000_000_000;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Key {
    assoc: u64,
    stream: u16,
    unordered: bool,
    interleaved: bool,
    seq: u32,
}

#[derive(Debug)]
struct Pending {
    first_seen: u64,
    bytes: usize,
    /// (order number: TSN or FSN, begin, end, payload)
    frags: Vec<(u32, bool, bool, Bytes)>,
}

/// What happened to a fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The message is complete: here it is.
    Complete(Bytes),
    /// Kept, waiting for more fragments.
    Pending,
    /// Not kept (a duplicate, or a limit was reached); the anomaly says why.
    Dropped,
}

/// The reassembler.
#[derive(Debug, Default)]
pub struct Reassembler {
    pending: HashMap<Key, Pending>,
    total_bytes: usize,
}

impl Reassembler {
    /// New, empty.
    pub fn new() -> Self {
        Self::default()
    }

    /// Messages currently pending.
    pub fn pending_messages(&self) -> usize {
        self.pending.len()
    }

    /// Bytes currently held.
    pub fn pending_bytes(&self) -> usize {
        self.total_bytes
    }

    /// Drop messages older than [`TIMEOUT_NANOS`] at `now`; one anomaly per dropped message
    /// goes to `report`.
    pub fn expire(&mut self, now: u64, report: &mut dyn FnMut(Anomaly)) {
        let mut freed = 0;
        self.pending.retain(|_, p| {
            let keep = now.saturating_sub(p.first_seen) <= TIMEOUT_NANOS;
            if !keep {
                freed += p.bytes;
                report(
                    Anomaly::new(
                        Layer::Sctp,
                        AnomalyCode::ReassemblyTimeout,
                        0,
                        "fragmented message never completed",
                    )
                    .with_value(p.frags.len() as u64),
                );
            }
            keep
        });
        self.total_bytes = self.total_bytes.saturating_sub(freed);
    }

    /// End of input: report every message still incomplete (`reassembly_incomplete`, value:
    /// fragments held) and empty the state.
    pub fn flush(&mut self, report: &mut dyn FnMut(Anomaly)) {
        for p in self.pending.values() {
            report(
                Anomaly::new(
                    Layer::Sctp,
                    AnomalyCode::ReassemblyIncomplete,
                    0,
                    "fragmented message still incomplete at the end of the input",
                )
                .with_value(p.frags.len() as u64),
            );
        }
        self.pending.clear();
        self.total_bytes = 0;
    }

    /// Feed one DATA/I-DATA fragment (not B+E complete). `assoc` identifies the association and
    /// direction. Anomalies go to `report` with the chunk's offset.
    pub fn push(
        &mut self,
        assoc: u64,
        chunk: &DataChunk<'_>,
        now: u64,
        report: &mut dyn FnMut(Anomaly),
    ) -> Outcome {
        let key = Key {
            assoc,
            stream: chunk.stream,
            unordered: chunk.is_unordered(),
            interleaved: chunk.interleaved,
            seq: if chunk.interleaved {
                chunk.mid
            } else if chunk.is_unordered() {
                0
            } else {
                u32::from(chunk.ssn)
            },
        };
        let order = if chunk.interleaved {
            chunk.fsn
        } else {
            chunk.tsn
        };
        if !self.pending.contains_key(&key) {
            if self.pending.len() >= MAX_PENDING_MESSAGES {
                report(
                    Anomaly::new(
                        Layer::Sctp,
                        AnomalyCode::ReassemblyTableFull,
                        chunk.offset,
                        "too many messages under reassembly",
                    )
                    .with_value(MAX_PENDING_MESSAGES as u64),
                );
                return Outcome::Dropped;
            }
            self.pending.insert(
                key,
                Pending {
                    first_seen: now,
                    bytes: 0,
                    frags: Vec::new(),
                },
            );
        }
        let total = self.total_bytes;
        let Some(p) = self.pending.get_mut(&key) else {
            return Outcome::Dropped;
        };
        if p.frags.iter().any(|f| f.0 == order) {
            report(
                Anomaly::new(
                    Layer::Sctp,
                    AnomalyCode::DuplicateFragment,
                    chunk.offset,
                    "fragment already seen (retransmission)",
                )
                .with_value(u64::from(chunk.tsn)),
            );
            return Outcome::Dropped;
        }
        let len = chunk.payload.len();
        if p.frags.len() >= MAX_FRAGMENTS_PER_MESSAGE
            || p.bytes + len > MAX_MESSAGE_BYTES
            || total + len > MAX_TOTAL_BYTES
        {
            report(
                Anomaly::new(
                    Layer::Sctp,
                    AnomalyCode::ReassemblyLimit,
                    chunk.offset,
                    "fragmented message exceeds reassembly limits",
                )
                .with_value((p.bytes + len) as u64),
            );
            let freed = p.bytes;
            self.pending.remove(&key);
            self.total_bytes = self.total_bytes.saturating_sub(freed);
            return Outcome::Dropped;
        }
        if p.frags.last().is_some_and(|f| f.0.wrapping_add(1) != order) {
            report(
                Anomaly::new(
                    Layer::Sctp,
                    AnomalyCode::OutOfOrderFragment,
                    chunk.offset,
                    "fragment arrived out of TSN order",
                )
                .with_value(u64::from(chunk.tsn)),
            );
        }
        p.frags.push((
            order,
            chunk.is_begin(),
            chunk.is_end(),
            Bytes::copy_from_slice(chunk.payload),
        ));
        p.bytes += len;
        self.total_bytes += len;
        // Complete? Need a B, an E, and consecutive order numbers between them.
        let Some(begin) = p.frags.iter().find(|f| f.1).map(|f| f.0) else {
            return Outcome::Pending;
        };
        let Some(end) = p.frags.iter().find(|f| f.2).map(|f| f.0) else {
            return Outcome::Pending;
        };
        let span = end.wrapping_sub(begin) as usize + 1;
        if span > p.frags.len() {
            return Outcome::Pending;
        }
        p.frags.sort_by_key(|f| f.0.wrapping_sub(begin));
        let contiguous = p
            .frags
            .iter()
            .enumerate()
            .all(|(i, f)| f.0.wrapping_sub(begin) as usize == i);
        if !contiguous || span != p.frags.len() {
            return Outcome::Pending;
        }
        let mut buf = BytesMut::with_capacity(p.bytes);
        for f in &p.frags {
            buf.extend_from_slice(&f.3);
        }
        let freed = p.bytes;
        self.pending.remove(&key);
        self.total_bytes = self.total_bytes.saturating_sub(freed);
        Outcome::Complete(buf.freeze())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sctp::Ppid;
    use proptest::prelude::*;

    fn frag(tsn: u32, flags: u8, payload: &[u8]) -> DataChunk<'_> {
        DataChunk {
            offset: 12,
            interleaved: false,
            flags,
            tsn,
            stream: 1,
            ssn: 5,
            mid: 5,
            ppid: Ppid::M3UA,
            fsn: 0,
            payload,
        }
    }

    #[test]
    fn in_order_and_out_of_order() {
        let mut r = Reassembler::new();
        let mut anomalies = Vec::new();
        let mut rep = |a: Anomaly| anomalies.push(a);
        assert_eq!(
            r.push(1, &frag(10, 2, b"ab"), 0, &mut rep),
            Outcome::Pending
        );
        assert_eq!(
            r.push(1, &frag(11, 0, b"cd"), 0, &mut rep),
            Outcome::Pending
        );
        assert_eq!(
            r.push(1, &frag(12, 1, b"ef"), 0, &mut rep),
            Outcome::Complete(Bytes::from_static(b"abcdef"))
        );
        assert_eq!(r.pending_messages(), 0);
        // out of order
        assert_eq!(r.push(1, &frag(22, 1, b"3"), 0, &mut rep), Outcome::Pending);
        assert_eq!(r.push(1, &frag(20, 2, b"1"), 0, &mut rep), Outcome::Pending);
        assert_eq!(r.push(1, &frag(20, 2, b"1"), 0, &mut rep), Outcome::Dropped);
        assert_eq!(
            r.push(1, &frag(21, 0, b"2"), 0, &mut rep),
            Outcome::Complete(Bytes::from_static(b"123"))
        );
        assert_eq!(r.pending_bytes(), 0);
        assert!(anomalies
            .iter()
            .any(|a| a.code == AnomalyCode::OutOfOrderFragment));
        assert!(anomalies
            .iter()
            .any(|a| a.code == AnomalyCode::DuplicateFragment));
    }

    #[test]
    fn timeout() {
        let mut r = Reassembler::new();
        let mut n = 0;
        r.push(1, &frag(10, 2, b"ab"), 0, &mut |_| {});
        r.expire(TIMEOUT_NANOS + 1, &mut |a| {
            assert_eq!(a.code, AnomalyCode::ReassemblyTimeout);
            n += 1
        });
        assert_eq!(n, 1);
        assert_eq!(r.pending_messages(), 0);
        assert_eq!(r.pending_bytes(), 0);
    }

    proptest! {
        #[test]
        fn arbitrary_sequences(seq in proptest::collection::vec((0u32..8, 0u8..4, 0u16..3, proptest::collection::vec(any::<u8>(), 0..8)), 0..60)) {
            let mut r = Reassembler::new();
            for (tsn, flags, stream, p) in &seq {
                let mut c = frag(*tsn, *flags, p);
                c.stream = *stream;
                let _ = r.push(7, &c, 0, &mut |_| {});
            }
            prop_assert!(r.pending_messages() <= MAX_PENDING_MESSAGES);
            let held: usize = r.pending_bytes();
            prop_assert!(held <= MAX_TOTAL_BYTES);
        }

        #[test]
        fn any_permutation_completes(n in 2usize..10, seed: u64) {
            let payloads: Vec<Vec<u8>> = (0..n).map(|i| vec![i as u8; i + 1]).collect();
            let mut order: Vec<usize> = (0..n).collect();
            let mut s = seed;
            for i in (1..n).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                order.swap(i, (s >> 33) as usize % (i + 1));
            }
            let mut r = Reassembler::new();
            let mut done = None;
            for &i in &order {
                let flags = if i == 0 { 2 } else if i == n - 1 { 1 } else { 0 };
                if let Outcome::Complete(b) = r.push(1, &frag(100 + i as u32, flags, &payloads[i]), 0, &mut |_| {}) {
                    done = Some(b);
                }
            }
            prop_assert_eq!(done.map(|b| b.to_vec()), Some(payloads.concat()));
        }
    }
}
