#include "news/main_news.hpp"

#include <algorithm>
#include <cmath>

namespace sinmun::news {

double main_news_score(const ArticleSummary& a, std::int64_t now_ms) {
    const double age_h =
        std::max<double>(0.0, static_cast<double>(now_ms - a.published_at) / 3'600'000.0);
    const double weight =
        static_cast<double>(a.views) + 25.0 * static_cast<double>(a.reactions) + 1.0;
    return weight / std::pow(age_h + 2.0, 1.5);
}

std::vector<ArticleSummary> rank_main_news(std::vector<ArticleSummary> candidates,
                                           std::int64_t now_ms, std::size_t limit) {
    std::vector<std::pair<double, ArticleSummary>> scored;
    scored.reserve(candidates.size());
    for (auto& c : candidates) {
        const double s = main_news_score(c, now_ms);
        scored.emplace_back(s, std::move(c));
    }
    std::sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
        const bool px = x.second.pin_rank.has_value(), py = y.second.pin_rank.has_value();
        if (px != py) return px;
        if (px && *x.second.pin_rank != *y.second.pin_rank)
            return *x.second.pin_rank < *y.second.pin_rank;
        if (!px && x.first != y.first) return x.first > y.first;
        if (x.second.published_at != y.second.published_at)
            return x.second.published_at > y.second.published_at;
        return x.second.id > y.second.id;
    });
    std::vector<ArticleSummary> out;
    for (auto& [score, a] : scored) {
        if (out.size() >= limit) break;
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace sinmun::news
