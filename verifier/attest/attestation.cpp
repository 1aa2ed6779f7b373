#include "verifier/attest/attestation.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "clients/chain_source.h"
#include "clients/ethereum_client.h"
#include "clients/evidence.h"
#include "clients/quorum.h"
#include "common/file_io.h"
#include "common/json.h"
#include "common/parallel.h"
#include "common/sha256.h"
#include "merkle/amount.h"
#include "merkle/tree_builder.h"
#include "merkle/tree_layout.h"
#include "merkle/tree_store.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/attest/attestation_config.h"
#include "verifier/attest/segregation.h"
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

using merkle::kTreeFiles;  // merkle/tree_layout.h

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

// What the run learned about one configured address.
struct AddressState {
  const ConfigAddress* config = nullptr;
  std::string owner;  // pool name; empty for the firm
  ResolvedAddress resolved;
  std::string type;
  std::string script_pubkey_hex;  // bitcoin
  bool multisig = false;
  bool script_key_known = false;  // single-key script: its key comes from the script
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
  Status SetUpTransports();
  void BuildTrees();
  Status ReuseRecordedTree(const ConfigPool& pool, const std::string& sha, const std::string& out);
  void ResolveAddresses();
  void ResolveOne(AddressState& state);
  void ReadBalances();
  void VerifyOwnershipProofs();
  void CheckCoverage();

  const AttestOptions& options_;
  AttestationConfig config_;
  Report report_;
  clients::TransportFactory transports_;
  std::vector<AddressState> pool_addresses_;
  std::vector<AddressState> firm_addresses_;
  std::map<std::string, std::optional<u128>> balances_;  // identity + "|" + symbol
  std::map<Chain, clients::EthBlockPin> eth_pins_;
  std::set<std::string> unreadable_chains_;
};

Status Attestation::SetUpTransports() {
  const std::string evidence_dir = options_.out_dir + "/evidence";
  if (options_.replay_dir) {
    auto replay = clients::EvidenceReplay::Load(*options_.replay_dir);
    if (!replay) return replay.error();
    transports_ = clients::ReplayTransports(*replay);
    // Keep the recording with the new report, so OUT is self-contained.
    std::error_code ec;
    if (!fs::equivalent(*options_.replay_dir, evidence_dir, ec)) {
      fs::remove_all(evidence_dir, ec);
      fs::copy(*options_.replay_dir, evidence_dir, fs::copy_options::recursive, ec);
      if (ec) return Error{evidence_dir + ": cannot copy the recording: " + ec.message()};
    }
    return Status::Ok();
  }
  std::error_code ec;
  fs::remove_all(evidence_dir, ec);  // evidence of an earlier run in OUT must not mix with this one
  auto log = clients::EvidenceLog::Open(evidence_dir);
  if (!log) return log.error();
  transports_ = clients::RecordingTransports(clients::LiveTransports(options_.http), *log);
  return Status::Ok();
}

