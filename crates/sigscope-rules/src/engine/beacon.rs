//! Beaconing (3004): the events of one key (a MAP operation, a GTP message type or a
//! jittered GTP Echo between the same ends) and whether their last ones are periodic.
//!
//! Most keys never repeat (many name one subscriber's global title), and every event looks
//! its key up, so the table is laid out for the data cache: the keys (tag and first event;
//! most keys have nothing else) are appended in the order they came, found through an
//! open-addressed index of 4-octet entries, and the ring of later events is kept only for
//! keys seen twice or more. The lookup of a new key reads one line of the index (a quarter of
//! the size of a table of whole keys) and writes where the last key went; one of a key seen
//! before reads its line of the keys too.

use serde_json::{json, Value};

use sigscope_map::ErrorCode;
use sigscope_tcap::Tcap;

use super::keylog::{KeyLog, Logged};
use super::*;

/// Seconds before a beacon key alerts again (sooner once the tagging of its last alert has
/// run out).
pub const BEACON_REALERT_S: f64 = 3600.0;

/// Largest coefficient of variation of the intervals of a subscriber's lookups from abroad
/// still called periodic (uniform jitter of ±60% has 0.35): a tracker polling one subscriber's
/// location or routing hides its clock behind jitter, which the tighter `beacon_max_cv`
/// would let pass; services at home jitter too, and keep that bound.
pub const BEACON_TRACKING_MAX_CV: f64 = 0.35;

/// Relative margin under which a beacon's span of times is taken as too short before its mean
/// gap is summed (the summed mean equals the span over the gaps within far less).
const BEACON_SPAN_MARGIN: f64 = 1e-9;

