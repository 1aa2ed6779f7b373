#include "verifier/attest/attestation.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>

#include "clients/chain_source.h"
#include "clients/ethereum_client.h"
#include "clients/quorum.h"
#include "common/json.h"
#include "common/parallel.h"
#include "common/plural.h"
#include "common/sha256.h"
#include "merkle/amount.h"
#include "verifier/attest/attestation_config.h"
#include "verifier/attest/segregation.h"
#include "verifier/attest/vault_policy.h"
#include "verifier/attest/vault_reads.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/eip191.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/multisig_script.h"
#include "verifier/chain/safe_signature.h"
#include "verifier/report/public_view.h"

namespace segverify::attest {
namespace {

using report::AddressReport;
using report::AssetCoverage;
using report::ChainReport;
using report::PoolReport;
using report::Report;
using report::Severity;

// A block header's timestamp as report.json gives it.
std::string UtcIso8601(std::uint64_t seconds) { return report::UnixToUtcIso(static_cast<std::int64_t>(seconds)); }

// The report's word for a signature check's verdict.
report::Ownership OwnershipOf(chain::OwnershipVerdict verdict) {
  switch (verdict) {
    case chain::OwnershipVerdict::kValid:
      return report::Ownership::kValid;
    case chain::OwnershipVerdict::kInvalid:
      return report::Ownership::kInvalid;
    case chain::OwnershipVerdict::kUnsupported:
      return report::Ownership::kUnsupported;
    case chain::OwnershipVerdict::kMalformed:
      return report::Ownership::kMalformed;
    case chain::OwnershipVerdict::kCannotCheck:
      return report::Ownership::kCannotCheck;
    case chain::OwnershipVerdict::kInternalError:
      return report::Ownership::kInternalError;
  }
  return report::Ownership::kInternalError;
}

// What the run learned about one configured address.
struct AddressState {
  const ConfigAddress* config = nullptr;
  std::string owner;  // pool name; empty for the firm
  ResolvedAddress resolved;
  std::string type;
  std::string script_pubkey_hex;  // bitcoin
  bool multisig = false;
  bool script_key_known = false;                // single-key script: its key comes from the script
  std::optional<std::string> taproot_mismatch;  // why the "taproot" disclosure does not give the address
  std::optional<bool> has_code;                 // ethereum: code at the pinned block (nullopt: not read)
  std::optional<ContractFacts> contract;        // ethereum contracts: what the vault rules read
  AddressReport report;
};

// The checks of one attestation plan (attestation.h), step by step into report_.
// ERC-1271 calls on one EVM chain go to every source of that chain at its pinned block; they must
// all agree. Without a pin (the chain could not be read) there is no call, and contract proofs on
// that chain cannot be checked.
struct EvmCaller {
  std::vector<std::unique_ptr<clients::EthereumClient>> clients;
  std::optional<Error> setup_error;  // a source that could not be set up: no call at all
  chain::EthCall call;
};

class Attestation {
 public:
  Attestation(const AttestationPlan& plan, const CheckEnvironment& environment)
      : plan_(plan), environment_(environment), config_(plan.config), transports_(environment.transports) {}

  Report Run();

 private:
  void Progress(const std::string& line) const {
    if (environment_.progress) environment_.progress(line);
  }
  void Work(std::string_view step, std::uint64_t done, std::uint64_t total) const {
    if (environment_.work) environment_.work(step, done, total);
  }
  void AddLiabilities();
  void ResolveAddresses();
  void ResolveOne(AddressState& state);
  void ResolveTaproot(AddressState& state, const chain::BitcoinAddress& decoded);
  void ReadBalances();
  void ReadContracts();
  void VerifyOwnershipProofs();
  std::map<std::string, EvmCaller> MakeEvmCallers() const;
  std::optional<chain::OwnershipResult> LocalSafeSignature(const AddressState& s) const;
  chain::OwnershipClaim ClaimOf(const AddressState& state, const EvmCaller* caller) const;
  void RecordOwnership(AddressState& state, const chain::OwnershipResult& result, const EvmCaller* caller);
  void CheckVaults();
  void CheckCoverage();