// With a replay and no nonce key, the recorded run's trees are the only way to the same roots.
Status Attestation::ReuseRecordedTree(const ConfigPool& pool, const std::string& sha, const std::string& out) {
  const fs::path recorded_run = fs::path(*options_.replay_dir).parent_path();
  auto old_report = report::ReadReportFile((recorded_run / "report.json").string());
  if (!old_report) return old_report.error();
  const auto& hashes = old_report->liabilities_sha256;
  if (std::find(hashes.begin(), hashes.end(), std::pair{pool.name, sha}) == hashes.end()) {
    return Error{"pool " + pool.name + ": liabilities changed since the recorded run"};
  }
  const fs::path recorded_tree = recorded_run / "pools" / pool.name;
  std::error_code ec;
  if (fs::equivalent(recorded_tree, out, ec)) return Status::Ok();
  fs::create_directories(out, ec);
  fs::remove(fs::path(out) / "root.json", ec);
  for (const char* name : kTreeFiles) {
    const fs::path temp = fs::path(out) / (std::string(name) + ".copy");
    fs::copy_file(recorded_tree / name, temp, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::rename(temp, fs::path(out) / name, ec);
    if (ec) return Error{(recorded_tree / name).string() + ": cannot copy: " + ec.message()};
  }
  return Status::Ok();
}

void Attestation::BuildTrees() {
  for (const ConfigPool& pool : config_.pools) {
    PoolReport pr;
    pr.name = pool.name;
    const std::string out = options_.out_dir + "/pools/" + pool.name;
    auto sha = FileSha256(pool.liabilities_path);
    if (!sha) {
      report_.errors.push_back("pool " + pool.name + ": " + sha.error().message);
      report_.pools.push_back(std::move(pr));
      continue;
    }
    report_.liabilities_sha256.emplace_back(pool.name, *sha);
    Progress("attest: building the tree of pool " + pool.name);
    Status built;
    if (options_.replay_dir && !options_.nonce_key) {
      built = ReuseRecordedTree(pool, *sha, out);
    } else {
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
        Progress("attest: pool " + pool.name + ": " + std::string(stage) + " " + std::to_string(done) +
                 (total != 0 ? "/" + std::to_string(total) : ""));
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
    if (!built.ok()) report_.errors.push_back("pool " + pool.name + ": " + built.message());
    report_.pools.push_back(std::move(pr));
  }
}

void Attestation::ResolveOne(AddressState& s) {
  const ConfigAddress& c = *s.config;
  s.report.chain = std::string(ToString(c.chain));
  s.report.proof = c.proof_type ? std::string(chain::ToString(*c.proof_type)) : "none";
  s.resolved.owner = s.owner;
  s.resolved.json_path = c.json_path;
  if (const auto* eth = std::get_if<chain::EthereumAddress>(&c.decoded)) {
    s.resolved.display = eth->canonical;
    s.resolved.identity = "ethereum:" + ToHex(eth->bytes);
    s.type = c.proof_type == chain::ProofType::kErc1271 ? "contract" : "eoa";
  } else {
    const auto& decoded = std::get<chain::BitcoinAddress>(c.decoded);
    s.resolved.display = decoded.canonical;
    s.script_pubkey_hex = ToHex(decoded.script_pubkey);
    s.resolved.identity = "bitcoin:" + s.script_pubkey_hex;
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
    cr.chain = std::string(ToString(chain.chain));
    cr.height_key = chain.chain == Chain::kBitcoin ? "height" : "block";
    cr.height = chain.height;
    for (const auto& source : chain.sources) {
      auto url = clients::ParseSourceUrl(source.url);
      cr.sources.push_back(url ? url->display : "(malformed url)");
    }
    clients::BalanceQuery query;
    query.chain = chain.chain;
    query.height = chain.height;
    std::set<std::string> seen;
    for (const AddressState& s : pool_addresses_) {
      if (s.config->chain != chain.chain || !seen.insert(s.resolved.identity).second) continue;
      query.addresses.push_back({s.resolved.display, s.script_pubkey_hex});
    }
    for (const ConfigAsset& asset : config_.assets) {
      if (asset.chain == chain.chain) query.assets.push_back({asset.spec.symbol, asset.contract});
    }
    Progress("attest: reading " + std::to_string(query.addresses.size()) + " " + cr.chain + " addresses at " +
             cr.height_key + " " + std::to_string(chain.height) + " from " + std::to_string(chain.sources.size()) +
             " source(s)");
    clients::SourceOptions source_options;
    source_options.expected_chain_id = 1;  // attestations are mainnet only
    auto result = clients::ReadChainBalances(query, chain.sources, transports_, source_options,
                                             [this](const std::string& line) { Progress("attest: " + line); });
    if (!result) {
      report_.errors.push_back(cr.chain + ": " + result.error().message);
      unreadable_chains_.insert(cr.chain);
      report_.chains.push_back(std::move(cr));
      continue;
    }
    if (!result->block_hash.empty()) cr.block_hash = result->block_hash;
    cr.sources = result->sources;
    for (const auto& d : result->disagreements) {
      report_.findings.push_back({"sources-disagree", d.subject, d.Describe(), Severity::kError});
    }
    // Quorum reports balances by the address text we gave (the canonical form): map it back to
    // the identity once per address, not once per balance.
    std::map<std::string, std::string> identity_of;
    for (const AddressState& s : pool_addresses_) {
      if (s.config->chain == chain.chain) identity_of.emplace(s.resolved.display, s.resolved.identity);
    }
    for (const auto& b : result->balances) {
      auto it = identity_of.find(b.address);
      if (it != identity_of.end()) balances_[it->second + "|" + b.asset] = b.amount;
    }
    if (chain.chain == Chain::kEthereum && !result->block_hash.empty()) {
      eth_pins_[chain.chain] = clients::EthBlockPin{chain.height, result->block_hash};
    }
    report_.chains.push_back(std::move(cr));
  }
}

void Attestation::VerifyOwnershipProofs() {
  // ERC-1271 calls go to every Ethereum source at the pinned block; they must all agree.
  std::vector<std::unique_ptr<clients::EthereumClient>> eth_clients;
  std::string eth_setup_error;
  const ConfigChain* eth = config_.FindChain(Chain::kEthereum);
  if (eth != nullptr) {
    for (const auto& source : eth->sources) {
      auto client = clients::MakeEthereumClient(source, transports_);
      if (!client) {
        eth_setup_error = client.error().message;
        break;
      }
      eth_clients.push_back(std::move(*client));
    }
  }
  auto pin = eth_pins_.find(Chain::kEthereum);
  chain::EthCall eth_call;
  if (eth != nullptr && pin != eth_pins_.end() && eth_setup_error.empty()) {
    const clients::EthBlockPin block_pin = pin->second;
    eth_call = [&eth_clients, block_pin](const std::array<std::uint8_t, 20>& to, const Bytes& data,
                                        std::uint64_t) -> Result<EthCallResult> {
      std::optional<EthCallResult> first;
      for (auto& client : eth_clients) {
        auto answer = client->EthCall(to, data, block_pin);
        if (!answer) return answer.error();
        if (!first) first = *answer;
        else if (first->outcome != answer->outcome || first->data != answer->data) {
          return Error{"sources disagree on the eth_call to " + chain::ToEip55(to)};
        }
      }
      if (!first) return Error{"no Ethereum source"};
      return *first;
    };
  }

  Progress("attest: verifying " + std::to_string(pool_addresses_.size() + firm_addresses_.size()) + " ownership proofs");
  // The signature checks run on every core; ERC-1271 ones call the nodes, so they stay in order
  // on this thread. Findings are then recorded in address order.
  std::vector<AddressState*> states;
  for (auto& s : pool_addresses_) states.push_back(&s);
  for (auto& s : firm_addresses_) states.push_back(&s);
  std::vector<chain::OwnershipResult> results(states.size());
  auto check = [&](AddressState& s) {
    const ConfigAddress& c = *s.config;
    chain::OwnershipClaim claim;
    claim.chain = c.chain;
    claim.address = c.address;
    claim.message = config_.message;
    claim.signature = c.signature;
    claim.type = c.proof_type;
    claim.witness_script = c.script;
    if (c.chain == Chain::kEthereum) {
      claim.eth_call = eth_call;
      claim.block = eth != nullptr ? std::optional<std::uint64_t>(eth->height) : std::nullopt;
    }
    return chain::VerifyOwnership(claim);
  };
  auto calls_node = [](const AddressState& s) { return s.config->proof_type == chain::ProofType::kErc1271; };
  RunParallel(states.size(), DefaultThreads(), [&](std::size_t i) {
    if (states[i]->config->proof_type && !calls_node(*states[i])) results[i] = check(*states[i]);
  });
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (states[i]->config->proof_type && calls_node(*states[i])) results[i] = check(*states[i]);
  }
  auto record = [&](AddressState& s, const chain::OwnershipResult& result) {
    const ConfigAddress& c = *s.config;
    if (!c.proof_type) {
      s.report.ownership = "missing";
      report_.findings.push_back({"ownership", s.resolved.display, c.json_path + ": no ownership proof", Severity::kError});
      return;
    }
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
                                 (eth_setup_error.empty() ? "" : "; " + eth_setup_error));
        break;
    }
  };
  for (std::size_t i = 0; i < states.size(); ++i) record(*states[i], results[i]);
  Progress("attest: checked " + std::to_string(states.size()) + " ownership proofs");
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
      for (const std::string& id : identities) {
        if (id.rfind(std::string(ToString(asset.chain)) + ":", 0) != 0) continue;
        auto it = balances_.find(id + "|" + asset.spec.symbol);
        if (it == balances_.end() || !it->second || !reserves) {
          reserves.reset();
          continue;
        }
        reserves = CheckedAdd(*reserves, *it->second);  // overflow: unknown, never a wrap
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
        if (asset.chain != s.config->chain) continue;
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
  std::error_code ec;
  fs::create_directories(options_.out_dir + "/pools", ec);
  if (ec) return Error{options_.out_dir + ": cannot create: " + ec.message()};
  if (Status s = SetUpTransports(); !s) return s.error();

  BuildTrees();
  ResolveAddresses();
  ReadBalances();
  VerifyOwnershipProofs();
  std::vector<ResolvedAddress> pools, firm;
  for (const auto& s : pool_addresses_) pools.push_back(s.resolved);
  for (const auto& s : firm_addresses_) firm.push_back(s.resolved);
  for (auto& f : CheckSegregation(pools, firm, config_.firm_keys)) report_.findings.push_back(std::move(f));
  CheckCoverage();
  report_.verdict = report::DecideVerdict(report_);

  if (Status s = WriteFileAtomic(options_.out_dir + "/report.json", ReportToJson(report_)); !s) return s.error();
  if (Status s = WriteFileAtomic(options_.out_dir + "/report.html", ReportToHtml(report_)); !s) return s.error();
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
