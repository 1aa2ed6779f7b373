// EthereumClient and the Ethereum side of the quorum against real anvil nodes
// (tests/support/anvil.h). Expected balances are the amounts the tests themselves set on the
// node (anvil_setBalance, ERC-20 mint/transfer), never values computed by the code under test.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "clients/chain_source.h"
#include "clients/ethereum_client.h"
#include "clients/http_transport.h"
#include "clients/quorum.h"
#include "tests/support/anvil.h"

namespace segverify::clients {
namespace {

using testing::AnvilNode;

constexpr std::uint64_t kAnvilChainId = 31337;
constexpr const char* kFiveEtherHex = "0x4563918244f40000";   // 5e18 wei
constexpr const char* kSevenEtherHex = "0x6124fee993bc0000";  // 7e18 wei
const u128 kFiveEther = static_cast<u128>(5'000'000'000'000'000'000ULL);
const u128 kSevenEther = static_cast<u128>(7'000'000'000'000'000'000ULL);

std::unique_ptr<EthereumClient> ClientFor(const AnvilNode& node, std::size_t batch = 100) {
  auto transport = MakeHttpTransport(node.url(), "");
  EXPECT_TRUE(transport.ok());
  return std::make_unique<EthereumClient>(std::move(transport.value()), batch);
}

EthAddress Addr(const std::string& hex) {
  auto a = ParseEthAddressHex(hex);
  EXPECT_TRUE(a.has_value()) << hex;
  return a.value_or(EthAddress{});
}

EthBlockPin PinAt(EthereumClient& client, std::uint64_t number) {
  auto hash = client.BlockHash(number);
  EXPECT_TRUE(hash.ok()) << (hash.ok() ? "" : hash.error().message);
  return EthBlockPin{number, hash.ok() ? *hash : ""};
}

std::string FreshAddress(unsigned n) { return testing::UnusedEthAddress(n, 0x1000u); }

TEST(EthereumClient, ChainIdAndWrongChainId) {
  AnvilNode node;
  auto client = ClientFor(node);
  auto id = client->ChainId();
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, kAnvilChainId);
  EXPECT_TRUE(client->CheckChainId(kAnvilChainId).ok());
  Status wrong = client->CheckChainId(1);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.message().find("chain id is 31337, expected 1"), std::string::npos) << wrong.message();
}

TEST(EthereumClient, BalanceAtPinnedBlockIgnoresLaterBlocks) {
  AnvilNode node;
  const std::string who = FreshAddress(1);
  // Real value transfers; anvil mines each transaction in its own block.
  node.SendTransaction(AnvilNode::DevAccount(0), who, kFiveEtherHex, "");
  const std::uint64_t pinned = node.BlockNumber();
  node.SendTransaction(AnvilNode::DevAccount(0), who, "0x1bc16d674ec80000", "");  // 2e18 more
  node.Mine(3);

  auto client = ClientFor(node);
  EthBlockPin pin = PinAt(*client, pinned);
  auto at_pin = client->NativeBalances({Addr(who)}, pin);
  ASSERT_TRUE(at_pin.ok()) << at_pin.error().message;
  EXPECT_EQ(U128ToDecimal((*at_pin)[0]), U128ToDecimal(kFiveEther));
  auto latest = client->NativeBalances({Addr(who)}, PinAt(*client, node.BlockNumber()));
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  EXPECT_EQ(U128ToDecimal((*latest)[0]), U128ToDecimal(kSevenEther));
}

TEST(EthereumClient, WrongPinHashIsRefused) {
  AnvilNode node;
  node.Mine(2);
  auto client = ClientFor(node);
  EthBlockPin pin = PinAt(*client, 1);
  pin.hash = PinAt(*client, 2).hash;  // a real hash, but of another block
  auto balances = client->NativeBalances({Addr(AnvilNode::DevAccount(0))}, pin);
  ASSERT_FALSE(balances.ok());
  EXPECT_NE(balances.error().message.find("pinned"), std::string::npos) << balances.error().message;
}

