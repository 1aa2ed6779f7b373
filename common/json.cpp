#include "common/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <unordered_set>
#include <utility>
#include <vector>

#include "common/file_io.h"
#include "common/printable.h"
#include "common/utf8.h"

namespace segverify {
namespace {

// No kParseFullPrecisionFlag: no segverify format reads a fractional JSON number (amounts are
// strings, integers parse exactly without it), and RapidJSON 1.1.0's full-precision strtod
// calls __builtin_clzll(0) (undefined behaviour) on inputs such as "0.0000000000E-8": found by
// fuzz/ (proof_json, root_json), kept in tests/hostile/corpus/.
// Values (every scalar, array and object) a document may hold, counted by a streaming pass before
// the document is built: a 64 MB "[0,0,0,...]" from a node would otherwise become 32 million
// 16-byte DOM values (over 1 GB with the text). 4 million values take at most 64 MB; the largest
// legitimate answers (a block with its transactions, a UTXO scan) hold far fewer.
constexpr std::size_t kMaxJsonValues = 4'000'000;

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

std::string_view StringOf(const JsonValue& v) { return {v.GetString(), v.GetStringLength()}; }

// kParseValidateEncodingFlag checks the raw bytes only: RapidJSON 1.1.0 turns an unpaired
// "\udc00"-style escape into the bytes of a surrogate, which is not UTF-8 (found by fuzz/,
// proof_json: an account id no liabilities file can hold). So decoded strings are checked too.
Error InvalidEscape(std::string_view origin) {
  return Error{std::string(origin) + ": invalid UTF-8 in a JSON string (an unpaired surrogate \\u escape)"};
}

// Walks the parsed tree without recursion: enforces the depth limit and rejects duplicate keys.
Status CheckStructure(const JsonValue& root, std::string_view origin, int max_depth) {
  std::vector<std::pair<const JsonValue*, int>> stack{{&root, 1}};
  std::unordered_set<std::string_view> seen;
  while (!stack.empty()) {
    auto [value, depth] = stack.back();
    stack.pop_back();
    if (depth > max_depth) {
      return Error{std::string(origin) + ": JSON nested deeper than " + std::to_string(max_depth) + " levels"};
    }
    if (value->IsObject()) {
      seen.clear();
      for (const auto& member : value->GetObject()) {
        std::string_view key(member.name.GetString(), member.name.GetStringLength());
        if (!IsValidUtf8(key)) return InvalidEscape(origin);
        if (!seen.insert(key).second) {
          return Error{std::string(origin) + ": duplicate JSON key \"" + Printable(key) + "\""};
        }
        if (member.value.IsString() && !IsValidUtf8(StringOf(member.value))) return InvalidEscape(origin);
        if (member.value.IsObject() || member.value.IsArray()) stack.emplace_back(&member.value, depth + 1);
      }
    } else if (value->IsArray()) {
      for (const auto& element : value->GetArray()) {
        if (element.IsString() && !IsValidUtf8(StringOf(element))) return InvalidEscape(origin);
        if (element.IsObject() || element.IsArray()) stack.emplace_back(&element, depth + 1);
      }
    }
  }
  return Status::Ok();
}

const char* TypeName(const JsonValue& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "unknown";
}

// Every "format" segverify writes or reads, with what a person calls such a file.
struct KnownFormat {
  std::string_view format;
  std::string_view kind;
};
constexpr KnownFormat kKnownFormats[] = {
    {"segverify-root/1", "a root"},
    {"segverify-proof/1", "an inclusion proof"},
    {"segverify-report/1", "an attestation report"},
    {"segverify-attestation/1", "an attestation config"},
    {"segverify-public-attestation/1", "a published attestation"},
    {"segverify-tree/1", "a tree's metadata (tree.json)"},
    {"segverify-status/1", "a status file (status.json)"},
};

std::string KindOf(std::string_view format) {
  for (const KnownFormat& known : kKnownFormats) {
    if (known.format == format) return std::string(known.kind);
  }
  return "a file of format \"" + std::string(format) + "\"";
}

// Counts values with RapidJSON's streaming reader, without building anything; stops (as a parse
// error) at the first value over the limit.
class ValueCounter : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ValueCounter> {
 public:
  explicit ValueCounter(std::size_t limit) : limit_(limit) {}
  bool Default() { return ++count_ <= limit_; }
  bool StartObject() { return Default(); }
  bool StartArray() { return Default(); }
  bool EndObject(rapidjson::SizeType) { return true; }
  bool EndArray(rapidjson::SizeType) { return true; }
  bool Key(const char*, rapidjson::SizeType, bool) { return true; }
  bool over() const { return count_ > limit_; }

