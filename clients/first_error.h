// FirstError: the first failed Result of a group of reads (e.g. the fields of one JSON object),
// so a block of checked reads ends in one test instead of one `if` per field.
#pragma once

#include <optional>

#include "common/result.h"

namespace segverify::clients {

template <typename... Results>
std::optional<Error> FirstError(const Results&... results) {
  std::optional<Error> first;
  ((first || results.ok() ? void() : void(first = results.error())), ...);
  return first;
}

}  // namespace segverify::clients
