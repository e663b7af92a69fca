// Who may do what in the newsroom: the one table of role rules, checked on the server before any
// change. Refusals are Errc::forbidden with a Korean message the user can act on.
//
// Rules: a reporter (기자) creates drafts, edits their own articles (bylines include their
// author_id) while they are draft, and submits them for review; an editor (데스크) edits any
// article and publishes, schedules, unpublishes, corrects, manages sections and labels and curates
// 주요 뉴스; an admin (관리자) may do everything an editor may. Thread-safety: pure functions over
// plain values.
#pragma once

#include <cstdint>
#include <string>

#include "auth/model.hpp"
#include "core/result.hpp"
#include "news/model.hpp"

namespace sinmun::news {

// The person (or API token's user) acting, as the handlers authenticated them.
struct Actor {
    std::int64_t user_id = 0;
    auth::Role role = auth::Role::reporter;
    std::int64_t author_id = 0;  // the byline this user writes as; 0: none
    std::string email;
    std::string remote_addr;
};

enum class Action {
    create_draft,
    edit,     // change the text of an article (see may_edit for the reporter rule)
    submit,   // draft → review
    publish,  // now or scheduled
    unpublish,
    correct,
    pin,              // 주요 뉴스 order
    manage_sections,  // create/rename/reorder sections
    manage_labels,
    view_dashboard,  // list articles, read history and diffs
};

// Whether the article's bylines include this author.
bool is_byline(const Article& a, std::int64_t author_id);

// Whether `actor` may perform `action` (on `article` when the action concerns one; pass nullptr
// otherwise). Errc::forbidden with a Korean message when not.
Status check_permission(const Actor& actor, Action action, const Article* article = nullptr);

}  // namespace sinmun::news
