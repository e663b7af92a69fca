// The storage interfaces. Two back ends implement them and pass the same conformance suite
// (tests/conformance/): SQLite (embedded default, store/sqlite/) and, later, PostgreSQL.
//
// Contract for every method: thread-safe (callable from any io thread concurrently); returns
// Errc::not_found for a missing row, Errc::invalid_input for a violated constraint,
// Errc::unavailable when the database cannot be reached or is busy past its timeout, and
// Errc::internal otherwise, always with a message naming what failed. A method that returns
// success has committed durably (WAL, synchronous=FULL on SQLite): acknowledged writes survive kill
// -9.
#pragma once

#include "core/result.hpp"
#include "core/search_query.hpp"
#include "market/model.hpp"
#include "news/model.hpp"
#include "reactions/model.hpp"
#include "store/user_store.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sinmun::store {

struct ArticleQuery {
    std::optional<std::int64_t> section_id;  // nullopt: all sections
    int limit = 20;                          // 1..200
    int offset = 0;
};

// One published article as a sitemap lists it (no body, no joins).
struct PublishedRef {
    std::int64_t id = 0;
    std::string headline;  // for the canonical slug
    std::int64_t published_at = 0;
    std::int64_t updated_at = 0;
};

// The newsroom dashboard's filter over articles of every status.
struct ArticleFilter {
    std::optional<news::ArticleStatus> status;  // nullopt: every status
    std::optional<std::int64_t> section_id;
    std::optional<std::int64_t> author_id;  // articles whose bylines include this author
    std::string query;                      // substring of the headline (case-sensitive bytes)
    int limit = 50;                         // 1..200
    int offset = 0;
};

// One article to import (import_articles): the article (id 0) and its first revision.
struct ImportItem {
    news::Article article;
    news::Revision revision;
};

class ArticleStore {
public:
    virtual ~ArticleStore() = default;

    virtual Result<std::vector<news::Section>> sections() = 0;
    // Inserts (id == 0) or updates by slug; returns the id.
    virtual Result<std::int64_t> save_section(const news::Section& s) = 0;

    // Inserts (id == 0) or updates an author matched by id; returns the id.
    virtual Result<std::int64_t> save_author(const news::Author& a) = 0;

    // Inserts (article.id == 0) or replaces an article with its authors (by id, which must exist)
    // and photos (photos with id 0 are inserted). Bumps `version` on update. Returns the id.
    virtual Result<std::int64_t> save_article(const news::Article& a) = 0;
    virtual Result<news::Article> article(std::int64_t id) = 0;

    // Published articles, newest first (published_at desc, id desc).
    virtual Result<std::vector<news::ArticleSummary>> published(const ArticleQuery& q) = 0;
    virtual Result<std::int64_t> count_published(std::optional<std::int64_t> section_id) = 0;

    // Candidates for 주요 뉴스: every pinned published article plus the published articles since
    // `since_ms`, with views and reaction totals filled in, at most `limit` unpinned ones.
    virtual Result<std::vector<news::ArticleSummary>> main_news_candidates(std::int64_t since_ms,
                                                                           int limit) = 0;

    // Adds view counts in one transaction: pairs of (article id, views to add).
    virtual Status add_views(std::span<const std::pair<std::int64_t, std::int64_t>> views) = 0;

    // --- Newsroom (issue 3) ---------------------------------------------------------------------

    // Every author, by id.
    virtual Result<std::vector<news::Author>> authors() = 0;

    // Saves an article and appends `rev` to its history in ONE transaction. For an update
    // (a.id != 0) the stored version must equal `expected_version`, else Errc::conflict and
    // nothing changes; the saved version is expected_version + 1. For an insert (a.id == 0)
    // expected_version is ignored. rev.article_id and rev.number are assigned here. Corrections
    // are replaced by a.corrections (so callers load, append and save). Returns the saved
    // article as article(id) would read it.
    virtual Result<news::Article> save_article_revision(const news::Article& a,
                                                        std::int64_t expected_version,
                                                        const news::Revision& rev) = 0;

