// The relevance set (tests/fixtures/search/queries.tsv) over its fixed corpus, indexed into a
// real temp SQLite database through the store: each query's must-find articles are in its top
// 10, its must-not-find articles are not found at all, "none" queries find nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "search_corpus.hpp"

namespace sinmun::search_fixtures {
namespace {

namespace fs = std::filesystem;

class Relevance : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::random_device rd;
        dir_ = new fs::path(fs::temp_directory_path() /
                            ("sinmun-relevance-" + std::to_string(rd()) + std::to_string(rd())));
        fs::create_directories(*dir_);
        auto db = store::open_sqlite({.path = (*dir_ / "relevance.db").string()});
        ASSERT_TRUE(db) << db.error().message;
        db_ = db->release();
        corpus_ = new std::vector<CorpusArticle>(load_corpus(SINMUN_SOURCE_DIR));
        sections_ = new std::map<std::string, std::int64_t>();
        ids_ = new std::map<std::string, std::int64_t>(index_corpus(*db_, *corpus_, *sections_));
    }
    static void TearDownTestSuite() {
        delete db_;
        std::error_code ec;
        fs::remove_all(*dir_, ec);
        delete dir_;
        delete corpus_;
        delete ids_;
        delete sections_;
    }

    static fs::path* dir_;
    static store::Database* db_;
    static std::vector<CorpusArticle>* corpus_;
    static std::map<std::string, std::int64_t>* ids_;
    static std::map<std::string, std::int64_t>* sections_;
};

fs::path* Relevance::dir_ = nullptr;
store::Database* Relevance::db_ = nullptr;
std::vector<CorpusArticle>* Relevance::corpus_ = nullptr;
std::map<std::string, std::int64_t>* Relevance::ids_ = nullptr;
std::map<std::string, std::int64_t>* Relevance::sections_ = nullptr;

TEST_F(Relevance, TheSetIsLargeEnoughAndCoversEveryKind) {
    const auto queries = load_queries(SINMUN_SOURCE_DIR);
    EXPECT_GE(queries.size(), 40u);
    for (std::string kind : {"two-syllable", "particle", "mixed", "phrase", "section", "multi-word",
                             "one-syllable", "no-results"})
        EXPECT_TRUE(std::any_of(queries.begin(), queries.end(), [&](const auto& q) {
            return q.kind == kind;
        })) << kind;
    EXPECT_GE(corpus_->size(), 80u);
}

TEST_F(Relevance, EveryQueryFindsWhatItMustAndNothingItMustNot) {
    for (const auto& q : load_queries(SINMUN_SOURCE_DIR)) {
        SCOPED_TRACE("queries.tsv:" + std::to_string(q.line) + " " + q.query);
        auto parsed = text::parse_search_query(q.query);
        ASSERT_TRUE(parsed) << parsed.error().message;
        store::SearchRequest r;
        r.query = *parsed;
        if (!q.section.empty()) {
            ASSERT_TRUE(sections_->count(q.section)) << q.section;
            r.section_id = sections_->at(q.section);
        }
        r.limit = 100;
        auto res = db_->search().search(r);
        ASSERT_TRUE(res) << res.error().message;
        std::vector<std::int64_t> found;
        for (const auto& h : res->hits) found.push_back(h.article.id);
        if (q.expect_none) {
            EXPECT_EQ(res->total, 0);
        }
        for (const auto& key : q.must) {
            ASSERT_TRUE(ids_->count(key)) << "unknown article " << key;
            const auto at = std::find(found.begin(), found.end(), ids_->at(key));
            EXPECT_TRUE(at != found.end() && at - found.begin() < 10)
                << key << " is not in the top 10 (rank "
                << (at == found.end() ? -1 : at - found.begin() + 1) << " of " << res->total << ")";
        }
        if (!q.must_not.empty()) {
            ASSERT_LE(res->total, 100) << "must-not checks need every hit";
        }
        for (const auto& key : q.must_not) {
            ASSERT_TRUE(ids_->count(key)) << "unknown article " << key;
            EXPECT_TRUE(std::find(found.begin(), found.end(), ids_->at(key)) == found.end())
                << key << " must not be found";
        }
        // Every hit of a sectioned query is in that section.
        if (r.section_id) {
            for (const auto& h : res->hits) EXPECT_EQ(h.article.section_id, *r.section_id);
        }
    }
}

}  // namespace
}  // namespace sinmun::search_fixtures
