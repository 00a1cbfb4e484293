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

use sigscope_core::ber::{read_tlv, Class, Tag, Tlv};
use sigscope_core::digits::tbcd_flags;
use sigscope_core::{open_enum, Anomalies, Anomaly, AnomalyCode, Layer};

use crate::ops::OpCode;
use crate::sms::Direction;
use crate::types::{AddressString, CellId, CellKind, Tbcd};
use crate::ussd::Ussd;

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
    /// A pcs-Extensions element was present.
    pub pcs: bool,
    /// The first PrivateExtension's extId (OID content octets).
    pub first_ext_id: Option<&'a [u8]>,
    /// The first PrivateExtension's extType (raw value, when present).
    pub first_ext_value: Option<Raw<'a>>,
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

fn anom(code: AnomalyCode, offset: usize, detail: &'static str) -> Anomaly {
    Anomaly::new(Layer::Map, code, offset, detail)
}

struct D<'a, 'b> {
    /// The result, built in place (a view of ~1.7 KB: moving it cost more than the walk).
    p: &'b mut MapParam<'a>,
    an: &'b mut Anomalies,
    depth: usize,
}

/// An element: offset in the parameter + TLV.
type El<'a> = (usize, Tlv<'a>);

const fn ctx_n(t: &Tlv<'_>) -> Option<u32> {
    match t.tag.class {
        Class::Context => Some(t.tag.number),
        _ => None,
    }
}

fn is_os(t: &Tlv<'_>) -> bool {
    t.tag == Tag::OCTET_STRING
}

fn small_uint(t: &Tlv<'_>) -> Option<u32> {
    t.uint().and_then(|v| u32::try_from(v).ok())
}

fn first_octet(t: &Tlv<'_>) -> Option<u8> {
    t.value.first().copied()
}

