//! Decode records: one JSON object per signalling message, in the schema of DESIGN.md
//! (`frame`, `ts`, `src`/`dst`, ports, then one object per layer, then `anomalies`).
//!
//! [`Decoder`] holds the per-capture state (IP/SCTP reassembly, SCCP reassembly, TCAP and GTP
//! transaction matching) and turns each captured frame into records. Nothing is dropped: a
//! frame with no signalling message but with anomalies yields a record with only `frame`,
//! `ts` and `anomalies`.

mod gtp;
mod sccp_tcap;
pub mod table;

use std::net::IpAddr;
use std::path::Path;

use serde_json::{json, Map, Value};
use sigscope_capture::{CaptureError, Demux, DemuxOptions, Packet, Reader, Signal, Transport};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode};
use sigscope_sigtran::sctp::Ppid;
use sigscope_sigtran::{m2pa, m3ua, mtp3, sua, Mtp3Variant};

pub use self::gtp::*;
pub use self::sccp_tcap::*;

/// Well-known SCTP ports used when the PPID is 0 (unspecified).
pub mod ports {
    /// M2UA.
    pub const M2UA: u16 = 2904;
    /// M3UA.
    pub const M3UA: u16 = 2905;
    /// M2PA.
    pub const M2PA: u16 = 3565;
    /// SUA.
    pub const SUA: u16 = 14001;
}

/// Decoding options.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// MTP3 routing label / point code format.
    pub mtp3: Mtp3Variant,
    /// Verify SCTP CRC32c.
    pub verify_sctp_checksum: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mtp3: Mtp3Variant::Itu,
            verify_sctp_checksum: true,
        }
    }
}

/// Which SIGTRAN adaptation an SCTP user message belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adaptation {
    /// M3UA.
    M3ua,
    /// M2PA.
    M2pa,
    /// M2UA.
    M2ua,
    /// SUA.
    Sua,
}

impl Adaptation {
    /// Lower-case name, as in the record key and the `path`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Adaptation::M3ua => "m3ua",
            Adaptation::M2pa => "m2pa",
            Adaptation::M2ua => "m2ua",
            Adaptation::Sua => "sua",
        }
    }
}

fn by_ppid(ppid: Ppid) -> Option<Adaptation> {
    match ppid {
        Ppid::M3UA => Some(Adaptation::M3ua),
        Ppid::M2PA => Some(Adaptation::M2pa),
        Ppid::M2UA => Some(Adaptation::M2ua),
        Ppid::SUA => Some(Adaptation::Sua),
        _ => None,
    }
}

/// Choose the adaptation layer by PPID; when the PPID names no SIGTRAN protocol (0, an
/// unassigned value, or a byte-swapped one as old stacks send), by well-known port — the order
/// Wireshark uses. PPIDs of other protocols (S1AP, Diameter, ...) are never taken for SIGTRAN.
pub fn adaptation(ppid: Ppid, sport: u16, dport: u16) -> Option<Adaptation> {
    if let Some(a) = by_ppid(ppid) {
        return Some(a);
    }
    if ppid != Ppid::UNSPECIFIED && ppid.is_known() {
        return None;
    }
    let by_port = |p| match p {
        ports::M3UA => Some(Adaptation::M3ua),
        ports::M2PA => Some(Adaptation::M2pa),
        ports::M2UA => Some(Adaptation::M2ua),
        ports::SUA => Some(Adaptation::Sua),
        _ => None,
    };
    by_port(dport).or_else(|| by_port(sport))
}

/// Anomaly → JSON.
pub fn anomaly_json(a: &Anomaly) -> Value {
    let mut m = Map::new();
    m.insert("layer".into(), a.layer.as_str().into());
    m.insert("code".into(), a.code.as_str().into());
    m.insert("offset".into(), a.offset.into());
    m.insert("detail".into(), a.detail.into());
    if let Some(v) = a.value {
        m.insert("value".into(), v.into());
    }
    Value::Object(m)
}

