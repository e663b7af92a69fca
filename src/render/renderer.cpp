// Renderer implementation: builds Mustache data from view models and renders templates/.
// The only file that includes kainjow/mustache.hpp (it is heavy and not const-correct).
#include "render/renderer.hpp"

#include "core/decimal.hpp"
#include "core/kst.hpp"
#include "core/text.hpp"
#include "render/markdown.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace sinmun::render {

namespace mst = kainjow::mustache;
using Data = mst::data;

// One parsed template and the mutex that serialises its (non-const) render().
struct Tpl {
    std::unique_ptr<mst::mustache> m;
    mutable std::mutex mu;
    std::string render(const Data& d) const {
        std::lock_guard lock(mu);
        return m->render(d);
    }
};

struct Renderer::Templates {
    Tpl layout, home, section, article, error, crypto, stocks, search;
    std::string headline_partial;
};

namespace {

constexpr std::array<const char*, kFontSteps> kFontLabels = {"가장작게", "작게", "기본", "크게",
                                                             "가장크게"};
constexpr std::array<const char*, 7> kWeekdays = {"일요일", "월요일", "화요일", "수요일",
                                                  "목요일", "금요일", "토요일"};
constexpr const char* kBasis = "24시간 변동률 기준";

Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, "template not found: " + path.string());
    std::ostringstream buf;
    buf << in.rdbuf();
    return std::move(buf).str();
}

Status load_template(const std::filesystem::path& dir, const char* name, Tpl& out) {
    auto src = read_file(dir / name);
    if (!src) return src.error();
    out.m = std::make_unique<mst::mustache>(*src);
    if (!out.m->is_valid()) {
        return make_error(Errc::invalid_input, std::string("template ") + (dir / name).string() +
                                                   ": " + out.m->error_message());
    }
    return ok();
}

// Optional text: an explicit `false` when empty, so a section on it is skipped and a lookup never
// falls through to a same-named key of an enclosing context (Mustache walks the context stack).
Data opt(const std::string& s) { return s.empty() ? Data(false) : Data(s); }

std::string korean_date(std::int64_t ms) {
    auto t = kst::to_kst(ms);
    return std::to_string(t.year) + "년 " + std::to_string(t.month) + "월 " +
           std::to_string(t.day) + "일 " + kWeekdays[static_cast<std::size_t>(t.weekday % 7)];
}

std::string trim_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

std::string absolute_url(const news::SiteSettings& st, std::string_view path) {
    if (path.starts_with("http://") || path.starts_with("https://")) return std::string(path);
    return trim_slash(st.site_url) + std::string(path);
}

// The tel: URI of a phone number as people write it ("02-000-0000 (대표)" → "02-000-0000"):
// digits and dashes, a leading '+'; "" when nothing dialable is left (then no link is made).
std::string tel_digits(std::string_view phone) {
    std::string out;
    for (char c : phone) {
        if ((c >= '0' && c <= '9') || (c == '-' && !out.empty()) || (c == '+' && out.empty()))
            out += c;
        else if (!out.empty() && c != ' ' && c != '.')
            break;  // a note after the number
    }
    while (!out.empty() && (out.back() == '-' || out.back() == '+')) out.pop_back();
    return out.find_first_of("0123456789") == std::string::npos ? std::string() : out;
}

// 말머리: "단독"/"속보" become a red badge; "[르포]" a bracketed prefix in the headline colour.
void set_label(Data& d, std::string_view raw_label) {
    std::string label(text::trim(raw_label));
    bool bracketed = label.size() >= 2 && label.front() == '[' && label.back() == ']';
    d.set("label_badge", bracketed ? Data(false) : opt(label));
    d.set("label_prefix", bracketed ? Data(label) : Data(false));
}

Data image_data(const news::Photo& ph) {
    Data d{Data::type::object};
    d.set("src", ph.src);
    d.set("alt", ph.alt.empty() ? ph.caption : ph.alt);
    d.set("width", ph.width > 0 ? std::to_string(ph.width) : std::string("640"));
    d.set("height", ph.height > 0 ? std::to_string(ph.height) : std::string("360"));
    return d;
}

