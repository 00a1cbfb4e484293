//! Flows: the exchange a message belongs to (a TCAP transaction, GTP traffic between two
//! peers, an SCTP association, an IP pair), named by a stable `flow_id`, and the tagging of
//! a flagged flow's other messages so that an analyst gets the attacker's whole exchange —
//! the request before the alert, the victim's responses after it — and not one message.
//!
//! Nothing here is computed per message unless a flow is flagged: a message's flow parts are
//! copied (no hashing) into a small ring of recent messages, and hashed only when an alert
//! fires or while some flow is flagged.

use std::hash::Hash;
use std::net::IpAddr;

use foldhash::HashMap;
use sigscope_decode::Message;
use sigscope_tcap::Tcap;

use crate::alert::SigRef;

/// Recent messages remembered (their flow parts only) so that the messages of a flow that
/// came before its first alert can be reported with it.
pub const RECENT_MESSAGES: usize = 64;
/// Most flow keys flagged at once (a full table is emptied, counted as a state reset).
pub const MAX_FLAGGED_KEYS: usize = 16_384;
/// `flow_id` values are kept below 2^52 so that every JSON reader holds them exactly.
const FLOW_ID_MASK: u64 = (1 << 52) - 1;
/// Fixed seed of flow hashes: the same capture gives the same `flow_id`s on every run.
const FLOW_SEED: u64 = 0x5167_5c0b_e000_f10f;
/// Bits of [`FlowParts::ends_bit`] (the filter holds `1 << ENDS_FILTER_BITS` bits: 512
/// octets, read on every message while a flow is flagged, stay in the data cache).
const ENDS_FILTER_BITS: u32 = 12;
/// Words of the filter of flagged flows' ends (one bit per [`FlowParts::ends_bit`]).
const ENDS_FILTER_WORDS: usize = (1 << ENDS_FILTER_BITS) / u64::BITS as usize;
/// Odd multiplier spreading a flow's ends over the filter.
const ENDS_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// What kind of exchange a flow is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlowKind {
    /// One TCAP transaction (both transaction ids) between the same peers.
    Tcap,
    /// GTP between two addresses (control and user plane).
    Gtp,
    /// One SCTP association (addresses and ports).
    Sctp,
    /// Anything else between two addresses.
    Ip,
}

impl FlowKind {
    /// The name evidence uses.
    pub const fn name(self) -> &'static str {
        match self {
            FlowKind::Tcap => "tcap_transaction",
            FlowKind::Gtp => "gtp_peers",
            FlowKind::Sctp => "sctp_association",
            FlowKind::Ip => "ip_pair",
        }
    }
}

/// One round of a 64-bit finaliser (splitmix64's).
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A transaction id as a value: its first four octets and its length.
type Tid = (u32, u8);

/// What names a message's flow, copied out of the message (nothing hashed yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowParts {
    kind: FlowKind,
    /// The two ends in a direction-independent order (address, port).
    a: (Option<IpAddr>, u16),
    b: (Option<IpAddr>, u16),
    /// The point codes in a direction-independent order (0 without MTP3).
    pcs: (u32, u32),
    /// Originating and destination transaction ids (TCAP): their values, and their lengths
    /// plus one (0: no id), so that a message's parts stay small in the ring of recent ones.
    tids: [u32; 2],
    tid_lens: [u16; 2],
}

fn tid(t: Option<sigscope_tcap::TransactionId<'_>>) -> Option<Tid> {
    t.map(|t| (t.value(), t.0.len().min(usize::from(u8::MAX)) as u8))
}

/// A transaction id as stored in [`FlowParts`] (value, length plus one; 0 without one).
fn stored(t: Option<Tid>) -> (u32, u16) {
    t.map_or((0, 0), |(v, l)| (v, u16::from(l) + 1))
}

/// A transaction id back from its stored form.
fn loaded(v: u32, l: u16) -> Option<Tid> {
    (l != 0).then(|| (v, (l - 1) as u8))
}

