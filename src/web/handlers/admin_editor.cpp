// The article editor: new/edit pages, the workflow buttons (save, submit, publish, schedule,
// unpublish, correct), autosave, the server-rendered live preview and photo uploads.
//
// Forms work without JavaScript (every button is a real form submit); assets/admin/admin.js adds
// the live preview, autosave (localStorage + server for drafts), photo upload by fetch and
// "본문에 넣기". A conflict from the Newsroom is answered with the form re-rendered around what
// the user typed, either with the 전면 수정 confirmation dialog (the stored version is still the
// one the form was loaded with: the rewrite rule refused it) or with the stale-version message.
#include "auth/auth_service.hpp"
#include "core/kst.hpp"
#include "core/text.hpp"
#include "news/newsroom.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/handlers/admin_util.hpp"
#include "web/handlers/handler_util.hpp"
#include "web/handlers/multipart.hpp"
#include "web/handlers/services.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>

namespace sinmun::web::admin {

namespace json = boost::json;
using news::ArticleStatus;

namespace {

bool is_editor(const AdminContext& ctx) { return ctx.user.role >= auth::Role::editor; }

std::optional<std::int64_t> parse_version(std::string_view v) {
    std::int64_t n = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), n);
    if (r.ec != std::errc{} || r.ptr != v.data() + v.size() || n < 0) return std::nullopt;
    return n;
}

// The editor form's fields as the Newsroom wants them. `current` (may be null: a new article)
// supplies the photos' files; the form may only change their caption, alt and credit, and drop
// them (photos_present=1 marks that the form lists its photos).
news::ArticleInput input_from_form(const Form& form, const news::Article* current) {
    news::ArticleInput in;
    in.headline = form_str(form, "headline");
    in.subtitle = form_str(form, "subtitle");
    if (auto id = parse_id(form_str(form, "section"))) in.section_id = *id;
    in.label = form_str(form, "label");
    in.body_md = form_str(form, "body_md");
    for (const auto& v : form_values(form, "authors"))
        if (auto id = parse_id(v);
            id && std::find(in.author_ids.begin(), in.author_ids.end(), *id) == in.author_ids.end())
            in.author_ids.push_back(*id);
    if (current) {
        if (in.author_ids.empty() && !form_value(form, "authors_present"))
            for (const auto& a : current->authors) in.author_ids.push_back(a.id);
        if (form_value(form, "photos_present")) {
            for (const auto& v : form_values(form, "photo_id")) {
                auto id = parse_id(v);
                if (!id) continue;
                for (const auto& ph : current->photos) {
                    if (ph.id != *id) continue;
                    news::Photo p = ph;
                    const std::string k = std::to_string(ph.id);
                    if (auto c = form_value(form, "photo_caption_" + k)) p.caption = *c;
                    if (auto a = form_value(form, "photo_alt_" + k)) p.alt = *a;
                    if (auto c = form_value(form, "photo_credit_" + k)) p.credit = *c;
                    in.photos.push_back(std::move(p));
                }
            }
        } else {
            in.photos = current->photos;
        }
    }
    return in;
}

bool same_photos(const std::vector<news::Photo>& a, const std::vector<news::Photo>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].id != b[i].id || a[i].caption != b[i].caption || a[i].alt != b[i].alt ||
            a[i].credit != b[i].credit)
            return false;
    return true;
}

// Whether the form changes anything (so pressing 게재 on an untouched article adds no revision).
bool changes(const news::ArticleInput& in, const news::Article& a) {
    const auto cur = news::ArticleInput::of(a);
    return text::nfc(text::trim(in.headline)) != cur.headline ||
           text::nfc(text::trim(in.subtitle)) != cur.subtitle || in.section_id != cur.section_id ||
           text::nfc(text::trim(in.label)) != cur.label || text::nfc(in.body_md) != cur.body_md ||
           in.author_ids != cur.author_ids || !same_photos(in.photos, cur.photos);
}

