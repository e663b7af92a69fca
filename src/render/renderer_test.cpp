#include "render/renderer.hpp"

#include "render/test_fixtures.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>

namespace sinmun::render {
namespace {

using namespace testing;

bool contains(const std::string& h, std::string_view needle) {
    return h.find(needle) != std::string::npos;
}
std::size_t count(const std::string& h, std::string_view needle) {
    std::size_t n = 0;
    for (auto pos = h.find(needle); pos != std::string::npos;
         pos = h.find(needle, pos + needle.size()))
        ++n;
    return n;
}

class RendererTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto r = Renderer::create({source_dir() + "/templates", source_dir() + "/assets"});
        ASSERT_TRUE(r) << r.error().message;
        renderer_ = *r;
    }
    static void TearDownTestSuite() { renderer_.reset(); }

    PageFrame frame() const {
        PageFrame f;
        f.settings = &settings_;
        f.sections = sample_sections();
        f.font_step = 2;
        f.market = sample_snapshot();
        f.main_news = {sample_summary(1, "주요 뉴스 첫째", "속보"),
                       sample_summary(2, "주요 뉴스 둘째", "[르포]")};
        f.now_ms = kst::from_kst(2026, 11, 26, 15, 0);
        return f;
    }
    ArticleView article_view() const {
        ArticleView v;
        v.frame = frame();
        v.article = sample_article();
        v.section = {2, "economy", "경제", 2};
        v.counts[reactions::ReactionKind::like] = 1234;
        v.counts[reactions::ReactionKind::angry] = 5;
        v.counts[reactions::ReactionKind::sad] = 0;
        v.counts[reactions::ReactionKind::want_more] = 17;
        v.more = {sample_summary(3, "같은 섹션 다른 기사")};
        return v;
    }
    // Writes a page for eyeballing when SINMUN_RENDER_SAMPLE_DIR is set (assets copied beside).
    static void keep_sample(const std::string& name, const std::string& html) {
        if (const char* dir = std::getenv("SINMUN_RENDER_SAMPLE_DIR")) {
            std::ofstream(std::string(dir) + "/" + name, std::ios::binary) << html;
        }
    }

    static inline std::shared_ptr<const Renderer> renderer_;
    news::SiteSettings settings_ = sample_settings();
};

