//! Every GTP message sigscope reports agrees with tshark, message for message, on every
//! capture of ../shared/captures that carries GTP (gtp, gtpv2, gtpprime): message type, TEID,
//! sequence number, IMSI, APN and MSISDN.
//!
//! Documented exceptions (each counted and printed, and each must hold for the frame to pass):
//! - `tcp`: tshark decodes TCP segments on ports 2123/2152 as GTP. GTPv1/GTPv2 are UDP-only
//!   (TS 29.060 / 29.274), and the ones in these captures are HTTP load-test traffic or a
//!   synthetic test frame; sigscope decodes GTP over UDP only, so these frames have no `gtp`.
//! - `inner_gtp_or_icmp`: tshark also reports GTP fields of packets *inside* the frame (GTP
//!   tunnelled in GTP-U, or the GTP header quoted in an ICMP error). sigscope reports the outer
//!   message; the inner GTP raises the `gtp_in_gtpu` anomaly. Only the first tshark
//!   occurrence is compared then.
//! - `cdr_imsi`: an IMSI that tshark finds inside a GTP' data record (BER CDR). sigscope does
//!   not decode CDRs (it reports the data record packet IE with its length); IMSI is compared
//!   only for IMSI IEs.
//! - `cdr_msisdn`: likewise, the servedMSISDN that tshark finds inside a GTP' CDR.

mod common;

use std::collections::BTreeMap;

use serde_json::Value;
use sigscope::core::AnomalyCode;

#[derive(Default, Debug, Clone, PartialEq)]
struct Msg {
    ty: u64,
    teid: Option<u64>,
    seq: Option<u64>,
}

#[derive(Default, Debug)]
struct Frame {
    msgs: Vec<Msg>,
    imsi: Vec<String>,
    apn: Vec<String>,
    msisdn: Vec<String>,
    tcp: bool,
    protocols: String,
    /// Payloads on a GTP port that sigscope says are not GTP (`"decoded": false`).
    not_gtp: usize,
}

fn num(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Some(h) = s.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()
    } else {
        s.parse().ok()
    }
}

fn ours(rec: &Value, out: &mut Frame) {
    let Some(g) = rec.get("gtp") else { return };
    if g.get("decoded").and_then(Value::as_bool) == Some(false) {
        out.not_gtp += 1;
        return;
    }
    for m in [Some(g), g.get("piggybacked")].into_iter().flatten() {
        out.msgs.push(Msg {
            ty: m.get("type").and_then(Value::as_u64).unwrap_or(999),
            teid: m.get("teid").and_then(Value::as_u64),
            seq: m.get("seq").and_then(Value::as_u64),
        });
        for (k, v) in [
            ("imsi", &mut out.imsi),
            ("apn", &mut out.apn),
            ("msisdn", &mut out.msisdn),
        ] {
            if let Some(s) = m.get(k).and_then(Value::as_str) {
                v.push(s.to_string());
            }
        }
    }
}

