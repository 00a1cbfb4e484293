//! Property tests: no panics on arbitrary bytes, emit -> decode round trips, and the
//! reassembler on arbitrary segment sequences.

use proptest::prelude::*;
use sigscope_core::Anomalies;
use sigscope_core::AnomalyCode;
use sigscope_sccp::*;

const FORMATS: [PcFormat; 4] = [
    PcFormat::Itu14,
    PcFormat::Ansi24,
    PcFormat::Chinese24,
    PcFormat::Japan16,
];

fn arb_addr(fmt: PcFormat) -> impl Strategy<Value = AddressRepr> {
    let max_pc: u32 = match fmt {
        PcFormat::Itu14 => 0x3fff,
        PcFormat::Japan16 => 0xffff,
        _ => 0xff_ffff,
    };
    let ansi = fmt == PcFormat::Ansi24;
    (
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(0..=max_pc),
        proptest::option::of(any::<u8>()),
        proptest::option::of((1u8..=4, any::<u8>(), 0u8..16, 0u8..128, "[0-9]{1,20}")),
    )
        .prop_map(move |(national, ri, pc, ssn, gt)| AddressRepr {
            national: if ansi { true } else { national },
            route_on_ssn: ri,
            pc,
            ssn,
            gt: gt.map(|(gti, tt, np, nai, mut digits)| {
                let gti = if ansi { 1 + gti % 2 } else { gti };
                // GTI 2 carries no odd/even information: even digit counts only.
                if gti == 2 && digits.len() % 2 == 1 {
                    digits.push('0');
                }
                GtRepr {
                    gti,
                    tt,
                    np,
                    nai,
                    digits,
                }
            }),
        })
}

fn norm(a: &AddressRepr, ansi: bool) -> AddressRepr {
    let mut a = a.clone();
    if let Some(g) = a.gt.as_mut() {
        match (ansi, g.gti) {
            (false, 1) => {
                g.tt = 0;
                g.np = 0;
            }
            (_, 2) => {
                g.np = 0;
                g.nai = 0;
            }
            (false, 3) | (true, 1) => g.nai = 0,
            _ => {}
        }
    }
    a
}

