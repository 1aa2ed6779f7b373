// Pins verifier/server/root_runs.h: one attestation id is one current run (docs/FORMAT.md §13). The
// shown report's roots are current and every other root of its id is superseded; for another id
// the run seen last stands; roots that already say superseded stay so; and a replaced run's root is
// found by its hash and told in words.
#include "verifier/server/root_runs.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace segverify::server {
namespace {

report::ListedRoot Root(std::string id, char hash_fill, std::int64_t first_seen, std::string attested_at) {
  report::ListedRoot root;
  root.report_id = std::move(id);
  root.pool = "spot";
  root.hash = std::string(64, hash_fill);
  root.sums = {"1"};
  root.height = 3;
  root.assets = {{"BTC", 8}};
  root.verdict = report::Verdict::kPass;
  root.first_seen = first_seen;
  root.attested_at = std::move(attested_at);
  return root;
}

// A report of `id` whose one pool has the root whose hash is 32 bytes of `fill`.
report::Report Shown(const std::string& id, std::uint8_t fill) {
  report::Report shown;
  shown.id = id;
  shown.verdict = report::Verdict::kPass;
  shown.chains.push_back({"bitcoin", Chain::kBitcoin, 1, std::string(64, '0'), "2026-11-01T00:00:00Z", {}, std::nullopt, {}, {}});
  report::PoolReport pool;
  pool.name = "spot";
  merkle::PublishedRoot root;
  root.assets = {{"BTC", 8}};
  root.height = 3;
  root.hash.fill(fill);
  root.sums = {100000000};
  pool.root = root;
  shown.pools.push_back(pool);
  return shown;
}

std::vector<std::string> Hashes(const std::vector<report::ListedRoot>& roots) {
  std::vector<std::string> out;
  for (const auto& r : roots) out.push_back(r.hash.substr(0, 2));
  return out;
}

TEST(RootRuns, ForAnotherIdTheRunSeenLastStands) {
  const auto runs = SeparateRuns({Root("2026-10", 'a', 100, "2026-10-01T00:00:00Z"),
                                  Root("2026-10", 'b', 200, "2026-10-01T00:00:00Z")},
                                 nullptr, 999);
  EXPECT_EQ(Hashes(runs.current), std::vector<std::string>{"bb"});
  ASSERT_EQ(runs.superseded.size(), 1u);
  EXPECT_EQ(runs.superseded[0].hash, std::string(64, 'a'));
  EXPECT_EQ(runs.superseded[0].superseded_at, "1970-01-01T00:03:20Z");  // when the newer run was seen (200)
}

TEST(RootRuns, RecordsWithoutATimeCannotBeToldApartAndAllStayCurrent) {
  const auto runs = SeparateRuns({Root("2026-10", 'a', 0, "2026-10-01T00:00:00Z"),
                                  Root("2026-10", 'b', 0, "2026-10-01T00:00:00Z")},
                                 nullptr, 999);
  EXPECT_EQ(runs.current.size(), 2u);
  EXPECT_TRUE(runs.superseded.empty());
}

TEST(RootRuns, TheShownReportIsItsIdsCurrentRun) {
  const report::Report shown = Shown("2026-11", 0xcd);
  const auto runs = SeparateRuns({Root("2026-11", 'a', 100, "2026-11-01T00:00:00Z"),
                                  Root("2026-10", 'e', 50, "2026-10-01T00:00:00Z")},
                                 &shown, 1000);
  // Its roots are added (they were not recorded), newest first; its earlier run is superseded now.
  EXPECT_EQ(Hashes(runs.current), (std::vector<std::string>{"cd", "ee"}));
  ASSERT_EQ(runs.superseded.size(), 1u);
  EXPECT_EQ(runs.superseded[0].hash, std::string(64, 'a'));
  EXPECT_EQ(runs.superseded[0].superseded_at, "1970-01-01T00:16:40Z");  // now (1000): shown's roots were never seen
}

TEST(RootRuns, ARootAlreadySupersededStaysSoUnlessPublishedAgain) {
  report::ListedRoot replaced = Root("2026-10", 'a', 100, "2026-10-01T00:00:00Z");
  replaced.superseded_at = "2026-10-05T00:00:00Z";
  auto runs = SeparateRuns({replaced, replaced, Root("2026-10", 'b', 200, "2026-10-01T00:00:00Z")}, nullptr, 0);
  ASSERT_EQ(runs.superseded.size(), 1u);  // listed once
  EXPECT_EQ(runs.superseded[0].superseded_at, "2026-10-05T00:00:00Z");
  // The same root current again (a run published again): current wins.
  const report::Report shown = Shown("2026-10", 0xaa);
  runs = SeparateRuns({replaced}, &shown, 0);
  EXPECT_EQ(Hashes(runs.current), std::vector<std::string>{"aa"});
  EXPECT_TRUE(runs.superseded.empty());
}

TEST(RootRuns, AReplacedRunIsFoundByItsHashAndToldInWords) {
  report::ListedRoot replaced = Root("2026-11", 'a', 100, "2026-11-01T00:00:00Z");
  replaced.superseded_at = "2026-12-07T21:00:00Z";
  const report::PublishedRoots roots{{Root("2026-11", 'b', 200, "2026-11-01T00:00:00Z")}, {replaced}};
  EXPECT_EQ(FindSuperseded(roots, std::string(64, 'b')), nullptr);  // current, not replaced
  const report::ListedRoot* found = FindSuperseded(roots, std::string(64, 'a'));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(SupersededSentence(*found),
            "this proof belongs to a run of 2026-11 that was replaced on 7 December 2026, 21:00 UTC; ask for your "
            "proof of the current run");
  replaced.superseded_at.reset();
  EXPECT_NE(SupersededSentence(replaced).find("replaced on a later date"), std::string::npos);
}

}  // namespace
}  // namespace segverify::server
