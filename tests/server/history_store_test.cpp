// HistoryStore: every root recorded once, listed newest first, kept across reopening (SQLite file).
#include <gtest/gtest.h>

#include "tests/support/test_support.h"
#include "verifier/server/history_store.h"

namespace segverify::server {
namespace {

report::Report MakeReport(const std::string& id, std::uint8_t hash_byte) {
  report::Report made;
  made.id = id;
  made.verdict = report::Verdict::kPass;
  report::PoolReport pool;
  pool.name = "spot";
  merkle::PublishedRoot root;
  root.hash.fill(hash_byte);
  root.sums = {150000000, 4250000000000000000};
  root.height = 3;
  root.assets = {{"BTC", 8}, {"ETH", 18}};
  pool.root = root;
  made.pools.push_back(pool);
  return made;
}

TEST(HistoryStore, RecordsOnceAndListsNewestFirst) {
  testing::TempDir dir;
  auto store = HistoryStore::Open(dir.File("history.sqlite"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(store->Record(MakeReport("2026-11", 0x11), 100).ok());
  ASSERT_TRUE(store->Record(MakeReport("2026-10", 0x10), 200).ok());
  ASSERT_TRUE(store->Record(MakeReport("2026-11", 0x11), 300).ok());  // seen again: no new row
  auto roots = store->ListRoots();
  ASSERT_TRUE(roots.ok()) << roots.error().message;
  ASSERT_EQ(roots->size(), 2u);
  EXPECT_EQ((*roots)[0].report_id, "2026-11");
  EXPECT_EQ((*roots)[0].hash, std::string(64, '1'));
  EXPECT_EQ((*roots)[0].first_seen, 100);
  EXPECT_EQ((*roots)[0].sums, (std::vector<std::string>{"1.5", "4.25"}));
  EXPECT_EQ((*roots)[0].assets.at(1).decimals, 18);
  EXPECT_EQ((*roots)[1].report_id, "2026-10");
}

TEST(HistoryStore, PoolsWithoutARootAreNotPublished) {
  testing::TempDir dir;
  auto store = HistoryStore::Open(dir.File("history.sqlite"));
  ASSERT_TRUE(store.ok());
  report::Report unbuilt = MakeReport("2026-11", 0x11);
  unbuilt.pools[0].root.reset();
  ASSERT_TRUE(store->Record(unbuilt, 1).ok());
  auto roots = store->ListRoots();
  ASSERT_TRUE(roots.ok());
  EXPECT_TRUE(roots->empty());
}

TEST(HistoryStore, SurvivesReopening) {
  testing::TempDir dir;
  {
    auto store = HistoryStore::Open(dir.File("history.sqlite"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->Record(MakeReport("2026-09", 0x09), 1).ok());
  }
  auto store = HistoryStore::Open(dir.File("history.sqlite"));
  ASSERT_TRUE(store.ok());
  auto roots = store->ListRoots();
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 1u);
  EXPECT_EQ((*roots)[0].report_id, "2026-09");
  EXPECT_EQ((*roots)[0].verdict, "PASS");
}

TEST(HistoryStore, UnopenablePathIsAnError) {
  auto store = HistoryStore::Open("/nonexistent-dir/for/sure/history.sqlite");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("/nonexistent-dir/for/sure/history.sqlite"), std::string::npos);
}

}  // namespace
}  // namespace segverify::server
