// Loading the imaging module (see imaging.hpp), and process_upload() through it.
#include "media/imaging.hpp"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace sinmun::media {
namespace {

constexpr const char* kModuleName = "libsinmun-imaging.so";

std::vector<std::string> candidates() {
    std::vector<std::string> out;
    // Set, it is the only place looked at (an operator's override, and how tests see a miss).
    if (const char* env = std::getenv("SINMUN_IMAGING_MODULE"); env && *env) {
        out.emplace_back(env);
        return out;
    }
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        out.push_back((exe.parent_path() / kModuleName).string());
        out.push_back((exe.parent_path().parent_path() / "lib" / "sinmun" / kModuleName).string());
    }
#ifdef SINMUN_IMAGING_BUILD_PATH
    out.emplace_back(SINMUN_IMAGING_BUILD_PATH);
#endif
    return out;
}

bool is_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Error not_found(const std::string& tried) {
    return make_error(Errc::unavailable,
                      "사진 처리 모듈(" + std::string(kModuleName) +
                          ")을 찾지 못했습니다. 실행 파일 옆에 두거나 SINMUN_IMAGING_MODULE로 "
                          "경로를 알려 주세요. 찾아본 곳: " +
                          tried);
}

Result<const ImagingApi*> load() {
    std::string tried;
    for (const std::string& path : candidates()) {
        if (!tried.empty()) tried += "; ";
        tried += path;
        if (!is_file(path)) {
            tried += " (없음)";
            continue;
        }
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = ::dlerror();
            tried += std::string(" (") + (why ? why : "dlopen failed") + ")";
            continue;
        }
        using Entry = const ImagingApi* (*)();
        auto entry = reinterpret_cast<Entry>(::dlsym(handle, "sinmun_imaging_api"));
        const ImagingApi* api = entry ? entry() : nullptr;
        if (!api || api->abi != kImagingAbi || api->sizes != imaging_struct_sizes()) {
            ::dlclose(handle);
            tried += " (다른 빌드의 모듈입니다: 서버와 함께 다시 빌드하세요)";
            continue;
        }
        return api;  // never unloaded: its code may run until the process ends
    }
    return not_found(tried);
}

}  // namespace

Result<const ImagingApi*> imaging() {
    static const Result<const ImagingApi*> loaded = load();
    return loaded;
}

Result<std::string> find_imaging_module() {
    std::string tried;
    for (const std::string& path : candidates()) {
        if (is_file(path)) return path;
        if (!tried.empty()) tried += "; ";
        tried += path;
    }
    return not_found(tried);
}

Result<ProcessedPhoto> process_upload(std::string_view bytes, const std::string& media_dir,
                                      const UploadLimits& limits, const Clock& clock) {
    auto api = imaging();
    if (!api) return api.error();
    return (*api)->process_upload(bytes, media_dir, limits, clock);
}

}  // namespace sinmun::media
