// The one search tokenizer: the same function turns article text into index terms and a
// reader's query into query terms, so every store (SQLite FTS5 today, PostgreSQL later) indexes
// and matches the same tokens and ranks alike.
//
// Rules (DESIGN.md §3):
// - Input is NFC (search_index_text normalises; search_tokens expects NFC so that token offsets
//   point into the caller's text). Every code point is lowercased (utf8proc simple case folding).
// - Hangul syllables (and compatibility jamo such as ㅋㅋ) form runs; a run of n ≥ 2 syllables
//   yields its n−1 overlapping bigrams ("세종시는" → 세종 종시 시는), a one-syllable run yields
//   the syllable ("꽃"). So a two-syllable query word (서울, 세종, 협약) is one bigram and finds
//   every word that contains it, particles included. Han ideographs and kana do the same in their
//   own runs.
// - Other letters and digits (Latin, Greek, Cyrillic, …, with their combining marks) form words:
//   "MICE" → mice, "G20" → g20. A script change splits: "2024년" → 2024 년, "K-팝" → k 팝.
// - Everything else (spaces, punctuation, symbols, emoji) separates tokens and is dropped.
// Tokens therefore contain only letters, digits and marks: never a space, quote or FTS syntax.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::text {

struct SearchToken {
    std::string text;       // lowercased token
    std::size_t begin = 0;  // byte offsets of the token in the tokenized input
    std::size_t end = 0;    //
    bool syllable = false;  // a one-syllable Hangul/Han/kana run: in another text the same
                            // syllable may start a longer run, so queries match it as a prefix
};

// The tokens of NFC text, in order. Invalid UTF-8 bytes are treated as separators.
std::vector<SearchToken> search_tokens(std::string_view nfc_text);

// The index form of any text: NFC, tokenized, tokens joined by single spaces. Deterministic (the
// SQLite store registers it as an SQL function used by its index triggers).
std::string search_index_text(std::string_view text);

}  // namespace sinmun::text