impl<'a> D<'a, '_> {
    /// Walk the children of `e`, calling `f` for each; unnamed ones (f returns false) are
    /// counted and reported.
    #[inline]
    fn each<F>(&mut self, e: El<'a>, mut f: F)
    where
        F: FnMut(&mut Self, El<'a>) -> bool,
    {
        let (off, t) = e;
        if !t.tag.constructed {
            self.an.push(
                anom(
                    AnomalyCode::UnexpectedTag,
                    off,
                    "primitive element where a constructed one belongs",
                )
                .with_value(u64::from(t.tag.number)),
            );
            self.p.unexpected = self.p.unexpected.saturating_add(1);
            return;
        }
        if self.depth >= MAX_NESTING {
            self.an.push(anom(
                AnomalyCode::NestingLimit,
                off,
                "parameter nested deeper than MAX_NESTING",
            ));
            return;
        }
        self.depth += 1;
        for r in t.children_at(off + t.header_len) {
            match r {
                Ok(c) => {
                    if !f(self, c) {
                        self.unexpected(c);
                    }
                }
                Err(err) => {
                    self.p.complete = false;
                    self.an.push(
                        anom(
                            AnomalyCode::ParameterUndecodable,
                            err.offset(),
                            "parameter breaks BER inside",
                        )
                        .with_value(u64::from(self.p.opcode.0)),
                    );
                    break;
                }
            }
        }
        self.depth -= 1;
    }

    fn unexpected(&mut self, (off, t): El<'a>) {
        self.p.unexpected = self.p.unexpected.saturating_add(1);
        self.an.push(
            anom(
                AnomalyCode::UnexpectedTag,
                off,
                "element not in the operation's layout",
            )
            .with_value(u64::from(t.tag.number)),
        );
    }

    /// The only child of an explicitly tagged element (CHOICE under a tag).
    fn inner(&mut self, (off, t): El<'a>) -> Option<El<'a>> {
        let base = off + t.header_len;
        match t.children_at(base).next() {
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                self.p.complete = false;
                self.an.push(anom(
                    AnomalyCode::ParameterUndecodable,
                    e.offset(),
                    "parameter breaks BER inside",
                ));
                None
            }
            None => None,
        }
    }

    fn addr(&mut self, role: Role, (off, t): El<'a>) -> bool {
        if t.tag.constructed {
            return false;
        }
        let a = AddressString {
            raw: t.value,
            offset: off + t.header_len,
        };
        if t.value.is_empty() || t.value.len() > 20 {
            self.an.push(
                anom(
                    AnomalyCode::AddressLengthInvalid,
                    off,
                    "address string not 1-20 octets",
                )
                .with_value(t.value.len() as u64),
            );
        }
        if t.value.len() > 1 && tbcd_flags(a.digit_octets()).0 {
            self.an.push(
                anom(
                    AnomalyCode::TbcdNonDigit,
                    a.offset + 1,
                    "address digits hold a nibble 0xA-0xE",
                )
                .with_value(u64::from(role.0)),
            );
        }
        self.p.push_address(role, a);
        true
    }

    fn tbcd_id(&mut self, (off, t): El<'a>, min: usize, max: usize) -> Option<Tbcd<'a>> {
        if t.tag.constructed {
            return None;
        }
        let v = Tbcd {
            raw: t.value,
            offset: off + t.header_len,
        };
        if t.value.len() < min || t.value.len() > max {
            self.an.push(
                anom(
                    AnomalyCode::IdentityLengthInvalid,
                    off,
                    "TBCD identity of a length TS 29.002 does not allow",
                )
                .with_value(t.value.len() as u64),
            );
        }
        let (non_digit, filler_inside) = tbcd_flags(v.raw);
        if non_digit || filler_inside {
            self.an.push(anom(
                AnomalyCode::TbcdNonDigit,
                v.offset,
                "TBCD identity holds a non-digit nibble",
            ));
        }
        Some(v)
    }

    fn imsi(&mut self, e: El<'a>) -> bool {
        match self.tbcd_id(e, 3, 8) {
            Some(v) => {
                if self.p.imsi.is_none() {
                    self.p.imsi = Some(v);
                }
                true
            }
            None => false,
        }
    }

    fn imei(&mut self, e: El<'a>) -> bool {
        match self.tbcd_id(e, 8, 8) {
            Some(v) => {
                self.p.imei = Some(v);
                true
            }
            None => false,
        }
    }

    fn raw(&mut self, (off, t): El<'a>) -> Option<Raw<'a>> {
        (!t.tag.constructed).then_some(Raw {
            bytes: t.value,
            offset: off + t.header_len,
        })
    }

    fn lmsi(&mut self, e: El<'a>) -> bool {
        self.p.lmsi = self.raw(e);
        if e.1.value.len() != 4 {
            self.an.push(
                anom(AnomalyCode::LmsiLengthInvalid, e.0, "LMSI is not 4 octets")
                    .with_value(e.1.value.len() as u64),
            );
        }
        self.p.lmsi.is_some()
    }

    /// ExtensionContainer ::= SEQUENCE { privateExtensionList [0], pcs-Extensions [1], ... }
    fn ext(&mut self, e: El<'a>) -> bool {
        if !e.1.tag.constructed {
            return false;
        }
        self.p.extensions.containers = self.p.extensions.containers.saturating_add(1);
        self.each(e, |d, c| match ctx_n(&c.1) {
            Some(0) => {
                d.each(c, |d, pe| {
                    if pe.1.tag != Tag::SEQUENCE {
                        return false;
                    }
                    let x = &mut d.p.extensions;
                    x.private = x.private.saturating_add(1);
                    x.private_bytes = x
                        .private_bytes
                        .saturating_add(u32::try_from(pe.1.raw.len()).unwrap_or(u32::MAX));
                    if x.first_ext_id.is_none() {
                        let mut kids = pe.1.children_at(pe.0 + pe.1.header_len);
                        if let Some(Ok((_, oid))) = kids.next() {
                            if oid.tag == Tag::OID {
                                d.p.extensions.first_ext_id = Some(oid.value);
                            }
                        }
                        if let Some(Ok((o, v))) = kids.next() {
                            d.p.extensions.first_ext_value = Some(Raw {
                                bytes: v.raw,
                                offset: o,
                            });
                        }
                    }
                    true
                });
                true
            }
            Some(1) => {
                d.p.extensions.pcs = true;
                true
            }
            _ => true, // extensible
        });
        true
    }

    /// For a form not recognised: a constructed value is still searched for extension
    /// containers (their presence and size are reported); returns false (not decoded).
    fn ext_fallback(&mut self, e: El<'a>, t: &Tlv<'a>) -> bool {
        if t.tag.constructed {
            self.each(e, |d, c| {
                if D::looks_like_ext(&c.1) {
                    d.ext(c);
                }
                true
            });
        }
        false
    }

    /// An untagged SEQUENCE that is an ExtensionContainer when its children are [0]/[1].
    fn looks_like_ext(t: &Tlv<'_>) -> bool {
        t.tag == Tag::SEQUENCE
            && match t.children().next() {
                Some(Ok((_, c))) => c.tag.class == Class::Context && c.tag.number <= 1,
                None => true,
                Some(Err(_)) => false,
            }
    }

    fn ss_code(&mut self, e: El<'a>) -> bool {
        match first_octet(&e.1) {
            Some(c) if !e.1.tag.constructed => {
                self.p.push_ss(c);
                true
            }
            _ => false,
        }
    }

    fn cell_choice(&mut self, e: El<'a>, loc: &mut Location<'a>, sai: bool) {
        if let Some((o, t)) = self.inner(e) {
            let kind = match (ctx_n(&t), sai) {
                (Some(0), false) => CellKind::Cgi,
                (Some(0), true) => CellKind::Sai,
                (Some(1), _) => CellKind::Lai,
                _ => {
                    self.unexpected((o, t));
                    return;
                }
            };
            loc.cell = self.cell((o, t), kind);
        }
    }

    fn cell(&mut self, (o, t): El<'a>, kind: CellKind) -> Option<CellId<'a>> {
        if t.value.len() != CellId::expected_len(kind) {
            self.an.push(
                anom(
                    AnomalyCode::CellIdLengthInvalid,
                    o,
                    "cell / area identity of the wrong length",
                )
                .with_value(t.value.len() as u64),
            );
        }
        Some(CellId {
            kind,
            raw: t.value,
            offset: o + t.header_len,
        })
    }

    /// LocationInformation (CS).
    fn location_cs(&mut self, e: El<'a>) -> bool {
        let mut loc = Location::default();
        let mut sai = false;
        let mut cell_el = None;
        self.each(e, |d, c| {
            let t = &c.1;
            if t.tag == Tag::INTEGER {
                loc.age = small_uint(t);
                return true;
            }
            match ctx_n(t) {
                Some(0) => loc.geographical = d.raw(c),
                Some(1) => return d.addr(Role::VLR_NUMBER, c),
                Some(2) => loc.location_number = d.raw(c),
                Some(3) => cell_el = Some(c),
                Some(4) => return d.ext(c),
                Some(5) => {}
                Some(6) => return d.addr(Role::MSC_NUMBER, c),
                Some(7) => loc.geodetic = d.raw(c),
                Some(8) => loc.current_location_retrieved = true,
                Some(9) => sai = true,
                Some(10) => return d.location_eps(c),
                Some(_) => {}
                None => return false,
            }
            true
        });
        if let Some(c) = cell_el {
            self.cell_choice(c, &mut loc, sai);
        }
        self.p.location = Some(loc);
        true
    }

    fn location_gprs(&mut self, e: El<'a>) -> bool {
        let mut loc = Location::default();
        let mut sai = false;
        let mut cell_el = None;
        self.each(e, |d, c| {
            match ctx_n(&c.1) {
                Some(0) => cell_el = Some(c),
                Some(1) => loc.rai = d.cell(c, CellKind::Rai),
                Some(2) => loc.geographical = d.raw(c),
                Some(3) => return d.addr(Role::SGSN_NUMBER, c),
                Some(5) => return d.ext(c),
                Some(6) => sai = true,
                Some(7) => loc.geodetic = d.raw(c),
                Some(8) => loc.current_location_retrieved = true,
                Some(9) => loc.age = small_uint(&c.1),
                Some(_) => {}
                None => return false,
            }
            true
        });
        if let Some(c) = cell_el {
            self.cell_choice(c, &mut loc, sai);
        }
        self.p.location_gprs = Some(loc);
        true
    }

    fn location_eps(&mut self, e: El<'a>) -> bool {
        let mut loc = Location::default();
        self.each(e, |d, c| {
            match ctx_n(&c.1) {
                Some(0) => loc.ecgi = d.cell(c, CellKind::Ecgi),
                Some(1) => loc.tai = d.cell(c, CellKind::Tai),
                Some(2) => return d.ext(c),
                Some(3) => loc.geographical = d.raw(c),
                Some(4) => loc.geodetic = d.raw(c),
                Some(5) => loc.current_location_retrieved = true,
                Some(6) => loc.age = small_uint(&c.1),
                Some(7) => loc.mme_name = d.raw(c),
                Some(_) => {}
                None => return false,
            }
            true
        });
        self.p.location_eps = Some(loc);
        true
    }

    fn subscriber_state(&mut self, e: El<'a>, ps: bool) -> bool {
        let Some((_, t)) = self.inner(e) else {
            return true;
        };
        let s = match (ctx_n(&t), ps) {
            (None, _) => SubscriberState::NotReachable(first_octet(&t).unwrap_or(0)),
            (Some(0), false) => SubscriberState::AssumedIdle,
            (Some(1), false) => SubscriberState::CamelBusy,
            (Some(2), false) => SubscriberState::NotProvided,
            (Some(0), true) => SubscriberState::NotProvided,
            (Some(n), _) => SubscriberState::Ps(n.min(255) as u8),
        };
        if ps {
            self.p.ps_subscriber_state = Some(s);
        } else {
            self.p.subscriber_state = Some(s);
        }
        true
    }

    /// SubscriberInfo (PSI / ATI results, SRI v3 result).
    fn subscriber_info(&mut self, e: El<'a>) -> bool {
        self.each(e, |d, c| match ctx_n(&c.1) {
            Some(0) => d.location_cs(c),
            Some(1) => d.subscriber_state(c, false),
            Some(2) => d.ext(c),
            Some(3) => d.location_gprs(c),
            Some(4) => d.subscriber_state(c, true),
            Some(5) => d.imei(c),
            Some(8) => {
                // mnpInfoRes
                d.each(c, |d, m| match ctx_n(&m.1) {
                    Some(0) => d.addr(Role::ROUTEING_NUMBER, m),
                    Some(1) => d.imsi(m),
                    Some(2) => d.addr(Role::MSISDN, m),
                    Some(4) => d.ext(m),
                    _ => true,
                });
                true
            }
            Some(13) => d.location_eps(c),
            Some(_) => true,
            None => false,
        });
        true
    }

    fn requested_info(&mut self, e: El<'a>) -> bool {
        let mut flags = 0u16;
        self.each(e, |d, c| match ctx_n(&c.1) {
            Some(2) => d.ext(c),
            Some(n) if n < 16 => {
                flags |= 1 << n;
                true
            }
            _ => true,
        });
        self.p.requested_info = Some(RequestedInfo(flags));
        true
    }

    /// SubscriberIdentity ::= CHOICE { imsi [0], msisdn [1] } under an explicit tag.
    fn subscriber_identity(&mut self, e: El<'a>) -> bool {
        match self.inner(e) {
            Some(c) => match ctx_n(&c.1) {
                Some(0) => self.imsi(c),
                Some(1) => self.addr(Role::MSISDN, c),
                _ => {
                    self.unexpected(c);
                    true
                }
            },
            None => true,
        }
    }

    /// SS-Info (`ext` false) / Ext-SS-Info (`ext` true) alternatives: the SS code (first
    /// element) and, for forwarding, forwarded-to numbers.
    fn ss_info_alt(&mut self, e: El<'a>, ext: bool) -> bool {
        let alt = ctx_n(&e.1);
        self.each(e, |d, c| {
            if is_os(&c.1) && c.1.value.len() == 1 {
                return d.ss_code(c);
            }
            if alt == Some(0) && c.1.tag == Tag::SEQUENCE {
                // forwardingFeatureList
                d.each(c, |d, ff| d.forwarding_feature(ff, ext));
            }
            true
        });
        true
    }

    /// ForwardingFeature (MAP-SS-DataTypes, `ext` false): ss-Status [4], forwardedToNumber
    /// [5], longForwardedToNumber [9], no extension container. Ext-ForwFeature
    /// (MAP-MS-DataTypes, `ext` true): the same, but extensionContainer [9] and
    /// longForwardedToNumber [10].
    fn forwarding_feature(&mut self, ff: El<'a>, ext: bool) -> bool {
        let long = if ext { 10 } else { 9 };
        self.each(ff, |d, f| match ctx_n(&f.1) {
            Some(4) => {
                d.p.ss_status = first_octet(&f.1);
                true
            }
            Some(5) => d.addr(Role::FORWARDED_TO_NUMBER, f),
            Some(n) if n == long => d.addr(Role::FORWARDED_TO_NUMBER, f),
            Some(9) if ext => d.ext(f),
            _ => true,
        });
        true
    }

    fn ss_list(&mut self, e: El<'a>) -> bool {
        self.each(e, |d, c| d.ss_code(c));
        true
    }

    fn count(&mut self, e: El<'a>) -> u16 {
        let mut n = 0u16;
        self.each(e, |_, _| {
            n = n.saturating_add(1);
            true
        });
        n
    }

    fn auth_list(&mut self, e: El<'a>) -> bool {
        let which = ctx_n(&e.1);
        let n = self.count(e);
        let v = self.p.auth_vectors.get_or_insert_with(AuthVectors::default);
        match which {
            Some(1) => v.quintuplets = v.quintuplets.saturating_add(n),
            Some(2) => v.eps = v.eps.saturating_add(n),
            _ => v.triplets = v.triplets.saturating_add(n),
        }
        true
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
    let (t, rest) = match read_tlv(param) {
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

fn is_seq(t: &Tlv<'_>) -> bool {
    t.tag == Tag::SEQUENCE || t.tag == Tag::ctx_cons(3)
}

fn wrong_outer(d: &mut D<'_, '_>, e: El<'_>) -> bool {
    d.p.complete = false;
    d.an.push(
        anom(
            AnomalyCode::ParameterUndecodable,
            0,
            "parameter is not of the operation's type",
        )
        .with_value(u64::from(e.1.tag.number)),
    );
    true
}

fn error_param<'a>(d: &mut D<'a, '_>, e: El<'a>) {
    if e.1.tag.constructed {
        d.each(e, |d, c| {
            if D::looks_like_ext(&c.1) {
                d.ext(c);
            }
            true
        });
    }
}

/// USSD-Arg / USSD-Res.
fn ussd<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    if e.1.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut idx = 0;
    let mut dcs = None;
    d.each(e, |d, c| {
        if is_os(&c.1) {
            idx += 1;
            match idx {
                1 => dcs = first_octet(&c.1),
                2 => {
                    d.p.ussd = Some(Ussd {
                        dcs,
                        string: c.1.value,
                        offset: c.0 + c.1.header_len,
                    })
                }
                _ => {} // alertingPattern
            }
            return true;
        }
        match ctx_n(&c.1) {
            Some(0) => d.addr(Role::MSISDN, c),
            _ => D::looks_like_ext(&c.1) && d.ext(c),
        }
    });
    true
}

/// SM-RP-DA / SM-RP-OA / SM-RP-UI and what follows (forwardSM v1/v2, mo-/mt-forwardSM v3).
fn forward_sm<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    if e.1.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let op = d.p.opcode;
    let mut stage = 0;
    d.each(e, |d, c| {
        let t = &c.1;
        match stage {
            0 => {
                stage = 1;
                d.p.sm_rp_da = Some(match ctx_n(t) {
                    Some(0) => match d.tbcd_id(c, 3, 8) {
                        Some(v) => SmRpDa::Imsi(v),
                        None => return false,
                    },
                    Some(1) => SmRpDa::Lmsi(t.value),
                    Some(3) => SmRpDa::RoamingNumber(AddressString {
                        raw: t.value,
                        offset: c.0 + t.header_len,
                    }),
                    Some(4) => SmRpDa::ServiceCentre(AddressString {
                        raw: t.value,
                        offset: c.0 + t.header_len,
                    }),
                    Some(5) => SmRpDa::None,
                    _ => return false,
                });
                true
            }
            1 => {
                stage = 2;
                d.p.sm_rp_oa = Some(match ctx_n(t) {
                    Some(2) => SmRpOa::Msisdn(AddressString {
                        raw: t.value,
                        offset: c.0 + t.header_len,
                    }),
                    Some(4) => SmRpOa::ServiceCentre(AddressString {
                        raw: t.value,
                        offset: c.0 + t.header_len,
                    }),
                    Some(5) => SmRpOa::None,
                    _ => return false,
                });
                true
            }
            2 => {
                stage = 3;
                if !is_os(t) {
                    return false;
                }
                d.p.sm_rp_ui = d.raw(c);
                true
            }
            _ => {
                if t.tag == Tag::NULL {
                    d.p.more_messages_to_send = true;
                    return true;
                }
                if D::looks_like_ext(t) {
                    return d.ext(c);
                }
                match (op.0, ctx_n(t)) {
                    (46, None) if is_os(t) => d.imsi(c),
                    (44, None) => true, // smDeliveryTimer, smDeliveryStartTime
                    (46, Some(1)) => {
                        d.p.sm_delivery_outcome = first_octet(t);
                        true
                    }
                    (44, Some(3)) => d.addr(Role::SMS_GMSC_ADDRESS, c),
                    (_, Some(_)) => true,
                    _ => false,
                }
            }
        }
    });
    // Direction of the TPDU.
    d.p.sms_direction = Some(match op.0 {
        44 => Direction::ToMs,
        _ if d.p.version >= 3 => Direction::FromMs,
        _ => match (d.p.sm_rp_oa, d.p.sm_rp_da) {
            (Some(SmRpOa::ServiceCentre(_)), _) => Direction::ToMs,
            (_, Some(SmRpDa::ServiceCentre(_))) => Direction::FromMs,
            (_, Some(SmRpDa::Imsi(_) | SmRpDa::Lmsi(_) | SmRpDa::RoamingNumber(_))) => {
                Direction::ToMs
            }
            _ => Direction::FromMs,
        },
    });
    // the SM-RP-DA / OA address strings also count as identities
    if let Some(SmRpDa::Imsi(i)) = d.p.sm_rp_da {
        if d.p.imsi.is_none() {
            d.p.imsi = Some(i);
        }
    }
    if let Some(SmRpDa::Lmsi(l)) = d.p.sm_rp_da {
        d.p.lmsi = Some(Raw {
            bytes: l,
            offset: 0,
        });
    }
    for a in [
        match d.p.sm_rp_da {
            Some(SmRpDa::ServiceCentre(a) | SmRpDa::RoamingNumber(a)) => Some(a),
            _ => None,
        },
        match d.p.sm_rp_oa {
            Some(SmRpOa::ServiceCentre(a) | SmRpOa::Msisdn(a)) => Some(a),
            _ => None,
        },
    ]
    .into_iter()
    .flatten()
    {
        if tbcd_flags(a.digit_octets()).0 {
            d.an.push(anom(
                AnomalyCode::TbcdNonDigit,
                a.offset,
                "address digits hold a nibble 0xA-0xE",
            ));
        }
    }
    true
}

/// Arguments.
fn arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let v = d.p.version;
    let t = e.1;
    match d.p.opcode.0 {
        // updateLocation
        2 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut os = 0;
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    os += 1;
                    return match os {
                        1 => d.imsi(c),
                        2 => d.addr(Role::VLR_NUMBER, c),
                        _ => false,
                    };
                }
                match ctx_n(&c.1) {
                    Some(0) => d.addr(Role::ROAMING_NUMBER, c),
                    Some(1) => d.addr(Role::MSC_NUMBER, c),
                    Some(10) => d.lmsi(c),
                    Some(13) => {
                        d.each(c, |d, a| match ctx_n(&a.1) {
                            Some(0) => {
                                d.p.imeisv = d.tbcd_id(a, 8, 8);
                                true
                            }
                            _ => true,
                        });
                        true
                    }
                    Some(_) => true,
                    None => D::looks_like_ext(&c.1) && d.ext(c),
                }
            });
            true
        }
        // cancelLocation
        3 => {
            if is_os(&t) {
                return d.imsi(e);
            }
            if !is_seq(&t) {
                return wrong_outer(d, e);
            }
            // v1: CHOICE imsi-WithLMSI as the whole parameter (a SEQUENCE of two octet strings)
            d.each(e, |d, c| {
                let ct = &c.1;
                if is_os(ct) {
                    if d.p.imsi.is_none() {
                        return d.imsi(c);
                    }
                    return d.lmsi(c);
                }
                if ct.tag == Tag::SEQUENCE && !D::looks_like_ext(ct) {
                    // imsi-WithLMSI
                    let mut n = 0;
                    d.each(c, |d, x| {
                        n += 1;
                        if n == 1 {
                            d.imsi(x)
                        } else {
                            d.lmsi(x)
                        }
                    });
                    return true;
                }
                if ct.tag == Tag::ENUMERATED {
                    d.p.cancellation_type = first_octet(ct);
                    return true;
                }
                // v3 extensions: typeOfUpdate [0], mtrf-SupportedAndAuthorized [1],
                // mtrf-SupportedAndNotAuthorized [2], newMSC-Number [3], newVLR-Number [4],
                // new-lmsi [5], reattach-Required [6] (TS 29.002 CancelLocationArg)
                match ctx_n(ct) {
                    Some(3) => d.addr(Role::NEW_MSC_NUMBER, c),
                    Some(4) => d.addr(Role::NEW_VLR_NUMBER, c),
                    Some(5) => {
                        // the identity's LMSI stays the parameter's LMSI
                        let identity_lmsi = d.p.lmsi;
                        let ok = d.lmsi(c);
                        if identity_lmsi.is_some() {
                            d.p.lmsi = identity_lmsi;
                        }
                        ok
                    }
                    Some(_) => true,
                    None => D::looks_like_ext(ct) && d.ext(c),
                }
            });
            true
        }
        // provideRoamingNumber
        4 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.imsi(c),
                Some(1) => d.addr(Role::MSC_NUMBER, c),
                Some(2) => d.addr(Role::MSISDN, c),
                Some(3) => d.addr(Role::PREVIOUS_ROAMING_NUMBER, c),
                Some(4) => d.lmsi(c),
                Some(8) => d.addr(Role::GMSC_ADDRESS, c),
                Some(11) => d.ext(c),
                Some(25) => d.addr(Role::OLD_MSC_NUMBER, c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // insertSubscriberData
        7 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.imsi(c),
                Some(1) => d.addr(Role::MSISDN, c),
                Some(2) => {
                    d.p.category = first_octet(&c.1);
                    true
                }
                Some(3) => {
                    d.p.subscriber_status = first_octet(&c.1);
                    true
                }
                Some(4) => {
                    d.p.bearer_services = d.count(c);
                    true
                }
                Some(6) => {
                    d.p.teleservices = d.count(c);
                    true
                }
                Some(7) => {
                    // provisionedSS: Ext-SS-InfoList in v3, SS-InfoList before
                    let ext = d.p.version >= 3;
                    d.each(c, |d, ssi| d.ss_info_alt(ssi, ext));
                    true
                }
                Some(14) => d.ext(c),
                Some(34) => d.addr(Role::SGSN_NUMBER, c),
                Some(41) => d.addr(Role::ADDITIONAL_MSISDN, c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // deleteSubscriberData
        8 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.imsi(c),
                Some(1) => {
                    d.count(c);
                    true
                }
                Some(2) => d.ss_list(c),
                Some(6) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // sendParameters (v1)
        9 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.imsi(c),
                Some(1) => {
                    d.p.tmsi = d.raw(c);
                    true
                }
                _ => c.1.tag == Tag::SEQUENCE,
            });
            true
        }
        // registerSS, eraseSS, activateSS, deactivateSS, interrogateSS
        10..=14 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    return d.ss_code(c);
                }
                match ctx_n(&c.1) {
                    Some(4) if d.p.opcode.0 == 10 => d.addr(Role::FORWARDED_TO_NUMBER, c),
                    Some(_) => true,
                    None => false,
                }
            });
            true
        }
        // authenticationFailureReport
        15 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut os = 0;
            let mut en = 0;
            d.each(e, |d, c| {
                let ct = &c.1;
                if is_os(ct) {
                    os += 1;
                    return os > 1 || d.imsi(c); // the second is the RAND: not exposed
                }
                if ct.tag == Tag::ENUMERATED {
                    en += 1;
                    if en == 1 {
                        d.p.failure_cause = first_octet(ct);
                    }
                    return true;
                }
                match ctx_n(ct) {
                    Some(0) => d.addr(Role::VLR_NUMBER, c),
                    Some(1) => d.addr(Role::SGSN_NUMBER, c),
                    Some(_) => true,
                    None => {
                        ct.tag == Tag::universal(false, 1) || (D::looks_like_ext(ct) && d.ext(c))
                    }
                }
            });
            true
        }
        // registerPassword: SS-Code
        17 => d.ss_code(e) || wrong_outer(d, e),
        // getPassword: GuidanceInfo
        18 => {
            d.p.guidance_info = first_octet(&t);
            true
        }
        // processUnstructuredSS-Data (v1): SS-UserData IA5String
        19 => {
            d.p.ussd = Some(Ussd {
                dcs: None,
                string: t.value,
                offset: t.header_len,
            });
            true
        }
        // sendRoutingInfo
        22 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.addr(Role::MSISDN, c),
                Some(2) => {
                    d.p.number_of_forwarding = first_octet(&c.1);
                    true
                }
                Some(3) => {
                    d.p.interrogation_type = first_octet(&c.1);
                    true
                }
                Some(6) => d.addr(Role::GMSC_ADDRESS, c),
                Some(13) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // updateGprsLocation
        23 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut os = 0;
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    os += 1;
                    return match os {
                        1 => d.imsi(c),
                        2 => d.addr(Role::SGSN_NUMBER, c),
                        3 => {
                            d.p.sgsn_address = d.raw(c);
                            true
                        }
                        _ => false,
                    };
                }
                match ctx_n(&c.1) {
                    Some(4) => {
                        d.each(c, |d, a| {
                            if ctx_n(&a.1) == Some(0) {
                                d.p.imeisv = d.tbcd_id(a, 8, 8);
                            }
                            true
                        });
                        true
                    }
                    Some(16) => d.addr(Role::MME_NUMBER_FOR_MT_SMS, c),
                    Some(_) => true,
                    None => D::looks_like_ext(&c.1) && d.ext(c),
                }
            });
            true
        }
        // sendRoutingInfoForGprs, failureReport, noteMsPresentForGprs
        24..=26 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let op = d.p.opcode.0;
            d.each(e, |d, c| match (op, ctx_n(&c.1)) {
                (_, Some(0)) => d.imsi(c),
                (24, Some(1)) | (25, Some(2)) | (26, Some(2)) => {
                    d.p.ggsn_address = d.raw(c);
                    true
                }
                (24, Some(2)) | (25, Some(1)) => d.addr(Role::GGSN_NUMBER, c),
                (26, Some(1)) => {
                    d.p.sgsn_address = d.raw(c);
                    true
                }
                (_, Some(3)) => d.ext(c),
                (_, Some(_)) => true,
                _ => false,
            });
            true
        }
        // reset
        37 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                let ct = &c.1;
                if is_os(ct) {
                    return d.addr(Role::HLR_NUMBER, c);
                }
                if ct.tag == Tag::ENUMERATED {
                    return true; // networkResource (v1)
                }
                if ct.tag == Tag::SEQUENCE && !D::looks_like_ext(ct) {
                    d.p.hlr_list = d.count(c);
                    return true;
                }
                match ctx_n(ct) {
                    Some(1) => d.addr(Role::CSS_NUMBER, c),
                    Some(_) => true,
                    None => D::looks_like_ext(ct) && d.ext(c),
                }
            });
            true
        }
        // checkIMEI
        43 => {
            if is_os(&t) {
                return d.imei(e);
            }
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    return d.imei(c);
                }
                c.1.tag == Tag::universal(false, 3) || (D::looks_like_ext(&c.1) && d.ext(c))
            });
            true
        }
        // mt-forwardSM, mo-forwardSM / forwardSM
        44 | 46 => forward_sm(d, e),
        // sendRoutingInfoForSM
        45 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.addr(Role::MSISDN, c),
                Some(1) => {
                    d.p.sm_rp_pri = first_octet(&c.1).map(|b| b != 0);
                    true
                }
                Some(2) => d.addr(Role::SERVICE_CENTRE_ADDRESS, c),
                Some(6) => d.ext(c),
                Some(8) => {
                    d.p.sm_rp_mti = first_octet(&c.1);
                    true
                }
                Some(12) => d.imsi(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // reportSM-DeliveryStatus
        47 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut os = 0;
            d.each(e, |d, c| {
                let ct = &c.1;
                if is_os(ct) {
                    os += 1;
                    return match os {
                        1 => d.addr(Role::MSISDN, c),
                        2 => d.addr(Role::SERVICE_CENTRE_ADDRESS, c),
                        _ => false,
                    };
                }
                if ct.tag == Tag::ENUMERATED {
                    d.p.sm_delivery_outcome = first_octet(ct);
                    return true;
                }
                match ctx_n(ct) {
                    Some(1) => d.ext(c),
                    Some(9) => d.imsi(c),
                    Some(_) => true,
                    None => false,
                }
            });
            true
        }
        // noteSubscriberPresent (v1): IMSI
        48 => d.imsi(e) || wrong_outer(d, e),
        // activateTraceMode
        50 | 51 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.imsi(c),
                Some(1) => {
                    d.p.trace_reference = d.raw(c);
                    true
                }
                Some(2) => {
                    d.p.trace_type = small_uint(&c.1);
                    true
                }
                Some(3) => d.addr(Role::OMC_ID, c),
                Some(4) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // sendIdentification
        55 => {
            if is_os(&t) {
                d.p.tmsi = d.raw(e);
                return true;
            }
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut os = 0;
            d.each(e, |d, c| {
                let ct = &c.1;
                if is_os(ct) {
                    os += 1;
                    return match os {
                        1 => {
                            d.p.tmsi = d.raw(c);
                            true
                        }
                        _ => d.addr(Role::MSC_NUMBER, c),
                    };
                }
                if ct.tag == Tag::INTEGER {
                    d.p.requested_vectors = small_uint(ct);
                    return true;
                }
                match ctx_n(ct) {
                    Some(0) => {
                        let mut loc = Location {
                            cell: d.cell(c, CellKind::Lai),
                            ..Location::default()
                        };
                        loc.current_location_retrieved = false;
                        d.p.location = Some(loc);
                        true
                    }
                    Some(3) => d.addr(Role::NEW_VLR_NUMBER, c),
                    Some(4) => d.lmsi(c),
                    Some(_) => true,
                    None => ct.tag == Tag::NULL || (D::looks_like_ext(ct) && d.ext(c)),
                }
            });
            true
        }
        // sendAuthenticationInfo
        56 => {
            if is_os(&t) {
                return d.imsi(e);
            }
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                let ct = &c.1;
                if ct.tag == Tag::INTEGER {
                    d.p.requested_vectors = small_uint(ct);
                    return true;
                }
                if ct.tag == Tag::SEQUENCE {
                    d.p.resync = true; // re-synchronisationInfo: RAND + AUTS, not exposed
                    return true;
                }
                match ctx_n(ct) {
                    Some(0) => d.imsi(c),
                    Some(2) => d.ext(c),
                    Some(_) => true,
                    None => ct.tag == Tag::NULL,
                }
            });
            true
        }
        // restoreData
        57 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut os = 0;
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    os += 1;
                    return if os == 1 { d.imsi(c) } else { d.lmsi(c) };
                }
                match ctx_n(&c.1) {
                    Some(_) => true,
                    None => D::looks_like_ext(&c.1) && d.ext(c),
                }
            });
            true
        }
        // sendIMSI: ISDN-AddressString
        58 => d.addr(Role::MSISDN, e) || wrong_outer(d, e),
        // processUnstructuredSS-Request, unstructuredSS-Request, unstructuredSS-Notify
        59..=61 => ussd(d, e),
        // anyTimeSubscriptionInterrogation
        62 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.subscriber_identity(c),
                Some(1) => {
                    // RequestedSubscriptionInfo: requestedSS-Info [1] SS-ForBS-Code, ...,
                    // extensionContainer [6]
                    d.each(c, |d, r| match ctx_n(&r.1) {
                        Some(1) => {
                            d.each(r, |d, s| {
                                if is_os(&s.1) {
                                    d.ss_code(s);
                                }
                                true
                            });
                            true
                        }
                        Some(6) => d.ext(r),
                        _ => true,
                    });
                    true
                }
                Some(2) => d.addr(Role::GSMSCF_ADDRESS, c),
                Some(3) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // informServiceCentre
        63 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                let ct = &c.1;
                if is_os(ct) {
                    return d.addr(Role::STORED_MSISDN, c);
                }
                if ct.tag == Tag::universal(false, 3) || ct.tag == Tag::INTEGER {
                    return true;
                }
                match ctx_n(ct) {
                    Some(_) => true,
                    None => D::looks_like_ext(ct) && d.ext(c),
                }
            });
            true
        }
        // alertServiceCentre, alertServiceCentreWithoutResult (v1)
        49 | 64 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut os = 0;
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    os += 1;
                    return match os {
                        1 => d.addr(Role::MSISDN, c),
                        2 => d.addr(Role::SERVICE_CENTRE_ADDRESS, c),
                        3 => d.imsi(c),
                        _ => false,
                    };
                }
                // maximumUeAvailabilityTime [0], smsGmscAlertEvent [1],
                // smsGmscDiameterAddress [2], newSGSNNumber [3], newSGSNDiameterAddress [4],
                // newMMENumber [5], newMMEDiameterAddress [6], newMSCNumber [7]
                // (TS 29.002 MAP-SM-DataTypes AlertServiceCentreArg); correlationID is an
                // untagged SEQUENCE
                match ctx_n(&c.1) {
                    Some(3) => d.addr(Role::NEW_SGSN_NUMBER, c),
                    Some(5) => d.addr(Role::NEW_MME_NUMBER, c),
                    Some(7) => d.addr(Role::NEW_MSC_NUMBER, c),
                    Some(_) => true,
                    // correlationID (not exposed); the argument has no extension container
                    None => c.1.tag == Tag::SEQUENCE,
                }
            });
            true
        }
        // anyTimeModification
        65 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.subscriber_identity(c),
                Some(1) => d.addr(Role::GSMSCF_ADDRESS, c),
                Some(2) | Some(3) | Some(11..=15) => {
                    // modificationRequestFor-CF/CB/CW/CLIP/CLIR/HOLD/ECT-Info: ss-Code [0]
                    d.each(c, |d, m| match ctx_n(&m.1) {
                        Some(0) => d.ss_code(m),
                        Some(2) => {
                            d.p.ss_status = first_octet(&m.1);
                            true
                        }
                        Some(3) => d.addr(Role::FORWARDED_TO_NUMBER, m),
                        _ => true,
                    });
                    true
                }
                Some(5) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // readyForSM
        66 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                let ct = &c.1;
                if ct.tag == Tag::ENUMERATED {
                    d.p.alert_reason = first_octet(ct);
                    return true;
                }
                match ctx_n(ct) {
                    Some(0) => d.imsi(c),
                    Some(_) => true,
                    None => ct.tag == Tag::NULL || (D::looks_like_ext(ct) && d.ext(c)),
                }
            });
            true
        }
        // purgeMS
        67 => {
            if !is_seq(&t) {
                return wrong_outer(d, e);
            }
            let mut os = 0;
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    os += 1;
                    return if os == 1 {
                        d.imsi(c)
                    } else {
                        d.addr(Role::VLR_NUMBER, c)
                    };
                }
                match ctx_n(&c.1) {
                    Some(0) => d.addr(Role::VLR_NUMBER, c),
                    Some(1) => d.addr(Role::SGSN_NUMBER, c),
                    Some(2) => d.location_cs(c),
                    Some(3) => d.location_gprs(c),
                    Some(4) => d.location_eps(c),
                    Some(_) => true,
                    None => D::looks_like_ext(&c.1) && d.ext(c),
                }
            });
            true
        }
        // prepareHandover (v3), prepareSubsequentHandover (v3)
        68 | 69 if v >= 3 && is_seq(&t) => {
            let op = d.p.opcode.0;
            d.each(e, |d, c| match (op, ctx_n(&c.1)) {
                (_, Some(0)) => {
                    // targetCellId: GlobalCellId (CGI)
                    let cell = d.cell(c, CellKind::Cgi);
                    d.p.location = Some(Location {
                        cell,
                        ..Location::default()
                    });
                    true
                }
                (68, Some(4)) => d.imsi(c),
                (68, Some(22)) => {
                    d.p.imeisv = d.tbcd_id(c, 8, 8);
                    true
                }
                (69, Some(1)) => d.addr(Role::TARGET_MSC_NUMBER, c),
                (_, Some(_)) => true,
                _ => false,
            });
            true
        }
        // provideSubscriberInfo
        70 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.imsi(c),
                Some(1) => d.lmsi(c),
                Some(2) => d.requested_info(c),
                Some(3) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // anyTimeInterrogation
        71 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.subscriber_identity(c),
                Some(1) => d.requested_info(c),
                Some(2) => d.ext(c),
                Some(3) => d.addr(Role::GSMSCF_ADDRESS, c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // ss-InvocationNotification
        72 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.imsi(c),
                Some(1) => d.addr(Role::MSISDN, c),
                Some(2) => d.ss_code(c),
                Some(3) => {
                    d.each(c, |d, a| d.addr(Role::SS_EVENT_ADDRESS, a));
                    true
                }
                Some(4) => d.ext(c),
                Some(5) => d.addr(Role::B_SUBSCRIBER_NUMBER, c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // provideSubscriberLocation
        83 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                let ct = &c.1;
                if ct.tag == Tag::SEQUENCE {
                    // locationType
                    d.each(c, |d, l| {
                        if ctx_n(&l.1) == Some(0) {
                            d.p.location_estimate_type = first_octet(&l.1);
                        }
                        true
                    });
                    return true;
                }
                if is_os(ct) {
                    return d.addr(Role::MLC_NUMBER, c);
                }
                match ctx_n(ct) {
                    Some(0) => {
                        // lcs-ClientID: externalAddress / dialled by MS
                        d.each(c, |d, l| {
                            match ctx_n(&l.1) {
                                Some(1) => {
                                    d.each(l, |d, x| {
                                        if ctx_n(&x.1) == Some(0) {
                                            d.addr(Role::LCS_CLIENT_ADDRESS, x);
                                        }
                                        true
                                    });
                                }
                                Some(2) => {
                                    d.addr(Role::LCS_CLIENT_ADDRESS, l);
                                }
                                _ => {}
                            }
                            true
                        });
                        true
                    }
                    Some(2) => d.imsi(c),
                    Some(3) => d.addr(Role::MSISDN, c),
                    Some(4) => d.lmsi(c),
                    Some(5) => d.imei(c),
                    Some(8) => d.ext(c),
                    Some(_) => true,
                    None => false,
                }
            });
            true
        }
        // sendRoutingInfoForLCS
        85 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.addr(Role::MLC_NUMBER, c),
                Some(1) => d.subscriber_identity(c),
                Some(2) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // subscriberLocationReport
        86 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut seqs = 0;
            d.each(e, |d, c| {
                let ct = &c.1;
                if ct.tag == Tag::ENUMERATED {
                    d.p.lcs_event = first_octet(ct);
                    return true;
                }
                if ct.tag == Tag::SEQUENCE {
                    seqs += 1;
                    if seqs == 2 {
                        lcs_location_info(d, c);
                    }
                    return true;
                }
                match ctx_n(ct) {
                    Some(0) => d.addr(Role::MSISDN, c),
                    Some(1) => d.imsi(c),
                    Some(2) => d.imei(c),
                    Some(3) => d.addr(Role::NA_ESRD, c),
                    Some(4) => d.addr(Role::NA_ESRK, c),
                    Some(5) => {
                        d.p.location_estimate = d.raw(c);
                        true
                    }
                    Some(6) => {
                        d.p.age_of_location_estimate = small_uint(ct);
                        true
                    }
                    Some(7) => d.ext(c),
                    Some(13) => cell_or_sai(d, c),
                    Some(_) => true,
                    None => false,
                }
            });
            true
        }
        _ => d.ext_fallback(e, &t),
    }
}

