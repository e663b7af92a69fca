// Newsroom pages other than the article editor: dashboard, history and diff, 주요 뉴스, sections,
// settings, users, audit log and the portal export.
#include "auth/auth_service.hpp"
#include "core/kst.hpp"
#include "core/text.hpp"
#include "news/main_news.hpp"
#include "news/newsroom.hpp"
#include "news/portal_export.hpp"
#include "news/revision.hpp"
#include "store/stores.hpp"
#include "web/handlers/admin_util.hpp"
#include "web/handlers/handler_util.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace sinmun::web::admin {

namespace json = boost::json;

namespace {

constexpr std::int64_t kMainNewsWindowMs = 3LL * 24 * 3600 * 1000;

bool is_editor(const AdminContext& ctx) { return ctx.user.role >= auth::Role::editor; }

json::array section_options(const std::vector<news::Section>& sections, std::int64_t selected) {
    json::array out;
    for (const auto& sec : sections) {
        json::object o;
        o["id"] = sec.id;
        o["slug"] = sec.slug;
        o["name"] = sec.name;
        o["selected"] = sec.id == selected;
        out.push_back(std::move(o));
    }
    return out;
}

std::string section_name(const std::vector<news::Section>& sections, std::int64_t id) {
    for (const auto& sec : sections)
        if (sec.id == id) return sec.name;
    return {};
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

Response forbidden_unless(AdminServices& s, const AdminContext& ctx, const Request& req,
                          auth::Role min, bool& refused) {
    refused = ctx.user.role < min;
    if (!refused) return {};
    return admin_error(s, &ctx, req, 403,
                       min == auth::Role::admin ? "관리자만 할 수 있습니다."
                                                : "데스크(편집자) 이상만 할 수 있습니다.");
}

}  // namespace

// --- dashboard -------------------------------------------------------------------------------

Response dashboard_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    news::ListFilter filter;
    std::string status_key = req.query_param("status").value_or("");
    if (!status_key.empty()) filter.status = news::parse_status(status_key);
    if (!filter.status) status_key.clear();
    std::int64_t section_id = 0, author_id = 0;
    if (auto v = req.query_param("section"); v && !v->empty())
        if (auto id = parse_id(*v)) section_id = *id, filter.section_id = *id;
    if (auto v = req.query_param("author"); v && !v->empty())
        if (auto id = parse_id(*v)) author_id = *id, filter.author_id = *id;
    if (!is_editor(ctx)) filter.author_id = ctx.actor.author_id;  // reporters see their own
    filter.query = req.query_param("q").value_or("");
    if (auto p = req.query_param("page"); p)
        if (auto n = parse_id(*p); n && *n < 100000) filter.page = static_cast<int>(*n);

    auto list = s.newsroom->list(ctx.actor, filter);
    if (!list) return admin_error(s, &ctx, req, list.error());
    auto sections = s.newsroom->sections();
    std::vector<news::Section> secs = sections ? *sections : std::vector<news::Section>{};

