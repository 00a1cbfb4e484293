//! Content detectors (2xxx): a field carries data its type never carries.

use serde_json::{json, Value};
use sigscope_core::e212;
use sigscope_decode::{GtpLayer, Message};
use sigscope_gtp::v1::{self, V1Value};
use sigscope_gtp::v2::{self, V2Value};
use sigscope_gtp::Message as Gtp;

use super::*;
use crate::content::{encoded_binary, encoded_text, shell_like};
use crate::signatures as sig;

/// Most digits of an MSISDN (E.164).
const MAX_MSISDN_DIGITS: usize = 15;
/// Digits of a mobile country code (the first of an IMSI).
const MCC_DIGITS: usize = 3;
/// Kinds of text in [`Engine::text_digest`].
const USSD_TEXT: u64 = 1;
const SMS_TEXT: u64 = 2;

/// What one walk over a GTP message's IEs found ([`Engine::gtp_ies`]).
#[derive(Debug, Default)]
pub(super) struct GtpIes {
    /// The first top-level IE of a length no node sends: type, name, length.
    pub(super) bad_length: Option<(u8, Option<&'static str>, usize)>,
    /// The first private extension whose value looks encoded: enterprise, verdict.
    pub(super) private_ext: Option<(u16, crate::content::Verdict)>,
}

impl Engine {
    #[inline(never)]
    pub(super) fn content(
        &mut self,
        m: &Message<'_>,
        ctx: &Ctx,
        ies: &GtpIes,
        found: &mut Hits<'_>,
    ) {
        let t = &self.policy.thresholds;
        let (min_len, entropy_bits) = (t.encoded_min_len, t.text_entropy_bits);
        for (i, e) in m.map.iter().enumerate() {
            let Some(p) = &e.param else { continue };
            let ids = ctx.ids(i);
            // a text known to raise nothing (the same octets seen before) is not decoded again
            let ussd = p.ussd.as_ref().map(|u| {
                let dcs = u.dcs.map_or(0, |d| 0x100 | u64::from(d));
                (u, self.text_digest(USSD_TEXT | (dcs << 8), u.string))
            });
            if let Some((u, digest)) = ussd.filter(|(_, d)| !self.clean_texts.contains_key(d)) {
                self.text.clear();
                let mut clean = true;
                // 8-bit data or text marked compressed (no USSD service sends either): its
                // octets are judged as binary, as a binary short message's are
                let coding = u.coding();
                if coding.compressed || coding.charset == sigscope_map::sms::Charset::Eight {
                    let t = &self.policy.thresholds;
                    if let Some(v) =
                        encoded_binary(u.string, t.binary_min_len, t.binary_entropy_bits)
                            .filter(|v| v.kind == "encrypted")
                    {
                        clean = false;
                        found.hit(&sig::USSD_ENCODED_PAYLOAD, || json!({"operation": e.operation(), "dcs": u.dcs,
                                   "encoding": "binary", "entropy": round(v.entropy, 2), "len": u.string.len(),
                                   "msisdn": ids.msisdn(e).map(Id::as_str)}));
                    }
                }
                let mut piece = false;
                if clean && u.text_into(&mut self.text) {
                    let text = self.text.as_str();
                    if let Some(marker) = shell_like(text) {
                        clean = false;
                        found.hit(&sig::TEXT_SHELL_COMMAND, || {
                            json!({"operation": e.operation(), "field": "ussd", "text": text,
                                   "marker": marker})
                        });
                    }
                    if let Some(v) = encoded_text(text, min_len, entropy_bits) {
                        clean = false;
                        found.hit(&sig::USSD_ENCODED_PAYLOAD, || json!({"operation": e.operation(), "ussd": text, "encoding": v.kind,
                                   "entropy": round(v.entropy, 2), "len": v.len, "msisdn": ids.msisdn(e).map(Id::as_str)}));
                    }
                    piece = clean && misuse::ussd_piece(text);
                }
                if piece {
                    // encoded data cut into strings each too short to judge, over a dialogue
                    // (the text lent out of its buffer while the pieces are joined)
                    let text = std::mem::take(&mut self.text);
                    let before = found.out.len();
                    self.ussd_pieces(m, ctx.ts, text.as_bytes(), e.operation(), found);
                    clean = found.out.len() == before;
                    self.text = text;
                }
                if clean {
                    self.remember_clean(digest);
                } else {
                    // commands sent from a foreign title, or output sent back to one: that
                    // title's other messages are its C2's
                    let (calling, called) = m.parties();
                    let (them, us) = if e.component == sigscope_tcap::ComponentKind::Invoke {
                        (calling, called)
                    } else {
                        (called, calling)
                    };
                    // (without a policy, "foreign" names both ends of an international
                    // dialogue: never the end of the country most titles belong to)
                    if them.is_some_and(|c| {
                        self.foreign(c, us) == Some(true) && !self.probably_home(c)
                    }) {
                        let a = them.and_then(Actor::gt);
                        found.actor(&sig::TEXT_SHELL_COMMAND, a);
                        found.actor(&sig::USSD_ENCODED_PAYLOAD, a);
                    }
                }
            }
            let sms = e.sms.as_ref().map(|tp| {
                let digest = tp.user_data.as_ref().map(|u| {
                    let head =
                        u64::from(u.udl) | (u64::from(u.dcs.0) << 8) | (u64::from(u.udhi) << 16);
                    self.text_digest(SMS_TEXT | (head << 8), u.raw)
                });
                (tp, digest)
            });
            let known_clean =
                |d: &Option<u64>| d.is_some_and(|d| self.clean_texts.contains_key(&d));
            if let Some((tp, digest)) = sms.filter(|(_, d)| !known_clean(d)) {
                self.text.clear();
                let mut clean = true;
                if tp
                    .user_data
                    .as_ref()
                    .is_some_and(|u| u.text_into(&mut self.text))
                {
                    let text = self.text.as_str();
                    if let Some(marker) = shell_like(text) {
                        clean = false;
                        found.hit(&sig::TEXT_SHELL_COMMAND, || {
                            json!({"operation": e.operation(), "field": "sms_text", "text": text,
                                   "marker": marker})
                        });
                    }
                    if let Some(v) = encoded_text(text, min_len, entropy_bits) {
                        clean = false;
                        let originator = match (&tp.address, tp.kind) {
                            (Some(a), sigscope_map::sms::TpduKind::Deliver) => {
                                Value::from(a.text())
                            }
                            _ => Value::Null,
                        };
                        found.hit(&sig::SMS_ENCODED_PAYLOAD, || json!({"operation": e.operation(), "sms_text": text, "encoding": v.kind,
                                   "entropy": round(v.entropy, 2), "len": v.len, "originator": originator}));
                    }
                }
                if let (true, Some(d)) = (clean, digest) {
                    self.remember_clean(d);
                }
            }
            let mut bad = Vec::new();
            // judged on the TBCD octets: the IMSI is decoded only for the evidence
            if let Some(raw) = imsi_octets(e) {
                // all digits: the first three are the MCC
                let mcc_known = || e212::mcc_country(tbcd_leading(raw, MCC_DIGITS)).is_some();
                if let Some(len) = tbcd_decimal_len(raw) {
                    if !(6..=15).contains(&len) || !mcc_known() {
                        let text = ids.imsi(e).map(Id::as_str);
                        bad.push(json!({"imsi": text, "len": len}));
                    }
                }
            }
            // TBCD octets give at most two digits each: an MSISDN of fewer than eight octets
            // cannot be too long (and is not decoded for this)
            let long = |a: AddressString<'_>| a.digit_octets().len() * 2 > MAX_MSISDN_DIGITS;
            if let Some(id) = msisdn_address(e)
                .filter(|a| long(*a))
                .and_then(|_| ids.msisdn(e))
            {
                let s = id.as_bytes();
                if digits_ok(s) && s.len() > MAX_MSISDN_DIGITS {
                    bad.push(json!({"msisdn": id.as_str(), "len": s.len()}));
                }
            }
            if !bad.is_empty() && !found.seen(sig::IDENTITY_MALFORMED.id) {
                found.hit(
                    &sig::IDENTITY_MALFORMED,
                    || json!({"operation": e.operation(), "identities": bad}),
                );
            }
        }
        if let Some(g) = &m.gtp {
            if let Some((enterprise, v)) = ies.private_ext {
                found.hit(&sig::PRIVATE_EXTENSION_PAYLOAD, || {
                    json!({"message": gtp_name(g), "enterprise": enterprise, "encoding": v.kind,
                           "entropy": round(v.entropy, 2), "len": v.len})
                });
            }
            if let Some(imsi) = &g.summary.imsi {
                let s = imsi.as_str();
                if digits_ok(s.as_bytes()) && !(6..=15).contains(&s.len()) {
                    found.hit(
                        &sig::IDENTITY_MALFORMED,
                        || json!({"message": gtp_name(g), "imsi": s, "len": s.len()}),
                    );
                }
            }
        }
    }

