#include "demo/demo_photos.hpp"

#include "media/imaging.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <vector>

namespace sinmun::demo {
namespace {

constexpr int kW = kPhotoWidth;
constexpr int kH = kPhotoHeight;

constexpr std::array<std::string_view, 11> kScenes{"skyline", "mountains", "sea",     "stadium",
                                                   "bokeh",   "chart",     "circuit", "field",
                                                   "crowd",   "rain",      "podium"};

// splitmix64: small, fast, and the same on every platform.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    float range(float a, float b) { return a + static_cast<float>(uniform()) * (b - a); }
    int irange(int a, int b) {
        return a + static_cast<int>(next() % static_cast<std::uint64_t>(b - a + 1));
    }
    bool chance(double p) { return uniform() < p; }

private:
    std::uint64_t s_;
};

struct Rgb {
    float r = 0, g = 0, b = 0;
};
Rgb operator*(Rgb c, float k) { return {c.r * k, c.g * k, c.b * k}; }
Rgb operator+(Rgb a, Rgb b) { return {a.r + b.r, a.g + b.g, a.b + b.b}; }
Rgb mix(Rgb a, Rgb b, float t) {
    return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}
Rgb hex(std::uint32_t v) {
    return {((v >> 16) & 0xff) / 255.0f, ((v >> 8) & 0xff) / 255.0f, (v & 0xff) / 255.0f};
}
float smoothstep(float e0, float e1, float x) {
    const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
    return t * t * (3 - 2 * t);
}
float luma(Rgb c) { return 0.299f * c.r + 0.587f * c.g + 0.114f * c.b; }

// Lattice value noise, deterministic from a seed.
float lattice(std::uint64_t seed, int x, int y) {
    std::uint64_t h =
        seed ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(x)) * 0x9E3779B1ULL) ^
        (static_cast<std::uint64_t>(static_cast<std::uint32_t>(y)) * 0x85EBCA77C2B2AE63ULL);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return static_cast<float>(h & 0xffffff) / static_cast<float>(0xffffff);
}
float value_noise(std::uint64_t seed, float x, float y) {
    const int xi = static_cast<int>(std::floor(x)), yi = static_cast<int>(std::floor(y));
    const float fx = x - xi, fy = y - yi;
    const float sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    const float a = lattice(seed, xi, yi), b = lattice(seed, xi + 1, yi);
    const float c = lattice(seed, xi, yi + 1), d = lattice(seed, xi + 1, yi + 1);
    return (a + (b - a) * sx) + ((c + (d - c) * sx) - (a + (b - a) * sx)) * sy;
}
float fbm(std::uint64_t seed, float x, float y, int octaves) {
    float sum = 0, amp = 0.5f, norm = 0;
    for (int i = 0; i < octaves; ++i) {
        sum += amp * value_noise(seed + static_cast<std::uint64_t>(i) * 7919, x, y);
        norm += amp;
        x *= 2.03f;
        y *= 2.03f;
        amp *= 0.5f;
    }
    return sum / norm;
}

