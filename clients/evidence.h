// Evidence: every request sent to a node and its raw answer, as JSON lines, so that a verdict can
// be re-checked offline (attest --replay) and audited.
//
// Layout: one file per source in the evidence directory, "<dir>/<sanitised source>.jsonl.gz"
// ("ethereum_source_1_http_127.0.0.1_8545.jsonl.gz"), gzip (RFC 1952, zlib): each exchange is one
// complete gzip member appended to the file, so a run that stops half-way leaves every recorded
// exchange readable, and `zcat` shows the JSON lines. Plain "*.jsonl" files (recordings made before
// evidence was compressed) are still read. Each line is
//   {"source":"ethereum source 1 (http://127.0.0.1:8545)","http":"POST","path":"/","method":"eth_getBalance",
//    "params":[...],"request":"<body text>","status":200,"response":"<raw body text>","time":"..."}
// `method`/`params` are informative (the JSON-RPC method, "batch" for a batch, or the GET path);
// replay matches on (source, http, path, request) only. "time" is the only field that differs
// between two runs against the same node, and nothing downstream reads it, so a replay yields
// byte-identical reports. Secrets are never written: `source` is how the source is shown
// (clients/source_url.h SourceDisplay), and `path` is the client's path (the URL's own path, which
// may hold an API key, is not in it).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "clients/transport.h"
#include "common/result.h"

namespace segverify::clients {

// What one source's exchanges may take in the evidence directory, counted as JSON lines before
// compression: a replay holds every recorded answer in memory, so the bound is on what it will
// inflate to, not on the (much smaller) bytes on disk. A file that inflates past it is refused.
inline constexpr std::uint64_t kMaxEvidenceBytesPerSource = 256ull << 20;
// ...raised by what the run asks: a proven Ethereum read of one address is an account proof and a
// storage proof per token (~4 KB each on mainnet, ~2.2x that as JSON), so a 100,000-address
// attestation records ~1.5 GB per source. The bound follows the config, never the node.
inline constexpr std::uint64_t kEvidenceBytesPerAddress = 64ull << 10;
// The cap for a run of `addresses` addresses (pool and firm, every chain).
inline std::uint64_t EvidenceBytesPerSource(std::uint64_t addresses) {
  return kMaxEvidenceBytesPerSource + addresses * kEvidenceBytesPerAddress;
}

// The JSON lines of one evidence file, gzip or plain (docs/FORMAT.md §Evidence directory).
// Errors: not a regular file, unreadable, corrupt gzip, or more than kMaxEvidenceBytesPerSource
// once inflated (a small file that would inflate to gigabytes is refused, not inflated).
[[nodiscard]] Result<std::string> ReadEvidenceFile(const std::string& path,
                                                   std::uint64_t max_bytes = kMaxEvidenceBytesPerSource);

// Appends evidence lines; shared by the recording transports of all sources (thread-safe).
class EvidenceLog {
 public:
  // Creates `dir` if needed. Existing files for a source are appended to.
  // `max_bytes_per_source`: the cap (EvidenceBytesPerSource of the run's addresses).
  [[nodiscard]] static Result<std::shared_ptr<EvidenceLog>> Open(
      const std::string& dir, std::uint64_t max_bytes_per_source = kMaxEvidenceBytesPerSource);

  // Appends one exchange, compressed. Fails if the file cannot be written, or when the source's
  // evidence would pass kMaxEvidenceBytesPerSource (counting what the file already held). A node
  // padding every answer to just under the body cap once wrote 961 MB in 12 s when evidence was
  // stored raw; compressed, such padding takes about a thousandth of that on disk. Callers must
  // fail closed: a verdict whose evidence could not be stored is not reproducible.
  [[nodiscard]] Status Append(const std::string& source, const std::string& http_method, const std::string& path,
                              const std::string& request_body, const HttpResponse& response);

  const std::string& dir() const { return dir_; }

  // The first Append that failed, if any. The transport turns such a failure into a source error,
  // but a caller that keeps the evidence (attest) checks here too: a recording with a hole in it
  // must never be published beside a verdict.
  [[nodiscard]] Status FirstFailure();

 private:
  EvidenceLog(std::string dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}
  std::string dir_;
  std::uint64_t max_bytes_;
  std::mutex mutex_;
  std::string first_failure_;
  std::map<std::string, std::uint64_t> written_;  // bytes appended per file by this log
};

// Forwards to `inner` and records every answered exchange in `log`. A failed recording turns the
// answer into an Error.
std::unique_ptr<Transport> MakeRecordingTransport(std::unique_ptr<Transport> inner, std::shared_ptr<EvidenceLog> log);

// A loaded recording. Identical requests are answered in the order they were recorded; asking
// more often than recorded, or anything not recorded, is Error "... not in the recording".
class EvidenceReplay {
 public:
  // Reads every *.jsonl.gz (and plain *.jsonl) file in `dir`. Malformed lines are errors naming
  // file and line.
  // `max_bytes_per_source`: as the recording's (EvidenceBytesPerSource of the run's addresses).
  [[nodiscard]] static Result<std::shared_ptr<EvidenceReplay>> Load(
      const std::string& dir, std::uint64_t max_bytes_per_source = kMaxEvidenceBytesPerSource);

  // Next recorded answer for this request (consumes it).
  [[nodiscard]] Result<HttpResponse> Answer(const std::string& source, const std::string& http_method,
                                            const std::string& path, const std::string& request_body);

 private:
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::mutex mutex_;
  std::map<Key, std::deque<HttpResponse>> answers_;
};

// A transport answering from `replay` as if it were the source shown as `source_display`
// (SourceDisplay of its label and URL).
std::unique_ptr<Transport> MakeReplayTransport(std::string source_display, std::shared_ptr<EvidenceReplay> replay);

}  // namespace segverify::clients
