//! Catalogues of 3GPP TS 29.002: operation codes (with the MAP v1 names where they differ),
//! error codes, and application contexts (`0.4.0.0.1.0.<ac>.<version>`) with their versions.

use sigscope_core::open_enum;
use sigscope_core::AnomalyCode;

open_enum! {
    /// MAP operation code (TS 29.002 clause 17.5, the `localValue` of the TCAP operation).
    /// Names are those of the current release; [`OpCode::name_for_version`] gives the MAP v1
    /// (GSM 09.02 phase 1) names where they differ.
    pub struct OpCode(u8) {
        UPDATE_LOCATION = 2 => "updateLocation",
        CANCEL_LOCATION = 3 => "cancelLocation",
        PROVIDE_ROAMING_NUMBER = 4 => "provideRoamingNumber",
        NOTE_SUBSCRIBER_DATA_MODIFIED = 5 => "noteSubscriberDataModified",
        RESUME_CALL_HANDLING = 6 => "resumeCallHandling",
        INSERT_SUBSCRIBER_DATA = 7 => "insertSubscriberData",
        DELETE_SUBSCRIBER_DATA = 8 => "deleteSubscriberData",
        SEND_PARAMETERS = 9 => "sendParameters",
        REGISTER_SS = 10 => "registerSS",
        ERASE_SS = 11 => "eraseSS",
        ACTIVATE_SS = 12 => "activateSS",
        DEACTIVATE_SS = 13 => "deactivateSS",
        INTERROGATE_SS = 14 => "interrogateSS",
        AUTHENTICATION_FAILURE_REPORT = 15 => "authenticationFailureReport",
        NOTIFY_SS = 16 => "notifySS",
        REGISTER_PASSWORD = 17 => "registerPassword",
        GET_PASSWORD = 18 => "getPassword",
        PROCESS_UNSTRUCTURED_SS_DATA = 19 => "processUnstructuredSS-Data",
        RELEASE_RESOURCES = 20 => "releaseResources",
        MT_FORWARD_SM_VGCS = 21 => "mt-ForwardSM-VGCS",
        SEND_ROUTING_INFO = 22 => "sendRoutingInfo",
        UPDATE_GPRS_LOCATION = 23 => "updateGprsLocation",
        SEND_ROUTING_INFO_FOR_GPRS = 24 => "sendRoutingInfoForGprs",
        FAILURE_REPORT = 25 => "failureReport",
        NOTE_MS_PRESENT_FOR_GPRS = 26 => "noteMsPresentForGprs",
        PERFORM_HANDOVER = 28 => "performHandover",
        SEND_END_SIGNAL = 29 => "sendEndSignal",
        PERFORM_SUBSEQUENT_HANDOVER = 30 => "performSubsequentHandover",
        PROVIDE_SIWFS_NUMBER = 31 => "provideSIWFSNumber",
        SIWFS_SIGNALLING_MODIFY = 32 => "sIWFSSignallingModify",
        PROCESS_ACCESS_SIGNALLING = 33 => "processAccessSignalling",
        FORWARD_ACCESS_SIGNALLING = 34 => "forwardAccessSignalling",
        NOTE_INTERNAL_HANDOVER = 35 => "noteInternalHandover",
        CANCEL_VCSG_LOCATION = 36 => "cancelVcsgLocation",
        RESET = 37 => "reset",
        FORWARD_CHECK_SS_INDICATION = 38 => "forwardCheckSS-Indication",
        PREPARE_GROUP_CALL = 39 => "prepareGroupCall",
        SEND_GROUP_CALL_END_SIGNAL = 40 => "sendGroupCallEndSignal",
        PROCESS_GROUP_CALL_SIGNALLING = 41 => "processGroupCallSignalling",
        FORWARD_GROUP_CALL_SIGNALLING = 42 => "forwardGroupCallSignalling",
        CHECK_IMEI = 43 => "checkIMEI",
        MT_FORWARD_SM = 44 => "mt-forwardSM",
        SEND_ROUTING_INFO_FOR_SM = 45 => "sendRoutingInfoForSM",
        MO_FORWARD_SM = 46 => "mo-forwardSM",
        REPORT_SM_DELIVERY_STATUS = 47 => "reportSM-DeliveryStatus",
        NOTE_SUBSCRIBER_PRESENT = 48 => "noteSubscriberPresent",
        ALERT_SERVICE_CENTRE_WITHOUT_RESULT = 49 => "alertServiceCentreWithoutResult",
        ACTIVATE_TRACE_MODE = 50 => "activateTraceMode",
        DEACTIVATE_TRACE_MODE = 51 => "deactivateTraceMode",
        TRACE_SUBSCRIBER_ACTIVITY = 52 => "traceSubscriberActivity",
        UPDATE_VCSG_LOCATION = 53 => "updateVcsgLocation",
        BEGIN_SUBSCRIBER_ACTIVITY = 54 => "beginSubscriberActivity",
        SEND_IDENTIFICATION = 55 => "sendIdentification",
        SEND_AUTHENTICATION_INFO = 56 => "sendAuthenticationInfo",
        RESTORE_DATA = 57 => "restoreData",
        SEND_IMSI = 58 => "sendIMSI",
        PROCESS_UNSTRUCTURED_SS_REQUEST = 59 => "processUnstructuredSS-Request",
        UNSTRUCTURED_SS_REQUEST = 60 => "unstructuredSS-Request",
        UNSTRUCTURED_SS_NOTIFY = 61 => "unstructuredSS-Notify",
        ANY_TIME_SUBSCRIPTION_INTERROGATION = 62 => "anyTimeSubscriptionInterrogation",
        INFORM_SERVICE_CENTRE = 63 => "informServiceCentre",
        ALERT_SERVICE_CENTRE = 64 => "alertServiceCentre",
        ANY_TIME_MODIFICATION = 65 => "anyTimeModification",
        READY_FOR_SM = 66 => "readyForSM",
        PURGE_MS = 67 => "purgeMS",
        PREPARE_HANDOVER = 68 => "prepareHandover",
        PREPARE_SUBSEQUENT_HANDOVER = 69 => "prepareSubsequentHandover",
        PROVIDE_SUBSCRIBER_INFO = 70 => "provideSubscriberInfo",
        ANY_TIME_INTERROGATION = 71 => "anyTimeInterrogation",
        SS_INVOCATION_NOTIFICATION = 72 => "ss-InvocationNotification",
        SET_REPORTING_STATE = 73 => "setReportingState",
        STATUS_REPORT = 74 => "statusReport",
        REMOTE_USER_FREE = 75 => "remoteUserFree",
        REGISTER_CC_ENTRY = 76 => "registerCC-Entry",
        ERASE_CC_ENTRY = 77 => "eraseCC-Entry",
        SECURE_TRANSPORT_CLASS1 = 78 => "secureTransportClass1",
        SECURE_TRANSPORT_CLASS2 = 79 => "secureTransportClass2",
        SECURE_TRANSPORT_CLASS3 = 80 => "secureTransportClass3",
        SECURE_TRANSPORT_CLASS4 = 81 => "secureTransportClass4",
        PROVIDE_SUBSCRIBER_LOCATION = 83 => "provideSubscriberLocation",
        SEND_GROUP_CALL_INFO = 84 => "sendGroupCallInfo",
        SEND_ROUTING_INFO_FOR_LCS = 85 => "sendRoutingInfoForLCS",
        SUBSCRIBER_LOCATION_REPORT = 86 => "subscriberLocationReport",
        IST_ALERT = 87 => "ist-Alert",
        IST_COMMAND = 88 => "ist-Command",
        NOTE_MM_EVENT = 89 => "noteMM-Event",
        LCS_PERIODIC_LOCATION_CANCELLATION = 109 => "lcs-PeriodicLocationCancellation",
        LCS_LOCATION_UPDATE = 110 => "lcs-LocationUpdate",
        LCS_PERIODIC_LOCATION_REQUEST = 111 => "lcs-PeriodicLocationRequest",
        LCS_AREA_EVENT_CANCELLATION = 112 => "lcs-AreaEventCancellation",
        LCS_AREA_EVENT_REPORT = 113 => "lcs-AreaEventReport",
        LCS_AREA_EVENT_REQUEST = 114 => "lcs-AreaEventRequest",
        LCS_MOLR = 115 => "lcs-MOLR",
        LCS_LOCATION_NOTIFICATION = 116 => "lcs-LocationNotification",
        CALL_DEFLECTION = 117 => "callDeflection",
        USER_USER_SERVICE = 118 => "userUserService",
        ACCESS_REGISTER_CC_ENTRY = 119 => "accessRegisterCCEntry",
        FORWARD_CUG_INFO = 120 => "forwardCUG-Info",
        SPLIT_MPTY = 121 => "splitMPTY",
        RETRIEVE_MPTY = 122 => "retrieveMPTY",
        HOLD_MPTY = 123 => "holdMPTY",
        BUILD_MPTY = 124 => "buildMPTY",
        FORWARD_CHARGE_ADVICE = 125 => "forwardChargeAdvice",
        EXPLICIT_CT = 126 => "explicitCT",
    }
}