proptest! {
    #[test]
    fn decode_never_panics(d in proptest::collection::vec(any::<u8>(), 0..300), f in 0usize..4) {
        let mut a = Anomalies::new();
        if let Ok(m) = Message::decode(&d, &mut a) {
            let fmt = FORMATS[f];
            if let Some(c) = m.called_address(fmt, &mut a) {
                let _ = c.gt.map(|g| (g.digits(), g.country()));
                let _ = c.to_string();
            }
            let _ = m.calling_address(fmt, &mut a);
            for p in m.optional_params() { let _ = p; }
            let _ = Scmg::parse(m.user_data(), fmt);
        }
        let _ = Message::from_slice(&d);
    }

    #[test]
    fn mutated_real_message_never_panics(i in 0usize..120, b in any::<u8>(), cut in 0usize..160) {
        let mut d: Vec<u8> = (0..(CAP.len() / 2)).map(|k| u8::from_str_radix(&CAP[2 * k..2 * k + 2], 16).unwrap()).collect();
        if let Some(x) = d.get_mut(i) { *x = b; }
        d.truncate(cut);
        let mut a = Anomalies::new();
        if let Ok(m) = Message::decode(&d, &mut a) {
            let _ = m.called_address(PcFormat::Itu14, &mut a).map(|c| c.gt.map(|g| g.digits()));
        }
    }

    #[test]
    fn unitdata_round_trip(
        (f, called, calling) in (0usize..4).prop_flat_map(|f| (Just(f), arb_addr(FORMATS[f]), arb_addr(FORMATS[f]))),
        t in 0usize..6,
        data in proptest::collection::vec(any::<u8>(), 0..200),
        hop in 1u8..16,
        cls in any::<u8>(),
        seg in proptest::option::of((any::<bool>(), any::<bool>(), 0u8..16, 0u32..0xff_ffff)),
        imp in proptest::option::of(0u8..8),
    ) {
        let fmt = FORMATS[f];
        let msg_type = [MessageType::UDT, MessageType::UDTS, MessageType::XUDT, MessageType::XUDTS, MessageType::LUDT, MessageType::LUDTS][t];
        let extended = t >= 2;
        let r = UnitdataRepr {
            msg_type,
            protocol_class: ProtocolClass(if msg_type.is_service() { 0 } else { cls }),
            return_cause: ReturnCause(if msg_type.is_service() { cls } else { 0 }),
            hop_counter: if extended { hop } else { 0 },
            called: called.clone(),
            calling: calling.clone(),
            data: data.clone(),
            segmentation: if extended { seg.map(|(first, in_sequence, remaining, local_ref)| Segmentation { first, in_sequence, remaining, spare: 0, local_ref }) } else { None },
            importance: if extended { imp } else { None },
        };
        let bytes = r.emit(fmt).unwrap();
        let mut a = Anomalies::new();
        let m = Message::decode(&bytes, &mut a).unwrap();
        prop_assert!(a.iter().all(|x| !STRUCTURAL_ANOMALIES.contains(&x.code) && x.code != AnomalyCode::TrailingBytes), "{:?}", a);
        let back = UnitdataRepr::parse(&m, fmt).unwrap();
        let ansi = fmt == PcFormat::Ansi24;
        prop_assert_eq!(back.msg_type, r.msg_type);
        prop_assert_eq!(back.data, r.data);
        prop_assert_eq!(back.segmentation, r.segmentation);
        prop_assert_eq!(back.importance, r.importance);
        prop_assert_eq!(norm(&back.called, ansi), norm(&r.called, ansi));
        prop_assert_eq!(norm(&back.calling, ansi), norm(&r.calling, ansi));
    }

    #[test]
    fn reassembler_arbitrary_sequences(
        segs in proptest::collection::vec((any::<bool>(), 0u8..16, 0u32..4, proptest::collection::vec(any::<u8>(), 0..300), 0u64..40_000_000_000), 0..60)
    ) {
        let mut r = Reassembler::with_limits(ReassemblyLimits { max_entries: 3, max_bytes: 4000, max_message_len: 2000, timeout_nanos: 10_000_000_000, ..Default::default() });
        let mut a = Anomalies::new();
        let mut ts = 0u64;
        for (first, rem, lr, data, dt) in segs {
            ts += dt / 8;
            let key = SegmentKey { opc: 1, dpc: 2, called: &[1], calling: &[2], local_ref: lr };
            let seg = Segmentation { first, in_sequence: false, remaining: rem, spare: 0, local_ref: lr };
            if let SegmentOutcome::Complete(b) = r.push(&key, seg, &data, 10, ts, &mut a) {
                prop_assert!(b.len() <= 2000 || seg.is_single());
            }
            prop_assert!(r.len() <= 3);
            prop_assert!(r.bytes() <= 4000);
        }
    }

    #[test]
    fn reassembler_in_any_order_gives_the_message(parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..200), 2..16), rot in 0usize..16) {
        let n = parts.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.rotate_left(rot % n);
        let mut r = Reassembler::new();
        let mut a = Anomalies::new();
        let key = SegmentKey { opc: 7, dpc: 9, called: b"cd", calling: b"cg", local_ref: 0x123 };
        let mut done = None;
        for i in order {
            let seg = Segmentation { first: i == 0, in_sequence: false, remaining: (n - 1 - i) as u8, spare: 0, local_ref: 0x123 };
            if let SegmentOutcome::Complete(b) = r.push(&key, seg, &parts[i], 0, 1, &mut a) {
                done = Some(b);
            }
        }
        let whole: Vec<u8> = parts.concat();
        prop_assert_eq!(done.as_deref(), Some(&whole[..]));
        prop_assert!(r.is_empty());
        prop_assert_eq!(rot % n == 0, !a.contains(AnomalyCode::SegmentOutOfOrder));
    }
}

const CAP: &str = "0980030e190b520a0011046998051000010b12060011046998051020097e627c4804620004c46b542852060700118605010101a047604580020780a109060704000001001302be342832060704000001010101a027a025800824020301803988f28107916998051020f98207916998153056f78307916998051050f16c80a11a02010002013b301204010f040daa182ca6cad56032d90c971b010000010f040daa182ca6cad56032d90c971b0100";

