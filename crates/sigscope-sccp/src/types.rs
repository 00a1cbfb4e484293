//! SCCP code points (ITU-T Q.713 clause 3 and 4; ANSI T1.112.3 where it differs).

use sigscope_core::open_enum;

open_enum! {
    /// SCCP message type (Q.713 Table 1). The name is the Q.713 abbreviation.
    pub struct MessageType(u8) {
        /// Connection request.
        CR = 0x01 => "CR",
        /// Connection confirm.
        CC = 0x02 => "CC",
        /// Connection refused.
        CREF = 0x03 => "CREF",
        /// Released.
        RLSD = 0x04 => "RLSD",
        /// Release complete.
        RLC = 0x05 => "RLC",
        /// Data form 1.
        DT1 = 0x06 => "DT1",
        /// Data form 2.
        DT2 = 0x07 => "DT2",
        /// Data acknowledgement.
        AK = 0x08 => "AK",
        /// Unitdata.
        UDT = 0x09 => "UDT",
        /// Unitdata service.
        UDTS = 0x0a => "UDTS",
        /// Expedited data.
        ED = 0x0b => "ED",
        /// Expedited data acknowledgement.
        EA = 0x0c => "EA",
        /// Reset request.
        RSR = 0x0d => "RSR",
        /// Reset confirm.
        RSC = 0x0e => "RSC",
        /// Protocol data unit error.
        ERR = 0x0f => "ERR",
        /// Inactivity test.
        IT = 0x10 => "IT",
        /// Extended unitdata.
        XUDT = 0x11 => "XUDT",
        /// Extended unitdata service.
        XUDTS = 0x12 => "XUDTS",
        /// Long unitdata.
        LUDT = 0x13 => "LUDT",
        /// Long unitdata service.
        LUDTS = 0x14 => "LUDTS",
    }
}

impl MessageType {
    /// True for the connectionless messages (UDT, UDTS, XUDT, XUDTS, LUDT, LUDTS).
    pub const fn is_connectionless(self) -> bool {
        matches!(self.0, 0x09 | 0x0a | 0x11..=0x14)
    }

    /// True for the service (returned message) types UDTS, XUDTS and LUDTS.
    pub const fn is_service(self) -> bool {
        matches!(self.0, 0x0a | 0x12 | 0x14)
    }
}

open_enum! {
    /// Parameter name codes (Q.713 Table 2).
    pub struct ParamName(u8) {
        END_OF_OPTIONAL = 0x00 => "end_of_optional_parameters",
        DESTINATION_LOCAL_REFERENCE = 0x01 => "destination_local_reference",
        SOURCE_LOCAL_REFERENCE = 0x02 => "source_local_reference",
        CALLED_PARTY_ADDRESS = 0x03 => "called_party_address",
        CALLING_PARTY_ADDRESS = 0x04 => "calling_party_address",
        PROTOCOL_CLASS = 0x05 => "protocol_class",
        SEGMENTING_REASSEMBLING = 0x06 => "segmenting_reassembling",
        RECEIVE_SEQUENCE_NUMBER = 0x07 => "receive_sequence_number",
        SEQUENCING_SEGMENTING = 0x08 => "sequencing_segmenting",
        CREDIT = 0x09 => "credit",
        RELEASE_CAUSE = 0x0a => "release_cause",
        RETURN_CAUSE = 0x0b => "return_cause",
        RESET_CAUSE = 0x0c => "reset_cause",
        ERROR_CAUSE = 0x0d => "error_cause",
        REFUSAL_CAUSE = 0x0e => "refusal_cause",
        DATA = 0x0f => "data",
        SEGMENTATION = 0x10 => "segmentation",
        HOP_COUNTER = 0x11 => "hop_counter",
        IMPORTANCE = 0x12 => "importance",
        LONG_DATA = 0x13 => "long_data",
    }
}

