// Password hashing with argon2id (libargon2), parameters per OWASP: t=2, m=19 MiB, p=1.
// The encoded form ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash") carries its own parameters, so
// hashes made with other parameters still verify.
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sinmun::auth {

// argon2id cost. The default is OWASP's recommendation and what the server uses; tests that
// create many users in-process pass a cheaper cost (the hash format records it, so verification
// works either way).
struct PasswordCost {
    std::uint32_t time_cost = 2;           // iterations
    std::uint32_t memory_kib = 19 * 1024;  // 19 MiB
};

// A fresh argon2id encoded hash of `password` with a random 16-byte salt.
Result<std::string> hash_password(std::string_view password, const PasswordCost& cost = {});

// Whether `password` matches `encoded`. A malformed `encoded` is simply false.
bool verify_password(std::string_view encoded, std::string_view password);

// An encoded hash of a random password, computed once: verifying against it costs the same time
// as a real verification (used for unknown e-mails so timing does not reveal which exist).
const std::string& dummy_password_hash();
// The same for a given cost (computed on first use per cost, then cached).
const std::string& dummy_password_hash(const PasswordCost& cost);

}  // namespace sinmun::auth
