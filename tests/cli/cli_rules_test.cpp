// The command-line rules of docs/DESIGN.md (§Command line, §Outputs are all or nothing), run as a
// user would: a failed write to stdout is exit 2 for every command; JSON with anything after its
// value (a NUL byte included) is malformed; a repeatable option takes one value per occurrence;
// --root-hash with or without 0x; a proof checked against another pool's root, and a file of the
// wrong kind, say so; address inspect detects the chain; every --help has an example; --version
// names the git revision.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/faulty_eth_node.h"
#include "tests/hostile/measured_run.h"
#include "tests/support/segverify_process.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

using namespace std::string_literals;

const std::string kKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
// The published root of fixtures/worked-example (tests/tools/reference_tree.py, the README there).
const std::string kWorkedRootHash = "af5a0c2daf83751f2cbad37397b745d0ea68fa2de110ef167d9456f2d2b971dc";

std::string WorkedExample(const std::string& file) { return SourcePath("fixtures/worked-example/" + file); }

// A tree of the worked example in DIR/tree (the fixture's own nonce key, input order).
void BuildWorkedTree(const TempDir& dir) {
  auto built = RunSegverify({"tree", "build", "--liabilities", WorkedExample("liabilities.csv"), "--assets",
                             "BTC:8,ETH:18", "--out", dir.File("tree"), "--no-shuffle", "--nonce-key", kKey});
  ASSERT_EQ(built.exit_code, 0) << built.err;
}

// --- A failed write to stdout is exit 2, whatever the command --------------------------------

void ExpectDevFullFails(const std::vector<std::string>& args, const TempDir& dir) {
  SCOPED_TRACE(args[0] + (args.size() > 1 ? " " + args[1] : ""));
  ProcessOptions options;
  options.stdout_path = "/dev/full";
  auto run = RunSegverifyProcess(args, dir, options);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  // One error line (progress lines on stderr may come before it).
  auto lines = ErrorLines(run.err);
  std::erase_if(lines, [](const std::string& line) { return !line.starts_with("segverify: "); });
  ASSERT_EQ(lines.size(), 1u) << run.err;
  EXPECT_EQ(lines[0], "segverify: error: cannot write to standard output: No space left on device");
}

TEST(CliStdout, EveryCommandFailsOnAFullStdout) {
  TempDir dir;
  BuildWorkedTree(dir);
  ExpectDevFullFails({"proof", "verify", WorkedExample("proof-bob.json"), "--root-hash", kWorkedRootHash}, dir);
  ExpectDevFullFails({"proof", "verify", WorkedExample("proof-bob.json"), "--root-hash", kWorkedRootHash, "--json"}, dir);
  ExpectDevFullFails({"proof", "export", "--tree", dir.File("tree"), "--account", "bob"}, dir);
  ExpectDevFullFails({"proof", "export", "--tree", dir.File("tree"), "--all"}, dir);
  ExpectDevFullFails({"tree", "build", "--liabilities", WorkedExample("liabilities.csv"), "--assets", "BTC:8,ETH:18",
                      "--out", dir.File("tree2"), "--json", "--nonce-key", kKey},
                     dir);
  ExpectDevFullFails({"address", "inspect", "--json", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}, dir);
  ExpectDevFullFails(
      {"sig", "verify", "--chain", "bitcoin", "--address", "bc1q9vza2e8x573nczrlzms0wvx3gsqjx7vavgkx0l", "--message",
       "Hello World", "--json", "--signature",
       "smpAkcwRAIgZRfIY3p7/DoVTty6YZbWS71bc5Vct9p9Fia83eRmw2QCICK/ENGfwLtptFluMGs2KsqoNSk89pO7F29zJLUx9a/"
       "sASECx/EgAxlkQpQ9hYjgGu6EBCPMVPwVIVJqO4XCsMvViHI="},
      dir);
  ExpectDevFullFails({"--help"}, dir);
  ExpectDevFullFails({"--version"}, dir);
  FaultyEthNode node("none");
  ExpectDevFullFails({"balances", "--chain", "ethereum", "--source", "ethereum=" + node.url(), "--height", "16",
                      "--json", kFaultTestAddress},
                     dir);
}

// The same commands to a working stdout: exit 0 (so the failures above are the full stdout's).
TEST(CliStdout, TheSameCommandsSucceedOnAWorkingStdout) {
  TempDir dir;
  BuildWorkedTree(dir);
  EXPECT_EQ(RunSegverify({"proof", "verify", WorkedExample("proof-bob.json"), "--root-hash", kWorkedRootHash, "--json"})
                .exit_code,
            0);
  EXPECT_EQ(RunSegverify({"proof", "export", "--tree", dir.File("tree"), "--all"}).exit_code, 0);
  EXPECT_EQ(RunSegverify({"address", "inspect", "--json", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}).exit_code, 0);
  EXPECT_EQ(RunSegverify({"--version"}).exit_code, 0);
}

