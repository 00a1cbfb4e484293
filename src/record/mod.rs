//! Decode records: one JSON object per [`Message`], in the schema of DESIGN.md (`frame`,
//! `ts`, `src`/`dst`, ports, `path`, then one object per layer, then `anomalies`), written
//! straight into a byte buffer by [`write_record`] — no intermediate tree.
//!
//! [`Decoder`] (from `sigscope-decode`) holds the per-capture state and hands out the typed
//! messages; this module only serialises them.

mod gtp;
mod ss7;
pub mod table;

use std::path::Path;

use serde_json::Value;
use sigscope_capture::{CaptureError, Reader};
use sigscope_core::Anomaly;
pub use sigscope_decode::{adaptation, pc_format, AdaptationKind, Decoder, Message, Options};
use sigscope_decode::{Adaptation, Mtp3Label, SctpInfo, SuaParties};
use sigscope_sigtran::m2pa::{self, M2pa, M2ua};
use sigscope_sigtran::m3ua;
use sigscope_sigtran::sua::SuaMessage;

use crate::json::{Arr, Key, Obj};
use crate::k;

/// Raw values longer than this are cut in `*_hex` output of the `m3ua` object.
pub const M3UA_MAX_HEX_BYTES: usize = 256;

/// Write `ts_nanos` as seconds since the epoch, keeping the capture's resolution: six
/// decimals when the nanoseconds are whole microseconds, nine otherwise.
pub fn write_ts(out: &mut Vec<u8>, ts_nanos: u64) {
    let secs = ts_nanos / 1_000_000_000;
    let nanos = ts_nanos % 1_000_000_000;
    let (frac, width) = if nanos % 1000 == 0 {
        (nanos / 1000, 6)
    } else {
        (nanos, 9)
    };
    // right to left into the first half of a buffer twice the longest text, appended with one
    // fixed-size copy
    const TS_MAX: usize = 32;
    let mut buf = [0u8; 2 * TS_MAX];
    let at = crate::json::decimal_before(&mut buf, TS_MAX, frac, width);
    let at = at.saturating_sub(1);
    if let Some(d) = buf.get_mut(at) {
        *d = b'.';
    }
    let at = crate::json::decimal_before(&mut buf, at, secs, 1);
    crate::json::push_tail(out, &buf, at);
}

/// One anomaly as a JSON object.
pub fn write_anomaly(a: &mut Arr<'_>, x: &Anomaly) {
    let mut o = a.obj();
    o.str(k!("layer"), x.layer.as_str());
    o.str(k!("code"), x.code.as_str());
    o.usize(k!("offset"), x.offset);
    o.str(k!("detail"), x.detail);
    if let Some(v) = x.value {
        o.u64(k!("value"), v);
    }
}

/// The record's head (`frame`, `ts`, ends, `path`), for writers that add their own keys.
pub fn write_head(o: &mut Obj<'_>, m: &Message<'_>) {
    o.u64(k!("frame"), m.frame);
    o.with_raw(k!("ts"), |out| write_ts(out, m.ts_nanos));
    if let Some(e) = &m.endpoints {
        o.ip(k!("src"), e.src);
        o.ip(k!("dst"), e.dst);
        o.u64(k!("sport"), e.sport);
        o.u64(k!("dport"), e.dport);
    }
    if let Some(p) = &m.path {
        write_path(o, p);
    }
    if m.end_of_input {
        o.bool(k!("end_of_input"), true);
    }
}

/// Room of a path text in the memo of [`write_path`] (longer paths are written piece by
/// piece).
const PATH_TEXT_CAP: usize = 96;
/// Places in the memo of [`write_path`] (a capture has a handful of paths).
const PATH_MEMO_SLOTS: usize = 8;

/// A path and its text.
type PathMemoSlot = (Option<sigscope_decode::Path>, [u8; PATH_TEXT_CAP], usize);

