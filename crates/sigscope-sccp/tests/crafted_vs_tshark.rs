//! Message types and GT indicators that occur in no shared capture (CREF, DT2, AK, UDTS, ED,
//! EA, RSR, RSC, ERR, IT, XUDTS, LUDT, LUDTS; GTI 1, 2 and 3; segmentation, importance), built
//! with the emitter or by hand per Q.713 clause 4, written into a raw-MTP3 pcap
//! (LINKTYPE_MTP3 = 141) and decoded by tshark: every field must agree with ours.
//! Skips when tshark is absent.

use std::process::Command;

use sigscope_core::Anomalies;
use sigscope_sccp::*;

fn gt_addr(gti: u8, digits: &str, ssn: u8, nai: u8) -> AddressRepr {
    AddressRepr {
        national: false,
        route_on_ssn: false,
        pc: None,
        ssn: Some(ssn),
        gt: Some(GtRepr {
            gti,
            tt: if gti == 1 { 0 } else { 5 },
            np: 1,
            nai,
            digits: digits.into(),
        }),
    }
}

fn pc_addr(pc: u32, ssn: u8) -> AddressRepr {
    AddressRepr {
        national: false,
        route_on_ssn: true,
        pc: Some(pc),
        ssn: Some(ssn),
        gt: None,
    }
}

fn addr_bytes(a: &AddressRepr) -> Vec<u8> {
    let mut v = Vec::new();
    a.emit(PcFormat::Itu14, &mut v);
    v
}

/// Hand-built connection-oriented messages (layouts of Q.713 4.2-4.17).
fn crafted() -> Vec<Vec<u8>> {
    let dlr = [0x11, 0x22, 0x33];
    let slr = [0x44, 0x55, 0x66];
    let called = addr_bytes(&gt_addr(1, "4477009001", 8, 4));
    let mut out = Vec::new();
    // CREF: DLR, refusal cause, optional pointer; O: called, EOP
    let mut m = vec![0x03];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&[0x13, 0x01, 0x03, called.len() as u8]);
    m.extend_from_slice(&called);
    m.push(0);
    out.push(m);
    // DT2: DLR, sequencing/segmenting, pointer to data
    let mut m = vec![0x07];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&[0x04, 0x07, 0x01, 0x03, 0xde, 0xad, 0x01]);
    out.push(m);
    // AK: DLR, receive sequence number, credit
    let mut m = vec![0x08];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&[0x0a, 0x05]);
    out.push(m);
    // ED: DLR, pointer to data
    let mut m = vec![0x0b];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&[0x01, 0x02, 0x99, 0x98]);
    out.push(m);
    // EA: DLR
    let mut m = vec![0x0c];
    m.extend_from_slice(&dlr);
    out.push(m);
    // RSR: DLR, SLR, reset cause
    let mut m = vec![0x0d];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&slr);
    m.push(0x06);
    out.push(m);
    // RSC: DLR, SLR
    let mut m = vec![0x0e];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&slr);
    out.push(m);
    // ERR: DLR, error cause
    let mut m = vec![0x0f];
    m.extend_from_slice(&dlr);
    m.push(0x02);
    out.push(m);
    // IT: DLR, SLR, class, sequencing/segmenting, credit
    let mut m = vec![0x10];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&slr);
    m.extend_from_slice(&[0x02, 0x00, 0x00, 0x07]);
    out.push(m);
    // CR with optional calling, hop counter, importance
    let calling = addr_bytes(&pc_addr(0x123, 6));
    let called2 = addr_bytes(&gt_addr(3, "12345678", 6, 0));
    let mut m = vec![0x01];
    m.extend_from_slice(&slr);
    m.extend_from_slice(&[0x02, 0x02, 0x02 + called2.len() as u8, called2.len() as u8]);
    m.extend_from_slice(&called2);
    m.extend_from_slice(&[0x04, calling.len() as u8]);
    m.extend_from_slice(&calling);
    m.extend_from_slice(&[0x11, 0x01, 0x0c, 0x12, 0x01, 0x03, 0x00]);
    out.push(m);
    // CC with credit; RLSD with importance
    let mut m = vec![0x02];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&slr);
    m.extend_from_slice(&[0x03, 0x01, 0x09, 0x01, 0x04, 0x00]);
    out.push(m);
    let mut m = vec![0x04];
    m.extend_from_slice(&dlr);
    m.extend_from_slice(&slr);
    m.extend_from_slice(&[0x03, 0x01, 0x12, 0x01, 0x02, 0x00]);
    out.push(m);
    out
}

