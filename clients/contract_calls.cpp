#include "clients/contract_calls.h"

#include <algorithm>
#include <set>
#include <string>

#include "ethproof/account_proof.h"

namespace segverify::clients {
namespace {

constexpr std::size_t kWord = 32;

// First 4 bytes of keccak256 of each signature (computed with ethers.id; listed in the header).
constexpr std::array<std::uint8_t, 4> kGetOwners{0xa0, 0xe6, 0x7e, 0x2b};
constexpr std::array<std::uint8_t, 4> kGetThreshold{0xe7, 0x52, 0x35, 0xb8};
constexpr std::array<std::uint8_t, 4> kGetModulesPaginated{0xcc, 0x2f, 0x84, 0x52};
constexpr std::array<std::uint8_t, 4> kDecimals{0x31, 0x3c, 0xe5, 0x67};

Bytes Selector(const std::array<std::uint8_t, 4>& selector) { return Bytes(selector.begin(), selector.end()); }

EthWord WordAt(const Bytes& data, std::size_t offset) {
  EthWord word{};
  std::copy(data.begin() + static_cast<std::ptrdiff_t>(offset),
            data.begin() + static_cast<std::ptrdiff_t>(offset + kWord), word.begin());
  return word;
}

// A word as a small integer (upper 24 bytes zero), else nullopt.
std::optional<std::uint64_t> SmallUint(const EthWord& word) {
  if (!std::all_of(word.begin(), word.begin() + 24, [](std::uint8_t b) { return b == 0; })) return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t i = 24; i < kWord; ++i) value = (value << 8) | word[i];
  return value;
}

// The word at `offset` as a small integer, else nullopt.
std::optional<std::uint64_t> SmallUintAt(const Bytes& data, std::size_t offset) {
  return SmallUint(WordAt(data, offset));
}

// `count` address words starting at `offset`; the caller has checked they fit.
std::optional<std::vector<EthAddress>> AddressWords(const Bytes& data, std::size_t offset, std::uint64_t count) {
  std::vector<EthAddress> out;
  out.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    auto address = AddressInWord(WordAt(data, offset + i * kWord));
    if (!address) return std::nullopt;
    out.push_back(*address);
  }
  return out;
}

// (address[] head at `head_words` static words) → the array, when `data` is exactly
// head || length || elements with the array's offset equal to the head size.
std::optional<std::vector<EthAddress>> TrailingAddressArray(const Bytes& data, std::size_t head_words) {
  const std::size_t head = head_words * kWord;
  if (data.size() < head + kWord || (data.size() - head - kWord) % kWord != 0) return std::nullopt;
  if (SmallUintAt(data, 0) != std::optional<std::uint64_t>(head)) return std::nullopt;
  auto length = SmallUintAt(data, head);
  if (!length || *length != (data.size() - head - kWord) / kWord) return std::nullopt;
  return AddressWords(data, head + kWord, *length);
}

// eth_call at the pin; a revert is an Error here (see the header).
Result<Bytes> CallReturning(EthereumClient& client, const EthAddress& to, const Bytes& calldata, const EthBlockPin& pin,
                            const std::string& what) {
  auto result = client.EthCall(to, calldata, pin);
  if (!result) return result.error();
  const std::string origin = client.source() + " (" + what + " on " + EthAddressToLowerHex(to) + ")";
  if (result->outcome == EthCallOutcome::kReverted)
    return Error{origin + ": the call reverted", ProblemKind::kRefusedByNode};
  return std::move(result->data);
}

Error Malformed(EthereumClient& client, const EthAddress& to, const std::string& what, const Bytes& data) {
  return Error{client.source() + " (" + what + " on " + EthAddressToLowerHex(to) + "): malformed answer (" +
                   std::to_string(data.size()) + " bytes)",
               ProblemKind::kMalformedAnswer};
}

}  // namespace

