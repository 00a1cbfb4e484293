//! Called / calling party addresses and global titles (Q.713 3.4; ANSI T1.112.3 3.4).

use core::fmt;

use sigscope_core::digits::{bcd_count, Digits};
use sigscope_core::e164::{country_of_bytes, Country};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::types::{EncodingScheme, NatureOfAddress, NumberingPlan, Ssn};

/// Point-code format of the network (chosen by the user, as tshark's `mtp3.standard`).
///
/// It decides the address indicator layout (ANSI differs from ITU) and the length of a point
/// code inside an address: 14 bits in 2 octets (ITU), 16 bits in 2 octets (Japan), 24 bits in
/// 3 octets (ANSI, Chinese).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PcFormat {
    /// ITU-T Q.708: 14-bit point codes.
    #[default]
    Itu14,
    /// ANSI T1.111: 24-bit network-cluster-member point codes and the ANSI address layout.
    Ansi24,
    /// Chinese ITU variant (YDN 038): 24-bit point codes, ITU address layout.
    Chinese24,
    /// Japan (TTC/NTT): 16-bit point codes, ITU address layout.
    Japan16,
}

impl PcFormat {
    /// Octets of a point code in an address.
    pub const fn pc_len(self) -> usize {
        match self {
            PcFormat::Itu14 | PcFormat::Japan16 => 2,
            PcFormat::Ansi24 | PcFormat::Chinese24 => 3,
        }
    }

    /// Decode a point code from its octets (least significant first).
    pub fn read_pc(self, b: &[u8]) -> Option<u32> {
        match (self, b) {
            (PcFormat::Itu14, [a, b]) => Some(u32::from(u16::from_le_bytes([*a, *b]) & 0x3fff)),
            (PcFormat::Japan16, [a, b]) => Some(u32::from(u16::from_le_bytes([*a, *b]))),
            (PcFormat::Ansi24 | PcFormat::Chinese24, [a, b, c]) => {
                Some(u32::from_le_bytes([*a, *b, *c, 0]))
            }
            _ => None,
        }
    }

    /// Encode a point code (least significant first) into `out`.
    pub fn write_pc(self, pc: u32, out: &mut Vec<u8>) {
        let b = pc.to_le_bytes();
        match self {
            PcFormat::Itu14 => out.extend_from_slice(&[b[0], b[1] & 0x3f]),
            PcFormat::Japan16 => out.extend_from_slice(&[b[0], b[1]]),
            PcFormat::Ansi24 | PcFormat::Chinese24 => out.extend_from_slice(&[b[0], b[1], b[2]]),
        }
    }
}

/// Which address indicator layout an address was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressLayout {
    /// ITU-T Q.713: bit 1 PC indicator, bit 2 SSN indicator, PC before SSN.
    Itu,
    /// ANSI T1.112: bit 1 SSN indicator, bit 2 PC indicator, SSN before PC.
    Ansi,
}

/// Routing indicator (bit 7 of the address indicator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoutingIndicator {
    /// Route on global title (bit = 0).
    Gt,
    /// Route on point code + subsystem number (bit = 1).
    Ssn,
}

impl RoutingIndicator {
    /// `"gt"` or `"ssn"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RoutingIndicator::Gt => "gt",
            RoutingIndicator::Ssn => "ssn",
        }
    }
}

/// A global title, borrowed. Fields absent for the GTI are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalTitle<'a> {
    /// Global title indicator (1-4 ITU, 1-2 ANSI; others reserved).
    pub gti: u8,
    /// Address layout the GTI was read in (GTI meanings differ between ITU and ANSI).
    pub layout: AddressLayout,
    /// Translation type.
    pub tt: Option<u8>,
    /// Numbering plan.
    pub np: Option<NumberingPlan>,
    /// Encoding scheme.
    pub es: Option<EncodingScheme>,
    /// Nature of address indicator.
    pub nai: Option<NatureOfAddress>,
    /// Odd number of address signals (from ES or the GTI 1 odd/even bit).
    pub odd: bool,
    /// Address signal octets (BCD, low nibble first).
    pub signals: &'a [u8],
    /// Offset of the first signal octet within the address.
    pub signals_offset: usize,
}

impl<'a> GlobalTitle<'a> {
    /// True when the address signals are BCD (every scheme except national-specific and spare).
    pub fn is_bcd(&self) -> bool {
        match self.es {
            None => true,
            Some(es) => es.0 <= 2,
        }
    }

