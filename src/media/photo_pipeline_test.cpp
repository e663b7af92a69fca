// Photo uploads: accepted formats, variants decoded back, orientation, metadata, refusals
// (not an image, damaged, too large in bytes or pixels), idempotence and concurrency.
// Every image is generated here with libvips itself.
#include "media/photo_pipeline.hpp"

#include "core/kst.hpp"
#include "news/photo_variants.hpp"

#include <gtest/gtest.h>
#include <vips/vips8>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

namespace sinmun::media {
namespace {

namespace fs = std::filesystem;
using vips::VImage;

class PhotoPipeline : public ::testing::Test {
protected:
    static void SetUpTestSuite() { ASSERT_EQ(VIPS_INIT("media_test"), 0); }

    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sinmun-media-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Every regular file under the media dir, relative to it.
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        for (const auto& e : fs::recursive_directory_iterator(dir_)) {
            if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir_).string());
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    // Site path "/media/uploads/…" → file under the media dir.
    fs::path file_of(const std::string& src) const {
        return dir_ / src.substr(std::string_view("/media/").size());
    }

    fs::path dir_;
    ManualClock clock_{kst::from_kst(2026, 11, 26, 10, 0)};
};

// A w×h 8-bit sRGB image with some texture (noise plus a gradient), so encoders have real work.
VImage test_image(int w, int h, int bands = 3) {
    VImage noise = VImage::gaussnoise(w, h, VImage::option()->set("sigma", 40)->set("mean", 128));
    VImage grad = VImage::xyz(w, h)[0] * (255.0 / w);
    std::vector<VImage> parts = {noise, grad, (noise + grad) / 2};
    VImage img = parts[0].bandjoin({parts[1], parts[2]});
    if (bands == 4) img = img.bandjoin_const({200});
    img = img.cast(VIPS_FORMAT_UCHAR);
    return img.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

// A large image that is cheap to make and encode (smooth gradients).
VImage smooth_image(int w, int h) {
    VImage xyz = VImage::xyz(w, h);
    VImage r = xyz[0] * (255.0 / w);
    VImage g = xyz[1] * (255.0 / h);
    VImage img = r.bandjoin({g, (r + g) / 2}).cast(VIPS_FORMAT_UCHAR);
    return img.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

std::string blob_string(VipsBlob* blob) {
    std::size_t len = 0;
    const void* data = vips_blob_get(blob, &len);
    std::string out(static_cast<const char*>(data), len);
    vips_area_unref(VIPS_AREA(blob));
    return out;
}

std::string jpeg_of(const VImage& img) { return blob_string(img.jpegsave_buffer()); }
std::string png_of(const VImage& img) { return blob_string(img.pngsave_buffer()); }
std::string webp_of(const VImage& img) { return blob_string(img.webpsave_buffer()); }

VImage decode_file(const fs::path& p) {
    return VImage::new_from_file(p.c_str(), VImage::option()->set("access", VIPS_ACCESS_RANDOM));
}

std::uint32_t crc32(std::string_view data) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data) {
        c ^= b;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

void put_be32(std::string& s, std::size_t at, std::uint32_t v) {
    s[at] = static_cast<char>(v >> 24);
    s[at + 1] = static_cast<char>(v >> 16);
    s[at + 2] = static_cast<char>(v >> 8);
    s[at + 3] = static_cast<char>(v);
}

// A small valid PNG whose IHDR claims w×h (CRC recomputed): a decompression bomb's header.
std::string png_claiming(int w, int h) {
    std::string png = png_of(test_image(16, 16));
    // signature (8) | length (4) | "IHDR" (4) | width (4) | height (4) | … 5 bytes | CRC (4)
    EXPECT_EQ(png.substr(12, 4), "IHDR");
    put_be32(png, 16, static_cast<std::uint32_t>(w));
    put_be32(png, 20, static_cast<std::uint32_t>(h));
    put_be32(png, 29, crc32(std::string_view(png).substr(12, 17)));
    return png;
}

TEST_F(PhotoPipeline, JpegBecomesThreeWidthsInJpegAndWebp) {
    auto r = process_upload(jpeg_of(test_image(2000, 1500)), dir_.string(), {}, clock_);
    ASSERT_TRUE(r) << r.error().message;
    const ProcessedPhoto& p = *r;
    ASSERT_EQ(p.variants.size(), 3u);
    const int widths[] = {480, 960, 1600};
    const int heights[] = {360, 720, 1200};
    for (std::size_t i = 0; i < 3; ++i) {
        const Variant& v = p.variants[i];
        EXPECT_EQ(v.width, widths[i]);
        EXPECT_EQ(v.height, heights[i]);
        EXPECT_TRUE(v.jpeg_src.starts_with("/media/uploads/2026/11/")) << v.jpeg_src;
        EXPECT_TRUE(v.jpeg_src.ends_with("-w" + std::to_string(widths[i]) + ".jpg"));
        EXPECT_TRUE(v.webp_src.ends_with("-w" + std::to_string(widths[i]) + ".webp"));

        VImage jpg = decode_file(file_of(v.jpeg_src));
        EXPECT_STREQ(jpg.get_string("vips-loader"), "jpegload");
        EXPECT_EQ(jpg.width(), v.width);
        EXPECT_EQ(jpg.height(), v.height);
        EXPECT_EQ(jpg.bands(), 3);
        EXPECT_EQ(jpg.get_int("interlaced"), 1) << "progressive JPEG";
        VImage webp = decode_file(file_of(v.webp_src));
        EXPECT_STREQ(webp.get_string("vips-loader"), "webpload");
        EXPECT_EQ(webp.width(), v.width);
        EXPECT_EQ(webp.height(), v.height);
    }
    EXPECT_EQ(p.photo.src, p.variants[1].jpeg_src);
    EXPECT_EQ(p.photo.width, 960);
    EXPECT_EQ(p.photo.height, 720);
    EXPECT_TRUE(p.photo.alt.empty());
    EXPECT_TRUE(p.photo.caption.empty());
    EXPECT_EQ(files().size(), 6u);
}

TEST_F(PhotoPipeline, LargeJpegsAreShrunkOnLoadToExactWidths) {
    // 7000 px wide: libjpeg decodes at 1/2 before the final reduction.
    auto r = process_upload(jpeg_of(smooth_image(7000, 700)), dir_.string(), {}, clock_);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->variants.size(), 3u);
    EXPECT_EQ(r->variants[0].width, 480);
    EXPECT_EQ(r->variants[0].height, 48);
    EXPECT_EQ(r->variants[2].width, 1600);
    EXPECT_EQ(r->variants[2].height, 160);
    EXPECT_EQ(decode_file(file_of(r->variants[2].jpeg_src)).width(), 1600);
}

TEST_F(PhotoPipeline, PngWithAlphaIsAcceptedAndFlattened) {
    auto r = process_upload(png_of(test_image(1000, 500, 4)), dir_.string(), {}, clock_);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->variants.size(), 3u);
    EXPECT_EQ(r->variants[2].width, 1000);  // 960 < width < 1600: the original's own width
    EXPECT_EQ(r->variants[2].height, 500);
    VImage top = decode_file(file_of(r->variants[2].jpeg_src));
    EXPECT_EQ(top.bands(), 3);
    VImage webp = decode_file(file_of(r->variants[0].webp_src));
    EXPECT_EQ(webp.bands(), 3);
}

TEST_F(PhotoPipeline, WebpIsAccepted) {
    auto r = process_upload(webp_of(test_image(1200, 800)), dir_.string(), {}, clock_);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->variants.size(), 3u);
    EXPECT_EQ(r->variants[0].width, 480);
    EXPECT_EQ(r->variants[1].width, 960);
    EXPECT_EQ(r->variants[2].width, 1200);
    EXPECT_EQ(r->photo.width, 960);
    EXPECT_EQ(r->photo.height, 640);
}

