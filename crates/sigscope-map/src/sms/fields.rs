//! TP fields with their own layout: TP addresses (TS 23.040 9.1.2.5), service centre time
//! stamps (9.2.3.11) and the validity period in its three formats (9.2.3.12).

use core::fmt;

use sigscope_core::digits::{tbcd, Digits};
use sigscope_core::gsm7;

/// A TP address (TS 23.040 9.1.2.5): digit count, type of address, value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SmsAddress<'a> {
    /// Address-Length: useful semi-octets.
    pub length: u8,
    /// Type-of-address octet.
    pub toa: u8,
    /// Address value octets.
    pub value: &'a [u8],
    /// Offset of the address (its length octet) in the TPDU.
    pub offset: usize,
}

impl SmsAddress<'_> {
    /// Type of number (bits 7-5 of the type of address; 5 is alphanumeric).
    pub const fn ton(&self) -> u8 {
        (self.toa >> 4) & 7
    }

    /// Numbering plan identification.
    pub const fn npi(&self) -> u8 {
        self.toa & 0x0f
    }

    /// An alphanumeric (GSM 7-bit) address.
    pub const fn is_alphanumeric(&self) -> bool {
        self.ton() == 5
    }

    /// The digits of a numeric address.
    pub fn digits(&self) -> Digits {
        tbcd(self.value)
    }

    /// The text of the address: the digits, or for an alphanumeric address the GSM 7-bit
    /// characters (`length * 4 / 7` septets).
    pub fn text(&self) -> String {
        if self.is_alphanumeric() {
            gsm7::decode_packed(self.value, 0, usize::from(self.length) * 4 / 7)
        } else {
            self.digits().as_str().to_string()
        }
    }
}

impl fmt::Debug for SmsAddress<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmsAddress(toa {:#04x} {:?})", self.toa, self.text())
    }
}

/// A service centre time stamp (TS 23.040 9.2.3.11): seven swapped-BCD octets.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Scts<'a>(pub &'a [u8]);

fn swapped(b: u8) -> u8 {
    (b & 0x0f) * 10 + (b >> 4)
}

impl Scts<'_> {
    /// (year 0-99, month, day, hour, minute, second).
    pub fn fields(&self) -> Option<[u8; 6]> {
        match self.0 {
            [y, mo, d, h, mi, s, ..] => Some([
                swapped(*y),
                swapped(*mo),
                swapped(*d),
                swapped(*h),
                swapped(*mi),
                swapped(*s),
            ]),
            _ => None,
        }
    }

    /// Time zone in quarter hours from GMT (negative west).
    pub fn tz_quarters(&self) -> Option<i8> {
        let b = *self.0.get(6)?;
        let q = ((b & 0x07) * 10 + (b >> 4)) as i8;
        Some(if b & 0x08 != 0 { -q } else { q })
    }
}

impl fmt::Display for Scts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (Some([y, mo, d, h, mi, s]), Some(tz)) = (self.fields(), self.tz_quarters()) else {
            return f.write_str("invalid");
        };
        let sign = if tz < 0 { '-' } else { '+' };
        let m = i16::from(tz).unsigned_abs() * 15;
        write!(
            f,
            "20{y:02}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:{:02}",
            m / 60,
            m % 60
        )
    }
}

/// TP-Validity-Period (TS 23.040 9.2.3.12) in its three formats.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum ValidityPeriod<'a> {
    /// Relative (one octet).
    Relative(u8),
    /// Absolute (a time stamp).
    Absolute(Scts<'a>),
    /// Enhanced (seven octets: functionality indicator and a value).
    Enhanced(&'a [u8]),
}

/// Seconds of a relative validity period octet (TS 23.040 9.2.3.12.1).
pub const fn relative_seconds(v: u8) -> u32 {
    let v = v as u32;
    match v {
        0..=143 => (v + 1) * 300,
        144..=167 => 12 * 3600 + (v - 143) * 1800,
        168..=196 => (v - 166) * 86400,
        _ => (v - 192) * 7 * 86400,
    }
}

impl ValidityPeriod<'_> {
    /// The period in seconds, for the relative format and the enhanced relative formats.
    pub fn seconds(&self) -> Option<u32> {
        match self {
            ValidityPeriod::Relative(v) => Some(relative_seconds(*v)),
            ValidityPeriod::Enhanced(o) => {
                let fi = *o.first()?;
                match fi & 0x07 {
                    1 => o.get(1).map(|v| relative_seconds(*v)),
                    2 => o.get(1).map(|v| u32::from(*v)),
                    3 => match o.get(1..4)? {
                        [h, m, s] => Some(
                            u32::from(swapped(*h)) * 3600
                                + u32::from(swapped(*m)) * 60
                                + u32::from(swapped(*s)),
                        ),
                        _ => None,
                    },
                    _ => None,
                }
            }
            ValidityPeriod::Absolute(_) => None,
        }
    }

    /// Format name (`relative`, `absolute`, `enhanced`).
    pub const fn format(&self) -> &'static str {
        match self {
            ValidityPeriod::Relative(_) => "relative",
            ValidityPeriod::Absolute(_) => "absolute",
            ValidityPeriod::Enhanced(_) => "enhanced",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_vp_table() {
        assert_eq!(relative_seconds(0), 300);
        assert_eq!(relative_seconds(143), 12 * 3600);
        assert_eq!(relative_seconds(144), 12 * 3600 + 1800);
        assert_eq!(relative_seconds(168), 2 * 86400);
        assert_eq!(relative_seconds(197), 5 * 7 * 86400);
    }
}
