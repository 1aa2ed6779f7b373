// Config errors (docs/FORMAT.md §7): unknown fields, unknown chains,
// unknown source and proof types, testnet addresses → exit 2 with the JSON path at fault, and no
// PASS report. No node is needed: the config is refused before any request (its URLs point to a
// closed port, so a config that slipped through could not pass either).
#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>

#include "common/json.h"
#include "tests/attest/sample_exchange_run.h"

namespace segverify::testing {
namespace {

using Mutation = std::function<void(JsonDocument&)>;

// The sample's config template with its placeholders filled and `mutate` applied, in `dir`.
std::string WriteConfig(const TempDir& dir, const Mutation& mutate) {
  std::string text = ReadFile(SourcePath("fixtures/sample-exchange/config.template.json"));
  auto doc = ParseJson(text, "config.template.json");
  if (!doc) throw std::runtime_error(doc.error().message);
  JsonDocument& config = **doc;
  auto& alloc = config.GetAllocator();
  for (auto& source : config["chains"]["bitcoin"]["sources"].GetArray()) {
    source["url"].SetString("http://127.0.0.1:9", alloc);
    if (source.HasMember("auth")) source["auth"].SetString("user:pass", alloc);
  }
  config["chains"]["ethereum"]["sources"][0]["url"].SetString("http://127.0.0.1:9", alloc);
  for (auto& pool : config["pools"].GetArray()) {
    std::string name = pool["name"].GetString();
    WriteFile(dir.File(name + ".csv"), ReadFile(SourcePath("fixtures/liabilities/" + name + ".csv")));
    pool["liabilities"].SetString((name + ".csv").c_str(), alloc);
  }
  mutate(config);
  std::string path = dir.File("config.json");
  WriteFile(path, JsonToString(config));
  return path;
}

void SetString(JsonDocument& doc, JsonValue& object, const char* key, const char* value) {
  if (object.HasMember(key)) {
    object[key].SetString(value, doc.GetAllocator());
  } else {
    object.AddMember(JsonValue(key, doc.GetAllocator()), JsonValue(value, doc.GetAllocator()), doc.GetAllocator());
  }
}

struct ConfigErrorCase {
  std::string name;
  Mutation mutate;
  std::string json_path;  // must appear in the error
};

// gtest prints parameters in test names and failures; the case name is enough.
void PrintTo(const ConfigErrorCase& c, std::ostream* os) { *os << c.name; }

class AttestConfigError : public ::testing::TestWithParam<ConfigErrorCase> {};

TEST_P(AttestConfigError, ExitTwoNamingTheJsonPath) {
  TempDir dir;
  std::string config = WriteConfig(dir, GetParam().mutate);
  AttestRun run = RunAttest({config, "--out", dir.File("out"), "--quiet"});
  EXPECT_EQ(run.result.exit_code, 2) << run.result.out << run.result.err;
  EXPECT_NE(run.result.err.find(GetParam().json_path), std::string::npos) << run.result.err;
  EXPECT_NE(run.result.err.find("segverify: error: "), std::string::npos) << run.result.err;
  if (run.report) {
    EXPECT_NE(Verdict(*run.report), "PASS");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AttestConfigError,
    ::testing::Values(
        ConfigErrorCase{"UnknownTopLevelField",
                        [](JsonDocument& d) { SetString(d, d, "notes", "unchecked"); }, "notes"},
        ConfigErrorCase{"UnknownAddressField",
                        [](JsonDocument& d) { SetString(d, d["pools"][0]["addresses"][1], "memo", "x"); },
                        "pools[0].addresses[1]"},
        ConfigErrorCase{"UnknownAssetChain",
                        [](JsonDocument& d) { SetString(d, d["assets"][0], "chain", "dogecoin"); }, "assets[0].chain"},
        ConfigErrorCase{"UnknownAddressChain",
                        [](JsonDocument& d) { SetString(d, d["pools"][0]["addresses"][0], "chain", "litecoin"); },
                        "pools[0].addresses[0].chain"},
        ConfigErrorCase{"UnknownChainsEntry",
                        [](JsonDocument& d) {
                          JsonValue copy(d["chains"]["ethereum"], d.GetAllocator());
                          d["chains"].AddMember("polygon", copy, d.GetAllocator());
                        },
                        "polygon"},
        // BIP-173 test vector (testnet P2WPKH): https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki
        ConfigErrorCase{"TestnetAddress",
                        [](JsonDocument& d) {
                          SetString(d, d["pools"][1]["addresses"][0], "address", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
                        },
                        "pools[1].addresses[0].address"},
        ConfigErrorCase{"UnknownProofType",
                        [](JsonDocument& d) { SetString(d, d["pools"][0]["addresses"][3]["proof"], "type", "eip712"); },
                        "pools[0].addresses[3].proof.type"},
        ConfigErrorCase{"UnknownSourceType",
                        [](JsonDocument& d) { SetString(d, d["chains"]["bitcoin"]["sources"][1], "type", "electrum"); },
                        "chains.bitcoin.sources[1].type"},
        ConfigErrorCase{"UnknownFirmField",
                        [](JsonDocument& d) { SetString(d, d["firm"], "treasury", "cold"); }, "firm"},
        // url_env (docs/OPERATIONS.md §6): the variable named must be set, and url and url_env
        // are exclusive. (SEGVERIFY_TEST_UNSET_URL is set by no test.)
        ConfigErrorCase{"UrlEnvNotSet",
                        [](JsonDocument& d) {
                          JsonValue& source = d["chains"]["ethereum"]["sources"][0];
                          source.RemoveMember("url");
                          SetString(d, source, "url_env", "SEGVERIFY_TEST_UNSET_URL");
                        },
                        "chains.ethereum.sources[0].url_env: the environment variable SEGVERIFY_TEST_UNSET_URL is not set"},
        ConfigErrorCase{"UrlAndUrlEnv",
                        [](JsonDocument& d) {
                          SetString(d, d["chains"]["ethereum"]["sources"][0], "url_env", "ETH_URL");
                        },
                        "give url or url_env (exactly one)"},
        ConfigErrorCase{"AsOfNotAUtcTime", [](JsonDocument& d) { SetString(d, d, "as_of", "2026-11-01 00:00"); },
                        "as_of: expected a UTC time in ISO 8601"},
        ConfigErrorCase{"FirmKeyNotAPublicKey",
                        [](JsonDocument& d) { d["firm"]["keys"][0].SetString("02abcd", d.GetAllocator()); },
                        "firm.keys[0]"}),
    [](const ::testing::TestParamInfo<ConfigErrorCase>& param) { return param.param.name; });

}  // namespace
}  // namespace segverify::testing
