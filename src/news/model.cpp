#include "news/model.hpp"

#include "core/text.hpp"

namespace sinmun::news {

const char* to_string(ArticleStatus s) {
    switch (s) {
        case ArticleStatus::draft:
            return "draft";
        case ArticleStatus::review:
            return "review";
        case ArticleStatus::scheduled:
            return "scheduled";
        case ArticleStatus::published:
            return "published";
        case ArticleStatus::unpublished:
            return "unpublished";
    }
    return "draft";
}

std::optional<ArticleStatus> parse_status(std::string_view s) {
    for (auto st : {ArticleStatus::draft, ArticleStatus::review, ArticleStatus::scheduled,
                    ArticleStatus::published, ArticleStatus::unpublished})
        if (s == to_string(st)) return st;
    return std::nullopt;
}

namespace {
std::string article_path(std::int64_t id, std::string_view headline) {
    std::string path = "/article/" + std::to_string(id);
    const std::string slug = text::slugify(headline);
    if (!slug.empty()) {
        path += '/';
        path += text::percent_encode(slug);
    }
    return path;
}
}  // namespace

std::string Article::slug() const { return text::slugify(headline); }
std::string Article::url_path() const { return article_path(id, headline); }
std::string ArticleSummary::url_path() const { return article_path(id, headline); }

}  // namespace sinmun::news
