// 주요 뉴스 ranking: editor pins first (by pin_rank), then the rest by a score of reads and
// reactions that decays with age.
//
//   score = (views + 25 × reactions + 1) / (age_hours + 2)^1.5
//
// A reaction is a far stronger signal than a page view (most readers never react), so it weighs
// 25 views. The +2 hours keeps a fresh article from dividing by ~0, and the exponent 1.5 (the
// Hacker News gravity family) lets a story with steady reads hold for about a day while a
// yesterday's hit falls below this morning's. Ties break newest first, then by id.
// Thread-safety: pure function.
#pragma once

#include "news/model.hpp"

#include <cstdint>
#include <vector>

namespace sinmun::news {

double main_news_score(const ArticleSummary& a, std::int64_t now_ms);

// Orders candidates (as ArticleStore::main_news_candidates returns them) and keeps `limit`.
std::vector<ArticleSummary> rank_main_news(std::vector<ArticleSummary> candidates,
                                           std::int64_t now_ms, std::size_t limit);

}  // namespace sinmun::news
