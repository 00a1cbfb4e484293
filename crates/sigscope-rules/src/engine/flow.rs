//! Flows: the exchange a message belongs to (a TCAP transaction, GTP traffic between two
//! peers, an SCTP association, an IP pair), named by a stable `flow_id`, and the tagging of
//! a flagged flow's other messages so that an analyst gets the attacker's whole exchange —
//! the request before the alert, the victim's responses after it — and not one message.
//!
//! Nothing here is computed per message unless a flow is flagged: what names a message's flow
//! is copied out of it as it came ([`Wire`]: no ordering, no hashing) into a small ring of
//! recent messages; it is put in order ([`FlowParts`]) and hashed only when an alert fires,
//! or for a message whose flow may be flagged.

use std::hash::Hash;
use std::net::IpAddr;

use foldhash::HashMap;
use sigscope_decode::{Endpoints, Message};
use sigscope_tcap::Tcap;

use crate::alert::SigRef;

/// Recent messages remembered (their flow parts only) so that the messages of a flow that
/// came before its first alert can be reported with it: the request a flagged answer
/// answers, the dialogues of the earlier pieces or lookups a finding names (a few hundred
/// messages back on a quiet link). The ring is read when something is found, and for each
/// tagged Echo (the request it answers).
pub const RECENT_MESSAGES: usize = 512;
/// Most flow keys flagged at once (a full table is emptied, counted as a state reset).
pub const MAX_FLAGGED_KEYS: usize = 16_384;
/// `flow_id` values are kept below 2^52 so that every JSON reader holds them exactly.
const FLOW_ID_MASK: u64 = (1 << 52) - 1;
/// Fixed seed of flow hashes: the same capture gives the same `flow_id`s on every run.
const FLOW_SEED: u64 = 0x5167_5c0b_e000_f10f;
/// Bits of a [`Filter`] (it holds `1 << FILTER_BITS` bits: 512 octets, read on every
/// message while something is in it, stay in the data cache).
const FILTER_BITS: u32 = 12;
/// Words of a [`Filter`].
const FILTER_WORDS: usize = (1 << FILTER_BITS) / u64::BITS as usize;
/// Odd multiplier spreading a value over a [`Filter`].
const FILTER_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// A one-hash bit filter of values (flagged flows' ends, named attackers, harvesting
/// titles): a clear bit means no value of it was set since the last clear, so the table
/// behind it need not be looked up.
#[derive(Debug)]
pub struct Filter(Vec<u64>);

impl Default for Filter {
    fn default() -> Self {
        Filter(vec![0; FILTER_WORDS])
    }
}

impl Filter {
    /// The bit of value `v`: a multiplication and a shift.
    #[inline]
    pub fn bit(v: u64) -> usize {
        (v.wrapping_mul(FILTER_MULTIPLIER) >> (u64::BITS - FILTER_BITS)) as usize
    }

    /// Set bit `b` ([`Filter::bit`]).
    pub fn set_bit(&mut self, b: usize) {
        if let Some(w) = self.0.get_mut(b / 64) {
            *w |= 1 << (b % 64);
        }
    }

    /// Whether bit `b` is set.
    #[inline]
    pub fn has_bit(&self, b: usize) -> bool {
        self.0.get(b / 64).is_some_and(|w| w & (1 << (b % 64)) != 0)
    }

    /// Set the bit of value `v`.
    pub fn set(&mut self, v: u64) {
        self.set_bit(Self::bit(v));
    }

    /// Whether the bit of value `v` is set (it may have been set by another value).
    #[inline]
    pub fn may_hold(&self, v: u64) -> bool {
        self.has_bit(Self::bit(v))
    }

    /// Clear every bit.
    pub fn clear(&mut self) {
        self.0.fill(0);
    }
}

/// What kind of exchange a flow is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlowKind {
    /// One TCAP transaction (both transaction ids) between the same peers.
    Tcap,
    /// GTP between two addresses (control plane, and user plane that is no IP).
    Gtp,
    /// GTP path management between two addresses: Echo Requests and Responses (the channel
    /// GTPDOOR and Echo beacons use, apart from the sessions the peers carry).
    GtpPath,
    /// One tunnel's traffic: GTP-U between two peers carrying IP between two inner
    /// addresses (a subscriber and a server, both directions). A message of the tunnel (as
    /// one of an Echo path) is found by the flag of its peers' GTP flow too, but flagging the
    /// tunnel does not flag its peers' other tunnels (other subscribers').
    Tunnel,
    /// One SCTP association (addresses and ports).
    Sctp,
    /// Anything else between two addresses.
    Ip,
}