json::object photo_json(const news::Photo& p) {
    json::object o;
    o["id"] = p.id;
    o["src"] = p.src;
    o["width"] = p.width;
    o["height"] = p.height;
    o["caption"] = p.caption;
    o["alt"] = p.alt;
    o["credit"] = p.credit;
    return o;
}

struct EditorState {
    const news::Article* stored = nullptr;  // null: new article
    news::ArticleInput input;               // what the form shows
    std::int64_t version = 0;
    std::string error;
    std::string notice;
    bool rewrite_confirm = false;  // show the 전면 수정 dialog
    bool stale = false;
    std::string intent;  // the button the dialog repeats
    std::string publish_at;
};

Response editor_page(AdminServices& s, const AdminContext& ctx, const Request& req,
                     const EditorState& st, int status = 200) {
    json::object d;
    const news::Article* a = st.stored;
    const ArticleStatus status_v = a ? a->status : ArticleStatus::draft;
    d["is_new"] = a == nullptr;
    d["id"] = a ? a->id : 0;
    d["action"] =
        a ? "/admin/articles/" + std::to_string(a->id) + "/save" : std::string("/admin/articles");
    d["version"] = st.version;
    d["status"] = news::to_string(status_v);
    d["status_label"] = status_label(status_v);
    d["headline"] = st.input.headline;
    d["subtitle"] = st.input.subtitle;
    d["body_md"] = st.input.body_md;
    d["is_draft"] = status_v == ArticleStatus::draft;

    auto sections = s.newsroom->sections();
    json::array secs;
    if (sections)
        for (const auto& sec : *sections) {
            json::object o;
            o["id"] = sec.id;
            o["name"] = sec.name;
            o["selected"] = sec.id == st.input.section_id;
            secs.push_back(std::move(o));
        }
    d["sections"] = std::move(secs);
    auto labels = s.newsroom->labels();
    json::array labs;
    bool label_known = st.input.label.empty();
    if (labels)
        for (const auto& l : *labels) {
            json::object o;
            o["value"] = l;
            o["selected"] = l == st.input.label;
            label_known = label_known || l == st.input.label;
            labs.push_back(std::move(o));
        }
    if (!label_known) {  // a label no longer in the list stays selectable for this article
        json::object o;
        o["value"] = st.input.label;
        o["selected"] = true;
        labs.push_back(std::move(o));
    }
    d["labels"] = std::move(labs);
    d["no_label"] = st.input.label.empty();
    auto authors = s.db->articles().authors();
    json::array auths;
    std::vector<std::int64_t> selected = st.input.author_ids;
    if (selected.empty() && !a && ctx.actor.author_id) selected.push_back(ctx.actor.author_id);
    if (authors)
        for (const auto& au : *authors) {
            json::object o;
            o["id"] = au.id;
            o["name"] = au.name;
            o["selected"] = std::find(selected.begin(), selected.end(), au.id) != selected.end();
            auths.push_back(std::move(o));
        }
    d["authors"] = std::move(auths);

    json::array photos;
    for (const auto& p : st.input.photos) photos.push_back(photo_json(p));
    d["photos"] = std::move(photos);

    const bool editor = is_editor(ctx);
    const bool own = a && news::is_byline(*a, ctx.actor.author_id);
    d["can_save"] = !a || editor || (own && status_v == ArticleStatus::draft);
    d["can_submit"] = a && status_v == ArticleStatus::draft && (editor || own);
    d["can_publish"] = a && editor && status_v != ArticleStatus::published;
    d["can_schedule"] = a && editor && status_v != ArticleStatus::published;
    d["can_unpublish"] =
        a && editor &&
        (status_v == ArticleStatus::published || status_v == ArticleStatus::scheduled);
    d["can_correct"] = a && editor && status_v == ArticleStatus::published;
    d["can_upload"] = a && (editor || (own && status_v == ArticleStatus::draft));
    d["publish_at"] = st.publish_at.empty() && a && a->scheduled_at
                          ? kst::format_iso8601(a->scheduled_at).substr(0, 16)
                          : st.publish_at;
    d["scheduled"] =
        a && status_v == ArticleStatus::scheduled ? kst_text(a->scheduled_at) : std::string();
    d["published"] = a ? kst_text(a->published_at) : std::string();
    d["updated"] = a && a->updated_at && a->updated_at != a->published_at ? kst_text(a->updated_at)
                                                                          : std::string();
    d["reader_url"] = a && status_v == ArticleStatus::published ? a->url_path() : std::string();
    json::array corrections;
    if (a)
        for (const auto& c : a->corrections) {
            json::object o;
            o["type_label"] = news::korean_label(c.type);
            o["text"] = c.text;
            o["at"] = kst_text(c.at);
            corrections.push_back(std::move(o));
        }
    d["has_corrections"] = !corrections.empty();
    d["corrections"] = std::move(corrections);
    json::array types;
    for (auto t : {news::CorrectionType::correction, news::CorrectionType::rebuttal,
                   news::CorrectionType::follow_up}) {
        json::object o;
        o["value"] = news::to_string(t);
        o["label"] = std::string(news::korean_label(t)) + "보도";
        if (t == news::CorrectionType::follow_up) o["label"] = "추후보도";
        types.push_back(std::move(o));
    }
    d["correction_types"] = std::move(types);
    d["rewrite_confirm"] = st.rewrite_confirm;
    d["stale"] = st.stale;
    d["intent"] = st.intent.empty() ? std::string("save") : st.intent;
    d["history_url"] = a ? "/admin/articles/" + std::to_string(a->id) + "/history" : std::string();

    AdminFrame f = frame_for(s, &ctx, a ? "기사 편집" : "새 기사", a ? "dashboard" : "new");
    f.with_reader_css = true;
    f.error = st.error;
    f.notice = st.notice;
    return admin_page(s, "editor", d, f, status);
}

