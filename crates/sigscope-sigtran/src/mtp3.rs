//! MTP3 (ITU-T Q.704, ANSI T1.111, Chinese and Japanese variants): service information octet
//! and routing label; MTP2 (Q.703) signal units carrying MTP3.

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

/// Which MTP3 routing label format to use: it cannot be told from the bytes, so the caller
/// chooses (`--mtp3 itu|ansi|chinese|japan`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Mtp3Variant {
    /// ITU-T: 14-bit point codes, 4-bit SLS, 4-octet label.
    #[default]
    Itu,
    /// ANSI: 24-bit point codes, 8-bit SLS (5 used in old networks), 7-octet label.
    Ansi,
    /// Chinese ITU: 24-bit point codes, 4-bit SLS, 7-octet label.
    Chinese,
    /// Japan (TTC): 16-bit point codes, 4-bit SLS, 5-octet label.
    Japan,
}

impl Mtp3Variant {
    /// Routing label length in octets.
    pub const fn label_len(self) -> usize {
        match self {
            Mtp3Variant::Itu => 4,
            Mtp3Variant::Ansi | Mtp3Variant::Chinese => 7,
            Mtp3Variant::Japan => 5,
        }
    }

    /// Parse a name (`itu`, `ansi`, `chinese`, `japan`).
    pub fn from_name(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "itu" => Some(Mtp3Variant::Itu),
            "ansi" => Some(Mtp3Variant::Ansi),
            "chinese" | "china" => Some(Mtp3Variant::Chinese),
            "japan" | "ttc" | "jp" => Some(Mtp3Variant::Japan),
            _ => None,
        }
    }

    /// Lower-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mtp3Variant::Itu => "itu",
            Mtp3Variant::Ansi => "ansi",
            Mtp3Variant::Chinese => "chinese",
            Mtp3Variant::Japan => "japan",
        }
    }
}

sigscope_core::open_enum! {
    /// Service indicator (Q.704 §14.2.1).
    pub struct ServiceIndicator(u8) {
        SNM = 0 => "SNM",
        MTN = 1 => "MTN",
        MTNS = 2 => "MTNS",
        SCCP = 3 => "SCCP",
        TUP = 4 => "TUP",
        ISUP = 5 => "ISUP",
        DUP_CALL = 6 => "DUP call",
        DUP_FAC = 7 => "DUP facility",
        MTP_TEST = 8 => "MTP testing",
        BISUP = 9 => "B-ISUP",
        SISUP = 10 => "S-ISUP",
        AAL2 = 12 => "AAL2 signalling",
        BICC = 13 => "BICC",
        GCP = 14 => "GCP",
    }
}

/// A decoded MTP3 message: SIO, routing label and the user part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mtp3<'a> {
    /// Variant used to decode the label.
    pub variant: Mtp3Variant,
    /// Service indicator (low 4 bits of the SIO).
    pub si: ServiceIndicator,
    /// Network indicator (top 2 bits of the SIO).
    pub ni: u8,
    /// The two middle SIO bits (priority in ANSI, spare in ITU).
    pub priority: u8,
    /// Originating point code.
    pub opc: u32,
    /// Destination point code.
    pub dpc: u32,
    /// Signalling link selection.
    pub sls: u8,
    /// User part after the routing label.
    pub payload: &'a [u8],
    /// Offset of the payload within the MTP3 message.
    pub payload_offset: usize,
}

/// Decode SIO + routing label.
pub fn parse<'a>(
    data: &'a [u8],
    variant: Mtp3Variant,
    anomalies: &mut Anomalies,
) -> Result<Mtp3<'a>, Error> {
    let need = 1 + variant.label_len();
    let (sio, rest) = data
        .split_first()
        .ok_or(Error::len(Layer::Mtp3, need, 0, 0))?;
    let label =
        rest.get(..variant.label_len())
            .ok_or(Error::len(Layer::Mtp3, need, data.len(), 0))?;
    let si = ServiceIndicator(sio & 0x0f);
    let ni = sio >> 6;
    let priority = (sio >> 4) & 0x03;
    let (dpc, opc, sls) = match (variant, label) {
        (Mtp3Variant::Itu, &[a, b, c, d]) => {
            let v = u32::from_le_bytes([a, b, c, d]);
            (v & 0x3fff, (v >> 14) & 0x3fff, (v >> 28) as u8)
        }
        (Mtp3Variant::Ansi | Mtp3Variant::Chinese, &[d0, d1, d2, o0, o1, o2, s]) => {
            let sls = if variant == Mtp3Variant::Chinese {
                s & 0x0f
            } else {
                s
            };
            (
                u32::from_le_bytes([d0, d1, d2, 0]),
                u32::from_le_bytes([o0, o1, o2, 0]),
                sls,
            )
        }
        (Mtp3Variant::Japan, &[d0, d1, o0, o1, s]) => (
            u32::from(u16::from_le_bytes([d0, d1])),
            u32::from(u16::from_le_bytes([o0, o1])),
            s & 0x0f,
        ),
        _ => return Err(Error::len(Layer::Mtp3, need, data.len(), 0)),
    };
    if variant == Mtp3Variant::Itu && priority != 0 && ni != 2 && ni != 3 {
        anomalies.push(
            Anomaly::new(
                Layer::Mtp3,
                AnomalyCode::ReservedBitSet,
                0,
                "SIO spare bits set",
            )
            .with_value(u64::from(priority)),
        );
    }
    Ok(Mtp3 {
        variant,
        si,
        ni,
        priority,
        opc,
        dpc,
        sls,
        payload: data.get(need..).unwrap_or(&[]),
        payload_offset: need,
    })
}

