//! Decoding an IE value by type into a [`V2Value`] (TS 29.274 clause 8): one function per
//! layout, so that each value is built straight in the caller's slot.

use std::net::IpAddr;

use sigscope_core::digits::{tbcd, Digits};
use sigscope_core::Error;

use super::{
    Cause, FTeid, FqCsid, Ie, Paa, Qos, TargetId, TraceInfo, Uli, V2Value, IE_HEADER_LEN, L,
    MAX_GROUP_DEPTH,
};
use crate::common::{
    ip_from, ipv4_at, ipv6_at, need, u16_at, u32_at, u8_at, Labels, Pco, PlmnId, Tft,
};
use crate::v1::Arp;

fn rate40(v: &[u8], at: usize) -> Result<u64, Error> {
    match v.get(at..at + 5) {
        Some(&[a, b, c, d, e]) => Ok(u64::from_be_bytes([0, 0, 0, a, b, c, d, e])),
        _ => Err(Error::len(L, 5, v.len().saturating_sub(at), at)),
    }
}

fn rest(v: &[u8], at: usize) -> &[u8] {
    v.get(at..).unwrap_or(&[])
}

/// Fill `u` from a ULI value (the ULI is built where it will be returned: it is large).
#[inline(always)]
fn uli_into(v: &[u8], u: &mut Uli) -> Result<(), Error> {
    let fl = u8_at(v, 0)?;
    u.flags = fl;
    let mut p = 1;
    let plmn = |p: usize| PlmnId::parse(rest(v, p));
    if fl & 0x01 != 0 {
        u.cgi = Some((plmn(p)?, u16_at(v, p + 3)?, u16_at(v, p + 5)?));
        p += 7;
    }
    if fl & 0x02 != 0 {
        u.sai = Some((plmn(p)?, u16_at(v, p + 3)?, u16_at(v, p + 5)?));
        p += 7;
    }
    if fl & 0x04 != 0 {
        u.rai = Some((plmn(p)?, u16_at(v, p + 3)?, u16_at(v, p + 5)?));
        p += 7;
    }
    if fl & 0x08 != 0 {
        u.tai = Some((plmn(p)?, u16_at(v, p + 3)?));
        p += 5;
    }
    if fl & 0x10 != 0 {
        u.ecgi = Some((plmn(p)?, u32_at(v, p + 3)? & 0x0fff_ffff));
        p += 7;
    }
    if fl & 0x20 != 0 {
        u.lai = Some((plmn(p)?, u16_at(v, p + 3)?));
        p += 5;
    }
    if fl & 0x40 != 0 {
        let id = u32::from_be_bytes([
            0,
            u8_at(v, p + 3)? & 0x0f,
            u8_at(v, p + 4)?,
            u8_at(v, p + 5)?,
        ]);
        u.macro_enb = Some((plmn(p)?, id));
        p += 6;
    }
    if fl & 0x80 != 0 {
        let a = u8_at(v, p + 3)?;
        let sm = a & 0x80 != 0;
        let hi = if sm { a & 0x03 } else { a & 0x1f };
        let id = u32::from_be_bytes([0, hi, u8_at(v, p + 4)?, u8_at(v, p + 5)?]);
        u.ext_macro_enb = Some((plmn(p)?, id, sm));
    }
    Ok(())
}

