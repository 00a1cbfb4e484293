//! Sharing end to end: the STIX bundle and the MISP event of the demo capture and of a real
//! capture that raises alerts, checked by their real consumers (stix2-validator, stix2,
//! PyMISP) when python3 has them, and for subscriber identities in clear always.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use sigscope::capture::Reader;
use sigscope::record::{write_record, Decoder, Options};
use sigscope::rules::{Engine, Policy};
use sigscope::share::hash::IdentityHasher;
use sigscope::share::{misp, stix, Collector, ShareOptions, Tlp};

const SALT: &[u8] = b"test salt shared by the operators of the sigscope tests\n";

fn demo() -> (PathBuf, Policy) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy = Policy::from_toml(
        &std::fs::read_to_string(root.join("testdata/demo-policy.toml")).expect("demo policy"),
    )
    .expect("parses");
    (root.join("testdata/demo.pcap"), policy)
}

/// Decode + detect: the collector, and every subscriber identity (IMSI, MSISDN, IMEI) the
/// decoder found anywhere in the capture, from its own records.
fn collect(file: &Path, policy: Policy, hasher: IdentityHasher) -> (Collector, Vec<String>) {
    let mut reader = Reader::open(file).expect("opens");
    let mut dec = Decoder::new(Options::default());
    let mut collector = Collector::new(&policy, hasher);
    let mut engine = Engine::new(policy);
    let mut identities = Vec::new();
    let mut buf = Vec::new();
    let mut each = |m: &sigscope::decode::Message<'_>| {
        buf.clear();
        write_record(&mut buf, m);
        let rec: Value = serde_json::from_slice(&buf).expect("record is JSON");
        find_identities(&rec, &mut identities);
        engine.observe(m, &mut |a| {
            if !a.tagged {
                collector.observe(&a, m)
            }
        });
    };
    while let Ok(Some(pkt)) = reader.next_packet() {
        dec.packet(&pkt, &mut each);
    }
    dec.finish(&mut each);
    identities.sort();
    identities.dedup();
    (collector, identities)
}

fn find_identities(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x.as_str()) {
                    ("imsi" | "msisdn" | "mei" | "imei", Some(s))
                        if s.len() >= 6 && s.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        out.push(s.to_string())
                    }
                    _ => find_identities(x, out),
                }
            }
        }
        Value::Array(xs) => xs.iter().for_each(|x| find_identities(x, out)),
        _ => {}
    }
}

fn opts() -> ShareOptions {
    ShareOptions {
        operator: "Example Mobile UK".into(),
        tlp: Tlp::Amber,
    }
}

fn python_has_consumers() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import stix2, stix2validator, pymisp"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("skipping the consumer checks: python3 with stix2, stix2-validator and pymisp is not installed (pip install stix2 stix2-validator pymisp)");
    }
    ok
}

const CONSUMERS: &str = r#"
import sys, json
from stix2validator import validate_file, print_results
res = validate_file(sys.argv[1])
print_results(res)
if not res.is_valid:
    sys.exit("stix2-validator: invalid bundle")
import stix2
bundle = stix2.parse(open(sys.argv[1]).read(), allow_custom=True)
kinds = sorted({o["type"] for o in bundle.objects})
print("stix2.parse:", len(bundle.objects), "objects:", ",".join(kinds))
from pymisp import MISPEvent
ev = MISPEvent()
ev.load_file(sys.argv[2])
print("pymisp:", ev.info, "|", len(ev.attributes), "attributes |", ",".join(t.name for t in ev.tags))
if not ev.attributes:
    sys.exit("pymisp: no attributes")
"#;