TEST(EthereumClient, FutureBlockDoesNotExistYet) {
  AnvilNode node;
  auto client = ClientFor(node);
  auto hash = client->BlockHash(1000);
  ASSERT_FALSE(hash.ok());
  EXPECT_NE(hash.error().message.find("block 1000 does not exist yet"), std::string::npos) << hash.error().message;
}

TEST(EthereumClient, Erc20BalanceOfAtPinnedBlock) {
  AnvilNode node;
  const std::string owner = AnvilNode::DevAccount(0);
  const std::string alice = AnvilNode::DevAccount(1);
  const std::string bob = FreshAddress(2);
  const std::string token = node.Deploy("TestToken");
  // mint(address,uint256) = 0x40c10f19; transfer(address,uint256) = 0xa9059cbb (keccak selectors).
  node.SendTransaction(owner, token, "", "40c10f19" + testing::AbiAddressWord(alice) + testing::AbiUintWord("1000000"));
  const std::uint64_t pinned = node.BlockNumber();
  node.SendTransaction(alice, token, "", "a9059cbb" + testing::AbiAddressWord(bob) + testing::AbiUintWord("300000"));

  auto client = ClientFor(node);
  auto at_pin = client->TokenBalances(Addr(token), {Addr(alice), Addr(bob)}, PinAt(*client, pinned));
  ASSERT_TRUE(at_pin.ok()) << at_pin.error().message;
  EXPECT_TRUE((*at_pin)[0] == 1000000);
  EXPECT_TRUE((*at_pin)[1] == 0);
  auto latest = client->TokenBalances(Addr(token), {Addr(alice), Addr(bob)}, PinAt(*client, node.BlockNumber()));
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  EXPECT_TRUE((*latest)[0] == 700000);
  EXPECT_TRUE((*latest)[1] == 300000);
}

TEST(EthereumClient, MisbehavingTokensAreRefused) {
  AnvilNode node;
  const std::string wide = node.Deploy("WideReturnToken");
  const std::string reverting = node.Deploy("RevertingToken");
  const std::string huge = node.Deploy("HugeBalanceToken");
  auto client = ClientFor(node);
  EthBlockPin pin = PinAt(*client, node.BlockNumber());
  const std::vector<EthAddress> who = {Addr(AnvilNode::DevAccount(1))};

  auto w = client->TokenBalances(Addr(wide), who, pin);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("exactly 32 bytes"), std::string::npos) << w.error().message;
  auto r = client->TokenBalances(Addr(reverting), who, pin);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("revert"), std::string::npos) << r.error().message;
  auto h = client->TokenBalances(Addr(huge), who, pin);
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.error().message.find("2^128-1"), std::string::npos) << h.error().message;
}

TEST(EthereumClient, ManyAddressesBatchedAndUnbatchedAgree) {
  AnvilNode node;
  constexpr unsigned kCount = 250;  // three batches of 100
  std::vector<EthAddress> addresses;
  for (unsigned i = 0; i < kCount; ++i) {
    char wei[32];
    std::snprintf(wei, sizeof wei, "0x%x", (i + 1) * 1000u);
    node.SetBalance(FreshAddress(100 + i), wei);
    addresses.push_back(Addr(FreshAddress(100 + i)));
  }
  node.Mine();
  auto batched = ClientFor(node, 100);
  auto single = ClientFor(node, 1);
  EthBlockPin pin = PinAt(*batched, node.BlockNumber());
  auto a = batched->NativeBalances(addresses, pin);
  auto b = single->NativeBalances(addresses, pin);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  for (unsigned i = 0; i < kCount; ++i) {
    EXPECT_TRUE((*a)[i] == (i + 1) * 1000u) << i;
    EXPECT_TRUE((*b)[i] == (i + 1) * 1000u) << i;
  }
}

