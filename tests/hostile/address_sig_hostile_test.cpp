// `segverify address inspect` and `segverify sig verify` on hostile arguments: exit 2 with one
// error line naming what is wrong, never a crash; a well-formed signature that does not verify
// is exit 1. Arguments are capped by the OS (128 KiB each), so "huge" here is 100 KB.
#include <gtest/gtest.h>

#include "tests/hostile/hostile_cases.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

const std::string kP2wpkh = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";  // BIP-173 test vector
const std::string kEoa = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c";    // fixtures/vectors/eip191-ethers-vectors.json

TEST(AddressHostile, BadAddressesAreRefused) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"bitcoin", "", "empty"},
      {"bitcoin", "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "mixed case"},
      {"bitcoin", "bc1q\xff\xfe", "address"},
      {"bitcoin", std::string("bc1qw508d6qejxtdg4y5r3\0arvary0c5xw7kv8f3t4", 42).substr(0, 22), "address"},
      {"bitcoin", " " + kP2wpkh, "address"},
      {"bitcoin", std::string(100000, 'q'), "address"},
      {"bitcoin", BinaryGarbage().substr(0, 200).replace(3, 1, "x"), "address"},
      {"ethereum", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55"},
      {"ethereum", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", "address"},
      {"ethereum", std::string(100000, 'a'), "address"},
  };
  for (const auto& [chain, address, must_name] : cases) {
    SCOPED_TRACE(chain + " " + address.substr(0, 60));
    TempDir dir;
    auto run = RunSegverifyMeasured({"address", "inspect", "--chain", chain, address}, dir);
    ExpectCannotCheck(run, must_name);
    EXPECT_EQ(run.out, "");
  }
}

TEST(SigHostile, MalformedSignaturesAreRefused) {
  struct Case {
    std::string chain, address, signature, type;
    std::string must_name = "signature";
  };
  const std::vector<Case> cases = {
      {"bitcoin", kP2wpkh, "", ""},
      {"bitcoin", kP2wpkh, "!!!notbase64", ""},
      {"bitcoin", kP2wpkh, "AkgwRQIhAL", ""},
      {"bitcoin", kP2wpkh, std::string(100000, 'A'), ""},
      {"bitcoin", kP2wpkh, "pofAAAA", ""},
      {"bitcoin", kP2wpkh, BinaryGarbage().substr(0, 100).replace(3, 1, "x"), ""},
      {"bitcoin", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "AAAA", "bip137"},
      {"ethereum", kEoa, "0xzz", ""},
      {"ethereum", kEoa, "0x12", "bip137", "proof type"},
      {"ethereum", kEoa, "0x" + std::string(100000, '1'), "eip191"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.chain + " " + c.signature.substr(0, 40) + " " + c.type);
    TempDir dir;
    std::vector<std::string> args = {"sig",         "verify", "--chain",     c.chain,    "--address",
                                     c.address,     "--message", "m", "--signature", c.signature};
    if (!c.type.empty()) {
      args.push_back("--type");
      args.push_back(c.type);
    }
    auto run = RunSegverifyMeasured(args, dir);
    ExpectCannotCheck(run, c.must_name);
    EXPECT_LT(run.seconds, 5.0);
  }
}

TEST(SigHostile, WellFormedWrongSignatureIsInvalid) {
  TempDir dir;
  // r = s = 0xff..ff: decodes as 65 bytes, cannot be a signature by the address's key. (Without
  // --type, offline, it would be "cannot check": the address might be a contract wallet.)
  auto run = RunSegverifyMeasured({"sig", "verify", "--chain", "ethereum", "--address", kEoa, "--message", "m",
                                   "--signature", "0x" + std::string(130, 'f'), "--type", "eip191"},
                                  dir);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
}

}  // namespace
}  // namespace segverify::testing