impl FlowKind {
    /// The name evidence uses.
    pub const fn name(self) -> &'static str {
        match self {
            FlowKind::Tcap => "tcap_transaction",
            FlowKind::Gtp => "gtp_peers",
            FlowKind::GtpPath => "gtp_path",
            FlowKind::Tunnel => "gtpu_tunnel",
            FlowKind::Sctp => "sctp_association",
            FlowKind::Ip => "ip_pair",
        }
    }
}

/// One round of a 64-bit finaliser (splitmix64's).
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A transaction id as a value: its first four octets and its length.
pub(super) type Tid = (u32, u8);

/// What names a message's flow, copied out of the message (nothing hashed yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowParts {
    kind: FlowKind,
    /// The two ends in a direction-independent order (address, port).
    a: (Option<IpAddr>, u16),
    b: (Option<IpAddr>, u16),
    /// The point codes in a direction-independent order (0 without MTP3).
    pcs: (u32, u32),
    /// Originating and destination transaction ids (TCAP): their values, and their lengths
    /// plus one (0: no id), so that a message's parts stay small in the ring of recent ones.
    tids: [u32; 2],
    tid_lens: [u16; 2],
}

pub(super) fn tid(t: Option<sigscope_tcap::TransactionId<'_>>) -> Option<Tid> {
    t.map(|t| (t.value(), t.0.len().min(usize::from(u8::MAX)) as u8))
}

/// A transaction id as stored in [`FlowParts`] (value, length plus one; 0 without one).
fn stored(t: Option<Tid>) -> (u32, u16) {
    t.map_or((0, 0), |(v, l)| (v, u16::from(l) + 1))
}

/// A transaction id back from its stored form.
fn loaded(v: u32, l: u16) -> Option<Tid> {
    (l != 0).then(|| (v, (l - 1) as u8))
}

/// What names a message's flow, copied out of the message as it came (source first):
/// [`Wire::parts`] puts it in order when the flow is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wire {
    kind: FlowKind,
    endpoints: Option<Endpoints>,
    /// Originating and destination point codes as they came (0 without MTP3).
    pcs: (u32, u32),
    /// Transaction ids as [`FlowParts`] stores them.
    tids: [u32; 2],
    tid_lens: [u16; 2],
}

/// MTP3 service indicator of ISUP (Q.704 14.2.1).
const SI_ISUP: u8 = 5;
/// Bits of an ITU ISUP circuit identification code (Q.763 1.2; the first two octets of the
/// message, least significant first).
const ISUP_CIC_MASK: u16 = 0x0fff;

/// The MTP3 user of a message on an SCTP association: service indicator + 1 (0 without
/// MTP3), and for ISUP carried by M3UA its circuit (CIC + 1).
fn mtp3_user(m: &Message<'_>) -> [u32; 2] {
    let Some(label) = m.mtp3 else {
        return [0, 0];
    };
    let cic = match m.adaptation {
        Some(sigscope_decode::Adaptation::M3ua(x)) if label.si == SI_ISUP => x
            .protocol_data
            .and_then(|pd| pd.user_data.first_chunk::<2>())
            .map_or(0, |c| u32::from(u16::from_le_bytes(*c) & ISUP_CIC_MASK) + 1),
        _ => 0,
    };
    [u32::from(label.si) + 1, cic]
}

impl Wire {
    /// What names the flow of a message.
    pub fn of(m: &Message<'_>) -> Wire {
        let (otid, dtid) = match m.tcap.map(|t| &t.tcap) {
            Some(Tcap::Itu(t)) => (tid(t.otid), tid(t.dtid)),
            Some(Tcap::Ansi(t)) => (tid(t.otid), tid(t.rtid)),
            None => (None, None),
        };
        let inner = m.gtp.and_then(|g| match &g.decoded.message {
            sigscope_gtp::Message::V1(x) if x.is_gpdu() => inner_ends(x.body()),
            _ => None,
        });
        let mut echo = None;
        let kind = if otid.is_some() || dtid.is_some() {
            FlowKind::Tcap
        } else if inner.is_some() {
            FlowKind::Tunnel
        } else if let Some(g) = m.gtp {
            let ty = g.decoded.message.message_type();
            if ty == ECHO_REQUEST || ty == ECHO_RESPONSE {
                echo = Some(echo_shape(g));
                FlowKind::GtpPath
            } else {
                FlowKind::Gtp
            }
        } else if m.sctp.is_some() {
            FlowKind::Sctp
        } else {
            FlowKind::Ip
        };
        let (o, ol) = stored(otid);
        let (d, dl) = stored(dtid);
        // a tunnel's inner addresses take the place of transaction ids (a message has one
        // or the other)
        let (tids, tid_lens) = match (inner, echo) {
            (Some((a, b)), _) => ([a, b], [0, 0]),
            // an Echo's shape and its transaction (sequence number + 1) take their place
            (None, Some(shape)) => (shape, [0, 0]),
            // SIGTRAN that is no TCAP: its MTP3 user (and an ISUP message's circuit) take
            // the place of transaction ids, so that carriage flagged under one service
            // indicator or circuit does not flag the calls and management on the link
            (None, None) if kind == FlowKind::Sctp => (mtp3_user(m), [0, 0]),
            (None, None) => ([o, d], [ol, dl]),
        };
        Wire {
            kind,
            endpoints: m.endpoints,
            pcs: m.mtp3.map_or((0, 0), |l| (l.opc, l.dpc)),
            tids,
            tid_lens,
        }
    }

