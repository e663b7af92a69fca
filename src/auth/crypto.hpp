// Small cryptographic helpers: kernel randomness, SHA-256, constant-time comparison.
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sinmun::auth {

// `bytes` random bytes from getrandom(2), as 2*bytes lowercase hex characters. Aborts if the
// kernel cannot supply randomness (there is no safe way to continue making secrets).
std::string random_hex(std::size_t bytes);

// Lowercase hex SHA-256 (OpenSSL EVP) of `data`: 64 characters.
std::string sha256_hex(std::string_view data);

// Equality that takes the same time for every pair of inputs of the same length.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace sinmun::auth
