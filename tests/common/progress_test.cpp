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
    for (std::uint64_t done = 0; done <= 1000; ++done) printer.Update("hashing leaves", done, 1000);
    printer.Update("writing proofs", 0, 50);
    printer.Update("writing proofs", 50, 50);
  }
  const std::string text = out.Text();
  EXPECT_EQ(Count(text, "hashing leaves"), 11u) << text;  // 0 %, 10 %, ..., 100 %
  EXPECT_EQ(Count(text, "writing proofs"), 2u) << text;
  EXPECT_NE(text.find("hashing leaves 50% (500/1000)\n"), std::string::npos) << text;
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
  EXPECT_NE(text.find("reading addresses 100% (100/100)\n"), std::string::npos) << "the line is ended: " << text;
  EXPECT_EQ(Count(text, "\n"), 2u) << "one line per note and one for the finished step: " << text;
}

TEST(ProgressPrinter, QuietHasNoPrinter) { EXPECT_EQ(ProgressPrinter::ForStderr(true), nullptr); }

TEST(ProgressPrinter, DurationsForPeople) {
  EXPECT_EQ(FormatDuration(std::chrono::seconds(3)), "3 s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(125)), "2 min 5 s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(3840)), "1 h 4 min");
}

}  // namespace
}  // namespace segverify