    /// The wire the other segments of a segmented SCCP message travelled (the flow
    /// [`Wire::of`] gives a segment, which carries no TCAP until the message completes).
    pub fn of_segments(m: &Message<'_>) -> Wire {
        let (kind, tids) = if m.sctp.is_some() {
            (FlowKind::Sctp, mtp3_user(m))
        } else {
            (FlowKind::Ip, [0, 0])
        };
        Wire {
            kind,
            endpoints: m.endpoints,
            pcs: m.mtp3.map_or((0, 0), |l| (l.opc, l.dpc)),
            tids,
            tid_lens: [0, 0],
        }
    }

    /// What kind of flow.
    pub const fn kind(&self) -> FlowKind {
        self.kind
    }

    /// The flow's parts: its ends (and point codes) in a direction-independent order.
    pub fn parts(&self) -> FlowParts {
        // GTP peers are named by their addresses alone (requests come from any port)
        let ports = !matches!(
            self.kind,
            FlowKind::Gtp | FlowKind::GtpPath | FlowKind::Tunnel
        );
        // a tunnel's inner addresses in either direction
        let tids = match (self.kind, self.tids) {
            (FlowKind::Tunnel, [a, b]) => [a.min(b), a.max(b)],
            (_, t) => t,
        };
        let (a, b) = match &self.endpoints {
            Some(e) => {
                let (sp, dp) = if ports { (e.sport, e.dport) } else { (0, 0) };
                if (e.src, sp) <= (e.dst, dp) {
                    ((Some(e.src), sp), (Some(e.dst), dp))
                } else {
                    ((Some(e.dst), dp), (Some(e.src), sp))
                }
            }
            None => ((None, 0), (None, 0)),
        };
        let (opc, dpc) = self.pcs;
        FlowParts {
            kind: self.kind,
            a,
            b,
            pcs: (opc.min(dpc), opc.max(dpc)),
            tids,
            tid_lens: self.tid_lens,
        }
    }

    /// [`Wire::ends_bit`] of the wire of `m` ([`Wire::of`]), read from the message itself:
    /// the wire, copied out a moment before, read back at once would stall on its stores
    /// (its ends are loaded across the edges of the vector stores that wrote them; this load
    /// was 30% of `observe`'s samples).
    pub fn ends_bit_of(m: &Message<'_>) -> usize {
        ends_bit_as_came(
            m.endpoints.as_ref(),
            m.mtp3.map_or((0, 0), |l| (l.opc, l.dpc)),
        )
    }

    /// [`FlowParts::ends_bit`] of [`Wire::parts`], from the ends as they came.
    #[cfg(test)]
    fn ends_bit(&self) -> usize {
        ends_bit_as_came(self.endpoints.as_ref(), self.pcs)
    }
}

/// GTP Echo Request and Response (the same type in every version).
const ECHO_REQUEST: u8 = 1;
const ECHO_RESPONSE: u8 = 2;

/// An Echo's shape ([`echo_shape`]): it carries only what an Echo of its version and
/// direction carries.
const ECHO_PLAIN: u32 = 1;
/// An Echo's shape: it carries anything else (a private extension, other IEs, octets that
/// walk as no IEs, header flags no Echo sets).
const ECHO_CARRYING: u32 = 2;
/// Octets of the value of a GTPv2 Echo's Recovery (TS 29.274 8.5) and Sending Node Features
/// (8.83) as nodes send them.
const V2_ECHO_IE_LEN: usize = 1;
/// Length byte of an Echo's transaction key (sets it apart from its shape's key).
const ECHO_TRANSACTION: u8 = 3;

