//! Typed GTPv2 IE values: [`V2Value`] and the structured values it carries (Cause, PAA,
//! QoS, F-TEID, ULI, Target Identification, FQ-CSID, Trace Information).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use sigscope_core::digits::Digits;

use super::IeIter;
use crate::common::{Labels, Pco, PlmnId, Tft};
use crate::v1::Arp;

/// Cause IE (8.4).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Cause {
    /// Cause value.
    pub value: u8,
    /// PDN connection IE error.
    pub pce: bool,
    /// Bearer context IE error.
    pub bce: bool,
    /// Cause source (1 = remote node).
    pub cs: bool,
    /// Offending IE (type, instance) when present.
    pub offending: Option<(u8, u8)>,
}

/// Paging/PDN Address Allocation (8.14).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Paa {
    /// PDN type: 1 IPv4, 2 IPv6, 3 IPv4v6, 4 non-IP, 5 Ethernet.
    pub pdn_type: u8,
    /// IPv4 address.
    pub ipv4: Option<Ipv4Addr>,
    /// IPv6 prefix length and address.
    pub ipv6: Option<(u8, Ipv6Addr)>,
}

/// Bearer QoS (8.15) and Flow QoS (8.16, without ARP). Bit rates in kbps.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Qos {
    /// ARP (bearer QoS only).
    pub arp: Option<Arp>,
    /// QCI.
    pub qci: u8,
    /// Maximum bit rate uplink.
    pub mbr_ul: u64,
    /// Maximum bit rate downlink.
    pub mbr_dl: u64,
    /// Guaranteed bit rate uplink.
    pub gbr_ul: u64,
    /// Guaranteed bit rate downlink.
    pub gbr_dl: u64,
}

/// Fully qualified TEID (8.22).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FTeid {
    /// Interface type (6 bits, Table 8.22-1: 0 S1-U eNodeB GTP-U, 1 S1-U SGW GTP-U, 4 S5/S8
    /// SGW GTP-U, 5 S5/S8 PGW GTP-U, 6 S5/S8 SGW GTP-C, 7 S5/S8 PGW GTP-C, 10 S11 MME GTP-C,
    /// 11 S11/S4 SGW GTP-C, 15 S4 SGSN GTP-U, ...).
    pub interface_type: u8,
    /// TEID / GRE key.
    pub teid: u32,
    /// IPv4 address (V4 flag).
    pub ipv4: Option<Ipv4Addr>,
    /// IPv6 address (V6 flag).
    pub ipv6: Option<Ipv6Addr>,
}

/// User Location Information (8.21): any of its eight location forms.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Uli {
    /// Flags octet (bit 1 CGI ... bit 8 extended macro eNodeB ID).
    pub flags: u8,
    /// CGI: PLMN, LAC, CI.
    pub cgi: Option<(PlmnId, u16, u16)>,
    /// SAI: PLMN, LAC, SAC.
    pub sai: Option<(PlmnId, u16, u16)>,
    /// RAI: PLMN, LAC, RAC.
    pub rai: Option<(PlmnId, u16, u16)>,
    /// TAI: PLMN, TAC.
    pub tai: Option<(PlmnId, u16)>,
    /// ECGI: PLMN, E-UTRAN cell identifier (28 bits).
    pub ecgi: Option<(PlmnId, u32)>,
    /// LAI: PLMN, LAC.
    pub lai: Option<(PlmnId, u16)>,
    /// Macro eNodeB ID: PLMN, 20-bit ID.
    pub macro_enb: Option<(PlmnId, u32)>,
    /// Extended macro eNodeB ID: PLMN, ID (21-bit long or 18-bit short), SMeNB flag.
    pub ext_macro_enb: Option<(PlmnId, u32, bool)>,
}

