//! Typed GTPv1 IE values ([`V1Value`] and the structured values it carries) and their
//! decoding by type, in the GTPv1 / GTP' numbering or the GTPv0 (GSM 09.60) one.

use std::net::IpAddr;

use sigscope_core::digits::{tbcd, Digits};
use sigscope_core::Error;

use super::{Ie, IeType, TvTable, L};
use crate::common::{ip_from, need, u16_at, u32_at, u8_at, Labels, Pco, PlmnId, Tft};

/// User Location Information (TS 29.060 7.7.51).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Uli {
    /// Geographic location type: 0 CGI, 1 SAI, 2 RAI.
    pub location_type: u8,
    /// PLMN.
    pub plmn: PlmnId,
    /// Location area code.
    pub lac: u16,
    /// CI (CGI), SAC (SAI) or RAC (RAI, in the high octet).
    pub id: u16,
}

/// End User Address (TS 29.060 7.7.27).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct EndUserAddress {
    /// PDP type organisation (0 ETSI, 1 IETF).
    pub organisation: u8,
    /// PDP type number (IETF: 0x21 IPv4, 0x57 IPv6, 0x8d IPv4v6; ETSI: 1 PPP).
    pub pdp_type: u8,
    /// The IPv4 (or only) address, when one is allocated.
    pub addr: Option<IpAddr>,
    /// The IPv6 address of an IPv4v6 allocation.
    pub addr2: Option<IpAddr>,
}

/// Evolved Allocation/Retention Priority (TS 29.060 7.7.91 / TS 29.274 8.86).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Arp {
    /// Pre-emption capability (PCI): true = may not pre-empt.
    pub pci: bool,
    /// Priority level (1-15).
    pub pl: u8,
    /// Pre-emption vulnerability (PVI).
    pub pvi: bool,
}

impl Arp {
    /// Decode the ARP octet.
    pub const fn from_octet(b: u8) -> Arp {
        Arp {
            pci: b & 0x40 != 0,
            pl: (b >> 2) & 0x0f,
            pvi: b & 0x01 != 0,
        }
    }
}

