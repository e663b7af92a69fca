// Photo uploads with libvips. See photo_pipeline.hpp for the contract. Compiled into the imaging
// module (imaging.hpp), never into the server binary itself.
//
// Order of work, cheapest refusal first: byte limit → magic bytes → header only (dimensions, before
// any pixel is decoded) → one decode to the largest variant (thumbnail: shrink-on-load,
// orientation, sRGB) → smaller variants from that one in memory → every file encoded in memory →
// only then written (temporary name, fsync, rename). A damaged file therefore fails before anything
// is written.
#include "media/imaging.hpp"
#include "media/photo_pipeline.hpp"

#include "core/kst.hpp"
#include "news/photo_variants.hpp"

#include <fcntl.h>
#include <glib.h>
#include <unistd.h>
#include <vips/vips8>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>

namespace sinmun::media {
namespace {

namespace fs = std::filesystem;
using vips::VImage;

constexpr int kJpegQuality = 82;
constexpr int kWebpQuality = 80;
// Hex digits of the SHA-256 content hash kept in file names (128 bits: collisions are not a
// concern).
constexpr std::size_t kHashDigits = 32;

constexpr const char* kNotAnImage = "이미지 파일(JPEG, PNG, WebP)만 올릴 수 있습니다";

// "15MB", "1.5MB", "800KB", "900바이트".
std::string human_bytes(std::size_t n) {
    char buf[32];
    if (n >= (1u << 20)) {
        double mb = static_cast<double>(n) / (1 << 20);
        if (n % (1u << 20) == 0)
            std::snprintf(buf, sizeof buf, "%zuMB", n >> 20);
        else
            std::snprintf(buf, sizeof buf, "%.1fMB", mb);
    } else if (n >= 1024) {
        std::snprintf(buf, sizeof buf, "%zuKB", (n + 1023) / 1024);
    } else {
        std::snprintf(buf, sizeof buf, "%zu바이트", n);
    }
    return buf;
}

// 40000000 → "40,000,000".
std::string with_commas(std::int64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string content_hash(std::string_view bytes) {
    gchar* hex = g_compute_checksum_for_data(
        G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
    std::string out(hex, kHashDigits);
    g_free(hex);
    return out;
}

const char* type_name(ImageType t) {
    switch (t) {
        case ImageType::jpeg:
            return "JPEG";
        case ImageType::png:
            return "PNG";
        case ImageType::webp:
            return "WebP";
        case ImageType::unknown:
            break;
    }
    return "?";
}

Error damaged(ImageType t) {
    return make_error(Errc::invalid_input, std::string("사진 파일(") + type_name(t) +
                                               ")이 손상되었거나 일부가 잘려 있습니다. 원본 "
                                               "파일을 다시 올려 주세요");
}

// Owns a VipsBlob that points at (does not copy) the caller's bytes.
struct BlobRef {
    VipsBlob* blob;
    explicit BlobRef(std::string_view bytes)
        : blob(vips_blob_new(nullptr, bytes.data(), bytes.size())) {}
    ~BlobRef() { vips_area_unref(VIPS_AREA(blob)); }
    BlobRef(const BlobRef&) = delete;
    BlobRef& operator=(const BlobRef&) = delete;
};

// Opens the image with the loader its magic bytes name, reading the header only: no pixel is
// decoded until the image is used. `jpeg_shrink` (1, 2, 4, 8) makes libjpeg decode at reduced size.
// Damaged or truncated data makes the decode fail (fail_on), never yields a half-grey picture.
VImage open_image(ImageType type, VipsBlob* blob, int jpeg_shrink = 1) {
    auto opts = [] {
        return VImage::option()
            ->set("access", VIPS_ACCESS_SEQUENTIAL)
            ->set("fail_on", VIPS_FAIL_ON_ERROR);
    };
    switch (type) {
        case ImageType::jpeg:
            return VImage::jpegload_buffer(blob, opts()->set("shrink", jpeg_shrink));
        case ImageType::png:
            return VImage::pngload_buffer(blob, opts());
        case ImageType::webp:
            return VImage::webpload_buffer(blob, opts());
        case ImageType::unknown:
            break;
    }
    throw vips::VError("unsupported image type");
}

// libvips 8.14's webpsave ignores `strip` and always writes an EXIF chunk (it synthesises one),
// so the RIFF container is rewritten without EXIF, XMP and ICCP chunks and the VP8X flags for
// them cleared. Returns false when the container is not what webpsave writes.
bool strip_webp_metadata(std::string& webp) {
    auto le32 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(webp[at])) |
               static_cast<std::uint32_t>(static_cast<unsigned char>(webp[at + 1])) << 8 |
               static_cast<std::uint32_t>(static_cast<unsigned char>(webp[at + 2])) << 16 |
               static_cast<std::uint32_t>(static_cast<unsigned char>(webp[at + 3])) << 24;
    };
    if (webp.size() < 12 || webp.compare(0, 4, "RIFF") != 0 || webp.compare(8, 4, "WEBP") != 0)
        return false;
    std::string out = webp.substr(0, 12);
    std::size_t vp8x_at = std::string::npos;
    for (std::size_t at = 12; at < webp.size();) {
        if (at + 8 > webp.size()) return false;
        const std::string_view fourcc(webp.data() + at, 4);
        const std::size_t size = le32(at + 4);
        const std::size_t total = 8 + size + (size & 1);
        if (size > webp.size() || at + total > webp.size()) return false;
        if (fourcc != "EXIF" && fourcc != "XMP " && fourcc != "ICCP") {
            if (fourcc == "VP8X") vp8x_at = out.size();
            out.append(webp, at, total);
        }
        at += total;
    }
    if (vp8x_at != std::string::npos) {
        if (vp8x_at + 9 > out.size()) return false;
        out[vp8x_at + 8] = static_cast<char>(out[vp8x_at + 8] & ~(0x20 | 0x08 | 0x04));
    }
    const std::uint32_t riff = static_cast<std::uint32_t>(out.size() - 8);
    for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>(riff >> (8 * i));
    webp = std::move(out);
    return true;
}

// 8-bit sRGB, three bands, no alpha (flattened onto white), no metadata that matters.
VImage normalise(VImage img) {
    if (img.interpretation() != VIPS_INTERPRETATION_sRGB) {
        img = img.colourspace(VIPS_INTERPRETATION_sRGB);
    }
    if (img.has_alpha()) {
        img = img.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}));
    }
    if (img.bands() > 3) img = img.extract_band(0, VImage::option()->set("n", 3));
    if (img.format() != VIPS_FORMAT_UCHAR) img = img.cast(VIPS_FORMAT_UCHAR);
    return img;
}