/// Seconds with microseconds, as a JSON number.
pub fn ts_json(ts_nanos: u64) -> Value {
    let micros = ts_nanos / 1000;
    json!((micros / 1_000_000) as f64 + (micros % 1_000_000) as f64 / 1e6)
}

/// Stateful decoder: frames in, records out.
pub struct Decoder {
    opts: Options,
    demux: Demux,
    gtp: GtpState,
    sccp: SccpTcapState,
    frames: u64,
    records: u64,
    last_ts: u64,
}

impl Decoder {
    /// New decoder.
    pub fn new(opts: Options) -> Self {
        Decoder {
            opts,
            demux: Demux::new(DemuxOptions {
                verify_sctp_checksum: opts.verify_sctp_checksum,
            }),
            gtp: GtpState::default(),
            sccp: SccpTcapState::default(),
            frames: 0,
            records: 0,
            last_ts: 0,
        }
    }

    /// Frames seen.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Records produced.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Decode one frame; `out` receives each record.
    pub fn packet(&mut self, pkt: &Packet<'_>, out: &mut dyn FnMut(Value)) {
        self.frames += 1;
        self.last_ts = pkt.ts_nanos;
        let mut frame_anoms = Anomalies::new();
        let mut records: Vec<Map<String, Value>> = Vec::new();
        let Decoder {
            opts,
            demux,
            gtp,
            sccp,
            ..
        } = self;
        demux.dissect(pkt, &mut frame_anoms, &mut |sig: Signal<'_>| {
            if let Some(r) = signal_records(opts, gtp, sccp, pkt, &sig) {
                records.extend(r);
            }
        });
        let frame_list: Vec<Value> = frame_anoms.iter().map(anomaly_json).collect();
        if records.is_empty() {
            if !frame_list.is_empty() || frame_anoms.dropped() > 0 {
                let mut rec = base(pkt, None);
                rec.insert("anomalies".into(), Value::Array(frame_list));
                self.records += 1;
                out(Value::Object(rec));
            }
            return;
        }
        for (i, mut rec) in records.into_iter().enumerate() {
            if i == 0 && !frame_list.is_empty() {
                let mut all = frame_list.clone();
                if let Some(Value::Array(a)) = rec.remove("anomalies") {
                    all.extend(a);
                }
                rec.insert("anomalies".into(), Value::Array(all));
            }
            self.records += 1;
            out(Value::Object(rec));
        }
    }
}

impl Decoder {
    /// End of input: report what stateful helpers still hold that will now never complete
    /// (IP datagrams, SCTP user messages, SCCP segmented messages). If there is anything, one
    /// record goes to `out`: `{"frame": <last frame>, "ts": <last time>, "end_of_input": true,
    /// "anomalies": [...]}`. The state is emptied; the decoder can go on with more input.
    pub fn finish(&mut self, out: &mut dyn FnMut(Value)) {
        let mut list: Vec<Value> = Vec::new();
        self.demux.finish(&mut |a| list.push(anomaly_json(&a)));
        let mut a = Anomalies::new();
        self.sccp.reassembler.flush(&mut a);
        list.extend(a.iter().map(anomaly_json));
        if a.dropped() > 0 {
            list.push(anomaly_json(
                &Anomaly::new(
                    sigscope_core::Layer::Sccp,
                    AnomalyCode::AnomaliesDropped,
                    0,
                    "more incomplete SCCP messages than one record lists",
                )
                .with_value(a.dropped() as u64),
            ));
        }
        if list.is_empty() {
            return;
        }
        let mut rec = Map::new();
        rec.insert("frame".into(), self.frames.into());
        rec.insert("ts".into(), ts_json(self.last_ts));
        rec.insert("end_of_input".into(), true.into());
        rec.insert("anomalies".into(), Value::Array(list));
        self.records += 1;
        out(Value::Object(rec));
    }
}

