//! Typed, zero-copy decoding of MAP arguments and results by operation code and version.
//!
//! [`decode`] walks one parameter (the BER value a TCAP component carries) once, following
//! the layout TS 29.002 gives the operation in that version, and fills a [`MapParam`]: the
//! identities (IMSI, MSISDN and every other address string by its [`Role`]), SM-RP-DA/OA/UI,
//! requested info, location information, subscriber state, authentication vector counts,
//! SS codes, USSD, extension containers, and a few enumerations. Nothing is allocated.
//!
//! Elements the layout does not name are counted and reported (`unexpected_tag`); a
//! parameter that breaks BER keeps what was decoded before the break (`parameter_undecodable`).
//!
//! One file per family of operations, each named after what it decodes and listing the
//! operations (TS 29.002 name and code) at its top: `location`, `auth`, `call_handling`,
//! `handover`, `subscriber_info`, `supplementary`, `ussd`, `sms`, `lcs`, `gprs`, `oam`; the
//! shared walker machinery is in `walker`. [`decode`] dispatches on the operation code and
//! component kind.

mod auth;
mod call_handling;
mod gprs;
mod handover;
mod lcs;
mod location;
mod oam;
mod sms;
mod subscriber_info;
mod supplementary;
mod ussd;
mod walker;

use sigscope_core::ber::read_tlv_inline;
use sigscope_core::{open_enum, Anomalies, AnomalyCode};

use crate::ops::OpCode;
use crate::sms::Direction;
use crate::types::{AddressString, CellId, Tbcd};
use crate::ussd::Ussd;
use walker::{anom, error_param, is_seq, El, D};

/// Most address strings kept per parameter (more are counted in [`MapParam::addresses_dropped`]).
pub const MAX_ADDRESSES: usize = 16;
/// Most SS codes kept per parameter.
pub const MAX_SS_CODES: usize = 16;
/// Deepest nesting the typed walk follows (below the BER reader's own limit).
pub const MAX_NESTING: usize = 12;

/// Which component carries the parameter.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Kind {
    /// Invoke: the argument.
    Invoke,
    /// ReturnResult (last or not last): the result.
    ReturnResult,
    /// ReturnError: the error parameter.
    ReturnError,
}

impl Kind {
    /// Record name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Invoke => "invoke",
            Kind::ReturnResult => "return_result",
            Kind::ReturnError => "return_error",
        }
    }
}

open_enum! {
    /// The role of an address string in a parameter; [`Role::name`] is the record key.
    pub struct Role(u8) {
        MSISDN = 1 => "msisdn",
        VLR_NUMBER = 2 => "vlr_number",
        MSC_NUMBER = 3 => "msc_number",
        HLR_NUMBER = 4 => "hlr_number",
        SGSN_NUMBER = 5 => "sgsn_number",
        GGSN_NUMBER = 6 => "ggsn_number",
        GMSC_ADDRESS = 7 => "gmsc_address",
        GSMSCF_ADDRESS = 8 => "gsmscf_address",
        SERVICE_CENTRE_ADDRESS = 9 => "service_centre_address",
        ROAMING_NUMBER = 10 => "roaming_number",
        FORWARDED_TO_NUMBER = 11 => "forwarded_to_number",
        NETWORK_NODE_NUMBER = 12 => "network_node_number",
        MLC_NUMBER = 13 => "mlc_number",
        STORED_MSISDN = 14 => "stored_msisdn",
        OMC_ID = 15 => "omc_id",
        NEW_MSC_NUMBER = 16 => "new_msc_number",
        NEW_VLR_NUMBER = 17 => "new_vlr_number",
        NEW_SGSN_NUMBER = 18 => "new_sgsn_number",
        NEW_MME_NUMBER = 19 => "new_mme_number",
        B_SUBSCRIBER_NUMBER = 20 => "b_subscriber_number",
        HANDOVER_NUMBER = 21 => "handover_number",
        CSS_NUMBER = 22 => "css_number",
        VMSC_ADDRESS = 23 => "vmsc_address",
        ADDITIONAL_MSC_NUMBER = 24 => "additional_msc_number",
        ADDITIONAL_SGSN_NUMBER = 25 => "additional_sgsn_number",
        SS_EVENT_ADDRESS = 26 => "ss_event_address",
        NA_ESRD = 27 => "na_esrd",
        NA_ESRK = 28 => "na_esrk",
        MME_NUMBER_FOR_MT_SMS = 29 => "mme_number_for_mt_sms",
        SMS_GMSC_ADDRESS = 30 => "sms_gmsc_address",
        PREVIOUS_ROAMING_NUMBER = 31 => "previous_roaming_number",
        ADDITIONAL_MSISDN = 32 => "additional_msisdn",
        TARGET_MSC_NUMBER = 33 => "target_msc_number",
        LCS_CLIENT_ADDRESS = 34 => "lcs_client_address",
        OLD_MSC_NUMBER = 35 => "old_msc_number",
        ROUTEING_NUMBER = 36 => "routeing_number",
    }
}