impl OpCode {
    /// The operation code of a TCAP local value, when it fits the MAP range (0-255).
    pub fn from_local(v: i64) -> Option<OpCode> {
        u8::try_from(v).ok().map(OpCode)
    }

    /// The name used by MAP application-context `version`: GSM 09.02 phase 1 (v1) and
    /// phase 2 (v2) names where they differ from the current ones, else [`OpCode::name`].
    ///
    /// - v1 and v2: `forwardSM` for 44 and 46 (Wireshark's `gsm_map_V1V2_opr_code_strings`:
    ///   one forwardSM carried both directions before v3 split it into mo-/mt-forwardSM).
    /// - v1 only: the GSM 09.02 phase 1 operations whose codes were later withdrawn or given
    ///   to other operations (the B-interface and phase 1 SS / SMS / handover operations):
    ///   see [`OpCode::v1_name`]. A code without a phase 1 operation (e.g. 29 sendEndSignal,
    ///   unchanged) keeps its current name.
    /// - v2 and later: `None` for a code only phase 1 assigned (1 updateLocationArea, 27
    ///   searchForMobileSubscriber) or that no release assigns.
    pub fn name_for_version(self, version: u8) -> Option<&'static str> {
        match (self.0, version) {
            (44 | 46, 1 | 2) => Some("forwardSM"),
            (_, 1) => self.v1_name().or(self.name()),
            _ => self.name(),
        }
    }

    /// The GSM 09.02 phase 1 (MAP v1) name of a code whose phase 1 operation differs from
    /// the one TS 29.002 names now (by name or by meaning); `None` where phase 1 used the
    /// current name or the code did not exist. Cross-checked against two independent
    /// tables of the phase 1 local values.
    pub const fn v1_name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "updateLocationArea",
            5 => "detachIMSI",
            6 => "attachIMSI",
            15 => "invokeSS",
            16 => "forwardSsNotification",
            20 => "sendInfoForIncomingCall",
            21 => "sendInfoForOutgoingCall",
            23 => "completeCall",
            24 => "connectToFollowingAddress",
            25 => "processCallWaiting",
            26 => "page",
            27 => "searchForMobileSubscriber",
            31 => "allocateHandoverNumber",
            32 => "sendHandoverReport",
            36 => "registerChargingInformation",
            39 => "authenticate",
            40 => "provideIMSI",
            41 => "forwardNewTMSI",
            42 => "setCipheringMode",
            46 => "forwardSM",
            47 => "setMessageWaitingData",
            48 => "noteMSPresent",
            53 => "processAccessRequest",
            _ => return None,
        })
    }

    /// Whether the code's v1 operation is a different operation from the one TS 29.002 now
    /// gives the code (a v1 argument or result must not be read with today's layout). Renamed
    /// operations of the same meaning (forwardSM, setMessageWaitingData, noteMSPresent) are
    /// not counted.
    pub const fn v1_differs(self) -> bool {
        matches!(
            self.0,
            1 | 5 | 6 | 15 | 16 | 20 | 21 | 23..=27 | 31 | 32 | 36 | 39..=42 | 53
        )
    }

    /// Whether the operation exists in MAP v1 only (GSM 09.02 phase 1) and was withdrawn later.
    pub const fn is_v1_only(self) -> bool {
        matches!(self.0, 1 | 9 | 19 | 27 | 28 | 30 | 35 | 48 | 49 | 52 | 54)
    }
}

