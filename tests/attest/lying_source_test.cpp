// One source that lies (docs/SECURITY.md "Proven Ethereum reads"): tests/support/servers/lying_eth_proxy.py
// in front of a real anvil node is the ONLY source of the chain. Under proven reads (the default
// for Ethereum mainnet) it can alter balances, proofs, code, storage, the header or the block it
// reads at, and never get a PASS; an honest single source still gets one. A chain whose reads are
// only agreed needs two sources for a PASS.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <sstream>
#include <vector>

#include "clients/chain_source.h"
#include "clients/evidence.h"
#include "common/json.h"
#include "tests/attest/lying_front.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

constexpr const char* kOneEtherHex = "0xde0b6b3a7640000";

// Mainnet anvil where kFaultTestAddress holds 1 ETH at block 1, 2 ETH at block 2, 3 at the tip.
std::unique_ptr<AnvilNode> TwoBlocks() {
  AnvilNode::Options options;
  options.chain_id = 1;
  auto node = std::make_unique<AnvilNode>(options);
  // Transfers, each mined in its own block (anvil_setBalance would rewrite the head block's state
  // under its already computed state root).
  node->SendTransaction(AnvilNode::DevAccount(0), kFaultTestAddress, kOneEtherHex, "");
  node->SendTransaction(AnvilNode::DevAccount(0), kFaultTestAddress, kOneEtherHex, "");
  // The tip (block 3, 3 ETH) is another state than either pin: what a front reading "latest" serves.
  node->SendTransaction(AnvilNode::DevAccount(0), kFaultTestAddress, kOneEtherHex, "");
  return node;
}

// One pool owing 1.5 ETH, held at kFaultTestAddress; the chain pinned at `block`, read from `urls`.
std::string WriteConfig(const TempDir& dir, std::uint64_t block, const std::vector<std::string>& urls,
                        const std::string& reads = "") {
  WriteFile(dir.File("spot.csv"), "account_id,ETH\nalice,1.5\n");
  WriteFile(dir.File("config.json"),
            R"({"format":"segverify-attestation/1","id":"lies-1","message":"Hello World",)"
            R"("assets":[{"symbol":"ETH","decimals":18,"chain":"ethereum"}],)"
            R"("chains":{"ethereum":{"block":)" +
                std::to_string(block) + reads + R"(,"sources":)" + EthereumSourcesJson(urls) + "}}," +
                FaultPoolAndFirmJson() + "}");
  return dir.File("config.json");
}

struct Outcome {
  int exit_code = 0;
  std::string verdict;
  std::string err;
  std::unique_ptr<JsonDocument> report;
};

Outcome Attest(const std::string& config, const TempDir& dir) {
  auto run = RunSegverify({"attest", config, "--out", dir.File("out"), "--quiet"});
  Outcome o{run.exit_code, "", run.err, nullptr};
  if (FileExists(dir.File("out/report.json"))) {
    auto doc = ParseJsonFile(dir.File("out/report.json"));
    if (doc) {
      o.verdict = (**doc)["verdict"].GetString();
      o.report = std::move(*doc);
    }
  }
  return o;
}

TEST(LyingSource, HonestSingleSourcePassesWithProvenReads) {
  auto node = TwoBlocks();
  LyingFront honest(node->url(), "none");
  TempDir dir;
  auto run = Attest(WriteConfig(dir, 2, {honest.url()}), dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.verdict, "PASS");
  const auto& chain = (*run.report)["chains"]["ethereum"];
  EXPECT_EQ(std::string(chain["reads"].GetString()), "proven");
  // At block 1 the address holds 1 ETH of the 1.5 owed: an honest source shows the shortfall.
  TempDir short_dir;
  auto shortfall = Attest(WriteConfig(short_dir, 1, {honest.url()}), short_dir);
  EXPECT_EQ(shortfall.verdict, "FAIL") << shortfall.err;
}

class LyingSourceNeverPasses : public ::testing::TestWithParam<const char*> {};

