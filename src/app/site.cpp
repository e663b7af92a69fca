#include "app/site.hpp"

#include "demo/demo_seed.hpp"
#include "market/demo_feed.hpp"
#include "market/hub.hpp"
#include "market/krx_calendar.hpp"
#include "news/view_counter.hpp"
#include "reactions/reaction_service.hpp"
#include "render/page_cache.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/handlers/services.hpp"
#include "web/rate_limiter.hpp"
#include "web/router.hpp"
#include "web/server.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
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

// Periodic work off the request path: flushing view counts in one transaction.
class Housekeeper {
public:
    Housekeeper(store::Database& db, news::ViewCounter& views) : db_(db), views_(views) {
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
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

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
    const market::KrxCalendar calendar;
    market::Hub hub(clock, hub_options);
    std::unique_ptr<market::DemoMarket> demo_market;
    if (cfg.demo) {
        demo_market = std::make_unique<market::DemoMarket>(hub, clock, calendar);
        demo_market->start();
    }

    reactions::ReactionService reaction_service(db.reactions());
    render::PageCache pages(clock);
    web::RateLimiter vote_limiter(clock, cfg.vote_rate_per_s, cfg.vote_burst, 100'000);
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
    services.views = &views;
    services.site = &site;
    services.media = &media;
    services.canonical = &canonical;
    services.page_max_age_ms = cfg.page_max_age_ms;

    web::Router router;
    web::add_routes(router, services);

    web::ServerOptions options;
    options.host = cfg.host;
    options.port = cfg.port;
    options.threads = cfg.threads;
    options.max_body_bytes = cfg.max_body_bytes;
    options.access_log = cfg.access_log;
    web::Server server(options, router);
    if (auto s = server.listen(); !s) return fail(s.error().message);
    services.extra_metrics = [&server] { return web::prometheus_text(server.metrics()); };

    Housekeeper housekeeper(db, views);
    const std::string host =
        cfg.host.find(':') != std::string::npos ? "[" + cfg.host + "]" : cfg.host;
    std::printf("sinmun: listening on http://%s:%u%s\n", host.c_str(),
                static_cast<unsigned>(server.port()),
                cfg.demo ? " (demo: sample articles and simulated market data)" : "");
    std::fflush(stdout);

    server.run();  // until SIGTERM/SIGINT; in-flight requests drain first

    spdlog::info("shutting down");
    if (demo_market) demo_market->stop();
    housekeeper.stop();
    reaction_service.stop();
    return 0;
}

}  // namespace sinmun::app