TEST_F(PhotoPipeline, SmallImagesAreNeverUpscaled) {
    auto r = process_upload(jpeg_of(test_image(700, 400)), dir_.string(), {}, clock_);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->variants.size(), 2u);
    EXPECT_EQ(r->variants[0].width, 480);
    EXPECT_EQ(r->variants[1].width, 700);
    EXPECT_EQ(r->variants[1].height, 400);
    EXPECT_EQ(r->photo.src, r->variants[1].jpeg_src);
    EXPECT_EQ(r->photo.width, 700);
    EXPECT_EQ(decode_file(file_of(r->variants[1].jpeg_src)).width(), 700);

    auto tiny = process_upload(png_of(test_image(300, 200)), dir_.string(), {}, clock_);
    ASSERT_TRUE(tiny) << tiny.error().message;
    ASSERT_EQ(tiny->variants.size(), 1u);
    EXPECT_EQ(tiny->variants[0].width, 300);
    EXPECT_EQ(tiny->photo.width, 300);
}

TEST_F(PhotoPipeline, ExifOrientationIsAppliedAndMetadataStripped) {
    VImage img = test_image(1200, 800).copy();
    img.set("orientation", 6);  // "rotate 90° clockwise to display"
    const std::string jpeg = jpeg_of(img);
    {
        VImage in = VImage::new_from_buffer(jpeg, "");
        ASSERT_EQ(in.get_int("orientation"), 6);
        ASSERT_NE(in.get_typeof("exif-data"), 0u) << "the input carries EXIF";
    }
    auto r = process_upload(jpeg, dir_.string(), {}, clock_);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->variants.size(), 2u);  // upright it is 800 wide: 480 and 800
    EXPECT_EQ(r->variants[1].width, 800);
    EXPECT_EQ(r->variants[1].height, 1200);
    EXPECT_EQ(r->photo.width, 800);
    EXPECT_EQ(r->photo.height, 1200);
    for (const Variant& v : r->variants) {
        for (const auto& src : {v.jpeg_src, v.webp_src}) {
            VImage out = decode_file(file_of(src));
            EXPECT_EQ(out.width(), v.width) << src;
            EXPECT_EQ(out.height(), v.height) << src;
            EXPECT_EQ(out.get_typeof("exif-data"), 0u) << src << " still has EXIF";
            EXPECT_EQ(out.get_typeof("xmp-data"), 0u) << src;
            EXPECT_EQ(out.get_typeof("icc-profile-data"), 0u) << src;
            EXPECT_EQ(out.get_typeof("orientation"), 0u) << src;
        }
    }
}