/// The shape of an Echo and its transaction ([`ECHO_PLAIN`] or [`ECHO_CARRYING`]; the
/// sequence number + 1, 0 without one). The Echo path between two peers is one flow per
/// shape: a covert channel's Echoes (a private extension, a Recovery in a GTPv1 request)
/// flag their own shape, not the peers' plain keep-alives around them; an answer is found
/// by its request's transaction whatever its shape.
fn echo_shape(g: &sigscope_decode::GtpLayer<'_>) -> [u32; 2] {
    use sigscope_gtp::{v1, v2, Message as Gtp};
    let msg = &g.decoded.message;
    let response = msg.message_type() == ECHO_RESPONSE;
    // TS 29.060 7.2.1-2, 29.281 7.2.1-2, 32.295 6.2.2-3, 09.60: a request carries no IE
    // (its optional private extension is what a channel uses), a response one Recovery
    let v1_plain = |ies: v1::IeIter<'_>, recovery: bool| {
        let mut n = 0usize;
        for ie in ies {
            match ie {
                Ok(ie) if recovery && n == 0 && ie.ie_type == v1::IeType::RECOVERY => n += 1,
                _ => return false,
            }
        }
        true
    };
    // an answer to no request seen (its request read as another protocol, or never sent)
    // is no plain answer
    let answers = !matches!(
        g.outcome,
        Some(
            sigscope_gtp::matcher::Outcome::UnmatchedResponse
                | sigscope_gtp::matcher::Outcome::DuplicateResponse
        )
    );
    let plain = answers
        && g.decoded.anomalies.is_empty()
        && match msg {
            Gtp::V1(x) => !x.e() && !x.pn() && v1_plain(x.ies(), response),
            Gtp::V0(x) => v1_plain(x.ies(), response),
            Gtp::Prime(x) => v1_plain(x.ies(), true),
            // TS 29.274 7.1.1-2: Recovery, and Sending Node Features in a request, each of
            // the one octet a node sends (8.5, 8.83): another length is a channel's shape
            Gtp::V2(x) => {
                !x.t()
                    && !x.p()
                    && x.ies().all(|ie| {
                        ie.is_ok_and(|ie| {
                            matches!(ie.ie_type, v2::IeType::RECOVERY | v2::IeType::NODE_FEATURES)
                                && ie.value.len() == V2_ECHO_IE_LEN
                        })
                    })
            }
            Gtp::Runt(_) | Gtp::NotGtp(_) => false,
        };
    let shape = if plain { ECHO_PLAIN } else { ECHO_CARRYING };
    [shape, msg.sequence().map_or(0, |s| s.saturating_add(1))]
}

/// IPv4 version nibble, header length and address offsets; IPv6 header length and address
/// offsets.
const IPV4: u8 = 4;
const IPV4_HEADER: usize = 20;
const IPV4_ADDRS: usize = 12;
const IPV6: u8 = 6;
const IPV6_HEADER: usize = 40;
const IPV6_ADDRS: usize = 8;

/// The inner source and destination of a T-PDU that is IP (an IPv6 address folded to 32
/// bits), as they came.
fn inner_ends(tpdu: &[u8]) -> Option<(u32, u32)> {
    let word = |b: &[u8]| -> u32 {
        b.chunks_exact(4)
            .map(|c| c.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x)))
            .fold(0, |a, w| a.rotate_left(7) ^ w)
    };
    let (addrs, len) = match tpdu.first().map(|b| b >> 4) {
        Some(IPV4) => (tpdu.get(IPV4_ADDRS..IPV4_HEADER)?, 4),
        Some(IPV6) => (tpdu.get(IPV6_ADDRS..IPV6_HEADER)?, 16),
        _ => return None,
    };
    let (a, b) = addrs.split_at(len);
    Some((word(a), word(b)))
}

/// [`ends_bit`] of ends and point codes as a message carried them (the bit does not depend
/// on their order).
#[inline]
fn ends_bit_as_came(e: Option<&Endpoints>, (opc, dpc): (u32, u32)) -> usize {
    let (x, y) = e.map_or((None, None), |e| (Some(e.src), Some(e.dst)));
    ends_bit(x, y, (opc.min(dpc), opc.max(dpc)))
}

/// The filter bit of a flow's ends (addresses, either order, and point codes in order): every
/// key of a flow (see [`FlowParts::keys`]) hashes these among its parts, so flows that share a
/// key share the bit. A few multiplications, against the mixing rounds of the keys.
fn ends_bit(x: Option<IpAddr>, y: Option<IpAddr>, pcs: (u32, u32)) -> usize {
    let ip = |a: Option<IpAddr>| match a {
        Some(IpAddr::V4(v)) => u64::from(u32::from(v)),
        Some(IpAddr::V6(v)) => u128::from(v) as u64,
        None => 0,
    };
    let pcs = (u64::from(pcs.0) << 32) | u64::from(pcs.1);
    Filter::bit(ip(x) ^ ip(y) ^ pcs.rotate_left(47))
}

