#include "merkle/amount.h"

#include <array>
#include <cstdint>

#include "merkle/asset.h"

namespace segverify::merkle {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Classifies text that is not plain digits[.digits], so the message says what is wrong.
AmountError Classify(std::string_view text) {
  if (text.front() == '-') return AmountError::kNegative;
  if (text.front() == '+') return AmountError::kSign;
  bool has_digit = false;
  for (char c : text) has_digit = has_digit || IsDigit(c);
  for (char c : text) {
    if ((c == 'e' || c == 'E') && has_digit) return AmountError::kExponent;
    if (c == ',' || c == '_' || c == ' ' || c == '\'' || c == '\t') return AmountError::kSeparator;
  }
  return AmountError::kNotANumber;
}

// value = value * factor + addend, factor < 2^64; false (value unspecified) when the result
// passes 2^128-1. Two 64x64-bit products instead of a checked 128-bit multiply (a library call
// that dominated parsing the ~80 amounts of every proof).
bool MultiplyAdd(u128& value, std::uint64_t factor, std::uint64_t addend) {
  const u128 low = u128{static_cast<std::uint64_t>(value)} * factor;
  const u128 high = u128{static_cast<std::uint64_t>(value >> 64)} * factor;
  if ((high >> 64) != 0) return false;
  const u128 product = low + (high << 64);
  if (product < low) return false;
  return !__builtin_add_overflow(product, u128{addend}, &value);
}

// 10^n for n in 0..19 (10^19 < 2^64).
std::uint64_t Pow10(int n) {
  static constexpr auto kPowers = [] {
    std::array<std::uint64_t, 20> powers{};
    powers[0] = 1;
    for (std::size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
    return powers;
  }();
  return kPowers[static_cast<std::size_t>(n)];
}

}  // namespace

std::string AmountErrorText(AmountError error, int decimals) {
  switch (error) {
    case AmountError::kEmpty:
      return "empty amount";
    case AmountError::kNegative:
      return "negative amount";
    case AmountError::kSign:
      return "sign not allowed in amount";
    case AmountError::kExponent:
      return "exponent not allowed in amount";
    case AmountError::kSeparator:
      return "separators not allowed in amount";
    case AmountError::kTooManyDecimals:
      return "too many decimals (at most " + std::to_string(decimals) + " for this asset)";
    case AmountError::kNotANumber:
      return "not a number";
    case AmountError::kOverflow:
      return "amount exceeds 2^128-1 base units";
  }
  return "bad amount";
}

AmountParse ParseAmountText(std::string_view text, int decimals) {
  AmountParse out;
  if (text.empty()) {
    out.error = AmountError::kEmpty;
    return out;
  }
  // Shape first (digits[.digits], two tight loops), then the value.
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin;
  while (p != end && IsDigit(*p)) ++p;
  const std::size_t whole_digits = static_cast<std::size_t>(p - begin);
  const char* fraction = end;
  std::size_t fraction_digits = 0;
  const bool dot = p != end && *p == '.';
  if (dot) {
    fraction = ++p;
    while (p != end && IsDigit(*p)) ++p;
    fraction_digits = static_cast<std::size_t>(p - fraction);
  }
  if (p != end || whole_digits == 0 || (dot && fraction_digits == 0)) {
    out.error = Classify(text);
    return out;
  }
  if (fraction_digits > static_cast<std::size_t>(decimals)) {
    out.error = AmountError::kTooManyDecimals;
    return out;
  }
  // Significant digits (leading zeros skipped), 19 at a time in 64-bit arithmetic, folded into
  // the 128-bit value with an overflow check (a checked 128-bit multiply per digit costs a division).
  u128 value = 0;
  std::uint64_t chunk = 0;
  int chunk_digits = 0;
  bool significant = false, fits = true;
  const char* const dot_at = dot ? fraction - 1 : nullptr;
  for (const char* q = begin; q != end; ++q) {
    if (q == dot_at) continue;
    if (!significant && *q == '0') continue;
    significant = true;
    chunk = chunk * 10 + static_cast<unsigned>(*q - '0');
    if (++chunk_digits == 19) {
      fits = fits && MultiplyAdd(value, Pow10(19), chunk);
      chunk = 0;
      chunk_digits = 0;
    }
  }
  fits = fits && MultiplyAdd(value, Pow10(chunk_digits), chunk);
  // Scale to base units: up to kMaxDecimals (38) zeros, at most 19 per step.
  for (int zeros = decimals - static_cast<int>(fraction_digits); fits && zeros > 0; zeros -= 19) {
    fits = MultiplyAdd(value, Pow10(zeros > 19 ? 19 : zeros), 0);
  }
  if (!fits) {
    out.error = AmountError::kOverflow;
    return out;
  }
  out.ok = true;
  out.value = value;
  return out;
}

Result<u128> ParseAmount(std::string_view text, int decimals, std::string_view what) {
  const AmountParse parsed = ParseAmountText(text, decimals);
  if (!parsed.ok) {
    return Error{std::string(what) + ": " + AmountErrorText(parsed.error, decimals) + " \"" + std::string(text) + "\""};
  }
  return parsed.value;
}

namespace {

// Decimal digits of `v` into the end of `buffer` (40 bytes); returns where they start.
char* DecimalDigits(u128 v, char* end) {
  char* p = end;
  // 19-digit chunks by 64-bit arithmetic: a 128-bit division is a library call, paid at most twice.
  constexpr std::uint64_t kChunk = 10000000000000000000ULL;  // 10^19
  while (v > ~std::uint64_t{0}) {
    std::uint64_t chunk = static_cast<std::uint64_t>(v % kChunk);
    v /= kChunk;
    for (int i = 0; i < 19; ++i) {
      *--p = static_cast<char>('0' + chunk % 10);
      chunk /= 10;
    }
  }
  auto rest = static_cast<std::uint64_t>(v);
  do {
    *--p = static_cast<char>('0' + rest % 10);
    rest /= 10;
  } while (rest != 0);
  return p;
}

}  // namespace

void AppendAmount(std::string& out, u128 base_units, int decimals) {
  char buffer[80];
  char* const end = buffer + sizeof buffer;
  char* digits = DecimalDigits(base_units, end);
  const auto d = static_cast<std::size_t>(decimals);
  if (d == 0) {
    out.append(digits, end);
    return;
  }
  while (static_cast<std::size_t>(end - digits) <= d) *--digits = '0';  // at least one whole digit
  char* const point = end - d;
  char* fraction_end = end;
  while (fraction_end > point && fraction_end[-1] == '0') --fraction_end;
  out.append(digits, point);
  if (fraction_end != point) {
    out.push_back('.');
    out.append(point, fraction_end);
  }
}

std::string FormatAmount(u128 base_units, int decimals) {
  std::string out;
  AppendAmount(out, base_units, decimals);
  return out;
}

}  // namespace segverify::merkle