thread_local! {
    /// The texts of the paths written lately, each built once.
    static PATH_MEMO: core::cell::RefCell<([PathMemoSlot; PATH_MEMO_SLOTS], usize)> =
        const { core::cell::RefCell::new(([(None, [0; PATH_TEXT_CAP], 0); PATH_MEMO_SLOTS], 0)) };
}

/// The path's parts (step names, separators, the upper layer), each to `part`.
fn path_parts(p: &sigscope_decode::Path, part: &mut dyn FnMut(&'static str)) {
    p.encap.for_each_part(&mut *part);
    if let Some(u) = p.upper {
        if !p.encap.steps().is_empty() || p.encap.is_truncated() {
            part("/");
        }
        part(u.as_str());
    }
}

/// `"path": "<text>"`, the text from the memo when the path was written lately (the step names
/// are plain ASCII: written without escaping).
fn write_path(o: &mut Obj<'_>, p: &sigscope_decode::Path) {
    let done = PATH_MEMO.with(|memo| {
        let Ok(mut memo) = memo.try_borrow_mut() else {
            return false;
        };
        let (slots, next) = &mut *memo;
        if let Some((_, text, len)) = slots.iter().find(|(q, _, _)| q.as_ref() == Some(p)) {
            o.plain_fixed(k!("path"), text, *len);
            return true;
        }
        // build it: only plain ASCII that fits is kept
        let mut text = [0u8; PATH_TEXT_CAP];
        let mut len = 0usize;
        let mut fits = true;
        path_parts(p, &mut |s: &'static str| {
            let b = s.as_bytes();
            match text.get_mut(len..len + b.len()) {
                Some(dst)
                    if b.iter()
                        .all(|c| c.is_ascii_graphic() && *c != b'"' && *c != b'\\') =>
                {
                    dst.copy_from_slice(b);
                    len += b.len();
                }
                _ => fits = false,
            }
        });
        if !fits {
            return false;
        }
        if let Some(slot) = slots.get_mut(*next % PATH_MEMO_SLOTS) {
            *slot = (Some(*p), text, len);
        }
        *next = next.wrapping_add(1);
        o.plain_fixed(k!("path"), &text, len);
        true
    });
    if !done {
        o.pieces(k!("path"), |part| path_parts(p, part));
    }
}

/// The decoded layers of a message under their record keys (`sctp` ... `gtp`).
pub fn write_layers(o: &mut Obj<'_>, m: &Message<'_>) {
    if let Some(s) = &m.sctp {
        sctp(o, s);
    }
    match &m.adaptation {
        Some(Adaptation::M3ua(x)) => m3ua_obj(&mut o.obj(k!("m3ua")), x),
        Some(Adaptation::M2pa(x)) => m2pa_obj(&mut o.obj(k!("m2pa")), x),
        Some(Adaptation::M2ua(x)) => m2ua_obj(&mut o.obj(k!("m2ua")), x),
        Some(Adaptation::Sua(x)) => sua_obj(&mut o.obj(k!("sua")), x, m.sua_parties),
        None => {}
    }
    if let Some(l) = &m.mtp3 {
        mtp3(o, l);
    }
    if let Some(s) = &m.sccp {
        ss7::sccp(&mut o.obj(k!("sccp")), s);
    }
    if let Some(t) = &m.tcap {
        ss7::tcap(&mut o.obj(k!("tcap")), t, m.components);
    }
    if !m.map.is_empty() {
        let mut a = o.arr(k!("map"));
        for e in m.map {
            ss7::map_entry(&mut a.obj(), e);
        }
    }
    if let Some(g) = &m.gtp {
        gtp::gtp(&mut o.obj(k!("gtp")), g);
    }
}

/// The `anomalies` array (absent when there are none).
pub fn write_anomalies(o: &mut Obj<'_>, m: &Message<'_>) {
    if !m.anomalies.is_empty() {
        let mut a = o.arr(k!("anomalies"));
        for x in m.anomalies {
            write_anomaly(&mut a, x);
        }
    }
}

