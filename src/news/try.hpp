// Early-return helpers for Result/Status inside src/news/ (private to the module's .cpp files).
// Thread-safety: macros.
#pragma once

#define NEWS_TRY_STATUS(expr)                                                   \
    do {                                                                        \
        if (auto news_s_ = (expr); !news_s_) return std::move(news_s_).error(); \
    } while (0)
#define NEWS_TRY(name, expr)                                      \
    auto name##_news_result_ = (expr);                            \
    if (!name##_news_result_) return name##_news_result_.error(); \
    [[maybe_unused]] auto& name = *name##_news_result_