/// What a beacon counts: one MAP operation, one GTP message type or (jittered) GTP Echo
/// between the same ends.
/// The ends are borrowed from the message's context and read field by field (a copy of
/// them, read back whole right after they were written, would stall on the stores).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BeaconKey<'p> {
    /// Operation code.
    Map(&'p Pair, u8),
    /// GTP version and message type.
    Gtp(&'p Pair, u8, u8),
    /// GTP version and message type of an Echo judged with jitter.
    Echo(&'p Pair, u8, u8),
}

impl BeaconKey<'_> {
    /// The key's 64-bit digest under the engine's seed: its kind and numbers with the
    /// kinds of both ends (17 bits each) in one word, then each end's value, then the upper
    /// halves of IPv6 ends (the only ends that have one; their kind says so).
    pub(super) fn digest(&self, seed: u64) -> u64 {
        let (kind, (from, to), a, b) = match *self {
            BeaconKey::Map(p, op) => (1u64, p, op, 0),
            BeaconKey::Gtp(p, v, t) => (2, p, v, t),
            BeaconKey::Echo(p, v, t) => (3, p, v, t),
        };
        let [fv, fk, fh] = from.words();
        let [tv, tk, th] = to.words();
        let first = kind | (u64::from(a) << 8) | (u64::from(b) << 16) | (fk << 24) | (tk << 44);
        let mut h = fold_mix(fold_mix(fold_mix(seed ^ first) ^ fv) ^ tv);
        if fh != 0 || th != 0 {
            h = fold_mix(fold_mix(h ^ fh) ^ th);
        }
        fold_mix(h ^ DIGEST_FINAL)
    }
}

/// Bits of a key's word ([`Key::word`]) holding the size of its first event.
const SIZE_BITS: u32 = 16;
/// [`Key::word`]: the key has a ring (`value` is its index in [`BeaconTable::rings`]);
/// without it, `value` is the time of the key's first event (the bits of an `f64`).
const RING_BIT: u64 = 1 << SIZE_BITS;
/// [`Key::word`]: the bits of the key's digest that tag it.
const TAG_MASK: u64 = !((RING_BIT << 1) - 1);
/// Shift of a tag's bits down to the place bits of its lookup key ([`lookup_key`]).
const TAG_SHIFT: u32 = SIZE_BITS + 1;
/// The tag of a digest whose tag bits are all clear.
const ZERO_TAG: u64 = RING_BIT << 1;

/// One key: its tag, whether it has a ring, and its first event (time, size) or ring.
#[derive(Debug, Clone, Copy, Default)]
struct Key {
    /// Tag | [`RING_BIT`] | size of the first event.
    word: u64,
    /// The first event's time (`f64` bits), or the ring's index.
    value: u64,
}

/// The key a tag is looked up by, its own hash: the tag with its bits above the size and
/// ring bits also brought down, where the log's index takes a key's place (a tag is 47 bits
/// of a well-mixed digest; its top bits, which the index keeps, stay as they are). One-to-one
/// (an xorshift), so two keys share a history only if the 47 tag bits of their 64-bit
/// digests agree.
const fn lookup_key(tag: u64) -> u64 {
    tag ^ (tag >> TAG_SHIFT)
}

impl Logged for Key {
    type Key = u64;
    fn key(&self) -> u64 {
        lookup_key(self.word & TAG_MASK)
    }
}

/// Every beacon key's events (see the module's text). Bounded: a full table (
/// [`MAX_STATE_KEYS`] keys) is emptied, counted as a state reset, before a new key would
/// grow it past that.
///
/// The keys (16 octets, the tag packed with the first event) are a [`KeyLog`]: kept in the
/// order they came and found through an index of 4-octet entries, so that the lookup of a
/// key never seen before (most events) reads only the index.
#[derive(Debug, Default)]
pub(super) struct BeaconTable {
    keys: KeyLog<Key, std::hash::BuildHasherDefault<DigestHasher>>,
    /// The rings of keys seen twice or more.
    rings: Vec<Beacon>,
}

impl BeaconTable {
    /// The tag of a digest (never zero).
    const fn tag(digest: u64) -> u64 {
        let t = digest & TAG_MASK;
        if t == 0 {
            ZERO_TAG
        } else {
            t
        }
    }

    /// Keys held.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.keys.len()
    }

    /// Record one event (`ts` seconds, `size` octets) of the key of `digest`: its ring with
    /// the event in it, `None` the first time the key is seen. `resets` counts a full table
    /// emptied.
    pub(super) fn event(
        &mut self,
        digest: u64,
        ts: f64,
        size: u16,
        resets: &mut u64,
    ) -> Option<&mut Beacon> {
        let tag = Self::tag(digest);
        let key = lookup_key(tag);
        if self.keys.len() >= MAX_STATE_KEYS && !self.keys.contains_key(&key) {
            self.keys.clear();
            self.rings.clear();
            *resets += 1;
        }
        let first = Key {
            word: tag | u64::from(size),
            value: ts.to_bits(),
        };
        let k = self.keys.get_or_insert_with(key, || first)?;
        if k.word & RING_BIT != 0 {
            let b = self.rings.get_mut(usize::try_from(k.value).ok()?)?;
            b.push(ts, size);
            return Some(b);
        }
        let (t0, s0) = (f64::from_bits(k.value), (k.word & (RING_BIT - 1)) as u16);
        k.word |= RING_BIT;
        k.value = self.rings.len() as u64;
        let mut b = Beacon::new();
        b.push(t0, s0);
        b.push(ts, size);
        self.rings.push(b);
        self.rings.last_mut()
    }
}

#[derive(Debug)]
pub(super) struct Beacon {
    /// Time of the key's first event in the ring (seconds): the times are offsets from it.
    base: f64,
    /// The last events, a ring written at `next`: times in milliseconds since `base`, sizes
    /// (saturated at 65,535 octets). No heap; nothing grows.
    times: [u32; BEACON_HISTORY],
    sizes: [u16; BEACON_HISTORY],
    next: u8,
    pub(super) count: u8,
    pub(super) alerted_at: Option<f64>,
}

impl Beacon {
    const fn new() -> Self {
        Beacon {
            base: 0.0,
            times: [0; BEACON_HISTORY],
            sizes: [0; BEACON_HISTORY],
            next: 0,
            count: 0,
            alerted_at: None,
        }
    }

