// `segverify proof verify` on hostile proofs and roots: each is refused (exit 2, one error line
// naming the file and field) or, when well-formed but wrong, invalid (exit 1) — in bounded time
// and memory. Base input: fixtures/worked-example (bob's proof, height 2).
#include <gtest/gtest.h>

#include "tests/hostile/hostile_cases.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

const std::string kMaxBtc = "3402823669209384634633746074317.68211455";  // 2^128-1 satoshi

std::string Proof() { return ReadFile(SourcePath("fixtures/worked-example/proof-bob.json")); }
std::string Root() { return ReadFile(SourcePath("fixtures/worked-example/root.json")); }

// The worked example's published root hash (fixtures/worked-example/root.json).
const std::string kRootHash = "af5a0c2daf83751f2cbad37397b745d0ea68fa2de110ef167d9456f2d2b971dc";

// `extra`: the published root to check against (default: the worked example's root hash).
MeasuredRun VerifyText(const std::string& proof, const TempDir& dir,
                       std::vector<std::string> extra = {"--root-hash", kRootHash}) {
  WriteFile(dir.File("proof.json"), proof);
  std::vector<std::string> args = {"proof", "verify", dir.File("proof.json")};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunSegverifyMeasured(args, dir);
}

TEST(ProofVerifyHostile, TheUneditedFixtureIsValid) {
  TempDir dir;
  WriteFile(dir.File("root.json"), Root());
  auto run = VerifyText(Proof(), dir, {"--root", dir.File("root.json")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST(ProofVerifyHostile, EditedProofsAreRefusedNamingTheField) {
  const std::vector<EditCase> cases = {
      {"format version", "segverify-proof/1", "segverify-proof/2", 2, "format"},
      {"number as string", "\"leaf_index\": 1", "\"leaf_index\": \"1\"", 2, "leaf_index"},
      {"string as number", "\"0.25\"", "0.25", 2, "balances[0]"},
      {"exponent amount", "\"0.25\"", "\"2.5e-1\"", 2, "balances[0]"},
      {"negative amount", "\"0.25\"", "\"-0.25\"", 2, "balances[0]"},
      {"too many decimals", "\"0.25\"", "\"0.250000001\"", 2, "balances[0]"},
      {"amount over u128", "\"0.25\"", "\"3402823669209384634633746074317.68211456\"", 2, "balances[0]"},
      {"leaf index out of range", "\"leaf_index\": 1", "\"leaf_index\": 4", 2, "leaf_index"},
      {"leaf index over 2^64", "\"leaf_index\": 1", "\"leaf_index\": 18446744073709551616", 2, "leaf_index"},
      {"negative leaf index", "\"leaf_index\": 1", "\"leaf_index\": -1", 2, "leaf_index"},
      {"height over 256", "\"height\": 2", "\"height\": 300", 2, "height"},
      {"height not matching path", "\"height\": 2", "\"height\": 3", 2, "path"},
      {"duplicate key", "\"pool\": \"default\",", "\"pool\": \"default\", \"pool\": \"other\",", 2, "pool"},
      {"unknown field", "\"pool\": \"default\",", "\"pool\": \"default\", \"extra\": 1,", 2, "extra"},
      {"short nonce", "928931744d17c7ee", "928931744d17c7e", 2, "nonce"},
      {"non-hex hash", "447ff846", "447ff84g", 2, "path[0].hash"},
      {"invalid UTF-8 in id", "\"bob\"", "\"b\xff" "b\"", 2, "proof.json"},
      {"truncated", "\"root\"", "\"ro", 2, "proof.json"},
      {"unpaired surrogate escape in id", "\"bob\"", "\"b\\udcaab\"", 2, "UTF-8"},
      // Well-formed but wrong: checked, and does not hold.
      {"NUL byte in id", "\"bob\"", "\"b\\u0000b\"", 1, ""},
      {"tampered balance", "\"0.25\"", "\"0.26\"", 1, ""},
      {"sibling sums overflow", "\"1.5\"", "\"" + kMaxBtc + "\"", 1, ""},
  };
  const std::string proof = Proof();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    auto run = VerifyText(WithEdit(proof, c.find, c.replace), dir);
    if (c.exit_code == 2) {
      ExpectCannotCheck(run, "proof.json");
      EXPECT_NE(run.err.find(c.must_name), std::string::npos) << run.err;
    } else {
      EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
      EXPECT_EQ(run.out.rfind("invalid", 0), 0u) << run.out;
    }
  }
}

TEST(ProofVerifyHostile, WholeFileGarbageIsRefused) {
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"empty", ""},
      {"binary garbage", BinaryGarbage()},
      {"100k levels of nesting", DeeplyNestedJson(100000)},
      {"nesting inside a field", WithEdit(Proof(), "\"default\"", DeeplyNestedJson(100000))},
      {"a JSON number", "1e999999"},
      {"NUL bytes", std::string(64, '\0')},
  };
  for (const auto& [name, text] : inputs) {
    SCOPED_TRACE(name);
    TempDir dir;
    ExpectCannotCheck(VerifyText(text, dir), "proof.json");
  }
}

