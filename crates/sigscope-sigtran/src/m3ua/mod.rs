//! M3UA (RFC 4666): every message class and type, parameters, and the DATA message's
//! protocol data (OPC, DPC, SI, NI, MP, SLS, user data), and the management parameters
//! (Affected Point Code, Error Code, Status, ASP Identifier, INFO String, Traffic Mode Type,
//! User/Cause, Congestion Indications, Concerned Destination, Routing Key, Registration and
//! Deregistration Results, ...) as borrowed views with open enumerations for their codes.
//!
//! Layout: message classes, types and the decoded message here; the typed parameter values
//! in `values`, the parameter walk in `params`, the owned DATA message in `emit`.

mod emit;
mod params;
#[cfg(test)]
mod tests;
mod values;

pub use emit::DataRepr;
pub use values::{
    CongestionLevel, DeregistrationResult, DeregistrationStatus, ErrorCode, MaskedPc,
    MtpUserIdentity, ProtocolData, RegistrationResult, RegistrationStatus, RoutingKey, Status,
    StatusType, TrafficModeType, UnavailabilityCause, UserCause, WordIter, WordList,
    MAX_INFO_STRING_LEN, PROTOCOL_DATA_FIXED_LEN,
};

use sigscope_core::{Anomalies, Error, Layer};

use crate::common::Message;
use params::{deregistration_result, parameters, plain_data, registration_result, routing_key};

sigscope_core::open_enum! {
    /// M3UA message classes.
    pub struct MessageClass(u8) {
        MGMT = 0 => "MGMT",
        TRANSFER = 1 => "Transfer",
        SSNM = 2 => "SSNM",
        ASPSM = 3 => "ASPSM",
        ASPTM = 4 => "ASPTM",
        RKM = 9 => "RKM",
    }
}

sigscope_core::open_enum! {
    /// M3UA parameter tags.
    pub struct ParamTag(u16) {
        INFO_STRING = 0x0004 => "INFO String",
        ROUTING_CONTEXT = 0x0006 => "Routing Context",
        DIAGNOSTIC_INFO = 0x0007 => "Diagnostic Information",
        HEARTBEAT_DATA = 0x0009 => "Heartbeat Data",
        TRAFFIC_MODE_TYPE = 0x000b => "Traffic Mode Type",
        ERROR_CODE = 0x000c => "Error Code",
        STATUS = 0x000d => "Status",
        ASP_IDENTIFIER = 0x0011 => "ASP Identifier",
        AFFECTED_POINT_CODE = 0x0012 => "Affected Point Code",
        CORRELATION_ID = 0x0013 => "Correlation ID",
        NETWORK_APPEARANCE = 0x0200 => "Network Appearance",
        USER_CAUSE = 0x0204 => "User/Cause",
        CONGESTION_INDICATIONS = 0x0205 => "Congestion Indications",
        CONCERNED_DESTINATION = 0x0206 => "Concerned Destination",
        ROUTING_KEY = 0x0207 => "Routing Key",
        REGISTRATION_RESULT = 0x0208 => "Registration Result",
        DEREGISTRATION_RESULT = 0x0209 => "Deregistration Result",
        LOCAL_ROUTING_KEY_ID = 0x020a => "Local Routing Key Identifier",
        DESTINATION_POINT_CODE = 0x020b => "Destination Point Code",
        SERVICE_INDICATORS = 0x020c => "Service Indicators",
        ORIGINATING_POINT_CODE_LIST = 0x020e => "Originating Point Code List",
        PROTOCOL_DATA = 0x0210 => "Protocol Data",
        REGISTRATION_STATUS = 0x0212 => "Registration Status",
        DEREGISTRATION_STATUS = 0x0213 => "Deregistration Status",
    }
}

/// Name of an M3UA message (class, type), e.g. `"DATA"`, `"ASPUP"`, `"DUNA"`.
pub fn message_name(class: u8, msg_type: u8) -> Option<&'static str> {
    if let Some(n) = crate::common::shared_message_name(class, msg_type) {
        return Some(n);
    }
    if class == 2 {
        return crate::common::ssnm_message_name(msg_type);
    }
    Some(match (class, msg_type) {
        (1, 1) => "DATA",
        (9, 1) => "REG_REQ",
        (9, 2) => "REG_RSP",
        (9, 3) => "DEREG_REQ",
        (9, 4) => "DEREG_RSP",
        _ => return None,
    })
}

