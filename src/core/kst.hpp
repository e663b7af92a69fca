// Korea Standard Time formatting and parsing.
//
// KST is UTC+9 with no daylight saving, so it is computed by offset arithmetic, never through the
// process's TZ: the test suite also runs under TZ=America/New_York to prove that.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sinmun::kst {

constexpr std::int64_t kOffsetMs = 9LL * 3600 * 1000;

struct CivilTime {
    int year, month, day, hour, minute, second;
    int weekday;  // 0 = Sunday … 6 = Saturday
};

// Civil KST time of a Unix millisecond instant.
CivilTime to_kst(std::int64_t unix_ms);
// Unix ms of a KST civil time (seconds included).
std::int64_t from_kst(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

// "2023-04-10 11:15": the 입력/수정 form on article pages.
std::string format_minute(std::int64_t unix_ms);
// "2023-04-10T11:15:00+09:00": feeds, JSON-LD, <time datetime>.
std::string format_iso8601(std::int64_t unix_ms);
// "Mon, 10 Apr 2023 11:15:00 +0900": RSS pubDate.
std::string format_rfc822(std::int64_t unix_ms);
// "11.11": the month.day marker of the KRX widget.
std::string format_month_day(std::int64_t unix_ms);
// "14:03:07" / "14:03".
std::string format_hms(std::int64_t unix_ms);
std::string format_hm(std::int64_t unix_ms);

// Parses "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM[:SS]" as KST, or a full ISO 8601 time with
// "Z" or an explicit offset. nullopt on anything else.
std::optional<std::int64_t> parse(std::string_view text);

}  // namespace sinmun::kst
