// Reader ids: the anonymous identity behind "one vote per reader per kind".
//
// A reader id is 128 bits from the kernel CSPRNG, written as 32 lowercase hex characters and kept
// in an HttpOnly cookie. Unguessable, so one reader cannot take back another reader's votes.
// Thread-safety: both functions are safe to call from any thread.
#pragma once

#include <string_view>

#include "reactions/model.hpp"

namespace sinmun::reactions {

constexpr std::size_t kReaderIdHexChars = 32;

// A fresh random reader id (getrandom(2)). Aborts only if the kernel cannot supply randomness,
// which a server cannot run without.
ReaderId new_reader_id();

// True for exactly 32 lowercase hex characters (what new_reader_id makes). Cookie values are
// untrusted input: anything else is treated as "no reader id".
bool is_valid_reader_id(std::string_view s);

}  // namespace sinmun::reactions
