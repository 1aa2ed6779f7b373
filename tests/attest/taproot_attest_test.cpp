// Who can spend a Taproot address (docs/FORMAT.md §7, docs/DESIGN.md §Taproot), end
// to end: the sample exchange's pass scenario with the P2TR addresses of
// tests/attest/taproot_cases.json added to pool spot (and one to the firm), their disclosures and
// key-path BIP-322 proofs made by bitcoinjs-lib (tests/attest/gen_taproot_cases.mjs), so the
// BIP-341 tweak segverify recomputes is checked against an independent implementation. The
// added addresses hold no coins: coverage is the sample's; only the findings change. One attest
// run; each case is its own test over that report.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "tests/attest/sample_exchange_run.h"
#include "verifier/attest/attestation_config.h"

namespace segverify::testing {
namespace {

std::unique_ptr<JsonDocument> Json(const std::string& path) {
  auto doc = ParseJsonFile(path);
  if (!doc) throw std::runtime_error(doc.error().message);
  return std::move(*doc);
}

class TaprootAttest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    cases_ = Json(SourcePath("tests/attest/taproot_cases.json")).release();
    SampleExchange exchange("pass", dir_->path());
    auto config = Json(exchange.config_path());
    auto& alloc = config->GetAllocator();
    for (const auto& key : (*cases_)["firm_keys"].GetArray()) (*config)["firm"]["keys"].PushBack(JsonValue(key, alloc), alloc);
    for (const auto& entry : (*cases_)["firm_addresses"].GetArray()) {
      (*config)["firm"]["addresses"].PushBack(JsonValue(entry, alloc), alloc);
    }
    for (const auto& c : (*cases_)["cases"].GetObject()) {
      (*config)["pools"][0]["addresses"].PushBack(JsonValue(c.value["entry"], alloc), alloc);
    }
    config_path_ = new std::string(dir_->File("servers/taproot.json"));
    WriteFile(*config_path_, JsonToString(*config) + "\n");
    run_ = new AttestRun(RunAttest({*config_path_, "--out", dir_->File("out"), "--quiet"}));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete config_path_;
    delete cases_;
    delete dir_;
  }

  static std::string Address(const std::string& name) {
    return (*cases_)["cases"][name.c_str()]["entry"]["address"].GetString();
  }
  // The findings about the address of case `name`, as "<severity> <check>".
  static std::vector<std::string> FindingsOf(const std::string& name) {
    std::vector<std::string> out;
    if (!run_->report) return out;
    for (const auto& f : Findings(*run_->report)) {
      if (f.subject == Address(name)) out.push_back(f.severity + " " + f.check);
    }
    return out;
  }
  static std::string Ownership(const std::string& address) {
    if (!run_->report) return "";
    for (const auto& pool : (*run_->report)["pools"].GetArray()) {
      for (const auto& a : pool["addresses"].GetArray()) {
        if (a["address"] == address.c_str()) return a["ownership"].GetString();
      }
    }
    for (const auto& a : (*run_->report)["firm"]["addresses"].GetArray()) {
      if (a["address"] == address.c_str()) return a["ownership"].GetString();
    }
    return "not in the report";
  }
  static std::string Describe() {
    std::string s = run_->result.err;
    if (!run_->report) return s + " (no report.json)";
    for (const auto& f : Findings(*run_->report)) s += "\n  " + f.severity + " " + f.check + " " + f.subject + ": " + f.detail;
    return s;
  }

  static TempDir* dir_;
  static JsonDocument* cases_;
  static std::string* config_path_;
  static AttestRun* run_;
};

TempDir* TaprootAttest::dir_ = nullptr;
JsonDocument* TaprootAttest::cases_ = nullptr;
std::string* TaprootAttest::config_path_ = nullptr;
AttestRun* TaprootAttest::run_ = nullptr;

using Found = std::vector<std::string>;

