#include "web/handlers/multipart.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace sinmun;
using namespace sinmun::web;

namespace {

const std::string kType = "multipart/form-data; boundary=----WebKitFormBoundaryX3";

std::string body_of(std::initializer_list<std::string> parts) {
    std::string b;
    for (const auto& p : parts) b += "------WebKitFormBoundaryX3\r\n" + p + "\r\n";
    b += "------WebKitFormBoundaryX3--\r\n";
    return b;
}

}  // namespace

TEST(Multipart, BoundaryFromContentType) {
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
    EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
    EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; boundary=xyz"), "xyz");
    EXPECT_FALSE(multipart_boundary("application/x-www-form-urlencoded"));
    EXPECT_FALSE(multipart_boundary("multipart/form-data"));
    EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary="));
    EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
    EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=\"unterminated"));
}

TEST(Multipart, ParsesFieldsAndABinaryFile) {
    std::string jpeg("\xff\xd8\xff\xe0\0\x10JFIF\r\n--not-a-boundary\r\n\xff\xd9", 24);
    std::string body = body_of({
        "Content-Disposition: form-data; name=\"csrf\"\r\n\r\ntok123",
        "Content-Disposition: form-data; name=\"caption\"\r\n\r\n서울 광화문 ▲",
        "Content-Disposition: form-data; name=\"photo\"; filename=\"사진 1.jpg\"\r\n"
        "Content-Type: image/jpeg\r\n\r\n" +
            jpeg,
    });
    auto parts = parse_multipart(kType, body);
    ASSERT_TRUE(parts) << parts.error().message;
    ASSERT_EQ(parts->size(), 3u);
    EXPECT_EQ((*parts)[0].name, "csrf");
    EXPECT_EQ((*parts)[0].data, "tok123");
    EXPECT_FALSE((*parts)[0].filename);
    EXPECT_EQ((*parts)[1].data, "서울 광화문 ▲");
    const auto* photo = find_part(*parts, "photo");
    ASSERT_NE(photo, nullptr);
    EXPECT_EQ(photo->filename, "사진 1.jpg");
    EXPECT_EQ(photo->content_type, "image/jpeg");
    EXPECT_EQ(photo->data, jpeg);
    EXPECT_EQ(find_part(*parts, "missing"), nullptr);
}

TEST(Multipart, PreambleEpilogueAndEmptyFile) {
    std::string body = "preamble to ignore\r\n" +
                       body_of({"Content-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
                                "Content-Type: application/octet-stream\r\n\r\n"}) +
                       "epilogue";
    auto parts = parse_multipart(kType, body);
    ASSERT_TRUE(parts) << parts.error().message;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].filename, "");
    EXPECT_TRUE((*parts)[0].data.empty());
}

TEST(Multipart, EscapedQuotesInFilename) {
    std::string body =
        body_of({"content-disposition: form-data; name=\"f\"; filename=\"a\\\"b.png\"\r\n\r\nx"});
    auto parts = parse_multipart(kType, body);
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_EQ((*parts)[0].filename, "a\"b.png");
}

TEST(Multipart, RefusesMalformedBodies) {
    // No closing delimiter.
    auto r = parse_multipart(
        kType, "------WebKitFormBoundaryX3\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_input);
    // No delimiter at all.
    EXPECT_FALSE(parse_multipart(kType, "hello"));
    // Empty body.
    EXPECT_FALSE(parse_multipart(kType, ""));
    // Missing Content-Disposition.
    EXPECT_FALSE(parse_multipart(kType, body_of({"Content-Type: text/plain\r\n\r\nx"})));
    // Disposition without name.
    EXPECT_FALSE(parse_multipart(kType, body_of({"Content-Disposition: form-data\r\n\r\nx"})));
    // Not form-data.
    EXPECT_FALSE(
        parse_multipart(kType, body_of({"Content-Disposition: attachment; name=a\r\n\r\nx"})));
    // Header line without a colon.
    EXPECT_FALSE(parse_multipart(
        kType, body_of({"Content-Disposition: form-data; name=a\r\nbogus\r\n\r\nx"})));
    // Unterminated header block.
    EXPECT_FALSE(parse_multipart(
        kType, "------WebKitFormBoundaryX3\r\nContent-Disposition: form-data; name=a"));
    // Delimiter followed by junk, not CRLF.
    EXPECT_FALSE(parse_multipart(kType, "------WebKitFormBoundaryX3junk"));
    // Body ends right after a delimiter.
    EXPECT_FALSE(parse_multipart(kType, "------WebKitFormBoundaryX3"));
    // Wrong content type.
    auto wrong = parse_multipart("text/plain", body_of({}));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, Errc::invalid_input);
}

TEST(Multipart, EnforcesLimits) {
    MultipartLimits limits;
    limits.max_parts = 2;
    limits.max_file_bytes = 10;
    limits.max_field_bytes = 5;
    limits.max_header_bytes = 100;
    auto field = [](std::string name, std::string v) {
        return "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + v;
    };
    auto r = parse_multipart(kType, body_of({field("a", "1"), field("b", "2"), field("c", "3")}),
                             limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::too_large);

    r = parse_multipart(kType, body_of({field("a", "123456")}), limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::too_large);

    r = parse_multipart(
        kType,
        body_of({"Content-Disposition: form-data; name=f; filename=x.jpg\r\n\r\n12345678901"}),
        limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::too_large);

    r = parse_multipart(kType,
                        body_of({"Content-Disposition: form-data; name=f\r\nX-Pad: " +
                                 std::string(200, 'p') + "\r\n\r\nv"}),
                        limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::too_large);

    EXPECT_TRUE(parse_multipart(kType, body_of({field("a", "12345"), field("b", "")}), limits));
}

TEST(Multipart, NeverThrowsOnTruncations) {
    std::string body = body_of({
        "Content-Disposition: form-data; name=\"csrf\"\r\n\r\ntok",
        "Content-Disposition: form-data; name=\"p\"; filename=\"a.jpg\"\r\n"
        "Content-Type: image/jpeg\r\n\r\nDATA",
    });
    int ok_count = 0;
    for (std::size_t n = 0; n <= body.size(); ++n) {
        auto r = parse_multipart(kType, std::string_view(body).substr(0, n));
        if (r) ++ok_count;
    }
    // Only the complete body (and the one missing the final CRLF) parse.
    EXPECT_EQ(ok_count, 3);
}
