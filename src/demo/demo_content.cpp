#include "demo/demo_content.hpp"

#include "core/text.hpp"
#include "demo/demo_photos.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <set>

namespace sinmun::demo {
namespace {

// Splits on '\n', dropping a trailing '\r' from each line.
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (end == text.size()) break;
        start = end + 1;
    }
    return lines;
}

std::vector<std::string> split_fields(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t pos = s.find(sep, start);
        out.emplace_back(
            text::trim(s.substr(start, pos == std::string_view::npos ? pos : pos - start)));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

Error bad(std::string_view file, std::size_t line, std::string_view what) {
    std::string msg = "demo/" + std::string(file);
    if (line > 0) msg += ":" + std::to_string(line);
    msg += ": ";
    msg += what;
    return make_error(Errc::invalid_input, std::move(msg));
}

bool parse_int(std::string_view s, long long& out) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

bool parse_number(std::string_view s, double& out) {
    if (s.empty()) return false;
    std::string tmp(s);
    char* end = nullptr;
    out = std::strtod(tmp.c_str(), &end);
    return end == tmp.c_str() + tmp.size();
}

std::string nfc_line(std::string_view s) { return text::nfc(text::trim(s)); }

std::string_view file_named(std::string_view path) {
    for (const auto& f : embedded_files())
        if (f.path == path) return f.data;
    return {};
}

// Non-comment, non-blank lines of a list file, with their line numbers.
std::vector<std::pair<std::size_t, std::string_view>> list_lines(std::string_view data) {
    std::vector<std::pair<std::size_t, std::string_view>> out;
    const auto lines = split_lines(data);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view t = text::trim(lines[i]);
        if (t.empty() || t.front() == '#') continue;
        out.emplace_back(i + 1, t);
    }
    return out;
}

}  // namespace

Result<DemoArticle> parse_article(std::string_view file, std::string_view data) {
    DemoArticle a;
    a.file = std::string(file);
    // "articles/<slug>/<stem>.md"; photo names are "<slug>-<stem>-<k>".
    const auto parts = split_fields(file, '/');
    if (parts.size() != 3 || parts[0] != "articles" || parts[1].empty() || parts[2].size() < 4 ||
        !parts[2].ends_with(".md"))
        return bad(file, 0, "article files live at articles/<section>/<name>.md");
    a.section_slug = parts[1];
    const std::string stem = parts[2].substr(0, parts[2].size() - 3);

    if (!text::is_valid_utf8(data)) return bad(file, 0, "not valid UTF-8");
    const auto lines = split_lines(data);
    if (lines.empty() || text::trim(lines[0]) != "---")
        return bad(file, 1, "expected front matter opening with '---'");

    std::set<std::string> seen;
    bool have_hours = false;
    std::size_t i = 1;
    for (; i < lines.size(); ++i) {
        const std::string_view line = text::trim(lines[i]);
        if (line == "---") break;
        if (line.empty() || line.front() == '#') continue;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return bad(file, i + 1, "expected 'key: value'");
        const std::string key(text::trim(line.substr(0, colon)));
        const std::string_view value = text::trim(line.substr(colon + 1));
        if (key != "photo" && !seen.insert(key).second)
            return bad(file, i + 1, "key '" + key + "' given twice");
        if (value.empty()) return bad(file, i + 1, "empty value for '" + key + "'");

        if (key == "headline") {
            a.headline = nfc_line(value);
        } else if (key == "subtitle") {
            a.subtitle = nfc_line(value);
        } else if (key == "label") {
            a.label = nfc_line(value);
        } else if (key == "authors") {
            for (auto& name : split_fields(value, ',')) {
                if (name.empty()) return bad(file, i + 1, "empty author name");
                a.authors.push_back(text::nfc(name));
            }
        } else if (key == "hours_ago") {
            if (!parse_number(value, a.hours_ago) || a.hours_ago < 0 || a.hours_ago > 24 * 30)
                return bad(file, i + 1, "hours_ago must be a number of hours between 0 and 720");
            have_hours = true;
        } else if (key == "updated_minutes_after") {
            long long v = 0;
            if (!parse_int(value, v) || v <= 0 || v > 24 * 60 * 7)
                return bad(file, i + 1, "updated_minutes_after must be 1..10080");
            a.updated_minutes_after = static_cast<int>(v);
        } else if (key == "pin") {
            long long v = 0;
            if (!parse_int(value, v) || v < 1 || v > 10)
                return bad(file, i + 1, "pin must be 1..10");
            a.pin = static_cast<int>(v);
        } else if (key == "views") {
            long long v = 0;
            if (!parse_int(value, v) || v < 0) return bad(file, i + 1, "views must be >= 0");
            a.views = v;
        } else if (key == "photo") {
            const auto f = split_fields(value, '|');
            if (f.size() != 4) return bad(file, i + 1, "photo: scene | caption | alt | credit");
            if (!is_known_scene(f[0]))
                return bad(file, i + 1, "unknown photo scene '" + f[0] + "'");
            for (std::size_t k = 1; k < 4; ++k)
                if (f[k].empty())
                    return bad(file, i + 1, "photo caption, alt and credit are required");
            DemoPhoto p;
            p.name = a.section_slug + "-" + stem + "-" + std::to_string(a.photos.size() + 1);
            p.scene = f[0];
            p.caption = text::nfc(f[1]);
            p.alt = text::nfc(f[2]);
            p.credit = text::nfc(f[3]);
            a.photos.push_back(std::move(p));
        } else {
            return bad(file, i + 1, "unknown key '" + key + "'");
        }
    }
    if (i >= lines.size()) return bad(file, 0, "front matter never closed with '---'");
    if (a.headline.empty()) return bad(file, 0, "missing headline");
    if (a.authors.empty()) return bad(file, 0, "missing authors");
    if (!have_hours) return bad(file, 0, "missing hours_ago");
    if (a.photos.empty()) return bad(file, 0, "at least one photo is required");

    std::string body;
    for (std::size_t k = i + 1; k < lines.size(); ++k) {
        body.append(lines[k]);
        body.push_back('\n');
    }
    const std::string_view trimmed = text::trim(body);
    if (trimmed.empty()) return bad(file, 0, "empty body");
    a.body_md = text::nfc(trimmed);
    a.body_md.push_back('\n');

    // Every reference must name an existing photo; a check with the real rewrite.
    std::vector<std::int64_t> ids(a.photos.size());
    for (std::size_t k = 0; k < ids.size(); ++k) ids[k] = static_cast<std::int64_t>(k + 1);
    auto checked = rewrite_photo_refs(a.body_md, ids);
    if (!checked) return bad(file, 0, checked.error().message);
    return a;
}

