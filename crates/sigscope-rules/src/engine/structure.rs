//! Structure detectors (1xxx): the message breaks its protocol where a real node never would.

use arrayvec::ArrayVec;
use serde_json::{json, Value};
use sigscope_core::{AnomalyCode, Layer};
use sigscope_decode::{GtpLayer, Message};
use sigscope_gtp::v1::{self, V1Value};
use sigscope_gtp::v2::{self, V2Value};
use sigscope_gtp::Message as Gtp;

use super::*;
use crate::signatures as sig;

/// Octets of the fixed GTP header that the length field does not count (GTPv1: 8, GTPv2: 4).
const V1_UNCOUNTED: usize = 8;
const V2_UNCOUNTED: usize = 4;

/// The datagram runs past the message its length field announces, and everything past it is
/// zero octets (padding).
fn zero_padded(g: &GtpLayer<'_>) -> bool {
    let msg = &g.decoded.message;
    let declared = match msg {
        Gtp::V1(x) => V1_UNCOUNTED + usize::from(x.length()),
        Gtp::V2(x) => V2_UNCOUNTED + usize::from(x.length()),
        _ => return false,
    };
    match msg.datagram().get(declared..) {
        Some(tail) if !tail.is_empty() => tail.iter().all(|b| *b == 0),
        _ => false,
    }
}

impl Engine {
    #[inline(never)]
    pub(super) fn structure(&self, m: &Message<'_>, found: &mut Hits<'_>) {
        if let Some(g) = &m.gtp {
            self.gtp_echo(g, found);
        }
        let mut digits_reported = false;
        for a in m.anomalies {
            let s = match (a.layer, a.code) {
                // bytes after the message are judged by what they are: zero padding is an
                // anomaly of the record, not data hidden behind the message
                (Layer::Gtp, AnomalyCode::HeaderLengthMismatch | AnomalyCode::TrailingBytes)
                    if m.gtp.as_ref().is_some_and(|g| zero_padded(g)) =>
                {
                    None
                }
                (
                    Layer::Gtp,
                    AnomalyCode::HeaderLengthMismatch
                    | AnomalyCode::TrailingBytes
                    | AnomalyCode::HeaderTruncated,
                ) => Some(&sig::GTP_LENGTH_MISMATCH),
                (Layer::Gtp, AnomalyCode::UnassignedMessageType) => Some(&sig::GTP_UNASSIGNED_TYPE),
                (Layer::Gtp, AnomalyCode::NotGtp) => Some(&sig::NOT_GTP_ON_GTP_PORT),
                // a GTP' / GTPv0 header on a GTP-C / GTP-U port whose fixed bits are wrong
                // too: another protocol's bytes read as one (STUN, RTP), not a node's GTP
                (Layer::Gtp, AnomalyCode::GtpVersionPortMismatch)
                    if m.anomalies.iter().any(|b| {
                        b.layer == Layer::Gtp && b.code == AnomalyCode::ReservedBitSet
                    }) =>
                {
                    Some(&sig::NOT_GTP_ON_GTP_PORT)
                }
                (
                    Layer::Gtp,
                    AnomalyCode::GtpInGtpu
                    | AnomalyCode::GtpuOnControlPort
                    | AnomalyCode::GtpcOnUserPort,
                ) => Some(&sig::GTP_TUNNEL_ABUSE),
                (Layer::Sccp, AnomalyCode::SccpDataNotTcap) => Some(&sig::SCCP_NOT_TCAP),
                (Layer::Tcap, AnomalyCode::TcapMalformed) => Some(&sig::TCAP_MALFORMED),
                (
                    _,
                    AnomalyCode::NonDigitNibble
                    | AnomalyCode::GtNonDigitSignal
                    | AnomalyCode::TbcdNonDigit,
                ) if !digits_reported => {
                    digits_reported = true;
                    Some(&sig::IDENTITY_NOT_DIGITS)
                }
                _ => None,
            };
            if let Some(s) = s {
                if !found.seen(s.id) {
                    found.hit(s, || json!({"anomaly": a.code.as_str(), "layer": a.layer.as_str(), "offset": a.offset,
                               "value": a.value, "detail": a.detail}));
                }
            }
        }
    }

