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
// Thread-safety: pure functions.
#pragma once

#include "news/model.hpp"

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

}  // namespace sinmun::news
