//! Bounded reassembly of concatenated short messages (TS 23.040 9.2.3.24.1 / .8).
//!
//! Parts are keyed by the originator (or any caller-chosen peer key), the reference number
//! and the part count. Entries are capped at [`MAX_CONCAT_ENTRIES`], stored text at
//! [`MAX_CONCAT_BYTES`], and entries older than [`CONCAT_TIMEOUT_NANOS`] are dropped; every
//! drop is reported as an anomaly.

use std::collections::HashMap;

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

use crate::sms::Concat;

/// Most messages being reassembled at once.
pub const MAX_CONCAT_ENTRIES: usize = 4096;
/// Most text bytes held over all entries.
pub const MAX_CONCAT_BYTES: usize = 4 << 20;
/// Parts older than this (by the caller's clock) are forgotten.
pub const CONCAT_TIMEOUT_NANOS: u64 = 600_000_000_000;

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct Key {
    peer: String,
    reference: u16,
    total: u8,
}

#[derive(Debug)]
struct Entry {
    parts: Vec<Option<String>>,
    have: usize,
    bytes: usize,
    first_seen: u64,
}

/// What [`ConcatReassembler::push`] did with a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConcatOutcome {
    /// All parts are in: the text in sequence order.
    Complete(String),
    /// Stored, waiting for more parts.
    Pending,
    /// Not stored (invalid numbering, duplicate, or a cap reached).
    Dropped,
}

/// Reassembles concatenated SMS text, bounded in entries, bytes and time.
#[derive(Debug, Default)]
pub struct ConcatReassembler {
    entries: HashMap<Key, Entry>,
    bytes: usize,
}

fn anom(code: AnomalyCode, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Sms, code, 0, detail)
}

impl ConcatReassembler {
    /// Empty.
    pub fn new() -> Self {
        Self::default()
    }

    /// Messages waiting for parts.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Nothing waiting.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Text bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Forget entries older than [`CONCAT_TIMEOUT_NANOS`] (`sms_concat_timeout` each).
    pub fn expire(&mut self, now: u64, anomalies: &mut Anomalies) {
        let old: Vec<Key> = self
            .entries
            .iter()
            .filter(|(_, e)| now.saturating_sub(e.first_seen) > CONCAT_TIMEOUT_NANOS)
            .map(|(k, _)| k.clone())
            .collect();
        for k in old {
            if let Some(e) = self.entries.remove(&k) {
                self.bytes = self.bytes.saturating_sub(e.bytes);
                anomalies.push(anom(
                    AnomalyCode::SmsConcatTimeout,
                    "concatenated SMS incomplete at the timeout",
                ));
            }
        }
    }

    /// Add one part's text (`peer` identifies the sender, e.g. the originator address).
    pub fn push(
        &mut self,
        peer: &str,
        concat: Concat,
        text: &str,
        now: u64,
        anomalies: &mut Anomalies,
    ) -> ConcatOutcome {
        self.expire(now, anomalies);
        if concat.total == 0 || concat.seq == 0 || concat.seq > concat.total {
            anomalies.push(
                anom(
                    AnomalyCode::SmsConcatInvalid,
                    "concatenation part number outside 1..total",
                )
                .with_value(u64::from(concat.seq)),
            );
            return ConcatOutcome::Dropped;
        }
        if concat.total == 1 {
            return ConcatOutcome::Complete(text.to_string());
        }
        let key = Key {
            peer: peer.to_string(),
            reference: concat.reference,
            total: concat.total,
        };
        if !self.entries.contains_key(&key) && self.entries.len() >= MAX_CONCAT_ENTRIES {
            anomalies.push(anom(AnomalyCode::SmsConcatFull, "concatenation table full"));
            return ConcatOutcome::Dropped;
        }
        if self.bytes.saturating_add(text.len()) > MAX_CONCAT_BYTES {
            anomalies.push(anom(
                AnomalyCode::SmsConcatFull,
                "concatenation byte budget spent",
            ));
            return ConcatOutcome::Dropped;
        }
        let e = self.entries.entry(key.clone()).or_insert_with(|| Entry {
            parts: vec![None; usize::from(concat.total)],
            have: 0,
            bytes: 0,
            first_seen: now,
        });
        let Some(slot) = e.parts.get_mut(usize::from(concat.seq - 1)) else {
            return ConcatOutcome::Dropped;
        };
        if slot.is_some() {
            anomalies.push(
                anom(
                    AnomalyCode::SmsConcatDuplicate,
                    "concatenation part seen twice",
                )
                .with_value(u64::from(concat.seq)),
            );
            return ConcatOutcome::Dropped;
        }
        *slot = Some(text.to_string());
        e.have += 1;
        e.bytes += text.len();
        self.bytes += text.len();
        if e.have < e.parts.len() {
            return ConcatOutcome::Pending;
        }
        let Some(done) = self.entries.remove(&key) else {
            return ConcatOutcome::Pending;
        };
        self.bytes = self.bytes.saturating_sub(done.bytes);
        ConcatOutcome::Complete(done.parts.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(seq: u8) -> Concat {
        Concat {
            reference: 9,
            total: 3,
            seq,
            wide: false,
        }
    }

    #[test]
    fn out_of_order_and_bounds() {
        let mut r = ConcatReassembler::new();
        let mut an = Anomalies::new();
        assert_eq!(r.push("a", c(2), "lo ", 0, &mut an), ConcatOutcome::Pending);
        assert_eq!(r.push("a", c(1), "hel", 1, &mut an), ConcatOutcome::Pending);
        assert_eq!(r.push("a", c(1), "hel", 1, &mut an), ConcatOutcome::Dropped);
        assert!(an.contains(AnomalyCode::SmsConcatDuplicate));
        assert_eq!(
            r.push("a", c(3), "world", 2, &mut an),
            ConcatOutcome::Complete("hello world".into())
        );
        assert!(r.is_empty());
        assert_eq!(r.bytes(), 0);
        assert_eq!(r.push("a", c(4), "x", 3, &mut an), ConcatOutcome::Dropped);
        assert_eq!(r.push("b", c(1), "x", 3, &mut an), ConcatOutcome::Pending);
        r.expire(3 + CONCAT_TIMEOUT_NANOS + 1, &mut an);
        assert!(an.contains(AnomalyCode::SmsConcatTimeout));
        assert!(r.is_empty());
    }
}