open_enum! {
    /// MAP error code (TS 29.002 clause 17.6.6, the `localValue` of a TCAP ReturnError).
    pub struct ErrorCode(u8) {
        UNKNOWN_SUBSCRIBER = 1 => "unknownSubscriber",
        UNKNOWN_BASE_STATION = 2 => "unknownBaseStation",
        UNKNOWN_MSC = 3 => "unknownMSC",
        SECURE_TRANSPORT_ERROR = 4 => "secureTransportError",
        UNIDENTIFIED_SUBSCRIBER = 5 => "unidentifiedSubscriber",
        ABSENT_SUBSCRIBER_SM = 6 => "absentSubscriberSM",
        UNKNOWN_EQUIPMENT = 7 => "unknownEquipment",
        ROAMING_NOT_ALLOWED = 8 => "roamingNotAllowed",
        ILLEGAL_SUBSCRIBER = 9 => "illegalSubscriber",
        BEARER_SERVICE_NOT_PROVISIONED = 10 => "bearerServiceNotProvisioned",
        TELESERVICE_NOT_PROVISIONED = 11 => "teleserviceNotProvisioned",
        ILLEGAL_EQUIPMENT = 12 => "illegalEquipment",
        CALL_BARRED = 13 => "callBarred",
        FORWARDING_VIOLATION = 14 => "forwardingViolation",
        CUG_REJECT = 15 => "cug-Reject",
        ILLEGAL_SS_OPERATION = 16 => "illegalSS-Operation",
        SS_ERROR_STATUS = 17 => "ss-ErrorStatus",
        SS_NOT_AVAILABLE = 18 => "ss-NotAvailable",
        SS_SUBSCRIPTION_VIOLATION = 19 => "ss-SubscriptionViolation",
        SS_INCOMPATIBILITY = 20 => "ss-Incompatibility",
        FACILITY_NOT_SUPPORTED = 21 => "facilityNotSupported",
        ONGOING_GROUP_CALL = 22 => "ongoingGroupCall",
        INVALID_TARGET_BASE_STATION = 23 => "invalidTargetBaseStation",
        NO_RADIO_RESOURCE_AVAILABLE = 24 => "noRadioResourceAvailable",
        NO_HANDOVER_NUMBER_AVAILABLE = 25 => "noHandoverNumberAvailable",
        SUBSEQUENT_HANDOVER_FAILURE = 26 => "subsequentHandoverFailure",
        ABSENT_SUBSCRIBER = 27 => "absentSubscriber",
        INCOMPATIBLE_TERMINAL = 28 => "incompatibleTerminal",
        SHORT_TERM_DENIAL = 29 => "shortTermDenial",
        LONG_TERM_DENIAL = 30 => "longTermDenial",
        SUBSCRIBER_BUSY_FOR_MT_SMS = 31 => "subscriberBusyForMT-SMS",
        SM_DELIVERY_FAILURE = 32 => "sm-DeliveryFailure",
        MESSAGE_WAITING_LIST_FULL = 33 => "messageWaitingListFull",
        SYSTEM_FAILURE = 34 => "systemFailure",
        DATA_MISSING = 35 => "dataMissing",
        UNEXPECTED_DATA_VALUE = 36 => "unexpectedDataValue",
        PW_REGISTRATION_FAILURE = 37 => "pw-RegistrationFailure",
        NEGATIVE_PW_CHECK = 38 => "negativePW-Check",
        NO_ROAMING_NUMBER_AVAILABLE = 39 => "noRoamingNumberAvailable",
        TRACING_BUFFER_FULL = 40 => "tracingBufferFull",
        TARGET_CELL_OUTSIDE_GROUP_CALL_AREA = 42 => "targetCellOutsideGroupCallArea",
        NUMBER_OF_PW_ATTEMPTS_VIOLATION = 43 => "numberOfPW-AttemptsViolation",
        NUMBER_CHANGED = 44 => "numberChanged",
        BUSY_SUBSCRIBER = 45 => "busySubscriber",
        NO_SUBSCRIBER_REPLY = 46 => "noSubscriberReply",
        FORWARDING_FAILED = 47 => "forwardingFailed",
        OR_NOT_ALLOWED = 48 => "or-NotAllowed",
        ATI_NOT_ALLOWED = 49 => "ati-NotAllowed",
        NO_GROUP_CALL_NUMBER_AVAILABLE = 50 => "noGroupCallNumberAvailable",
        RESOURCE_LIMITATION = 51 => "resourceLimitation",
        UNAUTHORIZED_REQUESTING_NETWORK = 52 => "unauthorizedRequestingNetwork",
        UNAUTHORIZED_LCS_CLIENT = 53 => "unauthorizedLCSClient",
        POSITION_METHOD_FAILURE = 54 => "positionMethodFailure",
        UNKNOWN_OR_UNREACHABLE_LCS_CLIENT = 58 => "unknownOrUnreachableLCSClient",
        MM_EVENT_NOT_SUPPORTED = 59 => "mm-EventNotSupported",
        ATSI_NOT_ALLOWED = 60 => "atsi-NotAllowed",
        ATM_NOT_ALLOWED = 61 => "atm-NotAllowed",
        INFORMATION_NOT_AVAILABLE = 62 => "informationNotAvailable",
        UNKNOWN_ALPHABET = 71 => "unknownAlphabet",
        USSD_BUSY = 72 => "ussd-Busy",
    }
}