// A float RGB canvas with alpha-blended drawing primitives.
class Canvas {
public:
    Canvas() : px_(static_cast<std::size_t>(kW) * kH) {}
    Rgb& at(int x, int y) { return px_[static_cast<std::size_t>(y) * kW + x]; }
    void blend(int x, int y, Rgb c, float a) {
        if (x < 0 || y < 0 || x >= kW || y >= kH || a <= 0) return;
        Rgb& p = at(x, y);
        p = mix(p, c, std::min(a, 1.0f));
    }
    void add(int x, int y, Rgb c, float k) {
        if (x < 0 || y < 0 || x >= kW || y >= kH) return;
        Rgb& p = at(x, y);
        p = p + c * k;
    }
    void vgradient(Rgb top, Rgb bottom, int y0 = 0, int y1 = kH) {
        for (int y = std::max(0, y0); y < std::min(kH, y1); ++y) {
            const Rgb c = mix(top, bottom, static_cast<float>(y - y0) / std::max(1, y1 - y0 - 1));
            for (int x = 0; x < kW; ++x) at(x, y) = c;
        }
    }
    void rect(float x0, float y0, float x1, float y1, Rgb c, float a = 1) {
        const int xa = std::max(0, static_cast<int>(std::floor(x0)));
        const int xb = std::min(kW, static_cast<int>(std::ceil(x1)));
        const int ya = std::max(0, static_cast<int>(std::floor(y0)));
        const int yb = std::min(kH, static_cast<int>(std::ceil(y1)));
        for (int y = ya; y < yb; ++y) {
            const float cy =
                std::clamp(std::min(y + 1.0f, y1) - std::max<float>(y, y0), 0.0f, 1.0f);
            for (int x = xa; x < xb; ++x) {
                const float cx =
                    std::clamp(std::min(x + 1.0f, x1) - std::max<float>(x, x0), 0.0f, 1.0f);
                blend(x, y, c, a * cx * cy);
            }
        }
    }
    // Ellipse with a soft edge (softness as a fraction of the radius).
    void ellipse(float cx, float cy, float rx, float ry, Rgb c, float a = 1, float soft = 0.08f) {
        const int xa = std::max(0, static_cast<int>(cx - rx - 1)),
                  xb = std::min(kW, static_cast<int>(cx + rx + 2));
        const int ya = std::max(0, static_cast<int>(cy - ry - 1)),
                  yb = std::min(kH, static_cast<int>(cy + ry + 2));
        for (int y = ya; y < yb; ++y)
            for (int x = xa; x < xb; ++x) {
                const float dx = (x + 0.5f - cx) / rx, dy = (y + 0.5f - cy) / ry;
                const float d = std::sqrt(dx * dx + dy * dy);
                const float k = 1.0f - smoothstep(1.0f - soft, 1.0f + 0.5f / std::max(rx, ry), d);
                blend(x, y, c, a * k);
            }
    }
    // Additive light with a Gaussian falloff.
    void glow(float cx, float cy, float radius, Rgb c, float strength) {
        const int r = static_cast<int>(radius * 3);
        for (int y = std::max(0, static_cast<int>(cy) - r);
             y < std::min(kH, static_cast<int>(cy) + r); ++y)
            for (int x = std::max(0, static_cast<int>(cx) - r);
                 x < std::min(kW, static_cast<int>(cx) + r); ++x) {
                const float dx = x - cx, dy = y - cy;
                add(x, y, c, strength * std::exp(-(dx * dx + dy * dy) / (2 * radius * radius)));
            }
    }
    // Fills everything below heights[x] (a silhouette), anti-aliased at the top edge.
    void ridge(const std::vector<float>& heights, Rgb c, float a = 1, float y_end = kH) {
        for (int x = 0; x < kW; ++x) {
            const float h = heights[static_cast<std::size_t>(x)];
            for (int y = std::max(0, static_cast<int>(h));
                 y < std::min<int>(kH, static_cast<int>(y_end)); ++y)
                blend(x, y, c, a * std::clamp(y + 1.0f - h, 0.0f, 1.0f));
        }
    }
    void line(float x0, float y0, float x1, float y1, Rgb c, float a, float width = 1) {
        const float len = std::hypot(x1 - x0, y1 - y0);
        const int steps = std::max(1, static_cast<int>(len * 2));
        for (int i = 0; i <= steps; ++i) {
            const float t = static_cast<float>(i) / steps;
            const float x = x0 + (x1 - x0) * t, y = y0 + (y1 - y0) * t;
            if (width <= 1.5f)
                blend(static_cast<int>(x), static_cast<int>(y), c, a * 0.5f);
            else
                rect(x - width / 2, y - width / 2, x + width / 2, y + width / 2, c, a * 0.35f);
        }
    }
    const std::vector<Rgb>& pixels() const { return px_; }

private:
    std::vector<Rgb> px_;
};

// A skyline-like random profile: flat-topped blocks.
std::vector<float> blocks(Rng& rng, float base, float min_h, float max_h, int min_w, int max_w) {
    std::vector<float> h(kW);
    int x = -rng.irange(0, max_w);
    while (x < kW) {
        const int w = rng.irange(min_w, max_w);
        const float top = base - rng.range(min_h, max_h);
        for (int i = std::max(0, x); i < std::min(kW, x + w); ++i)
            h[static_cast<std::size_t>(i)] = top;
        x += w;
    }
    return h;
}

