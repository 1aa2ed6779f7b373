// The verdict words are written once (verifier/report/public_view.h VerdictWords over
// StandingWords): the status page's scripts, which show a verdict the server did not render
// (app.js for a proof's attestation, embed.js for the embed box), carry the same table. Changing
// the words in C++ without the scripts, or the other way round, fails here.
#include <string>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"
#include "verifier/report/public_view.h"

namespace segverify {
namespace {

// The one line each script holds its words in.
std::string ScriptWordsTable() {
  using report::Verdict;
  using report::VerdictWords;
  return "const words = { PASS: '" + std::string(VerdictWords(Verdict::kPass)) + "', FAIL: '" +
         std::string(VerdictWords(Verdict::kFail)) + "', ERROR: '" + std::string(VerdictWords(Verdict::kError)) +
         "' };";
}

TEST(VerdictWords, TheScriptsCarryTheOneTable) {
  const std::string table = ScriptWordsTable();
  for (const char* name : {"web/app.js", "web/embed.js"}) {
    const std::string text = testing::ReadFile(testing::SourcePath(name));  // the bytes embedded and served
    ASSERT_FALSE(text.empty()) << name;
    const std::string_view script = text;
    const std::size_t at = script.find(table);
    EXPECT_NE(at, std::string_view::npos) << name << " lacks " << table;
    EXPECT_EQ(script.find("const words", at + 1), std::string_view::npos) << name << " has a second table";
  }
}

TEST(VerdictWords, OneWordPerVerdict) {
  using report::Verdict;
  EXPECT_EQ(report::VerdictWords(Verdict::kPass), report::StandingWords(report::Standing::kHolds));
  EXPECT_EQ(report::VerdictWords(Verdict::kFail), report::StandingWords(report::Standing::kDoesNotHold));
  EXPECT_EQ(report::VerdictWords(Verdict::kError), report::StandingWords(report::Standing::kUnknown));
}

}  // namespace
}  // namespace segverify
