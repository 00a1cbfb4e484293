//! EVE alert lines (Suricata's `eve.json` alert shape, so pipelines built for Suricata ingest
//! them unchanged), with the decoded layers of the message that raised the alert beside.
//!
//! Conformance with Suricata's own EVE schema (`etc/schema.json`, checked by
//! `tests/eve_schema.rs`): every key Suricata defines keeps Suricata's type and shape
//! (`timestamp`, `event_type`, `pcap_cnt`, `pcap_filename`, `flow_id`, `src_ip`, `dest_ip`,
//! `src_port`, `dest_port`, `proto`, `app_proto`, `alert.*`). Everything sigscope adds lives under one
//! top-level key Suricata does not define, `sigscope`:
//!
//! - `sigscope.evidence`: what made the decision;
//! - `sigscope.suppressed`: alerts of the same signature and peers held back (rate limit);
//! - `sigscope.path`: the way through the frame, as in decode records;
//! - `sigscope.layers`: the decoded layers under their decode-record keys (`sctp`, `m3ua`,
//!   `sccp`, `tcap`, `map`, `gtp`, ...) — Suricata's own `sctp` object has another shape,
//!   so they cannot stay at the top level;
//! - `sigscope.anomalies`: the message's anomalies, as in decode records.

use sigscope_decode::{Message, Upper};
use sigscope_rules::Alert;

use crate::json::{Key, Obj};
use crate::k;
use crate::record::{write_anomalies, write_layers};

/// The one top-level key of an EVE line that Suricata's schema does not define.
pub const SIGSCOPE_KEY: &str = "sigscope";

/// EVE `app_proto` of a message: its topmost decoded signalling layer, named as Wireshark
/// names the protocol (`gsm_map`, `tcap`, `sccp`, `m3ua`, `gtpv2`, ...); `None` when no
/// signalling layer decoded.
pub fn app_proto(m: &Message<'_>) -> Option<&'static str> {
    if !m.map.is_empty() {
        Some("gsm_map")
    } else if m.tcap.is_some() {
        Some("tcap")
    } else if m.sccp.is_some() {
        Some("sccp")
    } else if m.mtp3.is_some() && m.adaptation.is_none() {
        Some("mtp3")
    } else {
        m.path.and_then(|p| p.upper).map(Upper::as_str)
    }
}

/// Append the EVE line of `alert` (one JSON object, no newline) to `out`; `msg` (the message
/// that raised it) adds `proto`, `app_proto` and, under `sigscope`, its path, layers and
/// anomalies.
pub fn write_alert(out: &mut Vec<u8>, alert: &Alert, msg: Option<&Message<'_>>) {
    write_alert_in(out, alert, msg, None);
}

/// [`write_alert`] for an alert of one of several captures: `pcap_filename` (Suricata's key)
/// names the capture whose frame `pcap_cnt` counts.
pub fn write_alert_in(
    out: &mut Vec<u8>,
    alert: &Alert,
    msg: Option<&Message<'_>>,
    pcap_filename: Option<&str>,
) {
    // a tagged alert may name an earlier message of the flow: only its own layers are written
    let msg = msg.filter(|m| m.frame == alert.frame);
    let mut o = Obj::open(out);
    o.str(k!("timestamp"), &alert.timestamp());
    o.str(k!("event_type"), "alert");
    // Suricata's names and types: the packet number is `pcap_cnt`, the flow an integer id
    o.u64(k!("pcap_cnt"), alert.frame);
    if let Some(f) = pcap_filename {
        o.str(k!("pcap_filename"), f);
    }
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
        if let Some(a) = app_proto(m) {
            o.str(k!("app_proto"), a);
        }
    }
    raw_value(&mut o, k!("alert"), &alert.eve_alert());
    {
        let mut s = o.obj(k!("sigscope"));
        raw_value(&mut s, k!("evidence"), &alert.evidence);
        if alert.suppressed > 0 {
            s.u64(k!("suppressed"), alert.suppressed);
        }
        if let Some(m) = msg {
            if let Some(p) = &m.path {
                s.display(k!("path"), p);
            }
            write_layers(&mut s.obj(k!("layers")), m);
            write_anomalies(&mut s, m);
        }
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
