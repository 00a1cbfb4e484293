#!/usr/bin/env bash
# sigscope against tshark on the same captures.
#
# Section "captures": wall time of a full decode to JSON records (`sigscope decode`, and
# `sigscope detect`, which decodes and runs every detector) against `tshark -T fields` printing
# the fields the tests compare, on public captures. Prints records per second and the ratio.
# Needs ../shared/captures (or SIGSCOPE_CAPTURES); skipped without it.
#
# Section "mixed": one large synthetic capture (`examples/make_mixed.rs`, 200,000 frames by
# default: ~60% SIGTRAN/M3UA/SCCP/TCAP/MAP roaming and SMS traffic, ~40% GTPv1/v2-C and GTP-U),
# made into target/bench/mixed.pcap when absent. Timed on one core (`taskset -c 0` when
# available), best of RUNS:
#   - `sigscope decode` (JSON records)        vs `tshark -T ek` (every field, JSON)
#   - `sigscope detect` (decode + detectors)  vs `tshark -T fields` (the identities detect uses)
#   - `sigscope decode --format none` (decode to typed messages, nothing written: the cost
#     of decoding alone, against which detect's cost is judged)
# and the peak RSS of `sigscope detect` (GNU time).
#
# PGO=1 also builds a profile-guided binary (benches/pgo.sh, trained on the synthetic scenarios
# and the demo capture only) and times it the same way, after checking that it writes the same
# records and alerts as the release build.
# The detect / decode-without-output ratio is also given as the median of PAIRS (default 9)
# pairs of runs, each pair timed back to back (steadier than a ratio of two best times).
# Environment: RUNS (default 3), PAIRS (default 9), CORE (the core to pin to, default 0), ONLY=mixed|captures
# (one section), MIXED (capture path,
# default target/bench/mixed.pcap), MIXED_FRAMES (frames when it is made, default 200000).
# Needs tshark; a performance target lives here, never in a timed unit test.
set -euo pipefail
cd "$(dirname "$0")/.."
CAP="${SIGSCOPE_CAPTURES:-../shared/captures}"
RUNS="${RUNS:-3}"
ONLY="${ONLY:-}"
MIXED="${MIXED:-target/bench/mixed.pcap}"
MIXED_FRAMES="${MIXED_FRAMES:-200000}"
case "$ONLY" in
  "" | mixed | captures) ;;
  *) echo "ONLY must be mixed or captures (got '$ONLY')" >&2; exit 2 ;;
esac
command -v tshark >/dev/null || { echo "tshark not installed: skipped"; exit 0; }

BIN=target/release/sigscope
if ! cargo build -q --release -p sigscope-cli; then
  # the tree may be mid-change; an earlier build still measures something
  [ -x "$BIN" ] || { echo "cannot build sigscope and no $BIN" >&2; exit 1; }
  echo "warning: build failed; timing the existing $BIN ($(date -r "$BIN" '+%F %T'))" >&2
fi

