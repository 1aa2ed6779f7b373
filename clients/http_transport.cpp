// The only file that includes curl/curl.h (STYLE: one HTTP client behind the Transport interface).
#include "clients/http_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "clients/ascii.h"
#include "clients/node_text.h"

namespace segverify::clients {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kWatchTimeout{std::chrono::seconds(5)};  // one request of a Watcher()

// libcurl's global state is set up once, before any handle exists (it is not thread-safe).
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The proxy for a scheme, from the environment as curl and most tools read it: HTTPS_PROXY or
// https_proxy for https, HTTP_PROXY or http_proxy for http (libcurl itself ignores the upper-case
// HTTP_PROXY, a CGI concern that does not apply to a command-line tool); NO_PROXY / no_proxy lists
// the hosts reached directly.
struct ProxySettings {
  std::string proxy;     // "" = connect directly
  std::string no_proxy;  // curl's CURLOPT_NOPROXY syntax
};

std::string Env(const char* upper, const char* lower) {
  for (const char* name : {upper, lower}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "";
}

ProxySettings ProxyFromEnvironment(const std::string& scheme) {
  ProxySettings out;
  out.proxy = scheme == "https" ? Env("HTTPS_PROXY", "https_proxy") : Env("HTTP_PROXY", "http_proxy");
  out.no_proxy = Env("NO_PROXY", "no_proxy");
  return out;
}

// What one try of a request gave.
struct Attempt {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string retry_after;                               // the Retry-After header of the last response, if any
  std::string content_type;                              // the Content-Type header of the response, if any
  std::string why;                                       // set when one of our own limits ended the transfer
  ProblemKind why_kind = ProblemKind::kMalformedAnswer;  // which problem `why` is
  std::size_t header_bytes = 0;
  Clock::time_point last_byte;
  milliseconds deadline{0};     // what was left of the request's deadline when this try began
  milliseconds elapsed{0};      // how long this try took
  milliseconds stall_limit{0};  // 0: none
  std::size_t max_header_bytes = 0;
  std::size_t max_body_bytes = 0;
  char error_text[CURL_ERROR_SIZE] = {};
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const std::size_t n = size * count;
  attempt->last_byte = Clock::now();
  attempt->header_bytes += n;
  if (attempt->header_bytes > attempt->max_header_bytes) {
    attempt->why = "response headers larger than " + std::to_string(attempt->max_header_bytes) + " bytes";
    return 0;
  }
  const std::string_view line(data, n);
  if (line.substr(0, 5) == "HTTP/") attempt->retry_after.clear();  // a new response begins
  constexpr std::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size() && AsciiLower(line.substr(0, kRetryAfter.size())) == kRetryAfter) {
    std::string_view value = line.substr(kRetryAfter.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    attempt->retry_after = std::string(value.substr(0, 64));
  }
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const std::size_t n = size * count;
  attempt->last_byte = Clock::now();
  if (attempt->body.size() + n > attempt->max_body_bytes) {
    attempt->why = "response larger than " + std::to_string(attempt->max_body_bytes) + " bytes";
    return 0;
  }
  attempt->body.append(data, n);
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* attempt = static_cast<Attempt*>(user);
  if (attempt->stall_limit.count() > 0 && Clock::now() - attempt->last_byte > attempt->stall_limit) {
    attempt->why = "no data from the node for " + DurationText(attempt->stall_limit);
    attempt->why_kind = ProblemKind::kTimedOut;
    return 1;
  }
  return 0;
}

// Failures where the request may not have reached the node, or its answer was lost on the way:
// worth another try for an idempotent request. Deadlines, our own limits, TLS verification and
// name resolution are not (they would fail the same way).
bool IsLostConnection(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

// Seconds to wait from a Retry-After value: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
std::optional<milliseconds> RetryAfterDelay(const std::string& value) {
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 7) return milliseconds(std::chrono::hours(24 * 100));  // absurd: over any budget
    return milliseconds(std::stol(value) * 1000);
  }
  const std::time_t when = curl_getdate(value.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const std::time_t now = std::time(nullptr);
  return milliseconds(std::max<std::time_t>(0, when - now) * 1000);
}

class CurlTransport final : public Transport {
 public:
  CurlTransport(SourceUrl url, std::string display, HttpOptions options)
      : url_(std::move(url)),
        display_(std::move(display)),
        options_(std::move(options)),
        proxy_(ProxyFromEnvironment(url_.scheme)),
        handle_(curl_easy_init()) {
    const std::size_t query = url_.path_and_query.find('?');
    base_path_ = url_.path_and_query.substr(0, query);
    base_query_ = query == std::string::npos ? "" : url_.path_and_query.substr(query);
    if (auto proxy = ParseSourceUrl(proxy_.proxy)) proxy_url_ = std::move(*proxy);
  }
  ~CurlTransport() override {
    if (handle_ != nullptr) curl_easy_cleanup(handle_);
  }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  const std::string& source() const override { return display_; }
  std::string WithoutSecrets(std::string text) const override {
    return ScrubSecrets(ScrubSecrets(std::move(text), url_), proxy_url_);
  }
  Result<HttpResponse> Get(const std::string& path) override { return Send(false, path, "", RequestTerms{}); }
  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    return Send(true, path, body, RequestTerms{});
  }
  Result<HttpResponse> PostWithTerms(const std::string& path, const std::string& body,
                                     const RequestTerms& terms) override {
    return Send(true, path, body, terms);
  }
  // Watching is best effort: short requests, never retried, so that stopping a watcher never waits
  // long for a node that stopped answering.
  std::unique_ptr<Transport> Watcher() const override {
    HttpOptions quick = options_;
    quick.timeout = std::min(options_.timeout, kWatchTimeout);
    quick.max_retries = 0;
    quick.connection_retries = 0;
    return std::make_unique<CurlTransport>(url_, display_, std::move(quick));
  }

 private:
  Result<HttpResponse> Send(bool post, const std::string& path, const std::string& body, const RequestTerms& terms);
  void RunAttempt(bool post, const std::string& path, const std::string& body, const RequestTerms& terms,
                  milliseconds left, Attempt& attempt);
  std::string UrlFor(const std::string& path) const;
  std::string Describe(const Attempt& attempt, milliseconds deadline) const;
  static ProblemKind KindOf(const Attempt& attempt);

  SourceUrl url_;
  std::string display_;
  HttpOptions options_;
  ProxySettings proxy_;
  SourceUrl proxy_url_;  // parsed proxy, only to scrub its credentials from messages
  std::string base_path_;
  std::string base_query_;
  CURL* handle_;
};

// The request URL: the source's path, then the client's path, then the source's query (an API
// key as ?key=... stays a query). JSON-RPC posts to "/": a provider URL with a path
// (".../v3/<key>") is used exactly as given, without a trailing slash added.
std::string CurlTransport::UrlFor(const std::string& path) const {
  std::string full = base_path_;
  if (!(path == "/" && !base_path_.empty())) full += path;
  if (full.empty()) full = "/";
  return url_.scheme + "://" + url_.host + ":" + std::to_string(url_.port) + full + base_query_;
}

void CurlTransport::RunAttempt(bool post, const std::string& path, const std::string& body, const RequestTerms& terms,
                               milliseconds left, Attempt& attempt) {
  const milliseconds deadline = std::max(left, milliseconds(1));
  attempt.deadline = deadline;
  const Clock::time_point started = Clock::now();
  attempt.last_byte = started;
  attempt.stall_limit = terms.silent_until_done ? milliseconds(0) : options_.stall_limit;
  attempt.max_header_bytes = options_.max_header_bytes;
  attempt.max_body_bytes = options_.max_response_bytes;

  CURL* h = handle_;
  curl_easy_reset(h);  // options only: the connection and TLS session stay cached for reuse
  const std::string url = UrlFor(path);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(deadline.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(deadline, options_.connect_timeout).count()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, attempt.error_text);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);  // only the given CAs, not the system directory too
  }
  curl_easy_setopt(h, CURLOPT_PROXY, proxy_.proxy.c_str());
  if (!proxy_.no_proxy.empty()) curl_easy_setopt(h, CURLOPT_NOPROXY, proxy_.no_proxy.c_str());
  if (url_.has_userinfo) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(h, CURLOPT_USERNAME, url_.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, url_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &attempt);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &attempt);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &attempt);
  curl_slist* headers = nullptr;
  if (post) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip for large batches
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  attempt.code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &attempt.status);
  // libcurl keeps the last response's Content-Type (nullptr when there was none).
  const char* content_type = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type != nullptr) {
    attempt.content_type = content_type;
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  attempt.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
}

