#!/usr/bin/env bash
# Peers of Sinmun measured the way bench/run measures Sinmun (issue 6, item 7): WordPress
# (Debian's wordpress + php-fpm + mariadb-server behind nginx, with and without an nginx
# fastcgi page cache) and Ghost 5.x (npm, SQLite), each serving one article with the same
# headline and body text as Sinmun's demo article demo/articles/economy/01.md, on 127.0.0.1.
#
#   bench/peers/run.sh [--seconds N] [--conns "50 256"] [--tsv FILE] [--only wordpress|ghost]
#
# Each peer is set up from scratch in a temporary directory (its own MariaDB data directory and
# socket, php-fpm pool, nginx, Ghost content folder) and torn down on exit. wrk runs with
# Accept-Encoding: gzip at each connection count with keep-alive, as for Sinmun. Rows go to
# stdout and, with --tsv, are appended to bench/run's table. Not run in CI.
#
# Installs (once): apt-get install wordpress wordpress-theme-twentytwentythree php-fpm php-mysql
# mariadb-server nginx-light wrk;
# Ghost: npm pack ghost@5.130.6 + npm install inside it, in bench/peers/.ghost (SINMUN_GHOST_DIR).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=10
CONNS="50 256"
TSV=""
ONLY=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) DURATION="$2"; shift ;;
    --conns) CONNS="$2"; shift ;;
    --tsv) TSV="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
