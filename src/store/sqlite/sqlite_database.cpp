// The SQLite implementation of the store interfaces (stores.hpp).
//
// Why one writer plus a pool of readers: SQLite allows one writer at a time per file anyway, and
// in WAL mode readers see the last committed snapshot without blocking on, or being blocked by,
// the writer. Serialising writes on our own mutex (instead of letting connections fight over the
// file lock) keeps busy errors for the case where another *process* holds the lock.
#include "store/sqlite/sqlite_database.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

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
    " p.id, p.src, p.width, p.height, p.alt, p.caption, p.credit"
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

            std::int64_t id = a.id;
            if (id == 0) {
                // `views` is taken as given only on insert (imports, demo seeding); afterwards
                // it moves only through add_views so an edit never loses counted views.
                SINMUN_TRY_ASSIGN(
                    st,
                    c.prepare(
                        "INSERT INTO articles (section_id, headline, subtitle, label, body_md, "
                        "excerpt,"
                        " status, created_at, published_at, updated_at, version, views, pin_rank)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12)"));
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
                    .bind(11, a.views)
                    .bind(12, pin);
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
                        " updated_at = ?10, version = version + 1, pin_rank = ?11 WHERE id = ?12"));
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
                    .bind(11, pin)
                    .bind(12, id);
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
            SINMUN_TRY_STATUS(tx.commit());
            return id;
        });
    }

    Result<news::Article> article(std::int64_t id) override {
        return conns_.read([&](Connection& c) -> Result<news::Article> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c, Transaction::Mode::deferred));
            SINMUN_TRY_ASSIGN(
                st,
                c.prepare(
                    "SELECT id, section_id, headline, subtitle, label, body_md, status, created_at,"
                    " published_at, updated_at, version, views, pin_rank FROM articles WHERE id = "
                    "?1"));
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
            return a;
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

    // --- Newsroom: being implemented (answers unavailable until then) ---
    Result<std::vector<news::Author>> authors() override { return pending(); }
    Result<news::Article> save_article_revision(const news::Article&, std::int64_t,
                                                const news::Revision&) override {
        return pending();
    }
    Result<std::vector<news::Revision>> revisions(std::int64_t) override { return pending(); }
    Result<std::int64_t> revision_bytes(std::int64_t) override { return pending(); }
    Result<std::vector<std::int64_t>> publish_due(std::int64_t, const std::string&) override {
        return pending();
    }
    Result<std::optional<std::int64_t>> next_scheduled_at() override { return pending(); }
    Status set_pins(std::span<const std::int64_t>) override { return pending(); }
    Result<std::vector<news::ArticleSummary>> find_articles(const ArticleFilter&) override {
        return pending();
    }
    Result<std::int64_t> count_articles(const ArticleFilter&) override { return pending(); }
    Result<std::vector<news::ArticleSummary>> published_between(std::int64_t,
                                                                std::int64_t) override {
        return pending();
    }
    Result<std::vector<std::optional<std::int64_t>>> import_articles(
        std::span<const ImportItem>) override {
        return pending();
    }
    Result<std::optional<std::int64_t>> article_by_external_id(std::string_view) override {
        return pending();
    }
    static Error pending() {
        return make_error(Errc::unavailable, "newsroom storage is not implemented yet");
    }

private:
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

Result<reactions::State> load_state(Connection& c, std::int64_t article_id,
                                    const reactions::ReaderId& reader) {
    reactions::State state;
    SINMUN_TRY_ASSIGN(counts,
                      c.prepare("SELECT kind, n FROM reaction_counts WHERE article_id = ?1"));
    counts.bind(1, article_id);
    SINMUN_TRY_STATUS(each_row(counts, [&](Statement& r) {
        const auto k = r.int64(0);
        if (k >= 0 && k < static_cast<std::int64_t>(reactions::kKindCount))
            state.counts.n[static_cast<std::size_t>(k)] = r.int64(1);
    }));
    if (!reader.empty()) {
        SINMUN_TRY_ASSIGN(mine, c.prepare("SELECT kind FROM reactions WHERE article_id = ?1 AND "
                                          "reader_id = ?2 ORDER BY kind"));
        mine.bind(1, article_id).bind(2, reader);
        SINMUN_TRY_STATUS(each_row(mine, [&](Statement& r) {
            const auto k = r.int64(0);
            if (k >= 0 && k < static_cast<std::int64_t>(reactions::kKindCount))
                state.mine.push_back(static_cast<reactions::ReactionKind>(k));
        }));
    }
    return state;
}

Error missing_article(std::int64_t id) {
    return make_error(Errc::not_found, "article " + std::to_string(id) + " not found");
}

class SqliteReactionStore final : public ReactionStore {
public:
    explicit SqliteReactionStore(Connections& conns) : conns_(conns) {}

