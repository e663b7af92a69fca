#include "news/import.hpp"
#include "news/try.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "core/kst.hpp"
#include "core/text.hpp"
#include "news/newsroom.hpp"

namespace sinmun::news {
namespace {

using store::ImportItem;

constexpr std::size_t kMaxLineBytes = 1024 * 1024;

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Reads an optional string member; an error message when it is present but not a string.
std::optional<std::string> string_member(const boost::json::object& o, std::string_view key,
                                         std::string& error) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return std::string();
    if (!it->value().is_string()) {
        error = "'" + std::string(key) + "'은(는) 문자열이어야 합니다";
        return std::nullopt;
    }
    const auto& s = it->value().get_string();
    if (!text::is_valid_utf8(std::string_view(s.data(), s.size()))) {
        error = "'" + std::string(key) + "'에 UTF-8이 아닌 글자가 있습니다";
        return std::nullopt;
    }
    return text::nfc(std::string_view(s.data(), s.size()));
}

class Importer {
public:
    Importer(store::Database& db, const Clock& clock, const ImportOptions& options)
        : db_(db), clock_(clock), options_(options) {}

    Status init() {
        NEWS_TRY(sections, db_.articles().sections());
        for (const auto& s : sections) sections_[s.slug] = s.id;
        NEWS_TRY(authors, db_.articles().authors());
        for (const auto& a : authors) remember(a);
        Newsroom room(db_, clock_);
        NEWS_TRY(labels, room.labels());
        labels_ = std::move(labels);
        return ok();
    }

    // Parses and validates one line; on success the item is queued for the next batch.
    // Returns the rejection reason, or "" when the line was accepted.
    Result<std::string> line(std::string_view raw) {
        if (raw.size() > kMaxLineBytes) return std::string("줄이 너무 깁니다 (1MB 초과)");
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(raw, ec);
        if (ec) return "JSON 형식이 잘못되었습니다: " + ec.message();
        if (!v.is_object()) return std::string("JSON 객체가 아닙니다");
        const auto& o = v.get_object();
        std::string err;
        auto title = string_member(o, "title", err);
        auto subtitle = title ? string_member(o, "subtitle", err) : std::nullopt;
        auto section = subtitle ? string_member(o, "section", err) : std::nullopt;
        auto body = section ? string_member(o, "body_md", err) : std::nullopt;
        auto published = body ? string_member(o, "published_at", err) : std::nullopt;
        auto status_text = published ? string_member(o, "status", err) : std::nullopt;
        auto external = status_text ? string_member(o, "external_id", err) : std::nullopt;
        if (!external) return err;

        ImportItem item;
        Article& a = item.article;
        a.headline = std::string(text::trim(*title));
        if (a.headline.empty()) return std::string("제목(title)이 비어 있습니다");
        if (text::utf8_length(a.headline) > kMaxHeadlineChars)
            return "제목이 " + std::to_string(kMaxHeadlineChars) + "자를 넘습니다";
        a.subtitle = std::string(text::trim(*subtitle));
        a.body_md = std::move(*body);
        if (a.body_md.size() > kMaxBodyBytes) return std::string("본문이 200KB를 넘습니다");
        auto sec = sections_.find(std::string(text::trim(*section)));
        if (section->empty()) return std::string("섹션(section)이 없습니다");
        if (sec == sections_.end()) return "알 수 없는 섹션 '" + *section + "'";
        a.section_id = sec->second;
        a.external_id = std::string(text::trim(*external));

        // Labels: "label": "단독" or "labels": ["단독"]; an article carries one 말머리.
        std::string label;
        if (auto it = o.find("labels"); it != o.end() && !it->value().is_null()) {
            if (!it->value().is_array()) return std::string("'labels'는 배열이어야 합니다");
            const auto& arr = it->value().get_array();
            if (arr.size() > 1) return std::string("말머리(labels)는 하나만 붙일 수 있습니다");
            if (!arr.empty()) {
                if (!arr[0].is_string()) return std::string("'labels'의 값은 문자열이어야 합니다");
                label = std::string(arr[0].get_string());
            }
        } else {
            auto l = string_member(o, "label", err);
            if (!l) return err;
            label = *l;
        }
        label = text::nfc(text::trim(label));
        if (!label.empty() && std::find(labels_.begin(), labels_.end(), label) == labels_.end())
            return "알 수 없는 말머리 '" + label + "'";
        a.label = label;

        const std::int64_t now = clock_.now_ms();
        std::optional<std::int64_t> published_at;
        if (!published->empty()) {
            published_at = kst::parse(*published);
            if (!published_at)
                return "published_at '" + *published + "'은(는) ISO 8601 시각이 아닙니다";
        }
        ArticleStatus status = published_at ? ArticleStatus::published : ArticleStatus::draft;
        if (!status_text->empty()) {
            auto s = parse_status(*status_text);
            if (!s || *s == ArticleStatus::scheduled)
                return "알 수 없는 상태 '" + *status_text +
                       "' (draft, review, published, unpublished 중 하나)";
            status = *s;
        }
        a.status = status;
        a.created_at = published_at.value_or(now);
        if (status == ArticleStatus::published || status == ArticleStatus::unpublished) {
            a.published_at = published_at.value_or(now);
            a.updated_at = a.published_at;
        }

        // Authors last: unknown ones are created, so only for lines that are otherwise good.
        std::vector<std::string> names;
        if (auto it = o.find("authors"); it != o.end() && !it->value().is_null()) {
            if (!it->value().is_array()) return std::string("'authors'는 배열이어야 합니다");
            for (const auto& n : it->value().get_array()) {
                if (!n.is_string()) return std::string("'authors'의 값은 문자열이어야 합니다");
                std::string_view sv(n.get_string().data(), n.get_string().size());
                if (!text::is_valid_utf8(sv)) return std::string("기자 이름이 UTF-8이 아닙니다");
                std::string name = text::nfc(text::trim(sv));
                if (!name.empty()) names.push_back(std::move(name));
            }
        }
        for (const auto& n : names) {
            NEWS_TRY(author, author_for(n));
            if (std::none_of(a.authors.begin(), a.authors.end(),
                             [&](const Author& x) { return x.id == author.id; }))
                a.authors.push_back(author);
        }

        item.revision.at = now;
        item.revision.user_id = options_.user_id;
        item.revision.actor = options_.actor;
        item.revision.action = "import";
        item.revision.status = a.status;
        item.revision.note = a.external_id.empty() ? "" : "external_id " + a.external_id;
        batch_.push_back(std::move(item));
        return std::string();
    }

