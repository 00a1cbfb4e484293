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

use super::flow::{Flag, Recent};
use super::keys::DigitKey;

/// Most attackers named at once (a full table is emptied, counted as a state reset).
pub const MAX_ACTORS: usize = 1024;

/// An attacker as a finding names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// An IP address (GTP scanner, tunnel prober).
    Ip(IpAddr),
    /// A calling global title ([`Actor::gt`]).
    Gt(DigitKey),
}

impl Actor {
    /// The actor of a party's global title: its digits, less the filler a GTI 2 title's
    /// odd count of digits leaves as a trailing 0 (so that one title is one actor whichever
    /// form it comes in).
    pub fn gt(p: &Party<'_>) -> Option<Actor> {
        let d = p.digits.as_ref()?;
        Some(Actor::Gt(super::behaviour::harvest_key(p, d)))
    }

    /// Whether a remembered message (its addresses) is this actor's.
    pub fn sent_or_got(&self, r: &Recent) -> bool {
        match self {
            Actor::Ip(ip) => r.src() == Some(*ip) || r.dst() == Some(*ip),
            Actor::Gt(_) => false,
        }
    }
}

/// The attackers named by findings, each with the flag of the finding that named it.
#[derive(Debug, Default)]
pub struct Actors {
    named: HashMap<Actor, Flag>,
}

impl Actors {
    /// Whether no attacker is named (nothing to look up).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.named.is_empty()
    }

    /// `a` was named by the finding `flag` (a later finding of the same signature extends
    /// the window and keeps what is left to tag).
    pub fn name(&mut self, a: Actor, flag: Flag, resets: &mut u64) {
        if self.named.len() >= MAX_ACTORS && !self.named.contains_key(&a) {
            self.named.clear();
            *resets += 1;
        }
        match self.named.get_mut(&a) {
            Some(f) if f.sig.id() == flag.sig.id() => f.until = f.until.max(flag.until),
            Some(f) => *f = flag,
            None => {
                self.named.insert(a, flag);
            }
        }
    }

    /// The named attacker `m` comes from or goes to, with its finding's flag, while that is
    /// within its bounds at `ts` (expired ones are forgotten). Called only when the table is
    /// not empty.
    #[cold]
    #[inline(never)]
    pub fn of(&mut self, m: &Message<'_>, ts: f64) -> Option<(Actor, Flag)> {
        let (calling, called) = m.parties();
        let ips = m
            .endpoints
            .map(|e| [Actor::Ip(e.src), Actor::Ip(e.dst)])
            .into_iter()
            .flatten();
        let gts = [calling, called]
            .into_iter()
            .flatten()
            .filter_map(Actor::gt);
        let mut found = None;
        for a in ips.chain(gts) {
            match self.named.get(&a) {
                Some(f) if ts <= f.until && f.left > 0 => {
                    found = Some((a, f.clone()));
                    break;
                }
                Some(_) => {
                    self.named.remove(&a);
                }
                None => {}
            }
        }
        found
    }

    /// One message of `a` was tagged.
    pub fn used(&mut self, a: &Actor) {
        if let Some(f) = self.named.get_mut(a) {
            f.left = f.left.saturating_sub(1);
        }
    }
}