    /// Record one event at `ts` (seconds). An event before the key's base, or further from
    /// it than a `u32` of milliseconds spans (49 days), starts the history afresh from it.
    fn push(&mut self, ts: f64, size: u16) {
        if self.count == 0 {
            self.base = ts;
        }
        let offset = (ts - self.base) * 1e3;
        if !(0.0..=f64::from(u32::MAX)).contains(&offset) {
            self.base = ts;
            self.next = 0;
            self.count = 0;
        }
        let ms = ((ts - self.base) * 1e3) as u32;
        let at = usize::from(self.next);
        if let (Some(t), Some(s)) = (self.times.get_mut(at), self.sizes.get_mut(at)) {
            *t = ms;
            *s = size;
        }
        self.next = ((at + 1) % BEACON_HISTORY) as u8;
        self.count = (usize::from(self.count) + 1).min(BEACON_HISTORY) as u8;
    }

    /// The size of the last event (`None` before the first).
    pub(super) fn last_size(&self) -> Option<u16> {
        if self.count == 0 {
            return None;
        }
        let at = (usize::from(self.next) + BEACON_HISTORY - 1) % BEACON_HISTORY;
        self.sizes.get(at).copied()
    }

    /// Whether the sizes of the last `n` events (fewer when fewer were seen) are all `size`
    /// (the sizes of [`Beacon::last`], without their times).
    pub(super) fn sizes_all(&self, n: usize, size: Option<u16>) -> bool {
        let n = n.min(usize::from(self.count));
        let start = usize::from(self.next) + BEACON_HISTORY - n;
        (0..n).all(|i| self.sizes.get((start + i) % BEACON_HISTORY).copied() == size)
    }

    /// The last `n` events (seconds since the key's base, size), oldest first
    /// (fewer when fewer were seen).
    pub(super) fn last(&self, n: usize) -> impl Iterator<Item = (f64, u16)> + '_ {
        let n = n.min(usize::from(self.count));
        let start = usize::from(self.next) + BEACON_HISTORY - n;
        (0..n).filter_map(move |i| {
            let at = (start + i) % BEACON_HISTORY;
            Some((f64::from(*self.times.get(at)?) / 1e3, *self.sizes.get(at)?))
        })
    }
}