impl ErrorCode {
    /// The error code of a TCAP local value, when it fits (0-255).
    pub fn from_local(v: i64) -> Option<ErrorCode> {
        u8::try_from(v).ok().map(ErrorCode)
    }
}

/// Application context name prefix `{itu-t(0) identified-organization(4) etsi(0)
/// mobileDomain(0) gsm-Network(1) ac-Id(0)}`, as OID content octets.
pub const AC_PREFIX: &[u8] = &[0x04, 0x00, 0x00, 0x01, 0x00];

/// The MAP dialogue abstract syntax `0.4.0.0.1.1.1.1` (map-DialogueAS), content octets.
pub const MAP_DIALOGUE_AS: &[u8] = &[0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01];

open_enum! {
    /// MAP application context (the `<ac>` arc of `0.4.0.0.1.0.<ac>.<version>`).
    pub struct AppContext(u8) {
        NETWORK_LOC_UP = 1 => "networkLocUpContext",
        LOCATION_CANCELLATION = 2 => "locationCancellationContext",
        ROAMING_NUMBER_ENQUIRY = 3 => "roamingNumberEnquiryContext",
        IST_ALERTING = 4 => "istAlertingContext",
        LOCATION_INFO_RETRIEVAL = 5 => "locationInfoRetrievalContext",
        CALL_CONTROL_TRANSFER = 6 => "callControlTransferContext",
        REPORTING = 7 => "reportingContext",
        CALL_COMPLETION = 8 => "callCompletionContext",
        SERVICE_TERMINATION = 9 => "serviceTerminationContext",
        RESET = 10 => "resetContext",
        HANDOVER_CONTROL = 11 => "handoverControlContext",
        SIWFS_ALLOCATION = 12 => "sIWFSAllocationContext",
        EQUIPMENT_MNGT = 13 => "equipmentMngtContext",
        INFO_RETRIEVAL = 14 => "infoRetrievalContext",
        INTER_VLR_INFO_RETRIEVAL = 15 => "interVlrInfoRetrievalContext",
        SUBSCRIBER_DATA_MNGT = 16 => "subscriberDataMngtContext",
        TRACING = 17 => "tracingContext",
        NETWORK_FUNCTIONAL_SS = 18 => "networkFunctionalSsContext",
        NETWORK_UNSTRUCTURED_SS = 19 => "networkUnstructuredSsContext",
        SHORT_MSG_GATEWAY = 20 => "shortMsgGatewayContext",
        SHORT_MSG_MO_RELAY = 21 => "shortMsgMO-RelayContext",
        SUBSCRIBER_DATA_MODIFICATION_NOTIFICATION = 22 => "subscriberDataModificationNotificationContext",
        SHORT_MSG_ALERT = 23 => "shortMsgAlertContext",
        MWD_MNGT = 24 => "mwdMngtContext",
        SHORT_MSG_MT_RELAY = 25 => "shortMsgMT-RelayContext",
        IMSI_RETRIEVAL = 26 => "imsiRetrievalContext",
        MS_PURGING = 27 => "msPurgingContext",
        SUBSCRIBER_INFO_ENQUIRY = 28 => "subscriberInfoEnquiryContext",
        ANY_TIME_INFO_ENQUIRY = 29 => "anyTimeInfoEnquiryContext",
        GROUP_CALL_CONTROL = 31 => "groupCallControlContext",
        GPRS_LOCATION_UPDATE = 32 => "gprsLocationUpdateContext",
        GPRS_LOCATION_INFO_RETRIEVAL = 33 => "gprsLocationInfoRetrievalContext",
        FAILURE_REPORT = 34 => "failureReportContext",
        GPRS_NOTIFY = 35 => "gprsNotifyContext",
        SS_INVOCATION_NOTIFICATION = 36 => "ss-InvocationNotificationContext",
        LOCATION_SVC_GATEWAY = 37 => "locationSvcGatewayContext",
        LOCATION_SVC_ENQUIRY = 38 => "locationSvcEnquiryContext",
        AUTHENTICATION_FAILURE_REPORT = 39 => "authenticationFailureReportContext",
        SECURE_TRANSPORT_HANDLING = 40 => "secureTransportHandlingContext",
        SHORT_MSG_MT_RELAY_VGCS = 41 => "shortMsgMT-Relay-VGCS-Context",
        MM_EVENT_REPORTING = 42 => "mm-EventReportingContext",
        ANY_TIME_INFO_HANDLING = 43 => "anyTimeInfoHandlingContext",
        RESOURCE_MANAGEMENT = 44 => "resourceManagementContext",
        GROUP_CALL_INFO_RETRIEVAL = 45 => "groupCallInfoRetrievalContext",
        VCSG_LOCATION_UPDATE = 46 => "vcsgLocationUpdateContext",
        VCSG_LOCATION_CANCELLATION = 47 => "vcsgLocationCancellationContext",
    }
}