struct Encoded {
    std::string path;  // file system path
    std::string data;
};

std::string take_blob(VipsBlob* blob) {
    std::size_t len = 0;
    const void* data = vips_blob_get(blob, &len);
    std::string out(static_cast<const char*>(data), len);
    vips_area_unref(VIPS_AREA(blob));
    return out;
}

// Writes `data` to `path` through a unique temporary name, fsynced, then renamed into place, so a
// file that exists under its final name is complete. An existing file is left alone: names are
// content hashes, so it already holds these bytes.
Status write_file_atomically(const std::string& path, const std::string& data) {
    std::error_code ec;
    if (fs::exists(path, ec)) return ok();
    static std::atomic<std::uint64_t> counter{0};
    const std::string tmp =
        path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
    auto fail = [&](const char* what) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return make_error(Errc::internal, std::string("사진을 저장하지 못했습니다: ") + what + " " +
                                              path + ": " + std::strerror(err));
    };
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return fail("open");
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            return fail("write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        return fail("fsync");
    }
    if (::close(fd) != 0) return fail("close");
    if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename");
    return ok();
}

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void imaging_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (VIPS_INIT("sinmun")) vips_error_exit("libvips failed to start");
        // A server decodes each upload once: cached operations would only hold memory.
        vips_cache_set_max(0);
        // Uploads run on request threads already; two worker threads each is plenty on a small box.
        if (vips_concurrency_get() > 2) vips_concurrency_set(2);
        // Never hand untrusted bytes to loaders libvips marks unsafe (ImageMagick, …).
        vips_block_untrusted_set(TRUE);
        // Damaged uploads make decoders warn on stderr; anyone could flood the log that way.
        // Refusals reach the caller as errors instead (what VIPS_WARNING=1 does, without setenv).
        g_log_set_handler(
            "VIPS", G_LOG_LEVEL_WARNING,
            [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
    });
}

