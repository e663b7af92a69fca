// Stock quotes in: the public end-of-day files (CSV or JSON) for KOSPI/KOSDAQ, stored through
// MarketStore and loaded into the Hub at start-up.
//
// Accepted files (format detected from the content, field names matched exactly):
//   - 금융위원회_주식시세정보 (data.go.kr getStockPriceInfo): basDt, srtnCd, isinCd, itmsNm,
//   mrktCtg,
//     clpr, vs, fltRt, mkp, hipr, lopr, trqu, trPrc, lstgStCnt, mrktTotAmt. JSON as the API's
//     `response.body.items.item` (an array, or a single object when there is one row) or a bare
//     array of items; CSV with those headers.
//   - KRX Open API daily trading (stk_bydd_trd / ksq_bydd_trd): JSON {"OutBlock_1":[{BAS_DD,
//     ISU_CD, ISU_NM, MKT_NM, SECT_TP_NM, TDD_CLSPRC, CMPPREVDD_PRC, FLUC_RT, TDD_OPNPRC,
//     TDD_HGPRC, TDD_LWPRC, ACC_TRDVOL, ACC_TRDVAL, MKTCAP, LIST_SHRS}]} with string values.
//   - data.krx.co.kr 전종목 시세 CSV: 종목코드, 종목명, 시장구분, 소속부, 종가, 대비, 등락률, 시가,
//   고가,
//     저가, 거래량, 거래대금, 시가총액, 상장주식수 (no date column: pass ImportOptions::date).
// Optional extra columns in any format: 상장일 / listing_date (YYYY-MM-DD or YYYYMMDD).
//
// Encoding: UTF-8 with or without BOM; anything that is not valid UTF-8 is read as CP949
// (EUC-KR's superset, what the KRX site downloads) through iconv(3). Text is NFC-normalised.
// Numbers may carry thousands separators, quotes, spaces and a sign; prices are exact Decimals
// (JSON numbers too: a double is read back through its shortest round-trip text).
//
// Row rules: code, name, market, 종가 and 등락률 are required; a row with a problem is reported
// with its line number (CSV: the physical line of the record; JSON: the line where the item
// starts) and skipped, the others are imported. 등락률 is the exchange's (never recomputed);
// 기준가 = 종가 − 대비 when 대비 is present; 상한가 is marked by market/gainers.hpp's rule; a row
// with no trades (거래량 0 and 시가 0) is 거래정지. Each quote's as_of is its trading day's close
// (15:30 KST, or the calendar's special session close).
//
// 신규상장 (first trading day): from a 상장일 column when present; otherwise a code the store has
// never seen, in a file for the trading day right after the last day the store holds for that
// market, is taken as listed that day (the first import of a market marks nobody).
//
// Thread-safety: free functions over caller-owned values; the store and hub are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "market/hub.hpp"
#include "market/krx_calendar.hpp"
#include "market/model.hpp"

namespace sinmun::store {
class MarketStore;
}

namespace sinmun::market {

struct StockRecord {
    Instrument instrument;  // asset stock, kind classified, listing_day when known
    Quote quote;            // end_of_day, as_of = the day's close, base_price when 대비 given
    int trading_day = 0;    // YYYYMMDD
    int line = 0;           // where the row starts in the file
};

struct ImportProblem {
    int line = 0;  // 1-based; 0: not tied to a line
    std::string reason;
};

struct ParsedQuotes {
    std::string
        format;  // "data.go.kr 주식시세정보 JSON", "KRX 일별매매정보 JSON", "KRX 전종목 시세 CSV" …
    std::string encoding;              // "UTF-8", "UTF-8 (BOM)", "CP949"
    std::size_t rows = 0;              // data rows seen
    std::vector<StockRecord> records;  // the good rows, in file order, one per code
    std::vector<ImportProblem> problems;
};

struct ImportOptions {
    std::optional<CivilDate> date;  // trading day for rows without one; rows with another → problem
    std::int64_t now_ms = 0;        // rows of a day whose session has not closed yet → problem
};

// Converts file bytes to UTF-8 (strips a BOM; CP949 when not valid UTF-8). `encoding` receives
// the name of what was found. Errors name the byte offset that is neither.
Result<std::string> decode_text(std::string_view bytes, std::string* encoding = nullptr);

// Parses a whole file. An error only when nothing can be read (not CSV or JSON, no header, a
// JSON syntax error, no known columns, no trading date); row problems are in the result.
Result<ParsedQuotes> parse_stock_quotes(std::string_view bytes, const KrxCalendar& calendar,
                                        const ImportOptions& options);

struct ImportSummary {
    ParsedQuotes parsed;
    std::size_t imported = 0;
    std::size_t older_skipped = 0;    // the store already had a newer quote for the code
    std::size_t new_listings = 0;     // marked 신규상장
    int first_day = 0, last_day = 0;  // YYYYMMDD range of the imported rows
};

// parse_stock_quotes, then stores the good rows (instruments and quotes) in one transaction.
Result<ImportSummary> import_stock_quotes(store::MarketStore& store, std::string_view bytes,
                                          const KrxCalendar& calendar,
                                          const ImportOptions& options);

// The lines the CLI prints: problems by line, then a one-line summary.
std::string format_import_report(const ImportSummary& summary);

// Loads the stored stock instruments and quotes into the hub (crypto instruments untouched), then
// refresh_stock_state(). Call after the crypto/demo feeds registered their instruments (their
// Hub::set_instruments replaces the whole table).
Status load_stocks_into(Hub& hub, store::MarketStore& store, const KrxCalendar& calendar);

// Sets the hub's KRX state and marker from the stock quotes it holds (market/gainers.hpp
// stock_delay) and, when there are stock quotes, the stock source line. Call about once a
// minute (and after an import or push) when no demo feed owns the state line.
void refresh_stock_state(Hub& hub, const KrxCalendar& calendar);

// "2026-06-03" or "20260603", a real calendar date.
std::optional<CivilDate> parse_civil_date(std::string_view text);

// Adds config holidays ([market] holidays = ["2026-06-03", …]). Errors name the bad entry.
Status add_extra_holidays(KrxCalendar& calendar, std::span<const std::string> dates);

}  // namespace sinmun::market