Data summary_data(const news::ArticleSummary& s, bool thumb) {
    Data d{Data::type::object};
    d.set("id", std::to_string(s.id));
    d.set("url", s.url_path());
    d.set("headline", s.headline);
    set_label(d, s.label);
    d.set("subtitle", opt(s.subtitle));
    d.set("excerpt", opt(s.excerpt));
    d.set("time_iso", s.published_at ? kst::format_iso8601(s.published_at) : std::string());
    d.set("time_text", s.published_at ? kst::format_minute(s.published_at) : std::string());
    std::string authors;
    for (const auto& a : s.author_names) {
        if (!authors.empty()) authors += " · ";
        authors += a + " 기자";
    }
    d.set("authors", opt(authors));
    d.set("thumb", thumb && s.lead_photo ? image_data(*s.lead_photo) : Data(false));
    return d;
}

Data summaries(const std::vector<news::ArticleSummary>& items, bool thumbs) {
    Data list{Data::type::list};
    for (const auto& s : items) list.push_back(summary_data(s, thumbs));
    return list;
}

// JSON for a <script type="application/ld+json"> block: '<', '>' and '&' are escaped so no
// string in it can close the script element.
std::string json_str(std::string_view s) {
    std::string esc = text::json_escape(s);
    std::string out = "\"";
    for (char c : esc) {
        if (c == '<')
            out += "\\u003c";
        else if (c == '>')
            out += "\\u003e";
        else if (c == '&')
            out += "\\u0026";
        else
            out += c;
    }
    out += '"';
    return out;
}

const char* dir_of(std::optional<std::int64_t> ppm) {
    if (!ppm) return "none";
    return *ppm > 0 ? "up" : *ppm < 0 ? "down" : "flat";
}
const char* arrow_of(std::string_view dir) { return dir == "up" ? "▲" : dir == "down" ? "▼" : ""; }
const char* tick_of(int tick) { return tick > 0 ? "up" : tick < 0 ? "down" : "flat"; }

std::string rate_text(std::optional<std::int64_t> ppm) {
    return ppm ? format_percent_ppm(*ppm) : std::string("—");
}

// The crypto source line without the basis it may already carry (the basis is shown separately).
std::string source_without_basis(std::string source) {
    for (std::string_view sep : {" · ", " ", ""}) {
        std::string needle = std::string(sep) + kBasis;
        if (auto pos = source.find(needle); pos != std::string::npos) {
            source.erase(pos, needle.size());
            break;
        }
    }
    return std::string(text::trim(source));
}

}  // namespace

int font_step_from_cookie(const std::optional<std::string>& cookie) {
    if (!cookie || cookie->size() != 1) return kDefaultFontStep;
    char c = (*cookie)[0];
    return c >= '0' && c < '0' + kFontSteps ? c - '0' : kDefaultFontStep;
}

Renderer::~Renderer() = default;

Result<std::shared_ptr<const Renderer>> Renderer::create(const RendererOptions& options) {
    auto assets = AssetCatalog::load(options.assets_dir);
    if (!assets) return assets.error();
    return create(options, *assets);
}

Result<std::shared_ptr<const Renderer>> Renderer::create(
    const RendererOptions& options, std::shared_ptr<const AssetCatalog> assets) {
    if (!assets) return make_error(Errc::invalid_input, "renderer needs an asset catalog");
    std::filesystem::path dir(options.templates_dir);
    auto t = std::make_unique<Templates>();
    struct Named {
        const char* file;
        Tpl* tpl;
    };
    for (auto [file, tpl] :
         {Named{"layout.mustache", &t->layout}, Named{"home.mustache", &t->home},
          Named{"section.mustache", &t->section}, Named{"article.mustache", &t->article},
          Named{"error.mustache", &t->error}, Named{"widget_crypto.mustache", &t->crypto},
          Named{"widget_stocks.mustache", &t->stocks}, Named{"search.mustache", &t->search}}) {
        if (auto st = load_template(dir, file, *tpl); !st) return st.error();
    }
    auto partial = read_file(dir / "partials" / "headline.mustache");
    if (!partial) return partial.error();
    // Partials are inlined into running text; a trailing newline would add a stray space.
    while (!partial->empty() && (partial->back() == '\n' || partial->back() == '\r'))
        partial->pop_back();
    t->headline_partial = std::move(*partial);
    if (!mst::mustache(t->headline_partial).is_valid()) {
        return make_error(Errc::invalid_input,
                          "template partials/headline.mustache does not parse");
    }
    std::shared_ptr<Renderer> r(new Renderer());
    r->assets_ = std::move(assets);
    r->templates_ = std::move(t);
    return std::shared_ptr<const Renderer>(std::move(r));
}

