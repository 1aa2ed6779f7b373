// Pins verifier/attest/segregation.*: one case per rule of docs/DESIGN.md §Segregation.
// Keys are fixed public keys (the generator G and 2G, 3G, 4G of secp256k1, from SEC 2 / well-known
// multiples) so tests need no signing.
#include "verifier/attest/segregation.h"

#include <gtest/gtest.h>

namespace segverify::attest {
namespace {

using report::Finding;
using report::Severity;

Bytes Key(const char* hex) { return *FromHex(hex); }

// 1G..4G compressed (published multiples of the secp256k1 generator).
const Bytes kG1 = Key("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
const Bytes kG2 = Key("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5");
const Bytes kG3 = Key("02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9");
const Bytes kG4 = Key("02e493dbf1c10d80f3581e4904930b1404cc6c13900ee0758474fa94abe8c4cd13");
// 1G uncompressed: same x, so the same key.
const Bytes kG1Uncompressed = Key(
    "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
    "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");

ResolvedAddress Single(const std::string& owner, const std::string& identity, Bytes key) {
  ResolvedAddress a;
  a.owner = owner;
  a.display = identity;
  a.identity = identity;
  a.json_path = owner + "." + identity;
  a.single_keys = {std::move(key)};
  return a;
}

ResolvedAddress Multisig(const std::string& owner, const std::string& identity, int m, std::vector<Bytes> keys) {
  ResolvedAddress a;
  a.owner = owner;
  a.display = identity;
  a.identity = identity;
  a.threshold = m;
  a.multisig_keys = std::move(keys);
  return a;
}

std::vector<std::string> Checks(const std::vector<Finding>& findings, Severity severity) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    if (f.severity == severity) out.push_back(std::string(ToString(f.check)));
  }
  return out;
}

TEST(Segregation, CleanSetupHasNoFindings) {
  auto findings = CheckSegregation({Single("spot", "bitcoin:a", kG1), Single("margin", "bitcoin:b", kG2)},
                                   {Single("", "bitcoin:f", kG3)}, {kG4});
  EXPECT_TRUE(findings.empty());
}

TEST(Segregation, OverlapByIdentityNotByText) {
  ResolvedAddress firm = Single("", "bitcoin:a", kG3);
  firm.display = "BC1Q...UPPER";
  auto findings = CheckSegregation({Single("spot", "bitcoin:a", kG1)}, {firm}, {});
  ASSERT_EQ(Checks(findings, Severity::kError), std::vector<std::string>{"overlap"});
  EXPECT_NE(findings[0].detail.find("written there as BC1Q...UPPER"), std::string::npos);
}

TEST(Segregation, DoubleCountAcrossPoolsAndWithinOne) {
  auto across = CheckSegregation({Single("spot", "ethereum:x", kG1), Single("margin", "ethereum:x", kG1)}, {}, {});
  EXPECT_EQ(Checks(across, Severity::kError), std::vector<std::string>{"double-count"});
  auto within = CheckSegregation({Single("spot", "ethereum:x", kG1), Single("spot", "ethereum:x", kG1)}, {}, {});
  ASSERT_EQ(Checks(within, Severity::kError), std::vector<std::string>{"double-count"});
  EXPECT_NE(within[0].detail.find("listed twice in pool spot"), std::string::npos);
}

TEST(Segregation, SingleKeyPoolAddressWithFirmKeyIsAnError) {
  // Via firm.keys.
  EXPECT_EQ(Checks(CheckSegregation({Single("spot", "bitcoin:a", kG1)}, {}, {kG1}), Severity::kError),
            std::vector<std::string>{"shared-key"});
  // Via a firm single-key address proven with the same key in another encoding (P2PKH uncompressed
  // vs P2WPKH compressed): one owner.
  EXPECT_EQ(Checks(CheckSegregation({Single("spot", "bitcoin:a", kG1)}, {Single("", "bitcoin:f", kG1Uncompressed)}, {}),
                   Severity::kError),
            std::vector<std::string>{"shared-key"});
}

TEST(Segregation, XOnlyTaprootKeyMatchesCompressedKey) {
  Bytes x_only(kG1.begin() + 1, kG1.end());
  EXPECT_EQ(Checks(CheckSegregation({Single("spot", "bitcoin:tr", x_only)}, {}, {kG1}), Severity::kError),
            std::vector<std::string>{"shared-key"});
}

TEST(Segregation, FirmMeetingMultisigThresholdIsFirmControl) {
  auto findings = CheckSegregation({Multisig("spot", "bitcoin:ms", 2, {kG1, kG2, kG3})}, {}, {kG1, kG2});
  EXPECT_EQ(Checks(findings, Severity::kError), std::vector<std::string>{"firm-control"});
}

TEST(Segregation, ARepeatedFirmKeyFillsEachOfItsPlaces) {
  // 2-of-3 with the same firm key twice: OP_CHECKMULTISIG matches signatures to keys in order, so
  // that key's signature, given twice, fills both of its places: the firm alone meets 2.
  auto findings = CheckSegregation({Multisig("spot", "bitcoin:ms", 2, {kG1, kG1, kG3})}, {}, {kG1});
  EXPECT_EQ(Checks(findings, Severity::kError), std::vector<std::string>{"firm-control"});
}

Bytes XOnly(const Bytes& key) { return Bytes(key.begin() + 1, key.begin() + 33); }

ResolvedAddress Taproot(const std::string& owner, const std::string& identity, std::vector<TaprootSpendPath> paths) {
  ResolvedAddress a;
  a.owner = owner;
  a.display = identity;
  a.identity = identity;
  a.taproot_paths = std::move(paths);
  return a;
}

TEST(Segregation, TaprootSpendPathsGoThroughTheFirmKeyChecks) {
  // The internal key is a firm key listed compressed (02||x / 03||x is the x-only key x).
  auto internal = CheckSegregation({Taproot("spot", "bitcoin:tr1", {{"internal key", 1, {XOnly(kG1)}}})}, {}, {kG1});
  EXPECT_EQ(Checks(internal, Severity::kError), std::vector<std::string>{"firm-control"});
  // multi_a 2-of-3 leaf: two firm keys reach 2; one is info; a repeated firm key fills both places.
  auto reach = CheckSegregation(
      {Taproot("spot", "bitcoin:tr2", {{"script leaf 1", 2, {XOnly(kG1), XOnly(kG2), XOnly(kG3)}}})}, {}, {kG1, kG3});
  EXPECT_EQ(Checks(reach, Severity::kError), std::vector<std::string>{"firm-control"});
  auto below = CheckSegregation(
      {Taproot("spot", "bitcoin:tr3", {{"script leaf 1", 2, {XOnly(kG1), XOnly(kG2), XOnly(kG3)}}})}, {}, {kG2});
  EXPECT_TRUE(Checks(below, Severity::kError).empty());
  EXPECT_EQ(Checks(below, Severity::kInfo), std::vector<std::string>{"shared-key"});
  auto repeated = CheckSegregation(
      {Taproot("spot", "bitcoin:tr4", {{"script leaf 1", 2, {XOnly(kG2), XOnly(kG2), XOnly(kG3)}}})}, {}, {kG2});
  EXPECT_EQ(Checks(repeated, Severity::kError), std::vector<std::string>{"firm-control"});
}

TEST(Segregation, AFirmTaprootAddressesKeysJoinTheFirmKeys) {
  // Its internal key and single-key leaves are firm keys; its multi_a leaves' keys are shared ones.
  const ResolvedAddress firm =
      Taproot("", "bitcoin:firm-tr", {{"internal key", 1, {XOnly(kG1)}}, {"script leaf 1", 2, {XOnly(kG2), XOnly(kG3)}}});
  auto single = CheckSegregation({Single("spot", "bitcoin:a", kG1)}, {firm}, {});
  EXPECT_EQ(Checks(single, Severity::kError), std::vector<std::string>{"shared-key"});
  auto shared = CheckSegregation({Single("spot", "bitcoin:b", kG2)}, {firm}, {});
  EXPECT_TRUE(Checks(shared, Severity::kError).empty());
  EXPECT_EQ(Checks(shared, Severity::kInfo), std::vector<std::string>{"shared-key"});
}

TEST(Segregation, FirmKeyBelowThresholdIsInfoOnly) {
  // The normal segregated setup: the exchange holds one key of a 2-of-3 beside a custodian.
  auto findings = CheckSegregation({Multisig("spot", "bitcoin:ms", 2, {kG1, kG2, kG3})}, {}, {kG1});
  EXPECT_TRUE(Checks(findings, Severity::kError).empty());
  EXPECT_EQ(Checks(findings, Severity::kInfo), std::vector<std::string>{"shared-key"});
}

// Counts read as English: "1 of the keys ... is a firm key", "(1 firm key)".
TEST(Segregation, FindingDetailsUseSingularAndPlural) {
  auto one = CheckSegregation({Multisig("spot", "bitcoin:ms", 2, {kG1, kG2, kG3})}, {}, {kG1});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].detail, "1 of the keys of this 2-of-3 pool spot multisig is a firm key (below the threshold)");
  auto two = CheckSegregation({Multisig("spot", "bitcoin:ms", 3, {kG1, kG2, kG3, kG4})}, {}, {kG1, kG2});
  ASSERT_EQ(two.size(), 1u);
  EXPECT_EQ(two[0].detail, "2 of the keys of this 3-of-4 pool spot multisig are firm keys (below the threshold)");
  auto control_one = CheckSegregation({Multisig("spot", "bitcoin:ms", 1, {kG1, kG2})}, {}, {kG1});
  ASSERT_EQ(control_one.size(), 1u);
  EXPECT_EQ(control_one[0].detail, "firm keys alone meet the threshold of this 1-of-2 pool spot multisig (1 firm key)");
  auto control_two = CheckSegregation({Multisig("spot", "bitcoin:ms", 2, {kG1, kG2, kG3})}, {}, {kG1, kG2});
  ASSERT_EQ(control_two.size(), 1u);
  EXPECT_EQ(control_two[0].detail,
            "firm keys alone meet the threshold of this 2-of-3 pool spot multisig (2 firm keys)");
}

TEST(Segregation, KeySharedWithFirmMultisigScriptIsInfo) {
  auto findings = CheckSegregation({Multisig("spot", "bitcoin:ms", 2, {kG1, kG2, kG3})},
                                   {Multisig("", "bitcoin:fms", 2, {kG3, kG4, kG1Uncompressed})}, {});
  EXPECT_TRUE(Checks(findings, Severity::kError).empty());
  EXPECT_EQ(Checks(findings, Severity::kInfo).size(), 2u);  // G1 and G3
}

TEST(Segregation, KeyIdOfRejectsOtherLengths) {
  EXPECT_FALSE(KeyIdOf(Bytes(20, 1)).has_value());
  EXPECT_FALSE(KeyIdOf(Bytes(33, 5)).has_value());  // bad prefix
  EXPECT_EQ(*KeyIdOf(kG1), *KeyIdOf(kG1Uncompressed));
}

}  // namespace
}  // namespace segverify::attest
