//! The STIX 2.1 bundle: the reporting operator (identity), one indicator per attacker
//! network identity with its STIX pattern, the observed data and sighting that back it
//! (first / last seen, count), attack patterns for the signatures' MITRE ATT&CK (and GSMA
//! MoTIF) techniques, and `indicates` relationships. Ids are UUIDv5 of their content, times
//! come from the capture: the same capture gives the same bundle.
//!
//! Standard cyber-observable types are used where they fit (`ipv4-addr`, `ipv6-addr`,
//! `domain-name`); SS7 identities use custom types prefixed `x-sigscope-` (`x-sigscope-gt`,
//! `x-sigscope-point-code`, `x-sigscope-gtpdoor-key`, `x-sigscope-subscriber` for keyed
//! subscriber labels).

use std::collections::BTreeSet;

use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    mitre_name, motif_ids, motif_name, stix_time, Collector, NetId, Seen, ShareOptions, Tlp,
};

/// Namespace of sigscope's deterministic STIX ids (UUIDv5).
pub const SIGSCOPE_NAMESPACE: Uuid = Uuid::from_u128(0x5c0b_e1d4_7a1e_4b6e_9f3a_51c5_c05e_0001);
/// Namespace STIX 2.1 gives for deterministic cyber-observable ids (section 2.9).
pub const SCO_NAMESPACE: Uuid = Uuid::from_u128(0x00ab_edb4_aa42_466c_9c01_fed2_3315_a9b7);

/// The predefined TLP marking definitions of STIX 2.1 (section 7.2.1.4).
fn tlp_marking(tlp: Tlp) -> Value {
    let (id, name, level) = match tlp {
        Tlp::Clear => ("613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:WHITE", "white"),
        Tlp::Green => ("34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN", "green"),
        Tlp::Amber => ("f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER", "amber"),
        Tlp::Red => ("5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED", "red"),
    };
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": format!("marking-definition--{id}"),
        "created": "2017-01-20T00:00:00.000Z",
        "definition_type": "tlp",
        "name": name,
        "definition": {"tlp": level},
    })
}

fn sid(kind: &str, key: &str) -> String {
    let name = format!("{kind}|{key}");
    format!(
        "{kind}--{}",
        Uuid::new_v5(&SIGSCOPE_NAMESPACE, name.as_bytes())
    )
}

/// A quoted string literal of a STIX pattern.
fn pattern_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The cyber observable of a network identity: (type, value as JSON, pattern).
fn observable(id: &NetId) -> (&'static str, Value, String) {
    match id {
        NetId::Gt(d) => (
            "x-sigscope-gt",
            json!(d),
            format!("[x-sigscope-gt:value = {}]", pattern_str(d)),
        ),
        NetId::PointCode(pc) => (
            "x-sigscope-point-code",
            json!(pc),
            format!("[x-sigscope-point-code:value = {pc}]"),
        ),
        NetId::Ip(ip) => {
            let t = if ip.is_ipv4() {
                "ipv4-addr"
            } else {
                "ipv6-addr"
            };
            let v = ip.to_string();
            let p = format!("[{t}:value = {}]", pattern_str(&v));
            (t, json!(v), p)
        }
        NetId::Key(k) => (
            "x-sigscope-gtpdoor-key",
            json!(k),
            format!("[x-sigscope-gtpdoor-key:value = {}]", pattern_str(k)),
        ),
        NetId::Domain(d) => (
            "domain-name",
            json!(d),
            format!("[domain-name:value = {}]", pattern_str(d)),
        ),
    }
}

/// A cyber-observable object with its deterministic id (UUIDv5 of `{"value": ...}`).
fn sco(ty: &str, value: Value) -> Value {
    let contributing = json!({ "value": value }).to_string();
    let id = format!(
        "{ty}--{}",
        Uuid::new_v5(&SCO_NAMESPACE, contributing.as_bytes())
    );
    json!({"type": ty, "spec_version": "2.1", "id": id, "value": value})
}

/// A technique's attack-pattern object (`mitre-attack` or `gsma-motif`).
fn attack_pattern(technique: &str, created: &str, identity: &str, marking: &str) -> Value {
    let (source, name, url) = if technique.starts_with("MOT") {
        (
            "gsma-motif",
            motif_name(technique).unwrap_or(technique),
            "https://www.gsma.com/solutions-and-impact/technologies/security/gsma-mobile-threat-intelligence-framework-motif/".to_string(),
        )
    } else {
        let path = technique.replace('.', "/");
        (
            "mitre-attack",
            mitre_name(technique).unwrap_or(technique),
            format!("https://attack.mitre.org/techniques/{path}/"),
        )
    };
    json!({
        "type": "attack-pattern",
        "spec_version": "2.1",
        "id": sid("attack-pattern", &format!("{source}|{technique}")),
        "created": created,
        "modified": created,
        "created_by_ref": identity,
        "name": name,
        "external_references": [{"source_name": source, "external_id": technique, "url": url}],
        "object_marking_refs": [marking],
    })
}

