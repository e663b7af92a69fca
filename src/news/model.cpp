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

const char* korean_label(ArticleStatus s) {
    switch (s) {
        case ArticleStatus::draft:
            return "작성 중";
        case ArticleStatus::review:
            return "검토 요청";
        case ArticleStatus::scheduled:
            return "예약";
        case ArticleStatus::published:
            return "게재";
        case ArticleStatus::unpublished:
            return "게재 중단";
    }
    return "작성 중";
}

const char* to_string(CorrectionType t) {
    switch (t) {
        case CorrectionType::correction:
            return "correction";
        case CorrectionType::rebuttal:
            return "rebuttal";
        case CorrectionType::follow_up:
            return "follow_up";
    }
    return "correction";
}

const char* korean_label(CorrectionType t) {
    switch (t) {
        case CorrectionType::correction:
            return "정정";
        case CorrectionType::rebuttal:
            return "반론";
        case CorrectionType::follow_up:
            return "추후보도";
    }
    return "정정";
}

std::optional<CorrectionType> parse_correction_type(std::string_view s) {
    if (s == "correction" || s == "정정" || s == "정정보도") return CorrectionType::correction;
    if (s == "rebuttal" || s == "반론" || s == "반론보도") return CorrectionType::rebuttal;
    if (s == "follow_up" || s == "추후보도") return CorrectionType::follow_up;
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
