// `segverify balances`: balances of addresses at one pinned block, read from every given source
// and cross-checked (docs/DESIGN.md §Command line; clients/quorum.h).
//
// Exit codes: 0 all sources agree (balances printed); 1 sources disagree (finding lines, no
// balance for what is disputed); 2 cannot check (bad input, a source down or malformed, tip moved).
#include <rapidjson/document.h>

#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clients/quorum.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "common/json.h"
#include "common/printable.h"
#include "common/progress.h"
#include "merkle/amount.h"
#include "merkle/asset.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"
#include "verifier/cli/source_option.h"

namespace segverify::cli {
namespace {

// Progress lines are only worth printing when a run takes a while.
constexpr std::size_t kProgressAddressCount = 100;
// One address per line; 16 MiB is hundreds of thousands of addresses.
constexpr std::size_t kMaxAddressesFileBytes = 16u << 20;

struct BalancesOptions {
  std::string chain;
  std::vector<std::string> sources;
  std::uint64_t height = 0;
  std::vector<std::string> assets;
  std::uint64_t chain_id = 1;
  std::size_t eth_batch = 100;
  std::string evidence_dir;
  std::string replay_dir;
  std::string ca_file;
  std::optional<double> timeout_s;
  std::vector<std::string> addresses;
  std::string addresses_file;
  bool json = false;
  bool quiet = false;
};

struct AssetWithDecimals {
  clients::AssetSpec spec;
  int decimals = 0;
};

// The n-th --source (from 1), labelled "<chain> source <n>" as in an attestation.
Result<clients::SourceConfig> ParseSource(const std::string& text, Chain chain, std::size_t n) {
  auto config = ParseSourceOption(text, n);
  if (!config) return config.error();
  if (clients::ChainOf(config->type) != chain) {
    return Error{"--source: a " + text.substr(0, text.find('=')) + " source cannot serve chain " +
                 std::string(ToString(chain))};
  }
  config->label = std::string(ToString(chain)) + " source " + std::to_string(n);
  return config;
}

Result<AssetWithDecimals> ParseAssetOption(const std::string& text, Chain chain) {
  auto first = text.find(':');
  if (first == std::string::npos) return Error{"--asset: expected SYMBOL:DECIMALS[:CONTRACT]"};
  auto second = text.find(':', first + 1);
  std::string decimals_text =
      text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  auto decimals = U128FromDecimal(decimals_text);
  if (!decimals || *decimals > 1000) return Error{"--asset: bad decimals \"" + decimals_text + "\""};
  auto asset = merkle::MakeAsset(text.substr(0, first), static_cast<long long>(*decimals));
  if (!asset) return Error{"--asset: " + asset.error().message};
  AssetWithDecimals out{{asset->symbol, std::nullopt}, asset->decimals};
  if (second != std::string::npos) {
    if (chain != Chain::kEthereum) return Error{"--asset: a contract is only possible on ethereum"};
    auto contract = chain::DecodeEthereumAddress(text.substr(second + 1));
    if (!contract) return Error{"--asset: contract: " + contract.error().message};
    out.spec.contract = contract->bytes;
  }
  return out;
}

Result<clients::AddressSpec> ParseAddress(const std::string& text, Chain chain) {
  if (chain == Chain::kEthereum) {
    auto decoded = chain::DecodeEthereumAddress(text);
    if (!decoded) return Error{"address " + text + ": " + decoded.error().message};
    return clients::AddressSpec{decoded->canonical, ""};
  }
  auto decoded = chain::DecodeBitcoinAddress(text);
  if (!decoded) return Error{"address " + text + ": " + decoded.error().message};
  if (decoded->network != chain::BitcoinNetwork::kMainnet) {
    return Error{"address " + text + ": not a mainnet address"};
  }
  return clients::AddressSpec{decoded->canonical, ToHex(decoded->script_pubkey)};
}

void PrintResult(const clients::ChainBalances& result, const std::vector<AssetWithDecimals>& assets, bool json) {
  auto decimals_of = [&](const std::string& symbol) {
    for (const auto& a : assets) {
      if (a.spec.symbol == symbol) return a.decimals;
    }
    return 0;
  };
  if (!json) {
    std::cout << "chain: " << Printable(result.chain) << "\nheight: " << result.height
              << "\nblock_hash: " << (result.block_hash.empty() ? "(disputed)" : Printable(result.block_hash)) << '\n';
    for (const auto& b : result.balances) {
      std::cout << Printable(b.address) << ' ' << merkle::FormatAmount(b.amount, decimals_of(b.asset)) << ' '
                << Printable(b.asset) << '\n';
    }
    for (const auto& d : result.disagreements) {
      std::cout << "finding: sources-disagree: " << Printable(d.Describe()) << '\n';
    }
    return;
  }
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  auto str = [&](std::string_view s) { return JsonStringValue(s, alloc); };
  doc.AddMember("chain", str(result.chain), alloc);
  doc.AddMember("height", rapidjson::Value(result.height), alloc);
  doc.AddMember("block_hash", str(result.block_hash), alloc);
  rapidjson::Value balances(rapidjson::kArrayType);
  for (const auto& b : result.balances) {
    rapidjson::Value entry(rapidjson::kObjectType);
    entry.AddMember("address", str(b.address), alloc);
    entry.AddMember("asset", str(b.asset), alloc);
    entry.AddMember("amount", str(merkle::FormatAmount(b.amount, decimals_of(b.asset))), alloc);
    balances.PushBack(entry, alloc);
  }
  doc.AddMember("balances", balances, alloc);
  if (!result.disagreements.empty()) {
    rapidjson::Value findings(rapidjson::kArrayType);
    for (const auto& d : result.disagreements) {
      rapidjson::Value entry(rapidjson::kObjectType);
      entry.AddMember("check", "sources-disagree", alloc);
      entry.AddMember("subject", str(d.subject), alloc);
      entry.AddMember("detail", str(d.Describe()), alloc);
      entry.AddMember("severity", "error", alloc);
      findings.PushBack(entry, alloc);
    }
    doc.AddMember("findings", findings, alloc);
  }
  std::cout << JsonToString(doc) << '\n';
}

int RunBalances(const BalancesOptions& options) {
  auto chain = ParseChain(options.chain);
  if (!chain) return ReportError("--chain: " + chain.error().message);
  if (!options.evidence_dir.empty() && !options.replay_dir.empty()) {
    return ReportError("--evidence and --replay cannot be combined");
  }
  std::vector<clients::SourceConfig> sources;
  for (const auto& s : options.sources) {
    auto config = ParseSource(s, *chain, sources.size() + 1);
    if (!config) return ReportError(config.error().message);
    if (options.timeout_s)
      config->timeout = std::chrono::milliseconds(static_cast<long long>(*options.timeout_s * 1000));
    sources.push_back(std::move(config.value()));
  }
  std::vector<AssetWithDecimals> assets;
  for (const auto& a : options.assets) {
    auto asset = ParseAssetOption(a, *chain);
    if (!asset) return ReportError(asset.error().message);
    for (const auto& other : assets) {
      if (other.spec.symbol == asset->spec.symbol) return ReportError("--asset: " + other.spec.symbol + " given twice");
    }
    assets.push_back(std::move(asset.value()));
  }
  if (assets.empty()) {
    assets.push_back(*chain == Chain::kBitcoin ? AssetWithDecimals{{"BTC", std::nullopt}, 8}
                                               : AssetWithDecimals{{"ETH", std::nullopt}, 18});
  }
  if (*chain == Chain::kBitcoin && (assets.size() != 1 || assets[0].spec.contract)) {
    return ReportError("--asset: bitcoin has exactly one native asset");
  }
  clients::BalanceQuery query;
  query.chain = *chain;
  query.height = options.height;
  for (const auto& a : assets) query.assets.push_back(a.spec);
  std::vector<std::string> address_texts = options.addresses;
  if (!options.addresses_file.empty()) {
    auto content = ReadFileLimited(options.addresses_file, kMaxAddressesFileBytes);
    if (!content) return ReportError("--addresses-file: " + content.error().message);
    std::size_t line_start = 0;
    while (line_start < content->size()) {
      std::size_t end = content->find('\n', line_start);
      if (end == std::string::npos) end = content->size();
      std::string line = content->substr(line_start, end - line_start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) address_texts.push_back(line);
      line_start = end + 1;
    }
  }
  if (address_texts.empty()) return ReportError("no address given (arguments or --addresses-file)");
  for (const auto& text : address_texts) {
    auto spec = ParseAddress(text, *chain);
    if (!spec) return ReportError(spec.error().message);
    query.addresses.push_back(std::move(spec.value()));
  }

  clients::HttpOptions http;
  http.ca_file = options.ca_file;
  clients::TransportFactory transports = clients::LiveTransports(http);
  if (!options.replay_dir.empty()) {
    auto replay =
        clients::EvidenceReplay::Load(options.replay_dir, clients::EvidenceBytesPerSource(query.addresses.size()));
    if (!replay) return ReportError(replay.error().message);
    transports = clients::ReplayTransports(*replay);
  } else if (!options.evidence_dir.empty()) {
    auto log =
        clients::EvidenceLog::Open(options.evidence_dir, clients::EvidenceBytesPerSource(query.addresses.size()));
    if (!log) return ReportError(log.error().message);
    transports = clients::RecordingTransports(transports, *log);
  }
  clients::SourceOptions source_options;
  source_options.expected_chain_id = options.chain_id;
  source_options.eth_batch_size = options.eth_batch;
  // Core's own scans take minutes whatever the number of addresses: their progress is always
  // shown; the count of addresses read only for long lists.
  std::unique_ptr<ProgressPrinter> printer = ProgressPrinter::ForStderr(options.quiet);
  if (printer) source_options.scan_progress = printer->Callback();
  const bool by_addresses = printer && query.addresses.size() >= kProgressAddressCount;
  auto result = clients::ReadChainBalances(query, sources, transports, source_options,
                                           by_addresses ? printer->Callback() : nullptr);
  if (printer) printer->Finish();  // the progress line ends before any error or result line
  if (!result) {
    for (const Error& failed : result.error().Each()) ReportError(failed.message);  // every failing source
    return kExitCannotCheck;
  }
  PrintResult(*result, assets, options.json);
  return result->disagreements.empty() ? kExitHolds : kExitDoesNotHold;
}

}  // namespace

void AddBalancesCommands(CLI::App& root, int& exit_code) {
  auto options = std::make_shared<BalancesOptions>();
  CLI::App* cmd = root.add_subcommand("balances", "Balances at a pinned block, cross-checked across sources");
  cmd->add_option("--chain", options->chain, "bitcoin or ethereum")->required();
  // Repeatable options take one value per occurrence (docs/DESIGN.md §Command line): without
  // allow_extra_args(false), CLI11 lets `--asset ETH:18 0xAB...` swallow the address.
  cmd->add_option("--source", options->sources,
                  "TYPE=URL, repeatable; TYPE is bitcoin-core, esplora or ethereum; http or https. Bitcoin Core "
                  "credentials: URL userinfo or env SEGVERIFY_RPC_AUTH=user:pass")
      ->required()
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--height", options->height, "pinned block height / number")->required();
  cmd->add_option("--asset", options->assets,
                  "SYMBOL:DECIMALS[:CONTRACT], repeatable (default BTC:8 on bitcoin, ETH:18 on ethereum)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--chain-id", options->chain_id, "expected Ethereum chain id (default 1)");
  cmd->add_option("--eth-batch", options->eth_batch,
                  "Ethereum requests per JSON-RPC batch (default 100; 1 = no batching)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  cmd->add_option("--ca-file", options->ca_file,
                  "PEM file of the CAs to trust for https sources (default: the system store)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--timeout", options->timeout_s,
                  "deadline of every node request, in seconds (default 60; Bitcoin Core scans 1800)")
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_option("--evidence", options->evidence_dir, "record every request and answer in DIR (JSON lines)");
  cmd->add_option("--replay", options->replay_dir, "answer from evidence recorded in DIR, offline");
  cmd->add_flag("--json", options->json, "machine-readable output");
  cmd->add_flag("--quiet", options->quiet, "no progress on stderr");
  cmd->add_option("--addresses-file", options->addresses_file, "read more addresses from FILE, one per line");
  cmd->add_option("addresses", options->addresses, "addresses to read");
  cmd->callback([options, &exit_code] {
    try {
      exit_code = RunBalances(*options);
    } catch (const std::exception& e) {
      exit_code = ReportError(e.what());
    }
  });
}

}  // namespace segverify::cli
