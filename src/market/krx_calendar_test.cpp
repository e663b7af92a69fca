#include "market/krx_calendar.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "core/kst.hpp"

namespace sinmun::market {
namespace {

std::int64_t at(int y, int mo, int d, int h, int mi) { return kst::from_kst(y, mo, d, h, mi); }

TEST(KrxCalendar, SessionBoundaries) {
    KrxCalendar cal;
    // Friday 2026-11-13, an ordinary trading day.
    EXPECT_EQ(cal.state_at(at(2026, 11, 13, 8, 59)), KrxState::pre_open);
    EXPECT_EQ(cal.state_at(at(2026, 11, 13, 9, 0)), KrxState::open);
    EXPECT_EQ(cal.state_at(at(2026, 11, 13, 15, 29)), KrxState::open);
    EXPECT_EQ(cal.state_at(at(2026, 11, 13, 15, 30)), KrxState::closed);
    EXPECT_EQ(cal.state_at(at(2026, 11, 13, 15, 31)), KrxState::closed);
}

TEST(KrxCalendar, MarkerBeforeAndAfterTheClose) {
    KrxCalendar cal;
    EXPECT_EQ(cal.marker(at(2026, 11, 13, 15, 29)), "장중");
    EXPECT_EQ(cal.marker(at(2026, 11, 13, 15, 31)), "11.13 장종료");
    // Before the open the last completed session is the previous trading day's.
    EXPECT_EQ(cal.marker(at(2026, 11, 12, 8, 0)), "11.11 장종료");
    // Monday morning points back to Friday.
    EXPECT_EQ(cal.marker(at(2026, 11, 16, 8, 0)), "11.13 장종료");
    // The EOD label never says 장중.
    EXPECT_EQ(cal.close_marker(at(2026, 11, 13, 10, 0)), "11.12 장종료");
}

TEST(KrxCalendar, SaturdayIsClosed) {
    KrxCalendar cal;
    EXPECT_FALSE(cal.is_trading_day(2026, 11, 14));
    EXPECT_FALSE(cal.is_trading_day(2026, 11, 15));
    EXPECT_EQ(cal.state_at(at(2026, 11, 14, 11, 0)), KrxState::holiday);
    EXPECT_EQ(cal.marker(at(2026, 11, 14, 11, 0)), "11.13 장종료");
    const CivilDate d = cal.last_close_day(at(2026, 11, 15, 23, 59));
    EXPECT_EQ(d, (CivilDate{2026, 11, 13}));
}

TEST(KrxCalendar, ChuseokHolidays) {
    KrxCalendar cal;
    // 2025: 10-03 개천절, 10-06..08 추석 (+대체), 10-09 한글날: trading resumes 10-10.
    for (int day : {3, 6, 7, 8, 9}) EXPECT_FALSE(cal.is_trading_day(2025, 10, day)) << day;
    EXPECT_TRUE(cal.is_trading_day(2025, 10, 2));
    EXPECT_TRUE(cal.is_trading_day(2025, 10, 10));
    EXPECT_EQ(cal.holiday_name(2025, 10, 6), std::optional<std::string>("추석"));
    EXPECT_EQ(cal.state_at(at(2025, 10, 7, 10, 0)), KrxState::holiday);
    EXPECT_EQ(cal.marker(at(2025, 10, 9, 16, 0)), "10.02 장종료");
    EXPECT_EQ(cal.marker(at(2025, 10, 10, 8, 30)), "10.02 장종료");
    EXPECT_EQ(cal.marker(at(2025, 10, 10, 15, 30)), "10.10 장종료");
    // 2024 and 2026.
    for (int day : {16, 17, 18}) EXPECT_FALSE(cal.is_trading_day(2024, 9, day));
    for (int day : {24, 25}) EXPECT_FALSE(cal.is_trading_day(2026, 9, day));
    EXPECT_TRUE(cal.is_trading_day(2026, 9, 23));
}

TEST(KrxCalendar, YearEndClosureAndNewYear) {
    KrxCalendar cal;
    EXPECT_FALSE(cal.is_trading_day(2025, 12, 31));
    EXPECT_FALSE(cal.is_trading_day(2026, 1, 1));
    EXPECT_TRUE(cal.is_trading_day(2025, 12, 30));
    EXPECT_EQ(cal.holiday_name(2026, 12, 31), std::optional<std::string>("연말 휴장"));
    EXPECT_EQ(cal.marker(at(2026, 1, 1, 12, 0)), "12.30 장종료");
    // The first trading day of 2026 opens at 10:00.
    EXPECT_EQ(cal.state_at(at(2026, 1, 2, 9, 30)), KrxState::pre_open);
    EXPECT_EQ(cal.state_at(at(2026, 1, 2, 10, 0)), KrxState::open);
    EXPECT_EQ(cal.marker(at(2026, 1, 2, 9, 30)), "12.30 장종료");
}

TEST(KrxCalendar, LaborDayElectionsAndSubstituteHolidays) {
    KrxCalendar cal;
    EXPECT_FALSE(cal.is_trading_day(2024, 5, 1));
    EXPECT_FALSE(cal.is_trading_day(2024, 4, 10));  // 총선
    EXPECT_FALSE(cal.is_trading_day(2025, 6, 3));   // 대선
    EXPECT_FALSE(cal.is_trading_day(2024, 2, 12));  // 설 대체공휴일
    EXPECT_FALSE(cal.is_trading_day(2025, 5, 6));   // 어린이날·부처님오신날 대체
    EXPECT_FALSE(cal.is_trading_day(2026, 8, 17));  // 광복절 대체
    EXPECT_FALSE(cal.is_trading_day(2026, 10, 5));  // 개천절 대체
    EXPECT_FALSE(cal.is_trading_day(2024, 10, 1));  // 임시공휴일
    EXPECT_TRUE(cal.is_trading_day(2024, 10, 2));
}

TEST(KrxCalendar, SuneungDayClosesLate) {
    KrxCalendar cal;
    EXPECT_EQ(cal.state_at(at(2025, 11, 13, 9, 30)), KrxState::pre_open);
    EXPECT_EQ(cal.state_at(at(2025, 11, 13, 16, 0)), KrxState::open);
    EXPECT_EQ(cal.state_at(at(2025, 11, 13, 16, 30)), KrxState::closed);
    EXPECT_EQ(cal.marker(at(2025, 11, 13, 16, 0)), "장중");
    EXPECT_EQ(cal.marker(at(2025, 11, 13, 16, 31)), "11.13 장종료");
}

TEST(KrxCalendar, AddHolidayExtendsTheTable) {
    KrxCalendar cal;
    EXPECT_TRUE(cal.is_trading_day(2026, 7, 17));
    cal.add_holiday(2026, 7, 17, "제헌절");
    EXPECT_FALSE(cal.is_trading_day(2026, 7, 17));
    EXPECT_EQ(cal.marker(at(2026, 7, 17, 12, 0)), "07.16 장종료");

    auto bare = KrxCalendar::empty();
    EXPECT_TRUE(bare.is_trading_day(2025, 10, 6));   // no table: 추석 is a plain Monday
    EXPECT_FALSE(bare.is_trading_day(2025, 10, 5));  // weekends still closed
}

TEST(KrxCalendar, IndependentOfProcessTimeZone) {
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    KrxCalendar cal;
    std::vector<std::string> results;
    for (const char* tz : {"UTC", "America/New_York", "Asia/Seoul", "Pacific/Kiritimati"}) {
        setenv("TZ", tz, 1);
        tzset();
        std::string r = cal.marker(at(2026, 11, 13, 15, 29)) + "|" +
                        cal.marker(at(2026, 11, 14, 0, 30)) + "|" +
                        cal.marker(at(2026, 11, 16, 8, 59));
        r += "|" + std::to_string(static_cast<int>(cal.state_at(at(2026, 11, 16, 0, 5))));
        results.push_back(r);
    }
    if (old) {
        setenv("TZ", saved.c_str(), 1);
    } else {
        unsetenv("TZ");
    }
    tzset();
    for (const auto& r : results) EXPECT_EQ(r, "장중|11.13 장종료|11.13 장종료|0");
}

}  // namespace
}  // namespace sinmun::market
