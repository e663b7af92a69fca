// SSE fan-out load client for bench/sse/fanout.sh (issue 4).
//
// Opens C concurrent `GET /stream/market` connections (HTTP/1.1, chunked, like an EventSource),
// then pushes stock quotes through `POST /api/v1/market/quotes` at a fixed rate. Push number k
// carries price 100000+k for one stock, so every `stocks` event tells which pushes it contains
// (latest value wins: an event with price k' delivers every push up to k' the client had not
// seen). For each push and client it records the time from the pusher's send (same process,
// CLOCK_MONOTONIC) to the arrival of the first event carrying it.
//
// Steps ramp up: the connections of one step stay open for the next. Per step it prints one
// table row: delivery latency p50/p99/max over all (push, client) pairs, the share of pushes that
// reached every client within 500 ms, the server's VmRSS growth per client, CPU used.
//
// Plain POSIX + epoll, no dependencies:  g++ -O2 -std=c++20 -pthread fanout_client.cpp
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

std::int64_t now_us() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "fanout_client: %s\n", msg.c_str());
    std::exit(2);
}

struct Options {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string token;
    std::vector<int> steps = {1000, 2000, 5000, 10000};
    double rate = 4;           // pushes per second
    int seconds = 20;          // push phase per step
    int threads = 1;           // epoll threads
    int sources = 4;           // 127.0.0.1 .. 127.0.0.<sources> as source addresses
    int server_pid = 0;        // for VmRSS / CPU
    int max_pending = 256;     // connects in flight
    int connect_timeout = 60;  // seconds to get every client of a step to its snapshot
    int deadline_ms = 500;
    std::string code = "005930";
};

// ---- per-push shared state -------------------------------------------------------------------

constexpr std::size_t kMaxPushes = 1 << 16;
std::atomic<std::int64_t> g_sent_us[kMaxPushes];  // 0 = not sent yet
constexpr std::int64_t kPriceBase = 100000;

// ---- client connections ---------------------------------------------------------------------

enum class St { connecting, header, body, dead };

struct Client {
    int fd = -1;
    St st = St::connecting;
    std::string hdr;               // response header so far
    std::string ev;                // decoded stream bytes not yet forming a full event
    std::int64_t chunk_left = -1;  // -1: reading a chunk-size line
    std::string chunk_line;
    bool crlf_pending = false;  // after chunk data, its CRLF
    bool got_snapshot = false;
    std::int64_t last_k = -1;  // highest push seen
    std::uint64_t events = 0;
};

struct Sample {
    std::uint32_t k;
    std::uint32_t lat_us;
};

struct Worker {
    int id = 0;
    int epfd = -1;
    const Options* opt = nullptr;
    std::vector<std::unique_ptr<Client>> clients;
    std::atomic<int> target{0};   // clients this worker should have opened
    std::atomic<int> opened{0};   // sockets created
    std::atomic<int> pending{0};  // connecting or waiting for the snapshot
    std::atomic<int> ready{0};    // got the snapshot, alive
    std::atomic<int> failed{0};   // connect / HTTP failures
    std::atomic<int> closed{0};   // closed by the server after the snapshot
    std::atomic<std::uint64_t> bad_events{0};
    std::atomic<std::uint64_t> snapshots{0};
    std::atomic<bool> stop{false};
    std::mutex mu;  // guards samples
    std::vector<Sample> samples;
    std::thread th;
};

std::string request_text(const Options& o) {
    return "GET /stream/market HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
           "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
           "User-Agent: sinmun-bench-sse\r\n\r\n";
}

// Price of the benchmark stock in an event's data, or -1.
std::int64_t find_price(std::string_view data, const std::string& code) {
    const std::string key = "\"code\":\"" + code + "\"";
    auto p = data.find(key);
    if (p == std::string_view::npos) return -1;
    auto q = data.find("\"price\":\"", p);
    if (q == std::string_view::npos) return -1;
    q += 9;
    std::int64_t v = 0;
    bool any = false;
    while (q < data.size() && data[q] >= '0' && data[q] <= '9') {
        v = v * 10 + (data[q] - '0');
        ++q;
        any = true;
    }
    return any ? v : -1;
}

class Loop {
public:
    explicit Loop(Worker& w) : w_(w), o_(*w.opt), req_(request_text(*w.opt)) {}

