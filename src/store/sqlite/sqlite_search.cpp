// SearchStore over SQLite FTS5 (migrations 0006_article_search.sql and 0007 explain the table and
// triggers that keep it in the article's own transaction).
//
// Queries never reach MATCH as user text: the parsed query's tokens hold only letters, digits
// and marks (core/search_tokens.hpp), and each term is written as a double-quoted FTS5 string,
// so FTS5 operators typed by a reader (OR, NEAR, *, ^, :, quotes) are either dropped by the
// tokenizer or land inside a quoted string.
//
// A page is ranked from the index alone (see SINMUN_SEARCH_PAGE); bodies are read afterwards
// for the page's rows only, to build snippets.
#include <sqlite3.h>

#include "core/search_query.hpp"
#include "core/search_tokens.hpp"
#include "store/excerpt.hpp"
#include "store/sqlite/internal.hpp"

namespace sinmun::store::sqlite {
namespace {

// make_excerpt without a cut (it scans up to 4 × max_chars bytes, so no overflow here).
constexpr std::size_t kWholeText = std::size_t{1} << 40;

// headline weight 3, body weight 1 (SearchStore's contract; the UNINDEXED columns weigh 0).
// `m` runs the full-text query once, filtering the section on the index's own copy of it
// (MATERIALIZED: bm25() only works inside the FTS5 scan); `page` counts every match with a
// window computed before LIMIT and sorts (id, score, published_at) only; the articles table is
// read for the page's rows alone. Never joining articles per match is what keeps a query over a
// common word cheap: an article row holds its body, so its later columns sit on overflow pages.
#define SINMUN_SEARCH_PAGE(inner_order, outer_order)                                          \
    "WITH m AS MATERIALIZED (SELECT rowid AS id,"                                             \
    " bm25(article_search, 0.0, 0.0, 3.0, 1.0) AS score, published_at AS pub"                 \
    " FROM article_search WHERE article_search MATCH ?1"                                      \
    " AND (?2 IS NULL OR section_id = ?2)),"                                                  \
    " page AS (SELECT id, score, pub, count(*) OVER () AS total FROM m"                       \
    " ORDER BY " inner_order                                                                  \
    " LIMIT ?3 OFFSET ?4)"                                                                    \
    " SELECT a.id, a.section_id, a.headline, a.subtitle, a.label, a.excerpt, a.published_at," \
    " a.updated_at, a.body_md, page.total FROM page CROSS JOIN articles a ON a.id = page.id"  \
    " ORDER BY " outer_order

constexpr const char* kSearchRelevance =
    SINMUN_SEARCH_PAGE("score, pub DESC, id DESC", "page.score, page.pub DESC, page.id DESC");
constexpr const char* kSearchNewest =
    SINMUN_SEARCH_PAGE("pub DESC, id DESC", "page.pub DESC, page.id DESC");
// Only for a page past the end (no row carries the total then).
constexpr const char* kSearchCount =
    "SELECT count(*) FROM article_search WHERE article_search MATCH ?1"
    " AND (?2 IS NULL OR section_id = ?2)";

// The index form of the body field: subtitle, then the body's plain text.
std::string body_index_text(std::string_view subtitle, std::string_view body_md) {
    return text::search_index_text(subtitle) + ' ' +
           text::search_index_text(make_excerpt(body_md, kWholeText));
}

std::string fts5_expression(const text::SearchQuery& q) {
    std::string out;
    for (const auto& term : q.terms) {
        if (!out.empty()) out += " AND ";
        out += '"';
        for (std::size_t i = 0; i < term.tokens.size(); ++i) {
            if (i) out += ' ';
            out += term.tokens[i];  // letters, digits and marks only: nothing to escape
        }
        out += '"';
        if (term.prefix) out += '*';
    }
    return out;
}

void sql_search_text(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
        return;
    }
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const std::string out =
        text::search_index_text(std::string_view(p, sqlite3_value_bytes(argv[0])));
    sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

void sql_search_markdown(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
        return;
    }
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const std::string out = text::search_index_text(
        make_excerpt(std::string_view(p, sqlite3_value_bytes(argv[0])), kWholeText));
    sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

class SqliteSearchStore final : public SearchStore {
public:
    explicit SqliteSearchStore(Connections& conns) : conns_(conns) {}

