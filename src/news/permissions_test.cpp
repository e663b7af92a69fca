#include "news/permissions.hpp"

#include <gtest/gtest.h>

namespace sinmun::news {
namespace {

Article draft_by(std::int64_t author, ArticleStatus s = ArticleStatus::draft) {
    Article a;
    a.id = 1;
    a.status = s;
    a.authors = {{author, "기자", ""}};
    return a;
}

TEST(Permissions, MatrixPerRole) {
    const Actor reporter{1, auth::Role::reporter, 10, "r@x", ""};
    const Actor editor{2, auth::Role::editor, 20, "e@x", ""};
    const Actor admin{3, auth::Role::admin, 0, "a@x", ""};
    const Article own = draft_by(10);
    const Article theirs = draft_by(11);
    const Article own_review = draft_by(10, ArticleStatus::review);

    EXPECT_TRUE(check_permission(reporter, Action::create_draft));
    EXPECT_TRUE(check_permission(reporter, Action::edit, &own));
    EXPECT_TRUE(check_permission(reporter, Action::submit, &own));
    EXPECT_FALSE(check_permission(reporter, Action::edit, &theirs));
    EXPECT_FALSE(check_permission(reporter, Action::edit, &own_review));
    for (Action a : {Action::publish, Action::unpublish, Action::correct, Action::pin,
                     Action::manage_sections, Action::manage_labels}) {
        auto r = check_permission(reporter, a, &own);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::forbidden);
        EXPECT_FALSE(r.error().message.empty());
        EXPECT_TRUE(check_permission(editor, a, &theirs));
        EXPECT_TRUE(check_permission(admin, a, &theirs));
    }
    EXPECT_TRUE(check_permission(editor, Action::edit, &theirs));
    EXPECT_TRUE(check_permission(admin, Action::edit, &own_review));
    EXPECT_EQ(check_permission(reporter, Action::edit, &theirs).error().message,
              "기자는 다른 기자의 기사를 수정할 수 없습니다.");
    // A reporter account without a byline cannot write at all.
    const Actor unlinked{4, auth::Role::reporter, 0, "u@x", ""};
    EXPECT_FALSE(check_permission(unlinked, Action::create_draft));
}

}  // namespace
}  // namespace sinmun::news
