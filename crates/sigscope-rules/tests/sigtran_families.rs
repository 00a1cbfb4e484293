//! SIGTRAN carriage that is not signalling (1043 opaque data, 1044 malformed carriage), in
//! several variants, on real frames; and the structured users of MTP3 (ISUP, BICC, H.248 text
//! over GCP, short network management, small heartbeats) that stay quiet.

mod support;

use sigscope_rules::{Engine, Policy};
use sigscope_sigtran::m3ua::DataRepr;
use support::*;

fn ids(frames: &[Frame]) -> Vec<u32> {
    let mut e = Engine::new(Policy::default());
    let mut v = Vec::new();
    decode(frames, &mut |m| {
        e.observe(m, &mut |a| {
            if !a.tagged {
                v.push(a.sig.id())
            }
        })
    });
    v.sort_unstable();
    v.dedup();
    v
}

/// M3UA DATA with service indicator `si` carrying `user`.
fn m3ua_si(ts: f64, si: u8, user: Vec<u8>) -> Frame {
    let mut m = Vec::new();
    DataRepr {
        network_appearance: None,
        routing_context: Some(100),
        opc: 1201,
        dpc: 2201,
        si,
        ni: 2,
        mp: 0,
        sls: 5,
        user_data: user,
    }
    .emit(&mut m)
    .unwrap();
    Frame::at(ts, sctp(STP, HLR_SG, 3, m))
}

/// M3UA ASPSM Heartbeat (class 3, type 3) with Heartbeat Data `data`.
fn m3ua_beat(ts: f64, data: &[u8]) -> Frame {
    let pad = (4 - data.len() % 4) % 4;
    let param_len = 4 + data.len();
    let total = 8 + param_len + pad;
    let mut m = vec![1, 0, 3, 3];
    m.extend_from_slice(&(total as u32).to_be_bytes());
    m.extend_from_slice(&0x0009u16.to_be_bytes());
    m.extend_from_slice(&(param_len as u16).to_be_bytes());
    m.extend_from_slice(data);
    m.resize(m.len() + pad, 0);
    Frame::at(ts, sctp(STP, HLR_SG, 3, m))
}

/// An ISUP IAM: CIC, type, fixed part, pointers, called party number.
fn isup_iam(cic: u16) -> Vec<u8> {
    let mut v = cic.to_le_bytes().to_vec();
    v.extend_from_slice(&[0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02, 0x00]);
    v.extend_from_slice(&[0x06, 0x81, 0x10, 0x44, 0x77, 0x00, 0x09]);
    v
}

#[test]
fn opaque_data_over_sigtran() {
    let variants: Vec<(&str, Vec<Frame>)> = vec![
        ("encrypted ISUP", vec![m3ua_si(1.0, 5, noise(1, 200))]),
        ("encrypted ISUP, short", vec![m3ua_si(1.0, 5, noise(2, 48))]),
        ("encrypted BICC", vec![m3ua_si(1.0, 13, noise(3, 120))]),
        (
            "spare SI 11",
            vec![m3ua_si(1.0, 11, b"hello over a spare SI".to_vec())],
        ),
        ("spare SI 15", vec![m3ua_si(1.0, 15, vec![1, 2, 3, 4])]),
        ("long SNM", vec![m3ua_si(1.0, 0, vec![0x17; 100])]),
        (
            "ISUP past 272 octets",
            vec![m3ua_si(1.0, 5, [isup_iam(7), vec![0; 300]].concat())],
        ),
        ("encrypted heartbeat", vec![m3ua_beat(1.0, &noise(4, 256))]),
        (
            "encrypted heartbeat, 64",
            vec![m3ua_beat(1.0, &noise(5, 64))],
        ),
    ];
    for (name, frames) in variants {
        let got = ids(&frames);
        assert!(got.contains(&1043), "{name}: {got:?}");
    }
}

#[test]
fn malformed_carriage() {
    let variants: Vec<(&str, Vec<Frame>)> = vec![
        (
            "PPID 1234",
            vec![Frame::at(1.0, sctp(STP, HLR_SG, 1234, noise(6, 80)))],
        ),
        (
            "PPID 0xdeadbeef",
            vec![Frame::at(
                1.0,
                sctp(STP, HLR_SG, 0xdead_beef, b"ls -la".to_vec()),
            )],
        ),
        (
            "M3UA port, M3UA PPID, not M3UA",
            vec![Frame::at(1.0, sctp(STP, HLR_SG, 3, noise(7, 96)))],
        ),
        (
            "M3UA class 32",
            vec![Frame::at(
                1.0,
                sctp(STP, HLR_SG, 3, {
                    let mut v = vec![1, 0, 32, 1, 0, 0, 0, 24];
                    v.extend_from_slice(&noise(8, 16));
                    v
                }),
            )],
        ),
        (
            "ISUP type 0",
            vec![m3ua_si(1.0, 5, vec![0x01, 0x00, 0x00, 0x00])],
        ),
        (
            "ISUP type 0x77",
            vec![m3ua_si(1.0, 5, vec![0x01, 0x00, 0x77, 0x01, 0x02])],
        ),
        (
            "IAM pointer outside",
            vec![m3ua_si(1.0, 5, {
                let mut v = isup_iam(9);
                v[8] = 0x60;
                v
            })],
        ),
        // SCCP message types Q.713 assigns to nothing (0x1F; 0x15, the first after LUDTS)
        (
            "SCCP type 0x1F",
            vec![m3ua_si(1.0, 3, {
                let mut v = vec![0x1f, 0x80, 0x03, 0x05, 0x07];
                v.extend_from_slice(&noise(9, 40));
                v
            })],
        ),
        (
            "SCCP type 0x15",
            vec![m3ua_si(1.0, 3, {
                let mut v = vec![0x15, 0x00];
                v.extend_from_slice(&noise(10, 30));
                v
            })],
        ),
    ];
    for (name, frames) in variants {
        let got = ids(&frames);
        assert!(
            got.contains(&1044) || got.contains(&1043),
            "{name}: {got:?}"
        );
    }
}

