// clients/contract_calls.h: strict ABI decoding of the Safe getters and decimals() (expected
// encodings made by ethers 6.17.0 AbiCoder/Interface, pinned in package.json), and the module
// pagination over a scripted node that answers getModulesPaginated exactly as Safe 1.3.0 and Safe
// 1.4.1 do (their ModuleManager.sol, transcribed below). The real 1.4.1 contract is paged on anvil
// in vault_scenarios.cpp (20 modules, two pages).
#include "clients/contract_calls.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clients/ethereum_client.h"
#include "common/json.h"

namespace segverify::clients {
namespace {

Bytes Hex(const std::string& text) {
  auto bytes = FromHex(text.substr(0, 2) == "0x" ? text.substr(2) : text);
  EXPECT_TRUE(bytes) << text;
  return bytes.value_or(Bytes{});
}

// 0x00…00<n> (n > 1: 0x…01 is the Safe's sentinel).
EthAddress Addr(unsigned n) {
  EthAddress a{};
  a[18] = static_cast<std::uint8_t>(n >> 8);
  a[19] = static_cast<std::uint8_t>(n);
  return a;
}

const EthAddress kKeyOne = *ParseEthAddressHex("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");  // private key 1

// ethers.AbiCoder.defaultAbiCoder().encode(['address[]'], [[0x7E5F…, 0x…01]])
const char* kOwnersTwo =
    "0000000000000000000000000000000000000000000000000000000000000020"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "0000000000000000000000007e5f4552091a69125d5dfcb7b8c2659029395bdf"
    "0000000000000000000000000000000000000000000000000000000000000001";
// encode(['address[]', 'address'], [[0x7E5F…], 0x…01])
const char* kPageOne =
    "0000000000000000000000000000000000000000000000000000000000000040"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000007e5f4552091a69125d5dfcb7b8c2659029395bdf";

TEST(ContractCalls, CalldataMatchesEthers) {
  EXPECT_EQ(ToHex(GetOwnersCalldata()), "a0e67e2b");
  EXPECT_EQ(ToHex(GetThresholdCalldata()), "e75235b8");
  EXPECT_EQ(ToHex(DecimalsCalldata()), "313ce567");
  // Interface(['function getModulesPaginated(address start, uint256 pageSize)']).encodeFunctionData(…, [0x…01, 16])
  EXPECT_EQ(ToHex(GetModulesPaginatedCalldata(kSafeSentinel, 16)),
            "cc2f8452"
            "0000000000000000000000000000000000000000000000000000000000000001"
            "0000000000000000000000000000000000000000000000000000000000000010");
}

TEST(ContractCalls, DecodesTheCanonicalEncodingOnly) {
  auto owners = DecodeAddressArray(Hex(kOwnersTwo));
  ASSERT_TRUE(owners);
  EXPECT_EQ(*owners, (std::vector<EthAddress>{kKeyOne, kSafeSentinel}));
  EXPECT_EQ(DecodeAddressArray(Hex("0x" + std::string(62, '0') + "20" + std::string(64, '0'))),
            std::vector<EthAddress>{});
  auto page = DecodeModulesPage(Hex(kPageOne));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->modules, std::vector<EthAddress>{kKeyOne});
  EXPECT_EQ(page->next, kSafeSentinel);

  Bytes trailing = Hex(kOwnersTwo);
  trailing.push_back(0);
  EXPECT_FALSE(DecodeAddressArray(trailing));
  Bytes extra_word = Hex(kOwnersTwo);
  extra_word.resize(extra_word.size() + 32, 0);
  EXPECT_FALSE(DecodeAddressArray(extra_word));  // length says 2, data holds 3
  Bytes offset = Hex(kOwnersTwo);
  offset[31] = 0x40;
  EXPECT_FALSE(DecodeAddressArray(offset));  // legal ABI in general, never what a Safe writes
  Bytes dirty = Hex(kOwnersTwo);
  dirty[64] = 1;  // upper bytes of the first address word
  EXPECT_FALSE(DecodeAddressArray(dirty));
  Bytes huge_length = Hex(kOwnersTwo);
  huge_length[33] = 0xff;
  EXPECT_FALSE(DecodeAddressArray(huge_length));
  EXPECT_FALSE(DecodeModulesPage(Hex(kOwnersTwo)));  // a one-head-word encoding is not (address[], address)
  Bytes dirty_next = Hex(kPageOne);
  dirty_next[32] = 1;
  EXPECT_FALSE(DecodeModulesPage(dirty_next));

