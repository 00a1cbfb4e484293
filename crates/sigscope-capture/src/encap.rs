//! The way a signalling payload was carried in its frame (`eth/vlan/ipv4/sctp`,
//! `sll/ipv6(reassembled)/udp`, `mtp2/mtp3`, ...): a fixed-size value built as the demultiplexer
//! walks the frame, so recording it allocates nothing.

use core::fmt;

/// Most steps an [`Encap`] holds; a longer way (deep tag and label stacks) keeps its first
/// steps and is marked [`Encap::is_truncated`]. The demultiplexer's own limits (4 VLAN tags
/// and 2 nested pseudowires) stay below it.
pub const MAX_ENCAP_STEPS: usize = 24;

/// One step of the way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// Ethernet II.
    Eth,
    /// An 802.1Q / 802.1ad / QinQ tag (one step per tag).
    Vlan,
    /// An MPLS label stack (one step per stack).
    Mpls,
    /// Linux cooked capture (SLL).
    Sll,
    /// Linux cooked capture v2 (SLL2).
    Sll2,
    /// BSD loopback, host byte order (NULL).
    Null,
    /// BSD loopback, network byte order (LOOP).
    Loop,
    /// IPv4.
    Ipv4,
    /// IPv6.
    Ipv6,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
    /// TCP (only segments the demultiplexer surfaces, see [`crate::demux::TcpSegment`]).
    Tcp,
    /// MTP2 signal unit (MTP2 link types).
    Mtp2,
    /// MTP3 message (MTP2 and MTP3 link types).
    Mtp3,
}

impl Step {
    /// Lower-case name, as written in a path.
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::Eth => "eth",
            Step::Vlan => "vlan",
            Step::Mpls => "mpls",
            Step::Sll => "sll",
            Step::Sll2 => "sll2",
            Step::Null => "null",
            Step::Loop => "loop",
            Step::Ipv4 => "ipv4",
            Step::Ipv6 => "ipv6",
            Step::Udp => "udp",
            Step::Sctp => "sctp",
            Step::Tcp => "tcp",
            Step::Mtp2 => "mtp2",
            Step::Mtp3 => "mtp3",
        }
    }

    const fn is_ip(self) -> bool {
        matches!(self, Step::Ipv4 | Step::Ipv6)
    }
}

/// The way a payload was carried, outermost step first, with whether IP fragments and SCTP
/// DATA fragments were joined on the way. `Copy`, fixed size.
///
/// Displayed as the step names joined by `/`, the (last) IP step followed by `(reassembled)`
/// when fragments were joined, likewise the SCTP step: `eth/vlan/ipv4(reassembled)/sctp`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(align(16))] // 32 bytes: copied into each Signal in two moves
pub struct Encap {
    steps: [Step; MAX_ENCAP_STEPS],
    len: u8,
    ip_reassembled: bool,
    sctp_reassembled: bool,
    truncated: bool,
}

impl Default for Encap {
    fn default() -> Self {
        Self::new()
    }
}

impl Encap {
    /// No step yet.
    pub const fn new() -> Self {
        Encap {
            steps: [Step::Eth; MAX_ENCAP_STEPS],
            len: 0,
            ip_reassembled: false,
            sctp_reassembled: false,
            truncated: false,
        }
    }

    /// Add a step (past [`MAX_ENCAP_STEPS`] it is dropped and the way marked truncated).
    pub fn push(&mut self, step: Step) {
        match self.steps.get_mut(usize::from(self.len)) {
            Some(slot) => {
                *slot = step;
                self.len += 1;
            }
            None => self.truncated = true,
        }
    }

    /// This way with one more step.
    #[must_use]
    pub fn with(mut self, step: Step) -> Self {
        self.push(step);
        self
    }

    /// Mark the IP step as reassembled from fragments.
    pub fn set_ip_reassembled(&mut self) {
        self.ip_reassembled = true;
    }

    /// Mark the SCTP step as reassembled from DATA fragments.
    pub fn set_sctp_reassembled(&mut self) {
        self.sctp_reassembled = true;
    }

    /// The steps, outermost first.
    pub fn steps(&self) -> &[Step] {
        self.steps.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The last step.
    pub fn last(&self) -> Option<Step> {
        self.steps().last().copied()
    }

    /// IP fragments were joined.
    pub const fn ip_reassembled(&self) -> bool {
        self.ip_reassembled
    }

    /// SCTP DATA fragments were joined.
    pub const fn sctp_reassembled(&self) -> bool {
        self.sctp_reassembled
    }

    /// Steps were dropped past [`MAX_ENCAP_STEPS`].
    pub const fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl Encap {
    /// The text of the path, in pieces (`eth`, `/`, `ipv4`, `(reassembled)`, ...): what
    /// Display writes, for writers that append bytes without the formatting machinery.
    pub fn for_each_part(&self, mut part: impl FnMut(&'static str)) {
        let steps = self.steps();
        let last_ip = steps.iter().rposition(|s| s.is_ip());
        for (i, s) in steps.iter().enumerate() {
            if i > 0 {
                part("/");
            }
            part(s.as_str());
            let joined = (self.ip_reassembled && Some(i) == last_ip)
                || (self.sctp_reassembled && *s == Step::Sctp);
            if joined {
                part("(reassembled)");
            }
        }
        if self.truncated {
            part("/...");
        }
    }
}

impl fmt::Display for Encap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut res = Ok(());
        self.for_each_part(|p| {
            if res.is_ok() {
                res = f.write_str(p);
            }
        });
        res
    }
}

impl fmt::Debug for Encap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Encap({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_steps_and_reassembly() {
        let mut p = Encap::new()
            .with(Step::Eth)
            .with(Step::Vlan)
            .with(Step::Ipv4)
            .with(Step::Sctp);
        assert_eq!(p.to_string(), "eth/vlan/ipv4/sctp");
        p.set_ip_reassembled();
        p.set_sctp_reassembled();
        assert_eq!(
            p.to_string(),
            "eth/vlan/ipv4(reassembled)/sctp(reassembled)"
        );
        assert_eq!(p.last(), Some(Step::Sctp));
        assert_eq!(Encap::new().to_string(), "");
        assert_eq!(
            Encap::new().with(Step::Mtp2).with(Step::Mtp3).to_string(),
            "mtp2/mtp3"
        );
    }

    #[test]
    fn too_many_steps_are_marked() {
        let mut p = Encap::new();
        for _ in 0..MAX_ENCAP_STEPS + 3 {
            p.push(Step::Vlan);
        }
        assert_eq!(p.steps().len(), MAX_ENCAP_STEPS);
        assert!(p.is_truncated());
        assert!(p.to_string().ends_with("vlan/..."));
    }
}
