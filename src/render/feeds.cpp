// Feeds and sitemaps (see feeds.hpp). Hand-written XML/JSON: the formats are small and fixed,
// and golden files pin the bytes.
#include "render/feeds.hpp"

#include "core/kst.hpp"
#include "core/text.hpp"
#include "render/markdown.hpp"

#include <algorithm>

namespace sinmun::render {

namespace {

constexpr const char* kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr std::size_t kDescriptionChars = 150;

std::string trim_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

std::string json_str(std::string_view s) { return "\"" + text::json_escape(s) + "\""; }

std::string image_type(std::string_view src) {
    auto ends = [&](std::string_view ext) {
        return src.size() >= ext.size() && src.substr(src.size() - ext.size()) == ext;
    };
    if (ends(".png")) return "image/png";
    if (ends(".webp")) return "image/webp";
    if (ends(".gif")) return "image/gif";
    if (ends(".svg")) return "image/svg+xml";
    return "image/jpeg";
}

// The summary readers see: the deck if there is one, else the start of the body as text.
std::string description_of(const news::Article& a) {
    if (!a.subtitle.empty()) return a.subtitle;
    return plain_text(a.body_md, kDescriptionChars);
}

// Site-relative URLs in rendered body HTML (src, href, srcset entries) made absolute: feed
// readers resolve them against nothing.
std::string absolutize_html(std::string_view html, const std::string& base) {
    std::string out;
    out.reserve(html.size() + 256);
    std::size_t i = 0;
    while (i < html.size()) {
        bool matched = false;
        for (std::string_view attr : {"src=\"", "href=\"", "srcset=\""}) {
            if (html.substr(i, attr.size()) != attr) continue;
            if (i > 0 && html[i - 1] != ' ') continue;
            matched = true;
            out += attr;
            i += attr.size();
            std::size_t end = html.find('"', i);
            if (end == std::string_view::npos) end = html.size();
            std::string_view value = html.substr(i, end - i);
            // Each comma-separated candidate (only srcset has several) that starts with one '/'.
            std::size_t pos = 0;
            while (pos <= value.size()) {
                std::size_t comma = attr == "srcset=\"" ? value.find(',', pos) : value.npos;
                std::string_view part =
                    value.substr(pos, comma == value.npos ? value.npos : comma - pos);
                std::size_t lead = 0;
                while (lead < part.size() && part[lead] == ' ') ++lead;
                out += part.substr(0, lead);
                std::string_view rest = part.substr(lead);
                if (rest.starts_with("/") && !rest.starts_with("//")) out += base;
                out += rest;
                if (comma == value.npos) break;
                out += ',';
                pos = comma + 1;
            }
            i = end;
            break;
        }
        if (!matched) out += html[i++];
    }
    return out;
}

std::string content_html(const news::Article& a, const std::string& base) {
    ArticleBodyHtml body = render_article_body(a.body_md, a.photos);
    return absolutize_html(body.lead_figure + body.body, base);
}

std::string feed_title(const FeedView& v) {
    const auto& st = *v.settings;
    return v.section ? st.site_name + " - " + v.section->name : st.site_name;
}

std::string feed_link(const FeedView& v) {
    return v.section ? absolute_url(*v.settings, "/section/" + v.section->slug)
                     : absolute_url(*v.settings, "/");
}

std::string feed_description(const FeedView& v) {
    const auto& st = *v.settings;
    return v.section ? st.site_name + " " + v.section->name + " 뉴스" : st.tagline;
}

std::int64_t modified_of(const news::Article& a) { return std::max(a.updated_at, a.published_at); }

// The permanent id of an article: /article/{id} without the slug (headlines, hence slugs, may
// be edited; the id never changes, and the bare path redirects to the canonical one).
std::string permalink(const news::SiteSettings& st, const news::Article& a) {
    return absolute_url(st, "/article/" + std::to_string(a.id));
}

}  // namespace

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') break;  // not XML 1.0
                out += ch;
        }
    }
    return out;
}