/// Write both documents, check them with the consumers, and check no identity is in clear.
fn check(name: &str, file: &Path, policy: Policy) -> (Value, Value) {
    let hasher = IdentityHasher::from_salt(SALT).expect("salt");
    let (c, identities) = collect(file, policy, hasher);
    assert!(c.alerts > 0, "{name}: the capture raises alerts");
    let bundle = stix::bundle(&c, &opts());
    let event = misp::event(&c, &opts());
    let dir = std::env::temp_dir().join(format!("sigscope-share-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let stix_path = dir.join("bundle.json");
    let misp_path = dir.join("event.json");
    let stix_text = serde_json::to_string_pretty(&bundle).expect("json");
    let misp_text = serde_json::to_string_pretty(&event).expect("json");
    std::fs::write(&stix_path, &stix_text).expect("write");
    std::fs::write(&misp_path, &misp_text).expect("write");

    for id in &identities {
        assert!(
            !stix_text.contains(id.as_str()),
            "{name}: identity {id} in clear in the STIX bundle"
        );
        assert!(
            !misp_text.contains(id.as_str()),
            "{name}: identity {id} in clear in the MISP event"
        );
    }
    for text in [&stix_text, &misp_text] {
        // no 15-digit run (an IMSI's length) anywhere in the output
        let mut run = 0;
        for b in text.bytes() {
            run = if b.is_ascii_digit() { run + 1 } else { 0 };
            assert!(run < 15, "{name}: a run of 15 digits in the output");
        }
    }

    if python_has_consumers() {
        let out = Command::new("python3")
            .args(["-c", CONSUMERS])
            .arg(&stix_path)
            .arg(&misp_path)
            .output()
            .expect("python3 runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        println!("{name}: consumers said:\n{stdout}{stderr}");
        assert!(out.status.success(), "{name}: consumers refused: {stderr}");
        assert!(stdout.contains("stix2.parse:"), "{stdout}");
        assert!(stdout.contains("pymisp:"), "{stdout}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    (bundle, event)
}

fn objects<'a>(bundle: &'a Value, ty: &str) -> Vec<&'a Value> {
    bundle["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .filter(|o| o["type"] == ty)
        .collect()
}

#[test]
fn demo_bundle_and_event() {
    let (file, policy) = demo();
    let (bundle, event) = check("demo", &file, policy.clone());

    // the foreign global title of the FS.11 category 1 enquiry, in clear, with its country
    let indicators = objects(&bundle, "indicator");
    let gt = indicators
        .iter()
        .find(|i| i["pattern"] == "[x-sigscope-gt:value = '85290001234']")
        .expect("GT indicator");
    assert!(gt["name"].as_str().unwrap().contains("(HK)"));
    // the GRX peer outside the interconnect, as a standard observable
    assert!(indicators
        .iter()
        .any(|i| i["pattern"] == "[ipv4-addr:value = '198.51.100.7']"));
    // the home network's own global titles are not attacker identities
    assert!(!serde_json::to_string(&bundle)
        .unwrap()
        .contains("4477009002"));
    // attack patterns name their ATT&CK technique
    let aps = objects(&bundle, "attack-pattern");
    let t1430 = aps
        .iter()
        .find(|a| a["external_references"][0]["external_id"] == "T1430")
        .expect("T1430");
    assert_eq!(
        t1430["external_references"][0]["source_name"],
        "mitre-attack"
    );
    assert_eq!(t1430["name"], "Location Tracking");
    // sightings count the alerts, and indicators indicate attack patterns
    let sightings = objects(&bundle, "sighting");
    assert_eq!(sightings.len(), indicators.len());
    assert!(sightings.iter().all(|s| s["count"].as_u64().unwrap() >= 1));
    assert!(objects(&bundle, "relationship")
        .iter()
        .all(|r| r["relationship_type"] == "indicates"));
    // subscribers only as keyed labels: the MSISDN the attacker asked about
    let subs = objects(&bundle, "x-sigscope-subscriber");
    assert!(!subs.is_empty());
    assert!(subs
        .iter()
        .all(|s| s["value"].as_str().unwrap().starts_with("hmac-sha256:")));
    assert!(!serde_json::to_string(&bundle)
        .unwrap()
        .contains("447700900123"));

    // the MISP event: GT as phone-number, IP as ip-src, galaxy and TLP tags
    let attrs = event["Event"]["Attribute"].as_array().expect("attributes");
    assert!(attrs
        .iter()
        .any(|a| a["type"] == "phone-number" && a["value"] == "85290001234"));
    assert!(attrs
        .iter()
        .any(|a| a["type"] == "ip-src" && a["value"] == "198.51.100.7"));
    let tags: Vec<&str> = event["Event"]["Tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(tags.contains(&"tlp:amber"));
    assert!(tags.contains(&"misp-galaxy:mitre-attack-pattern=\"Location Tracking - T1430\""));

    // deterministic: the same capture gives the same documents
    let (again_bundle, again_event) = check("demo-again", &file, policy.clone());
    assert_eq!(bundle, again_bundle);
    assert_eq!(event, again_event);

    // without a salt no identity is shared at all
    let (c, _) = collect(&file, policy, IdentityHasher::withheld());
    assert!(c.subscribers.is_empty());
    let b = stix::bundle(&c, &opts());
    assert!(objects(&b, "x-sigscope-subscriber").is_empty());
    assert!(!b.to_string().contains("hmac-sha256"));
}

#[test]
fn real_capture_bundle_and_event() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    // GTPv2-C from a real network: one message whose length field exceeds the datagram,
    // and subscriber identities (IMSI, MEI) in the others
    let file = dir.join("raw/seladb+PcapPlusPlus/gtpv2.pcap");
    if !file.is_file() {
        eprintln!("skipping: {} absent", file.display());
        return;
    }
    let (bundle, event) = check("gtpv2", &file, Policy::default());
    assert!(!objects(&bundle, "indicator").is_empty());
    assert!(!event["Event"]["Attribute"].as_array().unwrap().is_empty());
    let (_, identities) = collect(
        &file,
        Policy::default(),
        IdentityHasher::from_salt(SALT).unwrap(),
    );
    assert!(
        identities.iter().any(|i| i.len() == 15),
        "the capture carries IMSIs: {identities:?}"
    );
}
