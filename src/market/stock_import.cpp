#include "market/stock_import.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/kst.hpp"
#include "core/text.hpp"
#include "market/gainers.hpp"
#include "store/stores.hpp"

namespace sinmun::market {

namespace {

// Canonical fields and the names each public format gives them.
enum Field {
    f_date,
    f_code,
    f_isin,
    f_name,
    f_market,
    f_section,
    f_close,
    f_change,
    f_rate,
    f_open,
    f_high,
    f_low,
    f_volume,
    f_value,
    f_mktcap,
    f_shares,
    f_listing,
    f_count
};

struct Alias {
    std::string_view name;
    Field field;
    int family;  // 1 data.go.kr, 2 KRX Open API, 3 KRX site (Korean), 0 extra
};

constexpr Alias kAliases[] = {
    {"basDt", f_date, 1},         {"srtnCd", f_code, 1},       {"isinCd", f_isin, 1},
    {"itmsNm", f_name, 1},        {"mrktCtg", f_market, 1},    {"clpr", f_close, 1},
    {"vs", f_change, 1},          {"fltRt", f_rate, 1},        {"mkp", f_open, 1},
    {"hipr", f_high, 1},          {"lopr", f_low, 1},          {"trqu", f_volume, 1},
    {"trPrc", f_value, 1},        {"lstgStCnt", f_shares, 1},  {"mrktTotAmt", f_mktcap, 1},
    {"BAS_DD", f_date, 2},        {"ISU_SRT_CD", f_code, 2},   {"ISU_CD", f_isin, 2},
    {"ISU_NM", f_name, 2},        {"ISU_ABBRV", f_name, 2},    {"MKT_NM", f_market, 2},
    {"SECT_TP_NM", f_section, 2}, {"TDD_CLSPRC", f_close, 2},  {"CMPPREVDD_PRC", f_change, 2},
    {"FLUC_RT", f_rate, 2},       {"TDD_OPNPRC", f_open, 2},   {"TDD_HGPRC", f_high, 2},
    {"TDD_LWPRC", f_low, 2},      {"ACC_TRDVOL", f_volume, 2}, {"ACC_TRDVAL", f_value, 2},
    {"MKTCAP", f_mktcap, 2},      {"LIST_SHRS", f_shares, 2},  {"종목코드", f_code, 3},
    {"종목명", f_name, 3},        {"시장구분", f_market, 3},   {"소속부", f_section, 3},
    {"종가", f_close, 3},         {"대비", f_change, 3},       {"등락률", f_rate, 3},
    {"시가", f_open, 3},          {"고가", f_high, 3},         {"저가", f_low, 3},
    {"거래량", f_volume, 3},      {"거래대금", f_value, 3},    {"시가총액", f_mktcap, 3},
    {"상장주식수", f_shares, 3},  {"기준일자", f_date, 3},     {"일자", f_date, 3},
    {"표준코드", f_isin, 3},      {"상장일", f_listing, 0},    {"listing_date", f_listing, 0},
    {"LIST_DD", f_listing, 0},
};

const char* field_label(Field f) {
    switch (f) {
        case f_date:
            return "trading date (basDt/BAS_DD)";
        case f_code:
            return "종목코드";
        case f_isin:
            return "ISU_CD/isinCd";
        case f_name:
            return "종목명";
        case f_market:
            return "시장구분";
        case f_section:
            return "소속부";
        case f_close:
            return "종가";
        case f_change:
            return "대비";
        case f_rate:
            return "등락률";
        case f_open:
            return "시가";
        case f_high:
            return "고가";
        case f_low:
            return "저가";
        case f_volume:
            return "거래량";
        case f_value:
            return "거래대금";
        case f_mktcap:
            return "시가총액";
        case f_shares:
            return "상장주식수";
        case f_listing:
            return "상장일";
        case f_count:
            break;
    }
    return "?";
}

const char* family_format(int family, bool json) {
    switch (family) {
        case 1:
            return json ? "data.go.kr 주식시세정보 JSON" : "data.go.kr 주식시세정보 CSV";
        case 2:
            return json ? "KRX 일별매매정보 JSON" : "KRX 일별매매정보 CSV";
        case 3:
            return json ? "KRX 전종목 시세 JSON" : "KRX 전종목 시세 CSV";
    }
    return json ? "JSON" : "CSV";
}

// One row as text fields (absent: nullopt).
using RawRow = std::array<std::optional<std::string>, f_count>;

std::string trim_copy(std::string_view s) { return std::string(text::trim(s)); }

// "1,234,567", "\"-1,500\"", " +2.99 " → "1234567", "-1500", "+2.99"; "-" / "" → "".
std::string clean_number(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ',' || c == '"' || c == ' ' || c == '\t' || c == '\'') continue;
        out += c;
    }
    if (out == "-") out.clear();
    if (!out.empty() && out.front() == '+') out.erase(0, 1);
    return out;
}

