// The live Transport: HTTP and HTTPS on libcurl (docs/DESIGN.md §Node transport).
//
// Every request is bounded: a total deadline (connect, send, every byte of the answer, and every
// retry and wait after the first try: timeout_s is the request's whole time), a stall
// limit (no byte for `stall_limit` ends it), at most `max_header_bytes` of response headers and
// `max_response_bytes` of body after gzip decoding (a gzip bomb ends at the cap). https verifies
// the certificate chain and the host name against the system CA store or `ca_file`; nothing turns
// that off. Redirects are not followed (a 3xx is returned as an answer and judged wrong by the
// clients). HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or their lower-case forms) are honoured.
//
// Retries, for idempotent requests only (RequestTerms::idempotent): HTTP 429 and 503 are retried
// after Retry-After (seconds or an HTTP date), else after 1, 2, 4, ... s, at most `max_retries`
// times, `retry_budget` of waiting per request and never past the deadline; a connection that
// fails before any byte of the answer arrived is retried `connection_retries` times (one that
// broke off after part of the answer is not). A non-idempotent request is sent exactly once.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "clients/source_url.h"
#include "clients/transport.h"
#include "common/result.h"

namespace segverify::clients {

struct HttpOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  // one request, all its tries and waits
  std::chrono::milliseconds stall_limit{std::chrono::seconds(30)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};  // within `timeout`
  std::size_t max_header_bytes = 64u << 10;
  std::size_t max_response_bytes = 64u << 20;  // a longer answer is an error, not truncated
  int max_retries = 5;                         // 429/503
  std::chrono::milliseconds retry_budget{std::chrono::seconds(120)};
  std::chrono::milliseconds first_backoff{std::chrono::seconds(1)};  // 429/503 without Retry-After
  int connection_retries = 2;
  std::chrono::milliseconds connection_backoff{250};  // doubled after each failed connection
  std::string ca_file;  // PEM file of the CAs to trust instead of the system store; "" = system
  // The whole run's deadline (`attest --deadline`): no request is sent after it, and none runs
  // past it. `run_deadline_text` names it in errors ("--deadline 4 h").
  std::optional<std::chrono::steady_clock::time_point> run_deadline;
  std::string run_deadline_text;
};

// "60 s", "1.5 s": a deadline as messages show it.
std::string DurationText(std::chrono::milliseconds duration);

// Creates a live transport for `url`, shown as SourceDisplay(label, url). `auth` ("user:pass"),
// when not empty, replaces the URL's user-info. Fails on a malformed URL (without echoing it).
[[nodiscard]] Result<std::unique_ptr<Transport>> MakeHttpTransport(std::string_view url, const std::string& auth,
                                                                   const HttpOptions& options = {},
                                                                   std::string_view label = "");

}  // namespace segverify::clients