TEST(ProofVerifyHostile, HostileRootsAreRefused) {
  const std::vector<EditCase> cases = {
      {"format version", "segverify-root/1", "segverify-root/0", 2, "format"},
      {"height over 256", "\"height\": 2", "\"height\": 257", 2, "height"},
      {"sums as numbers", "\"1.75000001\"", "1.75000001", 2, "sums[0]"},
      {"duplicate key", "\"height\": 2,", "\"height\": 2, \"height\": 2,", 2, "height"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    WriteFile(dir.File("root.json"), WithEdit(Root(), c.find, c.replace));
    auto run = VerifyText(Proof(), dir, {"--root", dir.File("root.json")});
    ExpectCannotCheck(run, "root.json");
    EXPECT_NE(run.err.find(c.must_name), std::string::npos) << run.err;
  }
  TempDir dir;
  ExpectCannotCheck(VerifyText(Proof(), dir, {"--root-hash", "af5a0c2d"}), "root-hash");
}

// What an attacker writes into a proof to forge a "valid" line over the real one: a carriage
// return and ECMA-48 "erase line", then made-up text. Through every field the text output shows,
// and through JSON keys quoted in error messages, nothing reaches stdout or stderr raw.
const std::string kForgedLine = "\\r\\u001b[2Kvalid: account alice (BTC 100) \\u009b2K\\u0007";

void ExpectNoRawControls(const MeasuredRun& run) {
  for (const std::string* text : {&run.out, &run.err}) {
    EXPECT_EQ(text->find('\x1b'), std::string::npos) << *text;
    EXPECT_EQ(text->find('\r'), std::string::npos) << *text;
    EXPECT_EQ(text->find('\x07'), std::string::npos) << *text;
    EXPECT_EQ(text->find("\xc2\x9b"), std::string::npos) << *text;
  }
}

TEST(ProofVerifyHostile, EscapeSequencesInEveryShownFieldAreShownEscaped) {
  struct FieldCase {
    std::string name, find, replace;
  };
  const std::vector<FieldCase> cases = {
      {"pool", "\"pool\": \"default\"", "\"pool\": \"" + kForgedLine + "\""},
      {"account id", "\"account_id\": \"bob\"", "\"account_id\": \"" + kForgedLine + "\""},
      {"asset symbol", "\"symbol\": \"BTC\"", "\"symbol\": \"" + kForgedLine + "\""},
      {"unknown key", "\"pool\": \"default\",", "\"pool\": \"default\", \"" + kForgedLine + "\": 1,"},
      {"duplicate key", "\"leaf_index\": 1,", "\"leaf_index\": 1, \"x" + kForgedLine + "\": 1, \"x" + kForgedLine + "\": 1,"},
  };
  const std::string proof = Proof();
  for (const auto& c : cases) {
    for (bool with_root : {false, true}) {
      SCOPED_TRACE(c.name + (with_root ? " with --root" : ""));
      TempDir dir;
      WriteFile(dir.File("root.json"), Root());
      std::vector<std::string> extra;
      if (with_root) extra = {"--root", dir.File("root.json")};
      auto run = VerifyText(WithEdit(proof, c.find, c.replace), dir, extra);
      ExpectNoRawControls(run);
      if (run.exit_code != 0) {
        // No line of the output says "valid" (the forged text is there, but escaped within the real line).
        EXPECT_NE(run.out.rfind("valid", 0), 0u) << run.out;
        EXPECT_EQ(run.out.find("\nvalid"), std::string::npos) << run.out;
      } else {
        EXPECT_NE(run.out.find("\\r\\x1b[2K"), std::string::npos) << run.out;
      }
    }
  }
}

// `--json` carries the balances, so a script need not read them out of the text line.
TEST(ProofVerifyHostile, JsonResultCarriesTheBalances) {
  TempDir dir;
  auto run = VerifyText(Proof(), dir, {"--json", "--root-hash", kRootHash});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("\"balances\":[{\"symbol\":\"BTC\",\"amount\":\"0.25\"},{\"symbol\":\"ETH\",\"amount\":\"0\"}]"),
            std::string::npos)
      << run.out;
}

// A 64 MB proof is refused before it is parsed: seconds, and less than 4x its size in RAM.
TEST(ProofVerifyHostile, SixtyFourMegabyteProofAndRootAreBounded) {
  TempDir dir;
  auto run = VerifyText(HugeJson("{\"format\":\"segverify-proof/1\",\"pool\":\""), dir);
  ExpectCannotCheck(run, "proof.json");
  EXPECT_LT(run.seconds, 5.0);
  EXPECT_LT(run.max_rss_kb * 1024, 4 * kMemoryBoundScale * static_cast<long>(kHugeInputBytes));

  WriteFile(dir.File("root.json"), HugeJson("{\"format\":\"segverify-root/1\",\"x\":\""));
  auto root_run = VerifyText(Proof(), dir, {"--root", dir.File("root.json")});
  ExpectCannotCheck(root_run, "root.json");
  EXPECT_LT(root_run.seconds, 5.0);
  EXPECT_LT(root_run.max_rss_kb * 1024, 4 * kMemoryBoundScale * static_cast<long>(kHugeInputBytes));
}

}  // namespace
}  // namespace segverify::testing
