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
  TempDir dir;
  const std::string other = dir.File("home");
  fs::create_directories(other);
  WriteFile(other + "/notes.txt", "mine");
  EXPECT_FALSE(WriteSiteDirectory(other, {{"index.html", "x"}}).ok());
  EXPECT_EQ(ReadFile(other + "/notes.txt"), "mine");
  EXPECT_FALSE(fs::exists(other + "/index.html"));
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