    json::object d;
    json::array tabs;
    auto tab = [&](std::string key, std::string label) {
        json::object t;
        t["label"] = label;
        t["href"] = key.empty() ? "/admin" : "/admin?status=" + key;
        t["current"] = key == status_key;
        tabs.push_back(std::move(t));
    };
    tab("", "전체");
    for (auto st :
         {news::ArticleStatus::draft, news::ArticleStatus::review, news::ArticleStatus::scheduled,
          news::ArticleStatus::published, news::ArticleStatus::unpublished})
        tab(news::to_string(st), status_label(st));
    d["tabs"] = std::move(tabs);
    d["status"] = status_key;
    d["q"] = filter.query;
    d["sections"] = section_options(secs, section_id);
    d["is_editor"] = is_editor(ctx);
    if (is_editor(ctx)) {
        json::array authors;
        if (auto all = s.db->articles().authors()) {
            for (const auto& a : *all) {
                json::object o;
                o["id"] = a.id;
                o["name"] = a.name;
                o["selected"] = a.id == author_id;
                authors.push_back(std::move(o));
            }
        }
        d["authors"] = std::move(authors);
    }
    json::array rows;
    for (const auto& a : list->items) {
        json::object r;
        r["id"] = a.id;
        r["headline"] = a.headline.empty() ? std::string("(제목 없음)") : a.headline;
        r["label"] = a.label;
        r["status"] = news::to_string(a.status);
        r["status_label"] = status_label(a.status);
        r["section"] = section_name(secs, a.section_id);
        r["authors"] = join_names(a.author_names);
        r["created"] = kst_text(a.created_at);
        r["updated"] = kst_text(a.updated_at ? a.updated_at : a.created_at);
        r["published"] = kst_text(a.published_at);
        r["scheduled"] =
            a.status == news::ArticleStatus::scheduled ? kst_text(a.scheduled_at) : std::string();
        r["reader_url"] = a.status == news::ArticleStatus::published ? a.url_path() : std::string();
        rows.push_back(std::move(r));
    }
    d["rows"] = std::move(rows);
    d["empty"] = list->items.empty();
    d["total"] = list->total;
    auto page_href = [&](int n) {
        std::string q = "/admin?page=" + std::to_string(n);
        if (!status_key.empty()) q += "&status=" + status_key;
        if (section_id) q += "&section=" + std::to_string(section_id);
        if (author_id) q += "&author=" + std::to_string(author_id);
        if (!filter.query.empty()) q += "&q=" + text::percent_encode(filter.query);
        return q;
    };
    d["page"] = list->page;
    d["pages"] = list->pages;
    d["prev"] = list->page > 1 ? json::value(page_href(list->page - 1)) : json::value(nullptr);
    d["next"] =
        list->page < list->pages ? json::value(page_href(list->page + 1)) : json::value(nullptr);
    AdminFrame f = frame_for(s, &ctx, "기사 목록", "dashboard");
    if (auto n = req.query_param("notice")) {
        if (*n == "unpublished") f.notice = "게재를 중단했습니다.";
    }
    return admin_page(s, "dashboard", d, f);
}

// --- history and diff --------------------------------------------------------------------------

Response history_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    auto id = parse_id(req.param("id"));
    if (!id) return admin_error(s, &ctx, req, 404, "기사를 찾을 수 없습니다.");
    auto article = s.newsroom->article(ctx.actor, *id);
    if (!article) return admin_error(s, &ctx, req, article.error());
    auto revs = s.newsroom->history(ctx.actor, *id);
    if (!revs) return admin_error(s, &ctx, req, revs.error());

    int from = 0, to = 0;
    if (!revs->empty()) {
        to = revs->back().number;
        from = revs->size() > 1 ? (*revs)[revs->size() - 2].number : to;
    }
    if (auto v = req.query_param("from"))
        if (auto n = parse_id(*v); n && *n < 1000000) from = static_cast<int>(*n);
    if (auto v = req.query_param("to"))
        if (auto n = parse_id(*v); n && *n < 1000000) to = static_cast<int>(*n);

    std::vector<std::string> user_names;
    json::object d;
    d["id"] = *id;
    d["headline"] = article->headline;
    json::array rows;
    for (auto it = revs->rbegin(); it != revs->rend(); ++it) {
        const auto& r = *it;
        json::object o;
        o["number"] = r.number;
        o["at"] = kst_text(r.at);
        o["actor"] = r.actor;
        o["action"] = r.action;
        std::string changed;
        for (const auto& c : r.changed) {
            static const std::pair<const char*, const char*> kNames[] = {
                {"headline", "제목"}, {"subtitle", "부제"}, {"label", "말머리"},
                {"section", "섹션"},  {"body", "본문"},     {"authors", "기자"}};
            std::string name = c;
            for (auto [en, ko] : kNames)
                if (c == en) name = ko;
            if (!changed.empty()) changed += ", ";
            changed += name;
        }
        o["changed"] = changed;
        o["status_label"] = status_label(r.status);
        o["note"] = r.note;
        o["is_from"] = r.number == from;
        o["is_to"] = r.number == to;
        rows.push_back(std::move(o));
    }
    d["revisions"] = std::move(rows);
    if (from && to && from != to) {
        auto diff = s.newsroom->diff(ctx.actor, *id, from, to);
        if (!diff) return admin_error(s, &ctx, req, diff.error());
        json::array fields;
        for (const auto& fd : diff->fields) {
            static const std::pair<const char*, const char*> kNames[] = {
                {"headline", "제목"}, {"subtitle", "부제"}, {"body", "본문"}};
            std::string name = fd.field;
            for (auto [en, ko] : kNames)
                if (fd.field == en) name = ko;
            json::object fo;
            fo["name"] = name;
            fo["changed"] = fd.changed;
            json::array ops;
            for (const auto& op : fd.ops) {
                json::object oo;
                oo["text"] = op.text;
                oo["ins"] = op.kind == news::DiffOp::Kind::insert;
                oo["del"] = op.kind == news::DiffOp::Kind::remove;
                oo["eq"] = op.kind == news::DiffOp::Kind::equal;
                ops.push_back(std::move(oo));
            }
            fo["ops"] = std::move(ops);
            fields.push_back(std::move(fo));
        }
        json::object dd;
        dd["from"] = diff->from;
        dd["to"] = diff->to;
        dd["fields"] = std::move(fields);
        d["diff"] = std::move(dd);
    } else {
        d["diff"] = nullptr;
    }
    return admin_page(s, "history", d, frame_for(s, &ctx, "수정 이력", "dashboard"));
}

