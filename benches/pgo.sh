#!/usr/bin/env bash
# A profile-guided (PGO) build of the sigscope CLI, for deployments that want the last 10-20%.
#
# 1. builds an instrumented binary (target/pgo-gen),
# 2. trains it on the project's own synthetic scenarios (`sigscope synth`, every scenario,
#    three seeds) and the bundled demo capture: decode and detect, JSON and no output.
#    The training never sees the benchmark's mixed capture (examples/make_mixed.rs) nor
#    ../shared/captures, so the figures measured on those are not trained on,
# 3. merges the profile with llvm-profdata (rustup component llvm-tools) and builds
#    target/pgo/release/sigscope with it.
#
# Prints the binary's path on its last line. Exits 3 (nothing built) when llvm-profdata is not
# to be had. Environment: PGO_SEEDS (default "1 2 3").
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS="${PGO_SEEDS:-1 2 3}"
HOST=$(rustc -vV | sed -n 's/^host: //p')
PROFDATA="$(rustc --print sysroot)/lib/rustlib/$HOST/bin/llvm-profdata"
if [ ! -x "$PROFDATA" ]; then
  rustup component add llvm-tools >/dev/null 2>&1 || true
fi
[ -x "$PROFDATA" ] || { echo "llvm-profdata not found (rustup component add llvm-tools): no PGO build" >&2; exit 3; }

WORK=target/pgo-work
rm -rf "$WORK" && mkdir -p "$WORK/profiles" "$WORK/train"
RUSTFLAGS="-Cprofile-generate=$PWD/$WORK/profiles" \
  cargo build -q --release -p sigscope-cli --target-dir target/pgo-gen
GEN=target/pgo-gen/release/sigscope

for s in $("$GEN" synth --list | awk '{print $1}'); do
  for seed in $SEEDS; do
    "$GEN" synth -q -s "$s" --seed "$seed" -o "$WORK/train/$s.$seed.pcap" \
      --policy-out "$WORK/train/$s.$seed.toml" >/dev/null
  done
done
cp testdata/demo.pcap "$WORK/train/demo.pcap"
cp testdata/demo-policy.toml "$WORK/train/demo.toml"
for f in "$WORK"/train/*.pcap; do
  pol=()
  [ -f "${f%.pcap}.toml" ] && pol=(--policy "${f%.pcap}.toml")
  for fmt in json none; do
    "$GEN" decode --format "$fmt" "$f" >/dev/null 2>&1 || true
    "$GEN" detect --format "$fmt" "${pol[@]}" "$f" >/dev/null 2>&1 || true
  done
done
"$PROFDATA" merge -o "$WORK/merged.profdata" "$WORK/profiles"

RUSTFLAGS="-Cprofile-use=$PWD/$WORK/merged.profdata" \
  cargo build -q --release -p sigscope-cli --target-dir target/pgo
echo "target/pgo/release/sigscope"
