// cmark-gfm wrapper. See markdown.hpp for the contract.
#include "render/markdown.hpp"

#include "core/text.hpp"
#include "news/photo_variants.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cctype>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>

namespace sinmun::render {
namespace {

// CMARK_OPT_UNSAFE is never set: the default is the safe renderer. VALIDATE_UTF8 replaces invalid
// bytes with U+FFFD, so hostile input cannot produce invalid UTF-8 output.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink"};

void ensure_registered() {
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

struct ParserDeleter {
    void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
};
using ParserPtr = std::unique_ptr<cmark_parser, ParserDeleter>;
using NodePtr = std::unique_ptr<cmark_node, NodeDeleter>;

struct Parsed {
    ParserPtr parser;  // owns the extension list the HTML renderer needs
    NodePtr root;
};

Parsed parse(std::string_view md) {
    ensure_registered();
    Parsed p;
    p.parser.reset(cmark_parser_new(kOptions));
    for (const char* name : kExtensions) {
        if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
            cmark_parser_attach_syntax_extension(p.parser.get(), ext);
        }
    }
    cmark_parser_feed(p.parser.get(), md.data(), md.size());
    p.root.reset(cmark_parser_finish(p.parser.get()));
    return p;
}

std::string render_html(const Parsed& p) {
    char* html = cmark_render_html(p.root.get(), kOptions,
                                   cmark_parser_get_syntax_extensions(p.parser.get()));
    std::string out = html ? html : "";
    std::free(html);
    return out;
}

// "photo:12" → 12; nullopt for anything else.
std::optional<std::int64_t> photo_id(const char* url) {
    if (!url) return std::nullopt;
    std::string_view u(url);
    constexpr std::string_view kScheme = "photo:";
    if (!u.starts_with(kScheme)) return std::nullopt;
    u.remove_prefix(kScheme.size());
    std::int64_t id = 0;
    auto [ptr, ec] = std::from_chars(u.data(), u.data() + u.size(), id);
    if (ec != std::errc{} || ptr != u.data() + u.size()) return std::nullopt;
    return id;
}

const news::Photo* find_photo(const std::vector<news::Photo>& photos, std::int64_t id) {
    for (const auto& ph : photos) {
        if (ph.id == id) return &ph;
    }
    return nullptr;
}

// True when `para` holds exactly one image (whitespace-only text around it allowed).
cmark_node* sole_image(cmark_node* para) {
    cmark_node* image = nullptr;
    for (cmark_node* c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        auto type = cmark_node_get_type(c);
        if (type == CMARK_NODE_IMAGE && !image) {
            image = c;
        } else if (type == CMARK_NODE_TEXT || type == CMARK_NODE_SOFTBREAK) {
            const char* lit = cmark_node_get_literal(c);
            if (lit && !text::trim(lit).empty()) return nullptr;
        } else {
            return nullptr;
        }
    }
    return image;
}

// Collects the image nodes first: mutating the tree while iterating it is not allowed.
std::vector<cmark_node*> collect(cmark_node* root, cmark_node_type type) {
    std::vector<cmark_node*> out;
    cmark_iter* it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node* n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == type) out.push_back(n);
    }
    cmark_iter_free(it);
    return out;
}

// Resolves photo: images. Sole-image paragraphs become custom blocks carrying the figure (custom
// blocks are the one node the safe renderer emits verbatim, and only code can create them);
// inline ones get the photo's real src; unknown ids and images in an unresolvable photo: form are
// removed.
void place_photos(cmark_node* root, const std::vector<news::Photo>& photos,
                  std::vector<std::int64_t>& placed) {
    for (cmark_node* image : collect(root, CMARK_NODE_IMAGE)) {
        const char* url = cmark_node_get_url(image);
        if (!url || !std::string_view(url).starts_with("photo:")) continue;
        auto id = photo_id(url);
        const news::Photo* ph = id ? find_photo(photos, *id) : nullptr;
        if (!ph) {
            cmark_node_free(image);  // unlinks it too
            continue;
        }
        placed.push_back(ph->id);
        cmark_node* para = cmark_node_parent(image);
        if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH &&
            sole_image(para) == image) {
            cmark_node* block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
            std::string fig = photo_figure(*ph, false);
            cmark_node_set_on_enter(block, fig.c_str());
            cmark_node_set_on_exit(block, "");
            cmark_node_replace(para, block);
            cmark_node_free(para);
        } else {
            cmark_node_set_url(image, ph->src.c_str());
        }
    }
    // Paragraphs left empty by dropped images would render as <p></p>.
    for (cmark_node* para : collect(root, CMARK_NODE_PARAGRAPH)) {
        bool empty = true;
        for (cmark_node* c = cmark_node_first_child(para); c && empty; c = cmark_node_next(c)) {
            auto type = cmark_node_get_type(c);
            const char* lit = cmark_node_get_literal(c);
            if (!((type == CMARK_NODE_TEXT || type == CMARK_NODE_SOFTBREAK) &&
                  (!lit || text::trim(lit).empty()))) {
                empty = false;
            }
        }
        if (empty) cmark_node_free(para);
    }
}