// ---- widgets -------------------------------------------------------------------------------

std::string Renderer::crypto_widget(const market::Snapshot* snap) const {
    Data d{Data::type::object};
    d.set("basis", std::string(kBasis));
    if (snap) {
        d.set("demo", snap->demo);
        d.set("source", opt(source_without_basis(snap->crypto_source)));
        d.set("asof_iso", snap->as_of_ms ? kst::format_iso8601(snap->as_of_ms) : std::string());
        d.set("asof_text", snap->as_of_ms ? kst::format_hms(snap->as_of_ms) : std::string("—"));
        Data rows{Data::type::list};
        for (const auto& row : snap->crypto) {
            Data r{Data::type::object};
            const auto& q = row.quote;
            std::string dir = dir_of(q.change_ppm);
            r.set("code", row.instrument.code);
            r.set("name", row.instrument.name);
            r.set("price_text", q.price.to_display());
            r.set("dir", dir);
            r.set("tick", std::string(tick_of(q.tick)));
            r.set("arrow", std::string(arrow_of(dir)));
            r.set("rate_text", rate_text(q.change_ppm));
            r.set("is_new", !q.change_ppm.has_value());
            r.set("stale", row.stale);
            rows.push_back(r);
        }
        d.set("has_rows", !snap->crypto.empty());
        d.set("rows", rows);
    } else {
        d.set("demo", false);
        d.set("source", false);
        d.set("asof_iso", std::string());
        d.set("asof_text", std::string("—"));
        d.set("has_rows", false);
        d.set("rows", Data{Data::type::list});
    }
    return templates_->crypto.render(d);
}

std::string Renderer::stocks_widget(const market::Snapshot* snap) const {
    Data d{Data::type::object};
    Data rows{Data::type::list};
    if (snap) {
        d.set("demo", snap->demo);
        d.set("marker", opt(snap->krx_marker));
        d.set("state", std::string(snap->krx_state == market::KrxState::open       ? "open"
                                   : snap->krx_state == market::KrxState::pre_open ? "pre_open"
                                   : snap->krx_state == market::KrxState::holiday  ? "holiday"
                                                                                   : "closed"));
        d.set("source", opt(snap->stock_source));
        for (const auto& row : snap->gainers) {
            Data r{Data::type::object};
            const auto& q = row.quote;
            std::string dir = dir_of(q.change_ppm);
            r.set("code", row.instrument.code);
            r.set("name", row.instrument.name);
            r.set("market", opt(row.instrument.market));
            r.set("price_text", q.price.to_display());
            r.set("dir", dir);
            r.set("arrow", std::string(arrow_of(dir)));
            r.set("rate_text", rate_text(q.change_ppm));
            r.set("limit_up", q.limit_up);
            r.set("halted", q.halted);
            rows.push_back(r);
        }
        d.set("has_rows", !snap->gainers.empty());
    } else {
        d.set("demo", false);
        d.set("marker", false);
        d.set("state", std::string("closed"));
        d.set("source", false);
        d.set("has_rows", false);
    }
    d.set("rows", rows);
    return templates_->stocks.render(d);
}

// ---- layout --------------------------------------------------------------------------------

namespace {

struct PageExtras {
    const char* kind = "page";  // body class: page-home, page-article …
    std::string head_html;      // JSON-LD and article meta, already escaped
    bool is_article = false;
    std::string og_image;  // absolute URL or ""
    int og_image_width = 0, og_image_height = 0;
    std::string published_iso, modified_iso, section_name;
    bool noindex = false;
};

}  // namespace

