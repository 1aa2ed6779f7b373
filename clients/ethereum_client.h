// Ethereum (EVM) JSON-RPC client: chain id, block pinning, ETH and ERC-20 balances, raw eth_call,
// and the contract state the vault rules read (code, storage).
//
// State is read BY HASH (EIP-1898, https://eips.ethereum.org/EIPS/eip-1898: the block parameter
// {"blockHash": H, "requireCanonical": true}), after checking that the pinned number has the pinned
// hash; the number's hash is checked again after the reads (a node that reorged or was swapped
// mid-run is an Error, never a balance from another block). A node that no longer holds the
// pinned block's state (a pruned full node: "missing trie node", "header not found") is an Error
// saying an archive node is needed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/json_rpc.h"
#include "clients/transport.h"
#include "common/evm.h"
#include "common/hex.h"
#include "common/result.h"
#include "common/u128.h"
#include "ethproof/account_proof.h"
#include "ethproof/header.h"

namespace segverify::clients {

// A block pinned by number and hash ("0x" + 64 lower-case hex digits).
struct EthBlockPin {
  std::uint64_t number = 0;
  std::string hash;
};

using EthWord = std::array<std::uint8_t, 32>;  // one storage slot, or its key

// One storage slot of one account (eth_getStorageAt).
struct EthStorageSlot {
  EthAddress account{};
  EthWord slot{};
};

// One log entry of eth_getLogs (https://ethereum.org/en/developers/docs/apis/json-rpc/#eth_getlogs).
struct EthLog {
  EthAddress address{};
  std::vector<EthWord> topics;
  Bytes data;
  bool removed = false;  // true: the node dropped it in a reorg

  bool operator==(const EthLog&) const = default;
};

// A block's hash and its header's "timestamp" (seconds since 1970, UTC).
struct EthBlockHeader {
  std::string hash;
  std::uint64_t time = 0;
};

// How a chain's state is read (docs/SECURITY.md "Proven Ethereum reads"). kProven: the pinned
// header (eth_getBlockByHash) must hash to the pinned hash, and balances, code and storage come from
// EIP-1186 proofs against its stateRoot, so a source can only answer the truth or fail. kAgreed:
// plain answers, believed only when every configured source gives the same.
enum class EthReads { kAgreed, kProven };
std::string_view ToString(EthReads reads);  // "agreed", "proven"

// Where an ERC-20 keeps its balances: the mapping's slot and how entries are placed in it.
struct BalanceSlot {
  std::uint64_t slot = 0;
  ethproof::MappingLayout layout = ethproof::MappingLayout::kSolidity;
  bool operator==(const BalanceSlot&) const = default;
};
std::string_view ToString(ethproof::MappingLayout layout);  // "solidity", "vyper"

// An account whose proof is asked, with the storage slots to prove.
struct EthProofQuery {
  EthAddress account{};
  std::vector<EthWord> slots;
};

// The block parameter of every state read at `pin` (eth_getBalance, eth_call, eth_getCode,
// eth_getStorageAt): EIP-1898's {"blockHash":"0x..","requireCanonical":true} as JSON text. The one
// place that says which block state is read at.
std::string BlockParameter(const EthBlockPin& pin);

// True when a node's error message says it no longer has the state asked for (pruned).
bool IsMissingStateError(std::string_view message);

// Accounts proven at one pin (asked without slots), shared by every client built from one source:
// a run reads balances, contract code and calls through clients of their own, and the account
// proof of an address serves them all (half the proof traffic of a large attestation). Thread-safe.
class ProvenAccountCache {
 public:
  std::optional<ethproof::ProvenAccount> Find(const std::string& pin_hash, const EthAddress& account) const;
  void Put(const std::string& pin_hash, const ethproof::ProvenAccount& account);

 private:
  mutable std::mutex mutex_;
  std::string pin_hash_;  // the pin of every account below
  std::map<EthAddress, ethproof::ProvenAccount> accounts_;
};

class EthereumClient {
 public:
  // `batch_size`: requests per JSON-RPC batch (1 disables batching). `proven_accounts`: shared with
  // the source's other clients (nullptr: this client's own).
  explicit EthereumClient(std::unique_ptr<Transport> transport, std::size_t batch_size = 100,
                          EthReads reads = EthReads::kAgreed,
                          std::shared_ptr<ProvenAccountCache> proven_accounts = nullptr);

  EthReads reads() const { return reads_; }

  const std::string& source() const { return rpc_.source(); }

  [[nodiscard]] Result<std::uint64_t> ChainId();
  // Error "<source>: chain id is N, expected M" on a mismatch.
  [[nodiscard]] Status CheckChainId(std::uint64_t expected);

  // Hash of block `number`; Error "<source>: block N does not exist yet" beyond the tip.
  [[nodiscard]] Result<std::string> BlockHash(std::uint64_t number);
  // BlockHash and the block's timestamp.
  [[nodiscard]] Result<EthBlockHeader> PinBlock(std::uint64_t number);
  // BlockHash(pin.number) == pin.hash, else an Error naming both hashes.
  [[nodiscard]] Status CheckPin(const EthBlockPin& pin);

