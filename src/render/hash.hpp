// Content hashing for ETags and asset fingerprints: 64-bit FNV-1a, printed as hex.
// Not cryptographic; it only has to change when content changes.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sinmun::render {

inline std::uint64_t fnv1a64(std::string_view data) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

// The first `digits` (1..16) lowercase hex digits of fnv1a64(data).
inline std::string hash_hex(std::string_view data, int digits = 16) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::uint64_t h = fnv1a64(data);
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 0xf];
    return out.substr(0, static_cast<std::size_t>(digits));
}

}  // namespace sinmun::render
