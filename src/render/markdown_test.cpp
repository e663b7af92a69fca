#include "render/markdown.hpp"

#include "render/test_fixtures.hpp"

#include <gtest/gtest.h>

namespace sinmun::render {
namespace {

using testing::sample_photo;

bool contains(const std::string& h, std::string_view needle) {
    return h.find(needle) != std::string::npos;
}
std::size_t count_anchors(const std::string& h) {
    std::size_t n = 0;
    for (auto pos = h.find("<a "); pos != std::string::npos; pos = h.find("<a ", pos + 1)) ++n;
    return n;
}

TEST(Markdown, RendersGfmTablesStrikethroughAndAutolinks) {
    std::string html =
        markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~취소~~ https://example.com");
    EXPECT_TRUE(contains(html, "<table>"));
    EXPECT_TRUE(contains(html, "<td>1</td>"));
    EXPECT_TRUE(contains(html, "<del>취소</del>"));
    EXPECT_TRUE(contains(html, "<a href=\"https://example.com\">"));
}

TEST(Markdown, NeverPassesRawHtmlBlocksOrInline) {
    std::string html = markdown_to_html(
        "<script>alert(1)</script>\n\n<div onclick=\"x()\">블록</div>\n\n"
        "본문 <img src=x onerror=alert(2)> 과 <b>굵게</b>\n\n<iframe "
        "src=\"https://evil\"></iframe>");
    EXPECT_FALSE(contains(html, "<script"));
    EXPECT_FALSE(contains(html, "<div"));
    EXPECT_FALSE(contains(html, "<img"));
    EXPECT_FALSE(contains(html, "<b>"));
    EXPECT_FALSE(contains(html, "<iframe"));
    EXPECT_FALSE(contains(html, "onerror"));
    EXPECT_TRUE(contains(html, "본문"));
}

TEST(Markdown, DropsJavascriptAndDataLinks) {
    std::string html = markdown_to_html(
        "[클릭](javascript:alert(1)) [대문자](JAVASCRIPT:alert(1)) [vb](vbscript:msgbox) "
        "[데이터](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(3)> "
        "[정상](https://ok.example/a)");
    EXPECT_FALSE(contains(html, "href=\"javascript:"));
    EXPECT_FALSE(contains(html, "href=\"JAVASCRIPT:"));
    EXPECT_FALSE(contains(html, "href=\"vbscript:"));
    EXPECT_FALSE(contains(html, "href=\"data:"));
    // Neutralised links keep their text but lose the anchor (no dead href="").
    EXPECT_FALSE(contains(html, "href=\"\""));
    EXPECT_TRUE(contains(html, "클릭 대문자 vb 데이터"));
    EXPECT_EQ(count_anchors(html), 1u);
    EXPECT_TRUE(contains(html, "href=\"https://ok.example/a\""));
}

TEST(Markdown, EscapesTextAndAttributes) {
    std::string html = markdown_to_html("a < b & \"c\" [x](https://e.example/?q=\"><script>)");
    EXPECT_TRUE(contains(html, "a &lt; b &amp; &quot;c&quot;"));
    EXPECT_FALSE(contains(html, "<script>"));
}

TEST(Markdown, PhotoParagraphBecomesFigureNotNestedInParagraph) {
    auto body = render_article_body("첫 문단.\n\n![무시되는 alt](photo:7)\n\n끝 문단.",
                                    {sample_photo(6), sample_photo(7)});
    const std::string& h = body.body;
    auto fig = h.find("<figure class=\"photo\">");
    ASSERT_NE(fig, std::string::npos) << h;
    EXPECT_TRUE(contains(
        h,
        "<img src=\"/media/demo/7.jpg\" width=\"1200\" height=\"800\" alt=\"사진 7의 대체 텍스트\" "
        "loading=\"lazy\" decoding=\"async\">"))
        << h;
    EXPECT_TRUE(contains(
        h,
        "<figcaption>▲ 서울 세종대로에서 시민들이 행진하고 있다 <span class=\"credit\">사진=신문 "
        "DB</span></figcaption></figure>"))
        << h;
    // Not inside a paragraph: the last <p> before the figure is closed before it starts.
    auto last_p_open = h.rfind("<p>", fig);
    auto last_p_close = h.rfind("</p>", fig);
    EXPECT_TRUE(last_p_open == std::string::npos || last_p_close > last_p_open);
    EXPECT_FALSE(contains(h, "<p><figure"));
    EXPECT_FALSE(contains(h, "photo:"));
    ASSERT_EQ(body.placed_photo_ids.size(), 1u);
    EXPECT_EQ(body.placed_photo_ids[0], 7);
    // Photo 6 was not placed, so it leads above the body, eagerly loaded.
    EXPECT_TRUE(contains(body.lead_figure, "/media/demo/6.jpg"));
    EXPECT_TRUE(contains(body.lead_figure, "photo-lead"));
    EXPECT_FALSE(contains(body.lead_figure, "loading=\"lazy\""));
}

TEST(Markdown, NoLeadFigureWhenEveryPhotoIsPlaced) {
    auto body =
        render_article_body("![](photo:6)\n\n![](photo:7)", {sample_photo(6), sample_photo(7)});
    EXPECT_TRUE(body.lead_figure.empty());
    EXPECT_EQ(body.placed_photo_ids.size(), 2u);
}

TEST(Markdown, UnknownPhotoIdsAreDropped) {
    auto body =
        render_article_body("앞\n\n![x](photo:999)\n\n뒤 ![y](photo:abc) 끝", {sample_photo(1)});
    EXPECT_FALSE(contains(body.body, "photo:"));
    EXPECT_FALSE(contains(body.body, "<img"));
    EXPECT_FALSE(contains(body.body, "<figure"));
    EXPECT_FALSE(contains(body.body, "<p></p>"));
    EXPECT_TRUE(contains(body.body, "뒤"));
    EXPECT_TRUE(contains(body.lead_figure, "/media/demo/1.jpg"));
}

TEST(Markdown, CaptionAndCreditAreEscaped) {
    news::Photo p = sample_photo(3);
    p.caption = "<script>x</script> & 캡션";
    p.alt = "\"><img src=x>";
    auto body = render_article_body("![](photo:3)", {p});
    EXPECT_FALSE(contains(body.body, "<script>"));
    EXPECT_FALSE(contains(body.body, "<img src=x>"));
    EXPECT_TRUE(contains(body.body, "▲ &lt;script&gt;x&lt;/script&gt; &amp; 캡션"));
}

TEST(Markdown, PlainTextStripsMarkupAndTruncates) {
    std::string md =
        "# 제목\n\n**굵은** 글씨와 [링크](https://x.example)\n\n![사진](photo:1)\n\n- 하나\n- 둘";
    EXPECT_EQ(plain_text(md, 100), "제목 굵은 글씨와 링크 하나 둘");
    EXPECT_EQ(plain_text(md, 4), "제목 굵…");
    EXPECT_EQ(plain_text("<b>raw</b> text", 100), "raw text");  // tags dropped, text kept
}

TEST(Markdown, UploadedPhotoFigureCarriesSrcsetAndWebpSource) {
    news::Photo p = sample_photo(8);
    p.src = "/media/uploads/2026/11/0123456789abcdef_1600-w960.jpg";
    p.width = 960;
    p.height = 640;
    const std::string fig = photo_figure(p);
    const std::string stem = "/media/uploads/2026/11/0123456789abcdef_1600-w";
    EXPECT_TRUE(contains(fig, "<picture><source type=\"image/webp\" srcset=\"" + stem +
                                  "480.webp 480w, " + stem + "960.webp 960w, " + stem +
                                  "1600.webp 1600w\" sizes=\"(min-width: 1200px) 812px,"))
        << fig;
    EXPECT_TRUE(contains(fig, "<img src=\"" + stem + "960.jpg\" srcset=\"" + stem +
                                  "480.jpg 480w, " + stem + "960.jpg 960w, " + stem +
                                  "1600.jpg 1600w\" sizes=\""))
        << fig;
    EXPECT_TRUE(contains(fig, "decoding=\"async\"></picture><figcaption>")) << fig;
    // Demo photos have no variants: a plain <img>.
    EXPECT_FALSE(contains(photo_figure(sample_photo(8)), "srcset"));
    EXPECT_FALSE(contains(photo_figure(sample_photo(8)), "<picture>"));
}

}  // namespace
}  // namespace sinmun::render