std::optional<Decimal> parse_decimal_text(std::string_view s) {
    const std::string c = clean_number(s);
    if (c.empty()) return std::nullopt;
    return Decimal::parse(c);
}

std::optional<std::int64_t> parse_int_text(std::string_view s) {
    const std::string c = clean_number(s);
    if (c.empty()) return std::nullopt;
    std::int64_t v = 0;
    const auto r = std::from_chars(c.data(), c.data() + c.size(), v);
    if (r.ec == std::errc{} && r.ptr == c.data() + c.size()) return v;
    // "123.0" from a spreadsheet: accept a whole number written with zero decimals.
    if (auto d = Decimal::parse(c); d && d->units() % Decimal::kScale == 0)
        return d->units() / Decimal::kScale;
    return std::nullopt;
}

bool valid_date(int y, int m, int d) {
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                       std::chrono::day{unsigned(d)}}
        .ok();
}

int to_yyyymmdd(CivilDate d) { return d.year * 10000 + d.month * 100 + d.day; }

std::string date_text(CivilDate d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

std::string date_text(int yyyymmdd) {
    return date_text(CivilDate{yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100});
}

// "KOSPI", "유가증권", "KOSDAQ GLOBAL", "코스닥" … → "KOSPI" / "KOSDAQ" / "KONEX"; "" unknown.
std::string normalize_market(std::string_view s) {
    std::string up;
    for (char c : text::trim(s)) up += (c >= 'a' && c <= 'z') ? char(c - 32) : c;
    if (up == "KOSPI" || up == "유가증권" || up == "유가증권시장" || up == "STK") return "KOSPI";
    if (up.rfind("KOSDAQ", 0) == 0 || up == "코스닥" || up == "코스닥시장" || up == "KSQ")
        return "KOSDAQ";
    if (up == "KONEX" || up == "코넥스" || up == "KNX") return "KONEX";
    return "";
}

// A 6-character KRX short code from srtnCd ("005930", "A005930") or, failing that, an ISIN of a
// common share (KR7 + code + …; preferred shares' ISINs do not contain their short code).
std::optional<std::string> short_code(const RawRow& row, std::string& why) {
    auto valid = [](std::string_view c) {
        if (c.size() != 6) return false;
        for (char ch : c)
            if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z'))) return false;
        return true;
    };
    if (row[f_code] && !text::trim(*row[f_code]).empty()) {
        std::string c = trim_copy(*row[f_code]);
        if (c.size() == 7 && c[0] == 'A') c.erase(0, 1);
        if (valid(c)) return c;
        why = "종목코드 '" + c + "' is not a 6-character KRX code";
        return std::nullopt;
    }
    if (row[f_isin] && !text::trim(*row[f_isin]).empty()) {
        const std::string c = trim_copy(*row[f_isin]);
        if (valid(c)) return c;  // ISU_CD given as a short code
        if (c.size() == 12 && c.rfind("KR7", 0) == 0 && valid(c.substr(3, 6)) && c[8] == '0')
            return c.substr(3, 6);
        why = "ISU_CD '" + c +
              "' is an ISIN whose short code cannot be derived (not a common share): add "
              "ISU_SRT_CD";
        return std::nullopt;
    }
    why = "missing 종목코드";
    return std::nullopt;
}

std::optional<CivilDate> parse_date_any(std::string_view s) { return parse_civil_date(s); }

struct Context {
    const KrxCalendar& calendar;
    const ImportOptions& options;
    ParsedQuotes& out;
    std::map<std::string, std::size_t> by_code;  // index into out.records
};

// Validates and converts one row; on a problem records it and returns.
void convert_row(Context& cx, const RawRow& row, int line) {
    auto problem = [&](std::string reason) {
        cx.out.problems.push_back({line, std::move(reason)});
    };
    auto present = [&](Field f) { return row[f] && !clean_number(*row[f]).empty(); };

    std::string why;
    const auto code = short_code(row, why);
    if (!code) return problem(why);
    const std::string name = row[f_name] ? text::nfc(text::trim(*row[f_name])) : "";
    if (name.empty()) return problem(*code + ": missing 종목명");
    const std::string raw_market = row[f_market] ? trim_copy(*row[f_market]) : "";
    const std::string mkt = normalize_market(raw_market);
    if (mkt.empty())
        return problem(*code + ": 시장구분 '" + raw_market + "' is not KOSPI, KOSDAQ or KONEX");

    // Trading day: the row's own, else --date; both present must agree.
    std::optional<CivilDate> day;
    if (row[f_date] && !text::trim(*row[f_date]).empty()) {
        day = parse_date_any(text::trim(*row[f_date]));
        if (!day) return problem(*code + ": bad trading date '" + trim_copy(*row[f_date]) + "'");
        if (cx.options.date && *cx.options.date != *day)
            return problem(*code + ": trading date " + date_text(*day) + " differs from --date " +
                           date_text(*cx.options.date));
    } else if (cx.options.date) {
        day = cx.options.date;
    } else {
        return problem(*code + ": no trading date (the file has none: pass --date YYYY-MM-DD)");
    }
    if (!cx.calendar.is_trading_day(*day)) {
        const auto holiday = cx.calendar.holiday_name(day->year, day->month, day->day);
        return problem(*code + ": " + date_text(*day) + " is not a KRX trading day (" +
                       (holiday ? *holiday : std::string("주말")) + ")");
    }
    const std::int64_t close = cx.calendar.close_ms(*day);
    if (cx.options.now_ms > 0 && close > cx.options.now_ms)
        return problem(*code + ": the session of " + date_text(*day) + " has not closed yet");

    auto decimal_field = [&](Field f, bool required,
                             std::optional<Decimal>& out_value) -> std::optional<std::string> {
        if (!present(f)) {
            if (required) return std::string("missing ") + field_label(f);
            return std::nullopt;
        }
        out_value = parse_decimal_text(*row[f]);
        if (!out_value)
            return std::string(field_label(f)) + " '" + trim_copy(*row[f]) + "' is not a number";
        return std::nullopt;
    };
    auto int_field = [&](Field f,
                         std::optional<std::int64_t>& out_value) -> std::optional<std::string> {
        if (!present(f)) return std::nullopt;
        out_value = parse_int_text(*row[f]);
        if (!out_value || *out_value < 0)
            return std::string(field_label(f)) + " '" + trim_copy(*row[f]) +
                   "' is not a whole non-negative number";
        return std::nullopt;
    };

    std::optional<Decimal> price, change, rate, open;
    if (auto e = decimal_field(f_close, true, price)) return problem(*code + ": " + *e);
    if (price->units() <= 0) return problem(*code + ": 종가 must be positive");
    if (auto e = decimal_field(f_rate, true, rate)) return problem(*code + ": " + *e);
    // 등락률 in percent; Decimal units are 1/10,000, so units == parts per million.
    if (rate->units() <= -1'000'000 || rate->units() > 10'000'000)
        return problem(*code + ": 등락률 " + rate->to_string() + "% is out of range");
    if (auto e = decimal_field(f_change, false, change)) return problem(*code + ": " + *e);
    if (auto e = decimal_field(f_open, false, open)) return problem(*code + ": " + *e);
    std::optional<std::int64_t> volume, value;
    if (auto e = int_field(f_volume, volume)) return problem(*code + ": " + *e);
    if (auto e = int_field(f_value, value)) return problem(*code + ": " + *e);

    std::optional<Decimal> base;
    if (change) {
        base = *price - *change;
        if (base->units() <= 0)
            return problem(*code + ": 종가 − 대비 = " + base->to_string() +
                           " is not a valid 기준가");
    }
    int listing_day = 0;
    if (present(f_listing)) {
        const auto ld = parse_date_any(text::trim(*row[f_listing]));
        if (!ld) return problem(*code + ": bad 상장일 '" + trim_copy(*row[f_listing]) + "'");
        listing_day = to_yyyymmdd(*ld);
    }

    StockRecord rec;
    rec.line = line;
    rec.trading_day = to_yyyymmdd(*day);
    rec.instrument.code = *code;
    rec.instrument.name = name;
    rec.instrument.asset = AssetClass::stock;
    rec.instrument.market = mkt;
    rec.instrument.kind = classify_stock(*code, name);
    rec.instrument.listing_day = listing_day;
    rec.quote.code = *code;
    rec.quote.price = *price;
    rec.quote.change_ppm = rate->units();
    rec.quote.tick = rate->units() > 0 ? 1 : rate->units() < 0 ? -1 : 0;
    rec.quote.trade_value = value.value_or(0);
    rec.quote.as_of_ms = close;
    rec.quote.base_price = base;
    rec.quote.end_of_day = true;
    // No trade all day and no opening price: KRX data for a suspended (거래정지) name.
    rec.quote.halted = volume && *volume == 0 && (!open || open->is_zero());
    rec.quote.limit_up =
        is_limit_up(*price, rec.quote.change_ppm, base, rec.trading_day, rec.instrument.market);

    if (auto it = cx.by_code.find(*code); it != cx.by_code.end()) {
        StockRecord& prev = cx.out.records[it->second];
        if (prev.trading_day == rec.trading_day)
            return problem(*code + ": duplicate row for " + date_text(*day) + " (first on line " +
                           std::to_string(prev.line) + ")");
        if (prev.trading_day < rec.trading_day) prev = std::move(rec);  // keep the latest day
        return;
    }
    cx.by_code.emplace(*code, cx.out.records.size());
    cx.out.records.push_back(std::move(rec));
}

// ---- CSV ----------------------------------------------------------------------------------

struct CsvRecord {
    std::vector<std::string> fields;
    int line = 0;
};

// RFC 4180 records (quoted fields may hold commas, "" and newlines), with the line each starts on.
std::vector<CsvRecord> split_csv(std::string_view s) {
    std::vector<CsvRecord> out;
    CsvRecord cur;
    std::string field;
    bool quoted = false, any = false;
    int line = 1;
    cur.line = 1;
    auto end_record = [&] {
        cur.fields.push_back(std::move(field));
        field.clear();
        bool blank = cur.fields.size() == 1 && text::trim(cur.fields[0]).empty();
        if (!blank) out.push_back(std::move(cur));
        cur = CsvRecord{};
        any = false;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < s.size() && s[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (!any) {
            cur.line = line;
            any = true;
        }
        if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cur.fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\r') {
            // CRLF: the '\n' ends the record
        } else if (c == '\n') {
            ++line;
            end_record();
        } else {
            field += c;
        }
    }
    if (any || !field.empty()) end_record();
    return out;
}

Result<ParsedQuotes> parse_csv(const std::string& text_utf8, const KrxCalendar& calendar,
                               const ImportOptions& options, ParsedQuotes out) {
    auto records = split_csv(text_utf8);
    if (records.empty()) return make_error(Errc::invalid_input, "the file is empty");
    const auto& header = records.front();
    std::array<int, f_count> column;
    column.fill(-1);
    int family_votes[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string h = trim_copy(header.fields[i]);
        for (const auto& a : kAliases) {
            if (a.name == h && column[a.field] < 0) {
                column[a.field] = int(i);
                ++family_votes[a.family];
            }
        }
    }
    if (column[f_close] < 0 || column[f_rate] < 0 || (column[f_code] < 0 && column[f_isin] < 0))
        return make_error(Errc::invalid_input,
                          "line " + std::to_string(header.line) +
                              ": not a known quote file header (need 종목코드/srtnCd, 종가/clpr "
                              "and 등락률/fltRt columns)");
    const int family = int(std::max_element(family_votes + 1, family_votes + 4) - family_votes);
    out.format = family_format(family, false);
    Context cx{calendar, options, out, {}};
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        ++out.rows;
        RawRow row;
        for (int f = 0; f < f_count; ++f) {
            if (column[f] >= 0 && std::size_t(column[f]) < rec.fields.size())
                row[f] = rec.fields[std::size_t(column[f])];
        }
        if (rec.fields.size() < header.fields.size()) {
            out.problems.push_back({rec.line, "expected " + std::to_string(header.fields.size()) +
                                                  " columns, found " +
                                                  std::to_string(rec.fields.size())});
            continue;
        }
        convert_row(cx, row, rec.line);
    }
    return out;
}