fn emitted() -> Vec<Vec<u8>> {
    let base = UnitdataRepr {
        called: gt_addr(3, "33612345678", 8, 0),
        calling: gt_addr(4, "447700900123", 6, 4),
        data: vec![0x01, 0x02, 0x03, 0x04],
        ..Default::default()
    };
    let seg = Segmentation {
        first: true,
        in_sequence: false,
        remaining: 1,
        spare: 0,
        local_ref: 0x0a0b0c,
    };
    let mut v = Vec::new();
    for (t, seg, imp) in [
        (MessageType::UDT, None, None),
        (MessageType::UDTS, None, None),
        (MessageType::XUDT, Some(seg), Some(4)),
        (MessageType::XUDTS, None, Some(2)),
        (MessageType::LUDT, Some(seg), None),
        (MessageType::LUDTS, None, None),
    ] {
        let r = UnitdataRepr {
            msg_type: t,
            return_cause: ReturnCause::SUBSYSTEM_FAILURE,
            protocol_class: ProtocolClass(0x81),
            hop_counter: 12,
            segmentation: seg,
            importance: imp,
            ..base.clone()
        };
        v.push(r.emit(PcFormat::Itu14).unwrap());
    }
    // GTI 1 calling with an odd count
    let r = UnitdataRepr {
        calling: gt_addr(1, "4912345", 7, 3),
        ..base.clone()
    };
    v.push(r.emit(PcFormat::Itu14).unwrap());
    // GTI 2 (translation type only; the digits' count is even by construction)
    let r = UnitdataRepr {
        called: gt_addr(2, "33612345", 6, 0),
        ..base.clone()
    };
    v.push(r.emit(PcFormat::Itu14).unwrap());
    v
}

/// MTP3 ITU header: SIO (NI national, SI 3), routing label DPC 1, OPC 2, SLS 0.
const MTP3_ITU: [u8; 5] = [0x83, 0x01, 0x80, 0x00, 0x00];
/// MTP3 ANSI header: SIO (national, SI 3), DPC 0x010203, OPC 0x0a0b0c (24 bits, LE), SLS 5.
const MTP3_ANSI: [u8; 8] = [0x83, 0x03, 0x02, 0x01, 0x0c, 0x0b, 0x0a, 0x05];

/// The messages behind `mtp3` header octets in a LINKTYPE_MTP3 pcap in the temp folder.
fn write_pcap(msgs: &[Vec<u8>], mtp3: &[u8], name: &str) -> std::path::PathBuf {
    let mut f = Vec::new();
    f.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    f.extend_from_slice(&2u16.to_le_bytes());
    f.extend_from_slice(&4u16.to_le_bytes());
    f.extend_from_slice(&[0; 8]);
    f.extend_from_slice(&65535u32.to_le_bytes());
    f.extend_from_slice(&141u32.to_le_bytes());
    for (i, m) in msgs.iter().enumerate() {
        let mut p = mtp3.to_vec();
        p.extend_from_slice(m);
        f.extend_from_slice(&(i as u32 + 1).to_le_bytes());
        f.extend_from_slice(&0u32.to_le_bytes());
        f.extend_from_slice(&(p.len() as u32).to_le_bytes());
        f.extend_from_slice(&(p.len() as u32).to_le_bytes());
        f.extend_from_slice(&p);
    }
    let path =
        std::env::temp_dir().join(format!("sigscope_sccp_{name}_{}.pcap", std::process::id()));
    std::fs::write(&path, f).unwrap();
    path
}