static std::string render_layout(const Renderer& r, const Renderer::Templates& t,
                                 const PageFrame& f, const std::string& content,
                                 const PageExtras& x) {
    static const news::SiteSettings kDefaults{};
    const news::SiteSettings& st = f.settings ? *f.settings : kDefaults;
    const AssetCatalog& assets = r.assets();
    Data d{Data::type::object};
    int step = std::clamp(f.font_step, 0, kFontSteps - 1);
    d.set("font_step", std::to_string(step));
    d.set("page_kind", std::string(x.kind));
    d.set("page_title",
          f.title.empty() ? st.site_name + " - " + st.tagline : f.title + " - " + st.site_name);
    d.set("og_title", f.title.empty() ? st.site_name : f.title);
    d.set("description", opt(f.description.empty() ? st.tagline : f.description));
    // Error pages have no canonical URL: they are not the page at that address.
    d.set("canonical_url",
          x.noindex ? Data(false)
                    : Data(absolute_url(st, f.canonical_path.empty() ? "/" : f.canonical_path)));
    d.set("css_url", assets.url("site.css"));
    d.set("js_url", assets.url("site.js"));
    d.set("logo_url", assets.url("logo.svg"));
    d.set("favicon_url", assets.url("favicon.svg"));
    d.set("head_extra", x.head_html);
    d.set("noindex", x.noindex);
    d.set("og_type", std::string(x.is_article ? "article" : "website"));
    d.set("og_image", opt(x.og_image));
    d.set("og_image_width",
          x.og_image_width > 0 ? Data(std::to_string(x.og_image_width)) : Data(false));
    d.set("og_image_height",
          x.og_image_height > 0 ? Data(std::to_string(x.og_image_height)) : Data(false));
    // Feed autodiscovery: the site's feeds on every page, a section's own RSS on its pages.
    const news::Section* feed_section = nullptr;
    if (std::string_view(x.kind) == "section") {
        for (const auto& s : f.sections)
            if (s.slug == f.active_section) feed_section = &s;
    }
    if (feed_section) {
        Data sf{Data::type::object};
        sf.set("url", absolute_url(st, "/rss/" + text::percent_encode(feed_section->slug)));
        sf.set("title", st.site_name + " " + feed_section->name + " RSS");
        d.set("section_feed", sf);
    } else {
        d.set("section_feed", false);
    }
    d.set("rss_url", absolute_url(st, "/rss"));
    d.set("atom_url", absolute_url(st, "/atom.xml"));
    d.set("json_feed_url", absolute_url(st, "/feed.json"));
    d.set("is_article", x.is_article);
    d.set("published_iso", opt(x.published_iso));
    d.set("modified_iso", opt(x.modified_iso));
    d.set("article_section", opt(x.section_name));

    d.set("site_name", st.site_name);
    d.set("tagline", st.tagline);
    d.set("demo", st.demo);
    std::int64_t now = f.now_ms;
    d.set("today", korean_date(now));
    d.set("today_iso", kst::format_iso8601(now).substr(0, 10));
    d.set("home_active", f.active_section.empty() && std::string_view(x.kind) == "home");
    Data nav{Data::type::list};
    for (const auto& s : f.sections) {
        Data n{Data::type::object};
        n.set("slug", text::percent_encode(s.slug));
        n.set("name", s.name);
        n.set("active", !f.active_section.empty() && s.slug == f.active_section);
        nav.push_back(n);
    }
    d.set("nav", nav);
    d.set("content", content);

    Data main_news{Data::type::list};
    int rank = 0;
    for (const auto& s : f.main_news) {
        Data item = summary_data(s, false);
        item.set("rank", std::to_string(++rank));
        main_news.push_back(item);
    }
    d.set("main_news", main_news);
    d.set("has_main_news", !f.main_news.empty());
    d.set("crypto_widget", r.crypto_widget(f.market.get()));
    d.set("stocks_widget", r.stocks_widget(f.market.get()));

    d.set("company", st.company);
    d.set("registration_no", st.registration_no);
    d.set("registration_date", st.registration_date);
    d.set("founded", st.founded);
    d.set("publisher", st.publisher);
    d.set("editor", st.editor);
    d.set("youth_officer", st.youth_officer);
    d.set("address", st.address);
    d.set("phone", st.phone);
    d.set("phone_tel", opt(tel_digits(st.phone)));
    d.set("email", st.email);
    d.set("copyright_holder", st.copyright_holder);
    d.set("hl_partial", mst::partial([&t] { return t.headline_partial; }));
    return t.layout.render(d);
}

