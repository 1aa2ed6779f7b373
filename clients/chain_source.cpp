#include "clients/chain_source.h"

#include <array>
#include <map>
#include <utility>

#include "clients/bitcoin_core_client.h"
#include "clients/esplora_client.h"
#include "common/enum_names.h"
#include "common/file_io.h"

namespace segverify::clients {
namespace {

// The source types' names (the config's and --source's TYPE).
constexpr std::array<std::pair<SourceType, std::string_view>, 3> kSourceTypeNames = {{
    {SourceType::kBitcoinCore, "bitcoin-core"},
    {SourceType::kEsplora, "esplora"},
    {SourceType::kEthereum, "ethereum"},
}};

class EthereumSource final : public ChainSource {
 public:
  EthereumSource(std::unique_ptr<EthereumClient> client, std::uint64_t chain_id)
      : client_(std::move(client)), chain_id_(chain_id) {}

  const std::string& name() const override { return client_->source(); }
  Status CheckNetwork() override { return client_->CheckChainId(chain_id_); }
  Result<PinnedBlock> PinBlock(std::uint64_t height) override {
    auto header = client_->PinBlock(height);
    if (!header) return header.error();
    return PinnedBlock{std::move(header->hash), header->time};
  }

  Result<std::vector<u128>> Balances(const std::vector<AddressSpec>& addresses, const std::vector<AssetSpec>& assets,
                                     std::uint64_t height, const std::string& hash) override {
    std::vector<EthAddress> parsed;
    parsed.reserve(addresses.size());
    for (const auto& a : addresses) {
      auto address = ParseEthAddressHex(a.address);
      if (!address)
        return Error{"address " + a.address + ": not an Ethereum address (0x + 40 hex digits)", ProblemKind::kInput};
      parsed.push_back(*address);
    }
    EthBlockPin pin{height, hash};
    std::vector<u128> out(addresses.size() * assets.size(), 0);
    for (std::size_t s = 0; s < assets.size(); ++s) {
      auto column = assets[s].contract ? TokenColumn(assets[s], parsed, pin) : client_->NativeBalances(parsed, pin);
      if (!column) return column.error();
      for (std::size_t a = 0; a < parsed.size(); ++a) out[a * assets.size() + s] = (*column)[a];
    }
    return out;
  }

  std::vector<std::pair<std::string, BalanceSlot>> FoundBalanceSlots() const override {
    std::vector<std::pair<std::string, BalanceSlot>> out;
    for (const auto& [symbol, slot] : found_slots_) out.emplace_back(symbol, slot);
    return out;
  }

 private:
  // An ERC-20's balances: proven by storage under proven reads (the slot configured, or found once
  // and kept for the next chunks), balanceOf alone when the chain or the asset says "agreed".
  Result<std::vector<u128>> TokenColumn(const AssetSpec& asset, const std::vector<EthAddress>& holders,
                                        const EthBlockPin& pin) {
    if (client_->reads() != EthReads::kProven || asset.agreed) {
      return client_->TokenBalances(*asset.contract, holders, pin);
    }
    std::optional<BalanceSlot> slot = asset.balance_slot;
    auto found = found_slots_.find(asset.symbol);
    if (!slot && found != found_slots_.end()) slot = found->second;
    auto column = client_->ProvenTokenBalances(*asset.contract, holders, pin, slot);
    if (column && slot && !asset.balance_slot) found_slots_[asset.symbol] = *slot;
    return column;
  }

  std::unique_ptr<EthereumClient> client_;
  std::uint64_t chain_id_;
  std::map<std::string, BalanceSlot> found_slots_;  // by symbol, slots found by search
};

// Bitcoin Core and Esplora share everything but the client type.
template <typename Client>
class BitcoinSource final : public ChainSource {
 public:
  template <typename... ClientOptions>
  explicit BitcoinSource(std::unique_ptr<Transport> transport, ClientOptions... options)
      : client_(std::move(transport), options...) {}

  const std::string& name() const override { return client_.source(); }
  Status CheckNetwork() override { return Status::Ok(); }
  Result<PinnedBlock> PinBlock(std::uint64_t height) override {
    auto header = client_.PinBlock(height);
    if (!header) return header.error();
    return PinnedBlock{std::move(header->hash), header->time};
  }

  Result<std::vector<u128>> Balances(const std::vector<AddressSpec>& addresses, const std::vector<AssetSpec>& assets,
                                     std::uint64_t height, const std::string& hash) override {
    if (assets.size() != 1 || assets[0].contract)
      return Error{"bitcoin: exactly one native asset can be read", ProblemKind::kInput};
    std::vector<BitcoinTarget> targets;
    targets.reserve(addresses.size());
    for (const auto& a : addresses) {
      if (a.script_pubkey_hex.empty())
        return Error{"address " + a.address + ": scriptPubKey missing", ProblemKind::kInput};
      targets.push_back({a.address, a.script_pubkey_hex});
    }
    return client_.Balances(targets, BitcoinBlockPin{height, hash});
  }