/// SM-RP-DA (destination address of a forwarded short message).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SmRpDa<'a> {
    /// `imsi [0]`.
    Imsi(Tbcd<'a>),
    /// `lmsi [1]`.
    Lmsi(&'a [u8]),
    /// `roamingNumber [3]` (v1).
    RoamingNumber(AddressString<'a>),
    /// `serviceCentreAddressDA [4]`.
    ServiceCentre(AddressString<'a>),
    /// `noSM-RP-DA [5]`.
    None,
}

/// SM-RP-OA (originating address of a forwarded short message).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SmRpOa<'a> {
    /// `msisdn [2]`.
    Msisdn(AddressString<'a>),
    /// `serviceCentreAddressOA [4]`.
    ServiceCentre(AddressString<'a>),
    /// `noSM-RP-OA [5]`.
    None,
}

/// A borrowed octet string with its offset in the parameter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Raw<'a> {
    /// The octets.
    pub bytes: &'a [u8],
    /// Offset within the MAP parameter.
    pub offset: usize,
}

/// Requested-info flags (`RequestedInfo` of PSI / ATI): bit n = element `[n]` present.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, Default)]
pub struct RequestedInfo(pub u16);

impl RequestedInfo {
    /// Names of the flags, by bit.
    pub const NAMES: [(u16, &'static str); 12] = [
        (0, "location_information"),
        (1, "subscriber_state"),
        (3, "current_location"),
        (4, "requested_domain"),
        (5, "ms_classmark"),
        (6, "imei"),
        (7, "mnp_requested_info"),
        (8, "t_ads_data"),
        (9, "requested_nodes"),
        (10, "serving_node_indication"),
        (11, "location_information_eps_supported"),
        (12, "local_time_zone_request"),
    ];

    /// Whether element `[bit]` was present.
    pub const fn has(self, bit: u16) -> bool {
        bit < 16 && self.0 & (1 << bit) != 0
    }

    /// Names of the flags present.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .iter()
            .filter(move |(b, _)| self.has(*b))
            .map(|(_, n)| *n)
    }
}

/// Subscriber state (`SubscriberState`, `PS-SubscriberState`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum SubscriberState {
    /// assumedIdle.
    AssumedIdle,
    /// camelBusy.
    CamelBusy,
    /// netDetNotReachable (with its NotReachableReason).
    NotReachable(u8),
    /// notProvidedFromVLR (or from SGSN/MME for PS).
    NotProvided,
    /// A PS state (the PS-SubscriberState alternative number).
    Ps(u8),
}

impl SubscriberState {
    /// Record name.
    pub const fn as_str(self) -> &'static str {
        match self {
            SubscriberState::AssumedIdle => "assumed_idle",
            SubscriberState::CamelBusy => "camel_busy",
            SubscriberState::NotReachable(_) => "net_det_not_reachable",
            SubscriberState::NotProvided => "not_provided",
            SubscriberState::Ps(1) => "ps_detached",
            SubscriberState::Ps(2) => "ps_attached_not_reachable_for_paging",
            SubscriberState::Ps(3) => "ps_attached_reachable_for_paging",
            SubscriberState::Ps(4) => "ps_pdp_active_not_reachable_for_paging",
            SubscriberState::Ps(5) => "ps_pdp_active_reachable_for_paging",
            SubscriberState::Ps(_) => "ps_other",
        }
    }
}

/// Location information (`LocationInformation`, `-GPRS`, `-EPS`, or an LCS cell id).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Location<'a> {
    /// ageOfLocationInformation (minutes).
    pub age: Option<u32>,
    /// geographicalInformation (TS 23.032, 8 octets) — see [`crate::types::GeoInfo`].
    pub geographical: Option<Raw<'a>>,
    /// geodeticInformation (TS 29.002 17.7.1, 10 octets).
    pub geodetic: Option<Raw<'a>>,
    /// Cell global id, service area id or location area id.
    pub cell: Option<CellId<'a>>,
    /// Routeing area identity (GPRS).
    pub rai: Option<CellId<'a>>,
    /// E-UTRAN cell global identity.
    pub ecgi: Option<CellId<'a>>,
    /// Tracking area identity.
    pub tai: Option<CellId<'a>>,
    /// locationNumber (ISUP format, raw).
    pub location_number: Option<Raw<'a>>,
    /// currentLocationRetrieved.
    pub current_location_retrieved: bool,
    /// MME name (diameter identity, raw).
    pub mme_name: Option<Raw<'a>>,
}

