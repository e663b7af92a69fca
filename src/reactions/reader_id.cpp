#include "reactions/reader_id.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace sinmun::reactions {

ReaderId new_reader_id() {
    unsigned char bytes[kReaderIdHexChars / 2];
    std::size_t got = 0;
    while (got < sizeof bytes) {
        const ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::perror("sinmun: getrandom failed; cannot make reader ids");
            std::abort();
        }
        got += static_cast<std::size_t>(n);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    ReaderId id;
    id.reserve(kReaderIdHexChars);
    for (unsigned char b : bytes) {
        id += kHex[b >> 4];
        id += kHex[b & 0x0f];
    }
    return id;
}

bool is_valid_reader_id(std::string_view s) {
    if (s.size() != kReaderIdHexChars) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace sinmun::reactions
