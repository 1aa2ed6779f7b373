// Wording that depends on a count ("1 account", "2 accounts") and files of the wrong kind named
// for what they are, in the report model.
#include <gtest/gtest.h>

#include <string>

#include "verifier/report/report_html.h"
#include "verifier/report/report_json.h"

namespace segverify::report {
namespace {

Report WithOnePool(std::uint64_t accounts) {
  Report r;
  r.id = "2026-11";
  r.verdict = Verdict::kError;
  PoolReport pool;
  pool.name = "spot";
  pool.accounts = accounts;
  merkle::PublishedRoot root;
  root.assets = {{"BTC", 8}};
  root.height = 1;
  root.sums = {0};
  pool.root = root;
  r.pools.push_back(pool);
  return r;
}

TEST(ReportHtml, CountsAccountsInEnglish) {
  EXPECT_NE(ReportToHtml(WithOnePool(1)).find(">1 client account · root"), std::string::npos);
  EXPECT_NE(ReportToHtml(WithOnePool(2)).find(">2 client accounts · root"), std::string::npos);
}

TEST(ReportJson, AFileOfAnotherKindIsNamed) {
  auto root = ParseReport(R"({"format":"segverify-root/1","assets":[],"height":1,"hash":"00","sums":[]})", "x.json");
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().message,
            "x.json is a root (segverify-root/1), not an attestation report (segverify-report/1)");
}

}  // namespace
}  // namespace segverify::report