impl Engine {
    /// Record one event for `key`; `Some(evidence)` the first time its last
    /// `beacon_min_events` events are regular in period and constant in size (again once the
    /// tagging of that alert has run out, at most an hour later).
    ///
    /// `subject` names what the event is about (a MAP operation's subscriber, folded to 16
    /// bits; 0 for none): the events must agree on it as on their size, so that one node's
    /// traffic about many subscribers at a steady rate (an SMSC's throttled deliveries) is
    /// no beacon, while polling one subscriber is.
    /// The event of the beacon key of `key` (its [`BeaconKey::digest`]) recorded; the
    /// timing when its last events are periodic.
    ///
    /// `tracking`: the events are lookups of one subscriber from abroad, judged with the
    /// jitter of [`BEACON_TRACKING_MAX_CV`] (a tracker spreads its polls; no service of the
    /// subscriber's own polls their whereabouts from another country).
    pub(super) fn beacon(
        &mut self,
        key: u64,
        ts: f64,
        size: Option<u64>,
        subject: u16,
        tracking: bool,
    ) -> Option<Value> {
        let t = &self.policy.thresholds;
        let (n, max_cv, min_period) = (
            t.beacon_min_events.min(BEACON_HISTORY),
            if tracking {
                t.beacon_max_cv.max(BEACON_TRACKING_MAX_CV)
            } else {
                t.beacon_max_cv
            },
            t.beacon_min_period_s,
        );
        // found again once the tagging of its last alert has run out (at most hourly), so
        // that a beacon of hours is reported whole
        let again = realert_after(t.tag_window_s, BEACON_REALERT_S);
        // only the last n events are judged; the history lives in the entry (no heap)
        let size16 = size.map_or(0, |s| u16::try_from(s).unwrap_or(u16::MAX));
        // the ring keeps the event's shape: its size with its subject folded in
        let b = self.beacon_slot(key, ts, size16 ^ subject)?;
        if usize::from(b.count) < n || n < 2 || b.alerted_at.is_some_and(|a| ts - a < again) {
            return None;
        }
        // cheap checks first, which settle most events of busy pairs: the sizes must all be
        // the same, and the n times must span at least n - 1 minimum periods (the mean of the
        // gaps below is their span over n - 1, within rounding: the margin keeps this exact)
        let last_size = b.last_size();
        if !b.sizes_all(n, last_size) {
            return None;
        }
        let count = (n - 1) as f64;
        if let (Some((t0, _)), Some((t1, _))) = (b.last(n).next(), b.last(1).next()) {
            if (t1 - t0) / count < min_period * (1.0 - BEACON_SPAN_MARGIN) {
                return None;
            }
        }
        // the last n timestamps: n - 1 gaps, mean and spread computed in place
        let gaps = || {
            b.last(n)
                .zip(b.last(n).skip(1))
                .map(|((a, _), (c, _))| c - a)
        };
        let mean = gaps().sum::<f64>() / count;
        if mean < min_period {
            return None;
        }
        let var = gaps().map(|g| (g - mean).powi(2)).sum::<f64>() / count;
        let cv = var.sqrt() / mean;
        // every shape was the same: the events were this one's size
        let last_size = last_size.map(|_| u64::from(size16));
        if cv <= max_cv {
            b.alerted_at = Some(ts);
            return Some(
                json!({"events": n, "period_s": round(mean, 3), "cv": round(cv, 3), "size": last_size}),
            );
        }
        None
    }

    /// The beacon history of the key of `digest` with this event (`ts`, `size`) recorded;
    /// `None` the first time the key is seen.
    pub(super) fn beacon_slot(&mut self, digest: u64, ts: f64, size: u16) -> Option<&mut Beacon> {
        self.beacons
            .event(digest, ts, size, &mut self.stats.state_resets)
    }
}

/// MAP errors after which a sender tries again later (the subscriber absent or busy, the
/// node failing for now): an SMSC's or A2P hub's retry schedule is periodic by design.
pub(super) const RETRIED_AFTER: [ErrorCode; 7] = [
    ErrorCode::ABSENT_SUBSCRIBER_SM,
    ErrorCode::ABSENT_SUBSCRIBER,
    ErrorCode::SUBSCRIBER_BUSY_FOR_MT_SMS,
    ErrorCode::SM_DELIVERY_FAILURE,
    ErrorCode::MESSAGE_WAITING_LIST_FULL,
    ErrorCode::SYSTEM_FAILURE,
    ErrorCode::BUSY_SUBSCRIBER,
];

/// Places of [`Retries`]' direct-mapped table of open dialogues.
const RETRY_TX_SLOTS: usize = 4096;

/// Whether a MAP beacon key's attempts are failing: a periodic run of the same operation
/// whose every earlier attempt was answered with an error the sender retries after
/// ([`RETRIED_AFTER`]) is a retry schedule, not a beacon. A tracker or an implant's beacon is
/// answered (or not at all); only a failing delivery is retried on a clock.
///
/// The answer names its dialogue by the requester's transaction id, not by the titles
/// (a lookup routed on the subscriber's number is answered from the HLR's own title), so the
/// Begin's key is kept by its transaction: direct-mapped, a lost place loses only the
/// exemption.
#[derive(Debug, Default)]
pub(super) struct Retries {
    /// (transaction, beacon key digest) of Begins, by transaction.
    open: Vec<(u64, u64)>,
    /// Failed attempts in a row per beacon key digest (keys with one failure or more).
    streak: HashMap<u64, u32>,
    /// Keys in `streak` whose run is not 0.
    failing: usize,
    /// (IMSI digest, beacon key digest, requester's title digest) of sendRoutingInfoForSM
    /// answers to a lookup whose Begin is in `open`, by IMSI: a delivery to that IMSI by the
    /// requester follows the lookup.
    routes: Vec<(u64, u64, u64)>,
    /// Of each sendRoutingInfoForSM beacon key with a delivery seen: one bit per lookup, the
    /// latest lowest, set when the lookup was followed by its delivery (the last 32 lookups).
    delivered: HashMap<u64, u32>,
}