// --- 주요 뉴스 -----------------------------------------------------------------------------------

Response main_news_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::editor, refused); refused) return r;
    const std::int64_t now = s.clock->now_ms();
    auto cands = s.db->articles().main_news_candidates(now - kMainNewsWindowMs, 200);
    if (!cands) return admin_error(s, &ctx, req, cands.error());
    std::vector<news::ArticleSummary> pinned;
    for (const auto& c : *cands)
        if (c.pin_rank) pinned.push_back(c);
    std::sort(pinned.begin(), pinned.end(),
              [](const auto& a, const auto& b) { return *a.pin_rank < *b.pin_rank; });
    std::vector<news::ArticleSummary> unpinned;
    for (const auto& c : *cands)
        if (!c.pin_rank) unpinned.push_back(c);
    auto ranked = news::rank_main_news(unpinned, now, 20);

    json::object d;
    json::array pins;
    for (std::size_t i = 0; i < pinned.size(); ++i) {
        json::object o;
        o["id"] = pinned[i].id;
        o["rank"] = static_cast<std::int64_t>(i + 1);
        o["headline"] = pinned[i].headline;
        o["url"] = pinned[i].url_path();
        o["first"] = i == 0;
        o["last"] = i + 1 == pinned.size();
        pins.push_back(std::move(o));
    }
    d["pins"] = std::move(pins);
    d["has_pins"] = !pinned.empty();
    json::array auto_rows;
    int rank = 0;
    for (const auto& a : ranked) {
        json::object o;
        o["id"] = a.id;
        o["rank"] = ++rank;
        o["headline"] = a.headline;
        o["url"] = a.url_path();
        o["views"] = a.views;
        o["reactions"] = a.reactions;
        o["published"] = kst_text(a.published_at);
        char score[32];
        std::snprintf(score, sizeof score, "%.2f", news::main_news_score(a, now));
        o["score"] = std::string(score);
        auto_rows.push_back(std::move(o));
    }
    d["ranked"] = std::move(auto_rows);
    AdminFrame f = frame_for(s, &ctx, "주요 뉴스 편집", "main-news");
    if (req.query_param("saved")) f.notice = "주요 뉴스 순서를 저장했습니다.";
    return admin_page(s, "main_news", d, f);
}

