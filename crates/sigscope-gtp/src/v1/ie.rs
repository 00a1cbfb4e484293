//! GTPv1 IEs: the type catalogue (TS 29.060 7.7, Table 37; GTP' TS 32.295), the borrowed
//! IE (TV or TLV) and the iterator over a message's IEs.

use sigscope_core::error::be_u16;
use sigscope_core::{open_enum, Error};

use super::{TvTable, L, MAX_IES};

open_enum! {
    /// GTPv1 information element types (TS 29.060 7.7, Table 37; GTP' TS 32.295).
    pub struct IeType(u8) {
        CAUSE = 1 => "cause",
        IMSI = 2 => "imsi",
        RAI = 3 => "routeing_area_identity",
        TLLI = 4 => "tlli",
        P_TMSI = 5 => "p_tmsi",
        REORDERING_REQUIRED = 8 => "reordering_required",
        AUTHENTICATION_TRIPLET = 9 => "authentication_triplet",
        MAP_CAUSE = 11 => "map_cause",
        P_TMSI_SIGNATURE = 12 => "p_tmsi_signature",
        MS_VALIDATED = 13 => "ms_validated",
        RECOVERY = 14 => "recovery",
        SELECTION_MODE = 15 => "selection_mode",
        TEID_DATA_I = 16 => "teid_data_i",
        TEID_C_PLANE = 17 => "teid_c_plane",
        TEID_DATA_II = 18 => "teid_data_ii",
        TEARDOWN_IND = 19 => "teardown_ind",
        NSAPI = 20 => "nsapi",
        RANAP_CAUSE = 21 => "ranap_cause",
        RAB_CONTEXT = 22 => "rab_context",
        RADIO_PRIORITY_SMS = 23 => "radio_priority_sms",
        RADIO_PRIORITY = 24 => "radio_priority",
        PACKET_FLOW_ID = 25 => "packet_flow_id",
        CHARGING_CHARACTERISTICS = 26 => "charging_characteristics",
        TRACE_REFERENCE = 27 => "trace_reference",
        TRACE_TYPE = 28 => "trace_type",
        MS_NOT_REACHABLE_REASON = 29 => "ms_not_reachable_reason",
        PACKET_TRANSFER_COMMAND = 126 => "packet_transfer_command",
        CHARGING_ID = 127 => "charging_id",
        END_USER_ADDRESS = 128 => "end_user_address",
        MM_CONTEXT = 129 => "mm_context",
        PDP_CONTEXT = 130 => "pdp_context",
        APN = 131 => "apn",
        PCO = 132 => "protocol_configuration_options",
        GSN_ADDRESS = 133 => "gsn_address",
        MSISDN = 134 => "msisdn",
        QOS_PROFILE = 135 => "qos_profile",
        AUTHENTICATION_QUINTUPLET = 136 => "authentication_quintuplet",
        TFT = 137 => "traffic_flow_template",
        TARGET_IDENTIFICATION = 138 => "target_identification",
        UTRAN_TRANSPARENT_CONTAINER = 139 => "utran_transparent_container",
        RAB_SETUP_INFORMATION = 140 => "rab_setup_information",
        EXTENSION_HEADER_TYPE_LIST = 141 => "extension_header_type_list",
        TRIGGER_ID = 142 => "trigger_id",
        OMC_IDENTITY = 143 => "omc_identity",
        RAN_TRANSPARENT_CONTAINER = 144 => "ran_transparent_container",
        PDP_CONTEXT_PRIORITIZATION = 145 => "pdp_context_prioritization",
        ADDITIONAL_RAB_SETUP_INFORMATION = 146 => "additional_rab_setup_information",
        SGSN_NUMBER = 147 => "sgsn_number",
        COMMON_FLAGS = 148 => "common_flags",
        APN_RESTRICTION = 149 => "apn_restriction",
        RADIO_PRIORITY_LCS = 150 => "radio_priority_lcs",
        RAT_TYPE = 151 => "rat_type",
        USER_LOCATION_INFORMATION = 152 => "user_location_information",
        MS_TIME_ZONE = 153 => "ms_time_zone",
        IMEI_SV = 154 => "imei_sv",
        CAMEL_CHARGING_INFORMATION_CONTAINER = 155 => "camel_charging_information_container",
        MBMS_UE_CONTEXT = 156 => "mbms_ue_context",
        TMGI = 157 => "tmgi",
        RIM_ROUTING_ADDRESS = 158 => "rim_routing_address",
        MBMS_PCO = 159 => "mbms_protocol_configuration_options",
        MBMS_SERVICE_AREA = 160 => "mbms_service_area",
        SOURCE_RNC_PDCP_CONTEXT_INFO = 161 => "source_rnc_pdcp_context_info",
        ADDITIONAL_TRACE_INFO = 162 => "additional_trace_info",
        HOP_COUNTER = 163 => "hop_counter",
        SELECTED_PLMN_ID = 164 => "selected_plmn_id",
        MBMS_SESSION_IDENTIFIER = 165 => "mbms_session_identifier",
        MBMS_2G3G_INDICATOR = 166 => "mbms_2g_3g_indicator",
        ENHANCED_NSAPI = 167 => "enhanced_nsapi",
        MBMS_SESSION_DURATION = 168 => "mbms_session_duration",
        ADDITIONAL_MBMS_TRACE_INFO = 169 => "additional_mbms_trace_info",
        MBMS_SESSION_REPETITION_NUMBER = 170 => "mbms_session_repetition_number",
        MBMS_TIME_TO_DATA_TRANSFER = 171 => "mbms_time_to_data_transfer",
        BSS_CONTAINER = 173 => "bss_container",
        CELL_IDENTIFICATION = 174 => "cell_identification",
        PDU_NUMBERS = 175 => "pdu_numbers",
        BSSGP_CAUSE = 176 => "bssgp_cause",
        REQUIRED_MBMS_BEARER_CAPABILITIES = 177 => "required_mbms_bearer_capabilities",
        RIM_ROUTING_ADDRESS_DISCRIMINATOR = 178 => "rim_routing_address_discriminator",
        LIST_OF_SET_UP_PFCS = 179 => "list_of_set_up_pfcs",
        PS_HANDOVER_XID_PARAMETERS = 180 => "ps_handover_xid_parameters",
        MS_INFO_CHANGE_REPORTING_ACTION = 181 => "ms_info_change_reporting_action",
        DIRECT_TUNNEL_FLAGS = 182 => "direct_tunnel_flags",
        CORRELATION_ID = 183 => "correlation_id",
        BEARER_CONTROL_MODE = 184 => "bearer_control_mode",
        MBMS_FLOW_IDENTIFIER = 185 => "mbms_flow_identifier",
        MBMS_IP_MULTICAST_DISTRIBUTION = 186 => "mbms_ip_multicast_distribution",
        MBMS_DISTRIBUTION_ACKNOWLEDGEMENT = 187 => "mbms_distribution_acknowledgement",
        RELIABLE_INTER_RAT_HANDOVER_INFO = 188 => "reliable_inter_rat_handover_info",
        RFSP_INDEX = 189 => "rfsp_index",
        FQDN = 190 => "fqdn",
        EVOLVED_ARP_I = 191 => "evolved_allocation_retention_priority_i",
        EVOLVED_ARP_II = 192 => "evolved_allocation_retention_priority_ii",
        EXTENDED_COMMON_FLAGS = 193 => "extended_common_flags",
        USER_CSG_INFORMATION = 194 => "user_csg_information",
        CSG_INFORMATION_REPORTING_ACTION = 195 => "csg_information_reporting_action",
        CSG_ID = 196 => "csg_id",
        CSG_MEMBERSHIP_INDICATION = 197 => "csg_membership_indication",
        APN_AMBR = 198 => "apn_ambr",
        UE_NETWORK_CAPABILITY = 199 => "ue_network_capability",
        UE_AMBR = 200 => "ue_ambr",
        APN_AMBR_WITH_NSAPI = 201 => "apn_ambr_with_nsapi",
        GGSN_BACK_OFF_TIME = 202 => "ggsn_back_off_time",
        SIGNALLING_PRIORITY_INDICATION = 203 => "signalling_priority_indication",
        SIGNALLING_PRIORITY_INDICATION_WITH_NSAPI = 204 => "signalling_priority_indication_with_nsapi",
        HIGHER_BITRATES_THAN_16MBPS_FLAG = 205 => "higher_bitrates_than_16mbps_flag",
        ADDITIONAL_MM_CONTEXT_FOR_SRVCC = 207 => "additional_mm_context_for_srvcc",
        ADDITIONAL_FLAGS_FOR_SRVCC = 208 => "additional_flags_for_srvcc",
        STN_SR = 209 => "stn_sr",
        C_MSISDN = 210 => "c_msisdn",
        EXTENDED_RANAP_CAUSE = 211 => "extended_ranap_cause",
        ENODEB_ID = 212 => "enodeb_id",
        SELECTION_MODE_WITH_NSAPI = 213 => "selection_mode_with_nsapi",
        ULI_TIMESTAMP = 214 => "uli_timestamp",
        LHN_ID_WITH_NSAPI = 215 => "lhn_id_with_nsapi",
        CN_OPERATOR_SELECTION_ENTITY = 216 => "cn_operator_selection_entity",
        UE_USAGE_TYPE = 217 => "ue_usage_type",
        EXTENDED_COMMON_FLAGS_II = 218 => "extended_common_flags_ii",
        NODE_IDENTIFIER = 219 => "node_identifier",
        CIOT_OPTIMIZATIONS_SUPPORT_INDICATION = 220 => "ciot_optimizations_support_indication",
        SCEF_PDN_CONNECTION = 221 => "scef_pdn_connection",
        IOV_UPDATES_COUNTER = 222 => "iov_updates_counter",
        MAPPED_UE_USAGE_TYPE = 223 => "mapped_ue_usage_type",
        UP_FUNCTION_SELECTION_INDICATION_FLAGS = 224 => "up_function_selection_indication_flags",
        IE_TYPE_EXTENSION = 238 => "ie_type_extension",
        SEQUENCE_NUMBERS_OF_RELEASED_PACKETS = 249 => "sequence_numbers_of_released_packets",
        SEQUENCE_NUMBERS_OF_CANCELLED_PACKETS = 250 => "sequence_numbers_of_cancelled_packets",
        CHARGING_GATEWAY_ADDRESS = 251 => "charging_gateway_address",
        DATA_RECORD_PACKET = 252 => "data_record_packet",
        REQUESTS_RESPONDED = 253 => "requests_responded",
        ADDRESS_OF_RECOMMENDED_NODE = 254 => "address_of_recommended_node",
        PRIVATE_EXTENSION = 255 => "private_extension",
    }
}