#[test]
fn structured_mtp3_users_stay_quiet() {
    // H.248 text encoding over GCP, a real IAM, a short SLTM, a BICC-like structured message,
    // a heartbeat carrying a counter, and TUP
    let h248 = b"MEGACO/1 [10.0.0.1]:2944\nTransaction = 9998 {\n Context = - {\n  AuditValue = ROOT {\n   Audit{ Packages }\n  }\n }\n}\n".to_vec();
    let bicc = [
        vec![0, 0, 0, 1, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02, 0x00],
        vec![0x06, 0x81, 0x10, 0x44, 0x77, 0x00, 0x09],
    ]
    .concat();
    let frames = vec![
        m3ua_si(1.0, 14, h248),
        m3ua_si(1.1, 5, isup_iam(1)),
        m3ua_si(1.2, 5, vec![0x02, 0x00, 0x0c, 0x02, 0x00, 0x02, 0x80, 0x90]),
        m3ua_si(1.3, 1, vec![0x11, 0xf0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]),
        m3ua_si(1.4, 13, bicc),
        m3ua_si(1.5, 4, vec![0x11, 0x00, 0x21, 0x22]),
        m3ua_beat(1.6, &[0, 0, 0, 42]),
        m3ua_beat(1.7, b"heartbeat 0001"),
    ];
    let got = ids(&frames);
    assert!(!got.contains(&1043) && !got.contains(&1044), "{got:?}");
}

/// Carriage flagged on an interconnect association flags its own MTP3 user and ISUP circuit,
/// not the calls on other circuits nor the network management between the same point codes
/// (before or after the alert); the carrier's next message on its circuit is reported.
#[test]
fn carriage_on_a_shared_link_tags_its_own_circuit_only() {
    let mut blob = 77u16.to_le_bytes().to_vec();
    blob.extend(noise(9, 200));
    let mut frames = Vec::new();
    for i in 0..6u16 {
        frames.push(m3ua_si(f64::from(i), 5, isup_iam(100 + i)));
    }
    frames.push(m3ua_si(6.0, 0, vec![0x17, 0x00, 0x11, 0x22]));
    frames.push(m3ua_si(7.0, 5, blob.clone()));
    for i in 0..4u16 {
        frames.push(m3ua_si(8.0 + f64::from(i), 5, isup_iam(200 + i)));
    }
    frames.push(m3ua_si(12.0, 0, vec![0x17, 0x00, 0x11, 0x22]));
    let mut again = 77u16.to_le_bytes().to_vec();
    again.extend(noise(10, 16));
    frames.push(m3ua_si(13.0, 5, again));
    let mut e = Engine::new(Policy::default());
    let mut got = Vec::new();
    decode(&frames, &mut |m| {
        e.observe(m, &mut |a| got.push((a.frame, a.sig.id(), a.tagged)))
    });
    assert!(got.contains(&(8, 1043, false)), "{got:?}");
    let others: Vec<_> = got
        .iter()
        .filter(|(f, _, _)| ![8, 14].contains(f))
        .collect();
    assert!(
        others.is_empty(),
        "other circuits and management tagged: {others:?}"
    );
    // (its own finding, or tagged)
    assert!(got.iter().any(|(f, _, _)| *f == 14), "{got:?}");
}

/// An M2PA User Data message (RFC 4165) carrying an ITU MTP3 message of service indicator
/// `si` (national network, OPC 1201, DPC 2201) with `user`.
fn m2pa_si(ts: f64, si: u8, user: &[u8]) -> Frame {
    const OPC: u32 = 1201;
    const DPC: u32 = 2201;
    let label = (DPC | (OPC << 14) | (5 << 28)).to_le_bytes();
    let mut mtp3 = vec![0x80 | si];
    mtp3.extend_from_slice(&label);
    mtp3.extend_from_slice(user);
    let len = 8 + 4 + 4 + 1 + mtp3.len();
    let mut m = vec![1, 0, 11, 1];
    m.extend_from_slice(&(len as u32).to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1, 0]);
    m.extend(mtp3);
    Frame::at(ts, sctp(STP, HLR_SG, 5, m))
}

/// The MTP3 user parts M2PA carries are judged as M3UA's are: encrypted data under a spare
/// service indicator or as ISUP, ISUP past any message's length (1043); a well-formed IAM and
/// short network management stay quiet.
#[test]
fn opaque_data_over_m2pa() {
    for (name, frame) in [
        ("spare SI 10", m2pa_si(1.0, 10, &noise(21, 150))),
        ("encrypted ISUP", m2pa_si(1.0, 5, &noise(22, 120))),
        (
            "ISUP past 272 octets",
            m2pa_si(1.0, 5, &[isup_iam(9), vec![0; 300]].concat()),
        ),
    ] {
        let got = ids(&[frame]);
        assert!(got.contains(&1043), "{name}: {got:?}");
    }
    let quiet = [
        m2pa_si(1.0, 5, &isup_iam(12)),
        m2pa_si(2.0, 0, &[0x17, 0x00, 0x11, 0x22]),
    ];
    assert!(ids(&quiet).is_empty(), "{:?}", ids(&quiet));
}
