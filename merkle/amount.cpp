#include "merkle/amount.h"

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

u128 Pow10(int n) {
  u128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

}  // namespace

std::string AmountErrorText(AmountError error, int decimals) {
  switch (error) {
    case AmountError::kEmpty: return "empty amount";
    case AmountError::kNegative: return "negative amount";
    case AmountError::kSign: return "sign not allowed in amount";
    case AmountError::kExponent: return "exponent not allowed in amount";
    case AmountError::kSeparator: return "separators not allowed in amount";
    case AmountError::kTooManyDecimals:
      return "too many decimals (at most " + std::to_string(decimals) + " for this asset)";
    case AmountError::kNotANumber: return "not a number";
    case AmountError::kOverflow: return "amount exceeds 2^128-1 base units";
  }
  return "bad amount";
}

AmountParse ParseAmountText(std::string_view text, int decimals) {
  AmountParse out;
  if (text.empty()) {
    out.error = AmountError::kEmpty;
    return out;
  }
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  bool plain = !whole.empty() && (dot == std::string_view::npos || !fraction.empty());
  for (char c : whole) plain = plain && IsDigit(c);
  for (char c : fraction) plain = plain && IsDigit(c);
  if (!plain) {
    out.error = Classify(text);
    return out;
  }
  if (fraction.size() > static_cast<std::size_t>(decimals)) {
    out.error = AmountError::kTooManyDecimals;
    return out;
  }
  u128 value = 0;
  auto append_digit = [&value](char c) {
    auto times10 = CheckedMul(value, 10);
    if (!times10) return false;
    auto sum = CheckedAdd(*times10, static_cast<u128>(c - '0'));
    if (!sum) return false;
    value = *sum;
    return true;
  };
  bool fits = true;
  for (char c : whole) fits = fits && append_digit(c);
  for (char c : fraction) fits = fits && append_digit(c);
  if (fits) {
    auto scaled = CheckedMul(value, Pow10(decimals - static_cast<int>(fraction.size())));
    fits = scaled.has_value();
    if (fits) value = *scaled;
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

std::string FormatAmount(u128 base_units, int decimals) {
  std::string digits = U128ToDecimal(base_units);
  if (decimals == 0) return digits;
  const std::size_t d = static_cast<std::size_t>(decimals);
  if (digits.size() <= d) digits.insert(0, d + 1 - digits.size(), '0');
  std::string whole = digits.substr(0, digits.size() - d);
  std::string fraction = digits.substr(digits.size() - d);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? whole : whole + "." + fraction;
}

}  // namespace segverify::merkle
