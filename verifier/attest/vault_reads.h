// Contract state at the pinned block, agreed across every Ethereum source (docs/DESIGN.md
// §Contract vaults, §Assets and tokens): which accounts have code, what a pool or firm contract
// is (a Safe's proxy, singleton, owners, threshold, modules, guard, fallback handler), and each
// ERC-20's decimals(). Like a balance, a read holds only when every source gives the same answer;
// a source that fails, or sources that differ, make it could-not-check (never a guess). A Safe's
// setup is read from older blocks by number (docs/FORMAT.md §8 "setup"; docs/SECURITY.md).
//
// The rules applied to what is read are in vault_policy.h (pure); this file only reads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "clients/chain_source.h"
#include "clients/contract_calls.h"
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

// The answers of a canonical Safe singleton's getters at the pin.
struct SafeGetters {
  std::vector<EthAddress> owners;   // getOwners()
  std::uint64_t threshold = 0;      // getThreshold()
  std::vector<EthAddress> modules;  // getModulesPaginated, every page

  bool operator==(const SafeGetters&) const = default;
};

// Every read the vault and token rules make, as one small interface: state at the pinned block,
// and the few facts from older blocks that say how a Safe was set up. The agreed reads below
// implement it; proven reads (EIP-1186 storage proofs against the pinned header) can replace the
// pinned ones without touching the rules (vault_policy.h) or the walk (ReadContract).
class VaultStateReads {
 public:
  virtual ~VaultStateReads() = default;
  virtual std::uint64_t pin_number() const = 0;

  // ---- at the pin ----
  // eth_getCode of every account, in input order.
  [[nodiscard]] virtual Result<std::vector<AccountCode>> Codes(const std::vector<EthAddress>& accounts) = 0;
  // Slot 0, the guard slot and the fallback handler slot (clients/contract_calls.h).
  [[nodiscard]] virtual Result<clients::SafeStorage> SafeSlots(const EthAddress& safe) = 0;
  [[nodiscard]] virtual Result<SafeGetters> Getters(const EthAddress& safe) = 0;
  // owners[a] and modules[a] of every address, in input order.
  [[nodiscard]] virtual Result<std::vector<clients::SafeEntries>> Entries(const EthAddress& safe,
                                                                          const std::vector<EthAddress>& addresses) = 0;
  // ERC-20 decimals() (see clients/contract_calls.h).
  [[nodiscard]] virtual Result<std::uint8_t> TokenDecimals(const EthAddress& token) = 0;

  // ---- before the pin, by block number: agreed reads (no header ties these blocks to the pin) ----
  // Whether the Safe's threshold (slot 4) is non-zero at `block`.
  [[nodiscard]] virtual Result<bool> ThresholdSetAt(const EthAddress& safe, std::uint64_t block) = 0;
  // The Safe's SafeSetup logs in `block`.
  [[nodiscard]] virtual Result<std::vector<clients::SafeSetupLog>> SetupLogs(const EthAddress& safe,
                                                                             std::uint64_t block) = 0;
  [[nodiscard]] virtual Result<AccountCode> CodeAt(const EthAddress& account, std::uint64_t block) = 0;
};

// VaultStateReads by plain reads: like a balance, a read holds only when every source gives the
// same answer (state at the pin read by its hash; older blocks by number).
class PinnedStateReader final : public VaultStateReads {
 public:
  // Connects to every source (sends nothing yet); Error if a source cannot be set up.
  [[nodiscard]] static Result<std::unique_ptr<PinnedStateReader>> Connect(
      const std::vector<clients::SourceConfig>& sources, const clients::TransportFactory& transports,
      const clients::EthBlockPin& pin);

  std::uint64_t pin_number() const override { return pin_.number; }
  [[nodiscard]] Result<std::vector<AccountCode>> Codes(const std::vector<EthAddress>& accounts) override;
  [[nodiscard]] Result<clients::SafeStorage> SafeSlots(const EthAddress& safe) override;
  [[nodiscard]] Result<SafeGetters> Getters(const EthAddress& safe) override;
  [[nodiscard]] Result<std::vector<clients::SafeEntries>> Entries(const EthAddress& safe,
                                                                  const std::vector<EthAddress>& addresses) override;
  [[nodiscard]] Result<std::uint8_t> TokenDecimals(const EthAddress& token) override;
  [[nodiscard]] Result<bool> ThresholdSetAt(const EthAddress& safe, std::uint64_t block) override;
  [[nodiscard]] Result<std::vector<clients::SafeSetupLog>> SetupLogs(const EthAddress& safe,
                                                                     std::uint64_t block) override;
  [[nodiscard]] Result<AccountCode> CodeAt(const EthAddress& account, std::uint64_t block) override;

 private:
  PinnedStateReader(std::vector<std::unique_ptr<clients::EthereumClient>> clients, clients::EthBlockPin pin)
      : clients_(std::move(clients)), pin_(std::move(pin)) {}

  // `read` on every source; the answer when they all give the same one (`block`: where it was read).
  template <typename T, typename Read>
  [[nodiscard]] Result<T> Agreed(const std::string& what, std::uint64_t block, const Read& read);

  std::vector<std::unique_ptr<clients::EthereumClient>> clients_;
  clients::EthBlockPin pin_;
};

// What the vault rules need about `contract` (whose code hash is `code_hash`): the reads stop
// where recognition fails (no slot reads for a contract that is not a SafeProxy, no getters for a
// singleton that is not canonical), so nothing is ever asked of unknown code but its storage. For
// a recognized Safe: its fallback handler's code hash, and its setup (FindSafeSetup).
[[nodiscard]] Result<ContractFacts> ReadContract(VaultStateReads& reads, const EthAddress& contract,
                                                 const Hash256& code_hash);

// How `safe` was set up (docs/FORMAT.md §8 "setup"): the first block where its threshold is not
// zero, by binary search on block numbers (2 + log2(pin) reads of slot 4: 27 on mainnet today),
// then its SafeSetup logs in that block and, for a single non-zero initializer, that contract's
// code hash at that block. The threshold only becomes non-zero in setup(): before it, nothing can
// call the Safe's other entry points (checkSignatures needs a threshold, modules an entry).
[[nodiscard]] Result<SafeSetupFacts> FindSafeSetup(VaultStateReads& reads, const EthAddress& safe);

// owners[F] and modules[F] at the pin for every firm Ethereum address F into `policy`'s firm entry
// sets (the Safe honours an entry its lists do not reach). Run once the firm's addresses are known.
[[nodiscard]] Status ReadFirmEntries(VaultStateReads& reads, const EthAddress& safe, const std::set<EthAddress>& firm,
                                     SafePolicy& policy);

// The code of every account, and the facts of every contract among them. An account or contract
// that could not be read is missing from the maps, with a could-not-check message naming it.
struct AccountReads {
  std::map<EthAddress, AccountCode> codes;
  std::map<EthAddress, ContractFacts> contracts;
  std::vector<Problem> problems;  // could-not-check, chain left to the caller
};
AccountReads ReadAccounts(VaultStateReads& reader, const std::vector<EthAddress>& accounts);

// decimals() at the pin of every ERC-20 asset against the config: a different value is a
// `token-decimals` error finding; an unreadable one is a could-not-check problem in `problems`.
void CheckTokenDecimals(VaultStateReads& reader, const std::vector<ConfigAsset>& assets, std::uint64_t block,
                        std::vector<report::Finding>& findings, std::vector<Problem>& problems);

}  // namespace segverify::attest
