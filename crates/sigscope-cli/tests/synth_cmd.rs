//! `sigscope synth`: the list, a written scenario that `sigscope detect` flags with the
//! policy written next to it, the seed, and clear errors.

use std::process::{Command, Output};

fn sigscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sigscope"))
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn list_names_every_scenario_with_a_sentence() {
    let out = sigscope(&["synth", "--list"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for s in sigscope::synth::SCENARIOS {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(s.name))
            .unwrap_or_else(|| panic!("{} listed", s.name));
        assert!(line.contains(s.description));
    }
}

#[test]
fn written_scenario_is_detected_and_seeded() {
    let dir = std::env::temp_dir().join(format!("sigscope-synth-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let out = sigscope(&[
        "synth",
        "--scenario",
        "impossible-travel",
        "-o",
        &p("a.pcap"),
        "--seed",
        "3",
        "--policy-out",
        &p("a.toml"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("frames"));
    let out = sigscope(&[
        "synth",
        "-q",
        "-s",
        "impossible-travel",
        "-o",
        &p("b.pcap"),
        "--seed",
        "3",
    ]);
    assert!(out.status.success() && out.stderr.is_empty());
    assert_eq!(
        std::fs::read(p("a.pcap")).unwrap(),
        std::fs::read(p("b.pcap")).unwrap()
    );
    let det = sigscope(&["detect", "-q", "--policy", &p("a.toml"), &p("a.pcap")]);
    let alerts = String::from_utf8_lossy(&det.stdout);
    assert!(alerts.contains("\"signature_id\":3004"), "{alerts}");
    assert!(alerts.contains("\"signature_id\":3008"), "{alerts}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_scenario_and_missing_output_are_usage_errors() {
    let out = sigscope(&["synth", "--scenario", "nope", "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("synth --list"));
    let out = sigscope(&["synth", "--scenario", "demo"]);
    assert_eq!(out.status.code(), Some(2));
}