    void run() {
        epoll_event evs[512];
        while (!w_.stop.load(std::memory_order_relaxed)) {
            open_more();
            int n = epoll_wait(w_.epfd, evs, 512, 20);
            const std::int64_t t = now_us();
            for (int i = 0; i < n; ++i) {
                auto* c = static_cast<Client*>(evs[i].data.ptr);
                if (c->st == St::connecting) {
                    on_connected(c, evs[i].events);
                } else {
                    on_readable(c, t);
                }
            }
            flush();
        }
        for (auto& c : w_.clients)
            if (c->fd >= 0) ::close(c->fd);
    }

private:
    void open_more() {
        while (w_.opened.load() < w_.target.load() && w_.pending.load() < o_.max_pending) {
            const int idx = w_.opened.load();
            auto c = std::make_unique<Client>();
            int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0)
                die(std::string("socket: ") + std::strerror(errno) +
                    " (raise the open-files limit: ulimit -n)");
            int one = 1;
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
#ifdef IP_BIND_ADDRESS_NO_PORT
            setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
            // Source address 127.0.0.(1 + (global index % sources)) so that tens of thousands of
            // connections never run out of ephemeral ports.
            sockaddr_in src{};
            src.sin_family = AF_INET;
            const int global = idx * o_.threads + w_.id;
            src.sin_addr.s_addr = htonl(0x7f000001u + std::uint32_t(global % o_.sources));
            if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0)
                die(std::string("bind: ") + std::strerror(errno));
            sockaddr_in dst{};
            dst.sin_family = AF_INET;
            dst.sin_port = htons(std::uint16_t(o_.port));
            inet_pton(AF_INET, o_.host.c_str(), &dst.sin_addr);
            int r = ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
            c->fd = fd;
            w_.opened.fetch_add(1);
            w_.pending.fetch_add(1);
            if (r != 0 && errno != EINPROGRESS) {
                fail(c.get());
                w_.clients.push_back(std::move(c));
                continue;
            }
            epoll_event ev{};
            ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
            ev.data.ptr = c.get();
            epoll_ctl(w_.epfd, EPOLL_CTL_ADD, fd, &ev);
            w_.clients.push_back(std::move(c));
        }
    }

    void fail(Client* c) {
        if (c->fd >= 0) ::close(c->fd);
        c->fd = -1;
        if (c->st == St::body && c->got_snapshot) {
            w_.ready.fetch_sub(1);
            w_.closed.fetch_add(1);
        } else if (c->st != St::dead) {
            w_.pending.fetch_sub(1);
            w_.failed.fetch_add(1);
        }
        c->st = St::dead;
    }

    void on_connected(Client* c, std::uint32_t events) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) return fail(c);
        ssize_t n = ::send(c->fd, req_.data(), req_.size(), MSG_NOSIGNAL);
        if (n != ssize_t(req_.size())) return fail(c);
        c->st = St::header;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.ptr = c;
        epoll_ctl(w_.epfd, EPOLL_CTL_MOD, c->fd, &ev);
    }

    void on_readable(Client* c, std::int64_t t) {
        if (c->st == St::dead) return;
        char buf[16384];
        for (;;) {
            ssize_t n = ::recv(c->fd, buf, sizeof buf, 0);
            if (n > 0) {
                if (!consume(c, std::string_view(buf, std::size_t(n)), t)) return fail(c);
                if (std::size_t(n) < sizeof buf) return;
                continue;
            }
            if (n == 0) return fail(c);
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            if (errno == EINTR) continue;
            return fail(c);
        }
    }

    bool consume(Client* c, std::string_view in, std::int64_t t) {
        if (c->st == St::header) {
            c->hdr.append(in);
            auto end = c->hdr.find("\r\n\r\n");
            if (end == std::string::npos) return c->hdr.size() < 16384;
            std::string_view h(c->hdr.data(), end);
            if (h.substr(0, 12) != "HTTP/1.1 200") return false;
            if (h.find("text/event-stream") == std::string_view::npos) return false;
            bool chunked = h.find("chunked") != std::string_view::npos;
            if (!chunked) return false;  // the server chunks HTTP/1.1 streams
            std::string rest = c->hdr.substr(end + 4);
            c->hdr.clear();
            c->hdr.shrink_to_fit();
            c->st = St::body;
            return dechunk(c, rest, t);
        }
        return dechunk(c, in, t);
    }

    bool dechunk(Client* c, std::string_view in, std::int64_t t) {
        std::size_t i = 0;
        while (i < in.size()) {
            if (c->crlf_pending) {
                // skip "\r\n" after chunk data (may arrive split)
                if (in[i] == '\r') {
                    ++i;
                    continue;
                }
                if (in[i] == '\n') {
                    ++i;
                    c->crlf_pending = false;
                    continue;
                }
                return false;
            }
            if (c->chunk_left < 0) {
                auto nl = in.find('\n', i);
                if (nl == std::string_view::npos) {
                    c->chunk_line.append(in.substr(i));
                    return c->chunk_line.size() < 64;
                }
                c->chunk_line.append(in.substr(i, nl - i));
                i = nl + 1;
                std::int64_t size = 0;
                bool any = false;
                for (char ch : c->chunk_line) {
                    int d = (ch >= '0' && ch <= '9')   ? ch - '0'
                            : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
                            : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
                                                       : -1;
                    if (d < 0) break;
                    size = size * 16 + d;
                    any = true;
                }
                c->chunk_line.clear();
                if (!any) return false;
                if (size == 0) return false;  // last chunk: the server ended the stream
                c->chunk_left = size;
                continue;
            }
            std::size_t take = std::min<std::size_t>(std::size_t(c->chunk_left), in.size() - i);
            c->ev.append(in.substr(i, take));
            i += take;
            c->chunk_left -= std::int64_t(take);
            if (c->chunk_left == 0) {
                c->chunk_left = -1;
                c->crlf_pending = true;
            }
        }
        return events(c, t);
    }

    // Dispatches every complete event ("\n\n"-terminated) in c->ev.
    bool events(Client* c, std::int64_t t) {
        std::size_t start = 0;
        for (;;) {
            auto end = c->ev.find("\n\n", start);
            if (end == std::string::npos) break;
            on_event(c, std::string_view(c->ev).substr(start, end - start), t);
            start = end + 2;
        }
        if (start) c->ev.erase(0, start);
        if (c->ev.empty()) c->ev.shrink_to_fit();
        return c->ev.size() < (1 << 20);
    }

    void on_event(Client* c, std::string_view e, std::int64_t t) {
        std::string_view name, data;
        std::size_t p = 0;
        while (p < e.size()) {
            auto nl = e.find('\n', p);
            if (nl == std::string_view::npos) nl = e.size();
            auto line = e.substr(p, nl - p);
            p = nl + 1;
            if (line.starts_with("event: "))
                name = line.substr(7);
            else if (line.starts_with("data: "))
                data = line.substr(6);
        }
        if (name.empty()) return;  // ": keepalive" comments
        ++c->events;
        if (name == "snapshot") {
            w_.snapshots.fetch_add(1, std::memory_order_relaxed);
            if (!c->got_snapshot) {
                c->got_snapshot = true;
                w_.pending.fetch_sub(1);
                w_.ready.fetch_add(1);
            }
            const auto price = find_price(data, o_.code);
            if (price >= kPriceBase) c->last_k = std::max(c->last_k, price - kPriceBase);
            return;
        }
        if (name != "stocks") return;
        const auto price = find_price(data, o_.code);
        if (price < kPriceBase) {
            w_.bad_events.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        const std::int64_t k = price - kPriceBase;
        if (k >= std::int64_t(kMaxPushes)) return;
        for (std::int64_t j = c->last_k + 1; j <= k; ++j) {
            if (j < 1) continue;
            const std::int64_t sent = g_sent_us[j].load(std::memory_order_acquire);
            if (sent == 0) continue;  // from before this process started pushing
            local_.push_back(
                {std::uint32_t(j), std::uint32_t(std::max<std::int64_t>(0, t - sent))});
        }
        c->last_k = std::max(c->last_k, k);
    }

    void flush() {
        if (local_.empty()) return;
        std::lock_guard lock(w_.mu);
        w_.samples.insert(w_.samples.end(), local_.begin(), local_.end());
        local_.clear();
    }

    Worker& w_;
    const Options& o_;
    const std::string req_;
    std::vector<Sample> local_;
};

