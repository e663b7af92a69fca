#include "auth/crypto.hpp"

#include <gtest/gtest.h>

#include <set>

#include "auth/passwords.hpp"

namespace sinmun::auth {
namespace {

TEST(Sha256, MatchesKnownVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RandomHex, HasTheLengthAskedAndDiffersEachTime) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const auto s = random_hex(32);
        ASSERT_EQ(s.size(), 64u);
        for (char c : s) ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << s;
        seen.insert(s);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
    EXPECT_TRUE(constant_time_equal("abcdef", "abcdef"));
    EXPECT_FALSE(constant_time_equal("abcdef", "abcdeg"));
    EXPECT_FALSE(constant_time_equal("abcdef", "abcde"));
    EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(Passwords, HashIsArgon2idWithOwaspParametersAndVerifies) {
    auto h = hash_password("한글 비밀번호 correct horse");
    ASSERT_TRUE(h) << h.error().message;
    EXPECT_EQ(h->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *h;
    EXPECT_TRUE(verify_password(*h, "한글 비밀번호 correct horse"));
    EXPECT_FALSE(verify_password(*h, "한글 비밀번호 correct hors"));
    EXPECT_FALSE(verify_password(*h, ""));
}

TEST(Passwords, SaltMakesEachHashDifferent) {
    auto a = hash_password("same password 123");
    auto b = hash_password("same password 123");
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
}

TEST(Passwords, MalformedHashesNeverVerify) {
    EXPECT_FALSE(verify_password("", "x"));
    EXPECT_FALSE(verify_password("plaintext", "plaintext"));
    EXPECT_FALSE(verify_password("$argon2id$v=19$m=19456,t=2,p=1$!!!$???", "x"));
    EXPECT_FALSE(verify_password(dummy_password_hash(), "anything at all"));
    EXPECT_EQ(dummy_password_hash().rfind("$argon2id$", 0), 0u);
}

}  // namespace
}  // namespace sinmun::auth