Result<ProcessedPhoto> imaging_process_upload(std::string_view bytes, const std::string& media_dir,
                                              const UploadLimits& limits, const Clock& clock) {
    if (bytes.empty()) {
        return make_error(Errc::invalid_input, "빈 파일입니다. 올릴 사진 파일을 골라 주세요");
    }
    if (bytes.size() > limits.max_bytes) {
        return make_error(Errc::too_large, "파일이 너무 큽니다(" + human_bytes(bytes.size()) +
                                               "). 사진은 " + human_bytes(limits.max_bytes) +
                                               "까지 올릴 수 있습니다");
    }
    const ImageType type = sniff_image_type(bytes);
    if (type == ImageType::unknown) return make_error(Errc::invalid_input, kNotAnImage);

    imaging_init();
    BlobRef blob(bytes);
    ProcessedPhoto out;
    std::vector<Encoded> files;
    const kst::CivilTime now = kst::to_kst(clock.now_ms());
    char month_dir[16];
    std::snprintf(month_dir, sizeof month_dir, "%04d/%02d", now.year, now.month);
    const fs::path dir = fs::path(media_dir) / "uploads" / month_dir;

    try {
        // 1. Header only: refuse oversized images before a single pixel is decoded.
        VImage header;
        try {
            header = open_image(type, blob.blob);
        } catch (const vips::VError&) {
            vips_error_clear();
            return damaged(type);
        }
        const int w = header.width();
        const int h = header.height();
        if (w <= 0 || h <= 0) return damaged(type);
        if (w > limits.max_side || h > limits.max_side ||
            static_cast<std::int64_t>(w) * h > limits.max_pixels) {
            return make_error(Errc::too_large, "사진이 너무 큽니다(" + std::to_string(w) + "×" +
                                                   std::to_string(h) + " 픽셀). 가로·세로 각각 " +
                                                   with_commas(limits.max_side) + " 픽셀, 모두 " +
                                                   with_commas(limits.max_pixels) +
                                                   " 픽셀까지 올릴 수 있습니다");
        }
        const bool swaps = [&] {
            if (header.get_typeof(VIPS_META_ORIENTATION) == 0) return false;
            const int o = header.get_int(VIPS_META_ORIENTATION);
            return o >= 5 && o <= 8;
        }();
        const int upright_w = swaps ? h : w;
        const std::vector<int> widths = news::photo_variant_widths(upright_w);
        const int top = widths.back();

        // 2. One decode, to the largest variant: JPEGs decode at reduced size when they are at
        //    least twice too big; the reduction streams in the stored orientation, and only the
        //    reduced image is held in memory, turned upright and converted to sRGB. Every smaller
        //    variant is made from it.
        int shrink = 1;
        if (type == ImageType::jpeg) {
            while (shrink < 8 && static_cast<std::int64_t>(shrink) * 2 * 2 * top <= upright_w) {
                shrink *= 2;
            }
        }
        VImage largest;
        try {
            VImage in = shrink == 1 ? header : open_image(type, blob.blob, shrink);
            // The box is in stored orientation: a sideways image is limited by its height.
            largest = in.thumbnail_image(swaps ? VIPS_MAX_COORD : top,
                                         VImage::option()
                                             ->set("height", swaps ? top : VIPS_MAX_COORD)
                                             ->set("size", VIPS_SIZE_DOWN)
                                             ->set("no_rotate", true))
                          .copy_memory()
                          .autorot();
            largest = normalise(largest).copy_memory();
        } catch (const vips::VError&) {
            vips_error_clear();
            return damaged(type);
        }
        if (largest.width() != top) {
            return make_error(Errc::internal, "사진 크기 계산이 어긋났습니다(" +
                                                  std::to_string(largest.width()) + " ≠ " +
                                                  std::to_string(top) + ")");
        }

        const std::string stem_name = content_hash(bytes) + "_" + std::to_string(top);
        const std::string site_stem =
            std::string(news::kUploadsPrefix) + month_dir + "/" + stem_name;
        for (int vw : widths) {
            VImage v = largest;
            if (vw != top) {
                v = largest.thumbnail_image(vw, VImage::option()
                                                    ->set("height", VIPS_MAX_COORD)
                                                    ->set("size", VIPS_SIZE_DOWN)
                                                    ->set("no_rotate", true));
                v = normalise(v);
            }
            if (v.width() != vw) {
                return make_error(Errc::internal, "사진 크기 계산이 어긋났습니다(" +
                                                      std::to_string(v.width()) + " ≠ " +
                                                      std::to_string(vw) + ")");
            }
            Variant var;
            var.width = v.width();
            var.height = v.height();
            var.jpeg_src = news::photo_variant_src(site_stem, vw, "jpg");
            var.webp_src = news::photo_variant_src(site_stem, vw, "webp");
            const std::string file_stem = (dir / stem_name).string();
            files.push_back({news::photo_variant_src(file_stem, vw, "jpg"),
                             take_blob(v.jpegsave_buffer(VImage::option()
                                                             ->set("Q", kJpegQuality)
                                                             ->set("strip", true)
                                                             ->set("interlace", true)
                                                             ->set("optimize_coding", true)))});
            std::string webp = take_blob(
                v.webpsave_buffer(VImage::option()->set("Q", kWebpQuality)->set("strip", true)));
            if (!strip_webp_metadata(webp)) {
                return make_error(Errc::internal, "WebP 파일을 만들지 못했습니다");
            }
            files.push_back({news::photo_variant_src(file_stem, vw, "webp"), std::move(webp)});
            out.variants.push_back(std::move(var));
        }
    } catch (const vips::VError& e) {
        std::string msg = e.what();
        vips_error_clear();
        return make_error(Errc::internal, "사진을 처리하지 못했습니다(libvips: " + msg + ")");
    }

    // 3. Everything decoded and encoded: now write.
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return make_error(Errc::internal,
                          "사진 폴더를 만들지 못했습니다: " + dir.string() + ": " + ec.message());
    }
    for (const Encoded& f : files) {
        Status st = write_file_atomically(f.path, f.data);
        if (!st) return st.error();
    }
    fsync_dir(dir);

    const Variant* chosen = &out.variants.front();
    for (const Variant& v : out.variants) {
        if (v.width <= news::kPhotoSrcMaxWidth) chosen = &v;
    }
    out.photo.src = chosen->jpeg_src;
    out.photo.width = chosen->width;
    out.photo.height = chosen->height;
    return out;
}

}  // namespace sinmun::media