// Content templates use the headline partial too.
static Data content_root(const Renderer::Templates& t, const PageFrame& f) {
    Data d{Data::type::object};
    d.set("hl_partial", mst::partial([&t] { return t.headline_partial; }));
    static const news::SiteSettings kDefaults{};
    const news::SiteSettings& st = f.settings ? *f.settings : kDefaults;
    d.set("site_name", st.site_name);
    d.set("copyright_holder", st.copyright_holder);
    return d;
}

// ---- pages ---------------------------------------------------------------------------------

std::string Renderer::home(const HomeView& v) const {
    Data d = content_root(*templates_, v.frame);
    if (v.lead) {
        Data lead = summary_data(*v.lead, false);
        lead.set("photo", v.lead->lead_photo ? image_data(*v.lead->lead_photo) : Data(false));
        d.set("lead", lead);
    } else {
        d.set("lead", false);
    }
    d.set("top", summaries(v.top, false));
    d.set("has_top", !v.top.empty());
    Data blocks{Data::type::list};
    for (const auto& b : v.blocks) {
        if (b.items.empty()) continue;
        Data blk{Data::type::object};
        blk.set("slug", text::percent_encode(b.section.slug));
        blk.set("name", b.section.name);
        blk.set("first", summary_data(b.items.front(), true));
        std::vector<news::ArticleSummary> rest(b.items.begin() + 1, b.items.end());
        blk.set("rest", summaries(rest, false));
        blocks.push_back(blk);
    }
    d.set("blocks", blocks);
    PageExtras x;
    x.kind = "home";
    return render_layout(*this, *templates_, v.frame, templates_->home.render(d), x);
}

std::string Renderer::section(const SectionView& v) const {
    Data d = content_root(*templates_, v.frame);
    d.set("section_name", v.section.name);
    std::string base = "/section/" + text::percent_encode(v.section.slug);
    d.set("section_url", base);
    d.set("items", summaries(v.items, true));
    d.set("empty", v.items.empty());
    int count = std::max(1, v.page_count);
    int page = std::clamp(v.page, 1, count);
    auto href = [&](int n) { return n == 1 ? base : base + "?page=" + std::to_string(n); };
    d.set("prev", page > 1 ? Data(href(page - 1)) : Data(false));
    d.set("next", page < count ? Data(href(page + 1)) : Data(false));
    // A window of at most 10 page numbers around the current page.
    int first = std::max(1, std::min(page - 4, count - 9));
    int last = std::min(count, first + 9);
    Data pages{Data::type::list};
    for (int n = first; n <= last; ++n) {
        Data p{Data::type::object};
        p.set("n", std::to_string(n));
        p.set("href", href(n));
        p.set("current", n == page);
        pages.push_back(p);
    }
    d.set("pages", pages);
    d.set("paginate", count > 1);
    PageExtras x;
    x.kind = "section";
    return render_layout(*this, *templates_, v.frame, templates_->section.render(d), x);
}