// --- Strict end of input for every JSON reader ------------------------------------------------

TEST(CliJson, ANulByteAndGarbageAfterAProofMakeItMalformed) {
  TempDir dir;
  const std::string proof = ReadFile(WorkedExample("proof-bob.json"));
  for (const std::string& tail : {"\0"s, "\0garbage"s, "\0{\"valid\":true}"s, " x"s, "\n{}"s}) {
    WriteFile(dir.File("proof.json"), proof + tail);
    auto run = RunSegverify({"proof", "verify", dir.File("proof.json"), "--root-hash", kWorkedRootHash});
    EXPECT_EQ(run.exit_code, 2) << ::testing::PrintToString(tail) << run.out << run.err;
    EXPECT_EQ(run.out.find("valid: "), std::string::npos) << run.out;
    EXPECT_NE(run.err.find("proof.json: invalid JSON"), std::string::npos) << run.err;
    // From stdin too.
    auto piped = RunSegverify({"proof", "verify", "-", "--root-hash", kWorkedRootHash}, proof + tail + "\n");
    EXPECT_EQ(piped.exit_code, 2) << piped.out << piped.err;
  }
  // Control: the untouched proof is valid.
  EXPECT_EQ(
      RunSegverify({"proof", "verify", WorkedExample("proof-bob.json"), "--root-hash", kWorkedRootHash}).exit_code, 0);
}

TEST(CliJson, ANulTailedRootIsMalformed) {
  TempDir dir;
  WriteFile(dir.File("root.json"), ReadFile(WorkedExample("root.json")) + "\0garbage"s);
  auto run = RunSegverify({"proof", "verify", WorkedExample("proof-bob.json"), "--root", dir.File("root.json")});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("NUL byte"), std::string::npos) << run.err;
}

TEST(CliJson, ANulTailedConfigIsExitTwoBeforeAnyRequest) {
  TempDir dir;
  const std::string config = WriteFaultConfig(dir, "http://127.0.0.1:9");
  WriteFile(config, ReadFile(config) + "\0{\"pools\":[]}"s);
  auto run = RunSegverifyMeasured({"attest", config, "--out", dir.File("out"), "--quiet"}, dir);
  ExpectCannotCheck(run, "config.json: invalid JSON at byte");
  EXPECT_FALSE(FileExists(dir.File("out")));
}

// --- One value per occurrence of a repeatable option ------------------------------------------

TEST(CliOptions, ARepeatedAssetOrSourceDoesNotSwallowTheAddress) {
  FaultyEthNode node("none");
  TempDir dir;
  const std::string source = "ethereum=" + node.url();
  // --asset then the address: the address is an address (the honest node credits it 10^6 ETH).
  auto one = RunSegverify({"balances", "--chain", "ethereum", "--source", source, "--height", "16", "--asset", "ETH:18",
                           kFaultTestAddress});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find(std::string(kFaultTestAddress) + " 1000000 ETH"), std::string::npos) << one.out;
  // --source twice, then the address.
  auto two = RunSegverify(
      {"balances", "--chain", "ethereum", "--source", source, "--source", source, "--height", "16", kFaultTestAddress});
  EXPECT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.out.find(std::string(kFaultTestAddress) + " 1000000 ETH"), std::string::npos) << two.out;
  // Two --asset values, each its own: both are parsed (the second is the same symbol, refused).
  auto twice = RunSegverify({"balances", "--chain", "ethereum", "--source", source, "--height", "16", "--asset",
                             "ETH:18", "--asset", "ETH:18", kFaultTestAddress});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("--asset: ETH given twice"), std::string::npos) << twice.err;
  // docs/DESIGN.md §Command line's own example: a token after ETH, then the address. The token's
  // balanceOf is not
  // something this node answers, but the command line is understood (no usage error, no
  // "--asset: expected SYMBOL:DECIMALS").
  auto token =
      RunSegverify({"balances", "--chain", "ethereum", "--source", source, "--height", "16", "--asset", "ETH:18",
                    "--asset", "USDT:6:0xdAC17F958D2ee523a2206206994597C13D831ec7", kFaultTestAddress});
  EXPECT_EQ(token.err.find("usage error"), std::string::npos) << token.err;
  EXPECT_EQ(token.err.find("expected SYMBOL:DECIMALS"), std::string::npos) << token.err;
  EXPECT_EQ(token.err.find("no address given"), std::string::npos) << token.err;
}