/// Owned SIO + routing label, for emitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelRepr {
    /// Variant.
    pub variant: Mtp3Variant,
    /// SI (4 bits).
    pub si: u8,
    /// NI (2 bits).
    pub ni: u8,
    /// Priority / spare bits (2 bits).
    pub priority: u8,
    /// OPC.
    pub opc: u32,
    /// DPC.
    pub dpc: u32,
    /// SLS.
    pub sls: u8,
}

impl LabelRepr {
    /// From a decoded message.
    pub fn parse(m: &Mtp3<'_>) -> Self {
        LabelRepr {
            variant: m.variant,
            si: m.si.0,
            ni: m.ni,
            priority: m.priority,
            opc: m.opc,
            dpc: m.dpc,
            sls: m.sls,
        }
    }

    /// Encoded length (SIO + label).
    pub const fn buffer_len(&self) -> usize {
        1 + self.variant.label_len()
    }

    /// Append SIO + label. Fields are masked to their widths.
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(((self.ni & 3) << 6) | ((self.priority & 3) << 4) | (self.si & 0x0f));
        match self.variant {
            Mtp3Variant::Itu => {
                let v = (self.dpc & 0x3fff)
                    | ((self.opc & 0x3fff) << 14)
                    | (u32::from(self.sls & 0x0f) << 28);
                out.extend_from_slice(&v.to_le_bytes());
            }
            Mtp3Variant::Ansi | Mtp3Variant::Chinese => {
                let d = self.dpc.to_le_bytes();
                let o = self.opc.to_le_bytes();
                let sls = if self.variant == Mtp3Variant::Chinese {
                    self.sls & 0x0f
                } else {
                    self.sls
                };
                out.extend_from_slice(&[d[0], d[1], d[2], o[0], o[1], o[2], sls]);
            }
            Mtp3Variant::Japan => {
                let d = (self.dpc as u16).to_le_bytes();
                let o = (self.opc as u16).to_le_bytes();
                out.extend_from_slice(&[d[0], d[1], o[0], o[1], self.sls & 0x0f]);
            }
        }
    }
}

/// Format a point code the way people write it for the variant (ITU 3-8-3, ANSI/Chinese 8-8-8,
/// Japan as a number).
pub fn format_pc(pc: u32, variant: Mtp3Variant) -> String {
    match variant {
        Mtp3Variant::Itu => format!("{}-{}-{}", (pc >> 11) & 7, (pc >> 3) & 0xff, pc & 7),
        Mtp3Variant::Ansi | Mtp3Variant::Chinese => {
            format!("{}-{}-{}", (pc >> 16) & 0xff, (pc >> 8) & 0xff, pc & 0xff)
        }
        Mtp3Variant::Japan => pc.to_string(),
    }
}

