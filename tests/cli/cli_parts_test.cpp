// Pins the CLI's own files directly (the other tests in tests/cli run the binary):
// verifier/cli/usage_hints.h (the nearest known word, `help CMD`), source_option.h (--source
// TYPE=URL, errors that never repeat the URL), proof_lines.h (telling a file of proof lines from
// one pretty-printed proof) and published_site.h (a site directory's files, read by name).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/test_support.h"
#include "verifier/cli/proof_lines.h"
#include "verifier/cli/published_site.h"
#include "verifier/cli/source_option.h"
#include "verifier/cli/usage_hints.h"

namespace segverify::cli {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(UsageHints, TheNearestKnownWordWithinTheTypoDistance) {
  const std::vector<std::string> commands = {"attest", "address", "balances", "proof", "publish", "recheck", "serve"};
  EXPECT_EQ(NearestWord("atest", commands), "attest");     // a deletion
  EXPECT_EQ(NearestWord("attset", commands), "attest");    // a swap of neighbours
  EXPECT_EQ(NearestWord("pubilsh", commands), "publish");  // two edits, 7 letters
  EXPECT_EQ(NearestWord("serv", commands), "serve");       // one edit, 4 letters
  EXPECT_FALSE(NearestWord("srv", commands).has_value());  // two edits for 3 letters: too far
  EXPECT_FALSE(NearestWord("frobnicate", commands).has_value());
  EXPECT_FALSE(NearestWord("attest", {}).has_value());
}

TEST(UsageHints, HelpCommandIsTheCommandsHelpOption) {
  EXPECT_EQ(HelpArguments({"help"}), (std::vector<std::string>{"--help"}));
  EXPECT_EQ(HelpArguments({"help", "proof", "verify"}), (std::vector<std::string>{"proof", "verify", "--help"}));
  EXPECT_FALSE(HelpArguments({"proof", "help"}).has_value());
  EXPECT_FALSE(HelpArguments({}).has_value());
}

TEST(SourceOption, TypeAndUrlWithCredentialsFromTheUrlOrTheEnvironment) {
  auto esplora = ParseSourceOption("esplora=https://blockstream.info/api", 1);
  ASSERT_TRUE(esplora.ok()) << esplora.error().message;
  EXPECT_EQ(esplora->type, clients::SourceType::kEsplora);
  EXPECT_EQ(esplora->url, "https://blockstream.info/api");
  EXPECT_TRUE(esplora->auth.empty());
  ::setenv("SEGVERIFY_RPC_AUTH", "user:secret", 1);
  auto core = ParseSourceOption("bitcoin-core=http://127.0.0.1:8332", 2);
  auto core_with_userinfo = ParseSourceOption("bitcoin-core=http://u:p@127.0.0.1:8332", 3);
  auto ethereum = ParseSourceOption("ethereum=http://127.0.0.1:8545", 4);
  ::unsetenv("SEGVERIFY_RPC_AUTH");
  ASSERT_TRUE(core.ok() && core_with_userinfo.ok() && ethereum.ok());
  EXPECT_EQ(core->auth, "user:secret");
  EXPECT_TRUE(core_with_userinfo->auth.empty());  // the URL's own user-info is used
  EXPECT_TRUE(ethereum->auth.empty());            // only Bitcoin Core takes the environment's
}

TEST(SourceOption, ErrorsNameTheOptionNeverTheUrl) {
  EXPECT_FALSE(ParseSourceOption("esplora", 1).ok());
  auto type = ParseSourceOption("electrum=https://x.example", 1);
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.error().message.find("electrum"), std::string::npos) << type.error().message;
  auto url = ParseSourceOption("ethereum=ftp://key-abc123@node.example/secret-path", 5);
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.error().message.rfind("--source 5: ", 0), 0u) << url.error().message;
  EXPECT_EQ(url.error().message.find("key-abc123"), std::string::npos) << url.error().message;
  EXPECT_EQ(url.error().message.find("secret-path"), std::string::npos) << url.error().message;
}

TEST(ProofLinesHead, AFileOfLinesIsToldFromOnePrettyPrintedProof) {
  EXPECT_TRUE(LooksLikeProofLines("{\"format\":\"segverify-proof/1\"}\n{\"format\":\"segverify-proof/1\"}\n"));
  EXPECT_TRUE(LooksLikeProofLines("\n{\"a\":1}\n\n{\"b\":2}"));  // blank lines skipped
  EXPECT_FALSE(LooksLikeProofLines("{\n  \"format\": \"segverify-proof/1\",\n  \"account\": \"a\"\n}\n"));
  EXPECT_FALSE(LooksLikeProofLines("{\"format\":\"segverify-proof/1\"}\n"));  // one proof on one line
  EXPECT_FALSE(LooksLikeProofLines(""));
}

TEST(PublishedSite, AFileOfASiteDirectoryIsReadByName) {
  TempDir site;
  WriteFile(site.File("roots.json"), "[]");
  auto roots = ReadSiteFile(site.path(), "roots.json", clients::HttpOptions{});
  ASSERT_TRUE(roots.ok()) << roots.error().message;
  EXPECT_EQ(*roots, "[]");
  EXPECT_FALSE(ReadSiteFile(site.path(), "status.json", clients::HttpOptions{}).ok());
  EXPECT_FALSE(ReadSiteFile(site.File("none"), "roots.json", clients::HttpOptions{}).ok());  // not a directory
  EXPECT_FALSE(ReadSiteFile("ftp://site.example", "roots.json", clients::HttpOptions{}).ok());
}

}  // namespace
}  // namespace segverify::cli
