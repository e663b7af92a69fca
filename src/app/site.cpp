#include "app/site.hpp"

#include "core/text.hpp"

#include "auth/auth_service.hpp"
#include "demo/demo_seed.hpp"
#include "market/demo_feed.hpp"
#include "market/feeds/minute_store.hpp"
#include "market/feeds/upbit_feed.hpp"
#include "market/hub.hpp"
#include "market/krx_calendar.hpp"
#include "market/stock_import.hpp"
#include "media/imaging.hpp"
#include "news/newsroom.hpp"
#include "news/scheduler.hpp"
#include "news/view_counter.hpp"
#include "reactions/reaction_service.hpp"
#include "render/page_cache.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/handlers/admin_render.hpp"
#include "web/handlers/admin_services.hpp"
#include "web/handlers/market_api.hpp"
#include "web/handlers/services.hpp"
#include "web/https_client.hpp"
#include "web/notifier.hpp"
#include "web/rate_limiter.hpp"
#include "web/router.hpp"
#include "web/server.hpp"
#include "web/ws_client.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

namespace sinmun::app {

namespace {

constexpr std::int64_t kViewFlushMs = 10'000;

int fail(const std::string& message) {
    std::fprintf(stderr, "sinmun: error: %s\n", message.c_str());
    return 1;
}

void setup_logging(bool access_log) {
    auto main_logger = spdlog::stderr_logger_mt("sinmun");
    main_logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    spdlog::set_default_logger(main_logger);
    if (access_log) {
        auto access = spdlog::stdout_logger_mt("access");
        access->set_pattern("%v");
        access->flush_on(spdlog::level::info);
    }
}

Status ensure_parent_dir(const std::string& file) {
    namespace fs = std::filesystem;
    const fs::path parent = fs::path(file).parent_path();
    if (parent.empty()) return ok();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
        return make_error(Errc::unavailable,
                          "cannot create directory " + parent.string() + ": " + ec.message());
    return ok();
}

Result<std::unique_ptr<store::Database>> open_database(const Config& cfg) {
    if (auto s = ensure_parent_dir(cfg.db_path); !s) return s.error();
    store::SqliteOptions opts;
    opts.path = cfg.db_path;
    return store::open_sqlite(opts);
}

// Periodic work off the request path: flushing view counts in one transaction, and whatever
// else must follow the clock (e.g. the KRX session state line).
class Housekeeper {
public:
    Housekeeper(store::Database& db, news::ViewCounter& views, std::function<void()> periodic)
        : db_(db), views_(views), periodic_(std::move(periodic)) {
        thread_ = std::thread([this] { loop(); });
    }
    ~Housekeeper() { stop(); }
    void stop() {
        {
            std::lock_guard lock(mu_);
            if (stopping_) return;
            stopping_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
        flush();
    }

private:
    void loop() {
        std::unique_lock lock(mu_);
        while (!stopping_) {
            cv_.wait_for(lock, std::chrono::milliseconds(kViewFlushMs));
            if (stopping_) break;
            lock.unlock();
            flush();
            if (periodic_) periodic_();
            lock.lock();
        }
    }
    void flush() {
        auto pending = views_.drain();
        if (pending.empty()) return;
        if (auto s = db_.articles().add_views(pending); !s)
            spdlog::warn("view counts not saved: {}", s.error().message);
    }

    store::Database& db_;
    news::ViewCounter& views_;
    std::function<void()> periodic_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

std::string feed_health_json(const market::UpbitFeedStats& st) {
    std::string out = "{\"source\":\"upbit\",\"state\":\"" + text::json_escape(st.state) + "\"";
    out += ",\"connected\":" + std::string(st.connected ? "true" : "false");
    out += ",\"reconnects\":" + std::to_string(st.reconnects);
    out += ",\"connect_failures\":" + std::to_string(st.connect_failures);
    out += ",\"messages\":" + std::to_string(st.messages);
    out += ",\"malformed\":" + std::to_string(st.malformed);
    out += ",\"last_message_ms\":" + std::to_string(st.last_message_ms);
    out += ",\"last_error\":\"" + text::json_escape(st.last_error) + "\"}";
    return out;
}

std::string feed_metrics_text(const market::UpbitFeedStats& st) {
    std::string out;
    auto metric = [&out](const char* name, const char* type, const char* help, std::uint64_t v) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
               name + " " + std::to_string(v) + "\n";
    };
    metric("sinmun_feed_connected", "gauge", "1 while the crypto feed's WebSocket is connected.",
           st.connected ? 1 : 0);
    metric("sinmun_feed_live", "gauge", "1 while the crypto feed delivers frames.",
           st.live ? 1 : 0);
    metric("sinmun_feed_reconnects_total", "counter", "Crypto feed reconnects.", st.reconnects);
    metric("sinmun_feed_connect_failures_total", "counter",
           "Crypto feed connection attempts that failed (refused, TLS, handshake).",
           st.connect_failures);
    metric("sinmun_feed_messages_total", "counter", "Crypto feed frames received.", st.messages);
    metric("sinmun_feed_malformed_total", "counter", "Crypto feed frames that did not parse.",
           st.malformed);
    metric("sinmun_feed_backfill_requests_total", "counter", "Candle requests to fill gaps.",
           st.backfill_requests);
    return out;
}

}  // namespace

int run_migrate(const Config& cfg) {
    auto db = open_database(cfg);
    if (!db) return fail(db.error().message);
    auto v = (*db)->schema_version();
    if (!v) return fail(v.error().message);
    std::printf("sinmun: %s is at schema version %d\n", cfg.db_path.c_str(), *v);
    return 0;
}

int run_serve(const Config& cfg) {
    setup_logging(cfg.access_log);
    const Clock& clock = SystemClock::instance();

    auto db_result = open_database(cfg);
    if (!db_result) return fail(db_result.error().message);
    store::Database& db = **db_result;

    if (cfg.demo) {
        std::error_code ec;
        std::filesystem::create_directories(cfg.media_dir, ec);
        if (auto s = demo::seed(db, cfg.media_dir, clock, cfg.db_path); !s)
            return fail(s.error().message);
    }

    auto renderer = render::Renderer::create({cfg.templates_dir, cfg.assets_dir});
    if (!renderer) return fail(renderer.error().message);

    market::HubOptions hub_options;
    hub_options.stale_after_ms = cfg.stale_after_s * 1000LL;
    market::KrxCalendar calendar;
    if (auto s = market::add_extra_holidays(calendar, cfg.krx_extra_holidays); !s)
        return fail("market.holidays: " + s.error().message);
    market::Hub hub(clock, hub_options);
    std::unique_ptr<market::DemoMarket> demo_market;
    // The live crypto feed: protocol and rolling 24 h window in market/, sockets in web/.
    std::unique_ptr<web::HttpsClient> crypto_rest;
    std::unique_ptr<market::UpbitFeed> crypto_feed;
    std::unique_ptr<web::WsClient> crypto_ws;
    if (cfg.demo) {
        demo_market = std::make_unique<market::DemoMarket>(hub, clock, calendar);
        demo_market->start();
    } else {
        if (!cfg.crypto_feed.empty()) {
            web::HttpClientOptions ho;
            ho.ca_file = cfg.crypto_ca_file;
            crypto_rest = std::make_unique<web::HttpsClient>(ho);
            if (auto s = crypto_rest->tls_ready(); !s)
                return fail("market.crypto_ca_file: " + s.error().message);
            market::UpbitFeedOptions o;
            o.ws_url = cfg.crypto_feed;
            o.rest_url = cfg.crypto_rest;
            o.stale_after_ms = cfg.stale_after_s * 1000LL;
            market::persist_minutes_in(db.market(), o);  // the 24 h window survives a restart
            crypto_feed = std::make_unique<market::UpbitFeed>(
                hub, clock, o,
                [rest = crypto_rest.get()](const std::string& url) -> Result<market::HttpAnswer> {
                    auto r = rest->get(url);
                    if (!r) return r.error();
                    return market::HttpAnswer{r->status, r->body};
                });
            crypto_feed->start();  // registers the crypto instruments (before the stocks below)
            web::WsClientOptions wo;
            wo.url = cfg.crypto_feed;
            wo.ca_file = cfg.crypto_ca_file;
            auto* feed = crypto_feed.get();
            crypto_ws = std::make_unique<web::WsClient>(
                wo, web::WsHandlers{
                        [feed] { return feed->on_connected(); },
                        [feed](std::string_view p, bool binary) { feed->on_message(p, binary); },
                        [feed](std::string_view why) { feed->on_disconnected(why); }});
            if (auto s = crypto_ws->start(); !s) return fail("--crypto-feed: " + s.error().message);
        }
        // After the feed registered its instruments: stocks are added beside them.
        if (auto s = market::load_stocks_into(hub, db.market(), calendar); !s)
            return fail(s.error().message);
    }

    render::PageCache pages(clock);
    // Once per committed batch: drop the cached pages that show the voted articles' counts, then
    // hand all the batch's replies to the io threads together (one post per io thread).
    reactions::ReactionService::Options reaction_options;
    reaction_options.around_answers = [&pages](std::span<const std::int64_t> articles,
                                               const std::function<void()>& answer_all) {
        for (const auto id : articles) pages.invalidate_prefix("a:" + std::to_string(id) + ":");
        web::ReplyBatch replies;
        answer_all();
    };
    reactions::ReactionService reaction_service(db.reactions(), std::move(reaction_options));
    web::RateLimiter vote_limiter(clock, cfg.vote_rate_per_s, cfg.vote_burst, 100'000);
    // Each search is a full-text query: 10 per second per client, bursts of 60.
    web::RateLimiter search_limiter(clock, 10.0, 60.0, 100'000);
    news::ViewCounter views;
    web::SiteCache site(db, clock);
    web::MediaFiles media(cfg.media_dir);
    web::CanonicalPaths canonical;

    web::Services services;
    services.clock = &clock;
    services.db = &db;
    services.reactions = &reaction_service;
    services.hub = &hub;
    services.renderer = *renderer;
    services.pages = &pages;
    services.vote_limiter = &vote_limiter;
    services.search_limiter = &search_limiter;
    services.views = &views;
    services.site = &site;
    services.media = &media;
    services.canonical = &canonical;
    services.page_max_age_ms = cfg.page_max_age_ms;
    services.feed_full_content = cfg.feed_full_content;
    services.feed_items = cfg.feed_items;
    services.websub_hub = cfg.websub_hub;
    services.indexnow_key = cfg.indexnow_key;

    // The newsroom: accounts, the publishing workflow and its scheduler. Every change readers
    // can see drops the affected cached pages, so the new version is served on the next request.
    auth::AuthService auth_service(db, clock);
    if (auto s = auth_service.purge_expired_sessions(); !s)
        spdlog::warn("expired sessions not purged: {}", s.error().message);
    // IndexNow and WebSub pings (off unless configured): queued by the change hook below, sent
    // by the notifier's own thread, so a publish never waits for them.
    web::HttpClientOptions ping_options;
    ping_options.max_body_bytes = 1u << 16;
    ping_options.user_agent = "sinmun (+IndexNow, WebSub)";
    web::HttpsClient ping_client(ping_options);
    web::NotifierOptions notify_options;
    notify_options.indexnow_endpoint = cfg.indexnow_endpoint;
    notify_options.indexnow_key = cfg.indexnow_key;
    notify_options.websub_hub = cfg.websub_hub;
    notify_options.max_attempts = cfg.notify_max_attempts;
    notify_options.base_delay = std::chrono::milliseconds(cfg.notify_base_delay_ms);
    web::Notifier notifier(
        notify_options,
        [&ping_client](const std::string& url, const std::string& type, const std::string& body) {
            return ping_client.post(url, type, body);
        });
    services.notifier_metrics = [&notifier] { return notifier.metrics_text(); };
    // Tells IndexNow about a published, edited or unpublished article and the hub about the feeds
    // that list it. Drafts and scheduled articles are nobody's business yet.
    auto announce = [&notifier, &db](std::int64_t id) {
        if (!notifier.enabled() || id == 0) return;
        auto a = db.articles().article(id);
        if (!a || (a->status != news::ArticleStatus::published &&
                   a->status != news::ArticleStatus::unpublished))
            return;
        auto settings = db.settings().site_settings();
        if (!settings) return;
        std::string base = settings->site_url;
        while (!base.empty() && base.back() == '/') base.pop_back();
        std::vector<std::string> feeds = {base + "/rss", base + "/atom.xml", base + "/feed.json"};
        if (auto sections = db.articles().sections()) {
            for (const auto& sec : *sections)
                if (sec.id == a->section_id) feeds.push_back(base + "/rss/" + sec.slug);
        }
        notifier.notify({base + a->url_path()}, feeds);
    };
    std::atomic<std::int64_t> content_changed_ms{clock.now_ms()};
    services.content_changed_ms = [&content_changed_ms] { return content_changed_ms.load(); };
    auto invalidate_article = [&pages, &canonical, &site, &content_changed_ms, &clock,
                               announce](std::int64_t id) {
        content_changed_ms.store(clock.now_ms());
        if (id == 0) {
            pages.clear();
        } else {
            pages.invalidate_prefix("a:" + std::to_string(id) + ":");
            pages.invalidate_prefix("home");
            pages.invalidate_prefix("s:");
            pages.invalidate_prefix("feed:");  // feeds and sitemaps list it (handlers/feeds.cpp)
            pages.invalidate_prefix("sitemap:");
            canonical.erase(id);
        }
        site.invalidate(false);
        announce(id);
    };
    news::Scheduler scheduler(db, clock, invalidate_article);
    news::Newsroom newsroom(
        db, clock, {invalidate_article, [&scheduler](std::int64_t) { scheduler.notify(); }});
    auto admin_renderer =
        web::admin::AdminRenderer::create(cfg.templates_dir, (*renderer)->assets_ptr());
    if (!admin_renderer) return fail(admin_renderer.error().message);
    web::admin::AdminServices admin;
    admin.clock = &clock;
    admin.db = &db;
    admin.auth = &auth_service;
    admin.newsroom = &newsroom;
    admin.renderer = *admin_renderer;
    admin.reader_renderer = *renderer;
    admin.site = &site;
    admin.media_dir = cfg.media_dir;
    admin.invalidate_article = invalidate_article;
    admin.invalidate_site = [&site, &pages] {
        site.invalidate(true);
        pages.clear();
    };

    web::Router router;
    web::add_routes(router, services);
    web::admin::add_admin_routes(router, admin);
    web::MarketApiServices market_api{};
    market_api.clock = &clock;
    market_api.hub = &hub;
    market_api.store = &db.market();
    market_api.calendar = &calendar;
    market_api.authenticate = web::token_checker(auth_service);
    market_api.refresh_state = !cfg.demo;
    web::add_market_routes(router, market_api);

    web::ServerOptions options;
    options.host = cfg.host;
    options.port = cfg.port;
    options.threads = cfg.threads;
    options.max_body_bytes = cfg.max_body_bytes;
    options.access_log = cfg.access_log;
    web::Server server(options, router);
    if (auto s = server.listen(); !s) return fail(s.error().message);
    services.extra_metrics = [&server, feed = crypto_feed.get()] {
        std::string out = web::prometheus_text(server.metrics());
        if (feed) out += feed_metrics_text(feed->stats());
        return out;
    };
    services.feed_health = [feed = crypto_feed.get()] {
        return feed ? feed_health_json(feed->stats()) : std::string{};
    };

    Housekeeper housekeeper(db, views, [&hub, &calendar, demo = cfg.demo] {
        if (!demo) market::refresh_stock_state(hub, calendar);  // 장중 → MM.DD 장종료 at 15:30
    });
    scheduler.start();  // also publishes what came due while the server was down
    // Photo uploads load the imaging module on first use; say now if they will not find it.
    if (auto where = media::find_imaging_module(); !where) {
        spdlog::warn("photo uploads will fail: {}", where.error().message);
    }
    const std::string host =
        cfg.host.find(':') != std::string::npos ? "[" + cfg.host + "]" : cfg.host;
    std::printf("sinmun: listening on http://%s:%u%s\n", host.c_str(),
                static_cast<unsigned>(server.port()),
                cfg.demo ? " (demo: sample articles and simulated market data)" : "");
    std::fflush(stdout);

    server.run();  // until SIGTERM/SIGINT; in-flight requests drain first

    spdlog::info("shutting down");
    scheduler.stop();
    notifier.stop();
    if (crypto_ws) crypto_ws->stop();
    if (crypto_feed) crypto_feed->stop();
    if (demo_market) demo_market->stop();
    housekeeper.stop();
    reaction_service.stop();
    return 0;
}

}  // namespace sinmun::app
