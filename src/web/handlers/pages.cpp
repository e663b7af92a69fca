// Reader pages: home, section, article, the font-size preference, and Korean error pages.
// Pages are rendered once per (page, font step, site generation) and served from the page
// cache with pre-compressed bodies and an ETag; a cached page is re-rendered after
// page_max_age_ms so the server-rendered market widgets stay fresh without JavaScript.
#include "web/handlers/pages.hpp"
#include "core/text.hpp"
#include "news/view_counter.hpp"
#include "reactions/reaction_service.hpp"
#include "render/page_cache.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/handlers/handler_util.hpp"

#include <algorithm>

namespace sinmun::web {

namespace {

constexpr int kSectionPageSize = 20;
constexpr int kHomeBlockSize = 5;

std::string key_suffix(int font_step) { return ":fs" + std::to_string(font_step); }

// The reader's font step: the only part of the page frame a cache key needs. The whole frame
// (sections, 주요 뉴스, the market snapshot: copies) is built only when a page is rendered.
int font_step(const Request& req) { return render::font_step_from_cookie(req.cookie("fs")); }

}  // namespace

Response home_page(Services& s, Request& req) {
    auto site = s.site->get();
    const std::string key = "home" + key_suffix(font_step(req));
    auto rep = s.pages->get_or_render(key, site->generation, s.page_max_age_ms, [&] {
        render::HomeView v;
        v.frame = make_frame(s, *site, req);
        v.frame.canonical_path = "/";
        v.frame.description = site->settings.tagline;
        // The lead is the editors' first pick; the rest of 주요 뉴스 follows it.
        if (!site->main_news.empty()) {
            v.lead = site->main_news.front();
            v.top.assign(site->main_news.begin() + 1, site->main_news.end());
        }
        for (const auto& section : site->sections) {
            store::ArticleQuery q;
            q.section_id = section.id;
            q.limit = kHomeBlockSize;
            auto items = s.db->articles().published(q);
            if (!items || items->empty()) continue;
            v.blocks.push_back({section, std::move(*items)});
        }
        return s.renderer->home(v);
    });
    return Response::of(rep);
}

Response section_page(Services& s, Request& req) {
    auto site = s.site->get();
    const news::Section* section = s.site->find_section(*site, req.param("slug"));
    if (!section) return error_response(make_error(Errc::not_found, "없는 섹션입니다."), req);
    int page = 1;
    if (auto p = req.query_param("page")) {
        auto n = parse_id(*p);
        if (!n || *n > 100000)
            return error_response(make_error(Errc::not_found, "없는 페이지입니다."), req);
        page = static_cast<int>(*n);
    }
    // The article count (how many pages exist) is read when the page is rendered, not on every
    // request: a cached page was within range when it was built, and stays for page_max_age_ms.
    const std::string key =
        "s:" + section->slug + ":" + std::to_string(page) + key_suffix(font_step(req));
    Error failure{};
    bool failed = false;
    auto rep = s.pages->get_or_render(key, site->generation, s.page_max_age_ms, [&] {
        auto total = s.db->articles().count_published(section->id);
        if (!total) {
            failed = true;
            failure = total.error();
            return std::string{};
        }
        const int page_count =
            std::max<int>(1, static_cast<int>((*total + kSectionPageSize - 1) / kSectionPageSize));
        if (page > page_count) {
            failed = true;
            failure = make_error(Errc::not_found, "없는 페이지입니다.");
            return std::string{};
        }
        store::ArticleQuery q;
        q.section_id = section->id;
        q.limit = kSectionPageSize;
        q.offset = (page - 1) * kSectionPageSize;
        auto items = s.db->articles().published(q);
        if (!items) {
            failed = true;
            failure = items.error();
            return std::string{};
        }
        render::SectionView v;
        v.frame = make_frame(s, *site, req);
        v.frame.active_section = section->slug;
        v.frame.title = section->name;
        v.frame.description = site->settings.site_name + " " + section->name + " 뉴스";
        v.frame.canonical_path =
            "/section/" + section->slug + (page > 1 ? "?page=" + std::to_string(page) : "");
        v.section = *section;
        v.items = std::move(*items);
        v.page = page;
        v.page_count = page_count;
        return s.renderer->section(v);
    });
    if (failed) {
        s.pages->invalidate_prefix(key);
        return error_response(failure, req);
    }
    return Response::of(rep);
}

Response article_page(Services& s, Request& req) {
    const auto id = parse_id(req.param("id"));
    if (!id) return error_response(make_error(Errc::not_found, "기사를 찾을 수 없습니다."), req);

    std::string canonical = s.canonical->get(*id);
    if (canonical.empty()) {
        auto a = s.db->articles().article(*id);
        if (!a) {
            if (a.error().code == Errc::not_found)
                return error_response(make_error(Errc::not_found, "기사를 찾을 수 없습니다."), req);
            return error_response(a.error(), req);
        }
        if (a->status == news::ArticleStatus::unpublished)
            return error_response(410, "삭제되었거나 게재가 중단된 기사입니다.", req);
        if (a->status != news::ArticleStatus::published)
            return error_response(make_error(Errc::not_found, "기사를 찾을 수 없습니다."), req);
        canonical = text::percent_decode(a->url_path());
        s.canonical->set(*id, canonical);
    }
    // /article/{id} alone is accepted; any other spelling redirects to the canonical URL.
    const std::string bare = "/article/" + std::to_string(*id);
    if (req.path != canonical && req.path != bare) {
        Response r = Response::redirect(301, text::percent_encode_path(canonical));
        return r;
    }
    if (!req.is_head() && !news::is_probably_bot(req.header("User-Agent"))) s.views->record(*id);

    auto site = s.site->get();
    const std::string key = "a:" + std::to_string(*id) + ":" + key_suffix(font_step(req));
    int gone_status = 0;
    auto rep = s.pages->get_or_render(key, site->generation, s.page_max_age_ms, [&] {
        auto a = s.db->articles().article(*id);
        if (!a || a->status != news::ArticleStatus::published) {
            gone_status = (a && a->status == news::ArticleStatus::unpublished) ? 410 : 404;
            return std::string{};
        }
        render::ArticleView v;
        v.frame = make_frame(s, *site, req);
        const news::Section* section = s.site->find_section(*site, a->section_id);
        if (section) {
            v.section = *section;
            v.frame.active_section = section->slug;
        }
        v.frame.title = a->headline;
        v.frame.description = a->subtitle;
        v.frame.canonical_path = a->url_path();
        if (auto st = s.reactions->state(*id, {})) v.counts = st->counts;
        store::ArticleQuery q;
        q.section_id = a->section_id;
        q.limit = 6;
        if (auto more = s.db->articles().published(q)) {
            for (auto& m : *more)
                if (m.id != *id && v.more.size() < 5) v.more.push_back(std::move(m));
        }
        v.article = std::move(*a);
        return s.renderer->article(v);
    });
    if (gone_status) {
        s.pages->invalidate_prefix("a:" + std::to_string(*id) + ":");
        s.canonical->erase(*id);
        return error_response(gone_status,
                              gone_status == 410 ? "삭제되었거나 게재가 중단된 기사입니다."
                                                 : "기사를 찾을 수 없습니다.",
                              req);
    }
    return Response::of(rep);
}

Response font_size_pref(Services& s, Request& req) {
    const auto form = parse_form(req.body);
    const auto size = form_value(form, "size");
    if (!size || size->size() != 1 || (*size)[0] < '0' || (*size)[0] >= '0' + render::kFontSteps)
        return error_response(
            make_error(Errc::invalid_input, "글자 크기는 0부터 4까지의 단계 중 하나여야 합니다."),
            req);
    Response r = Response::redirect(
        303, text::percent_encode_path(safe_back_path(form_value(form, "back").value_or("/"))));
    r.add_header("Set-Cookie", make_cookie("fs", *size, 365LL * 24 * 3600, /*http_only=*/false));
    return r;
}

Response render_error_page(Services& s, int status, std::string_view message, const Request& req) {
    auto site = s.site->get();
    auto frame = make_frame(s, *site, req);
    frame.title = std::to_string(status);
    return Response::html(status, s.renderer->error(status, message, frame));
}

}  // namespace sinmun::web
