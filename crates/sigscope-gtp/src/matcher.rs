//! Request/response matching by peer pair and sequence number, bounded in entries and time.
//!
//! A request is remembered under (version, sequence number, initiator address, responder
//! address); a response looks up the reversed pair. Ports are not part of the key: TS 29.274 /
//! 29.060 responders answer from the port the request went to, but some nodes answer from
//! another source port, and the addresses plus the sequence number are what identify the
//! transaction.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::net::IpAddr;

/// Most transactions remembered at once; the oldest are dropped beyond this.
pub const MAX_PENDING: usize = 65_536;
/// A request older than this (nanoseconds) is forgotten: 60 s, far above T3-RESPONSE x N3-REQUESTS
/// (typically 3 s x 5) so that retransmissions and slow answers are still matched.
pub const EXPIRY_NANOS: u64 = 60_000_000_000;

/// What the matcher made of one message.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// A new request, now pending.
    Request,
    /// A request seen again with the same sequence number while still remembered
    /// (a retransmission, or a replay when it had been answered already).
    DuplicateRequest {
        /// Times seen so far (2 = first repeat).
        count: u32,
        /// It had already been answered.
        answered: bool,
    },
    /// A response that answers a pending request.
    Response {
        /// The request's message type.
        request_type: u8,
        /// Nanoseconds between request and response.
        latency_nanos: u64,
        /// The request's type is not the one this response answers.
        type_mismatch: bool,
    },
    /// A response to a request that was answered already.
    DuplicateResponse,
    /// A response with no request remembered.
    UnmatchedResponse,
    /// Neither a request nor a response (or no sequence number): not tracked.
    Untracked,
}

#[derive(Clone, Copy, Debug)]
struct Pending {
    ts: u64,
    msg_type: u8,
    count: u32,
    answered: bool,
}

/// The stateful matcher (one per decoding session).
#[derive(Default, Debug)]
pub struct Matcher {
    map: HashMap<u64, Pending>,
    order: VecDeque<(u64, u64)>,
    evicted: u64,
}

fn key(version: u8, seq: u32, initiator: IpAddr, responder: IpAddr) -> u64 {
    let mut h = DefaultHasher::new();
    (version, seq, initiator, responder).hash(&mut h);
    h.finish()
}

/// A message as the matcher needs it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Txn {
    /// GTP version (0, 1, 2; GTP' counts as its own version 0x80 | v).
    pub version: u8,
    /// Message type.
    pub msg_type: u8,
    /// Sequence number, if the message has one.
    pub seq: Option<u32>,
    /// It expects a response.
    pub is_request: bool,
    /// For a response: the type of the request it answers.
    pub answers: Option<u8>,
}

impl Matcher {
    /// New, empty.
    pub fn new() -> Self {
        Self::default()
    }

