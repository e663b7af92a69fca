// The newsroom's route table: /admin pages and the /api/v1/admin JSON API.
#include "web/handlers/admin_handlers.hpp"
#include "web/router.hpp"

namespace sinmun::web::admin {

void add_admin_routes(Router& router, AdminServices& s) {
    auto h = [&s](Response (*fn)(AdminServices&, Request&)) {
        return sync([&s, fn](Request& req) { return fn(s, req); });
    };

    router.add("GET", "/admin/login", h(login_page));
    router.add("POST", "/admin/login", h(login_post));
    router.add("POST", "/admin/logout", h(logout_post));

    router.add("GET", "/admin", h(dashboard_page));
    router.add("GET", "/admin/articles", h(dashboard_page));
    router.add("GET", "/admin/articles/new", h(new_article_page));
    router.add("POST", "/admin/articles", h(create_article_post));
    router.add("GET", "/admin/articles/{id}/edit", h(edit_article_page));
    router.add("POST", "/admin/articles/{id}/save", h(save_article_post));
    router.add("POST", "/admin/articles/{id}/autosave", h(autosave_post));
    router.add("POST", "/admin/articles/{id}/unpublish", h(unpublish_post));
    router.add("POST", "/admin/articles/{id}/correct", h(correct_post));
    router.add("POST", "/admin/articles/{id}/photos", h(photo_upload_post));
    router.add("GET", "/admin/articles/{id}/history", h(history_page));
    router.add("POST", "/admin/preview", h(preview_post));

    router.add("GET", "/admin/main-news", h(main_news_page));
    router.add("POST", "/admin/main-news", h(main_news_post));
    router.add("GET", "/admin/sections", h(sections_page));
    router.add("POST", "/admin/sections", h(sections_post));
    router.add("GET", "/admin/settings", h(settings_page));
    router.add("POST", "/admin/settings", h(settings_post));
    router.add("GET", "/admin/users", h(users_page));
    router.add("POST", "/admin/users", h(users_post));
    router.add("GET", "/admin/audit", h(audit_page));
    router.add("GET", "/admin/export", h(export_page));
    router.add("GET", "/admin/export.csv", h(export_csv));

    router.add("POST", "/api/v1/admin/articles", h(api_create_article));
    router.add("GET", "/api/v1/admin/articles/{id}", h(api_get_article));
    router.add("PATCH", "/api/v1/admin/articles/{id}", h(api_patch_article));
    router.add("POST", "/api/v1/admin/articles/{id}/publish", h(api_publish_article));
    router.add("POST", "/api/v1/admin/articles/{id}/unpublish", h(api_unpublish_article));
}

}  // namespace sinmun::web::admin