// Which problem a failed try is: no answer in time, an answer over a limit or unreadable, or no
// answer at all.
ProblemKind CurlTransport::KindOf(const Attempt& attempt) {
  switch (attempt.code) {
    case CURLE_OPERATION_TIMEDOUT:
      // Nothing received well before the deadline: the connect timeout, no connection at all.
      if (attempt.header_bytes == 0 && attempt.elapsed + milliseconds(500) < attempt.deadline) {
        return ProblemKind::kUnreachable;
      }
      return ProblemKind::kTimedOut;
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_WRITE_ERROR:
      return attempt.why.empty() ? ProblemKind::kUnreachable : attempt.why_kind;
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_BAD_CONTENT_ENCODING:
      return ProblemKind::kMalformedAnswer;
    case CURLE_OUT_OF_MEMORY:
      return attempt.header_bytes > 0 ? ProblemKind::kMalformedAnswer : ProblemKind::kUnreachable;
    default:
      return ProblemKind::kUnreachable;
  }
}

// One line on why a try failed, naming the limit that ended it. The HTTP library's own text is
// added with the URL's secrets removed and control characters escaped.
std::string CurlTransport::Describe(const Attempt& attempt, milliseconds deadline) const {
  std::string detail = ShowNodeText(WithoutSecrets(attempt.error_text));
  if (detail.empty()) detail = curl_easy_strerror(attempt.code);
  switch (attempt.code) {
    case CURLE_OPERATION_TIMEDOUT:
      // Ended well before the request's deadline with nothing received: the connect timeout
      // (TCP and TLS handshake; e.g. https spoken to a plain-HTTP port), named as such.
      if (attempt.header_bytes == 0 && attempt.elapsed + milliseconds(500) < attempt.deadline) {
        return "no connection within the connect timeout of " +
               DurationText(std::min(attempt.deadline, options_.connect_timeout)) + " (" + detail + ")";
      }
      return "no complete answer within the deadline of " + DurationText(deadline) + " (" + detail + ")";
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_WRITE_ERROR:
      return attempt.why.empty() ? "transfer aborted (" + detail + ")" : attempt.why;
    case CURLE_FILESIZE_EXCEEDED:
      return "response larger than " + std::to_string(options_.max_response_bytes) + " bytes";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return "TLS certificate not accepted (" + detail + ")";
    case CURLE_SSL_CONNECT_ERROR:
      return "TLS handshake failed (" + detail + ")";
    case CURLE_BAD_CONTENT_ENCODING:
      return "malformed compressed answer (" + detail + ")";
    case CURLE_OUT_OF_MEMORY:
      // libcurl refuses a header line over its own limit (CURL_MAX_HTTP_HEADER, 100 KiB) this way.
      if (attempt.header_bytes > 0) return "response header line too long (over 100 KiB)";
      return "cannot reach the node (" + detail + ")";
    default:
      return "cannot reach the node (" + detail + ")";
  }
}