impl FlowParts {
    /// Parts from their values.
    #[cfg(test)]
    fn new(
        kind: FlowKind,
        a: (Option<IpAddr>, u16),
        b: (Option<IpAddr>, u16),
        pcs: (u32, u32),
        otid: Option<Tid>,
        dtid: Option<Tid>,
    ) -> FlowParts {
        let (o, ol) = stored(otid);
        let (d, dl) = stored(dtid);
        FlowParts {
            kind,
            a,
            b,
            pcs,
            tids: [o, d],
            tid_lens: [ol, dl],
        }
    }

    /// The originating transaction id.
    fn otid(&self) -> Option<Tid> {
        let ([v, _], [l, _]) = (self.tids, self.tid_lens);
        loaded(v, l)
    }

    /// The destination transaction id.
    fn dtid(&self) -> Option<Tid> {
        let ([_, v], [_, l]) = (self.tids, self.tid_lens);
        loaded(v, l)
    }

    /// What kind of flow.
    pub const fn kind(&self) -> FlowKind {
        self.kind
    }

    /// The filter bit of the flow's ends ([`ends_bit`]).
    fn ends_bit(&self) -> usize {
        ends_bit(self.a.0, self.b.0, self.pcs)
    }

    /// The hash of the flow's ends (kind, addresses, ports, point codes): a few
    /// multiply-xorshift rounds over the parts as integers, stable across runs and cheap
    /// enough to run on every message while a flow is flagged.
    fn base(&self) -> u64 {
        let ip = |a: Option<IpAddr>| match a {
            Some(IpAddr::V4(v)) => u128::from(u32::from(v)) | (1 << 64),
            Some(IpAddr::V6(v)) => u128::from(v),
            None => 0,
        };
        let (a, b) = (ip(self.a.0), ip(self.b.0));
        let words = [
            self.kind as u64,
            a as u64,
            (a >> 64) as u64,
            b as u64,
            (b >> 64) as u64,
            (u64::from(self.a.1) << 16) | u64::from(self.b.1),
            (u64::from(self.pcs.0) << 32) | u64::from(self.pcs.1),
        ];
        let h = words.iter().fold(FLOW_SEED, |h, w| mix(h ^ w));
        // an association's MTP3 user and ISUP circuit ([`Wire::of`]) part its flows
        match (self.kind, self.tids) {
            (FlowKind::Sctp, [a, b]) if a != 0 || b != 0 => {
                mix(h ^ ((u64::from(a) << 32) | u64::from(b)))
            }
            _ => h,
        }
    }

    fn with(base: u64, extra: Option<Tid>) -> u64 {
        mix(base ^ extra.map_or(u64::MAX, |(v, l)| (u64::from(v) << 8) | u64::from(l)))
    }

    fn hash_with(&self, extra: Option<Tid>) -> u64 {
        Self::with(self.base(), extra)
    }

    /// The flow's `flow_id`: a TCAP transaction is named by the id its initiator chose
    /// (the destination id of a response, the originating id of a Begin).
    pub fn flow_id(&self) -> u64 {
        let id = match self.kind {
            FlowKind::Tcap => self.hash_with(self.dtid().or(self.otid())),
            FlowKind::Tunnel => self.tunnel_key(self.base()),
            _ => self.hash_with(None),
        };
        (id & FLOW_ID_MASK).max(1)
    }

    /// The key of a tunnel's inner addresses within its peers (`base`: [`FlowParts::base`]).
    fn tunnel_key(&self, base: u64) -> u64 {
        let [a, b] = self.tids;
        mix(base ^ ((u64::from(a) << 32) | u64::from(b)))
    }

    /// The key of the peers' GTP flow a tunnel's message is found by too.
    fn peers_key(&self) -> u64 {
        FlowParts {
            kind: FlowKind::Gtp,
            tids: [0, 0],
            tid_lens: [0, 0],
            ..*self
        }
        .hash_with(None)
    }

    /// The keys a flow is flagged under: a tunnel's own only, an Echo's shape and
    /// transaction (not their peers').
    pub fn flag_keys(&self) -> impl Iterator<Item = u64> {
        let [own, second, third] = self.key_places();
        match self.kind {
            FlowKind::Tunnel => [own, None, None],
            FlowKind::GtpPath => [own, None, third],
            _ => [own, second, third],
        }
        .into_iter()
        .flatten()
    }

