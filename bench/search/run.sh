#!/usr/bin/env bash
# Search benchmark (issue 5): relevance quality over the test set, then a generated corpus of
# Korean articles: indexing rate, index size, query latency p50/p95/p99 single-threaded and with
# concurrent threads, all through store::SearchStore on a temp SQLite file.
#
#   bench/search/run.sh [articles] ["thread counts"] [queries-per-thread]
#   bench/search/run.sh 100000 "1 2 4 8" 1000
#
# Builds the store libraries (scripts/build), then bench/search/search_bench.cpp with g++ (so
# it stays out of CMake and CI). Everything is local; the temp directory is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ARTICLES="${1:-100000}"
THREADS="${2:-1 2 4 8}"
QUERIES="${3:-1000}"
BUILD_DIR="${SINMUN_BUILD_DIR:-build/release}"

command -v g++ >/dev/null || { echo "g++ is required (apt-get install g++)" >&2; exit 1; }
scripts/build sinmun_store >/dev/null

TMP=$(mktemp -d /tmp/sinmun-search-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

g++ -O2 -std=c++20 -pthread -I src -o "$TMP/search_bench" \
  bench/search/search_bench.cpp tests/search/search_corpus.cpp \
  "$BUILD_DIR/src/store/libsinmun_store.a" "$BUILD_DIR/src/news/libsinmun_news.a" \
  "$BUILD_DIR/src/core/libsinmun_core.a" \
  $(pkg-config --libs sqlite3 libutf8proc zlib libbrotlienc libbrotlidec)

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== sqlite $(pkg-config --modversion sqlite3); $(date -u +%Y-%m-%dT%H:%MZ); load average $(cut -d" " -f1-3 /proc/loadavg)"
echo "== quality"
"$TMP/search_bench" quality "$ROOT"
echo "== load: $ARTICLES articles, threads: $THREADS, $QUERIES queries per thread"
# shellcheck disable=SC2086
"$TMP/search_bench" load "$TMP/bench.db" "$ARTICLES" $THREADS --queries "$QUERIES"
echo "== load average after: $(cut -d" " -f1-3 /proc/loadavg)"
