//! Every M3UA DATA message sigscope reports agrees with tshark, message for message
//! (count per frame, OPC, DPC, SI), on every capture of ../shared/captures that carries M3UA.

mod common;

use std::collections::BTreeMap;

use serde_json::Value;

#[test]
fn m3ua_data_agrees_with_tshark() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    if !common::tshark_available() {
        return;
    }
    let mut total = 0usize;
    let mut files = 0usize;
    let mut failures = Vec::new();
    println!(
        "{:<60} {:>8} {:>8} {:>6}",
        "capture", "tshark", "sigscope", "agree"
    );
    for e in common::manifest(&dir)
        .iter()
        .filter(|e| common::carries(e, "m3ua"))
    {
        let file = dir.join(&e.path);
        let (targs, opts) = common::decode_options(&dir, &e.path);
        let theirs = common::tshark_fields(
            &file,
            &targs,
            "m3ua.protocol_data_opc",
            &[
                "m3ua.protocol_data_opc",
                "m3ua.protocol_data_dpc",
                "m3ua.protocol_data_si",
            ],
        );
        let mut want: BTreeMap<u64, Vec<(String, String, String)>> = BTreeMap::new();
        for (frame, f) in &theirs {
            let o = common::occurrences(f.first().map_or("", String::as_str));
            let d = common::occurrences(f.get(1).map_or("", String::as_str));
            let s = common::occurrences(f.get(2).map_or("", String::as_str));
            let v = want.entry(*frame).or_default();
            for (i, opc) in o.iter().enumerate() {
                v.push((
                    opc.clone(),
                    d.get(i).cloned().unwrap_or_default(),
                    s.get(i).cloned().unwrap_or_default(),
                ));
            }
        }
        let decoded = sigscope::record::decode_path_full(&file, &opts).expect("capture opens");
        let mut got: BTreeMap<u64, Vec<(String, String, String)>> = BTreeMap::new();
        for r in &decoded.records {
            let Some(m) = r.get("m3ua") else { continue };
            let Some(opc) = m.get("opc") else { continue };
            let frame = r.get("frame").and_then(Value::as_u64).unwrap_or(0);
            got.entry(frame).or_default().push((
                opc.to_string(),
                m["dpc"].to_string(),
                m["si"].to_string(),
            ));
        }
        let n_want: usize = want.values().map(Vec::len).sum();
        let n_got: usize = got.values().map(Vec::len).sum();
        let agree = want
            .iter()
            .filter(|(f, v)| got.get(f) == Some(v))
            .map(|(_, v)| v.len())
            .sum::<usize>();
        println!("{:<60} {:>8} {:>8} {:>6}", e.path, n_want, n_got, agree);
        if want != got {
            let diff: Vec<String> = want
                .keys()
                .chain(got.keys())
                .filter(|f| want.get(f) != got.get(f))
                .take(5)
                .map(|f| {
                    format!(
                        "frame {f}: tshark {:?} sigscope {:?}",
                        want.get(f),
                        got.get(f)
                    )
                })
                .collect();
            failures.push(format!("{}: {}", e.path, diff.join("; ")));
        }
        total += n_want;
        files += 1;
    }
    println!("{files} captures, {total} M3UA DATA messages compared");
    assert!(files > 0, "no capture carries M3UA");
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}
