// One configured source of chain data (a Bitcoin Core node, an Esplora server or an Ethereum
// node) seen through a common interface, and the factories that connect sources live, recorded
// (evidence) or replayed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/ethereum_client.h"
#include "clients/evidence.h"
#include "clients/http_transport.h"
#include "clients/transport.h"
#include "common/chain.h"
#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

enum class SourceType { kBitcoinCore, kEsplora, kEthereum };

std::string_view ToString(SourceType type);        // "bitcoin-core", "esplora", "ethereum"
[[nodiscard]] Result<SourceType> ParseSourceType(std::string_view text);
Chain ChainOf(SourceType type);

struct SourceConfig {
  SourceType type = SourceType::kEthereum;
  std::string url;   // may carry userinfo; never printed as given
  std::string auth;  // "user:pass" or empty (secret)
};

// An asset to read: the chain's native coin, or (Ethereum) an ERC-20 contract.
struct AssetSpec {
  std::string symbol;
  std::optional<EthAddress> contract;
};

// An address to read. Bitcoin needs the address's scriptPubKey (lower-case hex); Ethereum
// addresses are "0x" + 40 hex digits and script_pubkey_hex is ignored.
struct AddressSpec {
  std::string address;
  std::string script_pubkey_hex;
};

// Connects a source to its node. Errors name the source (display URL), never the credentials.
using TransportFactory = std::function<Result<std::unique_ptr<Transport>>(const SourceConfig&)>;

TransportFactory LiveTransports(HttpOptions options = {});
// Live transports whose exchanges are all appended to `log`.
TransportFactory RecordingTransports(TransportFactory inner, std::shared_ptr<EvidenceLog> log);
// Transports answering only from `replay` (no network).
TransportFactory ReplayTransports(std::shared_ptr<EvidenceReplay> replay);

// A source's answers for one chain at one height.
class ChainSource {
 public:
  virtual ~ChainSource() = default;
  virtual const std::string& name() const = 0;  // display URL
  // Checks the node is on the expected network (Ethereum chain id); Bitcoin sources: no-op.
  [[nodiscard]] virtual Status CheckNetwork() = 0;
  // The block hash at `height` ("0x"-prefixed for Ethereum, bare hex for Bitcoin).
  [[nodiscard]] virtual Result<std::string> BlockHash(std::uint64_t height) = 0;
  // Balances at (height, hash) of every (address, asset), address-major:
  // result[a * assets.size() + s] is addresses[a] in assets[s].
  [[nodiscard]] virtual Result<std::vector<u128>> Balances(const std::vector<AddressSpec>& addresses,
                                                           const std::vector<AssetSpec>& assets,
                                                           std::uint64_t height, const std::string& hash) = 0;
};

struct SourceOptions {
  std::uint64_t expected_chain_id = 1;  // Ethereum only; tests use anvil's 31337
  std::size_t eth_batch_size = 100;
};

[[nodiscard]] Result<std::unique_ptr<ChainSource>> MakeChainSource(const SourceConfig& config,
                                                                   const TransportFactory& transports,
                                                                   const SourceOptions& options = {});

// An Ethereum client for `config` (for ERC-1271 calls); fails if config is not an Ethereum source.
[[nodiscard]] Result<std::unique_ptr<EthereumClient>> MakeEthereumClient(const SourceConfig& config,
                                                                         const TransportFactory& transports,
                                                                         std::size_t batch_size = 100);

}  // namespace segverify::clients