/// The techniques (ATT&CK ids, then MoTIF ids) of a set of signature ids.
fn techniques(c: &Collector, sigs: &BTreeSet<u32>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for id in sigs {
        if let Some(s) = c.signatures.get(id) {
            out.extend(s.sig.mitre.iter().map(|t| t.to_string()));
            out.extend(motif_ids(s.sig).iter().map(|t| t.to_string()));
        }
    }
    out
}

fn sig_names(c: &Collector, seen: &Seen) -> Vec<&'static str> {
    seen.sigs
        .iter()
        .filter_map(|id| c.signatures.get(id).map(|s| s.sig.name))
        .collect()
}

/// The bundle of everything the collector holds.
pub fn bundle(c: &Collector, opts: &ShareOptions) -> Value {
    let (start, _) = c.span.unwrap_or((0, 0));
    let created = stix_time(start);
    let marking = tlp_marking(opts.tlp);
    let marking_id = marking
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let identity_id = sid("identity", &opts.operator);
    let mut objects = vec![
        marking,
        json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": identity_id,
            "created": created,
            "modified": created,
            "name": opts.operator,
            "identity_class": "organization",
            "sectors": ["telecommunications"],
            "object_marking_refs": [marking_id],
        }),
    ];

    // attack patterns for every technique of every signature seen
    let all_sigs: BTreeSet<u32> = c.signatures.keys().copied().collect();
    let all_techniques = techniques(c, &all_sigs);
    for t in &all_techniques {
        objects.push(attack_pattern(t, &created, &identity_id, &marking_id));
    }

    let mut subscriber_scos: BTreeSet<String> = BTreeSet::new();
    for (nid, seen) in &c.indicators {
        let (ty, value, pattern) = observable(nid);
        let first = stix_time(seen.first_ns);
        let last = stix_time(seen.last_ns);
        let obs = sco(ty, value);
        let obs_id = obs
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        objects.push(obs);
        let mut refs = vec![json!(obs_id)];
        for label in &seen.subscribers {
            let s = sco("x-sigscope-subscriber", json!(label));
            if let Some(id) = s.get("id").and_then(Value::as_str) {
                refs.push(json!(id));
                if subscriber_scos.insert(id.to_string()) {
                    objects.push(s);
                }
            }
        }
        let names = sig_names(c, seen);
        let country = seen.country.map(|c| format!(" ({c})")).unwrap_or_default();
        let indicator_id = sid("indicator", &pattern);
        objects.push(json!({
            "type": "indicator",
            "spec_version": "2.1",
            "id": indicator_id,
            "created": first,
            "modified": last,
            "created_by_ref": identity_id,
            "name": format!("{} {}{country}", nid.kind(), nid.value()),
            "description": format!(
                "Sender of signalling flagged by sigscope ({}): {} alert(s).",
                names.join(", "),
                seen.count
            ),
            "indicator_types": ["malicious-activity"],
            "pattern": pattern,
            "pattern_type": "stix",
            "valid_from": first,
            "object_marking_refs": [marking_id],
        }));
        let od_id = sid("observed-data", &obs_id);
        objects.push(json!({
            "type": "observed-data",
            "spec_version": "2.1",
            "id": od_id,
            "created": first,
            "modified": last,
            "created_by_ref": identity_id,
            "first_observed": first,
            "last_observed": last,
            "number_observed": seen.count.max(1),
            "object_refs": refs,
            "object_marking_refs": [marking_id],
        }));
        objects.push(json!({
            "type": "sighting",
            "spec_version": "2.1",
            "id": sid("sighting", &indicator_id),
            "created": first,
            "modified": last,
            "created_by_ref": identity_id,
            "first_seen": first,
            "last_seen": last,
            "count": seen.count,
            "sighting_of_ref": indicator_id,
            "observed_data_refs": [od_id],
            "where_sighted_refs": [identity_id],
            "object_marking_refs": [marking_id],
        }));
        for t in techniques(c, &seen.sigs) {
            let source = if t.starts_with("MOT") {
                "gsma-motif"
            } else {
                "mitre-attack"
            };
            let ap_id = sid("attack-pattern", &format!("{source}|{t}"));
            objects.push(json!({
                "type": "relationship",
                "spec_version": "2.1",
                "id": sid("relationship", &format!("{indicator_id}|indicates|{ap_id}")),
                "created": first,
                "modified": last,
                "created_by_ref": identity_id,
                "relationship_type": "indicates",
                "source_ref": indicator_id,
                "target_ref": ap_id,
                "object_marking_refs": [marking_id],
            }));
        }
    }

    let ids: Vec<&str> = objects
        .iter()
        .filter_map(|o| o.get("id").and_then(Value::as_str))
        .collect();
    let bundle_id = sid("bundle", &ids.join(","));
    json!({"type": "bundle", "id": bundle_id, "objects": objects})
}
