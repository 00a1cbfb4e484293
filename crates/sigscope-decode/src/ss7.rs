//! The SS7 part of the walk: SCCP (with XUDT/LUDT reassembly) → TCAP (with transaction
//! matching) → MAP (with the dialogue's version). The protocol decisions are the crates':
//! [`UserData::classify`] (is the user data TCAP?), [`MapVersions`], [`MapEntry::of`],
//! [`Matcher`]. Anomalies are layer `sccp` / `tcap` / `map` with offsets relative to the SCCP
//! payload (TCAP offsets shifted by the data parameter's offset; for reassembled TCAP they are
//! relative to the reassembled user data).

use std::net::IpAddr;

use sigscope_core::e164::CountryMemo;
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};
use sigscope_map::{MapDialogue, MapEntry, MapVersions};
use sigscope_sccp::bytes::Bytes;
use sigscope_sccp::{
    Address, AddressLayout, GlobalTitle, Message as SccpMessage, NatureOfAddress, NumberingPlan,
    PcFormat, Reassembler, RoutingIndicator, Scmg, SegmentKey, SegmentOutcome, Segmentation, Ssn,
};
use sigscope_sigtran::sua::{SuaAddress, SuaMessage};
use sigscope_tcap::{Component, Matcher, MessageType, Tcap, UserData, MAX_COMPONENTS};

use crate::anomalies::MsgAnomalies;
use crate::decoder::hash_key;
use crate::message::{Party, SccpLayer, SuaParties, TcapLayer};

/// Most MAP entries one message carries (one per Invoke / ReturnResult / ReturnError); more
/// are reported as `limit_reached`.
pub const MAX_MAP_ENTRIES: usize = 32;

/// Per-capture SS7 state: XUDT/LUDT reassembler, TCAP transaction matcher, MAP versions.
#[derive(Default)]
pub struct Ss7State {
    /// Segment reassembly.
    pub reassembler: Reassembler,
    /// TCAP transaction matching.
    pub matcher: Matcher,
    /// MAP version of open dialogues.
    pub map_versions: MapVersions,
    /// Countries of recent global titles.
    pub countries: CountryMemo,
}

/// The endpoints of a signalling message (absent addresses on MTP link types).
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

/// A direction-independent key for the two endpoints and the point-code pair.
pub fn peer_key(peer: &Peer, opc: u32, dpc: u32) -> u64 {
    let a = (end_bits(peer.src), peer.sport);
    let b = (end_bits(peer.dst), peer.dport);
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let (p, q) = if opc <= dpc { (opc, dpc) } else { (dpc, opc) };
    // one fixed-size value hashed at once (hashing the addresses field by field cost more than
    // the rest of the key)
    let ports_pcs = (u64::from(a.1) << 48) | (u64::from(b.1) << 32) | u64::from(p);
    let kinds_pc = (u64::from(a.0 .0) << 40) | (u64::from(b.0 .0) << 32) | u64::from(q);
    hash_key(&(a.0 .1, b.0 .1, ports_pcs, kinds_pc))
}

/// An end's address as a kind (0 none, 4, 6) and one number.
fn end_bits(ip: Option<IpAddr>) -> (u8, u128) {
    match ip {
        None => (0, 0),
        Some(IpAddr::V4(a)) => (4, u128::from(u32::from(a))),
        Some(IpAddr::V6(a)) => (6, u128::from(a)),
    }
}

/// What [`sccp_step`] needs besides the payload.
pub struct SccpCtx {
    /// Point-code format (from the MTP3 variant).
    pub pc_format: PcFormat,
    /// MTP3 / M3UA originating point code.
    pub opc: u32,
    /// MTP3 / M3UA destination point code.
    pub dpc: u32,
    /// The IP ends.
    pub peer: Peer,
    /// Capture time in nanoseconds.
    pub ts_nanos: u64,
    /// Frame number.
    pub frame: u64,
}

/// A party decoded where it stays: `decode` fills the address in `slot` (false when there is
/// none); the global title's digits and country follow into the same slot. Built in place, not
/// returned and moved: a copy of fields written a moment before waits on store forwarding.
fn party_into<'a>(
    slot: &mut Option<Party<'a>>,
    countries: &mut CountryMemo,
    decode: impl FnOnce(&mut Address<'a>) -> bool,
) {
    let p = slot.insert(Party {
        address: Address::EMPTY,
        digits: None,
        country: None,
    });
    if !decode(&mut p.address) {
        *slot = None;
        return;
    }
    if let Some(gt) = &p.address.gt {
        let d = p.digits.insert(sigscope_core::digits::Digits::EMPTY);
        gt.digits_into(d);
        p.country = gt.country_of_digits_with(d, countries);
    }
}