/// Authentication vectors in a result (counted, never exposed).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, Default)]
pub struct AuthVectors {
    /// GSM triplets (v3 tripletList, or v2/v1 AuthenticationSets).
    pub triplets: u16,
    /// UMTS quintuplets.
    pub quintuplets: u16,
    /// EPS vectors.
    pub eps: u16,
}

/// Extension containers seen in a parameter (counted; the first private extension kept raw).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Extensions<'a> {
    /// ExtensionContainers seen (at any depth the walk reached).
    pub containers: u16,
    /// PrivateExtensions in them.
    pub private: u16,
    /// Total octets of the PrivateExtension encodings.
    pub private_bytes: u32,
    /// The first PrivateExtension's extId (OID content octets).
    pub first_ext_id: Option<&'a [u8]>,
    /// The first PrivateExtension's extType (raw value, when present).
    pub first_ext_value: Option<Raw<'a>>,
    /// The longest PrivateExtension extType of all (raw value; the first of equal length).
    pub longest_ext_value: Option<Raw<'a>>,
    /// The pcs-Extensions element (raw), when one was present.
    pub pcs_value: Option<Raw<'a>>,
    /// The longest privateExtensionList (its contents: the PrivateExtension encodings), for
    /// judging the extensions' values together (a blob split into many small ones).
    pub private_list: Option<Raw<'a>>,
}

