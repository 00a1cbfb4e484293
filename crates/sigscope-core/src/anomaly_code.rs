//! The catalogue of anomaly codes: one [`AnomalyCode`] per stable snake_case name.
//!
//! Every [`Anomaly`](crate::Anomaly) carries one of these. The name ([`AnomalyCode::as_str`])
//! is what output prints and what users write rules against; it never changes once published.
//! A name retired when two drifted spellings were unified is still read by
//! [`AnomalyCode::from_name`] (see [`AnomalyCode::ALIASES`]). The variant is always the
//! UpperCamelCase of the name (`"not_gtp"` is [`AnomalyCode::NotGtp`]). `docs/anomalies.md`
//! lists every code with the layers that raise it; a test keeps the two in step.

use core::fmt;

macro_rules! catalogue {
    ($($(#[doc = $doc:literal])+ $variant:ident = $name:literal,)+) => {
        /// A stable anomaly code (see the [module](self) documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum AnomalyCode {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl AnomalyCode {
            /// Every code, in name order.
            pub const ALL: &'static [AnomalyCode] = &[$(AnomalyCode::$variant,)+];

            /// The stable snake_case name (what output prints).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(AnomalyCode::$variant => $name,)+
                }
            }

            /// The code with this name, or with this retired alias; `None` for anything else.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(AnomalyCode::$variant),)+
                    _ => Self::ALIASES
                        .iter()
                        .find(|(alias, _)| *alias == name)
                        .map(|&(_, code)| code),
                }
            }
        }
    };
}

