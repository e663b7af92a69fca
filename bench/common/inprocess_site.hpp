// InProcessSite: the reader site wired as app/site.cpp wires it (store, renderer, page cache,
// hub, reactions, view counter, router with the real route table) but without sockets, on a
// ManualClock that does not move, so cached pages never age. Benchmarks and the callgrind
// regression guard (bench/callgrind/) drive requests through router + middleware + page cache
// with serve(), exactly the work the server does between parsing a request and writing it.
//
// Thread-safety: as the services it holds; serve() may run on any thread once constructed.
#pragma once

#include "core/clock.hpp"
#include "demo/demo_seed.hpp"
#include "market/hub.hpp"
#include "news/view_counter.hpp"
#include "reactions/reaction_service.hpp"
#include "render/page_cache.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/handlers/services.hpp"
#include "web/middleware.hpp"
#include "web/rate_limiter.hpp"
#include "web/router.hpp"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace sinmun::bench {

inline std::string source_dir() {
    if (const char* env = std::getenv("SINMUN_SOURCE_DIR"); env && *env) return env;
#ifdef SINMUN_BENCH_SOURCE_DIR
    return SINMUN_BENCH_SOURCE_DIR;
#else
    return ".";
#endif
}

// Seeds the demo newsroom (articles, photos) into dir/demo.db and dir/media. Slow (photos are
// encoded with libvips): run it natively, once, before measuring.
inline void prepare_demo(const std::string& dir) {
    std::filesystem::create_directories(dir + "/media");
    store::SqliteOptions o;
    o.path = dir + "/demo.db";
    auto db = store::open_sqlite(o);
    if (!db) throw std::runtime_error(db.error().message);
    if (auto s = demo::seed(**db, dir + "/media", SystemClock::instance(), o.path); !s)
        throw std::runtime_error(s.error().message);
}

class InProcessSite {
public:
    // Opens an existing (seeded) database; the clock is fixed at the real time of construction.
    explicit InProcessSite(const std::string& db_path)
        : clock_(SystemClock::instance().now_ms()), pages_(clock_), site_(nullptr) {
        store::SqliteOptions o;
        o.path = db_path;
        o.create_if_missing = false;
        auto db = store::open_sqlite(o);
        if (!db) throw std::runtime_error(db.error().message);
        db_ = std::move(*db);
        auto renderer =
            render::Renderer::create({source_dir() + "/templates", source_dir() + "/assets"});
        if (!renderer) throw std::runtime_error(renderer.error().message);
        hub_ = std::make_unique<market::Hub>(clock_);
        reactions_ = std::make_unique<reactions::ReactionService>(db_->reactions());
        limiter_ = std::make_unique<web::RateLimiter>(clock_, 5, 30, 100'000);
        site_ = std::make_unique<web::SiteCache>(*db_, clock_);
        media_ = std::make_unique<web::MediaFiles>(
            std::filesystem::path(db_path).parent_path().append("media").string());
        services_.clock = &clock_;
        services_.db = db_.get();
        services_.reactions = reactions_.get();
        services_.hub = hub_.get();
        services_.renderer = *renderer;
        services_.pages = &pages_;
        services_.vote_limiter = limiter_.get();
        services_.views = &views_;
        services_.site = site_.get();
        services_.media = media_.get();
        services_.canonical = &canonical_;
        web::add_routes(router_, services_);
    }

    // One request through router, handler, page cache and middleware; the finalised response.
    web::Outgoing serve(web::Request& req) const {
        std::optional<web::Response> got;
        router_.dispatch(req, [&got](web::Response r) { got.emplace(std::move(r)); });
        if (!got) throw std::runtime_error("handler did not reply synchronously");
        return web::finalize(req, std::move(*got));
    }

    // A reader's GET as the server builds it from the wire (the headers wrk or a browser send).
    static web::Request get(std::string path, std::string accept_encoding = "gzip") {
        web::Request r;
        r.method = "GET";
        r.target = path;
        r.path = std::move(path);
        r.headers = {{"Host", "127.0.0.1:8080"},
                     {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench"},
                     {"Accept", "text/html"},
                     {"Accept-Encoding", std::move(accept_encoding)}};
        r.remote_addr = "127.0.0.1";
        r.request_id = "bench-1";
        return r;
    }

    // The canonical path of the newest published article, and the first section's page.
    std::string first_article_path() const {
        store::ArticleQuery q;
        q.limit = 1;
        auto items = db_->articles().published(q);
        if (!items || items->empty()) throw std::runtime_error("no published article");
        return "/article/" + std::to_string(items->front().id);
    }
    std::string first_section_path() const {
        auto data = site_->get();
        if (!data || data->sections.empty()) throw std::runtime_error("no section");
        return "/section/" + data->sections.front().slug;
    }

    const web::Router& router() const { return router_; }
    web::Services& services() { return services_; }

private:
    ManualClock clock_;
    std::unique_ptr<store::Database> db_;
    render::PageCache pages_;
    std::unique_ptr<market::Hub> hub_;
    std::unique_ptr<reactions::ReactionService> reactions_;
    std::unique_ptr<web::RateLimiter> limiter_;
    news::ViewCounter views_;
    std::unique_ptr<web::SiteCache> site_;
    std::unique_ptr<web::MediaFiles> media_;
    web::CanonicalPaths canonical_;
    web::Services services_;
    web::Router router_;
};

}  // namespace sinmun::bench
