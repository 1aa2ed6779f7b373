// `segverify sig verify` end to end: exit codes 0 (valid), 1 (invalid), 2 (cannot check), output
// lines and --json, with BIP-322 / BIP-137 / EIP-191 published or ethers-generated vectors.
#include <string>

#include <gtest/gtest.h>

#include "common/json.h"
#include "tests/support/test_support.h"

namespace segverify {
namespace {

using testing::RunSegverify;
using testing::TempDir;

// BIP-322 basic vectors (bitcoin/bips bip-0322/basic-test-vectors.json).
const std::string kP2wpkh = "bc1q9vza2e8x573nczrlzms0wvx3gsqjx7vavgkx0l";
const std::string kHelloSig =
    "smpAkcwRAIgZRfIY3p7/DoVTty6YZbWS71bc5Vct9p9Fia83eRmw2QCICK/ENGfwLtptFluMGs2KsqoNSk89pO7F29zJLUx9a/sASECx/EgAxlkQpQ9hYjgGu6EBCPMVPwVIVJqO4XCsMvViHI=";
// bitcoinjs-message README.
const std::string kBip137Address = "1F3sAm6ZtwLAUnj7d38pGFxtP3RVEvtsbV";
const std::string kBip137Sig = "H9L5yLFjti0QTHhPyFrZCT1V/MMnBtXKmoiKDZ78NDBjERki6ZTQZdSMCtkgoNmp17By9ItJr8o7ChX0XxY91nk=";
const std::string kBip137Message = "This is an example of a signed message.";

std::vector<std::string> Args(const std::string& chain, const std::string& address, const std::string& message,
                              const std::string& signature) {
  return {"sig", "verify", "--chain", chain, "--address", address, "--message", message, "--signature", signature};
}

TEST(SigVerifyCli, ValidIsExitZero) {
  auto run = RunSegverify(Args("bitcoin", kP2wpkh, "Hello World", kHelloSig));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("valid: ", 0), 0u) << run.out;
  run = RunSegverify(Args("bitcoin", kBip137Address, kBip137Message, kBip137Sig));
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST(SigVerifyCli, InvalidIsExitOne) {
  auto run = RunSegverify(Args("bitcoin", kP2wpkh, "Hello World!", kHelloSig));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out.rfind("invalid: ", 0), 0u) << run.out;
  run = RunSegverify(Args("bitcoin", kBip137Address, kBip137Message + " ", kBip137Sig));
  EXPECT_EQ(run.exit_code, 1);
}

TEST(SigVerifyCli, CannotCheckIsExitTwoWithOneLineError) {
  const std::vector<std::vector<std::string>> cases = {
      Args("bitcoin", kP2wpkh, "Hello World", "smp!!!"),                      // malformed base64
      Args("bitcoin", kP2wpkh, "Hello World", "pof" + kHelloSig.substr(3)),  // proof of funds: unsupported
      Args("bitcoin", "bc1qnotanaddress", "m", kHelloSig),                   // bad address
      Args("litecoin", kP2wpkh, "m", kHelloSig),                             // unknown chain
      {"sig", "verify", "--chain", "bitcoin", "--address", kP2wpkh, "--signature", kHelloSig},  // no message
  };
  for (const auto& args : cases) {
    const auto run = RunSegverify(args);
    EXPECT_EQ(run.exit_code, 2) << args[5] << " " << run.err;
    EXPECT_EQ(run.err.rfind("segverify: ", 0), 0u) << run.err;
    EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << run.err;
  }
  auto bad_type = Args("bitcoin", kP2wpkh, "Hello World", kHelloSig);
  bad_type.insert(bad_type.end(), {"--type", "custom"});
  EXPECT_EQ(RunSegverify(bad_type).exit_code, 2);
}

TEST(SigVerifyCli, Erc1271WithoutAReachableNodeIsExitTwo) {
  auto args = Args("ethereum", "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c", "m", "0xdeadbeef");
  args.insert(args.end(), {"--type", "erc1271"});
  auto run = RunSegverify(args);  // no --rpc
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--rpc"), std::string::npos) << run.err;
  args.insert(args.end(), {"--rpc", "http://127.0.0.1:1", "--block", "5"});  // nothing listens on port 1
  run = RunSegverify(args);
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.err.find("cannot-check"), std::string::npos) << run.err;
}

TEST(SigVerifyCli, MessageFileIsHashedByteForByte) {
  TempDir dir;
  testing::WriteFile(dir.File("msg.txt"), "Hello World");
  auto run = RunSegverify({"sig", "verify", "--chain", "bitcoin", "--address", kP2wpkh, "--message-file",
                           dir.File("msg.txt"), "--signature", kHelloSig});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  testing::WriteFile(dir.File("msg-nl.txt"), "Hello World\n");
  run = RunSegverify({"sig", "verify", "--chain", "bitcoin", "--address", kP2wpkh, "--message-file",
                      dir.File("msg-nl.txt"), "--signature", kHelloSig});
  EXPECT_EQ(run.exit_code, 1);
  run = RunSegverify({"sig", "verify", "--chain", "bitcoin", "--address", kP2wpkh, "--message-file",
                      dir.File("missing.txt"), "--signature", kHelloSig});
  EXPECT_EQ(run.exit_code, 2);
}

TEST(SigVerifyCli, JsonOutput) {
  auto args = Args("bitcoin", kP2wpkh, "Hello World", kHelloSig);
  args.push_back("--json");
  const auto run = RunSegverify(args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = ParseJson(run.out, "stdout");
  ASSERT_TRUE(doc) << run.out;
  EXPECT_TRUE((**doc)["valid"].GetBool());
  EXPECT_STREQ((**doc)["verdict"].GetString(), "valid");
  ASSERT_EQ((**doc)["signer_keys"].Size(), 1u);
  EXPECT_STREQ((**doc)["signer_keys"][0].GetString(), "02c7f12003196442943d8588e01aee840423cc54fc1521526a3b85c2b0cbd58872");
}

TEST(SigVerifyCli, HelpExitsZero) {
  const auto run = RunSegverify({"sig", "verify", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("--signature"), std::string::npos);
}

}  // namespace
}  // namespace segverify
