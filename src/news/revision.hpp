// Compact revision storage and revision comparison.
//
// Storage: a store keeps the newest revision of an article in full and every older one as a
// REVERSE DELTA against the revision after it, so an edit costs the bytes that changed, not the
// whole article (measured in newsroom_test.cpp, HundredSmallEditsStayCompact). The delta is "keep
// the first P bytes and the last S bytes of the newer text, put M between them", which is exact for
// the typical edit (one changed region); an edit in many places degrades to storing the span
// between the first and last change, and a payload over 256 bytes is gzip-compressed when that
// helps.
//
// Similarity (the 전면 수정 rule): character-level Sørensen–Dice coefficient of the two NFC texts,
// computed over the multisets of adjacent code-point pairs (bigrams): 2·|A∩B| / (|A|+|B|). It is
// 1 for identical texts and near 0 for unrelated ones, linear time, and robust to moved
// paragraphs; 1 - similarity is "how much changed".
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "news/model.hpp"

namespace sinmun::news {

// A byte encoding of a revision's content: length-prefixed fields, then the body to the end.
std::string encode_content(const RevisionContent& c);
// nullopt on corrupt input (never throws).
std::optional<RevisionContent> decode_content(std::string_view bytes);

// The reverse delta that rebuilds `older` from `newer`.
std::string make_delta(std::string_view newer, std::string_view older);
// Applies a delta from make_delta; nullopt when it does not fit `newer` (corrupt).
std::optional<std::string> apply_delta(std::string_view newer, std::string_view delta);

// Dice similarity over code-point bigrams in [0, 1]; two empty texts are identical (1).
double similarity(std::string_view a, std::string_view b);

// The fields ("section", "headline", "subtitle", "label", "body", "authors") that differ.
std::vector<std::string> changed_fields(const RevisionContent& before,
                                        const RevisionContent& after);

// Word-level diff: words are split on whitespace (Korean 어절), operations in order.
struct DiffOp {
    enum class Kind { equal, insert, remove };
    Kind kind = Kind::equal;
    std::string text;  // the words of this run, joined by single spaces
};
const char* to_string(DiffOp::Kind k);  // "equal", "insert", "delete"

std::vector<DiffOp> word_diff(std::string_view before, std::string_view after);

struct FieldDiff {
    std::string field;  // "headline", "subtitle", "body"
    std::vector<DiffOp> ops;
    bool changed = false;
};

struct RevisionDiff {
    int from = 0;  // revision numbers
    int to = 0;
    std::vector<FieldDiff> fields;  // headline, subtitle, body (always all three)
};

RevisionDiff diff_revisions(const Revision& from, const Revision& to);

}  // namespace sinmun::news
