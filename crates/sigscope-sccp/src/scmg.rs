//! SCCP management messages (Q.713 5.3), carried as user data to SSN 1.

use sigscope_core::{open_enum, Error, Layer};

use crate::address::PcFormat;
use crate::types::Ssn;

open_enum! {
    /// SCMG format identifier (Q.713 5.3.1; ANSI adds 0xfd-0xff).
    pub struct ScmgType(u8) {
        SSA = 1 => "SSA",
        SSP = 2 => "SSP",
        SST = 3 => "SST",
        SOR = 4 => "SOR",
        SOG = 5 => "SOG",
        SSC = 6 => "SSC",
        SBR = 0xfd => "SBR",
        SNR = 0xfe => "SNR",
        SRT = 0xff => "SRT",
    }
}

/// A decoded SCMG message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scmg {
    /// Format identifier.
    pub msg_type: ScmgType,
    /// Affected subsystem.
    pub affected_ssn: Ssn,
    /// Affected point code.
    pub affected_pc: u32,
    /// Subsystem multiplicity indicator (bits 2-1).
    pub multiplicity: u8,
    /// Congestion level (SSC only, bits 4-1).
    pub congestion_level: Option<u8>,
}

impl Scmg {
    /// Decode SCMG user data.
    pub fn parse(data: &[u8], format: PcFormat) -> Result<Scmg, Error> {
        let n = format.pc_len();
        let need = 3 + n;
        if data.len() < need {
            return Err(Error::len(Layer::Sccp, need, data.len(), 0));
        }
        let b = |i: usize| data.get(i).copied().unwrap_or(0);
        let msg_type = ScmgType(b(0));
        let affected_pc = data
            .get(2..2 + n)
            .and_then(|p| format.read_pc(p))
            .unwrap_or(0);
        Ok(Scmg {
            msg_type,
            affected_ssn: Ssn(b(1)),
            affected_pc,
            multiplicity: b(2 + n) & 0x03,
            congestion_level: (msg_type == ScmgType::SSC).then(|| b(3 + n) & 0x0f),
        })
    }
}