    /// Number of address signals encoded.
    pub fn digit_count(&self) -> usize {
        (self.signals.len() * 2).saturating_sub(usize::from(self.odd))
    }

    /// The address signals as digits (BCD, `odd` drops the filler nibble).
    pub fn digits(&self) -> Digits {
        bcd_count(self.signals, self.digit_count())
    }

    /// [`GlobalTitle::digits`] decoded into `out`, where the caller keeps them.
    pub fn digits_into(&self, out: &mut Digits) {
        out.set_bcd_count(self.signals, self.digit_count());
    }

    /// Country of an E.164 / E.214 number in international format.
    pub fn country(&self) -> Option<Country> {
        if !self.has_country() {
            return None;
        }
        let d = self.digits();
        country_of_bytes(d.as_bytes())
    }

    /// [`GlobalTitle::country`] from digits already decoded with [`GlobalTitle::digits`]
    /// (the digits are not decoded again).
    pub fn country_of_digits(&self, digits: &Digits) -> Option<Country> {
        if !self.has_country() {
            return None;
        }
        country_of_bytes(digits.as_bytes())
    }

    /// [`GlobalTitle::country_of_digits`] through a memo of recent lookups.
    pub fn country_of_digits_with(
        &self,
        digits: &Digits,
        memo: &mut sigscope_core::e164::CountryMemo,
    ) -> Option<Country> {
        if !self.has_country() {
            return None;
        }
        memo.country_of(digits.as_bytes())
    }

    /// E.164 or E.214 numbering plan with an international (or absent) nature of address:
    /// the digits start with a country code.
    fn has_country(&self) -> bool {
        let e164 = matches!(
            self.np,
            Some(NumberingPlan::E164) | Some(NumberingPlan::E214)
        );
        let intl = matches!(self.nai, None | Some(NatureOfAddress::INTERNATIONAL));
        e164 && intl
    }
}

/// A called or calling party address, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Address<'a> {
    /// The parameter value (address indicator and what follows).
    pub raw: &'a [u8],
    /// Layout used.
    pub layout: AddressLayout,
    /// The address indicator octet.
    pub indicator: u8,
    /// Bit 8: reserved for national use (ITU) / national indicator (ANSI).
    pub national: bool,
    /// Routing indicator.
    pub routing: RoutingIndicator,
    /// Global title indicator (bits 6-3).
    pub gti: u8,
    /// Point code, when the PC indicator is set (and the octets are there).
    pub pc: Option<u32>,
    /// Subsystem number, when the SSN indicator is set (and the octet is there).
    pub ssn: Option<Ssn>,
    /// Global title, when GTI != 0.
    pub gt: Option<GlobalTitle<'a>>,
}

/// Anomaly helper.
fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Sccp, code, offset, detail)
}

