//! The GTP summary's `private_extension` (which lets detection skip its IE walk) says
//! exactly whether a Private Extension IE appears in the message — GTPv2 at any depth of
//! grouped IEs the detectors read — checked against an independent walk of the same bytes,
//! over every synthetic scenario (three seeds) and every capture in ../shared/captures.

mod common;

use std::io::Cursor;

use sigscope::capture::Reader;
use sigscope::gtp::{v1, v2, Message as Gtp};
use sigscope::record::{Decoder, Options};
use sigscope::synth::{self, SCENARIOS};

/// Grouped GTPv2 IEs the detectors enter (the engine's `MAX_IE_DEPTH`, below the GTP crate's
/// own cap): the summary must see at least as deep.
const DEPTH_READ: usize = 4;

/// A Private Extension in the message, by the GTP crate's depth-first walk (GTPv2) or its
/// IE iterator (the others), up to the first IE that does not parse.
fn has_private_extension(m: &Gtp<'_>) -> bool {
    let v1_has = |ies: v1::IeIter<'_>| {
        ies.map_while(Result::ok)
            .any(|ie| ie.ie_type == v1::IeType::PRIVATE_EXTENSION)
    };
    match m {
        Gtp::V2(x) => {
            let mut found = false;
            let mut each = |ie: &v2::Ie<'_>| {
                found |= ie.ie_type == v2::IeType::PRIVATE_EXTENSION && ie.depth <= DEPTH_READ;
            };
            // a walk that stops at a malformed IE has seen the IEs before it
            let _ = v2::walk(x.ies(), &mut each);
            found
        }
        Gtp::V1(x) if !x.is_gpdu() => v1_has(x.ies()),
        Gtp::Prime(x) => v1_has(x.ies()),
        Gtp::V0(x) => v1_has(x.ies()),
        _ => false,
    }
}

/// (GTP messages, those with a private extension) of a capture; panics on a disagreement.
fn check(name: &str, pcap: Vec<u8>, opts: Options) -> (usize, usize) {
    let Ok(mut reader) = Reader::new(Box::new(Cursor::new(pcap))) else {
        return (0, 0);
    };
    let mut dec = Decoder::new(opts);
    let (mut gtp, mut with) = (0, 0);
    let mut each = |m: &sigscope::decode::Message<'_>| {
        let Some(g) = &m.gtp else { return };
        gtp += 1;
        let want = has_private_extension(&g.decoded.message);
        with += usize::from(want);
        assert_eq!(
            g.summary.private_extension, want,
            "{name} frame {}: summary says {}, the walk {}",
            m.frame, g.summary.private_extension, want
        );
    };
    while let Ok(Some(pkt)) = reader.next_packet() {
        dec.packet(&pkt, &mut each);
    }
    dec.finish(&mut each);
    (gtp, with)
}

#[test]
fn summary_private_extension_matches_a_walk_on_synthetic_captures() {
    let (mut gtp, mut with) = (0, 0);
    for s in SCENARIOS {
        for seed in 1..=3 {
            let pcap = synth::generate(s.name, seed).expect("scenario writes");
            let (g, w) = check(s.name, pcap, Options::default());
            gtp += g;
            with += w;
        }
    }
    eprintln!("{gtp} GTP messages, {with} with a private extension");
    assert!(gtp > 100, "GTP messages: {gtp}");
    // the GTPDOOR, demo and exfiltration scenarios carry private extensions
    assert!(
        with > 0 && with < gtp,
        "{with} of {gtp} with a private extension"
    );
}

#[test]
fn summary_private_extension_matches_a_walk_on_real_captures() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let (mut gtp, mut with) = (0, 0);
    for e in common::manifest(&dir) {
        let path = dir.join(&e.path);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let (_, opts) = common::decode_options(&dir, &e.path);
        let (g, w) = check(&e.path, bytes, opts);
        gtp += g;
        with += w;
    }
    eprintln!("{gtp} GTP messages, {with} with a private extension");
    assert!(gtp > 0, "no GTP message in the captures");
}

/// Emitted GTPv2 Create Session Requests with a private extension at the top level, inside a
/// Bearer Context, inside a grouped IE within a grouped IE, and nowhere: the summary says so
/// for each (the captures above have few private extensions, none nested).
#[test]
fn summary_private_extension_at_every_depth() {
    use sigscope::gtp::v2::{IeRepr, V2Repr};
    let pe = || IeRepr::private_extension(10415, &[0x5a; 24]);
    let bearer = |inner: Vec<IeRepr>| IeRepr::grouped(93, 0, inner);
    let cases: Vec<(&str, Vec<IeRepr>, bool)> = vec![
        (
            "none",
            vec![IeRepr::recovery(3), bearer(vec![IeRepr::ebi(0, 5)])],
            false,
        ),
        ("top", vec![IeRepr::recovery(3), pe()], true),
        (
            "in a bearer context",
            vec![bearer(vec![IeRepr::ebi(0, 5), pe()])],
            true,
        ),
        (
            "two groups deep",
            vec![bearer(vec![IeRepr::grouped(109, 0, vec![pe()])])],
            true,
        ),
    ];
    for (name, ies, want) in cases {
        let repr = V2Repr {
            msg_type: 32,
            teid: Some(0),
            seq: 7,
            priority: None,
            ies,
            piggybacked: None,
        };
        let mut bytes = Vec::new();
        repr.emit(&mut bytes).expect("emits");
        let d = sigscope::gtp::decode(&bytes, 2123, 2123).expect("GTP");
        assert_eq!(has_private_extension(&d.message), want, "{name}: the walk");
        let mut s = sigscope::decode::GtpSummary::default();
        sigscope::decode::gtp::summary_into(&d.message, &mut s);
        assert_eq!(s.private_extension, want, "{name}: the summary");
    }
}