std::string absolute_url(const news::SiteSettings& st, std::string_view path) {
    if (path.starts_with("http://") || path.starts_with("https://")) return std::string(path);
    return trim_slash(st.site_url) + text::percent_encode_path(path);
}

std::int64_t feed_updated_ms(const FeedView& v) {
    std::int64_t newest = 0;
    for (const auto& it : v.items) newest = std::max(newest, modified_of(it.article));
    return newest ? newest : v.now_ms;
}

// ---- RSS 2.0 ------------------------------------------------------------------------------------

std::string rss(const FeedView& v) {
    const auto& st = *v.settings;
    const std::string base = trim_slash(st.site_url);
    std::string o = kXmlDecl;
    o += "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\""
         " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
         " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
         " xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n";
    o += "<title>" + xml_escape(feed_title(v)) + "</title>\n";
    o += "<link>" + xml_escape(feed_link(v)) + "</link>\n";
    o += "<description>" + xml_escape(feed_description(v)) + "</description>\n";
    o += "<language>ko</language>\n";
    o += "<copyright>" +
         xml_escape("저작권자 © " + st.copyright_holder + " 무단전재 및 재배포 금지") +
         "</copyright>\n";
    o += "<lastBuildDate>" + kst::format_rfc822(feed_updated_ms(v)) + "</lastBuildDate>\n";
    o += "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"" +
         xml_escape(absolute_url(st, v.self_path)) + "\"/>\n";
    if (!v.hub_url.empty())
        o += "<atom:link rel=\"hub\" href=\"" + xml_escape(v.hub_url) + "\"/>\n";
    if (!v.logo_path.empty()) {
        o += "<image><url>" + xml_escape(absolute_url(st, v.logo_path)) + "</url><title>" +
             xml_escape(feed_title(v)) + "</title><link>" + xml_escape(feed_link(v)) +
             "</link></image>\n";
    }
    for (const auto& it : v.items) {
        const news::Article& a = it.article;
        o += "<item>\n";
        o += "<title>" + xml_escape(a.headline) + "</title>\n";
        o += "<link>" + xml_escape(absolute_url(st, a.url_path())) + "</link>\n";
        o += "<guid isPermaLink=\"true\">" + xml_escape(permalink(st, a)) + "</guid>\n";
        o += "<pubDate>" + kst::format_rfc822(a.published_at) + "</pubDate>\n";
        // RSS's <author> holds one e-mail address; every byline goes into dc:creator.
        for (const auto& au : a.authors) {
            if (au.email.empty()) continue;
            o += "<author>" + xml_escape(au.email + " (" + au.name + ")") + "</author>\n";
            break;
        }
        for (const auto& au : a.authors)
            o += "<dc:creator>" + xml_escape(au.name) + "</dc:creator>\n";
        if (!it.section.name.empty()) {
            o += "<category domain=\"" +
                 xml_escape(absolute_url(st, "/section/" + it.section.slug)) + "\">" +
                 xml_escape(it.section.name) + "</category>\n";
        }
        o += "<description>" + xml_escape(description_of(a)) + "</description>\n";
        if (v.full_content)
            o += "<content:encoded>" + xml_escape(content_html(a, base)) + "</content:encoded>\n";
        if (const news::Photo* ph = a.lead_photo()) {
            const std::string url = xml_escape(absolute_url(st, ph->src));
            const std::string type = image_type(ph->src);
            // The file size is not known here; 0 is the accepted "unknown" value.
            o += "<enclosure url=\"" + url + "\" length=\"0\" type=\"" + type + "\"/>\n";
            o += "<media:content url=\"" + url + "\" medium=\"image\" type=\"" + type + "\"";
            if (ph->width > 0) o += " width=\"" + std::to_string(ph->width) + "\"";
            if (ph->height > 0) o += " height=\"" + std::to_string(ph->height) + "\"";
            o += ">";
            if (!ph->caption.empty())
                o += "<media:description>" + xml_escape(ph->caption) + "</media:description>";
            if (!ph->credit.empty())
                o += "<media:credit>" + xml_escape(ph->credit) + "</media:credit>";
            o += "</media:content>\n";
        }
        o += "</item>\n";
    }
    o += "</channel>\n</rss>\n";
    return o;
}

