#include "app/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <set>

#ifndef SINMUN_SOURCE_DIR
#define SINMUN_SOURCE_DIR "."
#endif

namespace sinmun::app {

Status parse_listen(std::string_view text, std::string& host, std::uint16_t& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
        return make_error(Errc::invalid_input,
                          "expected HOST:PORT, got '" + std::string(text) + "'");
    std::string_view h = text.substr(0, colon);
    const std::string_view p = text.substr(colon + 1);
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    unsigned value = 0;
    const auto r = std::from_chars(p.data(), p.data() + p.size(), value);
    if (p.empty() || r.ec != std::errc{} || r.ptr != p.data() + p.size() || value > 65535)
        return make_error(Errc::invalid_input,
                          "port must be a number 0-65535, got '" + std::string(p) + "'");
    host = h.empty() ? "0.0.0.0" : std::string(h);
    port = static_cast<std::uint16_t>(value);
    return ok();
}

namespace {

Error key_error(const std::string& file, const std::string& key, const std::string& what) {
    return make_error(Errc::invalid_input, file + ": " + key + ": " + what);
}

// "2026-06-03": a real calendar date.
bool valid_iso_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)),
              d = std::stoi(s.substr(8, 2));
    return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                       std::chrono::day{unsigned(d)}}
        .ok();
}

}  // namespace

