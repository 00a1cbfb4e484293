//! SMS transfer protocol data units (3GPP TS 23.040 clause 9.2) and the SMS data coding
//! scheme (TS 23.038 clause 4), zero-copy.
//!
//! [`Tpdu::parse`] needs the direction (the first octet's message type indicator means
//! SMS-DELIVER toward the mobile and SMS-DELIVER-REPORT from it, and so on). Addresses,
//! time stamps, the validity period and the user data stay borrowed; text is rendered only
//! when asked ([`UserData::text_into`]). Problems are anomalies of layer `sms` with offsets
//! in the TPDU.
//!
//! Layout: the TPDU and its parse here; the data coding scheme in `dcs`, TP addresses, time
//! stamps and validity periods in `fields`, the user data and its header in `user_data`.

mod dcs;
pub mod emit;
mod fields;
mod user_data;

pub use dcs::{Charset, Dcs, MessageWaiting};
pub use fields::{relative_seconds, Scts, SmsAddress, ValidityPeriod};
pub use user_data::{Concat, Ie, Ies, UserData};

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

/// Most information elements walked in one user data header.
pub const MAX_UDH_IES: usize = 32;

/// Which way the TPDU travels.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Direction {
    /// From the service centre to the mobile (MT): DELIVER, SUBMIT-REPORT, STATUS-REPORT.
    ToMs,
    /// From the mobile to the service centre (MO): SUBMIT, DELIVER-REPORT, COMMAND.
    FromMs,
}

/// TPDU type (message type indicator + direction).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum TpduKind {
    /// SMS-DELIVER.
    Deliver,
    /// SMS-DELIVER-REPORT.
    DeliverReport,
    /// SMS-SUBMIT.
    Submit,
    /// SMS-SUBMIT-REPORT.
    SubmitReport,
    /// SMS-STATUS-REPORT.
    StatusReport,
    /// SMS-COMMAND.
    Command,
    /// MTI 3 (reserved).
    Reserved,
}

impl TpduKind {
    /// From MTI and direction.
    pub const fn of(mti: u8, dir: Direction) -> TpduKind {
        match (mti & 3, dir) {
            (0, Direction::ToMs) => TpduKind::Deliver,
            (0, Direction::FromMs) => TpduKind::DeliverReport,
            (1, Direction::ToMs) => TpduKind::SubmitReport,
            (1, Direction::FromMs) => TpduKind::Submit,
            (2, Direction::ToMs) => TpduKind::StatusReport,
            (2, Direction::FromMs) => TpduKind::Command,
            _ => TpduKind::Reserved,
        }
    }

    /// Name as in TS 23.040 (`SMS-DELIVER`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            TpduKind::Deliver => "SMS-DELIVER",
            TpduKind::DeliverReport => "SMS-DELIVER-REPORT",
            TpduKind::Submit => "SMS-SUBMIT",
            TpduKind::SubmitReport => "SMS-SUBMIT-REPORT",
            TpduKind::StatusReport => "SMS-STATUS-REPORT",
            TpduKind::Command => "SMS-COMMAND",
            TpduKind::Reserved => "reserved",
        }
    }
}

/// A decoded TPDU, borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tpdu<'a> {
    /// Type.
    pub kind: TpduKind,
    /// The whole TPDU.
    pub raw: &'a [u8],
    /// First octet.
    pub first: u8,
    /// TP-Message-Reference.
    pub mr: Option<u8>,
    /// TP-OA (DELIVER), TP-DA (SUBMIT, COMMAND) or TP-RA (STATUS-REPORT).
    pub address: Option<SmsAddress<'a>>,
    /// TP-PID.
    pub pid: Option<u8>,
    /// TP-DCS.
    pub dcs: Option<Dcs>,
    /// TP-SCTS.
    pub scts: Option<Scts<'a>>,
    /// TP-VP (SUBMIT).
    pub validity: Option<ValidityPeriod<'a>>,
    /// TP-DT (STATUS-REPORT).
    pub discharge_time: Option<Scts<'a>>,
    /// TP-ST (STATUS-REPORT).
    pub status: Option<u8>,
    /// TP-FCS (reports for RP-ERROR).
    pub failure_cause: Option<u8>,
    /// TP-PI (reports).
    pub parameter_indicator: Option<u8>,
    /// TP-CT (COMMAND).
    pub command_type: Option<u8>,
    /// TP-MN (COMMAND).
    pub message_number: Option<u8>,
    /// TP-User-Data (or TP-Command-Data for COMMAND, with the DCS of 8-bit data).
    pub user_data: Option<UserData<'a>>,
}

fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Sms, code, offset, detail)
}

struct Cur<'a> {
    d: &'a [u8],
    at: usize,
}

impl<'a> Cur<'a> {
    fn u8(&mut self) -> Result<u8, Error> {
        let v = *self
            .d
            .get(self.at)
            .ok_or(Error::len(Layer::Sms, 1, 0, self.at))?;
        self.at += 1;
        Ok(v)
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let s = sigscope_core::error::take(self.d, self.at, n, Layer::Sms)?;
        self.at += n;
        Ok(s)
    }
    fn left(&self) -> usize {
        self.d.len().saturating_sub(self.at)
    }
    fn address(&mut self, an: &mut Anomalies) -> Result<SmsAddress<'a>, Error> {
        let offset = self.at;
        let length = self.u8()?;
        let toa = self.u8()?;
        if length > 20 {
            an.push(
                anom(
                    AnomalyCode::SmsAddressLengthInvalid,
                    offset,
                    "TP address longer than 20 semi-octets",
                )
                .with_value(u64::from(length)),
            );
        }
        let value = self.take(usize::from(length).div_ceil(2))?;
        Ok(SmsAddress {
            length,
            toa,
            value,
            offset,
        })
    }
    fn user_data(
        &mut self,
        dcs: Dcs,
        udhi: bool,
        an: &mut Anomalies,
    ) -> Result<UserData<'a>, Error> {
        let udl = self.u8()?;
        let octets = match dcs.charset() {
            Charset::Gsm7 | Charset::Reserved if !dcs.compressed() => {
                (usize::from(udl) * 7).div_ceil(8)
            }
            _ => usize::from(udl),
        };
        let offset = self.at;
        let have = self.left();
        let raw = if octets > have {
            an.push(
                anom(
                    AnomalyCode::SmsUdlExceedsData,
                    offset - 1,
                    "TP-UDL says more than the TPDU holds",
                )
                .with_value(udl.into()),
            );
            self.take(have)?
        } else {
            self.take(octets)?
        };
        let ud = UserData {
            udl,
            dcs,
            udhi,
            raw,
            offset,
        };
        if udhi {
            match raw.first() {
                Some(&hl) if usize::from(hl) < raw.len() => {
                    if ud.ies().any(|r| r.is_err()) {
                        an.push(anom(
                            AnomalyCode::SmsUdhInvalid,
                            offset,
                            "user data header element overruns the header",
                        ));
                    }
                }
                _ => an.push(anom(
                    AnomalyCode::SmsUdhInvalid,
                    offset,
                    "user data header longer than the user data",
                )),
            }
        }
        Ok(ud)
    }
}

