#include "core/kst.hpp"

#include <charconv>
#include <cstdio>

namespace sinmun::kst {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days algorithms (public-domain formulas).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yy + (m <= 2));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > s.size()) return false;
    auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return r.ec == std::errc{} && r.ptr == s.data() + pos + len;
}

}  // namespace

CivilTime to_kst(std::int64_t unix_ms) {
    const std::int64_t local_s = floor_div(unix_ms + kOffsetMs, 1000);
    const std::int64_t days = floor_div(local_s, 86400);
    const std::int64_t secs = local_s - days * 86400;
    CivilTime c{};
    civil_from_days(days, c.year, c.month, c.day);
    c.hour = static_cast<int>(secs / 3600);
    c.minute = static_cast<int>((secs % 3600) / 60);
    c.second = static_cast<int>(secs % 60);
    c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
    return c;
}

std::int64_t from_kst(int year, int month, int day, int hour, int minute, int second) {
    const std::int64_t days =
        days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return (days * 86400 + hour * 3600LL + minute * 60LL + second) * 1000 - kOffsetMs;
}

std::string format_minute(std::int64_t unix_ms) {
    const auto c = to_kst(unix_ms);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour,
                  c.minute);
    return buf;
}

std::string format_iso8601(std::int64_t unix_ms) {
    const auto c = to_kst(unix_ms);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", c.year, c.month, c.day,
                  c.hour, c.minute, c.second);
    return buf;
}

std::string format_rfc822(std::int64_t unix_ms) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto c = to_kst(unix_ms);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0900", kDays[c.weekday], c.day,
                  kMonths[c.month - 1], c.year, c.hour, c.minute, c.second);
    return buf;
}

std::string format_month_day(std::int64_t unix_ms) {
    const auto c = to_kst(unix_ms);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d.%02d", c.month, c.day);
    return buf;
}

std::string format_hms(std::int64_t unix_ms) {
    const auto c = to_kst(unix_ms);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", c.hour, c.minute, c.second);
    return buf;
}

std::string format_hm(std::int64_t unix_ms) {
    const auto c = to_kst(unix_ms);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", c.hour, c.minute);
    return buf;
}

std::optional<std::int64_t> parse(std::string_view s) {
    int y, mo, d, h, mi, sec = 0;
    if (s.size() < 16 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
        s[13] != ':')
        return std::nullopt;
    if (!read_int(s, 0, 4, y) || !read_int(s, 5, 2, mo) || !read_int(s, 8, 2, d) ||
        !read_int(s, 11, 2, h) || !read_int(s, 14, 2, mi))
        return std::nullopt;
    std::size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        if (!read_int(s, pos + 1, 2, sec)) return std::nullopt;
        pos += 3;
    }
    if (pos < s.size() && s[pos] == '.') {  // fractional seconds: ignored
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    std::int64_t offset_ms = kOffsetMs;  // no zone given: KST
    if (pos < s.size()) {
        if (s[pos] == 'Z' && pos + 1 == s.size()) {
            offset_ms = 0;
        } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
            int oh, om;
            if (!read_int(s, pos + 1, 2, oh) || !read_int(s, pos + 4, 2, om)) return std::nullopt;
            offset_ms = (oh * 3600LL + om * 60LL) * 1000 * (s[pos] == '-' ? -1 : 1);
        } else {
            return std::nullopt;
        }
    }
    const std::int64_t days =
        days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return (days * 86400 + h * 3600LL + mi * 60LL + sec) * 1000 - offset_ms;
}

}  // namespace sinmun::kst
