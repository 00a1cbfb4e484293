//! A benign SS7 mix of more than 10,000 messages with the legitimate look-alikes of every SS7
//! family (foreign SMSCs that look subscribers up and deliver to them, roaming updates and
//! authentications, USSD menus, prose SMS in several scripts and alphabets, binary SIM OTA
//! from the home SMSC, ISUP calls, heartbeats): at most one alerted message per 10,000, with
//! and without a policy.

mod support;

use sigscope_core::ber::Tag;
use sigscope_rules::{Engine, Policy};
use sigscope_sigtran::m3ua::DataRepr;
use support::*;

const HOME: &str = "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"4477009\"]\n";

fn ucs2(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
}

/// mt-ForwardSM from `smsc` to `msc` with a raw TPDU body (`pid`, `dcs`, `ud`).
fn mt_raw(ts: f64, otid: u32, smsc: &str, msc: &str, pid: u8, dcs: u8, ud: &[u8]) -> Frame {
    let mut tpdu = vec![0x04, 11, 0x91];
    tpdu.extend(tbcd("85290001234"));
    tpdu.extend_from_slice(&[pid, dcs, 0x52, 0x11, 0x52, 0x01, 0x00, 0x00, 0x00]);
    tpdu.push(ud.len() as u8);
    tpdu.extend_from_slice(ud);
    let arg = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::ctx(0), &[&tbcd("234150123456789")]),
            &tlv(Tag::ctx(4), &[&isdn(smsc)]),
            &tlv(Tag::OCTET_STRING, &[&tpdu]),
        ],
    );
    Frame::at(
        ts,
        map_invoke(
            otid,
            smsc,
            msc,
            (ac::SHORT_MSG_MT_RELAY, 3),
            op::MT_FORWARD_SM,
            &arg,
        ),
    )
}

fn isup(ts: f64, cic: u16) -> Frame {
    let mut user = cic.to_le_bytes().to_vec();
    user.extend_from_slice(&[
        0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02, 0x00, 0x06, 0x81, 0x10,
    ]);
    user.extend_from_slice(&[0x44, 0x77, 0x00, 0x09]);
    let mut m = Vec::new();
    DataRepr {
        network_appearance: None,
        routing_context: Some(100),
        opc: 1201,
        dpc: 2201,
        si: 5,
        ni: 2,
        mp: 0,
        sls: 3,
        user_data: user,
    }
    .emit(&mut m)
    .unwrap();
    Frame::at(ts, sctp(STP, HLR_SG, 3, m))
}

fn benign_mix() -> Vec<Frame> {
    let smscs = ["85290009999", "8613800000999", "33609000999", "4917100099"];
    let prose = [
        "您好，您的快递今天下午三点送达，请保持电话畅通，谢谢。",
        "வணக்கம், உங்கள் கணக்கில் ரூ.500 வரவு வைக்கப்பட்டுள்ளது.",
        "مرحباً، تم شحن رصيدك بمبلغ ٥٠ ريال. شكراً لك.",
        "สวัสดีครับ ยอดเงินคงเหลือของคุณคือ 250 บาท ขอบคุณครับ",
        "Здравствуйте! Ваш баланс пополнен на 300 рублей.",
    ];
    let mut v = Vec::new();
    let mut otid = 0x1000_0000u32;
    // arrivals at random (exponential gaps around 3 s), as a busy link has them
    let mut seed = 0x9e37_79b9u32;
    let mut ts = 0.0;
    for i in 0..1_300u32 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let u = (f64::from(seed) + 1.0) / (f64::from(u32::MAX) + 2.0);
        ts += -u.ln() * 3.0;
        let msisdn = format!("4477009{:05}", i % 900);
        let smsc = smscs[(i % 4) as usize];
        let mut next = || {
            otid += 1;
            otid
        };
        // a foreign SMSC looks the subscriber up, then delivers
        v.push(Frame::at(
            ts,
            map_invoke(
                next(),
                smsc,
                "447700900001",
                (ac::SHORT_MSG_GATEWAY, 3),
                op::SRI_FOR_SM,
                &sri_sm_arg(&msisdn),
            ),
        ));
        let text = format!(
            "Your code is {:06}. Do not share it.",
            (i * 7919) % 1_000_000
        );
        v.push(Frame::at(
            ts + 0.4,
            map_invoke(
                next(),
                smsc,
                "447700900555",
                (ac::SHORT_MSG_MT_RELAY, 3),
                op::MT_FORWARD_SM,
                &mt_forward_sm_arg(smsc, &text),
            ),
        ));
        // prose in another script (UCS-2)
        let p = ucs2(prose[(i % 5) as usize]);
        v.push(mt_raw(
            ts + 0.6,
            next(),
            smsc,
            "447700900555",
            0,
            0x08,
            &p[..p.len().min(140)],
        ));
        // home subscribers: authentication and updates from home VLRs, USSD menus
        let imsi = format!("2341501{:08}", i % 700);
        v.push(Frame::at(
            ts + 0.8,
            map_invoke(
                next(),
                "447700900123",
                "447700900001",
                (ac::INFO_RETRIEVAL, 3),
                op::SEND_AUTHENTICATION_INFO,
                &sai_arg(&tbcd(&imsi)),
            ),
        ));
        v.push(Frame::at(
            ts + 1.0,
            map_invoke(
                next(),
                "447700900123",
                "447700900001",
                (ac::NETWORK_LOC_UP, 3),
                op::UPDATE_LOCATION,
                &ul_arg(&tbcd(&imsi), "447700900123"),
            ),
        ));
        let ussd = [
            "*100#",
            "*123*1#",
            "1. Balance\n2. Top up\n3. Bundles",
            "Your balance is 12.50 GBP",
        ][(i % 4) as usize];
        v.push(Frame::at(
            ts + 1.2,
            map_invoke(
                next(),
                "447700900123",
                "447700900001",
                (ac::NETWORK_UNSTRUCTURED_SS, 2),
                op::PROCESS_USSD,
                &ussd_arg(ussd),
            ),
        ));
        // SIM OTA from the home SMSC (PID 7F, class-2 8-bit), encrypted by design
        if i % 10 == 0 {
            v.push(mt_raw(
                ts + 1.4,
                next(),
                "447700900777",
                "447700900555",
                0x7f,
                0xf6,
                &noise(i, 90),
            ));
        }
        // calls
        v.push(isup(ts + 1.6, (i % 4000) as u16));
        // roaming partners' subscribers visiting: their home HLR inserts data
        let roamer = format!("2080112{:08}", i % 300);
        v.push(Frame::at(
            ts + 1.8,
            map_invoke(
                next(),
                "33609000111",
                "447700900123",
                (ac::SUBSCRIBER_INFO_ENQUIRY, 3),
                op::PROVIDE_SUBSCRIBER_INFO,
                &psi_arg(&tbcd(&roamer)),
            ),
        ));
    }
    v
}