// ---- JSON ---------------------------------------------------------------------------------

// A positional scanner over already-validated JSON: finds where each item starts, for line
// numbers (Boost.JSON values do not keep their source positions).
struct JsonScan {
    std::string_view s;

    std::size_t ws(std::size_t i) const {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
        return i;
    }
    std::size_t string_end(std::size_t i) const {  // i at '"'; returns index after closing '"'
        for (++i; i < s.size(); ++i) {
            if (s[i] == '\\') {
                ++i;
            } else if (s[i] == '"') {
                return i + 1;
            }
        }
        return s.size();
    }
    std::size_t value_end(std::size_t i) const {
        i = ws(i);
        if (i >= s.size()) return i;
        if (s[i] == '"') return string_end(i);
        if (s[i] == '{' || s[i] == '[') {
            int depth = 0;
            for (; i < s.size(); ++i) {
                if (s[i] == '"') {
                    i = string_end(i) - 1;
                } else if (s[i] == '{' || s[i] == '[') {
                    ++depth;
                } else if (s[i] == '}' || s[i] == ']') {
                    if (--depth == 0) return i + 1;
                }
            }
            return i;
        }
        while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
               s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            ++i;
        return i;
    }
    // Position of member `key`'s value in the object at i, or npos.
    std::size_t member(std::size_t i, std::string_view key) const {
        i = ws(i);
        if (i >= s.size() || s[i] != '{') return std::string_view::npos;
        i = ws(i + 1);
        while (i < s.size() && s[i] == '"') {
            const std::size_t k_end = string_end(i);
            const std::string_view k = s.substr(i + 1, k_end - i - 2);
            i = ws(k_end);
            if (i >= s.size() || s[i] != ':') return std::string_view::npos;
            const std::size_t v = ws(i + 1);
            if (k == key) return v;
            i = ws(value_end(v));
            if (i < s.size() && s[i] == ',') i = ws(i + 1);
        }
        return std::string_view::npos;
    }
    // Start positions of the elements of the array at i (or {i} for a single value).
    std::vector<std::size_t> elements(std::size_t i) const {
        std::vector<std::size_t> out;
        i = ws(i);
        if (i >= s.size()) return out;
        if (s[i] != '[') return {i};
        i = ws(i + 1);
        while (i < s.size() && s[i] != ']') {
            out.push_back(i);
            i = ws(value_end(i));
            if (i < s.size() && s[i] == ',') i = ws(i + 1);
        }
        return out;
    }
    int line_of(std::size_t pos) const {
        return 1 + int(std::count(s.begin(), s.begin() + std::min(pos, s.size()), '\n'));
    }
};

