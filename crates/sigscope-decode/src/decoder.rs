//! The [`Decoder`]: frames in, [`Message`]s out. It owns every piece of per-capture state
//! (IP and SCTP reassembly in the demultiplexer, SCCP reassembly, the TCAP transaction
//! matcher, MAP versions per dialogue, the GTP matcher), each bounded by its crate.

use std::hash::{BuildHasher, Hash};

use sigscope_capture::{Demux, DemuxOptions, Packet, Signal, Transport};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};
use sigscope_map::MapEntry;
use sigscope_sigtran::sctp::Ppid;
use sigscope_sigtran::{m2pa, m3ua, mtp3, sua, Mtp3Variant};
use sigscope_tcap::{Component, MAX_COMPONENTS};

use crate::anomalies::MsgAnomalies;
use crate::gtp::{gtp_step, GtpState};
use crate::message::{Adaptation, Endpoints, Message, Mtp3Label, Path, SctpInfo, TcapLayer, Upper};
use crate::ss7::{sccp_step, sua_step, SccpCtx, Ss7State, MAX_MAP_ENTRIES};

/// Well-known SCTP ports used when the PPID names no SIGTRAN layer.
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
pub enum AdaptationKind {
    /// M3UA.
    M3ua,
    /// M2PA.
    M2pa,
    /// M2UA.
    M2ua,
    /// SUA.
    Sua,
}

impl AdaptationKind {
    /// Lower-case name, as in the record key and the `path`.
    pub const fn as_str(self) -> &'static str {
        self.upper().as_str()
    }

    const fn upper(self) -> Upper {
        match self {
            AdaptationKind::M3ua => Upper::M3ua,
            AdaptationKind::M2pa => Upper::M2pa,
            AdaptationKind::M2ua => Upper::M2ua,
            AdaptationKind::Sua => Upper::Sua,
        }
    }
}

/// Highest SCTP payload protocol identifier treated as assigned: IANA's registry is far
/// below it; a PPID above it names no protocol (opaque data over SCTP is reported bare).
pub const MAX_ASSIGNED_PPID: u32 = 255;

fn by_ppid(ppid: Ppid) -> Option<AdaptationKind> {
    match ppid {
        Ppid::M3UA => Some(AdaptationKind::M3ua),
        Ppid::M2PA => Some(AdaptationKind::M2pa),
        Ppid::M2UA => Some(AdaptationKind::M2ua),
        Ppid::SUA => Some(AdaptationKind::Sua),
        _ => None,
    }
}

/// Choose the adaptation layer by PPID; when the PPID names no SIGTRAN protocol (0, an
/// unassigned value, or a byte-swapped one as old stacks send), by well-known port — the order
/// Wireshark uses. PPIDs of other protocols (S1AP, Diameter, ...) are never taken for SIGTRAN.
pub fn adaptation(ppid: Ppid, sport: u16, dport: u16) -> Option<AdaptationKind> {
    if let Some(a) = by_ppid(ppid) {
        return Some(a);
    }
    if ppid != Ppid::UNSPECIFIED && ppid.is_known() {
        return None;
    }
    by_port(dport).or_else(|| by_port(sport))
}

/// The SIGTRAN layer a well-known port names.
fn by_port(p: u16) -> Option<AdaptationKind> {
    match p {
        ports::M3UA => Some(AdaptationKind::M3ua),
        ports::M2PA => Some(AdaptationKind::M2pa),
        ports::M2UA => Some(AdaptationKind::M2ua),
        ports::SUA => Some(AdaptationKind::Sua),
        _ => None,
    }
}

