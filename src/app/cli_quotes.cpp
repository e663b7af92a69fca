#include "app/cli_quotes.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/clock.hpp"
#include "market/krx_calendar.hpp"
#include "market/stock_import.hpp"
#include "store/stores.hpp"

namespace sinmun::app {

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "sinmun: error: %s\n", message.c_str());
    return 1;
}

}  // namespace

int run_import_quotes(const Config& cfg, const std::string& file, const std::string& date) {
    market::ImportOptions options;
    options.now_ms = SystemClock::instance().now_ms();
    if (!date.empty()) {
        options.date = market::parse_civil_date(date);
        if (!options.date) return fail("--date: expected YYYY-MM-DD, got '" + date + "'");
    }
    market::KrxCalendar calendar;
    if (auto s = market::add_extra_holidays(calendar, cfg.krx_extra_holidays); !s)
        return fail(s.error().message);

    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(file + ": cannot be read");
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) return fail(file + ": read error");

    auto db = store::open_sqlite({.path = cfg.db_path});
    if (!db) return fail(db.error().message);
    auto summary = market::import_stock_quotes((*db)->market(), bytes.str(), calendar, options);
    if (!summary) return fail(file + ": " + summary.error().message);

    for (const auto& p : summary->parsed.problems) {
        std::fprintf(stderr, "%s:%s %s (skipped)\n", file.c_str(),
                     p.line > 0 ? (std::to_string(p.line) + ":").c_str() : "", p.reason.c_str());
    }
    std::string line = market::format_import_report(*summary);
    // The report's last line is the summary; problems were printed above with the file name.
    const auto last = line.rfind('\n', line.size() - 2);
    if (last != std::string::npos) line = line.substr(last + 1);
    std::fputs(line.c_str(), stdout);
    return summary->imported > 0 || summary->parsed.problems.empty() ? 0 : 1;
}

}  // namespace sinmun::app
