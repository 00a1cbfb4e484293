//! Owned DATA messages, for emitting.

use sigscope_core::Error;

use super::{M3uaMessage, ParamTag, PROTOCOL_DATA_FIXED_LEN};
use crate::common;

/// Owned M3UA DATA message, for emitting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRepr {
    /// Network appearance.
    pub network_appearance: Option<u32>,
    /// Routing context.
    pub routing_context: Option<u32>,
    /// OPC.
    pub opc: u32,
    /// DPC.
    pub dpc: u32,
    /// SI.
    pub si: u8,
    /// NI.
    pub ni: u8,
    /// MP.
    pub mp: u8,
    /// SLS.
    pub sls: u8,
    /// User data.
    pub user_data: Vec<u8>,
}

impl DataRepr {
    /// From a decoded DATA message.
    pub fn parse(m: &M3uaMessage<'_>) -> Option<Self> {
        let pd = m.protocol_data?;
        Some(DataRepr {
            network_appearance: m.network_appearance,
            routing_context: m.routing_context,
            opc: pd.opc,
            dpc: pd.dpc,
            si: pd.si,
            ni: pd.ni,
            mp: pd.mp,
            sls: pd.sls,
            user_data: pd.user_data.to_vec(),
        })
    }

    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        let opt = |o: Option<u32>| if o.is_some() { 8 } else { 0 };
        common::COMMON_HEADER_LEN
            + opt(self.network_appearance)
            + opt(self.routing_context)
            + ((4 + PROTOCOL_DATA_FIXED_LEN + self.user_data.len() + 3) & !3)
    }

    /// Append the message; user data longer than a parameter can carry is refused
    /// ([`Error::Limit`]) and nothing is written.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let mut pd = Vec::with_capacity(PROTOCOL_DATA_FIXED_LEN + self.user_data.len());
        pd.extend_from_slice(&self.opc.to_be_bytes());
        pd.extend_from_slice(&self.dpc.to_be_bytes());
        pd.extend_from_slice(&[self.si, self.ni, self.mp, self.sls]);
        pd.extend_from_slice(&self.user_data);
        let na = self.network_appearance.map(u32::to_be_bytes);
        let rc = self.routing_context.map(u32::to_be_bytes);
        let mut params: Vec<(u16, &[u8])> = Vec::with_capacity(3);
        if let Some(na) = na.as_ref() {
            params.push((ParamTag::NETWORK_APPEARANCE.0, na));
        }
        if let Some(rc) = rc.as_ref() {
            params.push((ParamTag::ROUTING_CONTEXT.0, rc));
        }
        params.push((ParamTag::PROTOCOL_DATA.0, &pd));
        common::emit_message(1, 1, &params, out)
    }
}