// A JSON scalar as text: strings as they are, integers exactly, doubles through their shortest
// round-trip form ("2.99"), booleans/null as absent.
std::optional<std::string> scalar_text(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_double()) {
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
        return std::string(buf, r.ptr);
    }
    return std::nullopt;
}

Result<ParsedQuotes> parse_json(const std::string& text_utf8, const KrxCalendar& calendar,
                                const ImportOptions& options, ParsedQuotes out) {
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(text_utf8, ec);
    if (ec) return make_error(Errc::invalid_input, "not valid JSON: " + ec.message());
    const JsonScan scan{text_utf8};

    // Where the items are: response.body.items.item, OutBlock_1, or a bare array.
    const boost::json::value* items = nullptr;
    std::size_t items_pos = scan.ws(0);
    if (doc.is_array()) {
        items = &doc;
    } else if (doc.is_object()) {
        const auto& o = doc.get_object();
        if (auto* ob = o.if_contains("OutBlock_1")) {
            items = ob;
            items_pos = scan.member(items_pos, "OutBlock_1");
        } else if (auto* resp = o.if_contains("response")) {
            std::size_t pos = scan.member(items_pos, "response");
            const boost::json::value* cur = resp;
            if (cur->is_object()) {
                if (auto* header = cur->get_object().if_contains("header");
                    header && header->is_object()) {
                    if (auto* rc = header->get_object().if_contains("resultCode");
                        rc && rc->is_string() && rc->get_string() != "00") {
                        std::string msg;
                        if (auto* m = header->get_object().if_contains("resultMsg");
                            m && m->is_string())
                            msg = std::string(m->get_string());
                        return make_error(Errc::invalid_input, "the API answered resultCode " +
                                                                   std::string(rc->get_string()) +
                                                                   " " + msg);
                    }
                }
            }
            for (std::string_view key : {"body", "items", "item"}) {
                if (!cur || !cur->is_object()) {
                    cur = nullptr;
                    break;
                }
                auto* next = cur->get_object().if_contains(key);
                if (!next) {
                    // An empty result: "items":"" or no item member.
                    if (key == "item" || (key == "items")) {
                        out.format = family_format(1, true);
                        return out;
                    }
                    cur = nullptr;
                    break;
                }
                if (pos != std::string_view::npos) pos = scan.member(pos, key);
                cur = next;
            }
            items = cur;
            items_pos = pos;
            if (items && items->is_string()) {  // "items": "" when nothing matched
                out.format = family_format(1, true);
                return out;
            }
        }
    }
    if (!items || !(items->is_array() || items->is_object()))
        return make_error(Errc::invalid_input,
                          "no quote items found (expected response.body.items.item, OutBlock_1 "
                          "or an array of items)");
    std::vector<const boost::json::value*> list;
    if (items->is_array()) {
        for (const auto& v : items->get_array()) list.push_back(&v);
    } else {
        list.push_back(items);  // data.go.kr answers a single row as an object
    }
    const auto positions =
        items_pos == std::string_view::npos ? std::vector<std::size_t>{} : scan.elements(items_pos);

    int family_votes[4] = {0, 0, 0, 0};
    Context cx{calendar, options, out, {}};
    for (std::size_t n = 0; n < list.size(); ++n) {
        ++out.rows;
        const int line = n < positions.size() ? scan.line_of(positions[n]) : 0;
        if (!list[n]->is_object()) {
            out.problems.push_back({line, "item " + std::to_string(n + 1) + " is not an object"});
            continue;
        }
        RawRow row;
        for (const auto& [key, value] : list[n]->get_object()) {
            for (const auto& a : kAliases) {
                if (a.name == std::string_view(key) && !row[a.field]) {
                    row[a.field] = scalar_text(value);
                    ++family_votes[a.family];
                }
            }
        }
        convert_row(cx, row, line);
    }
    const int family = int(std::max_element(family_votes + 1, family_votes + 4) - family_votes);
    out.format = family_format(family_votes[family] ? family : 0, true);
    return out;
}

}  // namespace

