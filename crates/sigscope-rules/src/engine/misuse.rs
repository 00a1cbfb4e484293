//! TCAP/MAP misuse as a carrier (USSD or SMS text that reads as shell commands is judged with
//! the other text checks in `content`): binary short
//! messages with encrypted-looking payloads (SIM OTA from the home network excepted), MAP
//! private extensions carrying encrypted-looking data (exfiltration through extension
//! containers), and operations no MAP application context defines carrying blobs.

use serde_json::json;
use sigscope_core::{ber, AnomalyCode};
use sigscope_decode::Message;
use sigscope_map::sms::Charset;

use super::*;
use crate::content::{encoded_binary, Verdict};
use crate::signatures as sig;

/// TP-PID of SIM data download (TS 23.040 §9.2.3.9): OTA command packets to the (U)SIM.
pub const PID_SIM_DATA_DOWNLOAD: u8 = 0x7f;
/// Shortest component parameter judged as an opaque blob when its operation is not MAP's.
pub const MIN_OPAQUE_PARAMETER: usize = 64;

/// Content octets of the CAMEL (CAP) application contexts' object identifiers up to the
/// arcs that name them: phases 1-2 `0.4.0.0.1.0.{50,51,52}.v` (gsmSSF, assist-handoff,
/// gsmSRF to gsmSCF), phases 3-4 `0.4.0.0.1.{21,22}.3.x` (TS 29.078).
const CAP_CONTEXTS: [&[u8]; 5] = [
    &[0x04, 0x00, 0x00, 0x01, 0x00, 50],
    &[0x04, 0x00, 0x00, 0x01, 0x00, 51],
    &[0x04, 0x00, 0x00, 0x01, 0x00, 52],
    &[0x04, 0x00, 0x00, 0x01, 21, 0x03],
    &[0x04, 0x00, 0x00, 0x01, 22, 0x03],
];
/// Most octets of private extension values joined to be judged together (on the stack).
pub const MAX_JOINED_EXTENSIONS: usize = 512;

/// The values of a privateExtensionList's PrivateExtensions (each one's extType, its content
/// octets when primitive) joined in `buf`, when the list holds two or more: a blob split into
/// pieces each too short to judge. `None` for fewer than two values.
fn joined_private_values<'b>(
    list: &[u8],
    buf: &'b mut [u8; MAX_JOINED_EXTENSIONS],
) -> Option<&'b [u8]> {
    let (mut len, mut values) = (0usize, 0usize);
    let mut rest = list;
    while let Ok((pe, after)) = ber::read_tlv(rest) {
        rest = after;
        // PrivateExtension ::= SEQUENCE { extId OID, extType ANY OPTIONAL }
        let Some(Ok((_, v))) = pe.children().nth(1) else {
            continue;
        };
        append(buf, &mut len, ext_content(v.raw));
        values += 1;
        if len == MAX_JOINED_EXTENSIONS {
            break;
        }
    }
    (values >= 2).then_some(buf.get(..len)?)
}

/// [`encoded_binary`]'s verdict on the joined values of a privateExtensionList (see
/// [`joined_private_values`]), or (`leaves`) on the joined primitive leaves of a BER value
/// (the pcs-Extensions), and their length; out of line, as such lists are rare.
#[inline(never)]
fn joined_verdict(
    list: &[u8],
    leaves: bool,
    min_len: usize,
    bits: f64,
) -> Option<(usize, Verdict)> {
    let mut buf = [0u8; MAX_JOINED_EXTENSIONS];
    let joined = if leaves {
        let (t, _) = ber::read_tlv(list).ok()?;
        let (mut len, mut n) = (0usize, 0usize);
        join_leaves(t, 0, &mut buf, &mut len, &mut n);
        (n >= 2).then_some(buf.get(..len)?)?
    } else {
        joined_private_values(list, &mut buf)?
    };
    encoded_binary(joined, min_len, bits).map(|v| (joined.len(), v))
}

/// Append the primitive leaves of `tlv` (to [`MAX_LEAF_DEPTH`]) to `buf` at `len`, counting
/// them in `n`, until `buf` is full.
fn join_leaves(
    tlv: ber::Tlv<'_>,
    depth: usize,
    buf: &mut [u8; MAX_JOINED_EXTENSIONS],
    len: &mut usize,
    n: &mut usize,
) {
    if !tlv.tag.constructed {
        append(buf, len, tlv.value);
        *n += 1;
        return;
    }
    if depth >= MAX_LEAF_DEPTH {
        return;
    }
    for (_, c) in tlv.children().map_while(Result::ok) {
        join_leaves(c, depth + 1, buf, len, n);
    }
}