/// Whether either port is a SIGTRAN layer's well-known port (M3UA, M2PA, M2UA, SUA).
pub fn on_sigtran_port(sport: u16, dport: u16) -> bool {
    by_port(sport).is_some() || by_port(dport).is_some()
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

/// Slots of the table of recent TCP segments other than resets (direct-mapped by their ends).
pub const TCP_PROBE_SLOTS: usize = 256;
/// How long a TCP segment is remembered as a probe an answer may name.
pub const TCP_PROBE_WINDOW_NANOS: u64 = 10_000_000_000;

/// Recent TCP segments other than resets (SYN, ACK, SYN/ACK, data), direct-mapped by their ends, so
/// that a segment no stack sends (GTPDOOR v2's beacon: a RST whose urgent pointer is set
/// with URG clear) names the probe it answers (its ends reversed). Kept as (key, frame,
/// time); nothing else of TCP is kept.
struct TcpProbes {
    slots: Vec<(u64, u64, u64)>,
    /// The TCP streams carrying GTP' (port 3386).
    streams: crate::tcp_gtp::TcpGtpStreams,
}

impl Default for TcpProbes {
    fn default() -> Self {
        TcpProbes {
            slots: vec![(0, 0, 0); TCP_PROBE_SLOTS],
            streams: crate::tcp_gtp::TcpGtpStreams::default(),
        }
    }
}

impl TcpProbes {
    fn key(
        src: Option<std::net::IpAddr>,
        dst: Option<std::net::IpAddr>,
        sport: u16,
        dport: u16,
    ) -> u64 {
        hash_key(&(src, dst, sport, dport)) | 1
    }

    fn remember(&mut self, key: u64, frame: u64, ts: u64) {
        if let Some(s) = self.slots.get_mut(key as usize % TCP_PROBE_SLOTS) {
            *s = (key, frame, ts);
        }
    }

    /// The probe with these ends, if one came within the window before `ts`.
    fn answered(&self, key: u64, ts: u64) -> Option<(u64, u64)> {
        let (k, frame, at) = *self.slots.get(key as usize % TCP_PROBE_SLOTS)?;
        (k == key && ts >= at && ts - at <= TCP_PROBE_WINDOW_NANOS).then_some((frame, at))
    }
}

/// Stateful decoder: frames in, messages out.
pub struct Decoder {
    opts: Options,
    demux: Demux,
    gtp: GtpState,
    ss7: Ss7State,
    tcp: TcpProbes,
    scratch: Scratch,
    frames: u64,
    messages: u64,
    last_ts: u64,
}

/// The lists one message's walk fills (its TCAP components and MAP entries), kept from
/// message to message: their room is allocated once, at their limits, and lives on the heap.
/// On the stack they were a 76 KB frame (a MAP entry is ~2 KB), probed page by page on
/// every message, every probe in the same L1 set.
struct Scratch {
    comps: Vec<Component<'static>>,
    entries: Vec<MapEntry<'static>>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            comps: Vec::with_capacity(MAX_COMPONENTS),
            entries: Vec::with_capacity(MAX_MAP_ENTRIES),
        }
    }
}

/// `v`'s allocation, emptied, for components that borrow another lifetime (the standard
/// library collects in place, keeping the allocation, when the element layout is the same).
// the map changes the element type's lifetime: `filter` cannot
#[allow(clippy::unnecessary_filter_map)]
fn comps_for<'b>(mut v: Vec<Component<'_>>) -> Vec<Component<'b>> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// [`comps_for`] for MAP entries.
#[allow(clippy::unnecessary_filter_map)]
fn entries_for<'b>(mut v: Vec<MapEntry<'_>>) -> Vec<MapEntry<'b>> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
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
            ss7: Ss7State::default(),
            tcp: TcpProbes::default(),
            scratch: Scratch::default(),
            frames: 0,
            messages: 0,
            last_ts: 0,
        }
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Frames seen.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Messages handed out.
    pub fn messages(&self) -> u64 {
        self.messages
    }

    /// Decode one frame; `out` sees each message. Nothing is dropped: a frame with no
    /// signalling message but with anomalies yields a message with only its frame, time and
    /// anomalies. The frame's own anomalies (link, IP, SCTP) go with the first message of
    /// the frame; any found after it go with the next, or with an anomaly-only message.
    pub fn packet(&mut self, pkt: &Packet<'_>, out: &mut dyn FnMut(&Message<'_>)) {
        self.frames += 1;
        self.last_ts = pkt.ts_nanos;
        let mut frame_anoms = Anomalies::new();
        let mut emitted = 0u64;
        let Decoder {
            opts,
            demux,
            gtp,
            ss7,
            tcp,
            scratch,
            ..
        } = self;
        demux.dissect(
            pkt,
            &mut frame_anoms,
            &mut |sig: Signal<'_>, fa: &mut Anomalies| {
                let mut st = Walk {
                    opts,
                    gtp: &mut *gtp,
                    ss7: &mut *ss7,
                    tcp: &mut *tcp,
                };
                // declared before the lists that borrow it (dropped after them)
                let mut reasm = None;
                let mut comps = comps_for(std::mem::take(&mut scratch.comps));
                let mut entries = entries_for(std::mem::take(&mut scratch.entries));
                let sent = st.signal(pkt, &sig, fa, out, &mut reasm, &mut comps, &mut entries);
                scratch.comps = comps_for(comps);
                scratch.entries = entries_for(entries);
                if sent {
                    emitted += 1;
                }
            },
        );
        if !frame_anoms.is_empty() {
            let mut list = MsgAnomalies::new();
            list.take(&frame_anoms, 0, Layer::Capture);
            let msg = Message {
                anomalies: list.finish(),
                ..Message::bare(pkt.frame, pkt.ts_nanos)
            };
            out(&msg);
            emitted += 1;
        }
        self.messages += emitted;
    }

    /// End of input: report what stateful helpers still hold that will now never complete
    /// (IP datagrams, SCTP user messages, SCCP segmented messages). If there is anything, one
    /// message goes to `out` with the last frame's number and time, `end_of_input` set and
    /// the anomalies. The state is emptied; the decoder can go on with more input.
    pub fn finish(&mut self, out: &mut dyn FnMut(&Message<'_>)) {
        // end of input only: the list may be long, and is cut into messages of at most
        // MAX_MESSAGE_ANOMALIES - 1 anomalies each, so that none is lost
        let mut all: Vec<Anomaly> = Vec::new();
        self.demux.finish(&mut |a| all.push(a));
        let mut a = Anomalies::new();
        self.ss7.reassembler.flush(&mut a);
        all.extend(a.iter().copied());
        let sccp_dropped = a.dropped();
        if all.is_empty() && sccp_dropped == 0 {
            return;
        }
        let per = crate::anomalies::MAX_MESSAGE_ANOMALIES - 1;
        let chunks = all.len().div_ceil(per).max(1);
        for (i, chunk) in all
            .chunks(per)
            .chain(
                // no anomaly kept, only a count
                (all.is_empty()).then_some(&[][..]),
            )
            .enumerate()
        {
            let mut list = MsgAnomalies::new();
            for x in chunk {
                list.push(*x);
            }
            if i + 1 == chunks && sccp_dropped > 0 {
                list.count_dropped_from(Layer::Sccp, sccp_dropped);
            }
            let msg = Message {
                end_of_input: true,
                anomalies: list.finish(),
                ..Message::bare(self.frames, self.last_ts)
            };
            self.messages += 1;
            out(&msg);
        }
    }
}

