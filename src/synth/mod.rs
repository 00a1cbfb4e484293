//! Synthetic captures: named scenarios (benign traffic and one per attack family) built
//! entirely with the project's emitters (TCAP, MAP, SMS TPDU, SCCP, M3UA, SCTP, GTPv1/v2,
//! GTP'), deterministic for a seed. `sigscope synth` writes them as pcap files.
//!
//! Every scenario names the policy it is meant to be checked with ([`Scenario::policy`]) and
//! the signatures it must raise ([`Scenario::expect`]; empty for benign traffic).

mod build;
mod demo;
mod exploit;
mod gtp;
mod ss7;

pub use build::{Frame, Net, Prng, SynthError};

use sigscope_capture::reader::linktype;
use sigscope_capture::writer::PcapWriter;

/// A scenario's generator: frames for a seed.
pub type Generator = fn(u64) -> Result<Vec<Frame>, SynthError>;

/// A named scenario.
#[derive(Clone, Copy)]
pub struct Scenario {
    /// Name (`sigscope synth --scenario NAME`).
    pub name: &'static str,
    /// One sentence.
    pub description: &'static str,
    /// The operator policy (TOML) to check the capture with; empty for the default policy.
    pub policy: &'static str,
    /// Signature ids of which at least one of each group must be raised (empty: none may be).
    pub expect: &'static [&'static [u32]],
    /// The generator.
    pub generate: Generator,
}

impl core::fmt::Debug for Scenario {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Scenario")
            .field("name", &self.name)
            .finish()
    }
}

/// The home operator of the SS7 scenarios (as `testdata/demo-policy.toml`): PLMN 234-15,
/// global titles 4477009..., GTP peers 203.0.113.0/24.
pub const HOME_POLICY: &str = "[home]\nplmns = [\"23415\"]\ngt_prefixes = [\"4477009\"]\n\n[interconnect]\ngtp_peers = [\"203.0.113.0/24\"]\n";

/// The GTP operator of the rogue-peer scenario: who may create sessions.
pub const SESSION_POLICY: &str =
    "[interconnect]\ngtp_peers = [\"203.0.113.0/24\"]\nsession_peers = [\"203.0.113.0/28\"]\n";