    /// A 64-bit digest (seeded per engine) of a text's octets and what decoding them
    /// depends on (`head`: kind, coding, lengths).
    fn text_digest(&self, head: u64, data: &[u8]) -> u64 {
        let mut h = fold_mix(self.beacon_seed ^ head ^ ((data.len() as u64) << 40));
        let mut words = data.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            h = fold_mix(h ^ u64::from_le_bytes(b));
        }
        let mut tail = [0u8; 8];
        for (t, b) in tail.iter_mut().zip(words.remainder()) {
            *t = *b;
        }
        fold_mix(h ^ u64::from_le_bytes(tail) ^ DIGEST_FINAL)
    }

    /// A text that raised nothing (its digest): it is not decoded again. A full memo is
    /// emptied.
    fn remember_clean(&mut self, digest: u64) {
        if self.clean_texts.len() >= MAX_CLEAN_TEXTS {
            self.clean_texts.clear();
        }
        self.clean_texts.insert(digest, ());
    }

    /// One walk over a GTP message's top-level IEs for the checks that read them: the first
    /// IE of a length no node sends (1022, `gtp_door`), the first private extension whose
    /// value looks encoded (2010, `content`; grouped GTPv2 IEs are walked into).
    #[inline(never)]
    pub(super) fn gtp_ies(&self, g: &GtpLayer<'_>) -> GtpIes {
        let t = &self.policy.thresholds;
        let max = t.private_extension_max_len;
        let mut out = GtpIes::default();
        let encoded = |value| pe_payload(value, t);
        // most messages carry no private extension (the decoder's summary says so): GTPv2's
        // IEs are then walked for the lengths of Recovery and Node Features alone (no grouped
        // IE decoded), and other versions' not at all
        let private = g.summary.private_extension;
        match &g.decoded.message {
            Gtp::V2(x) => {
                for ie in x.ies().map_while(Result::ok) {
                    if out.bad_length.is_none() {
                        let n = ie.value.len();
                        let wrong = match ie.ie_type {
                            v2::IeType::RECOVERY | v2::IeType::NODE_FEATURES => {
                                n != gtp_door::V2_ONE_OCTET_IE_LEN
                            }
                            v2::IeType::PRIVATE_EXTENSION => n > max,
                            _ => false,
                        };
                        if wrong {
                            out.bad_length = Some((ie.ie_type.0, ie.ie_type.name(), n));
                        }
                    }
                    // only grouped IEs and private extensions are decoded
                    if private
                        && out.private_ext.is_none()
                        && (ie.ie_type.is_grouped() || ie.ie_type == v2::IeType::PRIVATE_EXTENSION)
                    {
                        out.private_ext = match ie.decode() {
                            Ok(V2Value::Grouped(inner)) => self.private_ext_v2(inner, 1),
                            Ok(V2Value::PrivateExtension { enterprise, value }) => {
                                encoded(value).map(|v| (enterprise, v))
                            }
                            _ => None,
                        };
                    }
                    if out.bad_length.is_some() && (out.private_ext.is_some() || !private) {
                        break;
                    }
                }
            }
            Gtp::V1(x) if private && !x.is_gpdu() => {
                for ie in x.ies().map_while(Result::ok) {
                    if ie.ie_type != v1::IeType::PRIVATE_EXTENSION {
                        continue;
                    }
                    if out.bad_length.is_none() && ie.value.len() > max {
                        out.bad_length = Some((ie.ie_type.0, ie.name(), ie.value.len()));
                    }
                    if out.private_ext.is_none() {
                        if let Ok(V1Value::PrivateExtension { enterprise, value }) = ie.decode() {
                            out.private_ext = encoded(value).map(|v| (enterprise, v));
                        }
                    }
                    if out.bad_length.is_some() && out.private_ext.is_some() {
                        break;
                    }
                }
            }
            Gtp::Prime(x) if private => out.private_ext = self.private_ext_v1(x.ies()),
            Gtp::V0(x) if private && x.message_type().0 != GTP_GPDU => {
                out.private_ext = self.private_ext_v1(x.ies());
            }
            _ => {}
        }
        out
    }