    /// The keys a tagged message adds to its flagged flow: an Echo only its transaction (so
    /// that its answer follows; a plain Echo answering a covert one does not flag the plain
    /// keep-alives), else [`FlowParts::flag_keys`].
    fn tag_keys(&self) -> impl Iterator<Item = u64> {
        let [own, second, third] = self.key_places();
        match self.kind {
            FlowKind::Tunnel => [own, None, None],
            FlowKind::GtpPath => [None, None, third],
            _ => [own, second, third],
        }
        .into_iter()
        .flatten()
    }

    /// The key of an Echo's transaction (its request and answers), `None` for another
    /// message or an Echo without a sequence number.
    fn echo_transaction(&self) -> Option<u64> {
        self.echo_transaction_in(self.base())
    }

    /// [`FlowParts::echo_transaction`] from the flow's [`FlowParts::base`].
    fn echo_transaction_in(&self, base: u64) -> Option<u64> {
        match (self.kind, self.tids) {
            (FlowKind::GtpPath, [_, seq]) if seq != 0 => {
                Some(Self::with(base, Some((seq, ECHO_TRANSACTION))))
            }
            _ => None,
        }
    }

    /// The flow of the two GTP peers a tunnel's or Echo path's message is between (other
    /// flows as they are): what a finding about a peer itself flags.
    pub fn peers(&self) -> FlowParts {
        match self.kind {
            FlowKind::Tunnel | FlowKind::GtpPath => FlowParts {
                kind: FlowKind::Gtp,
                tids: [0, 0],
                tid_lens: [0, 0],
                ..*self
            },
            _ => *self,
        }
    }

    /// The keys a flagged flow is found by: one per transaction id for TCAP (the two sides
    /// of a transaction each name it by their own id), else one.
    pub fn keys(&self) -> impl Iterator<Item = u64> {
        self.key_places().into_iter().flatten()
    }

    /// The flow's keys in their places: its own (a tunnel's, an Echo shape's, a flow's), its
    /// peers' GTP flow (a tunnel's or an Echo's), its transaction's (an Echo's sequence
    /// number); a TCAP transaction's two ids in the last two.
    fn key_places(&self) -> [Option<u64>; 3] {
        let base = self.base();
        let tid_key = |t: Option<Tid>| t.map(|t| Self::with(base, Some(t)));
        match self.kind {
            FlowKind::Tcap => [None, tid_key(self.otid()), tid_key(self.dtid())],
            FlowKind::Tunnel => [Some(self.tunnel_key(base)), Some(self.peers_key()), None],
            FlowKind::GtpPath => [
                Some(Self::with(base, Some((self.tids[0], 0)))),
                Some(self.peers_key()),
                self.echo_transaction_in(base),
            ],
            FlowKind::Gtp | FlowKind::Sctp | FlowKind::Ip => {
                [Some(Self::with(base, None)), None, None]
            }
        }
    }
}

/// A flagged flow, as found by one of its keys.
#[derive(Debug, Clone)]
pub struct Flag {
    /// The signature (built-in or operator rule) that flagged it.
    pub sig: SigRef,
    /// Its `flow_id` (the alert's).
    pub flow_id: u64,
    /// Frame of the alert that flagged it.
    pub alert_frame: u64,
    /// Tagging ends at this capture time (seconds).
    pub until: f64,
    /// Messages still to be tagged.
    pub left: u32,
}

/// One recent message: enough to report it later as a tagged member of a flow. Kept small
/// and copied as it came (every message is written to the ring).
#[derive(Debug, Clone, Copy)]
pub struct Recent {
    /// Frame number.
    pub frame: u64,
    /// Capture time (nanoseconds).
    pub ts_nanos: u64,
    /// What names its flow.
    pub wire: Wire,
    /// Its addresses and ports are its own (not those of a message named by frame only).
    addressed: bool,
    /// Already reported (alerted or tagged).
    pub reported: bool,
}

impl Recent {
    /// The recent-message record of `m` (whose flow `wire` names).
    pub fn of(m: &Message<'_>, wire: Wire) -> Recent {
        Recent {
            frame: m.frame,
            ts_nanos: m.ts_nanos,
            wire,
            addressed: true,
            reported: false,
        }
    }

    /// A message named by frame and time only (no addresses), of the flow `wire` names.
    pub fn named(frame: u64, ts_nanos: u64, wire: Wire, reported: bool) -> Recent {
        Recent {
            frame,
            ts_nanos,
            wire,
            addressed: false,
            reported,
        }
    }