const FIELDS: &[&str] = &[
    "sccp.message_type",
    "sccp.dlr",
    "sccp.slr",
    "sccp.class",
    "sccp.refusal_cause",
    "sccp.release_cause",
    "sccp.return_cause",
    "sccp.reset_cause",
    "sccp.error_cause",
    "sccp.credit",
    "sccp.hops",
    "sccp.importance",
    "sccp.segmentation.remaining",
    "sccp.called.gti",
    "sccp.called.digits",
    "sccp.calling.gti",
    "sccp.calling.digits",
    "sccp.called.ssn",
    "sccp.calling.ssn",
    "sccp.calling.pc",
];

fn num(s: &str) -> String {
    let s = s.split(',').next().unwrap_or("");
    if let Some(h) = s.strip_prefix("0x") {
        u64::from_str_radix(h, 16).map_or(s.to_string(), |v| v.to_string())
    } else {
        s.to_string()
    }
}

fn ours(m: &[u8]) -> Vec<String> {
    let mut a = Anomalies::new();
    let msg = Message::decode(m, &mut a).unwrap();
    let called = msg.called_address(PcFormat::Itu14, &mut a);
    let calling = msg.calling_address(PcFormat::Itu14, &mut a);
    let o = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
    let cause = |k: &str| {
        msg.cause
            .filter(|c| c.key() == k)
            .map(|c| u64::from(c.value()))
    };
    vec![
        o(Some(msg.msg_type.0.into())),
        o(msg.dst_local_ref.map(u64::from)),
        o(msg.src_local_ref.map(u64::from)),
        o(msg.protocol_class.map(|c| c.class().into())),
        o(cause("refusal_cause")),
        o(cause("release_cause")),
        o(cause("return_cause")),
        o(cause("reset_cause")),
        o(cause("error_cause")),
        o(msg.credit.map(u64::from)),
        o(msg.hop_counter.map(u64::from)),
        o(msg.importance.map(u64::from)),
        o(msg.segmentation.map(|s| s.remaining.into())),
        o(called.map(|a| u64::from(a.gti))),
        called
            .and_then(|a| a.gt)
            .map_or(String::new(), |g| g.digits().as_str().to_string()),
        o(calling.map(|a| u64::from(a.gti))),
        calling
            .and_then(|a| a.gt)
            .map_or(String::new(), |g| g.digits().as_str().to_string()),
        o(called.and_then(|a| a.ssn).map(|s| s.0.into())),
        o(calling.and_then(|a| a.ssn).map(|s| s.0.into())),
        o(calling.and_then(|a| a.pc).map(u64::from)),
    ]
}

#[test]
fn crafted_messages_agree_with_tshark() {
    let mut msgs = crafted();
    msgs.extend(emitted());
    // every message decodes without structural anomaly
    for m in &msgs {
        let mut a = Anomalies::new();
        Message::decode(m, &mut a).unwrap();
        assert!(
            a.iter().all(|x| !STRUCTURAL_ANOMALIES.contains(&x.code)),
            "{m:02x?}: {a:?}"
        );
    }
    if !Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("note: tshark not on PATH; skipping the tshark comparison");
        return;
    }
    let path = write_pcap(&msgs, &MTP3_ITU, "crafted");
    let mut cmd = Command::new("tshark");
    cmd.arg("-r").arg(&path).args([
        "-n",
        "-T",
        "fields",
        "-E",
        "separator=\t",
        "-E",
        "occurrence=f",
    ]);
    for f in FIELDS {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().unwrap();
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), msgs.len());
    let mut types = std::collections::BTreeSet::new();
    for (m, line) in msgs.iter().zip(lines) {
        let theirs: Vec<String> = line.split('\t').map(num).collect();
        let mine = ours(m);
        for (i, f) in FIELDS.iter().enumerate() {
            let t = theirs.get(i).cloned().unwrap_or_default();
            let o = mine.get(i).cloned().unwrap_or_default();
            // tshark shows the class only for types that carry it in the fixed part
            assert_eq!(t, o, "{f} for message {m:02x?}");
        }
        types.insert(m[0]);
    }
    // Together with the real captures (CR, CC, RLSD, RLC, DT1, UDT, XUDT) all 20 types are covered.
    for t in [
        3u8, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 1, 2, 4,
    ] {
        assert!(types.contains(&t), "type {t} not crafted");
    }
}