fn base(pkt: &Packet<'_>, sig: Option<&Signal<'_>>) -> Map<String, Value> {
    let mut rec = Map::new();
    rec.insert("frame".into(), pkt.frame.into());
    rec.insert("ts".into(), ts_json(pkt.ts_nanos));
    if let Some(sig) = sig {
        if let (Some(s), Some(d)) = (sig.src, sig.dst) {
            rec.insert("src".into(), s.to_string().into());
            rec.insert("dst".into(), d.to_string().into());
            rec.insert("sport".into(), sig.sport.into());
            rec.insert("dport".into(), sig.dport.into());
        }
    }
    rec
}

/// The endpoints of a signalling message (absent addresses on MTP link types), handed to
/// the transaction matchers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Peer {
    /// Source address.
    pub src: Option<IpAddr>,
    /// Destination address.
    pub dst: Option<IpAddr>,
    /// Source port (0 without one).
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
}

fn finish(mut rec: Map<String, Value>, anoms: Vec<Anomaly>) -> Map<String, Value> {
    if !anoms.is_empty() {
        rec.insert(
            "anomalies".into(),
            Value::Array(anoms.iter().map(anomaly_json).collect()),
        );
    }
    rec
}

fn mtp3_json(m: &mtp3::Mtp3<'_>) -> Value {
    json!({"opc": m.opc, "dpc": m.dpc, "si": m.si.0, "ni": m.ni, "sls": m.sls})
}

/// Raw values longer than this are cut in `*_hex` output of the `m3ua` object.
const M3UA_MAX_HEX_BYTES: usize = 256;

fn hex_capped(b: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(2 * b.len().min(M3UA_MAX_HEX_BYTES));
    for x in b.iter().take(M3UA_MAX_HEX_BYTES) {
        let _ = write!(s, "{x:02x}");
    }
    s
}

fn masked_pc_json(p: m3ua::MaskedPc) -> Value {
    json!({"mask": p.mask, "pc": p.pc})
}

/// Insert `key` (the number) and `<key>_name` (when the value has one).
fn coded(o: &mut Map<String, Value>, key: &str, value: impl Into<Value>, name: Option<&str>) {
    o.insert(key.into(), value.into());
    if let Some(n) = name {
        o.insert(format!("{key}_name"), n.into());
    }
}