TEST_F(PhotoPipeline, PhpScriptNamedJpgIsRefused) {
    auto r = process_upload("<?php system($_GET['c']); ?>\n", dir_.string(), {}, clock_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_input);
    EXPECT_EQ(r.error().message, "이미지 파일(JPEG, PNG, WebP)만 올릴 수 있습니다");
    EXPECT_TRUE(files().empty());
}

TEST_F(PhotoPipeline, OtherFormatsAndRandomBytesAreRefused) {
    std::mt19937 rng(42);
    std::string random(4096, '\0');
    for (char& c : random) c = static_cast<char>(rng());
    random[0] = 'x';  // not accidentally a magic number
    const std::string gif = blob_string(test_image(64, 64).gifsave_buffer());
    for (const std::string& bytes : {random, gif, std::string("GIF89a"), std::string("RIFF")}) {
        auto r = process_upload(bytes, dir_.string(), {}, clock_);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::invalid_input);
        EXPECT_EQ(r.error().message, "이미지 파일(JPEG, PNG, WebP)만 올릴 수 있습니다");
    }
    // The right magic bytes followed by garbage: a damaged image, refused as such.
    for (std::string magic : {std::string("\xFF\xD8\xFF", 3), std::string("\x89PNG\r\n\x1a\n", 8),
                              std::string("RIFF\x10\0\0\0WEBP", 12)}) {
        auto r = process_upload(magic + random, dir_.string(), {}, clock_);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::invalid_input) << r.error().message;
    }
    auto empty = process_upload("", dir_.string(), {}, clock_);
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, Errc::invalid_input);
    EXPECT_TRUE(files().empty());
}

TEST_F(PhotoPipeline, TruncatedFilesAreRefusedAndNothingIsWritten) {
    const VImage img = test_image(1000, 800);
    // The last one is decoded shrunk on load: truncation must be caught there too.
    for (const std::string& whole :
         {jpeg_of(img), png_of(img), webp_of(img), jpeg_of(smooth_image(7000, 700))}) {
        const std::string cut = whole.substr(0, whole.size() / 2);
        auto r = process_upload(cut, dir_.string(), {}, clock_);
        ASSERT_FALSE(r) << "a truncated file was accepted";
        EXPECT_EQ(r.error().code, Errc::invalid_input) << r.error().message;
        EXPECT_NE(r.error().message.find("손상"), std::string::npos) << r.error().message;
    }
    EXPECT_TRUE(files().empty());
}