catalogue! {
    /// A dialogue response (AARE) carries no result.
    AareResultMissing = "aare_result_missing",
    /// The application context name is not an object identifier.
    AcnInvalid = "acn_invalid",
    /// A dialogue PDU carries no application context name.
    AcnMissing = "acn_missing",
    /// The MAP application context is not one TS 29.002 assigns; decoded best-effort.
    AcnUnknown = "acn_unknown",
    /// TS 29.002 does not define this application context in this version.
    AcnVersionUndefined = "acn_version_undefined",
    /// An SCCP address parameter has length 0.
    AddressEmpty = "address_empty",
    /// A MAP address string is not 1-20 octets.
    AddressLengthInvalid = "address_length_invalid",
    /// Octets follow an SCCP address that has no global title.
    AddressTrailingOctets = "address_trailing_octets",
    /// The address indicator announces a point code or SSN that is not there.
    AddressTruncated = "address_truncated",
    /// More anomalies (or incomplete messages) than one record keeps; the rest were counted, not listed.
    AnomaliesDropped = "anomalies_dropped",
    /// An ANSI TCAP dialogue portion was kept raw, not decoded.
    AnsiDialogueNotDecoded = "ansi_dialogue_not_decoded",
    /// The SCTP CRC32c does not match the packet.
    BadChecksum = "bad_checksum",
    /// A TCAP transaction, package or dialogue portion breaks BER.
    BerInvalid = "ber_invalid",
    /// A BER length runs past the end of the TCAP data.
    BerLengthOverrun = "ber_length_overrun",
    /// A cell or area identity has the wrong length.
    CellIdLengthInvalid = "cell_id_length_invalid",
    /// An SCTP chunk length runs past the end of the packet.
    ChunkTruncated = "chunk_truncated",
    /// A TCAP component breaks BER or Q.773 structure.
    ComponentInvalid = "component_invalid",
    /// A TCAP Abort carries a component portion.
    ComponentsInAbort = "components_in_abort",
    /// An SCTP DATA chunk carries no user data.
    DataChunkEmpty = "data_chunk_empty",
    /// An SCTP DATA chunk is shorter than its header.
    DataChunkShort = "data_chunk_short",
    /// IP fragments contradict each other or exceed 64 KiB; the datagram was dropped.
    DefragError = "defrag_error",
    /// The IP reassembly bound was reached; the oldest unfinished datagram was dropped.
    DefragEvicted = "defrag_evicted",
    /// An IP datagram was still incomplete at the end of the input.
    DefragIncomplete = "defrag_incomplete",
    /// An IP datagram never completed within the reassembly timeout.
    DefragTimeout = "defrag_timeout",
    /// A dialogue PDU holds an element it does not define.
    DialogueElementUnexpected = "dialogue_element_unexpected",
    /// The dialogue EXTERNAL uses an encoding other than single-ASN1-type.
    DialogueEncodingUnsupported = "dialogue_encoding_unsupported",
    /// The dialogue portion does not hold an EXTERNAL.
    DialogueNotExternal = "dialogue_not_external",
    /// The dialogue portion holds an unknown dialogue PDU.
    DialoguePduUnknown = "dialogue_pdu_unknown",
    /// The MAP dialogue PDU in the user information breaks BER.
    DialogueUserInfoInvalid = "dialogue_user_info_invalid",
    /// A digit string is longer than the digits kept (MAX_DIGITS).
    DigitsTruncated = "digits_truncated",
    /// A TCAP message that requires a destination transaction id has none.
    DtidMissing = "dtid_missing",
    /// An SCTP fragment was seen twice (retransmission).
    DuplicateFragment = "duplicate_fragment",
    /// A GTP IE that may not repeat appears again.
    DuplicateIe = "duplicate_ie",
    /// A SIGTRAN parameter is repeated.
    DuplicateParameter = "duplicate_parameter",
    /// A GTP request was repeated (before or after it was answered).
    DuplicateRequest = "duplicate_request",
    /// A second GTP response to one request.
    DuplicateResponse = "duplicate_response",
    /// A GTP Echo carries an IE other than Recovery, Node Features or Private Extension.
    EchoUnexpectedIe = "echo_unexpected_ie",
    /// A TCAP Return Error has no error code.
    ErrorCodeMissing = "error_code_missing",
    /// The GTPv1 extension header chain is malformed.
    ExtHeaderMalformed = "ext_header_malformed",
    /// An unknown GTPv1 extension header that must be understood.
    ExtHeaderUnknownRequired = "ext_header_unknown_required",
    /// A filler nibble 0xF appears before the end of a digit string.
    FillerInsideDigits = "filler_inside_digits",
    /// GTPv2 grouped IEs are nested deeper than MAX_GROUP_DEPTH.
    GroupDepthExceeded = "group_depth_exceeded",
    /// The SUA global title announces more digits than it holds.
    GtDigitCountExceedsData = "gt_digit_count_exceeds_data",
    /// A global title has more digits than any numbering plan or translation table.
    GtDigitsTooLong = "gt_digits_too_long",
    /// A global title is longer than the digits kept.
    GtDigitsTruncated = "gt_digits_truncated",
    /// The global title encoding scheme is not BCD.
    GtEncodingNotBcd = "gt_encoding_not_bcd",
    /// The filler nibble of an odd-length global title is not 0.
    GtFillerNotZero = "gt_filler_not_zero",
    /// The global title indicator is a reserved value.
    GtIndicatorReserved = "gt_indicator_reserved",
    /// A global title address signal is not a digit 0-9.
    GtNonDigitSignal = "gt_non_digit_signal",
    /// An SUA global title parameter is too short.
    GtShort = "gt_short",
    /// Spare bit 8 of the global title nature-of-address octet is set.
    GtSpareBitSet = "gt_spare_bit_set",
    /// The global title header is longer than the address.
    GtTruncated = "gt_truncated",
    /// A global title has no address signals.
    GtWithoutDigits = "gt_without_digits",
    /// GTP is tunnelled inside GTP-U.
    GtpInGtpu = "gtp_in_gtpu",
    /// GTP recognised by its header on a non-GTP port.
    GtpOnNonstandardPort = "gtp_on_nonstandard_port",
    /// A GTP version on a port that belongs to another (GTP'/GTPv0 on GTP-C/U, GTPv1/v2 on GTP').
    GtpVersionPortMismatch = "gtp_version_port_mismatch",
    /// GTP-C on the GTP-U port.
    GtpcOnUserPort = "gtpc_on_user_port",
    /// GTP-U on the GTP-C port.
    GtpuOnControlPort = "gtpu_on_control_port",
    /// The GTP length field disagrees with the datagram or the header.
    HeaderLengthMismatch = "header_length_mismatch",
    /// The datagram ends inside the GTP (optional) header.
    HeaderTruncated = "header_truncated",
    /// An SCTP HEARTBEAT (ACK) carries information longer than any stack sends.
    HeartbeatInfoLong = "heartbeat_info_long",
    /// The SCCP hop counter is outside 1-15.
    HopCounterInvalid = "hop_counter_invalid",
    /// A TBCD identity has a length TS 29.002 does not allow.
    IdentityLengthInvalid = "identity_length_invalid",
    /// The GTP IE walk stopped at a limit.
    IeLimitReached = "ie_limit_reached",
    /// A GTP IE value does not decode.
    IeMalformed = "ie_malformed",
    /// GTPv1 IE types are not in ascending order.
    IeOutOfOrder = "ie_out_of_order",
    /// GTPv2 IE spare (CR) bits are set.
    IeSpareBitsSet = "ie_spare_bits_set",
    /// The GTP IE walk stopped at an IE that runs past the data.
    IeTruncated = "ie_truncated",
    /// An M3UA INFO String is not UTF-8 text.
    InfoStringNotUtf8 = "info_string_not_utf8",
    /// An M3UA INFO String is longer than 255 octets.
    InfoStringTooLong = "info_string_too_long",
    /// A field holds a value that makes the rest undecodable (from a decode error).
    InvalidValue = "invalid_value",
    /// A TCAP component that needs an invoke id has none.
    InvokeIdMissing = "invoke_id_missing",
    /// The SIGTRAN message length runs beyond the data.
    LengthExceedsData = "length_exceeds_data",
    /// The SIGTRAN message length is below the header size.
    LengthTooSmall = "length_too_small",
    /// The MTP2 length indicator is larger than the data.
    LiExceedsData = "li_exceeds_data",
    /// The MTP2 length indicator is smaller than the data.
    LiMismatch = "li_mismatch",
    /// A nesting or count limit was reached (from a decode error).
    LimitReached = "limit_reached",
    /// An LMSI is not 4 octets.
    LmsiLengthInvalid = "lmsi_length_invalid",
    /// The IP/UDP packet is malformed.
    MalformedPacket = "malformed_packet",
    /// A mandatory GTP IE is missing.
    MandatoryIeMissing = "mandatory_ie_missing",
    /// A connectionless SUA message has no Data parameter.
    MissingData = "missing_data",
    /// A DATA message has no Protocol Data.
    MissingProtocolData = "missing_protocol_data",
    /// The MPLS payload is neither IP nor a pseudowire.
    MplsPayloadUnknown = "mpls_payload_unknown",
    /// The MPLS label stack is too deep.
    MplsTooManyLabels = "mpls_too_many_labels",
    /// The MPLS label stack runs past the frame.
    MplsTruncated = "mpls_truncated",
    /// A MAP parameter is nested deeper than MAX_NESTING.
    NestingLimit = "nesting_limit",
    /// A digit string holds a nibble 0xA-0xE.
    NonDigitNibble = "non_digit_nibble",
    /// Traffic on a GTP port is not GTP.
    NotGtp = "not_gtp",
    /// An object identifier longer, or with an arc wider, than any assigned.
    OidOutOfRange = "oid_out_of_range",
    /// A TCAP Invoke has no operation code.
    OpcodeMissing = "opcode_missing",
    /// A MAP parameter without an operation code to decode it by.
    OpcodeUnknown = "opcode_unknown",
    /// Too many SCCP optional parameters.
    OptionalLimit = "optional_limit",
    /// An SCCP optional parameter runs past the message.
    OptionalOverrun = "optional_overrun",
    /// An optional parameter not defined for this SCCP message.
    OptionalParameterUnexpected = "optional_parameter_unexpected",
    /// An SCCP optional part without end-of-optional-parameters.
    OptionalWithoutEnd = "optional_without_end",
    /// A TCAP message that requires an originating transaction id has none.
    OtidMissing = "otid_missing",
    /// An SCTP fragment arrived out of TSN order.
    OutOfOrderFragment = "out_of_order_fragment",
    /// An SCTP PAD chunk whose padding is not zeros.
    PadChunkData = "pad_chunk_data",
    /// A parameter length does not fit its tag.
    ParameterLengthInvalid = "parameter_length_invalid",
    /// An SCCP parameter runs past the end of the message.
    ParameterOverrun = "parameter_overrun",
    /// A SIGTRAN parameter length runs past the end of the message.
    ParameterTruncated = "parameter_truncated",
    /// A MAP parameter is not BER or not of the operation's type.
    ParameterUndecodable = "parameter_undecodable",
    /// A piggybacked GTPv2 message does not parse.
    PiggybackMalformed = "piggyback_malformed",
    /// The GTPv2 P flag is set but nothing follows.
    PiggybackMissing = "piggyback_missing",
    /// A piggybacked GTPv2 message itself has the P flag set.
    PiggybackNested = "piggyback_nested",
    /// Piggybacking on a GTPv2 message that may not carry one.
    PiggybackNotAllowed = "piggyback_not_allowed",
    /// An SCCP pointer or length indicator points beyond the message.
    PointerOutOfRange = "pointer_out_of_range",
    /// A mandatory SCCP parameter pointer is 0.
    PointerZero = "pointer_zero",
    /// The SCTP PPID is in the wrong byte order; the layer was chosen by port.
    PpidByteSwapped = "ppid_byte_swapped",
    /// The SCTP PPID names no SIGTRAN layer; the layer was chosen by port.
    PpidNotSigtran = "ppid_not_sigtran",
    /// The SCTP PPID of another protocol (H.248, Diameter, S1AP, ...) on a SIGTRAN port: not
    /// decoded.
    PpidOtherProtocol = "ppid_other_protocol",
    /// An SCTP PPID that no protocol is assigned, on no SIGTRAN port: the payload is opaque.
    PpidUnassigned = "ppid_unassigned",
    /// A TCAP Reject has no problem code.
    ProblemMissing = "problem_missing",
    /// The SCCP protocol class is above 3.
    ProtocolClassInvalid = "protocol_class_invalid",
    /// M3UA Protocol Data is shorter than 12 bytes.
    ProtocolDataShort = "protocol_data_short",
    /// A GTPv1 header with PT=0 (GTP').
    ProtocolTypeMismatch = "protocol_type_mismatch",
    /// A fragmented SCTP message was still incomplete at the end of the input.
    ReassemblyIncomplete = "reassembly_incomplete",
    /// A fragmented message exceeds the reassembly limits.
    ReassemblyLimit = "reassembly_limit",
    /// Too many SCTP messages under reassembly.
    ReassemblyTableFull = "reassembly_table_full",
    /// A fragmented SCTP message never completed.
    ReassemblyTimeout = "reassembly_timeout",
    /// Spare or reserved bits (or a reserved octet) that must hold a fixed value do not.
    ReservedBitSet = "reserved_bit_set",
    /// A GTP response or acknowledge type does not complete the request type.
    ResponseTypeMismatch = "response_type_mismatch",
    /// An SCCP address routes on GT but has no global title.
    RouteOnGtWithoutGt = "route_on_gt_without_gt",
    /// An SCCP address routes on SSN but has no SSN.
    RouteOnSsnWithoutSsn = "route_on_ssn_without_ssn",
    /// User data to or from a TCAP subsystem is not TCAP.
    SccpDataNotTcap = "sccp_data_not_tcap",
    /// An SCCP management message is too short.
    ScmgTruncated = "scmg_truncated",
    /// An SCCP segment was received twice.
    SegmentDuplicate = "segment_duplicate",
    /// One origin holds more segmented SCCP messages open at once than a stack sends, or
    /// opens another after leaving many incomplete and completing none (reassembly-buffer
    /// exhaustion).
    SegmentFlood = "segment_flood",
    /// A segmented SCCP message never completed.
    SegmentIncomplete = "segment_incomplete",
    /// An SCCP segment contradicts the count the first segment announced, or is a later
    /// segment of a reference another calling party holds open (spliced into its message).
    SegmentInconsistent = "segment_inconsistent",
    /// An SCCP segment arrived out of sequence.
    SegmentOutOfOrder = "segment_out_of_order",
    /// Spare bits 6-5 of the SCCP segmentation parameter are set.
    SegmentationSpareBits = "segmentation_spare_bits",
    /// A TP address is longer than 20 semi-octets.
    SmsAddressLengthInvalid = "sms_address_length_invalid",
    /// A concatenated-SMS part was seen twice.
    SmsConcatDuplicate = "sms_concat_duplicate",
    /// The concatenated-SMS table or byte budget is full.
    SmsConcatFull = "sms_concat_full",
    /// A concatenated-SMS part number is outside 1..total.
    SmsConcatInvalid = "sms_concat_invalid",
    /// A concatenated SMS was incomplete at the timeout.
    SmsConcatTimeout = "sms_concat_timeout",
    /// The SMS message type indicator is 3 (reserved).
    SmsMtiReserved = "sms_mti_reserved",
    /// Octets follow the SMS TPDU.
    SmsTrailingOctets = "sms_trailing_octets",
    /// The SMS TPDU ends inside a field.
    SmsTruncated = "sms_truncated",
    /// The SMS user data header overruns itself or the user data.
    SmsUdhInvalid = "sms_udh_invalid",
    /// TP-UDL says more than the TPDU holds.
    SmsUdlExceedsData = "sms_udl_exceeds_data",
    /// A TCP stream carrying GTP' lost octets (a segment missing or out of order): what was
    /// held of the message the gap cut is dropped, and the stream is read afresh.
    StreamGap = "stream_gap",
    /// A MAP TBCD identity or address holds a nibble 0xA-0xE.
    TbcdNonDigit = "tbcd_non_digit",
    /// A TCAP Begin reuses the id of an open transaction.
    TcapDuplicateBegin = "tcap_duplicate_begin",
    /// More outstanding invokes in one transaction than are tracked.
    TcapInvokesFull = "tcap_invokes_full",
    /// A TCAP package tag whose contents break Q.773.
    TcapMalformed = "tcap_malformed",
    /// A TCAP response for which no transaction is open.
    TcapResponseWithoutRequest = "tcap_response_without_request",
    /// A TCAP result for an invoke id never seen.
    TcapResultWithoutInvoke = "tcap_result_without_invoke",
    /// A TCAP transaction had no answer before the timeout.
    TcapTransactionTimeout = "tcap_transaction_timeout",
    /// The TCAP transaction table is full; the oldest was forgotten.
    TcapTransactionsFull = "tcap_transactions_full",
    /// The GTPv2 T flag is clear on a message that carries a TEID.
    TeidFlagMissing = "teid_flag_missing",
    /// The GTPv2 T flag is set on a message without TEID.
    TeidFlagUnexpected = "teid_flag_unexpected",
    /// A TCAP transaction id has a length the variant does not allow.
    TidLengthInvalid = "tid_length_invalid",
    /// A transaction id in a TCAP message type that allows none.
    TidUnexpected = "tid_unexpected",
    /// A G-PDU payload is not an IPv4/IPv6 packet.
    TpduNotIp = "tpdu_not_ip",
    /// Bytes follow the end of the message, parameter or chunk that its length announces.
    TrailingBytes = "trailing_bytes",
    /// The input ends before a length field or fixed layout says it should.
    Truncated = "truncated",
    /// The message type (or class/type) is not assigned.
    UnassignedMessageType = "unassigned_message_type",
    /// The M2PA message class is not 11.
    UnexpectedClass = "unexpected_class",
    /// An unexpected element in the TCAP transaction portion or ANSI package.
    UnexpectedElement = "unexpected_element",
    /// A GTP Version Not Supported message carries IEs.
    UnexpectedIe = "unexpected_ie",
    /// A SIGTRAN parameter where it is not allowed.
    UnexpectedParameter = "unexpected_parameter",
    /// A MAP element not in the operation's layout.
    UnexpectedTag = "unexpected_tag",
    /// The loopback address family is not IP.
    UnknownAddressFamily = "unknown_address_family",
    /// An unassigned SCTP chunk type.
    UnknownChunkType = "unknown_chunk_type",
    /// An element in the TCAP component portion is not a component.
    UnknownComponent = "unknown_component",
    /// An M3UA Error Code that is not assigned.
    UnknownErrorCode = "unknown_error_code",
    /// A MAP operation code not in TS 29.002 for this version.
    UnknownOperation = "unknown_operation",
    /// An unassigned SIGTRAN parameter tag.
    UnknownParameter = "unknown_parameter",
    /// An unassigned M3UA Status Type / Status Information.
    UnknownStatus = "unknown_status",
    /// An unassigned M3UA Traffic Mode Type.
    UnknownTrafficMode = "unknown_traffic_mode",
    /// A GTPv1 TV IE of unknown type stops the IE walk.
    UnknownTvIe = "unknown_tv_ie",
    /// The SIGTRAN common header version is not 1.
    UnknownVersion = "unknown_version",
    /// A GTP response with no request seen.
    UnmatchedResponse = "unmatched_response",
    /// The capture link type is not decoded.
    UnsupportedLinktype = "unsupported_linktype",
    /// The GTP'/GTPv0 version is above 2.
    UnsupportedVersion = "unsupported_version",
    /// SCCP user data (one LUDT's, or a segmented message's once reassembled) longer than
    /// the 3,952 octets SCCP carries (Q.713 3.20; Q.752 7.14 "too large for segmentation").
    UserDataTooLong = "user_data_too_long",
    /// The SCTP checksum field is zero (not verified).
    ZeroChecksum = "zero_checksum",
}

