// Differential test against independent implementations from npm: tests/chain/oracle_cases.js
// signs fresh messages with fresh keys (bitcoinjs-message, bip322-js, bitcoinjs-lib +
// tiny-secp256k1, ethers) and emits valid and tampered cases; segverify must accept every valid
// case and reject (exit-1 kind: kInvalid) every tampered one — through the library and the CLI.
#include <string>

#include <gtest/gtest.h>

#include "common/hex.h"
#include "common/json.h"
#include "tests/support/fixture_json.h"
#include "tests/support/test_support.h"
#include "verifier/chain/ownership.h"

namespace segverify::chain {
namespace {

using segverify::testing::RunProgram;
using segverify::testing::RunSegverify;
using segverify::testing::SourcePath;
using segverify::testing::TempDir;

struct OracleCase {
  std::string name, chain, address, message, signature, type, script, expect;
};

std::vector<OracleCase> GenerateCases(const TempDir& dir) {
  const std::string out = dir.File("cases.json");
  const auto run = RunProgram("node", {SourcePath("tests/chain/oracle_cases.js"), out});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto doc = ParseJsonFile(out);
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().message);
  std::vector<OracleCase> cases;
  if (!doc) return cases;
  for (const auto& c : (**doc)["cases"].GetArray()) {
    auto opt = [&c](const char* key) { return c[key].IsString() ? std::string(c[key].GetString(), c[key].GetStringLength()) : std::string(); };
    cases.push_back({opt("name"), opt("chain"), opt("address"), opt("message"), opt("signature"), opt("type"), opt("script"), opt("expect")});
  }
  return cases;
}

OwnershipClaim ClaimOf(const OracleCase& c) {
  OwnershipClaim claim;
  claim.chain = c.chain == "bitcoin" ? Chain::kBitcoin : Chain::kEthereum;
  claim.address = c.address;
  claim.message = c.message;
  claim.signature = c.signature;
  if (!c.type.empty()) claim.type = ParseProofType(c.type).value();
  if (!c.script.empty()) claim.witness_script = FromHex(c.script);
  return claim;
}

TEST(OracleDifferential, AgreesWithNpmImplementationsOnFreshSignatures) {
  TempDir dir;
  const std::vector<OracleCase> cases = GenerateCases(dir);
  ASSERT_GE(cases.size(), 200u);
  int valid = 0, rejected = 0;
  for (const OracleCase& c : cases) {
    SCOPED_TRACE(c.name + " | " + c.address + " | '" + c.message + "' | " + c.signature);
    const OwnershipResult result = VerifyOwnership(ClaimOf(c));
    if (c.expect == "valid") {
      EXPECT_EQ(result.verdict, OwnershipVerdict::kValid) << result.reason;
      EXPECT_FALSE(result.signer_keys.empty());
      ++valid;
    } else {
      ASSERT_EQ(c.expect, "rejected");
      EXPECT_EQ(result.verdict, OwnershipVerdict::kInvalid) << result.reason;
      ++rejected;
    }
  }
  EXPECT_GT(valid, 100);
  EXPECT_GT(rejected, 100);
}

TEST(OracleDifferential, CliExitCodesAgreeOnASample) {
  TempDir dir;
  const std::vector<OracleCase> cases = GenerateCases(dir);
  ASSERT_FALSE(cases.empty());
  // Every 7th case: enough to cover each kind without starting hundreds of processes.
  for (std::size_t i = 0; i < cases.size(); i += 7) {
    const OracleCase& c = cases[i];
    SCOPED_TRACE(c.name);
    std::vector<std::string> args = {"sig", "verify", "--chain", c.chain, "--address", c.address,
                                     "--message", c.message, "--signature", c.signature};
    if (!c.type.empty()) args.insert(args.end(), {"--type", c.type});
    if (!c.script.empty()) args.insert(args.end(), {"--script", c.script});
    const auto run = RunSegverify(args);
    EXPECT_EQ(run.exit_code, c.expect == "valid" ? 0 : 1) << run.out << run.err;
  }
}

}  // namespace
}  // namespace segverify::chain