impl Retries {
    /// A Begin of transaction `tx` invoked the operation of beacon key `digest`.
    pub(super) fn asked(&mut self, tx: u64, digest: u64) {
        if self.open.is_empty() {
            self.open = vec![(0, 0); RETRY_TX_SLOTS];
        }
        if let Some(slot) = self.open.get_mut(tx as usize % RETRY_TX_SLOTS) {
            *slot = (tx, digest);
        }
    }

    /// Some beacon key has failed attempts in a row (a success may end a run).
    pub(super) fn failing(&self) -> bool {
        self.failing > 0
    }

    /// Transaction `tx` was answered: `failed` when with an error retried after.
    pub(super) fn answered(&mut self, tx: u64, failed: bool, resets: &mut u64) {
        let Some(&(t, digest)) = self.open.get(tx as usize % RETRY_TX_SLOTS) else {
            return;
        };
        if t != tx || tx == 0 {
            return;
        }
        if failed {
            if !self.streak.contains_key(&digest) {
                bounded(&mut self.streak, resets);
                if self.streak.is_empty() {
                    self.failing = 0;
                }
            }
            let n = self.streak.entry(digest).or_default();
            if *n == 0 {
                self.failing += 1;
            }
            *n += 1;
        } else if let Some(n) = self.streak.get_mut(&digest).filter(|n| **n > 0) {
            *n = 0;
            self.failing = self.failing.saturating_sub(1);
        }
    }

    /// A sendRoutingInfoForSM of the beacon key of `digest` was asked: a new lookup in its
    /// record of deliveries, not delivered yet (only keys that had a delivery are kept).
    pub(super) fn lookup(&mut self, digest: u64) {
        if self.delivered.is_empty() {
            return;
        }
        if let Some(bits) = self.delivered.get_mut(&digest) {
            *bits <<= 1;
        }
    }

    /// A sendRoutingInfoForSM of transaction `tx`, asked by `requester`, was answered with
    /// `imsi` (its digest): a short message the requester delivers to that IMSI next is the
    /// lookup's delivery.
    pub(super) fn routed(&mut self, tx: u64, imsi: u64, requester: Option<&Party<'_>>) {
        let requester = title_digest(requester);
        let Some(&(t, digest)) = self.open.get(tx as usize % RETRY_TX_SLOTS) else {
            return;
        };
        if t != tx || tx == 0 {
            return;
        }
        if self.routes.is_empty() {
            self.routes = vec![(0, 0, 0); RETRY_TX_SLOTS];
        }
        if let Some(slot) = self.routes.get_mut(imsi as usize % RETRY_TX_SLOTS) {
            *slot = (imsi, digest, requester);
        }
    }

    /// `sender` delivered a short message to the IMSI of digest `imsi`: the lookup it
    /// routed, if that title asked it, is marked delivered.
    pub(super) fn delivered_to(&mut self, imsi: u64, sender: Option<&Party<'_>>, resets: &mut u64) {
        let sender = title_digest(sender);
        let Some(&(i, digest, requester)) = self.routes.get(imsi as usize % RETRY_TX_SLOTS) else {
            return;
        };
        if i != imsi || imsi == 0 || requester != sender {
            return;
        }
        if let Some(slot) = self.routes.get_mut(imsi as usize % RETRY_TX_SLOTS) {
            *slot = (0, 0, 0);
        }
        if !self.delivered.contains_key(&digest) {
            bounded(&mut self.delivered, resets);
        }
        *self.delivered.entry(digest).or_default() |= 1;
    }