impl FlowParts {
    /// The flow parts of a message.
    pub fn of(m: &Message<'_>) -> FlowParts {
        let (otid, dtid) = match m.tcap.map(|t| &t.tcap) {
            Some(Tcap::Itu(t)) => (tid(t.otid), tid(t.dtid)),
            Some(Tcap::Ansi(t)) => (tid(t.otid), tid(t.rtid)),
            None => (None, None),
        };
        let kind = if otid.is_some() || dtid.is_some() {
            FlowKind::Tcap
        } else if m.gtp.is_some() {
            FlowKind::Gtp
        } else if m.sctp.is_some() {
            FlowKind::Sctp
        } else {
            FlowKind::Ip
        };
        // GTP peers are named by their addresses alone (requests come from any port)
        let ports = kind != FlowKind::Gtp;
        // the ends in order, chosen from the message's own fields (not from ends built and
        // compared first: reading those back whole right after writing them stalls)
        let (a, b) = match &m.endpoints {
            Some(e) => {
                let (sp, dp) = if ports { (e.sport, e.dport) } else { (0, 0) };
                let ((x, xp), (y, yp)) = if (e.src, sp) <= (e.dst, dp) {
                    ((&e.src, sp), (&e.dst, dp))
                } else {
                    ((&e.dst, dp), (&e.src, sp))
                };
                ((Some(*x), xp), (Some(*y), yp))
            }
            None => ((None, 0), (None, 0)),
        };
        let pcs = m.mtp3.map_or((0, 0), |l| {
            if l.opc <= l.dpc {
                (l.opc, l.dpc)
            } else {
                (l.dpc, l.opc)
            }
        });
        FlowParts::new(kind, a, b, pcs, otid, dtid)
    }

    /// Parts from their values.
    fn new(
        kind: FlowKind,
        a: (Option<IpAddr>, u16),
        b: (Option<IpAddr>, u16),
        pcs: (u32, u32),
        otid: Option<Tid>,
        dtid: Option<Tid>,
    ) -> FlowParts {
        let (o, ol) = stored(otid);
        let (d, dl) = stored(dtid);
        FlowParts {
            kind,
            a,
            b,
            pcs,
            tids: [o, d],
            tid_lens: [ol, dl],
        }
    }

    /// The originating transaction id.
    fn otid(&self) -> Option<Tid> {
        let ([v, _], [l, _]) = (self.tids, self.tid_lens);
        loaded(v, l)
    }

    /// The destination transaction id.
    fn dtid(&self) -> Option<Tid> {
        let ([_, v], [_, l]) = (self.tids, self.tid_lens);
        loaded(v, l)
    }

    /// What kind of flow.
    pub const fn kind(&self) -> FlowKind {
        self.kind
    }

    /// The filter bit of the flow's ends (addresses and point codes, as ordered): every key
    /// of a flow (see [`FlowParts::keys`]) hashes these among its parts, so flows that share
    /// a key share the bit. A few multiplications, against the mixing rounds of the keys.
    fn ends_bit(&self) -> usize {
        let ip = |a: Option<IpAddr>| match a {
            Some(IpAddr::V4(v)) => u64::from(u32::from(v)),
            Some(IpAddr::V6(v)) => u128::from(v) as u64,
            None => 0,
        };
        let pcs = (u64::from(self.pcs.0) << 32) | u64::from(self.pcs.1);
        let h = (ip(self.a.0) ^ ip(self.b.0).rotate_left(23) ^ pcs.rotate_left(47))
            .wrapping_mul(ENDS_MULTIPLIER);
        (h >> (u64::BITS - ENDS_FILTER_BITS)) as usize
    }

    /// The hash of the flow's ends (kind, addresses, ports, point codes): a few
    /// multiply-xorshift rounds over the parts as integers, stable across runs and cheap
    /// enough to run on every message while a flow is flagged.
    fn base(&self) -> u64 {
        let ip = |a: Option<IpAddr>| match a {
            Some(IpAddr::V4(v)) => u128::from(u32::from(v)) | (1 << 64),
            Some(IpAddr::V6(v)) => u128::from(v),
            None => 0,
        };
        let (a, b) = (ip(self.a.0), ip(self.b.0));
        let words = [
            self.kind as u64,
            a as u64,
            (a >> 64) as u64,
            b as u64,
            (b >> 64) as u64,
            (u64::from(self.a.1) << 16) | u64::from(self.b.1),
            (u64::from(self.pcs.0) << 32) | u64::from(self.pcs.1),
        ];
        words.iter().fold(FLOW_SEED, |h, w| mix(h ^ w))
    }

    fn with(base: u64, extra: Option<Tid>) -> u64 {
        mix(base ^ extra.map_or(u64::MAX, |(v, l)| (u64::from(v) << 8) | u64::from(l)))
    }

    fn hash_with(&self, extra: Option<Tid>) -> u64 {
        Self::with(self.base(), extra)
    }

