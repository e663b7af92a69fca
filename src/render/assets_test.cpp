#include "render/assets.hpp"

#include "render/test_fixtures.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace sinmun::render {
namespace {

namespace fs = std::filesystem;

class AssetCatalogTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ =
            fs::temp_directory_path() / ("sinmun-assets-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_ / "fonts");
    }
    void TearDown() override { fs::remove_all(dir_); }
    void write(const std::string& name, const std::string& content) {
        std::ofstream(dir_ / name, std::ios::binary) << content;
    }
    fs::path dir_;
};

std::string big_css(char fill) {
    return "body { color: #111; }\n/*" + std::string(2000, fill) + "*/\n";
}

TEST_F(AssetCatalogTest, FingerprintedUrlChangesWithContent) {
    write("site.css", big_css('a'));
    auto first = AssetCatalog::load(dir_.string());
    ASSERT_TRUE(first) << first.error().message;
    std::string url1 = (*first)->url("site.css");
    EXPECT_TRUE(url1.starts_with("/assets/site.")) << url1;
    EXPECT_TRUE(url1.ends_with(".css")) << url1;
    EXPECT_EQ(url1.size(), std::string("/assets/site.12345678.css").size());

    write("site.css", big_css('b'));
    auto second = AssetCatalog::load(dir_.string());
    ASSERT_TRUE(second);
    std::string url2 = (*second)->url("site.css");
    EXPECT_NE(url1, url2);
    // The old fingerprint is no longer served (it would be cached for a year).
    EXPECT_EQ((*second)->find(url1.substr(8)), nullptr);
}

TEST_F(AssetCatalogTest, ServesFingerprintedImmutableAndPlainShortLived) {
    write("site.css", big_css('a'));
    write("site.js", "console.log('x');");
    write("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>");
    write("fonts/nanum.woff2", std::string("wOF2\0\0", 6));
    write(".hidden", "secret");
    auto cat = AssetCatalog::load(dir_.string());
    ASSERT_TRUE(cat);
    const AssetCatalog& c = **cat;

    auto fp = c.find(c.url("site.css").substr(8));
    ASSERT_NE(fp, nullptr);
    EXPECT_EQ(fp->cache_control, "public, max-age=31536000, immutable");
    EXPECT_EQ(fp->content_type, "text/css; charset=utf-8");
    EXPECT_FALSE(fp->br.empty());
    EXPECT_FALSE(fp->gzip.empty());

    auto plain = c.find("site.css");
    ASSERT_NE(plain, nullptr);
    EXPECT_EQ(plain->cache_control, "public, max-age=300");
    EXPECT_EQ(plain->identity, fp->identity);
    EXPECT_EQ(plain->etag, fp->etag);

    EXPECT_EQ(c.find("site.js")->content_type, "application/javascript; charset=utf-8");
    EXPECT_EQ(c.find("logo.svg")->content_type, "image/svg+xml");
    auto font = c.find(c.url("fonts/nanum.woff2").substr(8));
    ASSERT_NE(font, nullptr);
    EXPECT_EQ(font->content_type, "font/woff2");
    EXPECT_TRUE(c.url("fonts/nanum.woff2").starts_with("/assets/fonts/nanum."));

    EXPECT_EQ(c.find(".hidden"), nullptr);
    EXPECT_EQ(c.find("../etc/passwd"), nullptr);
    EXPECT_EQ(c.find("nope.css"), nullptr);
    EXPECT_EQ(c.url("nope.css"), "/assets/nope.css");
}

TEST_F(AssetCatalogTest, MissingDirectoryIsNotFound) {
    auto cat = AssetCatalog::load((dir_ / "absent").string());
    ASSERT_FALSE(cat);
    EXPECT_EQ(cat.error().code, Errc::not_found);
}

TEST(AssetCatalog, ContentTypes) {
    EXPECT_EQ(AssetCatalog::content_type_for("a.png"), "image/png");
    EXPECT_EQ(AssetCatalog::content_type_for("a.JPG"), "image/jpeg");
    EXPECT_EQ(AssetCatalog::content_type_for("a.webp"), "image/webp");
    EXPECT_EQ(AssetCatalog::content_type_for("favicon.ico"), "image/x-icon");
    EXPECT_EQ(AssetCatalog::content_type_for("x"), "application/octet-stream");
}

TEST(AssetCatalog, RepositoryAssetsLoad) {
    auto cat = AssetCatalog::load(testing::source_dir() + "/assets");
    ASSERT_TRUE(cat) << cat.error().message;
    for (const char* name : {"site.css", "site.js", "logo.svg", "favicon.svg"}) {
        EXPECT_NE((*cat)->find(name), nullptr) << name;
    }
}

}  // namespace
}  // namespace sinmun::render