impl AppContext {
    /// The versions TS 29.002 (and GSM 09.02 phases 1-2) define for this context, as an
    /// inclusive range; `None` for an unassigned context.
    pub const fn versions(self) -> Option<(u8, u8)> {
        Some(match self.0 {
            1 | 2 | 3 | 5 | 10 | 11 | 13 | 14 | 16 | 17 | 20 | 21 | 24 => (1, 3),
            18 | 23 => (1, 2),
            19 | 26 => (2, 2),
            15 | 25 | 27 => (2, 3),
            6 | 33 => (3, 4),
            4 | 7 | 8 | 9 | 12 | 22 | 28 | 29 | 31 | 32 | 34..=47 => (3, 3),
            _ => return None,
        })
    }

    /// The v1 name where it differs (`shortMsgRelayContext` for 21).
    pub fn name_for_version(self, version: u8) -> Option<&'static str> {
        match (self.0, version) {
            (21, 1) => Some("shortMsgRelayContext"),
            _ => self.name(),
        }
    }
}

/// A MAP application context name, parsed from its OID content octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Acn {
    /// The context.
    pub context: AppContext,
    /// Its version (1-4).
    pub version: u8,
}

impl Acn {
    /// Parse OID content octets `04 00 00 01 00 <ac> <version>`; `None` when the OID is not a
    /// MAP application context (e.g. CAP's `0.4.0.0.1.21...` or anything else).
    pub fn from_oid(content: &[u8]) -> Option<Acn> {
        match content {
            [0x04, 0x00, 0x00, 0x01, 0x00, ac, v] if *ac < 0x80 && *v < 0x80 => Some(Acn {
                context: AppContext(*ac),
                version: *v,
            }),
            _ => None,
        }
    }