  Bytes eighteen(32, 0);
  eighteen[31] = 18;
  EXPECT_EQ(DecodeUintWord(eighteen), std::optional<u128>(18));
  Bytes high = eighteen;
  high[0] = 1;
  EXPECT_FALSE(DecodeUintWord(high));
  EXPECT_FALSE(DecodeUintWord(Bytes(31, 0)));
  EXPECT_FALSE(DecodeUintWord(Bytes(64, 0)));

  EthWord word{};
  word[31] = 1;
  EXPECT_EQ(AddressInWord(word), std::optional<EthAddress>(kSafeSentinel));
  word[11] = 1;
  EXPECT_FALSE(AddressInWord(word));
}

// ---- a scripted node --------------------------------------------------------------------------------
constexpr const char* kPinHash = "0x1111111111111111111111111111111111111111111111111111111111111111";

enum class SafeVersion { k130, k141 };

Bytes EncodePage(const std::vector<EthAddress>& modules, const EthAddress& next) {
  Bytes out(32, 0);
  out[31] = 0x40;
  auto word_of = [&out](const EthAddress& a) {
    out.resize(out.size() + 12, 0);
    out.insert(out.end(), a.begin(), a.end());
  };
  word_of(next);
  out.resize(out.size() + 32, 0);
  out[out.size() - 1] = static_cast<std::uint8_t>(modules.size());
  for (const auto& m : modules) word_of(m);
  return out;
}

// A Safe's module list (SENTINEL → m1 → … → SENTINEL) behind eth_call, and decimals().
class ScriptedSafe final : public Transport {
 public:
  ScriptedSafe(SafeVersion version, std::vector<EthAddress> modules) : version_(version) {
    EthAddress at = kSafeSentinel;
    for (const auto& m : modules) {
      next_[at] = m;
      at = m;
    }
    next_[at] = kSafeSentinel;
  }
  std::function<Bytes(const Bytes& calldata)> override_call;  // answers instead of the model when set
  bool revert = false;
  int calls = 0;

  const std::string& source() const override { return source_; }
  Result<HttpResponse> Get(const std::string&) override { return Error{"no GET"}; }
  Result<HttpResponse> Post(const std::string&, const std::string& body) override {
    auto doc = ParseJson(body, "request");
    if (!doc || !(*doc)->IsObject()) return Error{"the scripted node takes single calls only"};
    const JsonValue& request = **doc;
    const std::string id = JsonToString(request["id"]);
    const std::string method = request["method"].GetString();
    std::string answer;
    if (method == "eth_getBlockByNumber") {
      answer = "\"result\":{\"hash\":\"" + std::string(kPinHash) + "\",\"number\":\"0x5\",\"timestamp\":\"0x6553f100\"}";
    } else if (method == "eth_call") {
      ++calls;
      const Bytes data = *FromHex(std::string(request["params"][0]["data"].GetString()).substr(2));
      if (revert)
        return HttpResponse{
            200, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":3,\"message\":\"execution reverted\"}}"};
      const Bytes result = override_call ? override_call(data) : Answer(data);
      answer = "\"result\":\"0x" + ToHex(result) + "\"";
    } else {
      return Error{"unexpected method " + method};
    }
    return HttpResponse{200, "{\"jsonrpc\":\"2.0\",\"id\":" + id + "," + answer + "}"};
  }

