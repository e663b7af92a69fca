#include "web/handlers/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace sinmun::web {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string_view trim_ws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Parameters of a header value after its first ';': name=value or name="quoted \" value".
// Returns false on an unterminated quote.
bool header_params(std::string_view v, std::vector<std::pair<std::string, std::string>>& out) {
    auto semi = v.find(';');
    if (semi == std::string_view::npos) return true;
    v.remove_prefix(semi + 1);
    while (!v.empty()) {
        v = trim_ws(v);
        if (v.empty()) break;
        if (v.front() == ';') {
            v.remove_prefix(1);
            continue;
        }
        auto eq = v.find('=');
        auto sc = v.find(';');
        if (eq == std::string_view::npos || (sc != std::string_view::npos && sc < eq)) {
            // A bare token without a value: skip it.
            if (sc == std::string_view::npos) break;
            v.remove_prefix(sc + 1);
            continue;
        }
        std::string key(trim_ws(v.substr(0, eq)));
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        v.remove_prefix(eq + 1);
        v = trim_ws(v);
        std::string value;
        if (!v.empty() && v.front() == '"') {
            v.remove_prefix(1);
            bool closed = false;
            while (!v.empty()) {
                char c = v.front();
                v.remove_prefix(1);
                if (c == '\\' && !v.empty()) {
                    value += v.front();
                    v.remove_prefix(1);
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value += c;
                }
            }
            if (!closed) return false;
            auto next = v.find(';');
            v = next == std::string_view::npos ? std::string_view{} : v.substr(next + 1);
        } else {
            auto next = v.find(';');
            value = std::string(trim_ws(v.substr(0, next)));
            v = next == std::string_view::npos ? std::string_view{} : v.substr(next + 1);
        }
        out.emplace_back(std::move(key), std::move(value));
    }
    return true;
}

bool valid_boundary_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
    auto semi = content_type.find(';');
    if (!iequals(trim_ws(content_type.substr(0, semi)), "multipart/form-data")) return std::nullopt;
    std::vector<std::pair<std::string, std::string>> params;
    if (!header_params(content_type, params)) return std::nullopt;
    for (const auto& [k, v] : params) {
        if (k != "boundary") continue;
        if (v.empty() || v.size() > 70 || v.back() == ' ') return std::nullopt;
        if (!std::all_of(v.begin(), v.end(), valid_boundary_char)) return std::nullopt;
        return v;
    }
    return std::nullopt;
}

Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type,
                                                   std::string_view body,
                                                   const MultipartLimits& limits) {
    auto boundary = multipart_boundary(content_type);
    if (!boundary)
        return make_error(Errc::invalid_input,
                          "multipart/form-data 형식이 아니거나 boundary가 없습니다.");
    const std::string dash = "--" + *boundary;
    const std::string delim = "\r\n" + dash;

    // The first delimiter may open the body directly or follow a preamble.
    std::size_t pos;
    if (body.substr(0, dash.size()) == dash) {
        pos = dash.size();
    } else {
        auto first = body.find(delim);
        if (first == std::string_view::npos)
            return make_error(Errc::invalid_input, "multipart 본문에 구분자가 없습니다.");
        pos = first + delim.size();
    }

    std::vector<MultipartPart> parts;
    for (;;) {
        // After a delimiter: "--" closes, else optional whitespace then CRLF opens a part.
        if (body.substr(pos, 2) == "--") return parts;
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
        if (body.substr(pos, 2) != "\r\n")
            return make_error(Errc::invalid_input, "multipart 구분자 뒤에 줄바꿈이 없습니다.");
        pos += 2;
        if (parts.size() >= limits.max_parts)
            return make_error(Errc::too_large, "multipart 항목이 너무 많습니다 (최대 " +
                                                   std::to_string(limits.max_parts) + "개).");

        // Part headers up to the blank line.
        auto header_end = body.find("\r\n\r\n", pos);
        std::string_view headers;
        std::size_t data_start;
        if (body.substr(pos, 2) == "\r\n") {  // no headers at all
            headers = {};
            data_start = pos + 2;
        } else {
            if (header_end == std::string_view::npos)
                return make_error(Errc::invalid_input,
                                  "multipart 항목의 머리글이 끝나지 않았습니다.");
            if (header_end - pos > limits.max_header_bytes)
                return make_error(Errc::too_large, "multipart 항목의 머리글이 너무 깁니다.");
            headers = body.substr(pos, header_end - pos);
            data_start = header_end + 4;
        }

        MultipartPart part;
        bool has_disposition = false;
        while (!headers.empty()) {
            auto eol = headers.find("\r\n");
            std::string_view line = headers.substr(0, eol);
            headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
            auto colon = line.find(':');
            if (colon == std::string_view::npos)
                return make_error(Errc::invalid_input, "multipart 머리글 형식이 잘못되었습니다.");
            std::string_view name = trim_ws(line.substr(0, colon));
            std::string_view value = trim_ws(line.substr(colon + 1));
            if (iequals(name, "Content-Disposition")) {
                auto semi = value.find(';');
                if (!iequals(trim_ws(value.substr(0, semi)), "form-data"))
                    return make_error(Errc::invalid_input,
                                      "multipart 항목이 form-data가 아닙니다.");
                std::vector<std::pair<std::string, std::string>> params;
                if (!header_params(value, params))
                    return make_error(Errc::invalid_input,
                                      "Content-Disposition의 따옴표가 닫히지 않았습니다.");
                bool has_name = false;
                for (auto& [k, v] : params) {
                    if (k == "name") {
                        part.name = v;
                        has_name = true;
                    } else if (k == "filename") {
                        part.filename = v;
                    }
                }
                if (!has_name)
                    return make_error(Errc::invalid_input, "multipart 항목에 name이 없습니다.");
                has_disposition = true;
            } else if (iequals(name, "Content-Type")) {
                part.content_type = std::string(value);
            }
        }
        if (!has_disposition)
            return make_error(Errc::invalid_input,
                              "multipart 항목에 Content-Disposition이 없습니다.");

        auto end = body.find(delim, data_start);
        if (end == std::string_view::npos)
            return make_error(Errc::invalid_input,
                              "multipart 본문이 끝나지 않았습니다 (닫는 구분자가 없습니다).");
        const std::size_t size = end - data_start;
        const bool is_file = part.filename.has_value();
        if (is_file && size > limits.max_file_bytes)
            return make_error(
                Errc::too_large,
                "파일이 너무 큽니다 (최대 " + std::to_string(limits.max_file_bytes >> 20) + "MB).");
        if (!is_file && size > limits.max_field_bytes)
            return make_error(Errc::too_large, "입력값이 너무 깁니다: " + part.name);
        part.data.assign(body.substr(data_start, size));
        parts.push_back(std::move(part));
        pos = end + delim.size();
    }
}

const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name) {
    for (const auto& p : parts)
        if (p.name == name) return &p;
    return nullptr;
}

}  // namespace sinmun::web