THREADS=$(nproc)
ARTICLE_MD=$ROOT/demo/articles/economy/01.md
HEADLINE=$(sed -n 's/^headline: //p' "$ARTICLE_MD")
BODY_MD=$(awk 'n>=2 {print} /^---$/ {n++}' "$ARTICLE_MD")
BODY_HTML=$(python3 -c '
import sys, html
paras = [p.strip() for p in sys.stdin.read().split("\n\n") if p.strip() and not p.startswith("![")]
print("".join("<p>" + html.escape(p) + "</p>" for p in paras))' <<<"$BODY_MD")

WORK=$(mktemp -d /tmp/sinmun-peers-XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  [[ -f "$WORK/php-fpm.pid" ]] && kill "$(cat "$WORK/php-fpm.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  [[ -n "${SINMUN_PEERS_KEEP:-}" ]] && echo "kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

row() {  # what case rps note
  printf '%-34s %-22s %12s  %s\n' "$1" "$2" "$3" "$4"
  [[ -n "$TSV" ]] && printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "-" "-" "$4" >>"$TSV"
  return 0
}
measure() {  # label url
  local label=$1 url=$2 bytes
  bytes=$(curl -s -H 'Accept-Encoding: gzip' -o "$WORK/page" -w '%{size_download}' "$url")
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "$url")
  if [[ $status != 200 ]]; then row "$label" "GET → $status" "-" "not measured"; return; fi
  for c in $CONNS; do
    local out rps p99 bad
    out=$(wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency -H 'Accept-Encoding: gzip' "$url" 2>&1)
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    local errs
    errs=$(awk '/Socket errors/ {sub(/^ *Socket errors: */, ""); print}' <<<"$out")
    row "$label ($bytes B gzip)" "$c conns keepalive" "${rps:-0}" "p99 ${p99:-?}${bad:+; non-2xx $bad}${errs:+; socket errors: $errs}"
  done
}

# --- WordPress ---------------------------------------------------------------------------------
wordpress() {
  for c in mysql_install_db mariadbd php-fpm8.2 nginx; do
    command -v "$c" >/dev/null || { row "WordPress" "not installed" "-" "missing $c: apt-get install wordpress php-fpm php-mysql mariadb-server nginx-light"; return; }
  done
  [[ -d /usr/share/wordpress ]] || { row "WordPress" "not installed" "-" "apt-get install wordpress"; return; }
  local W=$WORK/wp
  mkdir -p "$W/mysql" "$W/tmp" "$W/cache"
  chown -R mysql:mysql "$W/mysql" 2>/dev/null || true
  mysql_install_db --user=mysql --datadir="$W/mysql" --auth-root-authentication-method=normal >"$W/mysql_install.log" 2>&1
  # mysqld runs as mysql: its socket, pid and log live in its own (mysql-owned) data directory.
  local SOCK=$W/mysql/mysqld.sock
  mariadbd --user=mysql --datadir="$W/mysql" --socket="$SOCK" --pid-file="$W/mysql/mysqld.pid" \
    --skip-networking --innodb-buffer-pool-size=256M --log-error="$W/mysql/mysqld.err" &
  PIDS+=($!)
  for _ in $(seq 200); do [[ -S $SOCK ]] && break; sleep 0.1; done
  [[ -S $SOCK ]] || { row "WordPress" "mariadbd did not start" "-" "$(tail -1 "$W/mysql/mysqld.err")"; return; }
  mariadb --socket="$SOCK" -uroot -e "CREATE DATABASE wp; CREATE USER wp@localhost IDENTIFIED BY 'wp'; GRANT ALL ON wp.* TO wp@localhost;"

  # A copy of Debian's WordPress (58 MB; the PHP files find wp-config.php by their real path, so
  # links would load Debian's /etc/wordpress config) with our own wp-config.php.
  cp -rL /usr/share/wordpress "$W/www" 2>/dev/null || cp -r /usr/share/wordpress "$W/www"
  cp -rn /var/lib/wordpress/wp-content/. "$W/www/wp-content/" 2>/dev/null || true
  rm -f "$W/www/wp-config.php" "$W/www/.htaccess"
  # WordPress's canonical redirect loops on a 127.0.0.1:PORT site (301 to the same URL); the
  # article is requested by its canonical /?p=ID anyway.
  mkdir -p "$W/www/wp-content/mu-plugins"
  echo "<?php remove_action('template_redirect', 'redirect_canonical');" >"$W/www/wp-content/mu-plugins/no-canonical.php"
  cat >"$W/www/wp-config.php" <<PHP
<?php
define('DB_NAME', 'wp'); define('DB_USER', 'wp'); define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:$W/mysql/mysqld.sock'); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
\$table_prefix = 'wp_';
define('WP_DEBUG', false); define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
PHP
  chmod -R a+rX "$W/www"
  local WPORT
  WPORT=$(free_port)
  cat >"$W/php-fpm.conf" <<FPM
[global]
pid = $WORK/php-fpm.pid
error_log = $W/php-fpm.log
daemonize = yes
[www]
user = www-data
group = www-data
listen = $W/php-fpm.sock
listen.owner = www-data
listen.group = www-data
pm = static
pm.max_children = $(( THREADS * 4 ))
php_admin_value[opcache.enable] = 1
php_admin_value[opcache.validate_timestamps] = 0
FPM
  php-fpm8.2 -y "$W/php-fpm.conf" -c /etc/php/8.2/fpm/php.ini
  chown www-data "$W/cache" "$W/tmp"
  cat >"$WORK/nginx.conf" <<NGINX
user www-data;
worker_processes $THREADS;
pid $WORK/nginx.pid;
error_log $W/nginx-error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $W/tmp; proxy_temp_path $W/tmp; fastcgi_temp_path $W/tmp;
  uwsgi_temp_path $W/tmp; scgi_temp_path $W/tmp;
  keepalive_requests 1000000;
  gzip on; gzip_types text/css application/javascript;
  fastcgi_cache_path $W/cache levels=1:2 keys_zone=wp:10m inactive=10m;
  server {
    listen 127.0.0.1:$WPORT;
    root $W/www;
    index index.php;
    location / { try_files \$uri \$uri/ /index.php?\$args; }
    location ~ \.php\$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$W/php-fpm.sock;
      set \$nocache 1;
      if (\$http_x_page_cache = "on") { set \$nocache 0; }
      fastcgi_cache wp;
      fastcgi_cache_key "\$request_method\$host\$request_uri";
      fastcgi_cache_valid 200 10m;
      fastcgi_ignore_headers Cache-Control Expires Set-Cookie;
      fastcgi_cache_bypass \$nocache;
      fastcgi_no_cache \$nocache;
      add_header X-Page-Cache \$upstream_cache_status;
    }
  }
}
NGINX
  nginx -c "$WORK/nginx.conf"
  sleep 0.5
  local base="http://127.0.0.1:$WPORT"
  # Install WordPress and post the article with WordPress's own functions (php-cli).
  local id
  id=$(cd "$W/www" && BASE="$base" HEADLINE="$HEADLINE" BODY_HTML="$BODY_HTML" php -r '
    define("WP_INSTALLING", true);
    $_SERVER["HTTP_HOST"] = parse_url(getenv("BASE"), PHP_URL_HOST) . ":" . parse_url(getenv("BASE"), PHP_URL_PORT);
    require "wp-load.php";
    require_once ABSPATH . "wp-admin/includes/upgrade.php";
    wp_install("신문 WordPress", "admin", "admin@example.com", false, "", "bench-Passw0rd!");
    update_option("siteurl", getenv("BASE")); update_option("home", getenv("BASE"));
    update_option("permalink_structure", "");  // plain links: /?p=ID is the canonical URL
    echo wp_insert_post(["post_title" => getenv("HEADLINE"), "post_content" => getenv("BODY_HTML"),
                         "post_status" => "publish"]);' 2>>"$W/php-cli.log" | tail -1)
  if [[ -z "$id" || "$id" == 0 ]]; then row "WordPress" "setup failed" "-" "$(tail -2 "$W/php-cli.log" "$W/php-fpm.log" 2>/dev/null | tr '\n' ' ')"; return; fi
  local url
  url=$(curl -s -L -o /dev/null -w '%{url_effective}' "$base/?p=$id" || true)  # its permalink
  curl -s -o "$W/article.html" "$url" || true
  if ! grep -q "반도체" "$W/article.html"; then
    row "WordPress" "article not served" "-" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$url")"
    return
  fi
  measure "WordPress 6 (php-fpm, no page cache)" "$url"
  # With the page cache: the same nginx location with the fastcgi cache on (X-Page-Cache: on).
  sed -i "s|if (\\\$http_x_page_cache = \"on\") { set \\\$nocache 0; }|set \$nocache 0;|" "$WORK/nginx.conf"
  nginx -c "$WORK/nginx.conf" -s reload
  sleep 0.5
  curl -s -o /dev/null "$url"; curl -s -o /dev/null -H 'Accept-Encoding: gzip' "$url"
  local hit
  hit=$(curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' "$url" | grep -i '^x-page-cache' | tr -d '\r')
  measure "WordPress 6 + nginx fastcgi cache" "$url"
  [[ $hit == *HIT* ]] || row "WordPress + cache" "cache status" "-" "expected HIT, got '$hit'"
  kill "$(cat "$WORK/nginx.pid")" "$(cat "$WORK/php-fpm.pid")" 2>/dev/null || true
  rm -f "$WORK/nginx.pid" "$WORK/php-fpm.pid"
}

# --- Ghost -------------------------------------------------------------------------------------
ghost() {
  # Ghost is installed the way its own CLI does it: the package's tarball unpacked, then its
  # dependencies installed inside it (as a dependency of another package, npm cannot read the
  # `file:components/…` tarballs it ships). devDependencies are dropped first: one of them
  # (mock-knex) is a GitHub tarball, and GitHub is unreachable here.
  local G=${SINMUN_GHOST_DIR:-$ROOT/bench/peers/.ghost}
  local GV=${SINMUN_GHOST_VERSION:-5.130.6}
  if [[ ! -f $G/node_modules/ghost/node_modules/.package-lock.json ]]; then
    rm -rf "$G" && mkdir -p "$G/node_modules"
    if ! (cd "$G" && npm pack "ghost@$GV" >"$G/npm-pack.log" 2>&1 &&
          tar xzf "ghost-$GV.tgz" && mv package node_modules/ghost); then
      row "Ghost $GV" "npm pack ghost@$GV failed" "-" "$(tail -1 "$G/npm-pack.log" | cut -c1-120)"
      return
    fi
    # Two native modules would fetch prebuilt binaries from GitHub and otherwise compile for
    # half an hour: `re2` (used only by the bookmark-card scraper in the editor, never to serve a
    # page) is replaced by bench/peers/re2-shim (JavaScript's RegExp under the same name), and
    # `sqlite3` is built against Debian's libsqlite3 (npm_config_sqlite=/usr: one small binding).
    python3 -c "import json,sys; p=json.load(open(sys.argv[1])); p.pop('devDependencies',None); p['overrides']={'re2':'file:'+sys.argv[2]}; json.dump(p,open(sys.argv[1],'w'))" \
      "$G/node_modules/ghost/package.json" "$ROOT/bench/peers/re2-shim"
    if ! (cd "$G/node_modules/ghost" && timeout "${SINMUN_GHOST_INSTALL_TIMEOUT:-1800}" \
          env npm_config_sqlite=/usr npm install --omit=dev --legacy-peer-deps --no-audit --no-fund >"$G/npm-install.log" 2>&1); then
      row "Ghost $GV" "npm install failed" "-" "$(grep -m1 -E 'npm error (code|path)' "$G/npm-install.log"; grep -m1 'Trying https' "$G/npm-install.log" | cut -c1-100) (log: $G/npm-install.log)"
      return
    fi
  fi
  SINMUN_GHOST_DIR=$G python3 "$ROOT/bench/peers/ghost_setup.py" "$WORK" "$HEADLINE" "$BODY_HTML" >"$WORK/ghost.url" 2>"$WORK/ghost.err" || {
    row "Ghost 5" "setup failed" "-" "$(tail -1 "$WORK/ghost.err" | cut -c1-160)"; return; }
  local url
  url=$(tail -1 "$WORK/ghost.url")
  measure "Ghost $GV (SQLite)" "$url"
  [[ -f $WORK/ghost.pid ]] && kill "$(cat "$WORK/ghost.pid")" 2>/dev/null || true
}

echo "Peers, wrk -t$THREADS -d${DURATION}s, Accept-Encoding: gzip, load: $(uptime | sed 's/.*load average: //')"
[[ -z "$ONLY" || "$ONLY" == wordpress ]] && wordpress
[[ -z "$ONLY" || "$ONLY" == ghost ]] && ghost
exit 0