Result<HttpResponse> CurlTransport::Send(bool post, const std::string& path, const std::string& body,
                                         const RequestTerms& terms) {
  if (handle_ == nullptr) return Error{display_ + ": cannot create an HTTP client", ProblemKind::kInternal};
  // The deadline bounds the request with all its tries and waits (a node answering 429 forever,
  // or resetting after a slow answer, cannot stretch it): each try gets what is left.
  const milliseconds deadline = terms.deadline.value_or(options_.timeout);
  Clock::time_point end = Clock::now() + deadline;
  const bool run_ends_first = options_.run_deadline && *options_.run_deadline < end;
  if (run_ends_first) end = *options_.run_deadline;
  const std::string run_over = display_ + ": not done: the run's deadline (" + options_.run_deadline_text + ") passed";
  if (run_ends_first && Clock::now() >= end) return Error{run_over, ProblemKind::kTimedOut};
  const auto left = [&] { return std::chrono::duration_cast<milliseconds>(end - Clock::now()); };
  int status_retries = 0;
  int connection_retries = 0;
  milliseconds waited{0};
  milliseconds connection_backoff = options_.connection_backoff;
  while (true) {
    Attempt attempt;
    RunAttempt(post, path, body, terms, left(), attempt);
    if (attempt.code != CURLE_OK) {
      // Retried only when no byte of the answer had arrived (the request may not have reached the
      // node); an answer broken off half-way is not asked again.
      const bool nothing_received = attempt.header_bytes == 0 && attempt.body.empty();
      if (terms.idempotent && IsLostConnection(attempt.code) && nothing_received &&
          connection_retries < options_.connection_retries && left() > connection_backoff) {
        ++connection_retries;
        std::this_thread::sleep_for(connection_backoff);
        connection_backoff *= 2;
        continue;
      }
      // A try cut by the run's deadline: the HTTP library counts whole milliseconds on its own
      // clock and may stop a hair before `end`, which is still the run's deadline, not the request's.
      const bool cut_by_run = attempt.code == CURLE_OPERATION_TIMEDOUT && Clock::now() + milliseconds(50) >= end;
      if (run_ends_first && (Clock::now() >= end || cut_by_run)) return Error{run_over, ProblemKind::kTimedOut};
      return Error{display_ + ": " + Describe(attempt, deadline), KindOf(attempt)};
    }
    const int status = static_cast<int>(attempt.status);
    if ((status == 429 || status == 503) && terms.idempotent) {
      const std::string what =
          "HTTP " + std::to_string(status) + (status == 429 ? " (too many requests)" : " (unavailable)");
      if (status_retries >= options_.max_retries) {
        return Error{display_ + ": " + what + " after " + std::to_string(status_retries) + " retries",
                     ProblemKind::kRefusedByNode};
      }
      const milliseconds wait =
          RetryAfterDelay(attempt.retry_after).value_or(options_.first_backoff * (1 << status_retries));
      if (waited + wait > options_.retry_budget) {
        return Error{display_ + ": " + what + "; waiting " + DurationText(wait) + " more would pass the " +
                         DurationText(options_.retry_budget) + " retry limit",
                     ProblemKind::kRefusedByNode};
      }
      if (wait >= left()) {
        return Error{display_ + ": " + what + " after " + std::to_string(status_retries) + " retries; waiting " +
                         DurationText(wait) + " more would pass the deadline of " + DurationText(deadline),
                     ProblemKind::kRefusedByNode};
      }
      std::this_thread::sleep_for(wait);
      waited += wait;
      ++status_retries;
      continue;
    }
    return HttpResponse{status, std::move(attempt.body), std::move(attempt.content_type)};
  }
}

}  // namespace

std::string DurationText(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

Result<std::unique_ptr<Transport>> MakeHttpTransport(std::string_view url, const std::string& auth,
                                                     const HttpOptions& options, std::string_view label) {
  const std::string shown = label.empty() ? std::string("source URL") : std::string(label);
  auto parsed = ParseSourceUrl(url);
  if (!parsed) return Error{shown + ": " + parsed.error().message};
  if (!auth.empty()) {
    const std::size_t colon = auth.find(':');
    parsed->user = auth.substr(0, colon);
    parsed->password = colon == std::string::npos ? "" : auth.substr(colon + 1);
    parsed->has_userinfo = true;
  }
  InitCurlOnce();
  std::string display = SourceDisplay(label, url);
  std::unique_ptr<Transport> transport =
      std::make_unique<CurlTransport>(std::move(*parsed), std::move(display), options);
  return transport;
}

}  // namespace segverify::clients