/// The layers of one message while it is walked (the [`Message`] is built from them at the
/// end, when the lists it borrows are complete).
#[derive(Default)]
struct Layers<'a> {
    sctp: Option<SctpInfo>,
    adaptation: Option<Adaptation<'a>>,
    mtp3: Option<Mtp3Label>,
    sccp: Option<crate::message::SccpLayer<'a>>,
    sua_parties: Option<crate::message::SuaParties<'a>>,
    tcap: Option<TcapLayer<'a>>,
    gtp: Option<crate::message::GtpLayer<'a>>,
    tcp: Option<sigscope_capture::TcpSegment>,
}

/// The state one signal's walk needs.
struct Walk<'s> {
    opts: &'s Options,
    gtp: &'s mut GtpState,
    ss7: &'s mut Ss7State,
    tcp: &'s mut TcpProbes,
}

impl Walk<'_> {
    /// Walk one signalling payload; true when a message went to `out`.
    #[allow(clippy::too_many_arguments)]
    fn signal<'a>(
        &mut self,
        pkt: &Packet<'_>,
        sig: &Signal<'a>,
        frame_anoms: &mut Anomalies,
        out: &mut dyn FnMut(&Message<'_>),
        reasm: &'a mut Option<sigscope_sccp::bytes::Bytes>,
        comps: &mut Vec<Component<'a>>,
        entries: &mut Vec<MapEntry<'a>>,
    ) -> bool {
        let endpoints = match (sig.src, sig.dst) {
            (Some(src), Some(dst)) => Some(Endpoints {
                src,
                dst,
                sport: sig.sport,
                dport: sig.dport,
            }),
            _ => None,
        };
        let ts = pkt.ts_nanos;
        self.ss7.reassembler.clear_completed();
        // the probe a TCP beacon answers (its frame and time), when there is one
        let mut probe: Option<(u64, u64)> = None;
        let mut an = MsgAnomalies::new();
        let mut msg = Layers::default();
        let upper: Option<Upper>;
        match sig.transport {
            Transport::Udp => {
                let Some(g) = gtp_step(
                    &mut msg.gtp,
                    self.gtp,
                    sig.data,
                    endpoints,
                    sig.sport,
                    sig.dport,
                    ts,
                ) else {
                    return false;
                };
                an.take(frame_anoms, 0, Layer::Capture);
                *frame_anoms = Anomalies::new();
                g.anomalies(&mut an);
                upper = Some(g.upper());
            }
            Transport::Tcp(seg) => {
                // only segments no stack sends become messages: records of ordinary TCP
                // traffic (none are written today) stay as they are; a probe (a SYN, an ACK,
                // a segment with data: anything but a reset) is remembered for the answer
                // that may name it
                if !seg.urgent_pointer_without_urg() {
                    if !seg.has(sigscope_capture::TcpSegment::RST) {
                        let key = TcpProbes::key(sig.src, sig.dst, sig.sport, sig.dport);
                        self.tcp.remember(key, pkt.frame, ts);
                        // GTP' to or from a charging gateway over TCP
                        let prime = sigscope_gtp::PORT_PRIME;
                        if !sig.data.is_empty() && (sig.sport == prime || sig.dport == prime) {
                            return self.tcp_gtp(pkt, sig, seg, key, endpoints, frame_anoms, out);
                        }
                    }
                    return false;
                }
                let key = TcpProbes::key(sig.dst, sig.src, sig.dport, sig.sport);
                probe = self.tcp.answered(key, ts);
                an.take(frame_anoms, 0, Layer::Capture);
                *frame_anoms = Anomalies::new();
                upper = None;
                msg.tcp = Some(seg);
            }
            Transport::Mtp3 => {
                an.take(frame_anoms, 0, Layer::Capture);
                *frame_anoms = Anomalies::new();
                upper = None;
                let peer = peer_of(sig);
                self.mtp3_in(
                    sig.data,
                    peer,
                    (pkt.frame, ts),
                    &mut msg,
                    &mut an,
                    reasm,
                    comps,
                    entries,
                );
            }
            Transport::Sctp {
                ppid,
                stream,
                ssn,
                tsn,
                reassembled,
                ..
            } => {
                let kind = adaptation(ppid, sig.sport, sig.dport);
                // SCTP that is no signalling layer is not ours to report, unless its PPID is
                // one no protocol has (opaque data over SCTP), or another protocol's on a
                // SIGTRAN port (what an association of signalling should not carry): those
                // are reported bare
                let other = kind.is_none() && ppid.0 <= MAX_ASSIGNED_PPID;
                let foreign = other && on_sigtran_port(sig.sport, sig.dport);
                if other && !foreign {
                    return false;
                }
                an.take(frame_anoms, 0, Layer::Capture);
                *frame_anoms = Anomalies::new();
                upper = kind.map(AdaptationKind::upper);
                msg.sctp = Some(SctpInfo {
                    ppid,
                    stream,
                    ssn,
                    tsn,
                    reassembled,
                });
                let Some(kind) = kind else {
                    let (code, detail) = if foreign {
                        (
                            AnomalyCode::PpidOtherProtocol,
                            "SCTP PPID of another protocol on a SIGTRAN port: not decoded",
                        )
                    } else {
                        (
                            AnomalyCode::PpidUnassigned,
                            "SCTP PPID no protocol is assigned, on no SIGTRAN port: not decoded",
                        )
                    };
                    an.push(
                        Anomaly::new(Layer::Sctp, code, 0, detail).with_value(u64::from(ppid.0)),
                    );
                    return self.emit_bare(pkt, sig, endpoints, msg.sctp, upper, &mut an, out);
                };
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
                    an.push(
                        Anomaly::new(Layer::Sctp, code, 0, detail).with_value(u64::from(ppid.0)),
                    );
                }
                let peer = peer_of(sig);
                let mut a = Anomalies::new();
                match kind {
                    AdaptationKind::M3ua => match m3ua::parse(sig.data, &mut a) {
                        Ok(m) => {
                            an.take(&a, 0, Layer::M3ua);
                            if let Some(pd) = m.protocol_data {
                                // The Protocol Data is the MTP3 routing label carried over IP.
                                msg.mtp3 = Some(Mtp3Label {
                                    opc: pd.opc,
                                    dpc: pd.dpc,
                                    si: pd.si,
                                    ni: pd.ni,
                                    sls: pd.sls,
                                });
                                if pd.si == mtp3::ServiceIndicator::SCCP.0 {
                                    let ctx = SccpCtx {
                                        pc_format: pc_format(self.opts.mtp3),
                                        opc: pd.opc,
                                        dpc: pd.dpc,
                                        peer,
                                        ts_nanos: ts,
                                        frame: pkt.frame,
                                    };
                                    sccp_step(
                                        self.ss7,
                                        pd.user_data,
                                        &ctx,
                                        reasm,
                                        comps,
                                        entries,
                                        &mut an,
                                        (&mut msg.sccp, &mut msg.tcap),
                                    );
                                }
                            }
                            msg.adaptation = Some(Adaptation::M3ua(m));
                        }
                        Err(e) => {
                            an.take(&a, 0, Layer::M3ua);
                            an.push(e.to_anomaly());
                        }
                    },
                    AdaptationKind::M2pa | AdaptationKind::M2ua => {
                        let parsed = if kind == AdaptationKind::M2pa {
                            // M2PA without user data is an acknowledgement: no MTP3
                            m2pa::parse_m2pa(sig.data, &mut a).map(|m| {
                                let mtp3 = Some(m.mtp3).filter(|d| !d.is_empty());
                                (mtp3, Adaptation::M2pa(m))
                            })
                        } else {
                            // M2UA Protocol Data present but empty is a truncated MTP3
                            m2pa::parse_m2ua(sig.data, &mut a)
                                .map(|m| (m.mtp3, Adaptation::M2ua(m)))
                        };
                        an.take(&a, 0, kind_layer(kind));
                        match parsed {
                            Ok((data, ad)) => {
                                msg.adaptation = Some(ad);
                                if let Some(data) = data {
                                    self.mtp3_in(
                                        data,
                                        peer,
                                        (pkt.frame, ts),
                                        &mut msg,
                                        &mut an,
                                        reasm,
                                        comps,
                                        entries,
                                    );
                                }
                            }
                            Err(e) => an.push(e.to_anomaly()),
                        }
                    }
                    AdaptationKind::Sua => match sua::parse(sig.data, &mut a) {
                        Ok(m) => {
                            an.take(&a, 0, Layer::Sua);
                            sua_step(
                                self.ss7,
                                &m,
                                &peer,
                                (pkt.frame, ts),
                                reasm,
                                comps,
                                entries,
                                &mut an,
                                &mut msg.tcap,
                            );
                            msg.sua_parties =
                                Some(crate::ss7::sua_parties(&m, &mut self.ss7.countries));
                            msg.adaptation = Some(Adaptation::Sua(m));
                        }
                        Err(e) => {
                            an.take(&a, 0, Layer::Sua);
                            an.push(e.to_anomaly());
                        }
                    },
                }
            }
        }
        let msg = Message {
            frame: pkt.frame,
            ts_nanos: pkt.ts_nanos,
            endpoints,
            path: Some(Path {
                encap: sig.path,
                upper,
            }),
            end_of_input: false,
            sctp: msg.sctp,
            adaptation: msg.adaptation.as_ref(),
            mtp3: msg.mtp3,
            sccp: msg.sccp.as_ref(),
            sua_parties: msg.sua_parties.as_ref(),
            tcap: msg.tcap.as_ref(),
            components: comps,
            map: entries,
            gtp: msg.gtp.as_ref(),
            tcp: msg.tcp,
            segments: match &probe {
                Some(p) => std::slice::from_ref(p),
                None => self.ss7.reassembler.completed(),
            },
            anomalies: an.finish(),
        };
        out(&msg);
        true
    }

    /// The GTP' messages a TCP segment completes (see [`crate::tcp_gtp`]), each decoded as
    /// a datagram on the GTP' port is and written as one message of the frame; true when one
    /// went to `out`. Out of line: rare.
    #[allow(clippy::too_many_arguments)]
    #[cold]
    #[inline(never)]
    fn tcp_gtp(
        &mut self,
        pkt: &Packet<'_>,
        sig: &Signal<'_>,
        seg: sigscope_capture::TcpSegment,
        key: u64,
        endpoints: Option<Endpoints>,
        frame_anoms: &mut Anomalies,
        out: &mut dyn FnMut(&Message<'_>),
    ) -> bool {
        let ts = pkt.ts_nanos;
        let mut sent = false;
        let gtp = &mut *self.gtp;
        // each message the segment completes, with the gap the segment shows on the first
        let left = self
            .tcp
            .streams
            .segment(key, seg.seq, sig.data, &mut |data, gap| {
                let mut slot = None;
                let Some(g) = gtp_step(&mut slot, gtp, data, endpoints, sig.sport, sig.dport, ts)
                else {
                    return;
                };
                let mut an = MsgAnomalies::new();
                an.take(frame_anoms, 0, Layer::Capture);
                *frame_anoms = Anomalies::new();
                if let Some(a) = gap {
                    an.push(a);
                }
                g.anomalies(&mut an);
                let msg = Message {
                    endpoints,
                    path: Some(Path {
                        encap: sig.path,
                        upper: Some(g.upper()),
                    }),
                    gtp: Some(g),
                    tcp: Some(seg),
                    anomalies: an.finish(),
                    ..Message::bare(pkt.frame, ts)
                };
                out(&msg);
                sent = true;
            });
        // a gap reported by no message (the segment completed none): reported on its own
        if let Some(a) = left {
            let mut an = MsgAnomalies::new();
            an.take(frame_anoms, 0, Layer::Capture);
            *frame_anoms = Anomalies::new();
            an.push(a);
            let msg = Message {
                endpoints,
                path: Some(Path {
                    encap: sig.path,
                    upper: Some(Upper::GtpPrime),
                }),
                tcp: Some(seg),
                anomalies: an.finish(),
                ..Message::bare(pkt.frame, ts)
            };
            out(&msg);
            sent = true;
        }
        sent
    }

    /// A message of no decoded layer: its transport and anomalies only.
    #[allow(clippy::too_many_arguments)]
    fn emit_bare(
        &self,
        pkt: &Packet<'_>,
        sig: &Signal<'_>,
        endpoints: Option<Endpoints>,
        sctp: Option<SctpInfo>,
        upper: Option<Upper>,
        an: &mut MsgAnomalies,
        out: &mut dyn FnMut(&Message<'_>),
    ) -> bool {
        let msg = Message {
            endpoints,
            path: Some(Path {
                encap: sig.path,
                upper,
            }),
            sctp,
            anomalies: an.finish(),
            ..Message::bare(pkt.frame, pkt.ts_nanos)
        };
        out(&msg);
        true
    }

    /// MTP3 carried by M2PA / M2UA: the label, and SCCP when SI = 3.
    #[allow(clippy::too_many_arguments)]
    fn mtp3_in<'a>(
        &mut self,
        data: &'a [u8],
        peer: crate::ss7::Peer,
        (frame, ts): (u64, u64),
        msg: &mut Layers<'a>,
        an: &mut MsgAnomalies,
        reasm: &'a mut Option<sigscope_sccp::bytes::Bytes>,
        comps: &mut Vec<Component<'a>>,
        entries: &mut Vec<MapEntry<'a>>,
    ) {
        let mut a = Anomalies::new();
        match mtp3::parse(data, self.opts.mtp3, &mut a) {
            Ok(m) => {
                an.take(&a, 0, Layer::Mtp3);
                msg.mtp3 = Some(Mtp3Label {
                    opc: m.opc,
                    dpc: m.dpc,
                    si: m.si.0,
                    ni: m.ni,
                    sls: m.sls,
                });
                if m.si == mtp3::ServiceIndicator::SCCP {
                    let ctx = SccpCtx {
                        pc_format: pc_format(self.opts.mtp3),
                        opc: m.opc,
                        dpc: m.dpc,
                        peer,
                        ts_nanos: ts,
                        frame,
                    };
                    sccp_step(
                        self.ss7,
                        m.payload,
                        &ctx,
                        reasm,
                        comps,
                        entries,
                        an,
                        (&mut msg.sccp, &mut msg.tcap),
                    );
                }
            }
            Err(e) => {
                an.take(&a, 0, Layer::Mtp3);
                an.push(e.to_anomaly());
            }
        }
    }
}

const fn kind_layer(k: AdaptationKind) -> Layer {
    match k {
        AdaptationKind::M3ua => Layer::M3ua,
        AdaptationKind::M2pa => Layer::M2pa,
        AdaptationKind::M2ua => Layer::M2ua,
        AdaptationKind::Sua => Layer::Sua,
    }
}

fn peer_of(sig: &Signal<'_>) -> crate::ss7::Peer {
    crate::ss7::Peer {
        src: sig.src,
        dst: sig.dst,
        sport: sig.sport,
        dport: sig.dport,
    }
}

/// A 64-bit key of anything hashable (foldhash with a seed drawn once per process: stable
/// within a run, not predictable by a sender).
pub(crate) fn hash_key(v: &impl Hash) -> u64 {
    static STATE: std::sync::OnceLock<foldhash::quality::RandomState> = std::sync::OnceLock::new();
    STATE.get_or_init(Default::default).hash_one(v)
}
