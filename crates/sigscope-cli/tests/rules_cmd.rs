//! `sigscope rules check` and `sigscope detect --rules`: operator rules from the command line
//! and from the policy file.

use std::process::{Command, Output};

use serde_json::Value;

fn sigscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sigscope"))
        .args(args)
        .output()
        .expect("runs")
}

fn root(rel: &str) -> String {
    format!("{}/../../{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("sigscope-rules-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

const VARS: [&str; 4] = [
    "--var",
    "HOME_GTP=203.0.113.0/24",
    "--var",
    "HOME_SIGTRAN=[192.0.2.10,192.0.2.20]",
];

#[test]
fn check_accepts_the_examples() {
    let ex = root("testdata/rules/example.rules");
    let mut args = vec!["rules", "check", ex.as_str()];
    args.extend(VARS);
    let out = sigscope(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "21 rules OK\n");
}

#[test]
fn check_reports_every_error_and_exits_2() {
    let d = temp_dir("check");
    let f = d.join("bad.rules");
    std::fs::write(
        &f,
        "alert map any any -> any any (map.opcode:71; sid:9000001;)\n\
         alert map any any -> any any (map.opcod:71; sid:9000002;)\n\
         alert map any any -> any any (sid:3002;)\n",
    )
    .unwrap();
    let out = sigscope(&["rules", "check", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let name = f.display();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "{name}:2:31: unknown keyword \"map.opcod\"\n{name}:3:31: sid 3002 is a built-in signature id\n"
        )
    );
    // the variables the examples need are part of the check
    let out = sigscope(&["rules", "check", &root("testdata/rules/example.rules")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown variable $HOME_SIGTRAN"));
}

fn eve(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn detect_runs_rules_from_the_command_line_beside_the_built_ins() {
    let demo = root("testdata/demo.pcap");
    let ex = root("testdata/rules/example.rules");
    let mut args = vec!["detect", demo.as_str(), "--rules", ex.as_str()];
    args.extend(VARS);
    let out = sigscope(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = eve(&out);
    let ati = lines
        .iter()
        .find(|l| l["alert"]["signature_id"] == 9000001)
        .expect("the ATI rule fires");
    assert_eq!(ati["pcap_cnt"], 5);
    assert_eq!(
        ati["alert"]["signature"],
        "ATI from outside the home network"
    );
    assert_eq!(ati["alert"]["gid"], 1);
    assert_eq!(ati["alert"]["rev"], 1);
    assert_eq!(ati["alert"]["severity"], 1);
    assert_eq!(ati["alert"]["metadata"]["mitre_technique_id"][0], "T1430");
    assert_eq!(
        ati["sigscope"]["evidence"]["sccp.calling.digits"],
        "85290001234"
    );
    assert_eq!(
        ati["sigscope"]["layers"]["sccp"]["calling"]["gt"]["digits"],
        "85290001234"
    );
    // built-in alerts are still there, with their own ids
    assert!(lines.iter().any(|l| l["alert"]["signature_id"] == 3002));
    let users = lines
        .iter()
        .filter(|l| l["alert"]["metadata"]["sigscope_kind"][0] == "user")
        .filter(|l| l["alert"]["metadata"].get("tagged").is_none())
        .count();
    assert_eq!(users, 27);
    assert!(String::from_utf8_lossy(&out.stderr).contains("9000001 user_rule_9000001"));
}

#[test]
fn detect_loads_rules_and_vars_named_by_the_policy() {
    let d = temp_dir("policy");
    std::fs::write(
        d.join("local.rules"),
        "alert gtpv2 !$HOME_GTP any -> any any (msg:\"GTPv2 from outside\"; gtpv2.type:1; sid:9100001;)\n",
    )
    .unwrap();
    let policy = d.join("policy.toml");
    std::fs::write(
        &policy,
        "rules = [\"local.rules\"]\n[vars]\nHOME_GTP = \"203.0.113.0/24\"\n[home]\nplmns = [\"23415\"]\n",
    )
    .unwrap();
    let demo = root("testdata/demo.pcap");
    let out = sigscope(&["detect", &demo, "--policy", policy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: Vec<u64> = eve(&out)
        .iter()
        .filter(|l| l["alert"]["signature_id"] == 9100001)
        .filter(|l| l["alert"]["metadata"].get("tagged").is_none())
        .map(|l| l["pcap_cnt"].as_u64().unwrap())
        .collect();
    assert_eq!(hits, [10]);
    // a rule file that does not load stops detect before it reads the capture
    std::fs::write(
        d.join("local.rules"),
        "alert gtpv2 any any -> any any (sid:1;\n",
    )
    .unwrap();
    let out = sigscope(&["detect", &demo, "--policy", policy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "sigscope: error: {}:1:39: rule does not end with )\n",
            d.join("local.rules").display()
        )
    );
}
