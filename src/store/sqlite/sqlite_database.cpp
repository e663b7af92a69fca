// The SQLite implementation of the store interfaces (stores.hpp).
//
// Why one writer plus a pool of readers: SQLite allows one writer at a time per file anyway, and
// in WAL mode readers see the last committed snapshot without blocking on, or being blocked by,
// the writer. Serialising writes on our own mutex (instead of letting connections fight over the
// file lock) keeps busy errors for the case where another *process* holds the lock.
#include "store/sqlite/sqlite_database.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/compress.hpp"
#include "news/revision.hpp"
#include "store/excerpt.hpp"
#include "store/sqlite/internal.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite.hpp"

namespace sinmun::store::sqlite {
namespace {

// ---------------------------------------------------------------------------------------------
// Articles

constexpr std::string_view kSummarySelect =
    "SELECT a.id, a.section_id, a.headline, a.subtitle, a.label, a.excerpt, a.published_at,"
    " a.updated_at, a.views, a.pin_rank,"
    " (SELECT COALESCE(SUM(rc.n), 0) FROM reaction_counts rc WHERE rc.article_id = a.id),"
    " p.id, p.src, p.width, p.height, p.alt, p.caption, p.credit,"
    " a.status, a.scheduled_at, a.created_at, a.version"
    " FROM articles a LEFT JOIN photos p ON p.id ="
    " (SELECT id FROM photos WHERE article_id = a.id ORDER BY position, id LIMIT 1) ";

const std::string kPublishedAll =
    std::string(kSummarySelect) +
    "WHERE a.status = 'published' ORDER BY a.published_at DESC, a.id DESC LIMIT ?1 OFFSET ?2";
const std::string kPublishedSection = std::string(kSummarySelect) +
                                      "WHERE a.status = 'published' AND a.section_id = ?3"
                                      " ORDER BY a.published_at DESC, a.id DESC LIMIT ?1 OFFSET ?2";
// "+a.status" keeps the planner off the status index (which would scan every published
// article) and on the small partial index of pinned ones.
const std::string kPinned = std::string(kSummarySelect) +
                            "WHERE +a.status = 'published' AND a.pin_rank IS NOT NULL"
                            " ORDER BY a.pin_rank, a.published_at DESC, a.id DESC";
const std::string kRecentUnpinned =
    std::string(kSummarySelect) +
    "WHERE a.status = 'published' AND a.pin_rank IS NULL AND a.published_at >= ?1"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2";

news::ArticleSummary summary_from_row(const Statement& st) {
    news::ArticleSummary s;
    s.id = st.int64(0);
    s.section_id = st.int64(1);
    s.headline = st.text(2);
    s.subtitle = st.text(3);
    s.label = st.text(4);
    s.excerpt = st.text(5);
    s.published_at = st.int64(6);
    s.updated_at = st.int64(7);
    s.views = st.int64(8);
    if (auto pin = st.optional_int64(9)) s.pin_rank = static_cast<int>(*pin);
    s.reactions = st.int64(10);
    if (!st.is_null(11)) {
        news::Photo p;
        p.id = st.int64(11);
        p.src = st.text(12);
        p.width = st.int32(13);
        p.height = st.int32(14);
        p.alt = st.text(15);
        p.caption = st.text(16);
        p.credit = st.text(17);
        s.lead_photo = std::move(p);
    }
    s.status = news::parse_status(st.text(18)).value_or(news::ArticleStatus::draft);
    s.scheduled_at = st.int64(19);
    s.created_at = st.int64(20);
    s.version = st.int64(21);
    return s;
}

// Runs a summary query (already bound) and fills in the ordered author names.
Result<std::vector<news::ArticleSummary>> collect_summaries(Connection& c, Statement& st) {
    std::vector<news::ArticleSummary> out;
    SINMUN_TRY_STATUS(each_row(st, [&](Statement& row) { out.push_back(summary_from_row(row)); }));
    SINMUN_TRY_ASSIGN(
        names,
        c.prepare("SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id"
                  " WHERE aa.article_id = ?1 ORDER BY aa.position"));
    for (auto& s : out) {
        names.reset();
        names.bind(1, s.id);
        SINMUN_TRY_STATUS(
            each_row(names, [&](Statement& row) { s.author_names.push_back(row.text(0)); }));
    }
    return out;
}

class SqliteArticleStore final : public ArticleStore {
public:
    explicit SqliteArticleStore(Connections& conns) : conns_(conns) {}

