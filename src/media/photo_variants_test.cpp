// news/photo_variants: variant widths and srcset from the naming convention (no libvips needed;
// the test lives here because media/ writes the files the convention names).
#include "news/photo_variants.hpp"

#include <gtest/gtest.h>

namespace sinmun::news {
namespace {

Photo photo(std::string src, int width = 960) {
    Photo p;
    p.src = std::move(src);
    p.width = width;
    return p;
}

TEST(PhotoVariants, WidthsNeverExceedTheOriginal) {
    EXPECT_EQ(photo_variant_widths(4000), (std::vector<int>{480, 960, 1600}));
    EXPECT_EQ(photo_variant_widths(1600), (std::vector<int>{480, 960, 1600}));
    EXPECT_EQ(photo_variant_widths(1000), (std::vector<int>{480, 960, 1000}));
    EXPECT_EQ(photo_variant_widths(960), (std::vector<int>{480, 960}));
    EXPECT_EQ(photo_variant_widths(700), (std::vector<int>{480, 700}));
    EXPECT_EQ(photo_variant_widths(480), (std::vector<int>{480}));
    EXPECT_EQ(photo_variant_widths(1), (std::vector<int>{1}));
    EXPECT_TRUE(photo_variant_widths(0).empty());
    EXPECT_TRUE(photo_variant_widths(-5).empty());
}

TEST(PhotoVariants, SrcsetListsEverySiblingVariant) {
    const Photo p = photo("/media/uploads/2026/11/0123456789abcdef_1600-w960.jpg");
    EXPECT_EQ(srcset_for(p, "jpg"),
              "/media/uploads/2026/11/0123456789abcdef_1600-w480.jpg 480w, "
              "/media/uploads/2026/11/0123456789abcdef_1600-w960.jpg 960w, "
              "/media/uploads/2026/11/0123456789abcdef_1600-w1600.jpg 1600w");
    EXPECT_EQ(srcset_for(p, "webp"),
              "/media/uploads/2026/11/0123456789abcdef_1600-w480.webp 480w, "
              "/media/uploads/2026/11/0123456789abcdef_1600-w960.webp 960w, "
              "/media/uploads/2026/11/0123456789abcdef_1600-w1600.webp 1600w");
    EXPECT_EQ(srcset_for(photo("/media/uploads/2026/11/ab_700-w700.jpg", 700), "jpg"),
              "/media/uploads/2026/11/ab_700-w480.jpg 480w, "
              "/media/uploads/2026/11/ab_700-w700.jpg 700w");
    EXPECT_EQ(srcset_for(photo("/media/uploads/2026/11/ab_1000-w960.jpg"), "webp"),
              "/media/uploads/2026/11/ab_1000-w480.webp 480w, "
              "/media/uploads/2026/11/ab_1000-w960.webp 960w, "
              "/media/uploads/2026/11/ab_1000-w1000.webp 1000w");
}

TEST(PhotoVariants, PhotosThatAreNotUploadsHaveNoSrcset) {
    // Demo photos keep their plain <img>.
    EXPECT_EQ(srcset_for(photo("/media/demo/123.jpg"), "jpg"), "");
    EXPECT_EQ(srcset_for(photo("/media/demo/123-w480.jpg"), "webp"), "");
    EXPECT_EQ(srcset_for(photo(""), "jpg"), "");
    EXPECT_EQ(srcset_for(photo("https://example.com/media/uploads/2026/11/ab_960-w960.jpg"), "jpg"),
              "");
}

TEST(PhotoVariants, MalformedNamesHaveNoSrcset) {
    const std::string base = "/media/uploads/2026/11/";
    for (const std::string name : {
             "ab_1600-w960.png",   // not the JPEG
             "ab-w960.jpg",        // no top width
             "ab_1600-w961.jpg",   // not one of the variant widths
             "ab_1000-w1600.jpg",  // wider than the top
             "ab_1500-w960.jpg",   // 1500 is not what a 1500-px original's top would be…
             "AB_1600-w960.jpg",   // hash is lowercase hex
             "ab_1600-w.jpg", "_1600-w960.jpg", "ab_-w960.jpg", "ab_1600-w960x.jpg",
             "ab_99999999999-w960.jpg",  // absurd numbers
         }) {
        if (name == "ab_1500-w960.jpg") {
            // …it is: 480, 960, 1500. Kept here to document that only impossible sets are refused.
            EXPECT_NE(srcset_for(photo(base + name), "jpg"), "");
            continue;
        }
        EXPECT_EQ(srcset_for(photo(base + name), "jpg"), "") << name;
    }
    // Spaces and commas would break srcset syntax: the folder must be digits and slashes.
    EXPECT_EQ(srcset_for(photo("/media/uploads/2026/11 x, /evil/ab_1600-w960.jpg"), "jpg"), "");
    EXPECT_EQ(srcset_for(photo("/media/uploads/../ab_1600-w960.jpg"), "jpg"), "");
    EXPECT_EQ(srcset_for(photo(base + "ab_1600-w960.jpg"), "png"), "");
    EXPECT_EQ(srcset_for(photo(base + "ab_1600-w960.jpg"), ""), "");
}

}  // namespace
}  // namespace sinmun::news
