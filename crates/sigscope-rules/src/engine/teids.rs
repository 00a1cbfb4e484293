//! Tunnel ids that sessions set up, so that an answer of no such tunnel about one of them
//! (a stale tunnel) is told from one about an id never set up (a guess: 3027).

use sigscope_decode::GtpLayer;
use sigscope_gtp::Message as Gtp;
use sigscope_gtp::{v1, v2};

use super::Engine;

/// Bits of a [`TeidSet`] (1 << 20 bits: 128 KiB, made on first use).
const TEID_SET_BITS: u32 = 20;
/// Ids set before a [`TeidSet`] is emptied (a quarter of its bits: a guess then meets a set
/// bit at most a quarter of the time).
pub const TEID_SET_MAX: u32 = 1 << (TEID_SET_BITS - 2);
/// Odd multiplier spreading a tunnel id over the set.
const TEID_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// A one-hash bit set of tunnel ids: a clear bit means no session seen set the id up.
#[derive(Debug, Default)]
pub(super) struct TeidSet {
    bits: Vec<u64>,
    set: u32,
}

impl TeidSet {
    fn bit(teid: u32) -> usize {
        (u64::from(teid).wrapping_mul(TEID_MULTIPLIER) >> (u64::BITS - TEID_SET_BITS)) as usize
    }

    /// Add a tunnel id; `true` when the set was full and emptied first.
    pub(super) fn add(&mut self, teid: u32) -> bool {
        let mut reset = false;
        if self.bits.is_empty() {
            self.bits = vec![0; (1 << TEID_SET_BITS) / 64];
        } else if self.set >= TEID_SET_MAX {
            self.bits.fill(0);
            self.set = 0;
            reset = true;
        }
        let b = Self::bit(teid);
        if let Some(w) = self.bits.get_mut(b / 64) {
            *w |= 1 << (b % 64);
        }
        self.set += 1;
        reset
    }

    /// Whether a session seen may have set up `teid`.
    pub(super) fn holds(&self, teid: u32) -> bool {
        let b = Self::bit(teid);
        self.bits
            .get(b / 64)
            .is_some_and(|w| w & (1 << (b % 64)) != 0)
    }
}

/// Octets of a GTPv2 F-TEID before its TEID (the flags and interface type).
const V2_FTEID_TEID_AT: usize = 1;

impl Engine {
    /// The tunnel ids a Create sets up for its sender's control plane: the GTPv1 TEID Data I
    /// and Control Plane IEs, the GTPv2 F-TEIDs at the top level (the bearers' are user
    /// plane). Zero is no tunnel. Read from the IEs' octets (no value is decoded).
    pub(super) fn session_teids(&mut self, g: &GtpLayer<'_>) {
        let mut ids: arrayvec::ArrayVec<u32, 8> = arrayvec::ArrayVec::new();
        let mut add = |v: Option<&[u8]>| {
            let t = v
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map_or(0, u32::from_be_bytes);
            if t != 0 {
                let _ = ids.try_push(t);
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
        for t in ids {
            if self.fam.teids.add(t) {
                self.stats.state_resets += 1;
            }
        }
    }
}
