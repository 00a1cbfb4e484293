//! SMS TPDU emitters (TS 23.040 §9.2.2): SMS-DELIVER and SMS-SUBMIT with a TP address, PID,
//! DCS, GSM 7-bit / UCS-2 / 8-bit user data and an optional user data header. What
//! [`super::Tpdu::parse`] reads back.

use sigscope_core::digits::encode_tbcd;
use sigscope_core::{gsm7, Error, Layer};

/// Most octets of TP-User-Data (TS 23.040 §9.2.3.16: 140 octets).
pub const MAX_UD_OCTETS: usize = 140;
/// Most septets of GSM 7-bit TP-User-Data (160 septets).
pub const MAX_UD_SEPTETS: usize = 160;
/// Most digits of a TP address (10 octets of semi-octets).
pub const MAX_ADDRESS_DIGITS: usize = 20;
/// Type of address: international number, ISDN/E.164.
pub const TOA_INTERNATIONAL: u8 = 0x91;

/// First-octet bits.
const MTI_SUBMIT: u8 = 0x01;
const MMS_NO_MORE: u8 = 0x04;
const VPF_RELATIVE: u8 = 0x10;
const UDHI: u8 = 0x40;

/// The user data and how it is coded (the DCS given separately must agree).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserDataRepr {
    /// GSM 7-bit default alphabet text, packed.
    Gsm7(String),
    /// UCS-2 (UTF-16BE) text.
    Ucs2(String),
    /// 8-bit data.
    Binary(Vec<u8>),
}

impl UserDataRepr {
    /// A DCS that matches the coding (general data coding, no class).
    pub const fn default_dcs(&self) -> u8 {
        match self {
            UserDataRepr::Gsm7(_) => 0x00,
            UserDataRepr::Binary(_) => 0x04,
            UserDataRepr::Ucs2(_) => 0x08,
        }
    }
}

fn err(what: &'static str, value: usize) -> Error {
    Error::value(Layer::Sms, what, value as u64, 0)
}

/// Append a TP address (length in digits, type of address, semi-octets).
fn address(out: &mut Vec<u8>, digits: &str) -> Result<(), Error> {
    if digits.len() > MAX_ADDRESS_DIGITS {
        return Err(err("address length", digits.len()));
    }
    let v = encode_tbcd(digits).ok_or_else(|| err("address digit", 0))?;
    out.push(digits.len() as u8);
    out.push(TOA_INTERNATIONAL);
    out.extend(v);
    Ok(())
}

/// Append TP-UDL and TP-UD (with the header, when given, and fill bits for GSM 7-bit).
fn user_data(out: &mut Vec<u8>, udh: Option<&[u8]>, ud: &UserDataRepr) -> Result<(), Error> {
    let header: Vec<u8> = match udh {
        Some(h) => {
            let mut v = vec![u8::try_from(h.len()).map_err(|_| err("UDH length", h.len()))?];
            v.extend_from_slice(h);
            v
        }
        None => Vec::new(),
    };
    match ud {
        UserDataRepr::Gsm7(text) => {
            let septets = gsm7::encode_septets(text).ok_or_else(|| err("GSM 7-bit text", 0))?;
            let header_bits = header.len() * 8;
            let header_septets = header_bits.div_ceil(gsm7::SEPTET_BITS);
            let fill = (header_septets * gsm7::SEPTET_BITS - header_bits) as u8;
            let udl = header_septets + septets.len();
            if udl > MAX_UD_SEPTETS {
                return Err(err("user data septets", udl));
            }
            out.push(udl as u8);
            out.extend_from_slice(&header);
            out.extend(gsm7::pack_septets(&septets, fill));
        }
        UserDataRepr::Ucs2(text) => {
            let body = gsm7::encode_ucs2(text);
            octets(out, &header, &body)?;
        }
        UserDataRepr::Binary(body) => octets(out, &header, body)?,
    }
    Ok(())
}

fn octets(out: &mut Vec<u8>, header: &[u8], body: &[u8]) -> Result<(), Error> {
    let udl = header.len() + body.len();
    if udl > MAX_UD_OCTETS {
        return Err(err("user data octets", udl));
    }
    out.push(udl as u8);
    out.extend_from_slice(header);
    out.extend_from_slice(body);
    Ok(())
}

/// An SMS-DELIVER (service centre to mobile).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsDeliverRepr {
    /// TP-OA digits (international).
    pub originator: String,
    /// TP-PID.
    pub pid: u8,
    /// TP-DCS.
    pub dcs: u8,
    /// TP-SCTS, seven semi-octet coded octets.
    pub scts: [u8; 7],
    /// User data header content (without its length octet).
    pub udh: Option<Vec<u8>>,
    /// User data.
    pub user_data: UserDataRepr,
}

/// Service centre time stamp 2025-11-25 10:00:00 +0 (the demo's).
pub const DEMO_SCTS: [u8; 7] = [0x52, 0x11, 0x52, 0x01, 0x00, 0x00, 0x00];

impl SmsDeliverRepr {
    /// A GSM 7-bit text from `originator`.
    pub fn text(originator: &str, text: &str) -> SmsDeliverRepr {
        SmsDeliverRepr {
            originator: originator.to_string(),
            pid: 0,
            dcs: 0,
            scts: DEMO_SCTS,
            udh: None,
            user_data: UserDataRepr::Gsm7(text.to_string()),
        }
    }

