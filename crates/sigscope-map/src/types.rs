//! Borrowed views of MAP common data types (TS 29.002 clause 17.7): address strings, TBCD
//! identities, PLMN ids, cell / area identities (TS 23.003, TS 24.008) and geographical
//! information (TS 23.032).

use core::fmt;

use sigscope_core::digits::{tbcd, Digits};

/// An `AddressString` / `ISDN-AddressString` / `FTN-AddressString`: one octet of extension,
/// nature of address and numbering plan, then TBCD digits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AddressString<'a> {
    /// The whole value (indicator octet + digits).
    pub raw: &'a [u8],
    /// Offset of the value within the MAP parameter.
    pub offset: usize,
}

impl<'a> AddressString<'a> {
    /// The indicator octet (0 when the value is empty).
    pub fn indicator(&self) -> u8 {
        self.raw.first().copied().unwrap_or(0)
    }

    /// Nature of address indicator (bits 7-5): 0 unknown, 1 international, 2 national
    /// significant, 3 network specific, 4 subscriber, 6 abbreviated.
    pub fn nature(&self) -> u8 {
        (self.indicator() >> 4) & 0x07
    }

    /// Numbering plan indicator (bits 4-1): 1 E.164, 3 X.121, 4 F.69, 6 E.212, 8 national,
    /// 9 private.
    pub fn plan(&self) -> u8 {
        self.indicator() & 0x0f
    }

    /// Whether the plan is ISDN/telephony (E.164).
    pub fn is_e164(&self) -> bool {
        self.plan() == 1
    }

    /// The TBCD digit octets (after the indicator).
    pub fn digit_octets(&self) -> &'a [u8] {
        self.raw.get(1..).unwrap_or(&[])
    }

    /// The digits (filler removed; 0xA-0xE kept as `*#abc` and flagged).
    pub fn digits(&self) -> Digits {
        tbcd(self.digit_octets())
    }
}

impl fmt::Debug for AddressString<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Address(noa {} np {} {:?})",
            self.nature(),
            self.plan(),
            self.digits().as_str()
        )
    }
}

/// A TBCD-STRING identity (IMSI, IMEI, IMEISV, ...).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Tbcd<'a> {
    /// The octets.
    pub raw: &'a [u8],
    /// Offset of the value within the MAP parameter.
    pub offset: usize,
}

impl Tbcd<'_> {
    /// The digits.
    pub fn digits(&self) -> Digits {
        tbcd(self.raw)
    }
}

impl fmt::Debug for Tbcd<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tbcd({:?})", self.digits().as_str())
    }
}

/// A PLMN identity (MCC + MNC, TS 24.008 10.5.1.3 octet order).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Plmn {
    /// Mobile country code (three digits; a non-digit nibble reads as its value).
    pub mcc: u16,
    /// Mobile network code.
    pub mnc: u16,
    /// Number of MNC digits (2 or 3).
    pub mnc_digits: u8,
}

impl Plmn {
    /// Decode the three PLMN octets.
    pub fn from_octets(o: &[u8]) -> Option<Plmn> {
        let [a, b, c] = *o.get(..3)? else {
            return None;
        };
        let n = |x: u8| u16::from(x & 0x0f);
        let mcc = n(a) * 100 + n(a >> 4) * 10 + n(b);
        let mnc3 = b >> 4;
        let (mnc, mnc_digits) = if mnc3 == 0x0f {
            (n(c) * 10 + n(c >> 4), 2)
        } else {
            (n(c) * 100 + n(c >> 4) * 10 + u16::from(mnc3), 3)
        };
        Some(Plmn {
            mcc,
            mnc,
            mnc_digits,
        })
    }
}

impl fmt::Display for Plmn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:03}-{:0w$}",
            self.mcc,
            self.mnc,
            w = usize::from(self.mnc_digits)
        )
    }
}

/// Kinds of cell / area identity found in location information.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum CellKind {
    /// Cell global identity (PLMN, LAC, CI).
    Cgi,
    /// Service area identity (PLMN, LAC, SAC) — a CGI-sized value with `sai-Present`.
    Sai,
    /// Location area identity (PLMN, LAC).
    Lai,
    /// Routeing area identity (PLMN, LAC, RAC).
    Rai,
    /// E-UTRAN cell global identity (PLMN, 28-bit ECI).
    Ecgi,
    /// Tracking area identity (PLMN, TAC).
    Tai,
}

