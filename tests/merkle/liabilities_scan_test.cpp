// Pins merkle/liabilities_scan.*: the parallel reader sees exactly the rows, ordinals, lines and
// totals of the sequential LiabilitiesReader, and reports the same first error, whatever the
// chunk size (down to one byte, so that slice boundaries fall everywhere: inside quoted fields,
// between \r and \n, inside escaped quotes) and the thread count.
#include "merkle/liabilities_scan.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <random>

#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

using segverify::testing::TempDir;
using segverify::testing::WriteFile;

const std::vector<AssetSpec> kAssets = {{"BTC", 8}, {"ETH", 18}};

struct Seen {
  std::string id;
  std::vector<u128> amounts;
  std::uint64_t line;
  bool operator==(const Seen&) const = default;
};

struct Outcome {
  bool ok = false;
  std::string error;
  std::vector<Seen> rows;  // by ordinal
  std::vector<u128> totals;
};

Outcome Sequential(const std::string& path) {
  Outcome out;
  auto reader = LiabilitiesReader::Open(path, kAssets);
  if (!reader) {
    out.error = reader.error().message;
    return out;
  }
  LiabilityRow row;
  while (true) {
    auto more = reader->Next(row);
    if (!more) {
      out.error = more.error().message;
      return out;
    }
    if (!*more) break;
    out.rows.push_back({row.account_id, row.amounts, row.line});
  }
  if (out.rows.empty()) {
    out.error = "no rows";
    return out;
  }
  out.ok = true;
  out.totals = reader->totals();
  return out;
}

Outcome Parallel(const std::string& path, std::size_t chunk, unsigned threads) {
  Outcome out;
  LiabilitiesReadOptions options;
  options.threads = threads;
  options.chunk_bytes = chunk;
  auto layout = ScanLiabilities(path, kAssets, options);
  if (!layout) {
    out.error = layout.error().message;
    return out;
  }
  if (layout->rows == 0) {
    out.error = "no rows";
    return out;
  }
  std::map<std::uint64_t, Seen> rows;
  std::mutex mutex;
  auto totals = ReadLiabilitySlices(
      path, kAssets, *layout, options, [&](unsigned worker, std::uint64_t ordinal, const LiabilityRow& row) {
        EXPECT_LT(worker, threads);
        std::lock_guard lock(mutex);
        EXPECT_TRUE(rows.emplace(ordinal, Seen{row.account_id, row.amounts, row.line}).second);
        return Status::Ok();
      });
  if (!totals) {
    out.error = totals.error().message;
    return out;
  }
  out.ok = true;
  out.totals = *totals;
  for (auto& [ordinal, seen] : rows) {
    EXPECT_EQ(ordinal, out.rows.size());
    out.rows.push_back(seen);
  }
  return out;
}

void ExpectSameEverywhere(const std::string& content, const std::string& name) {
  TempDir dir;
  const std::string path = dir.File("l.csv");
  WriteFile(path, content);
  const Outcome expected = Sequential(path);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{16},
                            std::size_t{64}, std::size_t{1} << 20}) {
    for (unsigned threads : {1u, 2u, 3u}) {
      SCOPED_TRACE(name + " chunk " + std::to_string(chunk) + " threads " + std::to_string(threads));
      const Outcome got = Parallel(path, chunk, threads);
      EXPECT_EQ(got.ok, expected.ok) << got.error << " / " << expected.error;
      EXPECT_EQ(got.error, expected.error);
      if (got.ok && expected.ok) {
        EXPECT_TRUE(got.rows == expected.rows);
        EXPECT_TRUE(got.totals == expected.totals);
      }
    }
  }
}

const std::string kHeader = "account_id,BTC,ETH\n";

TEST(LiabilitiesScan, GoodFilesReadAlikeAtEveryBoundary) {
  ExpectSameEverywhere(kHeader + "alice,1,2\nbob,0.5,\ncarol,,3\n", "plain");
  ExpectSameEverywhere(kHeader + "alice,1,2\nbob,0.5,", "no final line feed");
  ExpectSameEverywhere(
      "\xEF\xBB\xBF"
      "account_id,BTC,ETH\r\nalice,1,2\r\n\"b,o\"\"b\",3,\r\n",
      "BOM and CRLF");
  ExpectSameEverywhere(kHeader + "\"multi\nline\nid\",1,2\n\"x\"\"\n\"\"y\",\"4\",5\nz,6,7\n", "quoted line feeds");
  ExpectSameEverywhere(kHeader + "\"\"\"\",1,1\n\"\"\"\"\"\",2,2\n\"a\"\"\"\"b\",3,3\n", "runs of quotes");
  std::mt19937 rng(5);
  std::string random = kHeader;
  for (int i = 0; i < 300; ++i) {
    std::string id = "id" + std::to_string(i);
    if (rng() % 3 == 0) id += "\n,\"" + std::to_string(rng() % 100);
    std::string quoted = "\"";
    for (char c : id) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    random += (id.find_first_of(",\"\n") != std::string::npos ? quoted + "\"" : id) + "," +
              std::to_string(rng() % 1000) + "." + std::to_string(rng() % 100) + "," + (rng() % 2 ? "1" : "") +
              (rng() % 4 == 0 ? "\r\n" : "\n");
  }
  ExpectSameEverywhere(random, "random");
}

TEST(LiabilitiesScan, BadFilesReportTheFirstErrorAtEveryBoundary) {
  const std::string max = "3402823669209384634633746074317.68211455";  // 2^128-1 satoshi
  ExpectSameEverywhere(kHeader + "alice,1,2\nbob,-1,2\ncarol,x,2\n", "first of two errors");
  ExpectSameEverywhere(kHeader + "alice,1,2\nb\"ob,1,2\n\"carol,1,2\n", "stray quote, then an open quote");
  ExpectSameEverywhere(kHeader + "alice,1,2\n\"bob,1,2\ncarol,1,2\n", "unterminated quote");
  ExpectSameEverywhere(kHeader + "a," + max + ",1\nb,0,1\nc,0.00000001,1\nd,-1,1\n", "total overflow before an error");
  ExpectSameEverywhere(kHeader + "a,1,1\nb,-1,1\nc," + max + ",1\n", "error before an overflow");
  ExpectSameEverywhere(kHeader + "a,1,1\n\nb,1,1\n", "blank line");
  ExpectSameEverywhere(kHeader + "a,1,1\rb,1,1\n", "bare carriage return");
  ExpectSameEverywhere(kHeader + "a,1,1\nb,1\nc,1,1,1\n", "column counts");
  ExpectSameEverywhere(kHeader, "header only");
  ExpectSameEverywhere("account_id,BTC\na,1\n", "header mismatch");
}

}  // namespace
}  // namespace segverify::merkle
