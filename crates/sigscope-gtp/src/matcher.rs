//! Request/response matching by peer pair and sequence number, bounded in entries and time.
//!
//! A request is remembered under its full transaction key: GTP version, plane (the class of
//! the GTP port in use: GTP-C, GTP-U or the GTPv0/GTP' port), sequence number, initiator
//! address and responder address. A response looks up the reversed pair. The key is stored as
//! it is (no digest of it), in a map with randomly keyed hashing, so that no two transactions
//! can be made to collide. Port *numbers* are not part of the key: TS 29.274 / 29.060
//! responders answer from the port the request went to, but some nodes answer from another
//! source port; the port *class* is, because GTP-C and GTP-U Echo between the same two nodes
//! are separate exchanges with independent sequence numbers.
//!
//! A message that acknowledges a response (GTPv1 SGSN Context Acknowledge, GTPv2 Context
//! Acknowledge) travels in the request's direction with the request's sequence number; it
//! completes that exchange rather than answering a request of its own.

use sigscope_core::{Anomaly, AnomalyCode, Layer};
use std::collections::VecDeque;

// Randomly seeded per table: sequence numbers and addresses are chosen by the peers.
use foldhash::HashMap;
use std::net::IpAddr;

use crate::{PORT_GTPC, PORT_GTPU, PORT_PRIME};

/// Most transactions remembered at once; the oldest are dropped beyond this.
pub const MAX_PENDING: usize = 65_536;
/// A request older than this (nanoseconds) is forgotten: 60 s, far above T3-RESPONSE x N3-REQUESTS
/// (typically 3 s x 5) so that retransmissions and slow answers are still matched.
pub const EXPIRY_NANOS: u64 = 60_000_000_000;

/// Which GTP path a message travels on, by the class of the GTP port it uses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Plane {
    /// GTP-C (port 2123).
    Control,
    /// GTP-U (port 2152).
    User,
    /// The GTPv0 / GTP' port (3386).
    V0Prime,
}

impl Plane {
    /// The plane of a datagram from `sport` to `dport`, when one of them is a GTP port (GTP-C
    /// first, then GTP-U, then 3386). The same for both directions of an exchange.
    pub const fn of_ports(sport: u16, dport: u16) -> Option<Plane> {
        if sport == PORT_GTPC || dport == PORT_GTPC {
            Some(Plane::Control)
        } else if sport == PORT_GTPU || dport == PORT_GTPU {
            Some(Plane::User)
        } else if sport == PORT_PRIME || dport == PORT_PRIME {
            Some(Plane::V0Prime)
        } else {
            None
        }
    }

    /// Label: "control", "user", "v0_prime".
    pub const fn as_str(self) -> &'static str {
        match self {
            Plane::Control => "control",
            Plane::User => "user",
            Plane::V0Prime => "v0_prime",
        }
    }
}

/// What part a message plays in a transaction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    /// It expects a response.
    Request,
    /// It answers a request of this type (sent back to the requester).
    Response {
        /// The request type it answers.
        answers: u8,
    },
    /// It acknowledges the response to a request of this type (sent by the requester).
    Acknowledge {
        /// The request type whose exchange it completes.
        request: u8,
    },
    /// Not part of a request/response exchange.
    Other,
}

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
    /// An acknowledge that completes a remembered exchange.
    Acknowledge {
        /// The request's message type.
        request_type: u8,
        /// Nanoseconds between request and acknowledge.
        latency_nanos: u64,
        /// The request's type is not the one this acknowledge completes.
        type_mismatch: bool,
    },
    /// A response (or acknowledge) to an exchange that was answered (acknowledged) already.
    DuplicateResponse,
    /// A response (or acknowledge) with no request remembered.
    UnmatchedResponse,
    /// Neither a request nor a response (or no sequence number): not tracked.
    Untracked,
}

