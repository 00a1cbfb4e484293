//! Subscriber harvesting (3007): the routing lookups of foreign titles and title blocks counted.

use serde_json::json;
use sigscope_decode::{Message, Party};
use sigscope_map::{ErrorCode, MapEntry, OpCode};
use sigscope_tcap::ComponentKind;

use super::beacon::{requester_tx, RETRIED_AFTER};
use super::*;
use crate::signatures as sig;

/// Global title indicator 2 (translation type only): no odd/even indicator, so an odd
/// number of digits reads with its filler as one more digit, `0`.
const GTI_NO_ODD_EVEN: u8 = 2;

/// The lookups of a title searched for the one an answer answers (the latest first).
const ANSWER_LOOKBACK: usize = 16;

/// The key a calling global title's lookups are counted under: its digits, with a GTI 2
/// title's trailing `0` dropped (it may be the filler), so that a sender alternating GTI 2
/// and 4 for one odd-length title is counted once.
pub(super) fn harvest_key(calling: &Party<'_>, digits: &sigscope_core::digits::Digits) -> DigitKey {
    DigitKey::of_bytes(title_digits(calling, digits))
}

/// A party's title digits as one title is keyed whatever its form: a GTI 2 title's trailing
/// `0` dropped (it may be the filler).
pub(super) fn title_digits<'d>(
    p: &Party<'_>,
    digits: &'d sigscope_core::digits::Digits,
) -> &'d [u8] {
    let d = digits.as_bytes();
    if p.address.gt.is_some_and(|g| g.gti == GTI_NO_ODD_EVEN) {
        d.strip_suffix(b"0").unwrap_or(d)
    } else {
        d
    }
}

/// One routing lookup, as [`Engine::harvesting`] judges it: who asked, the entry, about whom,
/// the operation, the message.
#[derive(Clone, Copy)]
struct Ask<'a, 'm> {
    calling: &'a Party<'m>,
    e: &'a MapEntry<'m>,
    who: &'a Id,
    op: OpCode,
    m: &'a Message<'m>,
}

/// What one harvesting step found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HarvestStep {
    /// The lookup was counted.
    Counted,
    /// The sender delivers what it looks up (an SMSC at work).
    Delivering,
    /// Harvesting was reported.
    Reported,
}

/// Most digits of a title followed by its block.
pub(super) const MAX_BLOCK_TITLE_DIGITS: usize = 23;
/// Digits a title block leaves open (a block of a hundred titles: one operator's nodes).
pub(super) const BLOCK_OPEN_DIGITS: usize = 2;
/// Digits a wide block leaves open (a thousand titles): a sender stepping its title through
/// more than a hundred numbers of its range, a lookup or a few from each, is counted whole.
pub(super) const WIDE_BLOCK_OPEN_DIGITS: usize = 3;
/// Block widths followed, narrow first.
pub(super) const BLOCK_WIDTHS: [usize; 2] = [BLOCK_OPEN_DIGITS, WIDE_BLOCK_OPEN_DIGITS];
/// Fewest digits a title needs for its block to be followed (shorter ones name a network,
/// not a range of nodes).
pub(super) const MIN_BLOCK_TITLE_DIGITS: usize = 9;
/// The marker ending a block's key is this letter plus the digits the block leaves open (`y`,
/// `z`: letters no title's digits have, TBCD's filler codes `*#abc` included, one per width),
/// so that a block never shares a key with a title of its digits, nor with a block of
/// another width.
const BLOCK_MARK_BASE: u8 = b'w';

/// The key of a title's block leaving `open` digits open (its digits less the last `open`,
/// and its width's marker), with the block's digits (shown as `<prefix>` and an `X` per open
/// digit).
pub(super) fn block_key<'d>(
    p: &Party<'_>,
    digits: &'d sigscope_core::digits::Digits,
    open: usize,
) -> Option<(DigitKey, &'d [u8])> {
    let d = title_digits(p, digits);
    if !(MIN_BLOCK_TITLE_DIGITS..=MAX_BLOCK_TITLE_DIGITS).contains(&d.len()) {
        return None;
    }
    let prefix = d.get(..d.len().checked_sub(open)?)?;
    let mut key = arrayvec::ArrayVec::<u8, MAX_BLOCK_TITLE_DIGITS>::new();
    key.try_extend_from_slice(prefix).ok()?;
    key.try_push(BLOCK_MARK_BASE.checked_add(u8::try_from(open).ok()?)?)
        .ok()?;
    Some((DigitKey::of_bytes(&key), prefix))
}

