#include "news/newsroom.hpp"
#include "news/try.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/kst.hpp"
#include "core/text.hpp"

namespace sinmun::news {

ArticleInput ArticleInput::of(const Article& a) {
    ArticleInput in;
    in.headline = a.headline;
    in.subtitle = a.subtitle;
    in.section_id = a.section_id;
    in.label = a.label;
    in.body_md = a.body_md;
    for (const auto& au : a.authors) in.author_ids.push_back(au.id);
    in.photos = a.photos;
    return in;
}

const std::vector<std::string>& default_labels() {
    static const std::vector<std::string> labels = {"단독",       "속보",     "[르포]",
                                                    "[해시태그]", "[인터뷰]", "[기획]",
                                                    "[팩트체크]", "[사설]",   "[칼럼]"};
    return labels;
}

namespace {

constexpr const char* kLabelsKey = "news.labels";
constexpr std::size_t kMaxCorrectionChars = 2000;

Error invalid(std::string m) { return make_error(Errc::invalid_input, std::move(m)); }
Error conflict(std::string m) { return make_error(Errc::conflict, std::move(m)); }

// NFC, trimmed; nullopt for text that is not UTF-8.
std::optional<std::string> clean(std::string_view s) {
    if (!text::is_valid_utf8(s)) return std::nullopt;
    return std::string(text::trim(text::nfc(s)));
}

std::string target(std::int64_t id) { return "article:" + std::to_string(id); }

std::string status_name(ArticleStatus s) { return korean_label(s); }

}  // namespace

struct Newsroom::Prepared {
    std::string headline, subtitle, label, body;
    std::int64_t section_id = 0;
    std::vector<Author> authors;
    std::vector<Photo> photos;