impl Outcome {
    /// The anomaly this outcome raises for a message of type `msg_type` (layer `gtp`):
    /// `duplicate_request`, `response_type_mismatch` (value: the request's type),
    /// `duplicate_response`, `unmatched_response`; `None` for the others.
    pub fn anomaly(&self, msg_type: u8) -> Option<Anomaly> {
        let a = match *self {
            Outcome::Request | Outcome::Untracked => return None,
            Outcome::DuplicateRequest { answered, .. } => Anomaly::new(
                Layer::Gtp,
                AnomalyCode::DuplicateRequest,
                0,
                if answered {
                    "request repeated after it was answered"
                } else {
                    "request repeated before an answer"
                },
            )
            .with_value(u64::from(msg_type)),
            Outcome::Response {
                request_type,
                type_mismatch,
                ..
            }
            | Outcome::Acknowledge {
                request_type,
                type_mismatch,
                ..
            } => {
                if !type_mismatch {
                    return None;
                }
                let ack = matches!(self, Outcome::Acknowledge { .. });
                Anomaly::new(
                    Layer::Gtp,
                    AnomalyCode::ResponseTypeMismatch,
                    1,
                    if ack {
                        "acknowledge type does not complete the request type"
                    } else {
                        "response type does not answer the request type"
                    },
                )
                .with_value(u64::from(request_type))
            }
            Outcome::DuplicateResponse => Anomaly::new(
                Layer::Gtp,
                AnomalyCode::DuplicateResponse,
                0,
                "second response to one request",
            )
            .with_value(u64::from(msg_type)),
            Outcome::UnmatchedResponse => Anomaly::new(
                Layer::Gtp,
                AnomalyCode::UnmatchedResponse,
                0,
                "response with no request seen",
            )
            .with_value(u64::from(msg_type)),
        };
        Some(a)
    }
}

#[derive(Clone, Copy, Debug)]
struct Pending {
    ts: u64,
    msg_type: u8,
    count: u32,
    answered: bool,
    acknowledged: bool,
}

/// The full transaction key, kept as is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Key {
    version: u8,
    plane: Plane,
    seq: u32,
    initiator: IpAddr,
    responder: IpAddr,
}

/// The stateful matcher (one per decoding session).
#[derive(Default, Debug)]
pub struct Matcher {
    map: HashMap<Key, Pending>,
    order: VecDeque<(Key, u64)>,
    evicted: u64,
}