Bytes GetOwnersCalldata() { return Selector(kGetOwners); }
Bytes GetThresholdCalldata() { return Selector(kGetThreshold); }
Bytes DecimalsCalldata() { return Selector(kDecimals); }

Bytes GetModulesPaginatedCalldata(const EthAddress& start, std::uint64_t page_size) {
  Bytes out = Selector(kGetModulesPaginated);
  AppendAbiAddressWord(out, start);
  AppendAbiUintWord(out, page_size);
  return out;
}

std::optional<EthAddress> AddressInWord(const EthWord& word) {
  if (!std::all_of(word.begin(), word.begin() + 12, [](std::uint8_t b) { return b == 0; })) return std::nullopt;
  EthAddress address{};
  std::copy(word.begin() + 12, word.end(), address.begin());
  return address;
}

std::optional<std::vector<EthAddress>> DecodeAddressArray(const Bytes& data) { return TrailingAddressArray(data, 1); }

std::optional<ModulesPage> DecodeModulesPage(const Bytes& data) {
  if (data.size() < 2 * kWord) return std::nullopt;
  auto next = AddressInWord(WordAt(data, kWord));
  auto modules = TrailingAddressArray(data, 2);
  if (!next || !modules) return std::nullopt;
  return ModulesPage{std::move(*modules), *next};
}

std::optional<u128> DecodeUintWord(const Bytes& data) {
  if (data.size() != kWord) return std::nullopt;
  if (!std::all_of(data.begin(), data.begin() + 16, [](std::uint8_t b) { return b == 0; })) return std::nullopt;
  return U128FromBigEndian(data.data() + 16);
}

Result<SafeStorage> ReadSafeStorage(EthereumClient& client, const EthAddress& safe, const EthBlockPin& pin) {
  auto words =
      client.StorageWords({{safe, kSafeSingletonSlot}, {safe, kSafeGuardSlot}, {safe, kSafeFallbackHandlerSlot}}, pin);
  if (!words) return words.error();
  SafeStorage out;
  const std::pair<const char*, EthAddress*> fields[] = {{"singleton (slot 0)", &out.singleton},
                                                        {"guard slot", &out.guard},
                                                        {"fallback handler slot", &out.fallback_handler}};
  for (std::size_t i = 0; i < 3; ++i) {
    auto address = AddressInWord((*words)[i]);
    if (!address) {
      return Error{client.source() + " (eth_getStorageAt " + EthAddressToLowerHex(safe) + "): the " + fields[i].first +
                       " does not hold an address",
                   ProblemKind::kMalformedAnswer};
    }
    *fields[i].second = *address;
  }
  return out;
}

Result<std::vector<EthAddress>> ReadSafeOwners(EthereumClient& client, const EthAddress& safe, const EthBlockPin& pin) {
  auto data = CallReturning(client, safe, GetOwnersCalldata(), pin, "getOwners()");
  if (!data) return data.error();
  auto owners = DecodeAddressArray(*data);
  if (!owners) return Malformed(client, safe, "getOwners()", *data);
  return std::move(*owners);
}

Result<std::uint64_t> ReadSafeThreshold(EthereumClient& client, const EthAddress& safe, const EthBlockPin& pin) {
  auto data = CallReturning(client, safe, GetThresholdCalldata(), pin, "getThreshold()");
  if (!data) return data.error();
  auto value = DecodeUintWord(*data);
  if (!value || *value > UINT64_MAX) return Malformed(client, safe, "getThreshold()", *data);
  return static_cast<std::uint64_t>(*value);
}

