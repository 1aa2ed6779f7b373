// The attest front (attestation.h): config → plan (trees built from the liabilities files, the
// config's sources, live or recorded or replayed), the core's checks, and OUT written all or nothing
// with report.json, report.html, attestation.json, evidence/ and pools/<name>/.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "clients/evidence.h"
#include "common/file_io.h"
#include "common/output_dir.h"
#include "common/regular_file.h"
#include "common/sha256.h"
#include "common/test_hook.h"
#include "merkle/liabilities_csv.h"
#include "merkle/tree_builder.h"
#include "merkle/tree_layout.h"
#include "merkle/tree_store.h"
#include "verifier/attest/attestation.h"
#include "verifier/attest/public_attestation.h"
#include "verifier/report/report_html.h"
#include "verifier/report/report_json.h"

namespace segverify::attest {
namespace {

namespace fs = std::filesystem;

using report::PoolReport;
using report::Report;

using merkle::kTreeFiles;  // merkle/tree_layout.h: the one list of a tree directory's files

Result<std::string> FileSha256(const std::string& path) {
  if (Status regular = CheckRegularFile(path); !regular) return regular.error();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{path + ": cannot open: " + std::strerror(errno)};
  Sha256Hasher hasher;
  std::uint8_t buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) hasher.Update(std::span<const std::uint8_t>(buffer, n));
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Error{path + ": read error"};
  return ToHex(hasher.Final());
}

class AttestRun {
 public:
  AttestRun(const AttestOptions& options, AttestationConfig config) : options_(options) {
    plan_.config = std::move(config);
  }

  Result<Report> Run();

 private:
  const AttestationConfig& config() const { return plan_.config; }
  void Progress(const std::string& line) const {
    if (options_.progress) options_.progress(line);
  }
  void Work(std::string_view step, std::uint64_t done, std::uint64_t total) const {
    if (options_.work) options_.work(step, done, total);
  }
  Status CheckLiabilitiesHeaders() const;
  Status SetUpTransports();
  Status BuildTrees();
  Result<bool> ReuseRecordedTree(const ConfigPool& pool, const std::string& sha, const std::string& out);
  Status WriteOutputs(const Report& done) const;