/// Append as much of `piece` to `buf` at `*len` as fits, moving `*len` past it.
fn append(buf: &mut [u8], len: &mut usize, piece: &[u8]) {
    let Some(room) = buf.get_mut(*len..) else {
        return;
    };
    let n = piece.len().min(room.len());
    if let (Some(r), Some(p)) = (room.get_mut(..n), piece.get(..n)) {
        r.copy_from_slice(p);
        *len += n;
    }
}

/// The content octets of an extension value's encoding (`raw`: tag, length and value): the
/// value of a primitive one (its tag and length are framing, not data), the longest leaf of a
/// constructed one (vendors wrap their data: `[PRIVATE 0] { [n] data }`), else all of it.
fn ext_content(raw: &[u8]) -> &[u8] {
    match ber::read_tlv(raw) {
        Ok((t, _)) if !t.tag.constructed => t.value,
        Ok((t, _)) => longest_leaf(t, 0).filter(|l| !l.is_empty()).unwrap_or(raw),
        Err(_) => raw,
    }
}

/// Most pieces of a blob one message's MAP entries give (one per entry).
pub const MAX_PIECES_PER_MESSAGE: usize = 8;
/// The pieces of one message (see [`dense_piece`]).
pub(super) type Pieces<'m> = arrayvec::ArrayVec<&'m [u8], MAX_PIECES_PER_MESSAGE>;

/// Deepest nesting walked for a CAP parameter's leaves (CAP arguments nest a few levels).
const MAX_LEAF_DEPTH: usize = 8;

/// Is the message's dialogue a CAMEL one (by its application context)?
fn cap_dialogue(m: &Message<'_>) -> bool {
    m.tcap
        .as_ref()
        .and_then(|t| t.dialogue.as_ref())
        .and_then(|d| d.acn.as_ref())
        .is_some_and(|acn| CAP_CONTEXTS.iter().any(|c| acn.0.starts_with(c)))
}

/// The longest primitive value in a BER value tree, `None` when it is not one whole (a blob
/// that is not BER, or nested past [`MAX_LEAF_DEPTH`]).
fn longest_leaf(tlv: ber::Tlv<'_>, depth: usize) -> Option<&[u8]> {
    if !tlv.tag.constructed {
        return Some(tlv.value);
    }
    if depth >= MAX_LEAF_DEPTH {
        return None;
    }
    let mut longest: &[u8] = &[];
    for child in tlv.children() {
        let (_, c) = child.ok()?;
        let leaf = longest_leaf(c, depth + 1)?;
        if leaf.len() > longest.len() {
            longest = leaf;
        }
    }
    Some(longest)
}

/// Whether the misuse checks can raise anything: a MAP entry with a parameter carrying SMS
/// user data or a private extension value, or components of an unknown context or of TCAP
/// without MAP (most messages are settled here, without the checks being called).
pub(super) fn may_fire(m: &Message<'_>) -> bool {
    let entries = m.map.iter().any(|e| {
        e.param.as_ref().is_some_and(|p| {
            p.extensions.longest_ext_value.is_some()
                || p.extensions.pcs_value.is_some()
                || e.sms.as_ref().is_some_and(|tp| tp.user_data.is_some())
        })
    });
    let components = !m.components.is_empty()
        && (!m.anomalies.is_empty()
            || (m.tcap.is_some() && m.map.is_empty())
            || m.components.iter().any(bare_blob));
    entries || components
}

/// A component whose parameter is one primitive value of a blob's length: MAP and CAP
/// arguments and results are SEQUENCEs, and their few primitive ones (an IMSI, an address,
/// a TMSI) are short.
fn bare_blob(c: &sigscope_tcap::Component<'_>) -> bool {
    c.parameter
        .is_some_and(|p| !p.tag.constructed && p.raw.len() >= MIN_OPAQUE_PARAMETER)
}

/// Whether `sender`'s title is in the country of the network of the IMSI a MAP parameter
/// delivers to (SM-RP-DA, else its IMSI).
fn from_home_of(p: &sigscope_map::MapParam<'_>, sender: &Party<'_>) -> bool {
    let Some(imsi) = delivered_imsi(p) else {
        return false;
    };
    let home = sigscope_core::e212::plmn_of(imsi.as_str()).map(|n| n.iso);
    let from = country_code(sender).map(|c| c.iso);
    matches!((home, from), (Some(h), Some(f)) if !h.is_empty() && h == f)
}