TEST_F(PhotoPipeline, DecompressionBombIsRefusedFromItsHeader) {
    const std::string bomb = png_claiming(20000, 20000);
    const auto start = std::chrono::steady_clock::now();
    auto r = process_upload(bomb, dir_.string(), {}, clock_);
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r);
    // too_large, not "damaged": the refusal came from the header, before any pixel was decoded
    // (the pixel data only holds 16×16, so decoding would have failed differently).
    EXPECT_EQ(r.error().code, Errc::too_large) << r.error().message;
    EXPECT_NE(r.error().message.find("20000×20000"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("40,000,000"), std::string::npos) << r.error().message;
    EXPECT_LT(took, std::chrono::seconds(2));
    EXPECT_TRUE(files().empty());
}

TEST_F(PhotoPipeline, SideAndPixelLimitsComeFromUploadLimits) {
    UploadLimits limits;
    limits.max_side = 1000;
    auto wide = process_upload(jpeg_of(test_image(1001, 10)), dir_.string(), limits, clock_);
    ASSERT_FALSE(wide);
    EXPECT_EQ(wide.error().code, Errc::too_large);
    EXPECT_NE(wide.error().message.find("1,000"), std::string::npos) << wide.error().message;

    limits = {};
    limits.max_pixels = 100 * 100;
    auto many = process_upload(png_of(test_image(101, 100)), dir_.string(), limits, clock_);
    ASSERT_FALSE(many);
    EXPECT_EQ(many.error().code, Errc::too_large);
    EXPECT_TRUE(process_upload(png_of(test_image(100, 100)), dir_.string(), limits, clock_));
}

TEST_F(PhotoPipeline, TooManyBytesIsRefusedWithTheLimit) {
    const std::string jpeg = jpeg_of(test_image(400, 300));
    UploadLimits limits;
    limits.max_bytes = jpeg.size() - 1;
    auto r = process_upload(jpeg, dir_.string(), limits, clock_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::too_large);
    EXPECT_NE(r.error().message.find("KB"), std::string::npos) << r.error().message;

    std::string sixteen_mb(16u << 20, '\0');
    auto big = process_upload(sixteen_mb, dir_.string(), {}, clock_);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, Errc::too_large);
    EXPECT_NE(big.error().message.find("15MB"), std::string::npos) << big.error().message;
    EXPECT_NE(big.error().message.find("16MB"), std::string::npos) << big.error().message;
}

TEST_F(PhotoPipeline, ReuploadingTheSameBytesIsIdempotent) {
    const std::string jpeg = jpeg_of(test_image(1000, 700));
    auto first = process_upload(jpeg, dir_.string(), {}, clock_);
    ASSERT_TRUE(first) << first.error().message;
    const auto before = files();
    const auto mtime = fs::last_write_time(file_of(first->photo.src));
    auto second = process_upload(jpeg, dir_.string(), {}, clock_);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->photo.src, first->photo.src);
    EXPECT_EQ(files(), before);
    EXPECT_EQ(fs::last_write_time(file_of(first->photo.src)), mtime);
    for (const auto& f : before) EXPECT_EQ(f.find(".tmp"), std::string::npos) << f;

    // Different bytes, different names.
    auto other = process_upload(jpeg_of(test_image(1000, 701)), dir_.string(), {}, clock_);
    ASSERT_TRUE(other);
    EXPECT_NE(other->photo.src, first->photo.src);
}

TEST_F(PhotoPipeline, FolderIsTheKstMonth) {
    clock_.set_ms(kst::from_kst(2027, 1, 1, 0, 30));  // still 2026-12-31 in UTC
    auto r = process_upload(jpeg_of(test_image(500, 500)), dir_.string(), {}, clock_);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->photo.src.starts_with("/media/uploads/2027/01/")) << r->photo.src;
    EXPECT_TRUE(fs::exists(file_of(r->photo.src)));
}

TEST_F(PhotoPipeline, UnwritableMediaDirIsAnInternalError) {
    const fs::path blocker = dir_ / "file";
    std::ofstream(blocker) << "x";
    auto r = process_upload(jpeg_of(test_image(500, 500)), blocker.string(), {}, clock_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::internal);
}

