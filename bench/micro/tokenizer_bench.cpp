// The search tokenizer (core/search_tokens): a headline, a query and a whole article body, in
// bytes per second. It runs on every indexed write (the SQLite triggers call it) and every query.
#include "core/search_tokens.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

const std::string kHeadline = "세종시, 'MICE 산업' 2024년 협약 체결…K-팝 공연장 유치 나선다";
const std::string kQuery = "세종 협약 \"K-팝 공연\"";

std::string article_body() {
    std::string body;
    for (int i = 0; i < 40; ++i)
        body +=
            "세종시는 26일 정부세종컨벤션센터에서 국제회의(MICE) 산업 육성을 위한 업무협약을 "
            "맺었다고 밝혔다. 시 관계자는 \"2024년까지 관련 예산 120억원을 투입하겠다\"고 "
            "말했다. ";
    return body;
}

void tokens(benchmark::State& state, const std::string& text) {
    for (auto _ : state) {
        auto t = sinmun::text::search_tokens(text);
        benchmark::DoNotOptimize(t.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(text.size()));
}

void index_text(benchmark::State& state, const std::string& text) {
    for (auto _ : state) {
        auto t = sinmun::text::search_index_text(text);
        benchmark::DoNotOptimize(t.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(text.size()));
}

const std::string kBody = article_body();

BENCHMARK_CAPTURE(tokens, headline, kHeadline);
BENCHMARK_CAPTURE(tokens, query, kQuery);
BENCHMARK_CAPTURE(tokens, body_12kb, kBody);
BENCHMARK_CAPTURE(index_text, body_12kb, kBody);

}  // namespace
