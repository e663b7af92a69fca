#include "market/hub.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace sinmun::market {

// The hub keeps only weak references, so a handle outliving its hub is harmless. The recursive
// mutex lets a callback reset its own subscription while reset() from another thread waits for a
// running callback to finish.
struct Subscription::Entry {
    std::recursive_mutex mu;
    std::function<void()> on_change;
    bool active = true;
};

Subscription::Subscription(Subscription&& other) noexcept : entry_(std::move(other.entry_)) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
    if (this != &other) {
        reset();
        entry_ = std::move(other.entry_);
    }
    return *this;
}

Subscription::~Subscription() { reset(); }

void Subscription::reset() {
    if (!entry_) return;
    {
        std::lock_guard lock(entry_->mu);
        entry_->active = false;
    }
    entry_.reset();
}

namespace {

// Everything a reader can see of a quote; as_of_ms alone changing is a heartbeat, not a change.
bool same_visible(const Quote& a, const Quote& b) {
    return std::tie(a.price, a.change_ppm, a.tick, a.trade_value, a.limit_up, a.halted) ==
           std::tie(b.price, b.change_ppm, b.tick, b.trade_value, b.limit_up, b.halted);
}

bool same_rows(const std::vector<StockRow>& a, const std::vector<StockRow>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].instrument.code != b[i].instrument.code ||
            a[i].instrument.name != b[i].instrument.name ||
            a[i].instrument.market != b[i].instrument.market ||
            !same_visible(a[i].quote, b[i].quote))
            return false;
    }
    return true;
}

}  // namespace

GainerRules HubOptions::gainer_rules() const {
    GainerRules r;
    r.limit = gainers_limit;
    r.min_trade_value = gainers_min_trade_value;
    r.only_rising = gainers_only_rising;
    r.markets = gainers_markets;
    r.exclude_first_day = gainers_exclude_first_day;
    r.exclude_etf_etn = gainers_exclude_etf_etn;
    r.exclude_preferred = gainers_exclude_preferred;
    r.exclude_halted = gainers_exclude_halted;
    return r;
}

Hub::Hub(const Clock& clock, HubOptions options)
    : clock_(clock), options_(options), snapshot_(std::make_shared<const Snapshot>()) {}

Hub::~Hub() = default;

void Hub::set_instruments(std::vector<Instrument> instruments) {
    {
        std::lock_guard lock(mu_);
        std::vector<Instrument> crypto;
        std::map<std::string, StockState> stocks;
        for (auto& ins : instruments) {
            if (ins.asset == AssetClass::crypto) {
                crypto.push_back(std::move(ins));
            } else {
                StockState st;
                if (auto it = stocks_.find(ins.code); it != stocks_.end()) st = it->second;
                st.instrument = std::move(ins);
                st.quote.code = st.instrument.code;
                stocks.insert_or_assign(st.instrument.code, std::move(st));
            }
        }
        std::stable_sort(
            crypto.begin(), crypto.end(),
            [](const Instrument& a, const Instrument& b) { return a.position < b.position; });
        std::vector<CryptoState> rows;
        std::map<std::string, std::size_t> index;
        for (auto& ins : crypto) {
            if (index.contains(ins.code)) continue;  // a duplicate code would show twice
            CryptoState row;
            if (auto it = crypto_index_.find(ins.code); it != crypto_index_.end())
                row = crypto_[it->second];
            row.instrument = std::move(ins);
            row.quote.code = row.instrument.code;
            index.emplace(row.instrument.code, rows.size());
            rows.push_back(std::move(row));
        }
        crypto_ = std::move(rows);
        crypto_index_ = std::move(index);
        stocks_ = std::move(stocks);
        gainers_ = rank_gainers_locked();
        publish_locked(true, true);
    }
    notify();
}

void Hub::update(std::span<const Quote> quotes) {
    bool changed = false;
    bool layout = false;
    bool stocks_changed = false;
    {
        std::lock_guard lock(mu_);
        const std::int64_t now = clock_.now_ms();
        const std::uint64_t next_seq = seq_ + 1;
        for (const Quote& q : quotes) {
            if (auto it = crypto_index_.find(q.code); it != crypto_index_.end()) {
                CryptoState& row = crypto_[it->second];
                row.last_update_ms = now;
                const bool visible_change =
                    !row.has_quote || row.stale || !same_visible(row.quote, q);
                if (!row.has_quote) layout = true;  // a row appears in the widget
                row.quote = q;
                row.has_quote = true;
                row.stale = false;
                if (visible_change) {
                    row.seq = next_seq;
                    changed = true;
                }
            } else if (auto st = stocks_.find(q.code); st != stocks_.end()) {
                if (!st->second.has_quote || !same_visible(st->second.quote, q))
                    stocks_changed = true;
                st->second.quote = q;
                st->second.has_quote = true;
            }
        }
        if (stocks_changed) {
            auto ranked = rank_gainers_locked();
            // Only a change of the list itself is news to the widget.
            stocks_changed = !same_rows(ranked, gainers_);
            gainers_ = std::move(ranked);
        }
        if (!changed && !stocks_changed) return;
        publish_locked(layout, stocks_changed);
    }
    notify();
}

