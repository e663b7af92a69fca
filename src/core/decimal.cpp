#include "core/decimal.hpp"

#include "core/text.hpp"

#include <cstdio>
#include <cstdlib>

namespace sinmun {

std::optional<Decimal> Decimal::parse(std::string_view t) {
    if (t.empty() || t.size() > 40) return std::nullopt;
    bool neg = false;
    std::size_t i = 0;
    if (t[0] == '-' || t[0] == '+') {
        neg = t[0] == '-';
        i = 1;
    }
    __int128 whole = 0;
    std::size_t digits = 0;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++digits) {
        whole = whole * 10 + (t[i] - '0');
        if (whole > static_cast<__int128>(INT64_MAX / kScale)) return std::nullopt;
    }
    __int128 frac = 0;
    int places = 0;
    bool round_up = false;
    if (i < t.size() && t[i] == '.') {
        ++i;
        std::size_t fdigits = 0;
        for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++fdigits) {
            if (places < 4) {
                frac = frac * 10 + (t[i] - '0');
                ++places;
            } else if (places == 4) {
                round_up = t[i] >= '5';
                ++places;
            }
        }
        if (fdigits == 0 && digits == 0) return std::nullopt;
    } else if (digits == 0) {
        return std::nullopt;
    }
    if (i != t.size()) {
        // Accept a JSON-style exponent only when it is e0 (some encoders emit 1.0E0); reject
        // others.
        return std::nullopt;
    }
    while (places < 4) {
        frac *= 10;
        ++places;
    }
    __int128 units = whole * kScale + frac + (round_up ? 1 : 0);
    if (units > INT64_MAX) return std::nullopt;
    return Decimal(static_cast<std::int64_t>(neg ? -units : units));
}

std::string Decimal::to_string() const {
    const bool neg = units_ < 0;
    const unsigned long long u = neg ? 0ULL - static_cast<unsigned long long>(units_)
                                     : static_cast<unsigned long long>(units_);
    std::string out = (neg ? "-" : "") + std::to_string(u / kScale);
    unsigned long long frac = u % kScale;
    if (frac != 0) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04llu", frac);
        std::string f(buf);
        while (!f.empty() && f.back() == '0') f.pop_back();
        out += '.';
        out += f;
    }
    return out;
}

std::string Decimal::to_display(int max_places) const {
    if (max_places < 0) max_places = 0;
    if (max_places > 4) max_places = 4;
    const bool neg = units_ < 0;
    unsigned long long u = neg ? 0ULL - static_cast<unsigned long long>(units_)
                               : static_cast<unsigned long long>(units_);
    unsigned long long div = 1;
    for (int i = 0; i < 4 - max_places; ++i) div *= 10;
    u = (u + div / 2) / div;  // round half up at the display precision
    unsigned long long scale = 1;
    for (int i = 0; i < max_places; ++i) scale *= 10;
    std::string out = text::group_thousands(static_cast<long long>(u / scale));
    unsigned long long frac = u % scale;
    if (max_places > 0 && frac != 0) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%0*llu", max_places, frac);
        std::string f(buf);
        while (!f.empty() && f.back() == '0') f.pop_back();
        out += '.';
        out += f;
    }
    return (neg && out != "0") ? "-" + out : out;
}

std::optional<std::int64_t> change_ppm(Decimal now, Decimal ref) {
    if (ref.units() <= 0) return std::nullopt;
    const __int128 diff = static_cast<__int128>(now.units()) - ref.units();
    const __int128 scaled = diff * 1'000'000;
    const __int128 r = ref.units();
    __int128 q = scaled / r;
    const __int128 rem = scaled % r;
    if (rem != 0 && (rem < 0 ? -rem : rem) * 2 >= r) q += (scaled < 0 ? -1 : 1);
    return static_cast<std::int64_t>(q);
}

std::string format_percent_ppm(std::int64_t ppm, int places) {
    if (places < 0) places = 0;
    if (places > 4) places = 4;
    // ppm / 10^4 = percent. Round to `places`.
    long long div = 1;
    for (int i = 0; i < 4 - places; ++i) div *= 10;
    const bool neg = ppm < 0;
    long long a = neg ? -ppm : ppm;
    a = (a + div / 2) / div;
    long long scale = 1;
    for (int i = 0; i < places; ++i) scale *= 10;
    char buf[48];
    if (places > 0)
        std::snprintf(buf, sizeof buf, "%s%lld.%0*lld%%", a == 0 ? "" : (neg ? "-" : "+"),
                      a / scale, places, a % scale);
    else
        std::snprintf(buf, sizeof buf, "%s%lld%%", a == 0 ? "" : (neg ? "-" : "+"), a);
    return buf;
}

}  // namespace sinmun