/// A typed view of one MAP parameter. Fields the operation does not carry stay empty.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct MapParam<'a> {
    /// Operation code.
    pub opcode: OpCode,
    /// Component kind.
    pub kind: Kind,
    /// MAP version the layout was chosen for.
    pub version: u8,
    /// The whole parameter encoding (tag, length, value).
    pub raw: &'a [u8],
    /// The operation has a typed layout here (known operation, argument or result).
    pub typed: bool,
    /// The parameter was walked to its end without a BER error.
    pub complete: bool,
    /// IMSI.
    pub imsi: Option<Tbcd<'a>>,
    /// IMEI.
    pub imei: Option<Tbcd<'a>>,
    /// IMEISV.
    pub imeisv: Option<Tbcd<'a>>,
    /// LMSI (4 octets).
    pub lmsi: Option<Raw<'a>>,
    /// TMSI.
    pub tmsi: Option<Raw<'a>>,
    addresses: [Option<(Role, AddressString<'a>)>; MAX_ADDRESSES],
    n_addresses: u8,
    /// Address strings that did not fit [`MAX_ADDRESSES`].
    pub addresses_dropped: u16,
    /// SM-RP-DA.
    pub sm_rp_da: Option<SmRpDa<'a>>,
    /// SM-RP-OA.
    pub sm_rp_oa: Option<SmRpOa<'a>>,
    /// SM-RP-UI (the SMS TPDU) — see [`MapParam::sms`].
    pub sm_rp_ui: Option<Raw<'a>>,
    /// Which way the TPDU in SM-RP-UI travels.
    pub sms_direction: Option<Direction>,
    /// moreMessagesToSend.
    pub more_messages_to_send: bool,
    /// sm-RP-PRI (SRI-SM).
    pub sm_rp_pri: Option<bool>,
    /// sm-RP-MTI (SRI-SM).
    pub sm_rp_mti: Option<u8>,
    /// sm-DeliveryOutcome.
    pub sm_delivery_outcome: Option<u8>,
    /// requestedInfo flags (PSI, ATI).
    pub requested_info: Option<RequestedInfo>,
    /// CS location information.
    pub location: Option<Location<'a>>,
    /// GPRS location information.
    pub location_gprs: Option<Location<'a>>,
    /// EPS location information.
    pub location_eps: Option<Location<'a>>,
    /// Subscriber state.
    pub subscriber_state: Option<SubscriberState>,
    /// PS subscriber state.
    pub ps_subscriber_state: Option<SubscriberState>,
    /// numberOfRequestedVectors.
    pub requested_vectors: Option<u32>,
    /// re-synchronisationInfo present (its RAND/AUTS are not exposed).
    pub resync: bool,
    /// Authentication vectors returned (counts only).
    pub auth_vectors: Option<AuthVectors>,
    ss_codes: [u8; MAX_SS_CODES],
    n_ss_codes: u8,
    /// USSD data coding scheme and string.
    pub ussd: Option<Ussd<'a>>,
    /// Extension containers.
    pub extensions: Extensions<'a>,
    /// cancellationType.
    pub cancellation_type: Option<u8>,
    /// alertReason (readyForSM).
    pub alert_reason: Option<u8>,
    /// failureCause (authenticationFailureReport).
    pub failure_cause: Option<u8>,
    /// interrogationType (SRI).
    pub interrogation_type: Option<u8>,
    /// equipmentStatus (checkIMEI result).
    pub equipment_status: Option<u8>,
    /// lcs-Event (subscriberLocationReport).
    pub lcs_event: Option<u8>,
    /// locationEstimateType (provideSubscriberLocation).
    pub location_estimate_type: Option<u8>,
    /// locationEstimate (Ext-GeographicalInformation) — see [`crate::types::GeoInfo`].
    pub location_estimate: Option<Raw<'a>>,
    /// ageOfLocationEstimate (minutes).
    pub age_of_location_estimate: Option<u32>,
    /// SGSN address (GSN-Address).
    pub sgsn_address: Option<Raw<'a>>,
    /// GGSN address (GSN-Address).
    pub ggsn_address: Option<Raw<'a>>,
    /// traceReference.
    pub trace_reference: Option<Raw<'a>>,
    /// traceType.
    pub trace_type: Option<u32>,
    /// category (insertSubscriberData).
    pub category: Option<u8>,
    /// subscriberStatus (insertSubscriberData).
    pub subscriber_status: Option<u8>,
    /// Teleservices listed.
    pub teleservices: u16,
    /// Bearer services listed.
    pub bearer_services: u16,
    /// numberOfForwarding (SRI).
    pub number_of_forwarding: Option<u8>,
    /// Length of a password (registerPassword / getPassword results); the digits are not exposed.
    pub password_len: Option<u8>,
    /// guidanceInfo (getPassword).
    pub guidance_info: Option<u8>,
    /// ss-Status.
    pub ss_status: Option<u8>,
    /// IMSIs of an HLR list (reset).
    pub hlr_list: u16,
    /// Elements the layout does not name.
    pub unexpected: u16,
}

impl MapParam<'static> {
    /// An empty view to decode into with [`decode_into`] (reused across messages, so the
    /// ~1.7 KB view is neither moved nor rebuilt by the caller).
    pub fn empty() -> Self {
        MapParam::new(OpCode(0), Kind::Invoke, 0, &[])
    }
}

