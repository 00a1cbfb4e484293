//! Attackers a finding names: the address of a GTP scanner or tunnel prober, the calling
//! global title of a foreign location enquirer or harvester. An attacker's exchange spans
//! many flows (a sweep asks a different host in each, a harvester opens a transaction per
//! subscriber), so once a finding names its attacker, the attacker's other messages — to and
//! from it, within `tag_window_s` and at most `tag_max_per_flow` of them — are reported as
//! tagged members of that finding, and each one's own flow is flagged with it (the victim's
//! answers follow).
//!
//! Nothing is looked up per message while no attacker is named (the table is empty).

use std::net::IpAddr;

use foldhash::HashMap;
use sigscope_decode::{Message, Party};
use sigscope_tcap::{MessageType, Tcap};

use super::flow::{Filter, Flag, Recent};
use super::keys::DigitKey;

/// Most attackers named at once (a full table is emptied, counted as a state reset).
pub const MAX_ACTORS: usize = 1024;
/// Transactions a named title opened that are remembered (the latest), so that answers to
/// them are found on whatever association they leave by.
pub const ACTOR_TRANSACTIONS: usize = 16;

/// The link a message came over from one of its ends: that end's IP address, else its
/// point code (0 when the message has neither: any link then matches).
fn link_of(m: &Message<'_>, sender: bool) -> u64 {
    if let Some(e) = m.endpoints {
        return ip_value(if sender { e.src } else { e.dst }) | (1 << 63);
    }
    m.mtp3.map_or(0, |l| {
        u64::from(if sender { l.opc } else { l.dpc }) | (1 << 62)
    })
}

/// A message's originating (`origin`) or destination transaction id as one value
/// (value and length), `None` without one.
fn tid_of(m: &Message<'_>, origin: bool) -> Option<u64> {
    let Some(Tcap::Itu(x)) = m.tcap.map(|t| &t.tcap) else {
        return None;
    };
    let (v, len) = super::flow::tid(if origin { x.otid } else { x.dtid })?;
    Some(u64::from(v) | (u64::from(len) << 32))
}

/// A named title's finding, the link its messages came over, and the transactions it
/// opened there.
#[derive(Debug, Clone)]
struct Named {
    flag: Flag,
    link: u64,
    opened: arrayvec::ArrayVec<u64, ACTOR_TRANSACTIONS>,
}

impl Named {
    fn opened(&mut self, tid: Option<u64>) {
        let Some(t) = tid else { return };
        if self.opened.contains(&t) {
            return;
        }
        if self.opened.is_full() {
            self.opened.remove(0);
        }
        self.opened.push(t);
    }
}

/// An attacker as a finding names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// An IP address (GTP scanner, tunnel prober).
    Ip(IpAddr),
    /// A calling global title ([`Actor::gt`]): its key, and its value in the filter of
    /// named titles.
    Gt(DigitKey, u64),
}

impl Actor {
    /// The actor of a party's global title: its digits, less the filler a GTI 2 title's
    /// odd count of digits leaves as a trailing 0 (so that one title is one actor whichever
    /// form it comes in).
    pub fn gt(p: &Party<'_>) -> Option<Actor> {
        let d = p.digits.as_ref()?;
        Some(Actor::Gt(super::harvest::harvest_key(p, d), gt_value(p)?))
    }

    /// Whether a remembered message (its addresses) is this actor's.
    pub fn sent_or_got(&self, r: &Recent) -> bool {
        match self {
            Actor::Ip(ip) => r.src() == Some(*ip) || r.dst() == Some(*ip),
            Actor::Gt(..) => false,
        }
    }
}

/// The filter value of an address (its bits folded into one word).
pub(super) fn ip_value(ip: IpAddr) -> u64 {
    match ip {
        IpAddr::V4(v) => u64::from(u32::from(v)),
        IpAddr::V6(v) => {
            let x = u128::from(v);
            (x as u64) ^ ((x >> 64) as u64)
        }
    }
}

/// The filter value of a party's global title as [`Actor::gt`] keys it: its length and last
/// eight digits (a few operations, against the key's packing).
pub(super) fn gt_value(p: &Party<'_>) -> Option<u64> {
    let d = super::harvest::title_digits(p, p.digits.as_ref()?);
    let n = d.len();
    // the last eight digits as one word (titles have more), else folded
    let v = match d
        .get(n.saturating_sub(8)..)
        .and_then(|t| <[u8; 8]>::try_from(t).ok())
    {
        Some(w) => u64::from_le_bytes(w),
        None => d.iter().fold(0u64, |a, x| (a << 8) | u64::from(*x)),
    };
    Some(v ^ ((n as u64) << 59))
}

/// The attackers named by findings, each with the flag of the finding that named it.
///
/// An address is looked up as a message's sender (an answer to it is in the flow its
/// message flagged when that was tagged); a title as the sender of a Begin over the link
/// (address, else point code) the finding's message came over — a title spoofed from
/// another link is not the real node's, whose own traffic is no attacker's — and as the
/// receiver of an answer to a transaction it opened there (answers at a transfer point may
/// leave by another association).
#[derive(Debug, Default)]
pub struct Actors {
    ips: HashMap<IpAddr, Flag>,
    gts: HashMap<DigitKey, Named>,
    ip_filter: Filter,
    gt_filter: Filter,
}

