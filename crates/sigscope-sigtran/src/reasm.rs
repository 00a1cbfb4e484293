//! SCTP DATA fragment reassembly (RFC 9260 §6.9), bounded in entries, bytes and time.
//!
//! Fragments are keyed by association (a caller-chosen id), stream, ordered/unordered and the
//! stream sequence number (DATA) or message identifier (I-DATA). A message completes when the
//! B and E fragments and every TSN (or FSN) between them are present; the reassembled user
//! message is lent out ([`Outcome::Complete`] borrows the reassembler) until the next call.
//!
//! Nothing is allocated per message once warm: a pending message keeps its payload bytes in
//! one `Vec<u8>` (in arrival order) and its fragments as ranges into it, both taken from and
//! given back to free lists ([`MAX_SPARE_BUFFERS`] each; a byte buffer grown past
//! [`MAX_SPARE_BUFFER_BYTES`] is freed rather than kept). A message whose fragments arrived
//! in order is handed out from its own buffer; otherwise its fragments are copied, in order,
//! into a spare one.

use std::collections::HashMap;

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
/// Buffers of finished messages kept for reuse (per kind: payload bytes, fragment lists).
pub const MAX_SPARE_BUFFERS: usize = 64;
/// A payload buffer whose capacity grew past this is freed when its message is done rather
/// than kept for reuse (so that a few large messages do not pin their memory).
pub const MAX_SPARE_BUFFER_BYTES: usize = 64 << 10;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Key {
    assoc: u64,
    stream: u16,
    unordered: bool,
    interleaved: bool,
    seq: u32,
}

/// One fragment of a pending message: its payload is `data[start..start + len]`.
#[derive(Clone, Copy, Debug)]
struct Frag {
    /// Order number: TSN, or FSN for I-DATA.
    order: u32,
    begin: bool,
    end: bool,
    start: usize,
    len: usize,
}

#[derive(Debug)]
struct Pending {
    first_seen: u64,
    /// The fragments' payloads, in arrival order (its length is the bytes held).
    data: Vec<u8>,
    frags: Vec<Frag>,
}

/// What happened to a fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// The message is complete: here it is (borrowed from the reassembler until its next
    /// call).
    Complete(&'a [u8]),
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
    /// Free payload buffers (empty, capacity kept).
    spare_data: Vec<Vec<u8>>,
    /// Free fragment lists (empty, capacity kept).
    spare_frags: Vec<Vec<Frag>>,
    /// The last completed message (lent out by [`Outcome::Complete`]).
    out: Vec<u8>,
    /// Times a buffer was allocated or grown.
    buffer_allocations: u64,
}

/// Give a payload buffer back to the free list (bounded in count and size).
fn give_data(spare: &mut Vec<Vec<u8>>, mut data: Vec<u8>) {
    if spare.len() < MAX_SPARE_BUFFERS
        && data.capacity() > 0
        && data.capacity() <= MAX_SPARE_BUFFER_BYTES
    {
        data.clear();
        spare.push(data);
    }
}

