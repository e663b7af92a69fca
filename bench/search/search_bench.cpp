// Search benchmark (issue 5): built and run by bench/search/run.sh, never by CI.
//
//   search_bench quality ROOT
//       The relevance set (tests/fixtures/search/) indexed into a temp SQLite file: precision@5,
//       recall@10 and MRR over its queries.
//   search_bench load DB ARTICLES THREADS... [--queries N]
//       Generates ARTICLES Korean articles (deterministic, from the vocabulary below) into a new
//       SQLite file DB through ArticleStore::import_articles (batches of 1,000; the index
//       triggers tokenize inside each batch's transaction), times a full rebuild_index, reports
//       the index size (dbstat over the FTS5 shadow tables), then query latency p50/p95/p99 for
//       a fixed mix of N queries, single-threaded and with each thread count given.
#include <sqlite3.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../../tests/search/search_corpus.hpp"
#include "core/search_query.hpp"
#include "core/text.hpp"
#include "store/excerpt.hpp"
#include "store/stores.hpp"

namespace {

using namespace sinmun;
using Clock = std::chrono::steady_clock;

// splitmix64: tiny, deterministic across platforms.
struct Rng {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    // Skewed towards small indexes (a few words are common, most are rare), like real text.
    std::size_t skewed(std::size_t n) {
        const double u = uniform();
        return std::min(n - 1, static_cast<std::size_t>(static_cast<double>(n) * u * u * u));
    }
};

const std::vector<std::string> kNouns = {
    "정부",     "서울",     "세종",     "부산",     "대구",       "인천",     "광주",   "대전",
    "울산",     "경기",     "강원",     "제주",     "국회",       "여야",     "대통령", "총리",
    "장관",     "위원회",   "예산",     "법안",     "개정안",     "선거",     "선거구", "협약",
    "협상",     "합의",     "정책",     "지원",     "투자",       "수출",     "수입",   "반도체",
    "배터리",   "자동차",   "조선",     "철강",     "금리",       "환율",     "물가",   "주가",
    "코스피",   "코스닥",   "부동산",   "아파트",   "전세",       "월세",     "청년",   "고령층",
    "일자리",   "고용",     "임금",     "노조",     "파업",       "교육",     "대학",   "수능",
    "학생",     "교사",     "병원",     "의사",     "응급실",     "환자",     "감염병", "백신",
    "날씨",     "태풍",     "폭염",     "한파",     "미세먼지",   "지진",     "산불",   "홍수",
    "경찰",     "검찰",     "법원",     "재판",     "판결",       "사고",     "화재",   "지하철",
    "버스",     "철도",     "공항",     "항공편",   "도로",       "다리",     "항만",   "물류",
    "택배",     "시장",     "상인",     "소비자",   "가격",       "요금",     "세금",   "연금",
    "보험",     "은행",     "대출",     "가계부채", "기업",       "스타트업", "창업",   "벤처",
    "연구",     "기술",     "인공지능", "데이터",   "통신",       "위성",     "우주",   "발사체",
    "로봇",     "자율주행", "전기차",   "수소",     "원전",       "태양광",   "풍력",   "탄소",
    "기후",     "환경",     "쓰레기",   "재활용",   "농업",       "어업",     "축산",   "쌀값",
    "배추",     "과일",     "축제",     "공연",     "전시",       "영화",     "드라마", "음악",
    "소설",     "작가",     "배우",     "가수",     "관객",       "박물관",   "도서관", "문화재",
    "유물",     "한옥",     "관광",     "여행",     "호텔",       "야구",     "축구",   "농구",
    "배구",     "마라톤",   "올림픽",   "월드컵",   "감독",       "선수",     "우승",   "경기",
    "시즌",     "구단",     "국가대표", "외교",     "정상회의",   "회담",     "미국",   "중국",
    "일본",     "러시아",   "유럽",     "베트남",   "인도",       "북한",     "미사일", "안보",
    "국방",     "군인",     "복지",     "저출생",   "출생아",     "육아",     "보육",   "돌봄",
    "노인",     "장애인",   "주민",     "시민",     "지역",       "지방",     "수도권", "도시",
    "마을",     "행정",     "공무원",   "예산안",   "재정",       "국채",     "증시",   "외국인",
    "개인",     "기관",     "매수",     "매도",     "실적",       "영업이익", "매출",   "적자",
    "흑자",     "점유율",   "플랫폼",   "온라인",   "쇼핑",       "배달",     "편의점", "백화점",
    "개인정보", "해킹",     "보안",     "전산망",   "소프트웨어", "반도체법", "특구",   "규제",
    "특별법"};
const std::vector<std::string> kLatin = {"AI",  "MICE", "K-팝", "G20", "ESG", "OTT",
                                         "5G",  "6G",   "EU",   "IMF", "BTS", "LNG",
                                         "SMR", "DSR",  "KTX",  "GTX", "CEO", "R&D"};
const std::vector<std::string> kParticles = {"",   "은", "는", "이", "가",   "을",   "를",
                                             "에", "의", "와", "과", "에서", "으로", "도"};
const std::vector<std::string> kEndings = {
    "했다",     "밝혔다",   "전했다",   "말했다",   "예정이다", "나섰다",   "늘었다",   "줄었다",
    "발표했다", "검토한다", "추진한다", "강조했다", "지적했다", "합의했다", "결정했다", "시작했다"};
const std::vector<std::string> kSections = {"politics", "economy", "society", "world",
                                            "culture",  "sports",  "tech"};

std::string word(Rng& r) {
    const double u = r.uniform();
    if (u < 0.06) return kLatin[r.skewed(kLatin.size())];
    if (u < 0.12) return std::to_string(2000 + r.below(30)) + "년";
    if (u < 0.16) return std::to_string(1 + r.below(500)) + (r.below(2) ? "건" : "%");
    return kNouns[r.skewed(kNouns.size())] + kParticles[r.below(kParticles.size())];
}

std::string sentence(Rng& r) {
    std::string s;
    const std::size_t n = 6 + r.below(7);
    for (std::size_t i = 0; i < n; ++i) s += word(r) + ' ';
    return s + kEndings[r.below(kEndings.size())] + '.';
}

news::Article make_article(Rng& r, std::int64_t section_id, std::int64_t at) {
    news::Article a;
    a.section_id = section_id;
    for (std::size_t i = 0, n = 4 + r.below(4); i < n; ++i)
        a.headline += (i ? " " : "") + kNouns[r.skewed(kNouns.size())];
    for (std::size_t p = 0, np = 3 + r.below(3); p < np; ++p) {
        if (p) a.body_md += "\n\n";
        for (std::size_t s = 0, ns = 2 + r.below(3); s < ns; ++s)
            a.body_md += (s ? " " : "") + sentence(r);
    }
    a.status = news::ArticleStatus::published;
    a.created_at = a.published_at = a.updated_at = at;
    return a;
}

// A fixed mix: 40% one common word, 20% one rarer word, 15% two words, 10% a two-word phrase,
// 5% a Latin/digit term, 10% one word with a section filter and newest-first order.
struct BenchQuery {
    std::string text;
    std::string section;
    store::SearchSort sort = store::SearchSort::relevance;
};

std::vector<BenchQuery> make_queries(std::size_t n) {
    Rng r{7};
    std::vector<BenchQuery> out;
    auto common = [&] { return kNouns[r.below(30)]; };
    auto rare = [&] { return kNouns[30 + r.below(kNouns.size() - 30)]; };
    for (std::size_t i = 0; i < n; ++i) {
        const double u = r.uniform();
        BenchQuery q;
        if (u < 0.40)
            q.text = common();
        else if (u < 0.60)
            q.text = rare();
        else if (u < 0.75)
            q.text = common() + " " + rare();
        else if (u < 0.85)
            q.text = "\"" + kNouns[r.skewed(kNouns.size())] + " " +
                     kNouns[r.skewed(kNouns.size())] + "\"";
        else if (u < 0.90)
            q.text = kLatin[r.below(kLatin.size())];
        else {
            q.text = common();
            q.section = kSections[r.below(kSections.size())];
            q.sort = store::SearchSort::newest;
        }
        out.push_back(std::move(q));
    }
    return out;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

// CPU time of the calling thread: on a machine shared with other builds, wall-clock latency
// includes waiting for a core; this does not.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

int fail(const std::string& m) {
    std::fprintf(stderr, "search_bench: %s\n", m.c_str());
    return 1;
}

std::int64_t index_bytes(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return -1;
    sqlite3_stmt* st = nullptr;
    std::int64_t bytes = -1;
    if (sqlite3_prepare_v2(db, "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'article_search%'",
                           -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        bytes = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return bytes;
}

void rival_quality(const std::string& root, const char* tokenizer);

int run_quality(const std::string& root) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() /
                         ("sinmun-search-quality-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    auto db = store::open_sqlite({.path = (dir / "q.db").string()});
    if (!db) return fail(db.error().message);
    const auto corpus = search_fixtures::load_corpus(root);
    std::map<std::string, std::int64_t> sections;
    const auto ids = search_fixtures::index_corpus(**db, corpus, sections);
    double p5 = 0, p5n = 0, r10 = 0, mrr = 0;
    int n = 0;
    for (const auto& q : search_fixtures::load_queries(root)) {
        if (q.expect_none || q.must.empty()) continue;
        auto parsed = text::parse_search_query(q.query);
        if (!parsed) return fail(q.query + ": " + parsed.error().message);
        store::SearchRequest r;
        r.query = *parsed;
        if (!q.section.empty()) r.section_id = sections.at(q.section);
        r.limit = 10;
        auto res = (*db)->search().search(r);
        if (!res) return fail(res.error().message);
        std::vector<std::int64_t> relevant;
        for (const auto& k : q.must) relevant.push_back(ids.at(k));
        int in5 = 0, in10 = 0;
        double rr = 0;
        for (std::size_t i = 0; i < res->hits.size(); ++i) {
            const bool rel = std::count(relevant.begin(), relevant.end(), res->hits[i].article.id);
            if (!rel) continue;
            if (i < 5) ++in5;
            ++in10;
            if (rr == 0) rr = 1.0 / static_cast<double>(i + 1);
        }
        p5 += in5 / 5.0;
        p5n += in5 / static_cast<double>(std::min<std::size_t>(5, relevant.size()));
        r10 += in10 / static_cast<double>(relevant.size());
        mrr += rr;
        ++n;
    }
    db->reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
    std::printf("relevance set: %zu articles, %d scored queries (must-find lists as judgments)\n",
                corpus.size(), n);
    std::printf("  precision@5          %.3f  (relevant in top 5 / 5)\n", p5 / n);
    std::printf("  precision@5 (capped) %.3f  (relevant in top 5 / min(5, |relevant|))\n", p5n / n);
    std::printf("  recall@10            %.3f\n", r10 / n);
    std::printf("  MRR                  %.3f\n", mrr / n);
    rival_quality(root, "unicode61");
    rival_quality(root, "trigram");
    return 0;
}

// The rival: SQLite FTS5's own tokenizers over the same corpus and queries (each word of the
// query as a quoted FTS5 string, ANDed; bm25 with the same weights). unicode61 splits on spaces
// and punctuation, so a word only matches whole (세종 does not match 세종시는); trigram needs 3
// characters, so two-syllable words (서울, 세종) cannot be searched at all.
void rival_quality(const std::string& root, const char* tokenizer) {
    const auto corpus = search_fixtures::load_corpus(root);
    sqlite3* db = nullptr;
    sqlite3_open(":memory:", &db);
    const std::string ddl =
        std::string("CREATE VIRTUAL TABLE t USING fts5(headline, body, tokenize='") + tokenizer +
        "');";
    sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, nullptr);
    std::map<std::string, std::string> section_of;
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t(rowid, headline, body) VALUES (?1, ?2, ?3)", -1, &ins,
                       nullptr);
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        const std::string body =
            corpus[i].subtitle + " " + store::make_excerpt(corpus[i].body, std::size_t{1} << 40);
        sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(i + 1));
        sqlite3_bind_text(ins, 2, corpus[i].headline.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, body.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    double r10 = 0, mrr = 0;
    int n = 0, errors = 0;
    for (const auto& q : search_fixtures::load_queries(root)) {
        if (q.expect_none || q.must.empty()) continue;
        // Quoted words (quotes doubled), ANDed; a "phrase" stays one quoted string.
        std::string match;
        std::string rest = q.query;
        std::vector<std::string> parts;
        if (rest.size() > 1 && rest.front() == '"' && rest.back() == '"')
            parts.push_back(rest.substr(1, rest.size() - 2));
        else
            for (std::size_t i = 0; i < rest.size();) {
                const auto sp = rest.find(' ', i);
                parts.push_back(rest.substr(i, sp == std::string::npos ? sp : sp - i));
                i = sp == std::string::npos ? rest.size() : sp + 1;
            }
        for (const auto& w : parts) {
            if (!match.empty()) match += " AND ";
            match += '"';
            for (char c : w) match += c == '"' ? std::string("\"\"") : std::string(1, c);
            match += '"';
        }
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db,
                           "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY bm25(t, 3.0, 1.0) "
                           "LIMIT 50",
                           -1, &st, nullptr);
        sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
        std::vector<std::string> top;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const auto& a = corpus[static_cast<std::size_t>(sqlite3_column_int64(st, 0) - 1)];
            if (q.section.empty() || a.section == q.section) top.push_back(a.key);
            if (top.size() == 10) break;
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) ++errors;
        sqlite3_finalize(st);
        int in10 = 0;
        double rr = 0;
        for (std::size_t i = 0; i < top.size(); ++i) {
            if (std::find(q.must.begin(), q.must.end(), top[i]) == q.must.end()) continue;
            ++in10;
            if (rr == 0) rr = 1.0 / static_cast<double>(i + 1);
        }
        r10 += in10 / static_cast<double>(q.must.size());
        mrr += rr;
        ++n;
    }
    sqlite3_close(db);
    std::printf("  rival FTS5 '%s' tokenizer: recall@10 %.3f  MRR %.3f  (%d queries failed)\n",
                tokenizer, r10 / n, mrr / n, errors);
}

