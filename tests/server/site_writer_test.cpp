// Pins verifier/server/site_writer.h: the site is written whole with its marker; an earlier site is
// replaced, a directory that is not one is never touched; file names are the site's own shapes only.
#include "verifier/server/site_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/test_support.h"

namespace segverify::server {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

TEST(SiteWriter, WritesEveryFileAndItsMarkerAndReplacesAnEarlierSite) {
  TempDir dir;
  const std::string site = dir.File("site");
  ASSERT_TRUE(WriteSiteDirectory(site, {{"index.html", "one"}, {"attestations/2026-11/report.json", "{}"}}).ok());
  EXPECT_EQ(ReadFile(site + "/index.html"), "one");
  EXPECT_EQ(ReadFile(site + "/attestations/2026-11/report.json"), "{}");
  EXPECT_TRUE(fs::exists(site + "/" + std::string(kSiteMarker)));
  // An earlier site (it has the marker) is replaced whole: nothing of it stays.
  ASSERT_TRUE(WriteSiteDirectory(site, {{"index.html", "two"}}).ok());
  EXPECT_EQ(ReadFile(site + "/index.html"), "two");
  EXPECT_FALSE(fs::exists(site + "/attestations"));
}

TEST(SiteWriter, NeverReplacesADirectoryThatIsNotASite) {
  TempDir home;  // someone's directory, given to --out by mistake
  WriteFile(home.File("notes.txt"), "mine");
  const Status refused = WriteSiteDirectory(home.path(), {{"index.html", "x"}});
  EXPECT_FALSE(refused.ok());
  // Untouched: its one file, as it was.
  EXPECT_EQ(std::distance(fs::directory_iterator(home.path()), fs::directory_iterator()), 1);
  EXPECT_EQ(ReadFile(home.File("notes.txt")), "mine");
}

TEST(SiteWriter, RefusesFileNamesOutsideTheSitesShapes) {
  TempDir dir;
  const std::string site = dir.File("site");
  for (const std::string name : {"", "../x", ".hidden", "a/b", "attestations/../x", "attestations/2026/.x",
                                 "attestations//x", "attestations/a/b/c"}) {
    EXPECT_FALSE(WriteSiteDirectory(site, {{name, "x"}}).ok()) << name;
    EXPECT_FALSE(fs::exists(site)) << name;  // nothing half-written
  }
}

}  // namespace
}  // namespace segverify::server
