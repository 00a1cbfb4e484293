//! MAP (TS 29.002) parameter builders: the arguments (and a few results) of the operations
//! sigscope's demo and detection tests use, BER with definite lengths. Each returns the whole
//! parameter TLV, ready for [`sigscope_tcap::emit::ComponentRepr::Invoke`]'s `parameter`;
//! [`crate::decode`] reads them back.

use sigscope_core::ber::{encode_int, write_tlv, Tag};
use sigscope_core::digits::encode_tbcd;
use sigscope_core::{gsm7, Error, Layer};

/// Nature of address / numbering plan octet: international number, ISDN/E.164.
pub const NATURE_INTERNATIONAL_E164: u8 = 0x91;
/// Most digits of an ISDN-AddressString (TS 29.002: 9 octets after the nature octet... the
/// generous AddressString bound of 20 octets).
pub const MAX_ADDRESS_DIGITS: usize = 38;
/// Most digits of an IMSI.
pub const MAX_IMSI_DIGITS: usize = 15;
/// USSD data coding scheme: GSM 7-bit, language unspecified.
pub const USSD_DCS_GSM7: u8 = 0x0f;
/// Most octets of a USSD-String (TS 29.002: 160).
pub const MAX_USSD_OCTETS: usize = 160;

fn err(what: &'static str, value: usize) -> Error {
    Error::value(Layer::Map, what, value as u64, 0)
}

fn tlv(tag: Tag, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    write_tlv(&mut out, tag, value);
    out
}

/// ISDN-AddressString content: nature/plan octet 0x91, then TBCD digits.
pub fn isdn(digits: &str) -> Result<Vec<u8>, Error> {
    if digits.len() > MAX_ADDRESS_DIGITS {
        return Err(err("address length", digits.len()));
    }
    let mut v = vec![NATURE_INTERNATIONAL_E164];
    v.extend(encode_tbcd(digits).ok_or_else(|| err("address digit", 0))?);
    Ok(v)
}

/// IMSI content (TBCD).
pub fn imsi(digits: &str) -> Result<Vec<u8>, Error> {
    if digits.len() > MAX_IMSI_DIGITS {
        return Err(err("IMSI length", digits.len()));
    }
    encode_tbcd(digits).ok_or_else(|| err("IMSI digit", 0))
}