    /// Were at least half of the `events - 1` lookups before this one (the rest of a beacon's
    /// run) followed by the short message they routed, delivered by the title that asked?
    /// An SMS service's periodic deliveries to one subscriber (alerts, codes), not a lookup
    /// polled for the subscriber's whereabouts.
    pub(super) fn delivering(&self, digest: u64, events: usize) -> bool {
        let earlier = events.saturating_sub(1).min(u32::BITS as usize - 1);
        // bit 0 is this lookup's (not answered yet); bits 1..=earlier the run's before it
        let mask = ((1u64 << (earlier + 1)) - 2) as u32;
        !self.delivered.is_empty()
            && self
                .delivered
                .get(&digest)
                .is_some_and(|bits| (bits & mask).count_ones() as usize * 2 >= earlier)
    }

    /// Were the `events - 1` attempts before this one (the rest of a beacon's run) all
    /// answered with errors retried after?
    pub(super) fn retrying(&self, digest: u64, events: usize) -> bool {
        self.streak
            .get(&digest)
            .is_some_and(|n| *n as usize + 1 >= events)
    }
}

/// A party's title digits as one digest (0 without a title): who asked a lookup, who
/// delivered its short message.
fn title_digest(p: Option<&Party<'_>>) -> u64 {
    p.and_then(|p| p.digits.as_ref())
        .map_or(0, |d| octets_digest(d.as_bytes()))
}

/// The transaction a MAP message names at its requester `requester` (the Begin's calling
/// party, the answer's called party: its global title digits, else its point code): for a
/// Begin (`begin`) its own id, for an answer the destination id (the requester's); never 0.
/// Not keyed by the IP or point-code ends of the message: at a signalling transfer point the
/// answer comes in on another association than the request.
pub(super) fn requester_tx(
    m: &Message<'_>,
    begin: bool,
    requester: Option<&Party<'_>>,
) -> Option<u64> {
    let t = m.tcap.as_ref()?;
    let Tcap::Itu(x) = &t.tcap else {
        return None;
    };
    let id = match (begin, x.otid, x.dtid) {
        (true, Some(o), None) => o,
        (false, _, Some(d)) => d,
        _ => return None,
    };
    let p = requester?;
    let mut h = u64::from(id.value()) | ((id.0.len() as u64) << 32);
    match (&p.digits, p.address.pc) {
        (Some(d), _) => h = fold_words(h, d.as_bytes()),
        (None, Some(pc)) => h = fold_mix(h ^ (u64::from(pc) << 40) ^ 1),
        (None, None) => return None,
    }
    Some(fold_mix(h ^ DIGEST_FINAL) | 1)
}

#[cfg(test)]
mod beacon_tests {
    use super::*;

    /// Times are kept relative to the key's own first event: regular gaps stay regular however
    /// long the engine has run, and an event out of order or 49 days away restarts the ring.
    #[test]
    fn ring_keeps_gaps_far_from_the_engine_start() {
        let mut b = Beacon::new();
        let start = 60.0 * 86_400.0; // 60 days in
        for i in 0..20 {
            b.push(start + f64::from(i) * 30.0, 100);
        }
        let gaps: Vec<f64> = b
            .last(8)
            .zip(b.last(8).skip(1))
            .map(|((a, _), (c, _))| c - a)
            .collect();
        assert_eq!(gaps.len(), 7);
        assert!(gaps.iter().all(|g| (g - 30.0).abs() < 1e-9), "{gaps:?}");
        // an event before the base starts afresh
        b.push(start - 10.0, 1);
        assert_eq!(b.count, 1);
        // and one 50 days later too
        b.push(start + 50.0 * 86_400.0, 1);
        assert_eq!(b.count, 1);
    }

    /// A reference: every key's events in a plain map (a ring of the last
    /// [`BEACON_HISTORY`]), against which the table is checked event by event.
    #[derive(Default)]
    struct Model(std::collections::HashMap<u64, Vec<(f64, u16)>>);

