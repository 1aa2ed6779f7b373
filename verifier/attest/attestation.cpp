#include "verifier/attest/attestation.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include <unistd.h>

#include "clients/chain_source.h"
#include "clients/ethereum_client.h"
#include "clients/evidence.h"
#include "clients/quorum.h"
#include "common/file_io.h"
#include "common/json.h"
#include "common/output_dir.h"
#include "common/plural.h"
#include "common/sha256.h"
#include "merkle/amount.h"
#include "merkle/liabilities_csv.h"
#include "merkle/tree_builder.h"
#include "merkle/tree_store.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/attest/attestation_config.h"
#include "verifier/attest/segregation.h"
#include "verifier/attest/vault_policy.h"
#include "verifier/attest/vault_reads.h"
#include "verifier/report/report_html.h"
#include "verifier/report/report_json.h"
#include "verifier/chain/multisig_script.h"

namespace segverify::attest {
namespace {

namespace fs = std::filesystem;

using report::AddressReport;
using report::AssetCoverage;
using report::ChainReport;
using report::PoolReport;
using report::Report;
using report::Severity;

constexpr const char* kTreeFiles[] = {"tree.bin", "accounts.idx", "accounts.dat", "index.bin", "tree.json", "root.json"};

// "2023-11-14T22:13:20Z": a block header's timestamp as report.json gives it (UTC, ISO 8601).
std::string UtcIso8601(std::uint64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Result<std::string> FileSha256(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{path + ": cannot open: " + std::strerror(errno)};
  Sha256Hasher hasher;
  std::uint8_t buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) hasher.Update(std::span<const std::uint8_t>(buffer, n));
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Error{path + ": read error"};
  return ToHex(hasher.Final());
}

// Test hook, read only by tests (tests/attest/attest_outputs_test.cpp): with
// SEGVERIFY_TEST_CRASH_AT=<point>[:KILL|:TERM|:INT] the run ends at that point by that signal, as
// a kill -9 or an operator's Ctrl-C would (KILL when no signal is named). Points, in order:
// "staged", "trees", "balances", "report" (report written, not yet swapped in).
void CrashPoint(std::string_view point) {
  const char* spec = std::getenv("SEGVERIFY_TEST_CRASH_AT");
  if (spec == nullptr) return;
  const std::string_view text(spec);
  const std::size_t colon = text.find(':');
  if (text.substr(0, colon) != point) return;
  const std::string_view name = colon == std::string_view::npos ? "KILL" : text.substr(colon + 1);
  ::kill(::getpid(), name == "TERM" ? SIGTERM : name == "INT" ? SIGINT : SIGKILL);
  for (;;) ::pause();  // the signal (or the cleanup thread it wakes) ends the process
}

// What the run learned about one configured address.
struct AddressState {
  const ConfigAddress* config = nullptr;
  std::string owner;  // pool name; empty for the firm
  ResolvedAddress resolved;
  std::string type;
  std::string script_pubkey_hex;  // bitcoin
  bool multisig = false;
  bool script_key_known = false;          // single-key script: its key comes from the script
  std::optional<bool> has_code;           // ethereum: code at the pinned block (nullopt: not read)
  std::optional<ContractFacts> contract;  // ethereum contracts: what the vault rules read
  AddressReport report;
};

class Attestation {
 public:
  Attestation(const AttestOptions& options, AttestationConfig config) : options_(options), config_(std::move(config)) {}

  Result<Report> Run();

 private:
  void Progress(const std::string& line) const {
    if (options_.progress) options_.progress(line);
  }
  void Work(std::string_view step, std::uint64_t done, std::uint64_t total) const {
    if (options_.work) options_.work(step, done, total);
  }
  Status CheckLiabilitiesHeaders() const;
  Status SetUpTransports();
  Status BuildTrees();
  Result<bool> ReuseRecordedTree(const ConfigPool& pool, const std::string& sha, const std::string& out);
  void ResolveAddresses();
  void ResolveOne(AddressState& state);
  void ReadBalances();
  void ReadContracts();
  void VerifyOwnershipProofs();
  void CheckVaults();
  void CheckCoverage();

