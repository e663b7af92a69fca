#include "market/krx_calendar.hpp"

#include <chrono>
#include <cstdio>

#include "core/kst.hpp"

namespace sinmun::market {

namespace {

struct Holiday {
    int y, m, d;
    const char* name;
};

// KRX 휴장일 (유가증권·코스닥 정규시장), weekdays only (a holiday on a weekend changes nothing).
// Built from the statutory holidays (관공서의 공휴일에 관한 규정, 대체공휴일 rules as extended in
// 2023 to 부처님오신날 and 성탄절), KRX's own closures (05-01 근로자의날, 12-31 연말 휴장), public
// elections and announced temporary holidays. Lunar dates (설날, 부처님오신날, 추석) from the
// 한국천문연구원 calendar as the writer knows it; check against KRX's published 휴장일 each year.
//
// 2024: as published/observed (설 대체 2-12, 총선 4-10, 국군의날 임시공휴일 10-01).
// 2025: as observed (임시공휴일 1-27, 대선 6-03, 추석 대체 10-08). Uncertain: none known;
//       a 10-10 임시공휴일 was discussed but, to the writer's knowledge, not designated.
// 2026: projected from the rules, NOT yet confirmed by KRX when written. Uncertain: 05-01
//       (근로자의날 renamed 노동절; KRX closes either way), 제헌절 07-17 (a bill to restore it as a
//       public holiday was pending; not listed), 06-03 지방선거 (statutory first Wednesday of
//       June), and any temporary holiday still to be announced. Operators add such days with
//       add_holiday().
constexpr Holiday kHolidays[] = {
    // 2024
    {2024, 1, 1, "신정"},
    {2024, 2, 9, "설날 연휴"},
    {2024, 2, 12, "설날 대체공휴일"},
    {2024, 3, 1, "삼일절"},
    {2024, 4, 10, "제22대 국회의원 선거"},
    {2024, 5, 1, "근로자의날"},
    {2024, 5, 6, "어린이날 대체공휴일"},
    {2024, 5, 15, "부처님오신날"},
    {2024, 6, 6, "현충일"},
    {2024, 8, 15, "광복절"},
    {2024, 9, 16, "추석 연휴"},
    {2024, 9, 17, "추석"},
    {2024, 9, 18, "추석 연휴"},
    {2024, 10, 1, "국군의날 임시공휴일"},
    {2024, 10, 3, "개천절"},
    {2024, 10, 9, "한글날"},
    {2024, 12, 25, "성탄절"},
    {2024, 12, 31, "연말 휴장"},
    // 2025
    {2025, 1, 1, "신정"},
    {2025, 1, 27, "임시공휴일"},
    {2025, 1, 28, "설날 연휴"},
    {2025, 1, 29, "설날"},
    {2025, 1, 30, "설날 연휴"},
    {2025, 3, 3, "삼일절 대체공휴일"},
    {2025, 5, 1, "근로자의날"},
    {2025, 5, 5, "어린이날·부처님오신날"},
    {2025, 5, 6, "대체공휴일"},
    {2025, 6, 3, "제21대 대통령 선거"},
    {2025, 6, 6, "현충일"},
    {2025, 8, 15, "광복절"},
    {2025, 10, 3, "개천절"},
    {2025, 10, 6, "추석"},
    {2025, 10, 7, "추석 연휴"},
    {2025, 10, 8, "추석 대체공휴일"},
    {2025, 10, 9, "한글날"},
    {2025, 12, 25, "성탄절"},
    {2025, 12, 31, "연말 휴장"},
    // 2026 (projected; see above)
    {2026, 1, 1, "신정"},
    {2026, 2, 16, "설날 연휴"},
    {2026, 2, 17, "설날"},
    {2026, 2, 18, "설날 연휴"},
    {2026, 3, 2, "삼일절 대체공휴일"},
    {2026, 5, 1, "근로자의날"},
    {2026, 5, 5, "어린이날"},
    {2026, 5, 25, "부처님오신날 대체공휴일"},
    {2026, 6, 3, "제9회 전국동시지방선거"},
    {2026, 8, 17, "광복절 대체공휴일"},
    {2026, 9, 24, "추석 연휴"},
    {2026, 9, 25, "추석"},
    {2026, 10, 5, "개천절 대체공휴일"},
    {2026, 10, 9, "한글날"},
    {2026, 12, 25, "성탄절"},
    {2026, 12, 31, "연말 휴장"},
};

// Shipped special sessions: the first trading day of a year opens an hour late (10:00), and on
// 수능 (대학수학능력시험) day the market opens at 10:00 and closes at 16:30. 2026's 수능 date
// (11-19) is the announced plan; confirm it.
struct SpecialSession {
    int y, m, d, open, close;
};
constexpr SpecialSession kSessions[] = {
    {2024, 1, 2, 10 * 60, 15 * 60 + 30}, {2024, 11, 14, 10 * 60, 16 * 60 + 30},
    {2025, 1, 2, 10 * 60, 15 * 60 + 30}, {2025, 11, 13, 10 * 60, 16 * 60 + 30},
    {2026, 1, 2, 10 * 60, 15 * 60 + 30}, {2026, 11, 19, 10 * 60, 16 * 60 + 30},
};

std::chrono::sys_days to_days(CivilDate d) {
    return std::chrono::sys_days{std::chrono::year{d.year} / std::chrono::month{unsigned(d.month)} /
                                 std::chrono::day{unsigned(d.day)}};
}

CivilDate from_days(std::chrono::sys_days days) {
    const std::chrono::year_month_day ymd{days};
    return CivilDate{int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day()))};
}

