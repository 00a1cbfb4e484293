//! TP-User-Data (TS 23.040 9.2.3.24): the user data header and its information elements
//! (concatenation, application ports, ...), fill bits, and the text in GSM 7-bit or UCS-2.

use sigscope_core::gsm7;
use sigscope_core::{Error, Layer};

use super::{Charset, Dcs, MAX_UDH_IES};

/// One user data header information element (TS 23.040 9.2.3.24).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Ie<'a> {
    /// Identifier.
    pub iei: u8,
    /// Data.
    pub data: &'a [u8],
}

/// Concatenated short message reference (IE 0x00, 8-bit reference, or 0x08, 16-bit).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Concat {
    /// Reference number.
    pub reference: u16,
    /// Total parts.
    pub total: u8,
    /// This part's sequence number (1-based).
    pub seq: u8,
    /// 16-bit reference (IE 0x08).
    pub wide: bool,
}

impl Ie<'_> {
    /// Name of the IE (a few common ones).
    pub const fn name(&self) -> Option<&'static str> {
        Some(match self.iei {
            0x00 => "concat_8bit",
            0x01 => "special_sms_indication",
            0x04 => "port_8bit",
            0x05 => "port_16bit",
            0x06 => "smsc_control",
            0x07 => "udh_source_indicator",
            0x08 => "concat_16bit",
            0x09 => "wireless_control_message_protocol",
            0x0a..=0x1f => "ems",
            0x20 => "rfc822_email_header",
            0x21 => "hyperlink_format",
            0x22 => "reply_address",
            0x23 => "enhanced_voice_mail",
            0x24 => "national_language_single_shift",
            0x25 => "national_language_locking_shift",
            _ => return None,
        })
    }

    /// This IE as a concatenation reference.
    pub fn concat(&self) -> Option<Concat> {
        match (self.iei, self.data) {
            (0x00, [r, t, s]) => Some(Concat {
                reference: u16::from(*r),
                total: *t,
                seq: *s,
                wide: false,
            }),
            (0x08, [r1, r2, t, s]) => Some(Concat {
                reference: u16::from_be_bytes([*r1, *r2]),
                total: *t,
                seq: *s,
                wide: true,
            }),
            _ => None,
        }
    }

    /// Application port addressing (destination, originator).
    pub fn ports(&self) -> Option<(u16, u16)> {
        match (self.iei, self.data) {
            (0x04, [d, o]) => Some((u16::from(*d), u16::from(*o))),
            (0x05, [d1, d2, o1, o2]) => Some((
                u16::from_be_bytes([*d1, *d2]),
                u16::from_be_bytes([*o1, *o2]),
            )),
            _ => None,
        }
    }
}

/// Iterator over the IEs of a user data header; yields an error when an IE overruns it.
#[derive(Clone, Debug)]
pub struct Ies<'a> {
    rest: &'a [u8],
    count: usize,
}

impl<'a> Iterator for Ies<'a> {
    type Item = Result<Ie<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let (&iei, r) = self.rest.split_first()?;
        self.count += 1;
        if self.count > MAX_UDH_IES {
            self.rest = &[];
            return Some(Err(Error::Limit {
                layer: Layer::Sms,
                what: "udh information elements",
                limit: MAX_UDH_IES,
                offset: 0,
            }));
        }
        let Some((&len, r)) = r.split_first() else {
            self.rest = &[];
            return Some(Err(Error::len(Layer::Sms, 2, 1, 0)));
        };
        let Some(data) = r.get(..usize::from(len)) else {
            let have = r.len();
            self.rest = &[];
            return Some(Err(Error::len(Layer::Sms, usize::from(len), have, 0)));
        };
        self.rest = r.get(usize::from(len)..).unwrap_or(&[]);
        Some(Ok(Ie { iei, data }))
    }
}

/// TP-User-Data with its length and coding.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UserData<'a> {
    /// TP-User-Data-Length (septets for GSM 7-bit, octets otherwise).
    pub udl: u8,
    /// The data coding scheme in force.
    pub dcs: Dcs,
    /// A user data header is present (TP-UDHI).
    pub udhi: bool,
    /// The user data octets (header included).
    pub raw: &'a [u8],
    /// Offset of the first user data octet in the TPDU.
    pub offset: usize,
}

impl<'a> UserData<'a> {
    /// The header (without its length octet), when TP-UDHI is set and it fits.
    pub fn header(&self) -> Option<&'a [u8]> {
        if !self.udhi {
            return None;
        }
        let (&hl, rest) = self.raw.split_first()?;
        rest.get(..usize::from(hl))
    }

    /// Octets taken by the header including its length octet (0 without a header).
    pub fn header_len(&self) -> usize {
        if !self.udhi {
            return 0;
        }
        self.raw
            .first()
            .map_or(0, |h| (usize::from(*h) + 1).min(self.raw.len()))
    }

    /// The header's information elements.
    pub fn ies(&self) -> Ies<'a> {
        Ies {
            rest: self.header().unwrap_or(&[]),
            count: 0,
        }
    }

    /// The concatenation IE, if any.
    pub fn concat(&self) -> Option<Concat> {
        self.ies().flatten().find_map(|ie| ie.concat())
    }

    /// The application ports IE, if any (destination, originator).
    pub fn ports(&self) -> Option<(u16, u16)> {
        self.ies().flatten().find_map(|ie| ie.ports())
    }

    /// The octets after the header (for 8-bit and UCS-2; for GSM 7-bit the septets start
    /// after fill bits, see [`UserData::text_into`]).
    pub fn body(&self) -> &'a [u8] {
        self.raw.get(self.header_len()..).unwrap_or(&[])
    }

    /// Number of text septets (GSM 7-bit) after the header and fill bits.
    pub fn septet_count(&self) -> usize {
        let hl = self.header_len();
        let header_septets = (hl * 8).div_ceil(7);
        usize::from(self.udl).saturating_sub(header_septets)
    }

    /// Fill bits after the header (GSM 7-bit).
    pub fn fill_bits(&self) -> u8 {
        let hl = self.header_len();
        ((7 - (hl * 8) % 7) % 7) as u8
    }

    /// Render the text (GSM 7-bit with fill bits after a header, UCS-2) into `out`. Returns
    /// false when the data is not text (8-bit, compressed), leaving `out` untouched.
    pub fn text_into(&self, out: &mut String) -> bool {
        if self.dcs.compressed() {
            return false;
        }
        match self.dcs.charset() {
            Charset::Gsm7 | Charset::Reserved => {
                let it = gsm7::septets(self.body(), self.fill_bits(), self.septet_count());
                gsm7::decode_septets(it, out);
                true
            }
            Charset::Ucs2 => {
                gsm7::decode_ucs2(self.body(), out);
                true
            }
            Charset::Eight => false,
        }
    }

    /// The text as a new string (see [`UserData::text_into`]).
    pub fn text(&self) -> Option<String> {
        let mut s = String::new();
        self.text_into(&mut s).then_some(s)
    }
}
