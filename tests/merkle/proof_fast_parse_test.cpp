// The fast proof reader (merkle/proof_fast_parse.cpp) against the generic one: on every proof it
// accepts, the generic parser accepts the same proof; and it does accept what `proof export` writes.
// Mutations at every byte of exported proofs cover the strict rules (duplicate keys, escapes,
// numbers, hex, amounts, trailing bytes): wherever the fast reader says yes, so does the generic one.
#include <gtest/gtest.h>

#include "merkle/inclusion_proof.h"
#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

// The worked example's proofs, as `proof export` writes them (ProofJsonWriter's layout).
std::vector<std::string> ExportedProofs() {
  std::vector<std::string> out;
  for (const char* name : {"proof-bob.json", "proof-alice.json"}) {
    const std::string path = testing::SourcePath(std::string("fixtures/worked-example/") + name);
    if (!testing::FileExists(path)) continue;
    auto proof = ParseInclusionProof(testing::ReadFile(path), name);
    EXPECT_TRUE(proof.ok()) << name;
    if (proof.ok()) out.push_back(InclusionProofToJson(*proof));
  }
  return out;
}

void ExpectFastImpliesGeneric(const std::string& text) {
  auto fast = ParseCanonicalProof(text);
  if (!fast) return;
  auto generic = ParseInclusionProofGeneric(text, "mutated");
  ASSERT_TRUE(generic.ok()) << "the fast reader accepted what the generic one refuses (" << generic.error().message
                            << "): " << ::testing::PrintToString(text);
  EXPECT_TRUE(*generic == *fast) << ::testing::PrintToString(text);
}

TEST(ProofFastParse, ReadsExportedProofsAsTheGenericParserDoes) {
  const auto proofs = ExportedProofs();
  ASSERT_FALSE(proofs.empty());
  for (const std::string& text : proofs) {
    auto fast = ParseCanonicalProof(text);
    ASSERT_TRUE(fast.has_value()) << text;
    auto generic = ParseInclusionProofGeneric(text, "exported");
    ASSERT_TRUE(generic.ok()) << generic.error().message;
    EXPECT_TRUE(*fast == *generic);
    // A line of an export ends with a newline (and maybe a carriage return).
    EXPECT_TRUE(ParseCanonicalProof(text + "\r\n").has_value());
  }
}

TEST(ProofFastParse, NeverAcceptsWhatTheGenericParserRefuses) {
  const std::string replacements[] = {"0", "1", "9", "a", "F", "g", "\"", "\\", ",", ":", "{", "}", "[", "]", " ",
                                      ".", "-", "e", "\x01", "\x7f", "\x80", "\xff", std::string(1, '\0'), "00", "\"x\""};
  std::size_t accepted = 0;
  for (const std::string& text : ExportedProofs()) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      std::string removed = text;
      removed.erase(i, 1);
      ExpectFastImpliesGeneric(removed);
      std::string doubled = text;
      doubled.insert(i, 1, text[i]);
      ExpectFastImpliesGeneric(doubled);
      for (const std::string& r : replacements) {
        std::string replaced = text;
        replaced.replace(i, 1, r);
        ExpectFastImpliesGeneric(replaced);
        if (ParseCanonicalProof(replaced).has_value()) ++accepted;
        std::string inserted = text;
        inserted.insert(i, r);
        ExpectFastImpliesGeneric(inserted);
      }
    }
    // A repeated key, an escape, trailing garbage: left to the generic parser, which refuses them.
    for (const std::string& bad :
         {text.substr(0, text.size() - 1) + ",\"pool\":\"x\"}", text + "x", text + std::string(1, '\0'),
          text.substr(0, 40) + "\\u0041" + text.substr(40)}) {
      EXPECT_FALSE(ParseCanonicalProof(bad).has_value()) << bad;
    }
  }
  // Some mutations are still valid proofs (a changed hex digit, a changed amount digit): the fast
  // reader took them, so the comparison above was exercised.
  EXPECT_GT(accepted, 0u);
}

}  // namespace
}  // namespace segverify::merkle
