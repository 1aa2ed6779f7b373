#include "verifier/chain/multisig_script.h"

#include <algorithm>
#include <string>

#include "common/hashes.h"
#include "common/sha256.h"
#include "verifier/chain/opcodes.h"
#include "verifier/chain/signature_checks.h"

namespace segverify::chain {
namespace {

constexpr std::size_t kCompressedKeySize = 33;
constexpr std::size_t kUncompressedKeySize = 65;

Status CheckPublicKey(std::span<const std::uint8_t> key, std::size_t index) {
  if (!IsValidPublicKey(key)) {
    return Error{"key " + std::to_string(index + 1) + " is not a valid secp256k1 public key"};
  }
  return Status::Ok();
}

// Reads a key push at script[pos] (a direct push of 33 or 65 bytes — the only minimal encodings
// of keys), validates the key, appends it to `keys` and advances `pos`.
Status ReadKeyPush(std::span<const std::uint8_t> script, std::size_t& pos, std::vector<Bytes>& keys) {
  const std::size_t index = keys.size();
  const std::uint8_t push = script[pos];
  if (push != kCompressedKeySize && push != kUncompressedKeySize) {
    return Error{"script item " + std::to_string(index + 2) +
                 " is not a direct push of a 33- or 65-byte public key (opcode 0x" +
                 ToHex(std::span<const std::uint8_t>(&push, 1)) + ")"};
  }
  if (script.size() - pos - 1 < push) return Error{"script ends inside key " + std::to_string(index + 1)};
  const auto key = script.subspan(pos + 1, push);
  if (auto s = CheckPublicKey(key, index); !s) return s;
  keys.emplace_back(key.begin(), key.end());
  pos += 1 + push;
  return Status::Ok();
}

Result<MultisigPolicy> ParseSingleKeyScript(std::span<const std::uint8_t> script) {
  std::vector<Bytes> keys;
  std::size_t pos = 0;
  if (auto s = ReadKeyPush(script, pos, keys); !s) return s.error();
  if (pos + 1 != script.size() || script[pos] != kOpCheckSig) {
    return Error{"unsupported script form (not <key> OP_CHECKSIG)"};
  }
  return MultisigPolicy{1, std::move(keys)};
}

}  // namespace

Result<MultisigPolicy> ParseMultisigScript(std::span<const std::uint8_t> script) {
  // Smallest: OP_1 <33> OP_1 OP_CHECKMULTISIG.
  if (script.size() < 3 + 1 + kCompressedKeySize) return Error{"script too short for m-of-n multisig"};
  if (!IsSmallIntegerOpcode(script[0])) return Error{"multisig script must start with OP_1..OP_16 (the threshold)"};
  if (script.back() != kOpCheckMultisig) return Error{"multisig script must end with OP_CHECKMULTISIG"};
  const int threshold = SmallIntegerValue(script[0]);

  MultisigPolicy policy;
  policy.threshold = threshold;
  const std::size_t end = script.size() - 2;  // position of OP_n
  std::size_t pos = 1;
  while (pos < end) {
    if (auto s = ReadKeyPush(script, pos, policy.keys); !s) return s.error();
  }
  if (pos != end) return Error{"multisig script: key pushes run into OP_n"};
  if (!IsSmallIntegerOpcode(script[end]))
    return Error{"multisig script must have OP_1..OP_16 (the key count) before OP_CHECKMULTISIG"};
  const int declared = SmallIntegerValue(script[end]);
  if (static_cast<std::size_t>(declared) != policy.keys.size()) {
    return Error{"multisig script declares " + std::to_string(declared) + " keys but pushes " +
                 std::to_string(policy.keys.size())};
  }
  if (threshold > declared) {
    return Error{"multisig threshold " + std::to_string(threshold) + " exceeds key count " + std::to_string(declared)};
  }
  return policy;
}

Result<MultisigPolicy> KeysInScript(std::span<const std::uint8_t> script) {
  if (script.empty()) return Error{"empty script"};
  if (IsSmallIntegerOpcode(script[0])) return ParseMultisigScript(script);
  return ParseSingleKeyScript(script);
}

Result<ScriptMatch> CheckScriptMatchesAddress(const chain::BitcoinAddress& address,
                                              std::span<const std::uint8_t> script) {
  auto same = [&](std::span<const std::uint8_t> hash) {
    return std::equal(hash.begin(), hash.end(), address.program.begin(), address.program.end());
  };
  switch (address.type) {
    case chain::BitcoinAddressType::kP2wsh: {
      return same(Sha256(script)) ? ScriptMatch::kMatches : ScriptMatch::kMismatch;
    }
    case chain::BitcoinAddressType::kP2sh: {
      if (same(Hash160(script))) return ScriptMatch::kMatches;
      // P2SH-P2WSH: the redeem script is OP_0 <SHA256(witness script)>.
      const Hash256 witness_hash = Sha256(script);
      const Bytes redeem = chain::WitnessScript(0, witness_hash);
      return same(Hash160(redeem)) ? ScriptMatch::kMatches : ScriptMatch::kMismatch;
    }
    default:
      break;
  }
  return Error{"a script can only be checked against a p2wsh or p2sh address, not " +
               std::string(chain::ToString(address.type))};
}

}  // namespace segverify::chain