// ---- Atom 1.0 -----------------------------------------------------------------------------------

std::string atom(const FeedView& v) {
    const auto& st = *v.settings;
    const std::string base = trim_slash(st.site_url);
    std::string o = kXmlDecl;
    o += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ko\">\n";
    o += "<id>" + xml_escape(absolute_url(st, v.self_path)) + "</id>\n";
    o += "<title>" + xml_escape(feed_title(v)) + "</title>\n";
    o += "<subtitle>" + xml_escape(feed_description(v)) + "</subtitle>\n";
    o += "<updated>" + kst::format_iso8601(feed_updated_ms(v)) + "</updated>\n";
    o += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape(feed_link(v)) + "\"/>\n";
    o += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" +
         xml_escape(absolute_url(st, v.self_path)) + "\"/>\n";
    if (!v.hub_url.empty()) o += "<link rel=\"hub\" href=\"" + xml_escape(v.hub_url) + "\"/>\n";
    o += "<author><name>" + xml_escape(st.site_name) + "</name></author>\n";
    if (!v.logo_path.empty())
        o += "<logo>" + xml_escape(absolute_url(st, v.logo_path)) + "</logo>\n";
    o += "<rights>" + xml_escape("저작권자 © " + st.copyright_holder + " 무단전재 및 재배포 금지") +
         "</rights>\n";
    for (const auto& it : v.items) {
        const news::Article& a = it.article;
        o += "<entry>\n";
        o += "<id>" + xml_escape(permalink(st, a)) + "</id>\n";
        o += "<title>" + xml_escape(a.headline) + "</title>\n";
        o += "<link rel=\"alternate\" type=\"text/html\" href=\"" +
             xml_escape(absolute_url(st, a.url_path())) + "\"/>\n";
        o += "<published>" + kst::format_iso8601(a.published_at) + "</published>\n";
        o += "<updated>" + kst::format_iso8601(modified_of(a)) + "</updated>\n";
        for (const auto& au : a.authors) {
            o += "<author><name>" + xml_escape(au.name) + "</name>";
            if (!au.email.empty()) o += "<email>" + xml_escape(au.email) + "</email>";
            o += "</author>\n";
        }
        if (!it.section.name.empty()) {
            o += "<category term=\"" + xml_escape(it.section.slug) + "\" label=\"" +
                 xml_escape(it.section.name) + "\"/>\n";
        }
        if (const news::Photo* ph = a.lead_photo()) {
            o += "<link rel=\"enclosure\" type=\"" + image_type(ph->src) + "\" href=\"" +
                 xml_escape(absolute_url(st, ph->src)) + "\"/>\n";
        }
        o += "<summary>" + xml_escape(description_of(a)) + "</summary>\n";
        if (v.full_content)
            o += "<content type=\"html\">" + xml_escape(content_html(a, base)) + "</content>\n";
        o += "</entry>\n";
    }
    o += "</feed>\n";
    return o;
}

// ---- JSON Feed 1.1 ------------------------------------------------------------------------------