#[test]
fn benign_ss7_mix_stays_quiet() {
    let frames = benign_mix();
    for policy in [Policy::from_toml(HOME).unwrap(), Policy::default()] {
        let mut e = Engine::new(policy);
        let (mut messages, mut alerted) = (0u64, Vec::new());
        decode(&frames, &mut |m| {
            messages += 1;
            let mut hit = false;
            e.observe(m, &mut |a| {
                hit = true;
                alerted.push((a.frame, a.sig.id(), a.tagged));
            });
            let _ = hit;
        });
        let frames_alerted: std::collections::BTreeSet<u64> = alerted.iter().map(|a| a.0).collect();
        assert!(messages >= 10_000, "{messages} messages");
        assert!(
            frames_alerted.len() as u64 * 10_000 <= messages,
            "{} of {messages} messages alerted: {:?}",
            frames_alerted.len(),
            alerted.iter().take(10).collect::<Vec<_>>()
        );
    }
}

/// Signatures raised as findings (tagged flow members left out) over `frames`.
fn findings(policy: &str, frames: &[Frame]) -> std::collections::BTreeSet<u32> {
    let mut e = Engine::new(Policy::from_toml(policy).unwrap());
    let mut ids = std::collections::BTreeSet::new();
    decode(frames, &mut |m| {
        e.observe(m, &mut |a| {
            if !a.tagged {
                ids.insert(a.sig.id());
            }
        })
    });
    ids
}

