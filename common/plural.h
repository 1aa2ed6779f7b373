// Counts in messages, read as English: "1 account", "2 accounts", "0 accounts".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace segverify {

inline std::string Count(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace segverify
