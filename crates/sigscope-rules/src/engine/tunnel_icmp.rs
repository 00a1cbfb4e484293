//! ICMP tunnelling inside GTP-U: echo payloads that follow no ping fill and look
//! encrypted, and replies whose data differs from their request's.

use etherparse::{Icmpv4Type, Icmpv6Type, TransportSlice};
use serde_json::json;

use super::tunnel::*;
use super::*;
use crate::content::encoded_binary;
use crate::signatures as sig;

/// Octets of the timestamp Unix pings put before their fill: a `struct timeval` of 8 (32-bit
/// systems, BSD) or 16 octets (64-bit Linux `ping`, iputils).
pub const PING_TIMESTAMP_LENS: [usize; 2] = [8, 16];
/// Fewest octets of fill after a ping timestamp for the fill alone to be judged.
pub const PING_MIN_FILL: usize = 16;

/// Places of the direct-mapped table of ICMP echo requests awaiting their reply (a reply
/// comes within milliseconds to seconds: only the requests in flight matter).
pub const ICMP_ECHO_SLOTS: usize = 1024;
/// Shortest echo data compared with its request's (an empty or tiny echo carries nothing).
pub const ICMP_ECHO_COMPARED_MIN: usize = 8;

/// The table key of an ICMP echo exchange: the requester, the target, identifier and
/// sequence (never 0, the empty place's key).
fn icmp_echo_key(requester: IpAddr, target: IpAddr, id: u16, seq: u16) -> u64 {
    let x = (u64::from(id) << 16 | u64::from(seq))
        ^ super::actors::ip_value(requester).rotate_left(24)
        ^ super::actors::ip_value(target).rotate_left(44);
    fold_mix(x) | 1
}

/// Digest of echo data (a reply is compared with its request's by it).
fn echo_digest(data: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(ICMP_DIGEST_SEED).hash_one(data)
}

/// Seed of [`echo_digest`] (any fixed value: digests are compared within one run).
const ICMP_DIGEST_SEED: u64 = 0x6963_6d70;

impl Engine {
    /// Record an echo request's data, or compare a reply's with its request's: whether this
    /// reply's data is not what was asked.
    fn icmp_reply_differs(
        &mut self,
        data: &[u8],
        src: IpAddr,
        dst: IpAddr,
        echo: &etherparse::IcmpEchoHeader,
        request: bool,
    ) -> bool {
        if data.len() < ICMP_ECHO_COMPARED_MIN {
            return false;
        }
        let table = &mut self.fam.icmp_echoes;
        if table.is_empty() {
            table.resize(ICMP_ECHO_SLOTS, (0, 0));
        }
        let (requester, target) = if request { (src, dst) } else { (dst, src) };
        let key = icmp_echo_key(requester, target, echo.id, echo.seq);
        let Some(slot) = table.get_mut(key as usize % ICMP_ECHO_SLOTS) else {
            return false;
        };
        if request {
            *slot = (key, echo_digest(data));
            return false;
        }
        if slot.0 != key {
            return false;
        }
        let asked = slot.1;
        *slot = (0, 0);
        asked != echo_digest(data)
    }
}

/// A payload follows ping's fill: a short repeating period (Windows' alphabet, `ping -p`)
/// or an incrementing byte (Unix ping), for most of its positions, from its start or after
/// the timestamp a Unix ping puts first ([`PING_TIMESTAMP_LENS`]; in a short ping the
/// timestamp is too large a share for the whole to pass).
pub fn ping_pattern(p: &[u8]) -> bool {
    fill_pattern(p)
        || PING_TIMESTAMP_LENS.iter().any(|&skip| {
            p.get(skip..)
                .is_some_and(|fill| fill.len() >= PING_MIN_FILL && fill_pattern(fill))
        })
}