  const AttestOptions& options_;
  AttestationConfig config_;
  std::string out_dir_;  // the staging directory: OUT once the run is committed
  Report report_;
  clients::TransportFactory transports_;
  std::shared_ptr<clients::EvidenceLog> evidence_;  // null in a replay
  std::vector<AddressState> pool_addresses_;
  std::vector<AddressState> firm_addresses_;
  std::map<std::string, std::optional<u128>> balances_;  // identity + "|" + symbol
  std::map<std::string, clients::EthBlockPin> eth_pins_;  // by chain name
  std::set<std::string> unreadable_chains_;
};

// Every pool's liabilities file opens and its header names the config's assets in order: checked
// for all pools before the first tree is built (a build takes minutes on a large exchange).
Status Attestation::CheckLiabilitiesHeaders() const {
  for (const ConfigPool& pool : config_.pools) {
    auto reader = merkle::LiabilitiesReader::Open(pool.liabilities_path, config_.AssetSpecs());
    if (!reader) return Error{"pool " + pool.name + ": " + reader.error().message};
  }
  return Status::Ok();
}

Status Attestation::SetUpTransports() {
  const std::string evidence_dir = out_dir_ + "/evidence";
  if (options_.replay_dir) {
    auto replay = clients::EvidenceReplay::Load(*options_.replay_dir);
    if (!replay) return Error{"--replay: " + replay.error().message};
    transports_ = clients::ReplayTransports(*replay);
    // Keep the recording with the new report, so OUT is self-contained. The recording may be
    // OUT/evidence itself: OUT stays untouched until the commit, so it is still there to copy.
    std::error_code ec;
    fs::copy(*options_.replay_dir, evidence_dir, fs::copy_options::recursive, ec);
    if (ec) return Error{evidence_dir + ": cannot copy the recording: " + ec.message()};
    return Status::Ok();
  }
  auto log = clients::EvidenceLog::Open(evidence_dir);
  if (!log) return log.error();
  evidence_ = *log;
  transports_ = clients::RecordingTransports(clients::LiveTransports(options_.http), *log);
  return Status::Ok();
}

// With a replay and no nonce key, the recorded run's trees are the only way to the same roots.
// False when the recorded run built no tree for this pool (its liabilities did not make one, e.g.
// a column past 2^128-1): building again fails the same way, with the same message.
Result<bool> Attestation::ReuseRecordedTree(const ConfigPool& pool, const std::string& sha, const std::string& out) {
  const fs::path recorded_run = fs::path(*options_.replay_dir).parent_path();
  auto old_report = report::ReadReportFile((recorded_run / "report.json").string());
  if (!old_report) return old_report.error();
  const auto& hashes = old_report->liabilities_sha256;
  if (std::find(hashes.begin(), hashes.end(), std::pair{pool.name, sha}) == hashes.end()) {
    return Error{"pool " + pool.name + ": liabilities changed since the recorded run"};
  }
  const auto recorded_pool = std::find_if(old_report->pools.begin(), old_report->pools.end(),
                                          [&pool](const PoolReport& p) { return p.name == pool.name; });
  if (recorded_pool != old_report->pools.end() && !recorded_pool->root) return false;
  const fs::path recorded_tree = recorded_run / "pools" / pool.name;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return Error{out + ": cannot create: " + ec.message()};
  for (const char* name : kTreeFiles) {
    fs::copy_file(recorded_tree / name, fs::path(out) / name, ec);
    if (ec) return Error{(recorded_tree / name).string() + ": cannot copy: " + ec.message()};
  }
  return true;
}

// Whether the rows of a liabilities file can make a tree at all (every amount parses, no column
// total past 2^128-1), read again after a build failed, to tell why it failed.
Status CheckLiabilitiesRows(const std::string& path, const std::vector<merkle::AssetSpec>& assets) {
  auto reader = merkle::LiabilitiesReader::Open(path, assets);
  if (!reader) return reader.error();
  merkle::LiabilityRow row;
  while (true) {
    auto more = reader->Next(row);
    if (!more) return more.error();
    if (!*more) return Status::Ok();
  }
}

// Builds every pool's tree, before the first request to a node. A pool whose liabilities cannot
// make a tree (a malformed row, a column past 2^128-1) is a check that could not be done: the
// report says so (ERROR), like main's other could-not-check cases. Any other failure (the output
// cannot be written: a full disk; a duplicate account id) ends the run with OUT as it was.
Status Attestation::BuildTrees() {
  for (const ConfigPool& pool : config_.pools) {
    PoolReport pr;
    pr.name = pool.name;
    const std::string out = out_dir_ + "/pools/" + pool.name;
    auto sha = FileSha256(pool.liabilities_path);
    if (!sha) return Error{"pool " + pool.name + ": " + sha.error().message};
    report_.liabilities_sha256.emplace_back(pool.name, *sha);
    Progress("attest: building the tree of pool " + pool.name);
    Status built;
    bool reused = false;
    if (options_.replay_dir && !options_.nonce_key) {
      auto recorded = ReuseRecordedTree(pool, *sha, out);
      if (!recorded) built = recorded.error();
      else reused = *recorded;
    }
    if (built.ok() && !reused) {
      merkle::TreeBuildOptions tree;
      tree.liabilities_path = pool.liabilities_path;
      tree.assets = config_.AssetSpecs();
      tree.out_dir = out;
      tree.pool = pool.name;
      if (options_.nonce_key) {
        // One key per pool, so an account id in two pools does not get the same nonce twice.
        tree.nonce_key = HmacSha256(*options_.nonce_key).Mac("segverify/pool/" + pool.name);
      }
      tree.progress = [this, &pool](std::string_view stage, std::uint64_t done, std::uint64_t total) {
        Work("pool " + pool.name + ": " + std::string(stage), done, total);
      };
      auto result = merkle::BuildTree(tree);
      if (!result) built = result.error();
    }
    if (built.ok()) {
      auto store = merkle::TreeStore::Open(out);
      if (store) {
        pr.root = store->root();
        pr.accounts = store->accounts();
      } else {
        built = store.error();
      }
    }
    if (!built.ok()) {
      if (CheckLiabilitiesRows(pool.liabilities_path, config_.AssetSpecs()).ok()) {
        return Error{"pool " + pool.name + ": " + built.message()};
      }
      report_.errors.push_back("pool " + pool.name + ": " + built.message());
    }
    report_.pools.push_back(std::move(pr));
  }
  return Status::Ok();
}

void Attestation::ResolveOne(AddressState& s) {
  const ConfigAddress& c = *s.config;
  s.report.chain = c.chain_name;
  s.report.proof = c.proof_type ? std::string(chain::ToString(*c.proof_type)) : "none";
  s.resolved.owner = s.owner;
  s.resolved.json_path = c.json_path;
  if (const auto* eth = std::get_if<chain::EthereumAddress>(&c.decoded)) {
    s.resolved.display = eth->canonical;
    // Per configured chain: the same EOA on two EVM chains holds two sets of coins.
    s.resolved.identity = c.chain_name + ":" + ToHex(eth->bytes);
    s.type = "unknown";  // "contract" or "eoa" once its code is read at the pin (ReadContracts)
  } else {
    const auto& decoded = std::get<chain::BitcoinAddress>(c.decoded);
    s.resolved.display = decoded.canonical;
    s.script_pubkey_hex = ToHex(decoded.script_pubkey);
    s.resolved.identity = c.chain_name + ":" + s.script_pubkey_hex;
    s.type = std::string(chain::ToString(decoded.type));
    const bool script_address = decoded.type == chain::BitcoinAddressType::kP2wsh ||
                                decoded.type == chain::BitcoinAddressType::kP2sh;
    if (c.script) {
      auto match = chain::CheckScriptMatchesAddress(decoded, *c.script);
      if (!match || *match != chain::ScriptMatch::kMatches) {
        report_.findings.push_back({"script-mismatch", s.resolved.display,
                                    c.json_path + ".script does not hash to this address" +
                                        (match ? std::string() : ": " + match.error().message),
                                    Severity::kError});
      } else {
        auto policy = chain::KeysInScript(*c.script);
        if (!policy) {
          report_.errors.push_back(c.json_path + ".script: cannot tell who controls " + s.resolved.display + ": " +
                                   policy.error().message);
        } else if (policy->keys.size() == 1 && policy->threshold == 1) {
          s.resolved.single_keys = policy->keys;
          s.script_key_known = true;
        } else {
          s.multisig = true;
          s.resolved.threshold = policy->threshold;
          s.resolved.multisig_keys = policy->keys;
        }
      }
    } else if (script_address) {
      // Who controls a script address is only known from its script: without it, the
      // segregation checks cannot be done.
      report_.errors.push_back(c.json_path + ": " + s.type + " address " + s.resolved.display +
                               " needs its \"script\" to check who controls it");
    }
  }
  s.report.address = s.resolved.display;
  s.report.type = s.type;
}

void Attestation::ResolveAddresses() {
  for (const ConfigPool& pool : config_.pools) {
    for (const ConfigAddress& c : pool.addresses) {
      AddressState s;
      s.config = &c;
      s.owner = pool.name;
      ResolveOne(s);
      pool_addresses_.push_back(std::move(s));
    }
  }
  for (const ConfigAddress& c : config_.firm_addresses) {
    AddressState s;
    s.config = &c;
    ResolveOne(s);
    firm_addresses_.push_back(std::move(s));
  }
}

void Attestation::ReadBalances() {
  for (const ConfigChain& chain : config_.chains) {
    ChainReport cr;
    cr.chain = chain.name;
    cr.height_key = chain.chain == Chain::kBitcoin ? "height" : "block";
    cr.height = chain.height;
    // The operator's record shows each source as scheme://host:port, in config order.
    for (const auto& source : chain.sources) cr.sources.push_back(clients::RedactSourceUrl(source.url));
    clients::BalanceQuery query;
    query.chain = chain.chain;
    query.chain_name = chain.name;
    query.height = chain.height;
    std::set<std::string> seen;
    for (const AddressState& s : pool_addresses_) {
      if (s.config->chain_name != chain.name || !seen.insert(s.resolved.identity).second) continue;
      query.addresses.push_back({s.resolved.display, s.script_pubkey_hex});
    }
    for (const ConfigAsset& asset : config_.assets) {
      if (asset.chain_name == chain.name) query.assets.push_back({asset.spec.symbol, asset.contract});
    }
    Progress("attest: reading " + Count(query.addresses.size(), cr.chain + " address", cr.chain + " addresses") + " at " +
             cr.height_key + " " + std::to_string(chain.height) + " from " +
             Count(chain.sources.size(), "source", "sources"));
    clients::SourceOptions source_options;
    source_options.expected_chain_id = chain.chain_id;  // a node on another chain is refused
    auto result = clients::ReadChainBalances(query, chain.sources, transports_, source_options, options_.work);
    if (!result) {
      report_.errors.push_back(cr.chain + ": " + result.error().message);
      unreadable_chains_.insert(cr.chain);
      report_.chains.push_back(std::move(cr));
      continue;
    }
    if (!result->block_hash.empty()) cr.block_hash = result->block_hash;
    if (result->block_time) cr.block_time = UtcIso8601(*result->block_time);
    for (const auto& d : result->disagreements) {
      report_.findings.push_back({"sources-disagree", d.subject, d.Describe(), Severity::kError});
    }
    // Quorum reports balances by the address text we gave (the canonical form): map it back to
    // the identity once per address, not once per balance.
    std::map<std::string, std::string> identity_of;
    for (const AddressState& s : pool_addresses_) {
      if (s.config->chain_name == chain.name) identity_of.emplace(s.resolved.display, s.resolved.identity);
    }
    for (const auto& b : result->balances) {
      auto it = identity_of.find(b.address);
      if (it != identity_of.end()) balances_[it->second + "|" + b.asset] = b.amount;
    }
    if (chain.chain == Chain::kEthereum && !result->block_hash.empty()) {
      eth_pins_[chain.name] = clients::EthBlockPin{chain.height, result->block_hash};
    }
    report_.chains.push_back(std::move(cr));
  }
}

// ERC-1271 calls on one EVM chain go to every source of that chain at its pinned block; they must
// all agree. Without a pin (the chain could not be read) there is no call, and contract proofs on
// that chain cannot be checked.
struct EvmCaller {
  std::vector<std::unique_ptr<clients::EthereumClient>> clients;
  std::string setup_error;
  chain::EthCall call;
};

void Attestation::VerifyOwnershipProofs() {
  std::map<std::string, EvmCaller> callers;  // by chain name; the map keeps each caller in place
  for (const ConfigChain& configured : config_.chains) {
    if (configured.chain != Chain::kEthereum) continue;
    EvmCaller& caller = callers[configured.name];
    for (const auto& source : configured.sources) {
      auto client = clients::MakeEthereumClient(source, transports_);
      if (!client) {
        caller.setup_error = client.error().message;
        break;
      }
      caller.clients.push_back(std::move(*client));
    }
    auto pin = eth_pins_.find(configured.name);
    if (pin == eth_pins_.end() || !caller.setup_error.empty()) continue;
    const clients::EthBlockPin block_pin = pin->second;
    caller.call = [&clients = caller.clients, block_pin](const std::array<std::uint8_t, 20>& to, const Bytes& data,
                                                         std::uint64_t) -> Result<EthCallResult> {
      std::optional<EthCallResult> first;
      for (auto& client : clients) {
        auto answer = client->EthCall(to, data, block_pin);
        if (!answer) return answer.error();
        if (!first)
          first = *answer;
        else if (first->outcome != answer->outcome || first->data != answer->data) {
          return Error{"sources disagree on the eth_call to " + chain::ToEip55(to)};
        }
      }
      if (!first) return Error{"no Ethereum source"};
      return *first;
    };
  }

  auto verify = [&](AddressState& s) {
    const ConfigAddress& c = *s.config;
    if (!c.proof_type) {
      s.report.ownership = "missing";
      report_.findings.push_back({"ownership", s.resolved.display, c.json_path + ": no ownership proof", Severity::kError});
      return;
    }
    chain::OwnershipClaim claim;
    claim.chain = c.chain;
    claim.address = c.address;
    claim.message = config_.message;
    claim.signature = c.signature;
    claim.type = c.proof_type;
    claim.witness_script = c.script;
    std::string setup_error;
    if (c.chain == Chain::kEthereum) {
      const EvmCaller& caller = callers[c.chain_name];
      claim.eth_call = caller.call;
      setup_error = caller.setup_error;
      const ConfigChain* configured = config_.FindChain(c.chain_name);
      claim.block = configured != nullptr ? std::optional<std::uint64_t>(configured->height) : std::nullopt;
      claim.has_code = s.has_code;
    }
    const chain::OwnershipResult result = chain::VerifyOwnership(claim);
    s.report.ownership = std::string(chain::ToString(result.verdict));
    switch (result.verdict) {
      case chain::OwnershipVerdict::kValid:
        // Single-key addresses: the key that signed is the key that controls the address.
        if (!s.multisig && !s.script_key_known) s.resolved.single_keys = result.signer_keys;
        break;
      case chain::OwnershipVerdict::kInvalid:
      case chain::OwnershipVerdict::kMalformed:
        report_.findings.push_back({"ownership", s.resolved.display,
                                    c.json_path + ".proof: " + s.report.ownership + ": " + result.reason, Severity::kError});
        break;
      case chain::OwnershipVerdict::kUnsupported:
      case chain::OwnershipVerdict::kCannotCheck:
      case chain::OwnershipVerdict::kInternalError:
        report_.errors.push_back(c.json_path + ".proof: cannot check (" + s.report.ownership + "): " + result.reason +
                                 (setup_error.empty() ? "" : "; " + setup_error));
        break;
    }
  };
  const std::uint64_t total = pool_addresses_.size() + firm_addresses_.size();
  std::uint64_t done = 0;
  Work("verifying ownership proofs", 0, total);
  for (auto* group : {&pool_addresses_, &firm_addresses_}) {
    for (auto& s : *group) {
      verify(s);
      Work("verifying ownership proofs", ++done, total);
    }
  }
}

// Which EVM addresses are contracts, what each contract is, and every token's decimals(), at each
// EVM chain's pinned block (vault_reads.h). Without an agreed pin there is nothing to read at: that
// is an error or a finding already.
void Attestation::ReadContracts() {
  for (const ConfigChain& configured : config_.chains) {
    if (configured.chain != Chain::kEthereum) continue;
    auto pin = eth_pins_.find(configured.name);
    if (pin == eth_pins_.end()) continue;
    auto reader = PinnedStateReader::Connect(configured.sources, transports_, pin->second);
    if (!reader) {
      report_.errors.push_back(configured.name + ": " + reader.error().message);
      continue;
    }
    std::vector<AddressState*> states;
    std::vector<EthAddress> accounts;
    for (auto* list : {&pool_addresses_, &firm_addresses_}) {
      for (AddressState& s : *list) {
        const auto* address = std::get_if<chain::EthereumAddress>(&s.config->decoded);
        if (address == nullptr || s.config->chain_name != configured.name) continue;
        states.push_back(&s);
        accounts.push_back(address->bytes);
      }
    }
    Progress("attest: reading the code of " + Count(accounts.size(), configured.name + " address", configured.name + " addresses"));
    AccountReads reads = ReadAccounts(**reader, accounts);
    for (std::size_t i = 0; i < states.size(); ++i) {
      AddressState& s = *states[i];
      auto code = reads.codes.find(accounts[i]);
      if (code == reads.codes.end()) continue;
      s.has_code = code->second.has_code;
      s.type = s.report.type = code->second.has_code ? "contract" : "eoa";
      auto facts = reads.contracts.find(accounts[i]);
      if (facts != reads.contracts.end()) s.contract = facts->second;
    }
    for (auto& e : reads.errors) report_.errors.push_back(configured.name + ": " + std::move(e));
    std::vector<ConfigAsset> tokens;
    for (const ConfigAsset& asset : config_.assets) {
      if (asset.chain_name == configured.name) tokens.push_back(asset);
    }
    CheckTokenDecimals(**reader, tokens, pin->second.number, report_.findings, report_.errors);
  }
}

// Who controls each contract (vault_policy.h): every contract address gets its `vault` object;
// pool contracts also get the findings. Runs after the ownership proofs, whose recovered firm keys
// belong to the firm's Ethereum addresses.
void Attestation::CheckVaults() {
  std::vector<EthAddress> firm_accounts;
  std::vector<Bytes> firm_keys = config_.firm_keys;
  for (const AddressState& s : firm_addresses_) {
    if (const auto* address = std::get_if<chain::EthereumAddress>(&s.config->decoded)) {
      firm_accounts.push_back(address->bytes);
    }
    firm_keys.insert(firm_keys.end(), s.resolved.single_keys.begin(), s.resolved.single_keys.end());
  }
  const std::set<EthAddress> firm = FirmEthereumAddresses(firm_accounts, firm_keys);
  for (auto* list : {&pool_addresses_, &firm_addresses_}) {
    for (AddressState& s : *list) {
      if (!s.contract) continue;
      const std::optional<std::string> pool = s.owner.empty() ? std::nullopt : std::optional<std::string>(s.owner);
      VaultAssessment assessment = AssessVault(*s.contract, firm, s.resolved.display, pool);
      s.report.vault = std::move(assessment.vault);
      for (auto& f : assessment.findings) report_.findings.push_back(std::move(f));
    }
  }
}

void Attestation::CheckCoverage() {
  for (std::size_t p = 0; p < config_.pools.size(); ++p) {
    PoolReport& pr = report_.pools[p];
    std::set<std::string> identities;  // an address listed twice counts once (and is a finding)
    for (const AddressState& s : pool_addresses_) {
      if (s.owner == pr.name) identities.insert(s.resolved.identity);
    }
    bool holds = pr.root.has_value();
    for (std::size_t a = 0; a < config_.assets.size(); ++a) {
      const ConfigAsset& asset = config_.assets[a];
      AssetCoverage cov;
      cov.asset = asset.spec;
      if (pr.root) cov.liabilities = pr.root->sums[a];
      std::optional<u128> reserves = u128{0};
      bool overflow = false;
      for (const std::string& id : identities) {
        if (id.rfind(asset.chain_name + ":", 0) != 0) continue;
        auto it = balances_.find(id + "|" + asset.spec.symbol);
        if (it == balances_.end() || !it->second || !reserves) {
          reserves.reset();
          continue;
        }
        reserves = CheckedAdd(*reserves, *it->second);  // overflow: unknown, never a wrap
        overflow = !reserves;
      }
      if (overflow) {
        // Not a shortfall: the sum cannot be represented, so coverage cannot be checked (DESIGN.md
        // "Assets and tokens").
        report_.errors.push_back("pool " + pr.name + " " + asset.spec.symbol +
                                 ": reserves cannot be checked: the pool's balances add up past 2^128-1 base units");
      }
      cov.reserves = reserves;
      if (pr.root && reserves) cov.covered = *reserves >= cov.liabilities;
      if (cov.covered == false) {
        report_.findings.push_back(
            {"coverage", "pool " + pr.name + " " + asset.spec.symbol,
             "reserves " + merkle::FormatAmount(*reserves, asset.spec.decimals) + " < liabilities " +
                 merkle::FormatAmount(cov.liabilities, asset.spec.decimals) + " (shortfall " +
                 merkle::FormatAmount(cov.liabilities - *reserves, asset.spec.decimals) + ")",
             Severity::kError});
      }
      holds = holds && cov.covered.value_or(false);
      pr.assets.push_back(std::move(cov));
    }
    pr.holds = holds;
    for (AddressState& s : pool_addresses_) {
      if (s.owner != pr.name) continue;
      for (const ConfigAsset& asset : config_.assets) {
        if (asset.chain_name != s.config->chain_name) continue;
        auto it = balances_.find(s.resolved.identity + "|" + asset.spec.symbol);
        s.report.balances.push_back({asset.spec.symbol, it == balances_.end() ? std::nullopt : it->second});
      }
      pr.addresses.push_back(s.report);
    }
  }
  for (const AddressState& s : firm_addresses_) report_.firm_addresses.push_back(s.report);
}


Result<Report> Attestation::Run() {
  report_.id = config_.id;
  report_.message = config_.message;
  report_.config_sha256 = config_.sha256;
  report_.tool_version = options_.tool_version;
  // OUT is replaced whole: never a directory that holds something else (`--out ~`).
  if (Status s = CheckReplaceable(options_.out_dir, {"report.json", "evidence"}, "--out"); !s) return s.error();
  if (Status s = CheckLiabilitiesHeaders(); !s) return s.error();
  auto staged = StagedDirectory::Create(options_.out_dir);
  if (!staged) return staged.error();
  out_dir_ = staged->path();
  std::error_code ec;
  fs::create_directories(out_dir_ + "/pools", ec);
  if (ec) return Error{out_dir_ + ": cannot create: " + ec.message()};
  if (Status s = SetUpTransports(); !s) return s.error();
  CrashPoint("staged");
  if (Status s = BuildTrees(); !s) return s.error();
  CrashPoint("trees");

  ResolveAddresses();
  ReadBalances();
  ReadContracts();
  CrashPoint("balances");
  VerifyOwnershipProofs();
  CheckVaults();
  std::vector<ResolvedAddress> pools, firm;
  for (const auto& s : pool_addresses_) pools.push_back(s.resolved);
  for (const auto& s : firm_addresses_) firm.push_back(s.resolved);
  for (auto& f : CheckSegregation(pools, firm, config_.firm_keys)) report_.findings.push_back(std::move(f));
  CheckCoverage();
  report_.verdict = report::DecideVerdict(report_);

  if (evidence_) {
    if (Status s = evidence_->FirstFailure(); !s) return s.error();
  }
  if (Status s = WriteFileAtomic(out_dir_ + "/report.json", ReportToJson(report_)); !s) return s.error();
  if (Status s = WriteFileAtomic(out_dir_ + "/report.html", ReportToHtml(report_)); !s) return s.error();
  CrashPoint("report");
  if (Status s = staged->Commit(); !s) return s.error();
  return report_;
}

}  // namespace

Result<report::Report> RunAttestation(const AttestOptions& options) {
  auto config = LoadAttestationConfig(options.config_path);
  if (!config) return config.error();
  Attestation attestation(options, std::move(*config));
  return attestation.Run();
}

}  // namespace segverify::attest
