// One configured source of chain data (a Bitcoin Core node, an Esplora server or an Ethereum
// node) seen through a common interface, and the factories that connect sources live, recorded
// (evidence) or replayed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clients/ethereum_client.h"
#include "clients/evidence.h"
#include "clients/http_transport.h"
#include "clients/transport.h"
#include "common/chain.h"
#include "common/progress.h"
#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

enum class SourceType { kBitcoinCore, kEsplora, kEthereum };

std::string_view ToString(SourceType type);  // "bitcoin-core", "esplora", "ethereum"
[[nodiscard]] Result<SourceType> ParseSourceType(std::string_view text);
Chain ChainOf(SourceType type);

// One source as configured (docs/DESIGN.md §Node transport: the source object's options).
struct SourceConfig {
  SourceConfig() = default;
  SourceConfig(SourceType source_type, std::string source_url, std::string source_auth = "",
               std::string source_label = "")
      : type(source_type), url(std::move(source_url)), auth(std::move(source_auth)), label(std::move(source_label)) {}

  SourceType type = SourceType::kEthereum;
  std::string url;    // may carry secrets (user-info, an API key in the path): never shown as given
  std::string auth;   // "user:pass" or empty (secret)
  std::string label;  // "ethereum source 2": with the URL's origin, how the source is named
  std::optional<std::chrono::milliseconds> timeout;  // "timeout_s": every request's deadline
  std::string ca_file;                               // PEM of the CAs to trust for https ("" = the system store)
  std::optional<std::size_t> batch;                  // ethereum: JSON-RPC requests per batch (1 = none)
  std::string cookie_file;             // bitcoin-core: Core's .cookie, read when connecting (secret content)
  EthReads reads = EthReads::kAgreed;  // ethereum: the chain's "reads" (proven or agreed)
  // ethereum: accounts proven by one client of this source, for its others (nullptr: none shared).
  std::shared_ptr<ProvenAccountCache> proven_accounts;
};

// "<label> (<scheme>://<host>:<port>)": the source as every output names it (source_url.h).
std::string Display(const SourceConfig& config);

// An asset to read: the chain's native coin, or (Ethereum) an ERC-20 contract.
struct AssetSpec {
  AssetSpec() = default;
  AssetSpec(std::string asset_symbol, std::optional<EthAddress> token, std::optional<BalanceSlot> slot = std::nullopt,
            bool agreed_reads = false)
      : symbol(std::move(asset_symbol)), contract(token), balance_slot(slot), agreed(agreed_reads) {}

  std::string symbol;
  std::optional<EthAddress> contract;
  // ERC-20 under proven reads: the balances mapping ("balance_slot"/"balance_layout"), nullopt to
  // search slots 0-255; `agreed` for a token whose balanceOf is not a storage word (rebasing):
  // its balances are only agreed.
  std::optional<BalanceSlot> balance_slot;
  bool agreed = false;
};

// An address to read. Bitcoin needs the address's scriptPubKey (lower-case hex); Ethereum
// addresses are "0x" + 40 hex digits and script_pubkey_hex is ignored.
struct AddressSpec {
  std::string address;
  std::string script_pubkey_hex;
};

// Connects a source to its node. Errors name the source (Display), never the credentials.
using TransportFactory = std::function<Result<std::unique_ptr<Transport>>(const SourceConfig&)>;

// Live transports on `options`, with each source's timeout, ca_file and credentials (auth, or
// the cookie file's content) applied over them.
TransportFactory LiveTransports(HttpOptions options = {});
// Live transports whose exchanges are all appended to `log`.
TransportFactory RecordingTransports(TransportFactory inner, std::shared_ptr<EvidenceLog> log);
// Transports answering only from `replay` (no network).
TransportFactory ReplayTransports(std::shared_ptr<EvidenceReplay> replay);

// A block as a source pins it: its hash ("0x"-prefixed for Ethereum, bare hex for Bitcoin) and
// its header's timestamp (seconds since 1970, UTC).
struct PinnedBlock {
  std::string hash;
  std::uint64_t time = 0;
};

// A source's answers for one chain at one height.
class ChainSource {
 public:
  virtual ~ChainSource() = default;
  virtual const std::string& name() const = 0;  // Display(config)
  // Checks the node is on the expected network (Ethereum chain id); Bitcoin sources: no-op.
  [[nodiscard]] virtual Status CheckNetwork() = 0;
  // The block at `height`.
  [[nodiscard]] virtual Result<PinnedBlock> PinBlock(std::uint64_t height) = 0;
  // Balances at (height, hash) of every (address, asset), address-major:
  // result[a * assets.size() + s] is addresses[a] in assets[s].
  [[nodiscard]] virtual Result<std::vector<u128>> Balances(const std::vector<AddressSpec>& addresses,
                                                           const std::vector<AssetSpec>& assets, std::uint64_t height,
                                                           const std::string& hash) = 0;
  // The ERC-20 balance slots this source found by search, by token symbol (for report.json).
  virtual std::vector<std::pair<std::string, BalanceSlot>> FoundBalanceSlots() const { return {}; }
};

struct SourceOptions {
  std::uint64_t expected_chain_id = 1;  // Ethereum only; tests use anvil's 31337
  std::size_t eth_batch_size = 100;     // when the source sets no "batch"
  // Bitcoin Core's scans, when the source sets no "timeout_s" (docs/DESIGN.md §Node transport: 1800
  // s).
  std::chrono::milliseconds core_scan_deadline{std::chrono::seconds(1800)};
  // How far Bitcoin Core's own scans are (BitcoinCoreOptions::scan_progress). Apart from the
  // quorum's progress by addresses read: one address's scan of the UTXO set takes minutes too.
  ProgressCallback scan_progress;
};

[[nodiscard]] Result<std::unique_ptr<ChainSource>> MakeChainSource(const SourceConfig& config,
                                                                   const TransportFactory& transports,
                                                                   const SourceOptions& options = {});

// An Ethereum client for `config` (for ERC-1271 calls); fails if config is not an Ethereum source.
// The batch size is the source's "batch", else `default_batch`.
[[nodiscard]] Result<std::unique_ptr<EthereumClient>> MakeEthereumClient(const SourceConfig& config,
                                                                         const TransportFactory& transports,
                                                                         std::size_t default_batch = 100);

}  // namespace segverify::clients
