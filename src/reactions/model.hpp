// Reader reactions: 좋아요 · 화나요 · 슬퍼요 · 추가취재 원해요.
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::reactions {

enum class ReactionKind : int {
    like = 0,       // 좋아요
    angry = 1,      // 화나요
    sad = 2,        // 슬퍼요
    want_more = 3,  // 추가취재 원해요
};
constexpr std::size_t kKindCount = 4;
constexpr std::array<ReactionKind, kKindCount> kAllKinds{
    ReactionKind::like, ReactionKind::angry, ReactionKind::sad, ReactionKind::want_more};

std::string_view to_string(ReactionKind k);     // "like", "angry", "sad", "want_more"
std::string_view korean_label(ReactionKind k);  // "좋아요", …
std::optional<ReactionKind> parse_kind(std::string_view s);

struct Counts {
    std::array<std::int64_t, kKindCount> n{};
    std::int64_t& operator[](ReactionKind k) { return n[static_cast<std::size_t>(k)]; }
    std::int64_t operator[](ReactionKind k) const { return n[static_cast<std::size_t>(k)]; }
    std::int64_t total() const { return n[0] + n[1] + n[2] + n[3]; }
};

// A reader id: 128 random bits as 32 lowercase hex characters (the HttpOnly cookie's value).
using ReaderId = std::string;

struct Vote {
    std::int64_t article_id = 0;
    ReaderId reader;
    ReactionKind kind = ReactionKind::like;
    bool on = true;  // true: cast the vote (idempotent); false: take it back (idempotent)
};

// What a reader sees after a vote: the article's counts and the kinds this reader has on.
struct State {
    Counts counts;
    std::vector<ReactionKind> mine;
};

}  // namespace sinmun::reactions