impl CellKind {
    /// Record key (`cgi`, `sai`, `lai`, `rai`, `ecgi`, `tai`).
    pub const fn as_str(self) -> &'static str {
        match self {
            CellKind::Cgi => "cgi",
            CellKind::Sai => "sai",
            CellKind::Lai => "lai",
            CellKind::Rai => "rai",
            CellKind::Ecgi => "ecgi",
            CellKind::Tai => "tai",
        }
    }
}

/// A cell or area identity, borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CellId<'a> {
    /// What it is.
    pub kind: CellKind,
    /// The octets.
    pub raw: &'a [u8],
    /// Offset within the MAP parameter.
    pub offset: usize,
}

impl CellId<'_> {
    /// The PLMN.
    pub fn plmn(&self) -> Option<Plmn> {
        Plmn::from_octets(self.raw)
    }

    /// Location area code (CGI, SAI, LAI, RAI) or tracking area code (TAI).
    pub fn lac(&self) -> Option<u16> {
        match self.kind {
            CellKind::Ecgi => None,
            _ => match self.raw.get(3..5)? {
                [a, b] => Some(u16::from_be_bytes([*a, *b])),
                _ => None,
            },
        }
    }

    /// Cell identity (CGI), service area code (SAI), routeing area code (RAI), or the 28-bit
    /// E-UTRAN cell identity (ECGI).
    pub fn cell(&self) -> Option<u32> {
        match self.kind {
            CellKind::Cgi | CellKind::Sai => match self.raw.get(5..7)? {
                [a, b] => Some(u32::from(u16::from_be_bytes([*a, *b]))),
                _ => None,
            },
            CellKind::Rai => self.raw.get(5).map(|b| u32::from(*b)),
            CellKind::Ecgi => match self.raw.get(3..7)? {
                [a, b, c, d] => Some(u32::from_be_bytes([*a, *b, *c, *d]) & 0x0fff_ffff),
                _ => None,
            },
            CellKind::Lai | CellKind::Tai => None,
        }
    }

    /// The length TS 29.002 fixes for this kind.
    pub const fn expected_len(kind: CellKind) -> usize {
        match kind {
            CellKind::Cgi | CellKind::Sai | CellKind::Ecgi => 7,
            CellKind::Lai | CellKind::Tai => 5,
            CellKind::Rai => 6,
        }
    }
}

/// Shape of a TS 23.032 geographical area description.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Shape {
    /// Ellipsoid point.
    Point,
    /// Ellipsoid point with uncertainty circle.
    PointUncertaintyCircle,
    /// Ellipsoid point with uncertainty ellipse.
    PointUncertaintyEllipse,
    /// Polygon.
    Polygon,
    /// Ellipsoid point with altitude.
    PointAltitude,
    /// Ellipsoid point with altitude and uncertainty ellipsoid.
    PointAltitudeUncertainty,
    /// Ellipsoid arc.
    Arc,
    /// Any other type of shape (the 4-bit code).
    Other(u8),
}

/// Latitude and longitude of six octets (TS 23.032 6.1, the same coding in ITU-T Q.763
/// 3.88): sign bit + 23-bit latitude (`N * 90 / 2^23` degrees), 24-bit two's complement
/// longitude (`N * 360 / 2^24` degrees).
fn point(o: &[u8]) -> Option<(f64, f64)> {
    let [a, b, c, d, e, f] = o else {
        return None;
    };
    let lat_raw = u32::from_be_bytes([0, *a, *b, *c]);
    let south = lat_raw & 0x80_0000 != 0;
    let lat = f64::from(lat_raw & 0x7f_ffff) * 90.0 / f64::from(1u32 << 23);
    let lon_raw = u32::from_be_bytes([0, *d, *e, *f]);
    // 24-bit two's complement
    let lon_signed = if lon_raw & 0x80_0000 != 0 {
        i64::from(lon_raw) - (1 << 24)
    } else {
        i64::from(lon_raw)
    };
    let lon = lon_signed as f64 * 360.0 / f64::from(1u32 << 24);
    Some((if south { -lat } else { lat }, lon))
}

