//! CLI conventions: several inputs (files, directories, `-`) with frames numbered per file
//! and file names in every message; `-o`; `--min-severity`; signatures switched off in the
//! policy; `stats --format`; exit codes; colour and `-q`; `--threads` sharding by flow.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn sigscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sigscope"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("runs")
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn demo_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo.pcap")
}

fn demo_bytes() -> Vec<u8> {
    std::fs::read(demo_path()).expect("demo capture")
}

/// A fresh directory under the temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("sigscope-conv-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).expect("temp dir");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn directories_recurse_sorted_and_frames_count_per_file() {
    let dir = temp_dir("inputs");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let demo = demo_bytes();
    std::fs::write(dir.join("b.pcap"), &demo).unwrap();
    std::fs::write(dir.join("sub/a.pcap"), &demo).unwrap();
    std::fs::write(dir.join("notes.txt"), b"not a capture, not taken").unwrap();
    let out = sigscope(&["decode", s(&dir)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = lines(&out.stdout);
    assert_eq!(recs.len(), 28);
    // sorted by path: b.pcap before sub/a.pcap; frames restart at 1 in each file
    let b = s(&dir.join("b.pcap")).to_string();
    let a = s(&dir.join("sub/a.pcap")).to_string();
    assert_eq!(recs[0]["file"], b.as_str());
    assert_eq!(recs[0]["frame"], 1);
    assert_eq!(recs[14]["file"], a.as_str());
    assert_eq!(recs[14]["frame"], 1);
    assert_eq!(recs[27]["frame"], 14);
    // one input: the record schema is unchanged (no `file`)
    let one = sigscope(&["decode", &b]);
    assert!(lines(&one.stdout).iter().all(|r| r.get("file").is_none()));

    // stdin beside a file; EVE lines name their capture in Suricata's `pcap_filename`
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigscope"))
        .args(["detect", "-q", "--policy"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo-policy.toml"))
        .args(["-", &b])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().unwrap().write_all(&demo).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let alerts = lines(&out.stdout);
    // one engine over both inputs: the second copy is judged with what the first taught it
    let from_stdin = alerts.iter().filter(|a| a["pcap_filename"] == "-").count();
    let from_file = alerts
        .iter()
        .filter(|a| a["pcap_filename"] == b.as_str())
        .count();
    assert_eq!(from_stdin, 8, "{} alerts", alerts.len());
    assert!(from_file > 0);
    assert_eq!(from_stdin + from_file, alerts.len());
    assert_eq!(alerts[0]["pcap_filename"], "-");
    assert!(out.stderr.is_empty(), "-q: no summary");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_error_names_its_file_and_the_other_inputs_still_run() {
    let dir = temp_dir("errors");
    let good = dir.join("good.pcap");
    let bad = dir.join("bad.pcap");
    let cut = dir.join("cut.pcap");
    let demo = demo_bytes();
    std::fs::write(&good, &demo).unwrap();
    std::fs::write(&bad, b"hello, world").unwrap();
    std::fs::write(&cut, &demo[..demo.len() - 7]).unwrap();
    // unreadable input: exit 2, named; the good one is still decoded
    let out = sigscope(&["decode", s(&bad), s(&good)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(s(&bad)) && err.contains("not a pcap"), "{err}");
    assert_eq!(lines(&out.stdout).len(), 14);
    // cut mid-way: exit 1, named, with where it was cut
    let out = sigscope(&["decode", s(&cut), s(&good)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(s(&cut)) && err.contains("after frame 13"),
        "{err}"
    );
    assert_eq!(lines(&out.stdout).len(), 27);
    // a missing path is a usage error before any output
    let missing = dir.join("missing.pcap");
    let out = sigscope(&["detect", s(&good), s(&missing)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains(s(&missing)));
    // share and report name their input too
    for cmd in [&["report"][..], &["share", "--format", "stix"]] {
        let mut args = cmd.to_vec();
        args.push(s(&bad));
        let out = sigscope(&args);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(s(&bad)),
            "{cmd:?}"
        );
        let mut args = cmd.to_vec();
        args.push(s(&cut));
        let out = sigscope(&args);
        assert_eq!(out.status.code(), Some(1), "{cmd:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(s(&cut)) && err.contains("after frame 13"),
            "{cmd:?}: {err}"
        );
    }
    // a directory with no captures in it
    let empty = temp_dir("empty");
    let out = sigscope(&["stats", s(&empty)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(s(&empty)));
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(empty);
}

#[test]
fn output_file_holds_what_stdout_would() {
    let dir = temp_dir("output");
    for cmd in ["decode", "detect", "stats"] {
        let file = dir.join(format!("{cmd}.out"));
        let to_file = sigscope(&[cmd, "-q", "-o", s(&file)]);
        assert!(to_file.status.success());
        assert!(to_file.stdout.is_empty(), "{cmd}: nothing on stdout");
        let to_stdout = sigscope(&[cmd, "-q"]);
        let written = std::fs::read(&file).unwrap();
        assert!(!written.is_empty());
        assert_eq!(written, to_stdout.stdout, "{cmd}");
    }
    // -q keeps every command's summary back
    let salt = dir.join("salt");
    std::fs::write(&salt, b"a salt shared by the operators").unwrap();
    for cmd in [
        &["decode", "-q"][..],
        &["detect", "-q"],
        &["stats", "-q"],
        &["report", "-q"],
        &["share", "-q", "--format", "misp", "--salt-file", s(&salt)],
    ] {
        let out = sigscope(cmd);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && err.is_empty(), "{cmd:?}: {err}");
    }
    // quiet still reports errors
    let out = sigscope(&[
        "share",
        "-q",
        "--format",
        "misp",
        "--salt-file",
        "/nonexistent-salt",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent-salt"));
    // an output that cannot be created is a usage error
    let out = sigscope(&["decode", "-o", s(&dir.join("no/such/dir/x.json"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn min_severity_and_signatures_switched_off() {
    let sevs = |out: &Output| -> Vec<(u64, u64)> {
        lines(&out.stdout)
            .iter()
            .map(|a| {
                (
                    a["alert"]["signature_id"].as_u64().unwrap(),
                    a["alert"]["severity"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let all = sevs(&sigscope(&["detect"]));
    assert!(all.iter().any(|(_, s)| *s > 1), "{all:?}");
    let high = sevs(&sigscope(&["detect", "--min-severity", "1"]));
    assert!(!high.is_empty());
    assert!(high.iter().all(|(_, s)| *s == 1), "{high:?}");
    assert_eq!(
        high.len(),
        all.iter().filter(|(_, s)| *s == 1).count(),
        "every high alert is kept"
    );
    assert_eq!(
        sigscope(&["detect", "--min-severity", "4"]).status.code(),
        Some(2)
    );

    // the demo policy with 1001 and fs11_category1 switched off
    let dir = temp_dir("policy");
    let policy = dir.join("policy.toml");
    let demo_policy = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo-policy.toml"),
    )
    .unwrap();
    std::fs::write(
        &policy,
        format!("{demo_policy}\n[signatures]\ndisabled = [1001, \"fs11_category1\"]\n"),
    )
    .unwrap();
    let demo = demo_path();
    let off = sevs(&sigscope(&["detect", "--policy", s(&policy), s(&demo)]));
    let ids: Vec<u64> = off.iter().map(|(id, _)| *id).collect();
    assert!(!ids.contains(&1001) && !ids.contains(&3002), "{ids:?}");
    assert_eq!(ids.len(), all.len() - 2, "{ids:?} vs {all:?}");
    std::fs::write(&policy, "[signatures]\ndisabled = [4242]\n").unwrap();
    let bad = sigscope(&["detect", "--policy", s(&policy), s(&demo)]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("4242"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn stats_formats() {
    let table = sigscope(&["stats"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("frames\t14\n") && text.contains("m3ua.DATA\t6\n"),
        "{text}"
    );
    let json = sigscope(&["stats", "--format", "json"]);
    let v = lines(&json.stdout);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["frames"], 14);
    assert_eq!(v[0]["records"], 14);
    assert_eq!(v[0]["counts"]["m3ua.DATA"], 6);
    assert_eq!(v[0]["counts"]["gtp.echo_request"], 3);
}

#[test]
fn exit_codes_are_documented_and_kept() {
    for args in [
        &["--help"][..],
        &["detect", "--help"],
        &["decode", "--help"],
    ] {
        let help = String::from_utf8_lossy(&sigscope(args).stdout).to_string();
        assert!(
            help.contains("Exit status") && help.contains("--fail-on-alert"),
            "{help}"
        );
    }
    assert_eq!(sigscope(&["detect", "-q"]).status.code(), Some(0));
    assert_eq!(
        sigscope(&["detect", "-q", "--fail-on-alert"]).status.code(),
        Some(3)
    );
    // nothing raised: 0 even with --fail-on-alert (decode-only traffic of the demo's first frames)
    let dir = temp_dir("quiet");
    let policy = dir.join("off.toml");
    let ids: Vec<String> = sigscope::rules::signatures::ALL
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    std::fs::write(
        &policy,
        format!("[signatures]\ndisabled = [{}]\n", ids.join(", ")),
    )
    .unwrap();
    let out = sigscope(&[
        "detect",
        "--fail-on-alert",
        "--policy",
        s(&policy),
        s(&demo_path()),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(
        sigscope(&["decode", "--no-such-flag"]).status.code(),
        Some(2)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn colour_only_where_asked() {
    let plain = sigscope(&["detect", "--format", "table"]);
    assert!(!plain.stdout.contains(&0x1b), "a pipe gets no colour");
    let always = sigscope(&["detect", "--format", "table", "--color", "always"]);
    assert!(always.stdout.contains(&0x1b));
    assert!(String::from_utf8_lossy(&always.stderr).contains('\x1b'));
    let never = sigscope(&["--color", "never", "detect", "--format", "table"]);
    assert!(!never.stdout.contains(&0x1b) && !never.stderr.contains(&0x1b));
    // JSON is never coloured
    let json = sigscope(&["detect", "--color", "always"]);
    assert!(!json.stdout.contains(&0x1b));
    lines(&json.stdout);
}

/// Records with the expiry anomalies (which ride on whichever message of the same worker
/// comes next) and the anomaly-only records taken out: with sharding by flow, what is left
/// is the same, in the same order, as with one thread.
fn flow_content(out: &[u8]) -> Vec<Value> {
    lines(out)
        .into_iter()
        .filter(|r| r.get("path").is_some())
        .map(|mut r| {
            if let Some(a) = r.get_mut("anomalies").and_then(Value::as_array_mut) {
                a.retain(|x| !x["code"].as_str().unwrap_or("").ends_with("_timeout"));
                if a.is_empty() {
                    r.as_object_mut().unwrap().remove("anomalies");
                }
            }
            r
        })
        .collect()
}

#[test]
fn threads_keep_flows_and_frame_order() {
    let one = sigscope(&["decode"]);
    let two = sigscope(&["decode", "--threads", "2"]);
    assert_eq!(one.stdout, two.stdout, "the demo decodes the same");
    let one = sigscope(&["detect", "-q"]);
    let three = sigscope(&["detect", "-q", "--threads", "3"]);
    let ids = |o: &Output| -> Vec<u64> {
        lines(&o.stdout)
            .iter()
            .filter(|a| a["alert"]["metadata"].get("tagged").is_none())
            .map(|a| a["pcap_cnt"].as_u64().unwrap())
            .collect()
    };
    let (a, b) = (ids(&one), ids(&three));
    assert!(
        a.iter().all(|f| b.contains(f)),
        "every alert of one thread: {a:?} {b:?}"
    );
    assert!(b.windows(2).all(|w| w[0] <= w[1]), "frame order: {b:?}");
    assert_eq!(
        sigscope(&["decode", "--threads", "0"]).status.code(),
        Some(2)
    );

    // the real captures, all at once (directories recursed)
    let dir = match std::env::var_os("SIGSCOPE_CAPTURES") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures"),
    };
    if !dir.join("MANIFEST.tsv").is_file() {
        eprintln!("skipping the real captures: none at {}", dir.display());
        return;
    }
    let raw = dir.join("raw");
    let one = sigscope(&["decode", "-q", s(&raw)]);
    let two = sigscope(&["decode", "-q", "--threads", "2", s(&raw)]);
    assert_eq!(one.status.code(), two.status.code());
    let (a, b) = (flow_content(&one.stdout), flow_content(&two.stdout));
    assert!(a.len() > 1000);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    // every finding of one thread is found with two (state across flows may add some)
    let findings = |o: &Output| -> Vec<(String, u64, u64)> {
        lines(&o.stdout)
            .iter()
            .filter(|a| a["alert"]["metadata"].get("tagged").is_none())
            .map(|a| {
                (
                    a["pcap_filename"].as_str().unwrap_or("").to_string(),
                    a["pcap_cnt"].as_u64().unwrap(),
                    a["alert"]["signature_id"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let one = findings(&sigscope(&["detect", "-q", s(&raw)]));
    let two = findings(&sigscope(&["detect", "-q", "--threads", "2", s(&raw)]));
    assert!(one.len() > 10, "{one:?}");
    for f in &one {
        assert!(two.contains(f), "{f:?} missing with two threads");
    }
}

/// The findings (frame, signature id) of `detect`'s EVE output, tagged lines left out, sorted.
fn sorted_findings(out: &Output) -> Vec<(u64, u64)> {
    let mut f: Vec<(u64, u64)> = lines(&out.stdout)
        .iter()
        .filter(|a| a["alert"]["metadata"].get("tagged").is_none())
        .map(|a| {
            (
                a["pcap_cnt"].as_u64().unwrap(),
                a["alert"]["signature_id"].as_u64().unwrap(),
            )
        })
        .collect();
    f.sort_unstable();
    f
}

/// A pcap (Ethernet, IPv4) with UDP ports 2123 and 2152 moved to 40123 and 40152 (UDP
/// checksums zeroed, as IPv4 allows).
fn gtp_off_its_ports(pcap: &[u8]) -> Vec<u8> {
    const PCAP_HEADER: usize = 24;
    const RECORD_HEADER: usize = 16;
    let mut out = pcap.to_vec();
    let mut at = PCAP_HEADER;
    while at + RECORD_HEADER <= out.len() {
        let len = u32::from_le_bytes(out[at + 8..at + 12].try_into().unwrap()) as usize;
        let f = at + RECORD_HEADER;
        if f + 42 <= out.len() && out[f + 12..f + 14] == [8, 0] && out[f + 23] == 17 {
            let udp = f + 14 + usize::from(out[f + 14] & 0x0f) * 4;
            for port in [udp, udp + 2] {
                let p = u16::from_be_bytes([out[port], out[port + 1]]);
                let moved = match p {
                    2123 => 40_123u16,
                    2152 => 40_152,
                    other => other,
                };
                out[port..port + 2].copy_from_slice(&moved.to_be_bytes());
            }
            out[udp + 6..udp + 8].copy_from_slice(&[0, 0]);
        }
        at = f + len;
    }
    out
}

/// With several threads the GTP families that judge one address across its peers still find
/// what one thread finds, and report the same attack messages: a node sweep (one sender, many
/// hosts), tunnel probing (G-PDUs answered by Error Indications from the gateway), a rogue
/// peer (its Create on the control port, its user plane on another flow), Echo channels; on
/// the GTP ports and off them.
#[test]
fn threads_keep_the_gtp_families() {
    let dir = temp_dir("threads-gtp");
    for scenario in [
        "gtp-node-sweep",
        "gtp-tunnel-probing",
        "rogue-gtp-peer",
        "echo-private-data",
        "dns-tunnel-gtpu",
    ] {
        for seed in ["1", "2"] {
            let pcap = dir.join(format!("{scenario}-{seed}.pcap"));
            let policy = dir.join(format!("{scenario}-{seed}.toml"));
            let labels = dir.join(format!("{scenario}-{seed}.tsv"));
            let made = sigscope(&[
                "synth",
                "-s",
                scenario,
                "--seed",
                seed,
                "-o",
                s(&pcap),
                "--policy-out",
                s(&policy),
                "--labels-out",
                s(&labels),
            ]);
            assert!(made.status.success(), "{scenario}");
            // the same capture with GTP off its ports (a scanner or an implant need not use
            // them): written beside it, judged the same way
            let moved = dir.join(format!("{scenario}-{seed}-moved.pcap"));
            std::fs::write(&moved, gtp_off_its_ports(&std::fs::read(&pcap).unwrap())).unwrap();
            let attack: Vec<u64> = std::fs::read_to_string(&labels)
                .unwrap()
                .lines()
                .filter_map(|l| l.split_once('\t'))
                .filter(|(_, k)| k.trim() == "attack")
                .map(|(f, _)| f.parse().unwrap())
                .collect();
            let run = |threads: &str, pcap: &Path| {
                let out = sigscope(&[
                    "detect",
                    "-q",
                    "--threads",
                    threads,
                    "--policy",
                    s(&policy),
                    s(pcap),
                ]);
                let alerts = lines(&out.stdout);
                let findings = sorted_findings(&out);
                let reported: std::collections::BTreeSet<u64> = alerts
                    .iter()
                    .map(|a| a["pcap_cnt"].as_u64().unwrap())
                    .collect();
                (findings, reported)
            };
            for capture in [&pcap, &moved] {
                let (one, one_reported) = run("1", capture);
                let (four, four_reported) = run("4", capture);
                let name = capture.display();
                assert!(!one.is_empty(), "{name}");
                assert_eq!(one, four, "{name}: findings with 4 threads");
                let missed: Vec<&u64> = attack
                    .iter()
                    .filter(|f| one_reported.contains(f) && !four_reported.contains(f))
                    .collect();
                assert!(missed.is_empty(), "{name}: {missed:?}");
            }
        }
    }
}

/// With several threads, user-plane gateways whose Echoes (on the GTP-U port, dealt to the
/// signalling worker) carry vendor data in a private extension while they carry user plane
/// (G-PDUs, dealt by pair to the others) are still known to take part in sessions: no
/// "Echo payload from a sessionless peer" (3020) and no node sweep (3026) that one thread
/// does not report, whichever worker their pair is dealt to.
#[test]
fn threads_know_who_carries_sessions() {
    use sigscope::capture::reader::linktype;
    use sigscope::capture::writer::{ethernet_ipv4_udp, PcapWriter};
    // a G-PDU carrying a small IPv4/UDP packet
    let gpdu = |teid: u32| {
        let inner = [
            0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 45, 0, 9, 10, 0, 0, 53, 0x9c, 0x40, 0,
            53, 0, 8, 0, 0,
        ];
        let mut g = vec![0x30, 0xff];
        g.extend_from_slice(&(inner.len() as u16).to_be_bytes());
        g.extend_from_slice(&teid.to_be_bytes());
        g.extend_from_slice(&inner);
        g
    };
    // a GTP-U Echo Request with Recovery and a private extension of `value`
    let echo = |seq: u16, value: &[u8]| {
        let mut body = seq.to_be_bytes().to_vec();
        body.extend_from_slice(&[0, 0, 14, 1, 255]);
        body.extend_from_slice(&(2 + value.len() as u16).to_be_bytes());
        body.extend_from_slice(&[0, 9]);
        body.extend_from_slice(value);
        let mut g = vec![0x32, 0x01];
        g.extend_from_slice(&(body.len() as u16).to_be_bytes());
        g.extend_from_slice(&[0, 0, 0, 0]);
        g.extend_from_slice(&body);
        g
    };
    let dir = temp_dir("threads-carried");
    let a = [203, 0, 113, 5];
    let mut x: u32 = 0x1234_5678;
    for last in 6..14u8 {
        let b = [203, 0, 113, last];
        let mut w = PcapWriter::new(linktype::ETHERNET, false);
        let mut ts: u64 = 1_700_000_000_000_000_000;
        for _ in 0..20 {
            ts += 500_000_000;
            w.packet(ts, &ethernet_ipv4_udp(a, b, 2152, 2152, &gpdu(7)));
            ts += 10_000_000;
            w.packet(ts, &ethernet_ipv4_udp(b, a, 2152, 2152, &gpdu(8)));
        }
        for seq in 0..5u16 {
            ts += 60_000_000_000;
            let value: Vec<u8> = (0..24)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (x >> 24) as u8
                })
                .collect();
            w.packet(ts, &ethernet_ipv4_udp(a, b, 2152, 2152, &echo(seq, &value)));
        }
        let pcap = dir.join(format!("peer-{last}.pcap"));
        std::fs::write(&pcap, w.into_bytes()).unwrap();
        let findings = |threads: &str| {
            sorted_findings(&sigscope(&["detect", "-q", "--threads", threads, s(&pcap)]))
        };
        let one = findings("1");
        assert!(one.iter().all(|(_, id)| *id != 3020), "{one:?}");
        for threads in ["2", "4"] {
            assert_eq!(findings(threads), one, "peer .{last}, {threads} threads");
        }
    }
}