  // eth_getBlockByHash(pin.hash): the header must hash to pin.hash and carry pin.number; its
  // stateRoot is then what proofs are checked against. Asked once per pin.
  [[nodiscard]] Result<ethproof::ProvenHeader> ProveHeader(const EthBlockPin& pin);
  // eth_getProof of every query at the pin (batched), each verified against the proven header:
  // an answer whose plain fields differ from its proof, or whose proof does not check, is an Error.
  [[nodiscard]] Result<std::vector<ethproof::ProvenAccount>> ProveAccounts(const std::vector<EthProofQuery>& queries,
                                                                           const EthBlockPin& pin);

  // eth_getBalance of every address at the pin, in wei, in input order (under proven reads, the
  // balances of the accounts' proofs).
  [[nodiscard]] Result<std::vector<u128>> NativeBalances(const std::vector<EthAddress>& addresses,
                                                         const EthBlockPin& pin);
  // ERC-20 balanceOf(address) of every address at the pin, in token base units. The return
  // data must be exactly 32 bytes and at most 2^128-1; a revert is an Error.
  [[nodiscard]] Result<std::vector<u128>> TokenBalances(const EthAddress& token,
                                                        const std::vector<EthAddress>& addresses,
                                                        const EthBlockPin& pin);
  // TokenBalances, each proven: the storage word of the holder's entry in the balances mapping at
  // `*slot` must equal balanceOf's answer. With `*slot` unset, the slot is searched (0-255, both
  // layouts) on the first holder with a non-zero balance and set; all balances zero: nothing to
  // prove (zero never counts towards reserves). Errors name the token and holder.
  [[nodiscard]] Result<std::vector<u128>> ProvenTokenBalances(const EthAddress& token,
                                                              const std::vector<EthAddress>& addresses,
                                                              const EthBlockPin& pin, std::optional<BalanceSlot>& slot);
  // Raw eth_call {to, data} at the pin (for ERC-1271 isValidSignature). Checks the pin hash.
  [[nodiscard]] Result<EthCallResult> EthCall(const EthAddress& to, const Bytes& calldata, const EthBlockPin& pin);

  // Contract state at the pin, for the vault and token rules (batched like balances; the pin is
  // checked before and after). eth_getCode of every account, in input order: its runtime code,
  // empty for an account without code. Under proven reads the code must hash to the account's
  // proven code hash, and storage words come from storage proofs.
  [[nodiscard]] Result<std::vector<Bytes>> Codes(const std::vector<EthAddress>& accounts, const EthBlockPin& pin);
  // eth_getStorageAt of every slot, in input order; an answer that is not exactly 32 bytes is an Error.
  [[nodiscard]] Result<std::vector<EthWord>> StorageWords(const std::vector<EthStorageSlot>& slots,
                                                          const EthBlockPin& pin);
  // Reads at an OLDER block, by number: facts from before the pin (when a Safe was set up) whose
  // block cannot be tied to the pinned hash cheaply. Nothing here checks a pin; the caller makes
  // every source agree (vault_reads.h "agreed reads"). A pruned node's answer is an Error saying
  // an archive node is needed, like a state read at the pin.
  // eth_getStorageAt of one slot at block `number`.
  [[nodiscard]] Result<EthWord> StorageWordAtNumber(const EthStorageSlot& slot, std::uint64_t number);
  // eth_getCode of `account` at block `number` (empty: no code).
  [[nodiscard]] Result<Bytes> CodeAtNumber(const EthAddress& account, std::uint64_t number);
  // eth_getLogs of `address` in block `number` alone whose first topic is `topic0`, in the node's
  // order; a log of another address or topic, or a malformed entry, is an Error.
  [[nodiscard]] Result<std::vector<EthLog>> LogsInBlock(const EthAddress& address, const EthWord& topic0,
                                                        std::uint64_t number);

  // eth_blockNumber: the node's latest block (for commands that pin "now", e.g. address inspect).
  [[nodiscard]] Result<std::uint64_t> LatestBlockNumber();

 private:
  // `requests` in batches, between two pin checks.
  [[nodiscard]] Result<std::vector<RpcReply>> PinnedBatch(const std::vector<RpcRequest>& requests,
                                                          const EthBlockPin& pin);
  [[nodiscard]] Result<std::vector<RpcReply>> BatchAll(const std::vector<RpcRequest>& requests);
  // One request about block `number`: its result as JSON text, or an Error (pruned state named).
  [[nodiscard]] Result<std::string> ReadAtNumber(const RpcRequest& request, std::uint64_t number,
                                                 const std::string& origin);
  [[nodiscard]] Result<std::vector<u128>> ReadAtPin(const std::vector<RpcRequest>& requests, const EthBlockPin& pin,
                                                    bool token);

  [[nodiscard]] Result<std::vector<Bytes>> PlainCodes(const std::vector<EthAddress>& accounts, const EthBlockPin& pin);
  [[nodiscard]] Result<std::vector<EthWord>> ProvenStorageWords(const std::vector<EthStorageSlot>& slots,
                                                                const EthBlockPin& pin);

  JsonRpcClient rpc_;
  std::size_t batch_size_;
  EthReads reads_;
  std::optional<ethproof::ProvenHeader> proven_header_;  // of proven_pin_
  std::string proven_pin_;
  std::shared_ptr<ProvenAccountCache> proven_accounts_;
};

}  // namespace segverify::clients
