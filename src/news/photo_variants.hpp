// Responsive variants of uploaded photos: the widths media/ writes, the file-naming convention,
// and the `srcset`/`sizes` values the renderer puts on <img> and <picture><source>.
//
// Kept in news/ (no libvips here) so render/ can use it without depending on media/.
// An uploaded photo's `src` names its ≤960-px JPEG variant:
//   /media/uploads/YYYY/MM/<hash>_<top>-w<width>.jpg
// where <hash> is the content hash of the uploaded bytes, <top> the width of the largest variant
// (so every sibling variant can be named from `src` alone) and <width> this variant's width.
// Every variant exists as .jpg and .webp. Photos not following the convention (demo photos,
// "/media/demo/…") have no variants: srcset_for returns "" and the renderer emits a plain <img>.
// Header-only, so render/ needs no new library or CMake change to use it.
// Thread-safety: pure functions.
#pragma once

#include "news/model.hpp"

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::news {

// Target widths of the variants, ascending. An image is never upscaled: a narrower original
// yields the smaller targets plus its own width (700 px → 480, 700).
inline constexpr int kPhotoVariantWidths[] = {480, 960, 1600};
// The variant a Photo's `src` names: the largest one not wider than this.
inline constexpr int kPhotoSrcMaxWidth = 960;
// Site path prefix of uploaded photos (files live in <media_dir>/uploads/).
inline constexpr std::string_view kUploadsPrefix = "/media/uploads/";
// `sizes` for article photos, matching assets/site.css (wrap 1200 px, 320 px sidebar from 960 px).
inline constexpr std::string_view kPhotoSizes =
    "(min-width: 1200px) 812px, (min-width: 960px) calc(100vw - 388px), calc(100vw - 32px)";

// The variant widths for an (oriented) original `original_width` px wide, ascending and unique;
// empty when original_width <= 0.
std::vector<int> photo_variant_widths(int original_width);

// "/media/uploads/2026/11/<hash>_<top>" + "-w480" + ".webp": the site path of one variant.
// `ext` is "jpg" or "webp".
std::string photo_variant_src(std::string_view stem, int width, std::string_view ext);

// The `srcset` value for `photo` in `format` ("jpg" or "webp"), e.g.
// "/media/uploads/…-w480.webp 480w, /media/uploads/…-w960.webp 960w, …". Returns "" for photos
// that are not uploads following the convention above, and for any other format.
std::string srcset_for(const Photo& photo, std::string_view format);

// ---- implementation ----
namespace photo_variants_detail {

inline bool is_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

inline bool is_lower_hex(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

inline int parse_int(std::string_view s) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && ptr == s.data() + s.size() ? v : 0;
}

}  // namespace photo_variants_detail

inline std::vector<int> photo_variant_widths(int original_width) {
    std::vector<int> out;
    if (original_width <= 0) return out;
    for (int w : kPhotoVariantWidths) {
        if (original_width <= w) {
            out.push_back(original_width);
            return out;
        }
        out.push_back(w);
    }
    return out;
}

inline std::string photo_variant_src(std::string_view stem, int width, std::string_view ext) {
    std::string out(stem);
    out += "-w";
    out += std::to_string(width);
    out += '.';
    out += ext;
    return out;
}

inline std::string srcset_for(const Photo& photo, std::string_view format) {
    if (format != "jpg" && format != "webp") return "";
    std::string_view src = photo.src;
    if (!src.starts_with(kUploadsPrefix) || !src.ends_with(".jpg")) return "";
    src.remove_suffix(4);
    // Everything between the prefix and the file name is the YYYY/MM folder: digits and '/' only,
    // so the path can never carry the spaces or commas that would break srcset syntax.
    const std::size_t slash = src.rfind('/');
    for (char c : src.substr(kUploadsPrefix.size(), slash + 1 - kUploadsPrefix.size())) {
        if (c != '/' && (c < '0' || c > '9')) return "";
    }
    const std::string_view name = src.substr(slash + 1);  // <hash>_<top>-w<width>
    const std::size_t dash = name.rfind("-w");
    if (dash == std::string_view::npos) return "";
    const std::string_view stem_name = name.substr(0, dash);
    const std::string_view width_text = name.substr(dash + 2);
    const std::size_t under = stem_name.rfind('_');
    if (under == std::string_view::npos) return "";
    const std::string_view hash = stem_name.substr(0, under);
    const std::string_view top_text = stem_name.substr(under + 1);
    if (!photo_variants_detail::is_lower_hex(hash) || !photo_variants_detail::is_digits(top_text) ||
        !photo_variants_detail::is_digits(width_text))
        return "";
    if (top_text.size() > 5 || width_text.size() > 5) return "";
    const int top = photo_variants_detail::parse_int(top_text);
    const int width = photo_variants_detail::parse_int(width_text);

    const std::vector<int> widths = photo_variant_widths(top);
    if (widths.empty() || widths.back() != top) return "";
    bool known = false;
    for (int w : widths) known = known || w == width;
    if (!known) return "";

    const std::string_view stem = src.substr(0, slash + 1 + dash);
    std::string out;
    for (int w : widths) {
        if (!out.empty()) out += ", ";
        out += photo_variant_src(stem, w, format);
        out += ' ';
        out += std::to_string(w);
        out += 'w';
    }
    return out;
}

}  // namespace sinmun::news