/// The IMSI a MAP parameter delivers to (SM-RP-DA, else its IMSI).
fn delivered_imsi(p: &sigscope_map::MapParam<'_>) -> Option<Id> {
    let raw = match p.sm_rp_da {
        Some(sigscope_map::SmRpDa::Imsi(i)) => Some(i.raw),
        _ => p.imsi.map(|i| i.raw),
    };
    raw.map(Id::of_tbcd)
}

impl Engine {
    /// The misuse checks of one message; returns a private extension value too short to be
    /// judged alone but dense (a piece of a blob cut over a dialogue's messages, for
    /// [`Engine::ext_piece`]).
    #[inline(never)]
    pub(super) fn misuse<'m>(&mut self, m: &Message<'m>, found: &mut Hits<'_>) -> Pieces<'m> {
        let mut pieces = Pieces::new();
        // (the two limits copied: the checks below also remember values in `self`)
        let (min_len, bits) = (
            self.policy.thresholds.binary_min_len,
            self.policy.thresholds.binary_entropy_bits,
        );
        let (calling, called) = m.parties();
        for e in m.map {
            let Some(p) = &e.param else { continue };
            // binary SMS (text is judged with the other content checks): encrypted-looking,
            // unless it is SIM OTA from home
            if let Some(ud) = e
                .sms
                .as_ref()
                .and_then(|tp| tp.user_data.as_ref().map(|u| (tp, u)))
            {
                let (tp, ud) = ud;
                // 8-bit data, or text marked compressed (TS 23.042 compression is not
                // deployed: the flag is a way past the text checks)
                let binary = ud.dcs.charset() == Charset::Eight || ud.dcs.compressed();
                let ota = tp.pid == Some(PID_SIM_DATA_DOWNLOAD);
                let home = || calling.is_some_and(|c| self.foreign(c, called) == Some(false));
                // an inbound roamer's own operator updates its SIM from abroad: OTA from the
                // country of the recipient's IMSI is from the subscriber's home; our own
                // subscribers' SIMs are updated by our own titles only (not by another
                // operator of the same country)
                let plmns = &self.policy.home.plmns;
                let ours = || {
                    delivered_imsi(p).is_some_and(|i| {
                        plmns.iter().any(|h| i.as_bytes().starts_with(h.as_bytes()))
                    })
                };
                let subscribers_home = || !ours() && calling.is_some_and(|c| from_home_of(p, c));
                if binary && !(ota && (home() || subscribers_home())) {
                    let body = ud.body();
                    if let Some(v) =
                        encoded_binary(body, min_len, bits).filter(|v| v.kind == "encrypted")
                    {
                        found.hit(&sig::SMS_BINARY_PAYLOAD, || {
                            json!({"operation": e.operation(), "pid": tp.pid, "dcs": ud.dcs.0,
                                   "sim_data_download": ota, "ports": ud.ports(),
                                   "length": body.len(), "entropy": round(v.entropy, 2),
                                   "calling_gt": calling.and_then(Party::digits_str)})
                        });
                    }
                }
            }
            // exfiltration through MAP extension containers: the longest private extension
            // (a blob need not be the first), or the pcs-Extensions (whose contents no
            // release defines: a blob's leaves are judged, its BER framing is not data)
            let x = &p.extensions;
            let judged = [
                x.longest_ext_value
                    .map(|r| ("private_extension", ext_content(r.bytes))),
                x.pcs_value
                    .and_then(|r| sigscope_core::ber::read_tlv(r.bytes).ok())
                    .map(|(t, _)| ("pcs_extensions", longest_leaf(t, 0).unwrap_or(t.value))),
            ];
            let found_one = judged.into_iter().flatten().find_map(|(place, b)| {
                encoded_binary(b, min_len, bits).map(|v| (place, b, b.len(), v))
            });
            // or the values of many small ones, joined (a blob cut into pieces each too
            // short to judge; a vendor's repeated constant data stays low in entropy)
            let found_one = found_one
                .or_else(|| {
                    // a value that is a structure of many short leaves (a blob chunked at
                    // BER level): its leaves joined
                    let v = x.longest_ext_value?;
                    joined_verdict(v.bytes, true, min_len, bits)
                        .map(|(len, j)| ("private_extension_leaves", v.bytes, len, j))
                })
                .or_else(|| {
                    let list = x.private_list.filter(|_| x.private >= 2)?;
                    joined_verdict(list.bytes, false, min_len, bits)
                        .map(|(len, j)| ("private_extensions_joined", list.bytes, len, j))
                })
                .or_else(|| {
                    // the pcs-Extensions' leaves joined likewise
                    let pcs = x.pcs_value?;
                    joined_verdict(pcs.bytes, true, min_len, bits)
                        .map(|(len, j)| ("pcs_extensions_joined", pcs.bytes, len, j))
                });
            // the very value its sender put in another of its dialogues is a constant it
            // attaches to every one (a vendor's key fingerprint or build tag): it carries
            // nothing new, and is reported once
            let found_one = found_one.filter(|(_, bytes, ..)| !self.constant_value(m, bytes));
            if let Some((place, _, len, v)) = found_one {
                found.hit(&sig::MAP_PRIVATE_EXTENSION_PAYLOAD, || {
                    json!({"operation": e.operation(), "private_extensions": x.private,
                           "private_bytes": x.private_bytes, "extension": place,
                           "length": len, "encoding": v.kind,
                           "entropy": round(v.entropy, 2)})
                });
            } else if let Some(v) = x
                .longest_ext_value
                .and_then(|r| dense_piece(r.bytes, min_len))
            {
                let _ = pieces.try_push(v);
            }
        }
        // operations no MAP context defines, carrying blobs: an unknown context, or a local
        // code TS 29.002 assigns to no operation of the dialogue's version (under a known MAP
        // context, with or without a dialogue portion)
        let unknown_context = m.anomalies.iter().any(|a| {
            matches!(
                a.code,
                AnomalyCode::AcnUnknown
                    | AnomalyCode::OpcodeUnknown
                    | AnomalyCode::UnknownOperation
            )
        });
        // (or any operation whose parameter is one primitive blob: no MAP or CAP operation
        // takes one, whatever its code)
        if unknown_context
            || (m.tcap.is_some() && m.map.is_empty())
            || m.components.iter().any(bare_blob)
        {
            // CAMEL operations are structured: what is judged is their longest value (an
            // InitialDP's numbers, locations and keys are short, each BCD or flags; a blob
            // carried in one is long), or the whole parameter when it is no BER tree
            let cap = cap_dialogue(m);
            for c in m.components {
                let Some(param) = c.parameter else { continue };
                if param.raw.len() < MIN_OPAQUE_PARAMETER {
                    continue;
                }
                let judged = if cap {
                    longest_leaf(param, 0).unwrap_or(param.value)
                } else {
                    param.value
                };
                if let Some(v) =
                    encoded_binary(judged, min_len, bits).filter(|v| v.kind == "encrypted")
                {
                    found.hit(&sig::TCAP_OPAQUE_OPERATION, || {
                        json!({"component": c.kind.as_str(), "length": param.raw.len(),
                               "entropy": round(v.entropy, 2),
                               "calling_gt": calling.and_then(Party::digits_str)})
                    });
                    break;
                }
            }
        }
        pieces
    }