std::vector<float> ridge_profile(std::uint64_t seed, float base, float amp, float freq) {
    std::vector<float> h(kW);
    for (int x = 0; x < kW; ++x)
        h[static_cast<std::size_t>(x)] =
            base - amp * fbm(seed, x * freq, 0.5f, 5) * 2.0f + amp * 0.5f;
    return h;
}

void sky(Canvas& c, Rng& rng, Rgb tint, bool night, int horizon) {
    const Rgb top = night ? mix(tint, hex(0x05070f), 0.8f) : mix(hex(0x5d86c4), tint, 0.25f);
    const Rgb low = night ? mix(tint, hex(0x1c1e2e), 0.55f) : mix(hex(0xf3d2a8), tint, 0.15f);
    c.vgradient(top, low, 0, horizon);
}

void scene_skyline(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    const bool dusk = rng.chance(0.6);
    const int horizon = static_cast<int>(kH * rng.range(0.62f, 0.7f));
    sky(c, rng, tint, dusk, horizon);
    const Rgb sun = dusk ? hex(0xff9a5a) : hex(0xfff1d0);
    c.glow(rng.range(200, 1000), horizon - rng.range(40, 140), 140, sun, dusk ? 0.35f : 0.25f);
    const Rgb haze = c.at(kW / 2, horizon - 2);
    c.ridge(blocks(rng, horizon, 60, 190, 25, 70), mix(haze, tint * 0.5f, 0.25f), 0.9f, horizon);
    c.ridge(blocks(rng, horizon, 30, 150, 35, 90), mix(haze, tint * 0.3f, 0.55f), 0.95f, horizon);
    const Rgb near = mix(hex(0x10131c), tint * 0.3f, 0.3f);
    auto h = blocks(rng, horizon, 20, 260, 45, 120);
    c.ridge(h, near, 1, horizon);
    // Lit windows on the nearest layer.
    for (int x = 4; x < kW - 4; x += 9)
        for (int y = static_cast<int>(h[static_cast<std::size_t>(x)]) + 8; y < horizon - 6; y += 12)
            if (rng.chance(dusk ? 0.32 : 0.08))
                c.rect(x, y, x + 4, y + 6, hex(0xffd98a), dusk ? 0.8f : 0.35f);
    // River: the city reflected with ripples.
    for (int y = horizon; y < kH; ++y) {
        const int sy = std::clamp(2 * horizon - y - 1, 0, kH - 1);
        const float k = 0.55f - 0.25f * (y - horizon) / static_cast<float>(kH - horizon);
        for (int x = 0; x < kW; ++x) {
            const int sx =
                std::clamp(x + static_cast<int>(3 * std::sin(y * 0.45f + x * 0.01f)), 0, kW - 1);
            c.at(x, y) = mix(c.at(sx, sy) * k, tint * 0.25f, 0.25f);
        }
    }
    (void)seed;
}

void scene_mountains(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    sky(c, rng, tint, false, kH);
    c.glow(rng.range(150, 1050), rng.range(90, 200), 90, hex(0xfff4dc), 0.45f);
    const Rgb haze = mix(hex(0xdfe6ee), tint, 0.15f);
    const Rgb deep = mix(hex(0x1d2b24), tint * 0.4f, 0.3f);
    for (int layer = 0; layer < 4; ++layer) {
        const float t = layer / 3.0f;
        auto h = ridge_profile(seed + layer * 131, kH * (0.42f + 0.15f * layer),
                               kH * (0.22f - 0.03f * layer), 0.004f + 0.002f * layer);
        c.ridge(h, mix(haze, deep, 0.25f + 0.75f * t));
        // Mist pooling in the valley below each ridge.
        for (int y = 0; y < kH; ++y) {
            const float m = std::exp(-std::pow((y - kH * (0.62f + 0.1f * layer)) / 40.0f, 2.0f)) *
                            0.25f * (1 - t);
            if (m > 0.01f)
                for (int x = 0; x < kW; ++x) c.blend(x, y, haze, m);
        }
    }
}