    Result<std::vector<news::Section>> sections() override {
        return conns_.read([&](Connection& c) -> Result<std::vector<news::Section>> {
            SINMUN_TRY_ASSIGN(
                st,
                c.prepare("SELECT id, slug, name, position FROM sections ORDER BY position, id"));
            std::vector<news::Section> out;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) {
                out.push_back({r.int64(0), r.text(1), r.text(2), r.int32(3)});
            }));
            return out;
        });
    }

    Result<std::int64_t> save_section(const news::Section& s) override {
        return conns_.write([&](Connection& c) -> Result<std::int64_t> {
            if (s.id == 0) {
                SINMUN_TRY_ASSIGN(
                    st, c.prepare("INSERT INTO sections (slug, name, position) VALUES (?1, ?2, ?3)"
                                  " ON CONFLICT (slug) DO UPDATE SET name = excluded.name,"
                                  " position = excluded.position RETURNING id"));
                st.bind(1, s.slug).bind(2, s.name).bind(3, s.position);
                SINMUN_TRY_ASSIGN(row, st.step());
                if (!row) return make_error(Errc::internal, "saving section returned no id");
                return st.int64(0);
            }
            SINMUN_TRY_ASSIGN(
                st,
                c.prepare("UPDATE sections SET slug = ?1, name = ?2, position = ?3 WHERE id = ?4"));
            st.bind(1, s.slug).bind(2, s.name).bind(3, s.position).bind(4, s.id);
            SINMUN_TRY_STATUS(st.run());
            if (c.changes() == 0)
                return make_error(Errc::not_found,
                                  "section " + std::to_string(s.id) + " not found");
            return s.id;
        });
    }

    Result<std::int64_t> save_author(const news::Author& a) override {
        return conns_.write([&](Connection& c) -> Result<std::int64_t> {
            if (a.id == 0) {
                SINMUN_TRY_ASSIGN(st,
                                  c.prepare("INSERT INTO authors (name, email) VALUES (?1, ?2)"));
                st.bind(1, a.name).bind(2, a.email);
                SINMUN_TRY_STATUS(st.run());
                return c.last_insert_rowid();
            }
            SINMUN_TRY_ASSIGN(st,
                              c.prepare("UPDATE authors SET name = ?1, email = ?2 WHERE id = ?3"));
            st.bind(1, a.name).bind(2, a.email).bind(3, a.id);
            SINMUN_TRY_STATUS(st.run());
            if (c.changes() == 0)
                return make_error(Errc::not_found, "author " + std::to_string(a.id) + " not found");
            return a.id;
        });
    }

    Result<std::int64_t> save_article(const news::Article& a) override {
        return conns_.write([&](Connection& c) -> Result<std::int64_t> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_ASSIGN(id, write_article(c, a));
            SINMUN_TRY_STATUS(tx.commit());
            return id;
        });
    }

    Result<news::Article> article(std::int64_t id) override {
        return conns_.read([&](Connection& c) -> Result<news::Article> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c, Transaction::Mode::deferred));
            return read_article(c, id);
        });
    }

    Result<std::vector<news::ArticleSummary>> published(const ArticleQuery& q) override {
        if (q.limit < 1 || q.limit > 200)
            return make_error(Errc::invalid_input,
                              "limit must be 1..200, got " + std::to_string(q.limit));
        if (q.offset < 0)
            return make_error(Errc::invalid_input,
                              "offset must not be negative, got " + std::to_string(q.offset));
        return conns_.read([&](Connection& c) -> Result<std::vector<news::ArticleSummary>> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c, Transaction::Mode::deferred));
            SINMUN_TRY_ASSIGN(st, c.prepare(q.section_id ? kPublishedSection : kPublishedAll));
            st.bind(1, q.limit).bind(2, q.offset);
            if (q.section_id) st.bind(3, *q.section_id);
            return collect_summaries(c, st);
        });
    }

    Result<std::int64_t> count_published(std::optional<std::int64_t> section_id) override {
        return conns_.read([&](Connection& c) -> Result<std::int64_t> {
            SINMUN_TRY_ASSIGN(
                st,
                c.prepare(section_id ? "SELECT count(*) FROM articles WHERE status = 'published' "
                                       "AND section_id = ?1"
                                     : "SELECT count(*) FROM articles WHERE status = 'published'"));
            if (section_id) st.bind(1, *section_id);
            SINMUN_TRY_ASSIGN(row, st.step());
            return row ? st.int64(0) : 0;
        });
    }

    Result<std::vector<news::ArticleSummary>> main_news_candidates(std::int64_t since_ms,
                                                                   int limit) override {
        if (limit < 0) return make_error(Errc::invalid_input, "limit must not be negative");
        return conns_.read([&](Connection& c) -> Result<std::vector<news::ArticleSummary>> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c, Transaction::Mode::deferred));
            SINMUN_TRY_ASSIGN(pinned_st, c.prepare(kPinned));
            SINMUN_TRY_ASSIGN(out, collect_summaries(c, pinned_st));
            if (limit > 0) {
                SINMUN_TRY_ASSIGN(recent_st, c.prepare(kRecentUnpinned));
                recent_st.bind(1, since_ms).bind(2, limit);
                SINMUN_TRY_ASSIGN(recent, collect_summaries(c, recent_st));
                std::move(recent.begin(), recent.end(), std::back_inserter(out));
            }
            return std::move(out);
        });
    }

    Status add_views(std::span<const std::pair<std::int64_t, std::int64_t>> views) override {
        for (const auto& [id, n] : views)
            if (n < 0)
                return make_error(Errc::invalid_input,
                                  "negative view count for article " + std::to_string(id));
        if (views.empty()) return ok();
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            // Views for an article deleted since they were counted are dropped, not an error.
            SINMUN_TRY_ASSIGN(st,
                              c.prepare("UPDATE articles SET views = views + ?1 WHERE id = ?2"));
            for (const auto& [id, n] : views) {
                st.reset();
                st.bind(1, n).bind(2, id);
                SINMUN_TRY_STATUS(st.run());
            }
            return tx.commit();
        });
    }

    // --- Newsroom -------------------------------------------------------------------------------

    Result<std::vector<news::Author>> authors() override {
        return conns_.read([&](Connection& c) -> Result<std::vector<news::Author>> {
            SINMUN_TRY_ASSIGN(st, c.prepare("SELECT id, name, email FROM authors ORDER BY id"));
            std::vector<news::Author> out;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) {
                out.push_back({r.int64(0), r.text(1), r.text(2)});
            }));
            return out;
        });
    }

    Result<news::Article> save_article_revision(const news::Article& a,
                                                std::int64_t expected_version,
                                                const news::Revision& rev) override {
        return conns_.write([&](Connection& c) -> Result<news::Article> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            if (a.id != 0) {
                SINMUN_TRY_ASSIGN(st, c.prepare("SELECT version FROM articles WHERE id = ?1"));
                st.bind(1, a.id);
                SINMUN_TRY_ASSIGN(row, st.step());
                if (!row)
                    return make_error(Errc::not_found,
                                      "article " + std::to_string(a.id) + " not found");
                const std::int64_t stored = st.int64(0);
                if (stored != expected_version)
                    return make_error(Errc::conflict, "다른 사람이 먼저 수정했습니다 (저장된 판 " +
                                                          std::to_string(stored) + ", 편집한 판 " +
                                                          std::to_string(expected_version) +
                                                          "). 새로 불러와 다시 수정하세요.");
            }
            SINMUN_TRY_ASSIGN(id, write_article(c, a));
            SINMUN_TRY_STATUS(append_revision(c, id, rev, content_of(a)));
            SINMUN_TRY_ASSIGN(saved, read_article(c, id));
            SINMUN_TRY_STATUS(tx.commit());
            return std::move(saved);
        });
    }

    Result<std::vector<news::Revision>> revisions(std::int64_t article_id) override {
        return conns_.read([&](Connection& c) -> Result<std::vector<news::Revision>> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c, Transaction::Mode::deferred));
            SINMUN_TRY_ASSIGN(found, exists(c, "SELECT 1 FROM articles WHERE id = ?1", article_id));
            if (!found)
                return make_error(Errc::not_found,
                                  "article " + std::to_string(article_id) + " not found");
            SINMUN_TRY_ASSIGN(
                st, c.prepare("SELECT number, at, user_id, actor, action, changed, status, note,"
                              " encoding, payload FROM article_revisions WHERE article_id = ?1"
                              " ORDER BY number DESC"));
            st.bind(1, article_id);
            std::vector<news::Revision> out;
            std::string newer;  // the full encoding of the revision after the current row
            bool corrupt = false;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) {
                if (corrupt) return;
                news::Revision v;
                v.article_id = article_id;
                v.number = r.int32(0);
                v.at = r.int64(1);
                v.user_id = r.int64(2);
                v.actor = r.text(3);
                v.action = r.text(4);
                v.changed = split_list(r.text(5));
                v.status = news::parse_status(r.text(6)).value_or(news::ArticleStatus::draft);
                v.note = r.text(7);
                auto full = decode_payload(r.text(8), r.text(9), out.empty(), newer);
                auto content = full ? news::decode_content(*full) : std::nullopt;
                if (!content) {
                    corrupt = true;
                    return;
                }
                v.content = std::move(*content);
                newer = std::move(*full);
                out.push_back(std::move(v));
            }));
            if (corrupt)
                return make_error(Errc::internal, "the stored history of article " +
                                                      std::to_string(article_id) + " is corrupt (" +
                                                      conns_.path() + ")");
            std::reverse(out.begin(), out.end());
            return out;
        });
    }

    Result<std::int64_t> revision_bytes(std::int64_t article_id) override {
        return conns_.read([&](Connection& c) -> Result<std::int64_t> {
            SINMUN_TRY_ASSIGN(
                st, c.prepare("SELECT COALESCE(SUM(length(CAST(payload AS BLOB)) + length(actor)"
                              " + length(action) + length(changed) + length(status)"
                              " + length(note) + length(encoding) + 32), 0)"
                              " FROM article_revisions WHERE article_id = ?1"));
            st.bind(1, article_id);
            SINMUN_TRY_ASSIGN(row, st.step());
            return row ? st.int64(0) : 0;
        });
    }

    Result<std::vector<std::int64_t>> publish_due(std::int64_t now_ms,
                                                  const std::string& actor) override {
        return conns_.write([&](Connection& c) -> Result<std::vector<std::int64_t>> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            std::vector<std::int64_t> due;
            {
                SINMUN_TRY_ASSIGN(st, c.prepare("SELECT id FROM articles WHERE status = "
                                                "'scheduled' AND scheduled_at <= ?1"
                                                " ORDER BY scheduled_at, id"));
                st.bind(1, now_ms);
                SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) { due.push_back(r.int64(0)); }));
            }
            std::vector<std::int64_t> published;
            for (auto id : due) {
                // Conditional: only a row still 'scheduled' moves, so a second scheduler (or a
                // concurrent unpublish) never causes a double publish.
                SINMUN_TRY_ASSIGN(
                    up, c.prepare("UPDATE articles SET status = 'published',"
                                  " published_at = CASE WHEN published_at = 0 THEN ?1"
                                  " ELSE published_at END, updated_at = ?1, scheduled_at = 0,"
                                  " version = version + 1 WHERE id = ?2 AND status = 'scheduled'"));
                up.bind(1, now_ms).bind(2, id);
                SINMUN_TRY_STATUS(up.run());
                if (c.changes() != 1) continue;
                SINMUN_TRY_ASSIGN(a, read_article(c, id));
                news::Revision rev;
                rev.at = now_ms;
                rev.actor = actor;
                rev.action = "publish";
                rev.status = news::ArticleStatus::published;
                rev.note = "예약 게재";
                SINMUN_TRY_STATUS(append_revision(c, id, rev, content_of(a)));
                published.push_back(id);
            }
            SINMUN_TRY_STATUS(tx.commit());
            return published;
        });
    }

    Result<std::optional<std::int64_t>> next_scheduled_at() override {
        return conns_.read([&](Connection& c) -> Result<std::optional<std::int64_t>> {
            SINMUN_TRY_ASSIGN(st, c.prepare("SELECT MIN(scheduled_at) FROM articles"
                                            " WHERE status = 'scheduled'"));
            SINMUN_TRY_ASSIGN(row, st.step());
            if (!row) return std::optional<std::int64_t>();
            return st.optional_int64(0);
        });
    }

    Status set_pins(std::span<const std::int64_t> ordered_ids) override {
        std::set<std::int64_t> seen;
        for (auto id : ordered_ids)
            if (!seen.insert(id).second)
                return make_error(Errc::invalid_input,
                                  "article " + std::to_string(id) + " is pinned twice");
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            {
                SINMUN_TRY_ASSIGN(st, c.prepare("SELECT status FROM articles WHERE id = ?1"));
                for (auto id : ordered_ids) {
                    st.reset();
                    st.bind(1, id);
                    SINMUN_TRY_ASSIGN(row, st.step());
                    if (!row)
                        return make_error(Errc::not_found,
                                          "article " + std::to_string(id) + " not found");
                    if (st.text(0) != "published")
                        return make_error(Errc::invalid_input,
                                          "article " + std::to_string(id) +
                                              " is not published, so it cannot be pinned");
                }
            }
            SINMUN_TRY_STATUS(
                c.exec("UPDATE articles SET pin_rank = NULL WHERE pin_rank IS NOT NULL"));
            SINMUN_TRY_ASSIGN(up, c.prepare("UPDATE articles SET pin_rank = ?1 WHERE id = ?2"));
            for (std::size_t i = 0; i < ordered_ids.size(); ++i) {
                up.reset();
                up.bind(1, static_cast<std::int64_t>(i + 1)).bind(2, ordered_ids[i]);
                SINMUN_TRY_STATUS(up.run());
            }
            return tx.commit();
        });
    }

    Result<std::vector<news::ArticleSummary>> find_articles(const ArticleFilter& f) override {
        if (f.limit < 1 || f.limit > 200)
            return make_error(Errc::invalid_input,
                              "limit must be 1..200, got " + std::to_string(f.limit));
        if (f.offset < 0)
            return make_error(Errc::invalid_input,
                              "offset must not be negative, got " + std::to_string(f.offset));
        return conns_.read([&](Connection& c) -> Result<std::vector<news::ArticleSummary>> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c, Transaction::Mode::deferred));
            // Statements are cached by text; the 16 shapes of this filter are 16 cache entries.
            const std::string sql = std::string(kSummarySelect) + filter_where(f) +
                                    " ORDER BY max(a.updated_at, a.created_at, a.published_at)"
                                    " DESC, a.id DESC LIMIT ?5 OFFSET ?6";
            SINMUN_TRY_ASSIGN(st, c.prepare(sql));
            bind_filter(st, f);
            st.bind(5, f.limit).bind(6, f.offset);
            return collect_summaries(c, st);
        });
    }

    Result<std::int64_t> count_articles(const ArticleFilter& f) override {
        return conns_.read([&](Connection& c) -> Result<std::int64_t> {
            const std::string sql = "SELECT count(*) FROM articles a " + filter_where(f);
            SINMUN_TRY_ASSIGN(st, c.prepare(sql));
            bind_filter(st, f);
            SINMUN_TRY_ASSIGN(row, st.step());
            return row ? st.int64(0) : 0;
        });
    }

    Result<std::vector<news::ArticleSummary>> published_between(std::int64_t from_ms,
                                                                std::int64_t to_ms) override {
        return conns_.read([&](Connection& c) -> Result<std::vector<news::ArticleSummary>> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c, Transaction::Mode::deferred));
            static const std::string sql =
                std::string(kSummarySelect) +
                "WHERE a.status = 'published' AND a.published_at >= ?1 AND a.published_at < ?2"
                " ORDER BY a.published_at, a.id";
            SINMUN_TRY_ASSIGN(st, c.prepare(sql));
            st.bind(1, from_ms).bind(2, to_ms);
            return collect_summaries(c, st);
        });
    }

    Result<std::vector<std::optional<std::int64_t>>> import_articles(
        std::span<const ImportItem> items) override {
        return conns_.write([&](Connection& c) -> Result<std::vector<std::optional<std::int64_t>>> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            std::vector<std::optional<std::int64_t>> out;
            for (const auto& item : items) {
                const auto& a = item.article;
                if (a.id != 0)
                    return make_error(Errc::invalid_input, "imported articles must be new (id 0)");
                if (!a.external_id.empty()) {
                    SINMUN_TRY_ASSIGN(dup, external_id_of(c, a.external_id));
                    if (dup) {
                        out.push_back(std::nullopt);
                        continue;
                    }
                }
                SINMUN_TRY_ASSIGN(id, write_article(c, a));
                SINMUN_TRY_STATUS(append_revision(c, id, item.revision, content_of(a)));
                out.push_back(id);
            }
            SINMUN_TRY_STATUS(tx.commit());
            return out;
        });
    }

    Result<std::optional<std::int64_t>> article_by_external_id(std::string_view id) override {
        return conns_.read([&](Connection& c) -> Result<std::optional<std::int64_t>> {
            return external_id_of(c, id);
        });
    }

    Result<std::vector<PublishedRef>> published_refs(std::int64_t offset, int limit) override {
        if (limit < 1 || limit > 50'000)
            return make_error(Errc::invalid_input,
                              "limit must be 1..50000, got " + std::to_string(limit));
        if (offset < 0)
            return make_error(Errc::invalid_input,
                              "offset must not be negative, got " + std::to_string(offset));
        return conns_.read([&](Connection& c) -> Result<std::vector<PublishedRef>> {
            SINMUN_TRY_ASSIGN(st, c.prepare("SELECT id, headline, published_at, updated_at"
                                            " FROM articles WHERE status = 'published'"
                                            " ORDER BY id LIMIT ?1 OFFSET ?2"));
            st.bind(1, limit).bind(2, offset);
            std::vector<PublishedRef> out;
            for (;;) {
                SINMUN_TRY_ASSIGN(row, st.step());
                if (!row) break;
                out.push_back({st.int64(0), st.text(1), st.int64(2), st.int64(3)});
            }
            return out;
        });
    }

private:
    static Result<std::optional<std::int64_t>> external_id_of(Connection& c, std::string_view id) {
        if (id.empty()) return std::optional<std::int64_t>();
        SINMUN_TRY_ASSIGN(st, c.prepare("SELECT id FROM articles WHERE external_id = ?1"));
        st.bind(1, id);
        SINMUN_TRY_ASSIGN(row, st.step());
        if (!row) return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(st.int64(0));
    }

    // WHERE clause of a dashboard filter; parameters ?1..?4 (bind_filter binds the used ones).
    static std::string filter_where(const ArticleFilter& f) {
        std::string w = "WHERE 1 = 1";
        if (f.status) w += " AND a.status = ?1";
        if (f.section_id) w += " AND a.section_id = ?2";
        if (f.author_id)
            w += " AND EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id"
                 " AND aa.author_id = ?3)";
        if (!f.query.empty()) w += " AND instr(a.headline, ?4) > 0";
        return w;
    }
    static void bind_filter(Statement& st, const ArticleFilter& f) {
        if (f.status) st.bind(1, news::to_string(*f.status));
        if (f.section_id) st.bind(2, *f.section_id);
        if (f.author_id) st.bind(3, *f.author_id);
        if (!f.query.empty()) st.bind(4, f.query);
    }

    static news::RevisionContent content_of(const news::Article& a) {
        news::RevisionContent c;
        c.section_id = a.section_id;
        c.headline = a.headline;
        c.subtitle = a.subtitle;
        c.label = a.label;
        c.body_md = a.body_md;
        for (const auto& au : a.authors) c.author_ids.push_back(au.id);
        return c;
    }

    static std::vector<std::string> split_list(std::string_view s) {
        std::vector<std::string> out;
        while (!s.empty()) {
            const auto comma = s.find(',');
            out.emplace_back(s.substr(0, comma));
            if (comma == std::string_view::npos) break;
            s.remove_prefix(comma + 1);
        }
        return out;
    }
    static std::string join_list(const std::vector<std::string>& v) {
        std::string out;
        for (const auto& x : v) {
            if (!out.empty()) out += ',';
            out += x;
        }
        return out;
    }

    // A payload and its encoding: gzip when the payload is large enough for it to pay off.
    static std::pair<std::string, std::string> pack(std::string_view kind, std::string bytes) {
        if (bytes.size() > 256) {
            std::string z = gzip_compress(bytes, 6);
            if (z.size() < bytes.size()) return {std::string(kind) + ".z", std::move(z)};
        }
        return {std::string(kind), std::move(bytes)};
    }
    static std::optional<std::string> unpack(std::string_view encoding, std::string payload) {
        if (encoding.ends_with(".z")) {
            std::string out;
            if (!gzip_decompress(payload, out)) return std::nullopt;
            return out;
        }
        return payload;
    }
    // The full encoded content of a stored revision, given the full content of the next newer one
    // (unused for the newest, which is stored in full).
    static std::optional<std::string> decode_payload(std::string_view encoding, std::string payload,
                                                     bool newest, std::string_view newer) {
        auto bytes = unpack(encoding, std::move(payload));
        if (!bytes) return std::nullopt;
        if (encoding.starts_with("full")) return bytes;
        if (encoding.starts_with("delta") && !newest) return news::apply_delta(newer, *bytes);
        return std::nullopt;
    }

    // Appends a revision with `content`, turning the previous newest revision into a reverse
    // delta against it. `changed` is computed here against the previous content.
    static Status append_revision(Connection& c, std::int64_t article_id, const news::Revision& rev,
                                  const news::RevisionContent& content) {
        std::string full = news::encode_content(content);
        int number = 1;
        std::vector<std::string> changed;
        {
            SINMUN_TRY_ASSIGN(last, c.prepare("SELECT number, encoding, payload FROM"
                                              " article_revisions WHERE article_id = ?1"
                                              " ORDER BY number DESC LIMIT 1"));
            last.bind(1, article_id);
            SINMUN_TRY_ASSIGN(row, last.step());
            if (row) {
                number = last.int32(0) + 1;
                const std::string encoding = last.text(1);
                auto prev =
                    encoding.starts_with("full") ? unpack(encoding, last.text(2)) : std::nullopt;
                auto prev_content = prev ? news::decode_content(*prev) : std::nullopt;
                if (!prev_content)
                    return make_error(Errc::internal, "the newest stored revision of article " +
                                                          std::to_string(article_id) +
                                                          " is corrupt");
                changed = news::changed_fields(*prev_content, content);
                auto [enc, bytes] = pack("delta", news::make_delta(full, *prev));
                SINMUN_TRY_ASSIGN(up, c.prepare("UPDATE article_revisions SET encoding = ?1,"
                                                " payload = ?2 WHERE article_id = ?3"
                                                " AND number = ?4"));
                up.bind(1, enc).bind(2, bytes).bind(3, article_id).bind(4, number - 1);
                SINMUN_TRY_STATUS(up.run());
            } else {
                changed = news::changed_fields(news::RevisionContent{}, content);
            }
        }
        auto [enc, bytes] = pack("full", std::move(full));
        SINMUN_TRY_ASSIGN(ins, c.prepare("INSERT INTO article_revisions (article_id, number, at,"
                                         " user_id, actor, action, changed, status, note,"
                                         " encoding, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                                         " ?8, ?9, ?10, ?11)"));
        ins.bind(1, article_id)
            .bind(2, number)
            .bind(3, rev.at)
            .bind(4, rev.user_id)
            .bind(5, rev.actor)
            .bind(6, rev.action)
            .bind(7, join_list(changed))
            .bind(8, news::to_string(rev.status))
            .bind(9, rev.note)
            .bind(10, enc)
            .bind(11, bytes);
        return ins.run();
    }

    // Inserts or replaces an article inside the caller's transaction.
    static Result<std::int64_t> write_article(Connection& c, const news::Article& a) {
        {
            SINMUN_TRY_ASSIGN(has_section,
                              exists(c, "SELECT 1 FROM sections WHERE id = ?1", a.section_id));
            if (!has_section)
                return make_error(Errc::invalid_input,
                                  "unknown section id " + std::to_string(a.section_id));
            for (const auto& author : a.authors) {
                SINMUN_TRY_ASSIGN(has_author,
                                  exists(c, "SELECT 1 FROM authors WHERE id = ?1", author.id));
                if (!has_author)
                    return make_error(Errc::invalid_input,
                                      "unknown author id " + std::to_string(author.id));
            }
            const std::string excerpt = make_excerpt(a.body_md);
            const std::optional<std::int64_t> pin =
                a.pin_rank ? std::optional<std::int64_t>(*a.pin_rank) : std::nullopt;

            // Parameters ?1–?10, ?13 and ?14 mean the same in the INSERT and the UPDATE below.
            auto bind_article_fields = [&](Statement& st) {
                st.bind(1, a.section_id)
                    .bind(2, a.headline)
                    .bind(3, a.subtitle)
                    .bind(4, a.label)
                    .bind(5, a.body_md)
                    .bind(6, excerpt)
                    .bind(7, news::to_string(a.status))
                    .bind(8, a.created_at)
                    .bind(9, a.published_at)
                    .bind(10, a.updated_at)
                    .bind(13, a.scheduled_at)
                    .bind(14, a.external_id);
            };
            std::int64_t id = a.id;
            if (id == 0) {
                // `views` is taken as given only on insert (imports, demo seeding); afterwards
                // it moves only through add_views so an edit never loses counted views.
                SINMUN_TRY_ASSIGN(
                    st,
                    c.prepare(
                        "INSERT INTO articles (section_id, headline, subtitle, label, body_md, "
                        "excerpt,"
                        " status, created_at, published_at, updated_at, version, views, pin_rank,"
                        " scheduled_at, external_id)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12, ?13, "
                        "?14)"));
                bind_article_fields(st);
                st.bind(11, a.views).bind(12, pin);
                SINMUN_TRY_STATUS(st.run());
                id = c.last_insert_rowid();
            } else {
                SINMUN_TRY_ASSIGN(
                    st,
                    c.prepare(
                        "UPDATE articles SET section_id = ?1, headline = ?2, subtitle = ?3, label "
                        "= ?4,"
                        " body_md = ?5, excerpt = ?6, status = ?7, created_at = ?8, published_at = "
                        "?9,"
                        " updated_at = ?10, version = version + 1, pin_rank = ?11, scheduled_at = "
                        "?13,"
                        " external_id = ?14 WHERE id = ?12"));
                bind_article_fields(st);
                st.bind(11, pin).bind(12, id);
                SINMUN_TRY_STATUS(st.run());
                if (c.changes() == 0)
                    return make_error(Errc::not_found,
                                      "article " + std::to_string(id) + " not found");
            }

            {
                SINMUN_TRY_ASSIGN(del,
                                  c.prepare("DELETE FROM article_authors WHERE article_id = ?1"));
                del.bind(1, id);
                SINMUN_TRY_STATUS(del.run());
            }
            {
                SINMUN_TRY_ASSIGN(ins, c.prepare("INSERT INTO article_authors (article_id, "
                                                 "author_id, position) VALUES (?1, ?2, ?3)"));
                for (std::size_t i = 0; i < a.authors.size(); ++i) {
                    ins.reset();
                    ins.bind(1, id).bind(2, a.authors[i].id).bind(3, static_cast<std::int64_t>(i));
                    SINMUN_TRY_STATUS(ins.run());
                }
            }
            SINMUN_TRY_STATUS(save_photos(c, id, a.photos));
            SINMUN_TRY_STATUS(save_corrections(c, id, a.corrections));
            return id;
        }
    }

    // Reads a whole article (authors, photos, corrections) inside the caller's transaction.
    static Result<news::Article> read_article(Connection& c, std::int64_t id) {
        {
            SINMUN_TRY_ASSIGN(
                st,
                c.prepare(
                    "SELECT id, section_id, headline, subtitle, label, body_md, status, created_at,"
                    " published_at, updated_at, version, views, pin_rank, scheduled_at, external_id"
                    " FROM articles WHERE id = ?1"));
            st.bind(1, id);
            SINMUN_TRY_ASSIGN(row, st.step());
            if (!row)
                return make_error(Errc::not_found, "article " + std::to_string(id) + " not found");
            news::Article a;
            a.id = st.int64(0);
            a.section_id = st.int64(1);
            a.headline = st.text(2);
            a.subtitle = st.text(3);
            a.label = st.text(4);
            a.body_md = st.text(5);
            a.status = news::parse_status(st.text(6)).value_or(news::ArticleStatus::draft);
            a.created_at = st.int64(7);
            a.published_at = st.int64(8);
            a.updated_at = st.int64(9);
            a.version = st.int64(10);
            a.views = st.int64(11);
            if (auto pin = st.optional_int64(12)) a.pin_rank = static_cast<int>(*pin);
            a.scheduled_at = st.int64(13);
            a.external_id = st.text(14);

            SINMUN_TRY_ASSIGN(
                au, c.prepare("SELECT au.id, au.name, au.email FROM article_authors aa"
                              " JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = ?1"
                              " ORDER BY aa.position"));
            au.bind(1, id);
            SINMUN_TRY_STATUS(each_row(au, [&](Statement& r) {
                a.authors.push_back({r.int64(0), r.text(1), r.text(2)});
            }));
            SINMUN_TRY_ASSIGN(
                ph, c.prepare("SELECT id, src, width, height, alt, caption, credit FROM photos"
                              " WHERE article_id = ?1 ORDER BY position, id"));
            ph.bind(1, id);
            SINMUN_TRY_STATUS(each_row(ph, [&](Statement& r) {
                a.photos.push_back({r.int64(0), r.text(1), r.int32(2), r.int32(3), r.text(4),
                                    r.text(5), r.text(6)});
            }));
            SINMUN_TRY_ASSIGN(co, c.prepare("SELECT kind, text, at FROM article_corrections"
                                            " WHERE article_id = ?1 ORDER BY position"));
            co.bind(1, id);
            SINMUN_TRY_STATUS(each_row(co, [&](Statement& r) {
                a.corrections.push_back({news::parse_correction_type(r.text(0)).value_or(
                                             news::CorrectionType::correction),
                                         r.text(1), r.int64(2)});
            }));
            return a;
        }
    }

    static Status save_corrections(Connection& c, std::int64_t article_id,
                                   const std::vector<news::Correction>& corrections) {
        SINMUN_TRY_ASSIGN(del, c.prepare("DELETE FROM article_corrections WHERE article_id = ?1"));
        del.bind(1, article_id);
        SINMUN_TRY_STATUS(del.run());
        SINMUN_TRY_ASSIGN(ins, c.prepare("INSERT INTO article_corrections (article_id, position,"
                                         " kind, text, at) VALUES (?1, ?2, ?3, ?4, ?5)"));
        for (std::size_t i = 0; i < corrections.size(); ++i) {
            ins.reset();
            ins.bind(1, article_id)
                .bind(2, static_cast<std::int64_t>(i))
                .bind(3, news::to_string(corrections[i].type))
                .bind(4, corrections[i].text)
                .bind(5, corrections[i].at);
            SINMUN_TRY_STATUS(ins.run());
        }
        return ok();
    }

    // Replaces the article's photos by `photos`, in order: given ids are kept (updated in place,
    // or inserted with that id), id 0 gets a new id, photos no longer listed are deleted.
    static Status save_photos(Connection& c, std::int64_t article_id,
                              const std::vector<news::Photo>& photos) {
        std::set<std::int64_t> keep;
        for (const auto& p : photos)
            if (p.id != 0) keep.insert(p.id);
        std::vector<std::int64_t> existing;
        {
            SINMUN_TRY_ASSIGN(st, c.prepare("SELECT id FROM photos WHERE article_id = ?1"));
            st.bind(1, article_id);
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) { existing.push_back(r.int64(0)); }));
        }
        {
            SINMUN_TRY_ASSIGN(del, c.prepare("DELETE FROM photos WHERE id = ?1"));
            for (auto pid : existing) {
                if (keep.count(pid)) continue;
                del.reset();
                del.bind(1, pid);
                SINMUN_TRY_STATUS(del.run());
            }
        }
        for (std::size_t i = 0; i < photos.size(); ++i) {
            const auto& p = photos[i];
            const auto pos = static_cast<std::int64_t>(i);
            if (p.id != 0 && std::find(existing.begin(), existing.end(), p.id) != existing.end()) {
                SINMUN_TRY_ASSIGN(up, c.prepare("UPDATE photos SET position = ?1, src = ?2, width "
                                                "= ?3, height = ?4, alt = ?5,"
                                                " caption = ?6, credit = ?7 WHERE id = ?8"));
                up.bind(1, pos)
                    .bind(2, p.src)
                    .bind(3, p.width)
                    .bind(4, p.height)
                    .bind(5, p.alt)
                    .bind(6, p.caption)
                    .bind(7, p.credit)
                    .bind(8, p.id);
                SINMUN_TRY_STATUS(up.run());
                continue;
            }
            if (p.id != 0) {
                SINMUN_TRY_ASSIGN(taken, exists(c, "SELECT 1 FROM photos WHERE id = ?1", p.id));
                if (taken)
                    return make_error(Errc::invalid_input, "photo id " + std::to_string(p.id) +
                                                               " belongs to another article");
            }
            SINMUN_TRY_ASSIGN(ins,
                              c.prepare("INSERT INTO photos (id, article_id, position, src, width, "
                                        "height, alt, caption,"
                                        " credit) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
            if (p.id != 0)
                ins.bind(1, p.id);
            else
                ins.bind_null(1);
            ins.bind(2, article_id)
                .bind(3, pos)
                .bind(4, p.src)
                .bind(5, p.width)
                .bind(6, p.height)
                .bind(7, p.alt)
                .bind(8, p.caption)
                .bind(9, p.credit);
            SINMUN_TRY_STATUS(ins.run());
        }
        return ok();
    }

    Connections& conns_;
};