impl Engine {
    /// A result or error of a MAP operation: a failure the sender retries after counts one
    /// more failed attempt of the invoke's beacon key, a result ends the run.
    pub(super) fn answered(&mut self, m: &Message<'_>, e: &MapEntry<'_>) {
        if !self.harvest.is_empty() {
            self.harvest_answer(m, e);
        }
        // a lookup's answer: a delivery to the IMSI it gives will be the lookup's own
        if e.component == ComponentKind::ReturnResultLast
            && e.opcode == Some(i64::from(OpCode::SEND_ROUTING_INFO_FOR_SM.0))
        {
            self.routing_answer(m, e);
        }
        let failed = e.component == ComponentKind::ReturnError
            && e.error_code
                .and_then(|c| u8::try_from(c).ok())
                .is_some_and(|c| RETRIED_AFTER.contains(&ErrorCode(c)));
        // a success matters only to a run of failures (most answers, when none is failing)
        if !(failed || self.retries.failing()) {
            return;
        }
        // the requester is the answer's called party
        let Some(tx) = requester_tx(m, false, m.parties().1) else {
            return;
        };
        self.retries
            .answered(tx, failed, &mut self.stats.state_resets);
    }

    /// A sendRoutingInfoForSM answer's IMSI, kept with its lookup's beacon key (out of
    /// line: one of many message kinds).
    #[inline(never)]
    fn routing_answer(&mut self, m: &Message<'_>, e: &MapEntry<'_>) {
        let Some(imsi) = e.param.as_ref().and_then(|p| p.imsi) else {
            return;
        };
        let requester = m.parties().1;
        if let Some(tx) = requester_tx(m, false, requester) {
            self.retries.routed(tx, octets_digest(imsi.raw), requester);
        }
    }

    /// The answer to a lookup a foreign title made (the requester is the answer's called
    /// party; matched by its transaction there, whichever association it comes on):
    /// remembered with the lookup, reported with it if the title is found harvesting.
    #[cold]
    #[inline(never)]
    fn harvest_answer(&mut self, m: &Message<'_>, e: &MapEntry<'_>) {
        let routing = e
            .opcode
            .and_then(OpCode::from_local)
            .is_some_and(|op| ROUTING_INFO_OPS.contains(&op));
        let Some(requester) = m.parties().1.filter(|_| routing) else {
            return;
        };
        if !super::actors::gt_value(requester).is_some_and(|v| self.harvest_filter.may_hold(v)) {
            return;
        }
        let (Some(digits), Some(tx)) = (&requester.digits, requester_tx(m, false, Some(requester)))
        else {
            return;
        };
        let Some(h) = self.harvest.get_mut(&harvest_key(requester, digits)) else {
            return;
        };
        // an answer follows its lookup closely: the last few lookups are searched
        let recent = h.lookups.iter_mut().rev().take(ANSWER_LOOKBACK);
        if let Some(l) = recent.into_iter().find(|l| l.tx == tx) {
            l.answer.get_or_insert((m.frame, m.ts_nanos));
        }
    }

    /// A finding of `s` naming the calling title: the routing lookups it made within the
    /// tag window before are part of it (a tracker asks SRI-for-SM before ATI or PSI).
    pub(super) fn name_lookups(
        &self,
        calling: Option<&Party<'_>>,
        ts: f64,
        s: &'static crate::signatures::Signature,
        found: &mut Hits<'_>,
    ) {
        if !found.admitted(s.id) || self.harvest.is_empty() {
            return;
        }
        let since = ts - self.policy.thresholds.tag_window_s;
        let frame = found.ctx.m.frame;
        found.earlier.extend(
            self.harvest_named(calling, since)
                .filter(|(f, _)| *f != frame),
        );
    }