fn target_id(v: &[u8]) -> Result<TargetId<'_>, Error> {
    let tt = u8_at(v, 0)?;
    let plmn = PlmnId::parse(rest(v, 1))?;
    let tac3 = |at: usize| -> Result<u32, Error> {
        Ok(u32::from_be_bytes([
            0,
            u8_at(v, at)?,
            u8_at(v, at + 1)?,
            u8_at(v, at + 2)?,
        ]))
    };
    let (node_id, tac) = match tt {
        // RNC ID: LAC(2) RAC(1) RNC-ID(2)
        0 => (u32::from(u16_at(v, 7)?), None),
        // Macro eNodeB: 20-bit ID (3 octets) + TAC
        1 => (tac3(4)? & 0x000f_ffff, Some(u32::from(u16_at(v, 7)?))),
        // Cell identifier: LAC RAC CI
        2 => (u32::from(u16_at(v, 7)?), None),
        // Home eNodeB: 28-bit ID + TAC
        3 => (u32_at(v, 4)? & 0x0fff_ffff, Some(u32::from(u16_at(v, 8)?))),
        // Extended macro eNodeB: SMeNB + 21 bits + TAC
        4 => (tac3(4)? & 0x001f_ffff, Some(u32::from(u16_at(v, 7)?))),
        // gNodeB: ID length octet, 4-octet ID, 5GS TAC
        5 => (u32_at(v, 5)?, Some(tac3(9)?)),
        // Macro ng-eNodeB: 20-bit ID + 5GS TAC
        6 => (tac3(4)? & 0x000f_ffff, Some(tac3(7)?)),
        // Extended ng-eNodeB: 21 bits + 5GS TAC
        7 => (tac3(4)? & 0x001f_ffff, Some(tac3(7)?)),
        // en-gNB: ID length octet, 4-octet ID, TAC, 5GS TAC
        8 => (u32_at(v, 5)?, Some(u32::from(u16_at(v, 9)?))),
        _ => (0, None),
    };
    Ok(TargetId {
        target_type: tt,
        plmn,
        node_id,
        tac,
        raw: v,
    })
}

/// A TBCD digit string of at least `min` octets, from octet `skip` on.
#[inline(never)]
fn digits(
    v: &[u8],
    min: usize,
    skip: usize,
    wrap: fn(Digits) -> V2Value<'static>,
) -> Result<V2Value<'_>, Error> {
    need(v, min)?;
    Ok(wrap(tbcd(rest(v, skip))))
}

#[inline(never)]
fn ie_target_id(v: &[u8]) -> Result<V2Value<'_>, Error> {
    target_id(v).map(V2Value::TargetId)
}

#[inline(never)]
fn ie_uli(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let mut r = Ok(V2Value::Uli(Uli::default()));
    if let Ok(V2Value::Uli(u)) = &mut r {
        uli_into(v, u)?;
    }
    r
}

#[inline(never)]
fn ie_cause(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let value = one()?;
        let f = u8_at(v, 1)?;
        let offending = match (v.get(2), v.get(5)) {
            (Some(t), Some(i)) => Some((*t, i & 0x0f)),
            _ => None,
        };
        V2Value::Cause(Cause {
            value,
            pce: f & 0x04 != 0,
            bce: f & 0x02 != 0,
            cs: f & 0x01 != 0,
            offending,
        })
    })
}

#[inline(never)]
fn ie_paa(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let pdn_type = one()? & 0x07;
        let (ipv4, ipv6) = match pdn_type {
            1 => (Some(ipv4_at(v, 1)?), None),
            2 => (None, Some((u8_at(v, 1)?, ipv6_at(v, 2)?))),
            3 => (Some(ipv4_at(v, 18)?), Some((u8_at(v, 1)?, ipv6_at(v, 2)?))),
            _ => (None, None),
        };
        V2Value::Paa(Paa {
            pdn_type,
            ipv4,
            ipv6,
        })
    })
}

#[inline(never)]
fn ie_bearer_qos(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Qos(Qos {
        arp: Some(Arp::from_octet(one()?)),
        qci: u8_at(v, 1)?,
        mbr_ul: rate40(v, 2)?,
        mbr_dl: rate40(v, 7)?,
        gbr_ul: rate40(v, 12)?,
        gbr_dl: rate40(v, 17)?,
    }))
}

#[inline(never)]
fn ie_flow_qos(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Qos(Qos {
        arp: None,
        qci: one()?,
        mbr_ul: rate40(v, 1)?,
        mbr_dl: rate40(v, 6)?,
        gbr_ul: rate40(v, 11)?,
        gbr_dl: rate40(v, 16)?,
    }))
}

#[inline(never)]
fn ie_f_teid(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let f = one()?;
        let teid = u32_at(v, 1)?;
        let mut p = 5;
        let ipv4 = if f & 0x80 != 0 {
            p += 4;
            Some(ipv4_at(v, 5)?)
        } else {
            None
        };
        let ipv6 = if f & 0x40 != 0 {
            Some(ipv6_at(v, p)?)
        } else {
            None
        };
        V2Value::FTeid(FTeid {
            interface_type: f & 0x3f,
            teid,
            ipv4,
            ipv6,
        })
    })
}

#[inline(never)]
fn ie_global_cn_id(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::GlobalCnId {
        plmn: PlmnId::parse(v)?,
        cn_id: u16_at(v, 3)? & 0x0fff,
    })
}

