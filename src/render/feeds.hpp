// Feeds and sitemaps: view models → RSS 2.0, Atom 1.0, JSON Feed 1.1, sitemap index, URL sets
// and the Google News sitemap. Pure functions over plain values (no I/O, no clock: the caller
// passes `now_ms`), so golden-file tests pin every byte (tests/golden/, regenerated only with
// SINMUN_UPDATE_GOLDEN=1).
//
// Every URL is absolute, built from SiteSettings::site_url; article paths carry the UTF-8 slug
// percent-encoded (RFC 3986), and every text node is XML-escaped with characters XML 1.0 forbids
// dropped. Times are KST with an explicit offset: RFC 822 "+0900" in RSS, ISO 8601 "+09:00"
// elsewhere.
// Thread-safety: pure functions.
#pragma once

#include "news/model.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::render {

// One article in a feed: the full article (authors, photos, body) and its section.
struct FeedItem {
    news::Article article;
    news::Section section;  // name and slug; empty name when unknown
};

struct FeedView {
    const news::SiteSettings* settings = nullptr;  // required
    std::optional<news::Section> section;          // set: the per-section feed
    std::vector<FeedItem> items;                   // newest first
    bool full_content = false;                     // content:encoded / Atom content / content_html
    std::string hub_url;                           // WebSub hub; "" when none
    std::string self_path;                         // "/rss/politics": the feed's own path
    std::string logo_path;                         // "/assets/logo.<hash>.svg"; may be ""
    std::int64_t now_ms = 0;                       // updated time of an empty feed
};

std::string rss(const FeedView& view);
std::string atom(const FeedView& view);
std::string json_feed(const FeedView& view);
// The newest published/updated time among the items (now_ms when there are none): the feed's
// Last-Modified.
std::int64_t feed_updated_ms(const FeedView& view);

// ---- sitemaps ----------------------------------------------------------------------------------

constexpr int kSitemapMaxUrls = 50'000;     // per sitemap file (sitemaps.org)
constexpr int kNewsSitemapMaxUrls = 1'000;  // per Google News sitemap
constexpr std::int64_t kNewsWindowMs = 48LL * 3600 * 1000;

struct SitemapUrl {
    std::string path;             // site path, may contain UTF-8 (encoded on output)
    std::int64_t lastmod_ms = 0;  // 0: no <lastmod>
};

// Number of article sitemap files for `published_count` articles (at least 1, so the index is
// never empty of article files).
int article_sitemap_count(std::int64_t published_count);
// "/sitemaps/articles-3.xml"
std::string article_sitemap_path(int n);
constexpr const char* kSectionsSitemapPath = "/sitemaps/sections.xml";

std::string sitemap_index(const news::SiteSettings& settings,
                          const std::vector<SitemapUrl>& sitemaps);
std::string sitemap_urlset(const news::SiteSettings& settings, const std::vector<SitemapUrl>& urls);

struct NewsSitemapItem {
    std::string path;  // article path (UTF-8 slug allowed)
    std::string headline;
    std::int64_t published_at = 0;
};
// Google News sitemap; at most kNewsSitemapMaxUrls items are written (the first ones given).
std::string news_sitemap(const news::SiteSettings& settings,
                         const std::vector<NewsSitemapItem>& items);

// ---- helpers shared with the page renderer ---------------------------------------------------

// site_url without trailing '/' + path percent-encoded (UTF-8 bytes → %XX; '/', '?', '&', '='
// kept); absolute http(s) URLs are returned as they are.
std::string absolute_url(const news::SiteSettings& settings, std::string_view path);
// Escapes & < > " ' for XML and drops characters XML 1.0 does not allow (C0 controls but tab,
// newline and carriage return).
std::string xml_escape(std::string_view s);

}  // namespace sinmun::render