    /// A dense private extension value too short to judge alone (`piece`, from
    /// [`Engine::misuse`]) joined with the earlier ones of its sender's transaction; 2007 when
    /// the pieces joined read as encrypted. Out of line: such values are rare.
    #[cold]
    #[inline(never)]
    pub(super) fn ext_piece(
        &mut self,
        m: &Message<'_>,
        ts: f64,
        piece: &[u8],
        found: &mut Hits<'_>,
    ) {
        // (printable pieces join into text, which this join does not judge: a node's name
        // beside the data would only be reported with it)
        if !tbcd_like(piece) && !piece.iter().all(u8::is_ascii_graphic) {
            self.sender_piece(m, ts, piece, found);
        }
        let Some(key) = sender_transaction(m) else {
            return;
        };
        let t = &self.policy.thresholds;
        let Some((joined, pieces)) = self.ext_pieces.push(key, ts, piece) else {
            return;
        };
        let verdict = encoded_binary(joined, t.binary_min_len, t.binary_entropy_bits);
        // judged: the next pieces are joined afresh
        let len = joined.len();
        self.ext_pieces.clear(key);
        if let Some(v) = verdict.filter(|_| !found.seen(sig::MAP_PRIVATE_EXTENSION_PAYLOAD.id)) {
            found.hit(&sig::MAP_PRIVATE_EXTENSION_PAYLOAD, || {
                json!({"operation": m.map.first().map(|e| e.operation()),
                       "extension": "private_extensions_dialogue", "pieces": pieces,
                       "length": len, "encoding": v.kind, "entropy": round(v.entropy, 2)})
            });
        }
    }
}

