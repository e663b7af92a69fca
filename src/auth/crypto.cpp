#include "auth/crypto.hpp"

#include <openssl/evp.h>
#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace sinmun::auth {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string to_hex(const unsigned char* data, std::size_t n) {
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out += kHex[data[i] >> 4];
        out += kHex[data[i] & 0x0f];
    }
    return out;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    std::size_t got = 0;
    while (got < bytes) {
        const ssize_t n = getrandom(buf.data() + got, bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::perror("sinmun: getrandom failed; cannot make session or token secrets");
            std::abort();
        }
        got += static_cast<std::size_t>(n);
    }
    return to_hex(buf.data(), buf.size());
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    // EVP_Digest is one-shot and allocates its context internally; it fails only when OpenSSL
    // cannot allocate, which we treat like any other out-of-memory.
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
        std::fputs("sinmun: OpenSSL SHA-256 failed\n", stderr);
        std::abort();
    }
    return to_hex(digest, len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    // The length is not secret (tokens have a fixed length); the content is.
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
    return diff == 0;
}

}  // namespace sinmun::auth
