//! Unit tests for the content heuristics (`content.rs`) over text and binary field values.

use super::*;

const QUIET: &[&str] = &[
    "*100#",
    "*123*1*0044770090012#",
    "1. Balance\n2. Bundles\n3. Roaming offers\n4. Settings\n0. Back",
    "Your balance is GBP 12.34. Valid until 2025-12-31. Reply 1 for offers.",
    "Your code is 4821",
    "Your verification code is 583920. Do not share it with anyone.",
    "Visit https://example.com/account/settings?ref=sms&id=42abcDEF for details",
    "Welcome to France! Calls to the UK cost 0.20 EUR/min, data 5 EUR/GB. Enjoy your trip.",
    "Ihr Guthaben betraegt 5,00 EUR. Aufladen unter *103*Code#",
    "4477009001234567",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    // application-to-person texts: references, numbers and links among the words
    "DPD: Your parcel 15501234567890123456 from ACME arrives today 10:30-11:30. Track or change: https://dpd.to/Ab3xYz9Q",
    "Booking confirmed! Ref QX7K2M, flight BA2491 LHR-JNB 14MAR 21:05, seat 32K. Check in: https://ba.com/c/7Hf2Lq9",
    "Votre code Uber est 4821. Ne le partagez pas. Ref: 9f3Kq2 @uber.com #4821",
    "Booking 164BEK confirmed: LHR-JFK BA945 dep 17:06 14DEC, seat 30B. Manage: https://ba.com/mb/164BEK",
    "TK chính: 187.69đ, HSD: 31/12/2025. Data roaming còn 1.2GB.",
];

#[test]
fn normal_text_is_quiet() {
    for s in QUIET {
        assert_eq!(encoded_text(s, 20, 4.8), None, "{s}");
    }
}

#[test]
fn encoded_text_is_found() {
    let b64 = "aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk";
    assert_eq!(encoded_text(b64, 20, 4.8).map(|v| v.kind), Some("base64"));
    let hex = "6964".to_string() + "3b756e616d65202d613b636174202f6574632f706173737764";
    assert_eq!(encoded_text(&hex, 20, 4.8).map(|v| v.kind), Some("hex"));
    let mixed = format!("ok {b64} done");
    assert_eq!(
        encoded_text(&mixed, 20, 4.8).map(|v| v.kind),
        Some("base64")
    );
    let noise = "k#9$Lq!z@W2^xR&v*Yp(3)Bn_7+Gm=Hc{Ju}Td[Fs]Ea;Ow:Ei'Ur<Qy>Zt?1";
    assert_eq!(
        encoded_text(noise, 20, 4.8).map(|v| v.kind),
        Some("high_entropy")
    );
    // the same noise cut into tokens is still no prose
    let spaced = "k#9$L q!z@W 2^xR& v*Yp( 3)Bn_ 7+Gm= Hc{Ju }Td[F s]Ea; Ow:Ei 'Ur<Q y>Zt? 1";
    assert_eq!(
        encoded_text(spaced, 20, 4.8).map(|v| v.kind),
        Some("high_entropy")
    );
    // base64 and hex cut into groups of 4, 5 or 6, the last one shorter
    for n in [4usize, 5, 6] {
        let groups = |t: &str| {
            t.as_bytes()
                .chunks(n)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            encoded_text(&groups(b64), 20, 4.8).map(|v| v.kind),
            Some("base64_grouped"),
            "{n}"
        );
        assert_eq!(
            encoded_text(&groups(&hex), 20, 4.8).map(|v| v.kind),
            Some("hex_grouped"),
            "{n}"
        );
    }
    // bytes written as 3-digit decimal codes
    let decimal: String = b"id;uname -a;cat /etc/passwd"
        .iter()
        .map(|b| format!("{b:03}"))
        .collect();
    assert_eq!(
        encoded_text(&decimal, 20, 4.8).map(|v| v.kind),
        Some("decimal")
    );
}

/// Base32 (RFC 4648: `id;uname -a;cat /etc/passwd` encoded, upper and lower case, padded
/// or not) is encoded data; uppercase words, order references with 0, 1, 8 or 9 and runs
/// without the digits 2-7 are not.
#[test]
fn base32_is_found() {
    let b32 = "NFSDW5LOMFWWKIBNMEZWGYLUEAXWK5DDF5YGC43TO5SA";
    for t in [b32.to_string(), b32.to_lowercase(), format!("{b32}====")] {
        assert_eq!(
            encoded_text(&t, 20, 4.8).map(|v| v.kind),
            Some("base32"),
            "{t}"
        );
    }
    for t in [
        "PLEASECALLCUSTOMERSERVICEONMONDAY",
        "ORDERREF2024AB19XK99PQ00ZZTOP",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF",
    ] {
        assert_eq!(encoded_text(t, 20, 4.8).map(|v| v.kind), None, "{t}");
    }
}

#[test]
fn grouped_prose_and_numbers_are_quiet() {
    for s in [
        "Your code is 4839 2017 5521 9034, valid for 10 minutes",
        "Card 4111 1111 1111 1111 exp 12/27",
        "IBAN GB29 NWBK 6016 1331 9268 19",
        "Ref ABC1 DEF2 GHI3 done",
        "Call 0800 123 456 or 0800 654 321 today",
        "Meet at gate 12 then bus 7 then walk home",
        "Tracking 123456789012345678901234567890 shipped",
    ] {
        assert_eq!(encoded_text(s, 20, 4.8), None, "{s}");
    }
}

#[test]
fn binary() {
    let random: Vec<u8> = (0u32..64)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_eq!(
        encoded_binary(&random, 32, 5.0).map(|v| v.kind),
        Some("encrypted")
    );
    let vendor = [0u8, 1, 0, 4, 0, 0, 0, 1, 0, 2, 0, 1, 5, 0, 3, 0, 2, 0, 0];
    assert_eq!(encoded_binary(&vendor, 8, 6.0), None);
    let banner = b"vendor-x node sgw01 build 2.3.4 (c) 2021";
    assert_eq!(encoded_binary(banner, 32, 6.0), None);
    let short = xorshift_noise(0x9e37_79b9, 48);
    assert_eq!(
        encoded_binary(&short, 32, 6.0).map(|v| v.kind),
        Some("encrypted")
    );
    assert_eq!(
        encoded_binary(b"aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk", 16, 6.0).map(|v| v.kind),
        Some("printable_encoded")
    );
    assert_eq!(unhex("00ff10"), Some(vec![0, 255, 16]));
    assert_eq!(unhex("0g"), None);
    assert!((entropy(&[1, 2, 3, 4]) - 2.0).abs() < 1e-9);
}