// ERC-1271: the dev account signs with eth_sign (EIP-191 personal message); the vault recovers it.
TEST(EthereumClient, EthCallDistinguishesReturnRevertAndDownNode) {
  AnvilNode node;
  const std::string owner = AnvilNode::DevAccount(3);
  const std::string vault = node.Deploy("Vault1271", testing::AbiAddressWord(owner));
  const std::string wrong = node.Deploy("WrongMagicVault");
  const std::string reverting = node.Deploy("RevertingVault");
  const std::string message_hex = "68656c6c6f";  // "hello"
  std::string sig = node.Rpc("eth_sign", "[\"" + owner + "\",\"0x" + message_hex + "\"]");
  sig = sig.substr(3, sig.size() - 4);  // strip quotes and 0x
  // EIP-191 hash computed by the node (web3_sha3), not by the code under test.
  const std::string prefix = "\x19" "Ethereum Signed Message:\n5";
  std::string prefixed = ToHex(Bytes(prefix.begin(), prefix.end())) + message_hex;
  std::string hash = node.Rpc("web3_sha3", "[\"0x" + prefixed + "\"]");
  hash = hash.substr(3, hash.size() - 4);
  ASSERT_EQ(sig.size(), 130u);
  // isValidSignature(bytes32,bytes): selector 0x1626ba7e (EIP-1271), then hash, offset 0x40,
  // length 65 and the signature padded to 96 bytes.
  std::string calldata_hex = "1626ba7e" + hash + testing::AbiUintWord("64") + testing::AbiUintWord("65") + sig +
                             std::string(62, '0');
  Bytes calldata = FromHex(calldata_hex).value();

  auto client = ClientFor(node);
  EthBlockPin pin = PinAt(*client, node.BlockNumber());
  auto ok = client->EthCall(Addr(vault), calldata, pin);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->outcome, EthCallOutcome::kReturned);
  EXPECT_EQ(ToHex(ok->data), "1626ba7e" + std::string(56, '0'));

  auto magic = client->EthCall(Addr(wrong), calldata, pin);
  ASSERT_TRUE(magic.ok()) << magic.error().message;
  EXPECT_EQ(ToHex(magic->data), "deadbeef" + std::string(56, '0'));

  auto reverted = client->EthCall(Addr(reverting), calldata, pin);
  ASSERT_TRUE(reverted.ok()) << reverted.error().message;
  EXPECT_EQ(reverted->outcome, EthCallOutcome::kReverted);

  node.Kill();
  auto down = client->EthCall(Addr(vault), calldata, pin);
  ASSERT_FALSE(down.ok());
  EXPECT_NE(down.error().message.find(node.url()), std::string::npos) << down.error().message;
}

// ---- quorum over real nodes ----

std::vector<SourceConfig> Sources(std::initializer_list<const AnvilNode*> nodes) {
  std::vector<SourceConfig> out;
  for (const AnvilNode* n : nodes) out.push_back({SourceType::kEthereum, n->url(), ""});
  return out;
}

BalanceQuery EthQuery(std::uint64_t height, const std::vector<std::string>& addresses) {
  BalanceQuery q;
  q.chain = Chain::kEthereum;
  q.height = height;
  for (const auto& a : addresses) q.addresses.push_back({a, ""});
  q.assets.push_back({"ETH", std::nullopt});
  return q;
}

SourceOptions Anvil() {
  SourceOptions o;
  o.expected_chain_id = kAnvilChainId;
  return o;
}

TEST(EthereumQuorum, TwoIdenticalNodesAgree) {
  AnvilNode a, b;  // same deterministic genesis
  auto result = ReadChainBalances(EthQuery(0, {AnvilNode::DevAccount(0), FreshAddress(9)}), Sources({&a, &b}),
                                  LiveTransports(), Anvil());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->disagreements.empty());
  ASSERT_EQ(result->balances.size(), 2u);
  EXPECT_EQ(U128ToDecimal(result->balances[0].amount), "10000000000000000000000");  // anvil's default 10000 ETH
  EXPECT_TRUE(result->balances[1].amount == 0);
  EXPECT_EQ(result->sources, (std::vector<std::string>{a.url(), b.url()}));
}

