//! The HTML report of the demo capture: its structure (summary, one row per alert, a ladder
//! per flagged exchange), escaping of hostile text from the capture, and — where chromium is
//! installed — that a real browser renders it and its DOM holds the SVG ladders.

use std::path::Path;
use std::process::Command;

use serde_json::json;
use sigscope::capture::Reader;
use sigscope::record::{Decoder, Options};
use sigscope::report::Report;
use sigscope::rules::{Alert, Engine, Policy};

const HOSTILE: &str = "</td><script>alert('x')</script><svg onload=alert(1)>&amp;";

/// The demo report; with `hostile`, the USSD alert's evidence carries a hostile string
/// (as an attacker's USSD text would).
fn demo_report(hostile: bool) -> (Report, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy = Policy::from_toml(
        &std::fs::read_to_string(root.join("testdata/demo-policy.toml")).expect("policy"),
    )
    .expect("parses");
    let mut reader = Reader::open(&root.join("testdata/demo.pcap")).expect("demo");
    let mut dec = Decoder::new(Options::default());
    let mut engine = Engine::new(policy);
    let mut report = Report::new();
    let mut alerts_seen = 0;
    let mut each = |m: &sigscope::decode::Message<'_>| {
        let mut alerts: Vec<Alert> = Vec::new();
        engine.observe(m, &mut |a| {
            if !a.tagged {
                alerts.push(a)
            }
        });
        if hostile {
            for a in &mut alerts {
                if a.evidence.get("ussd").is_some() {
                    a.evidence = json!({"ussd": HOSTILE});
                }
            }
        }
        alerts_seen += alerts.len();
        report.observe(m, &alerts);
    };
    while let Some(pkt) = reader.next_packet().expect("reads") {
        dec.packet(&pkt, &mut each);
    }
    dec.finish(&mut each);
    report.frames = reader.frames();
    (report, alerts_seen)
}

#[test]
fn demo_report_structure() {
    let (report, alerts) = demo_report(false);
    assert_eq!(alerts, 8, "the demo's planted alerts (3020: the GTPv1 Echo with an encrypted private extension comes from a peer in no session)");
    let html = report.to_html("demo");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains("src=\""), "nothing fetched");
    assert_eq!(html.matches("<tr class=\"alert\">").count(), alerts);
    // a ladder per flagged exchange, arrows of flagged messages in red
    assert_eq!(
        html.matches("<svg class=\"ladder\"").count(),
        report.flagged.len()
    );
    assert!(report.flagged.len() >= 3);
    assert!(html.contains("class=\"msg flagged\""));
    assert!(html.contains("anyTimeInterrogation"));
    assert!(html.contains("GT 85290001234 (HK)"));
    assert!(html.contains("GTPv2 echo_request"));
    // summary: frames, protocols, severities
    assert!(html.contains("<tr><th>frames</th><td>14</td></tr>"));
    assert!(html.contains("<td>MAP</td>"));
    assert!(html.contains("high (1)"));
}

#[test]
fn hostile_text_is_escaped() {
    let (report, _) = demo_report(true);
    let html = report.to_html("<b>capture</b>");
    assert!(!html.contains(HOSTILE));
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<svg onload"));
    assert!(html.contains("&lt;/td&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("&amp;amp;"));
    assert!(html.contains("&lt;b&gt;capture&lt;/b&gt;"));
}

#[test]
fn beacon_timeline_on_a_real_capture() {
    let dir = match std::env::var_os("SIGSCOPE_CAPTURES") {
        Some(p) => std::path::PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures"),
    };
    // open5gs' attach test: one test subscriber's GTPv2-C sessions set up over and over,
    // which a policy with a loose beacon threshold flags (the teardowns are each of another
    // session, no beacon whatever the threshold)
    let file = dir.join("raw/open5gs+open5gs/testattach.pcapng");
    if !file.is_file() {
        eprintln!(
            "skipping: {} absent (set SIGSCOPE_CAPTURES)",
            file.display()
        );
        return;
    }
    let policy = Policy::from_toml(
        "[thresholds]\nbeacon_min_events = 3\nbeacon_max_cv = 1.0\nbeacon_min_period_s = 0.1\n",
    )
    .expect("policy");
    let mut reader = Reader::open(&file).expect("opens");
    let mut dec = Decoder::new(Options::default());
    let mut engine = Engine::new(policy);
    let mut report = Report::new();
    let mut beacons = 0;
    let mut each = |m: &sigscope::decode::Message<'_>| {
        let mut alerts: Vec<Alert> = Vec::new();
        engine.observe(m, &mut |a| {
            if !a.tagged {
                alerts.push(a)
            }
        });
        beacons += alerts
            .iter()
            .filter(|a| a.evidence.get("timing").is_some())
            .count();
        report.observe(m, &alerts);
    };
    while let Ok(Some(pkt)) = reader.next_packet() {
        dec.packet(&pkt, &mut each);
    }
    dec.finish(&mut each);
    assert!(beacons > 0, "the loose policy flags beacons");
    let html = report.to_html("testattach");
    assert!(html.contains("<svg class=\"timeline\""));
    assert!(html.contains("beaconing"));
    // the flagged messages stay drawn even in long flows
    assert!(html.contains("GTPv2 create_session_request ⚠ beaconing"));
    assert!(html.contains("more messages"));
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    })
}

#[test]
fn chromium_renders_the_report() {
    let Some(browser) = chromium() else {
        eprintln!("skipping: chromium is not installed (apt-get install chromium)");
        return;
    };
    let (report, _) = demo_report(true);
    let dir = std::env::temp_dir().join(format!("sigscope-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let page = dir.join("report.html");
    let png = dir.join("report.png");
    std::fs::write(&page, report.to_html("demo")).expect("write");
    let url = format!("file://{}", page.display());
    let base = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
    ];
    let profile = format!("--user-data-dir={}", dir.join("profile").display());
    let shot = Command::new(browser)
        .args(base)
        .arg(&profile)
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1200,2000")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        bytes.len() > 20_000,
        "a non-trivial picture: {} bytes",
        bytes.len()
    );
    let dom = Command::new(browser)
        .args(base)
        .arg(&profile)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<svg class=\"ladder\""), "ladder in the DOM");
    assert!(dom.contains("anyTimeInterrogation"));
    // the hostile evidence stayed text: no element was made of it
    assert!(!dom.contains("<script>alert"));
    assert!(!dom.contains("onload=\"alert"));
    let _ = std::fs::remove_dir_all(&dir);
}