    // Moves the checked fields into `a` (a new article or the next version of a stored one).
    void apply_to(Article& a) && {
        a.section_id = section_id;
        a.headline = std::move(headline);
        a.subtitle = std::move(subtitle);
        a.label = std::move(label);
        a.body_md = std::move(body);
        a.authors = std::move(authors);
        a.photos = std::move(photos);
    }
};

Newsroom::Newsroom(store::Database& db, const Clock& clock, NewsroomHooks hooks)
    : db_(db), clock_(clock), hooks_(std::move(hooks)) {}

// ---------------------------------------------------------------------------------------------
// Helpers

Result<Newsroom::Prepared> Newsroom::prepare(const ArticleInput& in, const Actor& actor,
                                             const Article* current) {
    Prepared p;
    auto headline = clean(in.headline);
    auto subtitle = clean(in.subtitle);
    auto label = clean(in.label);
    if (!headline || !subtitle || !label || !text::is_valid_utf8(in.body_md))
        return invalid("UTF-8이 아닌 글자가 들어 있습니다. 글을 다시 붙여 넣어 주세요.");
    if (headline->empty()) return invalid("제목을 입력하세요.");
    if (const auto n = text::utf8_length(*headline); n > kMaxHeadlineChars)
        return invalid("제목은 " + std::to_string(kMaxHeadlineChars) + "자 이하여야 합니다 (지금 " +
                       std::to_string(n) + "자).");
    if (const auto n = text::utf8_length(*subtitle); n > kMaxSubtitleChars)
        return invalid("부제는 " + std::to_string(kMaxSubtitleChars) + "자 이하여야 합니다 (지금 " +
                       std::to_string(n) + "자).");
    // The body keeps its inner whitespace (Markdown), only normalised.
    p.body = text::nfc(in.body_md);
    if (p.body.size() > kMaxBodyBytes)
        return make_error(Errc::too_large, "본문은 " + std::to_string(kMaxBodyBytes / 1024) +
                                               "KB 이하여야 합니다 (지금 " +
                                               std::to_string(p.body.size() / 1024) + "KB).");
    p.headline = std::move(*headline);
    p.subtitle = std::move(*subtitle);

    if (!label->empty()) {
        NEWS_TRY(known, labels());
        if (std::find(known.begin(), known.end(), *label) == known.end())
            return invalid("알 수 없는 말머리 '" + *label + "'입니다. 말머리 목록에서 고르세요.");
    }
    p.label = std::move(*label);

    if (in.section_id == 0) return invalid("섹션을 고르세요.");
    NEWS_TRY(all_sections, db_.articles().sections());
    if (std::none_of(all_sections.begin(), all_sections.end(),
                     [&](const Section& s) { return s.id == in.section_id; }))
        return invalid("없는 섹션입니다 (id " + std::to_string(in.section_id) + ").");
    p.section_id = in.section_id;

    std::vector<std::int64_t> ids = in.author_ids;
    // No bylines given: an edit keeps the article's, a new article gets the actor's.
    if (ids.empty() && current)
        for (const auto& a : current->authors) ids.push_back(a.id);
    if (ids.empty() && actor.author_id != 0) ids.push_back(actor.author_id);
    if (ids.empty()) return invalid("기자(바이라인)를 한 명 이상 지정하세요.");
    NEWS_TRY(all_authors, db_.articles().authors());
    std::set<std::int64_t> seen;
    for (auto id : ids) {
        if (!seen.insert(id).second) continue;
        auto it = std::find_if(all_authors.begin(), all_authors.end(),
                               [&](const Author& a) { return a.id == id; });
        if (it == all_authors.end())
            return invalid("없는 기자입니다 (id " + std::to_string(id) + ").");
        p.authors.push_back(*it);
    }

    for (const auto& ph : in.photos) {
        Photo q = ph;
        auto alt = clean(ph.alt), caption = clean(ph.caption), credit = clean(ph.credit);
        if (!alt || !caption || !credit)
            return invalid("사진 설명에 UTF-8이 아닌 글자가 들어 있습니다.");
        if (ph.src.empty()) return invalid("사진 주소가 비어 있습니다.");
        q.alt = std::move(*alt);
        q.caption = std::move(*caption);
        q.credit = std::move(*credit);
        p.photos.push_back(std::move(q));
    }
    return p;
}

Result<Article> Newsroom::load(std::int64_t id) {
    auto a = db_.articles().article(id);
    if (!a && a.error().code == Errc::not_found)
        return make_error(Errc::not_found, "기사 " + std::to_string(id) + "번이 없습니다.");
    return a;
}

Result<Article> Newsroom::save(const Article& a, std::int64_t expected_version, const Actor& actor,
                               std::string action, std::string note) {
    Revision rev;
    rev.at = clock_.now_ms();
    rev.user_id = actor.user_id;
    rev.actor = actor.email;
    rev.action = std::move(action);
    rev.status = a.status;
    rev.note = std::move(note);
    return db_.articles().save_article_revision(a, expected_version, rev);
}

Status Newsroom::may_read(const Actor& actor, const Article& a) const {
    if (actor.role >= auth::Role::editor || is_byline(a, actor.author_id) ||
        a.status == ArticleStatus::published)
        return ok();
    return make_error(Errc::forbidden, "기자는 다른 기자의 작성 중인 기사를 볼 수 없습니다.");
}

void Newsroom::audit(const Actor& actor, std::string action, std::string target_,
                     std::string detail) {
    auth::AuditEntry e;
    e.at = clock_.now_ms();
    e.user_id = actor.user_id;
    e.actor = actor.email.empty() ? "system" : actor.email;
    e.action = std::move(action);
    e.target = std::move(target_);
    e.detail = std::move(detail);
    e.remote_addr = actor.remote_addr;
    // The change itself is committed; a missing audit line must not undo or fail it.
    if (auto r = db_.audit().append(e); !r)
        spdlog::warn("audit append failed ({} {} by {}): {}", e.action, e.target, e.actor,
                     r.error().message);
}

void Newsroom::changed(std::int64_t article_id) {
    if (hooks_.on_change) hooks_.on_change(article_id);
}

// ---------------------------------------------------------------------------------------------
// Reads

Result<Article> Newsroom::article(const Actor& actor, std::int64_t id) {
    NEWS_TRY(a, load(id));
    if (auto st = may_read(actor, a); !st) return st.error();
    return std::move(a);
}

Result<ArticleList> Newsroom::list(const Actor& actor, const ListFilter& filter) {
    if (auto st = check_permission(actor, Action::view_dashboard); !st) return st.error();
    if (filter.per_page < 1 || filter.per_page > 200)
        return invalid("한 쪽에 1~200건까지 볼 수 있습니다.");
    if (filter.page < 1) return invalid("쪽 번호는 1부터입니다.");
    store::ArticleFilter f;
    f.status = filter.status;
    f.section_id = filter.section_id;
    f.author_id = filter.author_id;
    // Reporters work on their own articles: their list is always theirs.
    if (actor.role < auth::Role::editor) f.author_id = actor.author_id;
    if (auto q = clean(filter.query)) f.query = *q;
    f.limit = filter.per_page;
    f.offset = (filter.page - 1) * filter.per_page;
    NEWS_TRY(items, db_.articles().find_articles(f));
    NEWS_TRY(total, db_.articles().count_articles(f));
    ArticleList out;
    out.items = std::move(items);
    out.total = total;
    out.page = filter.page;
    out.pages = std::max<int>(1, static_cast<int>((total + filter.per_page - 1) / filter.per_page));
    return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

Result<Article> Newsroom::create_draft(const Actor& actor, const ArticleInput& in) {
    if (auto st = check_permission(actor, Action::create_draft); !st) return st.error();
    NEWS_TRY(p, prepare(in, actor, nullptr));
    Article a;
    std::move(p).apply_to(a);
    a.status = ArticleStatus::draft;
    a.created_at = clock_.now_ms();
    if (actor.role < auth::Role::editor && !is_byline(a, actor.author_id))
        return make_error(Errc::forbidden,
                          "기자는 자신의 바이라인이 들어간 기사만 쓸 수 있습니다.");
    return save(a, 0, actor, "create");
}

Result<Article> Newsroom::update(const Actor& actor, std::int64_t id, const ArticleInput& in,
                                 std::int64_t expected_version, bool confirm_rewrite) {
    NEWS_TRY(a, load(id));
    if (auto st = check_permission(actor, Action::edit, &a); !st) return st.error();
    if (a.version != expected_version)
        return conflict("다른 사람이 먼저 수정했습니다 (저장된 판 " + std::to_string(a.version) +
                        ", 편집한 판 " + std::to_string(expected_version) +
                        "). 새로 불러와 다시 수정하세요.");
    NEWS_TRY(p, prepare(in, actor, &a));
    Article next = a;
    std::move(p).apply_to(next);
    if (actor.role < auth::Role::editor && !is_byline(next, actor.author_id))
        return make_error(Errc::forbidden, "기자는 자신의 바이라인을 기사에서 뺄 수 없습니다.");
    const bool live = a.status == ArticleStatus::published;
    if (live && !confirm_rewrite) {
        const double sim = similarity(a.body_md, next.body_md);
        if (sim < kRewriteSimilarity) {
            const int changed_pct = static_cast<int>(std::lround((1.0 - sim) * 100));
            return conflict("게재된 기사 본문의 약 " + std::to_string(changed_pct) +
                            "%가 바뀝니다. 같은 주소에서 기사를 전면 수정하면 포털 제재 대상이 될 "
                            "수 있습니다. 새 기사로 쓰거나, 그래도 저장하려면 전면 수정을 "
                            "확인하세요 (confirm_rewrite=true).");
        }
    }
    if (live) next.updated_at = clock_.now_ms();
    NEWS_TRY(saved, save(next, expected_version, actor, "edit"));
    if (live) {
        audit(actor, "edit", target(id), "게재 기사 수정: " + saved.headline);
        changed(id);
    }
    return std::move(saved);
}

Result<Article> Newsroom::submit(const Actor& actor, std::int64_t id) {
    NEWS_TRY(a, load(id));
    if (auto st = check_permission(actor, Action::submit, &a); !st) return st.error();
    if (a.status != ArticleStatus::draft)
        return conflict("작성 중인 기사만 검토 요청할 수 있습니다 (지금: " + status_name(a.status) +
                        ").");
    Article next = a;
    next.status = ArticleStatus::review;
    return save(next, a.version, actor, "submit");
}

Result<Article> Newsroom::publish(const Actor& actor, std::int64_t id,
                                  std::optional<std::int64_t> at_ms) {
    if (auto st = check_permission(actor, Action::publish); !st) return st.error();
    NEWS_TRY(a, load(id));
    if (a.status == ArticleStatus::published) return conflict("이미 게재된 기사입니다.");
    const std::int64_t now = clock_.now_ms();
    Article next = a;
    if (at_ms && *at_ms > now) {
        next.status = ArticleStatus::scheduled;
        next.scheduled_at = *at_ms;
        NEWS_TRY(saved,
                 save(next, a.version, actor, "schedule", "예약 " + kst::format_minute(*at_ms)));
        audit(actor, "schedule", target(id),
              kst::format_minute(*at_ms) + " 게재 예약: " + saved.headline);
        if (hooks_.on_scheduled) hooks_.on_scheduled(*at_ms);
        return std::move(saved);
    }
    next.status = ArticleStatus::published;
    next.scheduled_at = 0;
    // 입력 is the first publication; republishing after an unpublish keeps it and marks 수정.
    if (next.published_at == 0) next.published_at = now;
    next.updated_at = now;
    NEWS_TRY(saved, save(next, a.version, actor, "publish"));
    audit(actor, "publish", target(id), "게재: " + saved.headline);
    changed(id);
    return std::move(saved);
}

Result<Article> Newsroom::unpublish(const Actor& actor, std::int64_t id,
                                    const std::string& reason) {
    if (auto st = check_permission(actor, Action::unpublish); !st) return st.error();
    NEWS_TRY(a, load(id));
    auto why = clean(reason);
    if (!why) return invalid("사유에 UTF-8이 아닌 글자가 들어 있습니다.");
    Article next = a;
    if (a.status == ArticleStatus::published) {
        if (why->empty()) return invalid("게재 중단 사유를 입력하세요.");
        next.status = ArticleStatus::unpublished;
        next.pin_rank.reset();
    } else if (a.status == ArticleStatus::scheduled) {
        next.status = ArticleStatus::draft;
        next.scheduled_at = 0;
    } else {
        return conflict(
            "게재 중이거나 예약된 기사만 내릴 수 있습니다 (지금: " + status_name(a.status) + ").");
    }
    NEWS_TRY(saved, save(next, a.version, actor, "unpublish", *why));
    audit(actor, "unpublish", target(id),
          (a.status == ArticleStatus::published ? "게재 중단: " : "예약 취소: ") + *why);
    if (a.status == ArticleStatus::published) changed(id);
    return std::move(saved);
}

Result<Article> Newsroom::correct(const Actor& actor, std::int64_t id, const Correction& c) {
    if (auto st = check_permission(actor, Action::correct); !st) return st.error();
    NEWS_TRY(a, load(id));
    if (a.status != ArticleStatus::published)
        return conflict("게재 중인 기사에만 정정·반론·추후보도 고지를 달 수 있습니다 (지금: " +
                        status_name(a.status) + ").");
    auto body = clean(c.text);
    if (!body) return invalid("고지문에 UTF-8이 아닌 글자가 들어 있습니다.");
    if (body->empty()) return invalid("고지문을 입력하세요.");
    if (text::utf8_length(*body) > kMaxCorrectionChars)
        return invalid("고지문은 " + std::to_string(kMaxCorrectionChars) + "자 이하여야 합니다.");
    const std::int64_t now = clock_.now_ms();
    Article next = a;
    next.corrections.push_back({c.type, *body, now});
    next.updated_at = now;
    const std::string note = std::string("[") + korean_label(c.type) + "] " + *body;
    NEWS_TRY(saved, save(next, a.version, actor, "correct", note));
    audit(actor, "correct", target(id), note);
    changed(id);
    return std::move(saved);
}

Status Newsroom::set_pins(const Actor& actor, const std::vector<std::int64_t>& ordered_ids) {
    if (auto st = check_permission(actor, Action::pin); !st) return st.error();
    if (ordered_ids.size() > 20) return invalid("주요 뉴스는 20건까지 고정할 수 있습니다.");
    auto st = db_.articles().set_pins(ordered_ids);
    if (!st) {
        if (st.error().code == Errc::invalid_input || st.error().code == Errc::not_found)
            return make_error(
                st.error().code,
                "주요 뉴스에는 게재 중인 기사만 한 번씩 고정할 수 있습니다: " + st.error().message);
        return st;
    }
    std::string detail = "주요 뉴스 고정:";
    for (auto id : ordered_ids) detail += " " + std::to_string(id);
    audit(actor, "pin", "main_news", detail);
    changed(0);
    return ok();
}

// ---------------------------------------------------------------------------------------------
// History

Result<std::vector<Revision>> Newsroom::history(const Actor& actor, std::int64_t id) {
    NEWS_TRY(a, load(id));
    if (auto st = may_read(actor, a); !st) return st.error();
    return db_.articles().revisions(id);
}

Result<RevisionDiff> Newsroom::diff(const Actor& actor, std::int64_t id, int rev_a, int rev_b) {
    NEWS_TRY(revs, history(actor, id));
    auto find = [&](int n) -> const Revision* {
        for (const auto& r : revs)
            if (r.number == n) return &r;
        return nullptr;
    };
    const Revision* a = find(rev_a);
    const Revision* b = find(rev_b);
    if (!a || !b)
        return make_error(Errc::not_found, "기사 " + std::to_string(id) + "번에 " +
                                               std::to_string(a ? rev_b : rev_a) +
                                               "번째 판이 없습니다 (1~" +
                                               std::to_string(revs.size()) + ").");
    return diff_revisions(*a, *b);
}

// ---------------------------------------------------------------------------------------------
// Sections and labels

Result<std::vector<Section>> Newsroom::sections() { return db_.articles().sections(); }

Result<std::int64_t> Newsroom::save_section(const Actor& actor, const Section& s) {
    if (auto st = check_permission(actor, Action::manage_sections); !st) return st.error();
    Section c = s;
    if (c.slug.empty() || c.slug.size() > 40 ||
        !std::all_of(c.slug.begin(), c.slug.end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
        }))
        return invalid("섹션 주소(slug)는 영문 소문자, 숫자, '-'로 1~40자여야 합니다: '" + s.slug +
                       "'");
    auto name = clean(s.name);
    if (!name || name->empty() || text::utf8_length(*name) > 40)
        return invalid("섹션 이름은 1~40자여야 합니다.");
    c.name = std::move(*name);
    NEWS_TRY(id, db_.articles().save_section(c));
    audit(actor, "section", "section:" + std::to_string(id), c.slug + " " + c.name);
    changed(0);
    return id;
}

Result<std::vector<std::string>> Newsroom::labels() {
    NEWS_TRY(stored, db_.settings().get(kLabelsKey));
    if (!stored) return default_labels();
    std::vector<std::string> out;
    std::string_view rest = *stored;
    while (!rest.empty()) {
        const auto nl = rest.find('\n');
        if (auto l = text::trim(rest.substr(0, nl)); !l.empty()) out.emplace_back(l);
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    return out;
}

Status Newsroom::save_labels(const Actor& actor, const std::vector<std::string>& labels) {
    if (auto st = check_permission(actor, Action::manage_labels); !st) return st.error();
    std::vector<std::string> out;
    for (const auto& l : labels) {
        auto c = clean(l);
        if (!c) return invalid("말머리에 UTF-8이 아닌 글자가 들어 있습니다.");
        if (c->empty()) continue;
        if (text::utf8_length(*c) > 20 || c->find('\n') != std::string::npos)
            return invalid("말머리는 한 줄, 20자 이하여야 합니다: '" + *c + "'");
        if (std::find(out.begin(), out.end(), *c) == out.end()) out.push_back(std::move(*c));
    }
    std::string joined;
    for (const auto& l : out) joined += l + "\n";
    NEWS_TRY_STATUS(db_.settings().set(kLabelsKey, joined));
    audit(actor, "labels", "labels", joined);
    return ok();
}

Result<Article> Newsroom::preview_article(const Actor& actor, const ArticleInput& in) {
    if (auto st = check_permission(actor, Action::create_draft); !st) return st.error();
    NEWS_TRY(p, prepare(in, actor, nullptr));
    const std::int64_t now = clock_.now_ms();
    Article a;
    std::move(p).apply_to(a);
    a.status = ArticleStatus::published;
    a.created_at = a.published_at = a.updated_at = now;
    return a;
}

}  // namespace sinmun::news
