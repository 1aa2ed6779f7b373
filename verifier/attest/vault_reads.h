// Contract state at the pinned block, agreed across every Ethereum source (docs/DESIGN.md
// §Contract vaults, §Assets and tokens): which accounts have code, what a pool or firm contract
// is (a Safe's proxy, singleton, owners, threshold, modules, guard, fallback handler), and each
// ERC-20's decimals(). Like a balance, a read holds only when every source gives the same answer;
// a source that fails, or sources that differ, make it could-not-check (never a guess).
//
// The rules applied to what is read are in vault_policy.h (pure); this file only reads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clients/chain_source.h"
#include "clients/ethereum_client.h"
#include "common/evm.h"
#include "common/result.h"
#include "common/sha256.h"
#include "verifier/attest/attestation_config.h"
#include "verifier/attest/vault_policy.h"
#include "verifier/report/finding.h"

namespace segverify::attest {

// An account's code at the pin: whether it has any, and keccak256 of it (of the empty string when none).
struct AccountCode {
  bool has_code = false;
  Hash256 hash{};

  bool operator==(const AccountCode&) const = default;
};

class PinnedStateReader {
 public:
  // Connects to every source (sends nothing yet); Error if a source cannot be set up.
  [[nodiscard]] static Result<std::unique_ptr<PinnedStateReader>> Connect(
      const std::vector<clients::SourceConfig>& sources, const clients::TransportFactory& transports,
      const clients::EthBlockPin& pin);

  // eth_getCode of every account, in input order.
  [[nodiscard]] Result<std::vector<AccountCode>> Codes(const std::vector<EthAddress>& accounts);
  // What the vault rules need about `contract` (whose code hash is `code_hash`): the reads stop
  // where recognition fails (no slot reads for a contract that is not a SafeProxy, no getters for a
  // singleton that is not canonical), so nothing is ever asked of unknown code but its storage.
  [[nodiscard]] Result<ContractFacts> ReadContract(const EthAddress& contract, const Hash256& code_hash);
  // ERC-20 decimals() (see clients/contract_calls.h).
  [[nodiscard]] Result<std::uint8_t> TokenDecimals(const EthAddress& token);

 private:
  PinnedStateReader(std::vector<std::unique_ptr<clients::EthereumClient>> clients, clients::EthBlockPin pin)
      : clients_(std::move(clients)), pin_(std::move(pin)) {}

  // `read` on every source; the answer when they all give the same one.
  template <typename T, typename Read>
  [[nodiscard]] Result<T> Agreed(const std::string& what, const Read& read);

  std::vector<std::unique_ptr<clients::EthereumClient>> clients_;
  clients::EthBlockPin pin_;
};

// The code of every account, and the facts of every contract among them. An account or contract
// that could not be read is missing from the maps, with a could-not-check message naming it.
struct AccountReads {
  std::map<EthAddress, AccountCode> codes;
  std::map<EthAddress, ContractFacts> contracts;
  std::vector<Problem> problems;  // could-not-check, chain left to the caller
};
AccountReads ReadAccounts(PinnedStateReader& reader, const std::vector<EthAddress>& accounts);

// decimals() at the pin of every ERC-20 asset against the config: a different value is a
// `token-decimals` error finding; an unreadable one is a could-not-check problem in `problems`.
void CheckTokenDecimals(PinnedStateReader& reader, const std::vector<ConfigAsset>& assets, std::uint64_t block,
                        std::vector<report::Finding>& findings, std::vector<Problem>& problems);

}  // namespace segverify::attest