    /// The flow's `flow_id`: a TCAP transaction is named by the id its initiator chose
    /// (the destination id of a response, the originating id of a Begin).
    pub fn flow_id(&self) -> u64 {
        let id = match self.kind {
            FlowKind::Tcap => self.hash_with(self.dtid().or(self.otid())),
            _ => self.hash_with(None),
        };
        (id & FLOW_ID_MASK).max(1)
    }

    /// The keys a flagged flow is found by: one per transaction id for TCAP (the two sides
    /// of a transaction each name it by their own id), else one.
    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        let tcap = self.kind == FlowKind::Tcap;
        let base = self.base();
        let one = (!tcap).then(|| Self::with(base, None));
        let o = self
            .otid()
            .filter(|_| tcap)
            .map(|t| Self::with(base, Some(t)));
        let d = self
            .dtid()
            .filter(|_| tcap)
            .map(|t| Self::with(base, Some(t)));
        one.into_iter().chain(o).chain(d)
    }
}

/// A flagged flow, as found by one of its keys.
#[derive(Debug, Clone)]
pub struct Flag {
    /// The signature (built-in or operator rule) that flagged it.
    pub sig: SigRef,
    /// Its `flow_id` (the alert's).
    pub flow_id: u64,
    /// Frame of the alert that flagged it.
    pub alert_frame: u64,
    /// Tagging ends at this capture time (seconds).
    pub until: f64,
    /// Messages still to be tagged.
    pub left: u32,
}

/// One recent message: enough to report it later as a tagged member of a flow. Kept small
/// (every message is written to the ring): its addresses are its flow's, in order.
#[derive(Debug, Clone, Copy)]
pub struct Recent {
    /// Frame number.
    pub frame: u64,
    /// Capture time (nanoseconds).
    pub ts_nanos: u64,
    /// Its flow.
    pub parts: FlowParts,
    /// Source and destination ports (with `ENDPOINTS`).
    ports: (u16, u16),
    /// `ENDPOINTS`: the message has addresses (its flow's ends); `SWAPPED`: the source is
    /// the flow's second end.
    ends: u8,
    /// Already reported (alerted or tagged).
    pub reported: bool,
}

/// [`Recent::ends`]: the message has addresses.
const ENDPOINTS: u8 = 1;
/// [`Recent::ends`]: the message's source is its flow's second end.
const SWAPPED: u8 = 2;

impl Recent {
    /// The recent-message record of `m`.
    pub fn of(m: &Message<'_>, parts: FlowParts) -> Recent {
        let (ports, ends) = match m.endpoints {
            // the flow's ends are the addresses in order: the source is the first unless
            // they were swapped
            Some(e) => (
                (e.sport, e.dport),
                ENDPOINTS | if parts.a.0 == Some(e.src) { 0 } else { SWAPPED },
            ),
            None => ((0, 0), 0),
        };
        Recent {
            frame: m.frame,
            ts_nanos: m.ts_nanos,
            parts,
            ports,
            ends,
            reported: false,
        }
    }

    /// A message named by frame and time only (no addresses), of the flow of `parts`.
    pub fn named(frame: u64, ts_nanos: u64, parts: FlowParts, reported: bool) -> Recent {
        Recent {
            frame,
            ts_nanos,
            parts,
            ports: (0, 0),
            ends: 0,
            reported,
        }
    }

    fn addresses(&self) -> Option<(Option<IpAddr>, Option<IpAddr>)> {
        let (a, b) = (self.parts.a.0, self.parts.b.0);
        match self.ends {
            0 => None,
            ENDPOINTS => Some((a, b)),
            _ => Some((b, a)),
        }
    }

    /// Source address.
    pub fn src(&self) -> Option<IpAddr> {
        self.addresses().and_then(|(s, _)| s)
    }

    /// Destination address.
    pub fn dst(&self) -> Option<IpAddr> {
        self.addresses().and_then(|(_, d)| d)
    }

    /// Source port.
    pub fn sport(&self) -> Option<u16> {
        (self.ends != 0).then_some(self.ports.0)
    }

    /// Destination port.
    pub fn dport(&self) -> Option<u16> {
        (self.ends != 0).then_some(self.ports.1)
    }
}

