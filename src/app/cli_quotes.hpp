// `sinmun import-quotes FILE [--db PATH] [--date YYYY-MM-DD]`: loads a KOSPI/KOSDAQ end-of-day
// quote file (market/stock_import.hpp formats) into the database. Problems are printed by line on
// stderr and the summary on stdout; the good rows are stored in one transaction. A running server
// shows them after its next start (it loads stored quotes with market::load_stocks_into).
// Exit codes: 0 imported (also with skipped rows), 1 nothing could be read or stored.
#pragma once

#include <string>

#include "app/config.hpp"

namespace sinmun::app {

int run_import_quotes(const Config& cfg, const std::string& file, const std::string& date);

}  // namespace sinmun::app