    Result<SearchResults> search(const SearchRequest& r) override {
        if (r.query.terms.empty())
            return make_error(Errc::invalid_input, "search query has no terms");
        if (r.limit < 1 || r.limit > 100 || r.offset < 0 || r.offset > 10'000)
            return make_error(Errc::invalid_input, "search limit must be 1..100, offset 0..10000");
        const std::string match = fts5_expression(r.query);
        return conns_.read([&](Connection& c) -> Result<SearchResults> {
            SearchResults out;
            SINMUN_TRY_ASSIGN(
                st, c.prepare(r.sort == SearchSort::newest ? kSearchNewest : kSearchRelevance));
            st.bind(1, match).bind(2, r.section_id).bind(3, r.limit).bind(4, r.offset);
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& row) {
                out.total = row.int64(9);
                SearchHit h;
                auto& a = h.article;
                a.id = row.int64(0);
                a.section_id = row.int64(1);
                a.headline = row.text(2);
                a.subtitle = row.text(3);
                a.label = row.text(4);
                a.excerpt = row.text(5);
                a.published_at = row.int64(6);
                a.updated_at = row.int64(7);
                h.headline_html = text::search_highlight_html(a.headline, r.query);
                const std::string body = make_excerpt(row.text(8), kWholeText);
                if (text::search_match_spans(body, r.query).empty() &&
                    !text::search_match_spans(a.subtitle, r.query).empty())
                    h.snippet_html = text::search_snippet_html(a.subtitle + " " + body, r.query);
                else
                    h.snippet_html = text::search_snippet_html(body, r.query);
                out.hits.push_back(std::move(h));
            }));
            if (out.hits.empty() && r.offset > 0) {
                SINMUN_TRY_ASSIGN(count, c.prepare(kSearchCount));
                count.bind(1, match).bind(2, r.section_id);
                SINMUN_TRY_ASSIGN(has, count.step());
                out.total = has ? count.int64(0) : 0;
            }
            return out;
        });
    }

    Result<std::int64_t> rebuild_index(
        const std::function<void(std::int64_t, std::int64_t)>& progress) override {
        return conns_.write([&](Connection& c) -> Result<std::int64_t> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            std::int64_t total = 0;
            {
                SINMUN_TRY_ASSIGN(st, c.prepare("SELECT count(*) FROM articles"
                                                " WHERE status = 'published'"));
                SINMUN_TRY_ASSIGN(row, st.step());
                total = row ? st.int64(0) : 0;
            }
            SINMUN_TRY_STATUS(c.exec("DELETE FROM article_search"));
            SINMUN_TRY_ASSIGN(ins, c.prepare("INSERT INTO article_search"
                                             " (rowid, section_id, published_at, headline, body)"
                                             " VALUES (?1, ?2, ?3, ?4, ?5)"));
            SINMUN_TRY_ASSIGN(sel, c.prepare("SELECT id, section_id, published_at, headline,"
                                             " subtitle, body_md FROM articles"
                                             " WHERE status = 'published' ORDER BY id"));
            std::int64_t done = 0;
            for (;;) {
                SINMUN_TRY_ASSIGN(row, sel.step());
                if (!row) break;
                ins.bind(1, sel.int64(0))
                    .bind(2, sel.int64(1))
                    .bind(3, sel.int64(2))
                    .bind(4, text::search_index_text(sel.text(3)))
                    .bind(5, body_index_text(sel.text(4), sel.text(5)));
                SINMUN_TRY_STATUS(ins.run());
                ins.reset();
                ++done;
                if (progress && done % 500 == 0) progress(done, total);
            }
            // Merge the index's segments: a smaller file and faster queries afterwards.
            SINMUN_TRY_STATUS(
                c.exec("INSERT INTO article_search (article_search) VALUES ('optimize')"));
            SINMUN_TRY_STATUS(tx.commit());
            if (progress) progress(done, total);
            return done;
        });
    }

private:
    Connections& conns_;
};

}  // namespace

int register_search_functions(sqlite3* db) {
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function_v2(db, "sinmun_search_text", 1, flags, nullptr,
                                        sql_search_text, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_create_function_v2(db, "sinmun_search_markdown", 1, flags, nullptr,
                                      sql_search_markdown, nullptr, nullptr, nullptr);
}

std::unique_ptr<SearchStore> make_search_store(Connections& conns) {
    return std::make_unique<SqliteSearchStore>(conns);
}

}  // namespace sinmun::store::sqlite
