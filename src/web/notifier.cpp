// Notifier implementation (see notifier.hpp).
#include "web/notifier.hpp"

#include "core/text.hpp"
#include "web/middleware.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace sinmun::web {

namespace {

// "https://news.example:8443/article/1" → {"https://news.example:8443", "news.example"}.
struct Origin {
    std::string origin;  // scheme://authority
    std::string host;    // authority without port
};

std::optional<Origin> origin_of(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::nullopt;
    const auto path_start = url.find('/', scheme_end + 3);
    const std::string_view authority = url.substr(
        scheme_end + 3, path_start == std::string_view::npos ? std::string_view::npos
                                                             : path_start - scheme_end - 3);
    if (authority.empty()) return std::nullopt;
    std::string_view host = authority;
    if (host.front() == '[') {
        host = host.substr(0, host.find(']') + 1);
    } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
        host = host.substr(0, colon);
    }
    return Origin{std::string(url.substr(0, scheme_end + 3 + authority.size())), std::string(host)};
}

std::string json_str(std::string_view s) { return "\"" + text::json_escape(s) + "\""; }

bool retryable(const Result<HttpResponse>& r) {
    if (!r) return true;  // network error, timeout
    return r->status >= 500 || r->status == 429 || r->status == 408;
}

}  // namespace

Notifier::Notifier(NotifierOptions options, Poster poster)
    : opt_(std::move(options)), poster_(std::move(poster)), rng_(std::random_device{}()) {
    if (enabled()) worker_ = std::thread([this] { run(); });
}

Notifier::~Notifier() { stop(); }