// ---------------------------------------------------------------------------------------------
// Reactions

Result<reactions::Counts> load_counts(Connection& c, std::int64_t article_id) {
    reactions::Counts counts;
    SINMUN_TRY_ASSIGN(q, c.prepare("SELECT kind, n FROM reaction_counts WHERE article_id = ?1"));
    q.bind(1, article_id);
    SINMUN_TRY_STATUS(each_row(q, [&](Statement& r) {
        const auto k = r.int64(0);
        if (k >= 0 && k < static_cast<std::int64_t>(reactions::kKindCount))
            counts.n[static_cast<std::size_t>(k)] = r.int64(1);
    }));
    return counts;
}

Result<std::vector<reactions::ReactionKind>> load_mine(Connection& c, std::int64_t article_id,
                                                       const reactions::ReaderId& reader) {
    std::vector<reactions::ReactionKind> mine;
    if (reader.empty()) return mine;
    SINMUN_TRY_ASSIGN(q, c.prepare("SELECT kind FROM reactions WHERE article_id = ?1 AND "
                                   "reader_id = ?2 ORDER BY kind"));
    q.bind(1, article_id).bind(2, reader);
    SINMUN_TRY_STATUS(each_row(q, [&](Statement& r) {
        const auto k = r.int64(0);
        if (k >= 0 && k < static_cast<std::int64_t>(reactions::kKindCount))
            mine.push_back(static_cast<reactions::ReactionKind>(k));
    }));
    return mine;
}