    // The article's history, oldest first, each with its full content (decoded from the compact
    // form). Errc::not_found when the article does not exist.
    virtual Result<std::vector<news::Revision>> revisions(std::int64_t article_id) = 0;
    // Bytes the stored history of this article takes (payload columns), for compactness checks.
    virtual Result<std::int64_t> revision_bytes(std::int64_t article_id) = 0;

    // Publishes every article with status 'scheduled' and scheduled_at <= now_ms, each by a
    // conditional UPDATE … WHERE status = 'scheduled' (so two callers never publish one article
    // twice), setting updated_at = now_ms, published_at = now_ms unless it was published before
    // (a republish keeps its first 입력 time), and appending a "publish" revision by
    // `actor` (user 0). Returns the ids it published.
    virtual Result<std::vector<std::int64_t>> publish_due(std::int64_t now_ms,
                                                          const std::string& actor) = 0;
    // The earliest scheduled_at among scheduled articles; nullopt when none.
    virtual Result<std::optional<std::int64_t>> next_scheduled_at() = 0;

    // Replaces the 주요 뉴스 pins: the given articles get pin_rank 1, 2, … in order and every other
    // article loses its pin, in one transaction. Errc::not_found naming the first missing id;
    // Errc::invalid_input for an article that is not published or a repeated id.
    virtual Status set_pins(std::span<const std::int64_t> ordered_ids) = 0;

    // The dashboard: articles of any status matching the filter, most recently changed first
    // (GREATEST(updated_at, created_at) desc, id desc), with the workflow fields of
    // ArticleSummary filled; and how many match in all.
    virtual Result<std::vector<news::ArticleSummary>> find_articles(const ArticleFilter& f) = 0;
    virtual Result<std::int64_t> count_articles(const ArticleFilter& f) = 0;

    // Published articles with from_ms <= published_at < to_ms, oldest first (portal export).
    virtual Result<std::vector<news::ArticleSummary>> published_between(std::int64_t from_ms,
                                                                        std::int64_t to_ms) = 0;

    // Imports articles in ONE transaction. An item whose article.external_id is not empty and
    // already stored is skipped (nullopt in its slot, nothing written); otherwise its id.
    virtual Result<std::vector<std::optional<std::int64_t>>> import_articles(
        std::span<const ImportItem> items) = 0;
    // The article imported with this external id, if any.
    virtual Result<std::optional<std::int64_t>> article_by_external_id(std::string_view id) = 0;

    // --- Sitemaps (issue 5) ---------------------------------------------------------------------

    // Published articles in id order (oldest id first), skipping `offset`, at most `limit`
    // (1..50,000): sitemap files are fixed slices of this list, so old files stay stable.
    virtual Result<std::vector<PublishedRef>> published_refs(std::int64_t offset, int limit) = 0;
};

class ReactionStore {
public:
    virtual ~ReactionStore() = default;

    // Applies every vote in ONE transaction (group commit) and returns, per vote in order, the
    // state of its article for its reader after the whole batch. A vote for a missing article
    // yields Errc::not_found for that vote only; the others still commit.
    virtual Result<std::vector<Result<reactions::State>>> apply(
        std::span<const reactions::Vote> votes) = 0;

    // Counts for the article and the kinds `reader` has on (reader may be empty: mine is empty).
    virtual Result<reactions::State> state(std::int64_t article_id,
                                           const reactions::ReaderId& reader) = 0;
};

class MarketStore {
public:
    virtual ~MarketStore() = default;
    virtual Status save_instruments(std::span<const market::Instrument> instruments) = 0;
    virtual Result<std::vector<market::Instrument>> instruments() = 0;
    // Upserts the latest quote per code.
    virtual Status save_quotes(std::span<const market::Quote> quotes) = 0;
    virtual Result<std::vector<market::Quote>> quotes() = 0;
    // Saves instruments and quotes together, all or nothing (the stock import and push API).
    // The default runs the two saves one after the other; back ends override it with one
    // transaction.
    virtual Status save_instruments_and_quotes(std::span<const market::Instrument> instruments,
                                               std::span<const market::Quote> quotes) {
        if (auto s = save_instruments(instruments); !s) return s;
        return save_quotes(quotes);
    }

