#include "store/excerpt.hpp"

#include <cctype>

#include "core/text.hpp"

namespace sinmun::store {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// "![alt](target)" starting at i: returns the index just past it, or npos.
std::size_t skip_image(std::string_view s, std::size_t i) {
    if (s.substr(i, 2) != "![") return std::string_view::npos;
    const auto close = s.find("](", i + 2);
    if (close == std::string_view::npos) return std::string_view::npos;
    const auto end = s.find(')', close + 2);
    if (end == std::string_view::npos) return std::string_view::npos;
    return end + 1;
}

// A line made only of images (and whitespace): a photo placement, not text.
bool is_image_only(std::string_view line) {
    std::size_t i = 0;
    bool any = false;
    while (i < line.size()) {
        if (is_space(line[i])) {
            ++i;
            continue;
        }
        const auto next = skip_image(line, i);
        if (next == std::string_view::npos) return false;
        any = true;
        i = next;
    }
    return any;
}

bool is_rule_or_table_delimiter(std::string_view line) {
    // "---", "***", "___", "|---|:--:|": only these characters and spaces.
    bool any = false;
    for (char c : line) {
        if (c == '-' || c == '*' || c == '_' || c == '=')
            any = true;
        else if (c != '|' && c != ':' && !is_space(c))
            return false;
    }
    return any;
}

std::string_view strip_block_markers(std::string_view line) {
    line = text::trim(line);
    // Quotes may nest: "> > text".
    while (!line.empty() && line.front() == '>') line = text::trim(line.substr(1));
    if (!line.empty() && line.front() == '#') {
        std::size_t n = 0;
        while (n < line.size() && line[n] == '#') ++n;
        if (n <= 6 && (n == line.size() || is_space(line[n]))) line = text::trim(line.substr(n));
    }
    if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') &&
        is_space(line[1]))
        line = text::trim(line.substr(2));
    std::size_t d = 0;
    while (d < line.size() && d < 9 && line[d] >= '0' && line[d] <= '9') ++d;
    if (d > 0 && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') && is_space(line[d + 1]))
        line = text::trim(line.substr(d + 2));
    return line;
}

// Inline markup: images dropped, links reduced to their text, emphasis and code marks removed,
// backslash escapes resolved, table pipes turned into spaces.
void append_inline(std::string& out, std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (c == '\\' && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0x80 &&
            std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
            out += s[i + 1];
            i += 2;
        } else if (c == '!' && s.substr(i, 2) == "![") {
            const auto next = skip_image(s, i);
            if (next == std::string_view::npos) {
                out += c;
                ++i;
            } else {
                i = next;
            }
        } else if (c == '[') {
            const auto close = s.find("](", i + 1);
            const auto end = close == std::string_view::npos ? close : s.find(')', close + 2);
            if (end != std::string_view::npos) {
                append_inline(out, s.substr(i + 1, close - i - 1));
                i = end + 1;
            } else {
                out += c;
                ++i;
            }
        } else if (c == '*' || c == '`' || (c == '~' && s.substr(i, 2) == "~~")) {
            i += (c == '~') ? 2 : 1;
        } else if (c == '_' && s.substr(i, 2) == "__") {
            i += 2;
        } else if (c == '|') {
            out += ' ';
            ++i;
        } else if (c == '<' && (s.substr(i, 8) == "<http://" || s.substr(i, 9) == "<https://")) {
            const auto end = s.find('>', i);
            if (end == std::string_view::npos) {
                out += c;
                ++i;
            } else {
                out.append(s.substr(i + 1, end - i - 1));
                i = end + 1;
            }
        } else {
            out += c;
            ++i;
        }
    }
}

}  // namespace

std::string make_excerpt(std::string_view body_md, std::size_t max_chars) {
    std::string raw;
    bool in_fence = false;
    std::size_t pos = 0;
    while (pos <= body_md.size()) {
        auto nl = body_md.find('\n', pos);
        if (nl == std::string_view::npos) nl = body_md.size();
        std::string_view line = body_md.substr(pos, nl - pos);
        pos = nl + 1;

        const auto trimmed = text::trim(line);
        if (trimmed.substr(0, 3) == "```" || trimmed.substr(0, 3) == "~~~") {
            in_fence = !in_fence;
            continue;
        }
        if (in_fence || trimmed.empty() || is_image_only(trimmed) ||
            is_rule_or_table_delimiter(trimmed))
            continue;
        if (!raw.empty()) raw += ' ';
        append_inline(raw, strip_block_markers(trimmed));
        // Enough text gathered: no need to scan a long body to the end.
        if (raw.size() > max_chars * 4 + 16) break;
    }
    // Collapse runs of whitespace to one space.
    std::string collapsed;
    collapsed.reserve(raw.size());
    for (char c : raw) {
        if (is_space(c) || c == '\n') {
            if (!collapsed.empty() && collapsed.back() != ' ') collapsed += ' ';
        } else {
            collapsed += c;
        }
    }
    while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    std::string out = text::utf8_truncate(collapsed, max_chars);
    // "끝 …" reads badly: keep the ellipsis against the last word.
    static constexpr std::string_view kSpaceEllipsis = " …";
    if (out != collapsed && out.ends_with(kSpaceEllipsis))
        out.erase(out.size() - kSpaceEllipsis.size(), 1);
    return out;
}

}  // namespace sinmun::store