/// MTP2 signal unit kinds (by length indicator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignalUnit<'a> {
    /// Fill-in signal unit (LI = 0).
    Fisu,
    /// Link status signal unit (LI = 1 or 2) with its status octet(s).
    Lssu(&'a [u8]),
    /// Message signal unit: the MTP3 message (SIO + SIF).
    Msu(&'a [u8]),
}

/// Length of the MTP2 header (BSN/BIB, FSN/FIB, LI).
pub const MTP2_HEADER_LEN: usize = 3;

/// Decode an MTP2 signal unit (Q.703), as carried by LINKTYPE_MTP2 (140). The length indicator
/// is checked against the data (a mismatch is an anomaly); the MSU is all that follows the
/// header, as Wireshark takes it (captures carry no FCS).
pub fn parse_mtp2<'a>(data: &'a [u8], anomalies: &mut Anomalies) -> Result<SignalUnit<'a>, Error> {
    let hdr = data.get(..MTP2_HEADER_LEN).ok_or(Error::len(
        Layer::Mtp2,
        MTP2_HEADER_LEN,
        data.len(),
        0,
    ))?;
    let li = usize::from(hdr.get(2).copied().unwrap_or(0) & 0x3f);
    let body = data.get(MTP2_HEADER_LEN..).unwrap_or(&[]);
    if hdr.get(2).copied().unwrap_or(0) & 0xc0 != 0 {
        anomalies.push(Anomaly::new(
            Layer::Mtp2,
            AnomalyCode::ReservedBitSet,
            2,
            "LI spare bits set",
        ));
    }
    match li {
        0 => Ok(SignalUnit::Fisu),
        1 | 2 => Ok(SignalUnit::Lssu(body.get(..li).unwrap_or(body))),
        _ => {
            // Like Wireshark, the MSU is everything after the header; the LI (6 bits, 63 meaning
            // "63 or more") only has to agree, and a disagreement is reported.
            if li < 63 && body.len() != li {
                let code = if body.len() < li {
                    AnomalyCode::LiExceedsData
                } else {
                    AnomalyCode::LiMismatch
                };
                anomalies.push(
                    Anomaly::new(
                        Layer::Mtp2,
                        code,
                        2,
                        "length indicator disagrees with the data",
                    )
                    .with_value(li as u64),
                );
            }
            Ok(SignalUnit::Msu(body))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn itu_label() {
        // SIO 0x83 (NI 2, SI 3); label built by hand from Q.704 §2.2: DPC=1, OPC=2, SLS=5
        let mut out = Vec::new();
        LabelRepr {
            variant: Mtp3Variant::Itu,
            si: 3,
            ni: 2,
            priority: 0,
            opc: 2,
            dpc: 1,
            sls: 5,
        }
        .emit(&mut out);
        assert_eq!(out, vec![0x83, 0x01, 0x80, 0x00, 0x50]);
        let mut a = Anomalies::new();
        let m = parse(&out, Mtp3Variant::Itu, &mut a).unwrap();
        assert_eq!(
            (m.si, m.ni, m.opc, m.dpc, m.sls),
            (ServiceIndicator::SCCP, 2, 2, 1, 5)
        );
        assert_eq!(format_pc(0x3fff, Mtp3Variant::Itu), "7-255-7");
    }

    #[test]
    fn mtp2_units() {
        let mut a = Anomalies::new();
        assert_eq!(
            parse_mtp2(&[0x80, 0x80, 0x00], &mut a),
            Ok(SignalUnit::Fisu)
        );
        assert_eq!(
            parse_mtp2(&[0x80, 0x80, 0x01, 0x03], &mut a),
            Ok(SignalUnit::Lssu(&[3]))
        );
        let su = parse_mtp2(&[0x80, 0x80, 0x06, 0x83, 1, 2, 3, 4, 5], &mut a).unwrap();
        assert_eq!(su, SignalUnit::Msu(&[0x83, 1, 2, 3, 4, 5]));
        assert!(a.is_empty());
        // ../shared/captures raw/ajbanjara+Wireshark/22-249.pcap frame 2: LI 3 but 20 octets
        // follow; tshark decodes all 20 as the MSU (an SLTA), and so do we, with an anomaly.
        let f2 = [
            0x00, 0x00, 0x03, 0x81, 0x02, 0xf9, 0x16, 0xe8, 0xff, 0x16, 0x00, 0x21, 0xa0, 0xa5,
            0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
        ];
        let su = parse_mtp2(&f2, &mut a).unwrap();
        assert_eq!(su, SignalUnit::Msu(&f2[3..]));
        assert!(a.contains(AnomalyCode::LiMismatch));
    }

    proptest! {
        #[test]
        fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..40), v in 0usize..4) {
            let variant = [Mtp3Variant::Itu, Mtp3Variant::Ansi, Mtp3Variant::Chinese, Mtp3Variant::Japan][v];
            let mut a = Anomalies::new();
            let _ = parse(&d, variant, &mut a);
            let _ = parse_mtp2(&d, &mut a);
        }

        #[test]
        fn round_trip(v in 0usize..4, si in 0u8..16, ni in 0u8..4, opc: u32, dpc: u32, sls: u8) {
            let variant = [Mtp3Variant::Itu, Mtp3Variant::Ansi, Mtp3Variant::Chinese, Mtp3Variant::Japan][v];
            let (mask, slsmask) = match variant {
                Mtp3Variant::Itu => (0x3fff, 0x0f),
                Mtp3Variant::Ansi => (0xff_ffff, 0xff),
                Mtp3Variant::Chinese => (0xff_ffff, 0x0f),
                Mtp3Variant::Japan => (0xffff, 0x0f),
            };
            let r = LabelRepr { variant, si, ni, priority: 0, opc: opc & mask, dpc: dpc & mask, sls: sls & slsmask };
            let mut b = Vec::new();
            r.emit(&mut b);
            b.extend_from_slice(&[9, 9]);
            prop_assert_eq!(b.len(), r.buffer_len() + 2);
            let mut a = Anomalies::new();
            let m = parse(&b, variant, &mut a).unwrap();
            prop_assert_eq!(LabelRepr::parse(&m), r);
            prop_assert_eq!(m.payload, &[9u8, 9][..]);
        }
    }
}