void scene_sea(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    const int horizon = static_cast<int>(kH * rng.range(0.48f, 0.58f));
    sky(c, rng, tint, false, horizon);
    for (int y = 0; y < horizon; ++y)
        for (int x = 0; x < kW; ++x) {
            const float n = fbm(seed, x * 0.004f, y * 0.012f, 4);
            c.blend(x, y, hex(0xffffff), smoothstep(0.5f, 0.75f, n) * 0.7f);
        }
    const float sun_x = rng.range(250, 950);
    c.glow(sun_x, horizon - 60, 70, hex(0xfff0c8), 0.6f);
    c.ridge(ridge_profile(seed + 5, horizon + 2, 26, 0.006f), mix(hex(0x7f8ea3), tint, 0.2f), 0.9f,
            horizon + 1);
    const Rgb water_top = mix(hex(0x4f7896), tint, 0.2f),
              water_bottom = mix(hex(0x0f2a3f), tint * 0.4f, 0.2f);
    c.vgradient(water_top, water_bottom, horizon, kH);
    for (int i = 0; i < 900; ++i) {
        const float y =
            horizon + std::pow(static_cast<float>(rng.uniform()), 1.6f) * (kH - horizon);
        const float depth = (y - horizon) / (kH - horizon);
        const float near_sun = std::exp(-std::pow((rng.range(-1, 1)) * 2.0f, 2.0f));
        const float x =
            sun_x + rng.range(-1, 1) * (80 + 500 * depth) * (near_sun < 0.5f ? 3.0f : 1.0f);
        const float len = 8 + 60 * depth;
        c.rect(x - len / 2, y, x + len / 2, y + 1 + 2 * depth, hex(0xfff3d6),
               0.15f + 0.3f * near_sun * (1 - depth));
    }
}

void scene_stadium(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    c.vgradient(mix(hex(0x050812), tint, 0.2f), mix(hex(0x1a2238), tint, 0.25f), 0, kH / 3);
    const int stand_top = kH / 3, field_top = static_cast<int>(kH * 0.58f);
    c.vgradient(hex(0x20242e), hex(0x2f3440), stand_top, field_top);
    for (int y = stand_top; y < field_top; y += 14) c.rect(0, y, kW, y + 2, hex(0x14171f), 0.8f);
    const std::array<Rgb, 5> shirts{hex(0xd8d8d8), tint, hex(0xc0392b), hex(0x2c3e50),
                                    hex(0xe1b12c)};
    for (int i = 0; i < 9000; ++i) {
        const float x = rng.range(0, kW), y = rng.range(stand_top + 4, field_top - 3);
        c.rect(x, y, x + 2.5f, y + 3, shirts[static_cast<std::size_t>(rng.irange(0, 4))], 0.55f);
    }
    const Rgb g1 = hex(0x2f7d3a), g2 = hex(0x3b9146);
    for (int y = field_top; y < kH; ++y) {
        const float v = (y - field_top) / static_cast<float>(kH - field_top);
        const float stripe = std::fmod(std::sqrt(v) * 9.0f, 2.0f) < 1.0f ? 0.0f : 1.0f;
        for (int x = 0; x < kW; ++x) c.at(x, y) = mix(g1, g2, stripe) * (0.8f + 0.3f * v);
    }
    const float vx = rng.range(300, 900);
    c.line(vx, field_top, vx - 900, kH, hex(0xf5f5f5), 0.8f, 3);
    c.line(vx, field_top, vx + 900, kH, hex(0xf5f5f5), 0.8f, 3);
    c.ellipse(vx, field_top + 120, 150, 40, hex(0xb9814f), 0.9f, 0.2f);
    for (int t = 0; t < 4; ++t) {
        const float x = 120 + t * 320 + rng.range(-40, 40), top = rng.range(40, 90);
        c.rect(x - 3, top, x + 3, stand_top + 10, hex(0x0b0d12));
        for (int i = 0; i < 6; ++i) c.glow(x - 40 + i * 16, top, 10, hex(0xfffbe6), 0.9f);
        c.glow(x, top, 110, hex(0xfff3c4), 0.18f);
    }
    (void)seed;
}