TEST_F(PhotoPipeline, ConcurrentUploadsAllSucceed) {
    std::vector<std::string> inputs;
    for (int i = 0; i < 4; ++i) inputs.push_back(jpeg_of(test_image(900 + i, 600)));
    inputs.push_back(inputs[0]);  // the same bytes twice at once
    std::vector<Result<ProcessedPhoto>> results(inputs.size(), make_error(Errc::internal, ""));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        threads.emplace_back(
            [&, i] { results[i] = process_upload(inputs[i], dir_.string(), {}, clock_); });
    }
    for (auto& t : threads) t.join();
    for (const auto& r : results) {
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(fs::exists(file_of(r->photo.src)));
    }
    EXPECT_EQ(results[4]->photo.src, results[0]->photo.src);
    EXPECT_EQ(files().size(), 4u * 4u);  // 2 widths × 2 formats each
}

TEST_F(PhotoPipeline, GreySixteenBitAndCmykBecomeEightBitSrgb) {
    const VImage grey = test_image(600, 400).extract_band(0).copy(
        VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
    const VImage rgb16 =
        (test_image(600, 400).cast(VIPS_FORMAT_USHORT) * 256)
            .cast(VIPS_FORMAT_USHORT)
            .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_RGB16));
    const VImage cmyk =
        test_image(600, 400, 4)
            .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_CMYK));
    for (const std::string& bytes : {png_of(grey), png_of(rgb16), jpeg_of(cmyk)}) {
        auto r = process_upload(bytes, dir_.string(), {}, clock_);
        ASSERT_TRUE(r) << r.error().message;
        for (const Variant& v : r->variants) {
            VImage out = decode_file(file_of(v.jpeg_src));
            EXPECT_EQ(out.bands(), 3);
            EXPECT_EQ(out.format(), VIPS_FORMAT_UCHAR);
            EXPECT_EQ(out.width(), v.width);
        }
    }
}

// Untrusted input never crashes anything: damaged files are refused or decoded, nothing else.
TEST_F(PhotoPipeline, MutatedFilesNeverCrash) {
    std::mt19937 rng(7);
    const VImage img = test_image(96, 64);
    int refused = 0;
    for (const std::string& good : {jpeg_of(img), png_of(img), webp_of(img)}) {
        for (int i = 0; i < 60; ++i) {
            std::string bad = good;
            const int flips = 1 + static_cast<int>(rng() % 8);
            for (int f = 0; f < flips; ++f) {
                // Keep the magic bytes so the decoders, not the sniffer, see the damage.
                const std::size_t at = 12 + rng() % (bad.size() - 12);
                bad[at] = static_cast<char>(rng());
            }
            if (i % 5 == 0) bad.resize(12 + rng() % (bad.size() - 12));
            auto r = process_upload(bad, dir_.string(), {}, clock_);
            if (!r) {
                ++refused;
                EXPECT_TRUE(r.error().code == Errc::invalid_input ||
                            r.error().code == Errc::too_large)
                    << r.error().message;
            }
        }
    }
    EXPECT_GT(refused, 0);
    for (const auto& f : files()) EXPECT_EQ(f.find(".tmp"), std::string::npos) << f;
}

TEST_F(PhotoPipeline, SniffJudgesTheBytes) {
    EXPECT_EQ(sniff_image_type(std::string("\xFF\xD8\xFF\xE0", 4)), ImageType::jpeg);
    EXPECT_EQ(sniff_image_type(std::string("\x89PNG\r\n\x1a\n", 8)), ImageType::png);
    EXPECT_EQ(sniff_image_type(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)), ImageType::webp);
    EXPECT_EQ(sniff_image_type("RIFF\0\0\0\0WAVE"), ImageType::unknown);
    EXPECT_EQ(sniff_image_type("\xFF\xD8"), ImageType::unknown);
    EXPECT_EQ(sniff_image_type(""), ImageType::unknown);
}

TEST_F(PhotoPipeline, SrcsetFollowsTheUploadedFiles) {
    auto r = process_upload(jpeg_of(test_image(2000, 1000)), dir_.string(), {}, clock_);
    ASSERT_TRUE(r) << r.error().message;
    std::string want_jpg, want_webp;
    for (const Variant& v : r->variants) {
        if (!want_jpg.empty()) want_jpg += ", ", want_webp += ", ";
        want_jpg += v.jpeg_src + " " + std::to_string(v.width) + "w";
        want_webp += v.webp_src + " " + std::to_string(v.width) + "w";
        EXPECT_TRUE(fs::exists(file_of(v.jpeg_src)));
    }
    EXPECT_EQ(news::srcset_for(r->photo, "jpg"), want_jpg);
    EXPECT_EQ(news::srcset_for(r->photo, "webp"), want_webp);
}

}  // namespace
}  // namespace sinmun::media
