// Fuzz entry for the address decoders (`address inspect`, config addresses, signature checks).
#include "fuzz/entries/fuzz_entries.h"
#include "fuzz/entries/fuzz_support.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"

namespace segverify::fuzz {

void FuzzAddress(FuzzInput data) {
  const std::string_view text = AsText(data);
  if (auto bitcoin = chain::DecodeBitcoinAddress(text)) {
    auto again = chain::DecodeBitcoinAddress(bitcoin->canonical);
    FuzzRequire(again.ok() && *again == *bitcoin, "canonical bitcoin address does not re-decode to itself");
    if (bitcoin->type != chain::BitcoinAddressType::kWitnessUnknown) {
      auto encoded = chain::EncodeBitcoinAddress(bitcoin->network, bitcoin->type, bitcoin->program);
      FuzzRequire(encoded.ok() && *encoded == bitcoin->canonical, "re-encoding differs from the canonical form");
    }
    FuzzRequire(bitcoin->canonical.size() == text.size(), "canonical form has another length");
  }
  if (auto ethereum = chain::DecodeEthereumAddress(text)) {
    FuzzRequire(ethereum->canonical == chain::ToEip55(ethereum->bytes), "canonical is not EIP-55");
    auto again = chain::DecodeEthereumAddress(ethereum->canonical);
    FuzzRequire(again.ok() && *again == *ethereum, "EIP-55 form does not re-decode to itself");
  }
}

}  // namespace segverify::fuzz
