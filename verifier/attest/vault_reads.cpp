#include "verifier/attest/vault_reads.h"

#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "clients/contract_calls.h"
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
Result<T> PinnedStateReader::Agreed(const std::string& what, const Read& read) {
  std::optional<T> first;
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    Result<T> answer = read(*clients_[i]);
    if (!answer) return answer.error().AtSource(i);
    if (!first) {
      first = std::move(*answer);
    } else if (!(*answer == *first)) {
      return Error{"ethereum sources disagree on " + what + " at block " + std::to_string(pin_.number) + ": " +
                       clients_[0]->source() + " and " + clients_[i]->source() + " answer differently",
                   ProblemKind::kDisagreement};
    }
  }
  return std::move(*first);
}

Result<std::vector<AccountCode>> PinnedStateReader::Codes(const std::vector<EthAddress>& accounts) {
  return Agreed<std::vector<AccountCode>>("the code of " + std::to_string(accounts.size()) + " account(s)",
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

Result<ContractFacts> PinnedStateReader::ReadContract(const EthAddress& contract, const Hash256& code_hash) {
  const std::string name = chain::ToEip55(contract);
  ContractFacts facts;
  facts.code_hash = code_hash;
  if (!SafeProxyVersion(code_hash)) return facts;

  auto storage = Agreed<clients::SafeStorage>(
      "the Safe storage slots of " + name,
      [&](clients::EthereumClient& client) { return clients::ReadSafeStorage(client, contract, pin_); });
  if (!storage) return storage.error();
  facts.singleton = storage->singleton;
  auto singleton_code = Codes({storage->singleton});
  if (!singleton_code) return singleton_code.error();
  facts.singleton_code_hash = singleton_code->front().hash;
  if (!CanonicalSafeSingleton(*facts.singleton_code_hash)) return facts;

  using Getters = std::tuple<std::vector<EthAddress>, std::uint64_t, std::vector<EthAddress>>;
  auto getters = Agreed<Getters>("the owners, threshold and modules of " + name,
                                 [&](clients::EthereumClient& client) -> Result<Getters> {
                                   auto owners = clients::ReadSafeOwners(client, contract, pin_);
                                   if (!owners) return owners.error();
                                   auto threshold = clients::ReadSafeThreshold(client, contract, pin_);
                                   if (!threshold) return threshold.error();
                                   auto modules = clients::ReadSafeModules(client, contract, pin_);
                                   if (!modules) return modules.error();
                                   return Getters{std::move(*owners), *threshold, std::move(*modules)};
                                 });
  if (!getters) return getters.error();
  SafePolicy policy;
  std::tie(policy.owners, policy.threshold, policy.modules) = std::move(*getters);
  policy.guard = storage->guard;
  policy.fallback_handler = storage->fallback_handler;
  if (!policy.owners.empty()) {
    auto owner_codes = Codes(policy.owners);
    if (!owner_codes) return owner_codes.error();
    for (std::size_t i = 0; i < policy.owners.size(); ++i) {
      if ((*owner_codes)[i].has_code) policy.contract_owners.insert(policy.owners[i]);
    }
  }
  facts.policy = std::move(policy);
  return facts;
}

Result<std::uint8_t> PinnedStateReader::TokenDecimals(const EthAddress& token) {
  return Agreed<std::uint8_t>("decimals() of " + chain::ToEip55(token), [&](clients::EthereumClient& client) {
    return clients::ReadTokenDecimals(client, token, pin_);
  });
}

AccountReads ReadAccounts(PinnedStateReader& reader, const std::vector<EthAddress>& accounts) {
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
    auto facts = reader.ReadContract(list[i], code.hash);
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

void CheckTokenDecimals(PinnedStateReader& reader, const std::vector<ConfigAsset>& assets, std::uint64_t block,
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