#[inline(never)]
fn ie_trace_info(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok({
        let plmn = PlmnId::parse(v)?;
        need(v, 34)?;
        V2Value::TraceInfo(TraceInfo {
            plmn,
            trace_id: u32::from_be_bytes([0, u8_at(v, 3)?, u8_at(v, 4)?, u8_at(v, 5)?]),
            triggering_events: v.get(6..15).unwrap_or(&[]),
            ne_types: u16_at(v, 15)?,
            depth: u8_at(v, 17)?,
            interfaces: v.get(18..30).unwrap_or(&[]),
            collection_entity: ip_from(rest(v, 30)),
        })
    })
}

#[inline(never)]
fn ie_trace_reference(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::TraceReference {
        plmn: PlmnId::parse(v)?,
        trace_id: u32::from_be_bytes([0, u8_at(v, 3)?, u8_at(v, 4)?, u8_at(v, 5)?]),
    })
}

#[inline(never)]
fn ie_guti(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Guti {
        plmn: PlmnId::parse(v)?,
        mme_group_id: u16_at(v, 3)?,
        mme_code: u8_at(v, 5)?,
        m_tmsi: u32_at(v, 6)?,
    })
}

#[inline(never)]
fn ie_fq_csid(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let h = one()?;
        let ty = h >> 4;
        let n = usize::from(h & 0x0f);
        let (addr, num, p) = match ty {
            0 => (Some(IpAddr::V4(ipv4_at(v, 1)?)), None, 5),
            1 => (Some(IpAddr::V6(ipv6_at(v, 1)?)), None, 17),
            _ => (None, Some(u32_at(v, 1)?), 5),
        };
        let csids = v
            .get(p..p + 2 * n)
            .ok_or(Error::len(L, p + 2 * n, v.len(), 0))?;
        V2Value::FqCsid(FqCsid {
            node_id_type: ty,
            node_addr: addr,
            node_number: num,
            csids,
        })
    })
}

#[inline(never)]
fn ie_uci(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Uci {
        plmn: PlmnId::parse(v)?,
        csg_id: u32_at(v, 3)? & 0x07ff_ffff,
        access_mode: u8_at(v, 7)? >> 6,
        flags: u8_at(v, 7)? & 0x03,
    })
}

#[inline(never)]
fn ie_node_identifier(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let n = usize::from(one()?);
        let name = v.get(1..1 + n).ok_or(Error::len(L, 1 + n, v.len(), 0))?;
        let m = usize::from(u8_at(v, 1 + n)?);
        let realm = v
            .get(2 + n..2 + n + m)
            .ok_or(Error::len(L, 2 + n + m, v.len(), 0))?;
        V2Value::NodeIdentifier { name, realm }
    })
}

#[inline(never)]
fn ie_max_packet_loss_rate(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let f = one()?;
        let ul = if f & 0x01 != 0 {
            Some(u16_at(v, 1)?)
        } else {
            None
        };
        let dl = if f & 0x02 != 0 {
            Some(u16_at(v, if ul.is_some() { 3 } else { 1 })?)
        } else {
            None
        };
        V2Value::MaxPacketLossRate { ul, dl }
    })
}

#[inline(never)]
fn ie_pscell_id(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(match v {
        [a, b, c, d, e, f, g, h, ..] => V2Value::Ncgi {
            plmn: PlmnId::from_raw([*a, *b, *c]),
            nr_cell_id: u64::from_be_bytes([0, 0, 0, *d & 0x0f, *e, *f, *g, *h]),
        },
        _ => return Err(Error::len(L, 8, v.len(), 0)),
    })
}

#[inline(never)]
fn ie_monitoring_event_extension(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let flags = one()?;
        let scef_reference_id = u32_at(v, 1)?;
        let n = usize::from(u8_at(v, 5)?);
        let scef_id = v.get(6..6 + n).ok_or(Error::len(L, 6 + n, v.len(), 0))?;
        V2Value::MonitoringEventExtension {
            flags,
            scef_reference_id,
            scef_id,
            rest: rest(v, 6 + n),
        }
    })
}

#[inline(never)]
fn ie_node_number(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let n = usize::from(one()?);
        V2Value::NodeNumber(tbcd(v.get(1..1 + n).ok_or(Error::len(
            L,
            1 + n,
            v.len(),
            0,
        ))?))
    })
}