    /// The lookups (and their answers) a title made since `since` (seconds): part of a
    /// finding that names the title.
    fn harvest_named(
        &self,
        calling: Option<&Party<'_>>,
        since: f64,
    ) -> impl Iterator<Item = (u64, u64)> + '_ {
        let h = calling
            .and_then(|c| Some(harvest_key(c, c.digits.as_ref()?)))
            .and_then(|k| self.harvest.get(&k));
        h.into_iter().flat_map(move |h| {
            h.lookups
                .iter()
                .filter(move |l| l.ts >= since)
                .flat_map(|l| std::iter::once((l.frame, l.ts_nanos)).chain(l.answer))
        })
    }

    /// Many distinct subscribers looked up by one foreign global title within the window, or
    /// by the titles of one block of a hundred (`…00` to `…99`: a harvester spreading its
    /// lookups over the titles it holds, each under the threshold).
    #[cold]
    #[inline(never)]
    pub(super) fn harvesting(
        &mut self,
        calling: &Party<'_>,
        e: &MapEntry<'_>,
        who: &Id,
        op: OpCode,
        m: &Message<'_>,
        found: &mut Hits<'_>,
    ) {
        let Some(digits) = &calling.digits else {
            return;
        };
        let gt = harvest_key(calling, digits);
        let ask = Ask {
            calling,
            e,
            who,
            op,
            m,
        };
        let step = self.harvest_step(gt, None, false, &ask, found);
        // the block counts the lookups of titles that do not deliver what they look up (an
        // SMSC's are its work, and cost nothing more); it reports only what its title alone
        // did not
        if step == HarvestStep::Delivering {
            return;
        }
        // each width reports only what the title and the narrower blocks did not
        let mut quiet = step == HarvestStep::Reported;
        for open in BLOCK_WIDTHS {
            if let Some(block) = block_key(calling, digits, open) {
                let s = self.harvest_step(block.0, Some(block.1), quiet, &ask, found);
                quiet |= s == HarvestStep::Reported;
            }
        }
    }

    /// [`Engine::harvesting`] under one key: the title's own (`block` `None`), or its block's
    /// (`block`: the block's digits, shown as `<prefix>XX`); `quiet`: the lookup is counted,
    /// nothing reported (its title reported it). Returns what it found.
    fn harvest_step(
        &mut self,
        gt: DigitKey,
        block: Option<&[u8]>,
        quiet: bool,
        ask: &Ask<'_, '_>,
        found: &mut Hits<'_>,
    ) -> HarvestStep {
        let Ask {
            calling,
            e,
            who,
            op,
            m,
        } = *ask;
        let Some(digits) = &calling.digits else {
            return HarvestStep::Counted;
        };
        let ts = m.ts_nanos as f64 / 1e9;
        let t = &self.policy.thresholds;
        let need_fast = t.harvest_subscribers.clamp(2, MAX_HARVEST_SUBSCRIBERS);
        let need_slow = t.harvest_slow_subscribers.clamp(2, MAX_HARVEST_SUBSCRIBERS);
        let (fast, slow, ratio) = (
            t.harvest_window_s,
            t.harvest_slow_window_s.max(t.harvest_window_s),
            t.harvest_delivery_ratio,
        );
        if !self.harvest.contains_key(&gt) && self.harvest.len() >= MAX_HARVEST_GTS {
            self.harvest.clear();
            self.harvest_filter.clear();
            self.stats.state_resets += 1;
        }
        if let Some(v) = super::actors::gt_value(calling) {
            self.harvest_filter.set(v);
        }
        let h = self.harvest.entry(gt).or_default();
        // forget what fell out of the slow window (and anything from the future: out of order)
        if h.lookups
            .first()
            .is_some_and(|l| ts - l.ts > slow || l.ts > ts)
        {
            // the deliveries counted leave with their share of the lookups (a count reset at
            // a fixed time would leave an SMSC's lookups of hours with no deliveries)
            let before = h.lookups.len().max(1) as u64;
            h.lookups.retain(|l| ts - l.ts <= slow && l.ts <= ts);
            h.deliveries = (u64::from(h.deliveries) * h.lookups.len() as u64 / before) as u32;
        }
        if h.deliveries_since > ts {
            h.deliveries = 0;
        }
        h.deliveries_since = ts;
        // a 64-bit digest of the subscriber (FNV-1a): the set stays small and fixed-size
        let digest = who
            .as_bytes()
            .iter()
            .copied()
            .fold(0xcbf2_9ce4_8422_2325u64, |a, b| {
                (a ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        // a full set takes no one (it is searched only while it has room)
        if h.lookups.len() < MAX_HARVEST_SUBSCRIBERS
            && !h.lookups.iter().any(|l| l.digest == digest)
        {
            h.in_order &= h.lookups.last().map_or(true, |l| l.ts <= ts);
            h.lookups.push(Lookup {
                digest,
                ts,
                frame: m.frame,
                ts_nanos: m.ts_nanos,
                tx: requester_tx(m, true, Some(calling)).unwrap_or(0),
                answer: None,
            });
        }
        let in_fast = h.in_fast(ts, fast);
        let in_slow = h.lookups.len();
        // an SMSC looks subscribers up to deliver to them: lookups followed by deliveries are
        // its work, not a harvest
        let delivering = op == OpCode::SEND_ROUTING_INFO_FOR_SM
            && f64::from(h.deliveries) >= ratio * in_slow as f64;
        let crossed = in_fast >= need_fast || in_slow >= need_slow;
        let alerting = h.alerting_until.is_some_and(|u| ts <= u);
        if delivering {
            return HarvestStep::Delivering;
        }
        if !(crossed || alerting) || quiet {
            return HarvestStep::Counted;
        }
        if !alerting {
            // the first alert of a window: the lookups that led to it are part of the finding
            h.alerting_until = Some(ts + slow);
            found.earlier.extend(
                h.lookups
                    .iter()
                    .filter(|l| l.frame != m.frame)
                    .flat_map(|l| std::iter::once((l.frame, l.ts_nanos)).chain(l.answer)),
            );
        }
        let pace = if in_fast >= need_fast { "fast" } else { "slow" };
        let deliveries = h.deliveries;
        found.hit(&sig::SUBSCRIBER_HARVESTING, || {
            json!({"calling_gt": digits.as_str(), "operation": e.operation(), "opcode": op.0,
                   "pace": pace, "subscribers_in_window": in_fast, "window_s": fast,
                   "subscribers_in_slow_window": in_slow, "slow_window_s": slow,
                   "short_messages_delivered": deliveries,
                   "gt_block": block.map(|b| format!("{}{}", String::from_utf8_lossy(b), "X".repeat(title_digits(calling, digits).len().saturating_sub(b.len()))))})
        });
        found.actor(&sig::SUBSCRIBER_HARVESTING, Actor::gt(calling));
        HarvestStep::Reported
    }
}