    /// The TPDU's bytes.
    pub fn emit(&self) -> Result<Vec<u8>, Error> {
        let mut first = MMS_NO_MORE;
        if self.udh.is_some() {
            first |= UDHI;
        }
        let mut out = vec![first];
        address(&mut out, &self.originator)?;
        out.push(self.pid);
        out.push(self.dcs);
        out.extend_from_slice(&self.scts);
        user_data(&mut out, self.udh.as_deref(), &self.user_data)?;
        Ok(out)
    }
}

/// An SMS-SUBMIT (mobile to service centre).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsSubmitRepr {
    /// TP-MR.
    pub mr: u8,
    /// TP-DA digits (international).
    pub destination: String,
    /// TP-PID.
    pub pid: u8,
    /// TP-DCS.
    pub dcs: u8,
    /// TP-VP, relative format, when given.
    pub validity: Option<u8>,
    /// User data header content (without its length octet).
    pub udh: Option<Vec<u8>>,
    /// User data.
    pub user_data: UserDataRepr,
}

impl SmsSubmitRepr {
    /// The TPDU's bytes.
    pub fn emit(&self) -> Result<Vec<u8>, Error> {
        let mut first = MTI_SUBMIT;
        if self.validity.is_some() {
            first |= VPF_RELATIVE;
        }
        if self.udh.is_some() {
            first |= UDHI;
        }
        let mut out = vec![first, self.mr];
        address(&mut out, &self.destination)?;
        out.push(self.pid);
        out.push(self.dcs);
        if let Some(vp) = self.validity {
            out.push(vp);
        }
        user_data(&mut out, self.udh.as_deref(), &self.user_data)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sms::{Direction, Tpdu, TpduKind};
    use proptest::prelude::*;
    use sigscope_core::Anomalies;

    #[test]
    fn deliver_matches_the_demo_bytes() {
        let t = SmsDeliverRepr::text("447700900999", "Your code is 4821")
            .emit()
            .unwrap();
        let septets = gsm7::encode_septets("Your code is 4821").unwrap();
        let mut want = vec![0x04, 12, 0x91];
        want.extend(encode_tbcd("447700900999").unwrap());
        want.extend_from_slice(&[0, 0]);
        want.extend_from_slice(&DEMO_SCTS);
        want.push(septets.len() as u8);
        want.extend(gsm7::pack_septets(&septets, 0));
        assert_eq!(t, want);
        let mut an = Anomalies::default();
        let p = Tpdu::parse(&t, Direction::ToMs, &mut an).unwrap();
        assert_eq!(p.kind, TpduKind::Deliver);
        assert_eq!(p.text().as_deref(), Some("Your code is 4821"));
        assert_eq!(p.address.unwrap().digits().as_str(), "447700900999");
        assert!(an.is_empty(), "{an:?}");
    }

    #[test]
    fn submit_ucs2_and_binary_with_udh() {
        let udh = vec![0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0]; // port addressing 2948 <- 9200
        let s = SmsSubmitRepr {
            mr: 7,
            destination: "447700900123".into(),
            pid: 0,
            dcs: 0x08,
            validity: Some(0xa7),
            udh: None,
            user_data: UserDataRepr::Ucs2("Привет".into()),
        }
        .emit()
        .unwrap();
        let mut an = Anomalies::default();
        let p = Tpdu::parse(&s, Direction::FromMs, &mut an).unwrap();
        assert_eq!(p.kind, TpduKind::Submit);
        assert_eq!(p.mr, Some(7));
        assert_eq!(p.text().as_deref(), Some("Привет"));
        let d = SmsDeliverRepr {
            originator: "447700900999".into(),
            pid: 0x7f,
            dcs: 0xf6,
            scts: DEMO_SCTS,
            udh: Some(udh),
            user_data: UserDataRepr::Binary(vec![0xde, 0xad, 0xbe, 0xef]),
        }
        .emit()
        .unwrap();
        let p = Tpdu::parse(&d, Direction::ToMs, &mut an).unwrap();
        assert_eq!(p.pid, Some(0x7f));
        let ud = p.user_data.unwrap();
        assert_eq!(ud.ports(), Some((2948, 9200)));
        assert_eq!(ud.body(), &[0xde, 0xad, 0xbe, 0xef]);
        assert!(an.is_empty(), "{an:?}");
    }

    proptest! {
        #[test]
        fn gsm7_with_header_round_trip(text in "[A-Za-z0-9 .,!?@]{0,120}",
                                       with_udh in any::<bool>(), r in any::<u8>()) {
            let udh = with_udh.then(|| vec![0x00, 0x03, r, 2, 1]);
            let d = SmsDeliverRepr {
                udh,
                ..SmsDeliverRepr::text("4477009009", &text)
            };
            let bytes = d.emit().unwrap();
            let mut an = Anomalies::default();
            let p = Tpdu::parse(&bytes, Direction::ToMs, &mut an).unwrap();
            prop_assert_eq!(p.text(), Some(text.clone()));
            prop_assert!(an.is_empty());
        }
    }
}
