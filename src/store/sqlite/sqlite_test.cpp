// Tests of what only the SQLite back end has: embedded migrations, user_version handling, file
// errors, WAL. Behaviour common to every back end is in tests/conformance/.
#include "store/sqlite/sqlite.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace sinmun::store::sqlite {
namespace {

namespace fs = std::filesystem;

class SqliteFile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sinmun-sqlite-test-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const char* name = "news.db") const { return (dir_ / name).string(); }

    fs::path dir_;
};

TEST(SqliteMigrations, AreEmbeddedAndNumberedFromOne) {
    const auto all = embedded_migrations();
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.front().version, 1);
    EXPECT_EQ(all.front().name, "0001_init");
    EXPECT_NE(all.front().sql.find("CREATE TABLE articles"), std::string_view::npos);
    for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
    EXPECT_EQ(latest_schema_version(), all.back().version);
}

TEST_F(SqliteFile, FirstOpenMigratesAndSecondOpenRunsNothing) {
    {
        auto opened = open_sqlite_database({.path = path()});
        ASSERT_TRUE(opened) << opened.error().message;
        EXPECT_EQ(opened->migrations_applied, latest_schema_version());
        EXPECT_EQ(opened->db->schema_version().value(), latest_schema_version());
    }
    auto again = open_sqlite_database({.path = path()});
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->migrations_applied, 0);
}

TEST_F(SqliteFile, UsesWalJournal) {
    ASSERT_TRUE(open_sqlite_database({.path = path()}));
    auto conn = Connection::open(path(), {});
    ASSERT_TRUE(conn);
    auto st = conn->prepare("PRAGMA journal_mode");
    ASSERT_TRUE(st);
    ASSERT_TRUE(st->step().value());
    EXPECT_EQ(st->text(0), "wal");
}

TEST_F(SqliteFile, NewerSchemaIsRefusedWithAMessage) {
    {
        auto conn = Connection::open(path(), {});
        ASSERT_TRUE(conn);
        ASSERT_TRUE(conn->exec("PRAGMA user_version = 999"));
    }
    auto opened = open_sqlite_database({.path = path()});
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, Errc::unavailable);
    EXPECT_NE(opened.error().message.find("999"), std::string::npos) << opened.error().message;
    EXPECT_NE(opened.error().message.find(path()), std::string::npos) << opened.error().message;
}

TEST_F(SqliteFile, MissingFileWithoutCreateIsUnavailable) {
    auto opened = open_sqlite_database({.path = path(), .create_if_missing = false});
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, Errc::unavailable);
    EXPECT_NE(opened.error().message.find(path()), std::string::npos) << opened.error().message;
    EXPECT_FALSE(fs::exists(path()));
}

TEST_F(SqliteFile, PathInMissingDirectoryNamesThePath) {
    const std::string p = (dir_ / "no-such-dir" / "x.db").string();
    auto opened = open_sqlite_database({.path = p});
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, Errc::unavailable);
    EXPECT_NE(opened.error().message.find(p), std::string::npos) << opened.error().message;
}

TEST_F(SqliteFile, ConstraintViolationIsInvalidInput) {
    auto conn = Connection::open(path(), {});
    ASSERT_TRUE(conn);
    ASSERT_TRUE(conn->exec("CREATE TABLE t (k TEXT PRIMARY KEY)"));
    ASSERT_TRUE(conn->exec("INSERT INTO t VALUES ('a')"));
    auto st = conn->exec("INSERT INTO t VALUES ('a')");
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, Errc::invalid_input);
}

TEST_F(SqliteFile, TransactionRollsBackWhenNotCommitted) {
    auto conn = Connection::open(path(), {});
    ASSERT_TRUE(conn);
    ASSERT_TRUE(conn->exec("CREATE TABLE t (k INTEGER)"));
    {
        auto tx = Transaction::begin(*conn);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(conn->exec("INSERT INTO t VALUES (1)"));
    }
    {
        auto tx = Transaction::begin(*conn);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(conn->exec("INSERT INTO t VALUES (2)"));
        ASSERT_TRUE(tx->commit());
    }
    auto st = conn->prepare("SELECT group_concat(k) FROM t");
    ASSERT_TRUE(st);
    ASSERT_TRUE(st->step().value());
    EXPECT_EQ(st->text(0), "2");
}

TEST_F(SqliteFile, TextRoundTripsByteExactIncludingNul) {
    auto conn = Connection::open(path(), {});
    ASSERT_TRUE(conn);
    ASSERT_TRUE(conn->exec("CREATE TABLE t (v TEXT)"));
    const std::string value("한글\0뒤", 10);
    {
        auto ins = conn->prepare("INSERT INTO t VALUES (?1)");
        ASSERT_TRUE(ins);
        ins->bind(1, value);
        ASSERT_TRUE(ins->run());
    }
    auto st = conn->prepare("SELECT v FROM t");
    ASSERT_TRUE(st);
    ASSERT_TRUE(st->step().value());
    EXPECT_EQ(st->text(0), value);
}

}  // namespace
}  // namespace sinmun::store::sqlite
