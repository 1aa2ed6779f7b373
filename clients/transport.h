// HTTP transport behind a small interface, so that clients can be driven by a live node, by a
// recording decorator (evidence) or by a replay of a recording (offline re-verification).
//
// Contract for every Transport:
// - source() names the source WITHOUT secrets (clients/source_url.h SourceDisplay: "ethereum
//   source 2 (https://host:443)"); it names the source in errors and keys its evidence. The URL's
//   user-info, path, query and fragment never appear in source(), errors, logs or evidence.
// - Get/Post return an Error only when no HTTP answer was obtained (connection refused, deadline
//   passed, response over a size limit, not in the recording). Any HTTP answer, whatever its
//   status, is returned as an HttpResponse: callers judge the status (a 401 is a wrong answer, not
//   a connection error, and is never retried).
// - Implementations are safe to call from one thread at a time; the quorum gives every source its
//   own transport.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "common/result.h"

namespace segverify::clients {

struct HttpResponse {
  HttpResponse() = default;
  HttpResponse(int http_status, std::string answer_body, std::string answer_content_type = "")
      : status(http_status), body(std::move(answer_body)), content_type(std::move(answer_content_type)) {}

  int status = 0;
  std::string body;
  // The answer's Content-Type header as the node sent it ("text/html; charset=utf-8"); empty when
  // it sent none, or the answer comes from a recording made before it was kept.
  std::string content_type;
};

// How one request may be handled beyond the transport's defaults.
struct RequestTerms {
  // False for a request that starts work on the node (Bitcoin Core's `scantxoutset start`,
  // `scanblocks start`): it is sent at most once and never retried, whatever happens.
  bool idempotent = true;
  // This request's total deadline instead of the transport's.
  std::optional<std::chrono::milliseconds> deadline;
  // The node sends nothing until it is done (a UTXO or block-filter scan): no stall limit, only
  // the deadline.
  bool silent_until_done = false;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // How the source is shown, e.g. "bitcoin source 1 (http://127.0.0.1:8332)".
  virtual const std::string& source() const = 0;

  // `path` is relative to the source URL's path ("/" for JSON-RPC, "/block-height/5" for REST).
  [[nodiscard]] virtual Result<HttpResponse> Get(const std::string& path) = 0;
  // POSTs `body` as application/json.
  [[nodiscard]] virtual Result<HttpResponse> Post(const std::string& path, const std::string& body) = 0;
  // `text` the node sent (an error message it wants shown) without anything of this source's
  // URL and credentials in it (source_url.h ScrubSecrets): a node can echo the URL it was asked
  // on or the Authorization header. Transports that know no URL return it as it is.
  virtual std::string WithoutSecrets(std::string text) const { return text; }

  // A second connection to the same node for requests that only watch work in progress (Bitcoin
  // Core's `status` while this run's scan `start` is still waiting for its answer), usable from
  // another thread at the same time as this one. Its exchanges are not evidence: they bear on no
  // verdict, and how many there are depends on timing, so a replay could not repeat them. nullptr
  // where no live node is behind the transport (a replay, test doubles): nothing is watched.
  virtual std::unique_ptr<Transport> Watcher() const { return nullptr; }

  // POST on `terms`. Transports without deadlines or retries (a replay, test doubles) answer it
  // as Post.
  [[nodiscard]] virtual Result<HttpResponse> PostWithTerms(const std::string& path, const std::string& body,
                                                           const RequestTerms& terms) {
    (void)terms;
    return Post(path, body);
  }
};

}  // namespace segverify::clients
