//! XUDT / XUDTS / LUDT / LUDTS segment reassembly (Q.714 4.1.1.2), bounded in entries, bytes
//! and time.
//!
//! Segments of one message are keyed on the segmentation local reference, both addresses and
//! the MTP3 OPC/DPC. The reassembler owns segment bytes as [`bytes::Bytes`] and hands the
//! complete user data back as one `Bytes`. Out-of-order, duplicate, inconsistent and
//! never-completed segments are reported as anomalies (layer SCCP).

use bytes::{Bytes, BytesMut};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

use crate::types::Segmentation;

/// Most messages under reassembly at once (oldest evicted beyond).
pub const MAX_REASSEMBLY_ENTRIES: usize = 256;
/// Most segment bytes held across all entries.
pub const MAX_REASSEMBLY_BYTES: usize = 4 * 1024 * 1024;
/// Largest reassembled message (16 LUDT segments of 3,952 octets fit).
pub const MAX_REASSEMBLED_LEN: usize = 64 * 1024;
/// Most user data SCCP carries in one message, segmented or not: 16 segments of 247 octets
/// (Q.713 3.20 bounds LUDT data so; Q.752 7.14 counts longer data as "too large for
/// segmentation"). Longer data is still reassembled (up to [`MAX_REASSEMBLED_LEN`]) and
/// decoded, and raises `user_data_too_long`.
pub const MAX_USER_DATA: usize = 3952;
/// Time after which an incomplete message is dropped (Q.714 T(reass) is 10-20 s).
pub const REASSEMBLY_TIMEOUT_NANOS: u64 = 20_000_000_000;
/// Segments per message: the remaining-segments field has 4 bits.
pub const MAX_SEGMENTS: usize = 16;
/// Most segmented messages one origin (OPC and calling address) keeps open at once before
/// each further first segment raises `segment_flood`. A stack sends a message's segments
/// back to back, so its messages complete in milliseconds and few are ever open together;
/// sixteen open at once are first segments whose rest never comes (an attempt to exhaust a
/// node's reassembly buffers), or a probe losing most of one node's segments.
pub const MAX_OPEN_PER_ORIGIN: usize = 16;
/// Most segmented messages one point-code pair keeps open at once, whatever their calling
/// addresses, before each further first segment raises `segment_flood` (a flood whose
/// calling title changes every few segments).
pub const MAX_OPEN_PER_LINK: usize = 64;

/// Detail of the `segment_incomplete` anomaly raised when a new first segment restarts a
/// message still being reassembled (a sequence restarted mid-message).
pub const RESTARTED_DETAIL: &str = "new first segment before the previous message completed";
/// Detail of the `segment_flood` anomaly raised when an origin that completed none of its
/// segmented messages within [`ABANDONED_WINDOW_NANOS`] left [`MAX_ABANDONED_PER_ORIGIN`] or
/// more of them incomplete opens another (value: how many it left).
pub const ABANDONED_DETAIL: &str =
    "another segment opening a message from an origin that completed none of the many it opened";
/// Incomplete messages (timed out) of one origin that completed none before its next first
/// segment is `segment_flood`: first segments whose rest never comes, paced so that few are
/// open at once (reassembly buffers held for the timeout each, from a sender that never
/// finishes one).
pub const MAX_ABANDONED_PER_ORIGIN: u16 = 8;
/// The window an origin's incomplete and completed messages are counted in (nanoseconds).
pub const ABANDONED_WINDOW_NANOS: u64 = 600_000_000_000;
/// Origins whose messages are counted at once (direct-mapped: a newer origin takes the slot).
pub const ORIGIN_TALLY_SLOTS: usize = 64;

/// Detail of the anomaly of a later segment whose reference another calling party holds open
/// (value: the reference).
pub const SPLICED_DETAIL: &str =
    "later segment of a reference another calling party opened (spliced into its message)";

