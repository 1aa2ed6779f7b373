// HistoryStore: every root recorded once, listed newest first by the attestation's date (the
// pinned blocks' time), never by comparing ids as text; kept across reopening; an older history
// file (without dates) is upgraded in place.
#include "verifier/server/history_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/support/test_support.h"

namespace segverify::server {
namespace {

report::Report MakeReport(const std::string& id, std::uint8_t hash_byte, const std::string& block_time = "") {
  report::Report made;
  made.id = id;
  made.verdict = report::Verdict::kPass;
  report::ChainReport chain;
  chain.chain = "bitcoin";
  if (!block_time.empty()) chain.block_time = block_time;
  made.chains.push_back(chain);
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

TEST(HistoryStore, RecordsOnceAndListsNewestFirstByBlockTime) {
  testing::TempDir dir;
  auto store = HistoryStore::Open(dir.File("history.sqlite"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  // Recorded out of order, and with ids whose text order is the wrong one ("2026-9" > "2026-10").
  ASSERT_TRUE(store->Record(MakeReport("2026-10", 0x10, "2026-10-01T00:00:00Z"), 100).ok());
  ASSERT_TRUE(store->Record(MakeReport("2026-9", 0x09, "2026-09-01T00:00:00Z"), 200).ok());
  ASSERT_TRUE(store->Record(MakeReport("2026-11", 0x11, "2026-11-01T00:00:00Z"), 50).ok());
  ASSERT_TRUE(store->Record(MakeReport("2026-10", 0x10, "2026-10-01T00:00:00Z"), 300).ok());  // seen again: no new row
  auto roots = store->ListRoots();
  ASSERT_TRUE(roots.ok()) << roots.error().message;
  ASSERT_EQ(roots->size(), 3u);
  EXPECT_EQ((*roots)[0].report_id, "2026-11");
  EXPECT_EQ((*roots)[1].report_id, "2026-10");
  EXPECT_EQ((*roots)[1].first_seen, 100);
  EXPECT_EQ((*roots)[1].attested_at, "2026-10-01T00:00:00Z");
  EXPECT_EQ((*roots)[2].report_id, "2026-9");
  EXPECT_EQ((*roots)[0].hash, std::string(64, '1'));
  EXPECT_EQ((*roots)[0].sums, (std::vector<std::string>{"1.5", "4.25"}));
  EXPECT_EQ((*roots)[0].assets.at(1).decimals, 18);
}

TEST(HistoryStore, UndatedRecordsComeAfterDatedOnesMostRecentlySeenFirst) {
  testing::TempDir dir;
  auto store = HistoryStore::Open(dir.File("history.sqlite"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Record(MakeReport("a", 0x01), 10).ok());
  ASSERT_TRUE(store->Record(MakeReport("b", 0x02), 20).ok());
  ASSERT_TRUE(store->Record(MakeReport("c", 0x03, "2020-01-01T00:00:00Z"), 5).ok());
  auto roots = store->ListRoots();
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 3u);
  EXPECT_EQ((*roots)[0].report_id, "c");
  EXPECT_EQ((*roots)[1].report_id, "b");
  EXPECT_EQ((*roots)[2].report_id, "a");
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
    ASSERT_TRUE(store->Record(MakeReport("2026-09", 0x09, "2026-09-01T00:00:00Z"), 1).ok());
  }
  auto store = HistoryStore::Open(dir.File("history.sqlite"));
  ASSERT_TRUE(store.ok());
  auto roots = store->ListRoots();
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 1u);
  EXPECT_EQ((*roots)[0].report_id, "2026-09");
  EXPECT_EQ((*roots)[0].verdict, report::Verdict::kPass);
  EXPECT_EQ((*roots)[0].attested_at, "2026-09-01T00:00:00Z");
}

// A history written by the previous version (no attested_at column) is read and upgraded.
TEST(HistoryStore, UpgradesAHistoryWithoutDates) {
  testing::TempDir dir;
  const std::string path = dir.File("old.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string sql =
      "CREATE TABLE roots (seq INTEGER PRIMARY KEY AUTOINCREMENT, report_id TEXT NOT NULL, pool TEXT NOT NULL,"
      " hash TEXT NOT NULL, sums TEXT NOT NULL, height INTEGER NOT NULL, assets TEXT NOT NULL, verdict TEXT NOT NULL,"
      " first_seen INTEGER NOT NULL, UNIQUE (report_id, pool, hash));"
      "INSERT INTO roots (report_id, pool, hash, sums, height, assets, verdict, first_seen) VALUES ('2026-08', 'spot', "
      "'" +
      std::string(64, 'c') + "', '1.5', 3, 'BTC:8', 'PASS', 7);";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = HistoryStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(store->Record(MakeReport("2026-09", 0x09, "2026-09-01T00:00:00Z"), 8).ok());
  auto roots = store->ListRoots();
  ASSERT_TRUE(roots.ok()) << roots.error().message;
  ASSERT_EQ(roots->size(), 2u);
  EXPECT_EQ((*roots)[0].report_id, "2026-09");
  EXPECT_EQ((*roots)[1].report_id, "2026-08");
  EXPECT_FALSE((*roots)[1].attested_at.has_value());
}

TEST(HistoryStore, RecreatesItsFileWhenTheFileIsReplaced) {
  testing::TempDir dir;
  const std::string path = dir.File("history.sqlite");
  auto store = HistoryStore::Open(path);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Record(MakeReport("2026-09", 0x09), 1).ok());
  ASSERT_EQ(std::remove(path.c_str()), 0);
  ASSERT_TRUE(store->KeepFileInPlace().ok());
  EXPECT_TRUE(testing::FileExists(path));
  auto reopened = HistoryStore::Open(path);
  ASSERT_TRUE(reopened.ok());
  auto roots = reopened->ListRoots();
  ASSERT_TRUE(roots.ok());
  EXPECT_EQ(roots->size(), 1u);
}

TEST(HistoryStore, UnopenablePathIsAnError) {
  auto store = HistoryStore::Open("/nonexistent-dir/for/sure/history.sqlite");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("/nonexistent-dir/for/sure/history.sqlite"), std::string::npos);
}

}  // namespace
}  // namespace segverify::server