impl<'a> MapParam<'a> {
    /// A view of `raw` (the parameter of `opcode` / `kind` in MAP `version`) with nothing
    /// decoded yet: place it where it will stay, then [`decode_started`].
    pub fn start(opcode: OpCode, kind: Kind, version: u8, raw: &'a [u8]) -> Self {
        MapParam::new(opcode, kind, version, raw)
    }

    fn new(opcode: OpCode, kind: Kind, version: u8, raw: &'a [u8]) -> Self {
        MapParam {
            opcode,
            kind,
            version,
            raw,
            typed: false,
            complete: true,
            imsi: None,
            imei: None,
            imeisv: None,
            lmsi: None,
            tmsi: None,
            addresses: [None; MAX_ADDRESSES],
            n_addresses: 0,
            addresses_dropped: 0,
            sm_rp_da: None,
            sm_rp_oa: None,
            sm_rp_ui: None,
            sms_direction: None,
            more_messages_to_send: false,
            sm_rp_pri: None,
            sm_rp_mti: None,
            sm_delivery_outcome: None,
            requested_info: None,
            location: None,
            location_gprs: None,
            location_eps: None,
            subscriber_state: None,
            ps_subscriber_state: None,
            requested_vectors: None,
            resync: false,
            auth_vectors: None,
            ss_codes: [0; MAX_SS_CODES],
            n_ss_codes: 0,
            ussd: None,
            extensions: Extensions::default(),
            cancellation_type: None,
            alert_reason: None,
            failure_cause: None,
            interrogation_type: None,
            equipment_status: None,
            lcs_event: None,
            location_estimate_type: None,
            location_estimate: None,
            age_of_location_estimate: None,
            sgsn_address: None,
            ggsn_address: None,
            trace_reference: None,
            trace_type: None,
            category: None,
            subscriber_status: None,
            teleservices: 0,
            bearer_services: 0,
            number_of_forwarding: None,
            password_len: None,
            guidance_info: None,
            ss_status: None,
            hlr_list: 0,
            unexpected: 0,
        }
    }

    /// Every address string with its role, in encoding order.
    pub fn addresses(&self) -> impl Iterator<Item = (Role, AddressString<'a>)> + '_ {
        self.addresses
            .iter()
            .take(usize::from(self.n_addresses))
            .flatten()
            .copied()
    }

    /// The first address string of a role.
    pub fn address(&self, role: Role) -> Option<AddressString<'a>> {
        self.addresses().find(|(r, _)| *r == role).map(|(_, a)| a)
    }

    /// The MSISDN (the `msisdn` role, else SM-RP-OA's msisdn).
    pub fn msisdn(&self) -> Option<AddressString<'a>> {
        self.address(Role::MSISDN).or(match self.sm_rp_oa {
            Some(SmRpOa::Msisdn(a)) => Some(a),
            _ => None,
        })
    }

    /// SS codes (TS 29.002 SS-Code octets), in encoding order.
    pub fn ss_codes(&self) -> &[u8] {
        self.ss_codes
            .get(..usize::from(self.n_ss_codes))
            .unwrap_or(&[])
    }

    /// Decode the SMS TPDU of SM-RP-UI (direction from the operation and SM-RP-OA/DA).
    pub fn sms(
        &self,
        anomalies: &mut Anomalies,
    ) -> Option<Result<crate::sms::Tpdu<'a>, sigscope_core::Error>> {
        let ui = self.sm_rp_ui?;
        let dir = self.sms_direction?;
        Some(crate::sms::Tpdu::parse(ui.bytes, dir, anomalies))
    }

    fn push_address(&mut self, role: Role, a: AddressString<'a>) {
        match self.addresses.get_mut(usize::from(self.n_addresses)) {
            Some(slot) => {
                *slot = Some((role, a));
                self.n_addresses += 1;
            }
            None => self.addresses_dropped = self.addresses_dropped.saturating_add(1),
        }
    }

    fn push_ss(&mut self, code: u8) {
        if let Some(s) = self.ss_codes.get_mut(usize::from(self.n_ss_codes)) {
            *s = code;
            self.n_ss_codes += 1;
        }
    }
}