impl Engine {
    /// A dense piece (see [`Engine::ext_piece`]) joined with its sender's earlier ones across
    /// its transactions, when each is another value almost whole than the one before (a blob
    /// cut over many dialogues, one piece in each: a location update's extension carrying the
    /// next 20 octets every time); 2007 when the pieces joined read as encrypted, with the
    /// messages of the earlier pieces, the sender named when its title is foreign.
    fn sender_piece(&mut self, m: &Message<'_>, ts: f64, piece: &[u8], found: &mut Hits<'_>) {
        let Some(sender) = sender_key(m) else {
            return;
        };
        let at = (m.frame, m.ts_nanos);
        let t = &self.policy.thresholds;
        let (min_len, bits) = (t.binary_min_len, t.binary_entropy_bits);
        let Some((joined, pieces, earlier)) = self.sender_pieces.push(sender, ts, piece, at) else {
            return;
        };
        let verdict = encoded_binary(joined, min_len, bits).filter(|v| v.kind == "encrypted");
        let len = joined.len();
        let earlier: arrayvec::ArrayVec<(u64, u64), SENDER_PIECES_NAMED> =
            earlier.iter().copied().take(SENDER_PIECES_NAMED).collect();
        self.sender_pieces.clear(sender);
        let Some(v) = verdict else {
            return;
        };
        if found.seen(sig::MAP_PRIVATE_EXTENSION_PAYLOAD.id) {
            return;
        }
        found.hit(&sig::MAP_PRIVATE_EXTENSION_PAYLOAD, || {
            json!({"operation": m.map.first().map(|e| e.operation()),
                   "extension": "private_extensions_sender", "pieces": pieces,
                   "length": len, "encoding": v.kind, "entropy": round(v.entropy, 2)})
        });
        if found.admitted(sig::MAP_PRIVATE_EXTENSION_PAYLOAD.id) {
            found
                .earlier
                .extend(earlier.iter().copied().filter(|w| w.0 != m.frame));
        }
        let (calling, called) = m.parties();
        if let Some(c) =
            calling.filter(|c| self.foreign(c, called) == Some(true) && !self.probably_home(c))
        {
            found.actor(&sig::MAP_PRIVATE_EXTENSION_PAYLOAD, Actor::gt(c));
        }
    }
}

/// Whether a value reads as TBCD digits (every nibble a digit, the 0xF filler only at the
/// end): a subscriber's or node's number, which differs from the next one's in most octets
/// but carries no data.
fn tbcd_like(v: &[u8]) -> bool {
    sigscope_core::digits::tbcd_flags(v) == (false, false)
}

/// Senders whose dense pieces are followed across their transactions at once (direct-mapped:
/// a newer sender takes the slot).
pub const SENDER_PIECE_SLOTS: usize = 256;
/// Fewest pieces of one sender, each another value almost whole than the one before and none
/// a value the run already holds, whose join is judged: a vendor rotating a few constants
/// (one per operation or realm) repeats one before its run gets this long.
pub const MIN_SENDER_PIECES: u8 = 6;
/// Most octets of a sender's run kept (judged once [`EXT_PIECES_JUDGED`] or more are held
/// and [`MIN_SENDER_PIECES`] pieces).
pub const SENDER_PIECES_KEPT: usize = 2 * EXT_PIECES_JUDGED;
/// Octets of a sender's last piece kept to compare the next one with.
const SENDER_LAST_KEPT: usize = 32;
/// Messages of a sender's pieces named with a finding (the join holds no more pieces than
/// this of the shortest kept).
const SENDER_PIECES_NAMED: usize = EXT_PIECES_JUDGED / MIN_EXT_PIECE + 1;
const _: () = assert!(SENDER_PIECES_NAMED >= MIN_SENDER_PIECES as usize);

