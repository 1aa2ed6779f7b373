// JSON-RPC framing, URL handling and quorum rules, with a scripted in-process transport (the
// wire-level behaviour is covered against anvil and the Bitcoin test server elsewhere).
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "clients/chain_source.h"
#include "clients/http_transport.h"
#include "clients/json_rpc.h"
#include "clients/quorum.h"

namespace segverify::clients {
namespace {

// Answers every POST with `answer(body)`.
class ScriptedTransport final : public Transport {
 public:
  using Answer = std::function<HttpResponse(const std::string& body)>;
  ScriptedTransport(std::string source, Answer answer) : source_(std::move(source)), answer_(std::move(answer)) {}
  const std::string& source() const override { return source_; }
  Result<HttpResponse> Get(const std::string&) override { return Error{source_ + ": no GET here"}; }
  Result<HttpResponse> Post(const std::string&, const std::string& body) override { return answer_(body); }

 private:
  std::string source_;
  Answer answer_;
};

JsonRpcClient Scripted(const std::string& reply_body, int status = 200) {
  return JsonRpcClient(std::make_unique<ScriptedTransport>(
      "http://node.test", [=](const std::string&) { return HttpResponse{status, reply_body}; }));
}

const std::vector<RpcRequest> kTwo = {{"eth_chainId", "[]"}, {"eth_blockNumber", "[]"}};

TEST(JsonRpc, BatchRepliesAreMatchedById) {
  auto rpc = Scripted(R"([{"jsonrpc":"2.0","id":1,"result":"0x10"},{"jsonrpc":"2.0","id":0,"result":"0x1"}])");
  auto replies = rpc.Batch(kTwo);
  ASSERT_TRUE(replies.ok()) << replies.error().message;
  EXPECT_EQ((*replies)[0].result_json, "\"0x1\"");
  EXPECT_EQ((*replies)[1].result_json, "\"0x10\"");
}

TEST(JsonRpc, BatchWithMissingDuplicateOrUnknownIdsIsAnError) {
  const char* bad[] = {
      R"([{"id":0,"result":"0x1"}])",                                 // id 1 missing
      R"([{"id":0,"result":"0x1"},{"id":0,"result":"0x1"}])",         // duplicate
      R"([{"id":0,"result":"0x1"},{"id":7,"result":"0x1"}])",         // unknown
      R"([{"id":0,"result":"0x1"},{"result":"0x1"}])",                // no id
      R"({"id":0,"result":"0x1"})",                                   // not an array
      R"([{"id":0,"result":"0x1"},{"id":1}])",                        // neither result nor error
  };
  for (const char* body : bad) {
    auto rpc = Scripted(body);
    auto replies = rpc.Batch(kTwo);
    ASSERT_FALSE(replies.ok()) << body;
    EXPECT_NE(replies.error().message.find("http://node.test"), std::string::npos) << replies.error().message;
  }
}

TEST(JsonRpc, ErrorObjectIsAReplyNotAFailure) {
  auto rpc = Scripted(R"({"jsonrpc":"2.0","id":0,"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}})");
  auto reply = rpc.Call({"eth_call", "[]"});
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_TRUE(reply->is_error);
  EXPECT_EQ(reply->error_code, 3);
  EXPECT_EQ(reply->error_data, "\"0x08c379a0\"");
}

TEST(JsonRpc, HttpErrorsAndGarbageAreErrors) {
  auto unauthorized = Scripted("", 401);
  auto a = unauthorized.Call({"getblockcount", "[]"});
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("authentication failed"), std::string::npos);
  auto gateway = Scripted("<html>bad gateway</html>", 502);
  EXPECT_FALSE(gateway.Call({"getblockcount", "[]"}).ok());
  auto garbage = Scripted("{\"id\":0,\"result\":");
  EXPECT_FALSE(garbage.Call({"getblockcount", "[]"}).ok());
  auto wrong_id = Scripted(R"({"id":5,"result":1})");
  EXPECT_FALSE(wrong_id.Call({"getblockcount", "[]"}).ok());
  auto deep = Scripted(std::string(1000, '[') + std::string(1000, ']'));
  EXPECT_FALSE(deep.Call({"getblockcount", "[]"}).ok());
}

TEST(JsonRpc, ExactTextKeepsNumberLiterals) {
  JsonRpcClient rpc(std::make_unique<ScriptedTransport>(
                        "http://node.test",
                        [](const std::string&) {
                          return HttpResponse{200, R"({"id":0,"result":{"amount":0.00012345,"big":21000000.00000001}})"};
                        }),
                    RpcNumbers::kExactText);
  auto reply = rpc.Call({"x", "[]"});
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->result_json, R"({"amount":"0.00012345","big":"21000000.00000001"})");
}

