// multipart/form-data (RFC 7578) parsing for uploads from the newsroom's forms.
//
// Bounded and non-throwing: the whole body is already in memory (the server caps its size), the
// parser never copies more than the body, refuses more than `max_parts` parts, part headers over
// `max_header_bytes`, and files larger than `max_file_bytes`, and returns a Result with a message
// a person can act on for anything malformed (missing boundary, no closing delimiter, a part
// without Content-Disposition, …). Field values are returned as bytes (no charset conversion;
// browsers send UTF-8 for UTF-8 pages).
// Thread-safety: pure functions.
#pragma once

#include "core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::web {

struct MultipartPart {
    std::string name;                     // form field name
    std::optional<std::string> filename;  // present for file inputs (may be empty: no file chosen)
    std::string content_type;             // part Content-Type, "" when absent
    std::string data;                     // raw bytes of the part body
};

struct MultipartLimits {
    std::size_t max_parts = 32;
    std::size_t max_header_bytes = 4096;     // per part header block
    std::size_t max_file_bytes = 25u << 20;  // per file part
    std::size_t max_field_bytes = 1u << 20;  // per non-file field
};

// The boundary from a Content-Type header value ("multipart/form-data; boundary=----x"), quoted or
// not. nullopt when the type is not multipart/form-data or the boundary is missing or invalid
// (RFC 2046: 1..70 characters).
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Parses `body` sent with `content_type`. Errors: invalid_input for a malformed body or header,
// too_large when a limit is exceeded.
Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type,
                                                   std::string_view body,
                                                   const MultipartLimits& limits = {});

// The first part named `name`, or nullptr.
const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace sinmun::web