Result<reactions::State> load_state(Connection& c, std::int64_t article_id,
                                    const reactions::ReaderId& reader) {
    reactions::State state;
    SINMUN_TRY_ASSIGN(counts, load_counts(c, article_id));
    SINMUN_TRY_ASSIGN(mine, load_mine(c, article_id, reader));
    state.counts = counts;
    state.mine = std::move(mine);
    return state;
}

Error missing_article(std::int64_t id) {
    return make_error(Errc::not_found, "article " + std::to_string(id) + " not found");
}

class SqliteReactionStore final : public ReactionStore {
public:
    explicit SqliteReactionStore(Connections& conns) : conns_(conns) {}

    // One group commit: each vote is one INSERT OR IGNORE / DELETE on a statement prepared once
    // per batch; a count changes only when its vote row actually appeared or disappeared (which
    // is what makes "on twice" and "off when not on" no-ops), and each (article, kind) count is
    // written once per batch with the batch's net change.
    Result<std::vector<Result<reactions::State>>> apply(
        std::span<const reactions::Vote> votes) override {
        using Out = std::vector<Result<reactions::State>>;
        if (votes.empty()) return Out{};
        // created_at is informational, so one clock reading per batch is good enough for it.
        const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
        return conns_.write([&](Connection& c) -> Result<Out> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            // Few distinct articles per batch (often one): linear maps beat trees here.
            std::vector<std::pair<std::int64_t, bool>> article_exists;
            std::vector<std::pair<std::int64_t, reactions::Counts>> delta;  // article → net change
            std::vector<std::optional<Error>> rejected(votes.size());
            SINMUN_TRY_ASSIGN(
                ins, c.prepare("INSERT OR IGNORE INTO reactions (article_id, reader_id, kind, "
                               "created_at) VALUES (?1, ?2, ?3, ?4)"));
            SINMUN_TRY_ASSIGN(del, c.prepare("DELETE FROM reactions WHERE article_id = ?1 AND "
                                             "reader_id = ?2 AND kind = ?3"));
            for (std::size_t i = 0; i < votes.size(); ++i) {
                const auto& v = votes[i];
                const auto kind = static_cast<int>(v.kind);
                if (kind < 0 || kind >= static_cast<int>(reactions::kKindCount)) {
                    rejected[i] = make_error(Errc::invalid_input, "unknown reaction kind");
                    continue;
                }
                if (v.reader.empty()) {
                    rejected[i] = make_error(Errc::invalid_input, "a vote needs a reader id");
                    continue;
                }
                auto it = std::find_if(article_exists.begin(), article_exists.end(),
                                       [&](const auto& e) { return e.first == v.article_id; });
                if (it == article_exists.end()) {
                    SINMUN_TRY_ASSIGN(
                        found, exists(c, "SELECT 1 FROM articles WHERE id = ?1", v.article_id));
                    article_exists.emplace_back(v.article_id, found);
                    it = std::prev(article_exists.end());
                }
                if (!it->second) {
                    rejected[i] = missing_article(v.article_id);
                    continue;
                }
                Statement& st = v.on ? ins : del;
                st.bind(1, v.article_id).bind_static(2, v.reader).bind(3, kind);
                if (v.on) st.bind(4, now_ms);
                const Status ran = st.run();
                st.reset();
                SINMUN_TRY_STATUS(ran);
                if (c.changes() == 0) continue;
                auto d = std::find_if(delta.begin(), delta.end(),
                                      [&](const auto& e) { return e.first == v.article_id; });
                if (d == delta.end()) {
                    delta.emplace_back(v.article_id, reactions::Counts{});
                    d = std::prev(delta.end());
                }
                d->second.n[static_cast<std::size_t>(kind)] += v.on ? 1 : -1;
            }
            for (const auto& [article_id, change] : delta)
                for (std::size_t k = 0; k < reactions::kKindCount; ++k)
                    SINMUN_TRY_STATUS(
                        add_to_count(c, article_id, static_cast<int>(k), change.n[k]));
            // States after the whole batch, read inside the transaction that makes them true:
            // an article's counts once per batch (a popular article's many voters share them),
            // each reader's own kinds once per (article, reader).
            std::map<std::int64_t, reactions::Counts> counts;
            std::map<std::pair<std::int64_t, std::string_view>, std::size_t> seen;  // → out index
            Out out;
            out.reserve(votes.size());
            for (std::size_t i = 0; i < votes.size(); ++i) {
                if (rejected[i]) {
                    out.emplace_back(std::move(*rejected[i]));
                    continue;
                }
                const auto key =
                    std::make_pair(votes[i].article_id, std::string_view(votes[i].reader));
                if (auto it = seen.find(key); it != seen.end()) {
                    Result<reactions::State> same = out[it->second];
                    out.push_back(std::move(same));
                    continue;
                }
                auto ct = counts.find(key.first);
                if (ct == counts.end()) {
                    SINMUN_TRY_ASSIGN(n, load_counts(c, key.first));
                    ct = counts.emplace(key.first, n).first;
                }
                SINMUN_TRY_ASSIGN(mine, load_mine(c, key.first, votes[i].reader));
                seen.emplace(key, out.size());
                out.emplace_back(reactions::State{ct->second, std::move(mine)});
            }
            SINMUN_TRY_STATUS(tx.commit());
            return out;
        });
    }

    Result<reactions::State> state(std::int64_t article_id,
                                   const reactions::ReaderId& reader) override {
        return conns_.read([&](Connection& c) -> Result<reactions::State> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c, Transaction::Mode::deferred));
            SINMUN_TRY_ASSIGN(found, exists(c, "SELECT 1 FROM articles WHERE id = ?1", article_id));
            if (!found) return missing_article(article_id);
            return load_state(c, article_id, reader);
        });
    }

