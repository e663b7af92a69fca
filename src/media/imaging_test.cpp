// The imaging module loader: found in the build tree, loaded once, and — when it cannot be found
// — uploads fail with Errc::unavailable and a message naming where it looked (never a crash).
// One process per case (the module is loaded once per process): see CMakeLists.txt.
#include "media/imaging.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sinmun::media {
namespace {

namespace fs = std::filesystem;

std::string tiny_file(const std::string& name, const std::string& content) {
    const fs::path p = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
}

// "\xFF\xD8\xFF" is a JPEG to the sniffer: the upload gets as far as needing the module.
const std::string kJpegStart("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11);

TEST(ImagingModule, FoundAndLoadedFromTheBuildTree) {
    ::unsetenv("SINMUN_IMAGING_MODULE");
    auto where = find_imaging_module();
    ASSERT_TRUE(where) << where.error().message;
    EXPECT_TRUE(fs::is_regular_file(*where)) << *where;
    auto api = imaging();
    ASSERT_TRUE(api) << api.error().message;
    EXPECT_EQ((*api)->abi, kImagingAbi);
    EXPECT_EQ((*api)->sizes, imaging_struct_sizes());
    // Loaded once: the same table every time.
    EXPECT_EQ(*imaging(), *api);
    // A damaged JPEG goes through the module and comes back as a refusal, not a crash.
    auto r = process_upload(kJpegStart, fs::temp_directory_path().string());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_input) << r.error().message;
}

TEST(ImagingModuleMissing, UploadsFailWithAMessageNamingThePath) {
    const std::string bogus = (fs::temp_directory_path() / "no-such-dir" / "libsinmun-imaging.so");
    ::setenv("SINMUN_IMAGING_MODULE", bogus.c_str(), 1);
    auto where = find_imaging_module();
    ASSERT_FALSE(where);
    EXPECT_EQ(where.error().code, Errc::unavailable);
    EXPECT_NE(where.error().message.find(bogus), std::string::npos) << where.error().message;
    auto r = process_upload(kJpegStart, fs::temp_directory_path().string());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::unavailable);
    EXPECT_NE(r.error().message.find(bogus), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("찾지 못했습니다"), std::string::npos) << r.error().message;
}

TEST(ImagingModuleNotAModule, AFileThatIsNoModuleIsRefusedWithDlerror) {
    const std::string fake = tiny_file("libsinmun-imaging-fake.so", "not an ELF file");
    ::setenv("SINMUN_IMAGING_MODULE", fake.c_str(), 1);
    auto api = imaging();
    fs::remove(fake);
    ASSERT_FALSE(api);
    EXPECT_EQ(api.error().code, Errc::unavailable);
    EXPECT_NE(api.error().message.find(fake), std::string::npos) << api.error().message;
}

}  // namespace
}  // namespace sinmun::media