void scene_bokeh(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    c.vgradient(mix(hex(0x07060d), tint, 0.25f), hex(0x050507));
    const std::array<Rgb, 4> hues{tint * 1.4f, hex(0xffc878), hex(0xff6fa8), hex(0x8fd0ff)};
    for (int i = 0; i < 70; ++i) {
        const float r = rng.range(12, 80);
        c.ellipse(rng.range(0, kW), rng.range(0, kH * 0.8f), r, r,
                  hues[static_cast<std::size_t>(rng.irange(0, 3))], rng.range(0.12f, 0.45f), 0.15f);
    }
    // Stage beams from above.
    for (int b = 0; b < 5; ++b) {
        const float x0 = rng.range(100, 1100), x1 = x0 + rng.range(-350, 350);
        const Rgb col = hues[static_cast<std::size_t>(rng.irange(0, 3))];
        for (int y = 0; y < kH; ++y) {
            const float t = static_cast<float>(y) / kH, cx = x0 + (x1 - x0) * t, w = 20 + 140 * t;
            for (int x = std::max(0, static_cast<int>(cx - w));
                 x < std::min(kW, static_cast<int>(cx + w)); ++x)
                c.add(x, y, col, 0.07f * (1 - std::abs(x - cx) / w) * (1 - 0.5f * t));
        }
    }
    // A crowd's raised hands and heads against the light.
    auto h = ridge_profile(seed + 9, kH * 0.86f, 40, 0.03f);
    c.ridge(h, hex(0x040405));
    for (int i = 0; i < 14; ++i) {
        const float x = rng.range(0, kW), top = rng.range(kH * 0.6f, kH * 0.75f);
        c.line(x, kH * 0.85f, x + rng.range(-25, 25), top, hex(0x040405), 1, 9);
    }
}

void scene_chart(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    const Rgb paper = mix(hex(0xfbfaf7), tint, 0.06f);
    c.vgradient(paper, mix(paper, tint, 0.05f));
    c.ellipse(kW * 0.95f, -40, 420, 420, mix(paper, tint, 0.12f), 1, 0.01f);
    const float left = 110, right = kW - 90, top = 120, bottom = kH - 90;
    for (int i = 0; i <= 5; ++i) {
        const float y = top + (bottom - top) * i / 5.0f;
        c.rect(left, y, right, y + (i == 5 ? 3 : 1), hex(0x9aa0a6), i == 5 ? 0.9f : 0.35f);
    }
    const int n = rng.irange(7, 11);
    const float slot = (right - left) / n;
    float v = rng.range(0.3f, 0.5f);
    std::vector<std::pair<float, float>> pts;
    const Rgb accent = luma(tint) > 0.5f ? hex(0x1f3a68) : hex(0xe0662b);
    for (int i = 0; i < n; ++i) {
        v = std::clamp(v + rng.range(-0.12f, 0.18f), 0.12f, 0.95f);
        const float x0 = left + slot * i + slot * 0.2f, x1 = x0 + slot * 0.6f;
        const float y = bottom - (bottom - top) * v;
        c.rect(x0 + 5, y + 5, x1 + 5, bottom, hex(0x000000), 0.06f);
        c.rect(x0, y, x1, bottom, i == n - 1 ? accent : mix(tint, paper, 0.15f), 0.95f);
        pts.emplace_back(
            (x0 + x1) / 2,
            bottom - (bottom - top) * std::clamp(v * rng.range(0.75f, 1.1f), 0.05f, 1.0f));
    }
    for (std::size_t i = 1; i < pts.size(); ++i)
        c.line(pts[i - 1].first, pts[i - 1].second, pts[i].first, pts[i].second, hex(0x333842),
               0.9f, 4);
    for (auto [x, y] : pts) {
        c.ellipse(x, y, 9, 9, hex(0x333842), 1, 0.15f);
        c.ellipse(x, y, 5, 5, paper, 1, 0.2f);
    }
    c.rect(left, 50, left + 260, 64, hex(0x333842), 0.85f);  // title bar
    c.rect(left, 74, left + 170, 82, hex(0x9aa0a6), 0.6f);   // subtitle bar
    (void)seed;
}

