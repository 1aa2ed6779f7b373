// One lookup for the tables that give an enum's values their names in published files (a problem's
// kind, a finding's check, an address's ownership): each table is written once, as pairs, and both
// directions are read from it, so a name cannot be added for one direction and forgotten for the other.
#pragma once

#include <optional>
#include <string_view>
#include <utility>

namespace segverify {

// The name of `value` in `table`, or `fallback` when the table has none (a table is expected to
// name every value; the fallback keeps an out-of-range value from printing garbage).
template <typename Enum, typename Table>
std::string_view NameIn(const Table& table, Enum value, std::string_view fallback) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return fallback;
}

// The value named `text` in `table`, or nullopt.
template <typename Enum, typename Table>
std::optional<Enum> ValueNamed(const Table& table, std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace segverify