std::string notice_text(std::string_view key) {
    if (key == "created") return "초안을 저장했습니다.";
    if (key == "saved") return "저장했습니다.";
    if (key == "submitted") return "검토를 요청했습니다.";
    if (key == "published") return "게재했습니다.";
    if (key == "scheduled") return "예약했습니다.";
    if (key == "unpublished") return "게재를 중단했습니다.";
    if (key == "corrected") return "정정 보도를 덧붙였습니다.";
    if (key == "photo") return "사진을 올렸습니다.";
    return {};
}

void notify_change(AdminServices& s, std::int64_t id) {
    if (s.invalidate_article) s.invalidate_article(id);
}

// The stored article for {id}, or the error response.
std::variant<news::Article, Response> load_article(AdminServices& s, const AdminContext& ctx,
                                                   const Request& req) {
    auto id = parse_id(req.param("id"));
    if (!id) return admin_error(s, &ctx, req, 404, "기사를 찾을 수 없습니다.");
    auto a = s.newsroom->article(ctx.actor, *id);
    if (!a) return admin_error(s, &ctx, req, a.error());
    return std::move(*a);
}

}  // namespace

Response new_article_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    EditorState st;
    if (auto sec = req.query_param("section"))
        if (auto id = parse_id(*sec)) st.input.section_id = *id;
    return editor_page(s, ctx, req, st);
}

Response create_article_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    news::ArticleInput in = input_from_form(form, nullptr);
    auto created = s.newsroom->create_draft(ctx.actor, in);
    if (!created) {
        if (wants_json(req)) return admin_error(s, &ctx, req, created.error());
        EditorState st;
        st.input = std::move(in);
        st.error = created.error().message;
        return editor_page(s, ctx, req, st, http_status(created.error().code));
    }
    if (wants_json(req)) {
        json::object o;
        o["id"] = created->id;
        o["version"] = created->version;
        o["edit_url"] = "/admin/articles/" + std::to_string(created->id) + "/edit";
        Response r = Response::json(201, json::serialize(o));
        no_store(r);
        return r;
    }
    return Response::redirect(
        303, "/admin/articles/" + std::to_string(created->id) + "/edit?notice=created");
}

