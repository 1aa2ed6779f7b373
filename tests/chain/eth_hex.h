// Hex of Ethereum test vectors ("0x…") as bytes, failing the test on anything else.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "common/hex.h"
#include "verifier/chain/eip191.h"

namespace segverify::chain {

inline Bytes EthHex(const std::string& text) {
  auto bytes = DecodeEthereumHex(text);
  EXPECT_TRUE(bytes) << text;
  return bytes ? *bytes : Bytes{};
}

}  // namespace segverify::chain
