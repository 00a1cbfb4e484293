//! SCCP decoding on real bytes from the shared captures (hex extracted with
//! `tshark -T json -x`, field `sccp_raw`), checked against what tshark shows for them.

use sigscope_core::Anomalies;
use sigscope_core::AnomalyCode;
use sigscope_sccp::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// CAP.pcap frame 9: UDT, GTI 4 both sides, MAP processUnstructuredSS-Request Begin.
const CAP_F9: &str = "0980030e190b520a0011046998051000010b12060011046998051020097e627c4804620004c46b542852060700118605010101a047604580020780a109060704000001001302be342832060704000001010101a027a025800824020301803988f28107916998051020f98207916998153056f78307916998051050f16c80a11a02010002013b301204010f040daa182ca6cad56032d90c971b010000010f040daa182ca6cad56032d90c971b0100";

#[test]
fn udt_gti4_cap_frame9() {
    let b = hex(CAP_F9);
    let mut a = Anomalies::new();
    let m = Message::decode(&b, &mut a).unwrap();
    assert_eq!(m.msg_type, MessageType::UDT);
    let pc = m.protocol_class.unwrap();
    assert_eq!(pc.class(), 0);
    assert!(pc.return_on_error());
    let called = m.called_address(PcFormat::Itu14, &mut a).unwrap();
    let calling = m.calling_address(PcFormat::Itu14, &mut a).unwrap();
    // tshark: sccp.called.digits 96895001001, ssn 10; calling digits 96895010290, ssn 6
    assert_eq!(called.routing, RoutingIndicator::Ssn);
    assert_eq!(called.ssn, Some(Ssn::AUC));
    let gt = called.gt.unwrap();
    assert_eq!(gt.gti, 4);
    assert_eq!(gt.tt, Some(0));
    assert_eq!(gt.np, Some(NumberingPlan::E164));
    assert_eq!(gt.es, Some(EncodingScheme::BCD_ODD));
    assert_eq!(gt.nai, Some(NatureOfAddress::INTERNATIONAL));
    assert_eq!(gt.digits().as_str(), "96895001001");
    assert_eq!(gt.country().map(|c| c.iso), Some("OM"));
    assert_eq!(calling.ssn, Some(Ssn::HLR));
    assert_eq!(calling.gt.unwrap().digits().as_str(), "96895001029");
    assert_eq!(m.user_data().first(), Some(&0x62));
    // The capture's frame holds 18 octets after the data parameter (a copy of the USSD
    // string's tail): reported, not decoded.
    let t: Vec<_> = a.iter().map(|x| (x.code, x.offset, x.value)).collect();
    assert_eq!(t, vec![(AnomalyCode::TrailingBytes, 156, Some(18))]);
}

/// CAP.pcap frame 1: UDT SCMG SST (GTI 0, route on SSN) followed by trailing octets.
#[test]
fn udt_scmg_with_trailing_octets_cap_frame1() {
    let b = hex("09000305070242010242010503fce30400000309000305070242010242010503fce304");
    let mut a = Anomalies::new();
    let m = Message::decode(&b, &mut a).unwrap();
    let called = m.called_address(PcFormat::Itu14, &mut a).unwrap();
    assert_eq!(called.routing, RoutingIndicator::Ssn);
    assert_eq!(called.gti, 0);
    assert_eq!(called.ssn, Some(Ssn::SCMG));
    let s = Scmg::parse(m.user_data(), PcFormat::Itu14).unwrap();
    assert_eq!(s.msg_type, ScmgType::SST);
    assert_eq!(s.affected_ssn, Ssn(0xfc));
    assert_eq!(s.affected_pc, 0x04e3);
    assert!(a.contains(AnomalyCode::TrailingBytes));
    assert!(Message::from_slice(&b).is_ok());
}

