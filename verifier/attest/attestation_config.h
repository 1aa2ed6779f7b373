// The attestation config (format "segverify-attestation/1", DESIGN.md "Attestation config").
//
// Parsing is strict: unknown fields, unknown chains, source types, proof types and address kinds
// are errors naming the JSON path ("pools[0].addresses[2].proof.type"), never ignored. Paths in the
// config are relative to the config file. Attestations are mainnet only: testnet/regtest
// addresses are errors. Every pool's liabilities CSV lists all config assets, in config order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "clients/chain_source.h"
#include "common/hex.h"
#include "common/result.h"
#include "merkle/asset.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/ownership.h"

namespace segverify::attest {

struct ConfigAsset {
  merkle::AssetSpec spec;  // symbol, decimals
  Chain chain = Chain::kBitcoin;
  std::optional<std::array<std::uint8_t, 20>> contract;  // ERC-20 token (Ethereum only)
};

struct ConfigChain {
  Chain chain = Chain::kBitcoin;
  std::uint64_t height = 0;  // "height" (bitcoin) or "block" (ethereum)
  std::vector<clients::SourceConfig> sources;
};

// An address decoded once, by the parser: the runner works from `decoded`, never from the text.
using DecodedAddress = std::variant<chain::BitcoinAddress, chain::EthereumAddress>;

struct ConfigAddress {
  Chain chain = Chain::kBitcoin;
  std::string address;                   // as written
  DecodedAddress decoded;                // mainnet, of a known kind (the parser refuses the rest)
  std::optional<Bytes> script;           // P2WSH/P2SH witness or redeem script
  std::optional<chain::ProofType> proof_type;  // nullopt: no proof given (a finding)
  std::string signature;
  std::string json_path;                 // "pools[0].addresses[1]", for findings and errors
};

struct ConfigPool {
  std::string name;
  std::string liabilities_path;  // resolved against the config's directory
  std::vector<ConfigAddress> addresses;
};

struct AttestationConfig {
  std::string path;
  std::string sha256;  // of the config file's bytes
  std::string id;
  std::string message;
  std::vector<ConfigAsset> assets;
  std::vector<ConfigChain> chains;  // in a fixed order: bitcoin, then ethereum
  std::vector<ConfigPool> pools;
  std::vector<ConfigAddress> firm_addresses;
  std::vector<Bytes> firm_keys;  // 33-byte compressed (or 65-byte uncompressed) SEC public keys

  const ConfigChain* FindChain(Chain chain) const;
  std::vector<merkle::AssetSpec> AssetSpecs() const;
};

[[nodiscard]] Result<AttestationConfig> LoadAttestationConfig(const std::string& path);

// Pool names become directory names (DIR/pools/<name>): 1-64 chars of [A-Za-z0-9._-], not "." or "..".
bool IsValidPoolName(std::string_view name);

}  // namespace segverify::attest