 private:
  // getModulesPaginated(start, pageSize) as ModuleManager.sol of each version computes it.
  Bytes Answer(const Bytes& data) {
    EthAddress start{};
    std::copy(data.begin() + 16, data.begin() + 36, start.begin());
    const std::size_t page_size = data[67];
    std::vector<EthAddress> array;
    if (version_ == SafeVersion::k130) {
      EthAddress current = Next(start);
      while (current != EthAddress{} && current != kSafeSentinel && array.size() < page_size) {
        array.push_back(current);
        current = Next(current);
      }
      return EncodePage(array, current);  // next = the first module not returned
    }
    EthAddress next = Next(start);
    while (next != EthAddress{} && next != kSafeSentinel && array.size() < page_size) {
      array.push_back(next);
      next = Next(next);
    }
    if (next != kSafeSentinel) next = array.back();  // next = the last module returned
    return EncodePage(array, next);
  }
  EthAddress Next(const EthAddress& a) const {
    auto it = next_.find(a);
    return it == next_.end() ? EthAddress{} : it->second;
  }

  SafeVersion version_;
  std::map<EthAddress, EthAddress> next_;
  std::string source_ = "http://scripted:1";
};

struct ScriptedClient {
  ScriptedSafe* node;
  std::unique_ptr<EthereumClient> client;
};

ScriptedClient Scripted(SafeVersion version, std::vector<EthAddress> modules) {
  auto transport = std::make_unique<ScriptedSafe>(version, std::move(modules));
  ScriptedSafe* node = transport.get();
  return {node, std::make_unique<EthereumClient>(std::move(transport), 1)};
}

const EthBlockPin kPin{5, kPinHash};

TEST(ContractCalls, ReadsEveryModulePageOfBothSafeVersions) {
  std::vector<EthAddress> five;
  for (unsigned i = 1; i <= 5; ++i) five.push_back(Addr(0x100 + i));
  for (SafeVersion version : {SafeVersion::k130, SafeVersion::k141}) {
    SCOPED_TRACE(version == SafeVersion::k130 ? "1.3.0" : "1.4.1");
    for (std::uint64_t page_size : {1u, 2u, 5u, 16u}) {
      auto scripted = Scripted(version, five);
      auto modules = ReadSafeModules(*scripted.client, Addr(0x5afe), kPin, page_size);
      ASSERT_TRUE(modules) << modules.error().message;
      EXPECT_EQ(*modules, five) << "page size " << page_size;
    }
    auto none = Scripted(version, {});
    auto modules = ReadSafeModules(*none.client, Addr(0x5afe), kPin, 16);
    ASSERT_TRUE(modules) << modules.error().message;
    EXPECT_TRUE(modules->empty());
    EXPECT_EQ(none.node->calls, 1);
  }
}

TEST(ContractCalls, RefusesModuleListsThatDoNotEnd) {
  auto loop = Scripted(SafeVersion::k141, {});
  loop.node->override_call = [](const Bytes&) {
    return EncodePage({Addr(0x201)}, Addr(0x201));
  };  // the same page forever
  auto repeated = ReadSafeModules(*loop.client, Addr(0x5afe), kPin, 1);
  ASSERT_FALSE(repeated);
  EXPECT_NE(repeated.error().message.find("listed twice"), std::string::npos) << repeated.error().message;

  unsigned n = 0;
  auto endless = Scripted(SafeVersion::k141, {});
  endless.node->override_call = [&n](const Bytes&) {
    ++n;
    return EncodePage({Addr(0x300 + n)}, Addr(0x300 + n));
  };
  auto too_many = ReadSafeModules(*endless.client, Addr(0x5afe), kPin, 1, 8);
  ASSERT_FALSE(too_many);
  EXPECT_NE(too_many.error().message.find("more than 8 modules"), std::string::npos) << too_many.error().message;

  auto stuck = Scripted(SafeVersion::k141, {});
  stuck.node->override_call = [](const Bytes&) { return EncodePage({}, Addr(7)); };  // more to come, nothing given
  EXPECT_FALSE(ReadSafeModules(*stuck.client, Addr(0x5afe), kPin, 4));

  auto reverting = Scripted(SafeVersion::k141, {});
  reverting.node->revert = true;
  auto reverted = ReadSafeModules(*reverting.client, Addr(0x5afe), kPin, 4);
  ASSERT_FALSE(reverted);
  EXPECT_NE(reverted.error().message.find("reverted"), std::string::npos) << reverted.error().message;
}

TEST(ContractCalls, DecimalsMustBeOneWordUpTo255) {
  auto token = Scripted(SafeVersion::k141, {});
  Bytes answer(32, 0);
  token.node->override_call = [&answer](const Bytes& calldata) {
    EXPECT_EQ(ToHex(calldata), "313ce567");
    return answer;
  };
  answer[31] = 6;
  EXPECT_EQ(ReadTokenDecimals(*token.client, Addr(0x70c), kPin).value(), 6);
  answer[30] = 1;  // 262: not a uint8
  EXPECT_FALSE(ReadTokenDecimals(*token.client, Addr(0x70c), kPin));
  answer = Bytes(0);  // what a call to an address without code returns
  EXPECT_FALSE(ReadTokenDecimals(*token.client, Addr(0x70c), kPin));
  token.node->revert = true;
  EXPECT_FALSE(ReadTokenDecimals(*token.client, Addr(0x70c), kPin));
}

}  // namespace
}  // namespace segverify::clients