impl Actors {
    /// Whether no attacker is named (nothing to look up).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.ips.is_empty() && self.gts.is_empty()
    }

    /// `a` was named by the finding `flag` on message `m` (a later finding of the same
    /// signature extends the window and keeps what is left to tag).
    pub fn name(&mut self, a: Actor, flag: Flag, m: &Message<'_>, resets: &mut u64) {
        if self.ips.len() + self.gts.len() >= MAX_ACTORS {
            self.ips.clear();
            self.gts.clear();
            self.ip_filter.clear();
            self.gt_filter.clear();
            *resets += 1;
        }
        match a {
            Actor::Ip(ip) => {
                self.ip_filter.set(ip_value(ip));
                put(self.ips.entry(ip), flag);
            }
            Actor::Gt(k, v) => {
                self.gt_filter.set(v);
                // the title's side of the message: its sender, else its receiver
                let (calling, _) = m.parties();
                let sender = calling.and_then(Actor::gt) == Some(a);
                let link = link_of(m, sender);
                // the title's own id of its transaction: the one it sent, or the one a
                // message to it names
                let tid = tid_of(m, sender);
                match self.gts.entry(k) {
                    std::collections::hash_map::Entry::Occupied(mut o) => {
                        let n = o.get_mut();
                        if n.flag.sig.id() == flag.sig.id() {
                            n.flag.until = n.flag.until.max(flag.until);
                        } else {
                            n.flag = flag;
                        }
                        n.link = link;
                        n.opened(tid);
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        let mut n = Named {
                            flag,
                            link,
                            opened: arrayvec::ArrayVec::new(),
                        };
                        n.opened(tid);
                        v.insert(n);
                    }
                }
            }
        }
    }

    /// The named attacker that sent `m` (or, for a title, that an answer goes to), with its
    /// finding's flag, while that is within its
    /// bounds at `ts` (an expired one is forgotten). Called only when the table is not empty.
    #[inline(never)]
    pub fn of(&mut self, m: &Message<'_>, ts: f64) -> Option<(Actor, Flag)> {
        let mut a = None;
        if !self.ips.is_empty() {
            if let Some(e) = m.endpoints {
                if self.ip_filter.may_hold(ip_value(e.src)) {
                    a = Some(Actor::Ip(e.src));
                }
            }
        }
        // a title is looked up as the sender of what opens a transaction, and as the
        // receiver of the rest (the answers to it: they may come on another association
        // than its request, so its flow's flag may not find them)
        if a.is_none() && !self.gts.is_empty() {
            let opens = match m.tcap.map(|t| &t.tcap) {
                Some(Tcap::Itu(x)) => x.msg_type == MessageType::BEGIN,
                _ => true,
            };
            let (calling, called) = m.parties();
            let party = if opens { calling } else { called };
            if party
                .and_then(gt_value)
                .is_some_and(|v| self.gt_filter.may_hold(v))
            {
                return self.title_of(party.and_then(Actor::gt)?, m, opens, ts);
            }
        }
        self.flag_of(a?, ts)
    }

    /// The named title `a` as the sender of `m` (`opens`: a Begin, or no TCAP) or the
    /// receiver of an answer: the Begin must come over the title's link (it is then
    /// remembered, so that its answers follow), the answer be to a transaction it opened
    /// there. Out of line: the filter lets few messages here.
    #[cold]
    #[inline(never)]
    fn title_of(
        &mut self,
        a: Actor,
        m: &Message<'_>,
        opens: bool,
        ts: f64,
    ) -> Option<(Actor, Flag)> {
        let Actor::Gt(k, _) = a else { return None };
        let n = self.gts.get_mut(&k)?;
        if ts <= n.flag.until && n.flag.left > 0 {
            if opens {
                let link = link_of(m, true);
                if n.link != 0 && link != 0 && link != n.link {
                    return None;
                }
                n.opened(tid_of(m, true));
            } else if let Some(t) = tid_of(m, false) {
                if !n.opened.contains(&t) {
                    return None;
                }
            }
            return Some((a, n.flag.clone()));
        }
        self.gts.remove(&k);
        if self.gts.is_empty() {
            self.gt_filter.clear();
        }
        None
    }

    /// The flag of a named attacker (out of line: the filters let few messages here).
    #[cold]
    #[inline(never)]
    fn flag_of(&mut self, a: Actor, ts: f64) -> Option<(Actor, Flag)> {
        let f = match a {
            Actor::Ip(ip) => self.ips.get(&ip),
            Actor::Gt(k, _) => self.gts.get(&k).map(|n| &n.flag),
        }?;
        if ts <= f.until && f.left > 0 {
            return Some((a, f.clone()));
        }
        match a {
            Actor::Ip(ip) => {
                self.ips.remove(&ip);
            }
            Actor::Gt(k, _) => {
                self.gts.remove(&k);
            }
        }
        if self.ips.is_empty() {
            self.ip_filter.clear();
        }
        if self.gts.is_empty() {
            self.gt_filter.clear();
        }
        None
    }

    /// One message of `a` was tagged.
    pub fn used(&mut self, a: &Actor) {
        let f = match a {
            Actor::Ip(ip) => self.ips.get_mut(ip),
            Actor::Gt(k, _) => self.gts.get_mut(k).map(|n| &mut n.flag),
        };
        if let Some(f) = f {
            f.left = f.left.saturating_sub(1);
        }
    }
}

/// Put `flag` in an attacker's entry: a later finding of the same signature extends the
/// window and keeps what is left to tag; another signature's takes the entry.
fn put<K>(e: std::collections::hash_map::Entry<'_, K, Flag>, flag: Flag) {
    use std::collections::hash_map::Entry;
    match e {
        Entry::Occupied(mut o) => {
            let f = o.get_mut();
            if f.sig.id() == flag.sig.id() {
                f.until = f.until.max(flag.until);
            } else {
                *f = flag;
            }
        }
        Entry::Vacant(v) => {
            v.insert(flag);
        }
    }
}
