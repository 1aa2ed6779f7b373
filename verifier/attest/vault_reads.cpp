#include "verifier/attest/vault_reads.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "common/hashes.h"
#include "verifier/chain/ethereum_address.h"

namespace segverify::attest {

Result<std::unique_ptr<PinnedStateReader>> PinnedStateReader::Connect(const std::vector<clients::SourceConfig>& sources,
                                                                      const clients::TransportFactory& transports,
                                                                      const clients::EthBlockPin& pin) {
  std::vector<std::unique_ptr<clients::EthereumClient>> clients;
  for (const auto& source : sources) {
    auto client = clients::MakeEthereumClient(source, transports);
    if (!client) return client.error().AtSource(clients.size());
    clients.push_back(std::move(*client));
  }
  if (clients.empty()) return Error{"no Ethereum source", ProblemKind::kInput};
  return std::unique_ptr<PinnedStateReader>(new PinnedStateReader(std::move(clients), pin));
}

template <typename T, typename Read>
Result<T> PinnedStateReader::Agreed(const std::string& what, std::uint64_t block, const Read& read) {
  std::optional<T> first;
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    Result<T> answer = read(*clients_[i]);
    if (!answer) return answer.error().AtSource(i);
    if (!first) {
      first = std::move(*answer);
    } else if (!(*answer == *first)) {
      return Error{"ethereum sources disagree on " + what + " at block " + std::to_string(block) + ": " +
                       clients_[0]->source() + " and " + clients_[i]->source() + " answer differently",
                   ProblemKind::kDisagreement};
    }
  }
  return std::move(*first);
}

Result<std::vector<AccountCode>> PinnedStateReader::Codes(const std::vector<EthAddress>& accounts) {
  return Agreed<std::vector<AccountCode>>("the code of " + std::to_string(accounts.size()) + " account(s)", pin_.number,
                                          [&](clients::EthereumClient& client) -> Result<std::vector<AccountCode>> {
                                            auto codes = client.Codes(accounts, pin_);
                                            if (!codes) return codes.error();
                                            std::vector<AccountCode> out;
                                            out.reserve(codes->size());
                                            for (const Bytes& code : *codes)
                                              out.push_back({!code.empty(), Keccak256(code)});
                                            return out;
                                          });
}

Result<clients::SafeStorage> PinnedStateReader::SafeSlots(const EthAddress& safe) {
  return Agreed<clients::SafeStorage>(
      "the Safe storage slots of " + chain::ToEip55(safe), pin_.number,
      [&](clients::EthereumClient& client) { return clients::ReadSafeStorage(client, safe, pin_); });
}

Result<SafeGetters> PinnedStateReader::Getters(const EthAddress& safe) {
  return Agreed<SafeGetters>(
      "the owners, threshold and modules of " + chain::ToEip55(safe), pin_.number,
      [&](clients::EthereumClient& client) -> Result<SafeGetters> {
        // Proven reads: the lists from storage proofs, not eth_call answers.
        if (client.reads() == clients::EthReads::kProven) {
          auto lists = clients::ReadSafeListsFromStorage(client, safe, pin_);
          if (!lists) return lists.error();
          return SafeGetters{std::move(lists->owners), lists->threshold, std::move(lists->modules)};
        }
        auto owners = clients::ReadSafeOwners(client, safe, pin_);
        if (!owners) return owners.error();
        auto threshold = clients::ReadSafeThreshold(client, safe, pin_);
        if (!threshold) return threshold.error();
        auto modules = clients::ReadSafeModules(client, safe, pin_);
        if (!modules) return modules.error();
        return SafeGetters{std::move(*owners), *threshold, std::move(*modules)};
      });
}

Result<std::vector<clients::SafeEntries>> PinnedStateReader::Entries(const EthAddress& safe,
                                                                     const std::vector<EthAddress>& addresses) {
  return Agreed<std::vector<clients::SafeEntries>>(
      "the owner and module entries of " + std::to_string(addresses.size()) + " firm address(es) in " +
          chain::ToEip55(safe),
      pin_.number,
      [&](clients::EthereumClient& client) { return clients::ReadSafeEntries(client, safe, addresses, pin_); });
}

