// Test-only fixtures for render/ tests: sample site settings, articles and a market snapshot,
// plus the path of the repository's templates/ and assets/.
#pragma once

#include "core/kst.hpp"
#include "market/model.hpp"
#include "news/model.hpp"

#include <cstdlib>
#include <memory>
#include <string>

namespace sinmun::render::testing {

inline std::string source_dir() {
    if (const char* env = std::getenv("SINMUN_SOURCE_DIR"); env && *env) return env;
#ifdef SINMUN_TEST_SOURCE_DIR
    return SINMUN_TEST_SOURCE_DIR;
#else
    return ".";
#endif
}

inline news::SiteSettings sample_settings() {
    news::SiteSettings s;
    s.site_name = "신문";
    s.site_url = "https://sinmun.example";
    s.company = "(주)신문미디어";
    s.registration_no = "서울 아54321";
    s.registration_date = "2026-01-02";
    s.founded = "2026-01-05";
    s.publisher = "박발행";
    s.editor = "이편집";
    s.youth_officer = "최보호";
    s.address = "서울특별시 중구 세종대로 110";
    s.phone = "02-1234-5678";
    s.email = "desk@sinmun.example";
    s.copyright_holder = "신문미디어";
    s.demo = true;
    return s;
}

inline std::vector<news::Section> sample_sections() {
    return {{1, "politics", "정치", 1}, {2, "economy", "경제", 2}, {3, "society", "사회", 3},
            {4, "world", "국제", 4},    {5, "culture", "문화", 5}, {6, "sports", "스포츠", 6}};
}

inline news::Photo sample_photo(std::int64_t id) {
    news::Photo p;
    p.id = id;
    p.src = "/media/demo/" + std::to_string(id) + ".jpg";
    p.width = 1200;
    p.height = 800;
    p.alt = "사진 " + std::to_string(id) + "의 대체 텍스트";
    p.caption = "서울 세종대로에서 시민들이 행진하고 있다";
    p.credit = "사진=신문 DB";
    return p;
}

inline news::Article sample_article() {
    news::Article a;
    a.id = 42;
    a.section_id = 2;
    a.headline = "서울시, 'AI 특구' 지정…내년부터 규제 완화";
    a.subtitle = "성수·상암 일대 2곳, 실증 규제 특례 적용";
    a.label = "단독";
    a.body_md =
        "서울시가 성수동과 상암동 일대를 인공지능(AI) 특구로 지정했다.\n\n"
        "![현장](photo:7)\n\n"
        "시 관계자는 \"기업들이 **실증**을 빠르게 할 수 있도록 하겠다\"고 말했다.\n\n"
        "| 지역 | 면적 |\n|---|---|\n| 성수 | 1.2㎢ |\n";
    a.authors = {{1, "김서연", "seoyeon.kim@sinmun.example"},
                 {2, "박준호", "junho.park@sinmun.example"}};
    a.photos = {sample_photo(6), sample_photo(7)};
    a.status = news::ArticleStatus::published;
    a.published_at = kst::from_kst(2026, 11, 26, 9, 5);
    a.updated_at = a.published_at;
    a.version = 3;
    return a;
}

inline news::ArticleSummary sample_summary(std::int64_t id, std::string headline,
                                           std::string label = "") {
    news::ArticleSummary s;
    s.id = id;
    s.section_id = 2;
    s.headline = std::move(headline);
    s.label = std::move(label);
    s.excerpt =
        "기사 요약 문장이 여기에 들어갑니다. 독자가 한눈에 내용을 파악할 수 있도록 짧게 씁니다.";
    s.lead_photo = sample_photo(100 + id);
    s.author_names = {"김서연"};
    s.published_at = kst::from_kst(2026, 11, 26, 8, 0) + id * 60'000;
    return s;
}

inline std::shared_ptr<const market::Snapshot> sample_snapshot() {
    auto snap = std::make_shared<market::Snapshot>();
    snap->seq = 1042;
    snap->as_of_ms = kst::from_kst(2026, 11, 26, 14, 3, 7);
    snap->demo = true;
    struct C {
        const char* code;
        const char* name;
        const char* price;
        std::optional<std::int64_t> ppm;
        int tick;
        bool stale;
    };
    const C coins[] = {
        {"KRW-BTC", "비트코인", "131250000", 21300, 1, false},
        {"KRW-ETH", "이더리움", "4870000", -5000, -1, false},
        {"KRW-XRP", "리플", "3120", 0, 0, false},
        {"KRW-SOL", "솔라나", "285400", 103400, 1, false},
        {"KRW-DOGE", "도지코인", "512.3", -12100, -1, true},
        {"KRW-ADA", "에이다", "1105", 4500, 1, false},
        {"KRW-TRX", "트론", "389.5", std::nullopt, 0, false},
        {"KRW-AVAX", "아발란체", "52300", -23400, -1, false},
        {"KRW-LINK", "체인링크", "28150", 8800, 1, false},
        {"KRW-DOT", "폴카닷", "10450", -3100, 0, false},
        {"KRW-SHIB", "시바이누", "0.0321", 15600, 1, false},
        {"KRW-BCH", "비트코인캐시", "712000", 600, 0, false},
    };
    int pos = 0;
    for (const auto& c : coins) {
        market::CryptoRow row;
        row.instrument = {c.code, c.name, market::AssetClass::crypto, "UPBIT", pos++};
        row.quote.code = c.code;
        row.quote.price = *Decimal::parse(c.price);
        row.quote.change_ppm = c.ppm;
        row.quote.tick = c.tick;
        row.quote.as_of_ms = snap->as_of_ms;
        row.stale = c.stale;
        snap->crypto.push_back(row);
    }
    struct S {
        const char* code;
        const char* name;
        const char* market;
        const char* price;
        std::int64_t ppm;
        bool limit_up;
    };
    const S stocks[] = {{"123456", "한빛바이오", "KOSDAQ", "18200", 299000, true},
                        {"005930", "삼성전자", "KOSPI", "71500", 29900, false},
                        {"000660", "SK하이닉스", "KOSPI", "182300", 21400, false},
                        {"035420", "NAVER", "KOSPI", "214500", 15200, false},
                        {"068270", "셀트리온", "KOSPI", "176800", 11000, false}};
    for (const auto& s : stocks) {
        market::StockRow row;
        row.instrument = {s.code, s.name, market::AssetClass::stock, s.market, 0};
        row.quote.code = s.code;
        row.quote.price = *Decimal::parse(s.price);
        row.quote.change_ppm = s.ppm;
        row.quote.limit_up = s.limit_up;
        snap->gainers.push_back(row);
    }
    snap->krx_state = market::KrxState::closed;
    snap->krx_marker = "11.26 장종료";
    snap->stock_source = "KRX 종가 기준 (데모)";
    snap->crypto_source = "업비트 KRW 마켓 · 24시간 변동률 기준";
    return snap;
}

}  // namespace sinmun::render::testing
