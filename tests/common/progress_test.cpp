// ProgressPrinter: one rewritten line with percent and time left on a terminal, at most one line
// per 10 % of a step to a file (docs/DESIGN.md §Command line → Progress). A fake clock makes the
// time-left estimate exact.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "common/progress.h"

namespace segverify {
namespace {

struct Captured {
  std::FILE* file = std::tmpfile();
  ~Captured() { std::fclose(file); }
  std::string Text() {
    std::fflush(file);
    std::rewind(file);
    std::string out;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) out.append(buffer, n);
    return out;
  }
};

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  ProgressPrinter::Clock Get() {
    return [this] { return now; };
  }
};

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ProgressPrinter, FilesGetOneLinePerTenPercent) {
  Captured out;
  FakeClock clock;
  {
    ProgressPrinter printer(out.file, /*terminal=*/false, clock.Get());
    for (std::uint64_t done = 0; done <= 1000; ++done) {
      printer.Update("hashing leaves", done, 1000);
      clock.now += std::chrono::milliseconds(10);  // 10 s in all
    }
    printer.Update("writing proofs", 0, 50);
    printer.Update("writing proofs", 25, 50);  // within its first second: no line
    printer.Update("writing proofs", 50, 50);
  }
  const std::string text = out.Text();
  EXPECT_EQ(Count(text, "hashing leaves"), 11u) << text;  // 0 %, 10 %, ..., 100 %
  EXPECT_EQ(Count(text, "writing proofs"), 2u) << text;
  EXPECT_NE(text.find("hashing leaves 50% (500/1,000), 5 s so far\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hashing leaves 100% (1,000/1,000), done in 10 s\n"), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << "no carriage returns in a file";
}

TEST(ProgressPrinter, TerminalRewritesOneLineWithTimeLeft) {
  Captured out;
  FakeClock clock;
  {
    ProgressPrinter printer(out.file, /*terminal=*/true, clock.Get());
    printer.Update("reading addresses", 0, 100);
    clock.now += std::chrono::seconds(10);
    printer.Update("reading addresses", 25, 100);  // 10 s for 25: about 30 s left
    printer.Update("reading addresses", 26, 100);  // within 100 ms: not redrawn
    printer.Note("attest: 3 sources");
    clock.now += std::chrono::seconds(1);
    printer.Update("reading addresses", 100, 100);
  }
  const std::string text = out.Text();
  EXPECT_NE(text.find("\r\x1b[Kreading addresses 25% (25/100), about 30 s left"), std::string::npos) << text;
  EXPECT_EQ(text.find("26/100"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\x1b[Kattest: 3 sources\n"), std::string::npos) << text;
  EXPECT_NE(text.find("reading addresses 100% (100/100), done in 11 s\n"), std::string::npos)
      << "the line is ended with the step's duration: " << text;
  EXPECT_EQ(Count(text, "\n"), 2u) << "one line per note and one for the finished step: " << text;
}

// No estimate from too little ("about 0 s left" after 3 ms): only after 1 s and 5 % of the step.
// Bytes are shown in KiB/MiB, other counts with separators, and the time so far once past 1 s.
TEST(ProgressPrinter, EstimatesOnlyAfterOneSecondAndFivePercentWithUnits) {
  Captured out;
  FakeClock clock;
  {
    ProgressPrinter printer(out.file, /*terminal=*/true, clock.Get());
    printer.Update(std::string("reading liabilities") + std::string(kBytesUnit), 0, 109806013);
    clock.now += std::chrono::milliseconds(300);
    printer.Update(std::string("reading liabilities") + std::string(kBytesUnit), 16777235, 109806013);
    clock.now += std::chrono::seconds(2);
    printer.Update("hashing leaves", 0, 2000000);
    clock.now += std::chrono::seconds(2);
    printer.Update("hashing leaves", 40000, 2000000);  // 2 %: no estimate yet
    clock.now += std::chrono::seconds(2);
    printer.Update("hashing leaves", 1000000, 2000000);
  }
  const std::string text = out.Text();
  EXPECT_NE(text.find("reading liabilities 15% (16.0 MiB of 104.7 MiB)\r"), std::string::npos) << text;
  EXPECT_EQ(text.find("[bytes]"), std::string::npos) << text;
  EXPECT_NE(text.find("hashing leaves 2% (40,000/2,000,000), 2 s so far\r"), std::string::npos) << text;
  EXPECT_NE(text.find("hashing leaves 50% (1,000,000/2,000,000), about 4 s left, 4 s so far"), std::string::npos) << text;
  EXPECT_EQ(text.find("0 s left"), std::string::npos) << text;
}

TEST(ProgressPrinter, QuietHasNoPrinter) { EXPECT_EQ(ProgressPrinter::ForStderr(true), nullptr); }

TEST(ProgressPrinter, DurationsForPeople) {
  EXPECT_EQ(FormatDuration(std::chrono::seconds(3)), "3 s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(125)), "2 min 5 s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(3840)), "1 h 4 min");
}

}  // namespace
}  // namespace segverify
