// Loading the JSON fixtures the ownership tests read (each names its source in a "source" field).
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/json.h"
#include "tests/support/test_support.h"

namespace segverify::chain::testing {

// Parses <repo>/relative_path; fails the calling test (and returns nullptr) if it does not parse
// or carries no "source" citation.
inline std::unique_ptr<JsonDocument> LoadFixture(const std::string& relative_path) {
  auto doc = ParseJsonFile(segverify::testing::SourcePath(relative_path));
  if (!doc) {
    ADD_FAILURE() << doc.error().message;
    return nullptr;
  }
  std::unique_ptr<JsonDocument> value = std::move(*doc);
  if (!value->IsObject() || !value->HasMember("source")) {
    ADD_FAILURE() << relative_path << ": fixture names no source";
    return nullptr;
  }
  return value;
}

inline std::string Str(const JsonValue& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) {
    ADD_FAILURE() << "fixture field " << key << " missing or not a string";
    return {};
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace segverify::chain::testing
