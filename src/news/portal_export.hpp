// The article list Korean portals (Naver, Daum) ask news-search applicants for: published articles
// in a KST date range as CSV (RFC 4180: CRLF line ends, fields with comma, quote, CR or LF quoted,
// quotes doubled), UTF-8 with a BOM so Excel shows Hangul.
// Columns: 링크 (absolute canonical URL from site.url), 제목, 기자, 입력 (KST "YYYY-MM-DD HH:MM"),
// 섹션. Oldest first.
// Thread-safety: pure over the store.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/stores.hpp"

namespace sinmun::news {

// One CSV field, quoted when needed.
std::string csv_field(std::string_view s);

// from_date and to_date are KST "YYYY-MM-DD", both inclusive. Errc::invalid_input for a malformed
// date or from > to.
Result<std::string> portal_csv(store::Database& db, std::string_view from_date,
                               std::string_view to_date);

}  // namespace sinmun::news
