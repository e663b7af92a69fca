// The demo newsroom's content: sections, reporters and articles written for the project, kept as
// data files under demo/ and embedded into the binary at build time (embed_files.cmake).
//
// Article file format (demo/articles/<section slug>/NN.md), UTF-8:
//
//   ---
//   headline: 여야, 677조 예산안 막판 협상…          (required)
//   subtitle: 쟁점은 지역화폐·R&D 예산               (optional)
//   label: 단독                                      (optional: 단독, 속보, [르포], …)
//   authors: 김서연, 박준호                          (required; names from demo/authors.txt)
//   hours_ago: 5.5                                   (required; 입력 = now − hours_ago)
//   updated_minutes_after: 40                        (optional; 수정 = 입력 + minutes)
//   pin: 1                                           (optional; 주요 뉴스 pin rank 1..3)
//   views: 12000                                     (optional; otherwise derived)
//   photo: skyline | caption | alt text | 사진=신문 DB  (1..n; scene | caption | alt | credit)
//   ---
//   Markdown body; a paragraph that is only ![alt](photo:N) places the N-th photo (1-based).
//
// demo/sections.txt lines: `slug | 이름 | #rrggbb`; demo/authors.txt lines: `이름 | email`.
// Lines starting with '#' and blank lines are ignored in both. All text comes back NFC.
// Thread-safety: pure functions over immutable embedded data.
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::demo {

// One embedded data file: path relative to demo/ ("articles/politics/01.md") and its bytes.
struct EmbeddedFile {
    std::string_view path;
    std::string_view data;
};
// Every file under demo/ ending in .md or .txt, sorted by path (generated demo_files.cpp).
std::span<const EmbeddedFile> embedded_files();

struct DemoSection {
    std::string slug;                // "politics"
    std::string name;                // 정치
    int position = 0;                // 1-based order in sections.txt
    std::uint32_t color = 0x336699;  // 0xRRGGBB, tints the section's photos
};

struct DemoAuthor {
    std::string name;   // 김서연
    std::string email;  // seoyeon.kim@sinmun.example
};

struct DemoPhoto {
    std::string name;   // file stem, unique: "politics-01-1"
    std::string scene;  // what demo_photos draws: "skyline", "mountains", … (see demo_photos.hpp)
    std::string caption;  // without the ▲ the renderer adds
    std::string alt;
    std::string credit;  // "사진=신문 DB"
};

struct DemoArticle {
    std::string file;          // "articles/politics/01.md"
    std::string section_slug;  // "politics"
    std::string headline;
    std::string subtitle;
    std::string label;
    std::vector<std::string> authors;  // names, in byline order
    std::vector<DemoPhoto> photos;
    std::string body_md;  // photo references still 1-based: ![alt](photo:1)
    double hours_ago = 0;
    int updated_minutes_after = 0;  // 0: never updated
    std::optional<int> pin;
    std::int64_t views = 0;  // 0: the seeder derives a plausible count
};

// Parses one article file. `file` is its path relative to demo/ and must look like
// "articles/<slug>/<name>.md". Errc::invalid_input names the file, line and problem.
Result<DemoArticle> parse_article(std::string_view file, std::string_view text);

Result<std::vector<DemoSection>> load_sections();
Result<std::vector<DemoAuthor>> load_authors();
// Every embedded article, sorted by file, checked against the sections and authors lists.
Result<std::vector<DemoArticle>> load_articles();

// Replaces each "(photo:N)" reference (1-based position) with "(photo:<ids[N-1]>)".
// Errc::invalid_input when N is out of range.
Result<std::string> rewrite_photo_refs(std::string_view body, std::span<const std::int64_t> ids);

// Number of Markdown paragraphs (blank-line separated blocks), figures included.
std::size_t count_paragraphs(std::string_view body);

}  // namespace sinmun::demo
