// Bounded JSON parsing and checked field access for everything that comes from outside.
//
// Why bounded: proofs, configs and node responses are attacker-controlled. Parsing is iterative
// (RapidJSON kParseIterativeFlag: no recursion, so 100k levels of nesting cannot overflow the
// stack), then the tree is walked with an explicit stack to enforce a depth limit, reject
// duplicate object keys (two readers could otherwise see two different documents) and invalid
// UTF-8. Field accessors produce errors that name the JSON path ("pools[1].addresses[0].chain").
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify {

struct JsonLimits {
  std::size_t max_bytes = 64u << 20;
  int max_depth = 64;
};

using JsonDocument = rapidjson::Document;
using JsonValue = rapidjson::Value;

// Parses `text`; `origin` names where it came from (a file path, a source URL) in errors.
Result<std::unique_ptr<JsonDocument>> ParseJson(std::string_view text, std::string_view origin, JsonLimits limits = {});

// Reads and parses a file, refusing files larger than limits.max_bytes before reading them.
Result<std::unique_ptr<JsonDocument>> ParseJsonFile(const std::string& path, JsonLimits limits = {});

// JSON path helpers for error messages: Child("pools", 1) == "pools[1]", Field("a", "b") == "a.b".
std::string JsonField(std::string_view parent, std::string_view key);
std::string JsonIndex(std::string_view parent, std::size_t index);

// Checked accessors. `path` is the JSON path of `object`; errors read
// "<origin>: <path>.<key>: expected a string".
class JsonObjectReader {
 public:
  JsonObjectReader(const JsonValue& object, std::string origin, std::string path);

  // Fails if the value is not an object.
  [[nodiscard]] Status CheckIsObject() const;
  // Fails on any key not in `allowed` (unknown fields are errors, never ignored).
  [[nodiscard]] Status CheckOnlyKeys(std::initializer_list<std::string_view> allowed) const;
  // Fails unless the object's "format" is `expected`. Checked before anything else, so a file of
  // another segverify kind is named for what it is: "report.json is an attestation report
  // (segverify-report/1), not a root (segverify-root/1)", rather than "id: unknown field".
  [[nodiscard]] Status CheckFormat(std::string_view expected) const;

  bool Has(std::string_view key) const;
  Result<std::string> String(std::string_view key) const;
  Result<std::uint64_t> Uint64(std::string_view key) const;
  Result<bool> Bool(std::string_view key) const;
  Result<const JsonValue*> Array(std::string_view key) const;
  Result<const JsonValue*> Object(std::string_view key) const;
  // The value of `key`, any type; fails if absent.
  Result<const JsonValue*> Member(std::string_view key) const;

  // "<origin>: <path>.<key>: <what>"
  Error FieldError(std::string_view key, std::string_view what) const;
  Error ObjectError(std::string_view what) const;
  const std::string& path() const { return path_; }
  const std::string& origin() const { return origin_; }

 private:
  const JsonValue& object_;
  std::string origin_;
  std::string path_;
};

// Serializes a value compactly (no whitespace).
std::string JsonToString(const JsonValue& value);

// Writing: the one place that hands text to RapidJSON's writers (which want pointer + length).
// Templates because PrettyWriter hides, rather than overrides, Writer's methods.
template <typename Writer>
void WriteJsonString(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}
template <typename Writer>
void WriteJsonKey(Writer& writer, std::string_view key) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}
// A string value for a Document built in memory (copied into `allocator`).
inline JsonValue JsonStringValue(std::string_view text, JsonDocument::AllocatorType& allocator) {
  return JsonValue(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

}  // namespace segverify
