// Loading the JSON fixtures and vector files tests read (fixtures/vectors/, tests/<library>/vectors/).
// The one fixture loader: a fixture that does not parse fails the calling test (ADD_FAILURE plus a
// null document), so a missing or broken fixture never passes silently.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/hex.h"
#include "common/json.h"
#include "common/result.h"
#include "tests/support/test_support.h"

namespace segverify::testing {

// Parses <repo>/relative_path.
inline std::unique_ptr<JsonDocument> LoadJsonFixture(const std::string& relative_path) {
  auto parsed = ParseJsonFile(SourcePath(relative_path));
  if (!parsed) {
    ADD_FAILURE() << "cannot load " << relative_path << ": " << parsed.error().message;
    return nullptr;
  }
  return std::move(parsed.value());
}

// As LoadJsonFixture, for vector files that must cite where their values come from: an object
// without a "source" field fails the calling test too.
inline std::unique_ptr<JsonDocument> LoadFixture(const std::string& relative_path) {
  auto doc = LoadJsonFixture(relative_path);
  if (doc && (!doc->IsObject() || !doc->HasMember("source"))) {
    ADD_FAILURE() << relative_path << ": fixture names no source";
    return nullptr;
  }
  return doc;
}

// Loads `relative_path` and runs `check` on its member `key` (failing if either is missing).
template <typename Check>
void CheckFixtureSection(const std::string& relative_path, const char* key, Check check) {
  auto doc = LoadJsonFixture(relative_path);
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->HasMember(key)) << relative_path << " has no " << key;
  check((*doc)[key]);
}

// The string member `key` of `object`; a missing or non-string member fails the calling test.
inline std::string Str(const JsonValue& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) {
    ADD_FAILURE() << "fixture field " << key << " missing or not a string";
    return {};
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
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

// Passes when `result` failed with a message containing `needle`; otherwise says what happened.
template <typename T>
::testing::AssertionResult FailsWith(const Result<T>& result, std::string_view needle) {
  if (result.ok()) return ::testing::AssertionFailure() << "succeeded; expected an error with \"" << needle << '"';
  if (result.error().message.find(needle) == std::string::npos) {
    return ::testing::AssertionFailure() << "error \"" << result.error().message << "\" lacks \"" << needle << '"';
  }
  return ::testing::AssertionSuccess();
}

}  // namespace segverify::testing