/// ANSI T1.112 addresses (national indicator set, SSN before a 24-bit PC): GTI 1 (TT +
/// numbering plan/encoding) and GTI 2 (TT only), in a UDT over ANSI MTP3, against tshark with
/// `-o mtp3.standard:ANSI`.
#[test]
fn ansi_global_titles_agree_with_tshark() {
    let ansi = |gti: u8, digits: &str, ssn: u8, pc: u32| AddressRepr {
        national: true,
        route_on_ssn: false,
        pc: Some(pc),
        ssn: Some(ssn),
        gt: Some(GtRepr {
            gti,
            tt: 9,
            np: 1,
            nai: 0,
            digits: digits.into(),
        }),
    };
    let msgs: Vec<Vec<u8>> = [(1u8, 2u8), (2, 1)]
        .iter()
        .map(|(gc, gg)| {
            UnitdataRepr {
                called: ansi(*gc, "12125550123", 6, 0x010203),
                calling: ansi(*gg, "13105550100", 7, 0x0a0b0c),
                data: vec![0x01, 0x02],
                ..Default::default()
            }
            .emit(PcFormat::Ansi24)
            .unwrap()
        })
        .collect();
    let mut mine = Vec::new();
    for m in &msgs {
        let mut a = Anomalies::new();
        let msg = Message::decode(m, &mut a).unwrap();
        let called = msg.called_address(PcFormat::Ansi24, &mut a).unwrap();
        let calling = msg.calling_address(PcFormat::Ansi24, &mut a).unwrap();
        assert_eq!(called.layout, AddressLayout::Ansi);
        mine.push(vec![
            called.gti.to_string(),
            called
                .gt
                .map(|g| g.digits().as_str().to_string())
                .unwrap_or_default(),
            called.ssn.map_or(String::new(), |s| s.0.to_string()),
            called.pc.map_or(String::new(), |p| p.to_string()),
            calling.gti.to_string(),
            calling
                .gt
                .map(|g| g.digits().as_str().to_string())
                .unwrap_or_default(),
        ]);
    }
    if !Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("note: tshark not on PATH; skipping the tshark comparison");
        return;
    }
    let path = write_pcap(&msgs, &MTP3_ANSI, "ansi");
    let out = Command::new("tshark")
        .arg("-r")
        .arg(&path)
        .args([
            "-n",
            "-o",
            "mtp3.standard:ANSI",
            "-T",
            "fields",
            "-E",
            "separator=\t",
        ])
        .args([
            "-e",
            "sccp.called.gti",
            "-e",
            "sccp.called.digits",
            "-e",
            "sccp.called.ssn",
        ])
        .args([
            "-e",
            "sccp.called.ansi_pc",
            "-e",
            "sccp.calling.gti",
            "-e",
            "sccp.calling.digits",
        ])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout);
    let theirs: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split('\t').map(num).collect())
        .collect();
    assert_eq!(theirs.len(), mine.len(), "{text}");
    // GTI 2 carries no odd/even indicator: an odd number shows its filler 0, in both tools
    assert!(
        mine.iter().all(|o| o.get(1).is_some_and(|d| d.len() >= 11)),
        "{mine:?}"
    );
    for (t, o) in theirs.iter().zip(&mine) {
        assert_eq!(t.first(), o.first(), "called gti");
        assert_eq!(t.get(1), o.get(1), "called digits");
        assert_eq!(t.get(2), o.get(2), "called ssn");
        assert_eq!(t.get(4), o.get(4), "calling gti");
        assert_eq!(t.get(5), o.get(5), "calling digits");
    }
}