/// One sender's run of pieces.
#[derive(Debug, Clone, Copy)]
struct SenderSlot {
    key: u64,
    at: f64,
    len: u8,
    pieces: u8,
    last_len: u8,
    last: [u8; SENDER_LAST_KEPT],
    buf: [u8; SENDER_PIECES_KEPT],
    /// (frame, ts_nanos) of the messages the pieces came in.
    frames: [(u64, u64); SENDER_PIECES_NAMED],
    /// Digests of the pieces (a value the run holds already is the sender's constant).
    digests: [u64; SENDER_PIECES_NAMED],
}

/// Whether piece `b` is another value than `a` almost whole: three in four of the octets they
/// both have differ (a vendor's counter or clock moves a few; numbers of one network share
/// their prefix).
fn changed_almost_whole(a: &[u8], b: &[u8]) -> bool {
    let n = a.len().min(b.len());
    let differ = a.iter().zip(b).filter(|(x, y)| x != y).count();
    n >= MIN_EXT_PIECE && differ * 4 >= n * 3
}

/// Dense private extension values too short to judge, joined per sender across its
/// transactions while each changes almost whole from the one before (direct-mapped,
/// [`SENDER_PIECE_SLOTS`] slots made on first use: nothing grows).
#[derive(Debug, Default)]
pub struct SenderPieces(Vec<SenderSlot>);

/// A sender's joined pieces, their count, and the messages they came in.
type SenderJoin<'s> = (&'s [u8], u8, &'s [(u64, u64)]);

impl SenderPieces {
    /// Add `piece` (of the message at `at`) to `sender`'s run; a piece that is no other value
    /// almost whole than the last, or comes after [`EXT_PIECES_WINDOW_S`], starts the run
    /// afresh; a value the run already holds is no piece (ignored, the run goes on). The
    /// joined pieces once [`EXT_PIECES_JUDGED`] octets of at least [`MIN_SENDER_PIECES`] are
    /// held.
    fn push(
        &mut self,
        sender: u64,
        ts: f64,
        piece: &[u8],
        at: (u64, u64),
    ) -> Option<SenderJoin<'_>> {
        if self.0.is_empty() {
            self.0 = vec![
                SenderSlot {
                    key: 0,
                    at: 0.0,
                    len: 0,
                    pieces: 0,
                    last_len: 0,
                    last: [0; SENDER_LAST_KEPT],
                    buf: [0; SENDER_PIECES_KEPT],
                    frames: [(0, 0); SENDER_PIECES_NAMED],
                    digests: [0; SENDER_PIECES_NAMED],
                };
                SENDER_PIECE_SLOTS
            ];
        }
        let s = self.0.get_mut(sender as usize % SENDER_PIECE_SLOTS)?;
        let digest = octets_digest(piece);
        let run = usize::from(s.pieces).min(SENDER_PIECES_NAMED);
        if s.key == sender && s.digests.get(..run)?.contains(&digest) {
            // a value the sender sends again (a constant it attaches) is no piece
            return None;
        }
        let kept = piece
            .get(..piece.len().min(SENDER_LAST_KEPT))
            .unwrap_or(piece);
        let last = s.last.get(..usize::from(s.last_len)).unwrap_or(&[]);
        let goes_on = s.key == sender
            && ts >= s.at
            && ts - s.at <= EXT_PIECES_WINDOW_S
            && changed_almost_whole(last, kept);
        if !goes_on {
            s.len = 0;
            s.pieces = 0;
        }
        s.key = sender;
        s.at = ts;
        s.last_len = kept.len() as u8;
        if let Some(l) = s.last.get_mut(..kept.len()) {
            l.copy_from_slice(kept);
        }
        if let Some(f) = s.frames.get_mut(usize::from(s.pieces)) {
            *f = at;
        }
        if let Some(d) = s.digests.get_mut(usize::from(s.pieces)) {
            *d = digest;
        }
        let mut len = usize::from(s.len);
        append(&mut s.buf, &mut len, piece);
        s.len = len as u8;
        s.pieces = s.pieces.saturating_add(1);
        let named = usize::from(s.pieces).min(SENDER_PIECES_NAMED);
        (usize::from(s.len) >= EXT_PIECES_JUDGED && s.pieces >= MIN_SENDER_PIECES).then_some((
            s.buf.get(..usize::from(s.len))?,
            s.pieces,
            s.frames.get(..named)?,
        ))
    }

    /// Drop `sender`'s run (judged).
    fn clear(&mut self, sender: u64) {
        if let Some(s) = self.0.get_mut(sender as usize % SENDER_PIECE_SLOTS) {
            if s.key == sender {
                s.len = 0;
                s.pieces = 0;
                s.last_len = 0;
            }
        }
    }
}