impl<'a> Address<'a> {
    /// Decode an address parameter value.
    ///
    /// `base` is the offset of `data` within the SCCP message (anomaly offsets are relative to
    /// the message). Fields that do not fit are left `None` with an anomaly; only an empty
    /// value is an error.
    #[inline]
    pub fn decode(
        data: &'a [u8],
        format: PcFormat,
        base: usize,
        anomalies: &mut Anomalies,
    ) -> Result<Address<'a>, Error> {
        let mut a = Address::EMPTY;
        a.decode_into(data, format, base, anomalies)?;
        Ok(a)
    }

    /// No address: the value [`Address::decode_into`] overwrites.
    pub const EMPTY: Address<'a> = Address {
        raw: &[],
        layout: AddressLayout::Itu,
        indicator: 0,
        national: false,
        routing: RoutingIndicator::Gt,
        gti: 0,
        pc: None,
        ssn: None,
        gt: None,
    };

    /// [`Address::decode`] written into `self`, where the caller keeps it (a returned
    /// address copied right after its fields were written waits on store forwarding).
    /// On error `self` is left as it was.
    #[inline]
    pub fn decode_into(
        &mut self,
        data: &'a [u8],
        format: PcFormat,
        base: usize,
        anomalies: &mut Anomalies,
    ) -> Result<(), Error> {
        let (&ai, _) = data
            .split_first()
            .ok_or(Error::len(Layer::Sccp, 1, 0, base))?;
        // ANSI layout only when the national indicator says so (an ITU-coded address in an
        // ANSI network keeps the ITU layout and a 14-bit PC, as Wireshark decodes it).
        let (layout, fmt) = match format {
            PcFormat::Ansi24 if ai & 0x80 != 0 => (AddressLayout::Ansi, PcFormat::Ansi24),
            PcFormat::Ansi24 => (AddressLayout::Itu, PcFormat::Itu14),
            f => (AddressLayout::Itu, f),
        };
        let (pci, ssni) = match layout {
            AddressLayout::Itu => (ai & 0x01 != 0, ai & 0x02 != 0),
            AddressLayout::Ansi => (ai & 0x02 != 0, ai & 0x01 != 0),
        };
        *self = Address {
            raw: data,
            layout,
            indicator: ai,
            national: ai & 0x80 != 0,
            routing: if ai & 0x40 != 0 {
                RoutingIndicator::Ssn
            } else {
                RoutingIndicator::Gt
            },
            gti: (ai >> 2) & 0x0f,
            pc: None,
            ssn: None,
            gt: None,
        };
        let addr = self;
        let mut pos = 1usize;
        let read_pc = |pos: &mut usize, anomalies: &mut Anomalies| {
            let n = fmt.pc_len();
            match data.get(*pos..*pos + n) {
                Some(b) => {
                    *pos += n;
                    fmt.read_pc(b)
                }
                None => {
                    anomalies.push(
                        anom(
                            AnomalyCode::AddressTruncated,
                            base + *pos,
                            "point code indicated but not present",
                        )
                        .with_value(n as u64),
                    );
                    *pos = data.len();
                    None
                }
            }
        };
        let read_ssn = |pos: &mut usize, anomalies: &mut Anomalies| match data.get(*pos) {
            Some(s) => {
                *pos += 1;
                Some(Ssn(*s))
            }
            None => {
                anomalies.push(anom(
                    AnomalyCode::AddressTruncated,
                    base + *pos,
                    "SSN indicated but not present",
                ));
                None
            }
        };
        match layout {
            AddressLayout::Itu => {
                if pci {
                    addr.pc = read_pc(&mut pos, anomalies);
                }
                if ssni {
                    addr.ssn = read_ssn(&mut pos, anomalies);
                }
            }
            AddressLayout::Ansi => {
                if ssni {
                    addr.ssn = read_ssn(&mut pos, anomalies);
                }
                if pci {
                    addr.pc = read_pc(&mut pos, anomalies);
                }
            }
        }
        if addr.routing == RoutingIndicator::Ssn && !ssni {
            anomalies.push(anom(
                AnomalyCode::RouteOnSsnWithoutSsn,
                base,
                "routing on SSN but no SSN in the address",
            ));
        }
        if addr.routing == RoutingIndicator::Gt && addr.gti == 0 {
            anomalies.push(anom(
                AnomalyCode::RouteOnGtWithoutGt,
                base,
                "routing on GT but no global title",
            ));
        }
        let rest = data.get(pos..).unwrap_or(&[]);
        if addr.gti != 0 {
            GlobalTitle::decode_into(&mut addr.gt, addr.gti, layout, rest, base + pos, anomalies);
        } else if !rest.is_empty() {
            anomalies.push(
                anom(
                    AnomalyCode::AddressTrailingOctets,
                    base + pos,
                    "octets after the address without a global title",
                )
                .with_value(rest.len() as u64),
            );
        }
        Ok(())
    }
}

