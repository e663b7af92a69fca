// Decimal: an exact price, as an integer count of 1/10,000 units (4 decimal places).
//
// DESIGN §3: prices are never binary floating point on the wire. Four places cover every KRW
// tick size (coins under 1 KRW trade to 0.0001) and int64 still holds 9.2e14 KRW.
// Change rates are computed exactly in integers and only rounded when formatted.
// Thread-safety: plain value.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sinmun {

class Decimal {
public:
    static constexpr std::int64_t kScale = 10'000;

    constexpr Decimal() = default;
    static constexpr Decimal from_units(std::int64_t units) { return Decimal(units); }
    static constexpr Decimal from_integer(std::int64_t whole) { return Decimal(whole * kScale); }
    // Parses "131250000", "-0.0213", "1234.5", "31883000.00000000" (extra zero places are allowed;
    // non-zero digits past 4 places are rounded half away from zero). nullopt on malformed text.
    static std::optional<Decimal> parse(std::string_view text);

    constexpr std::int64_t units() const { return units_; }
    constexpr bool is_zero() const { return units_ == 0; }
    constexpr bool negative() const { return units_ < 0; }

    // Canonical text: shortest exact form, "131250000", "0.5", "-12.0034".
    std::string to_string() const;
    // Display with thousands separators and at most max_places decimals (trailing zeros trimmed):
    // "131,250,000", "0.5123".
    std::string to_display(int max_places = 4) const;

    friend constexpr auto operator<=>(Decimal, Decimal) = default;
    friend constexpr Decimal operator+(Decimal a, Decimal b) {
        return Decimal(a.units_ + b.units_);
    }
    friend constexpr Decimal operator-(Decimal a, Decimal b) {
        return Decimal(a.units_ - b.units_);
    }

private:
    constexpr explicit Decimal(std::int64_t units) : units_(units) {}
    std::int64_t units_ = 0;
};

// Change from ref to now in hundredths of a basis point (1e-6 of the value; 0.0213 → 21300),
// rounded half away from zero. nullopt if ref is zero or negative.
std::optional<std::int64_t> change_ppm(Decimal now, Decimal ref);

// "+2.13%", "-0.50%", "0.00%": a ppm change as a signed percentage with `places` decimals.
std::string format_percent_ppm(std::int64_t ppm, int places = 2);

}  // namespace sinmun
