// The imaging module: everything that needs libvips (photo uploads, the demo's generated photos)
// is built into a separate shared object, libsinmun-imaging.so, loaded on first use.
//
// Why: libvips links about ninety shared libraries (GLib, cairo, pango, poppler's neighbours,
// OpenEXR, HDF5, …). Loading and relocating them costs ~85 ms of CPU at every process start —
// two thirds of the server's start-up on a 100,000-article database, and every CLI command —
// while a newsroom uploads a photo a few times an hour. The server now pays that once, on the
// first upload, and a decoder crash stays a matter of one library image instead of being mapped
// into every process. (Measured: an empty program linked against libvips starts in 90 ms of CPU,
// without it in 4 ms.)
//
// The module is found at $SINMUN_IMAGING_MODULE when that is set (only there), else, in order:
// next to the running executable;
// <exe dir>/../lib/sinmun/; the build tree (for tests and benchmarks run from it). The module
// and the binary are built together from one tree: the API carries a version and the sizes of
// the structs it passes, and a module that does not match is refused with a message.
// Thread-safety: imaging() may be called from any thread; the module is loaded once.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "media/photo_pipeline.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace sinmun::media {

// A demo photo drawn by demo/ (8-bit RGB pixels and a luminance grain plane), to be softened,
// grained and written as <base>.jpg and a <thumb_width>-wide <base>-w<thumb_width>.jpg.
struct DemoFrame {
    const unsigned char* rgb = nullptr;  // width × height × 3
    const float* grain = nullptr;        // width × height
    int width = 0;
    int height = 0;
    bool graphic = false;  // a chart: less blur
    int thumb_width = 0;
    int jpeg_quality = 0;
    std::string base;  // path without extension
};

inline constexpr int kImagingAbi = 1;

struct ImagingApi {
    int abi = kImagingAbi;
    std::size_t sizes = 0;  // imaging_struct_sizes() of the module's build
    Result<ProcessedPhoto> (*process_upload)(std::string_view bytes, const std::string& media_dir,
                                             const UploadLimits& limits, const Clock& clock);
    Status (*save_demo_photo)(const DemoFrame& frame);
};

// A fingerprint of the layouts passed across the module boundary.
constexpr std::size_t imaging_struct_sizes() {
    return sizeof(ProcessedPhoto) * 1'000'003 + sizeof(UploadLimits) * 1'009 + sizeof(DemoFrame) +
           sizeof(Error) * 7 + sizeof(ImagingApi) * 13;
}

// The loaded module, or Errc::unavailable naming the paths tried and why each failed.
Result<const ImagingApi*> imaging();

// Where the module would be loaded from (no loading: a stat per candidate), for a start-up
// warning; Errc::unavailable listing the paths tried.
Result<std::string> find_imaging_module();

// Implemented inside the module only. imaging_init() starts libvips once (thread-safe).
void imaging_init();
Result<ProcessedPhoto> imaging_process_upload(std::string_view bytes, const std::string& media_dir,
                                              const UploadLimits& limits, const Clock& clock);
Status imaging_save_demo_photo(const DemoFrame& frame);

}  // namespace sinmun::media

// The module's one exported symbol.
extern "C" const sinmun::media::ImagingApi* sinmun_imaging_api();