// --- Roots: 0x, pools, files of the wrong kind --------------------------------------------------

TEST(CliRoots, RootHashWithOrWithout0x) {
  const std::string proof = WorkedExample("proof-bob.json");
  for (const std::string& hash : {kWorkedRootHash, "0x" + kWorkedRootHash, "0X" + kWorkedRootHash}) {
    auto run = RunSegverify({"proof", "verify", proof, "--root-hash", hash});
    EXPECT_EQ(run.exit_code, 0) << hash << ": " << run.err;
  }
  std::string other = kWorkedRootHash;
  other[63] = other[63] == '0' ? '1' : '0';
  EXPECT_EQ(RunSegverify({"proof", "verify", proof, "--root-hash", "0x" + other}).exit_code, 1);
  for (const std::string& bad : {"0x" + kWorkedRootHash.substr(2), "0x"s, "0x0x" + kWorkedRootHash.substr(2)}) {
    auto run = RunSegverify({"proof", "verify", proof, "--root-hash", bad});
    EXPECT_EQ(run.exit_code, 2) << bad;
    EXPECT_NE(run.err.find("--root-hash: expected 64 hex characters"), std::string::npos) << run.err;
  }
}

// root.json of the worked example (which names its pool "default") naming `pool` instead, or no
// pool at all when `pool` is empty ("pool" is optional in segverify-root/1).
std::string RootOfPool(const std::string& pool) {
  std::string root = ReadFile(WorkedExample("root.json"));
  const std::string field = "\"pool\": \"default\",";
  const std::size_t at = root.find(field);
  EXPECT_NE(at, std::string::npos) << "the fixture names its pool";
  if (at != std::string::npos) root.replace(at, field.size(), pool.empty() ? "" : "\"pool\": \"" + pool + "\",");
  return root;
}

TEST(CliRoots, AProofCheckedAgainstAnotherPoolsRootSaysSo) {
  TempDir dir;
  WriteFile(dir.File("margin.json"), RootOfPool("margin"));
  auto other = RunSegverify({"proof", "verify", WorkedExample("proof-bob.json"), "--root", dir.File("margin.json")});
  EXPECT_EQ(other.exit_code, 1) << other.err;
  EXPECT_EQ(other.out, "invalid: the proof is for pool default, the root is pool margin's\n");
  // The same root naming the proof's pool (and a root naming none) is accepted.
  WriteFile(dir.File("default.json"), RootOfPool("default"));
  EXPECT_EQ(
      RunSegverify({"proof", "verify", WorkedExample("proof-bob.json"), "--root", dir.File("default.json")}).exit_code,
      0);
  WriteFile(dir.File("unnamed.json"), RootOfPool(""));
  EXPECT_EQ(
      RunSegverify({"proof", "verify", WorkedExample("proof-bob.json"), "--root", dir.File("unnamed.json")}).exit_code,
      0);
}

TEST(CliRoots, AFileOfTheWrongKindIsNamedAsSuch) {
  TempDir dir;
  BuildWorkedTree(dir);
  WriteFile(dir.File("report.json"), R"({"format":"segverify-report/1","id":"2026-11","verdict":"PASS"})");
  const std::string proof = WorkedExample("proof-bob.json");
  auto report = RunSegverify({"proof", "verify", proof, "--root", dir.File("report.json")});
  EXPECT_EQ(report.exit_code, 2);
  EXPECT_EQ(ErrorLines(report.err), std::vector<std::string>{"segverify: error: --root: " + dir.File("report.json") +
                                                             " is an attestation report (segverify-report/1), not a "
                                                             "root (segverify-root/1)"});
  auto tree_meta = RunSegverify({"proof", "verify", proof, "--root", dir.File("tree/tree.json")});
  EXPECT_EQ(tree_meta.exit_code, 2);
  EXPECT_NE(tree_meta.err.find("tree.json is a tree's metadata (tree.json) (segverify-tree/1), not a root"),
            std::string::npos)
      << tree_meta.err;
  auto tree_dir = RunSegverify({"proof", "verify", proof, "--root", dir.File("tree")});
  EXPECT_EQ(tree_dir.exit_code, 2);
  EXPECT_NE(tree_dir.err.find("is a tree directory; give its root file, " + dir.File("tree") + "/root.json"),
            std::string::npos)
      << tree_dir.err;
  auto root_as_proof = RunSegverify({"proof", "verify", WorkedExample("root.json"), "--root-hash", kWorkedRootHash});
  EXPECT_EQ(root_as_proof.exit_code, 2);
  EXPECT_NE(
      root_as_proof.err.find("root.json is a root (segverify-root/1), not an inclusion proof (segverify-proof/1)"),
      std::string::npos)
      << root_as_proof.err;
  auto report_as_config = RunSegverifyMeasured({"attest", dir.File("report.json"), "--out", dir.File("out")}, dir);
  ExpectCannotCheck(report_as_config,
                    "report.json is an attestation report (segverify-report/1), not an attestation config "
                    "(segverify-attestation/1)");
  WriteFile(dir.File("plain.json"), R"({"hash":"00"})");
  auto plain = RunSegverify({"proof", "verify", proof, "--root", dir.File("plain.json")});
  EXPECT_NE(plain.err.find("plain.json is not a root (segverify-root/1): it has no \"format\" field"),
            std::string::npos)
      << plain.err;
}

