// The libvips half of the demo photos (demo_photos.cpp draws them): softens, adds the grain and
// writes the photo and its thumbnail. Compiled into the imaging module (media/imaging.hpp).
#include "media/imaging.hpp"

#include <vips/vips8>

#include <filesystem>

namespace sinmun::media {
namespace {

// Encodes with libvips and writes through a temporary file, so a present file is complete.
void save_jpeg(const vips::VImage& img, const std::filesystem::path& path, int quality) {
    const std::filesystem::path tmp = path.string() + ".tmp";
    img.jpegsave(tmp.c_str(), vips::VImage::option()
                                  ->set("Q", quality)
                                  ->set("strip", true)
                                  ->set("optimize_coding", true)
                                  ->set("interlace", true));
    std::filesystem::rename(tmp, path);
}

}  // namespace

Status imaging_save_demo_photo(const DemoFrame& f) {
    imaging_init();
    const std::size_t pixels = static_cast<std::size_t>(f.width) * f.height;
    try {
        vips::VImage img = vips::VImage::new_from_memory(
            const_cast<unsigned char*>(f.rgb), pixels * 3, f.width, f.height, 3, VIPS_FORMAT_UCHAR);
        img = img.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
        img = img.gaussblur(f.graphic ? 0.5 : 0.9);  // soften hard drawn edges like a lens would
        const vips::VImage noise =
            vips::VImage::new_from_memory(const_cast<float*>(f.grain), pixels * sizeof(float),
                                          f.width, f.height, 1, VIPS_FORMAT_FLOAT);
        img = (img + noise).cast(VIPS_FORMAT_UCHAR);
        img = img.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
        save_jpeg(img, f.base + ".jpg", f.jpeg_quality);
        const vips::VImage thumb = img.resize(static_cast<double>(f.thumb_width) / f.width);
        save_jpeg(thumb, f.base + "-w" + std::to_string(f.thumb_width) + ".jpg", f.jpeg_quality);
    } catch (const vips::VError& e) {
        return make_error(Errc::internal, std::string("libvips: ") + e.what());
    } catch (const std::filesystem::filesystem_error& e) {
        return make_error(Errc::internal, e.what());
    }
    return ok();
}

}  // namespace sinmun::media