void scene_circuit(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    c.vgradient(mix(hex(0x030914), tint, 0.2f), mix(hex(0x0a1a33), tint, 0.3f));
    const Rgb trace = mix(hex(0x4fd1ff), tint, 0.3f);
    for (int i = 0; i < 90; ++i) {
        float x = std::round(rng.range(0, kW) / 24) * 24,
              y = std::round(rng.range(0, kH) / 24) * 24;
        for (int seg = 0; seg < 4; ++seg) {
            const bool horizontal = (seg % 2) == (i % 2);
            const float len = rng.range(2, 9) * 24 * (rng.chance(0.5) ? 1 : -1);
            const float nx = horizontal ? x + len : x, ny = horizontal ? y : y + len;
            c.line(x, y, nx, ny, trace, 0.5f, 2.5f);
            x = nx;
            y = ny;
        }
        c.ellipse(x, y, 6, 6, trace, 0.9f, 0.3f);
        c.glow(x, y, 10, trace, 0.35f);
    }
    for (int i = 0; i < 3; ++i) {
        const float x = rng.range(150, 1000), y = rng.range(120, 520), s = rng.range(70, 130);
        c.rect(x - 4, y - 4, x + s + 4, y + s + 4, trace, 0.5f);
        c.rect(x, y, x + s, y + s, hex(0x0d1524));
        for (int k = 0; k < 6; ++k) {
            const float p = x + 8 + k * (s - 16) / 5;
            c.rect(p - 2, y - 16, p + 2, y - 4, hex(0xc0c8d0), 0.7f);
            c.rect(p - 2, y + s + 4, p + 2, y + s + 16, hex(0xc0c8d0), 0.7f);
        }
    }
    c.glow(kW * rng.range(0.3f, 0.7f), kH * 0.5f, 260, tint, 0.25f);
    (void)seed;
}

void scene_field(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    const int horizon = static_cast<int>(kH * rng.range(0.45f, 0.55f));
    sky(c, rng, tint, false, horizon);
    c.glow(rng.range(100, 1100), rng.range(60, 160), 120, hex(0xfff2d4), 0.35f);
    c.ridge(ridge_profile(seed + 1, horizon - 10, 50, 0.003f), mix(hex(0x8ba3a8), tint, 0.15f), 1,
            horizon + 1);
    c.ridge(ridge_profile(seed + 2, horizon + 4, 22, 0.006f), mix(hex(0x4d6a4a), tint, 0.1f), 1,
            horizon + 1);
    const bool autumn = rng.chance(0.5);
    const Rgb a = autumn ? hex(0xc9a13f) : hex(0x5f9a3c),
              b = autumn ? hex(0x9c7a28) : hex(0x3f7a2c);
    const float vp = rng.range(400, 800);
    for (int y = horizon; y < kH; ++y) {
        const float depth = (y - horizon + 1.0f) / (kH - horizon);
        for (int x = 0; x < kW; ++x) {
            const float ang = (x - vp) / (y - horizon + 1.0f);
            const float s = 0.5f + 0.5f * std::sin(ang * 9.0f);
            c.at(x, y) = mix(b, a,
                             s * smoothstep(0.0f, 0.25f, depth) +
                                 0.5f * (1 - smoothstep(0.0f, 0.25f, depth))) *
                         (0.75f + 0.35f * depth);
        }
    }
    for (int i = 0; i < 7; ++i) {
        const float x = rng.range(0, kW), s = rng.range(10, 26);
        c.rect(x - 2, horizon - s, x + 2, horizon + 2, hex(0x2e2a22));
        c.ellipse(x, horizon - s * 1.4f, s, s * 0.9f, mix(hex(0x2f4a2a), tint, 0.1f), 1, 0.3f);
    }
}

void scene_crowd(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    c.vgradient(mix(hex(0xf2e6d0), tint, 0.2f), mix(hex(0xcfa57a), tint, 0.2f));
    const Rgb far = mix(c.at(0, kH / 2), tint * 0.5f, 0.3f);
    c.ridge(blocks(rng, kH * 0.7f, 120, 360, 80, 200), far, 0.35f);
    c.glow(kW * rng.range(0.3f, 0.7f), kH * 0.3f, 260, hex(0xfff6e0), 0.35f);
    for (int row = 0; row < 3; ++row) {
        const float scale = 0.7f + 0.35f * row;
        const Rgb col = mix(far * 0.6f, hex(0x0c0c10), 0.5f + 0.25f * row);
        const float base = kH * (0.62f + 0.12f * row);
        for (float x = rng.range(-40, 0); x < kW + 40; x += rng.range(45, 75) * scale) {
            const float hx = x + rng.range(-8, 8), hy = base - rng.range(0, 30) * scale;
            if (row < 2 && rng.chance(0.15)) {
                c.rect(hx - 2, hy - 120 * scale, hx + 2, hy, hex(0x4a3b2a));
                c.rect(hx - 50 * scale, hy - 170 * scale, hx + 50 * scale, hy - 110 * scale,
                       rng.chance(0.5) ? hex(0xf4f1ea) : mix(tint, hex(0xffffff), 0.4f), 0.95f);
            }
            c.ellipse(hx, hy, 20 * scale, 25 * scale, col, 1, 0.1f);
            c.ellipse(hx, hy + 75 * scale, 45 * scale, 52 * scale, col, 1, 0.1f);
            c.rect(hx - 45 * scale, hy + 75 * scale, hx + 45 * scale, kH, col);
        }
    }
    (void)seed;
}

