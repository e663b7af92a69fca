// Page rendering: the article template (Mustache) on the render/ test fixtures, and building the
// cached Representation (ETag, gzip and brotli bodies) from the HTML, which is what a page-cache
// miss costs on top of the template.
#include "render/renderer.hpp"
#include "render/representation.hpp"
#include "render/test_fixtures.hpp"

#include <benchmark/benchmark.h>

#include <stdexcept>

namespace {

using namespace sinmun;

std::shared_ptr<const render::Renderer> renderer() {
    static auto r = [] {
        const auto dir = render::testing::source_dir();
        auto created = render::Renderer::create({dir + "/templates", dir + "/assets"});
        if (!created) throw std::runtime_error(created.error().message);
        return *created;
    }();
    return r;
}

render::ArticleView article_view(const news::SiteSettings& settings) {
    render::ArticleView v;
    v.frame.settings = &settings;
    v.frame.sections = render::testing::sample_sections();
    v.frame.market = render::testing::sample_snapshot();
    for (int i = 1; i <= 8; ++i)
        v.frame.main_news.push_back(
            render::testing::sample_summary(100 + i, "주요 뉴스 제목 " + std::to_string(i)));
    v.frame.title = "서울시, 'AI 특구' 지정";
    v.frame.canonical_path = "/article/42";
    v.article = render::testing::sample_article();
    // A body of about the demo article's length (~3,000 characters of Korean prose).
    for (int i = 0; i < 12; ++i)
        v.article.body_md +=
            "\n\n시 관계자는 \"기업들이 실증을 빠르게 할 수 있도록 규제 특례를 넓히겠다\"며 "
            "\"성수와 상암이 서울의 새 산업 축이 될 것\"이라고 말했다. 업계는 환영했다.";
    v.section = v.frame.sections[1];
    v.counts = {};
    for (int i = 0; i < 5; ++i)
        v.more.push_back(render::testing::sample_summary(200 + i, "같은 섹션의 다른 기사"));
    return v;
}

void BM_RenderArticle(benchmark::State& state) {
    auto r = renderer();
    const auto settings = render::testing::sample_settings();
    const auto v = article_view(settings);
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto html = r->article(v);
        bytes = html.size();
        benchmark::DoNotOptimize(html.data());
    }
    state.counters["html_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderArticle);

void BM_MakeRepresentation(benchmark::State& state) {
    auto r = renderer();
    const auto settings = render::testing::sample_settings();
    const std::string html = r->article(article_view(settings));
    for (auto _ : state) {
        auto rep = render::make_representation(html, "text/html; charset=utf-8", "no-cache");
        benchmark::DoNotOptimize(rep.get());
    }
    state.counters["html_bytes"] = static_cast<double>(html.size());
}
BENCHMARK(BM_MakeRepresentation)->Unit(benchmark::kMillisecond);

}  // namespace
