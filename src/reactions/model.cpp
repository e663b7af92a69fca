#include "reactions/model.hpp"

namespace sinmun::reactions {

std::string_view to_string(ReactionKind k) {
    switch (k) {
        case ReactionKind::like:
            return "like";
        case ReactionKind::angry:
            return "angry";
        case ReactionKind::sad:
            return "sad";
        case ReactionKind::want_more:
            return "want_more";
    }
    return "like";
}

std::string_view korean_label(ReactionKind k) {
    switch (k) {
        case ReactionKind::like:
            return "좋아요";
        case ReactionKind::angry:
            return "화나요";
        case ReactionKind::sad:
            return "슬퍼요";
        case ReactionKind::want_more:
            return "추가취재 원해요";
    }
    return "좋아요";
}

std::optional<ReactionKind> parse_kind(std::string_view s) {
    for (auto k : kAllKinds)
        if (s == to_string(k)) return k;
    return std::nullopt;
}

}  // namespace sinmun::reactions