// Two Ethereum "nodes" agreeing on the block but not on one balance (or, with `time_by_url`, on
// the block's timestamp).
TransportFactory FakeEthereumNodes(std::map<std::string, std::string> balance_by_url,
                                   std::map<std::string, std::string> time_by_url = {}) {
  return [balance_by_url, time_by_url](const SourceConfig& config) -> Result<std::unique_ptr<Transport>> {
    std::string balance = balance_by_url.at(config.url);
    std::string time = time_by_url.count(config.url) ? time_by_url.at(config.url) : "0x5";
    auto answer = [balance, time](const std::string& body) {
      auto doc = ParseJson(body, "request");
      std::string out = "[";
      auto reply_for = [&](const JsonValue& r) {
        std::string method = r["method"].GetString();
        std::string id = std::to_string(r["id"].GetUint64());
        std::string result;
        if (method == "eth_chainId") result = "\"0x1\"";
        if (method == "eth_getBlockByNumber") {
          result = "{\"number\":\"0x5\",\"timestamp\":\"" + time + "\",\"hash\":\"0x" + std::string(64, 'a') + "\"}";
        }
        if (method == "eth_getBalance") {
          std::string who = r["params"][0].GetString();
          result = who.back() == '1' ? "\"" + balance + "\"" : "\"0x7\"";
        }
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
      };
      if (!(*doc)->IsArray()) return HttpResponse{200, reply_for(**doc)};
      for (const auto& r : (*doc)->GetArray()) out += (out.size() > 1 ? "," : "") + reply_for(r);
      return HttpResponse{200, out + "]"};
    };
    return std::unique_ptr<Transport>(std::make_unique<ScriptedTransport>(config.url, answer));
  };
}

TEST(Quorum, BalanceDisagreementIsNamedAndThatBalanceDropped) {
  BalanceQuery q;
  q.chain = Chain::kEthereum;
  q.height = 5;
  q.addresses = {{"0x0000000000000000000000000000000000000001", ""}, {"0x0000000000000000000000000000000000000002", ""}};
  q.assets = {{"ETH", std::nullopt}};
  std::vector<SourceConfig> sources = {{SourceType::kEthereum, "http://a.test", ""},
                                       {SourceType::kEthereum, "http://b.test", ""}};
  auto result = ReadChainBalances(q, sources, FakeEthereumNodes({{"http://a.test", "0x64"}, {"http://b.test", "0x65"}}));
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->disagreements.size(), 1u);
  EXPECT_EQ(result->disagreements[0].Describe(),
            "sources disagree on 0x0000000000000000000000000000000000000001 ETH: http://a.test says 100, "
            "http://b.test says 101");
  ASSERT_EQ(result->balances.size(), 1u);
  EXPECT_EQ(result->balances[0].address, "0x0000000000000000000000000000000000000002");
  EXPECT_TRUE(result->balances[0].amount == 7);

  auto agreed = ReadChainBalances(q, sources, FakeEthereumNodes({{"http://a.test", "0x64"}, {"http://b.test", "0x64"}}));
  ASSERT_TRUE(agreed.ok()) << agreed.error().message;
  EXPECT_TRUE(agreed->disagreements.empty());
  EXPECT_EQ(agreed->balances.size(), 2u);
}

TEST(Quorum, BlockTimeIsAgreedLikeTheHash) {
  BalanceQuery q;
  q.chain = Chain::kEthereum;
  q.height = 5;
  q.addresses = {{"0x0000000000000000000000000000000000000002", ""}};
  q.assets = {{"ETH", std::nullopt}};
  std::vector<SourceConfig> sources = {{SourceType::kEthereum, "http://a.test", ""},
                                       {SourceType::kEthereum, "http://b.test", ""}};
  auto agreed =
      ReadChainBalances(q, sources,
                        FakeEthereumNodes({{"http://a.test", "0x1"}, {"http://b.test", "0x1"}},
                                          {{"http://a.test", "0x6553f100"}, {"http://b.test", "0x6553f100"}}));
  ASSERT_TRUE(agreed.ok()) << agreed.error().message;
  EXPECT_EQ(agreed->block_time, std::optional<std::uint64_t>(1700000000));
  auto lying = ReadChainBalances(q, sources,
                                 FakeEthereumNodes({{"http://a.test", "0x1"}, {"http://b.test", "0x1"}},
                                                   {{"http://a.test", "0x6553f100"}, {"http://b.test", "0x6553f101"}}));
  ASSERT_TRUE(lying.ok()) << lying.error().message;
  ASSERT_EQ(lying->disagreements.size(), 1u);
  EXPECT_EQ(lying->disagreements[0].Describe(),
            "sources disagree on block 5 time: http://a.test says 1700000000, http://b.test says 1700000001");
  EXPECT_TRUE(lying->balances.empty());
  EXPECT_FALSE(lying->block_time.has_value());
}

TEST(Quorum, NoSourcesOrWrongSourceTypeIsAnError) {
  BalanceQuery q;
  q.chain = Chain::kBitcoin;
  q.assets = {{"BTC", std::nullopt}};
  EXPECT_FALSE(ReadChainBalances(q, {}, LiveTransports()).ok());
  auto wrong = ReadChainBalances(q, {{SourceType::kEthereum, "http://127.0.0.1:1", ""}}, LiveTransports());
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("cannot serve chain bitcoin"), std::string::npos) << wrong.error().message;
}

}  // namespace
}  // namespace segverify::clients