/// Limits of one [`Reassembler`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReassemblyLimits {
    /// Most entries.
    pub max_entries: usize,
    /// Most bytes held.
    pub max_bytes: usize,
    /// Largest reassembled message.
    pub max_message_len: usize,
    /// Timeout in nanoseconds.
    pub timeout_nanos: u64,
    /// Messages open from one origin before `segment_flood`.
    pub max_open_per_origin: usize,
    /// Messages open on one point-code pair before `segment_flood`.
    pub max_open_per_link: usize,
}

impl Default for ReassemblyLimits {
    fn default() -> Self {
        ReassemblyLimits {
            max_entries: MAX_REASSEMBLY_ENTRIES,
            max_bytes: MAX_REASSEMBLY_BYTES,
            max_message_len: MAX_REASSEMBLED_LEN,
            timeout_nanos: REASSEMBLY_TIMEOUT_NANOS,
            max_open_per_origin: MAX_OPEN_PER_ORIGIN,
            max_open_per_link: MAX_OPEN_PER_LINK,
        }
    }
}

/// What identifies the message a segment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentKey<'k> {
    /// MTP3 originating point code.
    pub opc: u32,
    /// MTP3 destination point code.
    pub dpc: u32,
    /// Called party address value.
    pub called: &'k [u8],
    /// Calling party address value.
    pub calling: &'k [u8],
    /// Segmentation local reference.
    pub local_ref: u32,
}

/// Outcome of [`Reassembler::push`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentOutcome {
    /// The message is complete: its whole user data.
    Complete(Bytes),
    /// Held; more segments are needed.
    Pending,
    /// Not held (duplicate, inconsistent, or over a limit); see the anomalies.
    Dropped,
}

#[derive(Debug)]
struct Entry {
    opc: u32,
    dpc: u32,
    local_ref: u32,
    called: Bytes,
    calling: Bytes,
    /// Number of segments, known once the first segment arrived.
    total: Option<u8>,
    /// Segment data indexed by "remaining segments".
    slots: [Option<Bytes>; MAX_SEGMENTS],
    /// Frame and capture time of each slot's segment.
    seen: [(u64, u64); MAX_SEGMENTS],
    bytes: usize,
    started: u64,
    last_remaining: Option<u8>,
}

impl Entry {
    /// Same origin: point code and calling address.
    fn same_origin(&self, k: &SegmentKey<'_>) -> bool {
        self.opc == k.opc && self.calling.as_ref() == k.calling
    }

    /// A message of `k`'s reference, link and called party open from another calling party,
    /// which a later segment of `remaining` would continue (within the count its first
    /// segment announced, after the segments it holds).
    fn same_reference_elsewhere(&self, k: &SegmentKey<'_>, remaining: u8) -> bool {
        self.same_reference(k)
            && self.calling.as_ref() != k.calling
            && self.total.is_some_and(|t| remaining < t)
            && self.last_remaining.is_some_and(|l| remaining < l)
    }

    /// `k`'s reference on its link to its called party, from whichever calling party.
    fn same_reference(&self, k: &SegmentKey<'_>) -> bool {
        self.local_ref == k.local_ref
            && self.opc == k.opc
            && self.dpc == k.dpc
            && self.called.as_ref() == k.called
    }

    fn matches(&self, k: &SegmentKey<'_>) -> bool {
        self.same_reference(k) && self.calling.as_ref() == k.calling
    }
}

/// Stateful segment reassembler.
#[derive(Debug, Default)]
pub struct Reassembler {
    entries: Vec<Entry>,
    bytes: usize,
    limits: ReassemblyLimits,
    /// Frame and time of the other segments of the message the last push completed (the
    /// completing segment's own not included); emptied by [`Reassembler::clear_completed`].
    completed: Vec<(u64, u64)>,
    /// Per origin: messages left incomplete and completed within the window (made on first
    /// use: nothing grows).
    origins: Vec<OriginTally>,
}

/// One origin's segmented messages within [`ABANDONED_WINDOW_NANOS`].
#[derive(Debug, Clone, Copy, Default)]
struct OriginTally {
    key: u64,
    since: u64,
    abandoned: u16,
    completed: u16,
}

