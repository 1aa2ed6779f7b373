// The attestation config (format "segverify-attestation/1", docs/FORMAT.md §7).
//
// Parsing is strict: unknown fields, unknown chains, source types, proof types and address kinds
// are errors naming the JSON path ("pools[0].addresses[2].proof.type"), never ignored. Paths in the
// config are relative to the config file. Attestations are mainnet only: testnet/regtest
// addresses and EVM chain ids that are not known mainnets (common/chain.h) are errors. Every
// pool's liabilities CSV lists all config assets, in config order.
//
// Chains are keyed by their configured name (docs/DESIGN.md §Ethereum): "bitcoin", "ethereum" (EVM,
// chain id 1) and any other name of type "evm" with a mainnet "chain_id", e.g.
// "arbitrum":{"type":"evm","chain_id":42161,"block":N,"sources":[...]}. Assets and addresses name
// their chain; the address and proof code only cares about the family (Chain::kEthereum = EVM).
//
// The public attestation (attestation.json, "segverify-public-attestation/1", docs/FORMAT.md) is
// the same document as run, read by the same parser: its chains carry no "sources" (a re-checker
// brings their own) and each pool carries "root" (the published root, or null when the exchange's
// run could not build the tree) in place of "liabilities". Everything else is checked alike.
//
// Source objects: {"type","url"} and the options "timeout_s" (seconds, every request's deadline),
// "ca_file" (PEM, relative to the config), "batch" (ethereum: requests per JSON-RPC batch) and,
// for bitcoin-core, "auth" ("user:pass") or "cookie_file" (Core's .cookie, relative to the config).
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
#include "merkle/published_root.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/ownership.h"
#include "verifier/chain/taproot.h"
#include "verifier/report/published_files.h"

namespace segverify::attest {

struct ConfigAsset {
  merkle::AssetSpec spec;                                // symbol, decimals
  Chain chain = Chain::kBitcoin;                         // family
  std::optional<std::array<std::uint8_t, 20>> contract;  // ERC-20 token (EVM only)
  std::string chain_name;                                // the configured chain ("bitcoin", "ethereum", "arbitrum")
  // ERC-20 under proven reads: "balance_slot"/"balance_layout" (nullopt: searched), and
  // "reads":"agreed" for a token whose balanceOf is not a storage word (docs/FORMAT.md).
  std::optional<clients::BalanceSlot> balance_slot;
  bool agreed_reads = false;
};

struct ConfigChain {
  std::string name;                            // the key in "chains"
  Chain chain = Chain::kBitcoin;               // family
  std::uint64_t chain_id = 0;                  // EVM chain id (1 for "ethereum"); 0 for bitcoin
  std::uint64_t height = 0;                    // "height" (bitcoin) or "block" (EVM)
  std::vector<clients::SourceConfig> sources;  // labelled "<name> source <n>"
  // EVM: "reads", "proven" by default where the chain's header encoding is known
  // (ethproof::KnownHeaderEncoding), else the config must say "agreed". Each source carries it.
  clients::EthReads reads = clients::EthReads::kAgreed;
};

// An address decoded once, by the parser: the runner works from `decoded`, never from the text.
using DecodedAddress = std::variant<chain::BitcoinAddress, chain::EthereumAddress>;

struct ConfigAddress {
  Chain chain = Chain::kBitcoin;                    // family
  std::string chain_name;                           // the configured chain
  std::string address;                              // as written
  DecodedAddress decoded;                           // mainnet, of a known kind (the parser refuses the rest)
  std::optional<Bytes> script;                      // P2WSH/P2SH witness or redeem script
  std::optional<chain::TaprootDisclosure> taproot;  // P2TR: internal key and script tree
  std::optional<chain::ProofType> proof_type;       // nullopt: no proof given (a finding)
  std::string signature;
  std::string json_path;  // "pools[0].addresses[1]", for findings and errors
};

struct ConfigPool {
  std::string name;
  std::string liabilities_path;  // resolved against the config's directory (configs only)
  // Public attestations only: the pool's published root; nullopt when it is null (no tree was built).
  std::optional<merkle::PublishedRoot> root;
  std::vector<ConfigAddress> addresses;
};

struct AttestationConfig {
  std::string path;
  std::string sha256;  // of the config file's bytes
  std::string id;
  std::string message;
  std::optional<std::string> as_of;  // when the liabilities were taken (ISO 8601 UTC), if the config says
  std::vector<ConfigAsset> assets;
  std::vector<ConfigChain> chains;  // in the config's order
  std::vector<ConfigPool> pools;
  std::vector<ConfigAddress> firm_addresses;
  std::vector<Bytes> firm_keys;  // 33-byte compressed (or 65-byte uncompressed) SEC public keys

  // The chain configured under `name`, or nullptr.
  const ConfigChain* FindChain(std::string_view name) const;
  std::vector<merkle::AssetSpec> AssetSpecs() const;
};

using report::kPublicAttestationFormat;

[[nodiscard]] Result<AttestationConfig> LoadAttestationConfig(const std::string& path);

// A public attestation's text (`origin` names it in errors). Its chains have no sources and its
// pools no liabilities path; `sha256` is of `text`.
[[nodiscard]] Result<AttestationConfig> ParsePublicAttestation(std::string_view text, std::string_view origin);

// Pool names become directory names (DIR/pools/<name>): 1-64 chars of [A-Za-z0-9._-], not "." or "..".
bool IsValidPoolName(std::string_view name);

}  // namespace segverify::attest