#[test]
fn reassembly_anomalies() {
    let mut r = Reassembler::new();
    let mut a = Anomalies::new();
    let key = SegmentKey {
        opc: 1,
        dpc: 2,
        called: &[1],
        calling: &[2],
        local_ref: 5,
    };
    let s = |first, remaining| Segmentation {
        first,
        in_sequence: false,
        remaining,
        spare: 0,
        local_ref: 5,
    };
    assert_eq!(
        r.push(&key, s(true, 2), b"ab", 0, 0, &mut a),
        SegmentOutcome::Pending
    );
    assert_eq!(
        r.push(&key, s(false, 1), b"cd", 0, 1, &mut a),
        SegmentOutcome::Pending
    );
    // duplicate
    assert_eq!(
        r.push(&key, s(false, 1), b"cd", 0, 2, &mut a),
        SegmentOutcome::Dropped
    );
    assert!(a.contains(AnomalyCode::SegmentDuplicate));
    // another key does not mix in
    let other = SegmentKey {
        calling: &[3],
        ..key
    };
    assert_eq!(
        r.push(&other, s(false, 0), b"zz", 0, 3, &mut a),
        SegmentOutcome::Pending
    );
    assert_eq!(
        r.push(&key, s(false, 0), b"ef", 0, 4, &mut a),
        SegmentOutcome::Complete(sigscope_sccp::bytes::Bytes::from_static(b"abcdef"))
    );
    // the orphan of `other` never completes: timeout
    let mut a = Anomalies::new();
    assert_eq!(r.expire(REASSEMBLY_TIMEOUT_NANOS + 10, &mut a), 1);
    assert!(a.contains(AnomalyCode::SegmentIncomplete));
    assert!(r.is_empty());
}

/// A retransmitted first segment is a duplicate, not a restart: the message still completes.
#[test]
fn duplicate_first_segment_keeps_the_message() {
    let mut r = Reassembler::new();
    let mut a = Anomalies::new();
    let key = SegmentKey {
        opc: 1,
        dpc: 2,
        called: &[1],
        calling: &[2],
        local_ref: 9,
    };
    let s = |first, remaining| Segmentation {
        first,
        in_sequence: false,
        remaining,
        spare: 0,
        local_ref: 9,
    };
    assert_eq!(
        r.push(&key, s(true, 1), b"ab", 0, 0, &mut a),
        SegmentOutcome::Pending
    );
    assert_eq!(
        r.push(&key, s(true, 1), b"ab", 0, 1, &mut a),
        SegmentOutcome::Dropped
    );
    assert!(a.contains(AnomalyCode::SegmentDuplicate));
    assert!(!a.contains(AnomalyCode::SegmentIncomplete));
    assert_eq!(
        r.push(&key, s(false, 0), b"cd", 0, 2, &mut a),
        SegmentOutcome::Complete(sigscope_sccp::bytes::Bytes::from_static(b"abcd"))
    );
    // a different first segment does restart, and says so
    r.push(&key, s(true, 1), b"ab", 0, 3, &mut a);
    let mut b = Anomalies::new();
    r.push(&key, s(true, 1), b"XY", 0, 4, &mut b);
    assert!(b.contains(AnomalyCode::SegmentIncomplete));
    assert_eq!(r.bytes(), 2);
}

/// Segments held beyond the count a late first segment announces are released from the
/// byte account too (the counter once only grew, and a crafted stream could wedge it).
#[test]
fn byte_account_stays_exact_when_a_late_first_segment_shrinks_the_message() {
    let mut r = Reassembler::new();
    let mut a = Anomalies::new();
    let key = SegmentKey {
        opc: 1,
        dpc: 2,
        called: &[1],
        calling: &[2],
        local_ref: 3,
    };
    let s = |first, remaining| Segmentation {
        first,
        in_sequence: false,
        remaining,
        spare: 0,
        local_ref: 3,
    };
    r.push(&key, s(false, 5), &[0; 100], 0, 0, &mut a);
    r.push(&key, s(false, 4), &[0; 100], 0, 0, &mut a);
    assert_eq!(r.bytes(), 200);
    // the first segment says 2 segments in all: the two held ones are inconsistent
    r.push(&key, s(true, 1), &[0; 10], 0, 0, &mut a);
    assert!(a.contains(AnomalyCode::SegmentInconsistent));
    assert_eq!(r.bytes(), 10);
    let mut b = Anomalies::new();
    assert_eq!(r.flush(&mut b), 1);
    assert_eq!(r.bytes(), 0);
}

