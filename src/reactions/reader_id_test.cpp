#include "reactions/reader_id.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sinmun::reactions {
namespace {

TEST(ReaderId, IsThirtyTwoLowercaseHexAndValid) {
    const auto id = new_reader_id();
    EXPECT_EQ(id.size(), 32u);
    EXPECT_TRUE(is_valid_reader_id(id)) << id;
    for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
}

TEST(ReaderId, TenThousandAreDistinct) {
    std::set<ReaderId> seen;
    for (int i = 0; i < 10000; ++i) seen.insert(new_reader_id());
    EXPECT_EQ(seen.size(), 10000u);
}

TEST(ReaderId, EveryHexDigitShowsUp) {
    // 128 random bits per id: over 100 ids each of the 16 digits appears (failure odds ~1e-80).
    std::set<char> digits;
    for (int i = 0; i < 100; ++i)
        for (char c : new_reader_id()) digits.insert(c);
    EXPECT_EQ(digits.size(), 16u);
}

TEST(ReaderId, RejectsAnythingElse) {
    EXPECT_FALSE(is_valid_reader_id(""));
    EXPECT_FALSE(is_valid_reader_id("0123456789abcdef0123456789abcde"));    // 31
    EXPECT_FALSE(is_valid_reader_id("0123456789abcdef0123456789abcdef0"));  // 33
    EXPECT_FALSE(is_valid_reader_id("0123456789ABCDEF0123456789abcdef"));   // uppercase
    EXPECT_FALSE(is_valid_reader_id("0123456789abcdef0123456789abcdeg"));
    EXPECT_FALSE(is_valid_reader_id("0123456789abcdef0123456789abcd\"}"));
    EXPECT_FALSE(is_valid_reader_id(std::string_view("0123456789abcdef0123456789abcd\0f", 32)));
    EXPECT_TRUE(is_valid_reader_id("0123456789abcdef0123456789abcdef"));
}

}  // namespace
}  // namespace sinmun::reactions
