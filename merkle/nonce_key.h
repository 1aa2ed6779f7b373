// Where a tree's nonce key comes from: a file or the environment (SEGVERIFY_NONCE_KEY), so that
// it never sits on a command line, where any user of the machine can read it with `ps`.
// The key itself is never echoed in a message.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify::merkle {

using NonceKey = std::array<std::uint8_t, 32>;

inline constexpr const char* kNonceKeyVariable = "SEGVERIFY_NONCE_KEY";

// 64 hex characters; whitespace around them (a line end included) is ignored. `origin` names
// where the text came from in errors.
[[nodiscard]] Result<NonceKey> ParseNonceKey(std::string_view text, std::string_view origin);

// The key in `file` (its first line) when a file is given, else the one in SEGVERIFY_NONCE_KEY
// when that is set and not empty, else none (random nonces).
[[nodiscard]] Result<std::optional<NonceKey>> LoadNonceKey(const std::string& file);

}  // namespace segverify::merkle
