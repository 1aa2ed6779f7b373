// Loading the JSON vector files that the address tests read (fixtures/vectors/, tests/address/).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/hex.h"
#include "common/json.h"
#include "common/result.h"
#include "tests/support/test_support.h"

namespace segverify::address_testing {

// Parses a JSON file under the source tree; a parse failure fails the calling test (via the
// returned null document plus ADD_FAILURE), so a missing fixture never passes silently.
inline std::unique_ptr<JsonDocument> LoadJsonFixture(const std::string& relative_path) {
  auto parsed = ParseJsonFile(testing::SourcePath(relative_path));
  if (!parsed) {
    ADD_FAILURE() << "cannot load " << relative_path << ": " << parsed.error().message;
    return nullptr;
  }
  return std::move(parsed.value());
}

// Loads `relative_path` and runs `check` on its member `key` (failing if either is missing).
template <typename Check>
void CheckFixtureSection(const std::string& relative_path, const char* key, Check check) {
  auto doc = LoadJsonFixture(relative_path);
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->HasMember(key)) << relative_path << " has no " << key;
  check((*doc)[key]);
}

// Passes when `result` failed with a message containing `needle`; otherwise says what happened.
template <typename T>
::testing::AssertionResult FailsWith(const Result<T>& result, std::string_view needle) {
  if (result.ok()) return ::testing::AssertionFailure() << "succeeded; expected an error with \"" << needle << '"';
  if (result.error().message.find(needle) == std::string::npos) {
    return ::testing::AssertionFailure() << "error \"" << result.error().message << "\" lacks \"" << needle << '"';
  }
  return ::testing::AssertionSuccess();
}

inline std::vector<std::string> StringArray(const JsonValue& array) {
  std::vector<std::string> out;
  for (const auto& item : array.GetArray()) out.emplace_back(item.GetString());
  return out;
}

inline Bytes HexOrDie(const std::string& text) {
  auto bytes = FromHex(text);
  if (!bytes) ADD_FAILURE() << "bad hex in fixture: " << text;
  return bytes.value_or(Bytes{});
}

}  // namespace segverify::address_testing
