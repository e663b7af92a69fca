// Test fixture for the newsroom tests: a real SQLite file in a fresh temp directory, a
// ManualClock, two sections, three bylines and one actor per role.
// Thread-safety: one test at a time.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "core/clock.hpp"
#include "core/kst.hpp"
#include "news/newsroom.hpp"
#include "store/stores.hpp"

namespace sinmun::news::testing {

class NewsroomFixture : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("sinmun-newsroom-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir_);
        reopen();
        politics_ = db_->articles().save_section({0, "politics", "정치", 1}).value();
        economy_ = db_->articles().save_section({0, "economy", "경제", 2}).value();
        kim_ = db_->articles().save_author({0, "김서연", "seoyeon@sinmun.example"}).value();
        lee_ = db_->articles().save_author({0, "이준호", "junho@sinmun.example"}).value();
        park_ = db_->articles().save_author({0, "박데스크", "desk@sinmun.example"}).value();
        reporter_ = {1, auth::Role::reporter, kim_, "seoyeon@sinmun.example", "127.0.0.1"};
        other_reporter_ = {2, auth::Role::reporter, lee_, "junho@sinmun.example", "127.0.0.1"};
        editor_ = {3, auth::Role::editor, park_, "desk@sinmun.example", "127.0.0.1"};
        admin_ = {4, auth::Role::admin, 0, "admin@sinmun.example", "127.0.0.1"};
    }
    void TearDown() override {
        room_.reset();
        db_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    // Closes and opens the database again (a "restart").
    void reopen() {
        room_.reset();
        db_.reset();
        store::SqliteOptions o;
        o.path = (dir_ / "news.db").string();
        auto db = store::open_sqlite(o);
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        NewsroomHooks hooks;
        hooks.on_change = [this](std::int64_t id) { changes_.push_back(id); };
        hooks.on_scheduled = [this](std::int64_t at) { scheduled_.push_back(at); };
        room_ = std::make_unique<Newsroom>(*db_, clock_, hooks);
    }

    ArticleInput input(std::string headline = "서울시, AI 특구 지정",
                       std::string body = "서울시가 인공지능 특구로 지정됐다.") {
        ArticleInput in;
        in.headline = std::move(headline);
        in.subtitle = "부제";
        in.section_id = politics_;
        in.body_md = std::move(body);
        return in;
    }
    // A draft by the reporter, then published by the editor.
    Article published_article(std::string body = "서울시가 인공지능 특구로 지정됐다.") {
        auto a = room_->create_draft(reporter_, input("게재 기사", std::move(body)));
        EXPECT_TRUE(a) << a.error().message;
        auto p = room_->publish(editor_, a->id);
        EXPECT_TRUE(p) << p.error().message;
        return *p;
    }

    std::filesystem::path dir_;
    ManualClock clock_{kst::from_kst(2026, 3, 2, 9, 0)};
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<Newsroom> room_;
    std::vector<std::int64_t> changes_;
    std::vector<std::int64_t> scheduled_;
    std::int64_t politics_ = 0, economy_ = 0, kim_ = 0, lee_ = 0, park_ = 0;
    Actor reporter_, other_reporter_, editor_, admin_;
};

}  // namespace sinmun::news::testing
