// Procedural "placeholder photography" for the demo newsroom, made with libvips at seed time:
// layered gradients, silhouettes (skylines, ridges, crowds), soft light, grain and a section tint.
// The project ships no photographs; these are drawn from a seed, so the same seed always yields
// the same bytes (no clock, no global random state).
//
// Files: <dir>/<name>.jpg (1200×675, JPEG quality 82) and <dir>/<name>-w480.jpg (480×270
// thumbnail). Each is written to a temporary file and renamed, so a file that exists is complete.
// Thread-safety: render_photo may be called from several threads at once (libvips is thread-safe
// once initialised; initialisation happens once, internally).
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace sinmun::demo {

constexpr int kPhotoWidth = 1200;
constexpr int kPhotoHeight = 675;
constexpr int kThumbWidth = 480;
constexpr int kJpegQuality = 82;

// The scenes the generator knows, as written in article files.
std::span<const std::string_view> known_scenes();
bool is_known_scene(std::string_view scene);

struct PhotoSpec {
    std::string scene;              // one of known_scenes()
    std::uint32_t tint = 0x336699;  // 0xRRGGBB section colour
    std::uint64_t seed = 0;
};

// Site path of a photo and of its thumbnail: "/media/demo/<name>.jpg",
// "/media/demo/<name>-w480.jpg".
std::string photo_src(std::string_view name);
std::string thumbnail_src(std::string_view photo_src);

// A stable 64-bit seed from a photo's name (FNV-1a).
std::uint64_t seed_for(std::string_view name);

// Draws the photo and writes both files into `dir` (which must exist). Errc::invalid_input for an
// unknown scene, Errc::internal (with libvips' message) when encoding or writing fails.
Status render_photo(const PhotoSpec& spec, const std::string& dir, const std::string& name);

}  // namespace sinmun::demo