    /// Whether TS 29.002 defines this context in this version.
    pub fn is_defined(&self) -> bool {
        self.context
            .versions()
            .is_some_and(|(lo, hi)| (lo..=hi).contains(&self.version))
    }
}

/// What is odd about the application context name of a MAP dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AcnIssue {
    /// The `<ac>` arc is one TS 29.002 does not assign (and not a CAMEL phase 1/2 context).
    UnknownContext,
    /// A context TS 29.002 assigns, in a version it does not define for it.
    UndefinedVersion,
}

impl AcnIssue {
    /// Stable anomaly code (`acn_unknown`, `acn_version_undefined`).
    pub const fn code(self) -> AnomalyCode {
        match self {
            AcnIssue::UnknownContext => AnomalyCode::AcnUnknown,
            AcnIssue::UndefinedVersion => AnomalyCode::AcnVersionUndefined,
        }
    }

    /// One-line explanation for the anomaly.
    pub const fn detail(self) -> &'static str {
        match self {
            AcnIssue::UnknownContext => {
                "MAP application context not assigned by TS 29.002; decoded best-effort"
            }
            AcnIssue::UndefinedVersion => {
                "TS 29.002 does not define this application context in this version"
            }
        }
    }
}

/// The MAP version a dialogue is decoded with, and what was odd about its ACN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MapVersion {
    /// The version the parameters are decoded with (1-4).
    pub version: u8,
    /// The `<ac>` arc of the ACN (0 without an ACN).
    pub context: u8,
    /// The version arc of the ACN (0 without an ACN).
    pub acn_version: u8,
    /// An ACN that TS 29.002 does not define; the dialogue is still decoded as MAP.
    pub issue: Option<AcnIssue>,
}