TEST_F(TaprootAttest, TheRunFailsOnTheBrokenCasesAndEveryProofIsValidButTheWrongDisclosure) {
  ASSERT_EQ(run_->result.exit_code, 1) << Describe();
  ASSERT_TRUE(run_->report);
  EXPECT_EQ(Verdict(*run_->report), "FAIL");
  for (const auto& c : (*cases_)["cases"].GetObject()) {
    const std::string name = c.name.GetString();
    EXPECT_EQ(Ownership(Address(name)), name == "wrong_disclosure" ? "invalid" : "valid") << name << Describe();
  }
  EXPECT_EQ(Ownership((*cases_)["firm_addresses"][0]["address"].GetString()), "valid") << Describe();
  // The sample's own P2TR address discloses its BIP-86 internal key: nothing to say about it.
  for (const auto& f : Findings(*run_->report)) EXPECT_NE(f.subject, SampleAddress("spot_p2tr")) << f.detail;
}

TEST_F(TaprootAttest, AFirmKeyAsTheInternalKeyIsFirmControl) {
  EXPECT_EQ(FindingsOf("internal_firm_key"), Found{"error firm-control"}) << Describe();
}

TEST_F(TaprootAttest, ALeafOfAFirmKeyAloneIsFirmControl) {
  EXPECT_EQ(FindingsOf("leaf_firm_key"), Found{"error firm-control"}) << Describe();
}

TEST_F(TaprootAttest, AMultiALeafWhoseFirmKeysReachItsThresholdIsFirmControl) {
  EXPECT_EQ(FindingsOf("multi_a_firm_threshold"), Found{"error firm-control"}) << Describe();
}

TEST_F(TaprootAttest, AMultiALeafWithFirmKeysBelowItsThresholdIsSharedKeyInfo) {
  EXPECT_EQ(FindingsOf("multi_a_below_threshold"), Found{"info shared-key"}) << Describe();
}

TEST_F(TaprootAttest, ATreeOfPoolKeysOnlyHasNoFinding) {
  EXPECT_EQ(FindingsOf("clean_tree"), Found{}) << Describe();
}

TEST_F(TaprootAttest, ALeafOfAnotherShapeIsVaultUnverified) {
  EXPECT_EQ(FindingsOf("other_leaf_shape"), Found{"error vault-unverified"}) << Describe();
}

TEST_F(TaprootAttest, ADisclosureThatDoesNotGiveTheOutputKeyMakesTheProofInvalid) {
  EXPECT_EQ(FindingsOf("wrong_disclosure"), Found{"error ownership"}) << Describe();
}

TEST_F(TaprootAttest, APoolTaprootAddressWithoutDisclosureIsVaultUnverified) {
  EXPECT_EQ(FindingsOf("no_disclosure"), Found{"error vault-unverified"}) << Describe();
}

TEST_F(TaprootAttest, AFirmTaprootLeafKeyIsAFirmKey) {
  // The pool P2WPKH's key is only known to the firm as a leaf <key> OP_CHECKSIG of its P2TR address.
  const Found found = FindingsOf("key_of_firm_taproot_leaf");
  EXPECT_NE(std::find(found.begin(), found.end(), "error shared-key"), found.end()) << Describe();
}

TEST_F(TaprootAttest, ThePublicAttestationCarriesTheDisclosures) {
  // recheck re-runs the same checks from attestation.json: the disclosures must survive it.
  auto run_config = attest::LoadAttestationConfig(*config_path_);
  ASSERT_TRUE(run_config.ok()) << run_config.error().message;
  auto published = attest::ParsePublicAttestation(ReadFile(dir_->File("out/attestation.json")), "attestation.json");
  ASSERT_TRUE(published.ok()) << published.error().message;
  ASSERT_EQ(published->pools.size(), run_config->pools.size());
  int disclosed = 0;
  for (std::size_t p = 0; p < run_config->pools.size(); ++p) {
    ASSERT_EQ(published->pools[p].addresses.size(), run_config->pools[p].addresses.size());
    for (std::size_t a = 0; a < run_config->pools[p].addresses.size(); ++a) {
      EXPECT_EQ(published->pools[p].addresses[a].taproot, run_config->pools[p].addresses[a].taproot);
      disclosed += run_config->pools[p].addresses[a].taproot ? 1 : 0;
    }
  }
  EXPECT_EQ(disclosed, 8);  // the sample's BIP-86 address and seven cases
  EXPECT_TRUE(published->firm_addresses.at(2).taproot.has_value());
}

}  // namespace
}  // namespace segverify::testing