 private:
  std::size_t limit_;
  std::size_t count_ = 0;
};

}  // namespace

Result<std::unique_ptr<JsonDocument>> ParseJson(std::string_view text, std::string_view origin, JsonLimits limits) {
  if (text.size() > limits.max_bytes) {
    return Error{std::string(origin) + ": JSON larger than " + std::to_string(limits.max_bytes) + " bytes"};
  }
  // RapidJSON reads a NUL byte as the end of its input, so "{...}\0anything" would parse as
  // "{...}". No JSON text holds a raw NUL (JSON strings escape control characters, and between
  // tokens only whitespace is allowed): anything from the first NUL on is refused here, which
  // makes every reader strict about the end of its input.
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return Error{std::string(origin) + ": invalid JSON at byte " + std::to_string(nul) +
                 ": NUL byte (nothing may follow the JSON value)"};
  }
  {
    ValueCounter counter(kMaxJsonValues);
    rapidjson::Reader reader;
    rapidjson::MemoryStream stream(text.data(), text.size());
    reader.Parse<kParseFlags>(stream, counter);
    if (counter.over()) {
      return Error{std::string(origin) + ": JSON holds more than " + std::to_string(kMaxJsonValues) + " values"};
    }
  }
  auto doc = std::make_unique<JsonDocument>();
  doc->Parse<kParseFlags>(text.data(), text.size());
  if (doc->HasParseError()) {
    return Error{std::string(origin) + ": invalid JSON at byte " + std::to_string(doc->GetErrorOffset()) + ": " +
                 rapidjson::GetParseError_En(doc->GetParseError())};
  }
  if (Status s = CheckStructure(*doc, origin, limits.max_depth); !s) return s.error();
  return doc;
}

Result<std::unique_ptr<JsonDocument>> ParseJsonFile(const std::string& path, JsonLimits limits) {
  auto text = ReadFileLimited(path, limits.max_bytes);
  if (!text) return text.error();
  return ParseJson(*text, path, limits);
}

std::string JsonField(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string JsonIndex(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

JsonObjectReader::JsonObjectReader(const JsonValue& object, std::string origin, std::string path)
    : object_(object), origin_(std::move(origin)), path_(std::move(path)) {}

Error JsonObjectReader::FieldError(std::string_view key, std::string_view what) const {
  return Error{origin_ + ": " + JsonField(path_, key) + ": " + std::string(what)};
}

Error JsonObjectReader::ObjectError(std::string_view what) const {
  return Error{origin_ + ": " + (path_.empty() ? std::string("(top level)") : path_) + ": " + std::string(what)};
}

Status JsonObjectReader::CheckIsObject() const {
  if (!object_.IsObject()) return ObjectError(std::string("expected an object, found ") + TypeName(object_));
  return Status::Ok();
}

Status JsonObjectReader::CheckOnlyKeys(std::initializer_list<std::string_view> allowed) const {
  if (Status s = CheckIsObject(); !s) return s;
  for (const auto& member : object_.GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) return FieldError(key, "unknown field");
  }
  return Status::Ok();
}

Status JsonObjectReader::CheckFormat(std::string_view expected) const {
  const std::string wanted = KindOf(expected) + " (" + std::string(expected) + ")";
  if (!object_.IsObject()) {
    return Error{origin_ + " is not " + wanted + ": expected a JSON object, found " + TypeName(object_)};
  }
  auto it = object_.FindMember("format");
  if (it == object_.MemberEnd() || !it->value.IsString()) {
    return Error{origin_ + " is not " + wanted + ": it has no \"format\" field"};
  }
  const std::string_view format(it->value.GetString(), it->value.GetStringLength());
  if (format == expected) return Status::Ok();
  for (const KnownFormat& known : kKnownFormats) {
    if (known.format == format) {
      return Error{origin_ + " is " + std::string(known.kind) + " (" + std::string(format) + "), not " + wanted};
    }
  }
  return FieldError("format",
                    "unsupported format \"" + std::string(format) + "\" (expected " + std::string(expected) + ")");
}

bool JsonObjectReader::Has(std::string_view key) const {
  if (!object_.IsObject()) return false;
  return object_.FindMember(rapidjson::StringRef(key.data(), key.size())) != object_.MemberEnd();
}

Result<const JsonValue*> JsonObjectReader::Member(std::string_view key) const {
  if (!object_.IsObject()) return ObjectError(std::string("expected an object, found ") + TypeName(object_));
  auto it = object_.FindMember(rapidjson::StringRef(key.data(), key.size()));
  if (it == object_.MemberEnd()) return FieldError(key, "missing");
  return &it->value;
}

Result<std::string> JsonObjectReader::String(std::string_view key) const {
  auto v = Member(key);
  if (!v) return v.error();
  if (!(*v)->IsString()) return FieldError(key, std::string("expected a string, found ") + TypeName(**v));
  return std::string((*v)->GetString(), (*v)->GetStringLength());
}

Result<std::uint64_t> JsonObjectReader::Uint64(std::string_view key) const {
  auto v = Member(key);
  if (!v) return v.error();
  if (!(*v)->IsUint64()) {
    return FieldError(key, std::string("expected a non-negative integer, found ") + TypeName(**v));
  }
  return (*v)->GetUint64();
}

Result<bool> JsonObjectReader::Bool(std::string_view key) const {
  auto v = Member(key);
  if (!v) return v.error();
  if (!(*v)->IsBool()) return FieldError(key, std::string("expected true or false, found ") + TypeName(**v));
  return (*v)->GetBool();
}

Result<const JsonValue*> JsonObjectReader::Array(std::string_view key) const {
  auto v = Member(key);
  if (!v) return v.error();
  if (!(*v)->IsArray()) return FieldError(key, std::string("expected an array, found ") + TypeName(**v));
  return *v;
}

Result<const JsonValue*> JsonObjectReader::Object(std::string_view key) const {
  auto v = Member(key);
  if (!v) return v.error();
  if (!(*v)->IsObject()) return FieldError(key, std::string("expected an object, found ") + TypeName(**v));
  return *v;
}

std::string JsonToString(const JsonValue& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace segverify
