#!/usr/bin/env bash
# Serves one warm article page from Sinmun and the very same bytes (same encoding, same headers)
# as a static file from nginx, both on 127.0.0.1, and runs wrk against each in the same run.
# Prints requests/s, p99 latency and the ratio Sinmun/nginx for each connection count.
#
#   bench/http/article_vs_nginx.sh [seconds=10] [connections="50 256"] [encoding=gzip]
#
# Loopback only, bounded in time (each wrk run lasts `seconds`). Both servers get the same
# number of worker threads (the machine's cores) and share the cores with wrk, as they would
# with any load generator on one machine, so read the ratio, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
CONNS="${2:-50 256}"
ENCODING="${3:-gzip}"
THREADS=$(nproc)

scripts/setup --test >/dev/null
scripts/build sinmun >/dev/null
BIN=build/release/src/app/sinmun
WORK=$(mktemp -d /tmp/sinmun-bench-XXXXXX)
chmod 755 "$WORK"  # nginx workers run as an unprivileged user and must read the page
cleanup() {
  [[ -n "${SPID:-}" ]] && kill "$SPID" 2>/dev/null || true
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SPORT=$(free_port)
NPORT=$(free_port)

cat > "$WORK/bench.toml" <<TOML
[server]
access_log = false
threads = $THREADS
TOML
(cd "$WORK" && exec "$OLDPWD/$BIN" serve --demo --listen "127.0.0.1:$SPORT" --db "$WORK/demo.db" --config "$WORK/bench.toml" >"$WORK/sinmun.log" 2>&1) &
SPID=$!
for _ in $(seq 1 300); do grep -q "listening on" "$WORK/sinmun.log" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$WORK/sinmun.log" || { cat "$WORK/sinmun.log"; exit 1; }

ARTICLE=$(curl -s "http://127.0.0.1:$SPORT/" | grep -o 'href="/article/[^"]*"' | sed -n '1{s/href="//; s/"$//; p}')
URL="http://127.0.0.1:$SPORT$ARTICLE"
curl -s -o /dev/null "$URL"   # warm the page cache
# The exact bytes and headers Sinmun sends for this page with this encoding.
curl -s -D "$WORK/headers" -H "Accept-Encoding: $ENCODING" -o "$WORK/www/article" --create-dirs "$URL"
chmod -R a+rX "$WORK/www"
BYTES=$(stat -c %s "$WORK/www/article")
CTYPE=$(grep -i '^content-type:' "$WORK/headers" | cut -d' ' -f2- | tr -d '\r')
CENC=$(grep -i '^content-encoding:' "$WORK/headers" | cut -d' ' -f2- | tr -d '\r' || true)
CSP=$(grep -i '^content-security-policy:' "$WORK/headers" | cut -d' ' -f2- | tr -d '\r')

mkdir -p "$WORK/nginx-tmp"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes $THREADS;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp; fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  server_tokens off;
  server {
    listen 127.0.0.1:$NPORT;
    root $WORK/www;
    location = /article {
      default_type "$CTYPE";
      add_header Content-Encoding "$CENC" always;
      add_header Vary "Accept-Encoding" always;
      add_header Cache-Control "no-cache" always;
      add_header Content-Security-Policy "$CSP" always;
      add_header X-Content-Type-Options nosniff always;
      add_header X-Frame-Options DENY always;
      add_header Referrer-Policy strict-origin-when-cross-origin always;
    }
  }
}
NGINX
nginx -c "$WORK/nginx.conf"
sleep 0.3

run_wrk() {  # url conns extra-args → "rps p99_ms"
  local out
  out=$(wrk -t"$THREADS" -c"$2" -d"${DURATION}s" --latency -H "Accept-Encoding: $ENCODING" $3 "$1" 2>&1)
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  [[ -n "$non2xx" ]] && echo "warning: $1 answered $non2xx non-2xx responses" >&2
  echo "$rps $p99"
}

echo "Article page: $BYTES bytes ($ENCODING), $THREADS server threads each, wrk ${DURATION}s per run, $(nproc) cores"
printf '%-28s %14s %10s %14s %10s %8s\n' "case" "sinmun req/s" "p99" "nginx req/s" "p99" "ratio"
for c in $CONNS; do
  for mode in keepalive close; do
    extra=""
    [[ $mode == close ]] && extra="-H Connection:close"
    [[ $mode == close && $c -gt 50 ]] && continue
    read -r srps sp99 < <(run_wrk "$URL" "$c" "$extra")
    read -r nrps np99 < <(run_wrk "http://127.0.0.1:$NPORT/article" "$c" "$extra")
    ratio=$(python3 -c "print(f'{$srps/$nrps:.2f}')")
    printf '%-28s %14s %10s %14s %10s %8s\n' "$c conns, $mode" "$srps" "$sp99" "$nrps" "$np99" "${ratio}x"
  done
done
echo
echo "reproduce: bench/http/article_vs_nginx.sh $DURATION \"$CONNS\" $ENCODING"