std::optional<CivilDate> parse_civil_date(std::string_view text) {
    text = text::trim(text);
    std::string digits;
    if (text.size() == 10 && (text[4] == '-' || text[4] == '/' || text[4] == '.') &&
        text[7] == text[4]) {
        digits = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2)) +
                 std::string(text.substr(8, 2));
    } else if (text.size() == 8) {
        digits = std::string(text);
    } else {
        return std::nullopt;
    }
    for (char c : digits)
        if (c < '0' || c > '9') return std::nullopt;
    const int y = std::stoi(digits.substr(0, 4));
    const int m = std::stoi(digits.substr(4, 2));
    const int d = std::stoi(digits.substr(6, 2));
    if (!valid_date(y, m, d)) return std::nullopt;
    return CivilDate{y, m, d};
}

Status add_extra_holidays(KrxCalendar& calendar, std::span<const std::string> dates) {
    for (std::size_t i = 0; i < dates.size(); ++i) {
        const auto d = parse_civil_date(dates[i]);
        if (!d)
            return make_error(Errc::invalid_input, "market.holidays[" + std::to_string(i) + "]: '" +
                                                       dates[i] + "' is not a date YYYY-MM-DD");
        calendar.add_holiday(d->year, d->month, d->day, "휴장일 (설정)");
    }
    return ok();
}