/// `<ac>` arcs under the MAP prefix that belong to CAMEL phases 1 and 2 (TS 29.078:
/// `0.4.0.0.1.0.50.0` CAP-v1-gsmSSF-to-gsmSCF, `.50.1` CAP-v2-gsmSSF-to-gsmSCF, `.51.1`
/// assist, `.52.1` gsmSRF-to-gsmSCF), which are not MAP.
pub const CAP_CONTEXTS_UNDER_MAP_PREFIX: core::ops::RangeInclusive<u8> = 50..=52;

/// The MAP version of a dialogue from its ACN: the version arc of a defined MAP application
/// context; 1 when there is no ACN (MAP v1 has no dialogue portion). `None` when the ACN is
/// not MAP's: another prefix, or a CAMEL phase 1/2 context that shares the MAP prefix.
///
/// An ACN with the MAP prefix that TS 29.002 does not define is still MAP, decoded
/// best-effort ([`MapVersion::issue`] says why): an unassigned `<ac>` with the ACN's version
/// arc when it is 1-4, else 3; an assigned context in an undefined version with that version
/// when it is 1-4, else the context's highest version.
pub fn map_version(acn_oid: Option<&[u8]>) -> Option<MapVersion> {
    let Some(o) = acn_oid else {
        return Some(MapVersion {
            version: 1,
            context: 0,
            acn_version: 0,
            issue: None,
        });
    };
    let a = Acn::from_oid(o)?;
    if CAP_CONTEXTS_UNDER_MAP_PREFIX.contains(&a.context.0) {
        return None;
    }
    let arc_ok = (1..=4).contains(&a.version);
    let (version, issue) = match a.context.versions() {
        None => (
            if arc_ok { a.version } else { 3 },
            Some(AcnIssue::UnknownContext),
        ),
        Some((lo, hi)) if !(lo..=hi).contains(&a.version) => (
            if arc_ok { a.version } else { hi },
            Some(AcnIssue::UndefinedVersion),
        ),
        Some(_) => (a.version, None),
    };
    Some(MapVersion {
        version,
        context: a.context.0,
        acn_version: a.version,
        issue,
    })
}