bool is_weekend(CivilDate d) {
    const std::chrono::weekday wd{to_days(d)};
    return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

std::string format_marker(CivilDate d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d.%02d 장종료", d.month, d.day);
    return buf;
}

}  // namespace

KrxCalendar::KrxCalendar() : KrxCalendar(true) {}

KrxCalendar KrxCalendar::empty() { return KrxCalendar(false); }

KrxCalendar::KrxCalendar(bool with_table) {
    if (!with_table) return;
    for (const auto& h : kHolidays) holidays_.emplace(CivilDate{h.y, h.m, h.d}, h.name);
    for (const auto& s : kSessions)
        sessions_.emplace(CivilDate{s.y, s.m, s.d}, Session{s.open, s.close});
}

void KrxCalendar::add_holiday(int year, int month, int day, std::string name) {
    holidays_.insert_or_assign(CivilDate{year, month, day}, std::move(name));
}

void KrxCalendar::set_session(int year, int month, int day, int open_minute, int close_minute) {
    sessions_.insert_or_assign(CivilDate{year, month, day}, Session{open_minute, close_minute});
}

bool KrxCalendar::is_trading_day(int year, int month, int day) const {
    const CivilDate d{year, month, day};
    return !is_weekend(d) && !holidays_.contains(d);
}

std::optional<std::string> KrxCalendar::holiday_name(int year, int month, int day) const {
    if (auto it = holidays_.find(CivilDate{year, month, day}); it != holidays_.end())
        return it->second;
    return std::nullopt;
}

KrxCalendar::Session KrxCalendar::session_of(CivilDate d) const {
    if (auto it = sessions_.find(d); it != sessions_.end()) return it->second;
    return Session{kOpenMinute, kCloseMinute};
}

std::int64_t KrxCalendar::close_ms(CivilDate d) const {
    const Session s = session_of(d);
    return kst::from_kst(d.year, d.month, d.day, s.close_minute / 60, s.close_minute % 60);
}

KrxState KrxCalendar::state_at(std::int64_t unix_ms) const {
    const kst::CivilTime t = kst::to_kst(unix_ms);
    const CivilDate d{t.year, t.month, t.day};
    if (!is_trading_day(d)) return KrxState::holiday;
    const Session s = session_of(d);
    const int minute = t.hour * 60 + t.minute;
    if (minute < s.open_minute) return KrxState::pre_open;
    if (minute < s.close_minute) return KrxState::open;
    return KrxState::closed;
}

CivilDate KrxCalendar::last_close_day(std::int64_t unix_ms) const {
    const kst::CivilTime t = kst::to_kst(unix_ms);
    CivilDate d{t.year, t.month, t.day};
    if (is_trading_day(d) && unix_ms >= close_ms(d)) return d;
    auto days = to_days(d);
    // The longest real closure (설/추석 plus weekends and 대체공휴일) is under ten days; a
    // hand-edited table could be sillier, so look back a generous but bounded way.
    for (int i = 0; i < 60; ++i) {
        days -= std::chrono::days{1};
        const CivilDate prev = from_days(days);
        if (is_trading_day(prev)) return prev;
    }
    return from_days(days);
}

std::string KrxCalendar::marker(std::int64_t unix_ms) const {
    if (state_at(unix_ms) == KrxState::open) return "장중";
    return close_marker(unix_ms);
}

std::string KrxCalendar::close_marker(std::int64_t unix_ms) const {
    return format_marker(last_close_day(unix_ms));
}

}  // namespace sinmun::market