#[test]
fn gtp_agrees_with_tshark() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    if !common::tshark_available() {
        return;
    }
    let fields = [
        "frame.protocols",
        "udp.srcport",
        "gtp.message",
        "gtp.teid",
        "gtp.seq_number",
        "gtpv2.message_type",
        "gtpv2.teid",
        "gtpv2.seq",
        "e212.imsi",
        "gtp.apn",
        "gtpv2.apn",
        "e164.msisdn",
    ];
    println!(
        "{:<62} {:>7} {:>7} {:>7} {:>8}  exceptions",
        "capture", "tshark", "ours", "agree", "disagree"
    );
    let mut failures: Vec<String> = Vec::new();
    let (mut t_all, mut a_all, mut files) = (0usize, 0usize, 0usize);
    for e in common::manifest(&dir).iter().filter(|e| {
        common::carries(e, "gtp") || common::carries(e, "gtpv2") || common::carries(e, "gtpprime")
    }) {
        let file = dir.join(&e.path);
        let (targs, opts) = common::decode_options(&dir, &e.path);
        let theirs = common::tshark_fields(&file, &targs, "gtp || gtpv2 || gtpprime", &fields);
        let mut want: BTreeMap<u64, Frame> = BTreeMap::new();
        for (frame, f) in &theirs {
            let col = |i: usize| common::occurrences(f.get(i).map_or("", String::as_str));
            let mut fr = Frame {
                protocols: f.first().cloned().unwrap_or_default(),
                tcp: f.first().is_some_and(|p| p.contains(":tcp:gtp")),
                ..Frame::default()
            };
            let (t1, te1, s1) = (col(2), col(3), col(4));
            for (i, t) in t1.iter().enumerate() {
                fr.msgs.push(Msg {
                    ty: num(t).unwrap_or(998),
                    teid: te1.get(i).and_then(|s| num(s)),
                    seq: s1.get(i).and_then(|s| num(s)),
                });
            }
            let (t2, te2, s2) = (col(5), col(6), col(7));
            let mut ti = 0;
            for (i, t) in t2.iter().enumerate() {
                let ty = num(t).unwrap_or(998);
                // gtpv2.teid occurs only for messages with T = 1 (not Echo / Version Not Supported).
                let teid = if matches!(ty, 1..=3) {
                    None
                } else {
                    ti += 1;
                    te2.get(ti - 1).and_then(|s| num(s))
                };
                fr.msgs.push(Msg {
                    ty,
                    teid,
                    seq: s2.get(i).and_then(|s| num(s)),
                });
            }
            fr.imsi = col(8);
            fr.apn = col(9).into_iter().chain(col(10)).collect();
            fr.msisdn = col(11);
            want.insert(*frame, fr);
        }
        let decoded = sigscope::record::decode_path_full(&file, &opts).expect("capture opens");
        let mut got: BTreeMap<u64, Frame> = BTreeMap::new();
        let mut inner_gtp_frames = std::collections::BTreeSet::new();
        for r in &decoded.records {
            let frame = r.get("frame").and_then(Value::as_u64).unwrap_or(0);
            if r.get("gtp").is_some() {
                ours(r, got.entry(frame).or_default());
            }
            if let Some(a) = r.get("anomalies").and_then(Value::as_array) {
                if a.iter().any(|x| {
                    x.get("code").and_then(Value::as_str) == Some(AnomalyCode::GtpInGtpu.as_str())
                }) {
                    inner_gtp_frames.insert(frame);
                }
            }
        }
        let (mut n_t, mut agree, mut disagree) = (0usize, 0usize, 0usize);
        let mut exc: BTreeMap<&str, usize> = BTreeMap::new();
        let ours_count: usize = got.values().map(|f| f.msgs.len()).sum();
        let not_gtp: usize = got.values().map(|f| f.not_gtp).sum();
        if not_gtp > 0 {
            // payloads on GTP ports that neither tool takes for GTP (tshark: checked below,
            // as frames where sigscope reports no message must have none in tshark either)
            exc.insert("not_gtp_agreed", not_gtp);
        }
        for (frame, w) in &want {
            n_t += w.msgs.len();
            let empty = Frame::default();
            let g = got.get(frame).unwrap_or(&empty);
            if w.tcp {
                *exc.entry("tcp").or_default() += w.msgs.len();
                if !g.msgs.is_empty() {
                    failures.push(format!("{} frame {frame}: GTP over TCP decoded", e.path));
                    disagree += 1;
                }
                continue;
            }
            let mut wm = w.msgs.clone();
            let quoted = w.protocols.contains(":icmp") && w.protocols.matches(":gtp").count() > 1;
            if wm.len() > g.msgs.len() && (inner_gtp_frames.contains(frame) || quoted) {
                *exc.entry("inner_gtp_or_icmp").or_default() += wm.len() - g.msgs.len();
                wm.truncate(g.msgs.len());
            }
            let mut reasons = Vec::new();
            if wm.len() != g.msgs.len() {
                reasons.push(format!(
                    "message count tshark {} ours {}",
                    wm.len(),
                    g.msgs.len()
                ));
            }
            for (a, b) in wm.iter().zip(&g.msgs) {
                if a.ty != b.ty {
                    reasons.push(format!("type {} vs {}", a.ty, b.ty));
                }
                if a.teid.is_some() && a.teid != b.teid {
                    reasons.push(format!("teid {:?} vs {:?}", a.teid, b.teid));
                }
                if a.seq != b.seq {
                    reasons.push(format!("seq {:?} vs {:?}", a.seq, b.seq));
                }
            }
            // IMSI: every IMSI we report is one tshark reports; tshark's IMSIs are ours, except
            // those of GTP' data records (CDRs), which sigscope does not decode.
            let cdr = w.protocols.contains("gtpprime");
            for i in &g.imsi {
                if !w.imsi.contains(i) {
                    reasons.push(format!("imsi {i} not in tshark {:?}", w.imsi));
                }
            }
            if g.imsi.is_empty() && !w.imsi.is_empty() {
                if cdr {
                    *exc.entry("cdr_imsi").or_default() += 1;
                } else {
                    reasons.push(format!("imsi missing, tshark {:?}", w.imsi));
                }
            }
            if g.apn.first() != w.apn.first() {
                reasons.push(format!("apn {:?} vs {:?}", w.apn.first(), g.apn.first()));
            }
            if cdr && g.msisdn.is_empty() && !w.msisdn.is_empty() {
                *exc.entry("cdr_msisdn").or_default() += 1;
            } else if g.msisdn.first() != w.msisdn.first() {
                reasons.push(format!(
                    "msisdn {:?} vs {:?}",
                    w.msisdn.first(),
                    g.msisdn.first()
                ));
            }
            if reasons.is_empty() {
                agree += wm.len();
            } else {
                disagree += wm.len().max(1);
                failures.push(format!("{} frame {frame}: {}", e.path, reasons.join("; ")));
            }
        }
        // Messages we report that tshark does not.
        for (frame, g) in &got {
            if !want.contains_key(frame) && !g.msgs.is_empty() {
                disagree += g.msgs.len();
                failures.push(format!(
                    "{} frame {frame}: sigscope reports GTP type {:?}, tshark none",
                    e.path,
                    g.msgs.first().map(|m| m.ty)
                ));
            }
        }
        let ex: Vec<String> = exc.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!(
            "{:<62} {:>7} {:>7} {:>7} {:>8}  {}",
            e.path,
            n_t,
            ours_count,
            agree,
            disagree,
            ex.join(" ")
        );
        t_all += n_t;
        a_all += agree;
        files += 1;
    }
    println!("{files} captures, {t_all} tshark GTP messages, {a_all} agree");
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &failures {
        let n = per_file
            .entry(f.split(' ').next().unwrap_or(""))
            .or_default();
        *n += 1;
        if *n <= 5 {
            println!("DISAGREE {f}");
        }
    }
    assert!(files > 0, "no GTP capture compared");
    assert!(
        failures.is_empty(),
        "{} disagreements with tshark",
        failures.len()
    );
}
