#include "verifier/chain/safe_signature.h"

#include <algorithm>
#include <array>
#include <string>

#include "common/hashes.h"
#include "verifier/chain/eip191.h"
#include "verifier/chain/ethereum_key.h"
#include "verifier/chain/signature_checks.h"

namespace segverify::chain {
namespace {

constexpr std::size_t kSignatureSize = 65;
constexpr EthAddress kSentinel{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

void Append(Bytes& out, std::span<const std::uint8_t> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

OwnershipResult NotSigned(std::string reason) {
  OwnershipResult result;
  result.verdict = OwnershipVerdict::kInvalid;
  result.reason = "the Safe's owners did not sign: " + std::move(reason);
  return result;
}

}  // namespace

Hash256 SafeMessageHash(const EthAddress& safe, std::uint64_t chain_id, const Hash256& hash) {
  Bytes domain;
  Append(domain, Keccak256(std::string_view("EIP712Domain(uint256 chainId,address verifyingContract)")));
  AppendAbiUintWord(domain, chain_id);
  AppendAbiAddressWord(domain, safe);
  Bytes message_struct;
  Append(message_struct, Keccak256(std::string_view("SafeMessage(bytes message)")));
  Append(message_struct, Keccak256(hash));  // keccak256(abi.encode(hash)): the 32 bytes themselves
  Bytes typed{0x19, 0x01};
  Append(typed, Keccak256(domain));
  Append(typed, Keccak256(message_struct));
  return Keccak256(typed);
}

std::optional<OwnershipResult> VerifySafeSignature(const EthAddress& safe, std::uint64_t chain_id,
                                                   std::string_view message, std::span<const std::uint8_t> signature,
                                                   const std::vector<EthAddress>& owners, std::uint64_t threshold) {
  if (signature.empty()) return std::nullopt;  // signedMessages: a storage fact, not a signature
  if (threshold == 0) return NotSigned("the Safe has no threshold (it was never set up)");
  if (threshold > signature.size() / kSignatureSize) {
    return NotSigned(std::to_string(signature.size()) + " bytes hold fewer than the threshold's " +
                     std::to_string(threshold) + " signatures");
  }
  const Hash256 data_hash = Eip191MessageHash(message);
  const Hash256 safe_hash = SafeMessageHash(safe, chain_id, data_hash);
  // eth_sign signatures sign the EIP-191 hash of the 32-byte Safe message hash.
  const Hash256 eth_sign_hash =
      Eip191MessageHash(std::string_view(reinterpret_cast<const char*>(safe_hash.data()), safe_hash.size()));
  EthAddress last{};
  for (std::uint64_t i = 0; i < threshold; ++i) {
    const auto one = signature.subspan(static_cast<std::size_t>(i) * kSignatureSize, kSignatureSize);
    const std::uint8_t v = one[64];
    if (v == 0 || v == 1) return std::nullopt;  // a contract signature or an approved hash
    const bool eth_sign = v > 30;
    const int recovery = (eth_sign ? v - 4 : v) - 27;
    const std::string which = "signature " + std::to_string(i + 1);
    if (recovery != 0 && recovery != 1) return NotSigned(which + " has v " + std::to_string(v));
    auto key = RecoverPublicKey(eth_sign ? eth_sign_hash : safe_hash, one.first<64>(), recovery);
    if (!key) return NotSigned(which + " recovers no key");
    auto signer = EthereumAddressOfKey(key->uncompressed);
    if (!signer) return NotSigned(which + " recovers no key");
    if (*signer == kSentinel || std::find(owners.begin(), owners.end(), *signer) == owners.end()) {
      return NotSigned(which + " is by " + EthAddressToLowerHex(*signer) + ", not an owner");
    }
    if (!(last < *signer)) return NotSigned(which + ": signers are not in ascending order");
    last = *signer;
  }
  OwnershipResult result;
  result.verdict = OwnershipVerdict::kValid;
  result.reason = "ERC-1271 of a Safe: " + std::to_string(threshold) + " owner signature(s) checked against its " +
                  std::to_string(owners.size()) + " proven owners";
  return result;
}

}  // namespace segverify::chain