 private:
  Client client_;
};

}  // namespace

std::string_view ToString(SourceType type) { return NameIn(kSourceTypeNames, type, "unknown"); }

Result<SourceType> ParseSourceType(std::string_view text) {
  if (auto type = ValueNamed<SourceType>(kSourceTypeNames, text)) return *type;
  return Error{"unknown source type \"" + std::string(text) + "\" (expected bitcoin-core, esplora or ethereum)"};
}

Chain ChainOf(SourceType type) { return type == SourceType::kEthereum ? Chain::kEthereum : Chain::kBitcoin; }

std::string Display(const SourceConfig& config) { return SourceDisplay(config.label, config.url); }

namespace {

// Core's cookie ("__cookie__:<hex>"), rewritten at every start of the node: read when connecting.
Result<std::string> ReadCookie(const SourceConfig& config) {
  auto text = ReadFileLimited(config.cookie_file, 4096);
  if (!text) return Error{Display(config) + ": cookie_file: " + text.error().message};
  std::string cookie = std::move(*text);
  while (!cookie.empty() && (cookie.back() == '\n' || cookie.back() == '\r' || cookie.back() == ' ')) cookie.pop_back();
  if (cookie.find(':') == std::string::npos || cookie.find('\n') != std::string::npos) {
    return Error{Display(config) + ": cookie_file: not a Bitcoin Core cookie (user:password on one line)",
                 ProblemKind::kInput};
  }
  return cookie;
}

}  // namespace

TransportFactory LiveTransports(HttpOptions options) {
  return [options](const SourceConfig& config) -> Result<std::unique_ptr<Transport>> {
    HttpOptions mine = options;
    if (config.timeout) mine.timeout = *config.timeout;
    if (!config.ca_file.empty()) mine.ca_file = config.ca_file;
    std::string auth = config.auth;
    if (!config.cookie_file.empty()) {
      auto cookie = ReadCookie(config);
      if (!cookie) return cookie.error();
      auth = std::move(*cookie);
    }
    return MakeHttpTransport(config.url, auth, mine, config.label);
  };
}

TransportFactory RecordingTransports(TransportFactory inner, std::shared_ptr<EvidenceLog> log) {
  return [inner = std::move(inner),
          log = std::move(log)](const SourceConfig& config) -> Result<std::unique_ptr<Transport>> {
    auto transport = inner(config);
    if (!transport) return transport.error();
    return MakeRecordingTransport(std::move(transport.value()), log);
  };
}

TransportFactory ReplayTransports(std::shared_ptr<EvidenceReplay> replay) {
  return [replay = std::move(replay)](const SourceConfig& config) -> Result<std::unique_ptr<Transport>> {
    auto url = ParseSourceUrl(config.url);
    if (!url) return Error{Display(config) + ": " + url.error().message};
    return MakeReplayTransport(Display(config), replay);
  };
}

Result<std::unique_ptr<ChainSource>> MakeChainSource(const SourceConfig& config, const TransportFactory& transports,
                                                     const SourceOptions& options) {
  auto transport = transports(config);
  if (!transport) return transport.error();
  std::unique_ptr<ChainSource> source;
  switch (config.type) {
    case SourceType::kEthereum:
      source = std::make_unique<EthereumSource>(
          std::make_unique<EthereumClient>(std::move(transport.value()), config.batch.value_or(options.eth_batch_size),
                                           config.reads, config.proven_accounts),
          options.expected_chain_id);
      break;
    case SourceType::kBitcoinCore: {
      BitcoinCoreOptions core;
      core.scan_deadline = config.timeout.value_or(options.core_scan_deadline);
      core.scan_progress = options.scan_progress;
      source = std::make_unique<BitcoinSource<BitcoinCoreClient>>(std::move(transport.value()), core);
      break;
    }
    case SourceType::kEsplora:
      source = std::make_unique<BitcoinSource<EsploraClient>>(std::move(transport.value()));
      break;
  }
  return source;
}

Result<std::unique_ptr<EthereumClient>> MakeEthereumClient(const SourceConfig& config,
                                                           const TransportFactory& transports,
                                                           std::size_t default_batch) {
  if (config.type != SourceType::kEthereum)
    return Error{Display(config) + ": not an ethereum source", ProblemKind::kInput};
  auto transport = transports(config);
  if (!transport) return transport.error();
  return std::make_unique<EthereumClient>(std::move(transport.value()), config.batch.value_or(default_batch),
                                          config.reads, config.proven_accounts);
}

}  // namespace segverify::clients
