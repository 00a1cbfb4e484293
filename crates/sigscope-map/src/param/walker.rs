//! The walker every operation's decoding is written with: [`D`] (the view being filled, the
//! anomalies, the nesting depth) walks BER elements once, and its methods decode the
//! structures TS 29.002 shares between operations (address strings, TBCD identities,
//! extension containers, location information, subscriber state and info, requested info,
//! SS-Info, authentication vector lists).

use sigscope_core::ber::{Class, Tag, Tlv};
use sigscope_core::digits::tbcd_flags;
use sigscope_core::{Anomaly, AnomalyCode, Layer};

use super::{
    AuthVectors, Location, MapParam, Raw, RequestedInfo, Role, SubscriberState, MAX_NESTING,
};
use crate::types::{AddressString, CellId, CellKind, Tbcd};

use sigscope_core::Anomalies;

pub(super) fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Map, code, offset, detail)
}

pub(super) struct D<'a, 'b> {
    /// The result, built in place (a view of ~1.7 KB: moving it cost more than the walk).
    pub(super) p: &'b mut MapParam<'a>,
    pub(super) an: &'b mut Anomalies,
    pub(super) depth: usize,
}

/// An element: offset in the parameter + TLV.
pub(super) type El<'a> = (usize, Tlv<'a>);

pub(super) const fn ctx_n(t: &Tlv<'_>) -> Option<u32> {
    match t.tag.class {
        Class::Context => Some(t.tag.number),
        _ => None,
    }
}

pub(super) fn is_os(t: &Tlv<'_>) -> bool {
    t.tag == Tag::OCTET_STRING
}

pub(super) fn small_uint(t: &Tlv<'_>) -> Option<u32> {
    t.uint().and_then(|v| u32::try_from(v).ok())
}

pub(super) fn first_octet(t: &Tlv<'_>) -> Option<u8> {
    t.value.first().copied()
}