/// LCSLocationInfo ::= SEQUENCE { networkNode-Number, lmsi [0], ext [1], ..., additional-Number [3] }
fn lcs_location_info<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.addr(Role::NETWORK_NODE_NUMBER, c);
        }
        match ctx_n(&c.1) {
            Some(0) => d.lmsi(c),
            Some(1) => d.ext(c),
            Some(3) => additional_number(d, c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// Additional-Number ::= CHOICE { msc-Number [0], sgsn-Number [1] } (explicit).
fn additional_number<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    if let Some(c) = d.inner(e) {
        match ctx_n(&c.1) {
            Some(0) => {
                d.addr(Role::ADDITIONAL_MSC_NUMBER, c);
            }
            Some(1) => {
                d.addr(Role::ADDITIONAL_SGSN_NUMBER, c);
            }
            _ => d.unexpected(c),
        }
    }
    true
}

/// CellGlobalIdOrServiceAreaIdOrLAI under an explicit tag (LCS results).
fn cell_or_sai<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let mut loc = d.p.location.unwrap_or_default();
    d.cell_choice(e, &mut loc, false);
    d.p.location = Some(loc);
    true
}

/// SS-Info results (registerSS, eraseSS, activateSS, deactivateSS).
fn ss_info_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    match ctx_n(&e.1) {
        Some(0 | 1 | 3) => d.ss_info_alt(e, false),
        _ => wrong_outer(d, e),
    }
}