Result<std::string> rewrite_photo_refs(std::string_view body, std::span<const std::int64_t> ids) {
    static constexpr std::string_view kRef = "(photo:";
    std::string out;
    out.reserve(body.size() + 16);
    std::size_t pos = 0;
    for (;;) {
        const std::size_t at = body.find(kRef, pos);
        if (at == std::string_view::npos) break;
        const std::size_t num_start = at + kRef.size();
        const std::size_t close = body.find(')', num_start);
        if (close == std::string_view::npos)
            return make_error(Errc::invalid_input, "unterminated photo reference");
        long long n = 0;
        if (!parse_int(body.substr(num_start, close - num_start), n) || n < 1 ||
            static_cast<std::size_t>(n) > ids.size())
            return make_error(Errc::invalid_input,
                              "photo reference '" + std::string(body.substr(at, close - at + 1)) +
                                  "' does not name one of the " + std::to_string(ids.size()) +
                                  " photo(s)");
        out.append(body.substr(pos, num_start - pos));
        out.append(std::to_string(ids[static_cast<std::size_t>(n - 1)]));
        out.push_back(')');
        pos = close + 1;
    }
    out.append(body.substr(pos));
    return out;
}

std::size_t count_paragraphs(std::string_view body) {
    std::size_t n = 0;
    bool in_block = false;
    for (std::string_view line : split_lines(body)) {
        const bool blank = text::trim(line).empty();
        if (!blank && !in_block) ++n;
        in_block = !blank;
    }
    return n;
}

Result<std::vector<DemoSection>> load_sections() {
    const std::string_view data = file_named("sections.txt");
    if (data.empty()) return bad("sections.txt", 0, "missing or empty");
    std::vector<DemoSection> out;
    for (const auto& [line, t] : list_lines(data)) {
        const auto f = split_fields(t, '|');
        if (f.size() != 3 || f[0].empty() || f[1].empty() || f[2].size() != 7 || f[2][0] != '#')
            return bad("sections.txt", line, "expected 'slug | 이름 | #rrggbb'");
        DemoSection s;
        s.slug = f[0];
        s.name = text::nfc(f[1]);
        s.position = static_cast<int>(out.size()) + 1;
        s.color = static_cast<std::uint32_t>(std::strtoul(f[2].c_str() + 1, nullptr, 16));
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::vector<DemoAuthor>> load_authors() {
    const std::string_view data = file_named("authors.txt");
    if (data.empty()) return bad("authors.txt", 0, "missing or empty");
    std::vector<DemoAuthor> out;
    for (const auto& [line, t] : list_lines(data)) {
        const auto f = split_fields(t, '|');
        if (f.size() != 2 || f[0].empty() || f[1].find('@') == std::string::npos)
            return bad("authors.txt", line, "expected '이름 | email'");
        out.push_back(DemoAuthor{text::nfc(f[0]), f[1]});
    }
    return out;
}

Result<std::vector<DemoArticle>> load_articles() {
    auto sections = load_sections();
    if (!sections) return sections.error();
    auto authors = load_authors();
    if (!authors) return authors.error();

    std::vector<DemoArticle> out;
    for (const auto& f : embedded_files()) {
        if (!f.path.starts_with("articles/")) continue;
        auto a = parse_article(f.path, f.data);
        if (!a) return a.error();
        const bool known_section =
            std::any_of(sections->begin(), sections->end(),
                        [&](const auto& s) { return s.slug == a->section_slug; });
        if (!known_section)
            return bad(f.path, 0, "section '" + a->section_slug + "' not in sections.txt");
        for (const auto& name : a->authors) {
            const bool known = std::any_of(authors->begin(), authors->end(),
                                           [&](const auto& au) { return au.name == name; });
            if (!known) return bad(f.path, 0, "author '" + name + "' not in authors.txt");
        }
        out.push_back(std::move(*a));
    }
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.file < y.file; });
    return out;
}

}  // namespace sinmun::demo