Result<std::string> decode_text(std::string_view bytes, std::string* encoding) {
    auto set = [&](const char* e) {
        if (encoding) *encoding = e;
    };
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
        if (!text::is_valid_utf8(bytes))
            return make_error(Errc::invalid_input,
                              "the file starts with a UTF-8 BOM but is not valid UTF-8");
        set("UTF-8 (BOM)");
        return std::string(bytes);
    }
    if (text::is_valid_utf8(bytes)) {
        set("UTF-8");
        return std::string(bytes);
    }
    iconv_t cd = iconv_open("UTF-8", "CP949");
    if (cd == reinterpret_cast<iconv_t>(-1))
        return make_error(Errc::unavailable, "iconv has no CP949 converter on this system");
    std::string out(bytes.size() * 2 + 16, '\0');
    char* in_ptr = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    while (in_left > 0) {
        const std::size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
        if (r != static_cast<std::size_t>(-1)) break;
        if (errno == E2BIG) {
            const std::size_t used = out.size() - out_left;
            out.resize(out.size() * 2);
            out_ptr = out.data() + used;
            out_left = out.size() - used;
            continue;
        }
        const std::size_t offset = bytes.size() - in_left;
        iconv_close(cd);
        return make_error(Errc::invalid_input,
                          "the file is neither UTF-8 nor CP949/EUC-KR (bad "
                          "byte at offset " +
                              std::to_string(offset) + ")");
    }
    iconv_close(cd);
    out.resize(out.size() - out_left);
    set("CP949");
    return out;
}

