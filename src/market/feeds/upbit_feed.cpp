#include "market/feeds/upbit_feed.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "market/demo_feed.hpp"
#include "market/feeds/upbit_protocol.hpp"

namespace sinmun::market {

namespace {
constexpr std::size_t kSeenIds = 2048;
constexpr std::int64_t kLogEveryMs = 10'000;
constexpr int kCandlesPerCall = 200;
}  // namespace

std::vector<Instrument> UpbitFeed::default_markets() {
    std::vector<Instrument> out;
    for (auto& i : DemoMarket::instruments())
        if (i.asset == AssetClass::crypto) out.push_back(std::move(i));
    return out;
}

UpbitFeed::UpbitFeed(Hub& hub, const Clock& clock, UpbitFeedOptions options, HttpGet http_get)
    : hub_(hub), clock_(clock), options_(std::move(options)), http_get_(std::move(http_get)) {
    auto list = options_.markets.empty() ? default_markets() : options_.markets;
    markets_.reserve(list.size());
    for (auto& i : list) {
        Market m;
        m.instrument = std::move(i);
        markets_.push_back(std::move(m));
    }
    stats_.state = "stopped";
    last_minute_ = RollingWindow::minute_of(clock_.now_ms());
}

UpbitFeed::~UpbitFeed() { stop(); }

std::string UpbitFeed::subscription() const {
    std::vector<std::string> codes;
    for (const auto& m : markets_) codes.push_back(m.instrument.code);
    return upbit::subscription(options_.ticket, codes);
}

void UpbitFeed::start() {
    {
        std::lock_guard lk(run_mu_);
        if (started_) return;
        started_ = true;
        stopping_ = false;
    }
    const std::int64_t now = clock_.now_ms();
    if (options_.load_minutes) {
        auto rows = options_.load_minutes(RollingWindow::minute_of(now) - RollingWindow::kSlots);
        if (!rows) {
            spdlog::warn("upbit: could not reload the minute ring: {}", rows.error().message);
        } else {
            std::lock_guard lk(mu_);
            std::map<std::string, std::vector<MinuteClose>> by_code;
            for (auto& r : *rows) by_code[r.code].push_back(std::move(r));
            for (auto& m : markets_) {
                auto it = by_code.find(m.instrument.code);
                if (it == by_code.end()) continue;
                m.window.restore(it->second);
                // restore() treats the last stored minutes as unknown (the process may have
                // stopped inside them): the next save forgets them in the store too, unless a
                // backfill has confirmed them by then.
                if (auto h = m.window.head()) m.dirty_from = *h - 2;
            }
            spdlog::info("upbit: reloaded {} persisted minutes", rows->size());
        }
    }
    if (options_.register_instruments) {
        std::vector<Instrument> list;
        for (const auto& m : markets_) list.push_back(m.instrument);
        hub_.set_instruments(std::move(list));
    }
    hub_.set_sources(kCryptoSource, hub_.snapshot()->stock_source);
    hub_.set_demo(false);
    {
        std::lock_guard lk(mu_);
        stats_.state = "connecting";
    }
    thread_ = std::thread([this] {
        std::unique_lock lk(run_mu_);
        while (!stopping_) {
            lk.unlock();
            try {
                tick();
            } catch (const std::exception& e) {
                spdlog::error("upbit: tick failed: {}", e.what());
            }
            lk.lock();
            run_cv_.wait_for(lk, std::chrono::milliseconds(options_.heartbeat_ms),
                             [this] { return stopping_; });
        }
    });
}

void UpbitFeed::stop() {
    {
        std::lock_guard lk(run_mu_);
        if (!started_) return;
        stopping_ = true;
    }
    run_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lk(run_mu_);
    started_ = false;
    std::lock_guard lk2(mu_);
    stats_.state = "stopped";
}

UpbitFeed::Market* UpbitFeed::find_locked(std::string_view code) {
    for (auto& m : markets_)
        if (m.instrument.code == code) return &m;
    return nullptr;
}
const UpbitFeed::Market* UpbitFeed::find_locked(std::string_view code) const {
    for (const auto& m : markets_)
        if (m.instrument.code == code) return &m;
    return nullptr;
}

std::vector<std::string> UpbitFeed::on_connected() {
    std::lock_guard lk(mu_);
    if (stats_.connects > 0) ++stats_.reconnects;
    ++stats_.connects;
    stats_.connected = true;
    connected_at_ms_ = clock_.now_ms();
    stats_.last_message_ms = connected_at_ms_;  // liveness counts from the connect
    spdlog::info("upbit: connected to {} (connect #{})", options_.ws_url, stats_.connects);
    std::vector<std::string> codes;
    for (const auto& m : markets_) codes.push_back(m.instrument.code);
    return {upbit::subscription(options_.ticket, codes)};
}

void UpbitFeed::on_disconnected(std::string_view reason) {
    std::lock_guard lk(mu_);
    if (!stats_.connected) {
        if (reason == "stopped") return;
        ++stats_.connect_failures;
        stats_.last_error = "connect failed: " + std::string(reason);
        note_problem(stats_.last_error);
        return;
    }
    stats_.connected = false;
    const std::int64_t now = clock_.now_ms();
    for (auto& m : markets_) {
        m.window.disconnected(now);
        // The minutes disconnected() made unknown (the one in progress, and those whose late
        // trades may have been in flight) are saved as unknown, so the store forgets the closes
        // it was given for them: a restart must not take them for known unless the backfill or
        // a later trade of the same minute confirms them.
        const std::int64_t from =
            RollingWindow::minute_of(now - RollingWindow::kLateMs - RollingWindow::kSkewMs);
        if (auto h = m.window.head()) m.dirty_from = std::min({m.dirty_from, *h - 2, from});
    }
    stats_.last_error = "disconnected: " + std::string(reason);
    spdlog::warn("upbit: disconnected: {}", reason);
}

void UpbitFeed::note_problem(std::string what) {
    // Caller holds mu_.
    const std::int64_t now = clock_.now_ms();
    if (now - last_problem_log_ms_ >= kLogEveryMs) {
        if (suppressed_logs_ > 0)
            spdlog::warn("upbit: {} (and {} more since the last report)", what, suppressed_logs_);
        else
            spdlog::warn("upbit: {}", what);
        last_problem_log_ms_ = now;
        suppressed_logs_ = 0;
    } else {
        ++suppressed_logs_;
    }
    stats_.last_error = std::move(what);
}

void UpbitFeed::apply_print(Market& m, std::int64_t ts, Decimal price, bool snapshot) {
    const bool new_print =
        !m.print_price || ts > m.print_ms || (ts == m.print_ms && price != *m.print_price);
    const auto head_before = m.window.head();
    const auto outcome = snapshot ? m.window.snapshot(ts, price) : m.window.on_trade(ts, price);
    if (outcome == RollingWindow::TradeOutcome::too_old ||
        outcome == RollingWindow::TradeOutcome::ignored)
        return;
    ++stats_.trades;
    // A trade past the head also carried the minutes between (persist those too).
    m.dirty_from = std::min(
        {m.dirty_from, RollingWindow::minute_of(ts), head_before ? *head_before + 1 : INT64_MAX});
    if (new_print && ts >= m.print_ms) {
        if (m.print_price) m.tick = price > *m.print_price ? 1 : price < *m.print_price ? -1 : 0;
        m.print_price = price;
        m.print_ms = ts;
    }
}

void UpbitFeed::on_message(std::string_view payload, bool /*binary*/) {
    auto parsed = upbit::parse_message(payload);
    std::vector<Quote> quotes;
    {
        std::lock_guard lk(mu_);
        const std::int64_t now = clock_.now_ms();
        ++stats_.messages;
        stats_.last_message_ms = now;
        if (!parsed) {
            ++stats_.malformed;
            note_problem("malformed message (" + std::to_string(payload.size()) +
                         " bytes): " + parsed.error().message);
            return;
        }
        if (const auto* e = std::get_if<upbit::ErrorMessage>(&*parsed)) {
            ++stats_.exchange_errors;
            note_problem("exchange error " + e->name + ": " + e->message);
            return;
        }
        Market* m = nullptr;
        if (const auto* t = std::get_if<upbit::Ticker>(&*parsed)) {
            m = find_locked(t->code);
            if (!m) return;
            m->halted = t->is_trading_suspended ||
                        (!t->market_state.empty() && t->market_state != "ACTIVE");
            apply_print(*m, t->trade_timestamp, t->trade_price,
                        t->stream_type == upbit::StreamType::snapshot);
        } else if (const auto* t = std::get_if<upbit::Trade>(&*parsed)) {
            m = find_locked(t->code);
            if (!m) return;
            if (!m->seen.insert(t->sequential_id).second) {
                ++stats_.duplicates;
                return;
            }
            m->seen_order.push_back(t->sequential_id);
            if (m->seen_order.size() > kSeenIds) {
                m->seen.erase(m->seen_order.front());
                m->seen_order.pop_front();
            }
            apply_print(*m, t->trade_timestamp, t->trade_price,
                        t->stream_type == upbit::StreamType::snapshot);
        } else {
            return;  // status UP, other types: liveness only
        }
        if (m->print_price) quotes.push_back(quote_locked(*m, now));
    }
    if (!quotes.empty()) hub_.update(quotes);
}

Quote UpbitFeed::quote_locked(const Market& m, std::int64_t now_ms) const {
    Quote q;
    q.code = m.instrument.code;
    q.price = m.window.last_price().value_or(*m.print_price);
    q.change_ppm = m.window.change_ppm(now_ms);
    q.tick = m.tick;
    q.as_of_ms = m.window.last_ms() ? m.window.last_ms() : m.print_ms;
    q.halted = m.halted;
    return q;
}

void UpbitFeed::push_quotes(bool only_live) {
    std::vector<Quote> quotes;
    {
        std::lock_guard lk(mu_);
        const std::int64_t now = clock_.now_ms();
        const bool live =
            stats_.connected && now - stats_.last_message_ms <= options_.stale_after_ms;
        if (only_live && !live) return;
        for (const auto& m : markets_)
            if (m.print_price) quotes.push_back(quote_locked(m, now));
    }
    if (!quotes.empty()) hub_.update(quotes);
}

void UpbitFeed::minute_work(std::int64_t now_ms) {
    std::vector<MinuteClose> rows;
    {
        std::lock_guard lk(mu_);
        for (auto& m : markets_) {
            const auto before = m.window.head();
            m.window.carry_to(now_ms);
            if (before && m.window.head() != before)
                m.dirty_from = std::min(m.dirty_from, *before + 1);
            if (m.dirty_from == INT64_MAX || !options_.save_minutes) continue;
            for (auto& s : m.window.slots_since(m.dirty_from, /*with_unknown=*/true)) {
                s.code = m.instrument.code;
                rows.push_back(std::move(s));
            }
            m.dirty_from = INT64_MAX;
        }
    }
    if (!rows.empty()) {
        auto st = options_.save_minutes(rows);
        if (!st) {
            spdlog::warn("upbit: could not persist {} minutes: {}", rows.size(),
                         st.error().message);
            // Save them again with the next minute's rows.
            std::lock_guard lk(mu_);
            for (const auto& r : rows)
                if (Market* m = find_locked(r.code))
                    m->dirty_from = std::min(m->dirty_from, r.minute);
        }
    }
}

void UpbitFeed::pace_rest() {
    const auto gap =
        static_cast<std::int64_t>(1000.0 / std::max(0.1, options_.rest_requests_per_second));
    std::int64_t wait = 0;
    {
        std::lock_guard lk(mu_);
        const std::int64_t now = clock_.now_ms();
        wait = std::clamp<std::int64_t>(last_rest_ms_ + gap - now, 0, gap);
        last_rest_ms_ = now + wait;
    }
    if (wait > 0) {
        std::unique_lock lk(run_mu_);
        run_cv_.wait_for(lk, std::chrono::milliseconds(wait), [this] { return stopping_; });
    }
}

Result<std::vector<MinuteCandle>> UpbitFeed::fetch_candles(const std::string& code,
                                                           std::int64_t to_ms, int count) {
    pace_rest();
    {
        std::lock_guard lk(mu_);
        ++stats_.backfill_requests;
    }
    const std::string url = options_.rest_url + upbit::candles_target(code, to_ms, count);
    auto answer = http_get_(url);
    if (!answer) return answer.error();
    if (answer->status != 200)
        return make_error(
            answer->status == 429 || answer->status == 418 ? Errc::rate_limited : Errc::unavailable,
            "candles " + code + ": HTTP " + std::to_string(answer->status));
    return upbit::parse_candles(answer->body);
}

// Fills the oldest unknown run of one market; false when there was nothing to do.
bool UpbitFeed::backfill_one(std::int64_t now_ms) {
    if (!http_get_) return false;
    std::string code;
    std::int64_t first = 0, last = 0;
    bool need_before = false;
    {
        std::lock_guard lk(mu_);
        if (!stats_.connected || now_ms - connected_at_ms_ < options_.backfill_delay_ms)
            return false;
        const std::int64_t complete = RollingWindow::minute_of(now_ms) - 1;
        for (auto& m : markets_) {
            if (m.window.empty()) continue;
            for (auto [a, b] : m.window.unknown_runs()) {
                b = std::min(b, complete);
                if (a > b) continue;
                auto it = m.attempts.find(b);
                if (it != m.attempts.end() && now_ms - it->second < options_.backfill_retry_ms)
                    continue;
                m.attempts[b] = now_ms;
                if (m.attempts.size() > 64) m.attempts.erase(m.attempts.begin());
                code = m.instrument.code;
                first = a;
                last = b;
                const auto prev = m.window.slot(a - 1);
                need_before = !prev || prev->state == SlotState::unknown;
                break;
            }
            if (!code.empty()) break;
        }
    }
    if (code.empty()) return false;
    std::vector<MinuteCandle> candles;
    std::optional<Decimal> before;
    bool failed = false;
    for (std::int64_t end = last; end >= first && !failed;) {
        const int count =
            static_cast<int>(std::min<std::int64_t>(kCandlesPerCall, end - first + 1));
        auto page = fetch_candles(code, (end + 1) * RollingWindow::kMinuteMs, count);
        if (!page) {
            std::lock_guard lk(mu_);
            ++stats_.backfill_failures;
            note_problem("backfill " + code + ": " + page.error().message);
            failed = true;
            break;
        }
        candles.insert(candles.end(), page->begin(), page->end());
        end -= count;
        std::lock_guard lk(run_mu_);
        if (stopping_) return true;
    }
    if (failed) return true;
    if (need_before) {
        const bool have_first =
            std::any_of(candles.begin(), candles.end(),
                        [&](const MinuteCandle& c) { return c.minute == first; });
        if (!have_first) {
            auto page = fetch_candles(code, first * RollingWindow::kMinuteMs, 1);
            if (page && !page->empty() && page->front().minute < first)
                before = page->front().close;
        }
    }
    std::vector<Quote> quotes;
    {
        std::lock_guard lk(mu_);
        Market* m = find_locked(code);
        if (!m) return true;
        m->window.apply_candles(first, last, candles, before);
        m->dirty_from = std::min(m->dirty_from, first);
        ++stats_.backfill_runs;
        spdlog::info("upbit: backfilled {} minutes {}..{} from {} candles", code, first, last,
                     candles.size());
    }
    return true;
}

void UpbitFeed::tick() {
    const std::int64_t now = clock_.now_ms();
    const std::int64_t minute = RollingWindow::minute_of(now);
    bool new_minute = false;
    {
        std::lock_guard lk(mu_);
        if (minute != last_minute_) {
            last_minute_ = minute;
            new_minute = true;
        }
        const bool live =
            stats_.connected && now - stats_.last_message_ms <= options_.stale_after_ms;
        stats_.live = live;
        if (stats_.state != "stopped" || stats_.connects > 0)
            stats_.state = live ? "live" : stats_.connected ? "stale" : "connecting";
    }
    if (new_minute) minute_work(now);
    backfill_one(now);
    push_quotes(true);
    hub_.tick();
}

UpbitFeedStats UpbitFeed::stats() const {
    std::lock_guard lk(mu_);
    UpbitFeedStats s = stats_;
    const std::int64_t now = clock_.now_ms();
    s.live = s.connected && now - s.last_message_ms <= options_.stale_after_ms;
    if (s.state != "stopped") s.state = s.live ? "live" : s.connected ? "stale" : "connecting";
    return s;
}

std::optional<std::int64_t> UpbitFeed::change_ppm(std::string_view code) const {
    std::lock_guard lk(mu_);
    const Market* m = find_locked(code);
    if (!m) return std::nullopt;
    return m->window.change_ppm(clock_.now_ms());
}

std::optional<Decimal> UpbitFeed::reference(std::string_view code) const {
    std::lock_guard lk(mu_);
    const Market* m = find_locked(code);
    if (!m) return std::nullopt;
    return m->window.reference(clock_.now_ms());
}

std::vector<std::pair<std::int64_t, std::int64_t>> UpbitFeed::unknown_runs(
    std::string_view code) const {
    std::lock_guard lk(mu_);
    const Market* m = find_locked(code);
    if (!m) return {};
    return m->window.unknown_runs();
}

}  // namespace sinmun::market
