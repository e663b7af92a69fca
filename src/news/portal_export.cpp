#include "news/portal_export.hpp"
#include "news/try.hpp"

#include <array>
#include <map>
#include <optional>

#include "core/kst.hpp"

namespace sinmun::news {

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

namespace {

// "YYYY-MM-DD" → (y, m, d), checked.
std::optional<std::array<int, 3>> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto num = [&](std::size_t pos, std::size_t len) {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    // Round-trip through KST to refuse 2026-02-30 and the like.
    const auto civil = kst::to_kst(kst::from_kst(y, m, d));
    if (civil.year != y || civil.month != m || civil.day != d) return std::nullopt;
    return std::array<int, 3>{y, m, d};
}

std::string trim_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

Result<std::string> portal_csv(store::Database& db, std::string_view from_date,
                               std::string_view to_date) {
    const auto from = parse_date(from_date);
    const auto to = parse_date(to_date);
    if (!from || !to)
        return make_error(Errc::invalid_input, "날짜는 YYYY-MM-DD 형식이어야 합니다: '" +
                                                   std::string(from ? to_date : from_date) + "'");
    const std::int64_t from_ms = kst::from_kst((*from)[0], (*from)[1], (*from)[2]);
    // Inclusive end date: up to the next KST midnight.
    const std::int64_t to_ms = kst::from_kst((*to)[0], (*to)[1], (*to)[2]) + 24LL * 3600 * 1000;
    if (from_ms >= to_ms)
        return make_error(Errc::invalid_input, "시작 날짜가 끝 날짜보다 늦습니다.");

    NEWS_TRY(settings, db.settings().site_settings());
    NEWS_TRY(sections, db.articles().sections());
    NEWS_TRY(rows, db.articles().published_between(from_ms, to_ms));
    std::map<std::int64_t, std::string> section_names;
    for (const auto& s : sections) section_names[s.id] = s.name;
    const std::string base = trim_slash(settings.site_url);

    std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: Excel then reads Hangul correctly
    out += "링크,제목,기자,입력,섹션\r\n";
    for (const auto& a : rows) {
        std::string reporters;
        for (const auto& n : a.author_names) {
            if (!reporters.empty()) reporters += ", ";
            reporters += n;
        }
        out += csv_field(base + a.url_path());
        out += ',';
        out += csv_field(a.headline);
        out += ',';
        out += csv_field(reporters);
        out += ',';
        out += csv_field(kst::format_minute(a.published_at));
        out += ',';
        out += csv_field(section_names[a.section_id]);
        out += "\r\n";
    }
    return out;
}

}  // namespace sinmun::news