/// The MAP version of a dialogue (see [`map_version`]): the version arc of the application
/// context name, 1 when there is no dialogue portion, `None` when the ACN is not MAP's.
pub fn version_of(acn_oid: Option<&[u8]>) -> Option<u8> {
    map_version(acn_oid).map(|m| m.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acn_parse_and_versions() {
        // 0.4.0.0.1.0.20.3 (CAP.pcap frames 11/12 use 20.2)
        let a = Acn::from_oid(&[4, 0, 0, 1, 0, 20, 3]).unwrap();
        assert_eq!(a.context, AppContext::SHORT_MSG_GATEWAY);
        assert_eq!(a.version, 3);
        assert!(a.is_defined());
        assert!(!Acn {
            context: AppContext::NETWORK_UNSTRUCTURED_SS,
            version: 3
        }
        .is_defined());
        assert_eq!(Acn::from_oid(&[4, 0, 0, 1, 21, 3, 4]), None);
        assert_eq!(version_of(None), Some(1));
        assert_eq!(version_of(Some(&[4, 0, 0, 1, 0, 1, 3])), Some(3));
        assert_eq!(version_of(Some(&[4, 0, 0, 1, 21, 3, 4])), None);
        // CAP v2 gsmSSF-to-gsmSCF (CAP.pcap frame 28) and the other CAMEL phase 1/2
        // contexts under the MAP prefix are not MAP
        for cap in [[50, 0], [50, 1], [51, 1], [52, 1]] {
            assert_eq!(version_of(Some(&[4, 0, 0, 1, 0, cap[0], cap[1]])), None);
        }
        // resetContext-v3 (TS 29.002 17.3.2, Rel-99 onwards)
        assert!(Acn::from_oid(&[4, 0, 0, 1, 0, 10, 3]).unwrap().is_defined());
        assert_eq!(
            map_version(Some(&[4, 0, 0, 1, 0, 10, 3])).unwrap().issue,
            None
        );
    }

    #[test]
    fn unassigned_acn_is_decoded_best_effort() {
        // <ac> 30 is unassigned: still MAP, with the ACN's version and an anomaly
        let m = map_version(Some(&[4, 0, 0, 1, 0, 30, 2])).unwrap();
        assert_eq!(m.version, 2);
        assert_eq!(m.issue, Some(AcnIssue::UnknownContext));
        assert_eq!(m.issue.unwrap().code(), AnomalyCode::AcnUnknown);
        // an unassigned <ac> with a version arc outside 1-4 is decoded as v3
        let m = map_version(Some(&[4, 0, 0, 1, 0, 99, 9])).unwrap();
        assert_eq!((m.version, m.acn_version), (3, 9));
        // networkUnstructuredSsContext is v2 only: v3 is kept, flagged
        let m = map_version(Some(&[4, 0, 0, 1, 0, 19, 3])).unwrap();
        assert_eq!(m.version, 3);
        assert_eq!(m.issue.unwrap().code(), AnomalyCode::AcnVersionUndefined);
        // ... and a version arc of 0 falls back to the context's highest version
        let m = map_version(Some(&[4, 0, 0, 1, 0, 20, 0])).unwrap();
        assert_eq!((m.version, m.acn_version), (3, 0));
        // defined: no issue
        let m = map_version(Some(&[4, 0, 0, 1, 0, 20, 3])).unwrap();
        assert_eq!((m.version, m.issue), (3, None));
        assert_eq!(map_version(None).unwrap().version, 1);
    }

    #[test]
    fn v1_names() {
        // GSM 09.02 phase 1 local values whose operations TS 29.002 no longer has
        for (op, v1, now) in [
            (1, "updateLocationArea", None),
            (5, "detachIMSI", Some("noteSubscriberDataModified")),
            (6, "attachIMSI", Some("resumeCallHandling")),
            (15, "invokeSS", Some("authenticationFailureReport")),
            (20, "sendInfoForIncomingCall", Some("releaseResources")),
            (21, "sendInfoForOutgoingCall", Some("mt-ForwardSM-VGCS")),
            (23, "completeCall", Some("updateGprsLocation")),
            (26, "page", Some("noteMsPresentForGprs")),
            (27, "searchForMobileSubscriber", None),
            (39, "authenticate", Some("prepareGroupCall")),
            (40, "provideIMSI", Some("sendGroupCallEndSignal")),
            (41, "forwardNewTMSI", Some("processGroupCallSignalling")),
            (42, "setCipheringMode", Some("forwardGroupCallSignalling")),
            (47, "setMessageWaitingData", Some("reportSM-DeliveryStatus")),
            (48, "noteMSPresent", Some("noteSubscriberPresent")),
            (53, "processAccessRequest", Some("updateVcsgLocation")),
        ] {
            assert_eq!(OpCode(op).name_for_version(1), Some(v1), "{op}");
            assert_eq!(OpCode(op).name_for_version(3), now, "{op}");
        }
        // unchanged in v1
        assert_eq!(OpCode(9).name_for_version(1), Some("sendParameters"));
        assert_eq!(OpCode(2).name_for_version(1), Some("updateLocation"));
        // forwardSM for 44 and 46 before v3 (Wireshark gsm_map_V1V2_opr_code_strings)
        assert_eq!(OpCode(44).name_for_version(1), Some("forwardSM"));
        assert_eq!(OpCode(44).name_for_version(2), Some("forwardSM"));
        assert_eq!(OpCode(46).name_for_version(1), Some("forwardSM"));
        // v1-only codes are nobody's in v2
        assert_eq!(OpCode(1).name_for_version(2), None);
        assert!(OpCode(1).is_v1_only() && OpCode(27).is_v1_only());
        assert!(OpCode(23).v1_differs() && !OpCode(46).v1_differs());
    }

    #[test]
    fn names_by_version() {
        assert_eq!(OpCode(46).name_for_version(2), Some("forwardSM"));
        assert_eq!(OpCode(46).name_for_version(3), Some("mo-forwardSM"));
        assert_eq!(OpCode(44).name(), Some("mt-forwardSM"));
        assert_eq!(OpCode(200).name(), None);
        assert_eq!(OpCode(200).to_string(), "200");
        assert!(OpCode::SEND_PARAMETERS.is_v1_only());
        assert_eq!(ErrorCode(34).name(), Some("systemFailure"));
        assert_eq!(
            AppContext(21).name_for_version(1),
            Some("shortMsgRelayContext")
        );
        // every operation named in the issue is catalogued
        for op in [
            2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 22, 23, 24, 25, 26, 37, 43, 44, 45,
            46, 47, 50, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 70, 71, 72, 83, 85, 86,
        ] {
            assert!(OpCode(op).is_known(), "{op}");
        }
    }
}