/// Results.
fn res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    match d.p.opcode.0 {
        // updateLocation, restoreData, updateGprsLocation: hlr-Number first
        2 | 23 | 57 => {
            if is_os(&t) {
                return d.addr(Role::HLR_NUMBER, e);
            }
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    return d.addr(Role::HLR_NUMBER, c);
                }
                match ctx_n(&c.1) {
                    Some(_) => true,
                    None => c.1.tag == Tag::NULL || (D::looks_like_ext(&c.1) && d.ext(c)),
                }
            });
            true
        }
        // provideRoamingNumber
        4 => {
            if is_os(&t) {
                return d.addr(Role::ROAMING_NUMBER, e);
            }
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    return d.addr(Role::ROAMING_NUMBER, c);
                }
                match ctx_n(&c.1) {
                    Some(0) => d.addr(Role::VMSC_ADDRESS, c),
                    Some(_) => true,
                    None => c.1.tag == Tag::NULL || (D::looks_like_ext(&c.1) && d.ext(c)),
                }
            });
            true
        }
        // cancelLocation, deleteSubscriberData, authenticationFailureReport, readyForSM,
        // ss-InvocationNotification, subscriberLocationReport, activateTraceMode,
        // noteMsPresentForGprs, failureReport, purgeMS, sendRoutingInfoForGprs
        3 | 8 | 15 | 25 | 26 | 24 | 50 | 66 | 67 | 72 | 86 => {
            if !t.tag.constructed {
                return wrong_outer(d, e);
            }
            let op = d.p.opcode.0;
            d.each(e, |d, c| match (op, ctx_n(&c.1)) {
                (_, None) if D::looks_like_ext(&c.1) => d.ext(c),
                (24, Some(0)) => {
                    d.p.sgsn_address = d.raw(c);
                    true
                }
                (24, Some(1)) | (25, Some(0)) => {
                    d.p.ggsn_address = d.raw(c);
                    true
                }
                (24 | 25, Some(3)) | (26 | 50, Some(0)) | (8, None) => d.ext(c),
                (25, Some(1)) => d.ext(c),
                (86, Some(0)) => d.addr(Role::NA_ESRK, c),
                (86, Some(1)) => d.addr(Role::NA_ESRD, c),
                (_, Some(_)) => true,
                (_, None) => false,
            });
            true
        }
        // insertSubscriberData
        7 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(1) => {
                    d.p.teleservices = d.count(c);
                    true
                }
                Some(2) => {
                    d.p.bearer_services = d.count(c);
                    true
                }
                Some(3) => d.ss_list(c),
                Some(7) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // sendParameters (v1): SentParameterList
        9 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                match ctx_n(&c.1) {
                    Some(0) => {
                        d.imsi(c);
                    }
                    Some(1) => {
                        let v = d.p.auth_vectors.get_or_insert_with(AuthVectors::default);
                        v.triplets = v.triplets.saturating_add(1);
                    }
                    _ => {} // subscriber data, Ki, ...: not exposed
                }
                true
            });
            true
        }
        // registerSS, eraseSS, activateSS, deactivateSS
        10..=13 => ss_info_res(d, e),
        // interrogateSS
        14 => {
            match ctx_n(&t) {
                Some(0) => d.p.ss_status = first_octet(&t),
                Some(3) => {
                    d.each(e, |d, ff| {
                        d.each(ff, |d, f| match ctx_n(&f.1) {
                            Some(4) => {
                                d.p.ss_status = first_octet(&f.1);
                                true
                            }
                            Some(5) | Some(9) => d.addr(Role::FORWARDED_TO_NUMBER, f),
                            _ => true,
                        });
                        true
                    });
                }
                Some(2 | 4) => {}
                _ => return wrong_outer(d, e),
            }
            true
        }
        // registerPassword / getPassword: the password (length only)
        17 | 18 => {
            d.p.password_len = Some(t.value.len().min(255) as u8);
            true
        }
        19 => {
            d.p.ussd = Some(Ussd {
                dcs: None,
                string: t.value,
                offset: t.header_len,
            });
            true
        }
        // sendRoutingInfo
        22 => {
            if !is_seq(&t) {
                return wrong_outer(d, e);
            }
            let v3 = t.tag == Tag::ctx_cons(3);
            let mut os = 0;
            d.each(e, |d, c| {
                let ct = &c.1;
                if is_os(ct) {
                    os += 1;
                    return if !v3 && os == 1 {
                        d.imsi(c)
                    } else {
                        d.addr(Role::ROAMING_NUMBER, c)
                    };
                }
                if ct.tag == Tag::SEQUENCE {
                    // forwardingData (or, v1/v2, cug-CheckInfo / extension container)
                    if D::looks_like_ext(ct) && !v3 {
                        return d.ext(c);
                    }
                    return forwarding_data(d, c);
                }
                match ctx_n(ct) {
                    Some(0) if v3 => d.ext(c),
                    Some(2) => d.addr(Role::VMSC_ADDRESS, c),
                    Some(7) => d.subscriber_info(c),
                    Some(8) => {
                        // camelRoutingInfo: forwardingData first
                        d.each(c, |d, x| {
                            if x.1.tag == Tag::SEQUENCE {
                                forwarding_data(d, x);
                            }
                            true
                        });
                        true
                    }
                    Some(9) => d.imsi(c),
                    Some(12) => d.addr(Role::MSISDN, c),
                    Some(_) => true,
                    None => false,
                }
            });
            true
        }
        // checkIMEI
        43 => {
            if t.tag == Tag::ENUMERATED {
                d.p.equipment_status = first_octet(&t);
                return true;
            }
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if c.1.tag == Tag::ENUMERATED {
                    d.p.equipment_status = first_octet(&c.1);
                    return true;
                }
                match ctx_n(&c.1) {
                    Some(0) => d.ext(c),
                    Some(_) => true,
                    None => c.1.tag == Tag::SEQUENCE,
                }
            });
            true
        }
        // mt-forwardSM, mo-forwardSM: sm-RP-UI (report TPDU)
        44 | 46 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    d.p.sm_rp_ui = d.raw(c);
                    return true;
                }
                D::looks_like_ext(&c.1) && d.ext(c)
            });
            d.p.sms_direction = Some(if d.p.opcode.0 == 44 {
                Direction::FromMs
            } else {
                Direction::ToMs
            });
            true
        }
        // sendRoutingInfoForSM
        45 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let v1 = d.p.version == 1;
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    return d.imsi(c);
                }
                match ctx_n(&c.1) {
                    Some(0) => {
                        d.each(c, |d, l| {
                            if is_os(&l.1) {
                                return d.lmsi(l);
                            }
                            match ctx_n(&l.1) {
                                Some(0) => d.addr(Role::ROAMING_NUMBER, l),
                                Some(1) if v1 => d.addr(Role::MSC_NUMBER, l),
                                Some(1) => d.addr(Role::NETWORK_NODE_NUMBER, l),
                                Some(6) => additional_number(d, l),
                                Some(9) => additional_number(d, l),
                                Some(_) => true,
                                None => D::looks_like_ext(&l.1) && d.ext(l),
                            }
                        });
                        true
                    }
                    Some(4) => d.ext(c),
                    Some(_) => true,
                    None => false,
                }
            });
            true
        }
        // reportSM-DeliveryStatus
        47 => {
            if is_os(&t) {
                return d.addr(Role::STORED_MSISDN, e);
            }
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    return d.addr(Role::STORED_MSISDN, c);
                }
                D::looks_like_ext(&c.1) && d.ext(c)
            });
            true
        }
        // sendIdentification, sendAuthenticationInfo
        55 | 56 => {
            if !is_seq(&t) {
                return wrong_outer(d, e);
            }
            let v3_tag = t.tag == Tag::ctx_cons(3);
            d.each(e, |d, c| {
                let ct = &c.1;
                if is_os(ct) {
                    return d.imsi(c);
                }
                if ct.tag == Tag::SEQUENCE {
                    if D::looks_like_ext(ct) {
                        return d.ext(c);
                    }
                    // v2 AuthenticationSetList (SEQUENCE OF AuthenticationSet) inside the
                    // result, or one AuthenticationSet of a v2 SAI result
                    let first_is_seq =
                        matches!(ct.children().next(), Some(Ok((_, k))) if k.tag == Tag::SEQUENCE);
                    if first_is_seq {
                        return d.auth_list(c);
                    }
                    let v = d.p.auth_vectors.get_or_insert_with(AuthVectors::default);
                    v.triplets = v.triplets.saturating_add(1);
                    return true;
                }
                match ctx_n(ct) {
                    Some(0) | Some(1) => d.auth_list(c),
                    Some(2) if d.p.opcode.0 == 56 => d.auth_list(c),
                    Some(3) if d.p.opcode.0 == 55 || !v3_tag => d.ext(c),
                    Some(_) => true,
                    None => false,
                }
            });
            true
        }
        // sendIMSI: IMSI
        58 => d.imsi(e) || wrong_outer(d, e),
        // processUnstructuredSS-Request, unstructuredSS-Request
        59 | 60 => ussd(d, e),
        // anyTimeSubscriptionInterrogation
        62 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(1) => {
                    // callForwardingData: forwardingFeatureList (Ext-ForwFeatureList) first,
                    // notificationToCSE NULL, extensionContainer [0]
                    d.each(c, |d, x| {
                        if x.1.tag == Tag::SEQUENCE {
                            d.each(x, |d, ff| d.forwarding_feature(ff, true));
                        } else if ctx_n(&x.1) == Some(0) {
                            d.ext(x);
                        }
                        true
                    });
                    true
                }
                Some(7) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // anyTimeModification
        65 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => {
                    if let Some(x) = d.inner(c) {
                        d.each(x, |d, f| match ctx_n(&f.1) {
                            Some(0) => d.ss_code(f),
                            _ => true,
                        });
                    }
                    true
                }
                Some(2) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        // provideSubscriberInfo, anyTimeInterrogation
        70 | 71 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            let mut seqs = 0;
            d.each(e, |d, c| {
                if c.1.tag == Tag::SEQUENCE {
                    seqs += 1;
                    return if seqs == 1 {
                        d.subscriber_info(c)
                    } else {
                        d.ext(c)
                    };
                }
                false
            });
            true
        }
        // prepareHandover (v2: handoverNumber first; v3: [3] SEQUENCE with [0])
        68 => {
            if !is_seq(&t) {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    return d.addr(Role::HANDOVER_NUMBER, c);
                }
                match ctx_n(&c.1) {
                    Some(0) if d.p.version >= 3 => d.addr(Role::HANDOVER_NUMBER, c),
                    _ => true,
                }
            });
            true
        }
        // provideSubscriberLocation
        83 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| {
                if is_os(&c.1) {
                    d.p.location_estimate = d.raw(c);
                    return true;
                }
                match ctx_n(&c.1) {
                    Some(0) => {
                        d.p.age_of_location_estimate = small_uint(&c.1);
                        true
                    }
                    Some(1) => d.ext(c),
                    Some(6) => cell_or_sai(d, c),
                    Some(_) => true,
                    None => false,
                }
            });
            true
        }
        // sendRoutingInfoForLCS
        85 => {
            if t.tag != Tag::SEQUENCE {
                return wrong_outer(d, e);
            }
            d.each(e, |d, c| match ctx_n(&c.1) {
                Some(0) => d.subscriber_identity(c),
                Some(1) => lcs_location_info(d, c),
                Some(2) => d.ext(c),
                Some(_) => true,
                None => false,
            });
            true
        }
        _ => d.ext_fallback(e, &t),
    }
}

/// ForwardingData ::= SEQUENCE { forwardedToNumber [5], forwardedToSubaddress [4],
/// forwardingOptions [6], extensionContainer [7], longForwardedToNumber [8] }
fn forwarding_data<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(5) | Some(8) => d.addr(Role::FORWARDED_TO_NUMBER, c),
        Some(7) => d.ext(c),
        _ => true,
    });
    true
}
