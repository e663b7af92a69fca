#include "news/permissions.hpp"

#include <algorithm>

namespace sinmun::news {

bool is_byline(const Article& a, std::int64_t author_id) {
    if (author_id == 0) return false;
    return std::any_of(a.authors.begin(), a.authors.end(),
                       [&](const Author& au) { return au.id == author_id; });
}

namespace {
Error refuse(std::string message) { return make_error(Errc::forbidden, std::move(message)); }
}  // namespace

Status check_permission(const Actor& actor, Action action, const Article* article) {
    const bool editor = actor.role >= auth::Role::editor;
    switch (action) {
        case Action::view_dashboard:
            return ok();
        case Action::create_draft:
            if (!editor && actor.author_id == 0)
                return refuse(
                    "기자 이름(바이라인)이 연결되지 않은 계정은 기사를 쓸 수 없습니다. "
                    "관리자에게 바이라인 연결을 요청하세요.");
            return ok();
        case Action::edit:
        case Action::submit:
            if (editor) return ok();
            if (!article) return refuse("기사를 지정해야 합니다.");
            if (!is_byline(*article, actor.author_id))
                return refuse(action == Action::edit
                                  ? "기자는 다른 기자의 기사를 수정할 수 없습니다."
                                  : "기자는 다른 기자의 기사를 검토 요청할 수 없습니다.");
            if (article->status != ArticleStatus::draft)
                return refuse(action == Action::edit
                                  ? "기자는 작성 중인 기사만 수정할 수 있습니다. 검토 요청 후에는 "
                                    "데스크가 수정합니다."
                                  : "작성 중인 기사만 검토 요청할 수 있습니다.");
            return ok();
        case Action::publish:
            if (!editor) return refuse("기사 출고(게재·예약)는 데스크만 할 수 있습니다.");
            return ok();
        case Action::unpublish:
            if (!editor) return refuse("기사 게재 중단은 데스크만 할 수 있습니다.");
            return ok();
        case Action::correct:
            if (!editor) return refuse("정정·반론·추후보도 고지는 데스크만 달 수 있습니다.");
            return ok();
        case Action::pin:
            if (!editor) return refuse("주요 뉴스 편집은 데스크만 할 수 있습니다.");
            return ok();
        case Action::manage_sections:
            if (!editor) return refuse("섹션 관리는 데스크만 할 수 있습니다.");
            return ok();
        case Action::manage_labels:
            if (!editor) return refuse("말머리 관리는 데스크만 할 수 있습니다.");
            return ok();
    }
    return refuse("허용되지 않은 작업입니다.");
}

}  // namespace sinmun::news