TEST_F(RendererTest, ArticlePageCarriesHeadlineBylineDatesAndControls) {
    auto v = article_view();
    std::string h = renderer_->article(v);
    keep_sample("article.html", h);
    EXPECT_TRUE(h.starts_with("<!DOCTYPE html>\n<html lang=\"ko\" class=\"fs-2\">"))
        << h.substr(0, 80);
    EXPECT_TRUE(contains(h, "서울시, &apos;AI 특구&apos; 지정…내년부터 규제 완화"));
    EXPECT_TRUE(contains(h, "<span class=\"label-badge\">단독</span>"));
    EXPECT_TRUE(contains(h, "성수·상암 일대 2곳, 실증 규제 특례 적용"));
    EXPECT_TRUE(
        contains(h,
                 "<span class=\"byline-name\">김서연 기자</span> <a class=\"byline-email\" "
                 "href=\"mailto:seoyeon.kim@sinmun.example\">seoyeon.kim@sinmun.example</a>"));
    EXPECT_TRUE(contains(h, "박준호 기자"));
    EXPECT_TRUE(
        contains(h, "입력 <time datetime=\"2026-11-26T09:05:00+09:00\">2026-11-26 09:05</time>"));
    EXPECT_FALSE(contains(h, "수정 <time"));  // never edited
    EXPECT_TRUE(contains(h, "<a href=\"/section/economy\">경제</a>"));

    // Five font-size buttons posting to /prefs/font-size, the current one pressed.
    EXPECT_TRUE(
        contains(h, "<form class=\"font-size\" method=\"post\" action=\"/prefs/font-size\">"));
    EXPECT_TRUE(contains(
        h, "<input type=\"hidden\" name=\"back\" value=\"" + v.article.url_path() + "\">"));
    EXPECT_EQ(count(h, "name=\"size\""), 5u);
    for (const char* label : {"가장작게", "작게", "기본", "크게", "가장크게"}) {
        EXPECT_TRUE(contains(h, std::string(">") + label + "</button>")) << label;
    }
    EXPECT_TRUE(
        contains(h, "value=\"2\" class=\"fs-btn fs-btn-2\" aria-pressed=\"true\">기본</button>"));
    EXPECT_EQ(count(h, "aria-pressed=\"true\">"), 1u);

    // Four reaction buttons with Korean labels and grouped counts.
    EXPECT_TRUE(
        contains(h, "<form class=\"reactions\" method=\"post\" action=\"/article/42/reactions\""));
    EXPECT_TRUE(contains(h, "name=\"kind\" value=\"like\""));
    EXPECT_TRUE(contains(h,
                         "<span class=\"reaction-label\">좋아요</span> <span "
                         "class=\"reaction-count\">1,234</span>"));
    EXPECT_TRUE(contains(
        h, "<span class=\"reaction-label\">화나요</span> <span class=\"reaction-count\">5</span>"));
    EXPECT_TRUE(contains(
        h, "<span class=\"reaction-label\">슬퍼요</span> <span class=\"reaction-count\">0</span>"));
    EXPECT_TRUE(contains(h,
                         "<span class=\"reaction-label\">추가취재 원해요</span> <span "
                         "class=\"reaction-count\">17</span>"));
    EXPECT_EQ(count(h, "name=\"kind\""), 4u);

    // Body: lead figure (photo 6, unplaced) above, photo 7 placed, table rendered, copyright line.
    auto lead = h.find("/media/demo/6.jpg\" width");
    auto first_para = h.find("<p>서울시가 성수동과");
    ASSERT_NE(lead, std::string::npos);
    EXPECT_LT(lead, first_para);
    EXPECT_TRUE(contains(h, "▲ 서울 세종대로에서"));
    EXPECT_TRUE(contains(h, "<table>"));
    EXPECT_TRUE(contains(h, "저작권자 © 신문미디어 무단전재 및 재배포 금지"));
}

TEST_F(RendererTest, UpdatedTimeShownOnlyWhenItDiffers) {
    auto v = article_view();
    v.article.updated_at = v.article.published_at + 3 * 3600 * 1000;
    std::string h = renderer_->article(v);
    EXPECT_TRUE(
        contains(h, "수정 <time datetime=\"2026-11-26T12:05:00+09:00\">2026-11-26 12:05</time>"));
    EXPECT_TRUE(contains(h, "\"dateModified\":\"2026-11-26T12:05:00+09:00\""));
    v.article.updated_at = 0;
    EXPECT_FALSE(contains(renderer_->article(v), "수정 <time"));
}

TEST_F(RendererTest, FontStepComesFromFrame) {
    auto v = article_view();
    v.frame.font_step = 4;
    std::string h = renderer_->article(v);
    EXPECT_TRUE(contains(h, "<html lang=\"ko\" class=\"fs-4\">"));
    EXPECT_TRUE(contains(h, "aria-pressed=\"true\">가장크게</button>"));
    v.frame.font_step = 99;  // clamped, never an unknown class
    EXPECT_TRUE(contains(renderer_->article(v), "class=\"fs-4\""));
    EXPECT_EQ(font_step_from_cookie(std::nullopt), 2);
    EXPECT_EQ(font_step_from_cookie("0"), 0);
    EXPECT_EQ(font_step_from_cookie("4"), 4);
    EXPECT_EQ(font_step_from_cookie("5"), 2);
    EXPECT_EQ(font_step_from_cookie("1; x"), 2);
}

