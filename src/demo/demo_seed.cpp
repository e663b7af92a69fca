#include "demo/demo_seed.hpp"

#include "demo/demo_content.hpp"
#include "demo/demo_photos.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

namespace sinmun::demo {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::size_t kReaderPool = 600;

// splitmix64, for deterministic view counts, reader ids and votes.
struct Mix {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

std::string hex32(Mix& m) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (int half = 0; half < 2; ++half) {
        std::uint64_t v = m.next();
        for (int i = 0; i < 16; ++i, v >>= 4) s.push_back(kHex[v & 0xf]);
    }
    return s;
}

news::SiteSettings demo_settings() {
    news::SiteSettings s;  // defaults for site_url and the rest
    s.site_name = "신문";
    s.tagline = "빠르고 정확한 뉴스 · 데모 사이트";
    s.company = "(주)신문미디어 (가상 법인·데모)";
    s.registration_no = "서울 아00000 (데모)";
    s.registration_date = "2026-01-02 (데모)";
    s.publisher = "홍길동 (가상 인물)";
    s.editor = "임꺽정 (가상 인물)";
    s.youth_officer = "김보호 (가상 인물)";
    s.address = "서울특별시 중구 세종대로 000 (가상 주소)";
    s.phone = "02-000-0000 (데모)";
    s.email = "webmaster@sinmun.example";
    s.founded = "2026-01-02 (데모)";
    s.copyright_holder = "신문 (데모 콘텐츠)";
    s.demo = true;
    return s;
}

// Section colours by slug, for photo tints.
std::map<std::string, std::uint32_t> colours(const std::vector<DemoSection>& sections) {
    std::map<std::string, std::uint32_t> m;
    for (const auto& s : sections) m[s.slug] = s.color;
    return m;
}

struct PhotoJob {
    PhotoSpec spec;
    std::string name;
};

// Renders on up to two threads (the machine is shared; photos take ~0.1 s each).
Result<int> render_missing(const std::vector<DemoArticle>& articles,
                           const std::vector<DemoSection>& sections, const std::string& media_dir) {
    const std::filesystem::path dir = std::filesystem::path(media_dir) / "demo";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return make_error(Errc::internal, "cannot create " + dir.string() + ": " + ec.message());

    const auto tint = colours(sections);
    std::vector<PhotoJob> jobs;
    for (const auto& a : articles)
        for (const auto& p : a.photos) {
            const bool present = std::filesystem::exists(dir / (p.name + ".jpg")) &&
                                 std::filesystem::exists(dir / (p.name + "-w480.jpg"));
            if (!present)
                jobs.push_back(
                    {PhotoSpec{p.scene, tint.at(a.section_slug), seed_for(p.name)}, p.name});
        }

    std::atomic<std::size_t> next{0};
    std::mutex mu;
    std::optional<Error> first_error;
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < jobs.size();) {
            Status st = render_photo(jobs[i].spec, dir.string(), jobs[i].name);
            if (!st) {
                std::lock_guard lock(mu);
                if (!first_error) first_error = st.error();
                return;
            }
        }
    };
    std::thread helper(work);
    work();
    helper.join();
    if (first_error) return *first_error;
    return static_cast<int>(jobs.size());
}

std::int64_t plausible_views(const DemoArticle& a, Mix& m) {
    if (a.views > 0) return a.views;
    double v = 400 + m.below(5000);
    if (!a.label.empty()) v *= 1.6;
    if (a.pin) v *= 2.5;
    v *= std::min(1.0, 0.25 + a.hours_ago / 12.0);  // fresh stories have had less time to be read
    return static_cast<std::int64_t>(v);
}

// Votes for one article: mostly 좋아요, with 화나요/슬퍼요/추가취재 in proportions that vary.
void add_votes(std::int64_t article_id, const std::vector<std::string>& readers, Mix& m,
               std::vector<reactions::Vote>& out) {
    const int weights[reactions::kKindCount] = {8 + m.below(40), m.below(18), m.below(10),
                                                m.below(14)};
    for (std::size_t k = 0; k < reactions::kKindCount; ++k) {
        const int n = weights[k];
        const std::size_t start =
            static_cast<std::size_t>(m.below(static_cast<int>(readers.size())));
        for (int i = 0; i < n; ++i)
            out.push_back(reactions::Vote{
                article_id, readers[(start + static_cast<std::size_t>(i) * 7) % readers.size()],
                reactions::kAllKinds[k], true});
    }
}

