#include "core/search_query.hpp"

#include <algorithm>

#include "core/search_tokens.hpp"
#include "core/text.hpp"

namespace sinmun::text {
namespace {

bool is_space(std::string_view s, std::size_t i, std::size_t& len) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        len = 1;
        return true;
    }
    // U+3000 IDEOGRAPHIC SPACE (Korean IMEs type it), U+00A0 NO-BREAK SPACE
    if (s.substr(i, 3) == "\xE3\x80\x80") {
        len = 3;
        return true;
    }
    if (s.substr(i, 2) == "\xC2\xA0") {
        len = 2;
        return true;
    }
    return false;
}

// Opening/closing quotes: " and “ ” (U+201C/U+201D). Returns the byte length, 0 if none.
std::size_t quote_at(std::string_view s, std::size_t i) {
    if (s[i] == '"') return 1;
    if (s.substr(i, 3) == "\xE2\x80\x9C" || s.substr(i, 3) == "\xE2\x80\x9D") return 3;
    return 0;
}

bool same_term(const SearchTerm& a, const SearchTerm& b) {
    return a.tokens == b.tokens && a.prefix == b.prefix;
}

std::size_t next_cp(std::string_view s, std::size_t i) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    return i;
}
std::size_t prev_cp(std::string_view s, std::size_t i) {
    if (i == 0) return 0;
    --i;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return i;
}

void append_marked(std::string& out, std::string_view text, std::size_t from, std::size_t to,
                   const std::vector<std::pair<std::size_t, std::size_t>>& spans) {
    std::size_t pos = from;
    for (auto [b, e] : spans) {
        if (e <= from || b >= to) continue;
        b = std::max(b, from);
        e = std::min(e, to);
        html_escape_append(out, text.substr(pos, b - pos));
        out += "<mark>";
        html_escape_append(out, text.substr(b, e - b));
        out += "</mark>";
        pos = e;
    }
    html_escape_append(out, text.substr(pos, to - pos));
}

}  // namespace

Result<SearchQuery> parse_search_query(std::string_view raw) {
    if (!is_valid_utf8(raw))
        return make_error(
            Errc::invalid_input,
            "검색어에 올바르지 않은 문자가 있습니다. UTF-8 글자로 다시 입력해 주세요.");
    SearchQuery q;
    q.normalized = std::string(trim(nfc(raw)));
    // Collapse every run of whitespace (including U+3000) to one space.
    {
        std::string collapsed;
        bool space = false;
        for (std::size_t i = 0; i < q.normalized.size();) {
            std::size_t len = 0;
            if (is_space(q.normalized, i, len)) {
                space = true;
                i += len;
                continue;
            }
            if (space && !collapsed.empty()) collapsed += ' ';
            space = false;
            collapsed += q.normalized[i++];
        }
        q.normalized = std::move(collapsed);
    }
    if (q.normalized.empty()) return make_error(Errc::invalid_input, "검색어를 입력해 주세요.");
    if (utf8_length(q.normalized) > kMaxQueryChars)
        return make_error(
            Errc::invalid_input,
            "검색어가 너무 깁니다. " + std::to_string(kMaxQueryChars) + "자 이내로 입력해 주세요.");

    // Split into words and quoted phrases.
    std::vector<std::pair<std::string, bool>> parts;  // text, quoted
    const std::string& s = q.normalized;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t len = 0;
        if (is_space(s, i, len)) {
            i += len;
            continue;
        }
        if (std::size_t ql = quote_at(s, i)) {
            std::size_t j = i + ql;
            std::size_t close_len = 0;
            std::size_t k = j;
            for (; k < s.size(); k = next_cp(s, k))
                if ((close_len = quote_at(s, k)) != 0) break;
            parts.emplace_back(s.substr(j, k - j), true);  // an unclosed quote runs to the end
            i = k < s.size() ? k + close_len : k;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && !is_space(s, j, len) && !quote_at(s, j)) j = next_cp(s, j);
        parts.emplace_back(s.substr(i, j - i), false);
        i = j;
    }

    std::size_t token_count = 0;
    for (auto& [part, quoted] : parts) {
        auto tokens = search_tokens(part);
        if (tokens.empty()) continue;  // a word of punctuation only
        SearchTerm t;
        t.quoted = quoted;
        t.text = part;
        t.prefix = tokens.back().syllable;
        for (auto& tok : tokens) t.tokens.push_back(std::move(tok.text));
        if (std::any_of(q.terms.begin(), q.terms.end(),
                        [&](const SearchTerm& o) { return same_term(o, t); }))
            continue;
        token_count += t.tokens.size();
        q.terms.push_back(std::move(t));
    }
    if (q.terms.empty())
        return make_error(Errc::invalid_input,
                          "검색할 수 있는 글자가 없습니다. 한글, 영문 또는 숫자로 입력해 주세요.");
    if (q.terms.size() > kMaxQueryTerms)
        return make_error(Errc::invalid_input, "검색어가 너무 많습니다. 단어 " +
                                                   std::to_string(kMaxQueryTerms) +
                                                   "개 이내로 입력해 주세요.");
    if (token_count > kMaxQueryTokens)
        return make_error(Errc::invalid_input,
                          "검색어가 너무 깁니다. 더 짧은 단어나 구절로 검색해 주세요.");
    return q;
}

