// sniff_image_type: compiled into both the server and the imaging module (no libvips here).
#include "media/photo_pipeline.hpp"

namespace sinmun::media {

ImageType sniff_image_type(std::string_view b) {
    auto at = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
    if (b.size() >= 3 && at(0) == 0xFF && at(1) == 0xD8 && at(2) == 0xFF) return ImageType::jpeg;
    if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8))
        return ImageType::png;
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP")
        return ImageType::webp;
    return ImageType::unknown;
}

}  // namespace sinmun::media