/// The key of an origin (its OPC and calling address), never 0.
fn origin_key(opc: u32, calling: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    // (std's default hasher with its fixed keys: the same key in every run)
    let mut h = std::hash::DefaultHasher::new();
    (opc, calling).hash(&mut h);
    h.finish() | 1
}

fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Sccp, code, offset, detail)
}

impl Reassembler {
    /// New reassembler with the default limits.
    pub fn new() -> Self {
        Self::with_limits(ReassemblyLimits::default())
    }

    /// New reassembler with other limits.
    pub fn with_limits(limits: ReassemblyLimits) -> Self {
        Reassembler {
            entries: Vec::new(),
            bytes: 0,
            limits,
            completed: Vec::new(),
            origins: Vec::new(),
        }
    }

    /// The tally of the origin of `key` at `now` (emptied for another origin, or when the
    /// window has passed).
    fn tally(&mut self, key: u64, now: u64) -> Option<&mut OriginTally> {
        if self.origins.is_empty() {
            self.origins = vec![OriginTally::default(); ORIGIN_TALLY_SLOTS];
        }
        let t = self.origins.get_mut(key as usize % ORIGIN_TALLY_SLOTS)?;
        if t.key != key || now.saturating_sub(t.since) > ABANDONED_WINDOW_NANOS || now < t.since {
            *t = OriginTally {
                key,
                since: now,
                abandoned: 0,
                completed: 0,
            };
        }
        Some(t)
    }

    /// Frame and capture time of the other segments of the message the last
    /// [`Reassembler::push_at`] completed, oldest first (nothing after
    /// [`Reassembler::clear_completed`]).
    pub fn completed(&self) -> &[(u64, u64)] {
        &self.completed
    }

    /// Forget the segments of the last completed message (before the next message is decoded).
    #[inline]
    pub fn clear_completed(&mut self) {
        self.completed.clear();
    }

