// news::Newsroom: the publishing workflow over the store. Every call takes the Actor and checks
// permissions on the server (news/permissions.hpp) before it reads or writes anything it must not.
//
// Workflow: draft → review → (scheduled →) published → unpublished. An unpublished article can be
// published again; a scheduled one can be edited, rescheduled, published now or sent back to draft
// by unpublish. Every saved change appends a revision in the same transaction as the change
// (store::ArticleStore::save_article_revision), so nothing written is lost and the history shows
// who changed what and when. Editing uses optimistic concurrency: the caller passes the version
// it loaded; a stale one is Errc::conflict "다른 사람이 먼저 수정했습니다".
//
// Rewrite rule (portals sanction 동일 URL 기사 전면 수정): updating a PUBLISHED article whose new
// body is less than 50% similar to the published body (news::similarity) is refused with
// Errc::conflict unless confirm_rewrite is true.
//
// Audit: publish, schedule, unpublish, correct, pins, sections and labels are appended to
// store::AuditStore; a failed audit append is logged, never fails the change.
// Hooks: on_change(article_id) runs after any committed change readers can see (publish,
// unpublish, edit or correction of a published article; pins with id 0), so the app invalidates
// page caches; on_scheduled(at_ms) after an article is scheduled, so the Scheduler wakes earlier.
//
// Thread-safety: all methods may be called concurrently from any thread (the store serialises
// writes; the Newsroom keeps no mutable state). Hooks run on the caller's thread, after commit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "news/model.hpp"
#include "news/permissions.hpp"
#include "news/revision.hpp"
#include "store/stores.hpp"

namespace sinmun::news {

constexpr std::size_t kMaxHeadlineChars = 200;
constexpr std::size_t kMaxSubtitleChars = 300;
constexpr std::size_t kMaxBodyBytes = 200 * 1024;
constexpr double kRewriteSimilarity = 0.5;  // below this, an edit of a published body is 전면 수정

// The labels (말머리) a new site starts with; editors may change the list.
const std::vector<std::string>& default_labels();

// What an editor form or the API sends. Text is normalised to NFC and trimmed by the Newsroom.
struct ArticleInput {
    std::string headline;
    std::string subtitle;
    std::int64_t section_id = 0;
    std::string label;  // empty or one of labels()
    std::string body_md;
    std::vector<std::int64_t> author_ids;  // empty: keep the article's (create: the actor's)
    std::vector<Photo> photos;             // keep ids of existing photos; 0 for new ones

    // The editable fields of a stored article (the starting point of an edit).
    static ArticleInput of(const Article& a);
};

struct ListFilter {
    std::optional<ArticleStatus> status;
    std::optional<std::int64_t> section_id;
    std::optional<std::int64_t> author_id;
    std::string query;  // headline substring
    int page = 1;       // 1-based
    int per_page = 30;  // 1..200
};

struct ArticleList {
    std::vector<ArticleSummary> items;
    std::int64_t total = 0;
    int page = 1;
    int pages = 1;
};

struct NewsroomHooks {
    std::function<void(std::int64_t article_id)> on_change;
    std::function<void(std::int64_t at_ms)> on_scheduled;
};

class Newsroom {
public:
    Newsroom(store::Database& db, const Clock& clock, NewsroomHooks hooks = {});

    // Reads (any signed-in role): one article with corrections, for the editor form.
    Result<Article> article(const Actor& actor, std::int64_t id);
    Result<ArticleList> list(const Actor& actor, const ListFilter& filter);

    // A new draft by the actor. Authors default to the actor's byline; a reporter's draft must
    // include their own byline.
    Result<Article> create_draft(const Actor& actor, const ArticleInput& in);
    // Replaces the text fields. Reporters: own drafts only. Editors/admins: any article; editing
    // a published article sets updated_at (수정) and, for a body under kRewriteSimilarity,
    // needs confirm_rewrite.
    Result<Article> update(const Actor& actor, std::int64_t id, const ArticleInput& in,
                           std::int64_t expected_version, bool confirm_rewrite = false);
    // draft → review (the reporter's own article, or any for editors).
    Result<Article> submit(const Actor& actor, std::int64_t id);
    // Editors: publish now (at_ms nullopt or not in the future) or schedule at at_ms. Allowed
    // from draft, review, scheduled and unpublished. Publishing keeps the first published_at
    // when republishing an unpublished article.
    Result<Article> publish(const Actor& actor, std::int64_t id,
                            std::optional<std::int64_t> at_ms = std::nullopt);
    // Editors: published → unpublished (readers get 410), scheduled → draft. Reason required for
    // a published article (kept in history and the audit log).
    Result<Article> unpublish(const Actor& actor, std::int64_t id, const std::string& reason);
    // Editors: appends a correction notice (at = now) to a published article and sets 수정.
    Result<Article> correct(const Actor& actor, std::int64_t id, const Correction& c);

    // Editors: 주요 뉴스 pins in order (replaces the previous pins; empty clears them).
    Status set_pins(const Actor& actor, const std::vector<std::int64_t>& ordered_ids);

    // History (oldest first) and a word diff between two revision numbers.
    Result<std::vector<Revision>> history(const Actor& actor, std::int64_t id);
    Result<RevisionDiff> diff(const Actor& actor, std::int64_t id, int rev_a, int rev_b);

    // Sections: every role reads; editors save (id 0 creates; slug ASCII [a-z0-9-], name 1–40).
    Result<std::vector<Section>> sections();
    Result<std::int64_t> save_section(const Actor& actor, const Section& s);

    // Labels (말머리): stored in settings key "news.labels"; default_labels() until saved.
    Result<std::vector<std::string>> labels();
    Status save_labels(const Actor& actor, const std::vector<std::string>& labels);

    // The article the reader page would show for this input, unsaved (id 0, status published,
    // times = now), with authors and photos resolved; for the live preview. Validated like a save.
    Result<Article> preview_article(const Actor& actor, const ArticleInput& in);

private:
    struct Prepared;
    Result<Prepared> prepare(const ArticleInput& in, const Actor& actor, const Article* current);
    Result<Article> load(std::int64_t id);
    Result<Article> save(const Article& a, std::int64_t expected_version, const Actor& actor,
                         std::string action, std::string note = {});
    Status may_read(const Actor& actor, const Article& a) const;
    void audit(const Actor& actor, std::string action, std::string target, std::string detail);
    void changed(std::int64_t article_id);

    store::Database& db_;
    const Clock& clock_;
    NewsroomHooks hooks_;
};

}  // namespace sinmun::news