private:
    // Adds `by` (the batch's net change, possibly negative) to one count. A negative change
    // means vote rows were deleted, so the count's row exists.
    static Status add_to_count(Connection& c, std::int64_t article_id, int kind, std::int64_t by) {
        if (by == 0) return ok();
        if (by > 0) {
            SINMUN_TRY_ASSIGN(
                inc,
                c.prepare("INSERT INTO reaction_counts (article_id, kind, n) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT (article_id, kind) DO UPDATE SET n = n + excluded.n"));
            inc.bind(1, article_id).bind(2, kind).bind(3, by);
            return inc.run();
        }
        SINMUN_TRY_ASSIGN(
            dec,
            c.prepare("UPDATE reaction_counts SET n = n + ?3 WHERE article_id = ?1 AND kind = ?2"));
        dec.bind(1, article_id).bind(2, kind).bind(3, by);
        return dec.run();
    }

    Connections& conns_;
};

// ---------------------------------------------------------------------------------------------
// Market

class SqliteMarketStore final : public MarketStore {
public:
    explicit SqliteMarketStore(Connections& conns) : conns_(conns) {}

    Status save_instruments(std::span<const market::Instrument> instruments) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_STATUS(write_instruments(c, instruments));
            return tx.commit();
        });
    }

    Result<std::vector<market::Instrument>> instruments() override {
        return conns_.read([&](Connection& c) -> Result<std::vector<market::Instrument>> {
            SINMUN_TRY_ASSIGN(
                st, c.prepare("SELECT code, name, asset, market, position, kind, listing_day"
                              " FROM market_instruments ORDER BY position, code"));
            std::vector<market::Instrument> out;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) {
                market::Instrument i;
                i.code = r.text(0);
                i.name = r.text(1);
                i.asset =
                    r.text(2) == "stock" ? market::AssetClass::stock : market::AssetClass::crypto;
                i.market = r.text(3);
                i.position = r.int32(4);
                i.kind = stock_kind_from(r.text(5));
                i.listing_day = r.int32(6);
                out.push_back(std::move(i));
            }));
            return out;
        });
    }

    Status save_quotes(std::span<const market::Quote> quotes) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_STATUS(write_quotes(c, quotes));
            return tx.commit();
        });
    }

    Status save_instruments_and_quotes(std::span<const market::Instrument> instruments,
                                       std::span<const market::Quote> quotes) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_STATUS(write_instruments(c, instruments));
            SINMUN_TRY_STATUS(write_quotes(c, quotes));
            return tx.commit();
        });
    }

    Result<std::vector<market::Quote>> quotes() override {
        return conns_.read([&](Connection& c) -> Result<std::vector<market::Quote>> {
            SINMUN_TRY_ASSIGN(
                st, c.prepare("SELECT code, price, change_ppm, as_of, tick, trade_value, limit_up,"
                              " halted, base_price, end_of_day FROM market_quotes ORDER BY code"));
            std::vector<market::Quote> out;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) {
                market::Quote q;
                q.code = r.text(0);
                q.price = Decimal::from_units(r.int64(1));
                q.change_ppm = r.optional_int64(2);
                q.as_of_ms = r.int64(3);
                q.tick = r.int32(4);
                q.trade_value = r.int64(5);
                q.limit_up = r.int64(6) != 0;
                q.halted = r.int64(7) != 0;
                if (auto base = r.optional_int64(8)) q.base_price = Decimal::from_units(*base);
                q.end_of_day = r.int64(9) != 0;
                out.push_back(std::move(q));
            }));
            return out;
        });
    }

    Status save_minutes(std::span<const market::MinuteClose> rows,
                        std::int64_t keep_since_minute) override {
        for (const auto& m : rows) {
            if (m.code.empty())
                return make_error(Errc::invalid_input,
                                  "minute " + std::to_string(m.minute) + ": no market code");
        }
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_ASSIGN(
                up, c.prepare("INSERT INTO market_minutes (code, minute, close, last_ms, state)"
                              " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code, minute) DO UPDATE"
                              " SET close = excluded.close, last_ms = excluded.last_ms,"
                              " state = excluded.state"));
            SINMUN_TRY_ASSIGN(forget, c.prepare("DELETE FROM market_minutes"
                                                " WHERE code = ?1 AND minute = ?2"));
            for (const auto& m : rows) {
                if (m.state == market::SlotState::unknown) {
                    forget.reset();
                    forget.bind(1, m.code).bind(2, m.minute);
                    SINMUN_TRY_STATUS(forget.run());
                    continue;
                }
                up.reset();
                up.bind(1, m.code)
                    .bind(2, m.minute)
                    .bind(3, m.close.units())
                    .bind(4, m.last_ms)
                    .bind(5, static_cast<int>(m.state));
                SINMUN_TRY_STATUS(up.run());
            }
            SINMUN_TRY_ASSIGN(prune, c.prepare("DELETE FROM market_minutes WHERE minute < ?1"));
            prune.bind(1, keep_since_minute);
            SINMUN_TRY_STATUS(prune.run());
            return tx.commit();
        });
    }

    Result<std::vector<market::MinuteClose>> minutes(std::int64_t since_minute) override {
        return conns_.read([&](Connection& c) -> Result<std::vector<market::MinuteClose>> {
            SINMUN_TRY_ASSIGN(st, c.prepare("SELECT code, minute, close, last_ms, state"
                                            " FROM market_minutes WHERE minute >= ?1"
                                            " ORDER BY code, minute"));
            st.bind(1, since_minute);
            std::vector<market::MinuteClose> out;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) {
                market::MinuteClose m;
                m.code = r.text(0);
                m.minute = r.int64(1);
                m.close = Decimal::from_units(r.int64(2));
                m.last_ms = r.int64(3);
                m.state = static_cast<market::SlotState>(r.int32(4));
                out.push_back(std::move(m));
            }));
            return out;
        });
    }

