// SHA-256 and HMAC-SHA256 over Crypto++ (which uses SHA-NI when the CPU has it).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace segverify {

using Hash256 = std::array<std::uint8_t, 32>;

Hash256 Sha256(std::span<const std::uint8_t> data);
Hash256 Sha256(std::string_view data);

// Incremental SHA-256. Reusable: Final() resets it for the next message.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;

  Sha256Hasher& Update(std::span<const std::uint8_t> data);
  Sha256Hasher& Update(std::string_view data);
  Sha256Hasher& Update(std::uint8_t byte);
  Hash256 Final();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// HMAC-SHA256 keyed once, used for many messages.
class HmacSha256 {
 public:
  explicit HmacSha256(std::span<const std::uint8_t> key);
  ~HmacSha256();
  HmacSha256(HmacSha256&&) noexcept;
  HmacSha256& operator=(HmacSha256&&) noexcept;

  Hash256 Mac(std::span<const std::uint8_t> message);
  Hash256 Mac(std::string_view message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace segverify