// --- address inspect without --chain -----------------------------------------------------------

TEST(CliAddress, TheChainIsDetectedFromTheAddress) {
  // BIP-173 P2WPKH, Bitcoin wiki P2PKH and P2SH examples, EIP-55 example address.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "chain: bitcoin\ntype: p2wpkh\n"},
      {"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "chain: bitcoin\ntype: p2pkh\n"},
      {"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "chain: bitcoin\ntype: p2sh\n"},
      {"0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", "chain: ethereum\ntype: unknown\n"},  // no --rpc
  };
  for (const auto& [address, expected] : cases) {
    auto run = RunSegverify({"address", "inspect", address});
    EXPECT_EQ(run.exit_code, 0) << address << ": " << run.err;
    EXPECT_EQ(run.out.rfind(expected, 0), 0u) << run.out;
  }
  auto json = RunSegverify({"address", "inspect", "--json", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"});
  EXPECT_EQ(json.out.rfind(
                R"({"chain":"ethereum","type":"unknown","address":"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")", 0),
            0u)
      << json.out;
  // Neither chain: exit 2 with the reason of the chain it looks like.
  auto neither = RunSegverify({"address", "inspect", "hello"});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("not a bitcoin or ethereum address: bitcoin:"), std::string::npos) << neither.err;
  auto bad_checksum = RunSegverify({"address", "inspect", "0xFB6916095ca1df60bb79ce92ce3ea74c37c5d359"});
  EXPECT_EQ(bad_checksum.exit_code, 2);
  EXPECT_NE(bad_checksum.err.find("ethereum: "), std::string::npos) << bad_checksum.err;
  // An explicit --chain is obeyed.
  EXPECT_EQ(RunSegverify({"address", "inspect", "--chain", "bitcoin", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"})
                .exit_code,
            2);
}

// --- --help and --version ------------------------------------------------------------------------

TEST(CliHelp, EveryCommandShowsAnExample) {
  const std::vector<std::vector<std::string>> commands = {{},
                                                          {"attest"},
                                                          {"serve"},
                                                          {"publish"},
                                                          {"recheck"},
                                                          {"sig"},
                                                          {"sig", "verify"},
                                                          {"balances"},
                                                          {"tree"},
                                                          {"tree", "build"},
                                                          {"proof"},
                                                          {"proof", "export"},
                                                          {"proof", "verify"},
                                                          {"address"},
                                                          {"address", "inspect"}};
  for (const auto& command : commands) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    auto run = RunSegverify(args);
    const std::string name = command.empty() ? "segverify" : command[0] + (command.size() > 1 ? " " + command[1] : "");
    EXPECT_EQ(run.exit_code, 0) << name;
    EXPECT_NE(run.out.find("Example"), std::string::npos) << name << ":\n" << run.out;
    // The example runs the command itself (a group shows one of its subcommands).
    EXPECT_NE(run.out.find("\n  segverify " + (command.empty() ? std::string() : command[0])), std::string::npos)
        << name << ":\n"
        << run.out;
  }
}

TEST(CliVersion, NamesTheGitRevision) {
  auto run = RunSegverify({"--version"});
  EXPECT_EQ(run.exit_code, 0);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(run.out, match, std::regex(R"(segverify \d+\.\d+\.\d+ \(revision ([^ )]+)\)\n)")))
      << run.out;
  // Built from a git checkout (this test runs in one): `git describe --always --dirty` names a
  // commit, e.g. "0ffe42d" or "v0.1.0-3-g0ffe42d-dirty"; outside one it says "unknown".
  if (std::filesystem::exists(SourcePath(".git"))) {
    EXPECT_TRUE(std::regex_match(match[1].str(), std::regex(R"(([\w.-]+-g)?[0-9a-f]{7,40}(-dirty)?)")))
        << match[1].str();
  }
}

}  // namespace
}  // namespace segverify::testing
