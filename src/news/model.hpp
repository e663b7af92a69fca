// The newsroom's domain values: sections, authors, photos, articles, site settings.
// Plain data; invariants are checked by news/validate.cpp before anything reaches a store.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::news {

struct Section {
    std::int64_t id = 0;
    std::string slug;  // ASCII, stable URL key: "politics"
    std::string name;  // 정치
    int position = 0;  // order in navigation
};

struct Author {
    std::int64_t id = 0;
    std::string name;   // 김서연
    std::string email;  // seoyeon.kim@sinmun.example
};

// A photo belonging to an article. `src` is a site path (/media/…); the body places it with
// Markdown image syntax pointing at "photo:<id>" and the renderer emits <figure> with a ▲ caption.
struct Photo {
    std::int64_t id = 0;
    std::string src;  // "/media/demo/123.jpg"
    int width = 0;
    int height = 0;
    std::string alt;      // text alternative for screen readers
    std::string caption;  // shown as "▲ caption"
    std::string credit;   // "사진=신문 DB"
};

enum class ArticleStatus { draft, review, scheduled, published, unpublished };
const char* to_string(ArticleStatus s);
std::optional<ArticleStatus> parse_status(std::string_view s);
// 작성 중 / 검토 요청 / 예약 / 게재 / 게재 중단: what the dashboard shows.
const char* korean_label(ArticleStatus s);

// The kinds of correction notice Korean press practice (언론중재법) distinguishes.
enum class CorrectionType {
    correction,  // 정정보도: the article was wrong
    rebuttal,    // 반론보도: the other side's statement
    follow_up,   // 추후보도: the outcome of a case reported earlier (e.g. acquittal)
};
const char* to_string(CorrectionType t);     // "correction", "rebuttal", "follow_up"
const char* korean_label(CorrectionType t);  // "정정", "반론", "추후보도"
// Accepts the English names and the Korean labels (정정, 정정보도, 반론, 반론보도, 추후보도).
std::optional<CorrectionType> parse_correction_type(std::string_view s);

// A correction notice shown above the headline. Notices are append-only: an article keeps them
// all, oldest first.
struct Correction {
    CorrectionType type = CorrectionType::correction;
    std::string text;     // what was wrong and what is right, NFC
    std::int64_t at = 0;  // unix ms when it was issued
};

struct Article {
    std::int64_t id = 0;
    std::int64_t section_id = 0;
    std::string headline;
    std::string subtitle;  // optional deck; empty when none
    std::string label;  // 말머리: "단독", "속보", "[르포]", "[해시태그]"; empty when none
    std::string body_md;  // CommonMark + GFM; raw HTML is never rendered
    std::vector<Author> authors;
    std::vector<Photo> photos;
    ArticleStatus status = ArticleStatus::draft;
    std::int64_t created_at = 0;    // unix ms, UTC
    std::int64_t published_at = 0;  // 입력; 0 while unpublished
    std::int64_t updated_at = 0;  // 수정; 0 or == published_at when never edited after publishing
    std::int64_t version = 1;     // bumped on every saved edit; page caches key on it
    std::int64_t views = 0;
    std::optional<int> pin_rank;    // editor-pinned position in 주요 뉴스 (1 = top)
    std::int64_t scheduled_at = 0;  // unix ms the scheduler publishes it at; 0 when not scheduled
    std::vector<Correction>
        corrections;          // oldest first; saved with the article (replaced as a set)
    std::string external_id;  // the source system's id for imports (unique when not empty)

    // The canonical UTF-8 slug derived from the headline (never romanized).
    std::string slug() const;
    // "/article/123/서울시-ai-특구-지정" percent-encoded as a URL path.
    std::string url_path() const;
    // The lead photo, if any.
    const Photo* lead_photo() const { return photos.empty() ? nullptr : &photos.front(); }
};

// What lists need of an article, without the body.
struct ArticleSummary {
    std::int64_t id = 0;
    std::int64_t section_id = 0;
    std::string headline;
    std::string subtitle;
    std::string label;
    std::string excerpt;  // plain text, first ~120 characters of the body
    std::optional<Photo> lead_photo;
    std::vector<std::string> author_names;
    std::int64_t published_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t views = 0;
    std::int64_t reactions = 0;  // sum over all kinds
    std::optional<int> pin_rank;
    // Workflow fields, for the newsroom dashboard (reader lists only contain published ones).
    ArticleStatus status = ArticleStatus::published;
    std::int64_t scheduled_at = 0;
    std::int64_t created_at = 0;
    std::int64_t version = 1;

    std::string url_path() const;
};

// ---------------------------------------------------------------------------------------------
// Revisions: the history of an article. Every saved change (create, edit, submit, publish,
// correction, unpublish) appends one; stores keep them compactly (see news/revision.hpp).

// The reader-visible text of an article at one revision.
struct RevisionContent {
    std::int64_t section_id = 0;
    std::string headline;
    std::string subtitle;
    std::string label;
    std::string body_md;
    std::vector<std::int64_t> author_ids;
};

struct Revision {
    std::int64_t article_id = 0;
    int number = 0;            // 1, 2, … per article, assigned by the store
    std::int64_t at = 0;       // unix ms
    std::int64_t user_id = 0;  // 0: the system (scheduler) or an import without a user
    std::string actor;         // e-mail, or "system"
    std::string action;        // "create", "edit", "submit", "publish", "schedule", "unpublish",
                               // "correct", "import"
    std::vector<std::string> changed;  // fields that differ from the previous revision:
                                       // "headline", "subtitle", "label", "section", "body",
                                       // "authors"
    ArticleStatus status = ArticleStatus::draft;  // the status after this revision
    std::string note;  // e.g. the unpublish reason or correction text; may be empty
    RevisionContent content;
};

// Site-wide settings, including the footer fields 신문법 §21 and §9의2 require.
struct SiteSettings {
    std::string site_name = "신문";  // 제호
    std::string site_url = "http://127.0.0.1:8080";
    std::string tagline = "빠르고 정확한 뉴스";
    std::string company = "(주)신문미디어";                // 명칭
    std::string registration_no = "서울 아00000";          // 등록번호
    std::string registration_date = "2026-01-02";          // 등록연월일
    std::string publisher = "홍길동";                      // 발행인
    std::string editor = "홍길동";                         // 편집인
    std::string youth_officer = "김보호";                  // 청소년보호책임자
    std::string address = "서울특별시 중구 세종대로 000";  // 발행소
    std::string phone = "02-000-0000";
    std::string email = "webmaster@sinmun.example";
    std::string founded = "2026-01-02";     // 발행연월일
    std::string copyright_holder = "신문";  // 저작권자 © …
    bool demo = false;                      // demo site: pages say so
};

}  // namespace sinmun::news
