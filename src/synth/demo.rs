//! `demo`: the content of `testdata/demo.pcap` (see `examples/make_demo.rs`), frame for frame,
//! made with the TCAP and MAP emitters. The seed is not used: the demo is one fixed capture.

use sigscope_gtp::{v1, v2};
use sigscope_map::emit as map;
use sigscope_map::sms::emit::SmsDeliverRepr;
use sigscope_sigtran::common::emit_message;
use sigscope_tcap::emit::TcapRepr;

use super::build::{
    gt, udt, v1_message, v2_message, Frame, Net, SynthError, FOREIGN, HLR_SG, PGW, SGW, STP,
};

/// Time between two demo frames.
const TICK_MS: u64 = 150;
/// Home subscriber.
const MSISDN: &str = "447700900123";
/// Home subscriber's IMSI.
const IMSI: &str = "234150123456789";
/// Home SMSC.
const SMSC: &str = "447700900001";

/// The demo capture's frames.
pub fn demo(_seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(0);
    let tick = |n: &mut Net| n.wait_ms(TICK_MS);

    // M3UA association: ASPUP / ASPUP_ACK.
    let mut aspup = Vec::new();
    emit_message(3, 1, &[], &mut aspup)?;
    tick(&mut n);
    n.sctp(STP, HLR_SG, aspup)?;
    let mut ack = Vec::new();
    emit_message(3, 4, &[], &mut ack)?;
    tick(&mut n);
    n.sctp(HLR_SG, STP, ack)?;

    // sendRoutingInfoForSM and its answer.
    let begin = TcapRepr::begin_invoke(0x0a0b_0c0d, (20, 3), 1, 45, map::sri_sm_arg(MSISDN, SMSC)?);
    tick(&mut n);
    n.m3ua(udt(gt(MSISDN, 6), gt(SMSC, 8), begin.emit())?)?;
    let end = TcapRepr::end_result(
        0x0a0b_0c0d,
        (20, 3),
        1,
        45,
        map::sri_sm_res(IMSI, "447700900500")?,
    );
    tick(&mut n);
    n.m3ua_back(udt(gt(SMSC, 8), gt(MSISDN, 6), end.emit())?)?;

    // anyTimeInterrogation from a foreign global title.
    let begin = TcapRepr::begin_invoke(
        0x7700_0001,
        (29, 3),
        1,
        71,
        map::ati_arg(MSISDN, "85290001234")?,
    );
    tick(&mut n);
    n.m3ua_si(
        (FOREIGN, HLR_SG),
        (3301, 2201),
        3,
        udt(gt(SMSC, 6), gt("85290001234", 147), begin.emit())?,
    )?;

    // USSD *100#.
    let begin =
        TcapRepr::begin_invoke(0x0000_1234, (19, 2), 1, 59, map::ussd_arg("*100#", MSISDN)?);
    tick(&mut n);
    n.m3ua(udt(gt(SMSC, 6), gt("447700900200", 8), begin.emit())?)?;

    // mt-forwardSM with an SMS-DELIVER.
    let tpdu = SmsDeliverRepr::text("447700900999", "Your code is 4821").emit()?;
    let begin = TcapRepr::begin_invoke(
        0x0000_5eed,
        (25, 3),
        1,
        44,
        map::mt_forward_sm_arg(IMSI, SMSC, &tpdu)?,
    );
    tick(&mut n);
    n.m3ua(udt(gt("447700900500", 8), gt(SMSC, 8), begin.emit())?)?;

    // GTPv2-C echoes, the third carrying an IMSI IE holding text.
    let rec = |v: u8| v2::IeRepr::raw(3, 0, vec![v]);
    tick(&mut n);
    n.gtpc(SGW, PGW, &v2_message(1, None, 0x10, vec![rec(7)])?)?;
    tick(&mut n);
    n.gtpc(PGW, SGW, &v2_message(2, None, 0x10, vec![rec(3)])?)?;
    tick(&mut n);
    n.udp(
        (FOREIGN, 41123),
        (PGW, 2123),
        &v2_message(
            1,
            None,
            0x11,
            vec![rec(7), v2::IeRepr::raw(1, 0, b"d2hvYW1pOyBpZA==".to_vec())],
        )?,
    )?;

    // Create Session Request.
    let tbcd = |d: &str| map::imsi(d);
    let csr = v2_message(
        32,
        Some(0),
        0x2001,
        vec![
            v2::IeRepr::raw(1, 0, tbcd(IMSI)?),
            v2::IeRepr::raw(76, 0, tbcd(MSISDN)?),
            v2::IeRepr::raw(82, 0, vec![6]),
            v2::IeRepr::raw(71, 0, b"\x08internet".to_vec()),
            v2::IeRepr::raw(
                87,
                0,
                vec![0x8a, 0, 0, 0x10, 0x01, SGW[0], SGW[1], SGW[2], SGW[3]],
            ),
            v2::IeRepr::grouped(
                93,
                0,
                vec![
                    v2::IeRepr::raw(73, 0, vec![5]),
                    v2::IeRepr::raw(80, 0, {
                        let mut q = vec![0x49, 9];
                        q.resize(22, 0);
                        q
                    }),
                ],
            ),
        ],
    )?;
    tick(&mut n);
    n.gtpc(SGW, PGW, &csr)?;

    // G-PDU with a small IPv4/UDP packet (checksums 0, as the demo writes them).
    let inner = demo_inner();
    tick(&mut n);
    n.gpdu(SGW, PGW, 0x0000_1001, inner)?;

    // USSD carrying a base64 command.
    let begin = TcapRepr::begin_invoke(
        0x0000_1235,
        (19, 2),
        1,
        59,
        map::ussd_arg("aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk", MSISDN)?,
    );
    tick(&mut n);
    n.m3ua(udt(gt(SMSC, 6), gt("447700900200", 8), begin.emit())?)?;

    // GTPv1-C Echo Request with an encrypted-looking private extension.
    let mut x: u32 = 0x9e37_79b9;
    let mut blob = vec![0x00, 0x2a];
    for _ in 0..48 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        blob.push((x >> 24) as u8);
    }
    let echo = v1_message(
        1,
        0,
        Some(0x0042),
        v1::BodyRepr::Ies(vec![
            v1::IeRepr {
                ie_type: 14,
                value: vec![1],
            },
            v1::IeRepr {
                ie_type: 255,
                value: blob,
            },
        ]),
    )?;
    tick(&mut n);
    n.gtpc(FOREIGN, PGW, &echo)?;
    Ok(n.frames)
}

/// The demo's IPv4/UDP DNS-sized packet: header by hand (identification 1, checksums 0).
fn demo_inner() -> Vec<u8> {
    const PAYLOAD: usize = 12;
    let total = (20 + 8 + PAYLOAD) as u16;
    let ulen = (8 + PAYLOAD) as u16;
    let mut out = vec![0x45, 0];
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&[
        0, 1, 0, 0, 64, 17, 0, 0, 10, 45, 0, 2, 8, 8, 8, 8, 0xc0, 0x01, 0, 53,
    ]);
    out.extend_from_slice(&ulen.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.resize(out.len() + PAYLOAD, 0);
    out
}