impl<'a> D<'a, '_> {
    /// Walk the children of `e`, calling `f` for each; unnamed ones (f returns false) are
    /// counted and reported.
    #[inline]
    pub(super) fn each<F>(&mut self, e: El<'a>, mut f: F)
    where
        F: FnMut(&mut Self, El<'a>) -> bool,
    {
        let (off, t) = e;
        if !t.tag.constructed {
            self.an.push(
                anom(
                    AnomalyCode::UnexpectedTag,
                    off,
                    "primitive element where a constructed one belongs",
                )
                .with_value(u64::from(t.tag.number)),
            );
            self.p.unexpected = self.p.unexpected.saturating_add(1);
            return;
        }
        if self.depth >= MAX_NESTING {
            self.an.push(anom(
                AnomalyCode::NestingLimit,
                off,
                "parameter nested deeper than MAX_NESTING",
            ));
            return;
        }
        self.depth += 1;
        for r in t.children_at(off + t.header_len) {
            match r {
                Ok(c) => {
                    if !f(self, c) {
                        self.unexpected(c);
                    }
                }
                Err(err) => {
                    self.p.complete = false;
                    self.an.push(
                        anom(
                            AnomalyCode::ParameterUndecodable,
                            err.offset(),
                            "parameter breaks BER inside",
                        )
                        .with_value(u64::from(self.p.opcode.0)),
                    );
                    break;
                }
            }
        }
        self.depth -= 1;
    }

    pub(super) fn unexpected(&mut self, (off, t): El<'a>) {
        self.p.unexpected = self.p.unexpected.saturating_add(1);
        self.an.push(
            anom(
                AnomalyCode::UnexpectedTag,
                off,
                "element not in the operation's layout",
            )
            .with_value(u64::from(t.tag.number)),
        );
    }

    /// The only child of an explicitly tagged element (CHOICE under a tag).
    pub(super) fn inner(&mut self, (off, t): El<'a>) -> Option<El<'a>> {
        let base = off + t.header_len;
        match t.children_at(base).next() {
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                self.p.complete = false;
                self.an.push(anom(
                    AnomalyCode::ParameterUndecodable,
                    e.offset(),
                    "parameter breaks BER inside",
                ));
                None
            }
            None => None,
        }
    }

    pub(super) fn addr(&mut self, role: Role, (off, t): El<'a>) -> bool {
        if t.tag.constructed {
            return false;
        }
        let a = AddressString {
            raw: t.value,
            offset: off + t.header_len,
        };
        if t.value.is_empty() || t.value.len() > 20 {
            self.an.push(
                anom(
                    AnomalyCode::AddressLengthInvalid,
                    off,
                    "address string not 1-20 octets",
                )
                .with_value(t.value.len() as u64),
            );
        }
        if t.value.len() > 1 && tbcd_flags(a.digit_octets()).0 {
            self.an.push(
                anom(
                    AnomalyCode::TbcdNonDigit,
                    a.offset + 1,
                    "address digits hold a nibble 0xA-0xE",
                )
                .with_value(u64::from(role.0)),
            );
        }
        self.p.push_address(role, a);
        true
    }

    pub(super) fn tbcd_id(&mut self, (off, t): El<'a>, min: usize, max: usize) -> Option<Tbcd<'a>> {
        if t.tag.constructed {
            return None;
        }
        let v = Tbcd {
            raw: t.value,
            offset: off + t.header_len,
        };
        if t.value.len() < min || t.value.len() > max {
            self.an.push(
                anom(
                    AnomalyCode::IdentityLengthInvalid,
                    off,
                    "TBCD identity of a length TS 29.002 does not allow",
                )
                .with_value(t.value.len() as u64),
            );
        }
        let (non_digit, filler_inside) = tbcd_flags(v.raw);
        if non_digit || filler_inside {
            self.an.push(anom(
                AnomalyCode::TbcdNonDigit,
                v.offset,
                "TBCD identity holds a non-digit nibble",
            ));
        }
        Some(v)
    }

    pub(super) fn imsi(&mut self, e: El<'a>) -> bool {
        match self.tbcd_id(e, 3, 8) {
            Some(v) => {
                if self.p.imsi.is_none() {
                    self.p.imsi = Some(v);
                }
                true
            }
            None => false,
        }
    }

    pub(super) fn imei(&mut self, e: El<'a>) -> bool {
        match self.tbcd_id(e, 8, 8) {
            Some(v) => {
                self.p.imei = Some(v);
                true
            }
            None => false,
        }
    }

    pub(super) fn raw(&mut self, (off, t): El<'a>) -> Option<Raw<'a>> {
        (!t.tag.constructed).then_some(Raw {
            bytes: t.value,
            offset: off + t.header_len,
        })
    }

    pub(super) fn lmsi(&mut self, e: El<'a>) -> bool {
        self.p.lmsi = self.raw(e);
        if e.1.value.len() != 4 {
            self.an.push(
                anom(AnomalyCode::LmsiLengthInvalid, e.0, "LMSI is not 4 octets")
                    .with_value(e.1.value.len() as u64),
            );
        }
        self.p.lmsi.is_some()
    }

    /// ExtensionContainer ::= SEQUENCE { privateExtensionList [0], pcs-Extensions [1], ... }
    pub(super) fn ext(&mut self, e: El<'a>) -> bool {
        if !e.1.tag.constructed {
            return false;
        }
        self.p.extensions.containers = self.p.extensions.containers.saturating_add(1);
        self.each(e, |d, c| match ctx_n(&c.1) {
            Some(0) => {
                let x = &mut d.p.extensions;
                if c.1.tag.constructed
                    && x.private_list
                        .map_or(true, |l| l.bytes.len() < c.1.value.len())
                {
                    x.private_list = Some(Raw {
                        bytes: c.1.value,
                        offset: c.0 + c.1.header_len,
                    });
                }
                d.each(c, |d, pe| {
                    if pe.1.tag != Tag::SEQUENCE {
                        return false;
                    }
                    let x = &mut d.p.extensions;
                    x.private = x.private.saturating_add(1);
                    x.private_bytes = x
                        .private_bytes
                        .saturating_add(u32::try_from(pe.1.raw.len()).unwrap_or(u32::MAX));
                    let first = x.first_ext_id.is_none();
                    let mut kids = pe.1.children_at(pe.0 + pe.1.header_len);
                    // extId, then extType
                    if let (true, Some(Ok((_, oid)))) = (first, kids.next()) {
                        if oid.tag == Tag::OID {
                            d.p.extensions.first_ext_id = Some(oid.value);
                        }
                    }
                    if let Some(Ok((o, v))) = kids.next() {
                        let raw = Raw {
                            bytes: v.raw,
                            offset: o,
                        };
                        let x = &mut d.p.extensions;
                        if first {
                            x.first_ext_value = Some(raw);
                        }
                        if x.longest_ext_value
                            .map_or(true, |l| l.bytes.len() < v.raw.len())
                        {
                            x.longest_ext_value = Some(raw);
                        }
                    }
                    true
                });
                true
            }
            Some(1) => {
                d.p.extensions.pcs_value = Some(Raw {
                    bytes: c.1.raw,
                    offset: c.0,
                });
                true
            }
            _ => true, // extensible
        });
        true
    }

    /// For a form not recognised: a constructed value is still searched for extension
    /// containers (their presence and size are reported); returns false (not decoded).
    pub(super) fn ext_fallback(&mut self, e: El<'a>, t: &Tlv<'a>) -> bool {
        if t.tag.constructed {
            self.each(e, |d, c| {
                if D::looks_like_ext(&c.1) {
                    d.ext(c);
                }
                true
            });
        }
        false
    }

    /// An untagged SEQUENCE that is an ExtensionContainer when its children are [0]/[1].
    pub(super) fn looks_like_ext(t: &Tlv<'_>) -> bool {
        t.tag == Tag::SEQUENCE
            && match t.children().next() {
                Some(Ok((_, c))) => c.tag.class == Class::Context && c.tag.number <= 1,
                None => true,
                Some(Err(_)) => false,
            }
    }

    pub(super) fn ss_code(&mut self, e: El<'a>) -> bool {
        match first_octet(&e.1) {
            Some(c) if !e.1.tag.constructed => {
                self.p.push_ss(c);
                true
            }
            _ => false,
        }
    }

    pub(super) fn cell_choice(&mut self, e: El<'a>, loc: &mut Location<'a>, sai: bool) {
        if let Some((o, t)) = self.inner(e) {
            let kind = match (ctx_n(&t), sai) {
                (Some(0), false) => CellKind::Cgi,
                (Some(0), true) => CellKind::Sai,
                (Some(1), _) => CellKind::Lai,
                _ => {
                    self.unexpected((o, t));
                    return;
                }
            };
            loc.cell = self.cell((o, t), kind);
        }
    }

    pub(super) fn cell(&mut self, (o, t): El<'a>, kind: CellKind) -> Option<CellId<'a>> {
        if t.value.len() != CellId::expected_len(kind) {
            self.an.push(
                anom(
                    AnomalyCode::CellIdLengthInvalid,
                    o,
                    "cell / area identity of the wrong length",
                )
                .with_value(t.value.len() as u64),
            );
        }
        Some(CellId {
            kind,
            raw: t.value,
            offset: o + t.header_len,
        })
    }

    /// LocationInformation (CS).
    pub(super) fn location_cs(&mut self, e: El<'a>) -> bool {
        let mut loc = Location::default();
        let mut sai = false;
        let mut cell_el = None;
        self.each(e, |d, c| {
            let t = &c.1;
            if t.tag == Tag::INTEGER {
                loc.age = small_uint(t);
                return true;
            }
            match ctx_n(t) {
                Some(0) => loc.geographical = d.raw(c),
                Some(1) => return d.addr(Role::VLR_NUMBER, c),
                Some(2) => loc.location_number = d.raw(c),
                Some(3) => cell_el = Some(c),
                Some(4) => return d.ext(c),
                Some(5) => {}
                Some(6) => return d.addr(Role::MSC_NUMBER, c),
                Some(7) => loc.geodetic = d.raw(c),
                Some(8) => loc.current_location_retrieved = true,
                Some(9) => sai = true,
                Some(10) => return d.location_eps(c),
                Some(_) => {}
                None => return false,
            }
            true
        });
        if let Some(c) = cell_el {
            self.cell_choice(c, &mut loc, sai);
        }
        self.p.location = Some(loc);
        true
    }

    pub(super) fn location_gprs(&mut self, e: El<'a>) -> bool {
        let mut loc = Location::default();
        let mut sai = false;
        let mut cell_el = None;
        self.each(e, |d, c| {
            match ctx_n(&c.1) {
                Some(0) => cell_el = Some(c),
                Some(1) => loc.rai = d.cell(c, CellKind::Rai),
                Some(2) => loc.geographical = d.raw(c),
                Some(3) => return d.addr(Role::SGSN_NUMBER, c),
                Some(5) => return d.ext(c),
                Some(6) => sai = true,
                Some(7) => loc.geodetic = d.raw(c),
                Some(8) => loc.current_location_retrieved = true,
                Some(9) => loc.age = small_uint(&c.1),
                Some(_) => {}
                None => return false,
            }
            true
        });
        if let Some(c) = cell_el {
            self.cell_choice(c, &mut loc, sai);
        }
        self.p.location_gprs = Some(loc);
        true
    }

    pub(super) fn location_eps(&mut self, e: El<'a>) -> bool {
        let mut loc = Location::default();
        self.each(e, |d, c| {
            match ctx_n(&c.1) {
                Some(0) => loc.ecgi = d.cell(c, CellKind::Ecgi),
                Some(1) => loc.tai = d.cell(c, CellKind::Tai),
                Some(2) => return d.ext(c),
                Some(3) => loc.geographical = d.raw(c),
                Some(4) => loc.geodetic = d.raw(c),
                Some(5) => loc.current_location_retrieved = true,
                Some(6) => loc.age = small_uint(&c.1),
                Some(7) => loc.mme_name = d.raw(c),
                Some(_) => {}
                None => return false,
            }
            true
        });
        self.p.location_eps = Some(loc);
        true
    }

    pub(super) fn subscriber_state(&mut self, e: El<'a>, ps: bool) -> bool {
        let Some((_, t)) = self.inner(e) else {
            return true;
        };
        let s = match (ctx_n(&t), ps) {
            (None, _) => SubscriberState::NotReachable(first_octet(&t).unwrap_or(0)),
            (Some(0), false) => SubscriberState::AssumedIdle,
            (Some(1), false) => SubscriberState::CamelBusy,
            (Some(2), false) => SubscriberState::NotProvided,
            (Some(0), true) => SubscriberState::NotProvided,
            (Some(n), _) => SubscriberState::Ps(n.min(255) as u8),
        };
        if ps {
            self.p.ps_subscriber_state = Some(s);
        } else {
            self.p.subscriber_state = Some(s);
        }
        true
    }

    /// SubscriberInfo (PSI / ATI results, SRI v3 result).
    pub(super) fn subscriber_info(&mut self, e: El<'a>) -> bool {
        self.each(e, |d, c| match ctx_n(&c.1) {
            Some(0) => d.location_cs(c),
            Some(1) => d.subscriber_state(c, false),
            Some(2) => d.ext(c),
            Some(3) => d.location_gprs(c),
            Some(4) => d.subscriber_state(c, true),
            Some(5) => d.imei(c),
            Some(8) => {
                // mnpInfoRes
                d.each(c, |d, m| match ctx_n(&m.1) {
                    Some(0) => d.addr(Role::ROUTEING_NUMBER, m),
                    Some(1) => d.imsi(m),
                    Some(2) => d.addr(Role::MSISDN, m),
                    Some(4) => d.ext(m),
                    _ => true,
                });
                true
            }
            Some(13) => d.location_eps(c),
            Some(_) => true,
            None => false,
        });
        true
    }

    pub(super) fn requested_info(&mut self, e: El<'a>) -> bool {
        let mut flags = 0u16;
        self.each(e, |d, c| match ctx_n(&c.1) {
            Some(2) => d.ext(c),
            Some(n) if n < 16 => {
                flags |= 1 << n;
                true
            }
            _ => true,
        });
        self.p.requested_info = Some(RequestedInfo(flags));
        true
    }

    /// SubscriberIdentity ::= CHOICE { imsi [0], msisdn [1] } under an explicit tag.
    pub(super) fn subscriber_identity(&mut self, e: El<'a>) -> bool {
        match self.inner(e) {
            Some(c) => match ctx_n(&c.1) {
                Some(0) => self.imsi(c),
                Some(1) => self.addr(Role::MSISDN, c),
                _ => {
                    self.unexpected(c);
                    true
                }
            },
            None => true,
        }
    }

    /// SS-Info (`ext` false) / Ext-SS-Info (`ext` true) alternatives: the SS code (first
    /// element) and, for forwarding, forwarded-to numbers.
    pub(super) fn ss_info_alt(&mut self, e: El<'a>, ext: bool) -> bool {
        let alt = ctx_n(&e.1);
        self.each(e, |d, c| {
            if is_os(&c.1) && c.1.value.len() == 1 {
                return d.ss_code(c);
            }
            if alt == Some(0) && c.1.tag == Tag::SEQUENCE {
                // forwardingFeatureList
                d.each(c, |d, ff| d.forwarding_feature(ff, ext));
            }
            true
        });
        true
    }

    /// ForwardingFeature (MAP-SS-DataTypes, `ext` false): ss-Status [4], forwardedToNumber
    /// [5], longForwardedToNumber [9], no extension container. Ext-ForwFeature
    /// (MAP-MS-DataTypes, `ext` true): the same, but extensionContainer [9] and
    /// longForwardedToNumber [10].
    pub(super) fn forwarding_feature(&mut self, ff: El<'a>, ext: bool) -> bool {
        let long = if ext { 10 } else { 9 };
        self.each(ff, |d, f| match ctx_n(&f.1) {
            Some(4) => {
                d.p.ss_status = first_octet(&f.1);
                true
            }
            Some(5) => d.addr(Role::FORWARDED_TO_NUMBER, f),
            Some(n) if n == long => d.addr(Role::FORWARDED_TO_NUMBER, f),
            Some(9) if ext => d.ext(f),
            _ => true,
        });
        true
    }

    pub(super) fn ss_list(&mut self, e: El<'a>) -> bool {
        self.each(e, |d, c| d.ss_code(c));
        true
    }

    pub(super) fn count(&mut self, e: El<'a>) -> u16 {
        let mut n = 0u16;
        self.each(e, |_, _| {
            n = n.saturating_add(1);
            true
        });
        n
    }

    pub(super) fn auth_list(&mut self, e: El<'a>) -> bool {
        let which = ctx_n(&e.1);
        let n = self.count(e);
        let v = self.p.auth_vectors.get_or_insert_with(AuthVectors::default);
        match which {
            Some(1) => v.quintuplets = v.quintuplets.saturating_add(n),
            Some(2) => v.eps = v.eps.saturating_add(n),
            _ => v.triplets = v.triplets.saturating_add(n),
        }
        true
    }
}

pub(super) fn is_seq(t: &Tlv<'_>) -> bool {
    t.tag == Tag::SEQUENCE || t.tag == Tag::ctx_cons(3)
}

pub(super) fn wrong_outer(d: &mut D<'_, '_>, e: El<'_>) -> bool {
    d.p.complete = false;
    d.an.push(
        anom(
            AnomalyCode::ParameterUndecodable,
            0,
            "parameter is not of the operation's type",
        )
        .with_value(u64::from(e.1.tag.number)),
    );
    true
}

pub(super) fn error_param<'a>(d: &mut D<'a, '_>, e: El<'a>) {
    if e.1.tag.constructed {
        d.each(e, |d, c| {
            if D::looks_like_ext(&c.1) {
                d.ext(c);
            }
            true
        });
    }
}

/// Additional-Number ::= CHOICE { msc-Number [0], sgsn-Number [1] } (explicit).
pub(super) fn additional_number<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    if let Some(c) = d.inner(e) {
        match ctx_n(&c.1) {
            Some(0) => {
                d.addr(Role::ADDITIONAL_MSC_NUMBER, c);
            }
            Some(1) => {
                d.addr(Role::ADDITIONAL_SGSN_NUMBER, c);
            }
            _ => d.unexpected(c),
        }
    }
    true
}

/// A result that is a constructed value of an extension container and tagged elements:
/// `tagged(d, element, context tag number)` gives `Some(accepted)` for the elements the
/// operation names; any other tagged element is accepted, any other untagged one unexpected.
pub(super) fn short_res<'a, F>(d: &mut D<'a, '_>, e: El<'a>, mut tagged: F) -> bool
where
    F: FnMut(&mut D<'a, '_>, El<'a>, Option<u32>) -> Option<bool>,
{
    if !e.1.tag.constructed {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        let n = ctx_n(&c.1);
        if n.is_none() && D::looks_like_ext(&c.1) {
            return d.ext(c);
        }
        tagged(d, c, n).unwrap_or(n.is_some())
    });
    true
}
