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

TEST(Printable, CutCountsCharactersOfTheInput) {
  EXPECT_EQ(PrintableCut(std::string(10, 'a'), 10), std::string(10, 'a'));
  EXPECT_EQ(PrintableCut(std::string(11, 'a'), 10), std::string(10, 'a') + "...");
  EXPECT_EQ(PrintableCut(std::string(5, '\x1b'), 2), "\\x1b\\x1b...");
}

// Page text (report.html, the status page, the published site) goes through EscapeMarkup.
TEST(Printable, PageTextCarriesNoControlCharacters) {
  EXPECT_EQ(EscapeMarkup("<b>\x1b[31m&\r"), "&lt;b&gt;\\x1b[31m&amp;\\r");
}

}  // namespace
}  // namespace segverify
