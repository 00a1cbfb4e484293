//! GTP Echo (3020, 3025, Echo beacons under 3005): private extensions, restart counters, paths.

use std::net::IpAddr;

use serde_json::json;
use sigscope_decode::{GtpLayer, Message};
use sigscope_gtp::v1::V1Value;
use sigscope_gtp::v2::V2Value;
use sigscope_gtp::Message as Gtp;

use super::gtp_peers::{
    ECHO_BEACON_MIN_SIZES, ECHO_BEACON_REALERT_S, ECHO_PE_CHANGES, ECHO_PE_JUDGED_ALONE,
    ECHO_PE_KEPT, ECHO_PE_MIN_LEN, ECHO_PE_STRICT_BELOW, ECHO_RECOVERY_CHANGES,
    ECHO_RECOVERY_VALUES, ECHO_RECOVERY_WINDOW_S, MAX_GTP_PEERS,
};
use super::*;
use crate::content::encoded_binary;
use crate::signatures as sig;

/// How a peer's Echo private extension stands to its last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PeHistory {
    /// The peer's first.
    First,
    /// The same as the last, or a counter or clock in it moved.
    Repeat,
    /// Different (or too short to compare).
    Differs,
}

/// One peer's restart counter: the distinct values seen since `since`, oldest first, each
/// with the Echo (frame, time) that brought it.
#[derive(Debug, Clone, Copy)]
pub(super) struct EchoRecovery {
    seen: [(u8, (u64, u64)); ECHO_RECOVERY_VALUES],
    n: u8,
    since: f64,
    alerted_at: Option<f64>,
    /// The last Echo's value.
    last: u8,
    /// The source port of the last Echo: a change counts only from the same socket (two
    /// nodes behind one NAT address keep a counter each, on ports of their own).
    last_port: Option<u16>,
    /// The sequence number of the last Echo: a change counts only when this Echo's continues
    /// it (one stack numbers its Echoes in turn; two stacks, or answers to two requesters,
    /// behind one socket interleave two numberings).
    last_seq: Option<u32>,
    /// Changes from one socket since `changes_since` (the window starts at the first).
    changes: u8,
    changes_since: f64,
    /// The Echoes (frame, time) of the last [`ECHO_RECOVERY_CHANGES`] changes (a ring).
    changed: [(u64, u64); ECHO_RECOVERY_CHANGES],
}

/// How far on an Echo's sequence number may be from the last one's for the two to be one
/// stack's in turn (Echoes lost between them).
const ECHO_SEQ_NEXT_WITHIN: u32 = 8;

/// An Echo's stack as the restart-counter table keys it: GTP version, user plane, response.
fn echo_stack(version: u8, user_plane: bool, response: bool) -> u8 {
    version << 2 | u8::from(user_plane) << 1 | u8::from(response)
}

/// The last Echo private extension of one peer, and how many Echoes in a row changed it.
#[derive(Debug, Clone, Copy)]
pub(super) struct EchoPe {
    enterprise: u16,
    len: u16,
    kept: [u8; ECHO_PE_KEPT],
    changes: u8,
    /// When it was last reported (3025): reported again once the tagging of the last report
    /// has run out, so a beacon of hours is reported whole.
    alerted_at: Option<f64>,
}

impl EchoPe {
    /// Whether `value` is another value than this one almost whole ([`changed_whole`] of
    /// the octets kept).
    fn changed_whole_to(&self, value: &[u8]) -> bool {
        let before = self
            .kept
            .get(..usize::from(self.len).min(ECHO_PE_KEPT))
            .unwrap_or(&[]);
        let now = value.get(..value.len().min(ECHO_PE_KEPT)).unwrap_or(&[]);
        changed_whole(before, usize::from(self.len), now, value.len())
    }
}

/// The first private extension of a GTPv1 or GTPv2 message (enterprise id, value).
fn first_private_extension<'a>(g: &GtpLayer<'a>) -> Option<(u16, &'a [u8])> {
    match &g.decoded.message {
        Gtp::V2(x) => x
            .ies()
            .map_while(Result::ok)
            .find_map(|ie| match ie.decode() {
                Ok(V2Value::PrivateExtension { enterprise, value }) => Some((enterprise, value)),
                _ => None,
            }),
        Gtp::V1(x) => x
            .ies()
            .map_while(Result::ok)
            .find_map(|ie| match ie.decode() {
                Ok(V1Value::PrivateExtension { enterprise, value }) => Some((enterprise, value)),
                _ => None,
            }),
        _ => None,
    }
}