/// One GTPv1 IE (TV or TLV), borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ie<'a> {
    /// IE type.
    pub ie_type: IeType,
    /// Offset of the type octet within the datagram.
    pub offset: usize,
    /// Value bytes (without type and length).
    pub value: &'a [u8],
    /// TLV (type >= 128) rather than TV.
    pub tlv: bool,
    /// The numbering it was read with: GTPv1, GTP' or GTPv0 (for [`Ie::name`], [`Ie::decode`]).
    pub table: TvTable,
}

/// Iterator over GTPv1 (or GTP' / GTPv0) IEs; stops after the first error.
#[derive(Clone, Debug)]
pub struct IeIter<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    table: TvTable,
    count: usize,
    done: bool,
}

impl<'a> IeIter<'a> {
    /// Walk `data` (IE bytes) whose first byte is at `base` within the datagram.
    pub const fn new(data: &'a [u8], base: usize, table: TvTable) -> Self {
        IeIter {
            data,
            pos: 0,
            base,
            table,
            count: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for IeIter<'a> {
    type Item = Result<Ie<'a>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        let (&t, tail) = rest.split_first()?;
        let off = self.base + self.pos;
        if self.count >= MAX_IES {
            self.done = true;
            return Some(Err(Error::Limit {
                layer: L,
                what: "IEs per message",
                limit: MAX_IES,
                offset: off,
            }));
        }
        self.count += 1;
        let (len, hdr) = if t == IeType::EXTENSION_HEADER_TYPE_LIST.0 {
            match tail.first() {
                Some(&l) => (usize::from(l), 2),
                None => {
                    self.done = true;
                    return Some(Err(Error::len(L, 2, rest.len(), off)));
                }
            }
        } else if t >= 128 {
            match be_u16(tail, 0, L) {
                Ok(l) => (usize::from(l), 3),
                Err(_) => {
                    self.done = true;
                    return Some(Err(Error::len(L, 3, rest.len(), off)));
                }
            }
        } else {
            match self.table.tv_len(t) {
                Some(l) => (l, 1),
                None => {
                    self.done = true;
                    return Some(Err(Error::value(
                        L,
                        "unassigned TV IE type",
                        u64::from(t),
                        off,
                    )));
                }
            }
        };
        match rest.get(hdr..hdr + len) {
            Some(value) => {
                self.pos += hdr + len;
                Some(Ok(Ie {
                    ie_type: IeType(t),
                    offset: off,
                    value,
                    tlv: t >= 128,
                    table: self.table,
                }))
            }
            None => {
                self.done = true;
                Some(Err(Error::len(L, hdr + len, rest.len(), off)))
            }
        }
    }
}
