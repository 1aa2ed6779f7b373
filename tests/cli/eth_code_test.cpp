// Pins verifier/cli/eth_code.h (`sig verify --rpc`, `address inspect --rpc`): whether an address
// has code, read at the node's latest block or a given one, pinned to the hash the node gives for
// that block; a node that changes that hash while answering is an error naming it.
#include "verifier/cli/eth_code.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "clients/transport.h"
#include "common/json.h"

namespace segverify::cli {
namespace {

const std::string kContract = "0x1111111111111111111111111111111111111111";
const std::string kAccount = "0x2222222222222222222222222222222222222222";

// A node at block 16 (0x10) where kContract has code. Answers single and batched JSON-RPC requests
// by method; `hash_of` gives block hashes (a lying node changes them between calls).
class ScriptedNode final : public clients::Transport {
 public:
  explicit ScriptedNode(std::function<std::string()> hash_of) : hash_of_(std::move(hash_of)) {}
  const std::string& source() const override { return source_; }
  Result<clients::HttpResponse> Get(const std::string&) override { return Error{"no GET here"}; }
  Result<clients::HttpResponse> Post(const std::string&, const std::string& body) override {
    auto doc = ParseJson(body, "request");
    if (!doc) return doc.error();
    if (!(*doc)->IsArray()) return clients::HttpResponse{200, Reply(**doc)};
    std::string out = "[";
    for (const JsonValue& request : (*doc)->GetArray()) out += (out.size() > 1 ? "," : "") + Reply(request);
    return clients::HttpResponse{200, out + "]"};
  }
  std::string blocks_asked;  // the blocks eth_getBlockByNumber was asked for

 private:
  std::string Reply(const JsonValue& request) {
    const std::string method = request["method"].GetString();
    const std::string id = std::to_string(request["id"].GetUint64());
    std::string result;
    if (method == "eth_blockNumber") {
      result = R"("0x10")";
    } else if (method == "eth_getBlockByNumber") {
      const std::string number = request["params"][0].GetString();
      blocks_asked += number + " ";
      result = R"({"hash":")" + hash_of_() + R"(","number":")" + number + R"(","timestamp":"0x5"})";
    } else if (method == "eth_getCode") {
      result = std::string(request["params"][0].GetString()) == kContract ? R"("0x6000")" : R"("0x")";
    } else {
      return R"({"jsonrpc":"2.0","id":)" + id + R"(,"error":{"code":-32601,"message":"no such method"}})";
    }
    return R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":)" + result + "}";
  }
  std::string source_ = "ethereum node (http://127.0.0.1:8545)";
  std::function<std::string()> hash_of_;
};

std::string Hash(char fill) { return "0x" + std::string(64, fill); }

TEST(EthCode, ReadsAtTheLatestBlockOrTheOneGiven) {
  auto node = std::make_unique<ScriptedNode>([] { return Hash('a'); });
  ScriptedNode* seen = node.get();
  clients::EthereumClient client(std::move(node));
  auto contract = ReadCodeAt(client, *ParseEthAddressHex(kContract), std::nullopt);
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  EXPECT_EQ(contract->block, 16u);
  EXPECT_TRUE(contract->has_code);
  auto account = ReadCodeAt(client, *ParseEthAddressHex(kAccount), 12);
  ASSERT_TRUE(account.ok()) << account.error().message;
  EXPECT_EQ(account->block, 12u);
  EXPECT_FALSE(account->has_code);
  EXPECT_NE(seen->blocks_asked.find("0xc "), std::string::npos) << seen->blocks_asked;
}

TEST(EthCode, ANodeWhoseBlockHashChangesIsAnError) {
  int calls = 0;
  clients::EthereumClient client(std::make_unique<ScriptedNode>([&] { return Hash(++calls == 1 ? 'a' : 'b'); }));
  auto code = ReadCodeAt(client, *ParseEthAddressHex(kContract), 12);
  ASSERT_FALSE(code.ok());
  EXPECT_NE(code.error().message.find("ethereum node"), std::string::npos) << code.error().message;
}

}  // namespace
}  // namespace segverify::cli
