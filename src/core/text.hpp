// UTF-8 text helpers: validation, NFC normalisation, escaping, URL encoding, Hangul slugs.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace sinmun::text {

bool is_valid_utf8(std::string_view s);

// NFC-normalised copy of valid UTF-8 input (all text is stored NFC). Invalid UTF-8 yields "".
std::string nfc(std::string_view s);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view s);
void html_escape_append(std::string& out, std::string_view s);

// Escapes a string for a JSON string literal body (no surrounding quotes).
std::string json_escape(std::string_view s);

// Percent-encodes every byte outside RFC 3986 unreserved characters (Hangul becomes %EA%B0%80…).
std::string percent_encode(std::string_view s);
// Encodes a path (with optional query) for a Location header or href: bytes >= 0x80, controls,
// spaces and characters outside RFC 3986 become %XX; '/', '?', '&', '=', '#' and existing %XX
// escapes are kept, so encoding an already encoded path is a no-op.
std::string percent_encode_path(std::string_view s);
// Decodes %XX and, if plus_is_space, '+'. Malformed escapes are kept literally.
std::string percent_decode(std::string_view s, bool plus_is_space = false);

// A readable UTF-8 slug of a headline: Hangul, letters and digits kept (NFC), ASCII lowercased,
// everything else collapsed to single '-', trimmed, cut at max_chars code points on a boundary.
// Never romanizes: "서울시, 'AI 특구' 지정" → "서울시-ai-특구-지정".
std::string slugify(std::string_view headline, std::size_t max_chars = 60);

std::string_view trim(std::string_view s);

// Number of Unicode code points in valid UTF-8.
std::size_t utf8_length(std::string_view s);
// The first max_chars code points; appends "…" when cut.
std::string utf8_truncate(std::string_view s, std::size_t max_chars);

// "1,234,567": thousands separators for a non-negative or negative integer.
std::string group_thousands(long long v);

}  // namespace sinmun::text