Result<std::vector<EthAddress>> ReadSafeModules(EthereumClient& client, const EthAddress& safe, const EthBlockPin& pin,
                                                std::uint64_t page_size, std::size_t max_pages) {
  const std::string what = "getModulesPaginated";
  std::vector<EthAddress> modules;
  std::set<EthAddress> seen;
  EthAddress start = kSafeSentinel;
  for (std::size_t page = 0; page < max_pages; ++page) {
    auto data = CallReturning(client, safe, GetModulesPaginatedCalldata(start, page_size), pin, what);
    if (!data) return data.error();
    auto decoded = DecodeModulesPage(*data);
    if (!decoded || decoded->modules.size() > page_size) return Malformed(client, safe, what, *data);
    for (const EthAddress& m : decoded->modules) {
      if (!seen.insert(m).second) {
        return Error{client.source() + " (" + what + " on " + EthAddressToLowerHex(safe) + "): module " +
                         EthAddressToLowerHex(m) + " listed twice",
                     ProblemKind::kMalformedAnswer};
      }
      modules.push_back(m);
    }
    if (decoded->next == kSafeSentinel || decoded->next == EthAddress{}) return modules;
    if (decoded->modules.empty()) return Malformed(client, safe, what, *data);  // more to come, but no way on
    start = decoded->modules.back();
  }
  return Error{client.source() + " (" + what + " on " + EthAddressToLowerHex(safe) + "): more than " +
                   std::to_string(max_pages * page_size) + " modules",
               ProblemKind::kMalformedAnswer};
}

EthWord MappingSlot(const EthAddress& key, std::uint8_t slot) {
  return ethproof::MappingSlot(key, slot, ethproof::MappingLayout::kSolidity);
}

std::optional<SafeSetupLog> DecodeSafeSetupLog(const EthLog& log) {
  if (log.removed || log.topics.size() != 2 || log.topics[0] != kSafeSetupTopic) return std::nullopt;
  auto initiator = AddressInWord(log.topics[1]);
  // data: offset of owners (4 head words), threshold, initializer, fallbackHandler, then owners.
  const Bytes& data = log.data;
  if (data.size() < 4 * kWord) return std::nullopt;
  auto owners = TrailingAddressArray(data, 4);
  auto threshold = DecodeUintWord(Bytes(data.begin() + kWord, data.begin() + 2 * kWord));
  auto initializer = AddressInWord(WordAt(data, 2 * kWord));
  auto handler = AddressInWord(WordAt(data, 3 * kWord));
  if (!initiator || !owners || !threshold || !initializer || !handler) return std::nullopt;
  return SafeSetupLog{*initiator, std::move(*owners), *threshold, *initializer, *handler};
}

namespace {

// One linked list of a Safe (owners or modules) being walked from the sentinel.
struct ListWalk {
  ListWalk(const char* list_name, std::uint8_t list_slot, bool zero_is_end)
      : name(list_name), slot(list_slot), zero_ends(zero_is_end) {}

  const char* name;   // "owners", "modules"
  std::uint8_t slot;  // the mapping's slot
  bool zero_ends;     // modules: an unset entry ends the list (as the getter reads it)
  EthAddress cursor = kSafeSentinel;
  std::vector<EthAddress> entries;
  std::set<EthAddress> seen;
  bool done = false;

  // Takes the word stored at entries[cursor]; an Error for a list no canonical Safe holds.
  Status Step(const EthWord& word, const std::string& origin, std::size_t max_entries) {
    auto next = AddressInWord(word);
    if (!next) return Error{origin + ": " + name + " entry is not an address", ProblemKind::kMalformedAnswer};
    if (*next == kSafeSentinel || (zero_ends && *next == EthAddress{})) {
      done = true;
      return Status{};
    }
    if (*next == EthAddress{}) {
      return Error{origin + ": the " + std::string(name) + " list breaks off after " + std::to_string(entries.size()) +
                       " entries",
                   ProblemKind::kMalformedAnswer};
    }
    if (!seen.insert(*next).second || entries.size() >= max_entries) {
      return Error{origin + ": the " + std::string(name) + " list loops or is longer than " +
                       std::to_string(max_entries) + " entries",
                   ProblemKind::kMalformedAnswer};
    }
    entries.push_back(*next);
    cursor = *next;
    return Status{};
  }
};

}  // namespace