/// Append the decode record of `m` (one JSON object, no newline) to `out`.
pub fn write_record(out: &mut Vec<u8>, m: &Message<'_>) {
    let mut o = Obj::open(out);
    write_head(&mut o, m);
    write_layers(&mut o, m);
    write_anomalies(&mut o, m);
}

/// The decode record of `m` as a JSON value (tests and tools; the sinks never build one).
pub fn to_value(m: &Message<'_>) -> Value {
    let mut out = Vec::with_capacity(1024);
    write_record(&mut out, m);
    serde_json::from_slice(&out).unwrap_or(Value::Null)
}

fn sctp(o: &mut Obj<'_>, s: &SctpInfo) {
    let mut j = o.obj(k!("sctp"));
    j.u64(k!("ppid"), s.ppid.0);
    j.u64(k!("stream"), s.stream);
    j.u64(k!("tsn"), s.tsn);
    j.u64(k!("ssn"), s.ssn);
    if s.reassembled {
        j.bool(k!("reassembled"), true);
    }
}

fn mtp3(o: &mut Obj<'_>, l: &Mtp3Label) {
    let mut j = o.obj(k!("mtp3"));
    j.u64(k!("opc"), l.opc);
    j.u64(k!("dpc"), l.dpc);
    j.u64(k!("si"), l.si);
    j.u64(k!("ni"), l.ni);
    j.u64(k!("sls"), l.sls);
}

fn masked_pc(a: &mut Arr<'_>, p: m3ua::MaskedPc) {
    let mut o = a.obj();
    o.u64(k!("mask"), p.mask);
    o.u64(k!("pc"), p.pc);
}

/// Insert `key` (the number) and `<key>_name` (when the value has one).
fn coded(o: &mut Obj<'_>, key: Key, name_key: Key, value: impl Into<u64>, name: Option<&str>) {
    o.u64(key, value);
    if let Some(n) = name {
        o.str(name_key, n);
    }
}