/// A message as the matcher needs it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Txn {
    /// GTP version (0, 1, 2; GTP' counts as its own version 0x80 | v).
    pub version: u8,
    /// The path it travels on.
    pub plane: Plane,
    /// Message type.
    pub msg_type: u8,
    /// Sequence number, if the message has one.
    pub seq: Option<u32>,
    /// Its part in a transaction.
    pub role: Role,
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

    /// Observe one message sent from `src` to `dst` at `ts` (nanoseconds). Port numbers are not
    /// part of the pairing (a response may come from another port than the request went to);
    /// the plane in `t` is.
    pub fn observe(&mut self, t: &Txn, src: IpAddr, dst: IpAddr, ts: u64) -> Outcome {
        self.outcome_of(t, src, dst, ts)
    }

    /// [`Matcher::observe`] with the outcome written into `out`, where the caller keeps it: an
    /// outcome returned from a call and copied at once is read back whole over the one or two
    /// fields just written, and waits on store forwarding.
    pub fn observe_into(
        &mut self,
        t: &Txn,
        src: IpAddr,
        dst: IpAddr,
        ts: u64,
        out: &mut Option<Outcome>,
    ) {
        *out = Some(self.outcome_of(t, src, dst, ts));
    }

    #[inline(always)]
    fn outcome_of(&mut self, t: &Txn, src: IpAddr, dst: IpAddr, ts: u64) -> Outcome {
        let Some(seq) = t.seq else {
            return Outcome::Untracked;
        };
        let key = |initiator, responder| Key {
            version: t.version,
            plane: t.plane,
            seq,
            initiator,
            responder,
        };
        self.expire(ts);
        match t.role {
            Role::Request => {
                let k = key(src, dst);
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
                        acknowledged: false,
                    },
                );
                self.order.push_back((k, ts));
                Outcome::Request
            }
            Role::Response { answers } => match self.map.get_mut(&key(dst, src)) {
                Some(p) if p.answered => Outcome::DuplicateResponse,
                Some(p) => {
                    p.answered = true;
                    Outcome::Response {
                        request_type: p.msg_type,
                        latency_nanos: ts.saturating_sub(p.ts),
                        type_mismatch: p.msg_type != answers,
                    }
                }
                None => Outcome::UnmatchedResponse,
            },
            // Same direction as the request: the requester acknowledges the response.
            Role::Acknowledge { request } => match self.map.get_mut(&key(src, dst)) {
                Some(p) if p.acknowledged => Outcome::DuplicateResponse,
                Some(p) => {
                    p.acknowledged = true;
                    Outcome::Acknowledge {
                        request_type: p.msg_type,
                        latency_nanos: ts.saturating_sub(p.ts),
                        type_mismatch: p.msg_type != request,
                    }
                }
                None => Outcome::UnmatchedResponse,
            },
            Role::Other => Outcome::Untracked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(seq: u32) -> Txn {
        Txn {
            version: 2,
            plane: Plane::Control,
            msg_type: 32,
            seq: Some(seq),
            role: Role::Request,
        }
    }
    fn resp(seq: u32) -> Txn {
        Txn {
            version: 2,
            plane: Plane::Control,
            msg_type: 33,
            seq: Some(seq),
            role: Role::Response { answers: 32 },
        }
    }
    fn v1(msg_type: u8, seq: u32, plane: Plane, role: Role) -> Txn {
        Txn {
            version: 1,
            plane,
            msg_type,
            seq: Some(seq),
            role,
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

    /// `observe_into` writes what `observe` returns, over a slot holding the last outcome.
    #[test]
    fn observe_into_is_observe() {
        let (mut m1, mut m2) = (Matcher::new(), Matcher::new());
        let (x, y): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let mut slot = Some(Outcome::UnmatchedResponse);
        let steps = [
            (req(7), x, y, 0),
            (req(7), x, y, 1_000),
            (resp(7), y, x, 5_000),
            (resp(7), y, x, 6_000),
            (resp(8), y, x, 6_000),
            (req(7), y, x, 7_000),
        ];
        for (t, s, d, ts) in steps {
            let want = m1.observe(&t, s, d, ts);
            m2.observe_into(&t, s, d, ts, &mut slot);
            assert_eq!(slot, Some(want));
        }
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

    #[test]
    fn control_and_user_echo_do_not_collide() {
        let mut m = Matcher::new();
        let (x, y): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let echo = |p| v1(1, 9, p, Role::Request);
        let reply = |p| v1(2, 9, p, Role::Response { answers: 1 });
        assert_eq!(Plane::of_ports(40000, 2123), Some(Plane::Control));
        assert_eq!(Plane::of_ports(2152, 2152), Some(Plane::User));
        assert_eq!(Plane::of_ports(2123, 2152), Plane::of_ports(2152, 2123));
        // Same IPs, same sequence number: GTP-C Echo and GTP-U Echo are two exchanges.
        assert_eq!(m.observe(&echo(Plane::Control), x, y, 0), Outcome::Request);
        assert_eq!(m.observe(&echo(Plane::User), x, y, 10), Outcome::Request);
        assert!(matches!(
            m.observe(&reply(Plane::User), y, x, 20),
            Outcome::Response { .. }
        ));
        assert!(matches!(
            m.observe(&reply(Plane::Control), y, x, 30),
            Outcome::Response { .. }
        ));
        // Versions are kept apart too.
        let mut e2 = echo(Plane::Control);
        e2.version = 2;
        assert_eq!(m.observe(&e2, x, y, 40), Outcome::Request);
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn sgsn_context_acknowledge_completes_the_exchange() {
        let mut m = Matcher::new();
        let (new_sgsn, old_sgsn): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let c = Plane::Control;
        assert_eq!(
            m.observe(&v1(50, 77, c, Role::Request), new_sgsn, old_sgsn, 0),
            Outcome::Request
        );
        assert!(matches!(
            m.observe(
                &v1(51, 77, c, Role::Response { answers: 50 }),
                old_sgsn,
                new_sgsn,
                5
            ),
            Outcome::Response {
                request_type: 50,
                type_mismatch: false,
                ..
            }
        ));
        let ack = v1(52, 77, c, Role::Acknowledge { request: 50 });
        assert_eq!(
            m.observe(&ack, new_sgsn, old_sgsn, 9),
            Outcome::Acknowledge {
                request_type: 50,
                latency_nanos: 9,
                type_mismatch: false
            }
        );
        assert_eq!(
            m.observe(&ack, new_sgsn, old_sgsn, 10),
            Outcome::DuplicateResponse
        );
        // An acknowledge in the other direction belongs to no exchange seen.
        assert_eq!(
            m.observe(&ack, old_sgsn, new_sgsn, 11),
            Outcome::UnmatchedResponse
        );
    }
}
