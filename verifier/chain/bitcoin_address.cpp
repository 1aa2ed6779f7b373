#include "verifier/chain/bitcoin_address.h"

#include <algorithm>
#include <array>
#include <optional>

#include "verifier/chain/base58check.h"
#include "verifier/chain/bech32.h"
#include "verifier/chain/opcodes.h"

namespace segverify::chain {
namespace {

using chain::kOp0;
using chain::kOpCheckSig;
using chain::kOpDup;
using chain::kOpEqual;
using chain::kOpEqualVerify;
using chain::kOpHash160;

// A base58 P2PKH/P2SH address is 25 bytes = 26-34 characters; anything much longer is not one,
// and the bound keeps the quadratic base58 decode cheap on hostile input.
constexpr std::size_t kBase58MaxLength = 64;

struct Base58Version {
  std::uint8_t version;
  BitcoinNetwork network;
  BitcoinAddressType type;
};
// Regtest uses testnet's base58 versions, so such addresses decode as kTestnet.
constexpr std::array<Base58Version, 4> kBase58Versions = {{
    {0x00, BitcoinNetwork::kMainnet, BitcoinAddressType::kP2pkh},
    {0x05, BitcoinNetwork::kMainnet, BitcoinAddressType::kP2sh},
    {0x6f, BitcoinNetwork::kTestnet, BitcoinAddressType::kP2pkh},
    {0xc4, BitcoinNetwork::kTestnet, BitcoinAddressType::kP2sh},
}};

struct SegwitHrp {
  std::string_view hrp;
  BitcoinNetwork network;
};
constexpr std::array<SegwitHrp, 3> kSegwitHrps = {{
    {"bc", BitcoinNetwork::kMainnet},
    {"tb", BitcoinNetwork::kTestnet},
    {"bcrt", BitcoinNetwork::kRegtest},
}};

std::optional<BitcoinNetwork> NetworkOfHrp(std::string_view hrp) {
  for (const auto& entry : kSegwitHrps) {
    if (entry.hrp == hrp) return entry.network;
  }
  return std::nullopt;
}

std::string_view HrpOf(BitcoinNetwork network) {
  for (const auto& entry : kSegwitHrps) {
    if (entry.network == network) return entry.hrp;
  }
  return "bc";  // unreachable: every network has an hrp
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = text[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != prefix[i]) return false;
  }
  return true;
}

// True when the text starts with a known segwit hrp and separator: then it is meant as bech32
// and a bech32 error (mixed case, bad checksum) is the helpful one to report.
bool LooksLikeSegwit(std::string_view text) {
  return std::any_of(kSegwitHrps.begin(), kSegwitHrps.end(), [&](const SegwitHrp& entry) {
    return StartsWithIgnoringCase(text, std::string(entry.hrp) + "1");
  });
}

BitcoinAddressType SegwitType(int version, std::size_t program_size) {
  if (version == 0) return program_size == 20 ? BitcoinAddressType::kP2wpkh : BitcoinAddressType::kP2wsh;
  if (version == 1 && program_size == 32) return BitcoinAddressType::kP2tr;
  return BitcoinAddressType::kWitnessUnknown;
}

// BIP-141/BIP-350 program rules; empty optional when the program is acceptable.
std::optional<std::string> SegwitProgramProblem(int version, std::size_t program_size) {
  if (version < 0 || version > 16) return "invalid witness version " + std::to_string(version);
  if (program_size < 2 || program_size > 40) {
    return "invalid witness program length " + std::to_string(program_size) + " (must be 2..40 bytes)";
  }
  if (version == 0 && program_size != 20 && program_size != 32) {
    return "invalid witness v0 program length " + std::to_string(program_size) + " (must be 20 or 32 bytes)";
  }
  return std::nullopt;
}

Result<BitcoinAddress> DecodeSegwit(std::string_view text) {
  auto decoded = DecodeBech32(text);
  if (!decoded) return decoded.error();
  const auto network = NetworkOfHrp(decoded->hrp);
  if (!network) return Error{"unknown bech32 human-readable part '" + decoded->hrp + "'"};
  if (decoded->data.empty()) return Error{"bech32 address has no witness version"};

  const int version = decoded->data[0];
  if (version > 16) return Error{"invalid witness version " + std::to_string(version)};
  // BIP-350: v0 must use Bech32, v1..v16 Bech32m; the other variant is invalid (not just odd).
  const Bech32Encoding expected = version == 0 ? Bech32Encoding::kBech32 : Bech32Encoding::kBech32m;
  if (decoded->encoding != expected) {
    return Error{version == 0
                     ? "witness v0 address must use bech32, not bech32m (BIP-350)"
                     : "witness v" + std::to_string(version) + " address must use bech32m, not bech32 (BIP-350)"};
  }
  auto program = FiveBitToBytes(std::span<const std::uint8_t>(decoded->data).subspan(1));
  if (!program) return program.error();
  if (auto problem = SegwitProgramProblem(version, program->size())) return Error{*problem};

  BitcoinAddress out;
  out.network = *network;
  out.witness_version = version;
  out.type = SegwitType(version, program->size());
  out.script_pubkey = WitnessScript(version, *program);
  out.program = std::move(*program);
  out.canonical = EncodeBech32(decoded->encoding, decoded->hrp, decoded->data);
  return out;
}

Result<BitcoinAddress> DecodeBase58Address(std::string_view text) {
  auto payload = DecodeBase58Check(text, kBase58MaxLength);
  if (!payload) return payload.error();
  if (payload->size() != 21) {
    return Error{"base58 address payload is " + std::to_string(payload->size()) + " bytes (expected 21)"};
  }
  const std::uint8_t version = (*payload)[0];
  const auto entry = std::find_if(kBase58Versions.begin(), kBase58Versions.end(),
                                  [&](const Base58Version& v) { return v.version == version; });
  if (entry == kBase58Versions.end()) {
    return Error{"unknown base58 address version byte 0x" + ToHex(std::span<const std::uint8_t>(&version, 1))};
  }
  BitcoinAddress out;
  out.network = entry->network;
  out.type = entry->type;
  out.program.assign(payload->begin() + 1, payload->end());
  std::array<std::uint8_t, 20> hash;
  std::copy(out.program.begin(), out.program.end(), hash.begin());
  out.script_pubkey = entry->type == BitcoinAddressType::kP2pkh ? P2pkhScript(hash) : P2shScript(hash);
  out.canonical = std::string(text);
  return out;
}

}  // namespace