/// First segments whose rest never comes, each with its own reference: from one origin the
/// seventeenth and later raise `segment_flood` (value: how many are open); the same number
/// spread over many origins (a busy STP's several nodes) raise nothing.
#[test]
fn many_messages_held_open_by_one_origin_are_a_flood() {
    let seg = |lr| Segmentation {
        first: true,
        in_sequence: false,
        remaining: 15,
        spare: 0,
        local_ref: lr,
    };
    let mut r = Reassembler::new();
    let mut floods = Vec::new();
    for lr in 0..40u32 {
        let mut a = Anomalies::new();
        let key = to_hlr(b"attacker", lr);
        assert_eq!(
            r.push(
                &key,
                seg(lr),
                &[0x5a; 200],
                0,
                u64::from(lr) * 10_000_000,
                &mut a
            ),
            SegmentOutcome::Pending
        );
        floods.push(
            a.iter()
                .find(|x| x.code == AnomalyCode::SegmentFlood)
                .and_then(|x| x.value),
        );
    }
    let first = floods.iter().position(Option::is_some);
    assert_eq!(first, Some(sigscope_sccp::reassembly::MAX_OPEN_PER_ORIGIN));
    assert_eq!(floods.last().copied().flatten(), Some(39));

    let mut r = Reassembler::new();
    for lr in 0..40u32 {
        let mut a = Anomalies::new();
        let calling = lr.to_be_bytes();
        let key = to_hlr(&calling, lr);
        r.push(
            &key,
            seg(lr),
            &[0x5a; 200],
            0,
            u64::from(lr) * 10_000_000,
            &mut a,
        );
        assert!(!a.contains(AnomalyCode::SegmentFlood), "{lr}: {a:?}");
    }
}

/// The message a segment completes names the frames (and times) of its other segments, in
/// the order sent; nothing is named once cleared, or by a push that completes nothing.
#[test]
fn a_completed_message_names_its_segments_frames() {
    let mut r = Reassembler::new();
    let mut a = Anomalies::new();
    let key = SegmentKey {
        opc: 1,
        dpc: 2,
        called: b"cd",
        calling: b"cg",
        local_ref: 9,
    };
    let s = |first, remaining| Segmentation {
        first,
        in_sequence: false,
        remaining,
        spare: 0,
        local_ref: 9,
    };
    assert_eq!(
        r.push_at(&key, s(true, 2), b"ab", 0, (10, 100), &mut a),
        SegmentOutcome::Pending
    );
    assert!(r.completed().is_empty());
    assert_eq!(
        r.push_at(&key, s(false, 1), b"cd", 0, (12, 120), &mut a),
        SegmentOutcome::Pending
    );
    let done = r.push_at(&key, s(false, 0), b"ef", 0, (15, 150), &mut a);
    assert_eq!(
        done,
        SegmentOutcome::Complete(sigscope_sccp::bytes::Bytes::from_static(b"abcdef"))
    );
    assert_eq!(r.completed(), &[(10, 100), (12, 120)]);
    r.clear_completed();
    assert!(r.completed().is_empty());
}

/// A later segment of a reference another calling party opened on the same link to the same
/// called party is spliced into that message (`segment_inconsistent`, value: the reference);
/// a later segment with no message open at all is only out of order, and first segments of
/// one reference from two calling parties (two nodes' counters meeting) raise nothing.
#[test]
fn a_segment_spliced_from_another_calling_party() {
    let seg = |first: bool, remaining: u8| Segmentation {
        first,
        in_sequence: false,
        remaining,
        spare: 0,
        local_ref: 0x0abc,
    };
    let key = |calling: &'static [u8]| SegmentKey {
        opc: 1,
        dpc: 2,
        called: b"hlr",
        calling,
        local_ref: 0x0abc,
    };
    let spliced = |a: &Anomalies| {
        a.iter().any(|x| {
            x.code == AnomalyCode::SegmentInconsistent
                && x.detail == sigscope_sccp::reassembly::SPLICED_DETAIL
        })
    };
    let mut r = Reassembler::new();
    let mut a = Anomalies::new();
    r.push(&key(b"gt-one"), seg(true, 2), &[1; 100], 0, 1, &mut a);
    assert!(a.is_empty(), "{a:?}");
    for (calling, rem) in [(&b"gt-two"[..], 1u8), (b"gt-three", 0)] {
        let mut a = Anomalies::new();
        let k = SegmentKey {
            calling,
            ..key(b"")
        };
        r.push(&k, seg(false, rem), &[2; 100], 0, 2, &mut a);
        assert!(spliced(&a), "{a:?}");
        assert_eq!(
            a.iter()
                .find(|x| x.code == AnomalyCode::SegmentInconsistent)
                .and_then(|x| x.value),
            Some(0x0abc)
        );
    }
    // a later segment that would not continue the open message (past its count) is only out
    // of order
    let mut r = Reassembler::new();
    let mut a = Anomalies::new();
    r.push(&key(b"gt-one"), seg(true, 1), &[1; 100], 0, 1, &mut a);
    let mut a = Anomalies::new();
    let k = SegmentKey {
        calling: b"gt-two",
        ..key(b"")
    };
    r.push(&k, seg(false, 4), &[2; 100], 0, 2, &mut a);
    assert!(!spliced(&a), "{a:?}");
    // no message open: out of order only
    let mut r = Reassembler::new();
    let mut a = Anomalies::new();
    r.push(&key(b"gt-two"), seg(false, 1), &[2; 100], 0, 2, &mut a);
    assert!(
        !spliced(&a) && a.contains(AnomalyCode::SegmentOutOfOrder),
        "{a:?}"
    );
    // two first segments of one reference from two calling parties
    let mut r = Reassembler::new();
    for calling in [&b"gt-one"[..], b"gt-two"] {
        let mut a = Anomalies::new();
        let k = SegmentKey {
            calling,
            ..key(b"")
        };
        r.push(&k, seg(true, 1), &[1; 100], 0, 1, &mut a);
        assert!(a.is_empty(), "{a:?}");
    }
}