    /// Messages under reassembly.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Nothing held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Segment bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn remove(&mut self, i: usize) -> Entry {
        let e = self.entries.swap_remove(i);
        self.bytes = self.bytes.saturating_sub(e.bytes);
        e
    }

    /// Drop incomplete messages older than the timeout at `now_nanos`, reporting each as
    /// `segment_incomplete`. Returns how many were dropped.
    pub fn expire(&mut self, now_nanos: u64, anomalies: &mut Anomalies) -> usize {
        let mut n = 0;
        let mut i = 0;
        while i < self.entries.len() {
            let old = self
                .entries
                .get(i)
                .is_some_and(|e| now_nanos.saturating_sub(e.started) > self.limits.timeout_nanos);
            if old {
                let e = self.remove(i);
                if let Some(t) = self.tally(origin_key(e.opc, &e.calling), now_nanos) {
                    t.abandoned = t.abandoned.saturating_add(1);
                }
                anomalies.push(
                    anom(
                        AnomalyCode::SegmentIncomplete,
                        0,
                        "segmented message never completed (timeout)",
                    )
                    .with_value(u64::from(e.local_ref)),
                );
                n += 1;
            } else {
                i += 1;
            }
        }
        n
    }

    /// Drop everything still held (end of input), reporting each message as
    /// `segment_incomplete`.
    pub fn flush(&mut self, anomalies: &mut Anomalies) -> usize {
        let n = self.entries.len();
        for e in self.entries.drain(..) {
            anomalies.push(
                anom(
                    AnomalyCode::SegmentIncomplete,
                    0,
                    "segmented message never completed",
                )
                .with_value(u64::from(e.local_ref)),
            );
        }
        self.bytes = 0;
        n
    }

    /// Add one segment. `offset` is the offset of the segmentation parameter in the SCCP
    /// message (for anomalies); `ts_nanos` the capture time.
    pub fn push(
        &mut self,
        key: &SegmentKey<'_>,
        seg: Segmentation,
        data: &[u8],
        offset: usize,
        ts_nanos: u64,
        anomalies: &mut Anomalies,
    ) -> SegmentOutcome {
        self.push_at(key, seg, data, offset, (0, ts_nanos), anomalies)
    }

    /// [`Reassembler::push`] of the segment in frame `at.0` captured at `at.1`: when it
    /// completes a message, [`Reassembler::completed`] names the frames of the others.
    pub fn push_at(
        &mut self,
        key: &SegmentKey<'_>,
        seg: Segmentation,
        data: &[u8],
        offset: usize,
        at: (u64, u64),
        anomalies: &mut Anomalies,
    ) -> SegmentOutcome {
        let ts_nanos = at.1;
        self.expire(ts_nanos, anomalies);
        let rem = seg.remaining;
        if seg.is_single() {
            return SegmentOutcome::Complete(Bytes::copy_from_slice(data));
        }
        let idx = match self.entries.iter().position(|e| e.matches(key)) {
            Some(i) => {
                // A new first segment while an earlier message is incomplete: restart.
                // (The same first segment again is a retransmission, handled as a duplicate
                // below; only a different one restarts.)
                let restart = seg.first
                    && self.entries.get(i).is_some_and(|e| {
                        e.total.is_some()
                            && (e.total != Some(rem.saturating_add(1))
                                || e.slots
                                    .get(usize::from(rem))
                                    .is_some_and(|s| s.as_deref() != Some(data)))
                    });
                if restart {
                    self.remove(i);
                    anomalies.push(anom(
                        AnomalyCode::SegmentIncomplete,
                        offset,
                        RESTARTED_DETAIL,
                    ));
                    None
                } else {
                    Some(i)
                }
            }
            None => None,
        };
        let idx = match idx {
            Some(i) => i,
            None => {
                if !seg.first {
                    // a later segment of a reference another calling party opened on this
                    // link to this called party: a segment spliced into that message (a
                    // message's segments all carry its own calling address)
                    let spliced = self
                        .entries
                        .iter()
                        .any(|e| e.same_reference_elsewhere(key, rem));
                    anomalies.push(if spliced {
                        anom(AnomalyCode::SegmentInconsistent, offset, SPLICED_DETAIL)
                            .with_value(u64::from(key.local_ref))
                    } else {
                        anom(
                            AnomalyCode::SegmentOutOfOrder,
                            offset,
                            "segment arrived before the first segment",
                        )
                        .with_value(u64::from(rem))
                    });
                }
                let (mut open, mut on_link) = (0usize, 0usize);
                for e in self
                    .entries
                    .iter()
                    .filter(|e| e.opc == key.opc && e.dpc == key.dpc)
                {
                    on_link += 1;
                    open += usize::from(e.same_origin(key));
                }
                let open = if open >= self.limits.max_open_per_origin {
                    open
                } else if on_link >= self.limits.max_open_per_link {
                    on_link
                } else {
                    0
                };
                if open > 0 {
                    anomalies.push(
                        anom(
                            AnomalyCode::SegmentFlood,
                            offset,
                            "another segment opening a message while this origin (or its point codes) holds many open (value: how many)",
                        )
                        .with_value(open as u64),
                    );
                } else if let Some(t) = self
                    .tally(origin_key(key.opc, key.calling), ts_nanos)
                    .filter(|t| t.completed == 0 && t.abandoned >= MAX_ABANDONED_PER_ORIGIN)
                {
                    let left = t.abandoned;
                    anomalies.push(
                        anom(AnomalyCode::SegmentFlood, offset, ABANDONED_DETAIL)
                            .with_value(u64::from(left)),
                    );
                }
                if self.entries.len() >= self.limits.max_entries {
                    let oldest = self
                        .entries
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, e)| e.started)
                        .map(|(i, _)| i);
                    if let Some(o) = oldest {
                        self.remove(o);
                        anomalies.push(anom(
                            AnomalyCode::SegmentIncomplete,
                            offset,
                            "reassembly entries full: oldest message dropped",
                        ));
                    }
                }
                self.entries.push(Entry {
                    opc: key.opc,
                    dpc: key.dpc,
                    local_ref: key.local_ref,
                    called: Bytes::copy_from_slice(key.called),
                    calling: Bytes::copy_from_slice(key.calling),
                    total: None,
                    slots: Default::default(),
                    seen: [(0, 0); MAX_SEGMENTS],
                    bytes: 0,
                    started: ts_nanos,
                    last_remaining: None,
                });
                self.entries.len() - 1
            }
        };
        let max_bytes = self.limits.max_bytes;
        let max_len = self.limits.max_message_len;
        let total_bytes = self.bytes;
        let Some(e) = self.entries.get_mut(idx) else {
            return SegmentOutcome::Dropped;
        };
        if let Some(last) = e.last_remaining {
            if !seg.first
                && last != 0
                && rem != last - 1
                && e.slots.get(usize::from(rem)).is_some_and(|s| s.is_none())
            {
                anomalies.push(
                    anom(
                        AnomalyCode::SegmentOutOfOrder,
                        offset,
                        "segment out of sequence",
                    )
                    .with_value(u64::from(rem)),
                );
            }
        }
        if seg.first {
            // Segments already held beyond the announced count are inconsistent.
            for (i, s) in e.slots.iter_mut().enumerate().skip(usize::from(rem) + 1) {
                if let Some(b) = s.take() {
                    e.bytes = e.bytes.saturating_sub(b.len());
                    self.bytes = self.bytes.saturating_sub(b.len());
                    anomalies.push(
                        anom(
                            AnomalyCode::SegmentInconsistent,
                            offset,
                            "segment beyond the count announced by the first",
                        )
                        .with_value(i as u64),
                    );
                }
            }
            e.total = Some(rem + 1);
        } else if e.total.is_some_and(|t| rem >= t) {
            anomalies.push(
                anom(
                    AnomalyCode::SegmentInconsistent,
                    offset,
                    "remaining segments above the first segment's count",
                )
                .with_value(u64::from(rem)),
            );
            return SegmentOutcome::Dropped;
        }
        let Some(slot) = e.slots.get_mut(usize::from(rem)) else {
            return SegmentOutcome::Dropped;
        };
        if let Some(prev) = slot {
            anomalies.push(
                anom(
                    AnomalyCode::SegmentDuplicate,
                    offset,
                    "segment received twice (the first copy is kept)",
                )
                .with_value(u64::from(prev.as_ref() != data)),
            );
            return SegmentOutcome::Dropped;
        }
        if e.bytes + data.len() > max_len || total_bytes + data.len() > max_bytes {
            let lr = e.local_ref;
            self.remove(idx);
            anomalies.push(
                anom(
                    AnomalyCode::ReassemblyLimit,
                    offset,
                    "reassembly byte limit reached: message dropped",
                )
                .with_value(u64::from(lr)),
            );
            return SegmentOutcome::Dropped;
        }
        *slot = Some(Bytes::copy_from_slice(data));
        if let Some(w) = e.seen.get_mut(usize::from(rem)) {
            *w = at;
        }
        e.bytes += data.len();
        e.last_remaining = Some(rem);
        self.bytes += data.len();
        let complete = e
            .total
            .is_some_and(|t| e.slots.iter().take(usize::from(t)).all(Option::is_some));
        if !complete {
            return SegmentOutcome::Pending;
        }
        let e = self.remove(idx);
        if let Some(t) = self.tally(origin_key(e.opc, &e.calling), ts_nanos) {
            t.completed = t.completed.saturating_add(1);
        }
        let t = usize::from(e.total.unwrap_or(0));
        self.completed.clear();
        // in order sent (most segments remaining first), the completing one left out
        for (i, w) in e.seen.iter().enumerate().take(t).rev() {
            if i != usize::from(rem) {
                self.completed.push(*w);
            }
        }
        let mut out = BytesMut::with_capacity(e.bytes);
        for s in e.slots.iter().take(t).rev().flatten() {
            out.extend_from_slice(s);
        }
        SegmentOutcome::Complete(out.freeze())
    }
}