// ---- the pusher --------------------------------------------------------------------------------

class Pusher {
public:
    explicit Pusher(const Options& o) : o_(o) {}
    ~Pusher() {
        if (fd_ >= 0) ::close(fd_);
    }

    // Sends push k; returns the round trip in µs, or -1 on failure (message on stderr).
    std::int64_t push(std::int64_t k) {
        if (fd_ < 0 && !connect_()) return -1;
        const std::string body = body_for(k);
        std::string req =
            "POST /api/v1/market/quotes HTTP/1.1\r\nHost: " + o_.host + ":" +
            std::to_string(o_.port) + "\r\nAuthorization: Bearer " + o_.token +
            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body;
        const std::int64_t t0 = now_us();
        g_sent_us[k].store(t0, std::memory_order_release);
        if (!send_all(req)) return reconnect_fail("send");
        // read the response: header + Content-Length body
        std::string resp;
        char buf[4096];
        std::size_t need = std::string::npos;
        for (;;) {
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) return reconnect_fail("recv");
            resp.append(buf, std::size_t(n));
            auto end = resp.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            if (need == std::string::npos) {
                auto cl = resp.find("Content-Length: ");
                if (cl == std::string::npos) cl = resp.find("content-length: ");
                std::size_t len =
                    cl == std::string::npos ? 0 : std::strtoul(resp.c_str() + cl + 16, nullptr, 10);
                need = end + 4 + len;
            }
            if (resp.size() >= need) break;
        }
        const std::int64_t rtt = now_us() - t0;
        if (resp.compare(0, 12, "HTTP/1.1 200") != 0 ||
            resp.find("\"accepted\":1") == std::string::npos) {
            std::fprintf(stderr, "push %" PRId64 ": unexpected answer: %.300s\n", k, resp.c_str());
            return -1;
        }
        return rtt;
    }