TEST_F(RendererTest, ArticleHasJsonLdOpenGraphAndCanonical) {
    auto v = article_view();
    std::string h = renderer_->article(v);
    std::string canonical = "https://sinmun.example" + v.article.url_path();
    EXPECT_TRUE(contains(h, "<link rel=\"canonical\" href=\"" + canonical + "\">"));
    EXPECT_TRUE(contains(h, "<meta property=\"og:type\" content=\"article\">"));
    EXPECT_TRUE(contains(h, "<meta property=\"og:locale\" content=\"ko_KR\">"));
    EXPECT_TRUE(contains(h, "<meta property=\"og:site_name\" content=\"신문\">"));
    EXPECT_TRUE(contains(
        h, "<meta property=\"og:image\" content=\"https://sinmun.example/media/demo/6.jpg\">"));
    EXPECT_TRUE(contains(
        h, "<meta property=\"article:published_time\" content=\"2026-11-26T09:05:00+09:00\">"));
    EXPECT_TRUE(contains(h,
                         "<script "
                         "type=\"application/ld+json\">{\"@context\":\"https://"
                         "schema.org\",\"@type\":\"NewsArticle\""));
    EXPECT_TRUE(contains(h, "\"author\":[{\"@type\":\"Person\",\"name\":\"김서연\""));
    EXPECT_TRUE(contains(h, "{\"@type\":\"Person\",\"name\":\"박준호\""));
    EXPECT_TRUE(
        contains(h, "\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":\"" + canonical + "\"}"));
    EXPECT_TRUE(
        contains(h, "\"publisher\":{\"@type\":\"NewsMediaOrganization\",\"name\":\"신문\""));
}

