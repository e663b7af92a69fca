// AdminRenderer: the newsroom's HTML pages (templates/admin/*.mustache inside
// templates/admin/layout.mustache). View models are Boost.JSON values, so handlers and their
// tests never see Mustache: strings are HTML-escaped by {{name}}, numbers are shown as written,
// null and empty strings are false for sections, arrays are lists, objects are contexts.
//
// Kept apart from render::Renderer on purpose: the reader renderer is tuned for cached public
// pages (page frame, widgets, JSON-LD), admin pages are per-user, never cached, and have their
// own layout, stylesheet and script. Only admin_render.cpp includes kainjow/mustache.hpp.
// Thread-safety: immutable after create(); page() and fragment() may run on any thread (each
// template is guarded by its own mutex, as kainjow's render is not const).
#pragma once

#include "core/result.hpp"
#include "render/assets.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace sinmun::web::admin {

// What the admin layout shows around every page.
struct AdminFrame {
    std::string title;             // page title (Korean)
    std::string site_name;         // 제호
    std::string active;            // nav key: "dashboard", "new", "main-news", "sections", …
    std::string user_name;         // empty: signed out (login page)
    std::string role;              // "reporter" | "editor" | "admin"
    std::string role_label;        // 기자 · 데스크 · 관리자
    std::string csrf;              // the session's CSRF token (logout form, <meta> for fetch)
    std::string notice;            // a one-line success message
    std::string error;             // a one-line error message
    bool with_reader_css = false;  // the editor page: preview styled by the reader stylesheet
};

class AdminRenderer {
public:
    // Loads every *.mustache file in `<templates_dir>/admin/`; layout.mustache is required.
    // Errors name the file at fault.
    static Result<std::shared_ptr<const AdminRenderer>> create(
        const std::string& templates_dir, std::shared_ptr<const render::AssetCatalog> assets);
    ~AdminRenderer();

    // templates/admin/<name>.mustache rendered with `data`, inside the layout. An unknown name
    // renders an empty content area (and logs an error) — never a crash.
    std::string page(std::string_view name, const boost::json::object& data,
                     const AdminFrame& frame) const;
    // The template alone (for fetch() fragments).
    std::string fragment(std::string_view name, const boost::json::object& data) const;

    const render::AssetCatalog& assets() const { return *assets_; }

    struct Tpl;

private:
    AdminRenderer() = default;
    std::shared_ptr<const render::AssetCatalog> assets_;
    std::map<std::string, std::unique_ptr<Tpl>, std::less<>> templates_;
};

}  // namespace sinmun::web::admin