/// Geodetic information (TS 29.002 `GeodeticInformation`, 10 octets: the Calling Geodetic
/// Location of ITU-T Q.763 3.88): screening and presentation indicators, type of shape (Q.763
/// codes, not TS 23.032's), then the shape description. TS 29.002 allows only an ellipsoid
/// point with uncertainty (circle): latitude (3), longitude (3), uncertainty code (1),
/// confidence (1).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct GeodeticInfo {
    /// Location presentation restricted indicator (octet 1 bits 4-3).
    pub presentation: u8,
    /// Screening indicator (octet 1 bits 2-1).
    pub screening: u8,
    /// Type of shape (octet 2 bits 7-1, Q.763: 0 ellipsoid point, 1 ellipsoid point with
    /// uncertainty, 2 point with altitude and uncertainty, 3 ellipse on the ellipsoid,
    /// 4 ellipsoid circle sector, 5 polygon).
    pub shape_code: u8,
    /// Latitude in degrees (negative south), for shapes 0-4 (they start with a point).
    pub latitude: Option<f64>,
    /// Longitude in degrees (negative west).
    pub longitude: Option<f64>,
    /// Uncertainty code (K) of an ellipsoid point with uncertainty; radius `10*(1.1^K-1)` m.
    pub uncertainty_code: Option<u8>,
    /// Confidence (percent) of an ellipsoid point with uncertainty.
    pub confidence: Option<u8>,
}

impl GeodeticInfo {
    /// Decode the octets; `None` when shorter than the two indicator octets.
    pub fn parse(o: &[u8]) -> Option<GeodeticInfo> {
        let (ind, shape) = match o {
            [i, s, ..] => (*i, *s & 0x7f),
            _ => return None,
        };
        let mut g = GeodeticInfo {
            presentation: (ind >> 2) & 3,
            screening: ind & 3,
            shape_code: shape,
            latitude: None,
            longitude: None,
            uncertainty_code: None,
            confidence: None,
        };
        if shape <= 4 {
            if let Some((lat, lon)) = o.get(2..8).and_then(point) {
                g.latitude = Some(lat);
                g.longitude = Some(lon);
            }
        }
        if shape == 1 {
            g.uncertainty_code = o.get(8).map(|u| u & 0x7f);
            g.confidence = o.get(9).map(|c| c & 0x7f);
        }
        Some(g)
    }

    /// The shape as a TS 23.032 [`Shape`] where Q.763 has the same one.
    pub const fn shape(&self) -> Shape {
        match self.shape_code {
            0 => Shape::Point,
            1 => Shape::PointUncertaintyCircle,
            5 => Shape::Polygon,
            c => Shape::Other(c),
        }
    }

    /// The uncertainty radius in metres, for an ellipsoid point with uncertainty.
    pub fn uncertainty_metres(&self) -> Option<f64> {
        self.uncertainty_code
            .map(|k| 10.0 * (1.1f64.powi(i32::from(k)) - 1.0))
    }
}

/// Geographical information (TS 23.032 as used by `GeographicalInformation` and
/// `Ext-GeographicalInformation`): the shape and, for shapes that start with a point, its
/// coordinates.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct GeoInfo {
    /// The shape.
    pub shape: Shape,
    /// Latitude in degrees (negative south).
    pub latitude: Option<f64>,
    /// Longitude in degrees (negative west).
    pub longitude: Option<f64>,
    /// Uncertainty code (K) of a point with uncertainty circle; radius `10*(1.1^K-1)` metres.
    pub uncertainty_code: Option<u8>,
}

impl GeoInfo {
    /// Decode the octets; `None` when shorter than the shape's point.
    pub fn parse(o: &[u8]) -> Option<GeoInfo> {
        let first = *o.first()?;
        let code = first >> 4;
        let shape = match code {
            0 => Shape::Point,
            1 => Shape::PointUncertaintyCircle,
            3 => Shape::PointUncertaintyEllipse,
            5 => Shape::Polygon,
            8 => Shape::PointAltitude,
            9 => Shape::PointAltitudeUncertainty,
            10 => Shape::Arc,
            c => Shape::Other(c),
        };
        let mut g = GeoInfo {
            shape,
            latitude: None,
            longitude: None,
            uncertainty_code: None,
        };
        if matches!(shape, Shape::Other(_)) {
            return Some(g);
        }
        if let Some((lat, lon)) = o.get(1..7).and_then(point) {
            g.latitude = Some(lat);
            g.longitude = Some(lon);
        }
        if shape == Shape::PointUncertaintyCircle {
            g.uncertainty_code = o.get(7).map(|u| u & 0x7f);
        }
        Some(g)
    }

