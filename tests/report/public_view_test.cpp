// The public view of a report (docs/DESIGN.md §Public faces): the words for each verdict, ERROR
// never
// shown as a shortfall, no node URL / config path / file path in anything public, sources named
// by index, findings and vaults in plain words, dates from block_time, explorer links; and
// report.html built from it (phone-friendly: no tables, no fixed widths).
#include "verifier/report/public_view.h"

#include <set>

#include <gtest/gtest.h>

#include "verifier/report/public_html.h"
#include "verifier/report/report_html.h"
#include "verifier/report/report_json.h"

namespace segverify::report {
namespace {

// A Safe 1.4.1, 2 of 3, one owner a firm address.
VaultReport SafeVault() {
  VaultReport vault;
  vault.kind = "safe";
  vault.version = "1.4.1";
  vault.owners = {"0x1", "0x2", "0x3"};
  vault.threshold = 2;
  vault.firm_owners = {"0x1"};
  return vault;
}

// An ERROR report as attest writes it when the Ethereum node is down (the error texts are the
// ones `attest` printed for the sample exchange's node-down scenario).
Report ErrorReport() {
  Report r;
  r.id = "2026-11";
  r.message = "Example Exchange attestation 2026-11: client assets";
  r.verdict = Verdict::kError;
  ChainReport bitcoin{"bitcoin",
                      Chain::kBitcoin,
                      200,
                      std::string(64, 'a'),
                      "2026-11-01T00:00:00Z",
                      {"http://127.0.0.1:37665", "https://esplora.internal.example:3000"},
                      std::nullopt,
                      {},
                      {}};
  ChainReport ethereum{"ethereum", Chain::kEthereum, 40, std::nullopt, std::nullopt, {"http://127.0.0.1:35527"}, "proven", {}, {}};
  r.chains = {bitcoin, ethereum};
  PoolReport pool;
  pool.name = "spot";
  pool.accounts = 10;
  merkle::PublishedRoot root;
  root.assets = {{"BTC", 8}, {"ETH", 18}};
  root.height = 4;
  root.sums = {1808012000, 17950000000000000001ull};
  pool.root = root;
  pool.assets = {{{"BTC", 8}, 1808012000, u128(1808012000), true},
                 {{"ETH", 18}, 17950000000000000001ull, std::nullopt, std::nullopt}};
  pool.addresses = {{"bitcoin",
                     "bc1qpdp6l9mnzdaswrq2jda75y6gtw89zctjffl6hl",
                     "p2wpkh",
                     "bip322",
                     report::Ownership::kValid,
                     {{"BTC", u128(500000000)}},
                     std::nullopt},
                    {"ethereum",
                     "0x718c684ADFe362AC1C8362C84Dd7AfF4a28BA921",
                     "eoa",
                     "eip191",
                     report::Ownership::kValid,
                     {{"ETH", std::nullopt}},
                     std::nullopt},
                    {"ethereum",
                     "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
                     "contract",
                     "erc1271",
                     report::Ownership::kCannotCheck,
                     {{"ETH", std::nullopt}},
                     SafeVault()}};
  pool.holds = false;
  r.pools = {pool};
  r.findings = {{report::Check::kSharedKey, "bc1q02sf5uvdzwvfv74awv6927lcw26ku63mfazfjqey6pl56lnusf0s90xwn7",
                 "1 of the keys of this 2-of-3 pool spot multisig are firm keys (below the threshold)",
                 Severity::kInfo}};
  // The problems as attest records them: a kind and where, and the operator's line.
  r.problems = {
      {ProblemKind::kUnreachable, "ethereum", 0, "", "", "http://127.0.0.1:35527: cannot reach the node (Connection) (eth_chainId)", "ethereum: http://127.0.0.1:35527: cannot reach the node (Connection) (eth_chainId)"},
      {ProblemKind::kOwnershipUnchecked, "ethereum", std::nullopt, "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", "", "ERC-1271 needs an Ethereum node (eth_call) to ask the contract", "pools[0].addresses[2].proof: cannot check (cannot-check): ERC-1271 needs an Ethereum node (eth_call) to "
               "ask the contract"},
      {ProblemKind::kInput, "", std::nullopt, "spot", "", "/home/exchange/secret/liabilities/spot.csv: cannot open", "pool spot: /home/exchange/secret/liabilities/spot.csv: cannot open"},
      {ProblemKind::kTimedOut, "bitcoin", 1, "", "", "bitcoin source 2 (https://esplora.internal.example:3000): timed out after 60 s", "bitcoin: bitcoin source 2 (https://esplora.internal.example:3000): timed out after 60 s"}};
  r.config_sha256 = std::string(64, '0');
  r.tool_version = "test";
  return r;
}

TEST(PublicView, WordsForEachVerdict) {
  EXPECT_EQ(VerdictWords(Verdict::kPass), "holds");
  EXPECT_EQ(VerdictWords(Verdict::kFail), "does not hold");
  EXPECT_EQ(VerdictWords(Verdict::kError), "could not be checked");
  EXPECT_EQ(VerdictSentence(Verdict::kError).find("does not hold"), std::string_view::npos);
  EXPECT_NE(VerdictSentence(Verdict::kError).find("not mean that coins are missing"), std::string_view::npos);
}

TEST(PublicView, AnErrorNeverReadsAsAShortfall) {
  const Report r = ErrorReport();
  EXPECT_EQ(PoolStanding(r.pools[0], Verdict::kError), Standing::kUnknown);
  EXPECT_EQ(CoverageWords(r.pools[0].assets[1]), "unknown");
  // Even a measured shortfall in an ERROR run leaves the pool "could not be checked"...
  PoolReport measured = r.pools[0];
  measured.assets[0].reserves = u128(1);
  measured.assets[0].covered = false;
  EXPECT_EQ(PoolStanding(measured, Verdict::kError), Standing::kUnknown);
  // ...while in a run that checked everything it does not hold.
  EXPECT_EQ(PoolStanding(measured, Verdict::kFail), Standing::kDoesNotHold);
  measured.holds = true;
  EXPECT_EQ(PoolStanding(measured, Verdict::kPass), Standing::kHolds);
}

TEST(PublicView, ProblemsNameSourcesByIndexAndHideUrlsConfigAndFilePaths) {
  const Report r = ErrorReport();
  EXPECT_EQ(ProblemInWords(r.problems[0], r), "ethereum source 1 could not be reached");
  EXPECT_EQ(ProblemInWords(r.problems[1], r),
            "the ownership proof of pool spot address 0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512 could not be checked: "
            "ERC-1271 needs an Ethereum node (eth_call) to ask the contract");
  EXPECT_EQ(ProblemInWords(r.problems[2], r), "pool spot: a file: cannot open");
  EXPECT_EQ(ProblemInWords(r.problems[3], r), "bitcoin source 2 could not be reached");
  // A URL that is not one of the report's sources, and a port that only starts like one.
  EXPECT_EQ(PublicText("answer from http://user:pw@10.0.0.9:8545/key/abc: bad", r), "answer from a node: bad");
  EXPECT_EQ(PublicText("http://127.0.0.1:355270 failed", r), "a node failed");
  EXPECT_EQ(PublicText("firm.addresses[0].proof: invalid: bad signature", r),
            "firm address number 1, ownership proof: invalid: bad signature");
  EXPECT_EQ(PublicText("chains.bitcoin.sources[1]: ca_file ./certs/ca.pem unreadable", r),
            "bitcoin source 2: ca_file a file unreadable");
  // Ordinary words are left alone.
  EXPECT_EQ(PublicText("the pools and the firm hold segverify-proof/1 files", r),
            "the pools and the firm hold segverify-proof/1 files");
}

// The public words are a projection of the problem's fields: its kind and source say "could not be
// reached", whatever its line says, and a line that merely mentions a timeout is not read back.
TEST(PublicView, ProblemWordsComeFromTheKindNotFromTheLine) {
  const Report r = ErrorReport();
  Problem refused = r.problems[3];
  refused.kind = ProblemKind::kRefusedByNode;  // same line ("timed out ..."), another kind
  EXPECT_EQ(ProblemInWords(refused, r), "bitcoin: bitcoin source 2: timed out after 60 s");
  Problem unreachable{ProblemKind::kUnreachable, "bitcoin", 0, "", "", "", "bitcoin: gone"};
  EXPECT_EQ(ProblemInWords(unreachable, r), "bitcoin source 1 could not be reached");
  // A source index on a chain the report does not list names nothing: the line, made public.
  unreachable.chain = "arbitrum";
  EXPECT_EQ(ProblemInWords(unreachable, r), "bitcoin: gone");
  const Report shown = PublicReport(r);
  EXPECT_EQ(shown.problems[0].line, "ethereum source 1 could not be reached");
  EXPECT_EQ(shown.problems[0].kind, ProblemKind::kUnreachable);
  EXPECT_EQ(shown.problems[0].detail.find("127.0.0.1"), std::string::npos) << shown.problems[0].detail;
}

TEST(PublicView, ThePublicReportIsStillAReportAndIdempotent) {
  const Report r = ErrorReport();
  const Report shown = PublicReport(r);
  EXPECT_EQ(shown.chains[0].sources, (std::vector<std::string>{"bitcoin source 1", "bitcoin source 2"}));
  EXPECT_EQ(shown.chains[1].sources, (std::vector<std::string>{"ethereum source 1"}));
  EXPECT_EQ(PublicReport(shown), shown);
  const std::string json = ReportToJson(shown);
  for (const char* secret : {"127.0.0.1", "internal.example", "pools[0]", "/home/exchange"}) {
    EXPECT_EQ(json.find(secret), std::string::npos) << secret;
  }
  auto parsed = ParseReport(json, "public report.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, shown);
}

TEST(PublicView, ErrorReportHtmlShowsNoShortfallNoUrlNoPath) {
  const std::string html = ReportToHtml(ErrorReport());
  for (const char* forbidden :
       {"does not hold", "127.0.0.1", "internal.example", "pools[0]", "/home/exchange", "<table", "width=\"720\""}) {
    EXPECT_EQ(html.find(forbidden), std::string::npos) << forbidden;
  }
  for (const char* shown : {"<strong id=\"verdict\">ERROR</strong>", "could not be checked", "unknown",
                            "ethereum source 1 could not be reached", "1 November 2026, 00:00 UTC",
                            "Example Exchange attestation 2026-11: client assets",
                            "https://mempool.space/address/bc1qpdp6l9mnzdaswrq2jda75y6gtw89zctjffl6hl",
                            "https://etherscan.io/address/0x718c684ADFe362AC1C8362C84Dd7AfF4a28BA921",
                            "Vault: Safe 1.4.1, 2 of 3 owners, 1 firm owner, no modules", "5 BTC",
                            "The exchange holds some keys of a client multisig wallet"}) {
    EXPECT_NE(html.find(shown), std::string::npos) << shown;
  }
}

TEST(PublicView, FailReportHtmlSaysDoesNotHold) {
  Report r = ErrorReport();
  r.problems.clear();
  r.verdict = Verdict::kFail;
  r.pools[0].assets[1].reserves = u128(1);
  r.pools[0].assets[1].covered = false;
  r.findings.push_back({report::Check::kOverlap, "bc1qpdp6l9mnzdaswrq2jda75y6gtw89zctjffl6hl", "address is in pool spot and in firm",
                        Severity::kError});
  const std::string html = ReportToHtml(r);
  EXPECT_NE(html.find("<span id=\"verdict-words\">does not hold</span>"), std::string::npos);
  EXPECT_NE(html.find("not covered"), std::string::npos);
  EXPECT_NE(html.find("would count as client money"), std::string::npos) << html;
}

// A shortfall of one base unit (0.000001 USDT) never reads "100.0 %": percentages are truncated.
TEST(PublicView, CoveragePercentIsTruncatedNeverRoundedUp) {
  EXPECT_EQ(CoveragePercent(999999999999ull, 1000000000000ull), "99.9 %");
  EXPECT_EQ(CoveragePercent(1000000, 1000000), "100.0 %");
  EXPECT_EQ(CoveragePercent(1, 3), "33.3 %");
  EXPECT_EQ(CoveragePercent(2, 3), "66.6 %");
  EXPECT_EQ(CoveragePercent(1023, 1000), "102.3 %");
  EXPECT_EQ(CoveragePercent(0, 5), "0.0 %");
  const u128 huge = ~u128(0);  // near 2^128: the long division must not overflow
  EXPECT_EQ(CoveragePercent(huge - 1, huge), "99.9 %");
  EXPECT_EQ(CoveragePercent(huge, huge), "100.0 %");
}

// A FAIL page leads with what breaks it: error findings before info ones, and each pool card shows
// its shortfall per asset.
TEST(PublicView, FailPagesPutErrorsFirstAndShowTheShortfall) {
  Report r = ErrorReport();
  r.problems.clear();
  r.verdict = Verdict::kFail;
  r.pools[0].assets[1].reserves = u128(17950000000000000000ull);  // 1 wei short
  r.pools[0].assets[1].covered = false;
  r.findings.push_back({Check::kSharedKey, "02ab", "key also in a firm multisig", Severity::kInfo});
  r.findings.push_back({Check::kVaultModule, "0x1", "a module is enabled", Severity::kInfo});
  r.findings.push_back({Check::kCoverage, "spot ETH", "reserves below liabilities", Severity::kError});
  const std::string html = ReportToHtml(r);
  const std::size_t error = html.find("reserves below liabilities");
  ASSERT_NE(error, std::string::npos);
  EXPECT_LT(error, html.find("key also in a firm multisig"));
  EXPECT_LT(error, html.find("a module is enabled"));
  EXPECT_NE(html.find("not covered (99.9 %)"), std::string::npos) << html;
  EXPECT_EQ(html.find("not covered (100.0 %)"), std::string::npos);
  EXPECT_NE(html.find("Shortfall</dt><dd class=\"shortfall\">0.000000000000000001 ETH</dd>"), std::string::npos) << html;
}

// Every page says what a PASS shows and does not, and never that the signatures show control "now".
TEST(PublicView, EveryPageSaysWhatAPassDoesNotShow) {
  Report r = ErrorReport();
  const std::string html = ReportToHtml(r);
  EXPECT_NE(html.find("What a PASS shows, and what it does not"), std::string::npos);
  EXPECT_NE(html.find("That the list of client balances is complete."), std::string::npos);
  EXPECT_NE(html.find("The rest of the month."), std::string::npos);
  EXPECT_EQ(html.find("controls it now"), std::string::npos);
  EXPECT_NE(html.find("it does not show who controls them today"), std::string::npos);
}

TEST(PublicView, FindingsInPlainWords) {
  // Each error check has words of its own (none falls back on another's), whatever its subject.
  std::set<std::string> seen;
  for (const char* name :
       {"overlap", "double-count", "shared-key", "firm-control", "coverage", "ownership", "script-mismatch",
        "sources-disagree", "vault-unverified", "vault-module", "token-decimals", "block-hash"}) {
    const auto check = ParseCheck(name);
    ASSERT_TRUE(check.has_value()) << name;
    EXPECT_EQ(ToString(*check), name);
    const std::string words = ExplainFinding({*check, "x", "y", Severity::kError});
    EXPECT_FALSE(words.empty()) << name;
    EXPECT_EQ(words, ExplainFinding({*check, "other", "other", Severity::kError})) << name;
    EXPECT_TRUE(seen.insert(words).second) << name << ": " << words;
  }
  EXPECT_FALSE(ParseCheck("unknown-check").has_value());
  EXPECT_NE(ExplainFinding({report::Check::kSharedKey, "x", "y", Severity::kInfo}),
            ExplainFinding({report::Check::kSharedKey, "x", "y", Severity::kError}));
}

TEST(PublicView, DatesFromBlockTimes) {
  EXPECT_EQ(ParseUtcTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseUtcTime("2026-11-01T00:00:00Z"), 1793491200);  // date -u -d 2026-11-01 +%s
  EXPECT_EQ(ParseUtcTime("2024-02-29T12:30:05.250+00:00"), 1709209805);
  for (const char* bad : {"", "2026-11-01", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-01T00:00:00+01:00",
                          "2026-11-01 00:00:00Z", "2026-11-01T24:00:00Z"}) {
    EXPECT_FALSE(ParseUtcTime(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatUtcTime("2026-11-01T00:00:00Z"), "1 November 2026, 00:00 UTC");
  Report r = ErrorReport();
  EXPECT_EQ(AttestationTime(r), "2026-11-01T00:00:00Z");
  r.chains[1].block_time = "2026-11-01T00:04:12Z";
  EXPECT_EQ(AttestationTime(r), "2026-11-01T00:04:12Z");
  r.chains[0].block_time.reset();
  r.chains[1].block_time.reset();
  EXPECT_FALSE(AttestationTime(r).has_value());
  EXPECT_NE(ReportToHtml(r).find("date not recorded"), std::string::npos);
}

TEST(PublicView, ExplorerLinksByChain) {
  EXPECT_EQ(ExplorerUrl("bitcoin", "bc1qpdp6l9mnzdaswrq2jda75y6gtw89zctjffl6hl"),
            "https://mempool.space/address/bc1qpdp6l9mnzdaswrq2jda75y6gtw89zctjffl6hl");
  EXPECT_EQ(ExplorerUrl("ethereum", "0x718c684ADFe362AC1C8362C84Dd7AfF4a28BA921"),
            "https://etherscan.io/address/0x718c684ADFe362AC1C8362C84Dd7AfF4a28BA921");
  EXPECT_EQ(ExplorerUrl("arbitrum", "0xab"), "https://arbiscan.io/address/0xab");
  EXPECT_FALSE(ExplorerUrl("unknown-chain", "0xab").has_value());
  EXPECT_FALSE(ExplorerUrl("bitcoin", "bc1q\"><script>").has_value());
}

}  // namespace
}  // namespace segverify::report
