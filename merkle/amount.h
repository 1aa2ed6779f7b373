// Amounts: unsigned integers in an asset's smallest unit, at most 2^128-1 (docs/FORMAT.md §1).
//
// This is the one place where amount text and integers are converted. Text is a decimal in whole
// units with at most `decimals` fractional digits: "15", "0.00012". No sign, exponent, separators
// or surrounding spaces. Leading zeros are accepted on input ("007" = 7); output is canonical (no
// leading zeros, no trailing fractional zeros, no trailing dot, "0" for zero).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/u128.h"

namespace segverify::merkle {

// Why an amount text was refused; each has its own message (AmountErrorText).
enum class AmountError {
  kEmpty,
  kNegative,
  kSign,
  kExponent,
  kSeparator,
  kTooManyDecimals,
  kNotANumber,
  kOverflow,
};

std::string AmountErrorText(AmountError error, int decimals);

struct AmountParse {
  bool ok = false;
  u128 value = 0;
  AmountError error = AmountError::kNotANumber;
};

// Parses `text` into base units. decimals must be 0..38.
AmountParse ParseAmountText(std::string_view text, int decimals);

// As above, with the error as text: "<what>: negative amount \"-1\"".
[[nodiscard]] Result<u128> ParseAmount(std::string_view text, int decimals, std::string_view what);

// Canonical text of `base_units` in whole units.
std::string FormatAmount(u128 base_units, int decimals);
// The same text appended to `out` (no allocation once `out` has room: exports format millions).
void AppendAmount(std::string& out, u128 base_units, int decimals);

}  // namespace segverify::merkle