Result<ParsedQuotes> parse_stock_quotes(std::string_view bytes, const KrxCalendar& calendar,
                                        const ImportOptions& options) {
    ParsedQuotes out;
    auto decoded = decode_text(bytes, &out.encoding);
    if (!decoded) return decoded.error();
    const std::string& s = *decoded;
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return make_error(Errc::invalid_input, "the file is empty");
    if (s[first] == '{' || s[first] == '[') return parse_json(s, calendar, options, std::move(out));
    return parse_csv(s, calendar, options, std::move(out));
}

Result<ImportSummary> import_stock_quotes(store::MarketStore& store, std::string_view bytes,
                                          const KrxCalendar& calendar,
                                          const ImportOptions& options) {
    auto parsed = parse_stock_quotes(bytes, calendar, options);
    if (!parsed) return parsed.error();
    ImportSummary sum;
    sum.parsed = std::move(*parsed);

    auto known = store.instruments();
    if (!known) return known.error();
    auto stored = store.quotes();
    if (!stored) return stored.error();
    std::map<std::string, const Instrument*> instruments;
    for (const auto& i : *known) instruments.emplace(i.code, &i);
    std::map<std::string, std::int64_t> stored_as_of;
    std::map<std::string, int> last_day_by_market;  // newest stored end-of-day per market
    for (const auto& q : *stored) {
        stored_as_of[q.code] = q.as_of_ms;
        auto it = instruments.find(q.code);
        if (it == instruments.end() || it->second->asset != AssetClass::stock) continue;
        int& d = last_day_by_market[it->second->market];
        d = std::max(d, kst_day(q.as_of_ms));
    }

    std::vector<Instrument> ins;
    std::vector<Quote> quotes;
    for (auto& rec : sum.parsed.records) {
        if (auto it = stored_as_of.find(rec.quote.code);
            it != stored_as_of.end() && it->second > rec.quote.as_of_ms) {
            ++sum.older_skipped;
            continue;
        }
        if (auto it = instruments.find(rec.instrument.code); it != instruments.end()) {
            if (rec.instrument.listing_day == 0)
                rec.instrument.listing_day = it->second->listing_day;
        } else if (rec.instrument.listing_day == 0) {
            // Never seen, and the store holds this market's previous trading day: listed today.
            const auto prev = last_day_by_market.find(rec.instrument.market);
            if (prev != last_day_by_market.end() && prev->second < rec.trading_day) {
                const CivilDate day{rec.trading_day / 10000, rec.trading_day / 100 % 100,
                                    rec.trading_day % 100};
                const CivilDate before =
                    calendar.last_close_day(calendar.close_ms(day) - 24LL * 3600 * 1000);
                if (to_yyyymmdd(before) == prev->second)
                    rec.instrument.listing_day = rec.trading_day;
            }
        }
        if (rec.instrument.listing_day == rec.trading_day) ++sum.new_listings;
        sum.first_day = sum.first_day ? std::min(sum.first_day, rec.trading_day) : rec.trading_day;
        sum.last_day = std::max(sum.last_day, rec.trading_day);
        ins.push_back(rec.instrument);
        quotes.push_back(rec.quote);
    }
    if (!quotes.empty()) {
        if (auto s = store.save_instruments_and_quotes(ins, quotes); !s) return s.error();
    }
    sum.imported = quotes.size();
    return sum;
}