// Block 1 (1 ETH, a shortfall) is where a raised balance or another block's state would turn FAIL
// into PASS; block 2 (2 ETH, covered) is where a lie can only be noticed or not. At neither is the
// verdict PASS.
TEST_P(LyingSourceNeverPasses, AtEitherBlock) {
  auto node = TwoBlocks();
  LyingFront liar(node->url(), GetParam());
  for (std::uint64_t block : {1u, 2u}) {
    TempDir dir;
    auto run = Attest(WriteConfig(dir, block, {liar.url()}), dir);
    EXPECT_NE(run.verdict, "PASS") << GetParam() << " at block " << block;
    EXPECT_NE(run.exit_code, 0) << GetParam() << " at block " << block;
    if (block == 2) {
      // A covered pool: the only thing wrong is the source, which could not be checked.
      EXPECT_EQ(run.exit_code, 2) << GetParam() << ": " << run.err;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Lies, LyingSourceNeverPasses,
                         ::testing::Values("balance", "proof-balance", "proof-node", "code", "latest", "header",
                                           "number-hash"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(LyingSource, AgreedReadsNeedTwoSources) {
  auto node = TwoBlocks();
  TempDir one;
  auto single = Attest(WriteConfig(one, 2, {node->url()}, R"(,"reads":"agreed")"), one);
  EXPECT_EQ(single.exit_code, 2) << single.err;
  EXPECT_NE(single.verdict, "PASS");
  EXPECT_NE(single.err.find("a PASS needs at least two independent sources"), std::string::npos) << single.err;
  // One node listed twice is one witness: a config error, not two sources.
  TempDir same;
  auto twice = Attest(WriteConfig(same, 2, {node->url(), node->url()}, R"(,"reads":"agreed")"), same);
  EXPECT_EQ(twice.exit_code, 2) << twice.err;
  EXPECT_NE(twice.err.find("one source listed twice"), std::string::npos) << twice.err;
  // Two spellings of the node's URL stand for two operators' nodes here (the operator's word).
  TempDir two;
  auto pair = Attest(WriteConfig(two, 2, {node->url(), node->url() + "/"}, R"(,"reads":"agreed")"), two);
  EXPECT_EQ(pair.exit_code, 0) << pair.err;
  ASSERT_TRUE(pair.report) << pair.err;
  EXPECT_EQ(std::string((*pair.report)["chains"]["ethereum"]["reads"].GetString()), "agreed");
}

// Rewrites every recorded answer of `dir`'s evidence that holds an account proof with `edit`. The
// edited recording is written as plain JSON lines ("<name>.jsonl" in place of "<name>.jsonl.gz"),
// which a replay reads as well (clients/evidence.h).
int EditRecordedProofs(const std::string& evidence_dir, const std::function<void(std::string&)>& edit) {
  int edited = 0;
  std::vector<std::filesystem::path> files;
  for (const auto& file : std::filesystem::directory_iterator(evidence_dir)) files.push_back(file.path());
  for (const auto& file : files) {
    std::string out;
    auto text = clients::ReadEvidenceFile(file.string());
    if (!text) throw std::runtime_error(text.error().message);
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      auto doc = ParseJson(line, "evidence");
      if (!doc) throw std::runtime_error(doc.error().message);
      std::string response = (**doc)["response"].GetString();
      if (response.find("accountProof") != std::string::npos) {
        edit(response);
        (**doc)["response"].SetString(response.c_str(), static_cast<rapidjson::SizeType>(response.size()),
                                      (*doc)->GetAllocator());
        ++edited;
      }
      out += JsonToString(**doc) + "\n";
    }
    std::filesystem::path plain = file;
    if (plain.extension() == ".gz") plain.replace_extension();
    std::filesystem::remove(file);
    WriteFile(plain.string(), out);
  }
  return edited;
}

// Evidence keeps the header and the proofs; a replay re-verifies them offline, so an altered
// recording is refused like a lying node.
TEST(LyingSource, ReplayReverifiesTheRecordedProofs) {
  auto node = TwoBlocks();
  TempDir dir;
  const std::string config = WriteConfig(dir, 2, {node->url()});
  auto live = Attest(config, dir);
  ASSERT_EQ(live.exit_code, 0) << live.err;
  node.reset();  // offline from here on
  for (const char* edit : {"none", "balance", "node"}) {
    // A copy of the recorded run (its trees are reused by the replay), evidence edited in place.
    TempDir replay_dir;
    std::filesystem::copy(dir.File("out"), replay_dir.File("recorded"), std::filesystem::copy_options::recursive);
    const std::string evidence = replay_dir.File("recorded/evidence");
    if (std::string(edit) == "balance") {
      EXPECT_GT(EditRecordedProofs(evidence,
                                   [](std::string& r) {
                                     auto at = r.find("\"balance\":\"0x");
                                     r.insert(at + 13, "1");  // 16x the balance
                                   }),
                0);
    } else if (std::string(edit) == "node") {
      EXPECT_GT(EditRecordedProofs(evidence,
                                   [](std::string& r) {
                                     auto at = r.find("\"]", r.find("\"accountProof\"")) - 1;
                                     r[at] = r[at] == '0' ? '1' : '0';  // the last node's last digit
                                   }),
                0);
    }
    auto run = RunSegverify(
        {"attest", config, "--out", replay_dir.File("out"), "--replay", evidence, "--quiet"});
    if (std::string(edit) == "none") {
      EXPECT_EQ(run.exit_code, 0) << run.err;
    } else {
      EXPECT_EQ(run.exit_code, 2) << edit << ": " << run.err;
    }
  }
}

// Storage and code at the client: under proven reads a lie is an Error; under agreed reads the
// client hands the lie on (only a second source can catch it).
TEST(LyingSource, StorageAndCodeLiesAreErrorsUnderProvenReads) {
  AnvilNode node;
  const std::string token = node.Deploy("TestToken");
  node.Mine();
  const auto pin_block = node.BlockNumber();
  auto header = ParseJson(node.Rpc("eth_getBlockByNumber", "[\"latest\",false]"), "anvil");
  clients::EthBlockPin pin{pin_block, (**header)["hash"].GetString()};
  const EthAddress account = *ParseEthAddressHex(token);
  clients::EthWord slot0{};
  for (const char* lie : {"storage", "code"}) {
    LyingFront liar(node.url(), lie);
    for (auto reads : {clients::EthReads::kProven, clients::EthReads::kAgreed}) {
      clients::SourceConfig config(clients::SourceType::kEthereum, liar.url());
      config.reads = reads;
      auto client = clients::MakeEthereumClient(config, clients::LiveTransports());
      ASSERT_TRUE(client) << client.error().message;
      auto words = (*client)->StorageWords({{account, slot0}}, pin);
      auto codes = (*client)->Codes({account}, pin);
      const bool storage_lie = std::string(lie) == "storage";
      if (reads == clients::EthReads::kProven) {
        if (storage_lie) {
          ASSERT_FALSE(words) << "a raised storage value was believed";
          EXPECT_NE(words.error().message.find("differs from the proven"), std::string::npos) << words.error().message;
        } else {
          ASSERT_FALSE(codes) << "other code was believed";
          EXPECT_NE(codes.error().message.find("proven code hash"), std::string::npos) << codes.error().message;
        }
      } else {
        EXPECT_TRUE(storage_lie ? words.ok() : codes.ok());
      }
    }
  }
}

}  // namespace
}  // namespace segverify::testing
