//! `[signatures] disabled` in the policy: a signature switched off raises nothing and flags
//! no flow, while the others still fire (frames made with the project's emitters).

#[path = "../crates/sigscope-rules/tests/support/mod.rs"]
mod support;

use sigscope::decode::{Decoder, Options};
use sigscope::rules::{Engine, Policy};
use support::*;

/// (signature id, tagged) of every alert over `frames`.
fn alerts(frames: &[Frame], policy: Policy) -> Vec<(u32, bool)> {
    let mut d = Decoder::new(Options::default());
    let mut e = Engine::new(policy);
    let mut out = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        d.packet(&packet(1 + i as u64, f), &mut |m| {
            e.observe(m, &mut |a| out.push((a.sig.id(), a.tagged)))
        });
    }
    out
}

#[test]
fn a_disabled_signature_stays_silent_and_flags_nothing() {
    // GTPv2 Echo with an IMSI IE (1001), its answer (a member of its flow by its sequence
    // number), then an anyTimeInterrogation from a foreign global title (3002)
    let frames = [
        Frame::at(
            0.0,
            udp(
                FOREIGN,
                PGW,
                GTPC,
                GTPC,
                &echo_request_v2(1, vec![v2_recovery(3), v2_imsi("234150123456789")]),
            ),
        ),
        Frame::at(
            1.0,
            udp(
                PGW,
                FOREIGN,
                GTPC,
                GTPC,
                &echo_response_v2(1, vec![v2_recovery(3)]),
            ),
        ),
        Frame::at(
            2.0,
            map_invoke(
                0x7700_0001,
                "85290001234",
                "447700900001",
                (ac::ANY_TIME_INFO_ENQUIRY, 3),
                op::ANY_TIME_INTERROGATION,
                &ati_arg("447700900123", "85290001234"),
            ),
        ),
    ];
    let all = alerts(&frames, Policy::default());
    assert!(all.contains(&(1001, false)), "{all:?}");
    assert!(
        all.contains(&(1001, true)),
        "the echo flow is tagged: {all:?}"
    );
    assert!(all.contains(&(3002, false)), "{all:?}");

    for off in ["[1001]", "[\"gtp_echo_unexpected_ie\"]"] {
        let policy = Policy::from_toml(&format!("[signatures]\ndisabled = {off}\n")).unwrap();
        let some = alerts(&frames, policy);
        assert!(some.iter().all(|(id, _)| *id != 1001), "{off}: {some:?}");
        assert!(some.contains(&(3002, false)), "{off}: {some:?}");
    }
}
