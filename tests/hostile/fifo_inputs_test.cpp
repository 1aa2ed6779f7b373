// Inputs that are not regular files: a FIFO with no writer once blocked open() forever (the
// liabilities CSV, report.json for `publish`, a site's attestation.json or roots.json for `recheck`,
// a replay recording, a root file). Each is now refused at once: exit 2, the path named, in seconds.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/faulty_eth_node.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

namespace fs = std::filesystem;

void MakeFifo(const std::string& path) { ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0) << path; }

void ExpectRefusedAtOnce(const std::vector<std::string>& args, const TempDir& dir, const std::string& fifo) {
  auto run = RunSegverifyMeasured(args, dir, std::chrono::seconds(20));
  EXPECT_FALSE(run.timed_out) << "blocked on " << fifo;
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find(fifo + ": is a FIFO (named pipe), expected a regular file"), std::string::npos) << run.err;
  EXPECT_LT(run.seconds, 10.0);
}

TEST(FifoInputs, LiabilitiesCsvOfAnAttestation) {
  TempDir dir;
  const std::string config = WriteFaultConfig(dir, "http://127.0.0.1:9");
  fs::remove(dir.File("spot.csv"));
  MakeFifo(dir.File("spot.csv"));
  ExpectRefusedAtOnce({"attest", config, "--out", dir.File("out"), "--quiet"}, dir, "spot.csv");
  EXPECT_FALSE(fs::exists(dir.File("out")));
}

TEST(FifoInputs, TheAttestationConfigItself) {
  TempDir dir;
  MakeFifo(dir.File("config.json"));
  ExpectRefusedAtOnce({"attest", dir.File("config.json"), "--out", dir.File("out"), "--quiet"}, dir,
                      dir.File("config.json"));
}

TEST(FifoInputs, ReportJsonForPublish) {
  TempDir dir;
  fs::create_directories(dir.File("report"));
  MakeFifo(dir.File("report/report.json"));
  ExpectRefusedAtOnce({"publish", "--report", dir.File("report"), "--out", dir.File("site")}, dir, "report.json");
  EXPECT_FALSE(fs::exists(dir.File("site")));
}

TEST(FifoInputs, AttestationJsonOrRootsJsonOfARecheckedSite) {
  for (const std::string name : {"attestation.json", "roots.json"}) {
    SCOPED_TRACE(name);
    TempDir dir;
    fs::create_directories(dir.File("site"));
    for (const std::string other : {"report.json", "attestation.json", "roots.json"}) {
      if (other != name) WriteFile(dir.File("site/" + other), "{}");
    }
    MakeFifo(dir.File("site/" + name));
    ExpectRefusedAtOnce({"recheck", dir.File("site"), "--quiet", "--source", "ethereum=ethereum=http://127.0.0.1:9"},
                        dir, name);
  }
}

TEST(FifoInputs, AReplayRecording) {
  TempDir dir;
  const std::string config = WriteFaultConfig(dir, "http://127.0.0.1:9");
  fs::create_directories(dir.File("recording"));
  MakeFifo(dir.File("recording/ethereum-1.jsonl"));
  ExpectRefusedAtOnce({"attest", config, "--out", dir.File("out"), "--replay", dir.File("recording"), "--quiet"}, dir,
                      "ethereum-1.jsonl");
}

TEST(FifoInputs, ARootFileOrAProof) {
  TempDir dir;
  MakeFifo(dir.File("root.json"));
  ExpectRefusedAtOnce({"proof", "verify", SourcePath("fixtures/worked-example/proof-bob.json"), "--root",
                       dir.File("root.json")},
                      dir, dir.File("root.json"));
  MakeFifo(dir.File("proof.json"));
  // With its published root given (without one, proof verify stops before it opens the proof).
  const std::string root_hash = "af5a0c2daf83751f2cbad37397b745d0ea68fa2de110ef167d9456f2d2b971dc";
  ExpectRefusedAtOnce({"proof", "verify", dir.File("proof.json"), "--root-hash", root_hash}, dir,
                      dir.File("proof.json"));
}

}  // namespace
}  // namespace segverify::testing
