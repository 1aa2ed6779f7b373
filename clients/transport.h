// HTTP transport behind a small interface, so that clients can be driven by a live node, by a
// recording decorator (evidence) or by a replay of a recording (offline re-verification).
//
// Contract for every Transport:
// - source() is the URL of the node WITHOUT credentials; it names the source in errors and in
//   evidence. Credentials (basic auth) never appear in source(), errors, logs or evidence.
// - Get/Post return an Error only when no HTTP answer was obtained (connection refused, timeout,
//   response over the size limit, not in the recording). Any HTTP answer, whatever its status, is
//   returned as an HttpResponse: callers judge the status (a 401 is a wrong answer, not a
//   connection error, and is never retried).
// - Implementations are safe to call from one thread at a time; the quorum gives every source its
//   own transport.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"

namespace segverify::clients {

struct HttpResponse {
  int status = 0;
  std::string body;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // The node's URL without credentials, e.g. "http://127.0.0.1:8332".
  virtual const std::string& source() const = 0;

  // `path` is relative to the source URL's path ("/" for JSON-RPC, "/block-height/5" for REST).
  [[nodiscard]] virtual Result<HttpResponse> Get(const std::string& path) = 0;
  // POSTs `body` as application/json.
  [[nodiscard]] virtual Result<HttpResponse> Post(const std::string& path, const std::string& body) = 0;
};

}  // namespace segverify::clients