    // The crypto feed's minute ring (market::RollingWindow), so a restart keeps the 24 h
    // reference. In one transaction: upserts every row by (code, minute), replacing close,
    // last_ms and state, then deletes every row (of any code) with minute < keep_since_minute.
    // A row in the unknown state deletes that stored minute (the feed no longer vouches for its
    // close; unknown minutes are never stored). A row without a code is invalid_input; nothing
    // is saved then.
    virtual Status save_minutes(std::span<const market::MinuteClose> rows,
                                std::int64_t keep_since_minute) = 0;
    // Every stored row with minute ≥ since_minute, ordered by code, then minute.
    virtual Result<std::vector<market::MinuteClose>> minutes(std::int64_t since_minute) = 0;
};

class SettingsStore {
public:
    virtual ~SettingsStore() = default;
    virtual Result<std::optional<std::string>> get(const std::string& key) = 0;
    virtual Status set(const std::string& key, const std::string& value) = 0;
    // The site settings (defaults for keys never set).
    virtual Result<news::SiteSettings> site_settings() = 0;
    virtual Status save_site_settings(const news::SiteSettings& s) = 0;
};

// --- Search (issue 5) ----------------------------------------------------------------------------

enum class SearchSort { relevance, newest };

struct SearchRequest {
    text::SearchQuery query;                 // parsed by text::parse_search_query (≥ 1 term)
    std::optional<std::int64_t> section_id;  // nullopt: all sections
    SearchSort sort = SearchSort::relevance;
    int limit = 10;  // 1..100
    int offset = 0;  // 0..10'000
};

struct SearchHit {
    // id, section_id, headline, subtitle, label, excerpt, published_at, updated_at filled.
    news::ArticleSummary article;
    std::string headline_html;  // text::search_highlight_html of the headline
    std::string snippet_html;   // text::search_snippet_html of the subtitle + body plain text
};

struct SearchResults {
    std::int64_t total = 0;  // every match, not only this page
    std::vector<SearchHit> hits;
};

// Full-text search over published articles. Every back end indexes the same tokens, produced by
// text::search_index_text (core/search_tokens.hpp), for two fields: the headline, and the
// subtitle followed by the body's plain text (store/excerpt.hpp). The index changes in the same
// transaction as the article (insert, edit, publish, scheduled publish, unpublish, import), so
// an acknowledged publish is searchable and an unpublished article is never found.
class SearchStore {
public:
    virtual ~SearchStore() = default;

    // The published articles (optionally of one section) whose headline or body contains every
    // term of the query: a term's tokens at consecutive positions of one field, the last token
    // as a prefix when term.prefix. Order: relevance = BM25 (k1 1.2, b 0.75) with headline
    // matches weighted 3× body matches, ties by published_at desc, id desc; newest =
    // published_at desc, id desc. `total` counts every match. Errc::invalid_input for limits
    // out of range or a query without terms.
    virtual Result<SearchResults> search(const SearchRequest& request) = 0;

    // Rebuilds the whole index from the articles in one transaction (readers keep the old index
    // until it commits) and returns how many articles it indexed. `progress(done, total)` is
    // called on the calling thread as work advances (at least once at the end), if given.
    virtual Result<std::int64_t> rebuild_index(
        const std::function<void(std::int64_t done, std::int64_t total)>& progress) = 0;
};

// One open database: the stores over it share its connections.
class Database {
public:
    virtual ~Database() = default;
    virtual std::string_view backend() const = 0;  // "sqlite"
    virtual ArticleStore& articles() = 0;
    virtual ReactionStore& reactions() = 0;
    virtual MarketStore& market() = 0;
    virtual SettingsStore& settings() = 0;
    virtual UserStore& users() = 0;
    virtual AuditStore& audit() = 0;
    virtual SearchStore& search() = 0;
    // Current schema version after migrations.
    virtual Result<int> schema_version() = 0;
};

struct SqliteOptions {
    std::string path;  // file path; created if missing and create_if_missing
    bool create_if_missing = true;
    int busy_timeout_ms = 5000;
    int read_connections = 4;
};

// Opens (and migrates) a SQLite database. Errors name the path and the cause:
// unreadable file, not a database, newer schema than this binary knows.
Result<std::unique_ptr<Database>> open_sqlite(const SqliteOptions& options);

}  // namespace sinmun::store
