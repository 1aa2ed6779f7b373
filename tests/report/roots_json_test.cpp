// roots.json, the one model (verifier/report/roots_json.h): a report's roots, the document written
// and read back unchanged, a document written by hand from docs/FORMAT.md §13 (both the
// segverify-roots/2 object and the plain array of older sites), every field checked, and the typed
// root a proof is compared with.
#include "verifier/report/roots_json.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace segverify::report {
namespace {

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');

// The example of docs/FORMAT.md §13, with its placeholders filled in.
const std::string kHandWritten = R"({"format":"segverify-roots/2",
 "roots":[{"id":"2026-11","pool":"spot","hash":")" + kHashA +
                                 R"(","sums":["1234.5","50000"],"height":20,
           "assets":[{"symbol":"BTC","decimals":8},{"symbol":"USDT","decimals":6}],
           "verdict":"PASS","attested_at":"2026-11-01T00:00:00Z"}],
 "superseded":[{"id":"2026-11","pool":"spot","hash":")" + kHashB +
                                 R"(","sums":["1234.5","50000"],"height":20,
                "assets":[{"symbol":"BTC","decimals":8},{"symbol":"USDT","decimals":6}],
                "verdict":"ERROR","attested_at":"2026-11-01T00:00:00Z",
                "superseded_at":"2026-11-03T09:12:00Z"}]})";

Report TwoPoolReport() {
  Report r;
  r.id = "2026-11";
  r.verdict = Verdict::kFail;
  r.chains.push_back({"bitcoin", Chain::kBitcoin, 870000, std::string(64, '1'), "2026-11-01T00:00:00Z", {}, std::nullopt, {}, {}});
  PoolReport spot;
  spot.name = "spot";
  merkle::PublishedRoot root;
  root.assets = {{"BTC", 8}, {"USDT", 6}};
  root.height = 20;
  root.hash.fill(0xab);
  root.sums = {123450000000, 50000000000};
  root.pool = "spot";
  spot.root = root;
  PoolReport margin;  // its tree could not be built: it publishes nothing
  margin.name = "margin";
  r.pools = {spot, margin};
  return r;
}

TEST(RootsJson, AReportListsOneRootPerPoolWithATree) {
  const std::vector<ListedRoot> roots = RootsOf(TwoPoolReport());
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].report_id, "2026-11");
  EXPECT_EQ(roots[0].pool, "spot");
  std::string ab;
  for (int i = 0; i < 32; ++i) ab += "ab";
  EXPECT_EQ(roots[0].hash, ab);
  EXPECT_EQ(roots[0].sums, (std::vector<std::string>{"1234.5", "50000"}));
  EXPECT_EQ(roots[0].height, 20u);
  EXPECT_EQ(roots[0].verdict, Verdict::kFail);
  EXPECT_EQ(roots[0].attested_at, "2026-11-01T00:00:00Z");
  EXPECT_FALSE(roots[0].superseded_at.has_value());
}