    /// Transactions currently remembered.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Nothing remembered.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Entries dropped because [`MAX_PENDING`] was reached.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    fn expire(&mut self, now: u64) {
        while let Some(&(k, ts)) = self.order.front() {
            if now.saturating_sub(ts) <= EXPIRY_NANOS
                && self.map.len() < MAX_PENDING
                && self.order.len() <= 2 * MAX_PENDING
            {
                break;
            }
            self.order.pop_front();
            if self.map.get(&k).is_some_and(|p| p.ts == ts) {
                self.map.remove(&k);
                if now.saturating_sub(ts) <= EXPIRY_NANOS {
                    self.evicted += 1;
                }
            }
        }
    }

    /// Observe one message sent from `src` to `dst` at `ts` (nanoseconds). Ports are not part
    /// of the pairing: a response may come from another port than the request went to.
    pub fn observe(&mut self, t: &Txn, src: IpAddr, dst: IpAddr, ts: u64) -> Outcome {
        let Some(seq) = t.seq else {
            return Outcome::Untracked;
        };
        self.expire(ts);
        if t.is_request {
            let k = key(t.version, seq, src, dst);
            if let Some(p) = self.map.get_mut(&k) {
                if ts.saturating_sub(p.ts) <= EXPIRY_NANOS && p.msg_type == t.msg_type {
                    p.count = p.count.saturating_add(1);
                    return Outcome::DuplicateRequest {
                        count: p.count,
                        answered: p.answered,
                    };
                }
            }
            self.map.insert(
                k,
                Pending {
                    ts,
                    msg_type: t.msg_type,
                    count: 1,
                    answered: false,
                },
            );
            self.order.push_back((k, ts));
            Outcome::Request
        } else if let Some(req) = t.answers {
            let k = key(t.version, seq, dst, src);
            match self.map.get_mut(&k) {
                Some(p) if p.answered => Outcome::DuplicateResponse,
                Some(p) => {
                    p.answered = true;
                    Outcome::Response {
                        request_type: p.msg_type,
                        latency_nanos: ts.saturating_sub(p.ts),
                        type_mismatch: p.msg_type != req,
                    }
                }
                None => Outcome::UnmatchedResponse,
            }
        } else {
            Outcome::Untracked
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(seq: u32) -> Txn {
        Txn {
            version: 2,
            msg_type: 32,
            seq: Some(seq),
            is_request: true,
            answers: None,
        }
    }
    fn resp(seq: u32) -> Txn {
        Txn {
            version: 2,
            msg_type: 33,
            seq: Some(seq),
            is_request: false,
            answers: Some(32),
        }
    }

    #[test]
    fn pairs_and_reports() {
        let mut m = Matcher::new();
        let (x, y): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let a = (x, y);
        let b = (y, x);
        assert_eq!(m.observe(&req(7), a.0, a.1, 0), Outcome::Request);
        assert_eq!(
            m.observe(&req(7), a.0, a.1, 1_000),
            Outcome::DuplicateRequest {
                count: 2,
                answered: false
            }
        );
        assert!(matches!(
            m.observe(&resp(7), b.0, b.1, 5_000),
            Outcome::Response {
                request_type: 32,
                latency_nanos: 5_000,
                type_mismatch: false
            }
        ));
        assert_eq!(
            m.observe(&resp(7), b.0, b.1, 6_000),
            Outcome::DuplicateResponse
        );
        assert_eq!(
            m.observe(&resp(8), b.0, b.1, 6_000),
            Outcome::UnmatchedResponse
        );
        // Same sequence number in the other direction is another transaction.
        assert_eq!(m.observe(&req(7), b.0, b.1, 7_000), Outcome::Request);
    }

    #[test]
    fn expiry_and_bound() {
        let mut m = Matcher::new();
        let (x, y): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let a = (x, y);
        let b = (y, x);
        m.observe(&req(1), a.0, a.1, 0);
        assert_eq!(
            m.observe(&resp(1), b.0, b.1, EXPIRY_NANOS + 1),
            Outcome::UnmatchedResponse
        );
        assert!(m.is_empty());
        for i in 0..(MAX_PENDING as u32 + 10) {
            m.observe(&req(i), a.0, a.1, 1);
        }
        assert!(m.len() <= MAX_PENDING);
        assert!(m.evicted() >= 10);
    }

    #[test]
    fn ipv6_peers_pair_whatever_the_ports() {
        let mut m = Matcher::new();
        let x: IpAddr = "2001:db8::1".parse().unwrap_or(IpAddr::from([0u16; 8]));
        let y: IpAddr = "2001:db8::2".parse().unwrap_or(IpAddr::from([0u16; 8]));
        assert_eq!(m.observe(&req(3), x, y, 0), Outcome::Request);
        assert!(matches!(
            m.observe(&resp(3), y, x, 10),
            Outcome::Response { .. }
        ));
        assert_eq!(m.observe(&resp(3), x, y, 20), Outcome::UnmatchedResponse);
    }
}
