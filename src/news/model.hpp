// The newsroom's domain values: sections, authors, photos, articles, site settings.
// Plain data; invariants are checked by news/validate.cpp before anything reaches a store.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
    std::optional<int> pin_rank;  // editor-pinned position in 주요 뉴스 (1 = top)

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

    std::string url_path() const;
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
