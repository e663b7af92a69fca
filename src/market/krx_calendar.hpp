// KrxCalendar: which days the Korea Exchange trades and what the 상승종목 widget's state line says.
//
// A shipped table of KRX 휴장일 for 2024–2026 (see krx_calendar.cpp for what each year rests on
// and which dates are uncertain), weekends, and the regular session 09:00–15:30 KST, with a few
// shipped special sessions (first trading day of the year, 수능 day). Operators extend it with
// add_holiday() / set_session() for ad-hoc closures and newly announced days.
// All times are computed in KST by offset arithmetic (core/kst.hpp), never through TZ.
// Thread-safety: const members may be called concurrently; add_holiday/set_session must not run
// concurrently with anything else (configure before sharing).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "market/model.hpp"

namespace sinmun::market {

struct CivilDate {
    int year = 1970;
    int month = 1;
    int day = 1;
    friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

class KrxCalendar {
public:
    static constexpr int kOpenMinute = 9 * 60;         // 09:00 KST
    static constexpr int kCloseMinute = 15 * 60 + 30;  // 15:30 KST

    // With the shipped 2024–2026 holiday table and special sessions.
    KrxCalendar();
    // With no holidays at all (weekends only): for tests and custom tables.
    static KrxCalendar empty();

    void add_holiday(int year, int month, int day, std::string name);
    // A day whose regular session differs (minutes after KST midnight), e.g. 10:00–16:30 on 수능.
    void set_session(int year, int month, int day, int open_minute, int close_minute);

    // Weekdays that are not in the holiday table.
    bool is_trading_day(int year, int month, int day) const;
    bool is_trading_day(CivilDate d) const { return is_trading_day(d.year, d.month, d.day); }
    // "추석" etc. for a listed holiday; nullopt otherwise (also for plain weekends).
    std::optional<std::string> holiday_name(int year, int month, int day) const;

    // pre_open before the session on a trading day, open during it, closed after it;
    // holiday on any non-trading day (weekends included).
    KrxState state_at(std::int64_t unix_ms) const;

    // The most recent trading day whose session has ended at unix_ms (today after the close,
    // otherwise an earlier day).
    CivilDate last_close_day(std::int64_t unix_ms) const;
    // Unix ms of the session close of a day (15:30 KST unless a special session says otherwise).
    std::int64_t close_ms(CivilDate d) const;

    // The widget's state line: "장중" while open, otherwise "MM.DD 장종료" of last_close_day.
    std::string marker(std::int64_t unix_ms) const;
    // Always "MM.DD 장종료" of last_close_day: the honest label of end-of-day data, even while the
    // session is open (EOD figures are yesterday's, so "장중" would mislead).
    std::string close_marker(std::int64_t unix_ms) const;

private:
    struct Session {
        int open_minute;
        int close_minute;
    };
    explicit KrxCalendar(bool with_table);
    Session session_of(CivilDate d) const;

    std::map<CivilDate, std::string> holidays_;
    std::map<CivilDate, Session> sessions_;
};

}  // namespace sinmun::market