// Every JSON-LD block of the article page against tests/golden/jsonld/article.jsonld (one block a
// line); SINMUN_UPDATE_GOLDEN=1 rewrites the file.
TEST_F(RendererTest, ArticleJsonLdMatchesGolden) {
    auto v = article_view();
    v.article.updated_at = kst::from_kst(2026, 11, 26, 10, 30);
    std::string h = renderer_->article(v);
    std::string blocks;
    const std::string open = "<script type=\"application/ld+json\">";
    for (auto p = h.find(open); p != std::string::npos; p = h.find(open, p + 1)) {
        const auto start = p + open.size();
        blocks += h.substr(start, h.find("</script>", start) - start) + "\n";
    }
    EXPECT_TRUE(contains(blocks, "\"dateModified\":\"2026-11-26T10:30:00+09:00\""));
    EXPECT_TRUE(contains(blocks, "\"inLanguage\":\"ko\""));
    EXPECT_TRUE(contains(blocks, "\"@type\":\"BreadcrumbList\""));
    EXPECT_TRUE(contains(blocks,
                         "{\"@type\":\"ListItem\",\"position\":2,\"name\":\"경제\","
                         "\"item\":\"https://sinmun.example/section/economy\"}"));
    const std::string path = source_dir() + "/tests/golden/jsonld/article.jsonld";
    if (const char* env = std::getenv("SINMUN_UPDATE_GOLDEN"); env && std::string(env) == "1") {
        std::ofstream(path, std::ios::binary) << blocks;
        return;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "missing " << path << " (run with SINMUN_UPDATE_GOLDEN=1)";
    std::string golden((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(golden, blocks) << "differs from " << path;
}

TEST_F(RendererTest, ArticleOpenGraphAndTwitterCarryTheImageSize) {
    std::string h = renderer_->article(article_view());
    EXPECT_TRUE(contains(h, "<meta property=\"og:image:width\" content=\"1200\">"));
    EXPECT_TRUE(contains(h, "<meta property=\"og:image:height\" content=\"800\">"));
    EXPECT_TRUE(contains(h, "<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    EXPECT_TRUE(contains(h, "<meta property=\"article:modified_time\""));
    EXPECT_TRUE(contains(h, "<nav class=\"breadcrumb\" aria-label=\"현재 위치\">"));
    auto v = article_view();
    v.article.photos.clear();
    v.article.body_md = "사진 없는 기사.";
    h = renderer_->article(v);
    EXPECT_TRUE(contains(h, "<meta name=\"twitter:card\" content=\"summary\">"));
    EXPECT_FALSE(contains(h, "og:image"));
}

TEST_F(RendererTest, FeedsAreDiscoverableAndSectionPagesNameTheirOwn) {
    SectionView v;
    v.frame = frame();
    v.frame.active_section = "economy";
    v.section = {2, "economy", "경제", 2};
    std::string h = renderer_->section(v);
    EXPECT_TRUE(contains(h,
                         "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"신문 RSS\" "
                         "href=\"https://sinmun.example/rss\">"));
    EXPECT_TRUE(contains(h, "type=\"application/atom+xml\""));
    EXPECT_TRUE(contains(h, "type=\"application/feed+json\""));
    EXPECT_TRUE(
        contains(h, "title=\"신문 경제 RSS\" href=\"https://sinmun.example/rss/economy\">"));
    // An article page in that section lists the site's feeds only.
    EXPECT_FALSE(contains(renderer_->article(article_view()), "/rss/economy"));
}

TEST_F(RendererTest, PhoneLinkKeepsOnlyTheDialableNumber) {
    news::SiteSettings st = sample_settings();
    st.phone = "02-000-0000 (데모)";
    PageFrame f = frame();
    f.settings = &st;
    std::string h = renderer_->error(404, "", f);
    EXPECT_TRUE(contains(h, "<a href=\"tel:02-000-0000\">02-000-0000 (데모)</a>"));
    st.phone = "문의 없음";
    h = renderer_->error(404, "", f);
    EXPECT_FALSE(contains(h, "tel:"));
    EXPECT_TRUE(contains(h, "<dd>문의 없음</dd>"));
}

TEST_F(RendererTest, NoInlineScriptOrStyleAnywhere) {
    std::string h = renderer_->article(article_view());
    std::regex script_tag("<script(?![^>]*(type=\"application/ld\\+json\"|src=))[^>]*>");
    EXPECT_FALSE(std::regex_search(h, script_tag));
    EXPECT_FALSE(contains(h, "style="));
    EXPECT_FALSE(contains(h, "<style"));
    EXPECT_FALSE(contains(h, " onclick="));
    EXPECT_TRUE(std::regex_search(
        h, std::regex("<script src=\"/assets/site\\.[0-9a-f]{8}\\.js\" defer></script>")));
    EXPECT_TRUE(std::regex_search(
        h, std::regex("<link rel=\"stylesheet\" href=\"/assets/site\\.[0-9a-f]{8}\\.css\">")));
}

TEST_F(RendererTest, HostileHeadlinesAreEscapedEverywhere) {
    auto v = article_view();
    v.article.headline = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
    v.article.label = "<b>단독</b>";
    v.article.authors = {{1, "<i>기자</i>", "a@b.example\"><script>"}};
    v.frame.main_news = {sample_summary(9, "</script><script>alert(2)</script>", "[<u>르포</u>]")};
    std::string h = renderer_->article(v);
    keep_sample("hostile.html", h);
    EXPECT_FALSE(contains(h, "<script>alert"));
    EXPECT_FALSE(contains(h, "<img src=x"));
    EXPECT_FALSE(contains(h, "<b>단독"));
    EXPECT_FALSE(contains(h, "<i>기자"));
    EXPECT_FALSE(contains(h, "<u>르포"));
    EXPECT_TRUE(contains(h, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
    // JSON-LD cannot be closed from inside a string.
    auto ld = h.find("application/ld+json\">");
    auto ld_end = h.find("</script>", ld);
    std::string json = h.substr(ld, ld_end - ld);
    EXPECT_FALSE(contains(json, "<"));
    EXPECT_TRUE(contains(json, "\\u003cscript\\u003e"));
}

TEST_F(RendererTest, LabelsRenderAsBadgeOrBracketedPrefix) {
    auto v = article_view();
    v.article.label = "[르포]";
    std::string h = renderer_->article(v);
    EXPECT_TRUE(contains(h,
                         "<h1 class=\"article-headline\"><span "
                         "class=\"label-prefix\">[르포]</span> <span class=\"hl-text\">"));
    // Sidebar 주요 뉴스 items show their own labels, never the article's.
    EXPECT_TRUE(contains(
        h,
        "<span class=\"label-badge\">속보</span> <span class=\"hl-text\">주요 뉴스 첫째</span>"));
    EXPECT_TRUE(contains(h,
                         "<span class=\"label-prefix\">[르포]</span> <span class=\"hl-text\">주요 "
                         "뉴스 둘째</span>"));
    // An unlabeled item does not inherit a label from the enclosing page.
    EXPECT_TRUE(contains(h, "<a href=\"" + sample_summary(3, "같은 섹션 다른 기사").url_path() +
                                "\"><span class=\"hl-text\">같은 섹션 다른 기사</span></a>"));
}

TEST_F(RendererTest, LayoutHasMastheadDemoBannerNavAndLegalFooter) {
    std::string h = renderer_->article(article_view());
    EXPECT_TRUE(contains(h, "2026년 11월 26일 목요일"));
    EXPECT_TRUE(contains(h, "데모 사이트 — 기사와 시세는 시연용으로 만든 데이터입니다"));
    EXPECT_TRUE(contains(h, "<a href=\"/section/economy\" aria-current=\"page\">경제</a>"));
    EXPECT_TRUE(contains(h, "<a href=\"/section/politics\">정치</a>"));
    for (const char* field :
         {"<dt>제호</dt><dd>신문</dd>", "<dt>명칭</dt><dd>(주)신문미디어</dd>",
          "<dt>등록번호</dt><dd>서울 아54321</dd>", "<dt>등록연월일</dt><dd>2026-01-02</dd>",
          "<dt>발행연월일</dt><dd>2026-01-05</dd>", "<dt>발행인</dt><dd>박발행</dd>",
          "<dt>편집인</dt><dd>이편집</dd>", "<dt>청소년보호책임자</dt><dd>최보호</dd>",
          "<dt>발행소</dt><dd>서울특별시 중구 세종대로 110</dd>", "02-1234-5678",
          "desk@sinmun.example"}) {
        EXPECT_TRUE(contains(h, field)) << field;
    }
    EXPECT_EQ(count(h, "저작권자 © 신문미디어 무단전재 및 재배포 금지"), 2u);  // body + footer

    PageFrame f = frame();
    news::SiteSettings live = settings_;
    live.demo = false;
    f.settings = &live;
    f.market = nullptr;
    std::string e = renderer_->error(404, "", f);
    EXPECT_FALSE(contains(e, "데모 사이트"));
}

TEST_F(RendererTest, CryptoWidgetShowsRowsArrowsBasisAndDemo) {
    auto snap = sample_snapshot();
    std::string w = renderer_->crypto_widget(snap.get());
    EXPECT_TRUE(contains(w, "실시간 암호화폐 시세"));
    EXPECT_EQ(count(w, "<tr class=\"quote-row"), 12u);
    EXPECT_TRUE(
        contains(w, "<tr class=\"quote-row dir-up\" data-code=\"KRW-BTC\" data-tick=\"up\">"));
    EXPECT_TRUE(contains(w, "<td class=\"q-price\">131,250,000</td>"));
    EXPECT_TRUE(contains(w,
                         "<span class=\"q-arrow\" aria-hidden=\"true\">▲</span><span "
                         "class=\"q-rate\">+2.13%</span>"));
    EXPECT_TRUE(contains(w, "data-code=\"KRW-ETH\""));
    EXPECT_TRUE(contains(w, "dir-down\" data-code=\"KRW-ETH\""));
    EXPECT_TRUE(contains(w,
                         "<span class=\"q-arrow\" aria-hidden=\"true\">▼</span><span "
                         "class=\"q-rate\">-0.50%</span>"));
    EXPECT_TRUE(contains(w, "dir-flat\" data-code=\"KRW-XRP\""));
    // No 24 h reference yet: "—" and 신규 visible.
    EXPECT_TRUE(contains(w, "dir-none\" data-code=\"KRW-TRX\""));
    EXPECT_TRUE(contains(w,
                         "<span class=\"q-arrow\" aria-hidden=\"true\"></span><span "
                         "class=\"q-rate\">—</span><span class=\"q-new\">신규</span>"));
    // Stale row shows 지연.
    EXPECT_TRUE(contains(w, "is-stale\" data-code=\"KRW-DOGE\""));
    EXPECT_TRUE(contains(w, "도지코인<span class=\"q-stale\">지연</span>"));
    EXPECT_TRUE(contains(w, "비트코인<span class=\"q-stale\" hidden>지연</span>"));
    EXPECT_TRUE(contains(w,
                         "<span class=\"q-basis\">24시간 변동률 기준</span> · <span "
                         "class=\"q-source\">업비트 KRW 마켓</span>"));
    EXPECT_EQ(count(w, "24시간 변동률 기준"), 1u);
    EXPECT_TRUE(contains(
        w, "<time class=\"q-asof\" datetime=\"2026-11-26T14:03:07+09:00\">14:03:07</time>"));
    EXPECT_TRUE(
        contains(w, "<span class=\"badge demo-badge\" title=\"시연용 데이터\">데모</span>"));
    EXPECT_TRUE(contains(
        w, "<button type=\"button\" class=\"ticker-pause\" aria-pressed=\"false\" hidden>"));
    EXPECT_TRUE(contains(w, "<td class=\"q-price\">0.0321</td>"));

    market::Snapshot live = *snap;
    live.demo = false;
    EXPECT_FALSE(contains(renderer_->crypto_widget(&live), "데모"));
    std::string none = renderer_->crypto_widget(nullptr);
    EXPECT_TRUE(contains(none, "시세 정보를 불러오지 못했습니다"));
    EXPECT_TRUE(contains(none, "id=\"crypto-widget\""));
}

TEST_F(RendererTest, StocksWidgetShowsMarkerLimitUpAndSource) {
    auto snap = sample_snapshot();
    std::string w = renderer_->stocks_widget(snap.get());
    EXPECT_TRUE(contains(w, "오늘의 상승종목"));
    EXPECT_TRUE(contains(w, "<span class=\"krx-marker\">11.26 장종료</span>"));
    EXPECT_EQ(count(w, "<tr class=\"stock-row"), 5u);
    EXPECT_TRUE(contains(w, "<tr class=\"stock-row dir-up\" data-code=\"005930\">"));
    EXPECT_TRUE(contains(w, "<td class=\"s-price\">71,500</td>"));
    EXPECT_TRUE(contains(
        w, "<span class=\"s-rate\">+29.90%</span><span class=\"badge limit-badge\">상한가</span>"));
    EXPECT_EQ(count(w, "상한가"), 1u);
    EXPECT_TRUE(contains(w, "KRX 종가 기준 (데모)"));
}

TEST_F(RendererTest, HomePageHasLeadTopListAndSectionBlocks) {
    HomeView v;
    v.frame = frame();
    v.lead = sample_summary(10, "리드 기사 헤드라인", "단독");
    v.lead->subtitle = "리드 부제";
    v.top = {sample_summary(11, "주요 기사 하나", "[인터뷰]"), sample_summary(12, "주요 기사 둘")};
    for (const auto& s : sample_sections()) {
        HomeView::SectionBlock b;
        b.section = s;
        for (int i = 0; i < 5; ++i)
            b.items.push_back(
                sample_summary(20 + s.id * 10 + i, s.name + " 기사 " + std::to_string(i + 1)));
        v.blocks.push_back(b);
    }
    std::string h = renderer_->home(v);
    keep_sample("home.html", h);
    EXPECT_TRUE(contains(h, "class=\"lead-story\""));
    EXPECT_TRUE(contains(h, "/media/demo/110.jpg"));
    EXPECT_TRUE(contains(h,
                         "<span class=\"label-badge\">단독</span> <span class=\"hl-text\">리드 "
                         "기사 헤드라인</span>"));
    EXPECT_TRUE(contains(h, "리드 부제"));
    EXPECT_TRUE(contains(h, "<span class=\"label-prefix\">[인터뷰]</span>"));
    EXPECT_EQ(count(h, "class=\"section-block\""), 6u);
    EXPECT_TRUE(contains(h, "<a href=\"/section/politics\">정치</a>"));
    EXPECT_EQ(count(h, "class=\"block-lead\""), 6u);
    EXPECT_TRUE(contains(h, "<a href=\"/\" aria-current=\"page\">홈</a>"));
    EXPECT_TRUE(contains(h, "<meta property=\"og:type\" content=\"website\">"));
}

TEST_F(RendererTest, SectionPageListsItemsWithPagination) {
    SectionView v;
    v.frame = frame();
    v.frame.active_section = "economy";
    v.frame.title = "경제";
    v.frame.canonical_path = "/section/economy?page=3";
    v.section = {2, "economy", "경제", 2};
    for (int i = 0; i < 10; ++i)
        v.items.push_back(
            sample_summary(50 + i, "경제 기사 " + std::to_string(i), i == 0 ? "속보" : ""));
    v.page = 3;
    v.page_count = 7;
    std::string h = renderer_->section(v);
    keep_sample("section.html", h);
    EXPECT_EQ(count(h, "class=\"article-item\""), 10u);
    EXPECT_TRUE(
        contains(h, "<a class=\"page-prev\" rel=\"prev\" href=\"/section/economy?page=2\">"));
    EXPECT_TRUE(
        contains(h, "<a class=\"page-next\" rel=\"next\" href=\"/section/economy?page=4\">"));
    EXPECT_TRUE(contains(h, "<span class=\"page-num current\" aria-current=\"page\">3</span>"));
    EXPECT_TRUE(contains(h, "<a class=\"page-num\" href=\"/section/economy\">1</a>"));
    EXPECT_TRUE(contains(h, "<a class=\"page-num\" href=\"/section/economy?page=7\">7</a>"));
    EXPECT_TRUE(contains(h, "<title>경제 - 신문</title>"));
    EXPECT_TRUE(contains(h, "<a href=\"/section/economy\" aria-current=\"page\">경제</a>"));

    v.page = 1;
    v.page_count = 1;
    v.items.clear();
    std::string empty = renderer_->section(v);
    EXPECT_TRUE(contains(empty, "아직 이 섹션에 실린 기사가 없습니다"));
    EXPECT_FALSE(contains(empty, "class=\"pagination\""));
}

TEST_F(RendererTest, ErrorPagesAreKoreanWithLinkHome) {
    PageFrame f = frame();
    std::string nf = renderer_->error(404, "요청하신 기사를 찾을 수 없습니다.", f);
    keep_sample("404.html", nf);
    EXPECT_TRUE(contains(nf, "페이지를 찾을 수 없습니다"));
    EXPECT_TRUE(contains(nf, "요청하신 기사를 찾을 수 없습니다."));
    EXPECT_TRUE(contains(nf, "<a class=\"button\" href=\"/\">신문 홈으로 가기</a>"));
    EXPECT_TRUE(contains(nf, "<meta name=\"robots\" content=\"noindex\">"));
    EXPECT_FALSE(contains(nf, "rel=\"canonical\""));
    EXPECT_TRUE(contains(renderer_->error(405, "", f), "허용되지 않는 요청 방식입니다"));
    EXPECT_TRUE(contains(renderer_->error(410, "", f), "삭제된 기사입니다"));
    EXPECT_TRUE(contains(renderer_->error(500, "<script>", f), "&lt;script&gt;"));
}

TEST(RendererCreate, MissingTemplatesDirIsAnError) {
    auto r = Renderer::create({"/nonexistent/templates", source_dir() + "/assets"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::not_found);
    EXPECT_TRUE(r.error().message.find("layout.mustache") != std::string::npos);
}

}  // namespace
}  // namespace sinmun::render
