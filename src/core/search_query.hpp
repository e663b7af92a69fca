// A reader's search query, parsed and checked once (web/ calls parse_search_query on untrusted
// input, stores receive only the parsed form), and the snippets/highlights shown with results.
//
// Grammar: whitespace-separated words, all required (AND); "a quoted phrase" (straight or
// curly quotes) requires its tokens consecutively. Each word is itself tokenized with
// search_tokens and matched as a phrase of its tokens, so 세종시는 requires 세종 종시 시는 in a row
// and K-팝 requires k then 팝. When a term ends with a one-syllable run (꽃, 2024년), its last
// token matches as a prefix, since in a document the syllable is usually glued to a particle
// (꽃이, 2024년에) and so indexed inside a bigram.
//
// Tokens hold only letters, digits and marks (see search_tokens.hpp), so a store can quote them
// into its own query language without escaping: no user character reaches MATCH unquoted.
//
// Thread-safety: pure functions.
#pragma once

#include "core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sinmun::text {

constexpr std::size_t kMaxQueryChars = 100;  // code points
constexpr std::size_t kMaxQueryTerms = 8;    // words and phrases
constexpr std::size_t kMaxQueryTokens = 48;  // tokens over all terms

struct SearchTerm {
    std::vector<std::string> tokens;  // consecutive tokens, ≥ 1
    bool prefix = false;              // the last token matches as a prefix
    bool quoted = false;              // written as "a phrase"
    std::string text;                 // as typed (NFC), for display
};

struct SearchQuery {
    std::vector<SearchTerm> terms;  // ≥ 1, all required
    std::string normalized;         // NFC, trimmed: what to show back in the search box
};

// Parses untrusted input. Errc::invalid_input with a Korean message a reader can act on for:
// invalid UTF-8, empty, longer than kMaxQueryChars, nothing searchable (only punctuation or
// symbols), more than kMaxQueryTerms terms or kMaxQueryTokens tokens.
Result<SearchQuery> parse_search_query(std::string_view raw);

// Byte ranges [begin, end) of `nfc_text` that match a term of the query (the same matching rule
// as the index: consecutive tokens, prefix last token), sorted and merged.
std::vector<std::pair<std::size_t, std::size_t>> search_match_spans(std::string_view nfc_text,
                                                                    const SearchQuery& q);

// HTML of the whole text with matches wrapped in <mark>…</mark>; everything else escaped.
std::string search_highlight_html(std::string_view nfc_text, const SearchQuery& q);

// HTML of about max_chars code points of `nfc_text` around its first match (from the start when
// nothing matches), "…" where cut, matches in <mark>, the rest escaped.
std::string search_snippet_html(std::string_view nfc_text, const SearchQuery& q,
                                std::size_t max_chars = 160);

}  // namespace sinmun::text