// Form: pins=ID (repeated, in order), op=up:ID | down:ID | remove:ID | add (with add_id) | save.
Response main_news_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    std::vector<std::int64_t> ids;
    for (const auto& v : form_values(form, "pins"))
        if (auto id = parse_id(v); id && std::find(ids.begin(), ids.end(), *id) == ids.end())
            ids.push_back(*id);
    const std::string op = form_str(form, "op");
    auto index_of = [&](std::string_view text) -> std::ptrdiff_t {
        auto id = parse_id(text);
        if (!id) return -1;
        auto it = std::find(ids.begin(), ids.end(), *id);
        return it == ids.end() ? -1 : it - ids.begin();
    };
    if (op.starts_with("up:")) {
        if (auto i = index_of(std::string_view(op).substr(3)); i > 0)
            std::swap(ids[static_cast<std::size_t>(i)], ids[static_cast<std::size_t>(i - 1)]);
    } else if (op.starts_with("down:")) {
        if (auto i = index_of(std::string_view(op).substr(5));
            i >= 0 && static_cast<std::size_t>(i) + 1 < ids.size())
            std::swap(ids[static_cast<std::size_t>(i)], ids[static_cast<std::size_t>(i + 1)]);
    } else if (op.starts_with("remove:")) {
        if (auto i = index_of(std::string_view(op).substr(7)); i >= 0) ids.erase(ids.begin() + i);
    } else if (op.starts_with("pin:")) {
        if (auto id = parse_id(std::string_view(op).substr(4));
            id && std::find(ids.begin(), ids.end(), *id) == ids.end())
            ids.push_back(*id);
    } else if (op == "add") {
        auto id = parse_id(text::trim(form_str(form, "add_id")));
        if (!id) return admin_error(s, &ctx, req, 400, "고정할 기사 번호를 입력해 주세요.");
        if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
    }
    if (auto st = s.newsroom->set_pins(ctx.actor, ids); !st)
        return admin_error(s, &ctx, req, st.error());
    if (s.invalidate_article) s.invalidate_article(0);
    return Response::redirect(303, "/admin/main-news?saved=1");
}

// --- sections --------------------------------------------------------------------------------

Response sections_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::editor, refused); refused) return r;
    auto sections = s.newsroom->sections();
    if (!sections) return admin_error(s, &ctx, req, sections.error());
    json::object d;
    d["sections"] = section_options(*sections, 0);
    auto labels = s.newsroom->labels();
    std::string label_text;
    if (labels)
        for (const auto& l : *labels) label_text += l + "\n";
    d["labels"] = label_text;
    AdminFrame f = frame_for(s, &ctx, "섹션·말머리", "sections");
    if (req.query_param("saved")) f.notice = "저장했습니다.";
    return admin_page(s, "sections", d, f);
}

// Form: kind=section (id, slug, name, position) or kind=labels (labels: one per line).
Response sections_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    if (form_str(form, "kind") == "labels") {
        std::vector<std::string> labels;
        std::string_view all = form_str(form, "labels");
        std::string copy(all);
        std::string_view rest = copy;
        while (!rest.empty()) {
            auto nl = rest.find('\n');
            auto line = text::trim(rest.substr(0, nl));
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            line = text::trim(line);
            if (!line.empty()) labels.emplace_back(line);
            if (nl == std::string_view::npos) break;
            rest.remove_prefix(nl + 1);
        }
        if (auto st = s.newsroom->save_labels(ctx.actor, labels); !st)
            return admin_error(s, &ctx, req, st.error());
        return Response::redirect(303, "/admin/sections?saved=1");
    }
    news::Section sec;
    if (auto v = form_str(form, "id"); !v.empty()) {
        auto id = parse_id(v);
        if (!id) return admin_error(s, &ctx, req, 400, "섹션 번호가 잘못되었습니다.");
        sec.id = *id;
    }
    sec.slug = std::string(text::trim(form_str(form, "slug")));
    sec.name = std::string(text::trim(form_str(form, "name")));
    if (auto v = form_str(form, "position"); !v.empty()) {
        auto n = parse_id(v);
        if (!n && v != "0") return admin_error(s, &ctx, req, 400, "순서는 0 이상의 숫자입니다.");
        sec.position = n ? static_cast<int>(std::min<std::int64_t>(*n, 1000)) : 0;
    } else if (sec.id == 0) {
        auto all = s.newsroom->sections();
        sec.position = all ? static_cast<int>(all->size()) + 1 : 0;
    }
    if (auto st = s.newsroom->save_section(ctx.actor, sec); !st)
        return admin_error(s, &ctx, req, st.error());
    if (s.invalidate_site) s.invalidate_site();
    return Response::redirect(303, "/admin/sections?saved=1");
}