/// Whether `b` is another value than `a` almost whole: another length, or at least half of
/// the octets compared differ (a counter or a clock changes a few low octets; a value shorter
/// than [`ECHO_PE_STRICT_BELOW`]: all but one). `a`, `b`: the octets kept of each; `a_len`,
/// `b_len`: their lengths.
fn changed_whole(a: &[u8], a_len: usize, b: &[u8], b_len: usize) -> bool {
    if a_len != b_len {
        return true;
    }
    let n = a.len().min(b.len());
    let differ = a.iter().zip(b).filter(|(x, y)| x != y).count();
    if n < ECHO_PE_STRICT_BELOW {
        return n > 0 && differ + 1 >= n;
    }
    n > 0 && differ * 2 >= n
}

impl Engine {
    /// Whether node `ip`'s Echo restart counter changed within `window` seconds before `ts`
    /// (it restarted: the tunnels it answers for no longer exist, their answers are stale).
    /// Read only when an answer of no such tunnel is judged.
    pub(super) fn restarted_within(&self, ip: IpAddr, ts: f64, window: f64) -> bool {
        self.fam
            .restarts
            .get(&ip)
            .is_some_and(|c| ts >= *c && ts - *c <= window)
    }

    /// Whether two peers keep an Echo path on the control plane (an Echo with a restart
    /// counter went between them, either way).
    pub(super) fn echo_path(&self, a: IpAddr, b: IpAddr) -> bool {
        let t = &self.fam.echo_recoveries;
        [1u8, 2].into_iter().any(|v| {
            [false, true].into_iter().any(|response| {
                let st = echo_stack(v, false, response);
                t.contains_key(&(a, b, st)) || t.contains_key(&(b, a, st))
            })
        })
    }

