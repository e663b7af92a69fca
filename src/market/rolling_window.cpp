#include "market/rolling_window.hpp"

#include <algorithm>

namespace sinmun::market {

void RollingWindow::advance_head(std::int64_t m, bool carry, Decimal close, std::int64_t close_ms) {
    const std::int64_t start = head_ ? std::max(*head_ + 1, m - (kSlots - 1)) : m;
    for (std::int64_t k = start; k <= m; ++k) {
        Slot& s = at(k);
        s.minute = k;
        if (carry) {
            s.close = close;
            s.last_ms = close_ms;
            s.state = SlotState::carried;
        } else {
            s.close = Decimal{};
            s.last_ms = 0;
            s.state = SlotState::unknown;
        }
    }
    head_ = m;
}

void RollingWindow::recarry_after(std::int64_t from, Decimal close, std::int64_t close_ms,
                                  bool force) {
    if (!head_) return;
    for (std::int64_t k = from + 1; k <= *head_; ++k) {
        Slot& s = at(k);
        const bool unknown = s.minute != k || s.state == SlotState::unknown;
        if (unknown && !force) break;
        if (!unknown && s.state != SlotState::carried) break;
        s.minute = k;
        s.close = close;
        s.last_ms = close_ms;
        s.state = SlotState::carried;
    }
}

RollingWindow::TradeOutcome RollingWindow::on_trade(std::int64_t ts_ms, Decimal price) {
    const std::int64_t m = minute_of(ts_ms);
    if (head_ && m < *head_ - (kSlots - 1)) return TradeOutcome::too_old;
    const bool newest = !last_price_ || ts_ms >= last_ms_;
    TradeOutcome outcome = TradeOutcome::applied;
    if (!head_ || m > *head_) {
        advance_head(m, continuous_ && last_price_.has_value(), last_price_.value_or(Decimal{}),
                     last_ms_);
        Slot& s = at(m);
        s.close = price;
        s.last_ms = ts_ms;
        s.state = SlotState::traded;
    } else {
        Slot& s = at(m);
        const bool unknown = s.minute != m || s.state == SlotState::unknown;
        if (unknown) {
            // Earlier trades of this minute may be missing; only the newest trade of all is
            // known to close it (later ones will be seen).
            if (!newest) return TradeOutcome::ignored;
        } else if (ts_ms < s.last_ms) {
            return TradeOutcome::ignored;  // an earlier trade of a minute whose close we know
        }
        s.minute = m;
        s.close = price;
        s.last_ms = ts_ms;
        s.state = SlotState::traded;
        recarry_after(m, price, ts_ms, false);
        if (m < *head_ || !newest) outcome = TradeOutcome::late_applied;
    }
    if (newest) {
        last_price_ = price;
        last_ms_ = ts_ms;
        continuous_ = true;
    }
    return outcome;
}

RollingWindow::TradeOutcome RollingWindow::snapshot(std::int64_t ts_ms, Decimal price) {
    if (last_price_ && ts_ms < last_ms_) return on_trade(ts_ms, price);
    const std::int64_t m = minute_of(ts_ms);
    if (!head_ || m >= *head_) return on_trade(ts_ms, price);
    if (m < *head_ - (kSlots - 1)) {
        // The latest trade is older than the whole window: every minute in it closed at price.
        recarry_after(*head_ - kSlots, price, ts_ms, true);
        last_price_ = price;
        last_ms_ = ts_ms;
        continuous_ = true;
        return TradeOutcome::applied;
    }
    // No trade happened after this one: its minute closed at price and so did every later one.
    Slot& s = at(m);
    s.minute = m;
    s.close = price;
    s.last_ms = ts_ms;
    s.state = SlotState::traded;
    recarry_after(m, price, ts_ms, true);
    last_price_ = price;
    last_ms_ = ts_ms;
    continuous_ = true;
    return TradeOutcome::applied;
}

void RollingWindow::disconnected(std::int64_t now_ms) {
    continuous_ = false;
    if (!head_) return;
    const std::int64_t from = minute_of(now_ms - kLateMs - kSkewMs);
    for (std::int64_t k = std::max(from, *head_ - (kSlots - 1)); k <= *head_; ++k)
        if (holds(k)) at(k).state = SlotState::unknown;
}

void RollingWindow::carry_to(std::int64_t now_ms) {
    if (!continuous_ || !head_ || !last_price_) return;
    const std::int64_t target = minute_of(now_ms) - 1;
    if (target > *head_) advance_head(target, true, *last_price_, last_ms_);
}

void RollingWindow::apply_candles(std::int64_t first, std::int64_t last,
                                  std::span<const MinuteCandle> candles,
                                  std::optional<Decimal> before) {
    if (!head_) return;
    first = std::max(first, *head_ - (kSlots - 1));
    last = std::min(last, *head_);
    if (first > last) return;
    std::vector<const MinuteCandle*> by_minute(static_cast<std::size_t>(last - first + 1), nullptr);
    for (const auto& c : candles) {
        if (c.minute < first || c.minute > last) continue;
        auto& slot = by_minute[static_cast<std::size_t>(c.minute - first)];
        if (!slot || c.last_ms >= slot->last_ms) slot = &c;
    }
    std::optional<Decimal> prev = before;
    std::int64_t prev_ms = 0;
    if (holds(first - 1) && at(first - 1).state != SlotState::unknown) {
        prev = at(first - 1).close;
        prev_ms = at(first - 1).last_ms;
    }
    for (std::int64_t k = first; k <= last; ++k) {
        Slot& s = at(k);
        const bool unknown = s.minute != k || s.state == SlotState::unknown;
        const MinuteCandle* c = by_minute[static_cast<std::size_t>(k - first)];
        if (c) {
            const bool keep = !unknown && s.state != SlotState::carried && s.last_ms > c->last_ms;
            if (!keep) {
                s.minute = k;
                s.close = c->close;
                s.last_ms = c->last_ms;
                s.state = SlotState::backfilled;
            }
        } else if (unknown) {
            if (!prev) continue;
            s.minute = k;
            s.close = *prev;
            s.last_ms = prev_ms;
            s.state = SlotState::backfilled;
        }
        prev = s.close;
        prev_ms = s.last_ms;
    }
    if (holds(last) && at(last).state != SlotState::unknown)
        recarry_after(last, at(last).close, at(last).last_ms, false);
}

std::optional<Decimal> RollingWindow::reference(std::int64_t now_ms) const {
    if (!head_) return std::nullopt;
    const std::int64_t m = minute_of(now_ms - kDayMs);
    if (m > *head_) {
        if (continuous_ && last_price_ && minute_of(last_ms_) <= m) return last_price_;
        return std::nullopt;
    }
    if (m < *head_ - (kSlots - 1)) return std::nullopt;
    const Slot& s = at(m);
    if (s.minute != m || s.state == SlotState::unknown) return std::nullopt;
    return s.close;
}

std::optional<std::int64_t> RollingWindow::change_ppm(std::int64_t now_ms) const {
    const auto ref = reference(now_ms);
    if (!ref || !last_price_) return std::nullopt;
    return sinmun::change_ppm(*last_price_, *ref);
}

std::vector<std::pair<std::int64_t, std::int64_t>> RollingWindow::unknown_runs() const {
    std::vector<std::pair<std::int64_t, std::int64_t>> runs;
    if (!head_) return runs;
    std::int64_t start = 0;
    bool in_run = false;
    for (std::int64_t k = *head_ - (kSlots - 1); k < *head_; ++k) {
        const bool unknown = !holds(k) || at(k).state == SlotState::unknown;
        if (unknown && !in_run) {
            start = k;
            in_run = true;
        }
        if (!unknown && in_run) {
            runs.emplace_back(start, k - 1);
            in_run = false;
        }
    }
    if (in_run) runs.emplace_back(start, *head_ - 1);
    return runs;
}

std::vector<MinuteClose> RollingWindow::slots_since(std::int64_t since_minute,
                                                    bool with_unknown) const {
    std::vector<MinuteClose> out;
    if (!head_) return out;
    for (std::int64_t k = std::max(since_minute, *head_ - (kSlots - 1)); k <= *head_; ++k) {
        const Slot& s = at(k);
        if (s.minute != k || s.state == SlotState::unknown) {
            if (with_unknown) out.push_back(MinuteClose{{}, k, {}, 0, SlotState::unknown});
            continue;
        }
        out.push_back(MinuteClose{{}, k, s.close, s.last_ms, s.state});
    }
    return out;
}

void RollingWindow::restore(std::span<const MinuteClose> slots) {
    ring_ = {};
    head_.reset();
    last_price_.reset();
    last_ms_ = 0;
    continuous_ = false;
    std::optional<std::int64_t> newest;
    for (const auto& s : slots)
        if (s.state != SlotState::unknown && (!newest || s.minute > *newest)) newest = s.minute;
    if (!newest) return;
    for (const auto& s : slots) {
        if (s.state == SlotState::unknown || s.minute < *newest - (kSlots - 1)) continue;
        Slot& r = at(s.minute);
        r.minute = s.minute;
        r.close = s.close;
        r.last_ms = s.last_ms;
        r.state = s.state;
    }
    head_ = newest;
    last_price_ = at(*newest).close;
    last_ms_ = at(*newest).last_ms;
    // The process may have stopped in the middle of that minute.
    disconnected((*newest + 1) * kMinuteMs);
}

std::optional<MinuteClose> RollingWindow::slot(std::int64_t minute) const {
    if (!holds(minute)) return std::nullopt;
    const Slot& s = at(minute);
    return MinuteClose{{}, s.minute, s.close, s.last_ms, s.state};
}

}  // namespace sinmun::market
