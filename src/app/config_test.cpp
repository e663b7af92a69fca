#include "app/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace sinmun::app;

namespace {
std::string write_temp(const std::string& text) {
    char name[] = "/tmp/sinmun-config-XXXXXX";
    const int fd = mkstemp(name);
    close(fd);
    std::ofstream(name) << text;
    return name;
}
}  // namespace

TEST(Config, ParsesListenAddresses) {
    std::string host;
    std::uint16_t port = 0;
    ASSERT_TRUE(parse_listen("127.0.0.1:8080", host, port));
    EXPECT_EQ(host, "127.0.0.1");
    EXPECT_EQ(port, 8080);
    ASSERT_TRUE(parse_listen("[::1]:0", host, port));
    EXPECT_EQ(host, "::1");
    EXPECT_EQ(port, 0);
    EXPECT_FALSE(parse_listen("8080", host, port));
    EXPECT_FALSE(parse_listen("127.0.0.1:99999", host, port));
    EXPECT_FALSE(parse_listen("127.0.0.1:http", host, port));
}

TEST(Config, LoadsTheExampleFile) {
    const char* src = std::getenv("SINMUN_SOURCE_DIR");
    ASSERT_NE(src, nullptr);
    Config cfg;
    ASSERT_TRUE(load_config_file(std::string(src) + "/config/sinmun.example.toml", cfg));
    EXPECT_EQ(cfg.port, 8080);
    EXPECT_EQ(cfg.db_path, "var/sinmun.db");
    EXPECT_EQ(cfg.stale_after_s, 30);
}

TEST(Config, UnknownKeyIsAnErrorNamingIt) {
    const auto path = write_temp("[server]\nlisten = \"127.0.0.1:1\"\nthreds = 4\n");
    Config cfg;
    auto s = load_config_file(path, cfg);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("server.threds"), std::string::npos);
    std::remove(path.c_str());
}

TEST(Config, WrongTypeAndSyntaxErrorsNameKeyAndLine) {
    Config cfg;
    const auto p1 = write_temp("[server]\nthreads = \"many\"\n");
    auto s1 = load_config_file(p1, cfg);
    ASSERT_FALSE(s1);
    EXPECT_NE(s1.error().message.find("server.threads"), std::string::npos);
    const auto p2 = write_temp("[server\nthreads = 1\n");
    auto s2 = load_config_file(p2, cfg);
    ASSERT_FALSE(s2);
    EXPECT_NE(s2.error().message.find("line 1"), std::string::npos);
    std::remove(p1.c_str());
    std::remove(p2.c_str());
}

TEST(Config, FeedsAndPingsAreOffByDefaultAndValidated) {
    Config defaults;
    EXPECT_FALSE(defaults.feed_full_content);
    EXPECT_TRUE(defaults.indexnow_endpoint.empty());
    EXPECT_TRUE(defaults.websub_hub.empty());

    Config cfg;
    const auto good = write_temp(
        "[feeds]\nfull_content = true\nitems = 50\n[indexnow]\n"
        "endpoint = \"http://127.0.0.1:9/indexnow\"\nkey = \"abcd-1234-efgh\"\n"
        "[websub]\nhub = \"http://127.0.0.1:9/hub\"\n[notify]\nmax_attempts = 3\n");
    ASSERT_TRUE(load_config_file(good, cfg));
    EXPECT_TRUE(cfg.feed_full_content);
    EXPECT_EQ(cfg.feed_items, 50);
    EXPECT_EQ(cfg.indexnow_key, "abcd-1234-efgh");
    EXPECT_EQ(cfg.websub_hub, "http://127.0.0.1:9/hub");
    EXPECT_EQ(cfg.notify_max_attempts, 3);

    for (const char* bad :
         {"[indexnow]\nkey = \"short\"\n", "[indexnow]\nkey = \"has/slash/in/it\"\n",
          "[indexnow]\nendpoint = \"http://127.0.0.1:9/x\"\n", "[websub]\nhub = \"ftp://hub\"\n",
          "[feeds]\nitems = 0\n"}) {
        const auto p = write_temp(bad);
        Config c;
        auto s = load_config_file(p, c);
        EXPECT_FALSE(s) << bad;
        std::remove(p.c_str());
    }
    std::remove(good.c_str());
}

TEST(Config, ReadsTheCryptoFeedKeysIncludingTheExtraCaFile) {
    const auto path = write_temp(
        "[market]\ncrypto_feed = \"wss://feed.example.kr/websocket/v1\"\n"
        "crypto_rest = \"https://feed.example.kr\"\ncrypto_ca_file = "
        "\"/etc/sinmun/feed-ca.pem\"\n");
    Config cfg;
    ASSERT_TRUE(load_config_file(path, cfg));
    EXPECT_EQ(cfg.crypto_feed, "wss://feed.example.kr/websocket/v1");
    EXPECT_EQ(cfg.crypto_rest, "https://feed.example.kr");
    EXPECT_EQ(cfg.crypto_ca_file, "/etc/sinmun/feed-ca.pem");
    std::remove(path.c_str());
}
