// Tests of demo::seed against a real SQLite file in a temporary directory.
#include "demo/demo_seed.hpp"
#include "demo/demo_content.hpp"
#include "demo/demo_photos.hpp"

#include "store/stores.hpp"

#include <gtest/gtest.h>
#include <vips/vips8>

#include <filesystem>
#include <random>
#include <regex>
#include <set>

namespace sinmun::demo {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kNow = 1'775'000'000'000;  // 2026-03-31, a fixed "now"

struct TempDir {
    fs::path path;
    TempDir() {
        std::random_device rd;
        path = fs::temp_directory_path() /
               ("sinmun-demo-seed-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::unique_ptr<store::Database> open_db(const fs::path& file) {
    store::SqliteOptions opt;
    opt.path = file.string();
    auto db = store::open_sqlite(opt);
    EXPECT_TRUE(db.has_value()) << (db ? "" : db.error().message);
    return db ? std::move(*db) : nullptr;
}

// Seeding is the slow part (all photos): do it once for the suite, then inspect.
class DemoSeed : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        db_ = open_db(dir_->path / "demo.db").release();
        ASSERT_NE(db_, nullptr);
        ManualClock clock(kNow);
        auto r = seed_with_report(*db_, (dir_->path / "media").string(), clock);
        ASSERT_TRUE(r.has_value()) << r.error().message;
        first_ = *r;
    }
    static void TearDownTestSuite() {
        delete db_;
        delete dir_;
    }
    static inline TempDir* dir_ = nullptr;
    static inline store::Database* db_ = nullptr;
    static inline SeedReport first_{};
};

TEST_F(DemoSeed, PublishesEveryArticleAndMarksTheDatabase) {
    auto articles = load_articles();
    ASSERT_TRUE(articles);
    EXPECT_EQ(first_.articles, static_cast<int>(articles->size()));
    EXPECT_FALSE(first_.content_existed);
    auto n = db_->articles().count_published(std::nullopt);
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, static_cast<std::int64_t>(articles->size()));

    auto marker = db_->settings().get(std::string(kDemoMarkerKey));
    ASSERT_TRUE(marker);
    EXPECT_EQ(marker->value_or(""), "1");
    auto site = db_->settings().site_settings();
    ASSERT_TRUE(site);
    EXPECT_TRUE(site->demo);
    EXPECT_NE(site->registration_no.find("데모"), std::string::npos);

    auto sections = db_->articles().sections();
    ASSERT_TRUE(sections);
    auto want = load_sections();
    ASSERT_EQ(sections->size(), want->size());
    for (const auto& s : *sections) {
        auto c = db_->articles().count_published(s.id);
        ASSERT_TRUE(c);
        EXPECT_GE(*c, 8) << s.slug;
    }
}

TEST_F(DemoSeed, ArticlesCarryTimesPinsPhotosAndRealPhotoIds) {
    store::ArticleQuery q;
    q.limit = 200;
    auto list = db_->articles().published(q);
    ASSERT_TRUE(list) << list.error().message;
    std::set<int> pins;
    int edited = 0;
    const std::regex ref(R"(\(photo:(\d+)\))");
    for (const auto& s : *list) {
        SCOPED_TRACE(s.headline);
        EXPECT_LE(s.published_at, kNow);
        EXPECT_GE(s.published_at, kNow - 80LL * 3600 * 1000);
        EXPECT_GT(s.views, 0);
        if (s.pin_rank) pins.insert(*s.pin_rank);
        auto a = db_->articles().article(s.id);
        ASSERT_TRUE(a) << a.error().message;
        EXPECT_EQ(a->status, news::ArticleStatus::published);
        ASSERT_FALSE(a->authors.empty());
        EXPECT_GT(a->authors[0].id, 0);
        ASSERT_FALSE(a->photos.empty());
        if (a->updated_at > a->published_at) ++edited;
        EXPECT_LE(a->updated_at, kNow);
        std::set<std::int64_t> ids;
        for (const auto& p : a->photos) {
            ids.insert(p.id);
            EXPECT_TRUE(p.src.starts_with("/media/demo/")) << p.src;
            EXPECT_EQ(p.width, kPhotoWidth);
            EXPECT_FALSE(p.caption.empty());
        }
        int refs = 0;
        for (auto it = std::sregex_iterator(a->body_md.begin(), a->body_md.end(), ref);
             it != std::sregex_iterator(); ++it, ++refs)
            EXPECT_TRUE(ids.count(std::stoll((*it)[1].str())))
                << "body references photo " << (*it)[1].str();
        EXPECT_EQ(refs, static_cast<int>(a->photos.size()));
    }
    EXPECT_EQ(pins, (std::set<int>{1, 2, 3}));
    EXPECT_GE(edited, 5);
}

