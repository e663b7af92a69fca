#include "core/search_tokens.hpp"

#include <utf8proc.h>

#include "core/text.hpp"

namespace sinmun::text {
namespace {

enum class Kind { separator, mark, word, hangul, han, kana };

Kind classify(utf8proc_int32_t cp) {
    if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x3131 && cp <= 0x318E) ||
        (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
        (cp >= 0xD7B0 && cp <= 0xD7FF))
        return Kind::hangul;
    if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF))
        return Kind::han;
    if ((cp >= 0x3040 && cp <= 0x30FF && cp != 0x30FB) || (cp >= 0x31F0 && cp <= 0x31FF))
        return Kind::kana;
    switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_NO:
            return Kind::word;
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
            return Kind::mark;
        default:
            return Kind::separator;
    }
}

void append_utf8(std::string& out, utf8proc_int32_t cp) {
    utf8proc_uint8_t buf[4];
    const auto n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// One code point kept for a token: its lowercased UTF-8 and where it sits in the input.
struct Unit {
    std::string lower;
    std::size_t begin;
    std::size_t end;
};

// Emits the tokens of one run of units of the same kind.
void flush(Kind kind, std::vector<Unit>& run, std::vector<SearchToken>& out) {
    if (run.empty()) return;
    if (kind == Kind::word) {
        SearchToken t;
        for (const auto& u : run) t.text += u.lower;
        t.begin = run.front().begin;
        t.end = run.back().end;
        out.push_back(std::move(t));
    } else if (run.size() == 1) {
        out.push_back({run[0].lower, run[0].begin, run[0].end, true});
    } else {
        for (std::size_t i = 0; i + 1 < run.size(); ++i)
            out.push_back({run[i].lower + run[i + 1].lower, run[i].begin, run[i + 1].end, false});
    }
    run.clear();
}

}  // namespace

std::vector<SearchToken> search_tokens(std::string_view s) {
    std::vector<SearchToken> out;
    std::vector<Unit> run;
    Kind run_kind = Kind::separator;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    std::size_t i = 0;
    while (i < s.size()) {
        utf8proc_int32_t cp = -1;
        auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
        if (n <= 0) {  // an invalid byte separates
            flush(run_kind, run, out);
            run_kind = Kind::separator;
            ++i;
            continue;
        }
        const std::size_t begin = i;
        i += static_cast<std::size_t>(n);
        Kind kind = classify(cp);
        if (kind == Kind::mark) {
            // A combining mark belongs to the unit before it (é as e + ◌́ in a word); alone it
            // separates.
            if (!run.empty()) {
                if (run_kind == Kind::word) append_utf8(run.back().lower, cp);
                run.back().end = i;
            }
            continue;
        }
        if (kind != run_kind) {
            flush(run_kind, run, out);
            run_kind = kind;
        }
        if (kind == Kind::separator) continue;
        Unit u{{}, begin, i};
        append_utf8(u.lower, utf8proc_tolower(cp));
        run.push_back(std::move(u));
    }
    flush(run_kind, run, out);
    return out;
}

std::string search_index_text(std::string_view text) {
    const std::string normalized = is_valid_utf8(text) ? nfc(text) : std::string(text);
    std::string out;
    out.reserve(normalized.size() * 2);
    for (const auto& t : search_tokens(normalized)) {
        if (!out.empty()) out += ' ';
        out += t.text;
    }
    return out;
}

}  // namespace sinmun::text