private:
    std::string body_for(std::int64_t k) const {
        // as_of: now, UTC, whole seconds (equal as_of is accepted, only older is ignored)
        std::time_t tt = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&tt, &tm);
        char asof[40];
        std::strftime(asof, sizeof asof, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return "{\"quotes\":[{\"code\":\"" + o_.code +
               "\",\"name\":\"벤치마크전자\",\"market\":\"KOSPI\",\"price\":\"" +
               std::to_string(kPriceBase + k) +
               "\",\"change_rate\":\"1.5\",\"trade_value\":\"1000000000\",\"as_of\":\"" + asof +
               "\",\"halted\":false}]}";
    }
    bool connect_() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in dst{};
        dst.sin_family = AF_INET;
        dst.sin_port = htons(std::uint16_t(o_.port));
        inet_pton(AF_INET, o_.host.c_str(), &dst.sin_addr);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
            std::fprintf(stderr, "pusher connect: %s\n", std::strerror(errno));
            ::close(fd_);
            fd_ = -1;
            return false;
        }
        int one = 1;
        setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        timeval tv{10, 0};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        return true;
    }
    bool send_all(const std::string& s) {
        std::size_t off = 0;
        while (off < s.size()) {
            ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += std::size_t(n);
        }
        return true;
    }
    std::int64_t reconnect_fail(const char* what) {
        std::fprintf(stderr, "pusher %s: %s\n", what, std::strerror(errno));
        ::close(fd_);
        fd_ = -1;
        return -1;
    }

    const Options& o_;
    int fd_ = -1;
};

// ---- /proc readings ------------------------------------------------------------------------

long vmrss_kib(int pid) {
    if (pid <= 0) return -1;
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return -1;
}

// utime+stime in seconds
double proc_cpu_s(int pid) {
    if (pid <= 0) return 0;
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), {});
    auto p = s.rfind(')');
    if (p == std::string::npos) return 0;
    std::istringstream in(s.substr(p + 2));
    std::string tok;
    unsigned long long ut = 0, st = 0;
    for (int field = 3; in >> tok; ++field) {
        if (field == 14) ut = std::stoull(tok);
        if (field == 15) {
            st = std::stoull(tok);
            break;
        }
    }
    return double(ut + st) / double(sysconf(_SC_CLK_TCK));
}

// Busy CPU seconds of the whole machine (all cores): user+nice+system+steal. irq/softirq are left
// out: loopback TCP processing lands there and belongs to the server and the client, not others.
double machine_busy_s() {
    std::ifstream f("/proc/stat");
    std::string cpu;
    unsigned long long v[8] = {};
    f >> cpu;
    for (auto& x : v) f >> x;
    const unsigned long long busy = v[0] + v[1] + v[2] + v[7];
    return double(busy) / double(sysconf(_SC_CLK_TCK));
}

