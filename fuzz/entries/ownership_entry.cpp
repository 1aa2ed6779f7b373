// Fuzz entry for ownership proofs.
//
// Input layout: byte 0 picks the chain (bit 0: 0 bitcoin, 1 ethereum) and the proof type
// (bits 1-3: 0 detect, 1 bip137, 2 bip322, 3 eip191, 4 erc1271, other: detect); the rest is
// "address \0 signature \0 witness-script-hex \0 message" (missing parts are empty; the message
// is everything after the third NUL, so it may hold NULs itself). ERC-1271 calls are answered
// by a scripted node that returns the magic value only for a fixed contract address.
#include "clients/ethereum_client.h"
#include "common/hex.h"
#include "fuzz/entries/fuzz_entries.h"
#include "fuzz/entries/fuzz_support.h"
#include "verifier/chain/ownership.h"

namespace segverify::fuzz {
namespace {

std::optional<chain::ProofType> TypeFromByte(std::uint8_t selector) {
  switch ((selector >> 1) & 7) {
    case 1:
      return chain::ProofType::kBip137;
    case 2:
      return chain::ProofType::kBip322;
    case 3:
      return chain::ProofType::kEip191;
    case 4:
      return chain::ProofType::kErc1271;
    default:
      return std::nullopt;
  }
}

Result<EthCallResult> ScriptedEthCall(const std::array<std::uint8_t, 20>& to, const Bytes&, std::uint64_t) {
  if (to[0] == 0xee) return Error{"scripted node: unreachable"};
  EthCallResult result;
  result.data.assign(32, 0);
  if (to[0] == 0x16) std::copy(chain::kErc1271MagicValue.begin(), chain::kErc1271MagicValue.end(), result.data.begin());
  return result;
}

}  // namespace

void FuzzOwnership(FuzzInput data) {
  if (data.empty()) return;
  const std::uint8_t selector = data[0];
  const std::string_view rest = AsText(data.subspan(1));
  chain::OwnershipClaim claim;
  claim.chain = (selector & 1) ? Chain::kEthereum : Chain::kBitcoin;
  claim.type = TypeFromByte(selector);
  std::size_t start = 0;
  std::string_view parts[3];
  for (auto& part : parts) {
    std::size_t end = rest.find('\0', start);
    if (end == std::string_view::npos) end = rest.size();
    part = rest.substr(std::min(start, rest.size()), end - std::min(start, rest.size()));
    start = end + 1;
  }
  claim.address = std::string(parts[0]);
  claim.signature = std::string(parts[1]);
  if (!parts[2].empty()) {
    if (auto script = FromHex(parts[2])) claim.witness_script = std::move(*script);
  }
  claim.message = start < rest.size() ? std::string(rest.substr(start)) : std::string();
  claim.eth_call = ScriptedEthCall;
  claim.block = 1;

  const chain::OwnershipResult result = chain::VerifyOwnership(claim);
  FuzzRequire(!result.reason.empty(), "verdict without a reason");
  if (result.verdict != chain::OwnershipVerdict::kValid) {
    FuzzRequire(result.signer_keys.empty(), "signer keys on a verdict that is not valid");
  }
  for (const auto& key : result.signer_keys) {
    FuzzRequire(key.size() == 32 || key.size() == 33 || key.size() == 65, "signer key size");
  }
}

}  // namespace segverify::fuzz