void scene_rain(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    const int horizon = static_cast<int>(kH * 0.68f);
    for (int y = 0; y < horizon; ++y)
        for (int x = 0; x < kW; ++x) {
            const float n = fbm(seed, x * 0.003f, y * 0.006f, 5);
            c.at(x, y) = mix(mix(hex(0x2b3038), tint * 0.4f, 0.2f), hex(0x8a939e),
                             smoothstep(0.3f, 0.8f, n) * 0.8f);
        }
    c.ridge(blocks(rng, horizon, 30, 200, 30, 90), hex(0x383e47), 0.8f, horizon);
    c.ridge(blocks(rng, horizon, 10, 110, 40, 110), hex(0x1d2127), 1, horizon);
    for (int y = horizon; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            const int sy = std::clamp(2 * horizon - y, 0, kH - 1);
            c.at(x, y) = mix(c.at(x, sy) * 0.5f, hex(0x15181d),
                             0.35f + 0.3f * (y - horizon) / (kH - horizon));
        }
    for (int i = 0; i < 12; ++i)
        c.glow(rng.range(0, kW), horizon - rng.range(0, 40), 14, hex(0xffcf7a), 0.5f);
    const float slant = rng.range(0.15f, 0.35f);
    for (int i = 0; i < 2600; ++i) {
        const float x = rng.range(-100, kW), y = rng.range(-40, kH), len = rng.range(14, 40);
        c.line(x, y, x + len * slant, y + len, hex(0xd8e0ea), rng.range(0.15f, 0.4f));
    }
}

void scene_podium(Canvas& c, Rng& rng, Rgb tint, std::uint64_t seed) {
    const Rgb wall = mix(hex(0x1e2a3f), tint, 0.45f);
    c.vgradient(wall * 1.15f, wall * 0.6f);
    for (int x = 0; x < kW; x += 150) c.rect(x, 0, x + 3, kH, hex(0x000000), 0.15f);
    c.glow(kW / 2.0f, kH * 0.28f, 260, hex(0xfff5e1), 0.35f);
    c.ellipse(kW / 2.0f, kH * 0.3f, 70, 70, mix(wall, hex(0xffffff), 0.35f), 0.6f, 0.04f);
    c.ellipse(kW / 2.0f, kH * 0.3f, 52, 52, wall, 0.8f, 0.05f);
    for (int f = -1; f <= 1; f += 2) {
        const float fx = kW / 2.0f + f * rng.range(380, 470);
        c.rect(fx - 3, 100, fx + 3, kH, hex(0x8c7a5a));
        for (int y = 110; y < 420; ++y) {
            const float w = std::sin(y * 0.04f + f) * 12;
            c.rect(fx + 3 + w * 0.2f, y, fx + 100 + w, y + 1,
                   y < 260 ? hex(0xf0f0f0) : mix(tint, hex(0xdddddd), 0.3f), 0.9f);
        }
    }
    const float top = kH * 0.55f;
    for (int y = static_cast<int>(top); y < kH; ++y) {
        const float t = (y - top) / (kH - top), half = 170 - 40 * t;
        c.rect(kW / 2.0f - half, y, kW / 2.0f + half, y + 1, mix(hex(0x4a3322), hex(0x2a1c12), t));
    }
    c.ellipse(kW / 2.0f, top + 80, 40, 40, hex(0xd4b872), 0.8f, 0.1f);
    for (int m = 0; m < 5; ++m) {
        const float x = kW / 2.0f - 80 + m * 40 + rng.range(-6, 6);
        c.line(x, top, x + rng.range(-30, 30), top - rng.range(60, 110), hex(0x15151a), 1, 4);
    }
    (void)seed;
}