/// Decode one MAP parameter: `param` is the whole BER encoding of the component's parameter
/// (tag, length, value). `version` is the dialogue's MAP version (1 without a dialogue).
/// Never fails: problems are anomalies (offsets within `param`), and what was decoded is
/// returned. An unknown operation gives `unknown_operation`; a parameter that is not BER
/// gives `parameter_undecodable`.
pub fn decode<'a>(
    opcode: OpCode,
    kind: Kind,
    version: u8,
    param: &'a [u8],
    anomalies: &mut Anomalies,
) -> MapParam<'a> {
    let mut p = MapParam::new(opcode, kind, version, param);
    walk(&mut p, opcode, kind, version, param, anomalies);
    p
}

/// [`decode`] into a view made with [`MapParam::start`] and not yet walked (it is not reset
/// again: the caller placed it where it will stay).
pub fn decode_started(p: &mut MapParam<'_>, anomalies: &mut Anomalies) {
    let (opcode, kind, version, raw) = (p.opcode, p.kind, p.version, p.raw);
    walk(p, opcode, kind, version, raw, anomalies);
}

/// [`decode`] into a view the caller holds (reused across messages, nothing moved).
pub fn decode_into<'a>(
    p: &mut MapParam<'a>,
    opcode: OpCode,
    kind: Kind,
    version: u8,
    param: &'a [u8],
    anomalies: &mut Anomalies,
) {
    *p = MapParam::new(opcode, kind, version, param);
    walk(p, opcode, kind, version, param, anomalies);
}

fn walk<'a>(
    p: &mut MapParam<'a>,
    opcode: OpCode,
    kind: Kind,
    version: u8,
    param: &'a [u8],
    anomalies: &mut Anomalies,
) {
    let mut d = D {
        p,
        an: anomalies,
        depth: 0,
    };
    // v1 dialogues (or no dialogue) name the GSM 09.02 phase 1 operations too
    if opcode.name_for_version(version).is_none() && kind != Kind::ReturnError {
        d.an.push(
            anom(
                AnomalyCode::UnknownOperation,
                0,
                "operation code not in TS 29.002 for this version",
            )
            .with_value(u64::from(opcode.0)),
        );
    }
    let (t, rest) = match read_tlv_inline(param) {
        Ok(x) => x,
        Err(e) => {
            d.p.complete = false;
            d.an.push(
                anom(
                    AnomalyCode::ParameterUndecodable,
                    e.offset(),
                    "parameter is not a BER value",
                )
                .with_value(u64::from(opcode.0)),
            );
            return;
        }
    };
    if !rest.is_empty() {
        d.an.push(
            anom(
                AnomalyCode::TrailingBytes,
                t.raw.len(),
                "octets after the parameter",
            )
            .with_value(rest.len() as u64),
        );
    }
    let e = (0usize, t);
    let typed = match kind {
        // a phase 1 operation whose code now names another operation: today's layout
        // does not apply (only extension containers are looked for)
        Kind::Invoke | Kind::ReturnResult if version == 1 && opcode.v1_differs() => {
            d.ext_fallback(e, &t)
        }
        Kind::Invoke => arg(&mut d, e),
        Kind::ReturnResult => res(&mut d, e),
        Kind::ReturnError => {
            error_param(&mut d, e);
            false
        }
    };
    d.p.typed = typed;
}