Response edit_article_page(AdminServices& s, Request& req) {
    SINMUN_ADMIN_SESSION(ctx, false, {});
    auto loaded = load_article(s, ctx, req);
    if (auto* r = std::get_if<Response>(&loaded)) return std::move(*r);
    const auto& a = std::get<news::Article>(loaded);
    EditorState st;
    st.stored = &a;
    st.input = news::ArticleInput::of(a);
    st.version = a.version;
    if (auto n = req.query_param("notice")) st.notice = notice_text(*n);
    return editor_page(s, ctx, req, st);
}

Response save_article_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    auto loaded = load_article(s, ctx, req);
    if (auto* r = std::get_if<Response>(&loaded)) return std::move(*r);
    news::Article current = std::move(std::get<news::Article>(loaded));
    const std::string intent = form_str(form, "intent").empty() ? "save" : form_str(form, "intent");
    if (intent != "save" && intent != "submit" && intent != "publish" && intent != "schedule")
        return admin_error(s, &ctx, req, 400, "알 수 없는 작업입니다: " + intent);
    auto expected = parse_version(form_str(form, "version"));
    if (!expected) return admin_error(s, &ctx, req, 400, "기사 버전이 없습니다. 새로 고쳐 주세요.");
    news::ArticleInput in = input_from_form(form, &current);
    const bool confirm = form_str(form, "confirm_rewrite") == "1";

    EditorState st;
    st.stored = &current;
    st.input = in;
    st.version = *expected;
    st.intent = intent;
    st.publish_at = form_str(form, "publish_at");

    // Validate the schedule before saving anything.
    std::optional<std::int64_t> at;
    if (intent == "schedule") {
        at = kst::parse(text::trim(st.publish_at));
        if (!at) {
            st.error = "예약 시각을 정확히 입력해 주세요 (한국 시각).";
            return editor_page(s, ctx, req, st, 400);
        }
        if (*at <= s.clock->now_ms()) {
            st.error = "예약 시각이 이미 지났습니다. 지금 게재하려면 '게재'를 누르세요.";
            return editor_page(s, ctx, req, st, 400);
        }
    }

    news::Article saved = current;
    if (changes(in, current) || *expected != current.version) {
        auto r = s.newsroom->update(ctx.actor, current.id, in, *expected, confirm);
        if (!r) {
            const Error& e = r.error();
            st.error = e.message;
            if (e.code == Errc::conflict) {
                if (current.version == *expected) {
                    st.rewrite_confirm = true;
                } else {
                    st.stale = true;
                    st.error = "다른 사람이 먼저 이 기사를 수정했습니다 (현재 버전 " +
                               std::to_string(current.version) +
                               "). 입력한 내용을 복사해 두고 새로 고친 뒤 다시 반영해 주세요.";
                }
            }
            return editor_page(s, ctx, req, st, http_status(e.code));
        }
        saved = std::move(*r);
        if (saved.status == ArticleStatus::published) notify_change(s, saved.id);
    }

    std::string notice = "saved";
    Result<news::Article> step = saved;
    if (intent == "submit") {
        step = s.newsroom->submit(ctx.actor, saved.id);
        notice = "submitted";
    } else if (intent == "publish") {
        step = s.newsroom->publish(ctx.actor, saved.id);
        notice = "published";
    } else if (intent == "schedule") {
        step = s.newsroom->publish(ctx.actor, saved.id, at);
        notice = "scheduled";
    }
    if (!step) {
        // The text was saved; the workflow step was refused: show the saved article and why.
        EditorState again;
        again.stored = &saved;
        again.input = news::ArticleInput::of(saved);
        again.version = saved.version;
        again.error = step.error().message;
        again.publish_at = st.publish_at;
        return editor_page(s, ctx, req, again, http_status(step.error().code));
    }
    if (intent == "publish") notify_change(s, saved.id);
    return Response::redirect(
        303, "/admin/articles/" + std::to_string(saved.id) + "/edit?notice=" + notice);
}

Response unpublish_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    auto id = parse_id(req.param("id"));
    if (!id) return admin_error(s, &ctx, req, 404, "기사를 찾을 수 없습니다.");
    auto r =
        s.newsroom->unpublish(ctx.actor, *id, std::string(text::trim(form_str(form, "reason"))));
    if (!r) return admin_error(s, &ctx, req, r.error());
    notify_change(s, *id);
    return Response::redirect(
        303, "/admin/articles/" + std::to_string(*id) + "/edit?notice=unpublished");
}

