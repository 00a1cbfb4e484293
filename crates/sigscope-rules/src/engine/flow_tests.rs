//! Unit tests for the flow table (`flow.rs`): keys, flags and the tagging of a flow's messages.

use super::*;

fn parts(kind: FlowKind, otid: Option<u32>, dtid: Option<u32>, swap: bool) -> FlowParts {
    let x = (Some(IpAddr::from([10, 0, 0, 1])), 2905);
    let y = (Some(IpAddr::from([10, 0, 0, 2])), 2906);
    let (a, b) = if swap { (y, x) } else { (x, y) };
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    FlowParts::new(
        kind,
        a,
        b,
        (1, 2),
        otid.map(|v| (v, 4)),
        dtid.map(|v| (v, 4)),
    )
}

/// A message's wire fields: between 10.0.0.1:2905 and 10.0.0.2:2906 (`swap`: from the
/// second), point codes `pcs` as sent.
fn wire(kind: FlowKind, pcs: (u32, u32), swap: bool) -> Wire {
    let (x, y) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
    let endpoints = if swap {
        Endpoints {
            src: y,
            dst: x,
            sport: 2906,
            dport: 2905,
        }
    } else {
        Endpoints {
            src: x,
            dst: y,
            sport: 2905,
            dport: 2906,
        }
    };
    Wire {
        kind,
        endpoints: Some(endpoints),
        pcs,
        tids: [0; 2],
        tid_lens: [0; 2],
    }
}

/// The ends bit read from a message is its wire's, on every message of the demo capture
/// (SIGTRAN with point codes, GTP over IPv4, TCP).
#[test]
fn ends_bit_of_a_message_is_its_wires() {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo.pcap");
    let mut reader = sigscope_capture::Reader::open(&demo).expect("demo capture");
    let mut dec = sigscope_decode::Decoder::new(sigscope_decode::Options::default());
    let (mut n, mut with_pcs) = (0, 0);
    let mut check = |m: &Message<'_>| {
        let w = Wire::of(m);
        assert_eq!(Wire::ends_bit_of(m), w.ends_bit(), "frame {}", m.frame);
        assert_eq!(w.ends_bit(), w.parts().ends_bit(), "frame {}", m.frame);
        n += 1;
        with_pcs += usize::from(m.mtp3.is_some());
    };
    while let Ok(Some(pkt)) = reader.next_packet() {
        dec.packet(&pkt, &mut check);
    }
    dec.finish(&mut check);
    assert!(
        n >= 10 && with_pcs >= 5,
        "{n} messages, {with_pcs} with point codes"
    );
}

/// Both directions of a flow give the same parts (ends and point codes in order) and the
/// same filter bit, from the wire fields as from the parts; GTP's ports are left out.
#[test]
fn wire_orders_both_directions_alike() {
    for kind in [FlowKind::Sctp, FlowKind::Gtp, FlowKind::Ip] {
        let there = wire(kind, (1, 2), false);
        let back = wire(kind, (2, 1), true);
        assert_eq!(there.parts(), back.parts());
        assert_eq!(
            there.parts(),
            parts(kind, None, None, false).with_ports(kind)
        );
        assert_eq!(there.ends_bit(), back.ends_bit());
        assert_eq!(there.ends_bit(), there.parts().ends_bit());
        assert_eq!(there.parts().flow_id(), back.parts().flow_id());
    }
    // another pair of point codes is another flow
    assert_ne!(
        wire(FlowKind::Sctp, (1, 3), false).parts().flow_id(),
        wire(FlowKind::Sctp, (1, 2), false).parts().flow_id()
    );
}

impl FlowParts {
    /// The parts with the ports a flow of `kind` keeps (none for GTP).
    fn with_ports(self, kind: FlowKind) -> FlowParts {
        if kind == FlowKind::Gtp {
            FlowParts {
                a: (self.a.0, 0),
                b: (self.b.0, 0),
                ..self
            }
        } else {
            self
        }
    }
}

/// A Begin, the responder's Continue, the initiator's next Continue and the End share
/// keys pairwise, so a flag set on any of them reaches the others; the flow_id of the
/// Begin and of the responder's messages is the same.
#[test]
fn transaction_messages_share_keys_and_id() {
    let begin = parts(FlowKind::Tcap, Some(0xA), None, false);
    let cont_resp = parts(FlowKind::Tcap, Some(0xB), Some(0xA), true);
    let cont_init = parts(FlowKind::Tcap, Some(0xA), Some(0xB), false);
    let end_resp = parts(FlowKind::Tcap, None, Some(0xA), true);
    assert_eq!(begin.flow_id(), cont_resp.flow_id());
    assert_eq!(begin.flow_id(), end_resp.flow_id());
    let kb: Vec<u64> = begin.keys().collect();
    assert!(cont_resp.keys().any(|k| kb.contains(&k)));
    let kr: Vec<u64> = cont_resp.keys().collect();
    assert!(cont_init.keys().any(|k| kr.contains(&k)));
    // another transaction between the same peers is another flow
    let other = parts(FlowKind::Tcap, Some(0xC), None, false);
    assert_ne!(other.flow_id(), begin.flow_id());
    assert!(!other.keys().any(|k| kb.contains(&k)));
    assert!(begin.flow_id() <= FLOW_ID_MASK && begin.flow_id() > 0);
}

#[test]
fn flags_expire_and_count_down() {
    let sig = SigRef::Builtin(&crate::signatures::FS11_CATEGORY1);
    let mut f = Flows::default();
    let p = wire(FlowKind::Gtp, (1, 2), false).parts();
    let q = wire(FlowKind::Gtp, (2, 1), true);
    let flag = Flag {
        sig,
        flow_id: p.flow_id(),
        alert_frame: 1,
        until: 10.0,
        left: 2,
    };
    let mut resets = 0;
    assert!(!f.flag(&p, flag.clone(), &mut resets));
    assert!(f.flag(&p, flag.clone(), &mut resets));
    let got = f.flag_of(&q, q.ends_bit(), 5.0).unwrap();
    f.tagged(&q.parts(), &got);
    let got = f.flag_of(&q, q.ends_bit(), 6.0).unwrap();
    f.tagged(&q.parts(), &got);
    assert!(f.flag_of(&q, q.ends_bit(), 7.0).is_none(), "count spent");
    assert!(!f.any_flagged());
    f.flag(&p, flag, &mut resets);
    assert!(f.flag_of(&q, q.ends_bit(), 11.0).is_none(), "window over");
}

#[test]
fn ring_returns_earlier_members_once() {
    let mut f = Flows::default();
    let p = wire(FlowKind::Sctp, (1, 2), false);
    let other = Wire { pcs: (7, 8), ..p };
    for i in 0..(RECENT_MESSAGES as u64 + 10) {
        f.remember(Recent::named(
            i + 1,
            i,
            if i % 2 == 0 { p } else { other },
            false,
        ));
    }
    let got = f.earlier(&p.parts(), 0, 1000);
    assert_eq!(got.len(), RECENT_MESSAGES / 2);
    assert!(got.windows(2).all(|w| w[0].frame < w[1].frame));
    assert!(f.earlier(&p.parts(), 0, 1000).is_empty());
}
