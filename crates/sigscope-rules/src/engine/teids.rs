//! Tunnel ids that sessions set up, so that an answer of no such tunnel about one of them
//! (a stale tunnel) is told from one about an id never set up (a guess: 3027).

use sigscope_decode::GtpLayer;
use sigscope_gtp::Message as Gtp;
use sigscope_gtp::{v1, v2};

use super::Engine;

/// Bits of one generation of a [`TeidSet`] (1 << 20 bits: 128 KiB, made on first use).
const TEID_SET_BITS: u32 = 20;
/// Ids set in one generation before a new one starts (a quarter of its bits: a guess then
/// meets a set bit at most half the time, over both generations).
pub const TEID_SET_MAX: u32 = 1 << (TEID_SET_BITS - 2);
/// Odd multiplier spreading a tunnel id over the set.
const TEID_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// A one-hash bit set of tunnel ids, in two generations: a clear bit in both means no
/// session seen set the id up or used it lately. When the current generation holds
/// [`TEID_SET_MAX`] ids it becomes the previous one (the oldest ids are forgotten, not all).
#[derive(Debug, Default)]
pub(super) struct TeidSet {
    current: Vec<u64>,
    previous: Vec<u64>,
    /// Ids newly set in the current generation.
    set: u32,
}

impl TeidSet {
    fn bit(teid: u32) -> usize {
        (u64::from(teid).wrapping_mul(TEID_MULTIPLIER) >> (u64::BITS - TEID_SET_BITS)) as usize
    }

    fn has(bits: &[u64], b: usize) -> bool {
        bits.get(b / 64).is_some_and(|w| w & (1 << (b % 64)) != 0)
    }

    /// Add a tunnel id; `true` when a new generation started (the oldest ids forgotten).
    pub(super) fn add(&mut self, teid: u32) -> bool {
        let b = Self::bit(teid);
        if Self::has(&self.current, b) {
            return false;
        }
        let mut turned = false;
        if self.current.is_empty() {
            self.current = vec![0; (1 << TEID_SET_BITS) / 64];
        } else if self.set >= TEID_SET_MAX {
            std::mem::swap(&mut self.current, &mut self.previous);
            if self.current.is_empty() {
                self.current = vec![0; (1 << TEID_SET_BITS) / 64];
            } else {
                self.current.fill(0);
            }
            self.set = 0;
            turned = true;
        }
        if let Some(w) = self.current.get_mut(b / 64) {
            *w |= 1 << (b % 64);
        }
        self.set += 1;
        turned
    }

    /// Whether a session seen may have set up or used `teid`.
    pub(super) fn holds(&self, teid: u32) -> bool {
        let b = Self::bit(teid);
        Self::has(&self.current, b) || Self::has(&self.previous, b)
    }
}

/// Octets of a GTPv2 F-TEID before its TEID (the flags and interface type).
const V2_FTEID_TEID_AT: usize = 1;

impl Engine {
    /// The tunnel ids a Create (request or response) sets up: the GTPv1 TEID Data I and
    /// Control Plane IEs, the GTPv2 F-TEIDs at the top level (the sender's control plane; the
    /// bearers' user-plane F-TEIDs inside grouped IEs are not read). Ids a later request
    /// uses are added where it is seen. Zero is no tunnel. Read from the IEs' octets (no
    /// value is decoded).
    pub(super) fn session_teids(&mut self, g: &GtpLayer<'_>) {
        let (teids, resets) = (&mut self.fam.teids, &mut self.stats.state_resets);
        let mut add = |v: Option<&[u8]>| {
            let t = v
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map_or(0, u32::from_be_bytes);
            if t != 0 && teids.add(t) {
                *resets += 1;
            }
        };
        match &g.decoded.message {
            Gtp::V1(x) => {
                for ie in x.ies().map_while(Result::ok) {
                    if matches!(
                        ie.ie_type,
                        v1::IeType::TEID_DATA_I | v1::IeType::TEID_C_PLANE
                    ) {
                        add(ie.value.get(..4));
                    }
                }
            }
            Gtp::V2(x) => {
                for ie in x.ies().map_while(Result::ok) {
                    if ie.ie_type == v2::IeType::F_TEID {
                        add(ie.value.get(V2_FTEID_TEID_AT..V2_FTEID_TEID_AT + 4));
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_held_over_two_generations() {
        let mut s = TeidSet::default();
        assert!(!s.holds(7));
        assert!(!s.add(7));
        assert!(s.holds(7));
        // the same id again counts once
        assert!(!s.add(7));
        assert_eq!(s.set, 1);
        // a generation's worth of other ids: 7 is still held (in the previous generation)
        let mut turned = 0;
        let mut i = 1_000u32;
        while turned == 0 {
            i += 1;
            turned += u32::from(s.add(i.wrapping_mul(2_654_435_761)));
        }
        assert!(s.holds(7));
    }
}