/// 3gpp_mc.cap frames 3 (CR), 4 (DT1), 15 (RLSD), 16 (RLC).
#[test]
fn connection_oriented_3gpp_mc() {
    let cr = hex("010161da0202060443411f8e0f47001340430000060003400100000f40060064f0901807003a40080064f09018070001001040111005247103000000084906900840088772004f4003015df40056400564f090070f040443471f8e00");
    let mut a = Anomalies::new();
    let m = Message::decode(&cr, &mut a).unwrap();
    assert_eq!(m.msg_type, MessageType::CR);
    assert_eq!(m.src_local_ref, Some(0xda6101));
    assert_eq!(m.protocol_class.map(|c| c.class()), Some(2));
    let called = m.called_address(PcFormat::Itu14, &mut a).unwrap();
    assert_eq!(called.ssn, Some(Ssn::RANAP));
    assert_eq!(called.pc, Some(8001));
    assert!(m.data.is_some());
    assert!(a.is_empty(), "{a:?}");

    let dt1 = hex("060161da0001130014400f00000200104003020521003b400100");
    let m = Message::decode(&dt1, &mut a).unwrap();
    assert_eq!(m.msg_type, MessageType::DT1);
    assert_eq!(m.dst_local_ref, Some(0xda6101));
    assert_eq!(m.segmenting_reassembling, Some(0));
    assert_eq!(m.user_data().len(), 0x13);

    let rlsd = hex("040161cb4052010000");
    let m = Message::decode(&rlsd, &mut a).unwrap();
    assert_eq!(m.msg_type, MessageType::RLSD);
    assert_eq!(
        m.cause,
        Some(Cause::Release(ReleaseCause::END_USER_ORIGINATED))
    );
    assert_eq!(m.src_local_ref, Some(0x015240));

    let rlc = hex("054052010161cb");
    let m = Message::decode(&rlc, &mut a).unwrap();
    assert_eq!(m.msg_type, MessageType::RLC);
    assert_eq!(m.dst_local_ref, Some(0x015240));
    assert!(a.is_empty(), "{a:?}");
}

/// idp.pcap frame 1: XUDT (class 1, hop counter 10) with GTI 4 addresses, TT 20.
#[test]
fn xudt_idp() {
    let b = hex("11810a040f1af90b12921412043619060000640b1292001204198922222222df6281fb4804220000026b1e281c060700118605010101a011600f80020780a1090607040000011503046c81d2a181cf0201010201003081c6800200858205141791184583079119113214456585010a8a0589674513f28c020222af0b30090201010a010181010a9903022221bb0580038090a39c01029d0202229f320804551532540600f0bf33028000bf344b02010080080110213111117121810891536508020000f082020111a309800761fa193e080c00a407a003300141a1008503011121860791334344768799870a0101112131412141315188009f3604357498281004c100040400");
    let mut a = Anomalies::new();
    let m = Message::decode(&b, &mut a).unwrap();
    assert_eq!(m.msg_type, MessageType::XUDT);
    assert_eq!(m.hop_counter, Some(10));
    let called = m.called_address(PcFormat::Itu14, &mut a).unwrap();
    let gt = called.gt.unwrap();
    assert_eq!(gt.tt, Some(20));
    assert_eq!(gt.digits().as_str(), "639160000046");
    assert_eq!(called.ssn, Some(Ssn::GSMSCF));
    let calling = m.calling_address(PcFormat::Itu14, &mut a).unwrap();
    assert_eq!(calling.gt.unwrap().digits().as_str(), "919822222222");
    assert_eq!(m.user_data().len(), 0xdf);
    assert!(a.is_empty(), "{a:?}");
}

/// 11.pcap frame 1 (ANSI): UDT with ANSI addresses, GTI 2 (TT only), SSN 7 and 6.
#[test]
fn udt_ansi_gti2() {
    let b = hex("0981030c1509c9070a2160137350050989060a2160136300093e623c4804000069c06b1e281c060700118605010101a011600f80020780a1090607040000010002036c14a112020100020103a30a040813300199000054f0");
    let mut a = Anomalies::new();
    let m = Message::decode(&b, &mut a).unwrap();
    let called = m.called_address(PcFormat::Ansi24, &mut a).unwrap();
    let calling = m.calling_address(PcFormat::Ansi24, &mut a).unwrap();
    assert_eq!(called.layout, AddressLayout::Ansi);
    assert_eq!(called.ssn, Some(Ssn::VLR));
    assert_eq!(calling.ssn, Some(Ssn::HLR));
    let gt = called.gt.unwrap();
    assert_eq!(gt.gti, 2);
    assert_eq!(gt.tt, Some(10));
    assert_eq!(gt.digits().as_str(), "120631370550");
    assert_eq!(calling.gt.unwrap().digits().as_str(), "120631360090");
    // Read as ITU, the same octets give another (wrong) layout: the format matters.
    let itu = m.called_address(PcFormat::Itu14, &mut a).unwrap();
    assert_eq!(itu.layout, AddressLayout::Itu);
}

