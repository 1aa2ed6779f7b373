// The contract reads the vault and token rules make (docs/DESIGN.md §Contract vaults and
// §Assets and tokens), from ONE Ethereum source at the pinned block: a Safe's getters and storage
// slots, and an ERC-20's decimals(). Whether the sources agree, and what the answers mean, is the
// caller's business (verifier/attest); this file only asks and decodes.
//
// Decoding is strict: return data must be exactly the canonical ABI encoding of the declared return
// type (https://docs.soliditylang.org/en/v0.8.26/abi-spec.html): the one offset Solidity writes,
// zero padding around addresses and small integers, and no trailing bytes. Anything else is a
// malformed answer — an Error, never a guess — because these answers decide who controls a vault.
// A revert is an Error too: the canonical Safe singleton's getters never revert on a proxy that was
// set up, and decimals() that reverts gives no decimals to compare.
//
// Sources: Safe 1.4.1 (https://github.com/safe-global/safe-smart-account/tree/v1.4.1/contracts),
// the same getters and slots as Safe 1.3.0: OwnerManager.getOwners/getThreshold,
// ModuleManager.getModulesPaginated, Singleton.sol (slot 0), GuardManager (GUARD_STORAGE_SLOT),
// FallbackManager (FALLBACK_HANDLER_STORAGE_SLOT); ERC-20 decimals(): https://eips.ethereum.org/EIPS/eip-20.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "clients/ethereum_client.h"
#include "common/evm.h"
#include "common/hex.h"
#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

// Slot 0: the singleton a SafeProxy delegates to (Singleton.sol keeps it first, SafeProxy reads it).
inline constexpr EthWord kSafeSingletonSlot{};
// keccak256("guard_manager.guard.address")
inline constexpr EthWord kSafeGuardSlot{0x4a, 0x20, 0x4f, 0x62, 0x0c, 0x8c, 0x5c, 0xcd, 0xca, 0x3f, 0xd5,
                                        0x4d, 0x00, 0x3b, 0xad, 0xd8, 0x5b, 0xa5, 0x00, 0x43, 0x6a, 0x43,
                                        0x1f, 0x0c, 0xbd, 0xa4, 0xf5, 0x58, 0xc9, 0x3c, 0x34, 0xc8};
// keccak256("fallback_manager.handler.address")
inline constexpr EthWord kSafeFallbackHandlerSlot{0x6c, 0x9a, 0x6c, 0x4a, 0x39, 0x28, 0x4e, 0x37, 0xed, 0x1c, 0xf5,
                                                  0x3d, 0x33, 0x75, 0x77, 0xd1, 0x42, 0x12, 0xa4, 0x87, 0x0f, 0xb9,
                                                  0x76, 0xa4, 0x36, 0x6c, 0x69, 0x3b, 0x93, 0x99, 0x18, 0xd5};