    pub(super) fn private_ext_v1(
        &self,
        ies: v1::IeIter<'_>,
    ) -> Option<(u16, crate::content::Verdict)> {
        let t = &self.policy.thresholds;
        for ie in ies.map_while(Result::ok) {
            if ie.ie_type != v1::IeType::PRIVATE_EXTENSION {
                continue;
            }
            if let Ok(V1Value::PrivateExtension { enterprise, value }) = ie.decode() {
                if let Some(v) = pe_payload(value, t) {
                    return Some((enterprise, v));
                }
            }
        }
        None
    }

    pub(super) fn private_ext_v2(
        &self,
        ies: v2::IeIter<'_>,
        depth: usize,
    ) -> Option<(u16, crate::content::Verdict)> {
        if depth > MAX_IE_DEPTH {
            return None;
        }
        let t = &self.policy.thresholds;
        for ie in ies.map_while(Result::ok) {
            // only grouped IEs and private extensions are decoded
            if !(ie.ie_type.is_grouped() || ie.ie_type == v2::IeType::PRIVATE_EXTENSION) {
                continue;
            }
            match ie.decode() {
                Ok(V2Value::Grouped(inner)) => {
                    if let Some(r) = self.private_ext_v2(inner, depth + 1) {
                        return Some(r);
                    }
                }
                Ok(V2Value::PrivateExtension { enterprise, value }) => {
                    if let Some(v) = pe_payload(value, t) {
                        return Some((enterprise, v));
                    }
                }
                _ => {}
            }
        }
        None
    }
}

/// A GTP private extension's value judged as a payload (2003): encoded or high-entropy
/// octets, unless they are a vendor's record of text fields with its counters
/// ([`super::structure::vendor_text`]: a version string, a node name and a 2-octet counter
/// measure as random by their entropy).
fn pe_payload(value: &[u8], t: &crate::policy::Thresholds) -> Option<crate::content::Verdict> {
    encoded_binary(value, t.binary_min_len, t.binary_entropy_bits)
        .filter(|_| !super::structure::vendor_text(value))
}