private:
    // Spelt as market::to_wire(StockKind) (store/ sits below market/, so not called from here).
    static const char* stock_kind_text(market::StockKind k) {
        switch (k) {
            case market::StockKind::common:
                return "common";
            case market::StockKind::preferred:
                return "preferred";
            case market::StockKind::etf:
                return "etf";
            case market::StockKind::etn:
                return "etn";
        }
        return "common";
    }
    static market::StockKind stock_kind_from(std::string_view s) {
        if (s == "preferred") return market::StockKind::preferred;
        if (s == "etf") return market::StockKind::etf;
        if (s == "etn") return market::StockKind::etn;
        return market::StockKind::common;
    }

    // Callers hold a transaction.
    static Status write_instruments(Connection& c,
                                    std::span<const market::Instrument> instruments) {
        SINMUN_TRY_ASSIGN(
            st, c.prepare("INSERT INTO market_instruments (code, name, asset, market, position,"
                          " kind, listing_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                          " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
                          " asset = excluded.asset, market = excluded.market,"
                          " position = excluded.position, kind = excluded.kind,"
                          " listing_day = excluded.listing_day"));
        for (const auto& i : instruments) {
            st.reset();
            st.bind(1, i.code)
                .bind(2, i.name)
                .bind(3, i.asset == market::AssetClass::stock ? "stock" : "crypto")
                .bind(4, i.market)
                .bind(5, i.position)
                .bind(6, stock_kind_text(i.kind))
                .bind(7, i.listing_day);
            SINMUN_TRY_STATUS(st.run());
        }
        return ok();
    }

    static Status write_quotes(Connection& c, std::span<const market::Quote> quotes) {
        SINMUN_TRY_ASSIGN(
            st, c.prepare("INSERT INTO market_quotes (code, price, change_ppm, as_of, tick,"
                          " trade_value, limit_up, halted, base_price, end_of_day)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                          " ON CONFLICT (code) DO UPDATE SET price = excluded.price,"
                          " change_ppm = excluded.change_ppm, as_of = excluded.as_of,"
                          " tick = excluded.tick, trade_value = excluded.trade_value,"
                          " limit_up = excluded.limit_up, halted = excluded.halted,"
                          " base_price = excluded.base_price, end_of_day = excluded.end_of_day"));
        for (const auto& q : quotes) {
            st.reset();
            std::optional<std::int64_t> base;
            if (q.base_price) base = q.base_price->units();
            st.bind(1, q.code)
                .bind(2, q.price.units())
                .bind(3, q.change_ppm)
                .bind(4, q.as_of_ms)
                .bind(5, q.tick)
                .bind(6, q.trade_value)
                .bind(7, q.limit_up)
                .bind(8, q.halted)
                .bind(9, base)
                .bind(10, q.end_of_day);
            SINMUN_TRY_STATUS(st.run());
        }
        return ok();
    }

    Connections& conns_;
};