void Notifier::stop() {
    {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        stopping_ = true;
        const std::size_t left = indexnow_.pending.size() + websub_.pending.size();
        if (left) spdlog::warn("notify: {} URLs not sent at shutdown", left);
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void Notifier::queue(Channel& ch, const std::string& url) {
    auto it = ch.pending.find(url);
    if (it != ch.pending.end()) {
        it->second = 0;  // a new change: its tries start over
        return;
    }
    if (ch.pending.size() >= opt_.max_pending) {
        ++stats_.overflow;
        spdlog::warn("notify: {} queue full ({} URLs); dropped {}", ch.name, ch.pending.size(),
                     url);
        return;
    }
    ch.pending.emplace(url, 0);
}

void Notifier::notify(const std::vector<std::string>& page_urls,
                      const std::vector<std::string>& feed_urls) {
    if (!enabled()) return;
    {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        if (indexnow_enabled())
            for (const auto& u : page_urls) queue(indexnow_, u);
        if (websub_enabled())
            for (const auto& u : feed_urls) queue(websub_, u);
    }
    cv_.notify_all();
}

std::chrono::milliseconds Notifier::retry_delay(int failures, const std::string& retry_after) {
    using std::chrono::milliseconds;
    if (!retry_after.empty()) {
        std::int64_t seconds = -1;
        const auto* end = retry_after.data() + retry_after.size();
        auto [p, ec] = std::from_chars(retry_after.data(), end, seconds);
        if (ec != std::errc{} || p != end) {
            seconds = -1;
            if (auto at = parse_http_date(retry_after)) {
                const auto now_ms = std::chrono::duration_cast<milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
                seconds = std::max<std::int64_t>(0, (*at - now_ms + 999) / 1000);
            }
        }
        if (seconds >= 0) return std::min(milliseconds(seconds * 1000), opt_.max_delay);
    }
    const int shift = std::clamp(failures - 1, 0, 30);
    const auto full = std::min<std::int64_t>(opt_.max_delay.count(),
                                             opt_.base_delay.count() * (std::int64_t{1} << shift));
    std::uniform_int_distribution<std::int64_t> jitter(full / 2, std::max<std::int64_t>(full, 1));
    return milliseconds(jitter(rng_));
}

void Notifier::settle(Channel& ch, const std::vector<std::pair<std::string, int>>& urls,
                      const Result<HttpResponse>& r) {
    ++stats_.requests;
    if (r && r->status >= 200 && r->status < 300) {
        stats_.delivered += urls.size();
        ch.failures = 0;
        ch.next_at = {};
        return;
    }
    const std::string why = r ? "HTTP " + std::to_string(r->status) : r.error().message;
    if (!retryable(r)) {
        stats_.rejected += urls.size();
        spdlog::warn("notify: {} refused {} URLs ({}); not retried", ch.name, urls.size(), why);
        return;
    }
    ++ch.failures;
    const auto delay = retry_delay(ch.failures, r ? r->retry_after : std::string());
    ch.next_at = std::chrono::steady_clock::now() + delay;
    for (const auto& [url, tries] : urls) {
        const int made = tries + 1;
        if (made >= opt_.max_attempts) {
            ++stats_.dropped;
            spdlog::error("notify: {} gave up on {} after {} tries ({})", ch.name, url, made, why);
            continue;
        }
        ++stats_.retries;
        // A newer change queued meanwhile keeps its own (fresh) count.
        ch.pending.emplace(url, made);
    }
    spdlog::info("notify: {} failed ({}); retrying in {} ms", ch.name, why, delay.count());
}

void Notifier::send_indexnow(std::unique_lock<std::mutex>& lock) {
    // One request: the first waiting URL's host and every other URL of that host, up to the limit.
    std::vector<std::pair<std::string, int>> batch;
    std::optional<Origin> first;
    for (auto it = indexnow_.pending.begin();
         it != indexnow_.pending.end() && batch.size() < kIndexNowMaxUrls;) {
        const auto o = origin_of(it->first);
        if (!o) {  // not an absolute URL: nothing can deliver it
            ++stats_.rejected;
            spdlog::warn("notify: indexnow: not an absolute URL: {}", it->first);
            it = indexnow_.pending.erase(it);
            continue;
        }
        if (!first) first = o;
        if (o->origin != first->origin) {
            ++it;
            continue;
        }
        batch.emplace_back(it->first, it->second);
        it = indexnow_.pending.erase(it);
    }
    if (batch.empty()) return;
    std::string body =
        "{\"host\":" + json_str(first->host) + ",\"key\":" + json_str(opt_.indexnow_key) +
        ",\"keyLocation\":" + json_str(first->origin + "/" + opt_.indexnow_key + ".txt") +
        ",\"urlList\":[";
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (i) body += ',';
        body += json_str(batch[i].first);
    }
    body += "]}";
    lock.unlock();
    auto r = poster_(opt_.indexnow_endpoint, "application/json; charset=utf-8", body);
    lock.lock();
    settle(indexnow_, batch, r);
}

void Notifier::send_websub(std::unique_lock<std::mutex>& lock) {
    auto it = websub_.pending.begin();
    std::vector<std::pair<std::string, int>> one{{it->first, it->second}};
    websub_.pending.erase(it);
    const std::string body = "hub.mode=publish&hub.url=" + text::percent_encode(one[0].first);
    lock.unlock();
    auto r = poster_(opt_.websub_hub, "application/x-www-form-urlencoded", body);
    lock.lock();
    settle(websub_, one, r);
}

void Notifier::run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        const auto now = std::chrono::steady_clock::now();
        if (!indexnow_.pending.empty() && now >= indexnow_.next_at) {
            send_indexnow(lock);
            continue;
        }
        if (!websub_.pending.empty() && now >= websub_.next_at) {
            send_websub(lock);
            continue;
        }
        std::optional<TimePoint> wake;
        for (const Channel* ch : {&indexnow_, &websub_}) {
            if (ch->pending.empty()) continue;
            if (!wake || ch->next_at < *wake) wake = ch->next_at;
        }
        if (wake)
            cv_.wait_until(lock, *wake);
        else
            cv_.wait(lock);
    }
}

Notifier::Stats Notifier::stats() const {
    std::lock_guard lock(mu_);
    Stats s = stats_;
    s.pending = indexnow_.pending.size() + websub_.pending.size();
    return s;
}

std::string Notifier::metrics_text() const {
    const Stats s = stats();
    std::string out;
    auto metric = [&out](const char* name, const char* type, const char* help, std::uint64_t v) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
               name + " " + std::to_string(v) + "\n";
    };
    metric("sinmun_notify_requests_total", "counter", "IndexNow and WebSub POSTs made.",
           s.requests);
    metric("sinmun_notify_delivered_total", "counter", "URLs acknowledged by IndexNow or a hub.",
           s.delivered);
    metric("sinmun_notify_retries_total", "counter", "Failed tries that were retried.", s.retries);
    metric("sinmun_notify_dropped_total", "counter", "URLs given up after the last retry.",
           s.dropped);
    metric("sinmun_notify_rejected_total", "counter", "URLs refused with a 4xx (not retried).",
           s.rejected);
    metric("sinmun_notify_overflow_total", "counter", "URLs not queued: the queue was full.",
           s.overflow);
    metric("sinmun_notify_pending", "gauge", "URLs waiting to be sent.", s.pending);
    return out;
}

}  // namespace sinmun::web