impl<'a> Tpdu<'a> {
    /// Decode a TPDU travelling in `dir`. Fails only when the first octet is missing;
    /// a TPDU cut short keeps what came before the cut, with an `sms_truncated` anomaly.
    pub fn parse(data: &'a [u8], dir: Direction, an: &mut Anomalies) -> Result<Tpdu<'a>, Error> {
        let first = *data.first().ok_or(Error::len(Layer::Sms, 1, 0, 0))?;
        let kind = TpduKind::of(first, dir);
        let mut t = Tpdu {
            kind,
            raw: data,
            first,
            mr: None,
            address: None,
            pid: None,
            dcs: None,
            scts: None,
            validity: None,
            discharge_time: None,
            status: None,
            failure_cause: None,
            parameter_indicator: None,
            command_type: None,
            message_number: None,
            user_data: None,
        };
        let mut c = Cur { d: data, at: 1 };
        if let Err(e) = t.fill(&mut c, an) {
            an.push(
                anom(
                    AnomalyCode::SmsTruncated,
                    e.offset(),
                    "TPDU ends inside a field",
                )
                .with_value(kind as u64),
            );
            return Ok(t);
        }
        if c.left() > 0 {
            an.push(
                anom(
                    AnomalyCode::SmsTrailingOctets,
                    c.at,
                    "octets after the TPDU",
                )
                .with_value(c.left() as u64),
            );
        }
        if kind == TpduKind::Reserved {
            an.push(anom(
                AnomalyCode::SmsMtiReserved,
                0,
                "message type indicator 3 (reserved)",
            ));
        }
        Ok(t)
    }

    fn pi(&mut self, c: &mut Cur<'a>) -> Result<Option<u8>, Error> {
        if c.left() == 0 {
            return Ok(None);
        }
        let pi = c.u8()?;
        self.parameter_indicator = Some(pi);
        // extension bit: further PI octets (reserved) follow
        let mut p = pi;
        while p & 0x80 != 0 && c.left() > 0 {
            p = c.u8()?;
        }
        Ok(Some(pi))
    }

    fn fill(&mut self, c: &mut Cur<'a>, an: &mut Anomalies) -> Result<(), Error> {
        match self.kind {
            TpduKind::Deliver => {
                self.address = Some(c.address(an)?);
                self.pid = Some(c.u8()?);
                let dcs = Dcs(c.u8()?);
                self.dcs = Some(dcs);
                self.scts = Some(Scts(c.take(7)?));
                self.user_data = Some(c.user_data(dcs, self.udhi(), an)?);
            }
            TpduKind::Submit => {
                self.mr = Some(c.u8()?);
                self.address = Some(c.address(an)?);
                self.pid = Some(c.u8()?);
                let dcs = Dcs(c.u8()?);
                self.dcs = Some(dcs);
                self.validity = match (self.first >> 3) & 3 {
                    0 => None,
                    2 => Some(ValidityPeriod::Relative(c.u8()?)),
                    1 => Some(ValidityPeriod::Enhanced(c.take(7)?)),
                    _ => Some(ValidityPeriod::Absolute(Scts(c.take(7)?))),
                };
                self.user_data = Some(c.user_data(dcs, self.udhi(), an)?);
            }
            TpduKind::StatusReport => {
                self.mr = Some(c.u8()?);
                self.address = Some(c.address(an)?);
                self.scts = Some(Scts(c.take(7)?));
                self.discharge_time = Some(Scts(c.take(7)?));
                self.status = Some(c.u8()?);
                if let Some(pi) = self.pi(c)? {
                    self.tail_after_pi(pi, c, an)?;
                }
            }
            TpduKind::Command => {
                self.mr = Some(c.u8()?);
                self.pid = Some(c.u8()?);
                self.command_type = Some(c.u8()?);
                self.message_number = Some(c.u8()?);
                self.address = Some(c.address(an)?);
                self.user_data = Some(c.user_data(Dcs(0x04), self.udhi(), an)?);
            }
            TpduKind::DeliverReport | TpduKind::SubmitReport => {
                // RP-ERROR reports carry TP-FCS (0x80-0xFF) before TP-PI.
                if c.d.get(c.at).is_some_and(|b| *b >= 0x80) {
                    self.failure_cause = Some(c.u8()?);
                }
                if let Some(pi) = self.pi(c)? {
                    if self.kind == TpduKind::SubmitReport {
                        self.scts = Some(Scts(c.take(7)?));
                    }
                    self.tail_after_pi(pi, c, an)?;
                }
            }
            TpduKind::Reserved => {}
        }
        Ok(())
    }

    fn tail_after_pi(&mut self, pi: u8, c: &mut Cur<'a>, an: &mut Anomalies) -> Result<(), Error> {
        if pi & 0x01 != 0 {
            self.pid = Some(c.u8()?);
        }
        let dcs = if pi & 0x02 != 0 {
            let d = Dcs(c.u8()?);
            self.dcs = Some(d);
            d
        } else {
            Dcs(0)
        };
        if pi & 0x04 != 0 {
            self.user_data = Some(c.user_data(dcs, self.udhi(), an)?);
        }
        Ok(())
    }

    /// TP-UDHI.
    pub const fn udhi(&self) -> bool {
        self.first & 0x40 != 0
    }

    /// TP-RP (reply path).
    pub const fn reply_path(&self) -> bool {
        self.first & 0x80 != 0
    }

    /// TP-SRI / TP-SRR / TP-SRQ (bit 5).
    pub const fn status_report_flag(&self) -> bool {
        self.first & 0x20 != 0
    }

    /// TP-MMS of SMS-DELIVER / SMS-STATUS-REPORT: true when more messages are waiting (the
    /// bit is 0 then).
    pub const fn more_messages(&self) -> bool {
        matches!(self.kind, TpduKind::Deliver | TpduKind::StatusReport) && self.first & 0x04 == 0
    }

    /// TP-RD of SMS-SUBMIT (reject duplicates).
    pub const fn reject_duplicates(&self) -> bool {
        matches!(self.kind, TpduKind::Submit) && self.first & 0x04 != 0
    }

    /// Render the text of the user data, if it is text.
    pub fn text(&self) -> Option<String> {
        self.user_data.and_then(|u| u.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigscope_core::gsm7;

    // SMS-DELIVER built with pycrate (tools/vectors.py, `deliver_gsm7`): OA +4477 0090 0123,
    // DCS 0, SCTS 2024-01-02 03:04:05 +1:00, text "hello world"
    #[test]
    fn deliver_gsm7() {
        let mut b = vec![
            0x04, 0x0c, 0x91, 0x44, 0x77, 0x00, 0x09, 0x10, 0x32, 0x00, 0x00,
        ];
        b.extend([0x42, 0x10, 0x20, 0x30, 0x40, 0x50, 0x40]);
        let ud = gsm7::pack_septets(&gsm7::encode_septets("hello world").unwrap(), 0);
        b.push(11);
        b.extend(&ud);
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::ToMs, &mut an).unwrap();
        assert_eq!(t.kind, TpduKind::Deliver);
        assert_eq!(t.address.unwrap().digits().as_str(), "447700900123");
        assert_eq!(t.scts.unwrap().to_string(), "2024-01-02T03:04:05+01:00");
        assert_eq!(t.text().as_deref(), Some("hello world"));
        assert!(an.is_empty(), "{an:?}");
    }

    #[test]
    fn submit_udh_concat_fill_bits() {
        // SUBMIT, UDHI, VPF relative, DA 5 digits, UDH concat 8-bit (ref 7, 2 parts, seq 1)
        let text = "abc";
        let hdr = [0x05, 0x00, 0x03, 0x07, 0x02, 0x01];
        // header 6 octets = 48 bits -> 1 fill bit, 7 septets
        let mut septets = vec![0u8; 7];
        septets.extend(gsm7::encode_septets(text).unwrap());
        let packed = gsm7::pack_septets(&septets, 0);
        let mut ud = packed.clone();
        ud.get_mut(..6).unwrap().copy_from_slice(&hdr);
        let mut b = vec![0x51, 0x01, 0x05, 0x81, 0x21, 0x43, 0xf5, 0x00, 0x00, 0xa7];
        b.push((7 + text.len()) as u8);
        b.extend(&ud);
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::FromMs, &mut an).unwrap();
        assert_eq!(t.kind, TpduKind::Submit);
        assert_eq!(t.address.unwrap().digits().as_str(), "12345");
        assert_eq!(t.validity, Some(ValidityPeriod::Relative(0xa7)));
        assert_eq!(t.validity.unwrap().seconds(), Some(86400));
        let u = t.user_data.unwrap();
        assert_eq!(
            u.concat(),
            Some(Concat {
                reference: 7,
                total: 2,
                seq: 1,
                wide: false
            })
        );
        assert_eq!(u.fill_bits(), 1);
        assert_eq!(t.text().as_deref(), Some("abc"));
        assert!(an.is_empty(), "{an:?}");
    }

    #[test]
    fn truncated_keeps_what_came_before() {
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&[0x04, 0x0c, 0x91, 0x44], Direction::ToMs, &mut an).unwrap();
        assert_eq!(t.kind, TpduKind::Deliver);
        assert!(an.contains(AnomalyCode::SmsTruncated));
        assert!(Tpdu::parse(&[], Direction::ToMs, &mut an).is_err());
    }