TEST(RootsJson, ReadsBackWhatItWrites) {
  std::vector<ListedRoot> current = RootsOf(TwoPoolReport());
  ListedRoot replaced = current[0];
  replaced.hash = kHashB;
  replaced.verdict = Verdict::kError;
  replaced.superseded_at = "2026-11-03T09:12:00Z";
  const PublishedRoots roots{current, {replaced}};
  const std::string json = RootsToJson(roots);
  auto back = ParsePublishedRoots(json, "roots.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->current, roots.current);
  EXPECT_EQ(back->superseded, roots.superseded);
  EXPECT_EQ(RootsToJson(*back), json);
}

TEST(RootsJson, ReadsTheDocumentOfTheFormatSpecification) {
  auto roots = ParsePublishedRoots(kHandWritten, "roots.json");
  ASSERT_TRUE(roots.ok()) << roots.error().message;
  ASSERT_EQ(roots->current.size(), 1u);
  ASSERT_EQ(roots->superseded.size(), 1u);
  const ListedRoot& root = roots->current[0];
  EXPECT_EQ(root.report_id, "2026-11");
  EXPECT_EQ(root.pool, "spot");
  EXPECT_EQ(root.hash, kHashA);
  EXPECT_EQ(root.sums, (std::vector<std::string>{"1234.5", "50000"}));
  EXPECT_EQ(root.height, 20u);
  EXPECT_EQ(root.assets, (std::vector<merkle::AssetSpec>{{"BTC", 8}, {"USDT", 6}}));
  EXPECT_EQ(root.verdict, Verdict::kPass);
  EXPECT_EQ(root.attested_at, "2026-11-01T00:00:00Z");
  EXPECT_FALSE(root.superseded_at.has_value());
  EXPECT_EQ(roots->superseded[0].hash, kHashB);
  EXPECT_EQ(roots->superseded[0].verdict, Verdict::kError);
  EXPECT_EQ(roots->superseded[0].superseded_at, "2026-11-03T09:12:00Z");
}

TEST(RootsJson, ReadsThePlainArrayOfOlderSitesAsCurrentRoots) {
  const std::string old = R"([{"id":"2026-10","pool":"spot","hash":")" + kHashA +
                          R"(","sums":["1.5"],"height":3,"assets":[{"symbol":"BTC","decimals":8}],"verdict":"PASS","attested_at":null}])";
  auto roots = ParsePublishedRoots(old, "roots.json");
  ASSERT_TRUE(roots.ok()) << roots.error().message;
  ASSERT_EQ(roots->current.size(), 1u);
  EXPECT_TRUE(roots->superseded.empty());
  EXPECT_FALSE(roots->current[0].attested_at.has_value());
  // Written back, it becomes the segverify-roots/2 object.
  EXPECT_EQ(RootsToJson(*roots).rfind(R"({"format":"segverify-roots/2","roots":[{"id":"2026-10")", 0), 0u);
}

TEST(RootsJson, EveryFieldIsChecked) {
  const std::string good = R"([{"id":"2026-11","pool":"spot","hash":")" + kHashA +
                           R"(","sums":["1.5"],"height":3,"assets":[{"symbol":"BTC","decimals":8}],"verdict":"PASS","attested_at":null}])";
  ASSERT_TRUE(ParsePublishedRoots(good, "roots.json").ok());
  const std::pair<std::string, std::string> broken[] = {
      {R"("verdict":"PASS")", R"("verdict":"MAYBE")"},
      {R"("sums":["1.5"])", R"("sums":["1.123456789"])"},  // more decimals than BTC has
      {R"("height":3)", R"("height":49)"},
      {kHashA, std::string(63, 'a')},
      {R"("pool":"spot")", R"("pool":"")"},
      {R"("id":"2026-11")", R"("id":"2026\n11")"},
      {R"("attested_at":null)", R"("attested_at":"yesterday")"},
  };
  for (const auto& [from, to] : broken) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    EXPECT_FALSE(ParsePublishedRoots(text, "roots.json").ok()) << text;
  }
  EXPECT_FALSE(ParsePublishedRoots("{}", "roots.json").ok());
  // The object form: its format named, no other key, and a superseded root says when.
  std::string spec = kHandWritten;
  EXPECT_FALSE(ParsePublishedRoots(spec.replace(spec.find("roots/2"), 7, "roots/3"), "roots.json").ok());
  spec = kHandWritten;
  EXPECT_FALSE(ParsePublishedRoots(spec.replace(0, 1, R"({"extra":1,)"), "roots.json").ok());
  spec = kHandWritten;
  const std::string when = R"(,
                "superseded_at":"2026-11-03T09:12:00Z")";
  EXPECT_FALSE(ParsePublishedRoots(spec.replace(spec.find(when), when.size(), ""), "roots.json").ok());
}

TEST(RootsJson, AListedRootIsTheTypedRootAProofMustMatch) {
  auto roots = ParsePublishedRoots(kHandWritten, "roots.json");
  ASSERT_TRUE(roots.ok()) << roots.error().message;
  auto root = ToPublishedRoot(roots->current[0], "roots.json");
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(root->pool, "spot");
  EXPECT_EQ(root->height, 20u);
  EXPECT_EQ(root->sums, (std::vector<u128>{123450000000, 50000000000}));
  EXPECT_EQ(root->assets, roots->current[0].assets);
  ListedRoot short_sums = roots->current[0];
  short_sums.sums.pop_back();
  EXPECT_FALSE(ToPublishedRoot(short_sums, "roots.json").ok());
  ListedRoot bad_hash = roots->current[0];
  bad_hash.hash = "zz";
  EXPECT_FALSE(ToPublishedRoot(bad_hash, "roots.json").ok());
}

}  // namespace
}  // namespace segverify::report
