// Tests of the demo content (every embedded file parses and meets the newsroom's bar) and of the
// procedural photos (real JPEG files decoded back with libvips).
#include "demo/demo_content.hpp"
#include "demo/demo_photos.hpp"

#include "core/text.hpp"

#include <gtest/gtest.h>
#include <vips/vips8>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>

namespace sinmun::demo {
namespace {

namespace fs = std::filesystem;

struct TempDir {
    fs::path path;
    TempDir() {
        std::random_device rd;
        path = fs::temp_directory_path() /
               ("sinmun-demo-test-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(DemoContent, EveryEmbeddedArticleParses) {
    int n = 0;
    for (const auto& f : embedded_files()) {
        if (!f.path.starts_with("articles/")) continue;
        auto a = parse_article(f.path, f.data);
        EXPECT_TRUE(a.has_value()) << f.path << ": " << (a ? "" : a.error().message);
        ++n;
    }
    EXPECT_GT(n, 0);
    auto all = load_articles();
    ASSERT_TRUE(all.has_value()) << all.error().message;
    EXPECT_EQ(static_cast<int>(all->size()), n);
}

TEST(DemoContent, EmbeddedFilesMatchTheSourceTree) {
    const char* src = std::getenv("SINMUN_SOURCE_DIR");
    if (!src) GTEST_SKIP() << "SINMUN_SOURCE_DIR not set";
    int checked = 0;
    for (const auto& f : embedded_files()) {
        EXPECT_EQ(read_file(fs::path(src) / "demo" / std::string(f.path)), f.data)
            << f.path << " changed since the build: rebuild sinmun_demo";
        ++checked;
    }
    EXPECT_GT(checked, 2);
}

TEST(DemoContent, MeetsTheNewsroomBar) {
    auto articles = load_articles();
    ASSERT_TRUE(articles.has_value()) << articles.error().message;
    auto sections = load_sections();
    ASSERT_TRUE(sections.has_value()) << sections.error().message;
    auto authors = load_authors();
    ASSERT_TRUE(authors.has_value()) << authors.error().message;

    EXPECT_GE(articles->size(), 60u);
    EXPECT_EQ(authors->size(), 12u);
    std::set<std::string> used_sections, headlines, photo_names, used_authors;
    std::set<int> pins;
    int labelled = 0;
    for (const auto& a : *articles) {
        SCOPED_TRACE(a.file);
        used_sections.insert(a.section_slug);
        EXPECT_TRUE(headlines.insert(a.headline).second) << "duplicate headline " << a.headline;
        EXPECT_GE(a.authors.size(), 1u);
        for (const auto& name : a.authors) used_authors.insert(name);
        EXPECT_GE(a.photos.size(), 1u);
        EXPECT_LE(a.photos.size(), 2u);
        for (const auto& p : a.photos) {
            EXPECT_FALSE(p.caption.empty());
            EXPECT_FALSE(p.alt.empty());
            EXPECT_FALSE(p.credit.empty());
            EXPECT_EQ(p.caption.find("▲"), std::string::npos) << "the renderer adds ▲";
            EXPECT_TRUE(photo_names.insert(p.name).second);
        }
        // Body paragraphs, figures excluded.
        EXPECT_GE(count_paragraphs(a.body_md) - a.photos.size(), 3u);
        EXPECT_LE(a.hours_ago, 80.0) << "demo stories cover about the last three days";
        EXPECT_EQ(a.headline, text::nfc(a.headline));
        EXPECT_EQ(a.body_md, text::nfc(a.body_md));
        for (std::size_t k = 1; k <= a.photos.size(); ++k)
            EXPECT_NE(a.body_md.find("(photo:" + std::to_string(k) + ")"), std::string::npos)
                << "photo " << k << " is never placed";
        if (a.pin) {
            EXPECT_TRUE(pins.insert(*a.pin).second) << "pin " << *a.pin << " used twice";
        }
        if (!a.label.empty()) ++labelled;
    }
    EXPECT_GE(used_sections.size(), 6u);
    EXPECT_EQ(used_authors.size(), authors->size()) << "every reporter has a byline";
    EXPECT_EQ(pins, (std::set<int>{1, 2, 3}));
    EXPECT_GE(labelled * 5, static_cast<int>(articles->size())) << "about a quarter carry a label";
}

TEST(DemoContent, ParseRejectsBrokenFiles) {
    const std::string ok_front =
        "---\nheadline: 제목\nauthors: 김서연\nhours_ago: 1\n"
        "photo: sea | 캡션 | 대체 | 사진=신문 DB\n---\n";
    EXPECT_TRUE(parse_article("articles/politics/01.md", ok_front + "본문.\n\n![a](photo:1)\n"));
    auto out_of_range = parse_article("articles/politics/01.md", ok_front + "![a](photo:2)\n");
    ASSERT_FALSE(out_of_range);
    EXPECT_EQ(out_of_range.error().code, Errc::invalid_input);
    EXPECT_NE(out_of_range.error().message.find("demo/articles/politics/01.md"), std::string::npos);
    EXPECT_FALSE(parse_article("articles/politics/01.md", "headline: x\n"));
    EXPECT_FALSE(
        parse_article("articles/politics/01.md", "---\nheadline: x\nmood: happy\n---\nbody\n"));
    EXPECT_FALSE(parse_article(
        "articles/politics/01.md",
        "---\nheadline: 제목\nauthors: 김서연\nhours_ago: 1\n---\n본문\n"));  // no photo
    EXPECT_FALSE(parse_article(
        "articles/politics/01.md",
        "---\nheadline: 제목\nauthors: 김서연\nhours_ago: 1\n"
        "photo: volcano | 캡션 | 대체 | 사진=신문 DB\n---\n본문\n"));  // unknown scene
    EXPECT_FALSE(parse_article("politics.md", ok_front + "본문\n"));
}

TEST(DemoContent, ParseNormalisesToNfc) {
    // "한" spelt as conjoining jamo (NFD) must come back as the precomposed syllable.
    const std::string nfd_han = "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab";
    auto a = parse_article("articles/politics/09.md",
                           "---\nheadline: " + nfd_han +
                               "국\nauthors: 김서연\nhours_ago: 2.5\n"
                               "photo: sea | 캡션 | 대체 | 사진=신문 DB\n---\n" +
                               nfd_han + "강\n\n![a](photo:1)\n");
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->headline, "한국");
    EXPECT_EQ(a->body_md.substr(0, 6), "한강");
    EXPECT_DOUBLE_EQ(a->hours_ago, 2.5);
    EXPECT_EQ(a->photos.at(0).name, "politics-09-1");
}

TEST(DemoContent, RewritePhotoRefsUsesStoreIds) {
    const std::int64_t ids[] = {41, 42};
    auto out = rewrite_photo_refs("가\n\n![x](photo:2)\n\n![y](photo:1)\n", ids);
    ASSERT_TRUE(out);
    EXPECT_EQ(*out, "가\n\n![x](photo:42)\n\n![y](photo:41)\n");
    EXPECT_FALSE(rewrite_photo_refs("![x](photo:3)", ids));
    EXPECT_FALSE(rewrite_photo_refs("![x](photo:0)", ids));
}

TEST(DemoContent, CountsParagraphs) {
    EXPECT_EQ(count_paragraphs("하나\n\n둘\n셋 이어짐\n\n\n넷\n"), 3u);
    EXPECT_EQ(count_paragraphs(""), 0u);
}

TEST(DemoPhotos, EveryScenePaintsADecodableJpegAndThumbnail) {
    TempDir dir;
    for (std::string_view scene : known_scenes()) {
        SCOPED_TRACE(std::string(scene));
        const std::string name = "t-" + std::string(scene);
        ASSERT_TRUE(render_photo(PhotoSpec{std::string(scene), 0x2b4c7e, seed_for(name)},
                                 dir.path.string(), name));
        const fs::path main = dir.path / (name + ".jpg"), thumb = dir.path / (name + "-w480.jpg");
        const std::string bytes = read_file(main);
        ASSERT_GT(bytes.size(), 10'000u);
        EXPECT_EQ(bytes.substr(0, 3), "\xff\xd8\xff");  // JPEG SOI marker
        vips::VImage img = vips::VImage::new_from_file(main.c_str());
        EXPECT_EQ(img.width(), kPhotoWidth);
        EXPECT_EQ(img.height(), kPhotoHeight);
        EXPECT_EQ(img.bands(), 3);
        EXPECT_STREQ(img.get_string("vips-loader"), "jpegload");
        // Not a flat fill: a photo has contrast.
        EXPECT_GT(img.deviate(), 8.0);
        vips::VImage t = vips::VImage::new_from_file(thumb.c_str());
        EXPECT_EQ(t.width(), kThumbWidth);
        EXPECT_EQ(t.height(), kThumbWidth * kPhotoHeight / kPhotoWidth);
        EXPECT_FALSE(fs::exists(dir.path / (name + ".jpg.tmp")));
    }
}

TEST(DemoPhotos, SameSeedSameBytesOtherSeedOtherPicture) {
    TempDir dir;
    ASSERT_TRUE(render_photo(PhotoSpec{"skyline", 0x1f7a6d, 7}, dir.path.string(), "a"));
    ASSERT_TRUE(render_photo(PhotoSpec{"skyline", 0x1f7a6d, 7}, dir.path.string(), "b"));
    ASSERT_TRUE(render_photo(PhotoSpec{"skyline", 0x1f7a6d, 8}, dir.path.string(), "c"));
    EXPECT_EQ(read_file(dir.path / "a.jpg"), read_file(dir.path / "b.jpg"));
    EXPECT_NE(read_file(dir.path / "a.jpg"), read_file(dir.path / "c.jpg"));
}

TEST(DemoPhotos, UnknownSceneIsInvalidInput) {
    TempDir dir;
    auto st = render_photo(PhotoSpec{"volcano", 0, 1}, dir.path.string(), "x");
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, Errc::invalid_input);
    EXPECT_FALSE(fs::exists(dir.path / "x.jpg"));
}

TEST(DemoPhotos, PathsFollowTheMediaConvention) {
    EXPECT_EQ(photo_src("politics-01-1"), "/media/demo/politics-01-1.jpg");
    EXPECT_EQ(thumbnail_src("/media/demo/politics-01-1.jpg"), "/media/demo/politics-01-1-w480.jpg");
    EXPECT_EQ(seed_for("a"), seed_for("a"));
    EXPECT_NE(seed_for("a"), seed_for("b"));
}

}  // namespace
}  // namespace sinmun::demo
