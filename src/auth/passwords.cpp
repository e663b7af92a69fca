#include "auth/passwords.hpp"

#include <argon2.h>
#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <mutex>
#include <utility>

#include "auth/crypto.hpp"

namespace sinmun::auth {
namespace {

// OWASP Password Storage Cheat Sheet, argon2id option 2: m = 19 MiB, t = 2, p = 1 (PasswordCost's
// defaults).
constexpr std::uint32_t kParallelism = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

bool fill_random(unsigned char* buf, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        got += static_cast<std::size_t>(r);
    }
    return true;
}

}  // namespace

Result<std::string> hash_password(std::string_view password, const PasswordCost& cost) {
    const std::uint32_t kTimeCost = cost.time_cost;
    const std::uint32_t kMemoryKiB = cost.memory_kib;
    unsigned char salt[kSaltBytes];
    if (!fill_random(salt, sizeof salt))
        return make_error(Errc::internal, "no randomness available for a password salt");
    const std::size_t len =
        argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltBytes, kHashBytes, Argon2_id);
    std::string encoded(len, '\0');
    const int rc =
        argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, password.data(), password.size(),
                              salt, sizeof salt, kHashBytes, encoded.data(), len);
    if (rc != ARGON2_OK)
        return make_error(Errc::internal,
                          std::string("argon2id hashing failed: ") + argon2_error_message(rc));
    encoded.resize(encoded.find('\0') == std::string::npos ? encoded.size() : encoded.find('\0'));
    return encoded;
}

bool verify_password(std::string_view encoded, std::string_view password) {
    if (encoded.rfind("$argon2id$", 0) != 0) return false;
    const std::string z(encoded);  // argon2 wants a NUL-terminated string
    return argon2id_verify(z.c_str(), password.data(), password.size()) == ARGON2_OK;
}

const std::string& dummy_password_hash() { return dummy_password_hash(PasswordCost{}); }

const std::string& dummy_password_hash(const PasswordCost& cost) {
    static std::mutex mu;
    static std::map<std::pair<std::uint32_t, std::uint32_t>, std::string> hashes;
    std::lock_guard lock(mu);
    auto& hash = hashes[{cost.time_cost, cost.memory_kib}];
    if (hash.empty()) {
        auto h = hash_password(random_hex(16), cost);
        if (h) hash = *h;
    }
    return hash;
}

}  // namespace sinmun::auth
