// Photo uploads: sniff, check, decode and re-encode an uploaded image into responsive variants.
//
// process_upload() accepts JPEG, PNG and WebP only, judged by the bytes (never the file name), and
// refuses — as Result errors with messages an editor can act on, in Korean — anything else, files
// over the byte limit, images over the pixel/side limits (checked from the header, before any
// pixel is decoded, so a decompression bomb costs nothing) and damaged or truncated files. Accepted
// images get their EXIF orientation applied, are converted to sRGB, lose all metadata (EXIF, GPS,
// XMP, ICC) and are written as JPEG and WebP at the widths in news/photo_variants.hpp under
// <media_dir>/uploads/YYYY/MM/ (KST month of the upload). Names derive from the content hash, so
// uploading the same bytes twice in a month is idempotent; every file is written to a temporary
// name and renamed, so a file that exists is complete.
//
// Thread-safety: process_upload may be called from any number of threads at once (libvips is
// initialised once, on first use, with its operation cache disabled).
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "news/model.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::media {

struct UploadLimits {
    std::size_t max_bytes = 15 << 20;      // size of the uploaded file
    std::int64_t max_pixels = 40'000'000;  // width × height
    int max_side = 12000;                  // width and height each
};

// One responsive size, as site paths ("/media/uploads/2026/11/…-w480.jpg").
struct Variant {
    int width = 0;
    int height = 0;
    std::string jpeg_src;
    std::string webp_src;
};

struct ProcessedPhoto {
    // src = the largest variant not wider than 960 px (JPEG); width/height are that variant's.
    // id, alt, caption and credit are left empty for the caller to fill.
    news::Photo photo;
    std::vector<Variant> variants;  // ascending width
};

enum class ImageType { unknown, jpeg, png, webp };

// What the magic bytes say `bytes` is.
ImageType sniff_image_type(std::string_view bytes);

// See the file comment. Errors: invalid_input (not an image we accept, damaged, truncated),
// too_large (bytes, pixels or sides over `limits`), internal (the media directory cannot be
// written). A refused upload writes nothing; a failed write may leave some complete variant files
// behind (never a partial one), which a retry reuses.
Result<ProcessedPhoto> process_upload(std::string_view bytes, const std::string& media_dir,
                                      const UploadLimits& limits = {},
                                      const Clock& clock = SystemClock::instance());

}  // namespace sinmun::media