impl AnomalyCode {
    /// Retired names, each with the code it was unified into; [`AnomalyCode::from_name`]
    /// still accepts them (for rules and records written before the unification).
    pub const ALIASES: &'static [(&'static str, AnomalyCode)] = &[
        ("bad_parameter_length", AnomalyCode::ParameterLengthInvalid),
        ("reserved_nonzero", AnomalyCode::ReservedBitSet),
        ("spare_bits_set", AnomalyCode::ReservedBitSet),
        ("trailing_octets", AnomalyCode::TrailingBytes),
        ("unknown_message_type", AnomalyCode::UnassignedMessageType),
    ];
}

impl fmt::Display for AnomalyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::AnomalyCode;
    use std::collections::BTreeSet;

    fn upper_camel(name: &str) -> String {
        name.split('_')
            .map(|p| {
                let mut c = p.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn names_are_unique_snake_case_and_round_trip() {
        let mut seen = BTreeSet::new();
        for &c in AnomalyCode::ALL {
            let n = c.as_str();
            assert!(seen.insert(n), "duplicate name {n}");
            assert!(
                n.starts_with(|ch: char| ch.is_ascii_lowercase())
                    && !n.ends_with('_')
                    && !n.contains("__")
                    && n.chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
                "not snake_case: {n}"
            );
            assert_eq!(AnomalyCode::from_name(n), Some(c));
            assert_eq!(c.to_string(), n);
            // the naming rule: the variant is the UpperCamelCase of the name
            assert_eq!(format!("{c:?}"), upper_camel(n));
        }
        let mut sorted = AnomalyCode::ALL.to_vec();
        sorted.sort();
        assert_eq!(sorted, AnomalyCode::ALL, "ALL is in declaration order");
        assert!(AnomalyCode::ALL
            .windows(2)
            .all(|w| w[0].as_str() < w[1].as_str()));
        assert_eq!(AnomalyCode::from_name("no_such_code"), None);
        assert_eq!(AnomalyCode::from_name(""), None);
    }

    #[test]
    fn aliases_resolve_to_other_codes() {
        for &(alias, code) in AnomalyCode::ALIASES {
            assert!(
                AnomalyCode::ALL.iter().all(|c| c.as_str() != alias),
                "{alias} is still a printed name"
            );
            assert_eq!(AnomalyCode::from_name(alias), Some(code));
        }
        assert_eq!(
            AnomalyCode::from_name("trailing_octets"),
            Some(AnomalyCode::TrailingBytes)
        );
    }

    /// `docs/anomalies.md` lists every code exactly once, and nothing else.
    #[test]
    fn docs_table_matches_catalogue() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/anomalies.md");
        let text = std::fs::read_to_string(path).expect("docs/anomalies.md");
        let (codes, retired) = text
            .split_once("## Retired names")
            .expect("a Retired names section");
        let first_cell = |line: &str| -> Option<String> {
            let cell = line.strip_prefix('|')?.split('|').next()?.trim();
            Some(cell.strip_prefix('`')?.strip_suffix('`')?.to_string())
        };
        let mut in_table = BTreeSet::new();
        for name in codes.lines().filter_map(first_cell) {
            assert!(
                AnomalyCode::ALL.iter().any(|c| c.as_str() == name),
                "docs/anomalies.md lists {name}, which is not a code"
            );
            assert!(in_table.insert(name.clone()), "{name} listed twice");
        }
        for c in AnomalyCode::ALL {
            assert!(
                in_table.contains(c.as_str()),
                "{} missing from docs/anomalies.md",
                c.as_str()
            );
        }
        let aliases: BTreeSet<String> = retired.lines().filter_map(first_cell).collect();
        let known: BTreeSet<String> = AnomalyCode::ALIASES
            .iter()
            .map(|(a, _)| a.to_string())
            .collect();
        assert_eq!(aliases, known, "retired names in docs/anomalies.md");
    }
}