    fn endpoints(&self) -> Option<Endpoints> {
        self.wire.endpoints.filter(|_| self.addressed)
    }

    /// Source address.
    pub fn src(&self) -> Option<IpAddr> {
        self.endpoints().map(|e| e.src)
    }

    /// Destination address.
    pub fn dst(&self) -> Option<IpAddr> {
        self.endpoints().map(|e| e.dst)
    }

    /// Source port.
    pub fn sport(&self) -> Option<u16> {
        self.endpoints().map(|e| e.sport)
    }

    /// Destination port.
    pub fn dport(&self) -> Option<u16> {
        self.endpoints().map(|e| e.dport)
    }
}

/// Flagged flows and the ring of recent messages.
#[derive(Debug)]
pub struct Flows {
    flagged: HashMap<u64, Flag>,
    /// The ends bits (see [`FlowParts::ends_bit`]) of every flow a key was flagged for since
    /// the table was last empty: a flow whose bit is clear has no flagged key, and its keys
    /// are not even computed.
    ends: Filter,
    recent: arrayvec::ArrayVec<Recent, RECENT_MESSAGES>,
    /// Where the next recent message goes once the ring is full.
    next: usize,
}

impl Default for Flows {
    fn default() -> Self {
        Flows {
            flagged: HashMap::default(),
            ends: Filter::default(),
            recent: arrayvec::ArrayVec::new(),
            next: 0,
        }
    }
}

impl Flows {
    /// Whether a flow whose ends bit is `bit` may have a flagged key (the bit is set).
    fn may_be_flagged(&self, bit: usize) -> bool {
        self.ends.has_bit(bit)
    }

    /// Keys of the flow of `parts` are (about to be) in the table.
    fn mark(&mut self, parts: &FlowParts) {
        self.ends.set_bit(parts.ends_bit());
    }

    /// The table was emptied: no flow has a flagged key.
    fn unmark_all(&mut self) {
        self.ends.clear();
    }

    /// Whether any flow is flagged.
    pub fn any_flagged(&self) -> bool {
        !self.flagged.is_empty()
    }

    /// The flag of the flow `wire` names, if flagged and still within its bounds at `ts`;
    /// `ends_bit` is the filter bit of the wire's message ([`Wire::ends_bit_of`]).
    #[inline]
    pub fn flag_of(&mut self, wire: &Wire, ends_bit: usize, ts: f64) -> Option<Flag> {
        if self.flagged.is_empty() || !self.may_be_flagged(ends_bit) {
            return None;
        }
        self.flag_of_flagged(&wire.parts(), ts)
    }

    /// [`Flows::flag_of`] of a flow that may be flagged (out of line: most flows are not).
    #[cold]
    #[inline(never)]
    fn flag_of_flagged(&mut self, parts: &FlowParts, ts: f64) -> Option<Flag> {
        let mut found = None;
        for k in parts.keys() {
            match self.flagged.get(&k) {
                Some(f) if ts <= f.until && f.left > 0 => {
                    found = Some(f.clone());
                    break;
                }
                Some(_) => {
                    self.flagged.remove(&k);
                }
                None => {}
            }
        }
        if self.flagged.is_empty() {
            self.unmark_all();
        }
        found
    }

    /// The flow of `parts` is no longer flagged (under any of its keys): its TCAP
    /// transaction ended, or a new one took its id. Out of line: rare.
    #[cold]
    #[inline(never)]
    pub fn unflag(&mut self, parts: &FlowParts) {
        for k in parts.keys() {
            self.flagged.remove(&k);
        }
        if self.flagged.is_empty() {
            self.unmark_all();
        }
    }

    /// The keys of the flow of `parts` flagged by signature `id` are no longer flagged
    /// (those another signature flagged stay). Out of line: rare.
    #[cold]
    #[inline(never)]
    pub fn unflag_by(&mut self, parts: &FlowParts, id: u32) {
        for k in parts.keys() {
            if self.flagged.get(&k).is_some_and(|f| f.sig.id() == id) {
                self.flagged.remove(&k);
            }
        }
        if self.flagged.is_empty() {
            self.unmark_all();
        }
    }

    /// Flag the flow of `parts` (every key of it) with `flag`; returns whether it was
    /// flagged already by this signature. `resets` counts a full table emptied.
    pub fn flag(&mut self, parts: &FlowParts, flag: Flag, resets: &mut u64) -> bool {
        let mut had = false;
        for k in parts.flag_keys() {
            if self.flagged.len() >= MAX_FLAGGED_KEYS {
                self.flagged.clear();
                self.unmark_all();
                *resets += 1;
            }
            match self.flagged.get_mut(&k) {
                Some(f) if f.sig.id() == flag.sig.id() => {
                    had = true;
                    f.until = f.until.max(flag.until);
                }
                Some(f) => *f = flag.clone(),
                None => {
                    self.flagged.insert(k, flag.clone());
                }
            }
        }
        self.mark(parts);
        had
    }

