#include "verifier/chain/ownership_result.h"

namespace segverify::chain {

std::string_view ToString(OwnershipVerdict verdict) {
  switch (verdict) {
    case OwnershipVerdict::kValid:
      return "valid";
    case OwnershipVerdict::kInvalid:
      return "invalid";
    case OwnershipVerdict::kUnsupported:
      return "unsupported";
    case OwnershipVerdict::kMalformed:
      return "malformed";
    case OwnershipVerdict::kCannotCheck:
      return "cannot-check";
    case OwnershipVerdict::kInternalError:
      return "internal-error";
  }
  return "invalid";
}

}  // namespace segverify::chain
