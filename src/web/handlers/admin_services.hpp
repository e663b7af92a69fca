// The newsroom's HTTP surface: /admin pages (session cookie + CSRF token) and the admin JSON API
// /api/v1/admin/… (bearer tokens). Handlers are thin: they authenticate, parse input against an
// allowlist, call news::Newsroom / auth::AuthService (which enforce the role rules themselves) and
// turn results into pages or JSON. Refusals are 403 pages/JSON with the domain's message.
//
// Wiring (app/site.cpp):
//   auto admin_renderer = web::admin::AdminRenderer::create(cfg.templates_dir,
//                                                           (*renderer)->assets_ptr());
//   web::admin::AdminServices admin;
//   admin.clock = &clock; admin.db = &db; admin.auth = &auth_service;
//   admin.newsroom = &newsroom; admin.renderer = *admin_renderer;
//   admin.reader_renderer = *renderer; admin.media_dir = cfg.media_dir;
//   admin.site = &site;  // for the preview frame and settings
//   admin.invalidate_article = [&](std::int64_t id) { … PageCache/CanonicalPaths/SiteCache … };
//   admin.invalidate_site = [&] { site.invalidate(true); pages.invalidate_prefix(""); };
//   web::admin::add_admin_routes(router, admin);   // after add_routes
//
// Thread-safety: read-only after wiring; every referenced service is thread-safe.
#pragma once

#include "core/clock.hpp"
#include "media/photo_pipeline.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace sinmun::store {
class Database;
}
namespace sinmun::auth {
class AuthService;
}
namespace sinmun::news {
class Newsroom;
}
namespace sinmun::render {
class Renderer;
}

namespace sinmun::web {

class Router;
class SiteCache;

namespace admin {

class AdminRenderer;

struct AdminServices {
    const Clock* clock = nullptr;
    store::Database* db = nullptr;
    auth::AuthService* auth = nullptr;
    news::Newsroom* newsroom = nullptr;
    std::shared_ptr<const AdminRenderer> renderer;            // admin pages
    std::shared_ptr<const render::Renderer> reader_renderer;  // the live preview, as readers see it
    SiteCache* site = nullptr;  // optional: settings/sections for the preview frame
    std::string media_dir;      // uploads go to <media_dir>/uploads/
    media::UploadLimits upload_limits;
    bool secure_cookies = false;  // add Secure to the session cookie (behind HTTPS)
    // After a change readers can see (edit of a published article, publish, unpublish, correct):
    // drop the article's cached pages and canonical path. 0: site-wide (주요 뉴스 pins).
    std::function<void(std::int64_t article_id)> invalidate_article;
    // After site settings or sections changed: rebuild the site data and drop cached pages.
    std::function<void()> invalidate_site;
};

// Adds every /admin and /api/v1/admin route. `s` must outlive the router.
void add_admin_routes(Router& router, AdminServices& s);

}  // namespace admin
}  // namespace sinmun::web