best() { # best wall time of RUNS runs of "$@", seconds
  local b=""
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
    b=$(echo "$t0 $t1 $b" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
  done
  echo "$b"
}

captures() {
  [ -d "$CAP" ] || { echo "no captures at $CAP: skipped"; return 0; }
  printf '%-44s %8s %10s %10s %10s %8s %8s\n' capture records sigscope/s detect/s tshark/s ratio det.ratio
  local rel f kind fields n ts td tt
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
}

PIN=()
CORE="${CORE:-0}"
if command -v taskset >/dev/null && taskset -c "$CORE" true 2>/dev/null; then PIN=(taskset -c "$CORE"); fi

best_pinned() { # best wall time of RUNS runs of "$@" on one core, seconds; a failure is reported
  local b="" t0 t1 rc
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s.%N)
    rc=0; "${PIN[@]}" "$@" >/dev/null 2>&1 || rc=$?
    t1=$(date +%s.%N)
    [ "$rc" = 0 ] || echo "warning: '$*' exited with $rc" >&2
    b=$(echo "$t0 $t1 $b" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
  done
  echo "$b"
}

wall() { # wall time of one run of "$@" on the pinned core, seconds
  local t0 t1
  t0=$(date +%s.%N); "${PIN[@]}" "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{print $2 - $1}'
}

median() { # median of the numbers on standard input
  sort -g | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

paired_ratio() { # detect / decode-none of the same binary, PAIRS pairs of runs one after the other
  # (the VM's speed drifts by ~10% between phases: each pair is timed within one phase, and
  # the median of the pairs' ratios is steadier than a ratio of two best-of-RUNS times)
  local bin=$1 f=$2 n d pairs
  pairs=$(mktemp)
  for _ in $(seq "${PAIRS:-9}"); do
    n=$(wall "$bin" decode --format none "$f")
    d=$(wall "$bin" detect "$f")
    echo "$n $d"
  done > "$pairs"
  printf 'detect / decode-without-output, median of %s interleaved pairs: %.3fx (medians %.3f s / %.3f s)\n' \
    "${PAIRS:-9}" "$(awk '{print $2 / $1}' "$pairs" | median)" \
    "$(awk '{print $2}' "$pairs" | median)" "$(awk '{print $1}' "$pairs" | median)"
  rm -f "$pairs"
}

peak_rss_mib() { # peak RSS of "$@" in MiB (GNU time), or "n/a"
  local out
  [ -x /usr/bin/time ] || { echo n/a; return 0; }
  out=$(mktemp)
  if /usr/bin/time -v -o "$out" "${PIN[@]}" "$@" >/dev/null 2>&1; then
    awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$out"
  else
    echo n/a
  fi
  rm -f "$out"
}

mixed() {
  if [ ! -s "$MIXED" ]; then
    mkdir -p "$(dirname "$MIXED")"
    cargo run -q --release --example make_mixed -- "$MIXED" "$MIXED_FRAMES" ||
      { echo "cannot make $MIXED (cargo run --release --example make_mixed)" >&2; return 1; }
  fi
  if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null 2>&1 || true
  fi
  local n mb fields td tt_ek ts tt_f tst rss_d rss_t
  n=$("$BIN" stats "$MIXED" | awk -F'\t' '$1 == "frames" { print $2 }')
  [ -n "$n" ] && [ "$n" -gt 0 ] || { echo "sigscope read no frames from $MIXED" >&2; return 1; }
  mb=$(du -m "$MIXED" | cut -f1)
  fields=(-e frame.number -e gtp.message -e gtp.teid -e gtpv2.message_type -e gtpv2.teid
          -e e212.imsi -e e164.msisdn -e gsm_map.msisdn -e tcap.otid -e tcap.dtid
          -e gsm_old.localValue -e sccp.called.digits -e sccp.calling.digits)
  echo "mixed: $MIXED, $n frames, $mb MB; ${PIN[*]:-unpinned}, best of $RUNS"
  ts=$(best_pinned "$BIN" decode "$MIXED")
  tt_ek=$(best_pinned tshark -n -r "$MIXED" -T ek)
  td=$(best_pinned "$BIN" detect "$MIXED")
  tt_f=$(best_pinned tshark -n -r "$MIXED" -T fields "${fields[@]}")
  tst=$(best_pinned "$BIN" decode --format none "$MIXED")
  rss_d=$(peak_rss_mib "$BIN" detect "$MIXED")
  rss_t=$(peak_rss_mib tshark -n -r "$MIXED" -T fields "${fields[@]}")
  awk -v n="$n" -v s="$ts" -v ek="$tt_ek" -v d="$td" -v f="$tt_f" -v st="$tst" \
      -v rd="$rss_d" -v rt="$rss_t" 'BEGIN {
    h = "%-34s %9s %11s %9s %11s %9s\n"; r = "%-34s %9.3f %11.0f %9.3f %11.0f %8.1fx\n"
    printf h, "task (sigscope vs tshark)", "sig. s", "sig. fr/s", "tshark s", "tshark fr/s", "ratio"
    printf r, "decode JSON vs -T ek", s, n/s, ek, n/ek, ek/s
    printf r, "detect vs -T fields (13 fields)", d, n/d, f, n/f, f/d
    printf r, "typed, no output vs -T fields", st, n/st, f, n/f, f/st
    printf "detect / decode-without-output: %.2fx   JSON decode / without output: %.2fx\n", d/st, s/st
    printf "peak RSS: sigscope detect %s MiB, tshark -T fields %s MiB\n", rd, rt }'
  paired_ratio "$BIN" "$MIXED"
  if [ "${PGO:-0}" = 1 ]; then
    local pbin ps pd pst
    if ! pbin=$(bash benches/pgo.sh | tail -1) || [ ! -x "$pbin" ]; then
      echo "PGO build not made: skipped"
      return 0
    fi
    # the same records and alerts as the release build, or the figures mean nothing
    if [ "$("$BIN" decode "$MIXED" 2>/dev/null | md5sum)" != "$("$pbin" decode "$MIXED" 2>/dev/null | md5sum)" ] ||
       [ "$("$BIN" detect "$MIXED" 2>/dev/null | md5sum)" != "$("$pbin" detect "$MIXED" 2>/dev/null | md5sum)" ]; then
      echo "PGO binary output differs from the release build's: not timed" >&2
      return 1
    fi
    ps=$(best_pinned "$pbin" decode "$MIXED")
    pd=$(best_pinned "$pbin" detect "$MIXED")
    pst=$(best_pinned "$pbin" decode --format none "$MIXED")
    awk -v n="$n" -v s="$ps" -v ek="$tt_ek" -v d="$pd" -v f="$tt_f" -v st="$pst" 'BEGIN {
      r = "%-34s %9.3f %11.0f %9.3f %11.0f %8.1fx\n"
      print "PGO build (benches/pgo.sh: trained on the synthetic scenarios and the demo capture, not on this capture)"
      printf r, "decode JSON vs -T ek", s, n/s, ek, n/ek, ek/s
      printf r, "detect vs -T fields (13 fields)", d, n/d, f, n/f, f/d
      printf r, "typed, no output vs -T fields", st, n/st, f, n/f, f/st
      printf "detect / decode-without-output: %.2fx\n", d/st }'
    paired_ratio "$pbin" "$MIXED"
  fi
}

if [ "$ONLY" != mixed ]; then captures; fi
if [ "$ONLY" != captures ]; then mixed; fi