void Hub::set_krx_state(KrxState state, std::string marker) {
    {
        std::lock_guard lock(mu_);
        if (state == krx_state_ && marker == krx_marker_) return;
        krx_state_ = state;
        krx_marker_ = std::move(marker);
        publish_locked(false, true);
    }
    notify();
}

void Hub::set_sources(std::string crypto_source, std::string stock_source) {
    {
        std::lock_guard lock(mu_);
        const bool crypto_changed = crypto_source != crypto_source_;
        const bool stock_changed = stock_source != stock_source_;
        if (!crypto_changed && !stock_changed) return;
        crypto_source_ = std::move(crypto_source);
        stock_source_ = std::move(stock_source);
        // Sources travel only in the snapshot event, so either change is a layout change.
        publish_locked(true, stock_changed);
    }
    notify();
}

void Hub::set_demo(bool demo) {
    {
        std::lock_guard lock(mu_);
        if (demo == demo_) return;
        demo_ = demo;
        publish_locked(true, false);
    }
    notify();
}

void Hub::tick() {
    {
        std::lock_guard lock(mu_);
        const std::int64_t now = clock_.now_ms();
        const std::uint64_t next_seq = seq_ + 1;
        bool flipped = false;
        for (auto& row : crypto_) {
            if (!row.has_quote) continue;
            const bool stale = now - row.last_update_ms >= options_.stale_after_ms;
            if (stale != row.stale) {
                row.stale = stale;
                row.seq = next_seq;
                flipped = true;
            }
        }
        if (!flipped) return;
        publish_locked(false, false);
    }
    notify();
}

std::shared_ptr<const Snapshot> Hub::snapshot() const {
    std::lock_guard lock(snapshot_mu_);
    return snapshot_;
}

Subscription Hub::subscribe(std::function<void()> on_change) {
    auto entry = std::make_shared<Subscription::Entry>();
    entry->on_change = std::move(on_change);
    std::lock_guard lock(subs_mu_);
    if (subs_.size() >= 2 * subs_swept_size_ + 16) {
        std::erase_if(subs_, [](const auto& w) { return w.expired(); });
        subs_swept_size_ = subs_.size();
    }
    subs_.push_back(entry);
    return Subscription(std::move(entry));
}

std::vector<StockRow> Hub::rank_gainers_locked() const {
    std::vector<StockRow> universe;
    universe.reserve(stocks_.size());
    for (const auto& [code, st] : stocks_)
        if (st.has_quote) universe.push_back(StockRow{st.instrument, st.quote, 0});
    return rank_gainers(universe, options_.gainer_rules());
}

std::vector<StockRow> Hub::stocks() const {
    std::lock_guard lock(mu_);
    std::vector<StockRow> out;
    out.reserve(stocks_.size());
    for (const auto& [code, st] : stocks_)
        if (st.has_quote) out.push_back(StockRow{st.instrument, st.quote, 0});
    return out;
}

void Hub::upsert_stocks(std::vector<Instrument> stocks) {
    {
        std::lock_guard lock(mu_);
        bool any = false;
        for (auto& ins : stocks) {
            if (ins.asset != AssetClass::stock) continue;
            auto& st = stocks_[ins.code];
            st.instrument = std::move(ins);
            st.quote.code = st.instrument.code;
            any = true;
        }
        if (!any) return;
        auto ranked = rank_gainers_locked();
        if (same_rows(ranked, gainers_)) return;
        gainers_ = std::move(ranked);
        publish_locked(false, true);
    }
    notify();
}

void Hub::publish_locked(bool crypto_layout_changed, bool stocks_changed) {
    ++seq_;
    if (crypto_layout_changed) layout_seq_ = seq_;
    if (stocks_changed) {
        stocks_seq_ = seq_;
        for (auto& g : gainers_) g.seq = seq_;
    }
    auto snap = std::make_shared<Snapshot>();
    snap->seq = seq_;
    snap->as_of_ms = clock_.now_ms();
    snap->demo = demo_;
    snap->crypto.reserve(crypto_.size());
    for (const auto& row : crypto_) {
        if (!row.has_quote) continue;  // nothing to show yet
        snap->crypto.push_back(CryptoRow{row.instrument, row.quote, row.stale, row.seq});
    }
    snap->gainers = gainers_;
    snap->krx_state = krx_state_;
    snap->krx_marker = krx_marker_;
    snap->stock_source = stock_source_;
    snap->crypto_source = crypto_source_;
    snap->stocks_seq = stocks_seq_;
    snap->layout_seq = layout_seq_;
    std::shared_ptr<const Snapshot> frozen = std::move(snap);
    std::lock_guard lock(snapshot_mu_);
    snapshot_.swap(frozen);
    // The old snapshot is released here or by its last reader, never while mu_ is contended long.
}

void Hub::notify() {
    std::vector<std::shared_ptr<Subscription::Entry>> live;
    {
        std::lock_guard lock(subs_mu_);
        live.reserve(subs_.size());
        std::erase_if(subs_, [&](const auto& w) {
            auto e = w.lock();
            if (!e) return true;
            live.push_back(std::move(e));
            return false;
        });
        subs_swept_size_ = subs_.size();
    }
    for (const auto& e : live) {
        std::lock_guard lock(e->mu);
        if (e->active && e->on_change) e->on_change();
    }
}

}  // namespace sinmun::market