/// A decoded M3UA message. Parameters are borrowed from the input; a parameter RFC 4666 allows
/// once is taken from its first occurrence (later ones are reported as `duplicate_parameter`).
#[derive(Clone, Copy, Debug)]
pub struct M3uaMessage<'a> {
    /// Header and parameters.
    pub msg: Message<'a>,
    /// Protocol data when this is DATA and it decoded.
    pub protocol_data: Option<ProtocolData<'a>>,
    /// Network appearance, if present.
    pub network_appearance: Option<u32>,
    /// Routing context (first value), if present.
    pub routing_context: Option<u32>,
    /// Every Routing Context value (the parameter is a list).
    pub routing_contexts: Option<WordList<'a>>,
    /// INFO String (UTF-8 per RFC 4666; see [`M3uaMessage::info_str`]).
    pub info_string: Option<&'a [u8]>,
    /// Diagnostic Information (ERR), raw.
    pub diagnostic_info: Option<&'a [u8]>,
    /// Heartbeat Data (BEAT / BEAT ACK), raw.
    pub heartbeat_data: Option<&'a [u8]>,
    /// Traffic Mode Type.
    pub traffic_mode: Option<TrafficModeType>,
    /// Error Code (ERR).
    pub error_code: Option<ErrorCode>,
    /// Status (NTFY).
    pub status: Option<Status>,
    /// ASP Identifier.
    pub asp_id: Option<u32>,
    /// Affected Point Codes (SSNM: DUNA, DAVA, DAUD, SCON, DUPU, DRST).
    pub affected_point_codes: Option<WordList<'a>>,
    /// Correlation ID.
    pub correlation_id: Option<u32>,
    /// User/Cause (DUPU).
    pub user_cause: Option<UserCause>,
    /// Congestion Level (SCON).
    pub congestion_level: Option<CongestionLevel>,
    /// Concerned Destination (SCON): the DPC of the originator of the congested traffic.
    pub concerned_dpc: Option<u32>,
    /// A Registration Status outside a Registration Result (RFC 4666 nests it).
    pub registration_status: Option<RegistrationStatus>,
    /// A Deregistration Status outside a Deregistration Result (RFC 4666 nests it).
    pub deregistration_status: Option<DeregistrationStatus>,
}

impl<'a> M3uaMessage<'a> {
    /// Class.
    pub fn class(&self) -> MessageClass {
        MessageClass(self.msg.class())
    }

    /// Type within the class.
    pub fn msg_type(&self) -> u8 {
        self.msg.msg_type()
    }

    /// Name, if the class/type is assigned.
    pub fn name(&self) -> Option<&'static str> {
        message_name(self.msg.class(), self.msg.msg_type())
    }

    /// The INFO String as text, when it is valid UTF-8.
    pub fn info_str(&self) -> Option<&'a str> {
        self.info_string.and_then(|s| core::str::from_utf8(s).ok())
    }

    /// The masked point codes of the Affected Point Code parameter (complete entries).
    pub fn affected_pcs(&self) -> impl Iterator<Item = MaskedPc> + 'a {
        self.affected_point_codes
            .into_iter()
            .flat_map(|l| l.point_codes().map_while(Result::ok))
    }

    /// Every Routing Key parameter (REG REQ), decoded.
    pub fn routing_keys(&self) -> impl Iterator<Item = RoutingKey<'a>> + 'a {
        self.msg
            .params()
            .map_while(Result::ok)
            .filter(|p| p.tag == ParamTag::ROUTING_KEY.0)
            .map(|p| routing_key(&p, &mut Anomalies::new()))
    }

    /// Every Registration Result parameter (REG RSP), decoded.
    pub fn registration_results(&self) -> impl Iterator<Item = RegistrationResult> + 'a {
        self.msg
            .params()
            .map_while(Result::ok)
            .filter(|p| p.tag == ParamTag::REGISTRATION_RESULT.0)
            .map(|p| registration_result(&p, &mut Anomalies::new()))
    }

    /// Every Deregistration Result parameter (DEREG RSP), decoded.
    pub fn deregistration_results(&self) -> impl Iterator<Item = DeregistrationResult> + 'a {
        self.msg
            .params()
            .map_while(Result::ok)
            .filter(|p| p.tag == ParamTag::DEREGISTRATION_RESULT.0)
            .map(|p| deregistration_result(&p, &mut Anomalies::new()))
    }
}

/// Decode an M3UA message; anomalies offsets are within `data`.
pub fn parse<'a>(data: &'a [u8], anomalies: &mut Anomalies) -> Result<M3uaMessage<'a>, Error> {
    let msg = Message::parse(Layer::M3ua, data, anomalies)?;
    let empty = M3uaMessage {
        msg,
        protocol_data: None,
        network_appearance: None,
        routing_context: None,
        routing_contexts: None,
        info_string: None,
        diagnostic_info: None,
        heartbeat_data: None,
        traffic_mode: None,
        error_code: None,
        status: None,
        asp_id: None,
        affected_point_codes: None,
        correlation_id: None,
        user_cause: None,
        congestion_level: None,
        concerned_dpc: None,
        registration_status: None,
        deregistration_status: None,
    };
    if msg.class() == 1 && msg.msg_type() == 1 {
        if let Some(d) = plain_data(&msg) {
            // one struct expression, written where it is returned (the message is large:
            // filling a local and moving it out cost as much as decoding it)
            return Ok(M3uaMessage {
                protocol_data: Some(d.protocol_data),
                network_appearance: d.network_appearance,
                routing_context: d.routing_contexts.and_then(|l| l.u32s().next()?.ok()),
                routing_contexts: d.routing_contexts,
                ..empty
            });
        }
    }
    let mut out = empty;
    parameters(&msg, &mut out, anomalies);
    Ok(out)
}