/// Look-alikes an independent encoder raised alerts on: an SMSC's throttled campaign (one
/// lookup and delivery every 2 or 9 s, each for another subscriber) is no beacon, while the
/// same operation polling one subscriber at that period is; a home node's global titles in
/// national format (NAI 3, no country code) are home; application-to-person texts whose
/// references, numbers and links lift the character entropy are prose.
#[test]
fn throttled_campaigns_national_titles_and_a2p_texts() {
    let no_limit = format!("{HOME}[thresholds]\nalert_window_s=0.0\n");
    for (smsc, period) in [("447700900777", 2.0), ("4917100099", 9.0)] {
        for same in [false, true] {
            let frames: Vec<Frame> = (0..30u32)
                .map(|i| {
                    let msisdn = if same {
                        "447700900123".to_string()
                    } else {
                        format!("4477009{:05}", 100 + i * 37)
                    };
                    Frame::at(
                        f64::from(i) * period,
                        map_invoke(
                            0x5000 + i,
                            smsc,
                            "447700900001",
                            (ac::SHORT_MSG_GATEWAY, 3),
                            op::SRI_FOR_SM,
                            &sri_sm_arg(&msisdn),
                        ),
                    )
                })
                .collect();
            let got = findings(&no_limit, &frames);
            // the home SMSC polling one home subscriber is the operator's own service
            let foreign = !smsc.starts_with("4477009");
            assert_eq!(
                got.contains(&3005),
                same && foreign,
                "{smsc} every {period} s: {got:?}"
            );
        }
    }
    // national format: home when the digits are a home prefix without its country code
    let national = |digits: &str, ssn: u8| {
        let mut a = gt_address(digits, ssn);
        if let Some(g) = a.gt.as_mut() {
            g.nai = 3;
        }
        a
    };
    for (calling, foreign) in [
        ("7700900040", false),
        ("7700900555", false),
        ("6123456789", true),
    ] {
        let tcap = tcap_begin(
            0x6000,
            ac::ANY_TIME_INFO_ENQUIRY,
            3,
            op::ANY_TIME_INTERROGATION,
            &ati_arg("447700900123", "447700900040"),
        );
        let sccp = sccp_udt(national("7700900001", 6), national(calling, 147), tcap);
        let got = findings(&no_limit, &[Frame::at(1.0, m3ua_frame(sccp))]);
        assert_eq!(got.contains(&3002), foreign, "{calling}: {got:?}");
    }
    // application-to-person prose, and noise that is not
    for (text, encoded) in [
        ("DPD: Your parcel 15501234567890123456 from ACME arrives today 10:30-11:30. Track or change: https://dpd.to/Ab3xYz9Q", false),
        ("Booking confirmed! Ref QX7K2M, flight BA2491 LHR-JNB 14MAR 21:05, seat 32K. Check in: https://ba.com/c/7Hf2Lq9", false),
        ("k#9$Lq!z@W2^xR&v*Yp(3)Bn_7+Gm=Hc{Ju}Td[Fs]Ea;Ow:Ei'Ur<Qy>Zt?1k#9$Lq!z@W2^xR&v", true),
    ] {
        let f = Frame::at(
            1.0,
            map_invoke(
                0x7000,
                "4917100099",
                "447700900555",
                (ac::SHORT_MSG_MT_RELAY, 3),
                op::MT_FORWARD_SM,
                &mt_forward_sm_arg("4917100099", text),
            ),
        );
        let got = findings(&no_limit, &[f]);
        assert_eq!(got.contains(&2002), encoded, "{text}: {got:?}");
    }
}

/// SIM OTA (PID 0x7F, DCS 0xF6, encrypted command packets) is the subscriber's own operator
/// updating its SIM: from our SMSC to our subscribers, and from an inbound roamer's home
/// SMSC (the country of the roamer's IMSI) to the roamer. From any other network it is 2005.
#[test]
fn sim_ota_from_the_subscribers_home() {
    let ota = |smsc: &str, imsi: &str| {
        let mut tpdu = vec![0x04, 11, 0x91];
        tpdu.extend(tbcd("33689004003"));
        tpdu.extend_from_slice(&[0x7f, 0xf6, 0x52, 0x11, 0x52, 0x01, 0x00, 0x00, 0x00]);
        let ud = noise(imsi.len() as u32 * 7 + smsc.len() as u32, 56);
        tpdu.push(ud.len() as u8);
        tpdu.extend_from_slice(&ud);
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::ctx(0), &[&tbcd(imsi)]),
                &tlv(Tag::ctx(4), &[&isdn(smsc)]),
                &tlv(Tag::OCTET_STRING, &[&tpdu]),
            ],
        );
        Frame::at(
            1.0,
            map_invoke(
                0x8100,
                smsc,
                "447700900555",
                (ac::SHORT_MSG_MT_RELAY, 3),
                op::MT_FORWARD_SM,
                &arg,
            ),
        )
    };
    let no_limit = format!("{HOME}[thresholds]\nalert_window_s=0.0\n");
    for policy in [no_limit.as_str(), "[thresholds]\nalert_window_s=0.0\n"] {
        // a French roamer's SIM updated by a French SMSC; ours by ours
        for (smsc, imsi) in [
            ("336890040030", "208011234567890"),
            ("447700900777", "234150123456789"),
        ] {
            let got = findings(policy, &[ota(smsc, imsi)]);
            assert!(!got.contains(&2005), "{smsc} to {imsi}: {got:?}");
        }
        // a German SMSC updating a French roamer's SIM, a French one updating ours
        for (smsc, imsi) in [
            ("491710000030", "208011234567890"),
            ("336890040030", "234150123456789"),
        ] {
            let got = findings(policy, &[ota(smsc, imsi)]);
            assert!(got.contains(&2005), "{smsc} to {imsi}: {got:?}");
        }
    }
}