#[inline(never)]
fn ie_remote_user_id(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok({
        let n = usize::from(u8_at(v, 1)?);
        V2Value::RemoteUserId(tbcd(v.get(2..2 + n).ok_or(Error::len(
            L,
            2 + n,
            v.len(),
            0,
        ))?))
    })
}

#[inline(never)]
fn ie_recovery(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Recovery(one()?))
}

#[inline(never)]
fn ie_apn(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Apn(Labels::new(v)))
}

#[inline(never)]
fn ie_ambr(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Ambr {
        ul: u32_at(v, 0)?,
        dl: u32_at(v, 4)?,
    })
}

#[inline(never)]
fn ie_ebi(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Ebi(one()? & 0x0f))
}

#[inline(never)]
fn ie_ip_address(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::IpAddress(ip_from(v).ok_or(Error::value(
        L,
        "IP address length",
        v.len() as u64,
        0,
    ))?))
}

#[inline(never)]
fn ie_indication(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Indication(v))
}

#[inline(never)]
fn ie_pco(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Pco(Pco::parse(v)?))
}

#[inline(never)]
fn ie_rat_type(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::RatType(one()?))
}

#[inline(never)]
fn ie_plmn(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Plmn(PlmnId::parse(v)?))
}

#[inline(never)]
fn ie_tft(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Tft(Tft::parse(v)?))
}

#[inline(never)]
fn ie_u32<'a>(ie: &Ie<'a>, v: &'a [u8]) -> Result<V2Value<'a>, Error> {
    Ok({
        need(v, 4)?;
        V2Value::U32(
            u32_at(v, 0)?
                & if ie.ie_type.0 == 147 {
                    0x07ff_ffff
                } else {
                    u32::MAX
                },
        )
    })
}

#[inline(never)]
fn ie_p_tmsi_signature(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(match v {
        [a, b, c, ..] => V2Value::U32(u32::from_be_bytes([0, *a, *b, *c])),
        _ => return Err(Error::len(L, 3, v.len(), 0)),
    })
}

#[inline(never)]
fn ie_u8<'a>(ie: &Ie<'a>, v: &'a [u8]) -> Result<V2Value<'a>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let b = one()?;
        V2Value::U8(match ie.ie_type.0 {
            99 => b & 0x07,
            128 => b & 0x03,
            148 => b & 0x01,
            _ => b,
        })
    })
}

#[inline(never)]
fn ie_u16(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::U16(u16_at(v, 0)?))
}

#[inline(never)]
fn ie_rrm_policy_index(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::U32(u32_at(v, 0)?))
}

#[inline(never)]
fn ie_grouped<'a>(ie: &Ie<'a>) -> Result<V2Value<'a>, Error> {
    Ok({
        if ie.depth + 1 >= MAX_GROUP_DEPTH {
            return Err(Error::Limit {
                layer: L,
                what: "grouped IE depth",
                limit: MAX_GROUP_DEPTH,
                offset: ie.offset,
            });
        }
        V2Value::Grouped(ie.group())
    })
}

#[inline(never)]
fn ie_flags(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Flags(one()?))
}

#[inline(never)]
fn ie_ue_time_zone(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::UeTimeZone {
        tz: one()?,
        dst: u8_at(v, 1)? & 0x03,
    })
}

#[inline(never)]
fn ie_typed(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Typed {
        kind: one()? & 0x0f,
        data: rest(v, 1),
    })
}

#[inline(never)]
fn ie_fqdn(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Fqdn(Labels::new(v)))
}

#[inline(never)]
fn ie_text(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Text(v))
}

#[inline(never)]
fn ie_throttling(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Throttling {
        delay: one()?,
        factor: u8_at(v, 1)?,
    })
}

#[inline(never)]
fn ie_arp(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Arp(Arp::from_octet(one()?)))
}

#[inline(never)]
fn ie_epc_timer(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let b = one()?;
        V2Value::EpcTimer {
            unit: b >> 5,
            value: b & 0x1f,
        }
    })
}