open_enum! {
    /// Subsystem number (Q.713 3.4.2.2; 3GPP TS 23.003 8.2 for the mobile network values).
    pub struct Ssn(u8) {
        /// SSN not known / not used.
        UNKNOWN = 0 => "unknown",
        /// SCCP management.
        SCMG = 1 => "scmg",
        /// ISDN user part.
        ISUP = 3 => "isup",
        /// Operation, maintenance and administration part.
        OMAP = 4 => "omap",
        /// Mobile application part (generic).
        MAP = 5 => "map",
        /// Home location register.
        HLR = 6 => "hlr",
        /// Visitor location register.
        VLR = 7 => "vlr",
        /// Mobile switching centre.
        MSC = 8 => "msc",
        /// Equipment identity register.
        EIR = 9 => "eir",
        /// Authentication centre.
        AUC = 10 => "auc",
        /// ISDN supplementary services.
        ISDN_SS = 11 => "isdn_ss",
        /// Broadband ISDN edge-to-edge applications.
        BISDN = 13 => "bisdn",
        /// TC test responder.
        TC_TEST = 14 => "tc_test_responder",
        /// RANAP (Iu).
        RANAP = 142 => "ranap",
        /// RNSAP (Iur).
        RNSAP = 143 => "rnsap",
        /// Gateway mobile location centre (MAP).
        GMLC = 145 => "gmlc",
        /// gsmSCF (CAP).
        GSMSCF = 146 => "gsmscf",
        /// gsmSCF / IM-SSF (MAP).
        GSMSCF_MAP = 147 => "gsmscf_map",
        /// Shared inter-working function (MAP).
        SIWF = 148 => "siwf",
        /// Serving GPRS support node (MAP).
        SGSN = 149 => "sgsn",
        /// Gateway GPRS support node (MAP).
        GGSN = 150 => "ggsn",
        /// CSG subscriber server (MAP).
        CSS = 151 => "css",
        /// INAP.
        INAP = 241 => "inap",
        /// PCAP (Iupc).
        PCAP = 249 => "pcap",
        /// BSC (BSSAP-LE).
        BSC_BSSAP_LE = 250 => "bsc_bssap_le",
        /// MSC (BSSAP-LE).
        MSC_BSSAP_LE = 251 => "msc_bssap_le",
        /// Serving mobile location centre (BSSAP-LE).
        SMLC = 252 => "smlc",
        /// BSS operation and maintenance (A interface).
        BSS_OM = 253 => "bss_om",
        /// BSSAP (A interface).
        BSSAP = 254 => "bssap",
    }
}

impl Ssn {
    /// A MAP entity (TS 23.003 / Q.713 annex B): HLR, VLR, MSC, EIR, AuC, GMLC, gsmSCF (MAP),
    /// SGSN, GGSN.
    pub const fn is_map(self) -> bool {
        matches!(self.0, 6..=10 | 145 | 147 | 149 | 150)
    }

    /// A subsystem whose user speaks TCAP in the mobile network: MAP (generic 5 and every
    /// MAP entity) and CAP (gsmSCF 146).
    pub const fn is_tcap_user(self) -> bool {
        self.0 == 5 || self.0 == 146 || self.is_map()
    }
}

open_enum! {
    /// Return cause of UDTS / XUDTS / LUDTS (Q.713 3.12).
    pub struct ReturnCause(u8) {
        NO_TRANSLATION_NATURE = 0 => "no_translation_for_address_of_such_nature",
        NO_TRANSLATION_ADDRESS = 1 => "no_translation_for_this_specific_address",
        SUBSYSTEM_CONGESTION = 2 => "subsystem_congestion",
        SUBSYSTEM_FAILURE = 3 => "subsystem_failure",
        UNEQUIPPED_USER = 4 => "unequipped_user",
        MTP_FAILURE = 5 => "mtp_failure",
        NETWORK_CONGESTION = 6 => "network_congestion",
        UNQUALIFIED = 7 => "unqualified",
        ERROR_IN_MESSAGE_TRANSPORT = 8 => "error_in_message_transport",
        ERROR_IN_LOCAL_PROCESSING = 9 => "error_in_local_processing",
        DESTINATION_CANNOT_REASSEMBLE = 10 => "destination_cannot_perform_reassembly",
        SCCP_FAILURE = 11 => "sccp_failure",
        HOP_COUNTER_VIOLATION = 12 => "hop_counter_violation",
        SEGMENTATION_NOT_SUPPORTED = 13 => "segmentation_not_supported",
        SEGMENTATION_FAILURE = 14 => "segmentation_failure",
    }
}

open_enum! {
    /// Release cause of RLSD (Q.713 3.11).
    pub struct ReleaseCause(u8) {
        END_USER_ORIGINATED = 0 => "end_user_originated",
        END_USER_CONGESTION = 1 => "end_user_congestion",
        END_USER_FAILURE = 2 => "end_user_failure",
        SCCP_USER_ORIGINATED = 3 => "sccp_user_originated",
        REMOTE_PROCEDURE_ERROR = 4 => "remote_procedure_error",
        INCONSISTENT_CONNECTION_DATA = 5 => "inconsistent_connection_data",
        ACCESS_FAILURE = 6 => "access_failure",
        ACCESS_CONGESTION = 7 => "access_congestion",
        SUBSYSTEM_FAILURE = 8 => "subsystem_failure",
        SUBSYSTEM_CONGESTION = 9 => "subsystem_congestion",
        MTP_FAILURE = 10 => "mtp_failure",
        NETWORK_CONGESTION = 11 => "network_congestion",
        RESET_TIMER_EXPIRED = 12 => "expiration_of_reset_timer",
        RECEIVE_INACTIVITY_TIMER_EXPIRED = 13 => "expiration_of_receive_inactivity_timer",
        UNQUALIFIED = 15 => "unqualified",
        SCCP_FAILURE = 16 => "sccp_failure",
    }
}