Response correct_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    auto id = parse_id(req.param("id"));
    if (!id) return admin_error(s, &ctx, req, 404, "기사를 찾을 수 없습니다.");
    auto type = news::parse_correction_type(form_str(form, "type"));
    if (!type)
        return admin_error(s, &ctx, req, 400, "정정 종류(정정·반론·추후보도)를 골라 주세요.");
    news::Correction c;
    c.type = *type;
    c.text = std::string(text::trim(form_str(form, "text")));
    if (c.text.empty()) return admin_error(s, &ctx, req, 400, "정정 내용을 입력해 주세요.");
    auto r = s.newsroom->correct(ctx.actor, *id, c);
    if (!r) return admin_error(s, &ctx, req, r.error());
    notify_change(s, *id);
    return Response::redirect(303,
                              "/admin/articles/" + std::to_string(*id) + "/edit?notice=corrected");
}

// Autosave of a draft: the editor form urlencoded (navigator.sendBeacon cannot set headers, so the
// CSRF token comes in the body). Answers {"saved":true,"version":N} or {"saved":false,"reason":…}
// for articles that are not drafts (those are never saved behind the editor's back).
Response autosave_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    auto id = parse_id(req.param("id"));
    auto reply = [](int status, json::object o) {
        Response r = Response::json(status, json::serialize(o));
        no_store(r);
        return r;
    };
    if (!id)
        return reply(
            404, json::object{{"error", json::object{{"code", "not_found"},
                                                     {"message", "기사를 찾을 수 없습니다."}}}});
    auto current = s.newsroom->article(ctx.actor, *id);
    if (!current)
        return Response::json(http_status(current.error().code), error_json(current.error()));
    if (current->status != ArticleStatus::draft)
        return reply(200, json::object{{"saved", false},
                                       {"reason", "초안만 자동 저장합니다."},
                                       {"version", current->version}});
    auto expected = parse_version(form_str(form, "version"));
    if (!expected)
        return Response::json(400,
                              error_json(make_error(Errc::invalid_input, "기사 버전이 없습니다.")));
    news::ArticleInput in = input_from_form(form, &*current);
    if (!changes(in, *current) && *expected == current->version)
        return reply(
            200, json::object{{"saved", true}, {"version", current->version}, {"unchanged", true}});
    auto r = s.newsroom->update(ctx.actor, *id, in, *expected, false);
    if (!r) return Response::json(http_status(r.error().code), error_json(r.error()));
    return reply(200, json::object{{"saved", true},
                                   {"version", r->version},
                                   {"saved_at", kst::format_hms(s.clock->now_ms())}});
}

// The live preview: the reader's article markup for the form's current content, rendered by the
// reader Renderer itself, so it is exactly what the article page will show.
Response preview_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    SINMUN_ADMIN_SESSION(ctx, true, form_str(form, "csrf"));
    std::optional<news::Article> current;
    if (auto v = form_str(form, "id"); !v.empty() && v != "0") {
        auto id = parse_id(v);
        if (!id) return admin_error(s, &ctx, req, 400, "기사 번호가 잘못되었습니다.");
        auto a = s.newsroom->article(ctx.actor, *id);
        if (!a) return admin_error(s, &ctx, req, a.error());
        current = std::move(*a);
    }
    news::ArticleInput in = input_from_form(form, current ? &*current : nullptr);
    if (in.section_id == 0) {  // a new form before a section is chosen: preview under the first
        if (auto secs = s.newsroom->sections(); secs && !secs->empty())
            in.section_id = secs->front().id;
    }
    auto preview = s.newsroom->preview_article(ctx.actor, in);
    if (!preview) {
        Response r = Response::html(200, "<p class=\"preview-error\">" +
                                             text::html_escape(preview.error().message) + "</p>");
        no_store(r);
        return r;
    }
    if (current) {
        preview->id = current->id;
        preview->corrections = current->corrections;
        if (current->published_at) preview->published_at = current->published_at;
    }
    render::ArticleView v;
    std::shared_ptr<const SiteCache::Data> site;
    news::SiteSettings settings;
    if (s.site) {
        site = s.site->get();
        if (site) {
            v.frame.settings = &site->settings;
            v.frame.sections = site->sections;
        }
    }
    if (!v.frame.settings) {
        if (auto st = s.db->settings().site_settings()) settings = *st;
        v.frame.settings = &settings;
    }
    if (auto secs = s.newsroom->sections())
        for (const auto& sec : *secs)
            if (sec.id == preview->section_id) v.section = sec;
    v.frame.now_ms = s.clock->now_ms();
    v.article = std::move(*preview);
    std::string page = s.reader_renderer->article(v);
    // The <article> element alone: the page's layout (masthead, widgets) is not the preview.
    std::string fragment;
    const auto start = page.find("<article class=\"article\"");
    const auto end = page.rfind("</article>");
    if (start != std::string::npos && end != std::string::npos && end > start)
        fragment = page.substr(start, end + 10 - start);
    Response r = Response::html(200, std::move(fragment));
    no_store(r);
    return r;
}