// --- settings (admins) -----------------------------------------------------------------------

namespace {

struct SettingField {
    const char* key;
    const char* label;
    std::string news::SiteSettings::*member;
};

const SettingField kSettingFields[] = {
    {"site_name", "제호", &news::SiteSettings::site_name},
    {"site_url", "사이트 주소", &news::SiteSettings::site_url},
    {"tagline", "소개 문구", &news::SiteSettings::tagline},
    {"company", "명칭(법인명)", &news::SiteSettings::company},
    {"registration_no", "등록번호", &news::SiteSettings::registration_no},
    {"registration_date", "등록연월일", &news::SiteSettings::registration_date},
    {"founded", "발행연월일", &news::SiteSettings::founded},
    {"publisher", "발행인", &news::SiteSettings::publisher},
    {"editor", "편집인", &news::SiteSettings::editor},
    {"youth_officer", "청소년보호책임자", &news::SiteSettings::youth_officer},
    {"address", "발행소 주소", &news::SiteSettings::address},
    {"phone", "전화번호", &news::SiteSettings::phone},
    {"email", "이메일", &news::SiteSettings::email},
    {"copyright_holder", "저작권자", &news::SiteSettings::copyright_holder},
};

}  // namespace

Response settings_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::admin, refused); refused) return r;
    auto st = s.db->settings().site_settings();
    if (!st) return admin_error(s, &ctx, req, st.error());
    json::object d;
    json::array fields;
    for (const auto& f : kSettingFields) {
        json::object o;
        o["key"] = f.key;
        o["label"] = f.label;
        o["value"] = (*st).*(f.member);
        fields.push_back(std::move(o));
    }
    d["fields"] = std::move(fields);
    AdminFrame f = frame_for(s, &ctx, "사이트 설정", "settings");
    if (req.query_param("saved")) f.notice = "설정을 저장했습니다.";
    return admin_page(s, "settings", d, f);
}

Response settings_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::admin, refused); refused) return r;
    auto st = s.db->settings().site_settings();
    if (!st) return admin_error(s, &ctx, req, st.error());
    news::SiteSettings next = *st;
    for (const auto& f : kSettingFields) {
        auto v = form_value(form, f.key);
        if (!v) continue;
        std::string value = text::nfc(text::trim(*v));
        if (text::utf8_length(value) > 200)
            return admin_error(s, &ctx, req, 400,
                               std::string(f.label) + "이(가) 너무 깁니다 (200자 이하).");
        if (value.empty() && std::string_view(f.key) == "site_name")
            return admin_error(s, &ctx, req, 400, "제호는 비울 수 없습니다.");
        next.*(f.member) = std::move(value);
    }
    if (auto r = s.db->settings().save_site_settings(next); !r)
        return admin_error(s, &ctx, req, r.error());
    s.auth->audit(&ctx.user, "settings_change", "site", "사이트 설정 변경", req.remote_addr);
    if (s.invalidate_site) s.invalidate_site();
    return Response::redirect(303, "/admin/settings?saved=1");
}

// --- users (admins) --------------------------------------------------------------------------

Response users_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::admin, refused); refused) return r;
    auto users = s.auth->users();
    if (!users) return admin_error(s, &ctx, req, users.error());
    json::object d;
    json::array rows;
    for (const auto& u : *users) {
        json::object o;
        o["id"] = u.id;
        o["email"] = u.email;
        o["name"] = u.name;
        o["role_label"] = auth::korean_label(u.role);
        o["disabled"] = u.disabled;
        o["created"] = kst_text(u.created_at);
        o["is_self"] = u.id == ctx.user.id;
        json::array roles;
        for (auto r : {auth::Role::reporter, auth::Role::editor, auth::Role::admin}) {
            json::object ro;
            ro["value"] = auth::to_string(r);
            ro["label"] = auth::korean_label(r);
            ro["selected"] = r == u.role;
            roles.push_back(std::move(ro));
        }
        o["roles"] = std::move(roles);
        rows.push_back(std::move(o));
    }
    d["users"] = std::move(rows);
    AdminFrame f = frame_for(s, &ctx, "사용자 관리", "users");
    if (auto n = req.query_param("saved")) f.notice = "저장했습니다.";
    return admin_page(s, "users", d, f);
}

