//! The `share` and `report` subcommands end to end on the bundled demo capture.

use std::process::{Command, Output};

use serde_json::Value;

fn sigscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sigscope"))
        .args(args)
        .output()
        .expect("runs")
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("sigscope-cli-{}-{name}", std::process::id()))
}

#[test]
fn share_stix_and_misp_of_the_demo() {
    let out = sigscope(&[
        "share",
        "--format",
        "stix",
        "--operator",
        "Example <Mobile>",
    ]);
    assert!(out.status.success());
    let b: Value = serde_json::from_slice(&out.stdout).expect("JSON bundle");
    assert_eq!(b["type"], "bundle");
    let objs = b["objects"].as_array().unwrap();
    assert!(objs
        .iter()
        .any(|o| o["type"] == "identity" && o["name"] == "Example <Mobile>"));
    // no salt: no subscriber identity of any kind
    assert!(!objs.iter().any(|o| o["type"] == "x-sigscope-subscriber"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("left out"));

    let salt = temp("salt");
    std::fs::write(&salt, "a salt the operators agreed on\n").unwrap();
    let event = temp("event.json");
    let out = sigscope(&[
        "share",
        "--format",
        "misp",
        "--salt-file",
        salt.to_str().unwrap(),
        "--tlp",
        "green",
        "-o",
        event.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let e: Value = serde_json::from_slice(&std::fs::read(&event).unwrap()).unwrap();
    let tags: Vec<&str> = e["Event"]["Tag"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(tags.contains(&"tlp:green"));
    assert!(e["Event"]["Attribute"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["value"]
            .as_str()
            .unwrap()
            .starts_with("hmac-sha256:msisdn:")));

    std::fs::write(&salt, "short").unwrap();
    let out = sigscope(&[
        "share",
        "--format",
        "stix",
        "--salt-file",
        salt.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_file(&salt);
    let _ = std::fs::remove_file(&event);
}

#[test]
fn report_of_the_demo() {
    let page = temp("report.html");
    let out = sigscope(&["report", "-o", page.to_str().unwrap()]);
    assert!(out.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<svg class=\"ladder\""));
    assert_eq!(html.matches("<tr class=\"alert\">").count(), 8);
    let _ = std::fs::remove_file(&page);
}