    /// One message of a flagged flow was tagged: count it against every key of the flow, and
    /// add keys the message brings (a responder's transaction id).
    pub fn tagged(&mut self, parts: &FlowParts, flag: &Flag) {
        let mut left = flag.left.saturating_sub(1);
        for k in parts.keys() {
            if let Some(f) = self.flagged.get_mut(&k) {
                left = left.min(f.left.saturating_sub(1));
            }
        }
        // the keys it was found by count it (a tunnel's peers' flag too), and the flow's own
        // keys take the flag
        for k in parts.keys() {
            if let Some(f) = self.flagged.get_mut(&k) {
                f.left = left;
            }
        }
        for k in parts.tag_keys() {
            if self.flagged.len() < MAX_FLAGGED_KEYS || self.flagged.contains_key(&k) {
                self.flagged.insert(
                    k,
                    Flag {
                        left,
                        ..flag.clone()
                    },
                );
            }
        }
        self.mark(parts);
    }

    /// Remember a message (the ring keeps the last [`RECENT_MESSAGES`]).
    pub fn remember(&mut self, r: Recent) {
        if self.recent.is_full() {
            if let Some(slot) = self.recent.get_mut(self.next) {
                *slot = r;
            }
            self.next = (self.next + 1) % RECENT_MESSAGES;
        } else {
            self.recent.push(r);
        }
    }

    /// The remembered message of `frame` (a finding names it: it is reported whether or
    /// not it was already): marked reported, and returned.
    pub fn take_named(&mut self, frame: u64) -> Option<Recent> {
        let r = self.recent.iter_mut().find(|r| r.frame == frame)?;
        r.reported = true;
        Some(*r)
    }

    /// Earlier messages from or to the attacker `a` not yet reported, seen at or after
    /// `since_nanos`, oldest first; each is marked reported. At most `max`.
    pub fn earlier_of(
        &mut self,
        a: &super::actors::Actor,
        since_nanos: u64,
        max: u32,
    ) -> Vec<Recent> {
        self.take_earlier(since_nanos, max, |r| a.sent_or_got(r))
    }

    /// The remembered messages not yet reported, seen at or after `since_nanos`, that
    /// `wanted` takes, oldest first; each is marked reported. At most `max`.
    fn take_earlier(
        &mut self,
        since_nanos: u64,
        max: u32,
        mut wanted: impl FnMut(&Recent) -> bool,
    ) -> Vec<Recent> {
        let mut out = Vec::new();
        let n = self.recent.len();
        let start = if self.recent.is_full() { self.next } else { 0 };
        for i in 0..n {
            if out.len() >= max as usize {
                break;
            }
            let Some(r) = self.recent.get_mut((start + i) % n.max(1)) else {
                continue;
            };
            if !r.reported && r.ts_nanos >= since_nanos && wanted(r) {
                r.reported = true;
                out.push(*r);
            }
        }
        out
    }

    /// Earlier messages of the flow of `parts` not yet reported, seen at or after
    /// `since_nanos`, oldest first; each is marked reported. At most `max`.
    /// An Echo's answers come with it: the transaction of each Echo taken is taken too.
    pub fn earlier(&mut self, parts: &FlowParts, since_nanos: u64, max: u32) -> Vec<Recent> {
        let mut keys: Vec<u64> = parts.flag_keys().collect();
        self.take_earlier(since_nanos, max, |r| {
            let theirs = r.wire.parts();
            if !theirs.keys().any(|k| keys.contains(&k)) {
                return false;
            }
            if let Some(t) = theirs.echo_transaction() {
                if !keys.contains(&t) {
                    keys.push(t);
                }
            }
            true
        })
    }

    /// Earlier messages of the Echo transaction of `parts` (the request an answer tagged
    /// as a flagged flow's member answers) not yet reported, oldest first; each is marked
    /// reported. At most `max`; none for a message that is no Echo.
    pub fn earlier_of_echo(&mut self, parts: &FlowParts, max: u32) -> Vec<Recent> {
        let Some(t) = parts.echo_transaction() else {
            return Vec::new();
        };
        self.take_earlier(0, max, |r| r.wire.parts().echo_transaction() == Some(t))
    }
}

#[cfg(test)]
#[path = "flow_tests.rs"]
mod tests;