std::vector<std::pair<std::size_t, std::size_t>> search_match_spans(std::string_view text,
                                                                    const SearchQuery& q) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    const auto doc = search_tokens(text);
    for (const auto& term : q.terms) {
        const std::size_t n = term.tokens.size();
        if (n == 0 || doc.size() < n) continue;
        for (std::size_t i = 0; i + n <= doc.size(); ++i) {
            bool match = true;
            for (std::size_t k = 0; k < n && match; ++k) {
                const auto& d = doc[i + k].text;
                const auto& t = term.tokens[k];
                if (k + 1 == n && term.prefix)
                    match = d.compare(0, t.size(), t) == 0;
                else
                    match = d == t;
            }
            if (!match) continue;
            std::size_t end = doc[i + n - 1].end;
            // A prefix match marks only the matched syllable, not the rest of its bigram.
            if (term.prefix && doc[i + n - 1].text.size() > term.tokens.back().size())
                end = doc[i + n - 1].begin + term.tokens.back().size();
            spans.emplace_back(doc[i].begin, end);
        }
    }
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<std::size_t, std::size_t>> merged;
    for (const auto& s : spans) {
        if (!merged.empty() && s.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, s.second);
        else
            merged.push_back(s);
    }
    return merged;
}

std::string search_highlight_html(std::string_view text, const SearchQuery& q) {
    std::string out;
    append_marked(out, text, 0, text.size(), search_match_spans(text, q));
    return out;
}

std::string search_snippet_html(std::string_view text, const SearchQuery& q,
                                std::size_t max_chars) {
    const auto spans = search_match_spans(text, q);
    std::size_t from = 0;
    if (!spans.empty()) {
        // Start about a quarter of the window before the first match, at a space if one is near.
        from = spans.front().first;
        const std::size_t lead = max_chars / 4;
        std::size_t steps = 0;
        while (from > 0 && steps < lead) {
            from = prev_cp(text, from);
            ++steps;
        }
        if (from > 0) {
            const auto space = text.find(' ', from);
            if (space != std::string_view::npos && space < spans.front().first) from = space + 1;
        }
    }
    std::size_t to = from;
    for (std::size_t n = 0; n < max_chars && to < text.size(); ++n) to = next_cp(text, to);
    std::string out;
    if (from > 0) out += "…";
    append_marked(out, text, from, to, spans);
    if (to < text.size()) out += "…";
    return out;
}

}  // namespace sinmun::text