/// First segments whose rest never comes, paced so that few are open at once (one every
/// 3.7 s, each timing out after 20 s): once the origin has left eight incomplete and completed
/// none, each further one raises `segment_flood` (value: how many it left). An origin that
/// completes its messages but loses some, and many origins leaving one each, raise nothing.
#[test]
fn an_origin_that_completes_none_of_its_messages() {
    use sigscope_sccp::reassembly::{ABANDONED_DETAIL, MAX_ABANDONED_PER_ORIGIN};
    let seg = |first: bool, remaining: u8, lr: u32| Segmentation {
        first,
        in_sequence: false,
        remaining,
        spare: 0,
        local_ref: lr,
    };
    let floods = |a: &Anomalies| {
        a.iter()
            .find(|x| x.code == AnomalyCode::SegmentFlood && x.detail == ABANDONED_DETAIL)
            .and_then(|x| x.value)
    };
    let step = 3_700_000_000u64;
    // a first segment of `key` opening a message of `remaining` more, `step` after the last
    let open = |r: &mut Reassembler, key: &SegmentKey<'_>, lr: u32, remaining: u8| {
        let mut a = Anomalies::new();
        let t = u64::from(lr) * step;
        r.push(key, seg(true, remaining, lr), &[7; 60], 0, t, &mut a);
        a
    };
    // one origin, never completing
    let mut r = Reassembler::new();
    let mut first_flood = None;
    for lr in 0..24u32 {
        let a = open(&mut r, &to_hlr(b"attacker", lr), lr, 3);
        if let (None, Some(v)) = (first_flood, floods(&a)) {
            assert_eq!(v, u64::from(MAX_ABANDONED_PER_ORIGIN));
            first_flood = Some(lr);
        }
    }
    assert!(first_flood.is_some_and(|lr| lr < 16), "{first_flood:?}");
    // an origin that completes every other message
    let mut r = Reassembler::new();
    for lr in 0..40u32 {
        let key = to_hlr(b"busy-node", lr);
        let mut a = open(&mut r, &key, lr, 1);
        if lr % 2 == 0 {
            let t = u64::from(lr) * step + 1_000_000;
            r.push(&key, seg(false, 0, lr), &[8; 60], 0, t, &mut a);
        }
        assert_eq!(floods(&a), None, "{lr}: {a:?}");
    }
    // many origins, one lost message each
    let mut r = Reassembler::new();
    for lr in 0..40u32 {
        let calling = lr.to_be_bytes();
        let a = open(&mut r, &to_hlr(&calling, lr), lr, 1);
        assert_eq!(floods(&a), None, "{lr}: {a:?}");
    }
}

/// The key of a segment of `local_ref` from `calling` on the link 1 → 2 to the HLR.
fn to_hlr(calling: &[u8], local_ref: u32) -> SegmentKey<'_> {
    SegmentKey {
        opc: 1,
        dpc: 2,
        called: b"hlr",
        calling,
        local_ref,
    }
}
