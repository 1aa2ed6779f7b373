// Exit codes shared by every command (docs/FORMAT.md §9).
#pragma once

#include <iostream>
#include <string_view>

#include "common/printable.h"

namespace segverify::cli {

inline constexpr int kExitHolds = 0;        // PASS / valid
inline constexpr int kExitDoesNotHold = 1;  // checked, and it does not hold (FAIL / invalid)
inline constexpr int kExitCannotCheck = 2;  // usage, unreadable/malformed input, node unreachable

// Prints "segverify: error: <message>" on stderr and returns kExitCannotCheck. Messages quote
// untrusted text (file contents, JSON keys, node answers): the line is made printable here, once,
// so no caller can forget (common/printable.h).
inline int ReportError(std::string_view message) {
  std::cerr << "segverify: error: " << Printable(message) << '\n';
  return kExitCannotCheck;
}

}  // namespace segverify::cli