/// The `m3ua` object: header, Protocol Data fields (DATA), and every management parameter
/// present (absent ones are absent).
fn m3ua_json(m: &m3ua::M3uaMessage<'_>) -> Value {
    let mut o = Map::new();
    o.insert("class".into(), m.msg.class().into());
    o.insert("type".into(), m.msg.msg_type().into());
    if let Some(n) = m.name() {
        o.insert("name".into(), n.into());
    }
    if let Some(rc) = m.routing_context {
        o.insert("routing_context".into(), rc.into());
    }
    if let Some(l) = m.routing_contexts.filter(|l| l.len() > 1) {
        let v: Vec<Value> = l.u32s().map_while(Result::ok).map(Value::from).collect();
        o.insert("routing_contexts".into(), Value::Array(v));
    }
    if let Some(na) = m.network_appearance {
        o.insert("network_appearance".into(), na.into());
    }
    if let Some(pd) = m.protocol_data {
        o.insert("opc".into(), pd.opc.into());
        o.insert("dpc".into(), pd.dpc.into());
        for (k, v) in [("si", pd.si), ("ni", pd.ni), ("mp", pd.mp), ("sls", pd.sls)] {
            o.insert(k.into(), v.into());
        }
    }
    if m.affected_point_codes.is_some() {
        let v: Vec<Value> = m.affected_pcs().map(masked_pc_json).collect();
        o.insert("affected_pc".into(), Value::Array(v));
    }
    if let Some(dpc) = m.concerned_dpc {
        o.insert("concerned_dpc".into(), dpc.into());
    }
    if let Some(c) = m.congestion_level {
        coded(&mut o, "congestion_level", c.0, c.name());
    }
    if let Some(uc) = m.user_cause {
        coded(&mut o, "cause", uc.cause.0, uc.cause.name());
        coded(&mut o, "user", uc.user.0, uc.user.name());
    }
    if let Some(e) = m.error_code {
        o.insert("error_code".into(), e.0.into());
        if let Some(n) = e.name() {
            o.insert("error".into(), n.into());
        }
    }
    if let Some(s) = m.status {
        coded(&mut o, "status_type", s.status_type.0, s.status_type.name());
        coded(&mut o, "status_info", s.info, s.info_name());
    }
    if let Some(id) = m.asp_id {
        o.insert("asp_id".into(), id.into());
    }
    if let Some(t) = m.traffic_mode {
        coded(&mut o, "traffic_mode", t.0, t.name());
    }
    if let Some(s) = m.info_string {
        o.insert(
            "info_string".into(),
            String::from_utf8_lossy(s).into_owned().into(),
        );
        if m.info_str().is_none() {
            o.insert("info_string_hex".into(), hex_capped(s).into());
        }
    }
    if let Some(d) = m.diagnostic_info {
        o.insert("diagnostic_len".into(), d.len().into());
        o.insert("diagnostic_hex".into(), hex_capped(d).into());
    }
    if let Some(h) = m.heartbeat_data {
        o.insert("heartbeat_len".into(), h.len().into());
    }
    if let Some(c) = m.correlation_id {
        o.insert("correlation_id".into(), c.into());
    }
    if let Some(s) = m.registration_status {
        coded(&mut o, "registration_status", s.0, s.name());
    }
    if let Some(s) = m.deregistration_status {
        coded(&mut o, "deregistration_status", s.0, s.name());
    }
    let keys: Vec<Value> = m
        .routing_keys()
        .map(|k| {
            let mut r = Map::new();
            if let Some(v) = k.local_rk_id {
                r.insert("local_rk_id".into(), v.into());
            }
            if let Some(v) = k.routing_context {
                r.insert("routing_context".into(), v.into());
            }
            if let Some(t) = k.traffic_mode {
                coded(&mut r, "traffic_mode", t.0, t.name());
            }
            if let Some(v) = k.network_appearance {
                r.insert("network_appearance".into(), v.into());
            }
            if let Some(p) = k.dpc {
                r.insert("dpc".into(), masked_pc_json(p));
            }
            if let Some(si) = k.service_indicators {
                r.insert("si".into(), si.iter().map(|x| Value::from(*x)).collect());
            }
            if let Some(l) = k.opc_list {
                let v: Vec<Value> = l
                    .point_codes()
                    .map_while(Result::ok)
                    .map(masked_pc_json)
                    .collect();
                r.insert("opc_list".into(), Value::Array(v));
            }
            Value::Object(r)
        })
        .collect();
    if !keys.is_empty() {
        o.insert("routing_keys".into(), Value::Array(keys));
    }
    let regs: Vec<Value> = m
        .registration_results()
        .map(|x| {
            let mut r = Map::new();
            if let Some(v) = x.local_rk_id {
                r.insert("local_rk_id".into(), v.into());
            }
            if let Some(s) = x.status {
                coded(&mut r, "status", s.0, s.name());
            }
            if let Some(v) = x.routing_context {
                r.insert("routing_context".into(), v.into());
            }
            Value::Object(r)
        })
        .collect();
    if !regs.is_empty() {
        o.insert("registration_results".into(), Value::Array(regs));
    }
    let deregs: Vec<Value> = m
        .deregistration_results()
        .map(|x| {
            let mut r = Map::new();
            if let Some(v) = x.routing_context {
                r.insert("routing_context".into(), v.into());
            }
            if let Some(s) = x.status {
                coded(&mut r, "status", s.0, s.name());
            }
            Value::Object(r)
        })
        .collect();
    if !deregs.is_empty() {
        o.insert("deregistration_results".into(), Value::Array(deregs));
    }
    Value::Object(o)
}