    // The TPDUs below were also wrapped in TCAP Begins (mt-forwardSM v3 for the network-to-MS
    // ones, mo-forwardSM v3 for the others) in a pcap and decoded by tshark 4.0.17 (gsm_map
    // -> gsm_sms); the values asserted are the ones tshark shows (`gsm_sms.*` fields named in
    // the comments), and each layout is the TS 23.040 clause cited.

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len() / 2)
            .filter_map(|i| s.get(2 * i..2 * i + 2))
            .filter_map(|b| u8::from_str_radix(b, 16).ok())
            .collect()
    }

    /// SMS-STATUS-REPORT (9.2.2.3): MTI 2 with TP-MMS set, TP-MR 42, TP-RA +447700900123,
    /// TP-SCTS, TP-DT, TP-ST 0 ("received by the SME", 9.2.3.15), TP-PI 0x07 (9.2.3.27)
    /// then TP-PID, TP-DCS, TP-UDL 2 "Hi". tshark: tp-mti 2, tp-mr 42, tp-ra 447700900123,
    /// dis_field.definition 0, scts 24/1/2 3:04 and 3:14 tz 4 quarters, sms_text "Hi".
    #[test]
    fn status_report() {
        let b = hex("062a0c9144770009103242102030405040421020304100400007000002c834");
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::ToMs, &mut an).unwrap();
        assert!(an.is_empty(), "{an:?}");
        assert_eq!(t.kind, TpduKind::StatusReport);
        assert_eq!(t.mr, Some(42));
        assert_eq!(t.address.unwrap().digits().as_str(), "447700900123");
        assert_eq!(t.scts.unwrap().to_string(), "2024-01-02T03:04:05+01:00");
        assert_eq!(
            t.discharge_time.unwrap().to_string(),
            "2024-01-02T03:14:00+01:00"
        );
        assert_eq!(t.status, Some(0));
        assert_eq!(t.parameter_indicator, Some(0x07));
        assert_eq!((t.pid, t.dcs), (Some(0), Some(Dcs(0))));
        assert_eq!(t.text().as_deref(), Some("Hi"));
        assert!(!t.more_messages());
    }

    /// SMS-COMMAND (9.2.2.4): MTI 2 with TP-SRR, TP-MR 5, TP-PID 0, TP-CT 2 ("delete
    /// previously submitted short message", 9.2.3.19), TP-MN 4, TP-DA 12345 (TON unknown,
    /// E.164), TP-CDL 0. tshark: tp-mti 2, tp-mr 5, tp-da 12345, command_type 2,
    /// message_number 4.
    #[test]
    fn command() {
        let b = hex("220500020405812143f500");
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::FromMs, &mut an).unwrap();
        assert!(an.is_empty(), "{an:?}");
        assert_eq!(t.kind, TpduKind::Command);
        assert_eq!(t.mr, Some(5));
        assert_eq!(t.pid, Some(0));
        assert_eq!(t.command_type, Some(2));
        assert_eq!(t.message_number, Some(4));
        let a = t.address.unwrap();
        assert_eq!((a.digits().as_str(), a.ton(), a.npi()), ("12345", 0, 1));
        assert!(t.status_report_flag());
        assert_eq!(t.user_data.map(|u| u.udl), Some(0));
    }

    /// SMS-SUBMIT with an absolute TP-VP (TP-VPF 11, 9.2.3.12.2: a 9.2.3.11 time stamp):
    /// 2025-12-31 23:45:00, time zone octet 0x8a = sign bit set, 28 quarters (-07:00).
    /// tshark: "Year: 25 Month: 12 Day: 31 Hour: 23 Minutes: 45 Seconds: 0 Timezone:
    /// GMT - 7 hours 0 minutes".
    #[test]
    fn absolute_validity_period() {
        let b = hex("190705812143f500005221133254008a02c834");
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::FromMs, &mut an).unwrap();
        assert!(an.is_empty(), "{an:?}");
        let Some(ValidityPeriod::Absolute(vp)) = t.validity else {
            panic!("{:?}", t.validity);
        };
        assert_eq!(vp.fields(), Some([25, 12, 31, 23, 45, 0]));
        assert_eq!(vp.tz_quarters(), Some(-28));
        assert_eq!(vp.to_string(), "2025-12-31T23:45:00-07:00");
        assert_eq!(t.validity.unwrap().format(), "absolute");
        assert_eq!(t.validity.unwrap().seconds(), None);
        assert_eq!(t.text().as_deref(), Some("Hi"));
    }

    /// SMS-SUBMIT with an enhanced TP-VP (TP-VPF 01, 9.2.3.12.3): functionality indicator
    /// 0x43 = single shot + format 011 (relative HH:MM:SS in semi-octets), 00:03:00, three
    /// padding octets. tshark: vp.validity_period_format 3, single_shot_sm 1, minutes 3.
    #[test]
    fn enhanced_validity_period() {
        let b = hex("090805812143f500004300300000000002c834");
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::FromMs, &mut an).unwrap();
        assert!(an.is_empty(), "{an:?}");
        let vp = t.validity.unwrap();
        assert_eq!(vp.format(), "enhanced");
        assert_eq!(vp.seconds(), Some(180));
        let ValidityPeriod::Enhanced(o) = vp else {
            panic!("{vp:?}");
        };
        assert_eq!(o.len(), 7);
        assert_eq!(o.first().map(|fi| fi & 0x40 != 0), Some(true)); // single shot
        assert_eq!(t.text().as_deref(), Some("Hi"));
    }

    /// SMS-DELIVER, TP-UDHI, TP-DCS 0x08 (UCS-2, TS 23.038 4), UDH (9.2.3.24) with IE 0x08
    /// concatenated SM 16-bit reference (9.2.3.24.8: reference 0x1234, 2 parts, part 1),
    /// then "Привет" in UCS-2; TP-UDL counts octets (7 + 12). tshark: udh.mm.msg_id 4660,
    /// msg_parts 2, msg_part 1, sms_text "Привет".
    #[test]
    fn ucs2_with_udh_16bit_concat() {
        let b = hex(concat!(
            "440c914477000990990008421020304050401306080412340201",
            "041f04400438043204350442"
        ));
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::ToMs, &mut an).unwrap();
        assert!(an.is_empty(), "{an:?}");
        assert_eq!(t.kind, TpduKind::Deliver);
        let u = t.user_data.unwrap();
        assert_eq!((u.udl, u.dcs.charset()), (19, Charset::Ucs2));
        assert_eq!(
            u.concat(),
            Some(Concat {
                reference: 0x1234,
                total: 2,
                seq: 1,
                wide: true
            })
        );
        assert_eq!(
            u.ies().flatten().next().and_then(|ie| ie.name()),
            Some("concat_16bit")
        );
        assert_eq!(u.body().len(), 12);
        assert_eq!(t.text().as_deref(), Some("Привет"));
    }

    /// SMS-SUBMIT, TP-UDHI, TP-DCS 0x04 (8-bit data): UDH with IE 0x05 application port
    /// addressing 16-bit (9.2.3.24.4: destination 2948 = WAP push, originator 9200), then
    /// seven octets of data. tshark: destination_port 2948, originator_port 9200, no text.
    #[test]
    fn eight_bit_data_with_application_ports() {
        let b = hex("410905812143f500040e0605040b8423f001060403ae81ea");
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::FromMs, &mut an).unwrap();
        assert!(an.is_empty(), "{an:?}");
        let u = t.user_data.unwrap();
        assert_eq!(u.dcs.charset(), Charset::Eight);
        assert_eq!(u.ports(), Some((2948, 9200)));
        assert_eq!(u.concat(), None);
        assert_eq!(u.body(), &[0x01, 0x06, 0x04, 0x03, 0xae, 0x81, 0xea]);
        assert_eq!(t.text(), None);
    }

    /// SMS-DELIVER from an alphanumeric originator (9.1.2.5: type of address 0xd0, TON 101
    /// alphanumeric; the address length counts the 11 useful semi-octets of "MyBank" packed
    /// in GSM 7-bit, 6 septets = 42 bits). tshark: tp-oa "MyBank", num_type 5, text "Hello".
    #[test]
    fn alphanumeric_originator() {
        let b = hex("040bd0cdbc30ec5e0300004210203040504005c8329bfd06");
        let mut an = Anomalies::new();
        let t = Tpdu::parse(&b, Direction::ToMs, &mut an).unwrap();
        assert!(an.is_empty(), "{an:?}");
        let a = t.address.unwrap();
        assert!(a.is_alphanumeric());
        assert_eq!((a.ton(), a.length, a.value.len()), (5, 11, 6));
        assert_eq!(a.text(), "MyBank");
        assert_eq!(t.text().as_deref(), Some("Hello"));
    }
}
