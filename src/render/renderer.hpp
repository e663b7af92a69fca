// Renderer: view models → HTML pages (home, section, article, error) through the Mustache
// templates in templates/, with the layout every page shares (masthead, KST date, section
// navigation, demo banner, sidebar widgets, the footer 신문법 requires).
//
// Pages work without JavaScript: font-size and reaction buttons are real forms, widgets carry
// their values at render time; assets/site.js enhances them. No inline script or style attribute
// is ever emitted (the CSP forbids unsafe-inline); JSON-LD blocks are data, not script.
// Thread-safety: immutable after create(); every render method may be called from any thread.
// (kainjow's render is not const, so each template is guarded by its own mutex.)
#pragma once

#include "core/result.hpp"
#include "market/model.hpp"
#include "news/model.hpp"
#include "reactions/model.hpp"
#include "render/assets.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::render {

struct RendererOptions {
    std::string templates_dir;  // "…/templates"
    std::string assets_dir;     // "…/assets" (loaded into an AssetCatalog unless one is given)
};

constexpr int kFontSteps = 5;        // 가장작게 · 작게 · 기본 · 크게 · 가장크게
constexpr int kDefaultFontStep = 2;  // 기본

// The font step of a request from its `fs` cookie ("0".."4"); the default when absent/invalid.
int font_step_from_cookie(const std::optional<std::string>& cookie);

// What every page's layout needs. Callers fill it per request; page-cache keys must include
// everything here that varies (font_step especially).
struct PageFrame {
    const news::SiteSettings* settings = nullptr;    // required
    std::vector<news::Section> sections;             // navigation, in order
    std::string active_section;                      // slug of the highlighted nav item
    int font_step = kDefaultFontStep;                // 0..4 → <html class="fs-N">
    std::shared_ptr<const market::Snapshot> market;  // null: widgets say data is unavailable
    std::vector<news::ArticleSummary> main_news;     // sidebar 주요 뉴스
    std::string title;                               // page title without the site name
    std::string description;                         // meta description
    std::string canonical_path;                      // "/section/politics" (absolute via site_url)
    std::int64_t now_ms = 0;                         // masthead date (KST)
};

struct HomeView {
    PageFrame frame;
    std::optional<news::ArticleSummary> lead;  // the lead story (big photo)
    std::vector<news::ArticleSummary> top;     // 주요 뉴스 list under the lead
    struct SectionBlock {
        news::Section section;
        std::vector<news::ArticleSummary> items;  // 4–6 newest; the first shows a thumbnail
    };
    std::vector<SectionBlock> blocks;
};

struct SectionView {
    PageFrame frame;
    news::Section section;
    std::vector<news::ArticleSummary> items;  // this page, newest first
    int page = 1;                             // 1-based
    int page_count = 1;
};

struct ArticleView {
    PageFrame frame;
    news::Article article;
    news::Section section;
    reactions::Counts counts;
    std::vector<reactions::ReactionKind> mine;  // pressed buttons (usually empty: pages are shared)
    std::vector<news::ArticleSummary> more;     // more from the section
};

// The search page (/search): the form, and either a prompt, a bad-query message, results, or
// the no-results suggestions. Headline and snippet HTML come escaped with <mark> from the store.
struct SearchView {
    PageFrame frame;
    std::string query;               // NFC, shown back in the search box ("" when none given)
    std::string error;               // a bad query's Korean message ("" when fine)
    std::string section_slug;        // the section filter ("" for all)
    std::string sort = "relevance";  // or "newest"
    bool searched = false;           // a valid query ran
    std::int64_t total = 0;
    int page = 1;
    int page_count = 1;
    struct Item {
        news::ArticleSummary article;
        std::string section_slug, section_name;
        std::string headline_html, snippet_html;
    };
    std::vector<Item> items;
};

class Renderer {
public:
    // Parses every template and loads the assets. Errors name the file at fault.
    static Result<std::shared_ptr<const Renderer>> create(const RendererOptions& options);
    // Same, with an already loaded catalog (shared with the /assets/ handler).
    static Result<std::shared_ptr<const Renderer>> create(
        const RendererOptions& options, std::shared_ptr<const AssetCatalog> assets);
    ~Renderer();

    std::string home(const HomeView& view) const;
    std::string section(const SectionView& view) const;
    std::string article(const ArticleView& view) const;
    // Friendly Korean page for 404/405/410/500 (others get a generic text) with a link home.
    std::string error(int status, std::string_view message, const PageFrame& frame) const;
    // The search page, noindex (search.mustache).
    std::string search(const SearchView& view) const;

    // The two sidebar widgets alone (e.g. for a fragment endpoint or tests).
    std::string crypto_widget(const market::Snapshot* snapshot) const;
    std::string stocks_widget(const market::Snapshot* snapshot) const;

    const AssetCatalog& assets() const { return *assets_; }
    std::shared_ptr<const AssetCatalog> assets_ptr() const { return assets_; }

    struct Templates;  // parsed templates (defined in renderer.cpp)

private:
    Renderer() = default;
    std::shared_ptr<const AssetCatalog> assets_;
    std::unique_ptr<Templates> templates_;
};

}  // namespace sinmun::render
