//! Detection end to end: the demo capture raises exactly the alerts it was built to raise,
//! and the public captures (real traffic, plus the deliberately odd ones) raise no
//! high-severity alert: every alert there names a real protocol violation.

mod common;

use std::path::Path;

use sigscope::capture::{CaptureError, Reader};
use sigscope::record::{Decoder, Options};
use sigscope::rules::{Engine, Policy};

/// Decode a capture and run the engine behind the decoder on the typed messages.
fn alerts_of(
    file: &Path,
    opts: &Options,
    policy: Policy,
) -> Result<Vec<(u64, u32, u8)>, CaptureError> {
    let mut reader = Reader::open(file)?;
    let mut dec = Decoder::new(*opts);
    let mut e = Engine::new(policy);
    let mut out = Vec::new();
    // findings only: the tagged members of flagged flows are not findings of their own
    let mut keep = |a: sigscope::rules::Alert| {
        if !a.tagged {
            out.push((a.frame, a.sig.id(), a.sig.severity()));
        }
    };
    while let Some(pkt) = reader.next_packet()? {
        dec.packet(&pkt, &mut |m| e.observe(m, &mut keep));
    }
    dec.finish(&mut |m| e.observe(m, &mut keep));
    Ok(out)
}

#[test]
fn demo_capture_raises_what_it_hides() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo.pcap");
    let policy = Policy::from_toml(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo-policy.toml"),
        )
        .expect("demo policy"),
    )
    .expect("demo policy parses");
    let got = alerts_of(&file, &Options::default(), policy).expect("demo decodes");
    assert_eq!(
        got,
        [
            (5, 3002, 1),  // anyTimeInterrogation from a Hong Kong GT: FS.11 category 1
            (10, 1001, 1), // GTPv2 Echo carrying an IMSI IE (GTPDOOR-style)
            (10, 1012, 2), // ... whose "IMSI" is text, not digits
            (10, 3006, 2), // ... from outside the declared GTP peers
            (13, 2001, 1), // USSD carrying a base64 command
            (14, 1002, 2), // GTPv1 Echo with a 50-octet private extension
            (14, 2003, 1), // ... that looks encrypted
            (14, 3020, 2), // ... from a peer that takes part in no session
        ]
    );
    // without a policy the benign frames stay quiet too, and the foreign ATI is still seen
    let bare = alerts_of(&file, &Options::default(), Policy::default()).expect("demo decodes");
    assert!(bare.iter().any(|a| a.1 == 3002));
    assert!(bare.iter().all(|a| a.0 >= 5));
}

#[test]
fn public_captures_raise_no_high_severity_alert() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let mut total = 0usize;
    let mut files = 0usize;
    let mut by_sig = std::collections::BTreeMap::<u32, usize>::new();
    for e in common::manifest(&dir) {
        let file = dir.join(&e.path);
        let (_, opts) = common::decode_options(&dir, &e.path);
        let Ok(alerts) = alerts_of(&file, &opts, Policy::default()) else {
            continue;
        };
        files += 1;
        for (frame, sid, sev) in alerts {
            assert!(
                sev > 1,
                "{} frame {frame}: signature {sid} (severity 1)",
                e.path
            );
            total += 1;
            *by_sig.entry(sid).or_default() += 1;
        }
    }
    println!("{files} captures, {total} alerts: {by_sig:?}");
    assert!(files > 40, "captures read: {files}");
    // Each of these names a real violation in a deliberately odd or lab capture (fuzzed GTP,
    // false GTP on GTP ports, trailing bytes, lab TCAP that tshark also calls malformed, a
    // file of 2,547 Echo Responses with no request, an SCTP test capture sending data under
    // the unassigned PPID 1234, a synthetic M3UA capture whose "ISUP" has the reserved message
    // type 0 that tshark also flags, a GTPv2 sample capture whose Echo carries a piggybacked
    // message). More means a detector grew noisy.
    assert!(total <= 19, "{total} alerts: {by_sig:?}");
}
