//! Reporting one message's findings: alerts out, flows flagged and tagged, the message remembered.

use serde_json::Value;
use sigscope_decode::Message;

use super::actors::Actor;
use super::flow::{Flag, Recent, Wire};
use super::Engine;
use crate::alert::{Alert, SigRef};
use crate::signatures::Signature;

impl Engine {
    /// The findings of one message (and of the operator rules) out, its flow flagged and
    /// tagged; the message remembered.
    #[allow(clippy::too_many_arguments)]
    #[cold]
    #[inline(never)]
    pub(super) fn report(
        &mut self,
        m: &Message<'_>,
        ts: f64,
        wire: Wire,
        flag: Option<Flag>,
        found: Found,
        passed: bool,
        out: &mut dyn FnMut(Alert),
    ) {
        let Found {
            mut hits,
            earlier,
            actor,
            member,
            alone,
        } = found;
        // signatures the policy switched off raise nothing and flag no flow
        if !self.disabled.is_empty() {
            hits.retain(|(s, ..)| self.disabled.binary_search(&s.id).is_err());
        }
        let parts = wire.parts();
        let mut recent = Recent::of(m, wire);
        let alert = |sig, evidence, suppressed, flow_id, tagged| Alert {
            sig,
            frame: m.frame,
            ts_nanos: m.ts_nanos,
            src: m.endpoints.map(|e| e.src),
            dst: m.endpoints.map(|e| e.dst),
            sport: m.endpoints.map(|e| e.sport),
            dport: m.endpoints.map(|e| e.dport),
            evidence,
            suppressed,
            flow_id,
            tagged,
        };
        let t = &self.policy.thresholds;
        let (window, max) = (t.tag_window_s, t.tag_max_per_flow);
        // built-in findings (rate-limited as found), then the operator rules' (never thinned
        // by the built-in rate limit): both flag their flow and have it tagged
        let mut findings: Vec<(SigRef, Value, u64)> = Vec::new();
        if !passed && !hits.is_empty() {
            findings.extend(
                hits.into_iter()
                    .map(|(s, ev, held)| (SigRef::Builtin(s), ev, held)),
            );
        }
        if let Some(r) = self.rules.as_mut() {
            r.drain(m, &mut |meta, evidence| {
                findings.push((SigRef::User(meta.clone()), evidence, 0));
            });
        }
        if !findings.is_empty() {
            recent.reported = true;
        }
        for (sig, evidence, held) in findings {
            self.stats.alerts += 1;
            *self.stats.per_signature.entry(sig.id()).or_default() += 1;
            // a finding about a GTP peer itself flags everything between the two peers
            let parts = if PEER_WIDE.contains(&sig.id()) {
                parts.peers()
            } else {
                parts
            };
            let flow_id = flag.as_ref().map_or_else(|| parts.flow_id(), |f| f.flow_id);
            if !self.learning {
                out(alert(sig.clone(), evidence, held, flow_id, false));
            }
            // a peer outside the interconnect is reported once per `outside_peer_window_s`:
            // its flow stays tagged until then (within the same count), so a standing
            // violation's messages between two reports are not lost
            let lasts = if sig.id() == crate::signatures::PEER_OUTSIDE_INTERCONNECT.id {
                window.max(t.outside_peer_window_s)
            } else {
                window
            };
            let new = Flag {
                sig,
                flow_id,
                alert_frame: m.frame,
                until: ts + lasts,
                left: max,
            };
            // what the finding covers starts at its first named message, or a window back
            let window_back = m.ts_nanos.saturating_sub((window * 1e9) as u64);
            let since = earlier
                .iter()
                .map(|(_, t)| *t)
                .min()
                .map_or(window_back, |t| t.min(window_back));
            let mut sent = 0u32;
            // messages the detector itself names as part of the finding (not of this flow);
            // the flow of each still remembered is flagged too, so its answers follow
            let named_max = if self.learning { 0 } else { max as usize };
            for (frame, ts_nanos) in earlier.iter().take(named_max) {
                self.stats.tagged += 1;
                sent += 1;
                // still remembered: reported with its own addresses, else by frame and time
                let remembered = self.flows.take_named(*frame);
                let named = Recent::named(*frame, *ts_nanos, wire, true);
                out(tagged_alert(&new, remembered.as_ref().unwrap_or(&named)));
                let Some(r) = remembered else {
                    continue;
                };
                let theirs = r.wire.parts();
                if theirs.flag_keys().eq(parts.flag_keys()) {
                    continue;
                }
                self.flows
                    .flag(&theirs, new.clone(), &mut self.stats.state_resets);
                for r in self.flows.earlier(&theirs, since, max.saturating_sub(sent)) {
                    if earlier.iter().any(|(f, _)| *f == r.frame) {
                        continue;
                    }
                    self.stats.tagged += 1;
                    sent += 1;
                    out(tagged_alert(&new, &r));
                }
            }
            // the attacker the finding names: its other messages are tagged, those still
            // remembered from before it too
            let named = actor.filter(|(id, _)| *id == new.sig.id()).map(|(_, a)| a);
            if let (Some(a), true) = (named, max > 0) {
                self.actors
                    .name(a, new.clone(), m, &mut self.stats.state_resets);
                for r in self.flows.earlier_of(&a, since, max) {
                    if earlier.iter().any(|(f, _)| *f == r.frame) {
                        continue;
                    }
                    self.stats.tagged += 1;
                    out(tagged_alert(&new, &r));
                }
            }
            if max > 0 && !alone && !self.learning {
                // an Echo found in a flow flagged already: the request it answers comes
                // with it (a flow flagged anew takes it with its earlier messages below)
                for r in self.flows.earlier_of_echo(&parts, max) {
                    self.stats.tagged += 1;
                    out(tagged_alert(&new, &r));
                }
            }
            if max > 0
                && !alone
                && !self
                    .flows
                    .flag(&parts, new.clone(), &mut self.stats.state_resets)
                && !self.learning
            {
                // the flow's messages before this alert (still remembered) are reported too
                for r in self.flows.earlier(&parts, since, max) {
                    // a message the detector named already went out
                    if earlier.iter().any(|(f, _)| *f == r.frame) {
                        continue;
                    }
                    self.stats.tagged += 1;
                    out(tagged_alert(&new, &r));
                }
            }
        }
        // a message of a flagged flow, else of a named attacker, is tagged
        let (tag, by) = match (flag, member) {
            (Some(f), _) => (Some(f), None),
            (None, Some((a, f))) => (Some(f), Some(a)),
            (None, None) => (None, None),
        };
        if self.learning {
            return;
        }
        if let (false, Some(f)) = (recent.reported || passed, tag) {
            recent.reported = true;
            self.stats.tagged += 1;
            self.flows.tagged(&parts, &f);
            if let Some(a) = by {
                self.actors.used(&a);
            }
            // an Echo answer's request, not reported when it went by (its shape was not the
            // flagged one), comes with it
            let left = f.left.saturating_sub(1);
            for r in self.flows.earlier_of_echo(&parts, left) {
                self.stats.tagged += 1;
                out(tagged_alert(&f, &r));
            }
            out(tagged_alert(&f, &recent));
        }
        self.flows.remember(recent);
    }
}

