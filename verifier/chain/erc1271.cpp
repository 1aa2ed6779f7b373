#include "verifier/chain/erc1271.h"

#include <algorithm>
#include <string>

#include "verifier/chain/eip191.h"

namespace segverify::chain {
namespace {

// Writes `value` as a big-endian uint256 ABI word at `word`.
void PutWord(std::span<std::uint8_t, 32> word, std::uint64_t value) {
  std::fill(word.begin(), word.end(), 0);
  for (std::size_t i = 0; i < 8; ++i) word[31 - i] = static_cast<std::uint8_t>(value >> (8 * i));
}

}  // namespace

Bytes EncodeIsValidSignatureCall(const Hash256& hash, std::span<const std::uint8_t> signature) {
  const std::size_t padded = (signature.size() + 31) / 32 * 32;
  Bytes out(4 + 32 * 3 + padded, 0);  // zero-filled: the tail's right padding stays zero
  std::copy(kErc1271MagicValue.begin(), kErc1271MagicValue.end(), out.begin());
  std::copy(hash.begin(), hash.end(), out.begin() + 4);             // head 1: the static bytes32
  PutWord(std::span<std::uint8_t, 32>(out.data() + 36, 32), 0x40);  // head 2: tail offset from the args start
  PutWord(std::span<std::uint8_t, 32>(out.data() + 68, 32), signature.size());  // tail: length, then data
  std::copy(signature.begin(), signature.end(), out.begin() + 100);
  return out;
}

Erc1271Answer DecodeIsValidSignatureAnswer(const EthCallResult& result) {
  if (result.outcome == EthCallOutcome::kReverted) return Erc1271Answer::kReverted;
  const Bytes& data = result.data;
  if (data.size() != 32) return Erc1271Answer::kOtherValue;
  if (!std::equal(kErc1271MagicValue.begin(), kErc1271MagicValue.end(), data.begin()))
    return Erc1271Answer::kOtherValue;
  if (!std::all_of(data.begin() + 4, data.end(), [](std::uint8_t b) { return b == 0; }))
    return Erc1271Answer::kOtherValue;
  return Erc1271Answer::kMagicValue;
}

OwnershipResult VerifyErc1271(const chain::EthereumAddress& address, std::string_view message,
                              std::string_view signature_hex, const EthCall& eth_call, std::uint64_t block) {
  auto sig = DecodeEthereumHex(signature_hex);
  if (!sig) return Malformed("ERC-1271 signature: " + sig.error().message);
  if (!eth_call) return CannotCheck("ERC-1271 needs an Ethereum node (eth_call) to ask the contract");
  const Bytes calldata = EncodeIsValidSignatureCall(Eip191MessageHash(message), *sig);
  auto answer = eth_call(address.bytes, calldata, block);
  if (!answer) return CannotCheck("ERC-1271 call failed: " + answer.error().message);
  switch (DecodeIsValidSignatureAnswer(*answer)) {
    case Erc1271Answer::kMagicValue:
      return Valid("ERC-1271 isValidSignature returned the magic value at block " + std::to_string(block), {});
    case Erc1271Answer::kReverted:
      return Invalid("ERC-1271 isValidSignature reverted");
    case Erc1271Answer::kOtherValue:
      return Invalid("ERC-1271 isValidSignature returned 0x" + ToHex(answer->data) + ", not the magic value");
  }
  return Invalid("ERC-1271 answer not understood");
}

}  // namespace segverify::chain
