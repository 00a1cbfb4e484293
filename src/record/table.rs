//! A readable one-line-per-message table, written from the typed [`Message`].

use core::fmt::Write as _;

use sigscope_decode::{Adaptation, Message};
use sigscope_tcap::{Code, Tcap};

/// Header line.
pub fn header() -> String {
    format!(
        "{:>7}  {:<17}  {:<40}  {:<22}  {}",
        "frame", "time", "src > dst", "path", "summary"
    )
}

fn code_text(c: &Code<'_>, out: &mut String) {
    let _ = match c {
        Code::Local(v) => write!(out, "{v}"),
        Code::Global(oid) => write!(out, "{oid}"),
        Code::National(v) => write!(out, "national:{}:{}", v >> 8, v & 0xff),
        Code::Private(v) => write!(out, "private:{}:{}", v >> 8, v & 0xff),
    };
}

/// One message as a table row.
pub fn row(m: &Message<'_>) -> String {
    let mut ts = String::new();
    let _ = write!(
        ts,
        "{}.{:06}",
        m.ts_nanos / 1_000_000_000,
        (m.ts_nanos % 1_000_000_000) / 1000
    );
    let peers = match &m.endpoints {
        Some(e) => format!("{}:{} > {}:{}", e.src, e.sport, e.dst, e.dport),
        None => String::from("-"),
    };
    let mut path: Vec<&str> = Vec::new();
    if m.sctp.is_some() {
        path.push("sctp");
    }
    match &m.adaptation {
        Some(Adaptation::M2ua(_)) => path.push("m2ua"),
        Some(Adaptation::M2pa(_)) => path.push("m2pa"),
        Some(Adaptation::M3ua(_)) => path.push("m3ua"),
        Some(Adaptation::Sua(_)) => path.push("sua"),
        None => {}
    }
    // The MTP3 label of an M3UA message repeats its Protocol Data.
    if m.mtp3.is_some() && m.m3ua().is_none() {
        path.push("mtp3");
    }
    for (present, name) in [
        (m.sccp.is_some(), "sccp"),
        (m.tcap.is_some(), "tcap"),
        (!m.map.is_empty(), "map"),
        (m.gtp.is_some(), "gtp"),
    ] {
        if present {
            path.push(name);
        }
    }
    let mut summary: Vec<String> = Vec::new();
    if let Some(x) = m.m3ua() {
        match x.protocol_data {
            Some(pd) => summary.push(format!("opc {} > dpc {} si {}", pd.opc, pd.dpc, pd.si)),
            None => summary.push(x.name().unwrap_or("m3ua").to_string()),
        }
    } else if let Some(l) = &m.mtp3 {
        summary.push(format!("opc {} > dpc {} si {}", l.opc, l.dpc, l.si));
    }
    if let Some(sc) = &m.sccp {
        let digits = |p: &Option<sigscope_decode::Party<'_>>| {
            p.as_ref()
                .and_then(|p| p.digits_str().map(str::to_string))
                .unwrap_or_default()
        };
        let ty = match sc.msg.msg_type.name() {
            Some(n) => n.to_string(),
            None => sc.msg.msg_type.0.to_string(),
        };
        summary.push(format!(
            "{ty} {} > {}",
            digits(&sc.calling),
            digits(&sc.called)
        ));
    }
    if let Some(t) = &m.tcap {
        let mut ops = String::new();
        for (i, c) in m.components.iter().enumerate() {
            if i > 0 {
                ops.push(',');
            }
            ops.push_str(c.kind.as_str());
            ops.push(':');
            if let Some(op) = &c.opcode {
                code_text(op, &mut ops);
            }
        }
        let ty = match &t.tcap {
            Tcap::Itu(x) => x.msg_type.to_string(),
            Tcap::Ansi(x) => x.package.to_string(),
        };
        summary.push(format!("{ty} {ops}"));
    }
    if let Some(g) = &m.gtp {
        let msg = &g.decoded.message;
        let mut x = match msg {
            sigscope_gtp::Message::NotGtp(n) => match n.version() {
                Some(v) => format!("v{v} "),
                None => "v ".to_string(),
            },
            _ => format!("v{} {}", msg.version(), msg.name().unwrap_or("")),
        };
        if let Some(i) = &g.summary.imsi {
            let _ = write!(x, " imsi {}", i.as_str());
        }
        summary.push(x);
    }
    if !m.anomalies.is_empty() {
        let codes: Vec<&str> = m.anomalies.iter().map(|a| a.code.as_str()).collect();
        summary.push(format!("!! {}", codes.join(",")));
    }
    format!(
        "{:>7}  {ts:<17}  {peers:<40}  {:<22}  {}",
        m.frame,
        path.join("/"),
        summary.join(" | ")
    )
}
