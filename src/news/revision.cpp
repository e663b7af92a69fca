#include "news/revision.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <unordered_map>

namespace sinmun::news {
namespace {

void put_field(std::string& out, std::string_view v) {
    out += std::to_string(v.size());
    out += ':';
    out += v;
}

// Reads "<len>:<bytes>" at pos; nullopt on anything malformed.
std::optional<std::string_view> get_field(std::string_view in, std::size_t& pos) {
    std::size_t len = 0;
    const char* begin = in.data() + pos;
    const char* end = in.data() + in.size();
    auto [p, ec] = std::from_chars(begin, end, len);
    if (ec != std::errc() || p == end || *p != ':') return std::nullopt;
    const std::size_t start = static_cast<std::size_t>(p - in.data()) + 1;
    if (len > in.size() - start) return std::nullopt;
    pos = start + len;
    return in.substr(start, len);
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// Code points of valid UTF-8 (invalid bytes are taken as themselves: never throws).
std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        if (i + n > s.size()) n = 1;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    return out;
}

std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
    while (i < s.size()) {
        while (i < s.size() && space(s[i])) ++i;
        std::size_t j = i;
        while (j < s.size() && !space(s[j])) ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

void push(std::vector<DiffOp>& ops, DiffOp::Kind k, std::string_view word) {
    if (!ops.empty() && ops.back().kind == k) {
        ops.back().text += ' ';
        ops.back().text += word;
        return;
    }
    ops.push_back({k, std::string(word)});
}

std::string join_ids(const std::vector<std::int64_t>& ids) {
    std::string out;
    for (auto id : ids) {
        if (!out.empty()) out += ',';
        out += std::to_string(id);
    }
    return out;
}

}  // namespace

std::string encode_content(const RevisionContent& c) {
    std::string out = "r2;";
    put_field(out, std::to_string(c.section_id));
    put_field(out, join_ids(c.author_ids));
    put_field(out, c.label);
    put_field(out, c.headline);
    put_field(out, c.subtitle);
    // The body last and without a length prefix (it runs to the end), so an edit in the body
    // leaves everything before the edit as the delta's common prefix.
    out += c.body_md;
    return out;
}

std::optional<RevisionContent> decode_content(std::string_view bytes) {
    if (bytes.substr(0, 3) != "r2;") return std::nullopt;
    std::size_t pos = 3;
    std::string_view f[6];
    for (int i = 0; i < 5; ++i) {
        auto got = get_field(bytes, pos);
        if (!got) return std::nullopt;
        f[i] = *got;
    }
    f[5] = bytes.substr(pos);
    RevisionContent c;
    auto section = to_int(f[0]);
    if (!section) return std::nullopt;
    c.section_id = *section;
    std::string_view ids = f[1];
    while (!ids.empty()) {
        const auto comma = ids.find(',');
        auto id = to_int(ids.substr(0, comma));
        if (!id) return std::nullopt;
        c.author_ids.push_back(*id);
        if (comma == std::string_view::npos) break;
        ids.remove_prefix(comma + 1);
    }
    c.label = f[2];
    c.headline = f[3];
    c.subtitle = f[4];
    c.body_md = f[5];
    return c;
}

std::string make_delta(std::string_view newer, std::string_view older) {
    const std::size_t max_common = std::min(newer.size(), older.size());
    std::size_t p = 0;
    while (p < max_common && newer[p] == older[p]) ++p;
    std::size_t s = 0;
    while (s < max_common - p && newer[newer.size() - 1 - s] == older[older.size() - 1 - s]) ++s;
    std::string out = std::to_string(p) + ':' + std::to_string(s) + ':';
    out += older.substr(p, older.size() - p - s);
    return out;
}

std::optional<std::string> apply_delta(std::string_view newer, std::string_view delta) {
    std::size_t p = 0, s = 0;
    const char* end = delta.data() + delta.size();
    auto r1 = std::from_chars(delta.data(), end, p);
    if (r1.ec != std::errc() || r1.ptr == end || *r1.ptr != ':') return std::nullopt;
    auto r2 = std::from_chars(r1.ptr + 1, end, s);
    if (r2.ec != std::errc() || r2.ptr == end || *r2.ptr != ':') return std::nullopt;
    if (p > newer.size() || s > newer.size() - p) return std::nullopt;
    std::string out(newer.substr(0, p));
    out.append(r2.ptr + 1, end);
    out += newer.substr(newer.size() - s);
    return out;
}

double similarity(std::string_view a, std::string_view b) {
    if (a == b) return 1.0;
    const auto ca = code_points(a);
    const auto cb = code_points(b);
    if (ca.size() < 2 || cb.size() < 2) return 0.0;
    auto key = [](char32_t x, char32_t y) {
        return (static_cast<std::uint64_t>(x) << 32) | static_cast<std::uint64_t>(y);
    };
    std::unordered_map<std::uint64_t, std::int64_t> counts;
    counts.reserve(ca.size());
    for (std::size_t i = 0; i + 1 < ca.size(); ++i) ++counts[key(ca[i], ca[i + 1])];
    std::int64_t common = 0;
    for (std::size_t i = 0; i + 1 < cb.size(); ++i) {
        auto it = counts.find(key(cb[i], cb[i + 1]));
        if (it != counts.end() && it->second > 0) {
            --it->second;
            ++common;
        }
    }
    const auto total = static_cast<double>(ca.size() - 1 + cb.size() - 1);
    return 2.0 * static_cast<double>(common) / total;
}

std::vector<std::string> changed_fields(const RevisionContent& before,
                                        const RevisionContent& after) {
    std::vector<std::string> out;
    if (before.section_id != after.section_id) out.push_back("section");
    if (before.headline != after.headline) out.push_back("headline");
    if (before.subtitle != after.subtitle) out.push_back("subtitle");
    if (before.label != after.label) out.push_back("label");
    if (before.body_md != after.body_md) out.push_back("body");
    if (before.author_ids != after.author_ids) out.push_back("authors");
    return out;
}

const char* to_string(DiffOp::Kind k) {
    switch (k) {
        case DiffOp::Kind::equal:
            return "equal";
        case DiffOp::Kind::insert:
            return "insert";
        case DiffOp::Kind::remove:
            return "delete";
    }
    return "equal";
}

// Common prefix and suffix first (most edits are local), then a longest-common-subsequence table
// over the words in between. A middle too large for the table (over 4 million cells: two very
// different 200 KB bodies) is shown as one deletion and one insertion, which is still correct.
std::vector<DiffOp> word_diff(std::string_view before, std::string_view after) {
    const auto a = split_words(before);
    const auto b = split_words(after);
    std::vector<DiffOp> ops;
    std::size_t p = 0;
    while (p < a.size() && p < b.size() && a[p] == b[p]) ++p;
    std::size_t s = 0;
    while (s < a.size() - p && s < b.size() - p && a[a.size() - 1 - s] == b[b.size() - 1 - s]) ++s;
    for (std::size_t i = 0; i < p; ++i) push(ops, DiffOp::Kind::equal, a[i]);
    const std::size_t n = a.size() - p - s, m = b.size() - p - s;
    if (n > 0 && m > 0 && n * m <= 4'000'000) {
        // lcs[i][j]: LCS length of a[p+i..] and b[p+j..].
        std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
            return lcs[i * (m + 1) + j];
        };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                at(i, j) = a[p + i] == b[p + j] ? at(i + 1, j + 1) + 1
                                                : std::max(at(i + 1, j), at(i, j + 1));
        std::size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[p + i] == b[p + j]) {
                push(ops, DiffOp::Kind::equal, a[p + i]);
                ++i, ++j;
            } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
                // Deletions before insertions: "- old + new" reads naturally.
                push(ops, DiffOp::Kind::remove, a[p + i]);
                ++i;
            } else {
                push(ops, DiffOp::Kind::insert, b[p + j]);
                ++j;
            }
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) push(ops, DiffOp::Kind::remove, a[p + i]);
        for (std::size_t j = 0; j < m; ++j) push(ops, DiffOp::Kind::insert, b[p + j]);
    }
    for (std::size_t i = a.size() - s; i < a.size(); ++i) push(ops, DiffOp::Kind::equal, a[i]);
    return ops;
}

RevisionDiff diff_revisions(const Revision& from, const Revision& to) {
    RevisionDiff d;
    d.from = from.number;
    d.to = to.number;
    auto field = [&](const char* name, const std::string& x, const std::string& y) {
        d.fields.push_back({name, word_diff(x, y), x != y});
    };
    field("headline", from.content.headline, to.content.headline);
    field("subtitle", from.content.subtitle, to.content.subtitle);
    field("body", from.content.body_md, to.content.body_md);
    return d;
}

}  // namespace sinmun::news