// ---------------------------------------------------------------------------------------------
// Settings

struct SiteKey {
    const char* key;
    std::string news::SiteSettings::*field;
};
constexpr SiteKey kSiteKeys[] = {
    {"site.name", &news::SiteSettings::site_name},
    {"site.url", &news::SiteSettings::site_url},
    {"site.tagline", &news::SiteSettings::tagline},
    {"site.company", &news::SiteSettings::company},
    {"site.registration_no", &news::SiteSettings::registration_no},
    {"site.registration_date", &news::SiteSettings::registration_date},
    {"site.publisher", &news::SiteSettings::publisher},
    {"site.editor", &news::SiteSettings::editor},
    {"site.youth_officer", &news::SiteSettings::youth_officer},
    {"site.address", &news::SiteSettings::address},
    {"site.phone", &news::SiteSettings::phone},
    {"site.email", &news::SiteSettings::email},
    {"site.founded", &news::SiteSettings::founded},
    {"site.copyright_holder", &news::SiteSettings::copyright_holder},
};
constexpr const char* kDemoKey = "site.demo";

class SqliteSettingsStore final : public SettingsStore {
public:
    explicit SqliteSettingsStore(Connections& conns) : conns_(conns) {}

    Result<std::optional<std::string>> get(const std::string& key) override {
        return conns_.read([&](Connection& c) -> Result<std::optional<std::string>> {
            SINMUN_TRY_ASSIGN(st, c.prepare("SELECT value FROM settings WHERE key = ?1"));
            st.bind(1, key);
            SINMUN_TRY_ASSIGN(row, st.step());
            if (!row) return std::optional<std::string>();
            return std::optional<std::string>(st.text(0));
        });
    }

