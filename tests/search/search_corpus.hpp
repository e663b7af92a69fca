// The search relevance set (tests/fixtures/search/): a fixed corpus (the demo articles plus
// small fixture articles) and Korean queries with the articles each must (not) find. Shared by
// the relevance test (relevance_test.cpp) and the quality benchmark (bench/search/).
// Thread-safety: plain functions; a Database is used as its contract allows.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/stores.hpp"

namespace sinmun::search_fixtures {

struct CorpusArticle {
    std::string key;  // "politics/09" (demo/articles) or "x/busan-mice" (fixture articles)
    std::string section;
    std::string headline, subtitle, body;
};

struct RelevanceQuery {
    int line = 0;
    std::string query;
    std::string section;                // "" for all
    std::vector<std::string> must;      // must be in the top 10
    std::vector<std::string> must_not;  // must not be found at all
    bool expect_none = false;           // must find nothing
    std::string kind;
};

// Every article of <root>/demo/articles/*/*.md and <root>/tests/fixtures/search/articles/*.md,
// sorted by key. Throws std::runtime_error naming the file when one cannot be read or parsed.
std::vector<CorpusArticle> load_corpus(const std::string& root);
// <root>/tests/fixtures/search/queries.tsv. Throws std::runtime_error naming the line.
std::vector<RelevanceQuery> load_queries(const std::string& root);

// Saves the corpus as published articles (sections created as needed, one hour apart in key
// order) and returns key → article id, and section slug → id in `sections`.
std::map<std::string, std::int64_t> index_corpus(store::Database& db,
                                                 const std::vector<CorpusArticle>& corpus,
                                                 std::map<std::string, std::int64_t>& sections);

}  // namespace sinmun::search_fixtures
