#include "core/kst.hpp"

#include <gtest/gtest.h>

using namespace sinmun;

TEST(Kst, FormatsInputTimeInKoreaNotUtc) {
    // 2023-04-10 02:15 UTC is 11:15 KST.
    const std::int64_t t = kst::from_kst(2023, 4, 10, 11, 15);
    EXPECT_EQ(kst::format_minute(t), "2023-04-10 11:15");
    EXPECT_EQ(kst::format_iso8601(t), "2023-04-10T11:15:00+09:00");
    EXPECT_EQ(kst::format_rfc822(t), "Mon, 10 Apr 2023 11:15:00 +0900");
    EXPECT_EQ(t, 1681092900000);  // 2023-04-10T02:15:00Z
}

TEST(Kst, CrossesDateLineAtFifteenUtc) {
    // 2026-11-10 15:30 UTC is already 11.11 00:30 in Seoul.
    const std::int64_t t = 1794324600000;  // 2026-11-10T15:30:00Z
    EXPECT_EQ(kst::format_minute(t), "2026-11-11 00:30");
    EXPECT_EQ(kst::format_month_day(t), "11.11");
    EXPECT_EQ(kst::to_kst(t).weekday, 3);  // Wednesday
}

TEST(Kst, ParsesKstUtcAndOffsets) {
    EXPECT_EQ(kst::parse("2023-04-10 11:15"), kst::from_kst(2023, 4, 10, 11, 15));
    EXPECT_EQ(kst::parse("2023-04-10T11:15:30"), kst::from_kst(2023, 4, 10, 11, 15, 30));
    EXPECT_EQ(kst::parse("2023-04-10T02:15:00Z"), kst::from_kst(2023, 4, 10, 11, 15));
    EXPECT_EQ(kst::parse("2023-04-10T11:15:00+09:00"), kst::from_kst(2023, 4, 10, 11, 15));
    EXPECT_EQ(kst::parse("2023-04-09T22:15:00-04:00"), kst::from_kst(2023, 4, 10, 11, 15));
    EXPECT_FALSE(kst::parse("2023-13-10 11:15"));
    EXPECT_FALSE(kst::parse("yesterday"));
    EXPECT_FALSE(kst::parse("2023-04-10 11:15 extra"));
}

TEST(Kst, IgnoresProcessTimezone) {
    // The suite also runs under TZ=America/New_York; the result must not move.
    const std::int64_t t = kst::from_kst(2024, 3, 10, 16, 0);  // US DST switch day
    EXPECT_EQ(kst::format_minute(t), "2024-03-10 16:00");
}