impl<'a> GlobalTitle<'a> {
    /// Decode a global title of indicator `gti` from the octets after PC/SSN.
    /// `base` is their offset within the SCCP message.
    pub fn decode(
        gti: u8,
        layout: AddressLayout,
        data: &'a [u8],
        base: usize,
        anomalies: &mut Anomalies,
    ) -> Option<GlobalTitle<'a>> {
        let mut slot = None;
        GlobalTitle::decode_into(&mut slot, gti, layout, data, base, anomalies);
        slot
    }

    /// [`GlobalTitle::decode`] written into `slot`, where the caller keeps it (`None` when the
    /// header does not fit), not returned and copied.
    pub fn decode_into(
        slot: &mut Option<GlobalTitle<'a>>,
        gti: u8,
        layout: AddressLayout,
        data: &'a [u8],
        base: usize,
        anomalies: &mut Anomalies,
    ) {
        let gt = slot.insert(GlobalTitle {
            gti,
            layout,
            tt: None,
            np: None,
            es: None,
            nai: None,
            odd: false,
            signals: &[],
            signals_offset: base,
        });
        // Header octets per GTI: which of TT, NP/ES, NAI(+O/E).
        let (tt, npes, nai) = match (layout, gti) {
            (AddressLayout::Itu, 1) => (false, false, true),
            (AddressLayout::Itu, 2) | (AddressLayout::Ansi, 2) => (true, false, false),
            (AddressLayout::Itu, 3) | (AddressLayout::Ansi, 1) => (true, true, false),
            (AddressLayout::Itu, 4) => (true, true, true),
            _ => {
                anomalies.push(
                    anom(
                        AnomalyCode::GtIndicatorReserved,
                        base.saturating_sub(1),
                        "reserved global title indicator",
                    )
                    .with_value(u64::from(gti)),
                );
                gt.signals = data;
                return;
            }
        };
        let need = usize::from(tt) + usize::from(npes) + usize::from(nai);
        let Some(head) = data.get(..need) else {
            anomalies.push(
                anom(
                    AnomalyCode::GtTruncated,
                    base,
                    "global title header longer than the address",
                )
                .with_value(need as u64),
            );
            *slot = None;
            return;
        };
        let mut it = head.iter();
        if tt {
            gt.tt = it.next().copied();
        }
        if npes {
            if let Some(b) = it.next() {
                let es = EncodingScheme(b & 0x0f);
                gt.np = Some(NumberingPlan(b >> 4));
                gt.es = Some(es);
                // Wireshark reads every scheme except "BCD even" as odd; so do we.
                gt.odd = es != EncodingScheme::BCD_EVEN;
                if es.0 > 2 {
                    anomalies.push(
                        anom(
                            AnomalyCode::GtEncodingNotBcd,
                            base + usize::from(tt),
                            "global title encoding scheme is not BCD",
                        )
                        .with_value(u64::from(es.0)),
                    );
                }
            }
        }
        if nai {
            if let Some(b) = it.next() {
                gt.nai = Some(NatureOfAddress(b & 0x7f));
                if gti == 1 {
                    gt.odd = b & 0x80 != 0;
                } else if b & 0x80 != 0 {
                    anomalies.push(anom(
                        AnomalyCode::GtSpareBitSet,
                        base + need - 1,
                        "spare bit 8 of the NAI octet is set",
                    ));
                }
            }
        }
        gt.signals = data.get(need..).unwrap_or(&[]);
        gt.signals_offset = base + need;
        if gt.signals.is_empty() {
            anomalies.push(anom(
                AnomalyCode::GtWithoutDigits,
                gt.signals_offset,
                "global title has no address signals",
            ));
        } else if gt.is_bcd() {
            if gt.digit_count() > sigscope_core::digits::MAX_DIGITS {
                anomalies.push(
                    anom(
                        AnomalyCode::GtDigitsTruncated,
                        gt.signals_offset,
                        "global title longer than the digits kept",
                    )
                    .with_value(gt.digit_count() as u64),
                );
            }
            // Impossible digits: nibbles 0xA-0xF inside the signals (0xB, 0xC are codes 11/12,
            // 0xF is end of pulsing: unusual in a GT) and a non-zero filler.
            let count = gt.digit_count();
            let bad = gt.signals.iter().enumerate().find_map(|(j, b)| {
                let (lo, hi) = (2 * j, 2 * j + 1);
                if lo < count && b & 0x0f > 9 {
                    Some(lo)
                } else if hi < count && b >> 4 > 9 {
                    Some(hi)
                } else {
                    None
                }
            });
            if let Some(i) = bad {
                anomalies.push(
                    anom(
                        AnomalyCode::GtNonDigitSignal,
                        gt.signals_offset + i / 2,
                        "global title signal is not a digit 0-9",
                    )
                    .with_value(i as u64),
                );
            }
            if gt.odd {
                if let Some(last) = gt.signals.last() {
                    if last >> 4 != 0 {
                        anomalies.push(
                            anom(
                                AnomalyCode::GtFillerNotZero,
                                gt.signals_offset + gt.signals.len() - 1,
                                "filler nibble of an odd global title is not 0",
                            )
                            .with_value(u64::from(last >> 4)),
                        );
                    }
                }
            }
        }
    }
}

