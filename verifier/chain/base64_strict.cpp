#include "verifier/chain/base64_strict.h"

#include <crypto++/base64.h>
#include <crypto++/filters.h>

#include <exception>

#include "common/base64.h"

namespace segverify::chain {
namespace {

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

std::string EncodeBase64(const Bytes& bytes) {
  return ToBase64(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Result<Bytes> DecodeBase64Strict(std::string_view text) {
  if (text.size() % 4 != 0) return Error{"invalid base64: length is not a multiple of 4"};
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    if (!IsBase64Char(text[i])) return Error{"invalid base64: unexpected character at offset " + std::to_string(i)};
  }
  Bytes out;
  try {
    std::string decoded;
    CryptoPP::StringSource source(reinterpret_cast<const CryptoPP::byte*>(text.data()), text.size(), true,
                                  new CryptoPP::Base64Decoder(new CryptoPP::StringSink(decoded)));
    out.assign(decoded.begin(), decoded.end());
  } catch (const std::exception& e) {
    return Error{std::string("invalid base64: ") + e.what()};
  }
  // Non-zero unused bits in the last group make a second text for the same bytes: not canonical.
  if (EncodeBase64(out) != text) return Error{"invalid base64: not the canonical encoding (unused bits set)"};
  return out;
}

}  // namespace segverify::chain