/// The `m3ua` object: header, Protocol Data fields (DATA), and every management parameter
/// present (absent ones are absent).
fn m3ua_obj(o: &mut Obj<'_>, m: &m3ua::M3uaMessage<'_>) {
    o.u64(k!("class"), m.msg.class());
    o.u64(k!("type"), m.msg.msg_type());
    if let Some(n) = m.name() {
        o.str(k!("name"), n);
    }
    if let Some(rc) = m.routing_context {
        o.u64(k!("routing_context"), rc);
    }
    if let Some(l) = m.routing_contexts.filter(|l| l.len() > 1) {
        let mut a = o.arr(k!("routing_contexts"));
        for v in l.u32s().map_while(Result::ok) {
            a.u64(v);
        }
    }
    if let Some(na) = m.network_appearance {
        o.u64(k!("network_appearance"), na);
    }
    if let Some(pd) = m.protocol_data {
        o.u64(k!("opc"), pd.opc);
        o.u64(k!("dpc"), pd.dpc);
        o.u64(k!("si"), pd.si);
        o.u64(k!("ni"), pd.ni);
        o.u64(k!("mp"), pd.mp);
        o.u64(k!("sls"), pd.sls);
    }
    if m.affected_point_codes.is_some() {
        let mut a = o.arr(k!("affected_pc"));
        for p in m.affected_pcs() {
            masked_pc(&mut a, p);
        }
    }
    if let Some(dpc) = m.concerned_dpc {
        o.u64(k!("concerned_dpc"), dpc);
    }
    if let Some(c) = m.congestion_level {
        coded(
            o,
            k!("congestion_level"),
            k!("congestion_level_name"),
            c.0,
            c.name(),
        );
    }
    if let Some(uc) = m.user_cause {
        coded(
            o,
            k!("cause"),
            k!("cause_name"),
            uc.cause.0,
            uc.cause.name(),
        );
        coded(o, k!("user"), k!("user_name"), uc.user.0, uc.user.name());
    }
    if let Some(e) = m.error_code {
        o.u64(k!("error_code"), e.0);
        if let Some(n) = e.name() {
            o.str(k!("error"), n);
        }
    }
    if let Some(s) = m.status {
        coded(
            o,
            k!("status_type"),
            k!("status_type_name"),
            s.status_type.0,
            s.status_type.name(),
        );
        coded(
            o,
            k!("status_info"),
            k!("status_info_name"),
            s.info,
            s.info_name(),
        );
    }
    if let Some(id) = m.asp_id {
        o.u64(k!("asp_id"), id);
    }
    if let Some(t) = m.traffic_mode {
        coded(
            o,
            k!("traffic_mode"),
            k!("traffic_mode_name"),
            t.0,
            t.name(),
        );
    }
    if let Some(s) = m.info_string {
        o.lossy(k!("info_string"), s);
        if m.info_str().is_none() {
            o.hex(k!("info_string_hex"), s, M3UA_MAX_HEX_BYTES);
        }
    }
    if let Some(d) = m.diagnostic_info {
        o.usize(k!("diagnostic_len"), d.len());
        o.hex(k!("diagnostic_hex"), d, M3UA_MAX_HEX_BYTES);
    }
    if let Some(h) = m.heartbeat_data {
        o.usize(k!("heartbeat_len"), h.len());
    }
    if let Some(c) = m.correlation_id {
        o.u64(k!("correlation_id"), c);
    }
    if let Some(s) = m.registration_status {
        coded(
            o,
            k!("registration_status"),
            k!("registration_status_name"),
            s.0,
            s.name(),
        );
    }
    if let Some(s) = m.deregistration_status {
        coded(
            o,
            k!("deregistration_status"),
            k!("deregistration_status_name"),
            s.0,
            s.name(),
        );
    }
    if m.routing_keys().next().is_some() {
        let mut a = o.arr(k!("routing_keys"));
        for k in m.routing_keys() {
            let mut r = a.obj();
            if let Some(v) = k.local_rk_id {
                r.u64(k!("local_rk_id"), v);
            }
            if let Some(v) = k.routing_context {
                r.u64(k!("routing_context"), v);
            }
            if let Some(t) = k.traffic_mode {
                coded(
                    &mut r,
                    k!("traffic_mode"),
                    k!("traffic_mode_name"),
                    t.0,
                    t.name(),
                );
            }
            if let Some(v) = k.network_appearance {
                r.u64(k!("network_appearance"), v);
            }
            if let Some(p) = k.dpc {
                let mut d = r.obj(k!("dpc"));
                d.u64(k!("mask"), p.mask);
                d.u64(k!("pc"), p.pc);
            }
            if let Some(si) = k.service_indicators {
                let mut l = r.arr(k!("si"));
                for x in si.iter() {
                    l.u64(*x);
                }
            }
            if let Some(l) = k.opc_list {
                let mut a = r.arr(k!("opc_list"));
                for p in l.point_codes().map_while(Result::ok) {
                    masked_pc(&mut a, p);
                }
            }
        }
    }
    if m.registration_results().next().is_some() {
        let mut a = o.arr(k!("registration_results"));
        for x in m.registration_results() {
            let mut r = a.obj();
            if let Some(v) = x.local_rk_id {
                r.u64(k!("local_rk_id"), v);
            }
            if let Some(s) = x.status {
                coded(&mut r, k!("status"), k!("status_name"), s.0, s.name());
            }
            if let Some(v) = x.routing_context {
                r.u64(k!("routing_context"), v);
            }
        }
    }
    if m.deregistration_results().next().is_some() {
        let mut a = o.arr(k!("deregistration_results"));
        for x in m.deregistration_results() {
            let mut r = a.obj();
            if let Some(v) = x.routing_context {
                r.u64(k!("routing_context"), v);
            }
            if let Some(s) = x.status {
                coded(&mut r, k!("status"), k!("status_name"), s.0, s.name());
            }
        }
    }
}