std::string format_import_report(const ImportSummary& sum) {
    std::string out;
    for (const auto& p : sum.parsed.problems) {
        out += p.line > 0 ? "line " + std::to_string(p.line) + ": " : std::string();
        out += p.reason;
        out += " (skipped)\n";
    }
    out += sum.parsed.format + ", " + sum.parsed.encoding + ": " + std::to_string(sum.parsed.rows) +
           " rows, " + std::to_string(sum.imported) + " imported, " +
           std::to_string(sum.parsed.problems.size()) + " with problems";
    if (sum.older_skipped)
        out += ", " + std::to_string(sum.older_skipped) + " older than the stored quote";
    if (sum.new_listings) out += ", " + std::to_string(sum.new_listings) + " 신규상장";
    if (sum.last_day) {
        out += "; trading day " + date_text(sum.first_day);
        if (sum.last_day != sum.first_day) out += " … " + date_text(sum.last_day);
    }
    out += '\n';
    return out;
}

void refresh_stock_state(Hub& hub, const KrxCalendar& calendar) {
    const auto stocks = hub.stocks();
    const auto delay = stock_delay(calendar, hub.clock().now_ms(), stocks);
    hub.set_krx_state(delay.state, delay.marker);
    if (!stocks.empty()) {
        const auto snap = hub.snapshot();
        hub.set_sources(snap->crypto_source, delay.end_of_day
                                                 ? "한국거래소 일별 시세 · 종가 기준"
                                                 : "한국거래소 시세 · 거래소 등락률 기준");
    }
}

Status load_stocks_into(Hub& hub, store::MarketStore& store, const KrxCalendar& calendar) {
    auto instruments = store.instruments();
    if (!instruments) return instruments.error();
    auto quotes = store.quotes();
    if (!quotes) return quotes.error();
    std::vector<Instrument> stocks;
    std::set<std::string> codes;
    for (auto& i : *instruments) {
        if (i.asset != AssetClass::stock) continue;
        codes.insert(i.code);
        stocks.push_back(std::move(i));
    }
    std::vector<Quote> stock_quotes;
    for (auto& q : *quotes)
        if (codes.contains(q.code)) stock_quotes.push_back(std::move(q));
    hub.upsert_stocks(std::move(stocks));
    hub.update(stock_quotes);
    refresh_stock_state(hub, calendar);
    return ok();
}

}  // namespace sinmun::market