// Schemes the safe renderer empties. Such links are unwrapped to their text instead, so the
// reader does not get a dead <a href=""> that reloads the page.
bool is_dangerous_url(const char* url) {
    if (!url) return false;
    std::string u;
    for (const char* p = url; *p && u.size() < 12; ++p) {
        unsigned char c = static_cast<unsigned char>(*p);
        if (c <= 0x20 && u.empty()) continue;  // browsers ignore leading blanks and controls
        u += static_cast<char>(std::tolower(c));
    }
    for (std::string_view scheme : {"javascript:", "vbscript:", "file:", "data:"}) {
        if (std::string_view(u).starts_with(scheme)) return true;
    }
    return false;
}

void unwrap_dangerous_links(cmark_node* root) {
    for (cmark_node* link : collect(root, CMARK_NODE_LINK)) {
        if (!is_dangerous_url(cmark_node_get_url(link))) continue;
        while (cmark_node* child = cmark_node_first_child(link))
            cmark_node_insert_before(link, child);
        cmark_node_free(link);
    }
}

void append_plain(cmark_node* root, std::string& out) {
    cmark_iter* it = cmark_iter_new(root);
    cmark_event_type ev;
    int image_depth = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node* n = cmark_iter_get_node(it);
        auto type = cmark_node_get_type(n);
        if (type == CMARK_NODE_IMAGE) {
            image_depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
            continue;
        }
        if (image_depth > 0) continue;  // alt text is not prose
        if (ev == CMARK_EVENT_ENTER &&
            (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_CODE_BLOCK)) {
            if (const char* lit = cmark_node_get_literal(n)) out += lit;
        } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
            out += ' ';
        } else if (ev == CMARK_EVENT_EXIT ||
                   (ev == CMARK_EVENT_ENTER && cmark_node_first_child(n) == nullptr)) {
            out += ' ';  // block ends (and table cells) separate words
        }
    }
    cmark_iter_free(it);
}

}  // namespace

std::string photo_figure(const news::Photo& ph, bool lead) {
    std::string out = "<figure class=\"photo";
    out += lead ? " photo-lead\">" : "\">";
    // Uploaded photos have responsive JPEG/WebP variants (news/photo_variants.hpp); demo photos
    // have none and keep a plain <img>.
    const std::string srcset_jpg = news::srcset_for(ph, "jpg");
    if (!srcset_jpg.empty()) {
        out += "<picture><source type=\"image/webp\" srcset=\"";
        text::html_escape_append(out, news::srcset_for(ph, "webp"));
        out += "\" sizes=\"";
        out += news::kPhotoSizes;
        out += "\">";
    }
    out += "<img src=\"";
    text::html_escape_append(out, ph.src);
    out += "\"";
    if (!srcset_jpg.empty()) {
        out += " srcset=\"";
        text::html_escape_append(out, srcset_jpg);
        out += "\" sizes=\"";
        out += news::kPhotoSizes;
        out += "\"";
    }
    if (ph.width > 0 && ph.height > 0) {
        out += " width=\"" + std::to_string(ph.width) + "\" height=\"" + std::to_string(ph.height) +
               "\"";
    }
    out += " alt=\"";
    text::html_escape_append(out, ph.alt.empty() ? ph.caption : ph.alt);
    out += "\"";
    out += lead ? " fetchpriority=\"high\" decoding=\"async\">"
                : " loading=\"lazy\" decoding=\"async\">";
    if (!srcset_jpg.empty()) out += "</picture>";
    if (!ph.caption.empty() || !ph.credit.empty()) {
        out += "<figcaption>";
        if (!ph.caption.empty()) {
            out += "▲ ";
            text::html_escape_append(out, ph.caption);
        }
        if (!ph.credit.empty()) {
            if (!ph.caption.empty()) out += ' ';
            out += "<span class=\"credit\">";
            text::html_escape_append(out, ph.credit);
            out += "</span>";
        }
        out += "</figcaption>";
    }
    out += "</figure>\n";
    return out;
}

std::string markdown_to_html(std::string_view md) {
    Parsed p = parse(md);
    std::vector<std::int64_t> placed;
    place_photos(p.root.get(), {}, placed);
    unwrap_dangerous_links(p.root.get());
    return render_html(p);
}

ArticleBodyHtml render_article_body(std::string_view md, const std::vector<news::Photo>& photos) {
    ArticleBodyHtml out;
    Parsed p = parse(md);
    place_photos(p.root.get(), photos, out.placed_photo_ids);
    unwrap_dangerous_links(p.root.get());
    out.body = render_html(p);
    for (const auto& ph : photos) {
        bool placed = false;
        for (auto id : out.placed_photo_ids) placed = placed || id == ph.id;
        if (!placed) {
            out.lead_figure = photo_figure(ph, true);
            break;
        }
    }
    return out;
}

std::string plain_text(std::string_view md, std::size_t max_chars) {
    Parsed p = parse(md);
    std::string raw;
    append_plain(p.root.get(), raw);
    std::string collapsed;
    collapsed.reserve(raw.size());
    bool space = false;
    for (char c : raw) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !collapsed.empty();
        } else {
            if (space) collapsed += ' ';
            space = false;
            collapsed += c;
        }
    }
    return text::utf8_truncate(collapsed, max_chars);
}

}  // namespace sinmun::render