    /// A valid Echo carries only Recovery, Private Extension and (v2) Sending Node Features.
    pub(super) fn gtp_echo(&self, g: &GtpLayer<'_>, found: &mut Hits<'_>) {
        let msg = &g.decoded.message;
        let ty = msg.message_type();
        if !(ty == GTP_ECHO_REQUEST || ty == GTP_ECHO_RESPONSE) {
            return;
        }
        let max = self.policy.thresholds.echo_private_extension_max;
        // (type, name, len) of every top-level IE, with the private extension's enterprise
        let mut bad: ArrayVec<(u8, Option<&'static str>, usize), MAX_LISTED_IES> = ArrayVec::new();
        let mut pe = EchoPrivate::default();
        // Recovery and Sending Node Features appear once (private extensions may repeat)
        let mut seen = [false; 2];
        let (protocol, length) = match msg {
            Gtp::V1(m) => {
                for ie in m.ies().map_while(Result::ok) {
                    self.echo_ie_v1(&ie, &mut bad, &mut pe, max, &mut seen);
                }
                ("gtpv1", u64::from(m.length()))
            }
            Gtp::V0(m) => {
                for ie in m.ies().map_while(Result::ok) {
                    self.echo_ie_v1(&ie, &mut bad, &mut pe, max, &mut seen);
                }
                ("gtpv0", u64::from(m.length()))
            }
            // GTP' Echo carries Recovery (and private extensions) like GTPv1's (TS 32.295)
            Gtp::Prime(m) => {
                for ie in m.ies().map_while(Result::ok) {
                    self.echo_ie_v1(&ie, &mut bad, &mut pe, max, &mut seen);
                }
                ("gtp_prime", u64::from(m.length()))
            }
            Gtp::V2(m) => {
                for ie in m.ies().map_while(Result::ok) {
                    let again = match ie.ie_type {
                        v2::IeType::RECOVERY => once(&mut seen, 0),
                        v2::IeType::NODE_FEATURES => once(&mut seen, 1),
                        _ => false,
                    };
                    // every IE of an Echo is the first of its type: instance 0
                    if !V2_ECHO_IES.contains(&ie.ie_type.0) || ie.instance != 0 || again {
                        let _ = bad.try_push((ie.ie_type.0, ie.ie_type.name(), ie.value.len()));
                    }
                    if ie.ie_type == v2::IeType::PRIVATE_EXTENSION {
                        pe.add(ie.value, max, || match ie.decode() {
                            Ok(V2Value::PrivateExtension { enterprise, .. }) => Some(enterprise),
                            _ => None,
                        });
                    }
                }
                ("gtpv2", u64::from(m.length()))
            }
            _ => return,
        };
        if !bad.is_empty() {
            found.hit(&sig::GTP_ECHO_UNEXPECTED_IE, || {
                let list: Vec<Value> = bad
                    .iter()
                    .map(|(t, n, l)| json!({"type": t, "name": n, "len": l}))
                    .collect();
                json!({"message": gtp_name(g), "protocol": protocol, "unexpected_ies": list, "length": length})
            });
        }
        // a value the peer sent before (or a counter or clock in it moved) is its vendor's,
        // reported when it was new: one large private extension that every keepalive of a
        // node carries is one finding, not one per Echo
        // (the history is of an Echo's first private extension: an Echo carrying several is
        // judged whole, as a payload split across them may follow a constant one)
        let src = found.ctx.m.endpoints.map(|e| e.src);
        if (pe.large.is_some() || pe.total > max)
            && pe.all == 1
            && src.is_some_and(|s| self.echo_pe_repeats(g, s))
        {
            // a flow this peer's 1002 flagged: the value it found was the node's own, not a
            // command (a command channel changes its value whole from Echo to Echo)
            if found.flagged_by == Some(sig::GTP_ECHO_LARGE_PRIVATE_EXTENSION.id) {
                found.lift = true;
            }
            return;
        }
        if let Some((len, enterprise)) = pe.large {
            // the IE length counts the 2-octet enterprise id too
            found.hit(&sig::GTP_ECHO_LARGE_PRIVATE_EXTENSION, || {
                json!({"message": gtp_name(g), "private_extension_len": len, "max": max, "enterprise": enterprise})
            });
        } else if let (true, Some((len, enterprise))) = (pe.total > max, pe.first) {
            // small ones that carry as much together (a payload split across several)
            found.hit(&sig::GTP_ECHO_LARGE_PRIVATE_EXTENSION, || {
                json!({"message": gtp_name(g), "private_extension_len": len, "max": max, "enterprise": enterprise,
                       "private_extensions": pe.count, "total_len": pe.total})
            });
        }
    }

    pub(super) fn echo_ie_v1(
        &self,
        ie: &v1::Ie<'_>,
        bad: &mut ArrayVec<(u8, Option<&'static str>, usize), MAX_LISTED_IES>,
        pe: &mut EchoPrivate,
        max: usize,
        seen: &mut [bool; 2],
    ) {
        let again = ie.ie_type == v1::IeType::RECOVERY && once(seen, 0);
        if !V1_ECHO_IES.contains(&ie.ie_type.0) || again {
            let _ = bad.try_push((ie.ie_type.0, ie.name(), ie.value.len()));
        }
        if ie.ie_type == v1::IeType::PRIVATE_EXTENSION {
            pe.add(ie.value, max, || match ie.decode() {
                Ok(V1Value::PrivateExtension { enterprise, .. }) => Some(enterprise),
                _ => None,
            });
        }
    }
}

/// The private extensions of one Echo: the first larger than the policy allows, the first of
/// all, and how many and how much value (without the enterprise ids) they carry together.
#[derive(Default)]
pub(super) struct EchoPrivate {
    /// Private extensions of the Echo, vendor text too.
    all: usize,
    large: Option<(usize, Option<u16>)>,
    first: Option<(usize, Option<u16>)>,
    count: usize,
    total: usize,
}

/// Whether the IE of place `i` (one that appears once per message) was seen before,
/// marking it seen.
fn once(seen: &mut [bool; 2], i: usize) -> bool {
    seen.get_mut(i).is_some_and(|s| std::mem::replace(s, true))
}

/// Longest Echo private extension value taken as a vendor's text (a software version, a node
/// name: `VRP V8R21C10 SPC300`) rather than a payload: printable, its text not encoded
/// ([`vendor_text`]), and no longer than this.
pub const ECHO_PE_VENDOR_TEXT_MAX: usize = 64;

/// Most octets of a vendor's record that are not text: the tags and lengths of its fields, a
/// counter, a release number (`ZXUN-uMAC V7.23.10` then `00 01`).
pub const ECHO_PE_RECORD_BINARY_MAX: usize = 12;

/// Shortest run of text a vendor's record holds (a name, a version, a clock in digits).
pub const ECHO_PE_RECORD_TEXT_MIN: usize = 8;

/// Fewest characters of a run of a record's text judged as text (shorter ones between binary
/// octets are a counter's printable octets).
const RECORD_RUN_MIN: usize = 3;
/// The verdict of text judged by its entropy alone (`content::encoded_text`).
const HIGH_ENTROPY: &str = "high_entropy";
/// Fewest words of a record's text read as fields.
const RECORD_FIELDS_MIN: usize = 3;
/// Longest word of a record's fields (a product, a release, `node=jnb-cmg02`).
const RECORD_WORD_MAX: usize = 20;

/// Encoded text cut into words by spaces (base64 or hex read again once the spaces are
/// taken out): not a record's fields, whatever their lengths.
fn spaced_encoding(s: &str) -> bool {
    let mut joined: ArrayVec<u8, ECHO_PE_VENDOR_TEXT_MAX> = ArrayVec::new();
    for b in s.bytes().filter(|b| !b.is_ascii_whitespace()) {
        if joined.try_push(b).is_err() {
            return true;
        }
    }
    std::str::from_utf8(&joined).is_ok_and(|j| {
        crate::content::encoded_text(
            j,
            super::gtp_peers::ECHO_PE_MIN_LEN,
            crate::content::PRINTABLE_ENCODED_BITS,
        )
        .is_some_and(|v| v.kind != HIGH_ENTROPY)
    })
}

/// Text that reads as a record's fields: [`RECORD_FIELDS_MIN`] words or more between
/// spaces, none longer than [`RECORD_WORD_MAX`] characters.
fn fields(s: &str) -> bool {
    let mut n = 0;
    for w in s.split_ascii_whitespace() {
        if w.len() > RECORD_WORD_MAX {
            return false;
        }
        n += 1;
    }
    n >= RECORD_FIELDS_MIN
}

/// Whether an Echo private extension's value (after its enterprise id) is a vendor's text:
/// printable, or a record of text fields with a few octets of tags, lengths and counters
/// between them (at most [`ECHO_PE_RECORD_BINARY_MAX`] and a third of the value, with a run
/// of text of [`ECHO_PE_RECORD_TEXT_MIN`] or more). Its text, its runs joined as lines and
/// end to end, may not be encoded (base64, hex, base32, also once spaces are taken out; text
/// of high entropy unless it reads as a record's fields, [`fields`]) nor read as shell
/// commands. Random octets are two thirds unprintable and hardly ever hold eight printable
/// ones in a row.
pub(super) fn vendor_text(value: &[u8]) -> bool {
    let text = |b: &u8| crate::content::printable(*b);
    if value.len() > ECHO_PE_VENDOR_TEXT_MAX {
        return false;
    }
    let binary = value.iter().filter(|b| !text(b)).count();
    if binary > ECHO_PE_RECORD_BINARY_MAX || binary * 3 > value.len() {
        return false;
    }
    // (a record's few dozen characters of names, versions and settings have many distinct
    // characters, so the entropy of text alone does not make it suspect when it reads as
    // fields: words between spaces, none longer than a token of a name or version)
    let suspect = |s: &str| {
        crate::content::encoded_text(
            s,
            super::gtp_peers::ECHO_PE_MIN_LEN,
            crate::content::PRINTABLE_ENCODED_BITS,
        )
        .is_some_and(|v| v.kind != HIGH_ENTROPY || !fields(s))
            || crate::content::shell_like(s).is_some()
            || spaced_encoding(s)
    };
    // the runs of text joined, as lines (each run's own encoding and commands, commands cut
    // by newlines read one per line) and end to end (base64 cut into runs too short to judge
    // by binary octets between them reads as base64 again)
    let mut lines: ArrayVec<u8, ECHO_PE_VENDOR_TEXT_MAX> = ArrayVec::new();
    let mut joined: ArrayVec<u8, ECHO_PE_VENDOR_TEXT_MAX> = ArrayVec::new();
    let mut longest = 0;
    // (a run of one or two characters between binary octets is a counter's or a length's
    // octets that happen to be printable, `00 00 6b 3d` read as `k=`: not text, and joined to
    // the text it made `...SPC300k=` look like padded base64)
    for run in value
        .split(|b| !text(b))
        .filter(|r| r.len() >= RECORD_RUN_MIN)
    {
        longest = longest.max(run.len());
        if !lines.is_empty() {
            let _ = lines.try_push(b'\n');
        }
        // (the value is at most as long as both: nothing is cut)
        let _ = lines.try_extend_from_slice(run);
        let _ = joined.try_extend_from_slice(run);
    }
    for t in [&lines[..], &joined[..]] {
        if std::str::from_utf8(t).map_or(true, suspect) {
            return false;
        }
    }
    binary == 0 || longest >= ECHO_PE_RECORD_TEXT_MIN
}

impl EchoPrivate {
    /// One private extension (its IE value: the 2-octet enterprise id, then the value).
    fn add(&mut self, ie_value: &[u8], max: usize, enterprise: impl FnOnce() -> Option<u16>) {
        let len = ie_value.len();
        let data = ie_value.get(2..).unwrap_or_default();
        self.all += 1;
        if vendor_text(data) {
            return;
        }
        let value = len.saturating_sub(2);
        self.count += 1;
        self.total += value;
        if self.large.is_none() && (value > max || self.first.is_none()) {
            let e = (len, enterprise());
            if value > max {
                self.large = Some(e);
            }
            if self.first.is_none() {
                self.first = Some(e);
            }
        }
    }
}