/// Extension values judged encrypted that are kept (direct-mapped by value) to tell a
/// sender's constant from data.
pub const CONSTANT_VALUE_SLOTS: usize = 256;

/// The last extension value judged encrypted in each slot: its digest, its sender's key and
/// the sender's transaction it came in (made on first use: nothing grows).
#[derive(Debug, Default)]
pub struct ConstantValues(Vec<(u64, u64, u64)>);

impl ConstantValues {
    /// Whether the value of `digest` came from `sender` in another of its transactions than
    /// `tx`; the value is remembered with this one otherwise.
    fn repeated(&mut self, digest: u64, sender: u64, tx: u64) -> bool {
        if self.0.is_empty() {
            self.0 = vec![(0, 0, 0); CONSTANT_VALUE_SLOTS];
        }
        let Some(s) = self.0.get_mut(digest as usize % CONSTANT_VALUE_SLOTS) else {
            return false;
        };
        let repeated = s.0 == digest && s.1 == sender && s.2 != tx;
        if !repeated {
            *s = (digest, sender, tx);
        }
        repeated
    }
}

impl Engine {
    /// Whether the extension value `bytes` (judged encrypted) is one its sender already put
    /// in another of its transactions (see [`ConstantValues`]). Out of line: rare.
    #[cold]
    #[inline(never)]
    fn constant_value(&mut self, m: &Message<'_>, bytes: &[u8]) -> bool {
        let (Some(sender), Some(tx)) = (sender_key(m), sender_transaction(m)) else {
            return false;
        };
        self.constant_values
            .repeated(octets_digest(bytes), sender, tx)
    }
}

/// A message's sender: its calling title, else its point codes (the side of a transaction
/// [`sender_transaction`] names, and who attaches a constant value).
pub(super) fn sender_key(m: &Message<'_>) -> Option<u64> {
    let (calling, _) = m.parties();
    if let Some(d) = calling.and_then(|p| p.digits.as_ref()) {
        return Some(fold_words(DIGEST_FINAL, d.as_bytes()) | 1);
    }
    m.mtp3
        .map(|l| fold_mix((u64::from(l.opc) << 32) ^ u64::from(l.dpc)) | 1)
}

/// Shortest private extension value kept as a piece of a blob cut over a dialogue.
pub const MIN_EXT_PIECE: usize = 6;
/// Octets of pieces joined before they are judged (and most kept per transaction).
pub const EXT_PIECES_JUDGED: usize = 64;
/// Transactions whose pieces are kept at once (direct-mapped: a newer one takes the slot).
pub const EXT_PIECE_SLOTS: usize = 256;
/// Seconds after which a transaction's pieces are dropped (a dialogue is long over).
pub const EXT_PIECES_WINDOW_S: f64 = 600.0;

/// The content octets of a private extension value (`raw`: its extType's whole encoding) when
/// it is too short to be judged alone (under `min_len`) but long enough to be a piece of a
/// blob, and dense: at least three in four of its octets distinct (vendor flags, counters and
/// codes repeat octets; printable pieces, of a text encoding's smaller alphabet: one in two).
fn dense_piece(raw: &[u8], min_len: usize) -> Option<&[u8]> {
    let v = ext_content(raw);
    if !(MIN_EXT_PIECE..min_len).contains(&v.len()) {
        return None;
    }
    let distinct = sigscope_core::octets::distinct(v);
    let dense = if v.iter().all(u8::is_ascii_graphic) {
        distinct * 2 >= v.len()
    } else {
        distinct * 4 >= v.len() * 3
    };
    dense.then_some(v)
}

/// The sender's side of a message's TCAP transaction (its own id and the message's ends):
/// the same for the Begin and each Continue a side sends.
pub(super) fn sender_transaction(m: &Message<'_>) -> Option<u64> {
    let t = m.tcap.as_ref()?;
    let sigscope_tcap::Tcap::Itu(x) = &t.tcap else {
        return None;
    };
    let id = x.otid?;
    let h = u64::from(id.value()) | ((id.0.len() as u64) << 32);
    Some(fold_mix(fold_mix(h ^ sender_key(m).unwrap_or(0)) ^ DIGEST_FINAL) | 1)
}

