//! Content detectors (2xxx): a field carries data its type never carries.

use serde_json::{json, Value};
use sigscope_core::e212;
use sigscope_decode::Message;
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

impl Engine {
    #[inline(never)]
    pub(super) fn content(&mut self, m: &Message<'_>, ctx: &Ctx, found: &mut Hits<'_>) {
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
                if u.text_into(&mut self.text) {
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
                }
                if clean {
                    self.remember_clean(digest);
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
            if let Some(id) = ids.imsi() {
                let s = id.as_bytes();
                // all digits: the first three are the MCC
                let mcc_known = || {
                    s.get(..MCC_DIGITS)
                        .map(|m| m.iter().fold(0u16, |v, d| v * 10 + u16::from(d - b'0')))
                        .and_then(e212::mcc_country)
                        .is_some()
                };
                if digits_ok(s) && (!(6..=15).contains(&s.len()) || !mcc_known()) {
                    bad.push(json!({"imsi": id.as_str(), "len": s.len()}));
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
            let pe = match &g.decoded.message {
                Gtp::V2(x) => self.private_ext_v2(x.ies(), 0),
                Gtp::V1(x) if !x.is_gpdu() => self.private_ext_v1(x.ies()),
                Gtp::Prime(x) => self.private_ext_v1(x.ies()),
                Gtp::V0(x) if x.message_type().0 != GTP_GPDU => self.private_ext_v1(x.ies()),
                _ => None,
            };
            if let Some((enterprise, v)) = pe {
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
                if let Some(v) = encoded_binary(value, t.binary_min_len, t.binary_entropy_bits) {
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
                    if let Some(v) = encoded_binary(value, t.binary_min_len, t.binary_entropy_bits)
                    {
                        return Some((enterprise, v));
                    }
                }
                _ => {}
            }
        }
        None
    }
}