    /// A peer whose Echoes' restart counter takes [`ECHO_RECOVERY_VALUES`] values within
    /// [`ECHO_RECOVERY_WINDOW_S`] (3025): a byte per Echo in a field real nodes change once
    /// per restart; or, from a peer in no session, changes [`ECHO_RECOVERY_CHANGES`] times
    /// within it from one socket (source port) whatever its values (two values going back
    /// and forth: a bit per Echo).
    pub(super) fn echo_recovery(
        &mut self,
        g: &GtpLayer<'_>,
        (src, dst): (IpAddr, IpAddr),
        recovery: u8,
        ts: f64,
        found: &mut Hits<'_>,
    ) {
        let msg = &g.decoded.message;
        // requests and responses apart too: encoders differ in which counter an answer
        // carries, but each keeps to its own
        let stack = echo_stack(
            msg.version(),
            g.plane == sigscope_gtp::matcher::Plane::User,
            msg.message_type() == GTP_ECHO_RESPONSE,
        );
        let key = (src, dst, stack);
        let sessionless = !self.fam.peers.get(&src).is_some_and(|p| p.sessions);
        let again = self.policy.thresholds.tag_window_s;
        let table = &mut self.fam.echo_recoveries;
        if table.len() >= MAX_GTP_PEERS && !table.contains_key(&key) {
            bounded(table, &mut self.stats.state_resets);
        }
        let here = (recovery, (found.ctx.m.frame, found.ctx.m.ts_nanos));
        let port = found.ctx.m.endpoints.map(|e| e.sport);
        let seq = msg.sequence();
        let e = table.entry(key).or_insert(EchoRecovery {
            seen: [here; ECHO_RECOVERY_VALUES],
            n: 1,
            since: ts,
            alerted_at: None,
            last: recovery,
            last_port: port,
            last_seq: seq,
            changes: 0,
            changes_since: ts,
            changed: [here.1; ECHO_RECOVERY_CHANGES],
        });
        // the same socket, and the Echo numbered next (within a few: lost Echoes), modulo
        // the version's sequence width
        let width = if msg.version() == 2 {
            0x00ff_ffff
        } else {
            0xffff
        };
        let next = match (e.last_seq, seq) {
            (Some(a), Some(b)) => (1..=ECHO_SEQ_NEXT_WITHIN).contains(&(b.wrapping_sub(a) & width)),
            _ => false,
        };
        let same_socket = e.last_port == port && next;
        e.last_port = port;
        e.last_seq = seq;
        if recovery == e.last {
            return;
        }
        // a change from the same socket: counted within the window (a peer in no session),
        // whatever the value
        e.last = recovery;
        // (bounded as the peers are; a full table is emptied: restarts are rare)
        let restarts = &mut self.fam.restarts;
        if restarts.len() >= MAX_GTP_PEERS && !restarts.contains_key(&src) {
            restarts.clear();
        }
        restarts.insert(src, ts);
        if ts - e.changes_since > ECHO_RECOVERY_WINDOW_S || ts < e.changes_since {
            e.changes = 0;
            e.changes_since = ts;
        }
        if same_socket {
            if let Some(w) = e
                .changed
                .get_mut(usize::from(e.changes) % ECHO_RECOVERY_CHANGES)
            {
                *w = here.1;
            }
            e.changes = e.changes.saturating_add(1);
        }
        let due = e.alerted_at.map_or(true, |a| ts - a >= again || ts < a);
        if sessionless && usize::from(e.changes) >= ECHO_RECOVERY_CHANGES && due {
            e.alerted_at = Some(ts);
            let (changed, changes, since) = (e.changed, e.changes, e.changes_since);
            found.hit(&sig::GTP_ECHO_PRIVATE_EXTENSION_VARIES, || {
                json!({"message": gtp_name(g), "peer": src.to_string(), "field": "recovery",
                       "recovery_changes": changes, "sessions": false,
                       "within_s": round(ts - since, 1)})
            });
            if found.admitted(sig::GTP_ECHO_PRIVATE_EXTENSION_VARIES.id) {
                let me = found.ctx.m.frame;
                found
                    .earlier
                    .extend(changed.iter().copied().filter(|w| w.0 != me));
            }
            return;
        }
        let n = usize::from(e.n);
        if e.seen.iter().take(n).any(|(v, _)| *v == recovery) {
            return;
        }
        if ts - e.since > ECHO_RECOVERY_WINDOW_S || ts < e.since {
            // a new window starts with the value before and this one
            let last = e.seen.get(n.saturating_sub(1)).copied().unwrap_or(here);
            e.seen = [here; ECHO_RECOVERY_VALUES];
            e.seen[0] = last;
            e.n = 2;
            e.since = ts;
        } else if n >= ECHO_RECOVERY_VALUES {
            // a channel that goes on: the window slides (every new value is judged)
            e.seen.rotate_left(1);
            if let Some(w) = e.seen.last_mut() {
                *w = here;
            }
        } else {
            if let Some(w) = e.seen.get_mut(n) {
                *w = here;
            }
            e.n += 1;
        }
        let due = e.alerted_at.map_or(true, |a| ts - a >= again || ts < a);
        if usize::from(e.n) >= ECHO_RECOVERY_VALUES && due {
            e.alerted_at = Some(ts);
            let (seen, since) = (e.seen, e.since);
            found.hit(&sig::GTP_ECHO_PRIVATE_EXTENSION_VARIES, || {
                let values: Vec<u8> = seen.iter().map(|(v, _)| *v).collect();
                json!({"message": gtp_name(g), "peer": src.to_string(), "field": "recovery",
                       "recovery_values": values, "within_s": round(ts - since, 1)})
            });
            // the Echoes that brought each value are part of it (older than what the flow
            // remembers when the beat is slow)
            if found.admitted(sig::GTP_ECHO_PRIVATE_EXTENSION_VARIES.id) {
                let me = found.ctx.m.frame;
                found
                    .earlier
                    .extend(seen.iter().map(|(_, w)| *w).filter(|w| w.0 != me));
            }
        }
    }