// Form: op=create (email, name, role, password) | role (email, role) | disable/enable (email).
Response users_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::admin, refused); refused) return r;
    const std::string op = form_str(form, "op");
    const std::string email = form_str(form, "email");
    Status st = ok();
    if (op == "create") {
        auto role = auth::parse_role(form_str(form, "role"));
        if (!role) return admin_error(s, &ctx, req, 400, "역할을 골라 주세요.");
        auto u = s.auth->create_user(email, form_str(form, "name"), *role,
                                     form_str(form, "password"), &ctx.user);
        if (!u) st = u.error();
    } else if (op == "role") {
        auto role = auth::parse_role(form_str(form, "role"));
        if (!role) return admin_error(s, &ctx, req, 400, "역할을 골라 주세요.");
        if (auth::normalize_email(email) == ctx.user.email && *role != auth::Role::admin)
            return admin_error(s, &ctx, req, 400, "자기 자신의 관리자 권한은 내릴 수 없습니다.");
        st = s.auth->set_role(email, *role, &ctx.user);
    } else if (op == "disable" || op == "enable") {
        if (auth::normalize_email(email) == ctx.user.email)
            return admin_error(s, &ctx, req, 400, "자기 자신의 계정은 정지할 수 없습니다.");
        st = s.auth->set_disabled(email, op == "disable", &ctx.user);
    } else {
        return admin_error(s, &ctx, req, 400, "알 수 없는 작업입니다.");
    }
    if (!st) return admin_error(s, &ctx, req, st.error());
    return Response::redirect(303, "/admin/users?saved=1");
}

// --- audit log (editors+) --------------------------------------------------------------------

Response audit_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::editor, refused); refused) return r;
    std::int64_t before = 0;
    if (auto v = req.query_param("before"))
        if (auto id = parse_id(*v)) before = *id;
    constexpr int kPage = 100;
    auto entries = s.auth->recent_audit(kPage, before);
    if (!entries) return admin_error(s, &ctx, req, entries.error());
    json::object d;
    json::array rows;
    for (const auto& e : *entries) {
        json::object o;
        o["at"] = kst_text(e.at);
        o["actor"] = e.actor;
        o["action"] = e.action;
        o["target"] = e.target;
        o["detail"] = e.detail;
        o["remote_addr"] = e.remote_addr;
        rows.push_back(std::move(o));
    }
    d["entries"] = std::move(rows);
    d["older"] = entries->size() == kPage
                     ? json::value("/admin/audit?before=" + std::to_string(entries->back().id))
                     : json::value(nullptr);
    return admin_page(s, "audit", d, frame_for(s, &ctx, "감사 기록", "audit"));
}

// --- portal export (editors) -------------------------------------------------------------------

Response export_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::editor, refused); refused) return r;
    const auto now = kst::format_iso8601(s.clock->now_ms()).substr(0, 10);
    const auto month_ago =
        kst::format_iso8601(s.clock->now_ms() - 30LL * 24 * 3600 * 1000).substr(0, 10);
    json::object d;
    d["from"] = month_ago;
    d["to"] = now;
    return admin_page(s, "export", d, frame_for(s, &ctx, "포털 제출용 기사 목록", "export"));
}

Response export_csv(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    bool refused = false;
    if (auto r = forbidden_unless(s, ctx, req, auth::Role::editor, refused); refused) return r;
    const std::string from = req.query_param("from").value_or("");
    const std::string to = req.query_param("to").value_or("");
    auto csv = news::portal_csv(*s.db, from, to);
    if (!csv) return admin_error(s, &ctx, req, csv.error());
    Response r = Response::text(200, std::move(*csv), "text/csv; charset=utf-8");
    no_store(r);
    // Dates were validated by portal_csv: ASCII digits and '-' only.
    r.set_header("Content-Disposition",
                 "attachment; filename=\"articles-" + from + "-" + to + ".csv\"");
    s.auth->audit(&ctx.user, "export", "portal_csv", from + " ~ " + to, req.remote_addr);
    return r;
}

}  // namespace sinmun::web::admin
