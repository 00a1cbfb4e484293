//! Short message routing: a sendRoutingInfoForSM answer's IMSI remembered with its frame,
//! so that a short message delivery found names the query that routed it.

use sigscope_decode::Message;
use sigscope_map::OpCode;

use super::hits::Hits;
use super::{octets_digest, Engine};

/// Places of the table of recent sendRoutingInfoForSM answers (by the IMSI they gave).
pub const SM_ROUTE_SLOTS: usize = 1024;
/// How long an SRI-SM answer is taken as the routing of a delivery to its IMSI (seconds).
pub const SM_ROUTE_WINDOW_S: f64 = 600.0;

impl Engine {
    /// A sendRoutingInfoForSM answer's IMSI remembered with its frame; a short message
    /// delivery found (mt-ForwardSM, or forwardSM to an IMSI) named with the answer that gave
    /// its IMSI within [`SM_ROUTE_WINDOW_S`] (its flow then brings the query too).
    #[inline(never)]
    pub(super) fn sm_route(&mut self, m: &Message<'_>, found: &mut Hits<'_>) {
        for e in m.map {
            let Some(p) = &e.param else { continue };
            match (p.opcode, p.kind) {
                (OpCode::SEND_ROUTING_INFO_FOR_SM, sigscope_map::Kind::ReturnResult) => {
                    if let Some(i) = p.imsi {
                        self.sm_route_seen(octets_digest(i.raw), m.frame, m.ts_nanos);
                    }
                }
                (OpCode::MT_FORWARD_SM | OpCode::MO_FORWARD_SM, sigscope_map::Kind::Invoke)
                    if !found.out.is_empty() =>
                {
                    if let Some(sigscope_map::SmRpDa::Imsi(i)) = p.sm_rp_da {
                        self.sm_route_named(octets_digest(i.raw), m.ts_nanos, found);
                    }
                }
                _ => {}
            }
        }
    }

    /// Remember an SRI-SM answer (out of line: one of many message kinds).
    #[cold]
    #[inline(never)]
    fn sm_route_seen(&mut self, key: u64, frame: u64, ts: u64) {
        if self.sm_routes.is_empty() {
            self.sm_routes = vec![(0, 0, 0); SM_ROUTE_SLOTS];
        }
        if let Some(s) = self.sm_routes.get_mut(key as usize % SM_ROUTE_SLOTS) {
            *s = (key, frame, ts);
        }
    }

    /// Name the SRI-SM answer of a delivery found (out of line: rare).
    #[cold]
    #[inline(never)]
    fn sm_route_named(&mut self, key: u64, ts: u64, found: &mut Hits<'_>) {
        let window = (SM_ROUTE_WINDOW_S * 1e9) as u64;
        if let Some(&(k, frame, at)) = self.sm_routes.get(key as usize % SM_ROUTE_SLOTS) {
            if k == key
                && at <= ts
                && ts - at <= window
                && !found.earlier.iter().any(|(f, _)| *f == frame)
            {
                found.earlier.push((frame, at));
            }
        }
    }
}