/// SUA routing indicator "route on global title" (RFC 3868 3.10.2; 2 is SSN + PC, 3
/// hostname, 4 SSN + IP: all route on something other than the title).
const SUA_ROUTE_ON_GT: u16 = 1;

/// The source and destination addresses of a SUA message as SCCP parties, their titles'
/// digits and countries worked out as an SCCP title's are: SUA carries SCCP's user data
/// between the same parties, and every detector reads them through one view.
pub fn sua_parties<'a>(m: &SuaMessage<'a>, countries: &mut CountryMemo) -> SuaParties<'a> {
    SuaParties {
        calling: m.source.map(|a| sua_party(&a, m.source_raw, countries)),
        called: m
            .destination
            .map(|a| sua_party(&a, m.destination_raw, countries)),
    }
}

/// One SUA address (`raw`: its parameter's value) as an SCCP party.
fn sua_party<'a>(a: &SuaAddress, raw: &'a [u8], countries: &mut CountryMemo) -> Party<'a> {
    let gt = a.gt.map(|g| {
        let (signals, n) = sigscope_sigtran::sua::global_title_signals(raw).unwrap_or((&[], 0));
        GlobalTitle {
            gti: g.gti,
            layout: AddressLayout::Itu,
            tt: Some(g.tt),
            np: Some(NumberingPlan(g.np)),
            es: None,
            nai: Some(NatureOfAddress(g.nai)),
            odd: n % 2 == 1,
            signals,
            signals_offset: 0,
        }
    });
    let digits = a.gt.map(|g| g.digits);
    let country = match (&gt, &digits) {
        (Some(t), Some(d)) => t.country_of_digits_with(d, countries),
        _ => None,
    };
    Party {
        address: Address {
            raw,
            layout: AddressLayout::Itu,
            indicator: 0,
            national: false,
            routing: if a.routing_indicator == SUA_ROUTE_ON_GT {
                RoutingIndicator::Gt
            } else {
                RoutingIndicator::Ssn
            },
            gti: a.gt.map_or(0, |g| g.gti),
            pc: a.pc,
            ssn: a.ssn.map(Ssn),
            gt,
        },
        digits,
        country,
    }
}

/// `gt_digits_too_long` (out of line: never on real traffic).
#[cold]
#[inline(never)]
fn title_too_long(an: &mut Anomalies, n: usize, offset: usize) {
    an.push(
        Anomaly::new(
            Layer::Sccp,
            AnomalyCode::GtDigitsTooLong,
            offset,
            "global title of more digits than any numbering plan (value: how many)",
        )
        .with_value(n as u64),
    );
}