impl fmt::Display for Address<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ri={}", self.routing.as_str())?;
        if let Some(pc) = self.pc {
            write!(f, " pc={pc}")?;
        }
        if let Some(ssn) = self.ssn {
            write!(f, " ssn={ssn}")?;
        }
        if let Some(gt) = &self.gt {
            write!(f, " gt={}", gt.digits())?;
        }
        Ok(())
    }
}

/// Owned global title, for emitting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GtRepr {
    /// Global title indicator (ITU 1-4, ANSI 1-2).
    pub gti: u8,
    /// Translation type (GTI 2, 3, 4 ITU; 1, 2 ANSI).
    pub tt: u8,
    /// Numbering plan (GTI 3, 4 ITU; 1 ANSI).
    pub np: u8,
    /// Nature of address (GTI 1, 4 ITU).
    pub nai: u8,
    /// Digits (0-9). The encoding scheme (BCD odd/even) follows from their count.
    pub digits: String,
}

/// Owned address, for emitting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressRepr {
    /// Bit 8 (ITU: reserved for national use; ANSI: national indicator, normally set).
    pub national: bool,
    /// Route on SSN (true) or on GT (false).
    pub route_on_ssn: bool,
    /// Point code.
    pub pc: Option<u32>,
    /// Subsystem number.
    pub ssn: Option<u8>,
    /// Global title.
    pub gt: Option<GtRepr>,
}

impl AddressRepr {
    /// Read an owned form back from a decoded address.
    pub fn from_address(a: &Address<'_>) -> AddressRepr {
        AddressRepr {
            national: a.national,
            route_on_ssn: a.routing == RoutingIndicator::Ssn,
            pc: a.pc,
            ssn: a.ssn.map(|s| s.0),
            gt: a.gt.map(|g| GtRepr {
                gti: g.gti,
                tt: g.tt.unwrap_or(0),
                np: g.np.map_or(0, |n| n.0),
                nai: g.nai.map_or(0, |n| n.0),
                digits: g.digits().as_str().to_string(),
            }),
        }
    }

    /// Append the parameter value (no length octet). Digits that are not 0-9 are encoded as
    /// nibble 0. ANSI layout is used for [`PcFormat::Ansi24`] when `national` is set.
    pub fn emit(&self, format: PcFormat, out: &mut Vec<u8>) {
        let ansi = format == PcFormat::Ansi24 && self.national;
        let fmt = if format == PcFormat::Ansi24 && !ansi {
            PcFormat::Itu14
        } else {
            format
        };
        let gti = self.gt.as_ref().map_or(0, |g| g.gti & 0x0f);
        let (pc_bit, ssn_bit) = if ansi { (0x02, 0x01) } else { (0x01, 0x02) };
        let mut ai =
            (u8::from(self.national) << 7) | (u8::from(self.route_on_ssn) << 6) | (gti << 2);
        if self.pc.is_some() {
            ai |= pc_bit;
        }
        if self.ssn.is_some() {
            ai |= ssn_bit;
        }
        out.push(ai);
        if ansi {
            if let Some(s) = self.ssn {
                out.push(s);
            }
            if let Some(pc) = self.pc {
                fmt.write_pc(pc, out);
            }
        } else {
            if let Some(pc) = self.pc {
                fmt.write_pc(pc, out);
            }
            if let Some(s) = self.ssn {
                out.push(s);
            }
        }
        if let Some(g) = &self.gt {
            let odd = g.digits.len() % 2 == 1;
            let es = if odd { 1 } else { 2 };
            match (ansi, g.gti) {
                (false, 1) => out.push((u8::from(odd) << 7) | (g.nai & 0x7f)),
                (_, 2) => out.push(g.tt),
                (false, 3) | (true, 1) => out.extend_from_slice(&[g.tt, (g.np << 4) | es]),
                (false, 4) => out.extend_from_slice(&[g.tt, (g.np << 4) | es, g.nai & 0x7f]),
                _ => {}
            }
            let mut nibbles = g
                .digits
                .bytes()
                .map(|c| if c.is_ascii_digit() { c - b'0' } else { 0 });
            while let Some(lo) = nibbles.next() {
                let hi = nibbles.next().unwrap_or(0);
                out.push(lo | (hi << 4));
            }
        }
    }

    /// Length of the emitted value.
    pub fn buffer_len(&self, format: PcFormat) -> usize {
        let mut v = Vec::new();
        self.emit(format, &mut v);
        v.len()
    }
}
