// common/printable.h: the one function that makes untrusted text safe to show. Terminal control
// sequences as an attacker writes them (ECMA-48 CSI "ESC [", the C1 CSI U+009B, OSC window titles,
// carriage returns that redraw a line) must come out as visible escapes.
#include "common/printable.h"

#include <gtest/gtest.h>

#include <string>

#include "common/markup.h"

namespace segverify {
namespace {

TEST(Printable, TerminalControlsAreShownEscaped) {
  EXPECT_EQ(Printable("\r\x1b[2Kvalid: account alice"), "\\r\\x1b[2Kvalid: account alice");
  EXPECT_EQ(Printable("a\nb\tc\x07\x7f"), "a\\nb\\tc\\x07\\x7f");
  EXPECT_EQ(Printable(std::string("nul\0byte", 8)), "nul\\x00byte");
  EXPECT_EQ(Printable("\x1b]0;title\x07"), "\\x1b]0;title\\x07");                         // OSC
  EXPECT_EQ(Printable("\xc2\x9b"
                      "2K"),
            "\\u009b2K");                                                                 // C1 CSI
  EXPECT_EQ(Printable("\xe2\x80\xae" "cba"), "\\u202ecba");                               // RLO
  EXPECT_EQ(Printable("bad \xff\xfe utf8 \x9b"), "bad \\xff\\xfe utf8 \\x9b");
}

TEST(Printable, OrdinaryTextIsKeptAndEscapingTwiceChangesNothing) {
  const std::string text = "caf\xc3\xa9 \xe2\x82\xac 100 BTC back\\slash \"quoted\"";
  EXPECT_EQ(Printable(text), text);
  const std::string hostile = "\r\x1b[2K\xc2\x9b\xff\n";
  EXPECT_EQ(Printable(Printable(hostile)), Printable(hostile));
}

TEST(Printable, CutCountsCharactersOfWhatIsShown) {
  EXPECT_EQ(PrintableCut(std::string(10, 'a'), 10), std::string(10, 'a'));
  // Up to three characters more are shown whole: cutting them to add "..." would hide, not save.
  EXPECT_EQ(PrintableCut(std::string(13, 'a'), 10), std::string(13, 'a'));
  EXPECT_EQ(PrintableCut(std::string(14, 'a'), 10), std::string(10, 'a') + "...");
  // An escape is never split: "\x1b" is four characters shown.
  EXPECT_EQ(PrintableCut(std::string(5, '\x1b'), 10), "\\x1b\\x1b...");
  // Characters, not bytes.
  std::string accents;
  for (int i = 0; i < 20; ++i) accents += "\xc3\xa9";
  EXPECT_EQ(PrintableCut(accents, 10), accents.substr(0, 20) + "...");
}

// Text cut once and shown again (a report field read back by `recheck`, whose report is written
// again) must not change: the cut is stable, PrintableCut(PrintableCut(x)) == PrintableCut(x).
// It once counted characters of the input, so an escaped, cut text (longer once escaped) was cut
// again, shorter, every time it went through.
TEST(Printable, CuttingTwiceChangesNothing) {
  std::string mixed;
  for (int i = 0; i < 400; ++i) mixed += i % 3 == 0 ? "\x1b[2K" : i % 3 == 1 ? "\xc3\xa9\xff" : "ab\r";
  for (const std::string& text : {std::string(1000, 'x'), std::string(1000, '\x1b'), std::string(601, '\n'),
                                  std::string(603, 'x'), std::string(604, 'x'), mixed,
                                  std::string(598, 'x') + "\x1b\x1b\x1b"}) {
    const std::string once = PrintableCut(text, 600);
    EXPECT_EQ(PrintableCut(once, 600), once) << once.substr(0, 80);
    EXPECT_EQ(Printable(once), once);
  }
}

// Page text (report.html, the status page, the published site) goes through EscapeMarkup.
TEST(Printable, PageTextCarriesNoControlCharacters) {
  EXPECT_EQ(EscapeMarkup("<b>\x1b[31m&\r"), "&lt;b&gt;\\x1b[31m&amp;\\r");
}

}  // namespace
}  // namespace segverify