    /// An Echo's private extension: one that looks encrypted from a peer in no session
    /// (3020), one that changes almost whole from each Echo of a peer to the next (3025).
    pub(super) fn echo_payload(&mut self, g: &GtpLayer<'_>, src: IpAddr, found: &mut Hits<'_>) {
        // the decoder's summary says whether there is one (most Echoes carry none)
        if !g.summary.private_extension {
            return;
        }
        let Some((enterprise, value)) = first_private_extension(g) else {
            return;
        };
        let history = self.echo_pe_varies(g, src, enterprise, value, found);
        // a value the peer sent before (or a counter or clock in it moved) is its vendor's
        // identifier or keepalive data, judged when it was new; a short value's entropy says
        // little (eight distinct octets measure as random), so a short one is judged when the
        // peer's next Echo shows it is no constant or counter
        let short_first = history == PeHistory::First && value.len() < ECHO_PE_JUDGED_ALONE;
        // (a vendor's record of text fields, its version and counters, is no payload
        // either, on its first Echo too)
        if history == PeHistory::Repeat
            || short_first
            || self.fam.peers.get(&src).is_some_and(|p| p.sessions)
            || super::structure::vendor_text(value)
        {
            return;
        }
        let t = &self.policy.thresholds;
        if let Some(v) = encoded_binary(value, ECHO_PE_MIN_LEN, t.binary_entropy_bits) {
            found.hit(&sig::GTP_ECHO_PAYLOAD_SESSIONLESS_PEER, || {
                json!({"message": gtp_name(g), "peer": src.to_string(), "enterprise": enterprise,
                       "len": value.len(), "encoding": v.kind, "entropy": round(v.entropy, 2)})
            });
        }
    }

    /// Whether an Echo's first private extension from `src` repeats the peer's last one (the
    /// same value, or a counter or clock in it moved): a vendor's identifier or keepalive data
    /// (read before [`Engine::echo_pe_varies`] records the Echo).
    pub(super) fn echo_pe_repeats(&self, g: &GtpLayer<'_>, src: IpAddr) -> bool {
        let Some((enterprise, value)) = first_private_extension(g) else {
            return false;
        };
        value.len() >= ECHO_PE_MIN_LEN
            && self
                .fam
                .echo_pes
                .get(&src)
                .is_some_and(|e| e.enterprise == enterprise && !e.changed_whole_to(value))
    }

    /// A peer whose Echo private extensions (of at least [`ECHO_PE_MIN_LEN`] octets) change
    /// almost whole [`ECHO_PE_CHANGES`] times in a row: data, whatever its entropy (a few
    /// octets each, from a node in sessions, are as good a channel as one large one).
    /// Returns how the value stands to the peer's last one: the first, a repeat (the same, or
    /// a counter or clock in it moved), or different.
    fn echo_pe_varies(
        &mut self,
        g: &GtpLayer<'_>,
        src: IpAddr,
        enterprise: u16,
        value: &[u8],
        found: &mut Hits<'_>,
    ) -> PeHistory {
        if value.len() < ECHO_PE_MIN_LEN {
            return PeHistory::Differs;
        }
        let mut kept = [0u8; ECHO_PE_KEPT];
        let n = value.len().min(ECHO_PE_KEPT);
        if let (Some(k), Some(v)) = (kept.get_mut(..n), value.get(..n)) {
            k.copy_from_slice(v);
        }
        let len = u16::try_from(value.len()).unwrap_or(u16::MAX);
        let table = &mut self.fam.echo_pes;
        if table.len() >= MAX_GTP_PEERS && !table.contains_key(&src) {
            bounded(table, &mut self.stats.state_resets);
        }
        let fresh = EchoPe {
            enterprise,
            len,
            kept,
            changes: 0,
            alerted_at: None,
        };
        let seen = table.contains_key(&src);
        let e = table.entry(src).or_insert(fresh);
        let same_enterprise = e.enterprise == enterprise;
        let changed = same_enterprise && e.changed_whole_to(value);
        e.changes = if changed {
            e.changes.saturating_add(1)
        } else {
            0
        };
        e.enterprise = enterprise;
        e.len = len;
        e.kept = kept;
        let ts = found.ctx.ts;
        let again = self.policy.thresholds.tag_window_s;
        let due = e.alerted_at.map_or(true, |a| ts - a >= again || ts < a);
        if e.changes >= ECHO_PE_CHANGES && due {
            e.alerted_at = Some(ts);
            let changes = e.changes;
            found.hit(&sig::GTP_ECHO_PRIVATE_EXTENSION_VARIES, || {
                json!({"message": gtp_name(g), "peer": src.to_string(), "enterprise": enterprise,
                       "len": value.len(), "changed_in_a_row": changes})
            });
        }
        match (seen, same_enterprise && !changed) {
            (false, _) => PeHistory::First,
            (true, true) => PeHistory::Repeat,
            (true, false) => PeHistory::Differs,
        }
    }