/// Shortest USSD string kept as a piece of encoded data cut over a dialogue.
pub const MIN_USSD_PIECE: usize = 6;
/// Longest: a string this short says little alone (its entropy cannot reach a threshold).
pub const MAX_USSD_PIECE: usize = 32;

/// Whether a USSD string may be a piece of encoded data cut over a dialogue: too short to
/// say much alone, one token of a base64/base32/hex alphabet (no spaces, no service-code `*`
/// or `#`), with letters (menu choices and amounts are digits).
pub(super) fn ussd_piece(text: &str) -> bool {
    let b = text.as_bytes();
    let alphabet =
        |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'-' | b'_');
    (MIN_USSD_PIECE..=MAX_USSD_PIECE).contains(&b.len())
        && b.iter().all(alphabet)
        && b.iter().any(u8::is_ascii_alphabetic)
}

impl Engine {
    /// A USSD string too short to judge alone but shaped like a piece of encoded data
    /// ([`ussd_piece`]) joined with the earlier ones of its sender's transaction; 2001 when
    /// the pieces joined read as encoded. Out of line: rare.
    #[cold]
    #[inline(never)]
    pub(super) fn ussd_pieces(
        &mut self,
        m: &Message<'_>,
        ts: f64,
        piece: &[u8],
        operation: Option<&'static str>,
        found: &mut Hits<'_>,
    ) {
        let Some(key) = sender_transaction(m) else {
            return;
        };
        let t = &self.policy.thresholds;
        let (min_len, bits) = (t.encoded_min_len, t.text_entropy_bits);
        let Some((joined, pieces)) = self.ussd_text_pieces.push(key, ts, piece) else {
            return;
        };
        let verdict = std::str::from_utf8(joined)
            .ok()
            .and_then(|s| crate::content::encoded_text(s, min_len, bits));
        let len = joined.len();
        self.ussd_text_pieces.clear(key);
        if let Some(v) = verdict {
            found.hit(&sig::USSD_ENCODED_PAYLOAD, || {
                json!({"operation": operation, "field": "ussd_dialogue", "pieces": pieces,
                       "len": len, "encoding": v.kind, "entropy": round(v.entropy, 2)})
            });
        }
    }
}

/// One transaction's pieces.
#[derive(Debug, Clone, Copy)]
struct PieceSlot {
    key: u64,
    at: f64,
    len: u8,
    pieces: u8,
    /// A digest of the last piece (a value repeated in each message is no piece of a blob).
    last: u64,
    buf: [u8; EXT_PIECES_JUDGED],
}

/// Dense private extension values too short to judge, joined per sender's transaction
/// (direct-mapped, [`EXT_PIECE_SLOTS`] slots made on first use: nothing grows).
#[derive(Debug, Default)]
pub struct ExtPieces(Vec<PieceSlot>);

impl ExtPieces {
    /// Add `piece` to the pieces of `key`; the joined pieces and their count once
    /// [`EXT_PIECES_JUDGED`] octets are held.
    pub(super) fn push(&mut self, key: u64, ts: f64, piece: &[u8]) -> Option<(&[u8], u8)> {
        if self.0.is_empty() {
            self.0 = vec![
                PieceSlot {
                    key: 0,
                    at: 0.0,
                    len: 0,
                    pieces: 0,
                    last: 0,
                    buf: [0; EXT_PIECES_JUDGED],
                };
                EXT_PIECE_SLOTS
            ];
        }
        let s = self.0.get_mut(key as usize % EXT_PIECE_SLOTS)?;
        let digest = octets_digest(piece);
        if s.key != key || ts - s.at > EXT_PIECES_WINDOW_S || ts < s.at {
            s.key = key;
            s.len = 0;
            s.pieces = 0;
            s.last = 0;
        }
        s.at = ts;
        if s.last == digest {
            return None;
        }
        s.last = digest;
        let mut len = usize::from(s.len);
        append(&mut s.buf, &mut len, piece);
        s.len = len as u8;
        s.pieces = s.pieces.saturating_add(1);
        (usize::from(s.len) == EXT_PIECES_JUDGED && s.pieces >= 2)
            .then_some((s.buf.as_slice(), s.pieces))
    }

    /// Drop the pieces of `key` (judged).
    pub(super) fn clear(&mut self, key: u64) {
        if let Some(s) = self.0.get_mut(key as usize % EXT_PIECE_SLOTS) {
            if s.key == key {
                s.key = 0;
                s.len = 0;
            }
        }
    }
}