Result<std::uint8_t> PinnedStateReader::TokenDecimals(const EthAddress& token) {
  return Agreed<std::uint8_t>(
      "decimals() of " + chain::ToEip55(token), pin_.number,
      [&](clients::EthereumClient& client) { return clients::ReadTokenDecimals(client, token, pin_); });
}

Result<bool> PinnedStateReader::ThresholdSetAt(const EthAddress& safe, std::uint64_t block) {
  return Agreed<bool>("the threshold slot of " + chain::ToEip55(safe), block,
                      [&](clients::EthereumClient& client) -> Result<bool> {
                        auto word = client.StorageWordAtNumber({safe, clients::kSafeThresholdSlot}, block);
                        if (!word) return word.error();
                        return std::any_of(word->begin(), word->end(), [](std::uint8_t b) { return b != 0; });
                      });
}

Result<std::vector<clients::SafeSetupLog>> PinnedStateReader::SetupLogs(const EthAddress& safe, std::uint64_t block) {
  return Agreed<std::vector<clients::SafeSetupLog>>(
      "the SafeSetup logs of " + chain::ToEip55(safe), block,
      [&](clients::EthereumClient& client) { return clients::ReadSafeSetupLogs(client, safe, block); });
}

Result<AccountCode> PinnedStateReader::CodeAt(const EthAddress& account, std::uint64_t block) {
  return Agreed<AccountCode>("the code of " + chain::ToEip55(account), block,
                             [&](clients::EthereumClient& client) -> Result<AccountCode> {
                               auto code = client.CodeAtNumber(account, block);
                               if (!code) return code.error();
                               return AccountCode{!code->empty(), Keccak256(*code)};
                             });
}

Result<SafeSetupFacts> FindSafeSetup(VaultStateReads& reads, const EthAddress& safe) {
  SafeSetupFacts facts;
  auto at_genesis = reads.ThresholdSetAt(safe, 0);
  if (!at_genesis) return at_genesis.error();
  if (*at_genesis) return facts;  // no block where it became non-zero
  const std::uint64_t pin = reads.pin_number();
  auto at_pin = reads.ThresholdSetAt(safe, pin);
  if (!at_pin) return at_pin.error();
  if (!*at_pin) {
    return Error{"the threshold slot of " + chain::ToEip55(safe) + " reads zero at block " + std::to_string(pin) +
                     " by number, though getThreshold() is not zero there",
                 ProblemKind::kDisagreement};
  }
  // Invariant: zero at `low`, non-zero at `high`.
  std::uint64_t low = 0;
  std::uint64_t high = pin;
  while (high - low > 1) {
    const std::uint64_t middle = low + (high - low) / 2;
    auto set = reads.ThresholdSetAt(safe, middle);
    if (!set) return set.error();
    (*set ? high : low) = middle;
  }
  facts.block = high;
  auto logs = reads.SetupLogs(safe, high);
  if (!logs) return logs.error();
  for (const clients::SafeSetupLog& log : *logs) facts.initializers.push_back(log.initializer);
  if (facts.initializers.size() == 1 && facts.initializers.front() != EthAddress{}) {
    auto code = reads.CodeAt(facts.initializers.front(), high);
    if (!code) return code.error();
    facts.initializer_code_hash = code->hash;
  }
  return facts;
}