// SENTINEL_MODULES = SENTINEL_OWNERS = address(0x1): where a Safe's linked lists start and end.
inline constexpr EthAddress kSafeSentinel{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

// Safe 1.3.0 / 1.4.1 storage layout (Safe.sol inherits Singleton, ModuleManager, OwnerManager in
// that order): slot 1 `modules`, slot 2 `owners` (mapping(address => address), each a linked list
// from the sentinel), slot 3 `ownerCount`, slot 4 `threshold`.
inline constexpr std::uint8_t kSafeModulesSlot = 1;
inline constexpr std::uint8_t kSafeOwnersSlot = 2;
inline constexpr EthWord kSafeOwnerCountSlot{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
inline constexpr EthWord kSafeThresholdSlot{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4};
// Where Solidity keeps `mapping(address => …)` at `slot` for `key`: keccak256(pad32(key) ‖ pad32(slot))
// (https://docs.soliditylang.org/en/v0.8.26/internals/layout_in_storage.html#mappings-and-dynamic-arrays).
EthWord MappingSlot(const EthAddress& key, std::uint8_t slot);
// topic0 of Safe 1.3.0 / 1.4.1's
// `event SafeSetup(address indexed initiator, address[] owners, uint256 threshold, address initializer, address
// fallbackHandler)`: keccak256("SafeSetup(address,address[],uint256,address,address)").
inline constexpr EthWord kSafeSetupTopic{0x14, 0x1d, 0xf8, 0x68, 0xa6, 0x33, 0x1a, 0xf5, 0x28, 0xe3, 0x8c,
                                         0x83, 0xb7, 0xaa, 0x03, 0xed, 0xc1, 0x9b, 0xe6, 0x6e, 0x37, 0xae,
                                         0x67, 0xf9, 0x28, 0x5b, 0xf4, 0xf8, 0xe3, 0xc6, 0xa1, 0xa8};

// Calldata: selector (first 4 bytes of keccak256 of the signature) and ABI-encoded arguments.
Bytes GetOwnersCalldata();     // getOwners()
Bytes GetThresholdCalldata();  // getThreshold()
Bytes GetModulesPaginatedCalldata(const EthAddress& start,
                                  std::uint64_t page_size);  // getModulesPaginated(address,uint256)
Bytes DecimalsCalldata();                                    // decimals()

// Strict decoders (see the header); nullopt for anything but the canonical encoding.
std::optional<std::vector<EthAddress>> DecodeAddressArray(const Bytes& data);  // returns (address[])
struct ModulesPage {
  std::vector<EthAddress> modules;
  EthAddress next{};

  bool operator==(const ModulesPage&) const = default;
};
std::optional<ModulesPage> DecodeModulesPage(const Bytes& data);  // returns (address[], address)
std::optional<u128> DecodeUintWord(const Bytes& data);            // returns (uint256), at most 2^128-1
// An address held in a 32-byte word (storage or ABI): the upper 12 bytes must be zero.
std::optional<EthAddress> AddressInWord(const EthWord& word);

// The addresses a Safe keeps in storage: slot 0 (its singleton), its guard and its fallback handler
// (zero when unset). Read on any contract, they are just three storage words.
struct SafeStorage {
  EthAddress singleton{};
  EthAddress guard{};
  EthAddress fallback_handler{};

  bool operator==(const SafeStorage&) const = default;
};

// A SafeSetup log, decoded strictly (topics: the event, the initiator; data: the canonical ABI
// encoding of (address[], uint256, address, address)); nullopt for anything else.
struct SafeSetupLog {
  EthAddress initiator{};
  std::vector<EthAddress> owners;
  u128 threshold = 0;
  EthAddress initializer{};  // setup's `to`: the contract setup delegatecalled (zero: none)
  EthAddress fallback_handler{};

  bool operator==(const SafeSetupLog&) const = default;
};
std::optional<SafeSetupLog> DecodeSafeSetupLog(const EthLog& log);

// Reads at `pin` from one source. Errors name the source, the contract and what was asked.
[[nodiscard]] Result<SafeStorage> ReadSafeStorage(EthereumClient& client, const EthAddress& safe,
                                                  const EthBlockPin& pin);
[[nodiscard]] Result<std::vector<EthAddress>> ReadSafeOwners(EthereumClient& client, const EthAddress& safe,
                                                             const EthBlockPin& pin);
// getThreshold(); a value past 2^64-1 is malformed (a Safe's threshold is at most its owner count).
[[nodiscard]] Result<std::uint64_t> ReadSafeThreshold(EthereumClient& client, const EthAddress& safe,
                                                      const EthBlockPin& pin);
// Every enabled module, in the Safe's list order, over as many getModulesPaginated pages as it
// takes (`page_size` per call). Each next page starts at the last module returned: that is right
// for Safe 1.4.x, whose `next` is that module, and for Safe 1.3.0, whose `next` is the first module
// NOT returned (starting a page there would skip it). The list ends when `next` is the sentinel (or
// zero); a module seen twice, an empty page with more to come, or more than `max_pages` pages is an Error.
[[nodiscard]] Result<std::vector<EthAddress>> ReadSafeModules(EthereumClient& client, const EthAddress& safe,
                                                              const EthBlockPin& pin, std::uint64_t page_size = 16,
                                                              std::size_t max_pages = 64);
// The owner list, owner count, threshold and module list from the Safe's storage (OwnerManager:
// owners at slot 2, ownerCount 3, threshold 4; ModuleManager: modules at slot 1), for proven reads:
// under them every word is a storage proof against the pinned header, where the getters above are
// eth_call answers a provider can make up. Each list is walked from the sentinel until it returns
// there, the same walk getOwners() and getModulesPaginated() make, so the order is theirs. A walk
// that meets zero (owners), a word that is not an address, an entry seen twice, more than
// `max_entries` entries, or an owner count other than the walk's is an Error. An unset
// modules[sentinel] is an empty list, as the getter reads it. One round trip per list step.
struct SafeLists {
  std::vector<EthAddress> owners;
  std::uint64_t threshold = 0;
  std::vector<EthAddress> modules;

  bool operator==(const SafeLists&) const = default;
};
[[nodiscard]] Result<SafeLists> ReadSafeListsFromStorage(EthereumClient& client, const EthAddress& safe,
                                                         const EthBlockPin& pin, std::size_t max_entries = 1024);
// `owners[a]` and `modules[a]` of every address in `addresses` at the pin (storage words, in input
// order: owners then modules of each). A Safe honours a non-zero entry whether or not its linked
// list reaches it (OwnerManager.checkNSignatures tests owners[signer] != 0,
// ModuleManager.execTransactionFromModule tests modules[msg.sender] != 0).
struct SafeEntries {
  bool owner = false;
  bool module = false;

  bool operator==(const SafeEntries&) const = default;
};
[[nodiscard]] Result<std::vector<SafeEntries>> ReadSafeEntries(EthereumClient& client, const EthAddress& safe,
                                                               const std::vector<EthAddress>& addresses,
                                                               const EthBlockPin& pin);
// Every SafeSetup log of `safe` in block `number` (an older block, by number), decoded; a log
// of that topic that does not decode is an Error.
[[nodiscard]] Result<std::vector<SafeSetupLog>> ReadSafeSetupLogs(EthereumClient& client, const EthAddress& safe,
                                                                  std::uint64_t number);

// ERC-20 decimals() (uint8): a revert, an answer that is not one 32-byte word, or a value above 255
// is an Error.
[[nodiscard]] Result<std::uint8_t> ReadTokenDecimals(EthereumClient& client, const EthAddress& token,
                                                     const EthBlockPin& pin);

}  // namespace segverify::clients