/// sendRoutingInfoForSM argument: msisdn [0], sm-RP-PRI [1] TRUE, serviceCentreAddress [2].
pub fn sri_sm_arg(msisdn: &str, service_centre: &str) -> Result<Vec<u8>, Error> {
    let mut v = tlv(Tag::ctx(0), &isdn(msisdn)?);
    v.extend(tlv(Tag::ctx(1), &[0xff]));
    v.extend(tlv(Tag::ctx(2), &isdn(service_centre)?));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// sendRoutingInfoForSM result: imsi, locationInfoWithLMSI [0] { networkNode-Number [1] }.
pub fn sri_sm_res(imsi_digits: &str, msc: &str) -> Result<Vec<u8>, Error> {
    let mut v = tlv(Tag::OCTET_STRING, &imsi(imsi_digits)?);
    v.extend(tlv(Tag::ctx_cons(0), &tlv(Tag::ctx(1), &isdn(msc)?)));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// anyTimeInterrogation argument: subscriberIdentity [0] { msisdn [1] }, requestedInfo [1]
/// { locationInformation [0], subscriberState [1] }, gsmSCF-Address [3].
pub fn ati_arg(msisdn: &str, gsm_scf: &str) -> Result<Vec<u8>, Error> {
    let mut v = tlv(Tag::ctx_cons(0), &tlv(Tag::ctx(1), &isdn(msisdn)?));
    let mut req = tlv(Tag::ctx(0), &[]);
    req.extend(tlv(Tag::ctx(1), &[]));
    v.extend(tlv(Tag::ctx_cons(1), &req));
    v.extend(tlv(Tag::ctx(3), &isdn(gsm_scf)?));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// anyTimeInterrogation result: subscriberInfo with an empty locationInformation.
pub fn ati_res() -> Vec<u8> {
    tlv(
        Tag::SEQUENCE,
        &tlv(Tag::SEQUENCE, &tlv(Tag::ctx_cons(0), &[])),
    )
}

/// provideSubscriberInfo argument: imsi [0], requestedInfo [2] { locationInformation [0] }.
pub fn psi_arg(imsi_digits: &str) -> Result<Vec<u8>, Error> {
    let mut v = tlv(Tag::ctx(0), &imsi(imsi_digits)?);
    v.extend(tlv(Tag::ctx_cons(2), &tlv(Tag::ctx(0), &[])));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// updateLocation argument: imsi, msc-Number [1], vlr-Number.
pub fn ul_arg(imsi_digits: &str, msc: &str, vlr: &str) -> Result<Vec<u8>, Error> {
    let mut v = tlv(Tag::OCTET_STRING, &imsi(imsi_digits)?);
    v.extend(tlv(Tag::ctx(1), &isdn(msc)?));
    v.extend(tlv(Tag::OCTET_STRING, &isdn(vlr)?));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// sendAuthenticationInfo (v3) argument: imsi [0], numberOfRequestedVectors.
pub fn sai_arg(imsi_digits: &str, vectors: u8) -> Result<Vec<u8>, Error> {
    let mut v = tlv(Tag::ctx(0), &imsi(imsi_digits)?);
    let (n, len) = encode_int(i64::from(vectors));
    v.extend(tlv(Tag::INTEGER, n.get(..len).unwrap_or(&[])));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// processUnstructuredSS-Request argument: DCS, USSD-String (GSM 7-bit packed, USSD
/// padding), msisdn [0].
pub fn ussd_arg(text: &str, msisdn: &str) -> Result<Vec<u8>, Error> {
    let packed = gsm7::pack_ussd(text).ok_or_else(|| err("GSM 7-bit text", 0))?;
    ussd_arg_raw(USSD_DCS_GSM7, &packed, msisdn)
}

/// processUnstructuredSS-Request argument with the DCS and string octets as given.
pub fn ussd_arg_raw(dcs: u8, string: &[u8], msisdn: &str) -> Result<Vec<u8>, Error> {
    if string.len() > MAX_USSD_OCTETS {
        return Err(err("USSD string length", string.len()));
    }
    let mut v = tlv(Tag::OCTET_STRING, &[dcs]);
    v.extend(tlv(Tag::OCTET_STRING, string));
    v.extend(tlv(Tag::ctx(0), &isdn(msisdn)?));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// processUnstructuredSS-Request result: DCS 0x0f and the GSM 7-bit packed text.
pub fn ussd_res(text: &str) -> Result<Vec<u8>, Error> {
    let packed = gsm7::pack_ussd(text).ok_or_else(|| err("GSM 7-bit text", 0))?;
    if packed.len() > MAX_USSD_OCTETS {
        return Err(err("USSD string length", packed.len()));
    }
    let mut v = tlv(Tag::OCTET_STRING, &[USSD_DCS_GSM7]);
    v.extend(tlv(Tag::OCTET_STRING, &packed));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// mt-ForwardSM argument: sm-RP-DA imsi [0], sm-RP-OA serviceCentreAddressOA [4], SM-RP-UI
/// (the TPDU, e.g. from [`crate::sms::emit::SmsDeliverRepr`]).
pub fn mt_forward_sm_arg(
    imsi_digits: &str,
    service_centre: &str,
    tpdu: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut v = tlv(Tag::ctx(0), &imsi(imsi_digits)?);
    v.extend(tlv(Tag::ctx(4), &isdn(service_centre)?));
    v.extend(tlv(Tag::OCTET_STRING, tpdu));
    Ok(tlv(Tag::SEQUENCE, &v))
}

/// mo-ForwardSM argument: sm-RP-DA serviceCentreAddressDA [4], sm-RP-OA msisdn [2],
/// SM-RP-UI (an SMS-SUBMIT, e.g. from [`crate::sms::emit::SmsSubmitRepr`]).
pub fn mo_forward_sm_arg(
    service_centre: &str,
    msisdn: &str,
    tpdu: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut v = tlv(Tag::ctx(4), &isdn(service_centre)?);
    v.extend(tlv(Tag::ctx(2), &isdn(msisdn)?));
    v.extend(tlv(Tag::OCTET_STRING, tpdu));
    Ok(tlv(Tag::SEQUENCE, &v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::OpCode;
    use crate::param::{decode, Kind};
    use crate::sms::emit::SmsDeliverRepr;
    use proptest::prelude::*;
    use sigscope_core::Anomalies;

    #[test]
    fn arguments_decode_back() {
        let mut an = Anomalies::default();
        let p = sai_arg("234150123456789", 1).unwrap();
        let m = decode(OpCode(56), Kind::Invoke, 3, &p, &mut an);
        assert_eq!(m.imsi.unwrap().digits().as_str(), "234150123456789");
        assert_eq!(m.requested_vectors, Some(1));

        let p = ussd_arg("*100#", "447700900123").unwrap();
        let m = decode(OpCode(59), Kind::Invoke, 2, &p, &mut an);
        assert_eq!(m.ussd.unwrap().text().as_deref(), Some("*100#"));

        let p = psi_arg("234150123456789").unwrap();
        let m = decode(OpCode(70), Kind::Invoke, 3, &p, &mut an);
        assert_eq!(m.imsi.unwrap().digits().as_str(), "234150123456789");
        assert!(m.requested_info.is_some());

        let p = ati_arg("447700900123", "85290001234").unwrap();
        let m = decode(OpCode(71), Kind::Invoke, 3, &p, &mut an);
        assert!(m.requested_info.is_some());

        let p = ul_arg("234150123456789", "85290000001", "85290000002").unwrap();
        let m = decode(OpCode(2), Kind::Invoke, 3, &p, &mut an);
        assert_eq!(m.imsi.unwrap().digits().as_str(), "234150123456789");

        let tpdu = SmsDeliverRepr::text("447700900999", "hi").emit().unwrap();
        let p = mt_forward_sm_arg("234150123456789", "447700900001", &tpdu).unwrap();
        let m = decode(OpCode(44), Kind::Invoke, 3, &p, &mut an);
        assert_eq!(m.sm_rp_ui.unwrap().bytes, tpdu.as_slice());

        let submit = crate::sms::emit::SmsSubmitRepr {
            mr: 1,
            destination: "447700900999".into(),
            pid: 0,
            dcs: 0,
            validity: None,
            udh: None,
            user_data: crate::sms::emit::UserDataRepr::Gsm7("hello".into()),
        }
        .emit()
        .unwrap();
        let p = mo_forward_sm_arg("447700900001", "447700900123", &submit).unwrap();
        let m = decode(OpCode(46), Kind::Invoke, 3, &p, &mut an);
        assert_eq!(m.sm_rp_ui.unwrap().bytes, submit.as_slice());
        assert!(m.sm_rp_da.is_some() && m.sm_rp_oa.is_some());

        let p = sri_sm_arg("447700900123", "447700900001").unwrap();
        let m = decode(OpCode(45), Kind::Invoke, 3, &p, &mut an);
        assert_eq!(m.sm_rp_pri, Some(true));
        assert!(an.is_empty(), "{an:?}");
    }

    #[test]
    fn bad_digits_are_errors() {
        assert!(isdn("12x").is_err());
        assert!(imsi("1234567890123456").is_err());
        assert!(ussd_arg("ж", "1").is_err());
    }

    proptest! {
        #[test]
        fn imsi_round_trip(d in "[0-9]{5,15}") {
            let p = psi_arg(&d).unwrap();
            let mut an = Anomalies::default();
            let m = decode(OpCode(70), Kind::Invoke, 3, &p, &mut an);
            let got = m.imsi.unwrap().digits();
            prop_assert_eq!(got.as_str(), d.as_str());
        }
    }
}