namespace segverify::clients {
namespace {

EthWord Word(const std::string& hex) {
  EthWord w{};
  EXPECT_TRUE(FromHexExact(hex.substr(2), w)) << hex;
  return w;
}

// keccak256(abi.encode(address, uint256 slot)) by ethers 6.17.0 (AbiCoder + keccak256).
TEST(ContractCalls, MappingSlotsMatchEthers) {
  EXPECT_EQ(MappingSlot(Addr(0xa), kSafeOwnersSlot),
            Word("0xd3604db978f6137b0d18816b77b2ce810487a3af08a922e0b184963be5f3adfc"));
  EXPECT_EQ(MappingSlot(Addr(0xa), kSafeModulesSlot),
            Word("0x2a32391a76c35a36352b711f9152c0d0a340cd686850c8ef25fbb11c71b89e7b"));
}

// ethers 6.17.0 Interface(["event SafeSetup(address indexed initiator, address[] owners, uint256
// threshold, address initializer, address fallbackHandler)"]).encodeEventLog(...).
TEST(ContractCalls, DecodesSafeSetupLogsStrictly) {
  EthLog log;
  log.address = Addr(0x5afe);
  log.topics = {Word("0x141df868a6331af528e38c83b7aa03edc19be66e37ae67f9285bf4f8e3c6a1a8"),
                Word("0x0000000000000000000000004e1dcf7ad4e460cfd30791ccc4f9c8a4f820ec67")};
  log.data = Hex(
      "0000000000000000000000000000000000000000000000000000000000000080"
      "0000000000000000000000000000000000000000000000000000000000000002"
      "0000000000000000000000000000000000000000000000000000000000000091"
      "000000000000000000000000fd0732dc9e303f09fcef3a7388ad10a83459ec99"
      "0000000000000000000000000000000000000000000000000000000000000002"
      "000000000000000000000000000000000000000000000000000000000000000a"
      "000000000000000000000000000000000000000000000000000000000000000b");
  EXPECT_EQ(log.topics[0], kSafeSetupTopic);
  auto decoded = DecodeSafeSetupLog(log);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->initiator, *ParseEthAddressHex("0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67"));
  EXPECT_EQ(decoded->owners, (std::vector<EthAddress>{Addr(0xa), Addr(0xb)}));
  EXPECT_EQ(decoded->threshold, u128{2});
  EXPECT_EQ(decoded->initializer, Addr(0x91));
  EXPECT_EQ(decoded->fallback_handler, *ParseEthAddressHex("0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99"));

  EthLog bad = log;
  bad.removed = true;  // dropped in a reorg
  EXPECT_FALSE(DecodeSafeSetupLog(bad));
  bad = log;
  bad.data.push_back(0);  // trailing byte
  EXPECT_FALSE(DecodeSafeSetupLog(bad));
  bad = log;
  bad.data[2 * 32 + 5] = 1;  // dirty upper bytes of the initializer word
  EXPECT_FALSE(DecodeSafeSetupLog(bad));
  bad = log;
  bad.topics.pop_back();  // the initiator is indexed
  EXPECT_FALSE(DecodeSafeSetupLog(bad));
}

}  // namespace
}  // namespace segverify::clients