/// Decode SCCP `payload`, reassemble segments (the whole user data is kept in `reasm`), and
/// when the user data is TCAP decode it too.
#[allow(clippy::too_many_arguments)]
pub fn sccp_step<'a>(
    st: &mut Ss7State,
    payload: &'a [u8],
    ctx: &SccpCtx,
    reasm: &'a mut Option<Bytes>,
    comps: &mut Vec<Component<'a>>,
    entries: &mut Vec<MapEntry<'a>>,
    out: &mut MsgAnomalies,
    layers: (&mut Option<SccpLayer<'a>>, &mut Option<TcapLayer<'a>>),
) {
    let (sccp_slot, tcap_slot) = layers;
    let mut an = Anomalies::new();
    let m = match SccpMessage::decode(payload, &mut an) {
        Ok(m) => m,
        Err(e) => {
            out.take(&an, 0, Layer::Sccp);
            out.push(e.to_anomaly());
            return;
        }
    };
    // the layer is written where it stays, its parties decoded into it (not built and moved)
    let SccpLayer {
        called,
        calling,
        reassembled_len,
        scmg,
        ..
    } = sccp_slot.insert(SccpLayer {
        msg: m,
        called: None,
        calling: None,
        reassembled_len: None,
        scmg: None,
    });
    party_into(called, &mut st.countries, |a| {
        m.called_address_into(ctx.pc_format, &mut an, a)
    });
    party_into(calling, &mut st.countries, |a| {
        m.calling_address_into(ctx.pc_format, &mut an, a)
    });
    // a title longer than any numbering plan, counted from its address signals (read
    // already, not the digits just written)
    for (p, at) in [(&*called, m.called), (&*calling, m.calling)] {
        if let Some(g) = p.as_ref().and_then(|p| p.address.gt.as_ref()) {
            let n = (g.signals.len() * 2).saturating_sub(usize::from(g.odd));
            if n > sigscope_core::digits::MAX_TITLE_DIGITS {
                title_too_long(&mut an, n, at.map_or(0, |a| a.offset));
            }
        }
    }
    let called_ssn = called.as_ref().and_then(Party::ssn);
    let calling_ssn = calling.as_ref().and_then(Party::ssn);
    let data = m.data;
    // User data, reassembled when segmented.
    let mut user: Option<&'a [u8]> = data.map(|d| d.value);
    let mut shift = data.map_or(0, |d| d.offset);
    if let (Some(seg), Some(d)) = (m.segmentation, data) {
        if !seg.is_single() {
            let key = SegmentKey {
                opc: ctx.opc,
                dpc: ctx.dpc,
                called: m.called.map_or(&[][..], |p| p.value),
                calling: m.calling.map_or(&[][..], |p| p.value),
                local_ref: seg.local_ref,
            };
            match st.reassembler.push_at(
                &key,
                seg,
                d.value,
                m.segmentation_offset,
                (ctx.frame, ctx.ts_nanos),
                &mut an,
            ) {
                SegmentOutcome::Complete(b) => {
                    *reassembled_len = Some(b.len());
                    *reasm = Some(b);
                    shift = 0;
                    user = None;
                }
                SegmentOutcome::Pending | SegmentOutcome::Dropped => user = None,
            }
        }
    }
    let reasm: &'a Option<Bytes> = reasm;
    if reassembled_len.is_some() {
        user = reasm.as_deref();
    }
    if let Some(u) = user.filter(|u| u.len() > sigscope_sccp::MAX_USER_DATA) {
        an.push(
            Anomaly::new(
                Layer::Sccp,
                AnomalyCode::UserDataTooLong,
                shift,
                "user data longer than SCCP carries (3,952 octets)",
            )
            .with_value(u.len() as u64),
        );
    }
    let kind = user.map(|u| UserData::classify(called_ssn, calling_ssn, u));
    if let (Some(UserData::Scmg), Some(u)) = (kind, user) {
        match Scmg::parse(u, ctx.pc_format) {
            Ok(s) => *scmg = Some(s),
            Err(_) => an.push(Anomaly::new(
                Layer::Sccp,
                AnomalyCode::ScmgTruncated,
                shift,
                "SCCP management message too short",
            )),
        }
    }
    if let Some(a) = kind.and_then(|k| k.anomaly(shift)) {
        an.push(a);
    }
    out.take(&an, 0, Layer::Sccp);
    if let (Some(UserData::Tcap), Some(u)) = (kind, user) {
        let key = peer_key(&ctx.peer, ctx.opc, ctx.dpc);
        tcap_step(
            st,
            u,
            shift,
            key,
            (called_ssn, calling_ssn),
            ctx.ts_nanos,
            comps,
            entries,
            out,
            tcap_slot,
        );
    }
}

/// SUA connectionless data: segments reassembled as SCCP's are (SUA carries SCCP's
/// segmentation), the user data classified by the addresses' SSNs as SCCP's is, and TCAP
/// decoded. Offsets are relative to the Data parameter's value (to the reassembled data once
/// a segmented message completes); segmentation anomalies point at the SUA parameter.
#[allow(clippy::too_many_arguments)]
pub fn sua_step<'a>(
    st: &mut Ss7State,
    m: &SuaMessage<'a>,
    peer: &Peer,
    (frame, ts_nanos): (u64, u64),
    reasm: &'a mut Option<Bytes>,
    comps: &mut Vec<Component<'a>>,
    entries: &mut Vec<MapEntry<'a>>,
    out: &mut MsgAnomalies,
    tcap_slot: &mut Option<TcapLayer<'a>>,
) {
    let Some(data) = m.data else {
        return;
    };
    let mut an = Anomalies::new();
    // user data, reassembled when segmented
    let user: Option<&'a [u8]> = match m.segmentation.filter(|s| !s.is_single()) {
        None => Some(data),
        Some(seg) if usize::from(seg.remaining) >= sigscope_sccp::reassembly::MAX_SEGMENTS => {
            an.push(
                Anomaly::new(
                    Layer::Sccp,
                    AnomalyCode::SegmentInconsistent,
                    m.segmentation_offset,
                    "SUA remaining segments above the fifteen SCCP allows",
                )
                .with_value(u64::from(seg.remaining)),
            );
            None
        }
        Some(seg) => {
            let key = SegmentKey {
                opc: m.routing_context.unwrap_or(0),
                dpc: 0,
                called: m.destination_raw,
                calling: m.source_raw,
                local_ref: seg.reference,
            };
            let s = Segmentation {
                first: seg.first,
                in_sequence: false,
                remaining: seg.remaining,
                spare: 0,
                local_ref: seg.reference,
            };
            let at = (frame, ts_nanos);
            match st
                .reassembler
                .push_at(&key, s, data, m.segmentation_offset, at, &mut an)
            {
                SegmentOutcome::Complete(b) => {
                    let whole: &'a Bytes = reasm.insert(b);
                    Some(whole)
                }
                SegmentOutcome::Pending | SegmentOutcome::Dropped => None,
            }
        }
    };
    let Some(u) = user else {
        out.take(&an, 0, Layer::Sccp);
        return;
    };
    let called = m.destination.and_then(|a| a.ssn).map(Ssn);
    let calling = m.source.and_then(|a| a.ssn).map(Ssn);
    let kind = UserData::classify(called, calling, u);
    if let Some(a) = kind.anomaly(0) {
        an.push(a);
    }
    out.take(&an, 0, Layer::Sccp);
    if kind == UserData::Tcap {
        let key = peer_key(peer, 0, 0);
        tcap_step(
            st,
            u,
            0,
            key,
            (None, None),
            ts_nanos,
            comps,
            entries,
            out,
            tcap_slot,
        );
    }
}

