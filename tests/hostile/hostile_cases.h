// Building blocks of the bad-input catalogue: a fixture's text with one edit, and big/deep inputs
// generated at test time (never committed).
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace segverify::testing {

// One bad input: `fixture` with the first occurrence of `find` replaced by `replace`; the command
// must exit `exit_code` and (for exit 2) its one error line must contain `must_name`.
struct EditCase {
  std::string name;
  std::string find;
  std::string replace;
  int exit_code = 2;
  std::string must_name;
};

inline std::string WithEdit(const std::string& text, const std::string& find, const std::string& replace) {
  const std::size_t at = text.find(find);
  EXPECT_NE(at, std::string::npos) << "fixture no longer contains " << find;
  if (at == std::string::npos) return text;
  std::string edited = text;
  edited.replace(at, find.size(), replace);
  return edited;
}

inline std::string DeeplyNestedJson(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

inline constexpr std::size_t kHugeInputBytes = 64u << 20;

// 64 MB that starts like valid JSON of the given kind and never ends (one giant string).
inline std::string HugeJson(const std::string& opening) {
  std::string text = opening;
  text.reserve(kHugeInputBytes + 2);
  text.append(kHugeInputBytes - opening.size(), 'a');
  text += "\"}";
  return text;
}

// Binary garbage (a PNG header and every byte value), deterministic.
inline std::string BinaryGarbage() {
  std::string text = "\x89PNG\r\n\x1a\n";
  for (int i = 0; i < 4096; ++i) text.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  return text;
}

}  // namespace segverify::testing
