#include "search_corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/text.hpp"

namespace sinmun::search_fixtures {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// "---\nkey: value\n…\n---\nbody"
CorpusArticle parse(const fs::path& p, std::string key, std::string section) {
    const std::string src = read(p);
    if (!src.starts_with("---\n")) throw std::runtime_error(p.string() + ": no front matter");
    const auto end = src.find("\n---\n", 3);
    if (end == std::string::npos) throw std::runtime_error(p.string() + ": unclosed front matter");
    CorpusArticle a;
    a.key = std::move(key);
    a.section = std::move(section);
    std::istringstream head(src.substr(4, end - 4));
    for (std::string line; std::getline(head, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string k(text::trim(line.substr(0, colon)));
        const std::string v(text::trim(line.substr(colon + 1)));
        if (k == "headline") a.headline = v;
        if (k == "subtitle") a.subtitle = v;
        if (k == "section") a.section = v;
    }
    a.body = src.substr(end + 5);
    if (a.headline.empty() || a.section.empty())
        throw std::runtime_error(p.string() + ": headline and section are required");
    return a;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep)) out.push_back(cur);
    return out;
}

std::vector<std::string> list(const std::string& s) {
    if (s == "-" || s.empty()) return {};
    auto v = split(s, ',');
    for (auto& x : v) x = std::string(text::trim(x));
    return v;
}

}  // namespace

std::vector<CorpusArticle> load_corpus(const std::string& root) {
    std::vector<CorpusArticle> out;
    for (const auto& dir : fs::directory_iterator(fs::path(root) / "demo" / "articles")) {
        if (!dir.is_directory()) continue;
        const std::string section = dir.path().filename().string();
        for (const auto& f : fs::directory_iterator(dir.path()))
            if (f.path().extension() == ".md")
                out.push_back(parse(f.path(), section + "/" + f.path().stem().string(), section));
    }
    for (const auto& f :
         fs::directory_iterator(fs::path(root) / "tests" / "fixtures" / "search" / "articles"))
        if (f.path().extension() == ".md")
            out.push_back(parse(f.path(), "x/" + f.path().stem().string(), ""));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return out;
}

std::vector<RelevanceQuery> load_queries(const std::string& root) {
    const fs::path p = fs::path(root) / "tests" / "fixtures" / "search" / "queries.tsv";
    std::istringstream in(read(p));
    std::vector<RelevanceQuery> out;
    int n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (line.empty() || line[0] == '#') continue;
        const auto f = split(line, '\t');
        if (f.size() != 5)
            throw std::runtime_error(p.string() + ":" + std::to_string(n) + ": expected 5 fields");
        RelevanceQuery q;
        q.line = n;
        q.query = f[0];
        q.section = f[1] == "-" ? "" : f[1];
        if (f[2] == "none")
            q.expect_none = true;
        else
            q.must = list(f[2]);
        q.must_not = list(f[3]);
        q.kind = f[4];
        out.push_back(std::move(q));
    }
    return out;
}

std::map<std::string, std::int64_t> index_corpus(store::Database& db,
                                                 const std::vector<CorpusArticle>& corpus,
                                                 std::map<std::string, std::int64_t>& sections) {
    constexpr std::int64_t kBase = 1'700'000'000'000;
    std::map<std::string, std::int64_t> ids;
    std::int64_t i = 0;
    for (const auto& c : corpus) {
        if (!sections.count(c.section)) {
            auto id = db.articles().save_section(
                {0, c.section, c.section, static_cast<int>(sections.size())});
            if (!id) throw std::runtime_error("save_section: " + id.error().message);
            sections[c.section] = *id;
        }
        news::Article a;
        a.section_id = sections[c.section];
        a.headline = c.headline;
        a.subtitle = c.subtitle;
        a.body_md = c.body;
        a.status = news::ArticleStatus::published;
        a.created_at = a.published_at = a.updated_at = kBase + (i++) * 3'600'000;
        auto id = db.articles().save_article(a);
        if (!id) throw std::runtime_error("save_article " + c.key + ": " + id.error().message);
        ids[c.key] = *id;
    }
    return ids;
}

}  // namespace sinmun::search_fixtures