std::string Renderer::article(const ArticleView& v) const {
    const news::Article& a = v.article;
    static const news::SiteSettings kDefaults{};
    const news::SiteSettings& st = v.frame.settings ? *v.frame.settings : kDefaults;
    Data d = content_root(*templates_, v.frame);
    d.set("id", std::to_string(a.id));
    d.set("path", a.url_path());
    d.set("section_slug", text::percent_encode(v.section.slug));
    d.set("section_name", v.section.name);
    d.set("has_section", !v.section.name.empty());
    d.set("headline", a.headline);
    set_label(d, a.label);
    d.set("subtitle", opt(a.subtitle));
    // Correction notices (정정·반론·추후보도), shown above the headline, oldest first.
    Data corrections{Data::type::list};
    for (const auto& c : a.corrections) {
        Data cd{Data::type::object};
        cd.set("type", std::string(news::to_string(c.type)));
        cd.set("label", std::string(news::korean_label(c.type)) +
                            (c.type == news::CorrectionType::follow_up ? "" : "보도"));
        cd.set("text", c.text);
        cd.set("iso", c.at ? kst::format_iso8601(c.at) : std::string());
        cd.set("at_text", c.at ? kst::format_minute(c.at) : std::string());
        corrections.push_back(cd);
    }
    d.set("has_corrections", !a.corrections.empty());
    d.set("corrections", corrections);
    Data authors{Data::type::list};
    for (const auto& au : a.authors) {
        Data ad{Data::type::object};
        ad.set("name", au.name);
        ad.set("email", opt(au.email));
        authors.push_back(ad);
    }
    d.set("authors", authors);
    d.set("published_iso", a.published_at ? kst::format_iso8601(a.published_at) : std::string());
    d.set("published_text",
          a.published_at ? kst::format_minute(a.published_at) : std::string("미발행"));
    // 수정 only when the article was edited after publishing (compared at the displayed minute).
    bool updated = a.updated_at != 0 && a.updated_at != a.published_at &&
                   kst::format_minute(a.updated_at) != kst::format_minute(a.published_at);
    if (updated) {
        Data u{Data::type::object};
        u.set("iso", kst::format_iso8601(a.updated_at));
        u.set("text", kst::format_minute(a.updated_at));
        d.set("updated", u);
    } else {
        d.set("updated", false);
    }
    int step = std::clamp(v.frame.font_step, 0, kFontSteps - 1);
    Data fonts{Data::type::list};
    for (int i = 0; i < kFontSteps; ++i) {
        Data b{Data::type::object};
        b.set("step", std::to_string(i));
        b.set("label", std::string(kFontLabels[static_cast<std::size_t>(i)]));
        b.set("pressed", std::string(i == step ? "true" : "false"));
        fonts.push_back(b);
    }
    d.set("font_buttons", fonts);

    ArticleBodyHtml body = render_article_body(a.body_md, a.photos);
    d.set("lead_figure", body.lead_figure);
    d.set("body_html", body.body);

    Data reactions{Data::type::list};
    for (auto kind : reactions::kAllKinds) {
        Data rd{Data::type::object};
        bool pressed = std::find(v.mine.begin(), v.mine.end(), kind) != v.mine.end();
        rd.set("kind", std::string(reactions::to_string(kind)));
        rd.set("label", std::string(reactions::korean_label(kind)));
        rd.set("count", text::group_thousands(v.counts[kind]));
        rd.set("pressed", std::string(pressed ? "true" : "false"));
        reactions.push_back(rd);
    }
    d.set("reactions", reactions);
    d.set("more", summaries(v.more, false));
    d.set("has_more", !v.more.empty());

    // JSON-LD NewsArticle and Open Graph.
    std::string canonical =
        absolute_url(st, v.frame.canonical_path.empty() ? a.url_path() : v.frame.canonical_path);
    std::string published_iso = a.published_at ? kst::format_iso8601(a.published_at) : "";
    std::string modified_iso = kst::format_iso8601(a.updated_at ? a.updated_at : a.published_at);
    std::string description =
        v.frame.description.empty() ? plain_text(a.body_md, 150) : v.frame.description;
    std::string ld = "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\"";
    ld += ",\"headline\":" + json_str(a.headline);
    if (!description.empty()) ld += ",\"description\":" + json_str(description);
    ld += ",\"datePublished\":" + json_str(published_iso);
    ld += ",\"dateModified\":" + json_str(modified_iso);
    if (!v.section.name.empty()) ld += ",\"articleSection\":" + json_str(v.section.name);
    ld += ",\"inLanguage\":\"ko\"";
    ld += ",\"author\":[";
    for (std::size_t i = 0; i < a.authors.size(); ++i) {
        if (i) ld += ',';
        ld += "{\"@type\":\"Person\",\"name\":" + json_str(a.authors[i].name);
        if (!a.authors[i].email.empty()) ld += ",\"email\":" + json_str(a.authors[i].email);
        ld += "}";
    }
    ld += "]";
    ld += ",\"publisher\":{\"@type\":\"NewsMediaOrganization\",\"name\":" + json_str(st.site_name) +
          ",\"logo\":{\"@type\":\"ImageObject\",\"url\":" +
          json_str(absolute_url(st, assets_->url("logo.svg"))) + ",\"width\":52,\"height\":52}" +
          ",\"url\":" + json_str(absolute_url(st, "/")) + "}";
    std::string og_image;
    int og_w = 0, og_h = 0;
    if (!a.photos.empty()) {
        ld += ",\"image\":[";
        for (std::size_t i = 0; i < a.photos.size(); ++i) {
            if (i) ld += ',';
            ld += json_str(absolute_url(st, a.photos[i].src));
        }
        ld += "]";
        // The social preview uses the photo shown above the body, else the first one.
        const news::Photo* lead = a.lead_photo();
        for (const auto& ph : a.photos) {
            const auto& placed = body.placed_photo_ids;
            if (std::find(placed.begin(), placed.end(), ph.id) == placed.end()) {
                lead = &ph;
                break;
            }
        }
        og_image = absolute_url(st, lead->src);
        og_w = lead->width;
        og_h = lead->height;
    }
    ld += ",\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":" + json_str(canonical) + "}}";

    PageExtras x;
    x.kind = "article";
    x.is_article = true;
    // 홈 › section › article, as the visible breadcrumb shows it.
    std::string crumbs =
        "{\"@context\":\"https://schema.org\",\"@type\":\"BreadcrumbList\",\"itemListElement\":["
        "{\"@type\":\"ListItem\",\"position\":1,\"name\":\"홈\",\"item\":" +
        json_str(absolute_url(st, "/")) + "}";
    int pos = 1;
    if (!v.section.name.empty()) {
        crumbs += ",{\"@type\":\"ListItem\",\"position\":" + std::to_string(++pos) +
                  ",\"name\":" + json_str(v.section.name) + ",\"item\":" +
                  json_str(absolute_url(st, "/section/" + text::percent_encode(v.section.slug))) +
                  "}";
    }
    crumbs += ",{\"@type\":\"ListItem\",\"position\":" + std::to_string(++pos) +
              ",\"name\":" + json_str(a.headline) + ",\"item\":" + json_str(canonical) + "}]}";
    x.head_html = "<script type=\"application/ld+json\">" + ld +
                  "</script>\n<script type=\"application/ld+json\">" + crumbs + "</script>";
    x.og_image = og_image;
    x.og_image_width = og_w;
    x.og_image_height = og_h;
    x.published_iso = published_iso;
    x.modified_iso = modified_iso;
    x.section_name = v.section.name;
    PageFrame frame = v.frame;
    if (frame.title.empty()) frame.title = a.headline;
    if (frame.description.empty()) frame.description = description;
    if (frame.canonical_path.empty()) frame.canonical_path = a.url_path();
    if (frame.active_section.empty()) frame.active_section = v.section.slug;
    return render_layout(*this, *templates_, frame, templates_->article.render(d), x);
}