    impl Model {
        /// `None` for a key's first event, else (events kept, their sizes and times).
        fn event(&mut self, digest: u64, ts: f64, size: u16) -> Option<Vec<(f64, u16)>> {
            let v = self.0.entry(BeaconTable::tag(digest)).or_default();
            v.push((ts, size));
            (v.len() > 1).then(|| {
                let mut b = Beacon::new();
                for (t, s) in v.iter() {
                    b.push(*t, *s);
                }
                b.last(BEACON_HISTORY).collect()
            })
        }
    }

    /// Keys from a small set of well-mixed digests (so that they repeat), times increasing.
    fn events() -> impl proptest::strategy::Strategy<Value = Vec<(u64, f64, u16)>> {
        use proptest::prelude::*;
        proptest::collection::vec((0u64..600, 0.0f64..5.0, 0u16..4), 0..3000).prop_map(|v| {
            let mut ts = 0.0;
            v.into_iter()
                .map(|(k, gap, size)| {
                    ts += gap;
                    (super::super::fold_mix(k ^ 0x5eed), ts, size)
                })
                .collect()
        })
    }

    proptest::proptest! {
        /// The table answers every event as the map does, while it grows from its first
        /// slots to hold hundreds of keys.
        #[test]
        fn table_agrees_with_a_map(evs in events()) {
            let (mut table, mut model, mut resets) = (BeaconTable::default(), Model::default(), 0);
            for (d, ts, size) in evs {
                let got = table.event(d, ts, size, &mut resets).map(|b| b.last(BEACON_HISTORY).collect::<Vec<_>>());
                proptest::prop_assert_eq!(got, model.event(d, ts, size));
            }
            proptest::prop_assert_eq!(resets, 0);
            proptest::prop_assert_eq!(table.len(), model.0.len());
        }
    }

    /// Keys whose digests differ only in one tag bit (above the places of a small index,
    /// below the top bits) are told apart: each keeps its own history.
    #[test]
    fn keys_of_one_fragment_and_place_stay_apart() {
        let (mut t, mut resets) = (BeaconTable::default(), 0);
        let a = 0x1234_5678_9abc_def0_u64;
        // bit 40 is a tag bit
        let b = a ^ (1 << 40);
        assert_ne!(BeaconTable::tag(a), BeaconTable::tag(b));
        assert!(t.event(a, 1.0, 1, &mut resets).is_none());
        assert!(t.event(b, 2.0, 2, &mut resets).is_none(), "a new key");
        let got = |t: &mut BeaconTable, d, ts| {
            t.event(d, ts, 9, &mut 0)
                .map(|r| r.last(BEACON_HISTORY).collect::<Vec<_>>())
        };
        assert_eq!(got(&mut t, a, 3.0), Some(vec![(0.0, 1), (2.0, 9)]));
        assert_eq!(got(&mut t, b, 4.0), Some(vec![(0.0, 2), (2.0, 9)]));
        assert_eq!(t.len(), 2);
    }

    /// Digests whose tag bits are all clear are keys too (an empty slot is a zero word), and
    /// a full table is emptied before a new key would grow it past [`MAX_STATE_KEYS`].
    #[test]
    fn zero_tags_and_full_tables() {
        let (mut t, mut resets) = (BeaconTable::default(), 0);
        assert!(t.event(0, 1.0, 7, &mut resets).is_none());
        assert_eq!(t.event(0, 2.0, 7, &mut resets).map(|b| b.count), Some(2));
        for k in 1..MAX_STATE_KEYS as u64 {
            assert!(t
                .event(super::super::fold_mix(k), 3.0, 1, &mut resets)
                .is_none());
        }
        assert_eq!((t.len(), resets), (MAX_STATE_KEYS, 0));
        assert!(t.event(u64::MAX, 4.0, 1, &mut resets).is_none());
        assert_eq!((t.len(), resets), (1, 1));
        assert!(
            t.event(0, 5.0, 7, &mut resets).is_none(),
            "emptied with the rest"
        );
    }
}