/// A ping-sized ICMP payload (at least [`ICMP_SMALL_JUDGED`] octets) that follows no ping
/// fill and looks encrypted.
pub fn ping_sized_encrypted(p: &[u8], entropy_bits: f64) -> Option<crate::content::Verdict> {
    if p.len() < ICMP_SMALL_JUDGED || ping_pattern(p) {
        return None;
    }
    encoded_binary(p, ICMP_SMALL_JUDGED, entropy_bits).filter(|v| v.kind == "encrypted")
}

fn fill_pattern(p: &[u8]) -> bool {
    let p = p.get(..p.len().min(ICMP_EXAMINED)).unwrap_or(p);
    let n = p.len();
    if n < 2 {
        return true;
    }
    let need = ((n - 1) as f64 * ICMP_PATTERN_SHARE) as usize;
    let incrementing = p
        .windows(2)
        .filter(|w| matches!(w, [a, b] if a.wrapping_add(1) == *b))
        .count();
    if incrementing >= need {
        return true;
    }
    (1..=ICMP_MAX_PERIOD.min(n / 2)).any(|period| {
        let same = p
            .iter()
            .zip(p.iter().skip(period))
            .filter(|(a, b)| a == b)
            .count();
        same as f64 >= (n - period) as f64 * ICMP_PATTERN_SHARE
    })
}

impl Engine {
    pub(super) fn icmp(&mut self, tpdu: &[u8], src: IpAddr, dst: IpAddr, found: &mut Hits<'_>) {
        let Some(p) = sigscope_gtp::gtpu::inner_packet(tpdu) else {
            return;
        };
        let (payload, v6, request, echo) = match &p.transport {
            Some(TransportSlice::Icmpv4(i)) => match i.icmp_type() {
                Icmpv4Type::EchoRequest(h) => (i.payload(), false, true, h),
                Icmpv4Type::EchoReply(h) => (i.payload(), false, false, h),
                _ => return,
            },
            Some(TransportSlice::Icmpv6(i)) => match i.icmp_type() {
                Icmpv6Type::EchoRequest(h) => (i.payload(), true, true, h),
                Icmpv6Type::EchoReply(h) => (i.payload(), true, false, h),
                _ => return,
            },
            _ => return,
        };
        // an echo reply carries its request's data back (RFC 792, RFC 4443 4.2): a reply
        // whose data differs is a tunnel's answer, whatever its size
        if self.icmp_reply_differs(payload, src, dst, &echo, request) {
            found.hit(&sig::ICMP_TUNNEL_IN_GTPU, || {
                json!({"icmpv6": v6, "echo_request": false, "payload_len": payload.len(),
                       "identifier": echo.id, "sequence": echo.seq,
                       "encoding": "reply_differs_from_request"})
            });
            return;
        }
        let t = &self.policy.thresholds;
        if ping_pattern(payload) {
            return;
        }
        if payload.len() <= t.icmp_ping_max_payload {
            // ping-sized: only encrypted-looking data that follows no ping fill
            if let Some(v) = ping_sized_encrypted(payload, t.binary_entropy_bits) {
                found.hit(&sig::ICMP_TUNNEL_IN_GTPU, || {
                    json!({"icmpv6": v6, "echo_request": request, "payload_len": payload.len(),
                           "ping_max": t.icmp_ping_max_payload, "encoding": "encrypted_ping_sized",
                           "entropy": round(v.entropy, 2)})
                });
            }
            return;
        }
        let examined = payload
            .get(..payload.len().min(ICMP_EXAMINED))
            .unwrap_or(payload);
        // encrypted, or at least varied (a tunnel's plain text): no ping fill is either
        let kind = match encoded_binary(examined, ICMP_MIN_EXAMINED, t.binary_entropy_bits) {
            Some(v) => v.kind,
            None if sigscope_core::octets::distinct(examined) >= ICMP_MIN_DISTINCT => "unpatterned",
            None => return,
        };
        found.hit(&sig::ICMP_TUNNEL_IN_GTPU, || {
            json!({"icmpv6": v6, "echo_request": request, "payload_len": payload.len(),
                   "ping_max": t.icmp_ping_max_payload, "encoding": kind,
                   "entropy": round(crate::content::entropy(examined), 2)})
        });
    }
}