open_enum! {
    /// Reset cause of RSR (Q.713 3.13).
    pub struct ResetCause(u8) {
        END_USER_ORIGINATED = 0 => "end_user_originated",
        SCCP_USER_ORIGINATED = 1 => "sccp_user_originated",
        INCORRECT_PS = 2 => "message_out_of_order_incorrect_ps",
        INCORRECT_PR = 3 => "message_out_of_order_incorrect_pr",
        OUT_OF_WINDOW = 4 => "remote_procedure_error_message_out_of_window",
        INCORRECT_PS_AFTER_INIT = 5 => "remote_procedure_error_incorrect_ps_after_reinitialization",
        REMOTE_PROCEDURE_ERROR = 6 => "remote_procedure_error_general",
        REMOTE_END_USER_OPERATIONAL = 7 => "remote_end_user_operational",
        NETWORK_OPERATIONAL = 8 => "network_operational",
        ACCESS_OPERATIONAL = 9 => "access_operational",
        NETWORK_CONGESTION = 10 => "network_congestion",
        UNQUALIFIED = 12 => "unqualified",
    }
}

open_enum! {
    /// Error cause of ERR (Q.713 3.14).
    pub struct ErrorCause(u8) {
        UNASSIGNED_DESTINATION_LRN = 0 => "lrn_mismatch_unassigned_destination_lrn",
        INCONSISTENT_SOURCE_LRN = 1 => "lrn_mismatch_inconsistent_source_lrn",
        POINT_CODE_MISMATCH = 2 => "point_code_mismatch",
        SERVICE_CLASS_MISMATCH = 3 => "service_class_mismatch",
        UNQUALIFIED = 4 => "unqualified",
    }
}

open_enum! {
    /// Refusal cause of CREF (Q.713 3.15).
    pub struct RefusalCause(u8) {
        END_USER_ORIGINATED = 0 => "end_user_originated",
        END_USER_CONGESTION = 1 => "end_user_congestion",
        END_USER_FAILURE = 2 => "end_user_failure",
        SCCP_USER_ORIGINATED = 3 => "sccp_user_originated",
        DESTINATION_ADDRESS_UNKNOWN = 4 => "destination_address_unknown",
        DESTINATION_INACCESSIBLE = 5 => "destination_inaccessible",
        QOS_NOT_AVAILABLE_NON_TRANSIENT = 6 => "network_resource_qos_not_available_non_transient",
        QOS_NOT_AVAILABLE_TRANSIENT = 7 => "network_resource_qos_not_available_transient",
        ACCESS_FAILURE = 8 => "access_failure",
        ACCESS_CONGESTION = 9 => "access_congestion",
        SUBSYSTEM_FAILURE = 10 => "subsystem_failure",
        SUBSYSTEM_CONGESTION = 11 => "subsystem_congestion",
        CONNECTION_TIMER_EXPIRED = 12 => "expiration_of_connection_establishment_timer",
        INCOMPATIBLE_USER_DATA = 13 => "incompatible_user_data",
        UNQUALIFIED = 15 => "unqualified",
        HOP_COUNTER_VIOLATION = 16 => "hop_counter_violation",
        SCCP_FAILURE = 17 => "sccp_failure",
        NO_TRANSLATION_NATURE = 18 => "no_translation_for_address_of_such_nature",
        UNEQUIPPED_USER = 19 => "unequipped_user",
    }
}

open_enum! {
    /// Nature of address indicator of a global title (Q.713 3.4.2.3.1).
    pub struct NatureOfAddress(u8) {
        UNKNOWN = 0 => "unknown",
        SUBSCRIBER = 1 => "subscriber_number",
        NATIONAL_RESERVED = 2 => "reserved_for_national_use",
        NATIONAL = 3 => "national_significant_number",
        INTERNATIONAL = 4 => "international_number",
    }
}

open_enum! {
    /// Numbering plan of a global title (Q.713 3.4.2.3.3).
    pub struct NumberingPlan(u8) {
        UNKNOWN = 0 => "unknown",
        E164 = 1 => "isdn_telephony",
        GENERIC = 2 => "generic",
        X121 = 3 => "data",
        F69 = 4 => "telex",
        E210 = 5 => "maritime_mobile",
        E212 = 6 => "land_mobile",
        E214 = 7 => "isdn_mobile",
        PRIVATE = 14 => "private",
    }
}