/// MTP3 message → `mtp3` object and, for SI 3, the SCCP layers.
fn mtp3_layers(
    opts: &Options,
    sccp: &mut SccpTcapState,
    data: &[u8],
    peer: &Peer,
    ts: u64,
    rec: &mut Map<String, Value>,
    anoms: &mut Vec<Anomaly>,
) {
    let mut a = Anomalies::new();
    match mtp3::parse(data, opts.mtp3, &mut a) {
        Ok(m) => {
            rec.insert("mtp3".into(), mtp3_json(&m));
            if m.si == mtp3::ServiceIndicator::SCCP {
                let ctx = SccpCtx {
                    pc_format: pc_format(opts.mtp3),
                    opc: m.opc,
                    dpc: m.dpc,
                    peer,
                    ts_nanos: ts,
                };
                let _ = add_sccp(sccp, m.payload, &ctx, rec, anoms);
            }
        }
        Err(e) => a.push(e.to_anomaly()),
    }
    anoms.extend(a.iter().copied());
}

/// The SCCP point-code format matching an MTP3 variant.
pub fn pc_format(v: Mtp3Variant) -> sigscope_sccp::PcFormat {
    match v {
        Mtp3Variant::Itu => sigscope_sccp::PcFormat::Itu14,
        Mtp3Variant::Ansi => sigscope_sccp::PcFormat::Ansi24,
        Mtp3Variant::Chinese => sigscope_sccp::PcFormat::Chinese24,
        Mtp3Variant::Japan => sigscope_sccp::PcFormat::Japan16,
    }
}

