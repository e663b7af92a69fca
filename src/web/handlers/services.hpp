// Services: what the HTTP handlers use, wired once by app/site.cpp. Handlers are thin: they
// parse and check input, call the domain, and turn results into responses.
// Thread-safety: every referenced service is thread-safe; Services itself is read-only after
// wiring.
#pragma once

#include "core/clock.hpp"
#include "news/model.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sinmun::store {
class Database;
}
namespace sinmun::reactions {
class ReactionService;
}
namespace sinmun::market {
class Hub;
}
namespace sinmun::render {
class Renderer;
class PageCache;
class AssetCatalog;
struct Representation;
}  // namespace sinmun::render
namespace sinmun::news {
class ViewCounter;
}

namespace sinmun::web {

class RateLimiter;
class Router;

// Site-wide data every page needs: settings, sections and the ranked 주요 뉴스. Rebuilt at most
// every `refresh_ms` (ranking is computed once, not per request) or when invalidated.
class SiteCache {
public:
    struct Data {
        news::SiteSettings settings;
        std::vector<news::Section> sections;
        std::vector<news::ArticleSummary> main_news;
        std::uint64_t generation = 0;  // changes when settings or sections change
        std::int64_t built_ms = 0;
    };

    SiteCache(store::Database& db, const Clock& clock, std::int64_t refresh_ms = 30'000);
    // The current data (never null after a successful first load).
    std::shared_ptr<const Data> get();
    // Forces a rebuild on next get(); bumps the generation when settings/sections changed.
    void invalidate(bool settings_changed);
    const news::Section* find_section(const Data& d, std::string_view slug) const;
    const news::Section* find_section(const Data& d, std::int64_t id) const;

private:
    std::shared_ptr<const Data> build(std::uint64_t generation);

    store::Database& db_;
    const Clock& clock_;
    const std::int64_t refresh_ms_;
    std::mutex build_mu_;
    std::mutex mu_;
    std::shared_ptr<const Data> data_;
    std::atomic<std::uint64_t> generation_{1};
    std::atomic<bool> dirty_{true};
};

// Photos and other files under the media directory, served from memory once read.
class MediaFiles {
public:
    explicit MediaFiles(std::string dir, std::size_t max_bytes = 256u << 20)
        : dir_(std::move(dir)), max_bytes_(max_bytes) {}
    // `relative` like "demo/p12.jpg"; nullptr when missing or the name is not allowed.
    std::shared_ptr<const render::Representation> find(const std::string& relative);
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
    std::size_t max_bytes_;
    std::mutex mu_;
    std::size_t bytes_ = 0;
    std::unordered_map<std::string, std::shared_ptr<const render::Representation>> cache_;
};

// Canonical article paths by id, learnt when an article is first rendered, so a cached page can
// be served (or a misspelt URL redirected) without touching the database.
class CanonicalPaths {
public:
    std::string get(std::int64_t id);  // "" when unknown
    void set(std::int64_t id, std::string decoded_path);
    void erase(std::int64_t id);

private:
    std::mutex mu_;
    std::unordered_map<std::int64_t, std::string> paths_;
};

struct Services {
    const Clock* clock = nullptr;
    store::Database* db = nullptr;
    reactions::ReactionService* reactions = nullptr;
    market::Hub* hub = nullptr;
    std::shared_ptr<const render::Renderer> renderer;
    render::PageCache* pages = nullptr;
    RateLimiter* vote_limiter = nullptr;
    RateLimiter* search_limiter = nullptr;  // per client IP; null: unlimited
    news::ViewCounter* views = nullptr;
    SiteCache* site = nullptr;
    MediaFiles* media = nullptr;
    CanonicalPaths* canonical = nullptr;
    std::int64_t page_max_age_ms = 2000;
    // Extra Prometheus text (server and process metrics) appended to /metrics.
    std::function<std::string()> extra_metrics;
    // The live feed's state as a JSON object for /healthz ("" when there is no live feed).
    std::function<std::string()> feed_health;
    // Feeds, sitemaps and pings (issue 5; handlers/feeds.cpp).
    bool feed_full_content = false;  // [feeds] full_content: the whole body in feeds
    int feed_items = 30;             // [feeds] items: entries per feed
    std::string websub_hub;          // [websub] hub: rel=hub in feeds; "" when off
    std::string indexnow_key;        // [indexnow] key: served at /{key}.txt; "" when off
    // When the newsroom last changed what readers see (unix ms; the start time after a restart).
    // Feeds and sitemaps never claim a Last-Modified older than this: an unpublish removes an
    // item without making anything newer, and If-Modified-Since must not then answer 304.
    std::function<std::int64_t()> content_changed_ms;
    // Prometheus text of the IndexNow/WebSub notifier (appended to /metrics); may be empty.
    std::function<std::string()> notifier_metrics;
};

// The one route table of the site.
void add_routes(Router& router, Services& services);

}  // namespace sinmun::web