    /// The uncertainty radius in metres, for a point with uncertainty circle.
    pub fn uncertainty_metres(&self) -> Option<f64> {
        self.uncertainty_code
            .map(|k| 10.0 * (1.1f64.powi(i32::from(k)) - 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_and_plmn() {
        // CAP.pcap frame 9: originationReference 91 69 98 05 10 20 f9
        let a = AddressString {
            raw: &[0x91, 0x69, 0x98, 0x05, 0x10, 0x20, 0xf9],
            offset: 0,
        };
        assert_eq!(a.digits().as_str(), "96895001029");
        assert_eq!(a.nature(), 1);
        assert!(a.is_e164());
        let p = Plmn::from_octets(&[0x62, 0xf2, 0x10]).unwrap();
        assert_eq!((p.mcc, p.mnc, p.mnc_digits), (262, 1, 2));
        assert_eq!(p.to_string(), "262-01");
        let p = Plmn::from_octets(&[0x13, 0x00, 0x14]).unwrap();
        assert_eq!(p.to_string(), "310-410");
        let c = CellId {
            kind: CellKind::Ecgi,
            raw: &[0x62, 0xf2, 0x10, 0x01, 0x23, 0x45, 0x67],
            offset: 0,
        };
        assert_eq!(c.cell(), Some(0x0123_4567));
        assert_eq!(c.lac(), None);
    }

    #[test]
    fn geo() {
        // point with uncertainty circle, lat 0x400000 -> 45 deg N, lon 0x200000 -> 45 deg E
        let g = GeoInfo::parse(&[0x10, 0x40, 0x00, 0x00, 0x20, 0x00, 0x00, 0x05]).unwrap();
        assert_eq!(g.shape, Shape::PointUncertaintyCircle);
        assert!((g.latitude.unwrap() - 45.0).abs() < 1e-9);
        assert!((g.longitude.unwrap() - 45.0).abs() < 1e-9);
        assert_eq!(g.uncertainty_code, Some(5));
        let g = GeoInfo::parse(&[0x00, 0xc0, 0x00, 0x00, 0xe0, 0x00, 0x00]).unwrap();
        assert!((g.latitude.unwrap() + 45.0).abs() < 1e-9);
        assert!((g.longitude.unwrap() + 45.0).abs() < 1e-9);
        assert!(GeoInfo::parse(&[]).is_none());
    }

    #[test]
    fn geodetic() {
        // TS 29.002 GeodeticInformation = Q.763 3.88 Calling Geodetic Location, computed by
        // hand: octet 1 = 0x06 (LPRI 01 "presentation restricted", screening 10 "network
        // provided"), octet 2 = 0x01 (ellipsoid point with uncertainty), latitude 0x2aaaab
        // (2796203 * 90 / 2^23 = 30.000004 N), longitude 0xf8e38e (two's complement
        // -466034 * 360 / 2^24 = -10.000005, i.e. W), uncertainty code 20, confidence 80.
        let raw = [0x06, 0x01, 0x2a, 0xaa, 0xab, 0xf8, 0xe3, 0x8e, 0x14, 0x50];
        let g = GeodeticInfo::parse(&raw).unwrap();
        assert_eq!((g.presentation, g.screening, g.shape_code), (1, 2, 1));
        assert_eq!(g.shape(), Shape::PointUncertaintyCircle);
        let lat = 2_796_203.0 * 90.0 / 8_388_608.0;
        let lon = -466_034.0 * 360.0 / 16_777_216.0;
        assert!((g.latitude.unwrap() - lat).abs() < 1e-12);
        assert!((g.latitude.unwrap() - 30.0).abs() < 1e-4);
        assert!((g.longitude.unwrap() - lon).abs() < 1e-12);
        assert!((g.longitude.unwrap() + 10.0).abs() < 1e-4);
        assert_eq!(g.uncertainty_code, Some(20));
        assert_eq!(g.confidence, Some(80));
        // 10 * (1.1^20 - 1) = 57.27 m
        assert!((g.uncertainty_metres().unwrap() - 57.275).abs() < 1e-3);
        // read as GeographicalInformation the same octets give another place entirely:
        // the screening octet would be taken for the shape and the shape octet for latitude
        let wrong = GeoInfo::parse(&raw).unwrap();
        assert_ne!(wrong.latitude, g.latitude);
        assert!(GeodeticInfo::parse(&[0x00]).is_none());
        // a polygon starts with a count, not a point
        let p = GeodeticInfo::parse(&[0x00, 0x05, 0x03, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!((p.shape(), p.latitude), (Shape::Polygon, None));
    }
}