fn m2pa_obj(o: &mut Obj<'_>, m: &M2pa<'_>) {
    o.u64(k!("type"), m.msg_type);
    o.u64(k!("bsn"), m.bsn);
    o.u64(k!("fsn"), m.fsn);
}

fn m2ua_obj(o: &mut Obj<'_>, m: &M2ua<'_>) {
    o.u64(k!("class"), m.class);
    o.u64(k!("type"), m.msg_type);
    if let Some(n) = m2pa::m2ua_message_name(m.class, m.msg_type) {
        o.str(k!("name"), n);
    }
    if let Some(i) = m.interface_id {
        o.u64(k!("interface_id"), i);
    }
}

fn sua_obj(o: &mut Obj<'_>, m: &SuaMessage<'_>, parties: Option<&SuaParties<'_>>) {
    o.u64(k!("class"), m.msg.class());
    o.u64(k!("type"), m.msg.msg_type());
    if let Some(n) = m.name() {
        o.str(k!("name"), n);
    }
    if let Some(pc) = m.protocol_class {
        o.u64(k!("protocol_class"), pc);
    }
    if let Some(sg) = m.segmentation {
        let mut so = o.obj(k!("segmentation"));
        so.bool(k!("first"), sg.first);
        so.u64(k!("remaining"), sg.remaining);
        so.u64(k!("local_ref"), sg.reference);
    }
    let (calling, called) = parties.map_or((None, None), |p| (p.calling, p.called));
    for (k, addr, party) in [
        ("calling", m.source, calling),
        ("called", m.destination, called),
    ] {
        if let Some(addr) = addr {
            let mut ao = o.obj(k);
            ao.u64(k!("ri"), addr.routing_indicator);
            ao.opt_u64(k!("ssn"), addr.ssn);
            ao.opt_u64(k!("pc"), addr.pc);
            if let Some(gt) = addr.gt {
                let mut g = ao.obj(k!("gt"));
                g.u64(k!("gti"), gt.gti);
                g.u64(k!("tt"), gt.tt);
                g.u64(k!("np"), gt.np);
                g.u64(k!("nai"), gt.nai);
                g.digits(k!("digits"), &gt.digits);
                // the country as an SCCP title's (E.164 / E.214, international)
                if let Some((name, c)) = party.and_then(|p| Some((p.country_name()?, p.country?))) {
                    g.str(k!("country"), name);
                    g.str(k!("country_code"), c.cc);
                }
            }
        }
    }
}

/// What a capture produced: the records, and the error that ended reading early (if any).
#[derive(Debug)]
pub struct Decoded {
    /// Every record.
    pub records: Vec<Value>,
    /// A truncation or format error met after the last complete frame.
    pub error: Option<CaptureError>,
    /// Frames read.
    pub frames: u64,
}

/// Decode a whole capture into records (tests and tools: each record is parsed back into a
/// JSON value).
pub fn decode_path(path: &Path, opts: &Options) -> Result<Vec<Value>, CaptureError> {
    let d = decode_path_full(path, opts)?;
    match d.error {
        Some(e) => Err(e),
        None => Ok(d.records),
    }
}

/// Like [`decode_path`], but keeps the records decoded before a truncation or format error.
pub fn decode_path_full(path: &Path, opts: &Options) -> Result<Decoded, CaptureError> {
    let mut reader = Reader::open(path)?;
    let mut dec = Decoder::new(*opts);
    let mut records = Vec::new();
    let error = loop {
        match reader.next_packet() {
            Ok(Some(pkt)) => dec.packet(&pkt, &mut |m| records.push(to_value(m))),
            Ok(None) => break None,
            Err(e) => break Some(e),
        }
    };
    dec.finish(&mut |m| records.push(to_value(m)));
    Ok(Decoded {
        records,
        error,
        frames: dec.frames(),
    })
}