/// Flagged flows and the ring of recent messages.
#[derive(Debug)]
pub struct Flows {
    flagged: HashMap<u64, Flag>,
    /// The ends bits (see [`FlowParts::ends_bit`]) of every flow a key was flagged for since
    /// the table was last empty: a flow whose bit is clear has no flagged key, and its keys
    /// are not even computed.
    ends: Vec<u64>,
    recent: arrayvec::ArrayVec<Recent, RECENT_MESSAGES>,
    /// Where the next recent message goes once the ring is full.
    next: usize,
}

impl Default for Flows {
    fn default() -> Self {
        Flows {
            flagged: HashMap::default(),
            ends: vec![0; ENDS_FILTER_WORDS],
            recent: arrayvec::ArrayVec::new(),
            next: 0,
        }
    }
}

impl Flows {
    /// Whether the flow of `parts` may have a flagged key (its ends bit is set).
    fn may_be_flagged(&self, parts: &FlowParts) -> bool {
        let bit = parts.ends_bit();
        self.ends
            .get(bit / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }

    /// Keys of the flow of `parts` are (about to be) in the table.
    fn mark(&mut self, parts: &FlowParts) {
        let bit = parts.ends_bit();
        if let Some(w) = self.ends.get_mut(bit / 64) {
            *w |= 1 << (bit % 64);
        }
    }

    /// The table was emptied: no flow has a flagged key.
    fn unmark_all(&mut self) {
        self.ends.fill(0);
    }

    /// Whether any flow is flagged.
    pub fn any_flagged(&self) -> bool {
        !self.flagged.is_empty()
    }

    /// The flag of the flow of `parts`, if flagged and still within its bounds at `ts`.
    #[inline]
    pub fn flag_of(&mut self, parts: &FlowParts, ts: f64) -> Option<Flag> {
        if self.flagged.is_empty() || !self.may_be_flagged(parts) {
            return None;
        }
        self.flag_of_flagged(parts, ts)
    }

    /// [`Flows::flag_of`] of a flow that may be flagged (out of line: most flows are not).
    #[cold]
    #[inline(never)]
    fn flag_of_flagged(&mut self, parts: &FlowParts, ts: f64) -> Option<Flag> {
        let mut found = None;
        for k in parts.keys() {
            match self.flagged.get(&k) {
                Some(f) if ts <= f.until && f.left > 0 => {
                    found = Some(f.clone());
                    break;
                }
                Some(_) => {
                    self.flagged.remove(&k);
                }
                None => {}
            }
        }
        if self.flagged.is_empty() {
            self.unmark_all();
        }
        found
    }

    /// Flag the flow of `parts` (every key of it) with `flag`; returns whether it was
    /// flagged already by this signature. `resets` counts a full table emptied.
    pub fn flag(&mut self, parts: &FlowParts, flag: Flag, resets: &mut u64) -> bool {
        let mut had = false;
        for k in parts.keys() {
            if self.flagged.len() >= MAX_FLAGGED_KEYS {
                self.flagged.clear();
                self.unmark_all();
                *resets += 1;
            }
            match self.flagged.get_mut(&k) {
                Some(f) if f.sig.id() == flag.sig.id() => {
                    had = true;
                    f.until = f.until.max(flag.until);
                }
                Some(f) => *f = flag.clone(),
                None => {
                    self.flagged.insert(k, flag.clone());
                }
            }
        }
        self.mark(parts);
        had
    }

    /// One message of a flagged flow was tagged: count it against every key of the flow, and
    /// add keys the message brings (a responder's transaction id).
    pub fn tagged(&mut self, parts: &FlowParts, flag: &Flag) {
        let mut left = flag.left.saturating_sub(1);
        for k in parts.keys() {
            if let Some(f) = self.flagged.get_mut(&k) {
                left = left.min(f.left.saturating_sub(1));
            }
        }
        for k in parts.keys() {
            if self.flagged.len() < MAX_FLAGGED_KEYS || self.flagged.contains_key(&k) {
                self.flagged.insert(
                    k,
                    Flag {
                        left,
                        ..flag.clone()
                    },
                );
            }
        }
        self.mark(parts);
    }

    /// Remember a message (the ring keeps the last [`RECENT_MESSAGES`]).
    pub fn remember(&mut self, r: Recent) {
        if self.recent.is_full() {
            if let Some(slot) = self.recent.get_mut(self.next) {
                *slot = r;
            }
            self.next = (self.next + 1) % RECENT_MESSAGES;
        } else {
            self.recent.push(r);
        }
    }

    /// Earlier messages of the flow of `parts` not yet reported, seen at or after
    /// `since_nanos`, oldest first; each is marked reported. At most `max`.
    pub fn earlier(&mut self, parts: &FlowParts, since_nanos: u64, max: u32) -> Vec<Recent> {
        let keys: arrayvec::ArrayVec<u64, 3> = parts.keys().collect();
        let mut out = Vec::new();
        let n = self.recent.len();
        let start = if self.recent.is_full() { self.next } else { 0 };
        for i in 0..n {
            if out.len() >= max as usize {
                break;
            }
            let Some(r) = self.recent.get_mut((start + i) % n.max(1)) else {
                continue;
            };
            if r.reported || r.ts_nanos < since_nanos {
                continue;
            }
            if r.parts.keys().any(|k| keys.contains(&k)) {
                r.reported = true;
                out.push(*r);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(kind: FlowKind, otid: Option<u32>, dtid: Option<u32>, swap: bool) -> FlowParts {
        let x = (Some(IpAddr::from([10, 0, 0, 1])), 2905);
        let y = (Some(IpAddr::from([10, 0, 0, 2])), 2906);
        let (a, b) = if swap { (y, x) } else { (x, y) };
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        FlowParts::new(
            kind,
            a,
            b,
            (1, 2),
            otid.map(|v| (v, 4)),
            dtid.map(|v| (v, 4)),
        )
    }

    /// A Begin, the responder's Continue, the initiator's next Continue and the End share
    /// keys pairwise, so a flag set on any of them reaches the others; the flow_id of the
    /// Begin and of the responder's messages is the same.
    #[test]
    fn transaction_messages_share_keys_and_id() {
        let begin = parts(FlowKind::Tcap, Some(0xA), None, false);
        let cont_resp = parts(FlowKind::Tcap, Some(0xB), Some(0xA), true);
        let cont_init = parts(FlowKind::Tcap, Some(0xA), Some(0xB), false);
        let end_resp = parts(FlowKind::Tcap, None, Some(0xA), true);
        assert_eq!(begin.flow_id(), cont_resp.flow_id());
        assert_eq!(begin.flow_id(), end_resp.flow_id());
        let kb: Vec<u64> = begin.keys().collect();
        assert!(cont_resp.keys().any(|k| kb.contains(&k)));
        let kr: Vec<u64> = cont_resp.keys().collect();
        assert!(cont_init.keys().any(|k| kr.contains(&k)));
        // another transaction between the same peers is another flow
        let other = parts(FlowKind::Tcap, Some(0xC), None, false);
        assert_ne!(other.flow_id(), begin.flow_id());
        assert!(!other.keys().any(|k| kb.contains(&k)));
        assert!(begin.flow_id() <= FLOW_ID_MASK && begin.flow_id() > 0);
    }

    #[test]
    fn flags_expire_and_count_down() {
        let sig = SigRef::Builtin(&crate::signatures::FS11_CATEGORY1);
        let mut f = Flows::default();
        let p = parts(FlowKind::Gtp, None, None, false);
        let q = parts(FlowKind::Gtp, None, None, true);
        let flag = Flag {
            sig,
            flow_id: p.flow_id(),
            alert_frame: 1,
            until: 10.0,
            left: 2,
        };
        let mut resets = 0;
        assert!(!f.flag(&p, flag.clone(), &mut resets));
        assert!(f.flag(&p, flag.clone(), &mut resets));
        let got = f.flag_of(&q, 5.0).unwrap();
        f.tagged(&q, &got);
        let got = f.flag_of(&q, 6.0).unwrap();
        f.tagged(&q, &got);
        assert!(f.flag_of(&q, 7.0).is_none(), "count spent");
        assert!(!f.any_flagged());
        f.flag(&p, flag, &mut resets);
        assert!(f.flag_of(&q, 11.0).is_none(), "window over");
    }

    #[test]
    fn ring_returns_earlier_members_once() {
        let mut f = Flows::default();
        let p = parts(FlowKind::Sctp, None, None, false);
        let other = FlowParts { pcs: (7, 8), ..p };
        for i in 0..(RECENT_MESSAGES as u64 + 10) {
            f.remember(Recent::named(
                i + 1,
                i,
                if i % 2 == 0 { p } else { other },
                false,
            ));
        }
        let got = f.earlier(&p, 0, 1000);
        assert_eq!(got.len(), RECENT_MESSAGES / 2);
        assert!(got.windows(2).all(|w| w[0].frame < w[1].frame));
        assert!(f.earlier(&p, 0, 1000).is_empty());
    }
}