Status load_content(store::Database& db, const std::vector<DemoArticle>& articles,
                    const std::vector<DemoSection>& sections,
                    const std::vector<DemoAuthor>& authors, const Clock& clock) {
    auto& store = db.articles();
    if (auto st = db.settings().save_site_settings(demo_settings()); !st) return st.error();

    std::map<std::string, std::int64_t> section_ids;
    for (const auto& s : sections) {
        auto id = store.save_section(news::Section{0, s.slug, s.name, s.position});
        if (!id) return id.error();
        section_ids[s.slug] = *id;
    }
    std::map<std::string, news::Author> author_by_name;
    for (const auto& a : authors) {
        auto id = store.save_author(news::Author{0, a.name, a.email});
        if (!id) return id.error();
        author_by_name[a.name] = news::Author{*id, a.name, a.email};
    }

    // Oldest first, so ids rise with 입력 time as they would in a real newsroom.
    std::vector<const DemoArticle*> order;
    for (const auto& a : articles) order.push_back(&a);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto* x, const auto* y) { return x->hours_ago > y->hours_ago; });

    const std::int64_t now = clock.now_ms() / kMinuteMs * kMinuteMs;
    Mix m{0x5EED'0001};
    std::vector<std::string> readers;
    for (std::size_t i = 0; i < kReaderPool; ++i) readers.push_back(hex32(m));

    std::vector<reactions::Vote> votes;
    std::vector<std::pair<std::int64_t, std::int64_t>> extra_views;
    for (const DemoArticle* d : order) {
        news::Article a;
        a.section_id = section_ids.at(d->section_slug);
        a.headline = d->headline;
        a.subtitle = d->subtitle;
        a.label = d->label;
        a.body_md = d->body_md;
        for (const auto& name : d->authors) a.authors.push_back(author_by_name.at(name));
        for (const auto& p : d->photos)
            a.photos.push_back(news::Photo{0, photo_src(p.name), kPhotoWidth, kPhotoHeight, p.alt,
                                           p.caption, p.credit});
        a.status = news::ArticleStatus::published;
        a.published_at =
            now - static_cast<std::int64_t>(std::llround(d->hours_ago * 60)) * kMinuteMs;
        a.created_at = a.published_at - (20 + m.below(100)) * kMinuteMs;
        a.updated_at = a.published_at;
        if (d->updated_minutes_after > 0)
            a.updated_at = std::min(now, a.published_at + d->updated_minutes_after * kMinuteMs);
        a.pin_rank = d->pin;
        const std::int64_t views = plausible_views(*d, m);
        a.views = views;

        auto id = store.save_article(a);
        if (!id) return id.error();
        auto saved = store.article(*id);
        if (!saved) return saved.error();
        // Map 1-based positions to the ids the store assigned, matching photos by their unique src.
        std::vector<std::int64_t> ids;
        for (const auto& want : a.photos) {
            auto it = std::find_if(saved->photos.begin(), saved->photos.end(),
                                   [&](const news::Photo& p) { return p.src == want.src; });
            if (it == saved->photos.end() || it->id == 0)
                return make_error(Errc::internal,
                                  "demo: store did not keep photo " + want.src + " of " + d->file);
            ids.push_back(it->id);
        }
        auto body = rewrite_photo_refs(d->body_md, ids);
        if (!body) return body.error();
        saved->body_md = std::move(*body);
        if (auto again = store.save_article(*saved); !again) return again.error();
        if (saved->views < views) extra_views.emplace_back(*id, views - saved->views);
        add_votes(*id, readers, m, votes);
    }
    if (!extra_views.empty())
        if (auto st = store.add_views(extra_views); !st) return st.error();
    auto results = db.reactions().apply(votes);
    if (!results) return results.error();
    for (const auto& r : *results)
        if (!r) return r.error();
    return ok();
}

}  // namespace

Result<SeedReport> seed_with_report(store::Database& db, const std::string& media_dir,
                                    const Clock& clock, std::string_view db_label) {
    auto sections = load_sections();
    if (!sections) return sections.error();
    auto authors = load_authors();
    if (!authors) return authors.error();
    auto articles = load_articles();
    if (!articles) return articles.error();

    auto& settings = db.settings();
    auto marker = settings.get(std::string(kDemoMarkerKey));
    if (!marker) return marker.error();
    auto seeded = settings.get(std::string(kDemoSeededKey));
    if (!seeded) return seeded.error();
    auto published = db.articles().count_published(std::nullopt);
    if (!published) return published.error();
    auto existing_sections = db.articles().sections();
    if (!existing_sections) return existing_sections.error();
    const bool has_content = *published > 0 || !existing_sections->empty();
    const bool is_demo = marker->has_value() && **marker == "1";

    SeedReport report;
    if (!is_demo && has_content)
        return make_error(
            Errc::conflict,
            std::string(db_label) + " is not a demo database; refusing to load demo content");
    if (is_demo && seeded->has_value()) {
        report.content_existed = true;
    } else if (is_demo && has_content) {
        return make_error(Errc::conflict,
                          std::string(db_label) +
                              " holds an incomplete demo (seeding was interrupted); "
                              "delete it and start again");
    } else {
        // Claim the database as demo before writing anything else.
        if (auto st = settings.set(std::string(kDemoMarkerKey), "1"); !st) return st.error();
        if (auto st = load_content(db, *articles, *sections, *authors, clock); !st)
            return st.error();
        if (auto st = settings.set(std::string(kDemoSeededKey), std::to_string(articles->size()));
            !st)
            return st.error();
        report.articles = static_cast<int>(articles->size());
    }
    auto rendered = render_missing(*articles, *sections, media_dir);
    if (!rendered) return rendered.error();
    report.photos_rendered = *rendered;
    return report;
}

Status seed(store::Database& db, const std::string& media_dir, const Clock& clock,
            std::string_view db_label) {
    auto r = seed_with_report(db, media_dir, clock, db_label);
    if (!r) return r.error();
    return ok();
}

}  // namespace sinmun::demo
