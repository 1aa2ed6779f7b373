#include "common/sha256.h"

#include <crypto++/hmac.h>
#include <crypto++/sha.h>

namespace segverify {
namespace {

std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

struct Sha256Hasher::Impl {
  CryptoPP::SHA256 sha;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {}
Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

Sha256Hasher& Sha256Hasher::Update(std::span<const std::uint8_t> data) {
  impl_->sha.Update(data.data(), data.size());
  return *this;
}
Sha256Hasher& Sha256Hasher::Update(std::string_view data) { return Update(AsBytes(data)); }
Sha256Hasher& Sha256Hasher::Update(std::uint8_t byte) {
  impl_->sha.Update(&byte, 1);
  return *this;
}
Hash256 Sha256Hasher::Final() {
  Hash256 out;
  impl_->sha.Final(out.data());
  return out;
}

Hash256 Sha256(std::span<const std::uint8_t> data) {
  Hash256 out;
  CryptoPP::SHA256().CalculateDigest(out.data(), data.data(), data.size());
  return out;
}
Hash256 Sha256(std::string_view data) { return Sha256(AsBytes(data)); }

struct HmacSha256::Impl {
  CryptoPP::HMAC<CryptoPP::SHA256> hmac;
};

HmacSha256::HmacSha256(std::span<const std::uint8_t> key) : impl_(std::make_unique<Impl>()) {
  impl_->hmac.SetKey(key.data(), key.size());
}
HmacSha256::~HmacSha256() = default;
HmacSha256::HmacSha256(HmacSha256&&) noexcept = default;
HmacSha256& HmacSha256::operator=(HmacSha256&&) noexcept = default;

Hash256 HmacSha256::Mac(std::span<const std::uint8_t> message) {
  Hash256 out;
  impl_->hmac.CalculateDigest(out.data(), message.data(), message.size());
  return out;
}
Hash256 HmacSha256::Mac(std::string_view message) { return Mac(AsBytes(message)); }

}  // namespace segverify
