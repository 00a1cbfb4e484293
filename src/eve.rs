//! EVE alert lines (Suricata's `eve.json` alert shape, so pipelines built for Suricata ingest
//! them unchanged), with the decoded layers of the message that raised the alert beside.

use sigscope_decode::Message;
use sigscope_rules::Alert;

use crate::json::{Key, Obj};
use crate::k;
use crate::record::{write_anomalies, write_layers};

/// Append the EVE line of `alert` (one JSON object, no newline) to `out`; `msg` (the message
/// that raised it) adds its layers under their usual keys.
pub fn write_alert(out: &mut Vec<u8>, alert: &Alert, msg: Option<&Message<'_>>) {
    // a tagged alert may name an earlier message of the flow: only its own layers are written
    let msg = msg.filter(|m| m.frame == alert.frame);
    let mut o = Obj::open(out);
    o.str(k!("timestamp"), &alert.timestamp());
    o.str(k!("event_type"), "alert");
    // Suricata's names and types: the packet number is `pcap_cnt`, the flow an integer id
    o.u64(k!("pcap_cnt"), alert.frame);
    o.u64(k!("flow_id"), alert.flow_id);
    if let Some(s) = &alert.src {
        o.display(k!("src_ip"), s);
    }
    if let Some(p) = alert.sport {
        o.u64(k!("src_port"), p);
    }
    if let Some(d) = &alert.dst {
        o.display(k!("dest_ip"), d);
    }
    if let Some(p) = alert.dport {
        o.u64(k!("dest_port"), p);
    }
    if let Some(m) = msg {
        let proto = if m.sctp.is_some() {
            Some("SCTP")
        } else if m.gtp.is_some() {
            Some("UDP")
        } else if m.tcp.is_some() {
            Some("TCP")
        } else {
            None
        };
        if let Some(p) = proto {
            o.str(k!("proto"), p);
        }
    }
    raw_value(&mut o, k!("alert"), &alert.eve_alert());
    {
        let mut s = o.obj(k!("sigscope"));
        raw_value(&mut s, k!("evidence"), &alert.evidence);
        if alert.suppressed > 0 {
            s.u64(k!("suppressed"), alert.suppressed);
        }
    }
    if let Some(m) = msg {
        write_layers(&mut o, m);
        write_anomalies(&mut o, m);
    }
}

fn raw_value(o: &mut Obj<'_>, k: Key, v: &serde_json::Value) {
    let mut b = Vec::with_capacity(256);
    if serde_json::to_writer(&mut b, v).is_err() {
        b.clear();
        b.extend_from_slice(b"null");
    }
    o.raw(k, &b);
}