/// Every scenario, in `--list` order.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "demo",
        description: "The bundled demo capture (testdata/demo.pcap): SS7 and GTP with a foreign ATI, a USSD command and two GTP echoes carrying data.",
        policy: HOME_POLICY,
        expect: &[&[3002], &[1001], &[2001]],
        generate: demo::demo,
    },
    Scenario {
        name: "benign-ss7",
        description: "Home SMS routing enquiries and deliveries, authentication, location updates and balance USSD between home nodes, each answered.",
        policy: "",
        expect: &[],
        generate: ss7::benign,
    },
    Scenario {
        name: "benign-gtp",
        description: "GTP-C echoes and Create Session exchanges between declared gateways, GTP-U user traffic and charging records.",
        policy: "",
        expect: &[],
        generate: gtp::benign,
    },
    Scenario {
        name: "fs11-location-tracking",
        description: "anyTimeInterrogation, provideSubscriberInfo and sendRoutingInfoForSM for home subscribers from foreign global titles (FS.11 category 1).",
        policy: HOME_POLICY,
        expect: &[&[3002]],
        generate: ss7::fs11,
    },
    Scenario {
        name: "harvesting",
        description: "One foreign global title asks for the routing information of 25 different subscribers within a minute.",
        policy: HOME_POLICY,
        expect: &[&[3007]],
        generate: ss7::harvesting,
    },
    Scenario {
        name: "impossible-travel",
        description: "A home SAI and location update, a foreign update ten minutes later, then an SMS delivered to the new node (interception).",
        policy: HOME_POLICY,
        expect: &[&[3004], &[3008]],
        generate: ss7::travel,
    },
    Scenario {
        name: "ussd-c2",
        description: "processUnstructuredSS-Request strings that carry base64 and shell commands instead of service codes.",
        policy: HOME_POLICY,
        expect: &[&[2001, 2006]],
        generate: ss7::ussd_c2,
    },
    Scenario {
        name: "sms-binary",
        description: "mt-ForwardSM from a foreign SMSC carrying encrypted-looking 8-bit payloads, with and without port headers, and UCS-2 texts whose characters are octets mapped onto the ideographs or Hangul.",
        policy: HOME_POLICY,
        expect: &[&[2005], &[2002]],
        generate: ss7::sms_binary,
    },
    Scenario {
        name: "exploit-ber",
        description: "TCAP with overlong length fields, indefinite-length primitives, huge lengths and out-of-range invoke ids.",
        policy: "",
        expect: &[&[1040, 1041]],
        generate: exploit::ber,
    },
    Scenario {
        name: "sccp-segmentation",
        description: "XUDT and SUA segment sequences that contradict themselves (more remaining than announced, restarts, rewrites), reassemble past SCCP's limit, or hold many messages open from one origin.",
        policy: "",
        expect: &[&[1042]],
        generate: exploit::segmentation,
    },
    Scenario {
        name: "sccp-carriage",
        description: "Encrypted-looking SCCP and SUA user data to subsystems that are no TCAP user, and a TCAP Begin wrapped around a blob.",
        policy: "",
        expect: &[&[1010]],
        generate: exploit::sccp_carriage,
    },
    Scenario {
        name: "sigtran-opaque",
        description: "M3UA DATA with spare service indicators and encrypted ISUP/BICC, and an encrypted M3UA heartbeat.",
        policy: "",
        expect: &[&[1043, 1044]],
        generate: exploit::sigtran_opaque,
    },
    Scenario {
        name: "gtpdoor",
        description: "GTPDOOR magic Echo packets with several keys and header forms, the frame behind other message types, and an Echo carrying an IMSI IE.",
        policy: "",
        expect: &[&[1001, 1020, 1022]],
        generate: gtp::gtpdoor,
    },
    Scenario {
        name: "dns-tunnel-gtpu",
        description: "DNS queries inside GTP-U whose names carry base32/hex/base64 data under a few tunnel domains.",
        policy: "",
        expect: &[&[2020, 3021]],
        generate: gtp::dns_tunnel,
    },
    Scenario {
        name: "icmp-tunnel-gtpu",
        description: "ICMP echoes inside GTP-U carrying random data: ping-sized ones mirrored by the peer, large ones, and a reply whose data is not its request's; beside the subscribers' own Linux and Windows pings.",
        policy: "",
        expect: &[&[2021]],
        generate: gtp::icmp_tunnel,
    },
    Scenario {
        name: "dns-tunnel-slow",
        description: "A DNS tunnel paced under the 300-second count, 15-character base32 labels sent straight to the tunnel's server on a port other than 53.",
        policy: "",
        expect: &[&[3021]],
        generate: gtp::dns_tunnel_slow,
    },
    Scenario {
        name: "echo-private-data",
        description: "A gateway in sessions whose every Echo Request carries a new small private extension of random octets, and a sessionless peer whose Echo restart counter takes a new value every time.",
        policy: "",
        expect: &[&[3025]],
        generate: gtp::echo_private_data,
    },
    Scenario {
        name: "gtp-node-sweep",
        description: "GTP Echo Requests (v1-C, v2, GTP-U) from one outside address to 80 hosts of a /24 in random order within seconds, a few answering.",
        policy: "",
        expect: &[&[3026]],
        generate: gtp::node_sweep,
    },
    Scenario {
        name: "gtp-tunnel-probing",
        description: "An outside address guessing tunnel ids: Delete Session Requests answered Context Not Found, G-PDUs answered by Error Indications.",
        policy: "",
        expect: &[&[3027]],
        generate: gtp::tunnel_probing,
    },
    Scenario {
        name: "rogue-gtp-peer",
        description: "A Create PDP Context from an address outside the declared session peers, then user plane to it.",
        policy: SESSION_POLICY,
        expect: &[&[3023]],
        generate: gtp::rogue_peer,
    },
];

/// The scenario called `name`.
pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// A pcap file (Ethernet, microseconds) of `frames`.
pub fn pcap(frames: &[Frame]) -> Vec<u8> {
    let mut w = PcapWriter::new(linktype::ETHERNET, false);
    for f in frames {
        w.packet(f.ts_nanos, &f.data);
    }
    w.into_bytes()
}

/// The frames' labels, one line each after a header: the frame number as the pcap numbers
/// it (from 1), a tab, `attack` (the attacker's messages and the victim's answers) or
/// `benign` (background and the set-up an attack needs).
pub fn labels_tsv(frames: &[Frame]) -> String {
    let mut out = String::from("frame\tlabel\n");
    for (i, f) in frames.iter().enumerate() {
        let label = if f.attack { "attack" } else { "benign" };
        out.push_str(&format!("{}\t{label}\n", i + 1));
    }
    out
}

/// The pcap bytes of scenario `name` for `seed`.
pub fn generate(name: &str, seed: u64) -> Result<Vec<u8>, SynthError> {
    let s = find(name).ok_or(SynthError::UnknownScenario)?;
    Ok(pcap(&(s.generate)(seed)?))
}
