// AdminRenderer implementation: Boost.JSON view models → kainjow Mustache data.
#include "web/handlers/admin_render.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/value.hpp>
#include <kainjow/mustache.hpp>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace sinmun::web::admin {

namespace mst = kainjow::mustache;
using Data = mst::data;

struct AdminRenderer::Tpl {
    std::unique_ptr<mst::mustache> m;
    mutable std::mutex mu;
    std::string render(const Data& d) const {
        std::lock_guard lock(mu);
        return m->render(d);
    }
};

namespace {

Data to_data(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null:
            return Data(false);
        case boost::json::kind::bool_:
            return Data(v.get_bool());
        case boost::json::kind::int64:
            return Data(std::to_string(v.get_int64()));
        case boost::json::kind::uint64:
            return Data(std::to_string(v.get_uint64()));
        case boost::json::kind::double_: {
            std::ostringstream os;
            os << v.get_double();
            return Data(os.str());
        }
        case boost::json::kind::string: {
            const auto& s = v.get_string();
            // An empty string is false, so {{#field}} skips it and lookups never fall through to
            // an enclosing context's same-named key.
            if (s.empty()) return Data(false);
            return Data(std::string(s.data(), s.size()));
        }
        case boost::json::kind::array: {
            Data list{Data::type::list};
            for (const auto& e : v.get_array()) list.push_back(to_data(e));
            return list;
        }
        case boost::json::kind::object: {
            Data obj{Data::type::object};
            for (const auto& [k, e] : v.get_object()) obj.set(std::string(k), to_data(e));
            return obj;
        }
    }
    return Data(false);
}

Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, "template not found: " + path.string());
    std::ostringstream buf;
    buf << in.rdbuf();
    return std::move(buf).str();
}

}  // namespace

AdminRenderer::~AdminRenderer() = default;

Result<std::shared_ptr<const AdminRenderer>> AdminRenderer::create(
    const std::string& templates_dir, std::shared_ptr<const render::AssetCatalog> assets) {
    namespace fs = std::filesystem;
    if (!assets) return make_error(Errc::invalid_input, "admin renderer needs an asset catalog");
    const fs::path dir = fs::path(templates_dir) / "admin";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return make_error(Errc::not_found, "admin templates not found: " + dir.string());
    std::shared_ptr<AdminRenderer> r(new AdminRenderer());
    r->assets_ = std::move(assets);
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
        auto src = read_file(entry.path());
        if (!src) return src.error();
        auto tpl = std::make_unique<Tpl>();
        tpl->m = std::make_unique<mst::mustache>(*src);
        if (!tpl->m->is_valid())
            return make_error(Errc::invalid_input,
                              "template " + entry.path().string() + ": " + tpl->m->error_message());
        r->templates_.emplace(entry.path().stem().string(), std::move(tpl));
    }
    if (ec)
        return make_error(Errc::unavailable, "cannot list " + dir.string() + ": " + ec.message());
    if (!r->templates_.count("layout"))
        return make_error(Errc::not_found,
                          "admin template missing: " + (dir / "layout.mustache").string());
    return std::shared_ptr<const AdminRenderer>(std::move(r));
}

std::string AdminRenderer::fragment(std::string_view name, const boost::json::object& data) const {
    auto it = templates_.find(name);
    if (it == templates_.end()) {
        spdlog::error("admin template {} not found", name);
        return {};
    }
    return it->second->render(to_data(boost::json::value(data)));
}

std::string AdminRenderer::page(std::string_view name, const boost::json::object& data,
                                const AdminFrame& f) const {
    Data d{Data::type::object};
    d.set("title", f.title);
    d.set("site_name", f.site_name.empty() ? std::string("신문") : f.site_name);
    d.set("signed_in", !f.user_name.empty());
    d.set("user_name", f.user_name);
    d.set("role", f.role);
    d.set("role_label", f.role_label);
    d.set("is_editor", f.role == "editor" || f.role == "admin");
    d.set("is_admin", f.role == "admin");
    d.set("csrf", f.csrf);
    d.set("notice", f.notice.empty() ? Data(false) : Data(f.notice));
    d.set("error", f.error.empty() ? Data(false) : Data(f.error));
    d.set("active_" + (f.active.empty() ? std::string("none") : f.active), true);
    d.set("css_url", assets_->url("admin/admin.css"));
    d.set("js_url", assets_->url("admin/admin.js"));
    d.set("reader_css_url", f.with_reader_css ? Data(assets_->url("site.css")) : Data(false));
    d.set("favicon_url", assets_->url("favicon.svg"));
    d.set("content", fragment(name, data));
    return templates_.at("layout")->render(d);
}

}  // namespace sinmun::web::admin
