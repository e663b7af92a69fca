#include "core/decimal.hpp"

#include <gtest/gtest.h>

using namespace sinmun;

TEST(Decimal, ParsesExchangeNumberTextExactly) {
    EXPECT_EQ(Decimal::parse("31883000.00000000")->units(), 318830000000);
    EXPECT_EQ(Decimal::parse("0.0001")->units(), 1);
    EXPECT_EQ(Decimal::parse("-12.5")->to_string(), "-12.5");
    EXPECT_EQ(Decimal::parse("1.00005")->units(), 10001);  // rounded half away at 4 places
    EXPECT_FALSE(Decimal::parse(""));
    EXPECT_FALSE(Decimal::parse("1e5"));
    EXPECT_FALSE(Decimal::parse("abc"));
    EXPECT_FALSE(Decimal::parse("99999999999999999999"));
}

TEST(Decimal, DisplaysWithSeparators) {
    EXPECT_EQ(Decimal::from_integer(131250000).to_display(0), "131,250,000");
    EXPECT_EQ(Decimal::parse("812.5")->to_display(2), "812.5");
    EXPECT_EQ(Decimal::parse("0.51239")->to_display(4), "0.5124");
}

TEST(Decimal, ChangeIsComputedInIntegersAndRoundedForDisplay) {
    const auto now = *Decimal::parse("32287000");
    const auto ref = *Decimal::parse("31883000");
    const auto ppm = change_ppm(now, ref);
    ASSERT_TRUE(ppm);
    EXPECT_EQ(*ppm, 12671);  // 0.012671… → 1.27 %
    EXPECT_EQ(format_percent_ppm(*ppm), "+1.27%");
    EXPECT_EQ(format_percent_ppm(-5000), "-0.50%");
    EXPECT_EQ(format_percent_ppm(0), "0.00%");
    EXPECT_FALSE(change_ppm(now, Decimal{}));
}
