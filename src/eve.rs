//! EVE alert lines (Suricata's `eve.json` alert shape, so pipelines built for Suricata ingest
//! them unchanged), with the decoded layers of the message that raised the alert beside.

use sigscope_decode::Message;
use sigscope_rules::Alert;

use crate::json::Obj;
use crate::record::{write_anomalies, write_layers};

/// Append the EVE line of `alert` (one JSON object, no newline) to `out`; `msg` (the message
/// that raised it) adds its layers under their usual keys.
pub fn write_alert(out: &mut Vec<u8>, alert: &Alert, msg: Option<&Message<'_>>) {
    let mut o = Obj::open(out);
    o.str("timestamp", &alert.timestamp());
    o.str("event_type", "alert");
    o.u64("frame", alert.frame);
    if let Some(s) = &alert.src {
        o.display("src_ip", s);
    }
    if let Some(p) = alert.sport {
        o.u64("src_port", p);
    }
    if let Some(d) = &alert.dst {
        o.display("dest_ip", d);
    }
    if let Some(p) = alert.dport {
        o.u64("dest_port", p);
    }
    if let Some(m) = msg {
        let proto = if m.sctp.is_some() {
            Some("SCTP")
        } else if m.gtp.is_some() {
            Some("UDP")
        } else {
            None
        };
        if let Some(p) = proto {
            o.str("proto", p);
        }
    }
    raw_value(&mut o, "alert", &alert.eve_alert());
    {
        let mut s = o.obj("sigscope");
        raw_value(&mut s, "evidence", &alert.evidence);
        if alert.suppressed > 0 {
            s.u64("suppressed", alert.suppressed);
        }
    }
    if let Some(m) = msg {
        write_layers(&mut o, m);
        write_anomalies(&mut o, m);
    }
}

fn raw_value(o: &mut Obj<'_>, k: &str, v: &serde_json::Value) {
    let mut b = Vec::with_capacity(256);
    if serde_json::to_writer(&mut b, v).is_err() {
        b.clear();
        b.extend_from_slice(b"null");
    }
    o.raw(k, &b);
}
