// Notifier: tells search engines and feed hubs that pages changed, off the request path.
//
// On publish, update and unpublish the site calls notify() with the article's absolute URL and
// the feeds that list it. A background thread then
//   - POSTs IndexNow (https://www.indexnow.org/documentation) JSON
//     {"host","key","keyLocation","urlList"} to the configured endpoint, one request per host
//     with every URL waiting for it (at most 10,000), and
//   - POSTs each feed URL to the WebSub hub as hub.mode=publish&hub.url=<feed>.
// Waiting URLs are coalesced (a URL changed five times before the ping goes out is sent once)
// and bounded (past max_pending per channel new URLs are dropped and counted). Failures that may
// pass — network errors, 5xx, 429 — are retried with exponential backoff and jitter, honouring
// Retry-After; after max_attempts a URL is dropped with a log line and counted. Other 4xx
// answers are not retried (the request itself is wrong). notify() only takes a lock and never
// waits for the network, so a publish is never held up by a slow or dead endpoint.
// Thread-safety: notify(), stats() and metrics_text() may be called from any thread.
#pragma once

#include "core/result.hpp"
#include "web/https_client.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace sinmun::web {

struct NotifierOptions {
    std::string indexnow_endpoint;  // "" : IndexNow off
    std::string indexnow_key;       // served by the site at /{key}.txt
    std::string websub_hub;         // "" : WebSub off
    int max_attempts = 6;           // per URL, the first try included
    std::chrono::milliseconds base_delay{1000};
    std::chrono::milliseconds max_delay{10 * 60 * 1000};
    std::size_t max_pending = 10'000;  // waiting URLs per channel
};

// Sends one POST; the production poster is HttpsClient::post.
using Poster = std::function<Result<HttpResponse>(
    const std::string& url, const std::string& content_type, const std::string& body)>;

class Notifier {
public:
    static constexpr std::size_t kIndexNowMaxUrls = 10'000;  // per request (protocol limit)

    Notifier(NotifierOptions options, Poster poster);
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    bool indexnow_enabled() const { return !opt_.indexnow_endpoint.empty(); }
    bool websub_enabled() const { return !opt_.websub_hub.empty(); }
    bool enabled() const { return indexnow_enabled() || websub_enabled(); }

    // Queues page URLs for IndexNow and feed URLs for WebSub (absolute http(s) URLs). Returns at
    // once.
    void notify(const std::vector<std::string>& page_urls,
                const std::vector<std::string>& feed_urls);

    // Stops the worker; URLs still waiting are dropped (logged).
    void stop();

    struct Stats {
        std::uint64_t requests = 0;   // POSTs made
        std::uint64_t delivered = 0;  // URLs acknowledged with 2xx
        std::uint64_t retries = 0;    // failed tries that will be retried
        std::uint64_t dropped = 0;    // URLs given up after max_attempts
        std::uint64_t rejected = 0;   // URLs refused with a 4xx other than 429 (not retried)
        std::uint64_t overflow = 0;   // URLs not queued because the queue was full
        std::uint64_t pending = 0;    // URLs waiting now
    };
    Stats stats() const;
    // Prometheus text: sinmun_notify_*_total counters and the pending gauge.
    std::string metrics_text() const;

    // The delay before retry number `failures` (1-based): Retry-After when it parses (seconds or
    // an HTTP date, capped at max_delay), else base·2^(failures-1) capped at max_delay, with
    // "equal jitter" (uniformly in [d/2, d]). Public for tests.
    std::chrono::milliseconds retry_delay(int failures, const std::string& retry_after);

private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Channel {
        const char* name;
        std::map<std::string, int> pending;  // URL → tries already made
        int failures = 0;                    // consecutive failed requests
        TimePoint next_at{};                 // not before (backoff)
    };

    void run();
    void send_indexnow(std::unique_lock<std::mutex>& lock);
    void send_websub(std::unique_lock<std::mutex>& lock);
    // Books the outcome of one request for `urls` (lock held).
    void settle(Channel& ch, const std::vector<std::pair<std::string, int>>& urls,
                const Result<HttpResponse>& r);
    void queue(Channel& ch, const std::string& url);

    const NotifierOptions opt_;
    const Poster poster_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    Channel indexnow_{"indexnow", {}, 0, {}};
    Channel websub_{"websub", {}, 0, {}};
    Stats stats_;
    std::mt19937_64 rng_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace sinmun::web
