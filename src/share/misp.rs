//! The MISP event (`{"Event": {...}}`, the JSON MISP imports and PyMISP loads): attributes
//! of types and categories from MISP's describeTypes — `ip-src` (Network activity) for IP
//! peers, `phone-number` (Other) for global titles, `domain` for C2 domains, `text`
//! (Network activity) for point codes and GTPDOOR keys, `text` (Other) for keyed subscriber
//! labels and for evidence samples (identities already labelled) — each with first / last
//! seen from the capture; technique tags from the MISP galaxies
//! (`misp-galaxy:mitre-attack-pattern="Name - T1234"`, `misp-galaxy:gsma-motif="Name"`) and
//! a TLP tag. Uuids are UUIDv5 of the content: the same capture gives the same event.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use uuid::Uuid;

use super::stix::SIGSCOPE_NAMESPACE;
use super::{iso_micros, mitre_name, motif_ids, motif_name, Collector, NetId, Seen, ShareOptions};

fn uuid(key: &str) -> String {
    Uuid::new_v5(&SIGSCOPE_NAMESPACE, format!("misp|{key}").as_bytes()).to_string()
}

/// Galaxy tags of one technique id.
fn technique_tag(t: &str) -> String {
    if t.starts_with("MOT") {
        match motif_name(t) {
            Some(n) => format!("misp-galaxy:gsma-motif=\"{n}\""),
            None => format!("gsma-motif:technique=\"{t}\""),
        }
    } else {
        match mitre_name(t) {
            Some(n) => format!("misp-galaxy:mitre-attack-pattern=\"{n} - {t}\""),
            None => format!("mitre-attack:technique=\"{t}\""),
        }
    }
}

fn tags_of(c: &Collector, sigs: &BTreeSet<u32>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for id in sigs {
        if let Some(s) = c.signatures.get(id) {
            for t in s.sig.mitre.iter().chain(motif_ids(s.sig)) {
                out.insert(technique_tag(t));
            }
        }
    }
    out
}

fn tag_list(tags: &BTreeSet<String>) -> Value {
    Value::Array(tags.iter().map(|t| json!({ "name": t })).collect())
}

fn seen_fields(seen: &Seen) -> (String, String, String) {
    (
        iso_micros(seen.first_ns),
        iso_micros(seen.last_ns),
        (seen.last_ns / 1_000_000_000).to_string(),
    )
}

/// The event of everything the collector holds.
pub fn event(c: &Collector, opts: &ShareOptions) -> Value {
    let (start, end) = c.span.unwrap_or((0, 0));
    let date = iso_micros(start)
        .get(..10)
        .unwrap_or("1970-01-01")
        .to_string();
    let max_severity = c
        .signatures
        .values()
        .map(|s| s.sig.severity)
        .min()
        .unwrap_or(3);
    // MISP: 1 high, 2 medium, 3 low (4 undefined) — the same scale as the signatures'
    let threat_level = max_severity.clamp(1, 3).to_string();
    let mut attributes = Vec::new();

    for (nid, seen) in &c.indicators {
        let (ty, category, to_ids) = match nid {
            NetId::Ip(_) => ("ip-src", "Network activity", true),
            NetId::Gt(_) => ("phone-number", "Other", true),
            NetId::Domain(_) => ("domain", "Network activity", true),
            NetId::PointCode(_) | NetId::Key(_) => ("text", "Network activity", false),
        };
        let value = match nid {
            NetId::PointCode(pc) => format!("point-code:{pc}"),
            other => other.value(),
        };
        let names: Vec<&str> = seen
            .sigs
            .iter()
            .filter_map(|id| c.signatures.get(id).map(|s| s.sig.name))
            .collect();
        let country = seen.country.map(|c| format!(", {c}")).unwrap_or_default();
        let (first, last, ts) = seen_fields(seen);
        attributes.push(json!({
            "uuid": uuid(&format!("attribute|{ty}|{value}")),
            "type": ty,
            "category": category,
            "value": value,
            "to_ids": to_ids,
            "distribution": "5",
            "comment": format!("{}{country}; {} alert(s): {}", nid.kind(), seen.count, names.join(", ")),
            "first_seen": first,
            "last_seen": last,
            "timestamp": ts,
            "Tag": tag_list(&tags_of(c, &seen.sigs)),
        }));
    }

    for (label, seen) in &c.subscribers {
        let (first, last, ts) = seen_fields(seen);
        attributes.push(json!({
            "uuid": uuid(&format!("attribute|subscriber|{label}")),
            "type": "text",
            "category": "Other",
            "value": label,
            "to_ids": false,
            "distribution": "5",
            "comment": "subscriber identity as HMAC-SHA256 keyed with the sharing group's salt (hmac-sha256:<kind>:<hex>); never in clear",
            "first_seen": first,
            "last_seen": last,
            "timestamp": ts,
        }));
    }

    for s in c.signatures.values() {
        for sample in &s.samples {
            attributes.push(json!({
                "uuid": uuid(&format!("attribute|evidence|{}|{}", s.sig.id, sample.frame)),
                "type": "text",
                "category": "Other",
                "value": sample.evidence,
                "to_ids": false,
                "distribution": "5",
                "comment": format!("evidence of {} ({}, frame {}); subscriber identities labelled", s.sig.name, s.sig.title, sample.frame),
                "first_seen": iso_micros(sample.ts_nanos),
                "last_seen": iso_micros(sample.ts_nanos),
                "timestamp": (sample.ts_nanos / 1_000_000_000).to_string(),
                "Tag": tag_list(&tags_of(c, &BTreeSet::from([s.sig.id]))),
            }));
        }
    }

    let all: BTreeSet<u32> = c.signatures.keys().copied().collect();
    let mut tags = BTreeSet::from([format!("tlp:{}", opts.tlp.name())]);
    tags.extend(tags_of(c, &all));
    let sig_summary: Vec<String> = c
        .signatures
        .values()
        .map(|s| format!("{} x{}", s.sig.name, s.seen.count))
        .collect();
    let ids: Vec<&str> = attributes
        .iter()
        .filter_map(|a| a.get("uuid").and_then(Value::as_str))
        .collect();
    let event_uuid = uuid(&format!("event|{}|{}", opts.operator, ids.join(",")));
    json!({"Event": {
        "uuid": event_uuid,
        "info": format!("sigscope: {} alert(s) in signalling ({})", c.alerts, sig_summary.join(", ")),
        "date": date,
        "threat_level_id": threat_level,
        "analysis": "2",
        "distribution": "0",
        "published": false,
        "timestamp": (end / 1_000_000_000).to_string(),
        "Orgc": {"name": opts.operator, "uuid": uuid(&format!("org|{}", opts.operator))},
        "Tag": tag_list(&tags),
        "Attribute": attributes,
    }})
}