#[inline(never)]
fn ie_integer_number(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(match v {
        [a] => V2Value::U32(u32::from(*a)),
        [a, b] => V2Value::U32(u32::from(u16::from_be_bytes([*a, *b]))),
        [a, b, c] => V2Value::U32(u32::from_be_bytes([0, *a, *b, *c])),
        [a, b, c, d] => V2Value::U32(u32::from_be_bytes([*a, *b, *c, *d])),
        _ => V2Value::Raw(v),
    })
}

#[inline(never)]
fn ie_timestamp(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(match v {
        [a, b, c, d, e, f, ..] => {
            V2Value::Timestamp(u64::from_be_bytes([0, 0, *a, *b, *c, *d, *e, *f]))
        }
        _ => return Err(Error::len(L, 6, v.len(), 0)),
    })
}

#[inline(never)]
fn ie_counter(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Counter {
        timestamp: u32_at(v, 0)?,
        value: u8_at(v, 4)?,
    })
}

#[inline(never)]
fn ie_private_extension(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::PrivateExtension {
        enterprise: u16_at(v, 0)?,
        value: rest(v, 2),
    })
}

#[inline(never)]
fn ie_raw(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Raw(v))
}

impl<'a> Ie<'a> {
    /// Decode the value by type. Grouped IEs give an iterator over their IEs (nested offsets
    /// stay datagram-relative); past [`MAX_GROUP_DEPTH`] that is an [`Error::Limit`].
    #[inline]
    pub fn decode(&self) -> Result<V2Value<'a>, Error> {
        let mut r = self.decode_inner(self.value);
        if let Err(Error::Len(l)) = &mut r {
            l.layer = L;
            l.offset += self.offset + IE_HEADER_LEN;
        }
        r
    }

    fn decode_inner(&self, v: &'a [u8]) -> Result<V2Value<'a>, Error> {
        // Every arm is a call, so each value is built straight in the caller's slot (one big
        // match that builds the values inline merges them into one store sequence as wide as
        // the largest variant, paid by every IE).
        match self.ie_type.0 {
            1 => digits(v, 1, 0, V2Value::Imsi),
            2 => ie_cause(v),
            3 => ie_recovery(v),
            51 => digits(v, 2, 1, V2Value::StnSr),
            71 => ie_apn(v),
            72 => ie_ambr(v),
            73 => ie_ebi(v),
            74 | 213 => ie_ip_address(v),
            75 => digits(v, 1, 0, V2Value::Mei),
            76 => digits(v, 1, 0, V2Value::Msisdn),
            77 => ie_indication(v),
            78 | 163 | 197 => ie_pco(v),
            79 => ie_paa(v),
            80 => ie_bearer_qos(v),
            81 => ie_flow_qos(v),
            82 => ie_rat_type(v),
            83 | 120 => ie_plmn(v),
            84 | 85 => ie_tft(v),
            86 => ie_uli(v),
            87 => ie_f_teid(v),
            88 | 94 | 111 | 147 | 170 | 183 => ie_u32(self, v),
            112 => ie_p_tmsi_signature(v),
            89 => ie_global_cn_id(v),
            92 | 99 | 100 | 113 | 127 | 128 | 135 | 148 | 149 | 150 | 157 | 182 | 185 => {
                ie_u8(self, v)
            }
            95 | 126 | 144 | 200 => ie_u16(v),
            207 => ie_rrm_policy_index(v),
            206 => ie_monitoring_event_extension(v),
            93 | 109 | 180 | 181 | 191 | 195 | 208 | 209 | 214 => ie_grouped(self),
            96 => ie_trace_info(v),
            97 | 152 | 194 | 202 | 171 | 174 => ie_flags(v),
            114 => ie_ue_time_zone(v),
            115 => ie_trace_reference(v),
            117 => ie_guti(v),
            118 | 119 | 172 => ie_typed(v),
            121 => ie_target_id(v),
            132 => ie_fq_csid(v),
            136 | 215 => ie_fqdn(v),
            145 => ie_uci(v),
            151 => ie_text(v),
            154 => ie_throttling(v),
            155 => ie_arp(v),
            156 => ie_epc_timer(v),
            175 => ie_node_number(v),
            176 => ie_node_identifier(v),
            187 => ie_integer_number(v),
            188 => ie_timestamp(v),
            192 => ie_remote_user_id(v),
            199 => ie_counter(v),
            203 => ie_max_packet_loss_rate(v),
            217 => ie_pscell_id(v),
            255 => ie_private_extension(v),
            _ => ie_raw(v),
        }
    }
}
