// BIP-322 on P2TR: a witness that is not a key-path signature is only "unsupported: script path"
// (exit 2) when its control block commits to the address's output key (BIP-341 script validation
// rules); otherwise it does not spend the address and is invalid (exit 1). Vectors from
// tests/chain/vectors/bip322-p2tr-witness-kinds.json (bitcoinjs-lib 7.0.5, bip322-js 3.0.0;
// generator beside it), checked through the CLI as a user runs it.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/fixture_json.h"
#include "tests/support/test_support.h"

namespace segverify::chain {
namespace {

using testing::LoadFixture;
using testing::Str;

int ExpectedExit(const std::string& verdict) {
  if (verdict == "valid") return 0;
  if (verdict == "invalid") return 1;
  return 2;  // unsupported: cannot check
}

TEST(Bip322P2trWitness, EachWitnessKindHasItsVerdict) {
  auto doc = LoadFixture("tests/chain/vectors/bip322-p2tr-witness-kinds.json");
  ASSERT_NE(doc, nullptr);
  const std::string message = Str(*doc, "message");
  int cases = 0;
  for (const auto& c : (*doc)["cases"].GetArray()) {
    const std::string name = Str(c, "name");
    const std::string expected = Str(c, "expected");
    auto run = segverify::testing::RunSegverify({"sig", "verify", "--chain", "bitcoin", "--address", Str(c, "address"),
                                                 "--message", message, "--signature", Str(c, "signature"), "--type",
                                                 "bip322"});
    EXPECT_EQ(run.exit_code, ExpectedExit(expected)) << name << "\nstdout: " << run.out << "stderr: " << run.err;
    if (expected == "unsupported") {
      EXPECT_NE(run.err.find("script-path"), std::string::npos) << name << ": " << run.err;
    }
    if (expected == "invalid") {
      EXPECT_EQ(run.out.rfind("invalid: ", 0), 0u) << name << ": " << run.out;
    }
    ++cases;
  }
  EXPECT_EQ(cases, 7);
}

}  // namespace
}  // namespace segverify::chain
