// Plain-text excerpts of Markdown bodies, computed once when an article is saved so that lists
// (front page, section pages, feeds) read a short column instead of parsing every body.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sinmun::store {

constexpr std::size_t kExcerptChars = 120;

// The body's text without Markdown markup: headings, quotes, list markers, emphasis, code fences,
// tables and link targets are dropped (link text kept); lines holding only images such as
// `![사진](photo:3)` are skipped; whitespace is collapsed. Cut to at most `max_chars` code points
// (plus "…" when cut). Never splits a UTF-8 sequence.
std::string make_excerpt(std::string_view body_md, std::size_t max_chars = kExcerptChars);

}  // namespace sinmun::store