open_enum! {
    /// Encoding scheme of a global title (Q.713 3.4.2.3.3).
    pub struct EncodingScheme(u8) {
        UNKNOWN = 0 => "unknown",
        BCD_ODD = 1 => "bcd_odd",
        BCD_EVEN = 2 => "bcd_even",
        NATIONAL = 3 => "national_specific",
    }
}

/// Protocol class parameter (Q.713 3.6): class in bits 4-1, message handling in bits 8-5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ProtocolClass(pub u8);

impl ProtocolClass {
    /// Class 0-3 (values 4-15 are spare).
    pub const fn class(self) -> u8 {
        self.0 & 0x0f
    }

    /// Message handling bits (classes 0 and 1): 0x8 = return message on error.
    pub const fn handling(self) -> u8 {
        self.0 >> 4
    }

    /// "Return message on error" requested (classes 0 and 1).
    pub const fn return_on_error(self) -> bool {
        self.class() <= 1 && self.0 & 0x80 != 0
    }
}

/// Segmentation parameter (Q.713 3.17) of XUDT, XUDTS, LUDT and LUDTS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Segmentation {
    /// F bit: this is the first segment.
    pub first: bool,
    /// C bit: in-sequence delivery (class 1) requested.
    pub in_sequence: bool,
    /// Remaining segments after this one (0 = last segment).
    pub remaining: u8,
    /// Spare bits 6-5 of octet 1 (should be 0).
    pub spare: u8,
    /// Segmentation local reference (3 octets, least significant first).
    pub local_ref: u32,
}

impl Segmentation {
    /// Length of the parameter value.
    pub const LEN: usize = 4;

    /// Decode the 4-octet value.
    pub fn parse(v: &[u8]) -> Option<Segmentation> {
        match v {
            [o, a, b, c] => Some(Segmentation {
                first: o & 0x80 != 0,
                in_sequence: o & 0x40 != 0,
                spare: (o >> 4) & 0x03,
                remaining: o & 0x0f,
                local_ref: u32::from_le_bytes([*a, *b, *c, 0]),
            }),
            _ => None,
        }
    }

    /// Encode the 4-octet value.
    pub fn to_bytes(self) -> [u8; 4] {
        let o = (u8::from(self.first) << 7)
            | (u8::from(self.in_sequence) << 6)
            | ((self.spare & 0x03) << 4)
            | (self.remaining & 0x0f);
        let r = self.local_ref.to_le_bytes();
        [o, r[0], r[1], r[2]]
    }

    /// True for a message that is not really segmented (first segment and none remaining).
    pub const fn is_single(self) -> bool {
        self.first && self.remaining == 0
    }
}

/// One of the cause parameters, tagged by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// Return cause (UDTS, XUDTS, LUDTS).
    Return(ReturnCause),
    /// Refusal cause (CREF).
    Refusal(RefusalCause),
    /// Release cause (RLSD).
    Release(ReleaseCause),
    /// Reset cause (RSR).
    Reset(ResetCause),
    /// Error cause (ERR).
    Error(ErrorCause),
}

impl Cause {
    /// Record key (`return_cause`, `refusal_cause`, ...).
    pub const fn key(self) -> &'static str {
        match self {
            Cause::Return(_) => "return_cause",
            Cause::Refusal(_) => "refusal_cause",
            Cause::Release(_) => "release_cause",
            Cause::Reset(_) => "reset_cause",
            Cause::Error(_) => "error_cause",
        }
    }

    /// Record key of the cause's name (`return_cause_name`, ...).
    pub const fn name_key(self) -> &'static str {
        match self {
            Cause::Return(_) => "return_cause_name",
            Cause::Refusal(_) => "refusal_cause_name",
            Cause::Release(_) => "release_cause_name",
            Cause::Reset(_) => "reset_cause_name",
            Cause::Error(_) => "error_cause_name",
        }
    }

    /// Raw value.
    pub const fn value(self) -> u8 {
        match self {
            Cause::Return(c) => c.0,
            Cause::Refusal(c) => c.0,
            Cause::Release(c) => c.0,
            Cause::Reset(c) => c.0,
            Cause::Error(c) => c.0,
        }
    }

    /// Name of the value, when assigned.
    pub const fn name(self) -> Option<&'static str> {
        match self {
            Cause::Return(c) => c.name(),
            Cause::Refusal(c) => c.name(),
            Cause::Release(c) => c.name(),
            Cause::Reset(c) => c.name(),
            Cause::Error(c) => c.name(),
        }
    }
}