/// Target Identification (8.51), including the 5G node forms.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TargetId<'a> {
    /// Target type: 0 RNC ID, 1 macro eNodeB, 2 cell identifier, 3 home eNodeB, 4 extended macro
    /// eNodeB, 5 gNodeB, 6 macro ng-eNodeB, 7 extended ng-eNodeB, 8 en-gNB.
    pub target_type: u8,
    /// PLMN.
    pub plmn: PlmnId,
    /// Node identifier (RNC ID, eNodeB ID, gNodeB ID, ...).
    pub node_id: u32,
    /// TAC (2 octets) or 5GS TAC (3 octets) when the form carries one.
    pub tac: Option<u32>,
    /// The whole value.
    pub raw: &'a [u8],
}

/// FQ-CSID (8.62).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FqCsid<'a> {
    /// Node-ID type: 0 IPv4, 1 IPv6, 2 MCC/MNC-based.
    pub node_id_type: u8,
    /// Node-ID as an address (types 0, 1).
    pub node_addr: Option<IpAddr>,
    /// Node-ID as a number (type 2).
    pub node_number: Option<u32>,
    /// CSIDs (2 octets each).
    pub csids: &'a [u8],
}

/// Trace Information (8.31).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TraceInfo<'a> {
    /// PLMN.
    pub plmn: PlmnId,
    /// Trace ID (24 bits).
    pub trace_id: u32,
    /// Triggering events (9 octets).
    pub triggering_events: &'a [u8],
    /// List of NE types.
    pub ne_types: u16,
    /// Session trace depth.
    pub depth: u8,
    /// List of interfaces (12 octets).
    pub interfaces: &'a [u8],
    /// IP address of the trace collection entity.
    pub collection_entity: Option<IpAddr>,
}