    // Writes the queued items in one transaction.
    Status flush(ImportReport& report) {
        if (batch_.empty()) return ok();
        NEWS_TRY(ids, db_.articles().import_articles(batch_));
        for (const auto& id : ids) {
            if (id) {
                ++report.imported;
                report.ids.push_back(*id);
            } else {
                ++report.skipped;
            }
        }
        batch_.clear();
        return ok();
    }

    std::size_t pending() const { return batch_.size(); }

private:
    void remember(const Author& a) {
        if (!a.email.empty()) by_email_.emplace(lower_ascii(a.email), a);
        by_name_.emplace(a.name, a);
    }

    Result<Author> author_for(const std::string& key) {
        const bool email = key.find('@') != std::string::npos;
        if (email) {
            if (auto it = by_email_.find(lower_ascii(key)); it != by_email_.end())
                return it->second;
        } else if (auto it = by_name_.find(key); it != by_name_.end()) {
            return it->second;
        }
        Author a;
        a.name = email ? key.substr(0, key.find('@')) : key;
        a.email = email ? lower_ascii(key) : "";
        NEWS_TRY(id, db_.articles().save_author(a));
        a.id = id;
        remember(a);
        return a;
    }

    store::Database& db_;
    const Clock& clock_;
    const ImportOptions& options_;
    std::map<std::string, std::int64_t> sections_;
    std::map<std::string, Author> by_email_;
    std::map<std::string, Author> by_name_;
    std::vector<std::string> labels_;
    std::vector<ImportItem> batch_;
};

}  // namespace

Result<ImportReport> import_jsonl(store::Database& db, const Clock& clock, std::istream& in,
                                  const ImportOptions& options) {
    Importer importer(db, clock, options);
    NEWS_TRY_STATUS(importer.init());
    ImportReport report;
    ImportProgress progress;
    progress.total_bytes = options.total_bytes;
    const auto batch_size = static_cast<std::size_t>(std::max(1, options.batch_size));
    auto report_progress = [&] {
        if (!options.progress) return;
        progress.lines = report.lines;
        progress.imported = report.imported;
        progress.skipped = report.skipped;
        progress.rejected = static_cast<std::int64_t>(report.rejected.size());
        options.progress(progress);
    };
    auto flush = [&]() -> Status {
        if (auto st = importer.flush(report); !st)
            return make_error(st.error().code, "가져오기가 " + std::to_string(report.lines) +
                                                   "번째 줄 부근에서 멈췄습니다 (그 전 " +
                                                   std::to_string(report.imported) +
                                                   "건은 저장됨): " + st.error().message);
        report_progress();
        return ok();
    };

    std::string raw;
    while (std::getline(in, raw)) {
        ++report.lines;
        progress.bytes += static_cast<std::int64_t>(raw.size()) + 1;
        std::string_view line = raw;
        if (report.lines == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (text::trim(line).empty()) continue;
        NEWS_TRY(reason, importer.line(line));
        if (!reason.empty()) report.rejected.push_back({report.lines, reason});
        if (importer.pending() >= batch_size) NEWS_TRY_STATUS(flush());
    }
    NEWS_TRY_STATUS(flush());
    report_progress();
    return report;
}

}  // namespace sinmun::news