/// Give a fragment list back to the free list (bounded in count; its size is bounded by
/// [`MAX_FRAGMENTS_PER_MESSAGE`]).
fn give_frags(spare: &mut Vec<Vec<Frag>>, mut frags: Vec<Frag>) {
    if spare.len() < MAX_SPARE_BUFFERS && frags.capacity() > 0 {
        frags.clear();
        spare.push(frags);
    }
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

    /// How many times a buffer (payload bytes, fragment list, output) had to be allocated or
    /// grown. A warm reassembler fed traffic like what it has seen keeps this unchanged.
    pub fn buffer_allocations(&self) -> u64 {
        self.buffer_allocations
    }

    /// Drop messages older than [`TIMEOUT_NANOS`] at `now`; one anomaly per dropped message
    /// goes to `report`.
    pub fn expire(&mut self, now: u64, report: &mut dyn FnMut(Anomaly)) {
        let mut freed = 0;
        let Self {
            pending,
            spare_data,
            spare_frags,
            ..
        } = self;
        pending.retain(|_, p| {
            let keep = now.saturating_sub(p.first_seen) <= TIMEOUT_NANOS;
            if !keep {
                freed += p.data.len();
                report(
                    Anomaly::new(
                        Layer::Sctp,
                        AnomalyCode::ReassemblyTimeout,
                        0,
                        "fragmented message never completed",
                    )
                    .with_value(p.frags.len() as u64),
                );
                give_data(spare_data, std::mem::take(&mut p.data));
                give_frags(spare_frags, std::mem::take(&mut p.frags));
            }
            keep
        });
        self.total_bytes = self.total_bytes.saturating_sub(freed);
    }

    /// End of input: report every message still incomplete (`reassembly_incomplete`, value:
    /// fragments held) and empty the state.
    pub fn flush(&mut self, report: &mut dyn FnMut(Anomaly)) {
        for (_, p) in self.pending.drain() {
            report(
                Anomaly::new(
                    Layer::Sctp,
                    AnomalyCode::ReassemblyIncomplete,
                    0,
                    "fragmented message still incomplete at the end of the input",
                )
                .with_value(p.frags.len() as u64),
            );
            give_data(&mut self.spare_data, p.data);
            give_frags(&mut self.spare_frags, p.frags);
        }
        self.total_bytes = 0;
    }

    /// Take `key`'s entry out of the table, take its bytes off the total and give its
    /// buffers back.
    fn discard(&mut self, key: &Key) {
        if let Some(p) = self.pending.remove(key) {
            self.total_bytes = self.total_bytes.saturating_sub(p.data.len());
            give_data(&mut self.spare_data, p.data);
            give_frags(&mut self.spare_frags, p.frags);
        }
    }

    /// Feed one DATA/I-DATA fragment (not B+E complete). `assoc` identifies the association and
    /// direction. Anomalies go to `report` with the chunk's offset. A completed message is
    /// lent out until the next call.
    pub fn push(
        &mut self,
        assoc: u64,
        chunk: &DataChunk<'_>,
        now: u64,
        report: &mut dyn FnMut(Anomaly),
    ) -> Outcome<'_> {
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
            let data = self.spare_data.pop().unwrap_or_default();
            let frags = self.spare_frags.pop().unwrap_or_default();
            self.pending.insert(
                key,
                Pending {
                    first_seen: now,
                    data,
                    frags,
                },
            );
        }
        let total = self.total_bytes;
        let Some(p) = self.pending.get_mut(&key) else {
            return Outcome::Dropped;
        };
        if p.frags.iter().any(|f| f.order == order) {
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
        let held = p.data.len();
        if p.frags.len() >= MAX_FRAGMENTS_PER_MESSAGE
            || held + len > MAX_MESSAGE_BYTES
            || total + len > MAX_TOTAL_BYTES
        {
            report(
                Anomaly::new(
                    Layer::Sctp,
                    AnomalyCode::ReassemblyLimit,
                    chunk.offset,
                    "fragmented message exceeds reassembly limits",
                )
                .with_value((held + len) as u64),
            );
            self.discard(&key);
            return Outcome::Dropped;
        }
        if p.frags
            .last()
            .is_some_and(|f| f.order.wrapping_add(1) != order)
        {
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
        let caps = (p.data.capacity(), p.frags.capacity());
        p.frags.push(Frag {
            order,
            begin: chunk.is_begin(),
            end: chunk.is_end(),
            start: held,
            len,
        });
        p.data.extend_from_slice(chunk.payload);
        self.buffer_allocations +=
            u64::from(p.data.capacity() != caps.0) + u64::from(p.frags.capacity() != caps.1);
        self.total_bytes += len;
        // Complete? Need a B, an E, and consecutive order numbers between them.
        let Some(begin) = p.frags.iter().find(|f| f.begin).map(|f| f.order) else {
            return Outcome::Pending;
        };
        let Some(end) = p.frags.iter().find(|f| f.end).map(|f| f.order) else {
            return Outcome::Pending;
        };
        let span = (end.wrapping_sub(begin) as usize).saturating_add(1);
        if span > p.frags.len() {
            return Outcome::Pending;
        }
        // order numbers are unique (duplicates are dropped above): an unstable sort gives the
        // same order as a stable one, and allocates nothing
        p.frags
            .sort_unstable_by_key(|f| f.order.wrapping_sub(begin));
        let contiguous = p
            .frags
            .iter()
            .enumerate()
            .all(|(i, f)| f.order.wrapping_sub(begin) as usize == i);
        if !contiguous || span != p.frags.len() {
            return Outcome::Pending;
        }
        let Some(p) = self.pending.remove(&key) else {
            return Outcome::Dropped;
        };
        self.total_bytes = self.total_bytes.saturating_sub(p.data.len());
        let mut next = 0;
        let in_place = p.frags.iter().all(|f| {
            let here = f.start == next;
            next = f.start + f.len;
            here
        });
        let message = if in_place {
            p.data
        } else {
            // arrived out of order: copy the fragments, in order, into a spare buffer
            let mut buf = self.spare_data.pop().unwrap_or_default();
            let cap = buf.capacity();
            buf.reserve(p.data.len());
            for f in &p.frags {
                buf.extend_from_slice(p.data.get(f.start..f.start + f.len).unwrap_or_default());
            }
            self.buffer_allocations += u64::from(buf.capacity() != cap);
            give_data(&mut self.spare_data, p.data);
            buf
        };
        let previous = std::mem::replace(&mut self.out, message);
        give_data(&mut self.spare_data, previous);
        give_frags(&mut self.spare_frags, p.frags);
        Outcome::Complete(&self.out)
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
            Outcome::Complete(&b"abcdef"[..])
        );
        assert_eq!(r.pending_messages(), 0);
        // out of order
        assert_eq!(r.push(1, &frag(22, 1, b"3"), 0, &mut rep), Outcome::Pending);
        assert_eq!(r.push(1, &frag(20, 2, b"1"), 0, &mut rep), Outcome::Pending);
        assert_eq!(r.push(1, &frag(20, 2, b"1"), 0, &mut rep), Outcome::Dropped);
        assert_eq!(
            r.push(1, &frag(21, 0, b"2"), 0, &mut rep),
            Outcome::Complete(&b"123"[..])
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

    #[test]
    fn limits_and_flush() {
        let mut r = Reassembler::new();
        let mut codes = Vec::new();
        let big = vec![0u8; MAX_MESSAGE_BYTES];
        assert_eq!(
            r.push(1, &frag(1, 2, &big), 0, &mut |_| {}),
            Outcome::Pending
        );
        assert_eq!(r.pending_bytes(), MAX_MESSAGE_BYTES);
        assert_eq!(
            r.push(1, &frag(2, 1, b"x"), 0, &mut |a| codes.push(a.code)),
            Outcome::Dropped
        );
        assert_eq!(codes, [AnomalyCode::ReassemblyLimit]);
        assert_eq!((r.pending_messages(), r.pending_bytes()), (0, 0));
        // table full
        for ssn in 0..MAX_PENDING_MESSAGES {
            let mut c = frag(7, 2, b"a");
            c.ssn = ssn as u16;
            c.stream = (ssn >> 16) as u16;
            assert_eq!(r.push(2, &c, 0, &mut |_| {}), Outcome::Pending);
        }
        codes.clear();
        assert_eq!(
            r.push(3, &frag(7, 2, b"a"), 0, &mut |a| codes.push(a.code)),
            Outcome::Dropped
        );
        assert_eq!(codes, [AnomalyCode::ReassemblyTableFull]);
        let mut n = 0;
        r.flush(&mut |a| {
            assert_eq!(a.code, AnomalyCode::ReassemblyIncomplete);
            n += 1;
        });
        assert_eq!(n, MAX_PENDING_MESSAGES);
        assert_eq!((r.pending_messages(), r.pending_bytes()), (0, 0));
        // still works, from recycled buffers
        assert_eq!(
            r.push(1, &frag(20, 2, b"ab"), 0, &mut |_| {}),
            Outcome::Pending
        );
        assert_eq!(
            r.push(1, &frag(21, 1, b"c"), 0, &mut |_| {}),
            Outcome::Complete(&b"abc"[..])
        );
    }

    /// One round of fragmented traffic: messages in order, out of order, interleaved across
    /// streams, with a retransmission and one message that never completes (expired). Returns
    /// the messages completed.
    fn round(r: &mut Reassembler, tsn: u32, ssn: u16, now: u64) -> Vec<Vec<u8>> {
        let a: Vec<Vec<u8>> = [100, 100, 50].iter().map(|&n| vec![b'a'; n]).collect();
        let b: Vec<Vec<u8>> = (0..4u8).map(|i| vec![i; 200]).collect();
        let mut done = Vec::new();
        let mut push = |r: &mut Reassembler, stream: u16, t: u32, flags: u8, p: &[u8]| {
            let mut c = frag(t, flags, p);
            c.stream = stream;
            c.ssn = ssn;
            if let Outcome::Complete(m) = r.push(9, &c, now, &mut |_| {}) {
                done.push(m.to_vec());
            }
        };
        push(r, 3, tsn + 100, 2, &[7; 300]); // never completes
        push(r, 1, tsn, 2, &a[0]);
        push(r, 2, tsn + 12, 0, &b[2]);
        push(r, 1, tsn + 1, 0, &a[1]);
        push(r, 1, tsn + 1, 0, &a[1]); // retransmission
        push(r, 2, tsn + 10, 2, &b[0]);
        push(r, 1, tsn + 2, 1, &a[2]);
        push(r, 2, tsn + 13, 1, &b[3]);
        push(r, 2, tsn + 11, 0, &b[1]);
        r.expire(now + TIMEOUT_NANOS + 1, &mut |_| {});
        assert_eq!(r.pending_messages(), 0);
        assert_eq!(done, [a.concat(), b.concat()]);
        done
    }

    #[test]
    fn warm_reassembler_reuses_its_buffers() {
        let mut r = Reassembler::new();
        let first = round(&mut r, 1000, 1, 0);
        let warm = r.buffer_allocations();
        assert!(warm > 0);
        for i in 1..5u16 {
            let again = round(
                &mut r,
                1000 + 100 * u32::from(i),
                1 + i,
                u64::from(i) * 2 * TIMEOUT_NANOS,
            );
            assert_eq!(again, first);
            assert_eq!(r.buffer_allocations(), warm, "round {i} allocated");
        }
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
                    done = Some(b.to_vec());
                }
            }
            prop_assert_eq!(done, Some(payloads.concat()));
        }
    }
}
