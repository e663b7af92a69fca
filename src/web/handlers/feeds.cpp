// Feeds (/rss, /rss/{section}, /atom.xml, /feed.json), sitemaps (/sitemap.xml,
// /sitemaps/articles-N.xml, /sitemaps/sections.xml, /news-sitemap.xml) and the IndexNow key file.
// Bodies come from render/feeds.hpp and are kept in the page cache under "feed:" and "sitemap:"
// keys; the newsroom's change hook (app/site.cpp) drops both, so a publish, edit or unpublish
// shows at once. Each representation carries Last-Modified (newest change it lists) and an ETag,
// so readers polling with If-Modified-Since / If-None-Match get 304.
#include "web/handlers/feeds.hpp"

#include "render/feeds.hpp"
#include "render/page_cache.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/handlers/handler_util.hpp"

#include <algorithm>

namespace sinmun::web {

namespace {

// Feeds change with publishes (which invalidate them); the age only bounds staleness after
// writes that bypass the newsroom (e.g. `sinmun import` into a running site's database).
constexpr std::int64_t kFeedMaxAgeMs = 5 * 60 * 1000;
constexpr const char* kRssType = "application/rss+xml; charset=utf-8";
constexpr const char* kAtomType = "application/atom+xml; charset=utf-8";
constexpr const char* kJsonFeedType = "application/feed+json; charset=utf-8";
constexpr const char* kXmlType = "application/xml; charset=utf-8";

enum class FeedKind { rss, atom, json };

// Last-Modified of a list whose newest entry changed at `newest_ms`: never older than the last
// newsroom change (removals make nothing newer).
std::int64_t last_modified(Services& s, std::int64_t newest_ms) {
    return std::max(newest_ms, s.content_changed_ms ? s.content_changed_ms() : 0);
}

// Serves `key` from the page cache, building it with `build` on a miss. A failed build answers
// with its error; the page cache never keeps a failed (empty) body, so the next request retries.
Response cached(Services& s, Request& req, const std::string& key, const char* content_type,
                const std::function<Result<render::PageCache::Rendered>()>& build) {
    auto site = s.site->get();
    std::optional<Error> failure;
    auto rep = s.pages->get_or_render_typed(key, site->generation, kFeedMaxAgeMs, content_type,
                                            [&]() -> render::PageCache::Rendered {
                                                auto r = build();
                                                if (!r) {
                                                    failure = r.error();
                                                    return {};
                                                }
                                                return std::move(*r);
                                            });
    if (failure) return error_response(*failure, req);
    return Response::of(rep);
}

Response cached_xml(Services& s, Request& req, const std::string& key,
                    const std::function<Result<render::PageCache::Rendered>()>& build) {
    return cached(s, req, key, kXmlType, build);
}

// When a listed article last changed: its 입력 or 수정 time, whichever is later.
std::int64_t changed_ms(std::int64_t published_at, std::int64_t updated_at) {
    return std::max(published_at, updated_at);
}

// The newest change among published articles (optionally of one section); 0 when none.
Result<std::int64_t> newest_change(Services& s, std::optional<std::int64_t> section_id) {
    store::ArticleQuery q;
    q.section_id = section_id;
    q.limit = 1;
    auto newest = s.db->articles().published(q);
    if (!newest) return newest.error();
    return newest->empty() ? 0
                           : changed_ms(newest->front().published_at, newest->front().updated_at);
}

Response feed(Services& s, Request& req, FeedKind kind, std::string_view section_slug) {
    auto site = s.site->get();
    std::optional<news::Section> section;
    if (!section_slug.empty()) {
        const news::Section* found = s.site->find_section(*site, section_slug);
        if (!found) return error_response(make_error(Errc::not_found, "없는 섹션입니다."), req);
        section = *found;
    }
    std::string self;
    const char* type = kRssType;
    switch (kind) {
        case FeedKind::rss:
            self = section ? "/rss/" + section->slug : "/rss";
            break;
        case FeedKind::atom:
            self = "/atom.xml";
            type = kAtomType;
            break;
        case FeedKind::json:
            self = "/feed.json";
            type = kJsonFeedType;
            break;
    }
    return cached(s, req, "feed:" + self, type, [&]() -> Result<render::PageCache::Rendered> {
        store::ArticleQuery q;
        if (section) q.section_id = section->id;
        q.limit = std::clamp(s.feed_items, 1, 200);
        auto list = s.db->articles().published(q);
        if (!list) return list.error();
        render::FeedView v;
        v.settings = &site->settings;
        v.section = section;
        v.full_content = s.feed_full_content;
        v.hub_url = s.websub_hub;
        v.self_path = self;
        v.logo_path = s.renderer->assets().url("logo.svg");
        v.now_ms = s.clock->now_ms();
        for (const auto& summary : *list) {
            auto a = s.db->articles().article(summary.id);
            if (!a) continue;  // unpublished meanwhile
            if (a->status != news::ArticleStatus::published) continue;
            render::FeedItem item;
            if (const auto* sec = s.site->find_section(*site, a->section_id)) item.section = *sec;
            item.article = std::move(*a);
            v.items.push_back(std::move(item));
        }
        std::string body = kind == FeedKind::rss    ? render::rss(v)
                           : kind == FeedKind::atom ? render::atom(v)
                                                    : render::json_feed(v);
        return render::PageCache::Rendered{std::move(body),
                                           last_modified(s, render::feed_updated_ms(v))};
    });
}

}  // namespace

Response rss_feed(Services& s, Request& req) { return feed(s, req, FeedKind::rss, ""); }
Response rss_section_feed(Services& s, Request& req) {
    return feed(s, req, FeedKind::rss, req.param("section"));
}
Response atom_feed(Services& s, Request& req) { return feed(s, req, FeedKind::atom, ""); }
Response json_feed(Services& s, Request& req) { return feed(s, req, FeedKind::json, ""); }

Response sitemap_index(Services& s, Request& req) {
    return cached_xml(s, req, "sitemap:index", [&]() -> Result<render::PageCache::Rendered> {
        auto site = s.site->get();
        auto count = s.db->articles().count_published(std::nullopt);
        if (!count) return count.error();
        // The newest article's time stands for when the lists last changed.
        auto newest = newest_change(s, std::nullopt);
        if (!newest) return newest.error();
        const std::int64_t lastmod = *newest;
        std::vector<render::SitemapUrl> files;
        const int n = render::article_sitemap_count(*count);
        for (int i = 1; i <= n; ++i) files.push_back({render::article_sitemap_path(i), lastmod});
        files.push_back({render::kSectionsSitemapPath, lastmod});
        return render::PageCache::Rendered{render::sitemap_index(site->settings, files),
                                           last_modified(s, lastmod)};
    });
}

Response article_sitemap(Services& s, Request& req) {
    // /sitemaps/{file}: "articles-N.xml" or "sections.xml".
    const std::string_view file = req.param("file");
    if (file == "sections.xml") {
        return cached_xml(s, req, "sitemap:sections", [&]() -> Result<render::PageCache::Rendered> {
            auto site = s.site->get();
            std::vector<render::SitemapUrl> urls;
            auto home_mod = newest_change(s, std::nullopt);
            if (!home_mod) return home_mod.error();
            urls.push_back({"/", *home_mod});
            for (const auto& sec : site->sections) {
                auto mod = newest_change(s, sec.id);
                if (!mod) return mod.error();
                urls.push_back({"/section/" + sec.slug, *mod});
            }
            return render::PageCache::Rendered{render::sitemap_urlset(site->settings, urls),
                                               last_modified(s, *home_mod)};
        });
    }
    constexpr std::string_view kPrefix = "articles-", kSuffix = ".xml";
    if (!file.starts_with(kPrefix) || !file.ends_with(kSuffix) ||
        file.size() <= kPrefix.size() + kSuffix.size())
        return error_response(make_error(Errc::not_found, "없는 사이트맵입니다."), req);
    const auto n =
        parse_id(file.substr(kPrefix.size(), file.size() - kPrefix.size() - kSuffix.size()));
    if (!n || *n > 100'000)
        return error_response(make_error(Errc::not_found, "없는 사이트맵입니다."), req);
    auto count = s.db->articles().count_published(std::nullopt);
    if (!count) return error_response(count.error(), req);
    if (*n > render::article_sitemap_count(*count))
        return error_response(make_error(Errc::not_found, "없는 사이트맵입니다."), req);
    return cached_xml(
        s, req, "sitemap:a:" + std::to_string(*n), [&]() -> Result<render::PageCache::Rendered> {
            auto site = s.site->get();
            auto refs = s.db->articles().published_refs((*n - 1) * render::kSitemapMaxUrls,
                                                        render::kSitemapMaxUrls);
            if (!refs) return refs.error();
            std::vector<render::SitemapUrl> urls;
            urls.reserve(refs->size());
            std::int64_t newest = 0;
            for (const auto& r : *refs) {
                const std::int64_t mod = changed_ms(r.published_at, r.updated_at);
                newest = std::max(newest, mod);
                news::ArticleSummary ref;  // for its canonical path (id + slug)
                ref.id = r.id;
                ref.headline = r.headline;
                urls.push_back({ref.url_path(), mod});
            }
            return render::PageCache::Rendered{render::sitemap_urlset(site->settings, urls),
                                               last_modified(s, newest)};
        });
}

Response news_sitemap(Services& s, Request& req) {
    return cached_xml(s, req, "sitemap:news", [&]() -> Result<render::PageCache::Rendered> {
        auto site = s.site->get();
        const std::int64_t now = s.clock->now_ms();
        auto recent = s.db->articles().published_between(now - render::kNewsWindowMs, now + 1);
        if (!recent) return recent.error();
        // Newest first, at most 1,000 (published_between lists oldest first).
        std::vector<render::NewsSitemapItem> items;
        for (auto it = recent->rbegin();
             it != recent->rend() &&
             items.size() < static_cast<std::size_t>(render::kNewsSitemapMaxUrls);
             ++it) {
            items.push_back({it->url_path(), it->headline, it->published_at});
        }
        // The 48-hour window moves with the clock: the list changes without any edit.
        return render::PageCache::Rendered{render::news_sitemap(site->settings, items), now};
    });
}

Response indexnow_key_file(Services& s, Request& req) {
    Response r = Response::text(200, s.indexnow_key);
    r.set_header("Cache-Control", "public, max-age=3600");
    return r;
}

}  // namespace sinmun::web