void finish(Canvas& c, Rgb tint, Rng& rng, bool graphic) {
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            Rgb& p = c.at(x, y);
            if (!graphic) {
                const float l = luma(p);
                p = mix(p, tint * (0.4f + l), 0.12f * (1 - l));  // section-coloured shadows
                const float dx = (x - kW / 2.0f) / kW, dy = (y - kH / 2.0f) / kH;
                p = p * (1 - 0.7f * (dx * dx + dy * dy));  // vignette
            }
        }
    (void)rng;
}

using SceneFn = void (*)(Canvas&, Rng&, Rgb, std::uint64_t);
SceneFn scene_fn(std::string_view name) {
    if (name == "skyline") return scene_skyline;
    if (name == "mountains") return scene_mountains;
    if (name == "sea") return scene_sea;
    if (name == "stadium") return scene_stadium;
    if (name == "bokeh") return scene_bokeh;
    if (name == "chart") return scene_chart;
    if (name == "circuit") return scene_circuit;
    if (name == "field") return scene_field;
    if (name == "crowd") return scene_crowd;
    if (name == "rain") return scene_rain;
    if (name == "podium") return scene_podium;
    return nullptr;
}

}  // namespace

std::span<const std::string_view> known_scenes() { return kScenes; }
bool is_known_scene(std::string_view scene) { return scene_fn(scene) != nullptr; }

std::string photo_src(std::string_view name) { return "/media/demo/" + std::string(name) + ".jpg"; }
std::string thumbnail_src(std::string_view src) {
    std::string s(src);
    if (s.ends_with(".jpg")) s.resize(s.size() - 4);
    return s + "-w480.jpg";
}

std::uint64_t seed_for(std::string_view name) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char ch : name) {
        h ^= ch;
        h *= 1099511628211ULL;
    }
    return h;
}

Status render_photo(const PhotoSpec& spec, const std::string& dir, const std::string& name) {
    const SceneFn fn = scene_fn(spec.scene);
    if (!fn)
        return make_error(Errc::invalid_input, "unknown demo photo scene '" + spec.scene + "'");
    auto imaging = media::imaging();
    if (!imaging) return imaging.error();

    Canvas canvas;
    Rng rng(spec.seed);
    const Rgb tint = hex(spec.tint);
    fn(canvas, rng, tint, spec.seed);
    const bool graphic = spec.scene == "chart";
    finish(canvas, tint, rng, graphic);

    std::vector<unsigned char> bytes(static_cast<std::size_t>(kW) * kH * 3);
    const auto& px = canvas.pixels();
    for (std::size_t i = 0; i < px.size(); ++i) {
        bytes[i * 3] = static_cast<unsigned char>(std::clamp(px[i].r, 0.0f, 1.0f) * 255.0f + 0.5f);
        bytes[i * 3 + 1] =
            static_cast<unsigned char>(std::clamp(px[i].g, 0.0f, 1.0f) * 255.0f + 0.5f);
        bytes[i * 3 + 2] =
            static_cast<unsigned char>(std::clamp(px[i].b, 0.0f, 1.0f) * 255.0f + 0.5f);
    }
    // Film grain, deterministic: a luminance noise plane from the same seed.
    std::vector<float> grain(static_cast<std::size_t>(kW) * kH);
    Rng grain_rng(spec.seed ^ 0x5bd1e995ULL);
    const float amount = graphic ? 0.0f : 7.0f;
    for (auto& g : grain)
        g = (static_cast<float>(grain_rng.uniform() + grain_rng.uniform()) - 1.0f) * amount;

    media::DemoFrame frame;
    frame.rgb = bytes.data();
    frame.grain = grain.data();
    frame.width = kW;
    frame.height = kH;
    frame.graphic = graphic;
    frame.thumb_width = kThumbWidth;
    frame.jpeg_quality = kJpegQuality;
    frame.base = (std::filesystem::path(dir) / name).string();
    if (auto st = (*imaging)->save_demo_photo(frame); !st) {
        return make_error(st.error().code, "demo photo '" + name + "': " + st.error().message);
    }
    return ok();
}

}  // namespace sinmun::demo
