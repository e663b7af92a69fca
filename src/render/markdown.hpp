// Markdown → HTML for article bodies, and Markdown → plain text for excerpts and descriptions.
//
// cmark-gfm (CommonMark + GFM tables, strikethrough, autolinks) in its safe mode: raw HTML blocks
// and inline HTML are never passed through and javascript:/vbscript:/file:/data: link targets are
// emptied. Article photos are placed with image syntax pointing at "photo:<id>"; a paragraph that
// is only such an image becomes a <figure class="photo"> with a "▲ caption" (never nested in <p>).
// Unknown photo ids are dropped.
// Thread-safety: pure functions; cmark's extension registry is initialised once, thread-safely.
#pragma once

#include "news/model.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::render {

// Safe HTML of a Markdown document with no photos (photo: images are dropped).
std::string markdown_to_html(std::string_view md);

struct ArticleBodyHtml {
    std::string lead_figure;  // figure of the first photo the body does not place; may be ""
    std::string body;         // the body's HTML
    std::vector<std::int64_t> placed_photo_ids;  // photos the body placed, in order
};

// Renders an article body with its photos. The first photo not placed by the body becomes
// `lead_figure` (shown above the body, loaded eagerly since it is the page's largest image).
ArticleBodyHtml render_article_body(std::string_view md, const std::vector<news::Photo>& photos);

// <figure class="photo"> for one photo. `lead` drops loading="lazy" (the lead image is the LCP).
std::string photo_figure(const news::Photo& photo, bool lead = false);

// Plain text of a Markdown document: inline text only, whitespace collapsed, images contribute
// nothing, cut to `max_chars` code points with "…" when longer.
std::string plain_text(std::string_view md, std::size_t max_chars);

}  // namespace sinmun::render
