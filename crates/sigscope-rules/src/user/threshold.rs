//! `threshold` and `detection_filter` state: one counter window per (rule, tracked end),
//! bounded by [`MAX_THRESHOLD_ENTRIES`].

use foldhash::HashMap;
use sigscope_decode::Message;

use super::ast::{Threshold, ThresholdKind, Track};
use super::limits::MAX_THRESHOLD_ENTRIES;
use crate::engine::{DigitKey, End};

#[derive(Debug, Clone, Copy)]
struct Slot {
    start: f64,
    count: u32,
}

/// Counters of every thresholded rule.
#[derive(Debug, Default, Clone)]
pub struct Thresholds {
    table: HashMap<(u32, End, End), Slot>,
    /// Times a full table was emptied.
    pub resets: u64,
}

/// The sender (calling global title, else OPC, else source IP) and the receiver.
fn ends(m: &Message<'_>) -> (End, End) {
    let (calling, called) = m.parties();
    let gt = |p: Option<&sigscope_decode::Party<'_>>| {
        p.and_then(|p| p.digits_str())
            .map(|d| End::Gt(DigitKey::of(d)))
    };
    let a = gt(calling)
        .or_else(|| m.mtp3.map(|l| End::Pc(l.opc)))
        .or_else(|| m.endpoints.map(|e| End::Ip(e.src)))
        .unwrap_or(End::Unknown);
    let b = gt(called)
        .or_else(|| m.mtp3.map(|l| End::Pc(l.dpc)))
        .or_else(|| m.endpoints.map(|e| End::Ip(e.dst)))
        .unwrap_or(End::Unknown);
    (a, b)
}

impl Thresholds {
    /// Count one match of rule `rule` at `ts` seconds; whether it raises an alert.
    pub fn admit(&mut self, rule: u32, t: &Threshold, m: &Message<'_>, ts: f64) -> bool {
        let (src, dst) = ends(m);
        let (a, b) = match t.track {
            Track::BySrc => (src, End::Unknown),
            Track::ByDst => (End::Unknown, dst),
            Track::ByBoth => (src, dst),
            Track::ByRule => (End::Unknown, End::Unknown),
        };
        let key = (rule, a, b);
        if !self.table.contains_key(&key) && self.table.len() >= MAX_THRESHOLD_ENTRIES {
            self.table.clear();
            self.resets += 1;
        }
        let slot = self.table.entry(key).or_insert(Slot {
            start: ts,
            count: 0,
        });
        let window = f64::from(t.seconds);
        if ts < slot.start || ts - slot.start >= window {
            *slot = Slot {
                start: ts,
                count: 0,
            };
        }
        slot.count = slot.count.saturating_add(1);
        match t.kind {
            // detection_filter: every match once more than `count` were seen in the window
            None => slot.count > t.count,
            Some(ThresholdKind::Limit) => slot.count <= t.count,
            Some(ThresholdKind::Threshold) => {
                if slot.count >= t.count {
                    *slot = Slot {
                        start: ts,
                        count: 0,
                    };
                    true
                } else {
                    false
                }
            }
            Some(ThresholdKind::Both) => slot.count == t.count,
        }
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// No entries held.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}