TEST(EthereumQuorum, NodesWithDifferentStateDisagree) {
  AnvilNode a, b;
  a.SetBalance(FreshAddress(5), kFiveEtherHex);
  b.SetBalance(FreshAddress(5), kSevenEtherHex);
  a.Mine();
  b.Mine();
  auto result = ReadChainBalances(EthQuery(1, {FreshAddress(5)}), Sources({&a, &b}), LiveTransports(), Anvil());
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_FALSE(result->disagreements.empty());
  EXPECT_EQ(result->disagreements[0].subject, "block 1");
  EXPECT_TRUE(result->balances.empty());
  EXPECT_NE(result->disagreements[0].Describe().find(b.url()), std::string::npos);
}

TEST(EthereumQuorum, NodeDownIsAnErrorNamingIt) {
  AnvilNode a;
  SourceConfig down{SourceType::kEthereum, "http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()), ""};
  HttpOptions fast;
  fast.first_backoff = std::chrono::milliseconds(10);
  auto result = ReadChainBalances(EthQuery(0, {FreshAddress(1)}), {Sources({&a})[0], down}, LiveTransports(fast),
                                  Anvil());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find(down.url), std::string::npos) << result.error().message;
}

TEST(EthereumQuorum, WrongChainIdIsAnError) {
  AnvilNode a;
  SourceOptions mainnet;  // expects chain id 1
  auto result = ReadChainBalances(EthQuery(0, {FreshAddress(1)}), Sources({&a}), LiveTransports(), mainnet);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("expected 1"), std::string::npos) << result.error().message;
}

// Kills the node after `after` requests went through: the run must fail, never return a partial
// or zero balance.
class KillingTransport final : public Transport {
 public:
  KillingTransport(std::unique_ptr<Transport> inner, AnvilNode& node, int after)
      : inner_(std::move(inner)), node_(node), left_(after) {}
  const std::string& source() const override { return inner_->source(); }
  Result<HttpResponse> Get(const std::string& path) override {
    Tick();
    return inner_->Get(path);
  }
  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    Tick();
    return inner_->Post(path, body);
  }

 private:
  void Tick() {
    if (left_-- == 0) node_.Kill();
  }
  std::unique_ptr<Transport> inner_;
  AnvilNode& node_;
  int left_;
};

TEST(EthereumQuorum, NodeKilledMidRunIsAnError) {
  AnvilNode node;
  std::vector<std::string> addresses;
  for (unsigned i = 0; i < 300; ++i) addresses.push_back(FreshAddress(i));
  HttpOptions fast;
  fast.first_backoff = std::chrono::milliseconds(10);
  TransportFactory killing = [&](const SourceConfig& config) -> Result<std::unique_ptr<Transport>> {
    auto live = LiveTransports(fast)(config);
    if (!live) return live.error();
    // chain id, block hash, pin check, first batch of 100: then the node dies.
    return std::unique_ptr<Transport>(std::make_unique<KillingTransport>(std::move(live.value()), node, 4));
  };
  auto result = ReadChainBalances(EthQuery(0, addresses), Sources({&node}), killing, Anvil());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("cannot reach"), std::string::npos) << result.error().message;
}

TEST(EthereumQuorum, TokenAndNativeTogether) {
  AnvilNode node;
  const std::string token = node.Deploy("TestToken");
  node.SendTransaction(AnvilNode::DevAccount(0), token, "",
                       "40c10f19" + testing::AbiAddressWord(FreshAddress(7)) + testing::AbiUintWord("42"));
  node.SetBalance(FreshAddress(7), kFiveEtherHex);
  node.Mine();
  BalanceQuery q = EthQuery(node.BlockNumber(), {FreshAddress(7)});
  q.assets.push_back({"TOK", Addr(token)});
  auto result = ReadChainBalances(q, Sources({&node}), LiveTransports(), Anvil());
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->balances.size(), 2u);
  EXPECT_EQ(result->balances[0].asset, "ETH");
  EXPECT_TRUE(result->balances[0].amount == kFiveEther);
  EXPECT_EQ(result->balances[1].asset, "TOK");
  EXPECT_TRUE(result->balances[1].amount == 42);
}

}  // namespace
}  // namespace segverify::clients