TEST_F(DemoSeed, SeedsReactions) {
    store::ArticleQuery q;
    q.limit = 5;
    auto list = db_->articles().published(q);
    ASSERT_TRUE(list);
    std::int64_t total = 0;
    for (const auto& s : *list) {
        auto st = db_->reactions().state(s.id, "");
        ASSERT_TRUE(st) << st.error().message;
        total += st->counts.total();
        EXPECT_TRUE(st->mine.empty());
    }
    EXPECT_GT(total, 0);
}

TEST_F(DemoSeed, PhotosAreJpegsOfTheAdvertisedSize) {
    auto articles = load_articles();
    ASSERT_TRUE(articles);
    EXPECT_GE(first_.photos_rendered, static_cast<int>(articles->size()));
    const fs::path media = dir_->path / "media" / "demo";
    int checked = 0;
    for (const auto& a : *articles)
        for (const auto& p : a.photos) {
            ASSERT_TRUE(fs::exists(media / (p.name + ".jpg"))) << p.name;
            ASSERT_TRUE(fs::exists(media / (p.name + "-w480.jpg"))) << p.name;
            if (checked++ % 10 != 0) continue;  // decode a sample; all were written the same way
            vips::VImage img = vips::VImage::new_from_file((media / (p.name + ".jpg")).c_str());
            EXPECT_EQ(img.width(), 1200);
            EXPECT_EQ(img.height(), 675);
            EXPECT_STREQ(img.get_string("vips-loader"), "jpegload");
        }
}

TEST_F(DemoSeed, SecondSeedChangesNothingButRestoresMissingPhotos) {
    auto before = db_->articles().count_published(std::nullopt);
    ASSERT_TRUE(before);
    auto first_article = db_->articles().published(store::ArticleQuery{});
    ASSERT_TRUE(first_article);
    const std::int64_t id = first_article->front().id;
    auto a0 = db_->articles().article(id);
    ASSERT_TRUE(a0);

    const fs::path media = dir_->path / "media" / "demo";
    const std::string victim = fs::path(a0->photos.front().src).filename().string();
    ASSERT_TRUE(fs::remove(media / victim));

    ManualClock later(kNow + 3'600'000);
    auto r = seed_with_report(*db_, (dir_->path / "media").string(), later);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_TRUE(r->content_existed);
    EXPECT_EQ(r->articles, 0);
    EXPECT_EQ(r->photos_rendered, 1);
    EXPECT_TRUE(fs::exists(media / victim));

    auto after = db_->articles().count_published(std::nullopt);
    ASSERT_TRUE(after);
    EXPECT_EQ(*after, *before);
    auto a1 = db_->articles().article(id);
    ASSERT_TRUE(a1);
    EXPECT_EQ(a1->version, a0->version);
    EXPECT_EQ(a1->published_at, a0->published_at);
    EXPECT_EQ(a1->body_md, a0->body_md);
}

TEST(DemoSeedSafety, RefusesARealDatabaseAndLeavesItUnchanged) {
    TempDir dir;
    const fs::path file = dir.path / "real.db";
    auto db = open_db(file);
    ASSERT_NE(db, nullptr);
    auto section = db->articles().save_section(news::Section{0, "local", "지역", 1});
    ASSERT_TRUE(section) << section.error().message;
    auto author = db->articles().save_author(news::Author{0, "홍길동", "gildong@real.example"});
    ASSERT_TRUE(author);
    news::Article a;
    a.section_id = *section;
    a.headline = "진짜 신문의 진짜 기사";
    a.body_md = "본문";
    a.authors.push_back(news::Author{*author, "홍길동", "gildong@real.example"});
    a.status = news::ArticleStatus::published;
    a.created_at = a.published_at = a.updated_at = kNow - 1000;
    auto id = db->articles().save_article(a);
    ASSERT_TRUE(id) << id.error().message;

    ManualClock clock(kNow);
    auto st = seed(*db, (dir.path / "media").string(), clock, file.string());
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, Errc::conflict);
    EXPECT_EQ(st.error().message,
              file.string() + " is not a demo database; refusing to load demo content");

    auto n = db->articles().count_published(std::nullopt);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1);
    auto marker = db->settings().get(std::string(kDemoMarkerKey));
    ASSERT_TRUE(marker);
    EXPECT_FALSE(marker->has_value());
    auto sections = db->articles().sections();
    ASSERT_TRUE(sections);
    EXPECT_EQ(sections->size(), 1u);
    auto site = db->settings().site_settings();
    ASSERT_TRUE(site);
    EXPECT_FALSE(site->demo);
    EXPECT_FALSE(fs::exists(dir.path / "media"));
}

}  // namespace
}  // namespace sinmun::demo