/// Typed value of a GTPv2 IE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum V2Value<'a> {
    /// IMSI (1), TBCD.
    Imsi(Digits),
    /// Cause (2).
    Cause(Cause),
    /// Recovery (3).
    Recovery(u8),
    /// STN-SR (51): address octet + digits.
    StnSr(Digits),
    /// APN (71).
    Apn(Labels<'a>),
    /// AMBR (72) in kbps.
    Ambr {
        /// Uplink.
        ul: u32,
        /// Downlink.
        dl: u32,
    },
    /// EBI (73).
    Ebi(u8),
    /// IP address (74), ...
    IpAddress(IpAddr),
    /// MEI (75), TBCD.
    Mei(Digits),
    /// MSISDN (76), TBCD.
    Msisdn(Digits),
    /// Indication flags (77): the flag octets.
    Indication(&'a [u8]),
    /// PCO (78), APCO (163), ePCO (197).
    Pco(Pco<'a>),
    /// PAA (79).
    Paa(Paa),
    /// Bearer QoS (80) / Flow QoS (81).
    Qos(Qos),
    /// RAT type (82).
    RatType(u8),
    /// Serving network (83), PLMN ID (120).
    Plmn(PlmnId),
    /// Bearer TFT (84), TAD (85).
    Tft(Tft<'a>),
    /// ULI (86).
    Uli(Uli),
    /// F-TEID (87).
    FTeid(FTeid),
    /// TMSI (88), P-TMSI (111), P-TMSI signature (112), charging ID (94), ULI timestamp (170),
    /// sequence number (183), CSG ID (147), additional RRM policy index (207), ...: a 32-bit number.
    U32(u32),
    /// Global CN-Id (89).
    GlobalCnId {
        /// PLMN.
        plmn: PlmnId,
        /// CN-Id.
        cn_id: u16,
    },
    /// Delay value (92), PDN type (99), PTI (100), hop counter (113), APN restriction (127),
    /// selection mode (128), node type (135), RAT-independent one-octet values ...
    U8(u8),
    /// Charging characteristics (95), port number (126), RFSP index (144, 8.77: two octets),
    /// mapped UE usage type (200), ...
    U16(u16),
    /// Grouped IE (93, 109, 180, 181, 191, 195, 208, 209, 214): its IEs.
    Grouped(IeIter<'a>),
    /// Trace information (96).
    TraceInfo(TraceInfo<'a>),
    /// Bearer flags (97), node features (152), CIoT / UP selection flags, ...: flag octet.
    Flags(u8),
    /// UE time zone (114).
    UeTimeZone {
        /// Time zone octet.
        tz: u8,
        /// Daylight saving time adjustment.
        dst: u8,
    },
    /// Trace reference (115).
    TraceReference {
        /// PLMN.
        plmn: PlmnId,
        /// Trace ID.
        trace_id: u32,
    },
    /// GUTI (117).
    Guti {
        /// PLMN.
        plmn: PlmnId,
        /// MME group ID.
        mme_group_id: u16,
        /// MME code.
        mme_code: u8,
        /// M-TMSI.
        m_tmsi: u32,
    },
    /// F-Container (118), F-Cause (119), RAN/NAS cause (172): type/cause-type octet + contents.
    Typed {
        /// Container type / cause type.
        kind: u8,
        /// Contents.
        data: &'a [u8],
    },
    /// Target identification (121).
    TargetId(TargetId<'a>),
    /// FQ-CSID (132).
    FqCsid(FqCsid<'a>),
    /// FQDN (136), PGW set FQDN (215).
    Fqdn(Labels<'a>),
    /// UCI (145).
    Uci {
        /// PLMN.
        plmn: PlmnId,
        /// CSG ID (27 bits).
        csg_id: u32,
        /// Access mode.
        access_mode: u8,
        /// Leave CSG / CSG membership flags octet.
        flags: u8,
    },
    /// LDN (151) and other octet strings of text.
    Text(&'a [u8]),
    /// Throttling (154).
    Throttling {
        /// Delay unit (3 bits) + value (5 bits).
        delay: u8,
        /// Throttling factor (%).
        factor: u8,
    },
    /// ARP (155).
    Arp(Arp),
    /// EPC timer (156).
    EpcTimer {
        /// Timer unit (3 bits).
        unit: u8,
        /// Timer value (5 bits).
        value: u8,
    },
    /// Node number (175): digits.
    NodeNumber(Digits),
    /// Node identifier (176): node name and realm.
    NodeIdentifier {
        /// Node name.
        name: &'a [u8],
        /// Node realm.
        realm: &'a [u8],
    },
    /// Millisecond time stamp (188), 48 bits.
    Timestamp(u64),
    /// Remote user ID (192): the IMSI it carries.
    RemoteUserId(Digits),
    /// Counter (199).
    Counter {
        /// Timestamp.
        timestamp: u32,
        /// Counter value.
        value: u8,
    },
    /// Maximum packet loss rate (203), in 0.1 %.
    MaxPacketLossRate {
        /// Uplink when present.
        ul: Option<u16>,
        /// Downlink when present.
        dl: Option<u16>,
    },
    /// PSCell ID (217): NR cell global identity.
    Ncgi {
        /// PLMN.
        plmn: PlmnId,
        /// NR cell identity (36 bits).
        nr_cell_id: u64,
    },
    /// Monitoring event extension information (206, 8.137): flags (LRTP, ...), SCEF reference
    /// ID, SCEF ID; what follows (remaining minimum periodic location reporting time, extended
    /// SCEF reference ID, as the flags say) is kept raw.
    MonitoringEventExtension {
        /// Flags octet (bit 1 LRTP).
        flags: u8,
        /// SCEF reference ID.
        scef_reference_id: u32,
        /// SCEF ID (a Diameter identity).
        scef_id: &'a [u8],
        /// The fields after the SCEF ID, undecoded.
        rest: &'a [u8],
    },
    /// Private extension (255).
    PrivateExtension {
        /// IANA enterprise number.
        enterprise: u16,
        /// Proprietary value.
        value: &'a [u8],
    },
    /// A value not decoded further.
    Raw(&'a [u8]),
}
