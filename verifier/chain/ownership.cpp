#include "verifier/chain/ownership.h"

#include <array>
#include <exception>
#include <string>
#include <utility>

#include "common/enum_names.h"
#include "verifier/chain/base64_strict.h"
#include "verifier/chain/bip137.h"
#include "verifier/chain/bip322.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/eip191.h"
#include "verifier/chain/ethereum_address.h"

namespace segverify::chain {
namespace {

// The proof types' names (the config's `proof.type`, report.json's `proof`).
constexpr std::array<std::pair<ProofType, std::string_view>, 4> kProofTypeNames = {{
    {ProofType::kBip137, "bip137"},
    {ProofType::kBip322, "bip322"},
    {ProofType::kEip191, "eip191"},
    {ProofType::kErc1271, "erc1271"},
}};

bool LooksLikeBip137(const chain::BitcoinAddress& address, std::string_view signature) {
  using chain::BitcoinAddressType;
  if (address.type != BitcoinAddressType::kP2pkh && address.type != BitcoinAddressType::kP2sh &&
      address.type != BitcoinAddressType::kP2wpkh) {
    return false;
  }
  auto bytes = DecodeBase64Strict(signature);
  return bytes && bytes->size() == 65 && IsBip137Header((*bytes)[0]);
}

OwnershipResult VerifyBitcoin(const OwnershipClaim& claim) {
  auto address = chain::DecodeBitcoinAddress(claim.address);
  if (!address) return Malformed("address " + claim.address + ": " + address.error().message);
  const ProofType type =
      claim.type.value_or(LooksLikeBip137(*address, claim.signature) ? ProofType::kBip137 : ProofType::kBip322);
  switch (type) {
    case ProofType::kBip137:
      return VerifyBip137(*address, claim.message, claim.signature);
    case ProofType::kBip322:
      return VerifyBip322(*address, claim.message, claim.signature, claim.witness_script);
    default:
      return Malformed("proof type " + std::string(ToString(type)) + " is not a Bitcoin proof type");
  }
}

OwnershipResult VerifyContract(const chain::EthereumAddress& address, const OwnershipClaim& claim) {
  if (!claim.block) return CannotCheck("ERC-1271 needs the pinned block number");
  return VerifyErc1271(address, claim.message, claim.signature, claim.eth_call, *claim.block);
}

// Whether the address's code (when known) allows the proof type at all.
std::optional<OwnershipResult> CodeRulesOut(const OwnershipClaim& claim, ProofType type) {
  if (!claim.has_code) return std::nullopt;
  const std::string at = claim.block ? " at block " + std::to_string(*claim.block) : "";
  if (type == ProofType::kEip191 && *claim.has_code) {
    return Invalid("the address has code" + at + ": a contract proves ownership with ERC-1271, not EIP-191");
  }
  if (type == ProofType::kErc1271 && !*claim.has_code) {
    return Invalid("the address has no code" + at + ": nothing there can answer ERC-1271 isValidSignature");
  }
  return std::nullopt;
}

OwnershipResult VerifyTyped(const chain::EthereumAddress& address, const OwnershipClaim& claim, ProofType type) {
  if (auto ruled_out = CodeRulesOut(claim, type)) return *ruled_out;
  return type == ProofType::kEip191 ? VerifyEip191(address, claim.message, claim.signature)
                                    : VerifyContract(address, claim);
}

OwnershipResult VerifyEthereum(const OwnershipClaim& claim) {
  auto address = chain::DecodeEthereumAddress(claim.address);
  if (!address) return Malformed("address " + claim.address + ": " + address.error().message);
  if (claim.type == ProofType::kEip191 || claim.type == ProofType::kErc1271) {
    return VerifyTyped(*address, claim, *claim.type);
  }
  if (claim.type) {
    return Malformed("proof type " + std::string(ToString(*claim.type)) + " is not an Ethereum proof type");
  }
  if (claim.has_code) return VerifyTyped(*address, claim, *claim.has_code ? ProofType::kErc1271 : ProofType::kEip191);

  auto bytes = DecodeEthereumHex(claim.signature);
  if (!bytes) return Malformed("signature: " + bytes.error().message);
  if (bytes->size() == 65) {
    OwnershipResult eoa = VerifyEip191(*address, claim.message, claim.signature);
    if (eoa.ok()) return eoa;
    if (!claim.eth_call) {
      return CannotCheck(eoa.reason + "; the address may be a contract wallet, which only a node can ask: " +
                         "this needs a node (--rpc URL --block N)");
    }
    OwnershipResult contract = VerifyContract(*address, claim);
    if (contract.ok() || contract.verdict == OwnershipVerdict::kCannotCheck) return contract;
    return Invalid(eoa.reason + "; as ERC-1271: " + contract.reason);
  }
  if (!claim.eth_call) {
    return CannotCheck("a " + std::to_string(bytes->size()) +
                       "-byte signature is not EIP-191: a contract wallet's, which needs a node (--rpc URL --block N)");
  }
  return VerifyContract(*address, claim);
}

}  // namespace

std::string_view ToString(ProofType type) { return NameIn(kProofTypeNames, type, "unknown"); }

Result<ProofType> ParseProofType(std::string_view text) {
  if (auto type = ValueNamed<ProofType>(kProofTypeNames, text)) return *type;
  return Error{"unknown proof type '" + std::string(text) + "' (expected bip137, bip322, eip191 or erc1271)"};
}

OwnershipResult VerifyOwnership(const OwnershipClaim& claim) {
  // Nothing below throws by design; the catch keeps a library bug (e.g. bad_alloc on a huge input)
  // from crossing the library boundary, and it can only ever produce a non-valid verdict.
  try {
    return claim.chain == Chain::kBitcoin ? VerifyBitcoin(claim) : VerifyEthereum(claim);
  } catch (const std::exception& e) {
    return InternalError(std::string("internal error while verifying: ") + e.what());
  }
}

}  // namespace segverify::chain