fn signal_records(
    opts: &Options,
    gtp: &mut GtpState,
    sccp: &mut SccpTcapState,
    pkt: &Packet<'_>,
    sig: &Signal<'_>,
) -> Option<Vec<Map<String, Value>>> {
    let mut rec = base(pkt, Some(sig));
    let mut anoms: Vec<Anomaly> = Vec::new();
    let peer = Peer {
        src: sig.src,
        dst: sig.dst,
        sport: sig.sport,
        dport: sig.dport,
    };
    let ts = pkt.ts_nanos;
    // The first signalling layer, after the transport, that ends the `path`.
    let mut upper: Option<&'static str> = None;
    match sig.transport {
        Transport::Udp => {
            if !add_gtp(
                gtp, sig.data, sig.sport, sig.dport, &peer, ts, &mut rec, &mut anoms,
            ) {
                return None;
            }
            upper = Some(gtp_step(rec.get("gtp")));
        }
        Transport::Mtp3 => mtp3_layers(opts, sccp, sig.data, &peer, ts, &mut rec, &mut anoms),
        Transport::Sctp {
            ppid,
            stream,
            ssn,
            tsn,
            reassembled,
            ..
        } => {
            let kind = adaptation(ppid, sig.sport, sig.dport)?;
            upper = Some(kind.as_str());
            let mut a = Anomalies::new();
            if by_ppid(ppid).is_none() {
                let swapped = by_ppid(Ppid(ppid.0.swap_bytes())).is_some();
                let (code, detail) = if swapped {
                    (
                        AnomalyCode::PpidByteSwapped,
                        "PPID in the wrong byte order; layer chosen by port",
                    )
                } else {
                    (
                        AnomalyCode::PpidNotSigtran,
                        "PPID names no SIGTRAN layer; layer chosen by port",
                    )
                };
                a.push(
                    Anomaly::new(sigscope_core::Layer::Sctp, code, 0, detail)
                        .with_value(u64::from(ppid.0)),
                );
            }
            let mut s = json!({"ppid": ppid.0, "stream": stream, "tsn": tsn, "ssn": ssn});
            if reassembled {
                s["reassembled"] = true.into();
            }
            rec.insert("sctp".into(), s);
            match kind {
                Adaptation::M3ua => match m3ua::parse(sig.data, &mut a) {
                    Ok(m) => {
                        rec.insert("m3ua".into(), m3ua_json(&m));
                        if let Some(pd) = m.protocol_data {
                            // The Protocol Data is the MTP3 routing label carried over IP.
                            rec.insert(
                                "mtp3".into(),
                                json!({"opc": pd.opc, "dpc": pd.dpc, "si": pd.si, "ni": pd.ni, "sls": pd.sls}),
                            );
                            if pd.si == mtp3::ServiceIndicator::SCCP.0 {
                                let ctx = SccpCtx {
                                    pc_format: pc_format(opts.mtp3),
                                    opc: pd.opc,
                                    dpc: pd.dpc,
                                    peer: &peer,
                                    ts_nanos: ts,
                                };
                                let _ = add_sccp(sccp, pd.user_data, &ctx, &mut rec, &mut anoms);
                            }
                        }
                    }
                    Err(e) => a.push(e.to_anomaly()),
                },
                Adaptation::M2pa => match m2pa::parse_m2pa(sig.data, &mut a) {
                    Ok(m) => {
                        rec.insert(
                            "m2pa".into(),
                            json!({"type": m.msg_type, "bsn": m.bsn, "fsn": m.fsn}),
                        );
                        if !m.mtp3.is_empty() {
                            mtp3_layers(opts, sccp, m.mtp3, &peer, ts, &mut rec, &mut anoms);
                        }
                    }
                    Err(e) => a.push(e.to_anomaly()),
                },
                Adaptation::M2ua => match m2pa::parse_m2ua(sig.data, &mut a) {
                    Ok(m) => {
                        let mut o = json!({"class": m.class, "type": m.msg_type});
                        if let Some(n) = m2pa::m2ua_message_name(m.class, m.msg_type) {
                            o["name"] = n.into();
                        }
                        if let Some(i) = m.interface_id {
                            o["interface_id"] = i.into();
                        }
                        rec.insert("m2ua".into(), o);
                        if let Some(d) = m.mtp3 {
                            mtp3_layers(opts, sccp, d, &peer, ts, &mut rec, &mut anoms);
                        }
                    }
                    Err(e) => a.push(e.to_anomaly()),
                },
                Adaptation::Sua => match sua::parse(sig.data, &mut a) {
                    Ok(m) => {
                        let mut o = json!({"class": m.msg.class(), "type": m.msg.msg_type()});
                        if let Some(n) = m.name() {
                            o["name"] = n.into();
                        }
                        if let Some(pc) = m.protocol_class {
                            o["protocol_class"] = pc.into();
                        }
                        for (k, addr) in [("calling", m.source), ("called", m.destination)] {
                            if let Some(addr) = addr {
                                let mut ao = json!({"ri": addr.routing_indicator, "ssn": addr.ssn, "pc": addr.pc});
                                if let Some(gt) = addr.gt {
                                    ao["gt"] = json!({"gti": gt.gti, "tt": gt.tt, "np": gt.np, "nai": gt.nai, "digits": gt.digits.as_str()});
                                }
                                o[k] = ao;
                            }
                        }
                        rec.insert("sua".into(), o);
                        if let Some(d) = m.data {
                            add_tcap(sccp, d, &peer, ts, &mut rec, &mut anoms);
                        }
                    }
                    Err(e) => a.push(e.to_anomaly()),
                },
            }
            // adaptation-layer anomalies first
            let mut all: Vec<Anomaly> = a.iter().copied().collect();
            all.append(&mut anoms);
            anoms = all;
        }
    }
    rec.insert("path".into(), path_json(sig, upper));
    Some(vec![finish(rec, anoms)])
}

/// The `path` of a record: the way through the frame (`eth/vlan/ipv4(reassembled)/sctp`)
/// and the first signalling layer decoded after it (`m3ua`, `gtpv2`, ...).
fn path_json(sig: &Signal<'_>, upper: Option<&str>) -> Value {
    let mut s = sig.path.to_string();
    if let Some(u) = upper {
        if !s.is_empty() {
            s.push('/');
        }
        s.push_str(u);
    }
    s.into()
}