#[test]
fn bad_input_is_reported_with_offsets() {
    let b = hex(CAP_F9);
    // pointer outside the message
    let mut p = b.clone();
    p[3] = 0xf0;
    let mut a = Anomalies::new();
    let m = Message::decode(&p, &mut a).unwrap();
    assert!(m.calling.is_none());
    let an = a
        .iter()
        .find(|x| x.code == AnomalyCode::PointerOutOfRange)
        .unwrap();
    assert_eq!(an.offset, 3);
    // the called address and the data (pointers 2 and 4) are still decoded
    assert!(m.called.is_some() && m.data.is_some());
    assert!(Message::from_slice(&p).is_err());
    // parameter overrun: data length beyond the message
    let mut o = b.clone();
    o.truncate(60);
    let mut a = Anomalies::new();
    let m = Message::decode(&o, &mut a).unwrap();
    assert!(a.contains(AnomalyCode::ParameterOverrun));
    assert_eq!(m.user_data().len(), 60 - m.data.unwrap().offset);
    assert!(m.called.is_some());
    // impossible GT digits
    let mut g = b.clone();
    g[11] = 0xa6;
    let mut a = Anomalies::new();
    let m = Message::decode(&g, &mut a).unwrap();
    let _ = m.called_address(PcFormat::Itu14, &mut a);
    let an = a
        .iter()
        .find(|x| x.code == AnomalyCode::GtNonDigitSignal)
        .unwrap();
    assert_eq!(an.offset, 11);
    // truncated in the fixed part
    let mut a = Anomalies::new();
    let m = Message::decode(&[0x11, 0x81], &mut a).unwrap();
    assert_eq!(m.msg_type, MessageType::XUDT);
    assert!(a.contains(AnomalyCode::Truncated));
    assert!(Message::decode(&[], &mut a).is_err());
}

#[test]
fn ssn_roles() {
    for s in [
        Ssn::HLR,
        Ssn::VLR,
        Ssn::MSC,
        Ssn::EIR,
        Ssn::AUC,
        Ssn::GMLC,
        Ssn::GSMSCF_MAP,
        Ssn::SGSN,
        Ssn::GGSN,
    ] {
        assert!(s.is_map() && s.is_tcap_user(), "{s}");
    }
    assert!(!Ssn::GSMSCF.is_map() && Ssn::GSMSCF.is_tcap_user());
    assert!(Ssn::MAP.is_tcap_user());
    for s in [Ssn::SCMG, Ssn::RANAP, Ssn::BSSAP, Ssn::UNKNOWN] {
        assert!(!s.is_tcap_user(), "{s}");
    }
}

/// Addresses and global titles decoded in place (into slots that held the previous message's,
/// as the decoder reuses them) equal those decoded fresh, on the 94 real UDTs, and so do
/// their digits decoded into a reused buffer: nothing of an earlier address survives.
#[test]
fn in_place_decoding_equals_fresh_over_reused_slots() {
    let corpus = sigscope_sccp::testdata::corpus_udt();
    assert!(corpus.len() >= 90);
    let mut slot = Address::EMPTY;
    let mut gt_slot: Option<GlobalTitle<'_>> = None;
    let mut digits = sigscope_core::digits::Digits::from_ascii("99999999999999999999999");
    let mut checked = 0;
    for bytes in corpus.iter().chain(corpus.iter().rev()) {
        let mut an = Anomalies::new();
        let Ok(m) = Message::decode(bytes, &mut an) else {
            continue;
        };
        for p in [m.called, m.calling].into_iter().flatten() {
            let (mut a1, mut a2) = (Anomalies::new(), Anomalies::new());
            let fresh = Address::decode(p.value, PcFormat::Itu14, p.offset, &mut a1);
            let kept = slot.decode_into(p.value, PcFormat::Itu14, p.offset, &mut a2);
            assert_eq!(fresh.is_ok(), kept.is_ok());
            assert_eq!(a1.len(), a2.len());
            let Ok(fresh) = fresh else { continue };
            assert_eq!(fresh, slot);
            if let Some(gt) = fresh.gt {
                // the global title follows the indicator, the point code (ITU: two octets)
                // and the SSN
                let pos =
                    1 + 2 * usize::from(fresh.pc.is_some()) + usize::from(fresh.ssn.is_some());
                let mut a3 = Anomalies::new();
                GlobalTitle::decode_into(
                    &mut gt_slot,
                    gt.gti,
                    gt.layout,
                    p.value.get(pos..).unwrap_or(&[]),
                    p.offset + pos,
                    &mut a3,
                );
                assert_eq!(gt_slot, Some(gt));
                gt.digits_into(&mut digits);
                assert_eq!(digits, gt.digits());
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}
