//! USSD strings (TS 29.002 `USSD-String`) coded by the Cell Broadcast data coding scheme
//! (TS 23.038 clause 5).

use sigscope_core::gsm7;

use crate::sms::Charset;

/// A USSD data coding scheme and string, borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ussd<'a> {
    /// `ussd-DataCodingScheme` (first octet; absent for the v1 `SS-UserData` IA5 string).
    pub dcs: Option<u8>,
    /// `ussd-String` octets (or the IA5 characters of v1 `SS-UserData`).
    pub string: &'a [u8],
    /// Offset of the string within the MAP parameter.
    pub offset: usize,
}

/// How a CBS data coding scheme codes its text.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct CbsCoding {
    /// Character set.
    pub charset: Charset,
    /// The message starts with a language indication (two GSM 7-bit characters, or for
    /// UCS-2 two packed GSM 7-bit characters in the first two octets).
    pub language_prefix: bool,
    /// Compressed text (TS 23.042): not rendered.
    pub compressed: bool,
}

/// The coding of a CBS data coding scheme (TS 23.038 clause 5).
pub const fn cbs_coding(dcs: u8) -> CbsCoding {
    const fn plain(charset: Charset) -> CbsCoding {
        CbsCoding {
            charset,
            language_prefix: false,
            compressed: false,
        }
    }
    match dcs >> 4 {
        0x0 | 0x2 | 0x3 => plain(Charset::Gsm7),
        0x1 => match dcs & 0x0f {
            0 => CbsCoding {
                charset: Charset::Gsm7,
                language_prefix: true,
                compressed: false,
            },
            1 => CbsCoding {
                charset: Charset::Ucs2,
                language_prefix: true,
                compressed: false,
            },
            _ => plain(Charset::Gsm7),
        },
        0x4..=0x7 | 0x9 => CbsCoding {
            charset: match (dcs >> 2) & 3 {
                0 => Charset::Gsm7,
                1 => Charset::Eight,
                2 => Charset::Ucs2,
                _ => Charset::Reserved,
            },
            language_prefix: false,
            compressed: dcs & 0x20 != 0 && dcs >> 4 != 0x9,
        },
        0xf => plain(if dcs & 0x04 != 0 {
            Charset::Eight
        } else {
            Charset::Gsm7
        }),
        _ => plain(Charset::Gsm7),
    }
}

impl Ussd<'_> {
    /// The coding in force (IA5 strings of v1 report [`Charset::Eight`]).
    pub fn coding(&self) -> CbsCoding {
        match self.dcs {
            Some(d) => cbs_coding(d),
            None => CbsCoding {
                charset: Charset::Eight,
                language_prefix: false,
                compressed: false,
            },
        }
    }

    /// Render the string into `out` (GSM 7-bit packed with the trailing `<CR>` pad removed,
    /// UCS-2, or IA5 / 8-bit as Latin-1). Returns false for compressed text.
    pub fn text_into(&self, out: &mut String) -> bool {
        let c = self.coding();
        if c.compressed {
            return false;
        }
        match c.charset {
            Charset::Gsm7 | Charset::Reserved => {
                gsm7::decode_packed_ussd_into(self.string, out);
            }
            Charset::Ucs2 => {
                let body = if c.language_prefix {
                    self.string.get(2..).unwrap_or(&[])
                } else {
                    self.string
                };
                gsm7::decode_ucs2(body, out);
            }
            Charset::Eight => out.extend(self.string.iter().map(|b| char::from(*b))),
        }
        true
    }

    /// The text as a new string.
    pub fn text(&self) -> Option<String> {
        let mut s = String::new();
        self.text_into(&mut s).then_some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_strings() {
        // CAP.pcap frame 9: dcs 0f, ussd-String aa182ca6cad56032d90c971b01
        let u = Ussd {
            dcs: Some(0x0f),
            string: &[
                0xaa, 0x18, 0x2c, 0xa6, 0xca, 0xd5, 0x60, 0x32, 0xd9, 0x0c, 0x97, 0x1b, 0x01,
            ],
            offset: 0,
        };
        assert_eq!(u.text().as_deref(), Some("*101*95022389#"));
        let ucs = Ussd {
            dcs: Some(0x48),
            string: &[0x00, 0x2a, 0x04, 0x10],
            offset: 0,
        };
        assert_eq!(ucs.text().as_deref(), Some("*А"));
        assert_eq!(cbs_coding(0x11).charset, Charset::Ucs2);
        assert!(cbs_coding(0x11).language_prefix);
        assert_eq!(cbs_coding(0xf4).charset, Charset::Eight);
    }
}
