// gzip and brotli compression for response bodies (pre-compressed pages, assets, dynamic bodies).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace sinmun {

// A complete gzip member (RFC 1952) of `in`; level 1..9.
std::string gzip_compress(std::string_view in, int level = 6);
// A brotli stream of `in`; quality 0..11 (5 is a good default for dynamic pages, 11 for assets).
std::string brotli_compress(std::string_view in, int quality = 5);

// Inverse operations, for tests and tools. Empty optional-like result: returns false on corrupt
// input.
bool gzip_decompress(std::string_view in, std::string& out);
bool brotli_decompress(std::string_view in, std::string& out);

}  // namespace sinmun
