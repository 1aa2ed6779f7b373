// Fuzz entry for what chain nodes answer: the Ethereum, Esplora and Bitcoin Core clients driven
// by an in-process transport that serves the fuzzed bytes as HTTP bodies.
//
// Input layout: byte 0 picks the call (see kCalls); the rest is split at NUL bytes into the
// bodies of successive answers (cycling when there are more calls than bodies). A body that
// starts with '!' is answered with HTTP 404, '~' with HTTP 500 (the marker is removed).
#include <memory>

#include "clients/bitcoin_core_client.h"
#include "clients/esplora_client.h"
#include "clients/ethereum_client.h"
#include "clients/json_rpc.h"
#include "clients/transport.h"
#include "fuzz/entries/fuzz_entries.h"
#include "fuzz/entries/fuzz_support.h"

namespace segverify::fuzz {
namespace {

// A node stops answering after this many requests, so a client that keeps paging cannot loop.
constexpr std::size_t kMaxAnswers = 1000;

class FuzzedNode final : public clients::Transport {
 public:
  explicit FuzzedNode(std::vector<std::string_view> bodies) : bodies_(std::move(bodies)) {}
  const std::string& source() const override { return source_; }
  Result<clients::HttpResponse> Get(const std::string&) override { return Answer(); }
  Result<clients::HttpResponse> Post(const std::string&, const std::string&) override { return Answer(); }

 private:
  Result<clients::HttpResponse> Answer() {
    if (answers_ >= kMaxAnswers) return Error{source_ + ": no more answers"};
    std::string_view body = bodies_[answers_++ % bodies_.size()];
    int status = 200;
    if (!body.empty() && body.front() == '!') status = 404;
    if (!body.empty() && body.front() == '~') status = 500;
    if (status != 200) body.remove_prefix(1);
    return clients::HttpResponse{status, std::string(body)};
  }

  std::string source_ = "http://fuzzed-node.test";
  std::vector<std::string_view> bodies_;
  std::size_t answers_ = 0;
};

const EthAddress kHolder{0x11, 0x22};
const EthAddress kToken{0x33, 0x44};
const clients::EthBlockPin kEthPin{16, "0x" + std::string(64, 'a')};
const clients::BitcoinBlockPin kBitcoinPin{200, std::string(64, 'b')};
const std::vector<clients::BitcoinTarget> kBitcoinTargets = {
    {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"}};

void RequireSameLength(std::size_t got, std::size_t asked) {
  FuzzRequire(got == asked, "client returned another number of balances than asked for");
}

void Ethereum(std::uint8_t call, std::unique_ptr<clients::Transport> node) {
  clients::EthereumClient client(std::move(node), 2);
  const std::vector<EthAddress> holders = {kHolder, kToken, kHolder};
  switch (call) {
    case 0:
      (void)client.ChainId();
      break;
    case 1:
      (void)client.BlockHash(16);
      break;
    case 2:
      if (auto b = client.NativeBalances(holders, kEthPin)) RequireSameLength(b->size(), holders.size());
      break;
    case 3:
      if (auto b = client.TokenBalances(kToken, holders, kEthPin)) RequireSameLength(b->size(), holders.size());
      break;
    default:
      (void)client.EthCall(kToken, Bytes{0x16, 0x26, 0xba, 0x7e}, kEthPin);
      break;
  }
}

void Bitcoin(std::uint8_t call, std::unique_ptr<clients::Transport> node) {
  if (call < 7) {
    clients::EsploraClient client(std::move(node));
    if (call == 5) {
      (void)client.BlockHash(200);
    } else if (auto b = client.Balances(kBitcoinTargets, kBitcoinPin)) {
      RequireSameLength(b->size(), kBitcoinTargets.size());
    }
    return;
  }
  clients::BitcoinCoreClient client(std::move(node));
  if (call == 7) {
    (void)client.BlockHash(200);
  } else if (auto b = client.Balances(kBitcoinTargets, kBitcoinPin)) {
    RequireSameLength(b->size(), kBitcoinTargets.size());
  }
}

}  // namespace

void FuzzNodeResponses(FuzzInput data) {
  if (data.empty()) return;
  const auto call = static_cast<std::uint8_t>(data[0] % 10);
  const std::string_view rest = AsText(data.subspan(1));
  if (call == 9) {
    (void)clients::ParseNodeJson(std::string(rest), "fuzz", clients::RpcNumbers::kExactText);
    return;
  }
  auto node = std::make_unique<FuzzedNode>(SplitAt(rest, '\0'));
  if (call < 5) {
    Ethereum(call, std::move(node));
  } else {
    Bitcoin(call, std::move(node));
  }
}

}  // namespace segverify::fuzz
