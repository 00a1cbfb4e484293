//! The SMS data coding scheme (TS 23.038 clause 4): character set, coding group, message
//! class, compression and message waiting indication.

/// Character set of user data.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Charset {
    /// GSM 7-bit default alphabet, packed.
    Gsm7,
    /// 8-bit data.
    Eight,
    /// UCS-2 (UTF-16BE).
    Ucs2,
    /// Reserved alphabet value (handled as GSM 7-bit, as TS 23.038 requires).
    Reserved,
}

impl Charset {
    /// Record name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Charset::Gsm7 => "gsm7",
            Charset::Eight => "8bit",
            Charset::Ucs2 => "ucs2",
            Charset::Reserved => "reserved",
        }
    }
}

/// Message waiting indication of a DCS in groups 1100-1110.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct MessageWaiting {
    /// Store the message (groups 1101/1110) or discard it (1100).
    pub store: bool,
    /// Indication active.
    pub active: bool,
    /// 0 voicemail, 1 fax, 2 e-mail, 3 other.
    pub kind: u8,
}

/// SMS data coding scheme (TS 23.038 clause 4).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Dcs(pub u8);

impl Dcs {
    /// Character set.
    pub const fn charset(self) -> Charset {
        let v = self.0;
        match v >> 4 {
            0x0..=0x7 => match (v >> 2) & 3 {
                0 => Charset::Gsm7,
                1 => Charset::Eight,
                2 => Charset::Ucs2,
                _ => Charset::Reserved,
            },
            0xc | 0xd => Charset::Gsm7,
            0xe => Charset::Ucs2,
            0xf => {
                if v & 0x04 != 0 {
                    Charset::Eight
                } else {
                    Charset::Gsm7
                }
            }
            _ => Charset::Reserved,
        }
    }

    /// Coding group name (`general`, `auto_deletion`, `message_waiting`, `data_class`, `reserved`).
    pub const fn group(self) -> &'static str {
        match self.0 >> 4 {
            0x0..=0x3 => "general",
            0x4..=0x7 => "auto_deletion",
            0xc..=0xe => "message_waiting",
            0xf => "data_class",
            _ => "reserved",
        }
    }

    /// Text compressed (general groups, bit 5).
    pub const fn compressed(self) -> bool {
        self.0 >> 6 <= 1 && self.0 & 0x20 != 0
    }

    /// Message class 0-3 when the DCS gives one.
    pub const fn class(self) -> Option<u8> {
        match self.0 >> 4 {
            0x0..=0x7 if self.0 & 0x10 != 0 => Some(self.0 & 3),
            0xf => Some(self.0 & 3),
            _ => None,
        }
    }

    /// Message waiting indication (groups 1100, 1101, 1110).
    pub const fn message_waiting(self) -> Option<MessageWaiting> {
        match self.0 >> 4 {
            0xc..=0xe => Some(MessageWaiting {
                store: self.0 >> 4 != 0xc,
                active: self.0 & 0x08 != 0,
                kind: self.0 & 3,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dcs_groups() {
        assert_eq!(Dcs(0x08).charset(), Charset::Ucs2);
        assert_eq!(Dcs(0x04).charset(), Charset::Eight);
        assert_eq!(Dcs(0xf4).charset(), Charset::Eight);
        assert_eq!(Dcs(0xf1).class(), Some(1));
        assert_eq!(Dcs(0x10).class(), Some(0));
        assert_eq!(Dcs(0x00).class(), None);
        assert!(Dcs(0x20).compressed());
        let m = Dcs(0xd8).message_waiting().unwrap();
        assert!(m.store && m.active && m.kind == 0);
        assert_eq!(Dcs(0xe0).charset(), Charset::Ucs2);
    }
}