/// The GTP flavour for the `path`: `gtpv0`, `gtpv1` (control plane), `gtpu` (GTPv1 user
/// plane), `gtpv2`, `gtp_prime`, or `gtp` (cut short / not decoded).
fn gtp_step(o: Option<&Value>) -> &'static str {
    let protocol = o.and_then(|o| o.get("protocol")).and_then(Value::as_str);
    let plane = o.and_then(|o| o.get("plane")).and_then(Value::as_str);
    match (protocol, plane) {
        (Some("gtpv1"), Some("user")) => "gtpu",
        (Some("gtpv1"), _) => "gtpv1",
        (Some("gtpv2"), _) => "gtpv2",
        (Some("gtp_prime"), _) => "gtp_prime",
        (Some("gtpv0"), _) => "gtpv0",
        _ => "gtp",
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

/// Decode a whole capture into records (streaming reader; the records are collected).
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
            Ok(Some(pkt)) => dec.packet(&pkt, &mut |r| records.push(r)),
            Ok(None) => break None,
            Err(e) => break Some(e),
        }
    };
    dec.finish(&mut |r| records.push(r));
    Ok(Decoded {
        records,
        error,
        frames: dec.frames(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigscope_capture::reader::linktype;
    use sigscope_capture::writer::{ethernet_ipv4, ethernet_ipv4_udp};
    use sigscope_sigtran::common::emit_message;
    use sigscope_sigtran::sctp::{DataChunkRepr, SctpRepr};

    fn records(linktype: u32, frame: &[u8]) -> Vec<Value> {
        let pkt = Packet {
            frame: 1,
            ts_nanos: 1_700_000_000_000_000_000,
            linktype,
            data: frame,
            orig_len: frame.len() as u32,
            interface: 0,
        };
        let mut out = Vec::new();
        Decoder::new(Options::default()).packet(&pkt, &mut |r| out.push(r));
        out
    }

    fn sctp_frame(m3ua: Vec<u8>, vlan: bool) -> Vec<u8> {
        let sctp = SctpRepr {
            source_port: 2905,
            destination_port: 2905,
            verification_tag: 9,
            chunks: vec![DataChunkRepr {
                flags: 3,
                tsn: 1,
                stream: 1,
                ssn: 0,
                ppid: 3,
                payload: m3ua,
            }],
        }
        .emit()
        .expect("fits an SCTP packet");
        let eth = ethernet_ipv4([10, 0, 0, 1], [10, 0, 0, 2], 132, &sctp);
        if !vlan {
            return eth;
        }
        let mut v = eth[..12].to_vec();
        v.extend_from_slice(&[0x81, 0x00, 0x00, 0x64]);
        v.extend_from_slice(&eth[12..]);
        v
    }

    #[test]
    fn m3ua_data_has_mtp3_and_path() {
        let mut m = Vec::new();
        m3ua::DataRepr {
            network_appearance: None,
            routing_context: Some(7),
            opc: 1201,
            dpc: 2201,
            si: 5,
            ni: 2,
            mp: 1,
            sls: 9,
            user_data: vec![1, 2, 3],
        }
        .emit(&mut m)
        .expect("fits an M3UA parameter");
        let r = records(linktype::ETHERNET, &sctp_frame(m, true));
        assert_eq!(r.len(), 1);
        let r = &r[0];
        assert_eq!(r["path"], "eth/vlan/ipv4/sctp/m3ua");
        assert_eq!(
            r["mtp3"],
            json!({"opc": 1201, "dpc": 2201, "si": 5, "ni": 2, "sls": 9})
        );
        assert_eq!(r["m3ua"]["mp"], 1);
        assert_eq!(r["m3ua"]["routing_context"], 7);
        assert!(r["m3ua"].get("affected_pc").is_none(), "absent, not null");
    }

    #[test]
    fn m3ua_management_keys() {
        // DUPU (RFC 4666 §3.4.5): PC 0/2222, User/Cause = Inaccessible Remote User / SCCP.
        let mut m = Vec::new();
        emit_message(
            2,
            5,
            &[(0x0012, &[0, 0, 0x08, 0xae]), (0x0204, &[0, 2, 0, 3])],
            &mut m,
        )
        .expect("fits");
        let r = records(linktype::ETHERNET, &sctp_frame(m, false));
        let o = &r[0]["m3ua"];
        assert_eq!(r[0]["path"], "eth/ipv4/sctp/m3ua");
        assert!(r[0].get("mtp3").is_none());
        assert_eq!(o["name"], "DUPU");
        assert_eq!(o["affected_pc"], json!([{"mask": 0, "pc": 2222}]));
        assert_eq!((&o["cause"], &o["user"]), (&json!(2), &json!(3)));
        assert_eq!(o["cause_name"], "Inaccessible Remote User");
        assert_eq!(o["user_name"], "SCCP");

        // ERR with an unassigned code: the number, no name, and the anomaly.
        let mut m = Vec::new();
        emit_message(
            0,
            0,
            &[(0x000c, &[0, 0, 0, 0x1a]), (0x0007, &[1, 2])],
            &mut m,
        )
        .expect("fits");
        let r = records(linktype::ETHERNET, &sctp_frame(m, false));
        let o = &r[0]["m3ua"];
        assert_eq!(o["error_code"], 0x1a);
        assert_eq!(o["error"], "No Configured AS for ASP");
        assert_eq!(
            (&o["diagnostic_len"], &o["diagnostic_hex"]),
            (&json!(2), &json!("0102"))
        );

        // NTFY + ASP Identifier + INFO String, SCON.
        let mut m = Vec::new();
        emit_message(
            0,
            1,
            &[
                (0x000d, &[0, 2, 0, 3]),
                (0x0011, &[0, 0, 0, 5]),
                (0x0004, b"sg-1"),
            ],
            &mut m,
        )
        .expect("fits");
        let r = records(linktype::ETHERNET, &sctp_frame(m, false));
        let o = &r[0]["m3ua"];
        assert_eq!(
            (&o["status_type"], &o["status_info"]),
            (&json!(2), &json!(3))
        );
        assert_eq!(o["status_type_name"], "Other");
        assert_eq!(o["status_info_name"], "ASP Failure");
        assert_eq!(
            (&o["asp_id"], &o["info_string"]),
            (&json!(5), &json!("sg-1"))
        );
        let mut m = Vec::new();
        emit_message(
            2,
            4,
            &[
                (0x0012, &[0, 0, 0, 1]),
                (0x0206, &[0, 0, 0, 42]),
                (0x0205, &[0, 0, 0, 3]),
            ],
            &mut m,
        )
        .expect("fits");
        let r = records(linktype::ETHERNET, &sctp_frame(m, false));
        let o = &r[0]["m3ua"];
        assert_eq!(
            (&o["concerned_dpc"], &o["congestion_level"]),
            (&json!(42), &json!(3))
        );
    }

    #[test]
    fn gtp_and_mtp3_paths() {
        // GTPv2 Echo Request with Recovery.
        let echo = [0x40, 1, 0, 9, 0, 0, 1, 0, 3, 0, 1, 0, 5];
        let r = records(
            linktype::ETHERNET,
            &ethernet_ipv4_udp([10, 0, 0, 1], [10, 0, 0, 2], 2123, 2123, &echo),
        );
        assert_eq!(r[0]["path"], "eth/ipv4/udp/gtpv2");
        let r = records(linktype::MTP3, &[0x83, 0x01, 0x40, 0x00, 0x00, 0x09, 0x00]);
        assert_eq!(r[0]["path"], "mtp3");
        assert!(r[0]["mtp3"].is_object());
    }
}
