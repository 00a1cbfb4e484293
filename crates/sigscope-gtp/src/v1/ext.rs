//! GTP-U extension headers (TS 29.281 5.2, TS 29.060 6.1): the type catalogue, one header,
//! the decoded content of the common ones, and the iterator over the chain.

use sigscope_core::{open_enum, Error};

use super::{L, MAX_EXT_HEADERS};

open_enum! {
    /// GTP-U extension header types (TS 29.281 5.2.1, TS 29.060 6.1).
    pub struct ExtHeaderType(u8) {
        NO_MORE = 0x00 => "no_more_extension_headers",
        MBMS_SUPPORT_INDICATION = 0x01 => "mbms_support_indication",
        MS_INFO_CHANGE_REPORTING_SUPPORT = 0x02 => "ms_info_change_reporting_support_indication",
        LONG_PDCP_PDU_NUMBER_R16 = 0x03 => "long_pdcp_pdu_number",
        SERVICE_CLASS_INDICATOR = 0x20 => "service_class_indicator",
        UDP_PORT = 0x40 => "udp_port",
        RAN_CONTAINER = 0x81 => "ran_container",
        LONG_PDCP_PDU_NUMBER = 0x82 => "long_pdcp_pdu_number",
        XW_RAN_CONTAINER = 0x83 => "xw_ran_container",
        NR_RAN_CONTAINER = 0x84 => "nr_ran_container",
        PDU_SESSION_CONTAINER = 0x85 => "pdu_session_container",
        PDCP_PDU_NUMBER = 0xc0 => "pdcp_pdu_number",
        SUSPEND_REQUEST = 0xc1 => "suspend_request",
        SUSPEND_RESPONSE = 0xc2 => "suspend_response",
    }
}

impl ExtHeaderType {
    /// The two top bits say whether the receiver must understand the header (TS 29.281 5.2.1):
    /// 10 = required at the endpoint, 11 = required at every node.
    pub const fn comprehension_required(self) -> bool {
        self.0 & 0x80 != 0
    }
}

/// One extension header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExtHeader<'a> {
    /// Its type (from the previous next-type field).
    pub ext_type: ExtHeaderType,
    /// Offset of its length octet within the datagram.
    pub offset: usize,
    /// Content between the length octet and the next-type octet.
    pub content: &'a [u8],
    /// The next extension header type it announces.
    pub next: ExtHeaderType,
}

/// Decoded content of the common extension headers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ExtValue<'a> {
    /// UDP Port (of the source of an Error Indication trigger).
    UdpPort(u16),
    /// PDCP PDU number.
    PdcpPduNumber(u16),
    /// Long PDCP PDU number (18 bits).
    LongPdcpPduNumber(u32),
    /// Service class indicator.
    ServiceClassIndicator(u8),
    /// PDU Session Container (TS 38.415): PDU type (0 DL, 1 UL) and QFI.
    PduSessionContainer {
        /// PDU type.
        pdu_type: u8,
        /// QoS flow identifier.
        qfi: u8,
        /// Reflective QoS indicator (DL) / spare.
        rqi: bool,
    },
    /// RAN / Xw / NR RAN container and anything else: raw.
    Raw(&'a [u8]),
}

impl<'a> ExtHeader<'a> {
    /// Decode the content of the header types that have a fixed layout.
    pub fn value(&self) -> ExtValue<'a> {
        match (self.ext_type, self.content) {
            (ExtHeaderType::UDP_PORT, [a, b]) => ExtValue::UdpPort(u16::from_be_bytes([*a, *b])),
            (ExtHeaderType::PDCP_PDU_NUMBER, [a, b]) => {
                ExtValue::PdcpPduNumber(u16::from_be_bytes([*a, *b]))
            }
            (
                ExtHeaderType::LONG_PDCP_PDU_NUMBER | ExtHeaderType::LONG_PDCP_PDU_NUMBER_R16,
                [a, b, c, ..],
            ) => ExtValue::LongPdcpPduNumber(u32::from_be_bytes([0, *a & 0x03, *b, *c])),
            (ExtHeaderType::SERVICE_CLASS_INDICATOR, [a, ..]) => {
                ExtValue::ServiceClassIndicator(*a)
            }
            (ExtHeaderType::PDU_SESSION_CONTAINER, [a, b, ..]) => ExtValue::PduSessionContainer {
                pdu_type: a >> 4,
                qfi: b & 0x3f,
                rqi: b & 0x40 != 0,
            },
            _ => ExtValue::Raw(self.content),
        }
    }
}

/// Iterator over the extension header chain.
#[derive(Clone, Debug)]
pub struct ExtHeaderIter<'a> {
    pub(super) data: &'a [u8],
    pub(super) pos: usize,
    pub(super) next: u8,
    pub(super) count: usize,
}

impl<'a> Iterator for ExtHeaderIter<'a> {
    type Item = Result<ExtHeader<'a>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.next == 0 {
            return None;
        }
        let ty = self.next;
        self.next = 0;
        if self.count >= MAX_EXT_HEADERS {
            return Some(Err(Error::Limit {
                layer: L,
                what: "extension headers",
                limit: MAX_EXT_HEADERS,
                offset: self.pos,
            }));
        }
        self.count += 1;
        let units = match self.data.get(self.pos) {
            Some(&u) => usize::from(u),
            None => return Some(Err(Error::len(L, 1, 0, self.pos))),
        };
        if units == 0 {
            return Some(Err(Error::value(L, "extension header length", 0, self.pos)));
        }
        let total = units * 4;
        let Some(h) = self.data.get(self.pos..self.pos + total) else {
            return Some(Err(Error::len(
                L,
                total,
                self.data.len().saturating_sub(self.pos),
                self.pos,
            )));
        };
        let content = h.get(1..total - 1).unwrap_or(&[]);
        let next = h.last().copied().unwrap_or(0);
        let off = self.pos;
        self.pos += total;
        self.next = next;
        Some(Ok(ExtHeader {
            ext_type: ExtHeaderType(ty),
            offset: off,
            content,
            next: ExtHeaderType(next),
        }))
    }
}