/// Typed value of a GTPv1 IE.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum V1Value<'a> {
    /// Cause (1).
    Cause(u8),
    /// IMSI (2), TBCD.
    Imsi(Digits),
    /// Routeing Area Identity (3).
    Rai {
        /// PLMN.
        plmn: PlmnId,
        /// LAC.
        lac: u16,
        /// RAC.
        rac: u8,
    },
    /// TLLI (4).
    Tlli(u32),
    /// P-TMSI (5).
    PTmsi(u32),
    /// Reordering Required (8).
    ReorderingRequired(bool),
    /// MAP Cause (11).
    MapCause(u8),
    /// P-TMSI Signature (12).
    PTmsiSignature(u32),
    /// MS Validated (13).
    MsValidated(bool),
    /// Recovery restart counter (14).
    Recovery(u8),
    /// Selection mode (15, 2 bits).
    SelectionMode(u8),
    /// TEID Data I (16).
    TeidDataI(u32),
    /// TEID C-plane (17).
    TeidCPlane(u32),
    /// TEID Data II (18).
    TeidDataII {
        /// NSAPI.
        nsapi: u8,
        /// TEID.
        teid: u32,
    },
    /// Teardown Ind (19).
    TeardownInd(bool),
    /// NSAPI (20) / Enhanced NSAPI (167).
    Nsapi(u8),
    /// RANAP Cause (21).
    RanapCause(u8),
    /// Radio priority SMS (23) / Radio priority (24) / Radio priority LCS (150).
    RadioPriority(u8),
    /// Packet Flow Id (25).
    PacketFlowId {
        /// NSAPI.
        nsapi: u8,
        /// PFI.
        pfi: u8,
    },
    /// Charging characteristics (26).
    ChargingCharacteristics(u16),
    /// Trace reference (27).
    TraceReference(u16),
    /// Trace type (28).
    TraceType(u16),
    /// MS not reachable reason (29).
    MsNotReachableReason(u8),
    /// Packet transfer command (GTP' 126).
    PacketTransferCommand(u8),
    /// Charging ID (127).
    ChargingId(u32),
    /// End user address (128).
    EndUserAddress(EndUserAddress),
    /// APN (131).
    Apn(Labels<'a>),
    /// Protocol configuration options (132) / MBMS PCO (159).
    Pco(Pco<'a>),
    /// GSN address (133), charging gateway address (251), address of recommended node (254).
    Address(IpAddr),
    /// MSISDN (134), SGSN number (147), C-MSISDN (210): address-type octet + TBCD digits.
    Msisdn {
        /// Extension / nature of address / numbering plan octet.
        ton_npi: u8,
        /// Digits.
        digits: Digits,
    },
    /// QoS profile (135): allocation/retention priority + TS 24.008 QoS octets.
    QosProfile {
        /// Allocation/retention priority.
        arp: u8,
        /// QoS profile data (from octet 3 of TS 24.008 10.5.6.5).
        data: &'a [u8],
    },
    /// Traffic flow template (137).
    Tft(Tft<'a>),
    /// Trigger Id (142), OMC identity (143): octet strings.
    Text(&'a [u8]),
    /// Common flags (148), direct tunnel flags (182), extended common flags (193, 218),
    /// signalling priority indication (203), MS Info change reporting action (181), ...
    Flags(u8),
    /// APN restriction (149).
    ApnRestriction(u8),
    /// RAT type (151).
    RatType(u8),
    /// User location information (152).
    Uli(Uli),
    /// MS time zone (153).
    MsTimeZone {
        /// Time zone octet (TS 24.008 10.5.3.8 encoding).
        tz: u8,
        /// Daylight saving adjustment (0-2 hours).
        dst: u8,
    },
    /// IMEI(SV) (154), TBCD.
    Imei(Digits),
    /// Hop counter (163).
    HopCounter(u8),
    /// Selected PLMN ID (164).
    Plmn(PlmnId),
    /// FQDN (190).
    Fqdn(Labels<'a>),
    /// Evolved ARP I (191).
    EvolvedArp(Arp),
    /// Evolved ARP II (192): NSAPI + ARP.
    EvolvedArpII {
        /// NSAPI.
        nsapi: u8,
        /// ARP.
        arp: Arp,
    },
    /// CSG ID (196), 27 bits.
    CsgId(u32),
    /// APN-AMBR (198), kbps.
    ApnAmbr {
        /// Uplink.
        ul: u32,
        /// Downlink.
        dl: u32,
    },
    /// UE-AMBR (200), kbps.
    UeAmbr {
        /// Subscribed uplink.
        ul: u32,
        /// Subscribed downlink.
        dl: u32,
        /// Authorized uplink/downlink when present.
        authorized: Option<(u32, u32)>,
    },
    /// APN-AMBR with NSAPI (201).
    ApnAmbrWithNsapi {
        /// NSAPI.
        nsapi: u8,
        /// Authorized uplink.
        ul: u32,
        /// Authorized downlink.
        dl: u32,
    },
    /// UE usage type (217).
    UeUsageType(u32),
    /// Extension header type list (141).
    ExtHeaderTypes(&'a [u8]),
    /// GTPv0 Quality of Service Profile (GSM 09.60 7.9.6): GSM 04.08 QoS octets 3-5.
    QosProfileV0 {
        /// Delay class (3 bits).
        delay_class: u8,
        /// Reliability class (3 bits).
        reliability_class: u8,
        /// Peak throughput (4 bits).
        peak_throughput: u8,
        /// Precedence class (3 bits).
        precedence_class: u8,
        /// Mean throughput (5 bits).
        mean_throughput: u8,
    },
    /// GTPv0 Flow Label Data I (16) / Flow Label Signalling (17) (GSM 09.60 7.9.13, 7.9.14).
    FlowLabel(u16),
    /// GTPv0 Flow Label Data II (18): NSAPI + flow label (GSM 09.60 7.9.15).
    FlowLabelDataII {
        /// NSAPI.
        nsapi: u8,
        /// Flow label.
        flow_label: u16,
    },
    /// Requests responded (GTP' 253): sequence numbers.
    SequenceNumbers(&'a [u8]),
    /// Data record packet (GTP' 252).
    DataRecordPacket {
        /// Number of data records.
        records: u8,
        /// Data record format.
        format: u8,
        /// Records, undecoded.
        data: &'a [u8],
    },
    /// Private extension (255).
    PrivateExtension {
        /// IANA enterprise number.
        enterprise: u16,
        /// Proprietary value.
        value: &'a [u8],
    },
    /// An IE whose value is not decoded further.
    Raw(&'a [u8]),
}

fn one(v: &[u8]) -> Result<u8, Error> {
    u8_at(v, 0)
}

fn digits_checked(v: &[u8]) -> Result<Digits, Error> {
    need(v, 1)?;
    Ok(tbcd(v))
}

/// Name of a GTPv0 IE type (GSM 09.60 7.9), `None` for a type GSM 09.60 does not assign.
/// Types 1-15 and the TLV types it has share the GTPv1 names; 6 and 16-19 are its own.
pub fn v0_ie_name(t: u8) -> Option<&'static str> {
    match t {
        6 => Some("quality_of_service_profile"),
        16 => Some("flow_label_data_i"),
        17 => Some("flow_label_signalling"),
        18 => Some("flow_label_data_ii"),
        19 => Some("ms_not_reachable_reason"),
        1..=5 | 8 | 9 | 11..=15 | 127..=134 | 251 | 255 => IeType(t).name(),
        _ => None,
    }
}

impl<'a> Ie<'a> {
    /// Name of the IE type in the numbering it was read with (GTPv0 has its own for a few).
    pub fn name(&self) -> Option<&'static str> {
        match self.table {
            TvTable::V0 => v0_ie_name(self.ie_type.0),
            TvTable::V1 | TvTable::Prime => self.ie_type.name(),
        }
    }

    /// Decode the value by type: GTPv1 / GTP' meaning, or GSM 09.60 for an IE of a GTPv0
    /// message (where types 6 and 16-19 mean something else and the later GTPv1 types do
    /// not exist: those stay raw).
    pub fn decode(&self) -> Result<V1Value<'a>, Error> {
        if self.table == TvTable::V0 {
            return self.decode_v0();
        }
        self.decode_v1()
    }

    fn decode_v0(&self) -> Result<V1Value<'a>, Error> {
        let v = self.value;
        Ok(match self.ie_type.0 {
            6 => match v {
                [a, b, c] => V1Value::QosProfileV0 {
                    delay_class: (a >> 3) & 0x07,
                    reliability_class: a & 0x07,
                    peak_throughput: b >> 4,
                    precedence_class: b & 0x07,
                    mean_throughput: c & 0x1f,
                },
                _ => return Err(Error::len(L, 3, v.len(), self.offset)),
            },
            16 | 17 => V1Value::FlowLabel(u16_at(v, 0)?),
            18 => V1Value::FlowLabelDataII {
                nsapi: one(v)? & 0x0f,
                flow_label: u16_at(v, 1)?,
            },
            19 => V1Value::MsNotReachableReason(one(v)?),
            t if v0_ie_name(t).is_some() => self.decode_v1()?,
            _ => V1Value::Raw(v),
        })
    }

    fn decode_v1(&self) -> Result<V1Value<'a>, Error> {
        let v = self.value;
        Ok(match self.ie_type.0 {
            1 => V1Value::Cause(one(v)?),
            2 => V1Value::Imsi(digits_checked(v)?),
            3 => V1Value::Rai {
                plmn: PlmnId::parse(v)?,
                lac: u16_at(v, 3)?,
                rac: u8_at(v, 5)?,
            },
            4 => V1Value::Tlli(u32_at(v, 0)?),
            5 => V1Value::PTmsi(u32_at(v, 0)?),
            8 => V1Value::ReorderingRequired(one(v)? & 1 != 0),
            11 => V1Value::MapCause(one(v)?),
            12 => V1Value::PTmsiSignature(match v {
                [a, b, c] => u32::from_be_bytes([0, *a, *b, *c]),
                _ => return Err(Error::len(L, 3, v.len(), self.offset)),
            }),
            13 => V1Value::MsValidated(one(v)? & 1 != 0),
            14 => V1Value::Recovery(one(v)?),
            15 => V1Value::SelectionMode(one(v)? & 0x03),
            16 => V1Value::TeidDataI(u32_at(v, 0)?),
            17 => V1Value::TeidCPlane(u32_at(v, 0)?),
            18 => V1Value::TeidDataII {
                nsapi: one(v)? & 0x0f,
                teid: u32_at(v, 1)?,
            },
            19 => V1Value::TeardownInd(one(v)? & 1 != 0),
            20 | 167 => V1Value::Nsapi(one(v)? & 0x0f),
            21 => V1Value::RanapCause(one(v)?),
            23 | 24 | 150 => V1Value::RadioPriority(one(v)? & 0x07),
            25 => V1Value::PacketFlowId {
                nsapi: one(v)? & 0x0f,
                pfi: u8_at(v, 1)? & 0x7f,
            },
            26 => V1Value::ChargingCharacteristics(u16_at(v, 0)?),
            27 => V1Value::TraceReference(u16_at(v, 0)?),
            28 => V1Value::TraceType(u16_at(v, 0)?),
            29 => V1Value::MsNotReachableReason(one(v)?),
            126 => V1Value::PacketTransferCommand(one(v)?),
            127 => V1Value::ChargingId(u32_at(v, 0)?),
            128 => {
                let org = one(v)? & 0x0f;
                let ty = u8_at(v, 1)?;
                let rest = v.get(2..).unwrap_or(&[]);
                let (addr, addr2) = match rest.len() {
                    0 => (None, None),
                    4 | 16 => (ip_from(rest), None),
                    20 => (
                        ip_from(rest.get(..4).unwrap_or(&[])),
                        ip_from(rest.get(4..).unwrap_or(&[])),
                    ),
                    n => {
                        return Err(Error::value(
                            L,
                            "end user address length",
                            n as u64,
                            self.offset,
                        ))
                    }
                };
                V1Value::EndUserAddress(EndUserAddress {
                    organisation: org,
                    pdp_type: ty,
                    addr,
                    addr2,
                })
            }
            131 => V1Value::Apn(Labels::new(v)),
            132 | 159 => V1Value::Pco(Pco::parse(v)?),
            133 | 251 | 254 => {
                // 4/16 bytes, or address type + length prefix (5/17) as some nodes send.
                let a = ip_from(v).or_else(|| ip_from(v.get(1..).unwrap_or(&[])));
                V1Value::Address(a.ok_or(Error::value(
                    L,
                    "address length",
                    v.len() as u64,
                    self.offset,
                ))?)
            }
            134 | 147 | 210 => V1Value::Msisdn {
                ton_npi: one(v)?,
                digits: tbcd(v.get(1..).unwrap_or(&[])),
            },
            135 => V1Value::QosProfile {
                arp: one(v)?,
                data: v.get(1..).unwrap_or(&[]),
            },
            137 => V1Value::Tft(Tft::parse(v)?),
            141 => V1Value::ExtHeaderTypes(v),
            142 | 143 => V1Value::Text(v),
            148 | 181 | 182 | 193 | 203 | 218 | 220 | 224 => V1Value::Flags(one(v)?),
            149 => V1Value::ApnRestriction(one(v)?),
            151 => V1Value::RatType(one(v)?),
            152 => {
                let location_type = one(v)?;
                let plmn = PlmnId::parse(v.get(1..).unwrap_or(&[]))?;
                V1Value::Uli(Uli {
                    location_type,
                    plmn,
                    lac: u16_at(v, 4)?,
                    id: u16_at(v, 6)?,
                })
            }
            153 => V1Value::MsTimeZone {
                tz: one(v)?,
                dst: u8_at(v, 1)? & 0x03,
            },
            154 => V1Value::Imei(digits_checked(v)?),
            163 => V1Value::HopCounter(one(v)?),
            164 => V1Value::Plmn(PlmnId::parse(v)?),
            190 => V1Value::Fqdn(Labels::new(v)),
            191 => V1Value::EvolvedArp(Arp::from_octet(one(v)?)),
            192 => V1Value::EvolvedArpII {
                nsapi: one(v)? & 0x0f,
                arp: Arp::from_octet(u8_at(v, 1)?),
            },
            196 => V1Value::CsgId(u32_at(v, 0)? & 0x07ff_ffff),
            198 => V1Value::ApnAmbr {
                ul: u32_at(v, 0)?,
                dl: u32_at(v, 4)?,
            },
            200 => V1Value::UeAmbr {
                ul: u32_at(v, 0)?,
                dl: u32_at(v, 4)?,
                authorized: match (u32_at(v, 8), u32_at(v, 12)) {
                    (Ok(a), Ok(b)) => Some((a, b)),
                    _ => None,
                },
            },
            201 => V1Value::ApnAmbrWithNsapi {
                nsapi: one(v)? & 0x0f,
                ul: u32_at(v, 1)?,
                dl: u32_at(v, 5)?,
            },
            217 => V1Value::UeUsageType(u32_at(v, 0)?),
            249 | 250 | 253 => V1Value::SequenceNumbers(v),
            252 => V1Value::DataRecordPacket {
                records: one(v)?,
                format: u8_at(v, 1)?,
                data: v.get(2..).unwrap_or(&[]),
            },
            255 => V1Value::PrivateExtension {
                enterprise: u16_at(v, 0)?,
                value: v.get(2..).unwrap_or(&[]),
            },
            _ => V1Value::Raw(v),
        })
    }
}