double self_cpu_s() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double pct(std::vector<std::uint32_t>& v, double p) {
    if (v.empty()) return 0;
    std::size_t i = std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(i), v.end());
    return v[i] / 1000.0;
}

std::vector<int> parse_list(const char* s) {
    std::vector<int> out;
    std::istringstream in(s);
    std::string tok;
    while (in >> tok) out.push_back(std::atoi(tok.c_str()));
    return out;
}

Options parse_args(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto val = [&]() -> const char* {
            if (i + 1 >= argc) die("missing value for " + a);
            return argv[++i];
        };
        if (a == "--host")
            o.host = val();
        else if (a == "--port")
            o.port = std::atoi(val());
        else if (a == "--token")
            o.token = val();
        else if (a == "--steps")
            o.steps = parse_list(val());
        else if (a == "--rate")
            o.rate = std::atof(val());
        else if (a == "--seconds")
            o.seconds = std::atoi(val());
        else if (a == "--threads")
            o.threads = std::max(1, std::atoi(val()));
        else if (a == "--sources")
            o.sources = std::clamp(std::atoi(val()), 1, 250);
        else if (a == "--server-pid")
            o.server_pid = std::atoi(val());
        else if (a == "--connect-timeout")
            o.connect_timeout = std::atoi(val());
        else if (a == "--max-pending")
            o.max_pending = std::max(1, std::atoi(val()));
        else
            die("unknown option " + a);
    }
    if (o.token.empty()) die("--token is required");
    if (o.rate <= 0 || o.seconds <= 0) die("--rate and --seconds must be positive");
    if (o.rate * o.seconds * double(o.steps.size()) + 10 >= double(kMaxPushes))
        die("too many pushes");
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse_args(argc, argv);
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < o.threads; ++i) {
        auto w = std::make_unique<Worker>();
        w->id = i;
        w->opt = &o;
        w->epfd = epoll_create1(EPOLL_CLOEXEC);
        workers.push_back(std::move(w));
    }
    for (auto& w : workers) w->th = std::thread([wp = w.get()] { Loop(*wp).run(); });

    auto sum = [&](auto member) {
        long s = 0;
        for (auto& w : workers) s += (w.get()->*member).load();
        return s;
    };

    Pusher pusher(o);
    // One warm-up push so the stock exists (its first push lays out the list) and the token works.
    if (pusher.push(1) < 0) die("the warm-up push failed (token? server?)");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::int64_t k = 1;

    const long rss_idle = vmrss_kib(o.server_pid);
    std::printf("server VmRSS idle (no stream clients): %.1f MiB\n", rss_idle / 1024.0);
    std::printf("%8s %8s %9s %7s %6s %8s %8s %8s %9s %9s %7s %9s %8s %8s %8s\n", "clients", "held",
                "connect_s", "pushes", "per_s", "push_ms", "p50_ms", "p99_ms", "max_ms", "ok500",
                "pass", "KiB/clnt", "srv_cpu", "cli_cpu", "others");
    std::fflush(stdout);

    int best = 0;
    bool stop_ramp = false;
    for (int target : o.steps) {
        if (stop_ramp) break;
        // --- connect phase
        const std::int64_t c0 = now_us();
        for (int i = 0; i < o.threads; ++i)
            workers[std::size_t(i)]->target.store(target / o.threads +
                                                  (i < target % o.threads ? 1 : 0));
        bool connect_ok = true;
        while (sum(&Worker::ready) + sum(&Worker::failed) + sum(&Worker::closed) < target) {
            if (now_us() - c0 > std::int64_t(o.connect_timeout) * 1'000'000) {
                connect_ok = false;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        const double connect_s = (now_us() - c0) / 1e6;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        for (auto& w : workers) {
            std::lock_guard lock(w->mu);
            w->samples.clear();
        }
        const long held = sum(&Worker::ready);
        const long failed_before = sum(&Worker::failed), closed_before = sum(&Worker::closed);

        // --- push phase: open loop, push i at t0 + i/rate
        const double srv_cpu0 = proc_cpu_s(o.server_pid), cli_cpu0 = self_cpu_s();
        const double busy0 = machine_busy_s();
        const std::int64_t k_first = k + 1;
        const int n = int(o.rate * o.seconds);
        std::vector<std::uint32_t> rtts;
        int push_fail = 0;
        const std::int64_t t0 = now_us();
        for (int i = 0; i < n; ++i) {
            const std::int64_t due = t0 + std::int64_t(i * 1e6 / o.rate);
            const std::int64_t wait = due - now_us();
            if (wait > 0) std::this_thread::sleep_for(std::chrono::microseconds(wait));
            const std::int64_t r = pusher.push(++k);
            if (r < 0)
                ++push_fail;
            else
                rtts.push_back(std::uint32_t(r));
        }
        const double push_wall = (now_us() - t0) / 1e6;
        std::this_thread::sleep_for(std::chrono::milliseconds(2000));  // grace for the last push
        const double srv_cpu = proc_cpu_s(o.server_pid) - srv_cpu0;
        const double cli_cpu = self_cpu_s() - cli_cpu0;
        const double others = std::max(0.0, machine_busy_s() - busy0 - srv_cpu - cli_cpu);
        const long rss = vmrss_kib(o.server_pid);
        const std::int64_t k_last = k;

        // --- evaluate
        std::vector<Sample> all;
        for (auto& w : workers) {
            std::lock_guard lock(w->mu);
            all.insert(all.end(), w->samples.begin(), w->samples.end());
            w->samples.clear();
        }
        const std::size_t npush = std::size_t(k_last - k_first + 1);
        std::vector<std::uint32_t> got(npush, 0), ontime(npush, 0);
        std::vector<std::uint32_t> lats;
        lats.reserve(all.size());
        for (const auto& s : all) {
            if (std::int64_t(s.k) < k_first || std::int64_t(s.k) > k_last) continue;
            const std::size_t idx = std::size_t(s.k - k_first);
            ++got[idx];
            if (s.lat_us <= std::uint32_t(o.deadline_ms) * 1000u) ++ontime[idx];
            lats.push_back(s.lat_us);
        }
        std::size_t complete = 0, delivered_all = 0;
        for (std::size_t i = 0; i < npush; ++i) {
            if (ontime[i] >= std::uint32_t(held)) ++complete;
            if (got[i] >= std::uint32_t(held)) ++delivered_all;
        }
        const double ok = npush ? double(complete) / double(npush) : 0;
        const long expected = long(npush) * held;
        const long missing = expected - long(lats.size());
        const bool pass = connect_ok && held == target && ok >= 0.95 && push_fail == 0;
        if (pass) best = std::max(best, target);
        std::vector<std::uint32_t> r2 = rtts;
        const double kib = held > 0 && rss > 0 ? double(rss - rss_idle) / double(held) : 0;
        std::printf(
            "%8d %8ld %9.1f %7zu %6.1f %8.1f %8.1f %8.1f %9.1f %8.1f%% %7s %9.1f %7.0f%% %7.0f%% "
            "%7.0f%%\n",
            target, held, connect_s, npush, double(npush) / push_wall, pct(r2, 0.5), pct(lats, 0.5),
            pct(lats, 0.99), pct(lats, 1.0), ok * 100, pass ? "PASS" : "FAIL", kib,
            100.0 * srv_cpu / (push_wall + 2), 100.0 * cli_cpu / (push_wall + 2),
            100.0 * others / (push_wall + 2));
        if (missing > 0 || push_fail || !connect_ok || held != target ||
            sum(&Worker::failed) != failed_before || sum(&Worker::closed) != closed_before) {
            std::printf(
                "         note: %ld of %ld deliveries missing, %zu/%zu pushes reached every "
                "client at all, %d pushes failed, connects failed %ld, streams closed by "
                "server %ld (cumulative)%s\n",
                std::max(0L, missing), expected, delivered_all, npush, push_fail,
                sum(&Worker::failed), sum(&Worker::closed),
                connect_ok ? "" : ", connect phase timed out");
        }
        std::fflush(stdout);
        if (!connect_ok || held < target / 2) stop_ramp = true;  // no point ramping further
    }
    std::printf(
        "highest client count held with >= 95%% of broadcasts reaching every client within "
        "%d ms: %d\n",
        o.deadline_ms, best);
    std::printf(
        "(snapshots received: %" PRIu64 ", unparsable stocks events: %" PRIu64 ")\n",
        [&] {
            std::uint64_t s = 0;
            for (auto& w : workers) s += w->snapshots.load();
            return s;
        }(),
        [&] {
            std::uint64_t s = 0;
            for (auto& w : workers) s += w->bad_events.load();
            return s;
        }());
    for (auto& w : workers) w->stop = true;
    for (auto& w : workers) w->th.join();
    return 0;
}