std::string Renderer::error(int status, std::string_view message, const PageFrame& frame) const {
    Data d = content_root(*templates_, frame);
    std::string title;
    switch (status) {
        case 404:
            title = "페이지를 찾을 수 없습니다";
            break;
        case 405:
            title = "허용되지 않는 요청 방식입니다";
            break;
        case 410:
            title = "삭제된 기사입니다";
            break;
        case 500:
            title = "일시적인 오류가 발생했습니다";
            break;
        default:
            title = "요청을 처리할 수 없습니다";
            break;
    }
    std::string hint;
    switch (status) {
        case 404:
            hint =
                "주소가 바르게 입력되었는지 확인해 주세요. 기사가 옮겨졌거나 삭제되었을 수 "
                "있습니다.";
            break;
        case 405:
            hint = "이 주소는 요청하신 방식을 지원하지 않습니다.";
            break;
        case 410:
            hint = "이 기사는 더 이상 제공되지 않습니다.";
            break;
        case 500:
            hint = "잠시 후 다시 시도해 주세요. 문제가 계속되면 알려 주시기 바랍니다.";
            break;
        default:
            break;
    }
    d.set("status", std::to_string(status));
    d.set("title", title);
    d.set("message", opt(std::string(message)));
    d.set("hint", opt(hint));
    PageFrame f = frame;
    if (f.title.empty()) f.title = title;
    PageExtras x;
    x.kind = "error";
    x.noindex = true;
    return render_layout(*this, *templates_, f, templates_->error.render(d), x);
}

