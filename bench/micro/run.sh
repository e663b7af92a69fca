#!/usr/bin/env bash
# Builds and runs every Google Benchmark micro-benchmark in bench/micro (issue 6).
#
#   bench/micro/run.sh [benchmark args…]      e.g. bench/micro/run.sh --benchmark_filter=Cache
#
# Switches SINMUN_BENCH on in the normal build directory (build/release, RelWithDebInfo) and
# builds only the benchmarks (the libraries are shared with the server). The machine is shared: read the numbers as relative costs
# (one benchmark against another in the same run), and repeat (--benchmark_repetitions=5).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${SINMUN_BUILD_DIR:-build/release}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSINMUN_BENCH=ON >/dev/null 2>&1
ninja -C "$BUILD" -j "${SINMUN_JOBS:-$(nproc)}" micro_benches >/dev/null
echo "machine: $(nproc) cores, load $(uptime | sed 's/.*load average: //')"
export SINMUN_SOURCE_DIR=$PWD
for b in "$BUILD"/bench/micro/*_bench; do
  echo "== $(basename "$b")"
  "$b" "$@"
done
