//! The findings of one message ([`Hits`]), rate-limited per signature as the detectors raise them.

use arrayvec::ArrayVec;
use foldhash::HashMap;
use serde_json::Value;

use super::actors::Actor;
use super::{bounded, Ctx, Pair};
use crate::signatures::Signature;

/// Most distinct signatures one message raises (a message cannot raise more: there are
/// fewer signatures).
const MAX_HITS: usize = 32;

/// The findings of one message, rate-limited as they are found: `hit` builds the evidence
/// only when the alert is admitted.
pub(super) struct Hits<'l> {
    pub(super) limits: &'l mut HashMap<(u32, Pair), (f64, u64)>,
    /// The message's context (its ends key the rate limit).
    pub(super) ctx: &'l Ctx<'l>,
    pub(super) ts: f64,
    pub(super) window: f64,
    /// Signature ids found in this message, admitted or not.
    pub(super) seen: ArrayVec<u32, MAX_HITS>,
    /// Admitted: signature, evidence, alerts held back before it.
    pub(super) out: Vec<(&'static Signature, Value, u64)>,
    /// Earlier messages (frame, time) a detector names as part of what it found (a harvest's
    /// first lookups): reported as tagged members of the alert's flow.
    pub(super) earlier: Vec<(u64, u64)>,
    /// The attacker a finding names (by signature id): its other messages are tagged.
    pub(super) actor: Option<(u32, Actor)>,
    pub(super) suppressed: u64,
    pub(super) resets: u64,
    /// The signature that flagged this message's flow, if it is flagged: the rate limit
    /// never hides the first alert of a signature in a flow.
    pub(super) flagged_by: Option<u32>,
    /// The findings are about this message alone (a test tool's fingerprint in one session
    /// of a peer that carries others): no flow is flagged by them.
    pub(super) alone: bool,
    /// The finding that flagged this message's flow is known now to be the sender's own
    /// constant (an Echo private extension repeated): the flag is lifted, this message and
    /// the flow's next ones are not tagged.
    pub(super) lift: bool,
}

impl Hits<'_> {
    /// Whether `id` was found in this message already.
    pub(super) fn seen(&self, id: u32) -> bool {
        self.seen.contains(&id)
    }

    /// Whether a finding of `id` was admitted (not held back by the rate limit) for this
    /// message, whatever was found after it.
    pub(super) fn admitted_in_message(&self, id: u32) -> bool {
        self.out.iter().any(|(x, ..)| x.id == id)
    }

    /// Whether the last finding admitted (not held back by the rate limit) is of `id`.
    pub(super) fn admitted(&self, id: u32) -> bool {
        self.out.last().is_some_and(|(x, ..)| x.id == id)
    }

    /// The finding of `s` in this message names its attacker `a` (see [`actors`](super::actors)).
    pub(super) fn actor(&mut self, s: &'static Signature, a: Option<Actor>) {
        // only an admitted finding names its attacker
        if let (Some(a), true) = (a, self.admitted(s.id)) {
            self.actor = Some((s.id, a));
        }
    }

    /// `s` fired: rate-limit it per signature and pair, and keep it with its evidence when
    /// admitted. Out of line (and cold): findings are rare, and their evidence is built here.
    #[cold]
    #[inline(never)]
    pub(super) fn hit(&mut self, s: &'static Signature, evidence: impl FnOnce() -> Value) {
        if !self.seen(s.id) {
            let _ = self.seen.try_push(s.id);
        }
        let ts = self.ts;
        let key = (s.id, *self.ctx.pair());
        let held = match self.limits.get_mut(&key) {
            Some((last, held))
                if ts - *last < self.window && ts >= *last && self.flagged_by == Some(s.id) =>
            {
                *held += 1;
                self.suppressed += 1;
                return;
            }
            Some((last, held)) => {
                *last = ts;
                std::mem::take(held)
            }
            None => {
                bounded(self.limits, &mut self.resets);
                self.limits.insert(key, (ts, 0));
                0
            }
        };
        self.out.push((s, evidence(), held));
    }
}
