//! Concatenated short messages (TS 23.040 9.2.3.24.1 and .8): the parts of one message, linked
//! by their sender, recipient and reference, share what one part was found carrying. A payload
//! cut over a message's parts is one payload: the parts before the one found are reported with
//! it, the parts after it are found too.

use serde_json::json;
use sigscope_map::sms::Concat;

use super::*;
use crate::signatures::{self as sig, Signature};

/// Messages under concatenation followed at once (direct-mapped: a newer one takes the slot).
pub const CONCAT_SLOTS: usize = 256;
/// Parts of one message named with a finding (a message may have 255; the parts past these
/// are still found, only not named as earlier ones).
pub const CONCAT_PARTS_NAMED: usize = 16;
/// Seconds from a message's first part seen within which its other parts are taken as its
/// (an SMSC sends a message's parts within seconds, its retries within minutes).
pub const CONCAT_WINDOW_S: f64 = 600.0;

/// The findings of a part that its message's other parts share.
const SHARED: [&Signature; 3] = [
    &sig::SMS_ENCODED_PAYLOAD,
    &sig::TEXT_SHELL_COMMAND,
    &sig::SMS_BINARY_PAYLOAD,
];

/// One concatenated message's parts seen so far.
#[derive(Debug, Clone, Copy)]
struct ConcatSlot {
    key: u64,
    /// When its first part was seen.
    at: f64,
    /// The signature a part of it was found under.
    found: Option<u32>,
    n: u8,
    /// (frame, ts_nanos) of its parts' messages.
    parts: [(u64, u64); CONCAT_PARTS_NAMED],
    /// The part numbers seen (a bit each): once every part has come the message is whole, and
    /// a part of the same key after it starts another.
    seen: [u64; 4],
}

/// Concatenated messages' parts ([`CONCAT_SLOTS`] slots made on first use: nothing grows).
#[derive(Debug, Default)]
pub struct ConcatParts(Vec<ConcatSlot>);

impl ConcatParts {
    /// The slot of the message of `key` at `ts` whose part `c` comes (emptied for a new
    /// message: another key, a first part too long ago, or a message already whole).
    fn slot(&mut self, key: u64, ts: f64, c: Concat) -> Option<&mut ConcatSlot> {
        if self.0.is_empty() {
            self.0 = vec![
                ConcatSlot {
                    key: 0,
                    at: 0.0,
                    found: None,
                    n: 0,
                    parts: [(0, 0); CONCAT_PARTS_NAMED],
                    seen: [0; 4],
                };
                CONCAT_SLOTS
            ];
        }
        let s = self.0.get_mut(key as usize % CONCAT_SLOTS)?;
        let parts: u32 = s.seen.iter().map(|w| w.count_ones()).sum();
        let whole = parts >= u32::from(c.total);
        if s.key != key || ts - s.at > CONCAT_WINDOW_S || ts < s.at || whole {
            s.key = key;
            s.at = ts;
            s.found = None;
            s.n = 0;
            s.seen = [0; 4];
        }
        if let Some(w) = s.seen.get_mut(usize::from(c.seq) / 64) {
            *w |= 1 << (c.seq % 64);
        }
        Some(s)
    }
}

impl ConcatSlot {
    /// Remember the part at `at`.
    fn add(&mut self, at: (u64, u64)) {
        if let Some(p) = self.parts.get_mut(usize::from(self.n)) {
            *p = at;
            self.n += 1;
        }
    }
}

/// The key of a concatenated message: its sender (calling title, else point codes), its
/// recipient and originator, its reference and part count. A delivery names its recipient by
/// SM-RP-DA (IMSI or LMSI) and its originator by the TPDU's address; a submission its
/// recipient by the TPDU's address and its originator by SM-RP-OA (an MSC's subscribers
/// texting one number are as many messages).
fn concat_key(
    m: &Message<'_>,
    e: &MapEntry<'_>,
    tp: &sigscope_map::sms::Tpdu<'_>,
    c: Concat,
) -> Option<u64> {
    let sender = misuse::sender_key(m)?;
    let p = e.param.as_ref();
    let tp_address = tp.address.as_ref().map_or(&[][..], |a| a.value);
    let (recipient, originator) = match p.and_then(|p| p.sm_rp_da) {
        Some(sigscope_map::SmRpDa::Imsi(i)) => (i.raw, tp_address),
        Some(sigscope_map::SmRpDa::Lmsi(l)) => (l, tp_address),
        _ => {
            let oa = match p.and_then(|p| p.sm_rp_oa) {
                Some(SmRpOa::Msisdn(a) | SmRpOa::ServiceCentre(a)) => a.digit_octets(),
                _ => &[][..],
            };
            (tp_address, oa)
        }
    };
    let reference = u64::from(c.reference) | u64::from(c.total) << 16 | u64::from(c.wide) << 24;
    let h = fold_words(fold_words(sender ^ reference, recipient), originator);
    Some(fold_mix(h) | 1)
}

impl Engine {
    /// The short message parts of `m` (after the content and misuse checks have judged it):
    /// a part found shares its finding with its message's parts before it (named with it)
    /// and after it (found too, as parts of what was found). Out of line: few messages are
    /// concatenated short messages.
    #[inline(never)]
    pub(super) fn concat_parts(&mut self, m: &Message<'_>, ts: f64, found: &mut Hits<'_>) {
        for e in m.map {
            let Some(tp) = &e.sms else { continue };
            let Some(c) = tp.user_data.as_ref().and_then(|u| u.concat()) else {
                continue;
            };
            let Some(key) = concat_key(m, e, tp, c) else {
                continue;
            };
            let hit = SHARED.iter().find(|s| found.seen(s.id)).copied();
            let Some(slot) = self.concat.slot(key, ts, c) else {
                continue;
            };
            let at = (m.frame, m.ts_nanos);
            match (hit, slot.found) {
                (Some(s), _) => {
                    let before = slot.parts;
                    let n = usize::from(slot.n);
                    slot.found = Some(s.id);
                    slot.add(at);
                    if found.admitted_in_message(s.id) {
                        found.earlier.extend(before.iter().take(n).copied());
                    }
                }
                (None, Some(id)) => {
                    slot.add(at);
                    if let Some(s) = SHARED.iter().find(|s| s.id == id) {
                        found.hit(s, || {
                            json!({"operation": e.operation(), "part_of_message_found": true,
                                   "reference": c.reference, "part": c.seq, "parts": c.total})
                        });
                    }
                }
                (None, None) => slot.add(at),
            }
        }
    }
}