Result<SafeLists> ReadSafeListsFromStorage(EthereumClient& client, const EthAddress& safe, const EthBlockPin& pin,
                                           std::size_t max_entries) {
  const std::string origin = client.source() + " (the storage of Safe " + EthAddressToLowerHex(safe) + ")";
  ListWalk owners{"owners", kSafeOwnersSlot, false};
  ListWalk modules{"modules", kSafeModulesSlot, true};
  // The first round reads both lists' heads with the count and threshold; later rounds the next
  // entry of each list still going.
  std::vector<EthStorageSlot> slots = {{safe, kSafeOwnerCountSlot}, {safe, kSafeThresholdSlot}};
  std::optional<EthWord> owner_count, threshold;
  while (!owners.done || !modules.done) {
    std::vector<ListWalk*> walking;
    for (ListWalk* walk : {&owners, &modules}) {
      if (walk->done) continue;
      slots.push_back({safe, MappingSlot(walk->cursor, walk->slot)});
      walking.push_back(walk);
    }
    auto words = client.StorageWords(slots, pin);
    if (!words) return words.error();
    std::size_t at = 0;
    if (!owner_count) {
      owner_count = (*words)[at++];
      threshold = (*words)[at++];
    }
    for (ListWalk* walk : walking) {
      if (Status step = walk->Step((*words)[at++], origin, max_entries); !step.ok()) return step.error();
    }
    slots.clear();
  }
  const auto count = SmallUint(*owner_count);
  const auto required = SmallUint(*threshold);
  if (!required || !count || *count != owners.entries.size()) {
    return Error{origin + ": the owner count or threshold does not match the owner list",
                 ProblemKind::kMalformedAnswer};
  }
  return SafeLists{std::move(owners.entries), *required, std::move(modules.entries)};
}

Result<std::vector<SafeEntries>> ReadSafeEntries(EthereumClient& client, const EthAddress& safe,
                                                 const std::vector<EthAddress>& addresses, const EthBlockPin& pin) {
  std::vector<EthStorageSlot> slots;
  for (const EthAddress& a : addresses) {
    slots.push_back({safe, MappingSlot(a, kSafeOwnersSlot)});
    slots.push_back({safe, MappingSlot(a, kSafeModulesSlot)});
  }
  auto words = client.StorageWords(slots, pin);
  if (!words) return words.error();
  const auto set = [](const EthWord& w) {
    return std::any_of(w.begin(), w.end(), [](std::uint8_t b) { return b != 0; });
  };
  std::vector<SafeEntries> out;
  for (std::size_t i = 0; i < addresses.size(); ++i) out.push_back({set((*words)[2 * i]), set((*words)[2 * i + 1])});
  return out;
}

Result<std::vector<SafeSetupLog>> ReadSafeSetupLogs(EthereumClient& client, const EthAddress& safe,
                                                    std::uint64_t number) {
  auto logs = client.LogsInBlock(safe, kSafeSetupTopic, number);
  if (!logs) return logs.error();
  std::vector<SafeSetupLog> out;
  for (const EthLog& log : *logs) {
    auto decoded = DecodeSafeSetupLog(log);
    if (!decoded) {
      return Error{client.source() + " (eth_getLogs " + EthAddressToLowerHex(safe) + " in block " +
                       std::to_string(number) + "): a SafeSetup log that does not decode",
                   ProblemKind::kMalformedAnswer};
    }
    out.push_back(std::move(*decoded));
  }
  return out;
}

Result<std::uint8_t> ReadTokenDecimals(EthereumClient& client, const EthAddress& token, const EthBlockPin& pin) {
  auto data = CallReturning(client, token, DecimalsCalldata(), pin, "decimals()");
  if (!data) return data.error();
  auto value = DecodeUintWord(*data);
  if (!value || *value > 255) return Malformed(client, token, "decimals()", *data);
  return static_cast<std::uint8_t>(*value);
}

}  // namespace segverify::clients