std::string_view ToString(BitcoinAddressType type) {
  switch (type) {
    case BitcoinAddressType::kP2pkh:
      return "p2pkh";
    case BitcoinAddressType::kP2sh:
      return "p2sh";
    case BitcoinAddressType::kP2wpkh:
      return "p2wpkh";
    case BitcoinAddressType::kP2wsh:
      return "p2wsh";
    case BitcoinAddressType::kP2tr:
      return "p2tr";
    case BitcoinAddressType::kWitnessUnknown:
      return "witness_unknown";
  }
  return "unknown";
}

std::string_view ToString(BitcoinNetwork network) {
  switch (network) {
    case BitcoinNetwork::kMainnet:
      return "mainnet";
    case BitcoinNetwork::kTestnet:
      return "testnet";
    case BitcoinNetwork::kRegtest:
      return "regtest";
  }
  return "unknown";
}

Result<BitcoinAddress> DecodeBitcoinAddress(std::string_view text) {
  if (text.empty()) return Error{"empty address"};
  if (LooksLikeSegwit(text)) return DecodeSegwit(text);
  // A checksum-valid bech32 string with another hrp is a segwit address of an unknown network
  // (e.g. "tc1..."): say so rather than report a base58 error.
  if (auto bech32 = DecodeBech32(text); bech32.ok()) {
    return Error{"unknown bech32 human-readable part '" + bech32->hrp + "'"};
  }
  return DecodeBase58Address(text);
}

Result<std::string> EncodeSegwitAddress(BitcoinNetwork network, int witness_version,
                                        std::span<const std::uint8_t> program) {
  if (auto problem = SegwitProgramProblem(witness_version, program.size())) return Error{*problem};
  std::vector<std::uint8_t> values{static_cast<std::uint8_t>(witness_version)};
  const auto five_bit = BytesToFiveBit(program);
  values.insert(values.end(), five_bit.begin(), five_bit.end());
  const Bech32Encoding encoding = witness_version == 0 ? Bech32Encoding::kBech32 : Bech32Encoding::kBech32m;
  return EncodeBech32(encoding, HrpOf(network), values);
}

Result<std::string> EncodeBitcoinAddress(BitcoinNetwork network, BitcoinAddressType type,
                                         std::span<const std::uint8_t> program) {
  auto expect_size = [&](std::size_t size) -> Status {
    if (program.size() == size) return Status::Ok();
    return Error{std::string(ToString(type)) + " program must be " + std::to_string(size) + " bytes, got " +
                 std::to_string(program.size())};
  };
  switch (type) {
    case BitcoinAddressType::kP2pkh:
    case BitcoinAddressType::kP2sh: {
      if (auto s = expect_size(20); !s) return s.error();
      // Regtest shares testnet's base58 versions.
      const bool mainnet = network == BitcoinNetwork::kMainnet;
      const bool p2pkh = type == BitcoinAddressType::kP2pkh;
      const std::uint8_t version = p2pkh ? (mainnet ? 0x00 : 0x6f) : (mainnet ? 0x05 : 0xc4);
      Bytes payload{version};
      payload.insert(payload.end(), program.begin(), program.end());
      return EncodeBase58Check(payload);
    }
    case BitcoinAddressType::kP2wpkh:
      if (auto s = expect_size(20); !s) return s.error();
      return EncodeSegwitAddress(network, 0, program);
    case BitcoinAddressType::kP2wsh:
      if (auto s = expect_size(32); !s) return s.error();
      return EncodeSegwitAddress(network, 0, program);
    case BitcoinAddressType::kP2tr:
      if (auto s = expect_size(32); !s) return s.error();
      return EncodeSegwitAddress(network, 1, program);
    case BitcoinAddressType::kWitnessUnknown:
      break;
  }
  return Error{"witness_unknown addresses need an explicit version (use EncodeSegwitAddress)"};
}

Bytes P2pkhScript(const std::array<std::uint8_t, 20>& key_hash) {
  Bytes out{kOpDup, kOpHash160, 20};
  out.insert(out.end(), key_hash.begin(), key_hash.end());
  out.push_back(kOpEqualVerify);
  out.push_back(kOpCheckSig);
  return out;
}

Bytes P2shScript(const std::array<std::uint8_t, 20>& script_hash) {
  Bytes out{kOpHash160, 20};
  out.insert(out.end(), script_hash.begin(), script_hash.end());
  out.push_back(kOpEqual);
  return out;
}

Bytes WitnessScript(int witness_version, std::span<const std::uint8_t> program) {
  Bytes out{witness_version == 0 ? kOp0 : chain::SmallIntegerOpcode(witness_version),
            static_cast<std::uint8_t>(program.size())};
  out.insert(out.end(), program.begin(), program.end());
  return out;
}

Bytes P2wpkhScript(const std::array<std::uint8_t, 20>& key_hash) { return WitnessScript(0, key_hash); }

}  // namespace segverify::chain
