// Headers and EIP-1186 proofs from a real node (anvil): its eth_getBlockByHash hashes to the block
// hash, its eth_getProof answers verify against that header's stateRoot (accounts present and
// absent, a contract's code hash and storage), and a field changed anywhere is refused.
#include <gtest/gtest.h>

#include "common/hashes.h"
#include "common/json.h"
#include "ethproof/account_proof.h"
#include "ethproof/header.h"
#include "tests/support/anvil.h"

namespace segverify::ethproof {
namespace {

using testing::AnvilNode;

std::unique_ptr<JsonDocument> Json(const std::string& text) {
  auto doc = ParseJson(text, "anvil");
  if (!doc) throw std::runtime_error(doc.error().message);
  return std::move(*doc);
}

Hash256 HashOf(const std::string& hex) {
  Hash256 h{};
  if (!FromHexExact(std::string_view(hex).substr(2), h)) throw std::runtime_error("bad hash " + hex);
  return h;
}

EthAddress Addr(const std::string& hex) { return *ParseEthAddressHex(hex); }

Word SlotWord(std::uint8_t n) {
  Word w{};
  w[31] = n;
  return w;
}

// The latest block's hash and its proven header.
struct Pinned {
  std::string hash;
  ProvenHeader header;
};

Pinned PinLatest(AnvilNode& node) {
  auto block = Json(node.Rpc("eth_getBlockByNumber", R"(["latest",false])"));
  std::string hash = (*block)["hash"].GetString();
  auto by_hash = Json(node.Rpc("eth_getBlockByHash", "[\"" + hash + "\",false]"));
  auto header = VerifyHeader(*by_hash, HashOf(hash), "anvil");
  if (!header) throw std::runtime_error(header.error().message);
  return {hash, *header};
}

std::string GetProof(AnvilNode& node, const std::string& address, const std::string& slots, const std::string& hash) {
  return node.Rpc("eth_getProof", "[\"" + address + "\"," + slots + ",{\"blockHash\":\"" + hash + "\"}]");
}

TEST(AnvilProofs, HeaderHashesToItsBlockHash) {
  AnvilNode node;
  node.SendTransaction(AnvilNode::DevAccount(0), AnvilNode::DevAccount(1), "0x1", "");
  Pinned pin = PinLatest(node);
  EXPECT_GE(pin.header.number, 1u);
  auto block = Json(node.Rpc("eth_getBlockByHash", "[\"" + pin.hash + "\",false]"));
  EXPECT_EQ(pin.header.state_root, HashOf((*block)["stateRoot"].GetString()));
  // Any header field changed: the header no longer hashes to the block hash.
  for (const char* field : {"stateRoot", "parentHash", "miner", "timestamp", "extraData"}) {
    auto altered = Json(node.Rpc("eth_getBlockByHash", "[\"" + pin.hash + "\",false]"));
    std::string value = (*altered)[field].GetString();
    value.back() = value.back() == '1' ? '2' : '1';
    (*altered)[field].SetString(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), altered->GetAllocator());
    EXPECT_FALSE(VerifyHeader(*altered, HashOf(pin.hash), "anvil")) << field;
  }
  // A fork field dropped (as a node answering an older header kind would): refused too.
  auto dropped = Json(node.Rpc("eth_getBlockByHash", "[\"" + pin.hash + "\",false]"));
  ASSERT_TRUE(dropped->HasMember("baseFeePerGas"));
  dropped->RemoveMember("baseFeePerGas");
  EXPECT_FALSE(VerifyHeader(*dropped, HashOf(pin.hash), "anvil"));
}

TEST(AnvilProofs, AccountsPresentAndAbsent) {
  AnvilNode node;
  const std::string rich = AnvilNode::DevAccount(2);
  node.SendTransaction(AnvilNode::DevAccount(0), rich, "0x1bc16d674ec80000", "");
  Pinned pin = PinLatest(node);
  auto answer = Json(GetProof(node, rich, "[]", pin.hash));
  auto account = VerifyAccountProof(*answer, pin.header.state_root, Addr(rich), {}, "anvil");
  ASSERT_TRUE(account) << account.error().message;
  EXPECT_TRUE(account->exists);
  auto balance = Json(node.Rpc("eth_getBalance", "[\"" + rich + "\",\"" + pin.hash + "\"]"));
  Word expected{};
  std::string hex = (*balance).GetString();
  EXPECT_EQ("0x" + ToHex(account->balance).substr(ToHex(account->balance).find_first_not_of('0')), hex);
  EXPECT_EQ(account->code_hash, EmptyCodeHash());

  const std::string nobody = testing::UnusedEthAddress(1, 0x7700);
  auto none = Json(GetProof(node, nobody, "[\"0x" + ToHex(SlotWord(0)) + "\"]", pin.hash));
  auto absent = VerifyAccountProof(*none, pin.header.state_root, Addr(nobody), {SlotWord(0)}, "anvil");
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_FALSE(absent->exists);
  EXPECT_EQ(absent->balance, expected);

  // Plain balance raised, or a proof node changed: refused.
  auto lied = Json(GetProof(node, rich, "[]", pin.hash));
  (*lied)["balance"].SetString("0xffffffffffffffffffff", lied->GetAllocator());
  EXPECT_FALSE(VerifyAccountProof(*lied, pin.header.state_root, Addr(rich), {}, "anvil"));
  auto broken = Json(GetProof(node, rich, "[]", pin.hash));
  auto& nodes = (*broken)["accountProof"];
  std::string last = nodes[nodes.Size() - 1].GetString();
  last[last.size() - 3] = last[last.size() - 3] == 'a' ? 'b' : 'a';
  nodes[nodes.Size() - 1].SetString(last.c_str(), static_cast<rapidjson::SizeType>(last.size()),
                                    broken->GetAllocator());
  EXPECT_FALSE(VerifyAccountProof(*broken, pin.header.state_root, Addr(rich), {}, "anvil"));
  // Another block's state root: refused.
  node.SendTransaction(AnvilNode::DevAccount(0), rich, "0x1", "");
  Pinned later = PinLatest(node);
  EXPECT_FALSE(VerifyAccountProof(*answer, later.header.state_root, Addr(rich), {}, "anvil"));
}

TEST(AnvilProofs, ContractCodeHashAndStorage) {
  AnvilNode node;
  const std::string token = node.Deploy("TestToken");
  const std::string holder = AnvilNode::DevAccount(4);
  // mint(address,uint256) = 0x40c10f19: 1234 units to holder (balanceOf is mapping slot 1).
  node.SendTransaction(AnvilNode::DevAccount(0), token, "0x0",
                       "40c10f19" + testing::AbiAddressWord(holder) + testing::AbiUintWord("1234"));
  Pinned pin = PinLatest(node);
  // balances[holder] lives at keccak256(pad32(holder) ‖ pad32(1)).
  Bytes preimage(64, 0);
  auto holder_bytes = Addr(holder);
  std::copy(holder_bytes.begin(), holder_bytes.end(), preimage.begin() + 12);
  preimage[63] = 1;
  Hash256 slot = Keccak256(preimage);
  const std::string slots =
      "[\"0x" + ToHex(slot) + "\",\"0x" + ToHex(SlotWord(0)) + "\",\"0x" + ToHex(SlotWord(9)) + "\"]";
  auto answer = Json(GetProof(node, token, slots, pin.hash));
  auto account =
      VerifyAccountProof(*answer, pin.header.state_root, Addr(token), {slot, SlotWord(0), SlotWord(9)}, "anvil");
  ASSERT_TRUE(account) << account.error().message;
  ASSERT_EQ(account->slots.size(), 3u);
  EXPECT_EQ(account->slots[0].value[31], 1234 & 0xff);
  EXPECT_EQ(account->slots[0].value[30], 1234 >> 8);
  EXPECT_EQ(account->slots[1].value, account->slots[0].value);  // totalSupply == the one mint
  EXPECT_EQ(account->slots[2].value, Word{});                   // slot 9: proven zero
  auto code = Json(node.Rpc("eth_getCode", "[\"" + token + "\",\"" + pin.hash + "\"]"));
  Bytes bytes = *FromHex(std::string_view((*code).GetString()).substr(2));
  EXPECT_EQ(Keccak256(bytes), account->code_hash);

  // A storage value raised in the plain field: refused.
  auto lied = Json(GetProof(node, token, slots, pin.hash));
  (*lied)["storageProof"][0]["value"].SetString("0x99999", lied->GetAllocator());
  EXPECT_FALSE(
      VerifyAccountProof(*lied, pin.header.state_root, Addr(token), {slot, SlotWord(0), SlotWord(9)}, "anvil"));
}

// A slot written and then set back to zero: mainnet clients delete it, anvil keeps a leaf holding
// zero (0x80). Under one root a key has one value, so the leaf proves zero, as absence would.
TEST(AnvilProofs, AStorageLeafHoldingZeroProvesZero) {
  AnvilNode node;
  const std::string token = node.Deploy("TestToken");
  const std::string slot_hex = "0x" + ToHex(SlotWord(7));
  node.Rpc("anvil_setStorageAt", "[\"" + token + "\",\"" + slot_hex + "\",\"0x" + ToHex(SlotWord(5)) + "\"]");
  node.Rpc("anvil_mine", "[\"0x1\"]");
  node.Rpc("anvil_setStorageAt", "[\"" + token + "\",\"" + slot_hex + "\",\"0x" + ToHex(Word{}) + "\"]");
  node.Rpc("anvil_mine", "[\"0x1\"]");
  Pinned pin = PinLatest(node);
  auto answer = Json(GetProof(node, token, "[\"" + slot_hex + "\"]", pin.hash));
  auto account = VerifyAccountProof(*answer, pin.header.state_root, Addr(token), {SlotWord(7)}, "anvil");
  ASSERT_TRUE(account) << account.error().message;
  EXPECT_EQ(account->slots[0].value, Word{});
}

}  // namespace
}  // namespace segverify::ethproof