Status load_config_file(const std::string& path, Config& cfg) {
    toml::table tbl;
    try {
        tbl = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        std::string msg = path + ": " + std::string(e.description());
        const auto& src = e.source();
        msg += " (line " + std::to_string(src.begin.line) + ")";
        return make_error(Errc::invalid_input, msg);
    }
    static const std::set<std::string> kKnown = {
        "server.listen",
        "server.threads",
        "server.max_body_bytes",
        "server.access_log",
        "database.path",
        "paths.media",
        "paths.templates",
        "paths.assets",
        "reactions.rate_per_second",
        "reactions.burst",
        "market.stale_after_seconds",
        "market.crypto_feed",
        "market.crypto_rest",
        "market.crypto_ca_file",
        "market.holidays",
        "cache.page_max_age_ms",
        "feeds.full_content",
        "feeds.items",
        "indexnow.endpoint",
        "indexnow.key",
        "websub.hub",
        "notify.max_attempts",
        "notify.base_delay_ms",
    };
    for (const auto& [section, node] : tbl) {
        const auto* sub = node.as_table();
        if (!sub) return key_error(path, std::string(section.str()), "expected a [section]");
        for (const auto& [key, value] : *sub) {
            const std::string full = std::string(section.str()) + "." + std::string(key.str());
            if (!kKnown.count(full)) return key_error(path, full, "unknown setting");
        }
    }
    auto get_string = [&](const char* key, std::string& out) -> Status {
        const auto node = tbl.at_path(key);
        if (!node) return ok();
        if (auto v = node.value<std::string>()) {
            out = *v;
            return ok();
        }
        return key_error(path, key, "expected a string");
    };
    auto get_int = [&](const char* key, long long lo, long long hi, auto& out) -> Status {
        const auto node = tbl.at_path(key);
        if (!node) return ok();
        const auto v = node.value<long long>();
        if (!v || *v < lo || *v > hi)
            return key_error(
                path, key, "expected an integer " + std::to_string(lo) + "-" + std::to_string(hi));
        out = static_cast<std::remove_reference_t<decltype(out)>>(*v);
        return ok();
    };
    auto get_double = [&](const char* key, double lo, double hi, double& out) -> Status {
        const auto node = tbl.at_path(key);
        if (!node) return ok();
        const auto v = node.value<double>();
        if (!v || *v < lo || *v > hi) return key_error(path, key, "expected a number");
        out = *v;
        return ok();
    };
    std::string listen;
    if (auto s = get_string("server.listen", listen); !s) return s;
    if (!listen.empty()) {
        if (auto s = parse_listen(listen, cfg.host, cfg.port); !s)
            return key_error(path, "server.listen", s.error().message);
    }
    if (auto s = get_int("server.threads", 0, 256, cfg.threads); !s) return s;
    if (auto s = get_int("server.max_body_bytes", 1024, 1LL << 30, cfg.max_body_bytes); !s)
        return s;
    if (const auto node = tbl.at_path("server.access_log")) {
        const auto v = node.value<bool>();
        if (!v) return key_error(path, "server.access_log", "expected true or false");
        cfg.access_log = *v;
    }
    if (auto s = get_string("database.path", cfg.db_path); !s) return s;
    if (auto s = get_string("paths.media", cfg.media_dir); !s) return s;
    if (auto s = get_string("paths.templates", cfg.templates_dir); !s) return s;
    if (auto s = get_string("paths.assets", cfg.assets_dir); !s) return s;
    if (auto s = get_double("reactions.rate_per_second", 0.01, 1e9, cfg.vote_rate_per_s); !s)
        return s;
    if (auto s = get_double("reactions.burst", 1, 1e9, cfg.vote_burst); !s) return s;
    if (auto s = get_int("market.stale_after_seconds", 1, 86400, cfg.stale_after_s); !s) return s;
    if (auto s = get_string("market.crypto_feed", cfg.crypto_feed); !s) return s;
    if (auto s = get_string("market.crypto_rest", cfg.crypto_rest); !s) return s;
    if (auto s = get_string("market.crypto_ca_file", cfg.crypto_ca_file); !s) return s;
    if (const auto node = tbl.at_path("market.holidays")) {
        const auto* arr = node.as_array();
        if (!arr) return key_error(path, "market.holidays", "expected an array of \"YYYY-MM-DD\"");
        cfg.krx_extra_holidays.clear();
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const auto v = (*arr)[i].value<std::string>();
            const std::string key = "market.holidays[" + std::to_string(i) + "]";
            if (!v || !valid_iso_date(*v)) return key_error(path, key, "expected \"YYYY-MM-DD\"");
            cfg.krx_extra_holidays.push_back(*v);
        }
    }
    if (auto s = get_int("cache.page_max_age_ms", 0, 3'600'000, cfg.page_max_age_ms); !s) return s;
    if (const auto node = tbl.at_path("feeds.full_content")) {
        const auto v = node.value<bool>();
        if (!v) return key_error(path, "feeds.full_content", "expected true or false");
        cfg.feed_full_content = *v;
    }
    if (auto s = get_int("feeds.items", 1, 200, cfg.feed_items); !s) return s;
    auto get_url = [&](const char* key, std::string& out) -> Status {
        if (auto s = get_string(key, out); !s) return s;
        if (!out.empty() && !out.starts_with("http://") && !out.starts_with("https://"))
            return key_error(path, key, "expected an http:// or https:// URL");
        return ok();
    };
    if (auto s = get_url("indexnow.endpoint", cfg.indexnow_endpoint); !s) return s;
    if (auto s = get_string("indexnow.key", cfg.indexnow_key); !s) return s;
    if (!cfg.indexnow_key.empty()) {
        const bool ok_chars =
            std::all_of(cfg.indexnow_key.begin(), cfg.indexnow_key.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-';
            });
        if (!ok_chars || cfg.indexnow_key.size() < 8 || cfg.indexnow_key.size() > 128)
            return key_error(path, "indexnow.key", "expected 8-128 characters of a-z A-Z 0-9 -");
    }
    if (!cfg.indexnow_endpoint.empty() && cfg.indexnow_key.empty())
        return key_error(path, "indexnow.key", "required when indexnow.endpoint is set");
    if (auto s = get_url("websub.hub", cfg.websub_hub); !s) return s;
    if (auto s = get_int("notify.max_attempts", 1, 50, cfg.notify_max_attempts); !s) return s;
    if (auto s = get_int("notify.base_delay_ms", 1, 3'600'000, cfg.notify_base_delay_ms); !s)
        return s;
    return ok();
}

void resolve_resource_dirs(Config& cfg, const std::string& exe_path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::weakly_canonical(fs::path(exe_path), ec);
    const fs::path share = exe.parent_path().parent_path() / "share" / "sinmun";
    const fs::path base = fs::exists(share / "templates", ec) ? share : fs::path(SINMUN_SOURCE_DIR);
    if (cfg.templates_dir.empty()) cfg.templates_dir = (base / "templates").string();
    if (cfg.assets_dir.empty()) cfg.assets_dir = (base / "assets").string();
}

}  // namespace sinmun::app