// ---- search --------------------------------------------------------------------------------

std::string Renderer::search(const SearchView& v) const {
    Data d = content_root(*templates_, v.frame);
    d.set("query", v.query);
    d.set("error", opt(v.error));
    d.set("sort_newest", v.sort == "newest");
    d.set("sort", v.sort);
    Data sections{Data::type::list};
    std::string section_name;
    for (const auto& s : v.frame.sections) {
        Data o{Data::type::object};
        o.set("slug", s.slug);
        o.set("slug_url", text::percent_encode(s.slug));
        o.set("name", s.name);
        o.set("selected", s.slug == v.section_slug);
        if (s.slug == v.section_slug) section_name = s.name;
        sections.push_back(o);
    }
    d.set("sections", sections);
    d.set("section_name", opt(section_name));
    // Links keep q, section and sort; page 1 is left out of the URL.
    auto href = [&](int page, std::string_view sort) {
        std::string u = "/search?q=" + text::percent_encode(v.query);
        if (!v.section_slug.empty()) u += "&section=" + text::percent_encode(v.section_slug);
        if (sort != "relevance") u += "&sort=" + std::string(sort);
        if (page > 1) u += "&page=" + std::to_string(page);
        return u;
    };
    d.set("relevance_url", href(1, "relevance"));
    d.set("newest_url", href(1, "newest"));
    {
        std::string u = "/search?q=" + text::percent_encode(v.query);
        if (v.sort != "relevance") u += "&sort=" + v.sort;
        d.set("all_sections_url", u);
    }
    d.set("searched", v.searched);
    d.set("has_results", v.searched && !v.items.empty());
    d.set("no_results", v.searched && v.items.empty());
    d.set("prompt", !v.searched && v.error.empty());
    d.set("total", text::group_thousands(v.total));
    Data items{Data::type::list};
    for (const auto& it : v.items) {
        Data o = summary_data(it.article, false);
        o.set("headline_html", it.headline_html);
        o.set("snippet_html", opt(it.snippet_html));
        o.set("section_slug", text::percent_encode(it.section_slug));
        o.set("section_name", opt(it.section_name));
        items.push_back(o);
    }
    d.set("items", items);
    int count = std::max(1, v.page_count);
    int page = std::clamp(v.page, 1, count);
    d.set("prev", page > 1 ? Data(href(page - 1, v.sort)) : Data(false));
    d.set("next", page < count ? Data(href(page + 1, v.sort)) : Data(false));
    int first = std::max(1, std::min(page - 4, count - 9));
    int last = std::min(count, first + 9);
    Data pages{Data::type::list};
    for (int n = first; n <= last; ++n) {
        Data p{Data::type::object};
        p.set("n", std::to_string(n));
        p.set("href", href(n, v.sort));
        p.set("current", n == page);
        pages.push_back(p);
    }
    d.set("pages", pages);
    d.set("paginate", v.searched && count > 1);
    PageFrame f = v.frame;
    f.title = v.query.empty() ? std::string("검색") : "‘" + v.query + "’ 검색결과";
    f.description = "기사 검색";
    PageExtras x;
    x.kind = "search";
    x.noindex = true;
    return render_layout(*this, *templates_, f, templates_->search.render(d), x);
}

}  // namespace sinmun::render