std::string json_feed(const FeedView& v) {
    const auto& st = *v.settings;
    const std::string base = trim_slash(st.site_url);
    std::string o = "{\"version\":\"https://jsonfeed.org/version/1.1\"";
    o += ",\"title\":" + json_str(feed_title(v));
    o += ",\"home_page_url\":" + json_str(feed_link(v));
    o += ",\"feed_url\":" + json_str(absolute_url(st, v.self_path));
    o += ",\"description\":" + json_str(feed_description(v));
    o += ",\"language\":\"ko\"";
    if (!v.logo_path.empty()) o += ",\"icon\":" + json_str(absolute_url(st, v.logo_path));
    o += ",\"authors\":[{\"name\":" + json_str(st.site_name) +
         ",\"url\":" + json_str(absolute_url(st, "/")) + "}]";
    if (!v.hub_url.empty())
        o += ",\"hubs\":[{\"type\":\"WebSub\",\"url\":" + json_str(v.hub_url) + "}]";
    o += ",\"items\":[";
    bool first = true;
    for (const auto& it : v.items) {
        const news::Article& a = it.article;
        if (!first) o += ',';
        first = false;
        const std::string summary = description_of(a);
        o += "\n{\"id\":" + json_str(permalink(st, a));
        o += ",\"url\":" + json_str(absolute_url(st, a.url_path()));
        o += ",\"title\":" + json_str(a.headline);
        o += ",\"summary\":" + json_str(summary);
        if (v.full_content)
            o += ",\"content_html\":" + json_str(content_html(a, base));
        else
            o += ",\"content_text\":" + json_str(summary);
        if (const news::Photo* ph = a.lead_photo())
            o += ",\"image\":" + json_str(absolute_url(st, ph->src));
        o += ",\"date_published\":" + json_str(kst::format_iso8601(a.published_at));
        o += ",\"date_modified\":" + json_str(kst::format_iso8601(modified_of(a)));
        o += ",\"authors\":[";
        for (std::size_t i = 0; i < a.authors.size(); ++i) {
            if (i) o += ',';
            o += "{\"name\":" + json_str(a.authors[i].name) + "}";
        }
        o += "]";
        if (!it.section.name.empty()) o += ",\"tags\":[" + json_str(it.section.name) + "]";
        o += ",\"language\":\"ko\"}";
    }
    o += "]}\n";
    return o;
}

// ---- sitemaps -----------------------------------------------------------------------------------

int article_sitemap_count(std::int64_t published_count) {
    if (published_count <= 0) return 1;
    return static_cast<int>((published_count + kSitemapMaxUrls - 1) / kSitemapMaxUrls);
}

std::string article_sitemap_path(int n) {
    return "/sitemaps/articles-" + std::to_string(n) + ".xml";
}

std::string sitemap_index(const news::SiteSettings& st, const std::vector<SitemapUrl>& sitemaps) {
    std::string o = kXmlDecl;
    o += "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    for (const auto& s : sitemaps) {
        o += "<sitemap><loc>" + xml_escape(absolute_url(st, s.path)) + "</loc>";
        if (s.lastmod_ms) o += "<lastmod>" + kst::format_iso8601(s.lastmod_ms) + "</lastmod>";
        o += "</sitemap>\n";
    }
    o += "</sitemapindex>\n";
    return o;
}

std::string sitemap_urlset(const news::SiteSettings& st, const std::vector<SitemapUrl>& urls) {
    std::string o = kXmlDecl;
    o.reserve(urls.size() * 120 + 200);
    o += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    for (const auto& u : urls) {
        o += "<url><loc>" + xml_escape(absolute_url(st, u.path)) + "</loc>";
        if (u.lastmod_ms) o += "<lastmod>" + kst::format_iso8601(u.lastmod_ms) + "</lastmod>";
        o += "</url>\n";
    }
    o += "</urlset>\n";
    return o;
}

std::string news_sitemap(const news::SiteSettings& st, const std::vector<NewsSitemapItem>& items) {
    std::string o = kXmlDecl;
    o += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
         " xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n";
    const std::size_t n = std::min<std::size_t>(items.size(), kNewsSitemapMaxUrls);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& it = items[i];
        o += "<url><loc>" + xml_escape(absolute_url(st, it.path)) + "</loc>";
        o += "<news:news><news:publication><news:name>" + xml_escape(st.site_name) +
             "</news:name><news:language>ko</news:language></news:publication>";
        o += "<news:publication_date>" + kst::format_iso8601(it.published_at) +
             "</news:publication_date>";
        o += "<news:title>" + xml_escape(it.headline) + "</news:title></news:news></url>\n";
    }
    o += "</urlset>\n";
    return o;
}

}  // namespace sinmun::render
