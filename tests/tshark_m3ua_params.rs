//! The management parameters of every non-DATA M3UA message (ERR, NTFY, SSNM, ASPSM, ASPTM,
//! RKM) agree with tshark, field by field and frame by frame, on every capture of
//! ../shared/captures that carries M3UA: message class/type, affected point codes and masks,
//! INFO strings, error codes, status type/information, ASP identifiers, traffic mode types,
//! routing contexts, and the SCON/DUPU fields when a capture has them.

mod common;

use std::collections::BTreeMap;

use serde_json::Value;

/// Occurrences are joined with this (INFO strings may hold commas).
const AGG: char = '\u{1f}';

/// (tshark field, how to read the same values from one record's `m3ua` object).
type Getter = fn(&Value) -> Vec<String>;

fn num(m: &Value, k: &str) -> Vec<String> {
    m.get(k).map(|v| vec![v.to_string()]).unwrap_or_default()
}

fn fields() -> Vec<(&'static str, Getter)> {
    vec![
        ("m3ua.message_class", |m| num(m, "class")),
        ("m3ua.message_type", |m| num(m, "type")),
        ("m3ua.affected_point_code_mask", |m| {
            m.get("affected_pc")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| p["mask"].to_string())
                .collect()
        }),
        ("m3ua.affected_point_code_pc", |m| {
            m.get("affected_pc")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| p["pc"].to_string())
                .collect()
        }),
        ("m3ua.info_string", |m| {
            m.get("info_string")
                .and_then(Value::as_str)
                .map(|s| vec![s.to_string()])
                .unwrap_or_default()
        }),
        ("m3ua.error_code", |m| num(m, "error_code")),
        ("m3ua.status_type", |m| num(m, "status_type")),
        ("m3ua.status_info", |m| num(m, "status_info")),
        ("m3ua.asp_identifier", |m| num(m, "asp_id")),
        ("m3ua.traffic_mode_type", |m| num(m, "traffic_mode")),
        ("m3ua.routing_context", |m| {
            match m.get("routing_contexts") {
                Some(Value::Array(a)) => a.iter().map(Value::to_string).collect(),
                _ => num(m, "routing_context"),
            }
        }),
        ("m3ua.concerned_dpc", |m| num(m, "concerned_dpc")),
        ("m3ua.congestion_level", |m| num(m, "congestion_level")),
        ("m3ua.unavailability_cause", |m| num(m, "cause")),
        ("m3ua.user_identity", |m| num(m, "user")),
        ("m3ua.correlation_identifier", |m| num(m, "correlation_id")),
    ]
}

fn split(v: &str) -> Vec<String> {
    if v.is_empty() {
        Vec::new()
    } else {
        v.split(AGG).map(str::to_string).collect()
    }
}

#[test]
fn m3ua_management_parameters_agree_with_tshark() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    if !common::tshark_available() {
        return;
    }
    let fields = fields();
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
    // per field: (values compared, values agreeing)
    let mut per_field: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut messages = (0usize, 0usize); // (tshark, sigscope) non-DATA messages
    let mut frames_total = 0usize;
    let mut frames_agree = 0usize;
    let mut files = 0usize;
    let mut failures = Vec::new();
    println!(
        "{:<60} {:>7} {:>8} {:>8} {:>7}",
        "capture", "frames", "tshark", "sigscope", "agree"
    );
    for e in common::manifest(&dir)
        .iter()
        .filter(|e| common::carries(e, "m3ua"))
    {
        let file = dir.join(&e.path);
        let (targs, opts) = common::decode_options(&dir, &e.path);
        let theirs = common::tshark_fields_aggregated(&file, &targs, "m3ua", &names, AGG);
        // Frames holding at least one non-DATA message, by tshark.
        let want: BTreeMap<u64, Vec<Vec<String>>> = theirs
            .into_iter()
            .filter(|(_, f)| f.first().is_some_and(|c| split(c).iter().any(|c| c != "1")))
            .map(|(frame, f)| {
                let v = (0..names.len())
                    .map(|i| split(f.get(i).map_or("", String::as_str)))
                    .collect();
                (frame, v)
            })
            .collect();
        let decoded = sigscope::record::decode_path_full(&file, &opts).expect("capture opens");
        let mut got: BTreeMap<u64, Vec<Vec<String>>> = BTreeMap::new();
        for r in &decoded.records {
            let Some(m) = r.get("m3ua") else { continue };
            let frame = r.get("frame").and_then(Value::as_u64).unwrap_or(0);
            let v = got
                .entry(frame)
                .or_insert_with(|| vec![Vec::new(); names.len()]);
            for (i, (_, get)) in fields.iter().enumerate() {
                v[i].extend(get(m));
            }
        }
        got.retain(|_, v| v[0].iter().any(|c| c != "1"));
        let count = |m: &BTreeMap<u64, Vec<Vec<String>>>| -> usize {
            m.values()
                .map(|v| v[0].iter().filter(|c| *c != "1").count())
                .sum()
        };
        let (n_want, n_got) = (count(&want), count(&got));
        let mut agree = 0;
        for (frame, w) in &want {
            let g = got.get(frame);
            for (i, name) in names.iter().enumerate() {
                let wv = &w[i];
                let gv = g.map(|g| &g[i]);
                let pf = per_field.entry(name).or_default();
                pf.0 += wv.len();
                if gv == Some(wv) {
                    pf.1 += wv.len();
                } else {
                    failures.push(format!(
                        "{} frame {frame} {name}: tshark {wv:?} sigscope {gv:?}",
                        e.path
                    ));
                }
            }
            if g == Some(w) {
                agree += 1;
            }
        }
        for frame in got.keys().filter(|f| !want.contains_key(f)) {
            failures.push(format!(
                "{} frame {frame}: only sigscope sees a non-DATA M3UA message",
                e.path
            ));
        }
        if !want.is_empty() || !got.is_empty() {
            println!(
                "{:<60} {:>7} {:>8} {:>8} {:>7}",
                e.path,
                want.len(),
                n_want,
                n_got,
                agree
            );
        }
        messages.0 += n_want;
        messages.1 += n_got;
        frames_total += want.len();
        frames_agree += agree;
        files += 1;
    }
    println!("{files} captures; frames with non-DATA M3UA: {frames_total}, agreeing in every field: {frames_agree}");
    println!(
        "non-DATA M3UA messages: tshark {}, sigscope {}",
        messages.0, messages.1
    );
    for (name, (n, ok)) in &per_field {
        if *n > 0 {
            println!("  {name:<32} {ok}/{n} values agree");
        }
    }
    assert!(files > 0, "no capture carries M3UA");
    assert!(frames_total > 0, "no non-DATA M3UA message in the captures");
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}