/// Arguments, by operation code.
fn arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let v = d.p.version;
    let t = e.1;
    match d.p.opcode.0 {
        2 => location::update_location_arg(d, e),
        3 => location::cancel_location_arg(d, e),
        4 => call_handling::provide_roaming_number_arg(d, e),
        7 => location::insert_subscriber_data_arg(d, e),
        8 => location::delete_subscriber_data_arg(d, e),
        9 => auth::send_parameters_arg(d, e),
        10..=14 => supplementary::ss_operation_arg(d, e),
        15 => auth::authentication_failure_report_arg(d, e),
        17 => supplementary::register_password_arg(d, e),
        18 => supplementary::get_password_arg(d, e),
        19 => ussd::process_unstructured_ss_data_arg(d, e),
        22 => call_handling::send_routing_info_arg(d, e),
        23 => gprs::update_gprs_location_arg(d, e),
        24..=26 => gprs::pdp_context_activation_arg(d, e),
        37 => location::reset_arg(d, e),
        43 => oam::check_imei_arg(d, e),
        44 | 46 => sms::forward_sm(d, e),
        45 => sms::send_routing_info_for_sm_arg(d, e),
        47 => sms::report_sm_delivery_status_arg(d, e),
        48 => sms::note_subscriber_present_arg(d, e),
        50 | 51 => oam::trace_mode_arg(d, e),
        55 => auth::send_identification_arg(d, e),
        56 => auth::send_authentication_info_arg(d, e),
        57 => location::restore_data_arg(d, e),
        58 => oam::send_imsi_arg(d, e),
        59..=61 => ussd::ussd(d, e),
        62 => subscriber_info::any_time_subscription_interrogation_arg(d, e),
        63 => sms::inform_service_centre_arg(d, e),
        49 | 64 => sms::alert_service_centre_arg(d, e),
        65 => subscriber_info::any_time_modification_arg(d, e),
        66 => sms::ready_for_sm_arg(d, e),
        67 => location::purge_ms_arg(d, e),
        68 | 69 if v >= 3 && is_seq(&t) => handover::prepare_handover_arg(d, e),
        70 => subscriber_info::provide_subscriber_info_arg(d, e),
        71 => subscriber_info::any_time_interrogation_arg(d, e),
        72 => supplementary::ss_invocation_notification_arg(d, e),
        83 => lcs::provide_subscriber_location_arg(d, e),
        85 => lcs::send_routing_info_for_lcs_arg(d, e),
        86 => lcs::subscriber_location_report_arg(d, e),
        _ => d.ext_fallback(e, &t),
    }
}

/// Results, by operation code.
fn res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    match d.p.opcode.0 {
        2 | 57 => location::update_location_res(d, e),
        23 => gprs::update_gprs_location_res(d, e),
        4 => call_handling::provide_roaming_number_res(d, e),
        3 => location::cancel_location_res(d, e),
        8 => location::delete_subscriber_data_res(d, e),
        15 => auth::authentication_failure_report_res(d, e),
        24 => gprs::send_routing_info_for_gprs_res(d, e),
        25 => gprs::failure_report_res(d, e),
        26 => gprs::note_ms_present_for_gprs_res(d, e),
        50 => oam::activate_trace_mode_res(d, e),
        66 => sms::ready_for_sm_res(d, e),
        67 => location::purge_ms_res(d, e),
        72 => supplementary::ss_invocation_notification_res(d, e),
        86 => lcs::subscriber_location_report_res(d, e),
        7 => location::insert_subscriber_data_res(d, e),
        9 => auth::send_parameters_res(d, e),
        10..=13 => supplementary::ss_info_res(d, e),
        14 => supplementary::interrogate_ss_res(d, e),
        17 | 18 => supplementary::password_res(d, e),
        19 => ussd::process_unstructured_ss_data_res(d, e),
        22 => call_handling::send_routing_info_res(d, e),
        43 => oam::check_imei_res(d, e),
        44 | 46 => sms::forward_sm_res(d, e),
        45 => sms::send_routing_info_for_sm_res(d, e),
        47 => sms::report_sm_delivery_status_res(d, e),
        55 | 56 => auth::authentication_sets_res(d, e),
        58 => oam::send_imsi_res(d, e),
        59 | 60 => ussd::ussd(d, e),
        62 => subscriber_info::any_time_subscription_interrogation_res(d, e),
        65 => subscriber_info::any_time_modification_res(d, e),
        70 | 71 => subscriber_info::subscriber_info_res(d, e),
        68 => handover::prepare_handover_res(d, e),
        83 => lcs::provide_subscriber_location_res(d, e),
        85 => lcs::send_routing_info_for_lcs_res(d, e),
        _ => d.ext_fallback(e, &t),
    }
}