/// Decode TCAP `data` (anomaly offsets shifted by `shift`), match its transaction, and read
/// the components of a MAP dialogue as MAP entries. `ssns` are the called and calling SSNs
/// (`None` from SUA).
#[allow(clippy::too_many_arguments)]
pub fn tcap_step<'a>(
    st: &mut Ss7State,
    data: &'a [u8],
    shift: usize,
    peer: u64,
    ssns: (Option<Ssn>, Option<Ssn>),
    ts_nanos: u64,
    comps: &mut Vec<Component<'a>>,
    entries: &mut Vec<MapEntry<'a>>,
    out: &mut MsgAnomalies,
    slot: &mut Option<TcapLayer<'a>>,
) {
    let first = out.len();
    let mut an = Anomalies::new();
    let t = match Tcap::decode(data, &mut an) {
        Ok(t) => t,
        Err(e) => {
            out.push(e.to_anomaly());
            out.shift_from(first, shift);
            return;
        }
    };
    for r in t.components() {
        match r {
            Ok(c) => {
                c.check(&mut an);
                if comps.len() >= MAX_COMPONENTS {
                    an.push(Anomaly::new(
                        Layer::Tcap,
                        AnomalyCode::LimitReached,
                        c.offset,
                        "more components than one message keeps",
                    ));
                    break;
                }
                comps.push(c);
            }
            Err(e) => an.push(Anomaly::new(
                Layer::Tcap,
                AnomalyCode::ComponentInvalid,
                e.offset(),
                "component breaks BER or Q.773 structure",
            )),
        }
    }
    // the layer is written where it stays, its parts decoded into it (not built and moved)
    let TcapLayer {
        tcap: t,
        dialogue,
        map_dialogue,
        since_begin_nanos,
        map_version,
        ..
    } = slot.insert(TcapLayer {
        tcap: t,
        dialogue: None,
        map_dialogue: None,
        since_begin_nanos: None,
        map_version: None,
        peer_key: peer,
    });
    if let Tcap::Itu(m) = &*t {
        *dialogue = m.dialogue(&mut an);
        if let Some(u) = dialogue.as_ref().and_then(|d| d.user_info) {
            let mut man = Anomalies::new();
            *map_dialogue = MapDialogue::decode(u, &mut man);
            let at = dialogue.as_ref().map_or(0, |d| d.offset);
            out.take(&man, at, Layer::Map);
        }
        *map_version = st
            .map_versions
            .version(m, dialogue.as_ref(), peer, ssns, out);
        if let Some(version) = *map_version {
            for c in comps.iter() {
                let pending = || {
                    let dtid = m.dtid?;
                    st.matcher.pending_opcode(peer, &dtid, c.invoke_id?)
                };
                // the entry goes into its place first and its parameter is decoded there
                // (the typed parameter is large: it is not moved once decoded)
                if let Some(e) = MapEntry::header(c, version, pending) {
                    if entries.len() >= MAX_MAP_ENTRIES {
                        out.push(Anomaly::new(
                            Layer::Map,
                            AnomalyCode::LimitReached,
                            c.offset,
                            "more MAP components than one message keeps",
                        ));
                        break;
                    }
                    entries.push(e);
                    if let Some(last) = entries.last_mut() {
                        last.decode_param(c, out);
                    }
                }
            }
        }
        let obs = st.matcher.observe_parsed(m, comps, peer, ts_nanos, &mut an);
        *since_begin_nanos = obs
            .since_begin_nanos
            .filter(|_| obs.matched && m.msg_type != MessageType::BEGIN);
    }
    out.take(&an, 0, Layer::Tcap);
    out.shift_from(first, shift);
}