    Status set(const std::string& key, const std::string& value) override {
        return conns_.write([&](Connection& c) -> Status { return put(c, key, value); });
    }

    Result<news::SiteSettings> site_settings() override {
        return conns_.read([&](Connection& c) -> Result<news::SiteSettings> {
            SINMUN_TRY_ASSIGN(
                st, c.prepare(
                        "SELECT key, value FROM settings WHERE key >= 'site.' AND key < 'site/'"));
            std::map<std::string, std::string> values;
            SINMUN_TRY_STATUS(
                each_row(st, [&](Statement& r) { values.emplace(r.text(0), r.text(1)); }));
            news::SiteSettings s;
            for (const auto& k : kSiteKeys)
                if (auto it = values.find(k.key); it != values.end()) s.*k.field = it->second;
            if (auto it = values.find(kDemoKey); it != values.end())
                s.demo = it->second == "true" || it->second == "1";
            return s;
        });
    }

    Status save_site_settings(const news::SiteSettings& s) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            for (const auto& k : kSiteKeys) SINMUN_TRY_STATUS(put(c, k.key, s.*k.field));
            SINMUN_TRY_STATUS(put(c, kDemoKey, s.demo ? "true" : "false"));
            return tx.commit();
        });
    }

private:
    static Status put(Connection& c, std::string_view key, std::string_view value) {
        SINMUN_TRY_ASSIGN(st, c.prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)"
                                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
        st.bind(1, key).bind(2, value);
        return st.run();
    }

    Connections& conns_;
};

// ---------------------------------------------------------------------------------------------
// Database and migrations

class SqliteDatabase final : public Database {
public:
    SqliteDatabase(Connection writer, std::vector<Connection> readers)
        : conns_(std::move(writer), std::move(readers)),
          articles_(conns_),
          reactions_(conns_),
          market_(conns_),
          settings_(conns_),
          users_(make_user_store(conns_)),
          audit_(make_audit_store(conns_)),
          search_(make_search_store(conns_)) {}

    std::string_view backend() const override { return "sqlite"; }
    ArticleStore& articles() override { return articles_; }
    ReactionStore& reactions() override { return reactions_; }
    MarketStore& market() override { return market_; }
    SettingsStore& settings() override { return settings_; }
    UserStore& users() override { return *users_; }
    AuditStore& audit() override { return *audit_; }
    SearchStore& search() override { return *search_; }

    Result<int> schema_version() override {
        return conns_.read([&](Connection& c) -> Result<int> {
            SINMUN_TRY_ASSIGN(st, c.prepare("PRAGMA user_version"));
            SINMUN_TRY_ASSIGN(row, st.step());
            return row ? st.int32(0) : 0;
        });
    }

private:
    Connections conns_;
    SqliteArticleStore articles_;
    SqliteReactionStore reactions_;
    SqliteMarketStore market_;
    SqliteSettingsStore settings_;
    std::unique_ptr<UserStore> users_;
    std::unique_ptr<AuditStore> audit_;
    std::unique_ptr<SearchStore> search_;
};

Result<int> user_version(Connection& c) {
    SINMUN_TRY_ASSIGN(st, c.prepare("PRAGMA user_version"));
    SINMUN_TRY_ASSIGN(row, st.step());
    return row ? st.int32(0) : 0;
}

Error newer_schema(const std::string& path, int found) {
    return make_error(Errc::unavailable, "SQLite database '" + path + "' has schema version " +
                                             std::to_string(found) +
                                             ", newer than this binary knows (" +
                                             std::to_string(latest_schema_version()) +
                                             "); run a newer sinmun or restore a backup");
}

// Applies every pending migration in one transaction, so a failure leaves the file as it was.
// Returns how many ran.
Result<int> migrate(Connection& c) {
    SINMUN_TRY_ASSIGN(before, user_version(c));
    const int latest = latest_schema_version();
    if (before > latest) return newer_schema(c.path(), before);
    if (before == latest) return 0;
    SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
    // Another process may have migrated between our read and our write lock.
    SINMUN_TRY_ASSIGN(current, user_version(c));
    if (current > latest) return newer_schema(c.path(), current);
    int applied = 0;
    for (const auto& m : embedded_migrations()) {
        if (m.version <= current) continue;
        if (auto st = c.exec(m.sql); !st)
            return make_error(st.error().code, "migration " + std::string(m.name) +
                                                   " failed: " + st.error().message);
        SINMUN_TRY_STATUS(c.exec("PRAGMA user_version = " + std::to_string(m.version)));
        ++applied;
    }
    SINMUN_TRY_STATUS(tx.commit());
    return applied;
}

}  // namespace

int latest_schema_version() {
    const auto all = embedded_migrations();
    return all.empty() ? 0 : all.back().version;
}

Result<OpenedSqlite> open_sqlite_database(const SqliteOptions& options) {
    if (options.path.empty())
        return make_error(Errc::invalid_input, "SQLite database path is empty");
    // The embedded list must be 1, 2, 3 …: a gap would silently skip a schema change.
    int expect = 1;
    for (const auto& m : embedded_migrations()) {
        if (m.version != expect++)
            return make_error(Errc::internal, "embedded migrations are not numbered 1..N at " +
                                                  std::string(m.name));
    }
    Connection::Options wopts;
    wopts.create_if_missing = options.create_if_missing;
    wopts.busy_timeout_ms = options.busy_timeout_ms;
    SINMUN_TRY_ASSIGN(writer, Connection::open(options.path, wopts));
    // Refuse a newer schema before changing anything about the file (journal mode included).
    SINMUN_TRY_ASSIGN(found, user_version(writer));
    if (found > latest_schema_version()) return newer_schema(options.path, found);
    {
        SINMUN_TRY_ASSIGN(st, writer.prepare("PRAGMA journal_mode=WAL"));
        SINMUN_TRY_ASSIGN(row, st.step());
        if (!row || st.text(0) != "wal")
            return make_error(Errc::unavailable,
                              "SQLite database '" + options.path + "' cannot use WAL journal mode");
    }
    SINMUN_TRY_ASSIGN(applied, migrate(writer));
    // Checkpoint every 8,000 WAL pages (~32 MB) instead of SQLite's 1,000: the writer runs the
    // auto-checkpoint inside a commit, and hot pages (vote counts, index interior pages) were
    // copied back to the database every few batches. Durable votes/s, same machine, alternated
    // (/tmp harness = bench/run's votes row): 17,465 / 18,203 / 18,946 → 20,112 / 23,276 / 22,987.
    SINMUN_TRY_STATUS(writer.exec("PRAGMA wal_autocheckpoint=8000"));

    std::vector<Connection> readers;
    Connection::Options ropts;
    ropts.read_only = true;
    ropts.create_if_missing = false;
    ropts.busy_timeout_ms = options.busy_timeout_ms;
    const int n = std::max(1, options.read_connections);
    for (int i = 0; i < n; ++i) {
        SINMUN_TRY_ASSIGN(r, Connection::open(options.path, ropts));
        readers.push_back(std::move(r));
    }
    OpenedSqlite out;
    out.db = std::make_unique<SqliteDatabase>(std::move(writer), std::move(readers));
    out.migrations_applied = applied;
    return out;
}

}  // namespace sinmun::store::sqlite

namespace sinmun::store {

Result<std::unique_ptr<Database>> open_sqlite(const SqliteOptions& options) {
    SINMUN_TRY_ASSIGN(opened, sqlite::open_sqlite_database(options));
    return std::move(opened.db);
}

}  // namespace sinmun::store
