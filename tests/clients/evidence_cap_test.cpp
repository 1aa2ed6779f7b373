// Evidence is capped per source and stored compressed (clients/evidence.h): a node that pads every
// answer to just under the body cap cannot fill the disk through the recording (16 padded Esplora
// pages once wrote 961 MB in 12 s). Past the cap the append fails, and the log remembers it
// (attest fails closed); a replay reads the compressed files, and old plain ones, back.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>

#include "clients/evidence.h"
#include "tests/support/test_support.h"

namespace segverify::clients {
namespace {

constexpr const char* kEsplora = "esplora source 1 (http://127.0.0.1:3000)";

std::uintmax_t BytesIn(const std::string& dir) {
  std::uintmax_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) total += entry.file_size();
  return total;
}

// Appends 32 MiB answers of one source (at most 16) until one is refused; how many were recorded.
int AppendPaddedPages(EvidenceLog& log, Status& last) {
  const HttpResponse padded{200, std::string(32u << 20, ' ')};
  int appended = 0;
  for (int i = 0; i < 16 && last.ok(); ++i) {
    last = log.Append(kEsplora, "GET", "/address/x/txs/chain", "", padded);
    if (last.ok()) ++appended;
  }
  return appended;
}

TEST(EvidenceCap, OneSourcesAnswersAreCappedAndTheFailureIsKept) {
  testing::TempDir dir;
  auto log = EvidenceLog::Open(dir.File("evidence"));
  ASSERT_TRUE(log.ok()) << log.error().message;
  Status last = Status::Ok();
  EXPECT_EQ(AppendPaddedPages(**log, last), 7);  // 7 x 32 MiB (and their JSON framing) fit under 256 MiB
  ASSERT_FALSE(last.ok());
  EXPECT_NE(last.message().find("evidence is capped per source"), std::string::npos) << last.message();
  EXPECT_FALSE((*log)->FirstFailure().ok());
  // Another source has its own allowance.
  EXPECT_TRUE((*log)->Append("esplora source 2 (http://127.0.0.1:3001)", "GET", "/", "", HttpResponse{200, "[]"}).ok());
}

// The cap follows what the run asks, never the node: a proven read of one address is an account
// and a storage proof (~1.5 GB of answers for 100,000 mainnet addresses), so a large attestation
// must not end at 256 MiB. The same padded source records more for a run of more addresses.
TEST(EvidenceCap, TheCapGrowsWithTheRunsAddresses) {
  EXPECT_GE(EvidenceBytesPerSource(100'000), 1'500'000'000u);
  EXPECT_EQ(EvidenceBytesPerSource(0), kMaxEvidenceBytesPerSource);
  testing::TempDir dir;
  auto log = EvidenceLog::Open(dir.File("evidence"), EvidenceBytesPerSource(2048));  // +128 MiB
  ASSERT_TRUE(log.ok()) << log.error().message;
  Status last = Status::Ok();
  EXPECT_EQ(AppendPaddedPages(**log, last), 11);  // 11 x 32 MiB fit under 384 MiB, the 12th does not
  EXPECT_FALSE(last.ok());
}

// The attack as it was measured: 16 Esplora pages padded to ~60 MB each (the answer cap is
// 64 MiB). Raw, the recording took what the cap allows (4 pages, 240 MB); compressed it takes
// a few hundred kilobytes.
TEST(EvidenceCompression, SixteenPaddedPagesTakeLittleDisk) {
  testing::TempDir dir;
  auto log = EvidenceLog::Open(dir.File("evidence"));
  ASSERT_TRUE(log.ok()) << log.error().message;
  const HttpResponse padded{200, "[" + std::string(60'000'000, ' ') + "]"};
  const auto start = std::chrono::steady_clock::now();
  int appended = 0;
  for (int i = 0; i < 16; ++i) {
    if ((*log)->Append(kEsplora, "GET", "/address/x/txs/chain/" + std::to_string(i), "", padded).ok()) ++appended;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::uintmax_t bytes = BytesIn(dir.File("evidence"));
  std::cout << "16 padded pages: " << appended << " recorded, " << bytes << " bytes on disk in " << seconds << " s\n";
  EXPECT_EQ(appended, 4);  // the cap counts what a replay inflates to
  EXPECT_LT(bytes, 1u << 20);
  // What was recorded replays.
  auto replay = EvidenceReplay::Load(dir.File("evidence"));
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  auto answer = (*replay)->Answer(kEsplora, "GET", "/address/x/txs/chain/3", "");
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->body.size(), padded.body.size());
}

// A recording made before evidence was compressed: plain JSON lines in "<name>.jsonl".
TEST(EvidenceCompression, PlainRecordingsStillReplay) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.File("evidence"));
  testing::WriteFile(dir.File("evidence/esplora_source_1_http_127.0.0.1_3000.jsonl"),
                     std::string("{\"source\":\"") + kEsplora +
                         "\",\"http\":\"GET\",\"path\":\"/blocks/tip/height\",\"method\":\"GET\","
                         "\"params\":\"/blocks/tip/height\",\"request\":\"\",\"status\":200,\"response\":\"120\","
                         "\"time\":\"2026-11-01T00:00:00Z\"}\n");
  auto replay = EvidenceReplay::Load(dir.File("evidence"));
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  auto answer = (*replay)->Answer(kEsplora, "GET", "/blocks/tip/height", "");
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->body, "120");
}

// A small evidence file that would inflate past the per-source cap (a gzip bomb in a directory
// given to --replay) is refused at the cap, naming the file, not inflated into memory.
TEST(EvidenceCompression, AFileInflatingPastTheCapIsRefused) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.File("evidence"));
  const std::string bomb = dir.File("evidence/esplora_source_1_http_127.0.0.1_3000.jsonl.gz");
  auto made = testing::RunProgram(
      "python3", {"-c",
                  "import gzip,sys\n"
                  "with gzip.open(sys.argv[1],'wb') as f:\n"
                  "  for _ in range(300): f.write(b' ' * (1 << 20))\n",
                  bomb});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_LT(std::filesystem::file_size(bomb), 1u << 20);
  auto replay = EvidenceReplay::Load(dir.File("evidence"));
  ASSERT_FALSE(replay.ok());
  EXPECT_NE(replay.error().message.find(bomb + ": more than 256 MiB once inflated"), std::string::npos)
      << replay.error().message;
}

}  // namespace
}  // namespace segverify::clients