// Photo upload (multipart/form-data: csrf, photo, caption, alt, credit). The media pipeline
// checks and re-encodes the file; the photo is attached to the article at its current version.
Response photo_upload_post(AdminServices& s, Request& req) {
    MultipartLimits limits;
    limits.max_file_bytes = s.upload_limits.max_bytes + 1;  // the pipeline words the refusal
    auto parts = parse_multipart(req.header("Content-Type"), req.body, limits);
    std::string token;
    if (parts)
        if (const auto* p = find_part(*parts, "csrf")) token = p->data;
    SINMUN_ADMIN_SESSION(ctx, true, token);
    if (!parts) return admin_error(s, &ctx, req, parts.error());
    auto loaded = load_article(s, ctx, req);
    if (auto* r = std::get_if<Response>(&loaded)) return std::move(*r);
    news::Article current = std::move(std::get<news::Article>(loaded));
    // Check the permission before the (costly) image work.
    if (auto perm = news::check_permission(ctx.actor, news::Action::edit, &current); !perm)
        return admin_error(s, &ctx, req, perm.error());
    const MultipartPart* file = find_part(*parts, "photo");
    if (!file || !file->filename || file->data.empty())
        return admin_error(s, &ctx, req, 400, "올릴 사진 파일을 골라 주세요.");
    auto processed = media::process_upload(file->data, s.media_dir, s.upload_limits, *s.clock);
    if (!processed) return admin_error(s, &ctx, req, processed.error());
    news::Photo photo = processed->photo;
    photo.id = 0;
    auto field = [&](std::string_view name) {
        const auto* p = find_part(*parts, name);
        return p ? std::string(text::trim(p->data)) : std::string();
    };
    photo.caption = field("caption");
    photo.alt = field("alt");
    photo.credit = field("credit");
    news::ArticleInput in = news::ArticleInput::of(current);
    in.photos.push_back(photo);
    auto saved = s.newsroom->update(ctx.actor, current.id, in, current.version, false);
    if (!saved) return admin_error(s, &ctx, req, saved.error());
    if (saved->status == ArticleStatus::published) notify_change(s, saved->id);
    const news::Photo* added = nullptr;
    for (const auto& p : saved->photos) {
        bool known = std::any_of(current.photos.begin(), current.photos.end(),
                                 [&](const news::Photo& q) { return q.id == p.id; });
        if (!known) added = &p;
    }
    if (!wants_json(req))
        return Response::redirect(
            303, "/admin/articles/" + std::to_string(saved->id) + "/edit?notice=photo");
    json::object o;
    o["version"] = saved->version;
    o["photo"] = added ? json::value(photo_json(*added)) : json::value(nullptr);
    if (added) o["markdown"] = "![" + added->alt + "](photo:" + std::to_string(added->id) + ")";
    Response r = Response::json(201, json::serialize(o));
    no_store(r);
    return r;
}

}  // namespace sinmun::web::admin