Result<ContractFacts> ReadContract(VaultStateReads& reads, const EthAddress& contract, const Hash256& code_hash) {
  ContractFacts facts;
  facts.code_hash = code_hash;
  if (!SafeProxyVersion(code_hash)) return facts;

  auto storage = reads.SafeSlots(contract);
  if (!storage) return storage.error();
  facts.singleton = storage->singleton;
  auto singleton_code = reads.Codes({storage->singleton});
  if (!singleton_code) return singleton_code.error();
  facts.singleton_code_hash = singleton_code->front().hash;
  if (!CanonicalSafeSingleton(*facts.singleton_code_hash)) return facts;

  auto getters = reads.Getters(contract);
  if (!getters) return getters.error();
  SafePolicy policy;
  policy.owners = std::move(getters->owners);
  policy.threshold = getters->threshold;
  policy.modules = std::move(getters->modules);
  policy.guard = storage->guard;
  policy.fallback_handler = storage->fallback_handler;
  std::vector<EthAddress> accounts = policy.owners;
  if (policy.fallback_handler != EthAddress{}) accounts.push_back(policy.fallback_handler);
  if (!accounts.empty()) {
    auto codes = reads.Codes(accounts);
    if (!codes) return codes.error();
    for (std::size_t i = 0; i < policy.owners.size(); ++i) {
      if ((*codes)[i].has_code) policy.contract_owners.insert(policy.owners[i]);
    }
    if (policy.fallback_handler != EthAddress{}) policy.fallback_handler_code_hash = codes->back().hash;
  }
  if (policy.threshold != 0) {  // a Safe never set up is unrecognized anyway: it has no setup to find
    auto setup = FindSafeSetup(reads, contract);
    if (!setup) return setup.error().Rephrased("its setup: " + setup.error().message);
    policy.setup = std::move(*setup);
  }
  facts.policy = std::move(policy);
  return facts;
}

Status ReadFirmEntries(VaultStateReads& reads, const EthAddress& safe, const std::set<EthAddress>& firm,
                       SafePolicy& policy) {
  std::vector<EthAddress> addresses;
  for (const EthAddress& a : firm) {
    // The sentinel's entries are the lists' heads, set in every Safe; zero is never an owner.
    if (a != clients::kSafeSentinel && a != EthAddress{}) addresses.push_back(a);
  }
  if (addresses.empty()) return Status::Ok();
  auto entries = reads.Entries(safe, addresses);
  if (!entries) return entries.error();
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if ((*entries)[i].owner) policy.firm_owner_entries.insert(addresses[i]);
    if ((*entries)[i].module) policy.firm_module_entries.insert(addresses[i]);
  }
  return Status::Ok();
}

AccountReads ReadAccounts(VaultStateReads& reader, const std::vector<EthAddress>& accounts) {
  AccountReads out;
  const std::set<EthAddress> distinct(accounts.begin(), accounts.end());
  const std::vector<EthAddress> list(distinct.begin(), distinct.end());
  if (list.empty()) return out;
  auto codes = reader.Codes(list);
  if (!codes) {
    out.problems.push_back(
        ProblemOf(codes.error(), "", "cannot tell which Ethereum addresses are contracts: " + codes.error().message));
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const AccountCode& code = (*codes)[i];
    out.codes.emplace(list[i], code);
    if (!code.has_code) continue;
    auto facts = ReadContract(reader, list[i], code.hash);
    if (!facts) {
      Problem problem =
          ProblemOf(facts.error(), "",
                    "cannot read who controls contract " + chain::ToEip55(list[i]) + ": " + facts.error().message);
      problem.subject = chain::ToEip55(list[i]);
      out.problems.push_back(std::move(problem));
      continue;
    }
    out.contracts.emplace(list[i], std::move(*facts));
  }
  return out;
}

void CheckTokenDecimals(VaultStateReads& reader, const std::vector<ConfigAsset>& assets, std::uint64_t block,
                        std::vector<report::Finding>& findings, std::vector<Problem>& problems) {
  for (const ConfigAsset& asset : assets) {
    if (!asset.contract) continue;
    const std::string token = chain::ToEip55(*asset.contract);
    auto decimals = reader.TokenDecimals(*asset.contract);
    if (!decimals) {
      Problem problem = ProblemOf(decimals.error(), "",
                                  asset.spec.symbol + ": cannot read decimals() of " + token + " at block " +
                                      std::to_string(block) + ": " + decimals.error().message);
      problem.subject = token;
      problem.asset = asset.spec.symbol;
      problems.push_back(std::move(problem));
      continue;
    }
    if (*decimals != asset.spec.decimals) {
      findings.push_back({report::Check::kTokenDecimals, token,
                          asset.spec.symbol + ": decimals() of " + token + " is " + std::to_string(*decimals) +
                              " at block " + std::to_string(block) + ", the config says " +
                              std::to_string(asset.spec.decimals) + " (every amount would be misread)",
                          report::Severity::kError});
    }
  }
}

}  // namespace segverify::attest