    Result<std::vector<Result<reactions::State>>> apply(
        std::span<const reactions::Vote> votes) override {
        using Out = std::vector<Result<reactions::State>>;
        if (votes.empty()) return Out{};
        return conns_.write([&](Connection& c) -> Result<Out> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            std::map<std::int64_t, bool> article_exists;
            std::vector<std::optional<Error>> rejected(votes.size());
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
                auto [it, fresh] = article_exists.try_emplace(v.article_id, false);
                if (fresh) {
                    SINMUN_TRY_ASSIGN(
                        found, exists(c, "SELECT 1 FROM articles WHERE id = ?1", v.article_id));
                    it->second = found;
                }
                if (!it->second) {
                    rejected[i] = missing_article(v.article_id);
                    continue;
                }
                SINMUN_TRY_STATUS(apply_one(c, v, kind));
            }
            // States after the whole batch, read inside the transaction that makes them true.
            std::map<std::pair<std::int64_t, std::string>, reactions::State> states;
            Out out;
            out.reserve(votes.size());
            for (std::size_t i = 0; i < votes.size(); ++i) {
                if (rejected[i]) {
                    out.emplace_back(std::move(*rejected[i]));
                    continue;
                }
                const auto key = std::make_pair(votes[i].article_id, votes[i].reader);
                auto it = states.find(key);
                if (it == states.end()) {
                    SINMUN_TRY_ASSIGN(st, load_state(c, key.first, key.second));
                    it = states.emplace(key, std::move(st)).first;
                }
                out.emplace_back(it->second);
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
    // One vote; the count changes only when the vote row actually appeared or disappeared, which
    // is what makes "on twice" and "off when not on" no-ops.
    static Status apply_one(Connection& c, const reactions::Vote& v, int kind) {
        if (v.on) {
            // created_at is informational, so the database's clock is good enough for it.
            SINMUN_TRY_ASSIGN(
                ins, c.prepare(
                         "INSERT OR IGNORE INTO reactions (article_id, reader_id, kind, created_at)"
                         " VALUES (?1, ?2, ?3, CAST((julianday('now') - 2440587.5) * 86400000 AS "
                         "INTEGER))"));
            ins.bind(1, v.article_id).bind(2, v.reader).bind(3, kind);
            SINMUN_TRY_STATUS(ins.run());
            if (c.changes() == 0) return ok();
            SINMUN_TRY_ASSIGN(
                inc,
                c.prepare("INSERT INTO reaction_counts (article_id, kind, n) VALUES (?1, ?2, 1)"
                          " ON CONFLICT (article_id, kind) DO UPDATE SET n = n + 1"));
            inc.bind(1, v.article_id).bind(2, kind);
            return inc.run();
        }
        SINMUN_TRY_ASSIGN(
            del,
            c.prepare(
                "DELETE FROM reactions WHERE article_id = ?1 AND reader_id = ?2 AND kind = ?3"));
        del.bind(1, v.article_id).bind(2, v.reader).bind(3, kind);
        SINMUN_TRY_STATUS(del.run());
        if (c.changes() == 0) return ok();
        SINMUN_TRY_ASSIGN(
            dec,
            c.prepare("UPDATE reaction_counts SET n = n - 1 WHERE article_id = ?1 AND kind = ?2"));
        dec.bind(1, v.article_id).bind(2, kind);
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
            SINMUN_TRY_ASSIGN(
                st,
                c.prepare("INSERT INTO market_instruments (code, name, asset, market, position)"
                          " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code) DO UPDATE SET"
                          " name = excluded.name, asset = excluded.asset, market = excluded.market,"
                          " position = excluded.position"));
            for (const auto& i : instruments) {
                st.reset();
                st.bind(1, i.code)
                    .bind(2, i.name)
                    .bind(3, i.asset == market::AssetClass::stock ? "stock" : "crypto")
                    .bind(4, i.market)
                    .bind(5, i.position);
                SINMUN_TRY_STATUS(st.run());
            }
            return tx.commit();
        });
    }

    Result<std::vector<market::Instrument>> instruments() override {
        return conns_.read([&](Connection& c) -> Result<std::vector<market::Instrument>> {
            SINMUN_TRY_ASSIGN(
                st, c.prepare("SELECT code, name, asset, market, position FROM market_instruments"
                              " ORDER BY position, code"));
            std::vector<market::Instrument> out;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& r) {
                market::Instrument i;
                i.code = r.text(0);
                i.name = r.text(1);
                i.asset =
                    r.text(2) == "stock" ? market::AssetClass::stock : market::AssetClass::crypto;
                i.market = r.text(3);
                i.position = r.int32(4);
                out.push_back(std::move(i));
            }));
            return out;
        });
    }

    Status save_quotes(std::span<const market::Quote> quotes) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_ASSIGN(
                st,
                c.prepare(
                    "INSERT INTO market_quotes (code, price, change_ppm, as_of, tick, trade_value,"
                    " limit_up, halted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                    " ON CONFLICT (code) DO UPDATE SET price = excluded.price,"
                    " change_ppm = excluded.change_ppm, as_of = excluded.as_of, tick = "
                    "excluded.tick,"
                    " trade_value = excluded.trade_value, limit_up = excluded.limit_up,"
                    " halted = excluded.halted"));
            for (const auto& q : quotes) {
                st.reset();
                st.bind(1, q.code)
                    .bind(2, q.price.units())
                    .bind(3, q.change_ppm)
                    .bind(4, q.as_of_ms)
                    .bind(5, q.tick)
                    .bind(6, q.trade_value)
                    .bind(7, q.limit_up)
                    .bind(8, q.halted);
                SINMUN_TRY_STATUS(st.run());
            }
            return tx.commit();
        });
    }

    Result<std::vector<market::Quote>> quotes() override {
        return conns_.read([&](Connection& c) -> Result<std::vector<market::Quote>> {
            SINMUN_TRY_ASSIGN(
                st, c.prepare(
                        "SELECT code, price, change_ppm, as_of, tick, trade_value, limit_up, halted"
                        " FROM market_quotes ORDER BY code"));
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
                out.push_back(std::move(q));
            }));
            return out;
        });
    }

private:
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
          audit_(make_audit_store(conns_)) {}

    std::string_view backend() const override { return "sqlite"; }
    ArticleStore& articles() override { return articles_; }
    ReactionStore& reactions() override { return reactions_; }
    MarketStore& market() override { return market_; }
    SettingsStore& settings() override { return settings_; }
    UserStore& users() override { return *users_; }
    AuditStore& audit() override { return *audit_; }

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