/// Findings about a GTP peer itself (a rogue session peer): their flow is everything between
/// the two peers, whatever message raised them. (A peer outside the interconnect, 3006, is
/// reported once an hour with its count of messages: its flow alone is tagged, so that an
/// operator's undeclared but busy node does not turn into thousands of tagged lines.)
const PEER_WIDE: [u32; 1] = [crate::signatures::ROGUE_GTP_SESSION_PEER.id];

/// What the detectors found in one message, for [`Engine::report`].
pub(super) struct Found {
    /// Admitted findings: signature, evidence, alerts held back before it.
    pub(super) hits: Vec<(&'static Signature, Value, u64)>,
    /// Earlier messages (frame, time) a detector names as part of its finding.
    pub(super) earlier: Vec<(u64, u64)>,
    /// The attacker a finding names (by signature id).
    pub(super) actor: Option<(u32, Actor)>,
    /// The named attacker this message is of, with its finding's flag.
    pub(super) member: Option<(Actor, Flag)>,
    /// The findings flag no flow ([`Hits::alone`](super::Hits::alone)).
    pub(super) alone: bool,
}

/// The tagged alert of a flagged flow's message `r`.
fn tagged_alert(f: &Flag, r: &Recent) -> Alert {
    Alert {
        sig: f.sig.clone(),
        frame: r.frame,
        ts_nanos: r.ts_nanos,
        src: r.src(),
        dst: r.dst(),
        sport: r.sport(),
        dport: r.dport(),
        evidence: serde_json::json!({"flow": r.wire.kind().name(), "alert_frame": f.alert_frame}),
        suppressed: 0,
        flow_id: f.flow_id,
        tagged: true,
    }
}