int run_load(const std::string& path, std::int64_t articles, std::vector<int> threads,
             std::size_t nqueries) {
    namespace fs = std::filesystem;
    if (fs::exists(path)) return fail(path + " exists; give a new file");
    const int max_threads = *std::max_element(threads.begin(), threads.end());
    auto opened = store::open_sqlite({.path = path, .read_connections = std::max(4, max_threads)});
    if (!opened) return fail(opened.error().message);
    auto& db = **opened;
    std::vector<std::int64_t> section_ids;
    for (std::size_t i = 0; i < kSections.size(); ++i) {
        auto id = db.articles().save_section({0, kSections[i], kSections[i], static_cast<int>(i)});
        if (!id) return fail(id.error().message);
        section_ids.push_back(*id);
    }

    // 1. Import (articles + revisions + index, one transaction per 1,000).
    Rng r{42};
    const std::int64_t base = 1'600'000'000'000;
    std::int64_t body_bytes = 0;
    auto t0 = Clock::now();
    for (std::int64_t done = 0; done < articles;) {
        std::vector<store::ImportItem> batch;
        for (int i = 0; i < 1000 && done < articles; ++i, ++done) {
            store::ImportItem item;
            item.article =
                make_article(r, section_ids[r.below(section_ids.size())], base + done * 60'000);
            body_bytes += static_cast<std::int64_t>(item.article.body_md.size());
            item.revision.at = item.article.created_at;
            item.revision.action = "import";
            item.revision.status = news::ArticleStatus::published;
            batch.push_back(std::move(item));
        }
        auto ids = db.articles().import_articles(batch);
        if (!ids) return fail(ids.error().message);
        if (done % 20000 == 0) std::fprintf(stderr, "  imported %lld\n", (long long)done);
    }
    const double import_s = seconds_since(t0);

    // 2. Rebuild the index alone (tokenize + FTS5 insert + optimize, one transaction).
    t0 = Clock::now();
    auto rebuilt = db.search().rebuild_index({});
    if (!rebuilt) return fail(rebuilt.error().message);
    const double rebuild_s = seconds_since(t0);
    const std::int64_t idx = index_bytes(path);

    std::printf("corpus: %lld generated articles, average body %.0f bytes (%.0f KB total text)\n",
                (long long)articles, static_cast<double>(body_bytes) / articles,
                static_cast<double>(body_bytes) / 1024);
    std::printf(
        "import (articles + revisions + index triggers, 1,000 per transaction): %.1f s,"
        " %.0f articles/s\n",
        import_s, articles / import_s);
    std::printf("rebuild_index (tokenize + FTS5 insert + optimize): %.1f s, %.0f articles/s\n",
                rebuild_s, *rebuilt / rebuild_s);
    std::printf(
        "index size (FTS5 tables, dbstat): %.1f MB, %.0f bytes per article;"
        " database file %.1f MB\n",
        idx / 1e6, static_cast<double>(idx) / articles, fs::file_size(path) / 1e6);

    // 3. Query latency.
    const auto queries = make_queries(nqueries);
    std::vector<store::SearchRequest> requests;
    for (const auto& q : queries) {
        auto parsed = text::parse_search_query(q.text);
        if (!parsed) return fail(q.text + ": " + parsed.error().message);
        store::SearchRequest req;
        req.query = std::move(*parsed);
        req.sort = q.sort;
        req.limit = 10;
        if (!q.section.empty())
            req.section_id = section_ids[static_cast<std::size_t>(
                std::find(kSections.begin(), kSections.end(), q.section) - kSections.begin())];
        requests.push_back(std::move(req));
    }
    std::int64_t total_hits = 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(50, requests.size()); ++i)
        (void)db.search().search(requests[i]);  // warm the page cache
    std::printf(
        "queries: %zu (40%% common word, 20%% rarer word, 15%% two words, 10%% phrase, "
        "5%% Latin/digits, 10%% section + newest); page of 10 with snippets + count\n",
        requests.size());
    for (int nt : threads) {
        std::vector<std::vector<double>> lat(static_cast<std::size_t>(nt));
        std::vector<std::vector<double>> cpu(static_cast<std::size_t>(nt));
        std::atomic<std::int64_t> hits{0};
        std::atomic<bool> failed{false};
        t0 = Clock::now();
        std::vector<std::thread> pool;
        for (int t = 0; t < nt; ++t) {
            pool.emplace_back([&, t] {
                // Every thread runs the whole mix, starting at a different place.
                for (std::size_t k = 0; k < requests.size(); ++k) {
                    const auto& req =
                        requests[(k + static_cast<std::size_t>(t) * 131) % requests.size()];
                    const auto q0 = Clock::now();
                    const double c0 = thread_cpu_ms();
                    auto res = db.search().search(req);
                    cpu[static_cast<std::size_t>(t)].push_back(thread_cpu_ms() - c0);
                    lat[static_cast<std::size_t>(t)].push_back(seconds_since(q0) * 1000);
                    if (!res) {
                        failed = true;
                        return;
                    }
                    hits += res->total;
                }
            });
        }
        for (auto& th : pool) th.join();
        const double wall = seconds_since(t0);
        if (failed) return fail("a search failed");
        std::vector<double> all, all_cpu;
        for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
        for (auto& v : cpu) all_cpu.insert(all_cpu.end(), v.begin(), v.end());
        total_hits = hits;
        std::printf(
            "  %2d thread%s: %6.1f queries/s, latency ms p50 %.2f  p95 %.2f  p99 %.2f;"
            " CPU ms per query p50 %.2f  p95 %.2f  p99 %.2f  (mean matches per query %.0f)\n",
            nt, nt == 1 ? " " : "s", static_cast<double>(all.size()) / wall, percentile(all, 50),
            percentile(all, 95), percentile(all, 99), percentile(all_cpu, 50),
            percentile(all_cpu, 95), percentile(all_cpu, 99),
            static_cast<double>(total_hits) / static_cast<double>(all.size()));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() == 2 && args[0] == "quality") return run_quality(args[1]);
        if (args.size() >= 4 && args[0] == "load") {
            std::vector<int> threads;
            std::size_t nq = 1000;
            for (std::size_t i = 3; i < args.size(); ++i) {
                if (args[i] == "--queries" && i + 1 < args.size())
                    nq = std::stoul(args[++i]);
                else
                    threads.push_back(std::stoi(args[i]));
            }
            return run_load(args[1], std::stoll(args[2]), threads, nq);
        }
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    std::fprintf(stderr,
                 "usage: search_bench quality ROOT\n"
                 "       search_bench load DB ARTICLES THREADS... [--queries N]\n");
    return 2;
}