  bool KeepsPinnedBlock(const ConfigChain& chain, const clients::ChainBalances& read);
  void RecordReads(const ConfigChain& chain, ChainReport& cr);

  const AttestationPlan& plan_;
  const CheckEnvironment& environment_;
  const AttestationConfig& config_;
  const clients::TransportFactory& transports_;
  Report report_;
  std::vector<AddressState> pool_addresses_;
  std::vector<AddressState> firm_addresses_;
  std::map<std::string, std::optional<u128>> balances_;                    // identity + "|" + symbol
  std::map<std::string, clients::EthBlockPin> eth_pins_;                   // by chain name
  std::map<std::string, std::unique_ptr<PinnedStateReader>> eth_readers_;  // by chain name, once connected
  std::set<std::string> unreadable_chains_;
};

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
    const bool script_address =
        decoded.type == chain::BitcoinAddressType::kP2wsh || decoded.type == chain::BitcoinAddressType::kP2sh;
    if (c.script) {
      auto match = chain::CheckScriptMatchesAddress(decoded, *c.script);
      if (!match || *match != chain::ScriptMatch::kMatches) {
        report_.findings.push_back({report::Check::kScriptMismatch, s.resolved.display,
                                    c.json_path + ".script does not hash to this address" +
                                        (match ? std::string() : ": " + match.error().message),
                                    Severity::kError});
      } else {
        auto policy = chain::KeysInScript(*c.script);
        if (!policy) {
          Problem problem = ProblemOf(
              policy.error(), c.chain_name,
              c.json_path + ".script: cannot tell who controls " + s.resolved.display + ": " + policy.error().message);
          problem.kind = ProblemKind::kInput;
          problem.subject = s.resolved.display;
          report_.problems.push_back(std::move(problem));
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
      Problem problem;
      problem.kind = ProblemKind::kInput;
      problem.chain = c.chain_name;
      problem.subject = s.resolved.display;
      problem.detail = s.type + " address " + s.resolved.display + " needs its \"script\" to check who controls it";
      problem.line = c.json_path + ": " + problem.detail;
      report_.problems.push_back(std::move(problem));
    }
    if (decoded.type == chain::BitcoinAddressType::kP2tr) ResolveTaproot(s, decoded);
  }
  s.report.address = s.resolved.display;
  s.report.type = s.type;
}

// A P2TR address's spend paths (docs/FORMAT.md §7, docs/DESIGN.md §Taproot): its
// key-path proof shows only the output key, so the internal key and every script leaf must be
// disclosed and are checked against it. A pool address without the disclosure, or with a leaf of
// a shape whose signers cannot be read, is vault-unverified; a disclosure that does not give the
// output key makes the address's proof invalid (RecordOwnership). A firm address's paths add firm
// keys; its other leaves add nothing (who signs them is unknown).
void Attestation::ResolveTaproot(AddressState& s, const chain::BitcoinAddress& decoded) {
  const ConfigAddress& c = *s.config;
  const bool pool = !s.owner.empty();
  if (!c.taproot) {
    if (pool) {
      report_.findings.push_back(
          {report::Check::kVaultUnverified, s.resolved.display,
           c.json_path + ": this pool " + s.owner +
               " Taproot address discloses no \"taproot\" (internal key and script tree): its key-path proof "
               "shows only the output key, so who else can spend it is unknown",
           Severity::kError});
    }
    return;
  }
  const auto output_key = chain::TaprootOutputKey(*c.taproot);
  if (!output_key ||
      !std::equal(output_key->begin(), output_key->end(), decoded.program.begin(), decoded.program.end())) {
    s.taproot_mismatch = c.json_path +
                         ".taproot: the internal key and script tree do not give this address's output key "
                         "(BIP-341 tweak recomputed: " +
                         (output_key ? ToHex(*output_key) : std::string("no key")) + ")";
    return;
  }
  s.resolved.taproot_paths.push_back(
      {"internal key", 1, {Bytes(c.taproot->internal_key.begin(), c.taproot->internal_key.end())}});
  if (!c.taproot->tree) return;
  const auto leaves = chain::TapLeaves(*c.taproot->tree);
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const std::string name = "script leaf " + std::to_string(i + 1);
    auto policy = chain::KeysInTapscript(*leaves[i]);
    if (policy) {
      s.resolved.taproot_paths.push_back({name, policy->threshold, std::move(policy->keys)});
    } else if (pool) {
      report_.findings.push_back({report::Check::kVaultUnverified, s.resolved.display,
                                  c.json_path + ".taproot: " + name + " of this pool " + s.owner +
                                      " Taproot address: " + policy.error().message +
                                      ", so who can spend by it is unknown",
                                  Severity::kError});
    }
  }
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
    cr.family = chain.chain;
    cr.height = chain.height;
    // The operator's record shows each source as scheme://host:port, in config order.
    for (const auto& source : chain.sources) cr.sources.push_back(clients::RedactSourceUrl(source.url));
    if (chain.chain == Chain::kEthereum) RecordReads(chain, cr);
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
      if (asset.chain_name == chain.name) {
        query.assets.push_back({asset.spec.symbol, asset.contract, asset.balance_slot, asset.agreed_reads});
      }
    }
    Progress("reading " + Count(query.addresses.size(), cr.chain + " address", cr.chain + " addresses") + " at " +
             std::string(report::HeightKey(cr.family)) + " " + std::to_string(chain.height) + " from " +
             Count(chain.sources.size(), "source", "sources"));
    clients::SourceOptions source_options = environment_.source_options;
    source_options.expected_chain_id = chain.chain_id;  // a node on another chain is refused
    source_options.scan_progress = environment_.work;   // Bitcoin Core's scans, however few the addresses
    auto result = clients::ReadChainBalances(query, chain.sources, transports_, source_options, environment_.work);
    if (!result) {
      for (const Error& failed : result.error().Each()) {  // every failing source, not only the first
        report_.problems.push_back(ProblemOf(failed, cr.chain, cr.chain + ": " + failed.message));
      }
      unreadable_chains_.insert(cr.chain);
      report_.chains.push_back(std::move(cr));
      continue;
    }
    if (!result->block_hash.empty()) cr.block_hash = result->block_hash;
    for (const auto& [symbol, slot] : result->balance_slots) {
      cr.balance_slots[symbol] = report::BalanceSlotReport{slot.slot, std::string(clients::ToString(slot.layout))};
    }
    if (result->block_time) cr.block_time = UtcIso8601(*result->block_time);
    for (const auto& d : result->disagreements) {
      report_.findings.push_back({report::Check::kSourcesDisagree, d.subject, d.Describe(), Severity::kError});
    }
    if (!KeepsPinnedBlock(chain, *result)) {
      report_.chains.push_back(std::move(cr));
      continue;
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

// What of an EVM chain is proven and what only agreed (docs/SECURITY.md "Proven Ethereum reads").
// Agreed reads are only as good as the sources' independence: a PASS needs at least two of them.
void Attestation::RecordReads(const ConfigChain& chain, ChainReport& cr) {
  cr.reads = std::string(clients::ToString(chain.reads));
  // What is only agreed by fewer than two sources cannot back a PASS: could-not-check.
  auto needs_two_sources = [&](const std::string& asset, const std::string& what) {
    if (chain.sources.size() >= 2) return;
    Problem problem;
    problem.kind = ProblemKind::kInput;
    problem.chain = chain.name;
    problem.asset = asset;
    problem.detail = what + " agreed, not proven: a PASS needs at least two independent sources, " +
                     std::to_string(chain.sources.size()) + " configured";
    problem.line = chain.name + ": " + problem.detail;
    report_.problems.push_back(std::move(problem));
  };
  if (chain.reads == clients::EthReads::kAgreed) {
    cr.agreed_reads = {"balances", "contract code and storage", "eth_call answers"};
    needs_two_sources("", "reads are (\"reads\":\"agreed\")");
    return;
  }
  for (const ConfigAsset& asset : config_.assets) {
    if (asset.chain_name != chain.name || !asset.agreed_reads) continue;
    cr.agreed_reads.push_back(asset.spec.symbol + " balances (balanceOf; the asset's reads are agreed)");
    needs_two_sources(asset.spec.symbol, asset.spec.symbol + " balances are (the asset's \"reads\":\"agreed\")");
  }
  cr.agreed_reads.push_back("eth_call answers (decimals; ERC-1271 of contracts other than a recognized Safe)");
}

// Whether what the sources read is at the block the plan pins (a re-check pins the published
// block hashes). Another block at that height is another chain: a `block-hash` finding, and none
// of its balances or state is used.
bool Attestation::KeepsPinnedBlock(const ConfigChain& chain, const clients::ChainBalances& read) {
  auto pinned = plan_.pinned_hashes.find(chain.name);
  if (pinned == plan_.pinned_hashes.end() || read.block_hash.empty()) return true;
  auto bare = [](std::string_view hash) {
    if (hash.starts_with("0x") || hash.starts_with("0X")) hash.remove_prefix(2);
    std::string lower(hash);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
  };
  if (bare(read.block_hash) == bare(pinned->second)) return true;
  std::string sources;
  for (const std::string& source : read.sources) sources += (sources.empty() ? "" : ", ") + source;
  report_.findings.push_back({report::Check::kBlockHash, chain.name + " block " + std::to_string(chain.height),
                              "at " + std::string(chain.chain == Chain::kBitcoin ? "height " : "block ") +
                                  std::to_string(chain.height) + " the sources have block " + read.block_hash +
                                  ", not the pinned block " + pinned->second + " (" + sources + ")",
                              Severity::kError});
  return false;
}

// One caller per EVM chain (by name; the map keeps each caller in place for the calls that
// refer to its clients).
std::map<std::string, EvmCaller> Attestation::MakeEvmCallers() const {
  std::map<std::string, EvmCaller> callers;
  for (const ConfigChain& configured : config_.chains) {
    if (configured.chain != Chain::kEthereum) continue;
    EvmCaller& caller = callers[configured.name];
    for (const auto& source : configured.sources) {
      auto client = clients::MakeEthereumClient(source, transports_);
      if (!client) {
        caller.setup_error = client.error().AtSource(caller.clients.size());
        break;
      }
      caller.clients.push_back(std::move(*client));
    }
    auto pin = eth_pins_.find(configured.name);
    if (pin == eth_pins_.end() || caller.setup_error) continue;
    const clients::EthBlockPin block_pin = pin->second;
    caller.call = [&clients = caller.clients, block_pin](const std::array<std::uint8_t, 20>& to, const Bytes& data,
                                                         std::uint64_t) -> Result<EthCallResult> {
      std::optional<EthCallResult> first;
      for (std::size_t i = 0; i < clients.size(); ++i) {
        auto answer = clients[i]->EthCall(to, data, block_pin);
        if (!answer) return answer.error().AtSource(i);
        if (!first)
          first = *answer;
        else if (first->outcome != answer->outcome || first->data != answer->data) {
          return Error{"sources disagree on the eth_call to " + chain::ToEip55(to), ProblemKind::kDisagreement};
        }
      }
      if (!first) return Error{"no Ethereum source", ProblemKind::kInput};
      return *first;
    };
  }
  return callers;
}

// What the address's proof claims, with the node access a contract's proof needs (`caller`: its
// chain's, for Ethereum addresses).
chain::OwnershipClaim Attestation::ClaimOf(const AddressState& s, const EvmCaller* caller) const {
  const ConfigAddress& c = *s.config;
  chain::OwnershipClaim claim;
  claim.chain = c.chain;
  claim.address = c.address;
  claim.message = config_.message;
  claim.signature = c.signature;
  claim.type = c.proof_type;
  claim.witness_script = c.script;
  if (c.chain == Chain::kEthereum) {
    claim.eth_call = caller != nullptr ? caller->call : chain::EthCall{};
    const ConfigChain* configured = config_.FindChain(c.chain_name);
    claim.block = configured != nullptr ? std::optional<std::uint64_t>(configured->height) : std::nullopt;
    claim.has_code = s.has_code;
  }
  return claim;
}

// A recognized Safe's ERC-1271 proof on a chain of proven reads: judged from its proven owners and
// threshold (chain/safe_signature.h), not from an eth_call answer a provider could make up. nullopt:
// the ordinary path (another contract, agreed reads, or a signature kind only the chain can judge).
std::optional<chain::OwnershipResult> Attestation::LocalSafeSignature(const AddressState& s) const {
  const ConfigAddress& c = *s.config;
  if (c.proof_type != chain::ProofType::kErc1271 || !s.contract) return std::nullopt;
  const ConfigChain* configured = config_.FindChain(c.chain_name);
  if (configured == nullptr || configured->reads != clients::EthReads::kProven) return std::nullopt;
  const SafePolicy* safe = SafeWithOfficialHandler(*s.contract);
  const auto* address = std::get_if<chain::EthereumAddress>(&c.decoded);
  if (safe == nullptr || address == nullptr) return std::nullopt;
  auto signature = chain::DecodeEthereumHex(c.signature);
  if (!signature) return std::nullopt;  // the ordinary path names what is wrong with it
  return chain::VerifySafeSignature(address->bytes, configured->chain_id, config_.message, *signature, safe->owners,
                                    safe->threshold);
}

// The verdict in the address's report; a finding when it does not hold, a problem when it could
// not be checked (with why the chain's nodes could not be used, if that is the reason).
void Attestation::RecordOwnership(AddressState& s, const chain::OwnershipResult& result, const EvmCaller* caller) {
  const ConfigAddress& c = *s.config;
  if (s.taproot_mismatch && (!c.proof_type || result.verdict != chain::OwnershipVerdict::kValid)) {
    report_.findings.push_back({report::Check::kOwnership, s.resolved.display, *s.taproot_mismatch, Severity::kError});
  }
  if (!c.proof_type) {
    s.report.ownership = report::Ownership::kMissing;
    report_.findings.push_back(
        {report::Check::kOwnership, s.resolved.display, c.json_path + ": no ownership proof", Severity::kError});
    return;
  }
  chain::OwnershipResult checked = result;
  if (s.taproot_mismatch && result.verdict == chain::OwnershipVerdict::kValid) {
    // The signature is the output key's, but the disclosure of who else can spend is false.
    checked.verdict = chain::OwnershipVerdict::kInvalid;
    checked.reason = *s.taproot_mismatch;
  }
  s.report.ownership = OwnershipOf(checked.verdict);
  const std::string ownership(report::ToString(s.report.ownership));
  switch (checked.verdict) {
    case chain::OwnershipVerdict::kValid:
      // Single-key addresses: the key that signed is the key that controls the address.
      if (!s.multisig && !s.script_key_known) s.resolved.single_keys = checked.signer_keys;
      break;
    case chain::OwnershipVerdict::kInvalid:
    case chain::OwnershipVerdict::kMalformed:
      report_.findings.push_back({report::Check::kOwnership, s.resolved.display,
                                  c.json_path + ".proof: " + ownership + ": " + checked.reason, Severity::kError});
      break;
    case chain::OwnershipVerdict::kUnsupported:
    case chain::OwnershipVerdict::kCannotCheck:
    case chain::OwnershipVerdict::kInternalError: {
      const std::optional<Error>& setup = caller != nullptr ? caller->setup_error : std::nullopt;
      Problem problem;
      problem.kind = ProblemKind::kOwnershipUnchecked;  // the address's `ownership` says which way
      problem.chain = c.chain_name;
      problem.subject = s.resolved.display;
      problem.detail = checked.reason + (setup ? "; " + setup->message : "");
      problem.line = c.json_path + ".proof: cannot check (" + ownership + "): " + problem.detail;
      report_.problems.push_back(std::move(problem));
      break;
    }
  }
}

void Attestation::VerifyOwnershipProofs() {
  const std::map<std::string, EvmCaller> callers = MakeEvmCallers();
  auto caller_of = [&](const AddressState& s) -> const EvmCaller* {
    auto it = callers.find(s.config->chain_name);
    return it == callers.end() ? nullptr : &it->second;
  };
  Progress("verifying " +
           Count(pool_addresses_.size() + firm_addresses_.size(), "ownership proof", "ownership proofs"));
  // The signature checks run on every core; ERC-1271 ones call the nodes, so they stay in order
  // on this thread. Findings are then recorded in address order.
  std::vector<AddressState*> states;
  for (auto& s : pool_addresses_) states.push_back(&s);
  for (auto& s : firm_addresses_) states.push_back(&s);
  std::vector<chain::OwnershipResult> results(states.size());
  auto check = [&](std::size_t i) {
    auto local = LocalSafeSignature(*states[i]);
    results[i] = local ? *local : chain::VerifyOwnership(ClaimOf(*states[i], caller_of(*states[i])));
  };
  auto calls_node = [&](std::size_t i) { return states[i]->config->proof_type == chain::ProofType::kErc1271; };
  RunParallel(states.size(), DefaultThreads(), [&](std::size_t i) {
    if (states[i]->config->proof_type && !calls_node(i)) check(i);
  });
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (states[i]->config->proof_type && calls_node(i)) check(i);
  }
  std::size_t given = 0, failed = 0;
  for (std::size_t i = 0; i < states.size(); ++i) {
    RecordOwnership(*states[i], results[i], caller_of(*states[i]));
    Work("verifying ownership proofs", i + 1, states.size());
    if (!states[i]->config->proof_type) continue;
    ++given;
    if (results[i].verdict == chain::OwnershipVerdict::kInvalid) ++failed;
  }
  // Every proof failing at once is rarely every key lost: most often the config's message is not
  // the one that was signed (a new month's message, last month's signatures). One line says so.
  if (given >= 2 && failed == given) {
    const std::string hint =
        "all " + std::to_string(given) +
        " ownership proofs fail to verify: is the config's message the one that was signed? (a new "
        "month's message needs new signatures)";
    Progress(hint);
    report_.findings.push_back({report::Check::kOwnership, "every address", hint, Severity::kInfo});
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
    auto connected = PinnedStateReader::Connect(configured.sources, transports_, pin->second);
    if (!connected) {
      report_.problems.push_back(
          ProblemOf(connected.error(), configured.name, configured.name + ": " + connected.error().message));
      continue;
    }
    auto& reader = eth_readers_[configured.name] = std::move(*connected);
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
    Progress("reading the code of " +
             Count(accounts.size(), configured.name + " address", configured.name + " addresses"));
    AccountReads reads = ReadAccounts(*reader, accounts);
    for (std::size_t i = 0; i < states.size(); ++i) {
      AddressState& s = *states[i];
      auto code = reads.codes.find(accounts[i]);
      if (code == reads.codes.end()) continue;
      s.has_code = code->second.has_code;
      s.type = s.report.type = code->second.has_code ? "contract" : "eoa";
      auto facts = reads.contracts.find(accounts[i]);
      if (facts != reads.contracts.end()) s.contract = facts->second;
    }
    for (Problem& p : reads.problems) {
      p.chain = configured.name;
      p.line = configured.name + ": " + p.line;
      report_.problems.push_back(std::move(p));
    }
    std::vector<ConfigAsset> tokens;
    for (const ConfigAsset& asset : config_.assets) {
      if (asset.chain_name == configured.name) tokens.push_back(asset);
    }
    std::vector<Problem> unread;
    CheckTokenDecimals(*reader, tokens, pin->second.number, report_.findings, unread);
    for (Problem& p : unread) {
      p.chain = configured.name;
      report_.problems.push_back(std::move(p));
    }
  }
}

// Who controls each contract (vault_policy.h): every contract address gets its `vault` object;
// pool contracts also get the findings. Runs after the ownership proofs, whose recovered firm keys
// belong to the firm's Ethereum addresses: only then can each Safe's owners[F] and modules[F] be
// read for every firm address F (entries its lists may not reach).
void Attestation::CheckVaults() {
  std::vector<EthAddress> firm_accounts;
  std::vector<Bytes> firm_keys = config_.firm_keys;
  for (const AddressState& s : firm_addresses_) {
    if (const auto* address = std::get_if<chain::EthereumAddress>(&s.config->decoded)) {
      firm_accounts.push_back(address->bytes);
    }
    firm_keys.insert(firm_keys.end(), s.resolved.single_keys.begin(), s.resolved.single_keys.end());
    for (const TaprootSpendPath& path : s.resolved.taproot_paths) {
      if (path.keys.size() == 1) firm_keys.push_back(path.keys.front());
    }
  }
  const std::set<EthAddress> firm = FirmEthereumAddresses(firm_accounts, firm_keys);
  for (auto* list : {&pool_addresses_, &firm_addresses_}) {
    for (AddressState& s : *list) {
      if (!s.contract) continue;
      if (s.contract->policy) {
        // A contract was read, so its chain's reader exists.
        PinnedStateReader& reader = *eth_readers_.at(s.config->chain_name);
        const EthAddress& address = std::get<chain::EthereumAddress>(s.config->decoded).bytes;
        if (Status read = ReadFirmEntries(reader, address, firm, *s.contract->policy); !read) {
          Problem problem = ProblemOf(read.error(), s.config->chain_name,
                                      s.config->chain_name + ": cannot read the firm's owner and module entries in " +
                                          s.resolved.display + ": " + read.error().message);
          problem.subject = s.resolved.display;
          report_.problems.push_back(std::move(problem));
        }
      }
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
        // Not a shortfall: the sum cannot be represented, so coverage cannot be checked
        // (docs/DESIGN.md §Assets and tokens).
        Problem problem;
        problem.kind = ProblemKind::kOverflow;
        problem.chain = asset.chain_name;
        problem.subject = pr.name;
        problem.asset = asset.spec.symbol;
        problem.detail = "reserves cannot be checked: the pool's balances add up past 2^128-1 base units";
        problem.line = "pool " + pr.name + " " + asset.spec.symbol + ": " + problem.detail;
        report_.problems.push_back(std::move(problem));
      }
      cov.reserves = reserves;
      if (pr.root && reserves) cov.covered = *reserves >= cov.liabilities;
      if (cov.covered == false) {
        report_.findings.push_back({report::Check::kCoverage, "pool " + pr.name + " " + asset.spec.symbol,
                                    "reserves " + merkle::FormatAmount(*reserves, asset.spec.decimals) +
                                        " < liabilities " + merkle::FormatAmount(cov.liabilities, asset.spec.decimals) +
                                        " (shortfall " +
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

// The liabilities side, as the front prepared it: each pool's root and accounts, and what could
// not be prepared (listed before anything the checks find).
void Attestation::AddLiabilities() {
  report_.problems = plan_.problems;
  for (std::size_t p = 0; p < config_.pools.size(); ++p) {
    PoolReport pr;
    pr.name = config_.pools[p].name;
    if (p < plan_.liabilities.size()) {
      pr.root = plan_.liabilities[p].root;
      pr.accounts = plan_.liabilities[p].accounts;
    }
    report_.pools.push_back(std::move(pr));
  }
}

Report Attestation::Run() {
  report_.id = config_.id;
  report_.message = config_.message;
  report_.as_of = config_.as_of;
  AddLiabilities();
  ResolveAddresses();
  ReadBalances();
  ReadContracts();
  if (environment_.checkpoint) environment_.checkpoint("balances");
  VerifyOwnershipProofs();
  CheckVaults();
  std::vector<ResolvedAddress> pools, firm;
  for (const auto& s : pool_addresses_) pools.push_back(s.resolved);
  for (const auto& s : firm_addresses_) firm.push_back(s.resolved);
  for (auto& f : CheckSegregation(pools, firm, config_.firm_keys)) report_.findings.push_back(std::move(f));
  CheckCoverage();
  report_.verdict = report::DecideVerdict(report_);
  return report_;
}

}  // namespace

report::Report RunAttestationChecks(const AttestationPlan& plan, const CheckEnvironment& environment) {
  Attestation attestation(plan, environment);
  return attestation.Run();
}

}  // namespace segverify::attest
