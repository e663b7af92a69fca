// Config: everything the operator can set, from defaults, then a TOML file, then CLI flags.
// Errors name the file and key ("config.toml: server.listen: expected HOST:PORT").
// Thread-safety: plain value, read-only after start-up.
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sinmun::app {

struct Config {
    // [server]
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    int threads = 0;                        // 0: one io thread per core
    std::size_t max_body_bytes = 16 << 20;  // photo uploads (the pipeline allows 15 MB)
    bool access_log = true;
    // [database]
    std::string db_path;  // default: var/sinmun.db, or var/demo.db with --demo
    // [paths]
    std::string media_dir = "var/media";
    std::string templates_dir;  // default: found beside the binary or in the source tree
    std::string assets_dir;
    // [reactions]
    double vote_rate_per_s = 5.0;  // per client IP
    double vote_burst = 30.0;
    // [market]
    int stale_after_s = 30;
    // Live crypto feed (Upbit's WebSocket quotation protocol). Empty: no live feed (the widget
    // then says prices are unavailable); the demo simulator runs instead with --demo.
    std::string crypto_feed;                            // wss://api.upbit.com/websocket/v1
    std::string crypto_rest = "https://api.upbit.com";  // candle backfill base URL
    // PEM file of CA certificates trusted for the feed's wss:// and https:// besides the system
    // store (a private CA in front of the exchange, or the test CA). Empty: system store only.
    std::string crypto_ca_file;
    // market.holidays: extra KRX 휴장일 ("YYYY-MM-DD") on top of the shipped 2024–2026 table
    std::vector<std::string> krx_extra_holidays;
    // [cache]
    int page_max_age_ms =
        2000;  // how old a cached page may be (market widget values) before re-rendering
    // [feeds]
    bool feed_full_content = false;  // the whole article body in RSS/Atom/JSON Feed
    int feed_items = 30;             // entries per feed (1..200)
    // [indexnow]: pings IndexNow (Naver, Bing …) on publish/update/unpublish. Off unless both
    // are set. The key (8–128 of a-z A-Z 0-9 -) is served at /{key}.txt.
    std::string indexnow_endpoint;  // "https://api.indexnow.org/indexnow"
    std::string indexnow_key;
    // [websub]: pings a WebSub hub with the feed URLs; feeds then carry rel=hub. Off when empty.
    std::string websub_hub;  // "https://pubsubhubbub.appspot.com/"
    // [notify]: how the pinger retries (exponential backoff with jitter).
    int notify_max_attempts = 6;
    int notify_base_delay_ms = 1000;
    // mode
    bool demo = false;
};

// Parses "HOST:PORT" ("127.0.0.1:8080", "[::1]:8080", ":8080").
Status parse_listen(std::string_view text, std::string& host, std::uint16_t& port);

// Reads a TOML file over `cfg`. Unknown keys are errors (a typo must not be silently ignored).
Status load_config_file(const std::string& path, Config& cfg);

// Fills templates_dir/assets_dir when unset: <exe>/../share/sinmun/… if present, else the source
// tree.
void resolve_resource_dirs(Config& cfg, const std::string& exe_path);

}  // namespace sinmun::app