  const AttestOptions& options_;
  AttestationPlan plan_;  // the config, and the liabilities once the trees are built
  std::string out_dir_;   // the staging directory: OUT once the run is committed
  clients::TransportFactory transports_;
  std::shared_ptr<clients::EvidenceLog> evidence_;                       // null in a replay
  std::vector<std::pair<std::string, std::string>> liabilities_sha256_;  // pool -> hex, config order
};

// Every pool's liabilities file opens and its header names the config's assets in order: checked
// for all pools before the first tree is built (a build takes minutes on a large exchange).
Status AttestRun::CheckLiabilitiesHeaders() const {
  for (const ConfigPool& pool : config().pools) {
    auto reader = merkle::LiabilitiesReader::Open(pool.liabilities_path, config().AssetSpecs());
    if (!reader) return Error{"pool " + pool.name + ": " + reader.error().message};
  }
  return Status::Ok();
}

Status AttestRun::SetUpTransports() {
  const std::string evidence_dir = out_dir_ + "/evidence";
  std::uint64_t addresses = config().firm_addresses.size();
  for (const ConfigPool& pool : config().pools) addresses += pool.addresses.size();
  const std::uint64_t evidence_cap = clients::EvidenceBytesPerSource(addresses);
  if (options_.replay_dir) {
    auto replay = clients::EvidenceReplay::Load(*options_.replay_dir, evidence_cap);
    if (!replay) return Error{"--replay: " + replay.error().message};
    transports_ = clients::ReplayTransports(*replay);
    // Keep the recording with the new report, so OUT is self-contained. The recording may be
    // OUT/evidence itself: OUT stays untouched until the commit, so it is still there to copy.
    std::error_code ec;
    fs::copy(*options_.replay_dir, evidence_dir, fs::copy_options::recursive, ec);
    if (ec) return Error{evidence_dir + ": cannot copy the recording: " + ec.message()};
    return Status::Ok();
  }
  auto log = clients::EvidenceLog::Open(evidence_dir, evidence_cap);
  if (!log) return log.error();
  evidence_ = *log;
  transports_ = clients::RecordingTransports(clients::LiveTransports(options_.http), *log);
  return Status::Ok();
}

// With a replay and no nonce key, the recorded run's trees are the only way to the same roots.
// False when the recorded run built no tree for this pool (its liabilities did not make one, e.g.
// a column past 2^128-1): building again fails the same way, with the same message.
Result<bool> AttestRun::ReuseRecordedTree(const ConfigPool& pool, const std::string& sha, const std::string& out) {
  const fs::path recorded_run = fs::path(*options_.replay_dir).parent_path();
  auto old_report = report::ReadReportFile((recorded_run / "report.json").string());
  if (!old_report) return old_report.error();
  const auto& hashes = old_report->liabilities_sha256;
  if (std::find(hashes.begin(), hashes.end(), std::pair{pool.name, sha}) == hashes.end()) {
    return Error{"pool " + pool.name + ": liabilities changed since the recorded run"};
  }
  const auto recorded_pool = std::find_if(old_report->pools.begin(), old_report->pools.end(),
                                          [&pool](const PoolReport& p) { return p.name == pool.name; });
  if (recorded_pool != old_report->pools.end() && !recorded_pool->root) return false;
  const fs::path recorded_tree = recorded_run / "pools" / pool.name;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return Error{out + ": cannot create: " + ec.message()};
  for (const char* name : kTreeFiles) {
    fs::copy_file(recorded_tree / name, fs::path(out) / name, ec);
    if (ec) return Error{(recorded_tree / name).string() + ": cannot copy: " + ec.message()};
  }
  return true;
}

// Whether the rows of a liabilities file can make a tree at all (every amount parses, no column
// total past 2^128-1), read again after a build failed, to tell why it failed.
Status CheckLiabilitiesRows(const std::string& path, const std::vector<merkle::AssetSpec>& assets) {
  auto reader = merkle::LiabilitiesReader::Open(path, assets);
  if (!reader) return reader.error();
  merkle::LiabilityRow row;
  while (true) {
    auto more = reader->Next(row);
    if (!more) return more.error();
    if (!*more) return Status::Ok();
  }
}

// Builds every pool's tree, before the first request to a node. A pool whose liabilities cannot
// make a tree (a malformed row, a column past 2^128-1) is a check that could not be done: the
// report says so (ERROR), like main's other could-not-check cases. Any other failure (the output
// cannot be written: a full disk; a duplicate account id) ends the run with OUT as it was.
Status AttestRun::BuildTrees() {
  for (const ConfigPool& pool : config().pools) {
    PoolLiabilities built_pool;
    const std::string out = out_dir_ + "/pools/" + pool.name;
    auto sha = FileSha256(pool.liabilities_path);
    if (!sha) return Error{"pool " + pool.name + ": " + sha.error().message};
    liabilities_sha256_.emplace_back(pool.name, *sha);
    Progress("attest: building the tree of pool " + pool.name);
    Status built;
    bool reused = false;
    if (options_.replay_dir && !options_.nonce_key) {
      auto recorded = ReuseRecordedTree(pool, *sha, out);
      if (!recorded)
        built = recorded.error();
      else
        reused = *recorded;
    }
    if (built.ok() && !reused) {
      merkle::TreeBuildOptions tree;
      tree.liabilities_path = pool.liabilities_path;
      tree.assets = config().AssetSpecs();
      tree.out_dir = out;
      tree.pool = pool.name;
      if (options_.nonce_key) {
        // One key per pool, so an account id in two pools does not get the same nonce twice.
        tree.nonce_key = HmacSha256(*options_.nonce_key).Mac("segverify/pool/" + pool.name);
      }
      tree.progress = [this, &pool](std::string_view stage, std::uint64_t done, std::uint64_t total) {
        Work("pool " + pool.name + ": " + std::string(stage), done, total);
      };
      auto result = merkle::BuildTree(tree);
      if (!result) built = result.error();
    }
    if (built.ok()) {
      auto store = merkle::TreeStore::Open(out);
      if (store) {
        built_pool.root = store->root();
        built_pool.accounts = store->accounts();
      } else {
        built = store.error();
      }
    }
    if (!built.ok()) {
      if (CheckLiabilitiesRows(pool.liabilities_path, config().AssetSpecs()).ok()) {
        return Error{"pool " + pool.name + ": " + built.message()};
      }
      Problem problem = ProblemOf(built.error(), "", "pool " + pool.name + ": " + built.message());
      problem.kind = ProblemKind::kInput;
      problem.subject = pool.name;
      plan_.problems.push_back(std::move(problem));
    }
    plan_.liabilities.push_back(std::move(built_pool));
  }
  return Status::Ok();
}

// report.json, report.html and the public attestation (each pool's root in place of its
// liabilities file), into the staging directory.
Status AttestRun::WriteOutputs(const Report& done) const {
  std::vector<std::optional<merkle::PublishedRoot>> roots;
  for (const PoolLiabilities& pool : plan_.liabilities) roots.push_back(pool.root);
  if (Status s = WriteFileAtomic(out_dir_ + "/" + std::string(kAttestMarker), "segverify attest output\n"); !s)
    return s;
  if (Status s = WriteFileAtomic(out_dir_ + "/report.json", ReportToJson(done)); !s) return s;
  if (Status s = WriteFileAtomic(out_dir_ + "/report.html", ReportToHtml(done)); !s) return s;
  return WriteFileAtomic(out_dir_ + "/attestation.json", PublicAttestationToJson(config(), roots));
}

Result<Report> AttestRun::Run() {
  // OUT is replaced whole: only a directory an earlier attest marked, never one that holds
  // something else (`--out ~`, or a folder that happens to hold a report.json).
  if (Status s = CheckReplaceable(options_.out_dir, {kAttestMarker}, "--out"); !s) return s.error();
  if (Status s = CheckLiabilitiesHeaders(); !s) return s.error();
  auto staged = StagedDirectory::Create(options_.out_dir);
  if (!staged) return staged.error();
  out_dir_ = staged->path();
  std::error_code ec;
  fs::create_directories(out_dir_ + "/pools", ec);
  if (ec) return Error{out_dir_ + ": cannot create: " + ec.message()};
  if (Status s = SetUpTransports(); !s) return s.error();
  TestCrashPoint("staged");
  if (Status s = BuildTrees(); !s) return s.error();
  TestCrashPoint("trees");

  CheckEnvironment environment;
  environment.transports = transports_;
  environment.progress = [this](const std::string& line) { Progress("attest: " + line); };
  environment.work = options_.work;
  environment.checkpoint = TestCrashPoint;  // crash points for tests (common/test_hook.h)
  Report done = RunAttestationChecks(plan_, environment);
  done.config_sha256 = config().sha256;
  done.liabilities_sha256 = liabilities_sha256_;
  done.tool_version = options_.tool_version;

  if (evidence_) {
    if (Status s = evidence_->FirstFailure(); !s) return s.error();
  }
  if (Status s = WriteOutputs(done); !s) return s.error();
  TestCrashPoint("report");
  if (Status s = staged->Commit(); !s) return s.error();
  return done;
}

}  // namespace

Result<report::Report> RunAttestation(const AttestOptions& options) {
  auto config = LoadAttestationConfig(options.config_path);
  if (!config) return config.error();
  AttestRun run(options, std::move(*config));
  return run.Run();
}

}  // namespace segverify::attest
