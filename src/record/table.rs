//! A readable one-line-per-message table built from decode records.

use serde_json::Value;

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Header line.
pub fn header() -> String {
    format!(
        "{:>7}  {:<17}  {:<40}  {:<22}  {}",
        "frame", "time", "src > dst", "path", "summary"
    )
}

/// One record as a table row.
pub fn row(rec: &Value) -> String {
    let frame = rec.get("frame").map(s).unwrap_or_default();
    let ts = rec
        .get("ts")
        .and_then(Value::as_f64)
        .map(|t| format!("{t:.6}"))
        .unwrap_or_default();
    let peers = match (rec.get("src"), rec.get("dst")) {
        (Some(a), Some(b)) => format!(
            "{}:{} > {}:{}",
            s(a),
            rec.get("sport").map(s).unwrap_or_default(),
            s(b),
            rec.get("dport").map(s).unwrap_or_default()
        ),
        _ => String::from("-"),
    };
    let layers = [
        "sctp", "m2ua", "m2pa", "m3ua", "sua", "mtp3", "sccp", "tcap", "map", "gtp",
    ];
    let path: Vec<&str> = layers
        .iter()
        .copied()
        .filter(|l| rec.get(*l).is_some())
        // The `mtp3` object of an M3UA record repeats its Protocol Data.
        .filter(|l| *l != "mtp3" || rec.get("m3ua").is_none())
        .collect();
    let mut summary = Vec::new();
    if let Some(m) = rec.get("m3ua") {
        match m.get("opc") {
            Some(opc) => summary.push(format!(
                "opc {} > dpc {} si {}",
                s(opc),
                m.get("dpc").map(s).unwrap_or_default(),
                m.get("si").map(s).unwrap_or_default()
            )),
            None => summary.push(m.get("name").map(s).unwrap_or_else(|| "m3ua".into())),
        }
    } else if let Some(m) = rec.get("mtp3") {
        summary.push(format!(
            "opc {} > dpc {} si {}",
            m.get("opc").map(s).unwrap_or_default(),
            m.get("dpc").map(s).unwrap_or_default(),
            m.get("si").map(s).unwrap_or_default()
        ));
    }
    if let Some(sc) = rec.get("sccp") {
        let digits = |k: &str| {
            sc.get(k)
                .and_then(|a| a.get("gt"))
                .and_then(|g| g.get("digits"))
                .map(s)
                .unwrap_or_default()
        };
        summary.push(format!(
            "{} {} > {}",
            sc.get("type").map(s).unwrap_or_default(),
            digits("calling"),
            digits("called")
        ));
    }
    if let Some(t) = rec.get("tcap") {
        let ops: Vec<String> = t
            .get("components")
            .and_then(Value::as_array)
            .map(|c| {
                c.iter()
                    .map(|c| {
                        format!(
                            "{}:{}",
                            c.get("kind").map(s).unwrap_or_default(),
                            c.get("opcode").map(s).unwrap_or_default()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        summary.push(format!(
            "{} {}",
            t.get("type").map(s).unwrap_or_default(),
            ops.join(",")
        ));
    }
    if let Some(g) = rec.get("gtp") {
        let mut x = format!(
            "v{} {}",
            g.get("version").map(s).unwrap_or_default(),
            g.get("name").map(s).unwrap_or_default()
        );
        if let Some(i) = g.get("imsi") {
            x.push_str(&format!(" imsi {}", s(i)));
        }
        summary.push(x);
    }
    if let Some(a) = rec.get("anomalies").and_then(Value::as_array) {
        let codes: Vec<String> = a
            .iter()
            .map(|x| x.get("code").map(s).unwrap_or_default())
            .collect();
        summary.push(format!("!! {}", codes.join(",")));
    }
    format!(
        "{frame:>7}  {ts:<17}  {peers:<40}  {:<22}  {}",
        path.join("/"),
        summary.join(" | ")
    )
}