    /// Echo at a jittered period with varying sizes between peers that carry no session
    /// (with a policy: that are not both declared GTP peers) — BEACONING (3005).
    pub(super) fn echo_beacon(
        &mut self,
        m: &Message<'_>,
        g: &GtpLayer<'_>,
        ctx: &Ctx,
        size: Option<u64>,
        found: &mut Hits<'_>,
    ) {
        let Some(e) = &m.endpoints else { return };
        let declared = |ip: IpAddr| {
            self.peers.iter().any(|c| c.contains(ip))
                || self.fam.session_blocks.iter().any(|c| c.contains(ip))
                || self.fam.peers.get(&ip).is_some_and(|p| p.sessions)
        };
        if declared(e.src) && declared(e.dst) {
            return;
        }
        let t = &self.policy.thresholds;
        let (n, max_cv, min_period) = (
            t.beacon_min_events.min(BEACON_HISTORY),
            t.echo_jitter_max_cv,
            t.beacon_min_period_s,
        );
        let msg = &g.decoded.message;
        let key =
            BeaconKey::Echo(ctx.pair(), msg.version(), msg.message_type()).digest(self.beacon_seed);
        let size = size.map_or(0, |s| u16::try_from(s).unwrap_or(u16::MAX));
        let Some(b) = self.beacon_slot(key, ctx.ts, size) else {
            return;
        };
        if usize::from(b.count) < n
            || n < 3
            || b.alerted_at
                .is_some_and(|a| ctx.ts - a < ECHO_BEACON_REALERT_S)
        {
            return;
        }
        let gaps = || {
            b.last(n)
                .zip(b.last(n).skip(1))
                .map(|((a, _), (c, _))| c - a)
        };
        let count = (n - 1) as f64;
        let mean = gaps().sum::<f64>() / count;
        if mean < min_period {
            return;
        }
        let cv = (gaps().map(|x| (x - mean).powi(2)).sum::<f64>() / count).sqrt() / mean;
        let mut sizes = [0u16; BEACON_HISTORY];
        let mut distinct = 0usize;
        for (_, s) in b.last(n) {
            let known = sizes.get(..distinct).is_some_and(|k| k.contains(&s));
            if !known {
                if let Some(slot) = sizes.get_mut(distinct) {
                    *slot = s;
                    distinct += 1;
                }
            }
        }
        if cv <= max_cv && distinct >= ECHO_BEACON_MIN_SIZES {
            b.alerted_at = Some(ctx.ts);
            found.hit(&sig::BEACONING, || {
                json!({"gtp": gtp_name(g), "from": ctx.pair().0.to_json(), "to": ctx.pair().1.to_json(),
                       "timing": {"events": n, "period_s": round(mean, 3), "cv": round(cv, 3),
                                  "max_cv": max_cv, "distinct_sizes": distinct, "jittered": true}})
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::changed_whole;

    /// Another length, or half the octets other, is a changed value; a counter's or a
    /// clock's few low octets are not.
    #[test]
    fn values_that_change_whole() {
        let a = [1u8, 2, 3, 4, 5, 6, 7, 8];
        assert!(!changed_whole(&a, 8, &a, 8));
        assert!(changed_whole(&a, 8, &a[..7], 7));
        assert!(
            changed_whole(&a, 40, &a, 8),
            "lengths beyond the octets kept"
        );
        let mut b = a;
        b[7] = 9;
        b[6] = 9;
        b[5] = 9;
        assert!(!changed_whole(&a, 8, &b, 8));
        b[4] = 9;
        assert!(changed_whole(&a, 8, &b, 8));
    }
}
