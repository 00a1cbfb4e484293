#!/usr/bin/env bash
# sigscope against tshark on the same captures: wall time of a full decode to JSON records
# (`sigscope decode`, and `sigscope detect`, which decodes and runs every detector) against
# `tshark -T fields` printing the fields the tests compare. Prints records per second and the
# ratio. Needs tshark and ../shared/captures (or SIGSCOPE_CAPTURES); a performance target
# lives here, never in a timed unit test.
set -euo pipefail
cd "$(dirname "$0")/.."
CAP="${SIGSCOPE_CAPTURES:-../shared/captures}"
RUNS="${RUNS:-3}"
command -v tshark >/dev/null || { echo "tshark not installed: skipped"; exit 0; }
[ -d "$CAP" ] || { echo "no captures at $CAP: skipped"; exit 0; }
cargo build -q --release -p sigscope-cli
BIN=target/release/sigscope

best() { # best wall time of RUNS runs of "$@", seconds
  local b=""
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
    b=$(echo "$t0 $t1 $b" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
  done
  echo "$b"
}

printf '%-44s %8s %10s %10s %10s %8s %8s\n' capture records sigscope/s detect/s tshark/s ratio det.ratio
for rel in "raw/ajbanjara+Wireshark/DangerM.pcap:gtp" \
           "raw/open5gs+open5gs/srsenb.pcapng:gtp" \
           "raw/ErvinsK+gtp-rs/echo_response.pcap:gtp" \
           "raw/ajbanjara+Wireshark/3gpp_mc.cap:sccp" \
           "raw/ajbanjara+Wireshark/m3ua_isup.cap:m3ua"; do
  f="$CAP/${rel%%:*}"; kind="${rel##*:}"
  [ -f "$f" ] || continue
  case "$kind" in
    gtp)  fields=(-e gtp.message -e gtp.teid -e gtpv2.message_type -e gtpv2.teid -e e212.imsi -e gtp.apn -e gtpv2.apn) ;;
    sccp) fields=(-e sccp.message_type -e sccp.called.digits -e sccp.calling.digits -e tcap.otid -e tcap.dtid -e gsm_old.localValue) ;;
    m3ua) fields=(-e m3ua.protocol_data_opc -e m3ua.protocol_data_dpc -e m3ua.protocol_data_si) ;;
  esac
  n=$("$BIN" decode "$f" | wc -l)
  ts=$(best "$BIN" decode "$f")
  td=$(best "$BIN" detect "$f")
  tt=$(best tshark -n -r "$f" -T fields "${fields[@]}")
  awk -v c="$(basename "$f")" -v n="$n" -v s="$ts" -v d="$td" -v t="$tt" 'BEGIN {
    printf "%-44s %8d %10.0f %10.0f %10.0f %7.1fx %7.1fx\n", c, n, n/s, n/d, n/t, t/s, t/d }'
done
