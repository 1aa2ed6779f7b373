#include "verifier/server/status_server.h"

#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdarg>
#include <cstring>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "verifier/server/proof_request.h"
#include "verifier/server/report_directory.h"

namespace segverify::server {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kVerifyProofPath = "/api/verify-proof";
// index.html loads only its own scripts and styles and talks only to its own origin.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// report.html is self-contained: its only style is inline, it has no scripts.
constexpr const char* kReportPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
constexpr int kListenBacklog = 4096;

std::string JsonError(std::string_view message) {
  std::string out = "{\"error\":\"";
  for (char c : message) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"}";
}

// If-None-Match: a list of entity tags (weak or strong) or "*".
bool MatchesEtag(const char* header, const std::string& etag) {
  if (header == nullptr) return false;
  std::string_view list = header;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view tag = list.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

void AddCommonHeaders(MHD_Response* response) {
  MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
}

void AllowAnyOrigin(MHD_Response* response) {
  MHD_add_response_header(response, "Access-Control-Allow-Origin", "*");
  MHD_add_response_header(response, "Access-Control-Expose-Headers", "ETag");
}

MHD_Response* CopyResponse(std::string_view body, const char* content_type) {
  MHD_Response* response =
      MHD_create_response_from_buffer(body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return nullptr;
  if (content_type != nullptr) MHD_add_response_header(response, "Content-Type", content_type);
  AddCommonHeaders(response);
  return response;
}

// The responses for one site, built once per report change and queued by every request (MHD
// counts references, so a response still being sent outlives the set that made it).
class SiteResponses {
 public:
  explicit SiteResponses(std::shared_ptr<const Site> site) : site_(std::move(site)) {
    for (const SiteFile& file : site_->files) {
      Entry entry;
      entry.etag = EtagFor(file.content);
      entry.full = CopyResponse(file.content, file.content_type.c_str());
      entry.not_modified = CopyResponse("", nullptr);
      for (MHD_Response* response : {entry.full, entry.not_modified}) {
        if (response == nullptr) continue;
        MHD_add_response_header(response, "ETag", entry.etag.c_str());
        MHD_add_response_header(response, "Cache-Control", "no-cache");
        if (file.any_origin) AllowAnyOrigin(response);
      }
      if (entry.full != nullptr && file.name == "index.html") {
        MHD_add_response_header(entry.full, "Content-Security-Policy", kPagePolicy);
        MHD_add_response_header(entry.full, "X-Frame-Options", "DENY");
      } else if (entry.full != nullptr && file.name == "report.html") {
        MHD_add_response_header(entry.full, "Content-Security-Policy", kReportPolicy);
      }
      entries_.emplace("/" + file.name, std::move(entry));
    }
    Alias("/", "/index.html");
    Alias("/api/status", "/status.json");
    Alias("/api/roots", "/roots.json");
  }
  ~SiteResponses() {
    for (auto& [path, entry] : entries_) {
      if (entry.owner && entry.full != nullptr) MHD_destroy_response(entry.full);
      if (entry.owner && entry.not_modified != nullptr) MHD_destroy_response(entry.not_modified);
    }
  }
  SiteResponses(const SiteResponses&) = delete;
  SiteResponses& operator=(const SiteResponses&) = delete;

  const Site& site() const { return *site_; }
  const std::shared_ptr<const Site>& site_ptr() const { return site_; }

  struct Entry {
    MHD_Response* full = nullptr;
    MHD_Response* not_modified = nullptr;
    std::string etag;
    bool owner = true;
  };
  const Entry* Find(std::string_view path) const {
    auto it = entries_.find(path);
    return it == entries_.end() ? nullptr : &it->second;
  }
  bool IsOpenPath(std::string_view path) const {
    const Entry* entry = Find(path);
    if (entry == nullptr) return false;
    const SiteFile* file = site_->Find(path.substr(1));
    return (file != nullptr && file->any_origin) || path == "/api/status" || path == "/api/roots";
  }

 private:
  void Alias(const std::string& alias, const std::string& target) {
    auto it = entries_.find(target);
    if (it == entries_.end()) return;
    Entry copy = it->second;
    copy.owner = false;
    entries_.emplace(alias, std::move(copy));
  }

  std::shared_ptr<const Site> site_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// A proof body being received (POST /api/verify-proof).
struct RequestBody {
  std::string bytes;
  std::size_t reserved = 0;  // bytes counted against the in-flight budget
  bool over_budget = false;
  std::size_t dropped = 0;  // bytes of a body over the limit read and not kept (answered 413)
};

// The request state of a GET, HEAD or OPTIONS between MHD's first and second call.
char kBodilessRequest = 0;

void DiscardLog(void*, const char*, va_list) {}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes the request path in place (MHD's own decoder, but a %00 or a malformed escape
// makes the path one that no route has, instead of a C string cut short at the NUL).
std::size_t UnescapePath(void*, MHD_Connection*, char* text) {
  std::size_t out = 0;
  for (std::size_t in = 0; text[in] != '\0'; ++in) {
    char c = text[in];
    if (c == '%') {
      const int high = HexValue(text[in + 1]);
      const int low = high < 0 ? -1 : HexValue(text[in + 2]);
      if (low < 0 || (high == 0 && low == 0)) {
        std::strcpy(text, "\x7f");  // no route
        return 1;
      }
      c = static_cast<char>(high * 16 + low);
      in += 2;
    }
    text[out++] = c;
  }
  text[out] = '\0';
  return out;
}

Result<int> BindListener(const std::string& bind, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(bind.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
    return Error{"--bind " + bind + ": not a numeric IPv4 or IPv6 address"};
  }
  const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (fd < 0) {
    ::freeaddrinfo(found);
    return Error{"cannot create a socket: " + std::string(std::strerror(errno))};
  }
  // SO_REUSEADDR lets a restart bind past TIME_WAIT; without SO_REUSEPORT a second live server on
  // the same port is refused (EADDRINUSE) instead of sharing it.
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (found->ai_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  const bool bound = ::bind(fd, found->ai_addr, found->ai_addrlen) == 0;
  const int bind_errno = errno;
  ::freeaddrinfo(found);
  if (!bound) {
    ::close(fd);
    const std::string where = bind + ":" + std::to_string(port);
    if (bind_errno == EADDRINUSE) return Error{"cannot listen on " + where + ": the port is already in use"};
    return Error{"cannot listen on " + where + ": " + std::string(std::strerror(bind_errno))};
  }
  if (::listen(fd, kListenBacklog) != 0) {
    const int listen_errno = errno;
    ::close(fd);
    return Error{"cannot listen on " + bind + ":" + std::to_string(port) + ": " + std::strerror(listen_errno)};
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

}  // namespace

std::size_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? (1u << 20) : static_cast<std::size_t>(limit.rlim_cur);
}

using Clock = std::chrono::steady_clock;

// Where a connection is in its current request, and since when (ServerOptions: head_timeout,
// body_timeout). MHD's own timeout is an idle timeout, which every byte resets; these are not.
struct ConnectionClock {
  enum class Phase { kHead, kBody, kAnswering };
  int fd = -1;
  Phase phase = Phase::kHead;
  Clock::time_point since;
};

// Calls `count` for each request header named Content-Length: a request with two different ones
// is ambiguous (which one frames the body depends on who reads it), so it is refused.
struct ContentLengths {
  const char* first = nullptr;
  bool conflicting = false;
};
MHD_Result NoteContentLength(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* lengths = static_cast<ContentLengths*>(cls);
  if (key == nullptr || value == nullptr || ::strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) != 0) return MHD_YES;
  if (lengths->first == nullptr) {
    lengths->first = value;
  } else if (std::strcmp(lengths->first, value) != 0) {
    lengths->conflicting = true;
  }
  return MHD_YES;
}

struct StatusServer::Impl {
  ServerOptions options;
  std::unique_ptr<ReportDirectory> reports;
  int listen_fd = -1;
  int port = 0;
  std::size_t connection_cap = 0;
  MHD_Daemon* daemon = nullptr;

  std::mutex responses_mutex;
  std::shared_ptr<const SiteResponses> responses;  // for the site reports->Current() last gave
  std::atomic<std::size_t> bodies_in_flight{0};

  std::mutex run_mutex;
  std::condition_variable run_cv;
  bool stop_requested = false;

  std::mutex clocks_mutex;
  std::unordered_map<MHD_Connection*, ConnectionClock> clocks;

  // Fixed answers, made once.
  MHD_Response* not_found = nullptr;
  MHD_Response* method_not_allowed = nullptr;
  MHD_Response* too_large = nullptr;
  MHD_Response* bad_request = nullptr;
  MHD_Response* busy = nullptr;
  MHD_Response* preflight_open = nullptr;
  MHD_Response* preflight_closed = nullptr;

  ~Impl() {
    for (MHD_Response* r :
         {not_found, method_not_allowed, too_large, bad_request, busy, preflight_open, preflight_closed}) {
      if (r != nullptr) MHD_destroy_response(r);
    }
    if (listen_fd >= 0) ::close(listen_fd);
  }

  void MakeFixedResponses();
  std::shared_ptr<const SiteResponses> CurrentResponses();
  MHD_Result Handle(MHD_Connection* connection, const char* url, const char* method, const char* upload_data,
                    std::size_t* upload_data_size, void** request_state);
  MHD_Result ServeFile(MHD_Connection* connection, std::string_view path);
  MHD_Result AnswerProof(MHD_Connection* connection, RequestBody& body);
  void Completed(void* request_state);
  void EnterPhase(MHD_Connection* connection, ConnectionClock::Phase phase);
  void CloseLateConnections();

  static void OnConnection(void* cls, MHD_Connection* connection, void**, MHD_ConnectionNotificationCode code) {
    auto* impl = static_cast<Impl*>(cls);
    std::lock_guard lock(impl->clocks_mutex);
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
      impl->clocks.erase(connection);
      return;
    }
    const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    impl->clocks[connection] = {info != nullptr ? info->connect_fd : -1, ConnectionClock::Phase::kHead, Clock::now()};
  }

  static MHD_Result OnRequest(void* cls, MHD_Connection* connection, const char* url, const char* method,
                              const char* /*version*/, const char* upload_data, std::size_t* upload_data_size,
                              void** request_state) {
    return static_cast<Impl*>(cls)->Handle(connection, url, method, upload_data, upload_data_size, request_state);
  }
  static void OnCompleted(void* cls, MHD_Connection* connection, void** request_state, MHD_RequestTerminationCode) {
    auto* impl = static_cast<Impl*>(cls);
    impl->Completed(*request_state);
    *request_state = nullptr;
    impl->EnterPhase(connection, ConnectionClock::Phase::kHead);  // the next request's head starts now
  }
};

void StatusServer::Impl::MakeFixedResponses() {
  not_found = CopyResponse(JsonError("not found"), kJson);
  method_not_allowed = CopyResponse(JsonError("method not allowed"), kJson);
  MHD_add_response_header(method_not_allowed, "Allow", "GET, HEAD, OPTIONS, POST");
  too_large =
      CopyResponse(JsonError("request body larger than " + std::to_string(options.max_body_bytes) + " bytes"), kJson);
  bad_request = CopyResponse(JsonError("two different Content-Length headers"), kJson);
  busy = CopyResponse(JsonError("too many proofs are being checked; try again"), kJson);
  MHD_add_response_header(busy, "Retry-After", "1");
  preflight_open = CopyResponse("", nullptr);
  AllowAnyOrigin(preflight_open);
  MHD_add_response_header(preflight_open, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
  MHD_add_response_header(preflight_open, "Access-Control-Allow-Headers", "If-None-Match");
  MHD_add_response_header(preflight_open, "Access-Control-Max-Age", "86400");
  preflight_closed = CopyResponse("", nullptr);
}

std::shared_ptr<const SiteResponses> StatusServer::Impl::CurrentResponses() {
  std::shared_ptr<const Site> site = reports->Current();
  std::lock_guard lock(responses_mutex);
  if (!responses || responses->site_ptr() != site) responses = std::make_shared<const SiteResponses>(std::move(site));
  return responses;
}

MHD_Result StatusServer::Impl::ServeFile(MHD_Connection* connection, std::string_view path) {
  const auto current = CurrentResponses();
  const SiteResponses::Entry* entry = current->Find(path);
  if (entry == nullptr || entry->full == nullptr) return MHD_queue_response(connection, MHD_HTTP_NOT_FOUND, not_found);
  const char* if_none_match = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "If-None-Match");
  if (MatchesEtag(if_none_match, entry->etag)) {
    return MHD_queue_response(connection, MHD_HTTP_NOT_MODIFIED, entry->not_modified);
  }
  return MHD_queue_response(connection, MHD_HTTP_OK, entry->full);
}

MHD_Result StatusServer::Impl::AnswerProof(MHD_Connection* connection, RequestBody& body) {
  if (body.over_budget) return MHD_queue_response(connection, MHD_HTTP_SERVICE_UNAVAILABLE, busy);
  const auto current = CurrentResponses();
  const ProofRequestAnswer answer =
      CheckProofRequest(body.bytes, current->site().published_roots, current->site().roots);
  unsigned status = MHD_HTTP_OK;
  if (answer.outcome == ProofRequestOutcome::kNotJson) status = MHD_HTTP_BAD_REQUEST;
  if (answer.outcome == ProofRequestOutcome::kNotAProof) status = MHD_HTTP_UNPROCESSABLE_CONTENT;
  MHD_Response* response = CopyResponse(ProofAnswerToJson(answer), kJson);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, "Cache-Control", "no-store");
  const MHD_Result queued = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return queued;
}

MHD_Result StatusServer::Impl::Handle(MHD_Connection* connection, const char* url, const char* method,
                                      const char* upload_data, std::size_t* upload_data_size, void** request_state) {
  const std::string_view path = url;
  const std::string_view verb = method;
  const bool bodiless = verb == MHD_HTTP_METHOD_GET || verb == MHD_HTTP_METHOD_HEAD || verb == MHD_HTTP_METHOD_OPTIONS;
  if (*request_state == nullptr) {  // the headers are in; no body read yet
    ContentLengths lengths;
    MHD_get_connection_values(connection, MHD_HEADER_KIND, &NoteContentLength, &lengths);
    if (lengths.conflicting) return MHD_queue_response(connection, MHD_HTTP_BAD_REQUEST, bad_request);
    EnterPhase(connection, bodiless ? ConnectionClock::Phase::kAnswering : ConnectionClock::Phase::kBody);
    if (bodiless) {
      // Answered on the next call, once the request is complete: a response queued before that
      // makes MHD close the connection (no keep-alive).
      *request_state = &kBodilessRequest;
      return MHD_YES;
    }
    if (verb == MHD_HTTP_METHOD_POST && path == kVerifyProofPath) {
      const char* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
      if (length != nullptr && std::strtoull(length, nullptr, 10) > options.max_body_bytes) {
        return MHD_queue_response(connection, MHD_HTTP_CONTENT_TOO_LARGE, too_large);  // the body is never read
      }
      *request_state = new RequestBody();
      return MHD_YES;
    }
    // Any other body is refused before it is read; MHD then closes the connection.
    return MHD_queue_response(connection, MHD_HTTP_METHOD_NOT_ALLOWED, method_not_allowed);
  }
  if (*request_state == &kBodilessRequest) {
    if (verb != MHD_HTTP_METHOD_OPTIONS) return ServeFile(connection, path);
    return MHD_queue_response(connection, MHD_HTTP_NO_CONTENT,
                              CurrentResponses()->IsOpenPath(path) ? preflight_open : preflight_closed);
  }
  RequestBody& body = *static_cast<RequestBody*>(*request_state);
  if (*upload_data_size == 0) {
    EnterPhase(connection, ConnectionClock::Phase::kAnswering);
    if (body.dropped > 0) return MHD_queue_response(connection, MHD_HTTP_CONTENT_TOO_LARGE, too_large);
    return AnswerProof(connection, body);
  }
  const std::size_t size = *upload_data_size;
  // Past the limit (a chunked body, whose length was not announced) the answer is 413, as for an
  // announced one. MHD cannot queue an answer while a body is arriving, so the rest is read and
  // dropped (nothing more is kept) and 413 answers its end; a body going on for more than another
  // limit's worth is cut off (the connection closed), as is one still arriving at the body
  // deadline.
  if (body.dropped > 0 || body.bytes.size() + size > options.max_body_bytes) {
    body.dropped += size;
    if (body.dropped > options.max_body_bytes) return MHD_NO;
    std::string().swap(body.bytes);
    bodies_in_flight.fetch_sub(body.reserved);
    body.reserved = 0;
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (!body.over_budget) {
    const std::size_t before = bodies_in_flight.fetch_add(size);
    if (before + size > options.max_bodies_in_flight) {
      bodies_in_flight.fetch_sub(size);
      body.over_budget = true;
    } else {
      body.reserved += size;
    }
  }
  if (!body.over_budget) body.bytes.append(upload_data, size);
  *upload_data_size = 0;
  return MHD_YES;
}

void StatusServer::Impl::Completed(void* request_state) {
  if (request_state == nullptr || request_state == &kBodilessRequest) return;
  auto* body = static_cast<RequestBody*>(request_state);
  bodies_in_flight.fetch_sub(body->reserved);
  delete body;
}

void StatusServer::Impl::EnterPhase(MHD_Connection* connection, ConnectionClock::Phase phase) {
  std::lock_guard lock(clocks_mutex);
  auto it = clocks.find(connection);
  if (it == clocks.end()) return;
  it->second.phase = phase;
  it->second.since = Clock::now();
}

// Shuts down the socket of every connection whose head or body is late; MHD sees the socket
// fail and closes the connection (its descriptor stays valid until MHD's close notification, which
// takes clocks_mutex, so a descriptor reused by a new connection is never shut down).
void StatusServer::Impl::CloseLateConnections() {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(clocks_mutex);
  for (auto& [connection, clock] : clocks) {
    const bool late = (clock.phase == ConnectionClock::Phase::kHead && now - clock.since > options.head_timeout) ||
                      (clock.phase == ConnectionClock::Phase::kBody && now - clock.since > options.body_timeout);
    if (!late || clock.fd < 0) continue;
    ::shutdown(clock.fd, SHUT_RDWR);
    clock.phase = ConnectionClock::Phase::kAnswering;  // once
  }
}

StatusServer::StatusServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatusServer::~StatusServer() {
  Stop();
  if (impl_ && impl_->daemon != nullptr) MHD_stop_daemon(impl_->daemon);
}

Result<std::unique_ptr<StatusServer>> StatusServer::Create(const ServerOptions& options) {
  if (options.port < 0 || options.port > 65535)
    return Error{"--port " + std::to_string(options.port) + ": out of range"};
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto reports = ReportDirectory::Open(options.report_dir, options.rescan_interval, options.history_path,
                                       options.read_attestation);
  if (!reports) return reports.error();
  impl->reports = std::move(*reports);
  auto fd = BindListener(options.bind, options.port);
  if (!fd) return fd.error();
  impl->listen_fd = *fd;
  impl->port = BoundPort(*fd);
  // One descriptor per connection, and some for the history file, logs and the listener.
  const std::size_t files = RaiseOpenFileLimit();
  impl->connection_cap = std::max<std::size_t>(1, std::min(options.max_connections, files > 64 ? files - 64 : 1));
  impl->MakeFixedResponses();
  return std::unique_ptr<StatusServer>(new StatusServer(std::move(impl)));
}

int StatusServer::port() const { return impl_->port; }
std::size_t StatusServer::max_connections() const { return impl_->connection_cap; }

Status StatusServer::Run() {
  Impl& impl = *impl_;
  {
    std::lock_guard lock(impl.run_mutex);
    if (impl.stop_requested) return Status::Ok();
  }
  const unsigned threads = static_cast<unsigned>(
      impl.options.threads != 0 ? impl.options.threads
                                : std::clamp<unsigned>(std::thread::hardware_concurrency(), 1u, 4u));
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
  impl.daemon = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &Impl::OnRequest, &impl, MHD_OPTION_LISTEN_SOCKET,
      static_cast<MHD_socket>(impl.listen_fd), MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
      static_cast<unsigned>(impl.connection_cap), MHD_OPTION_CONNECTION_TIMEOUT,
      static_cast<unsigned>(impl.options.idle_timeout.count()),
      // Each connection's memory pool holds its request line and headers: its size is the header bound.
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<std::size_t>(impl.options.max_header_bytes),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<unsigned>(impl.options.max_connections_per_ip),
      MHD_OPTION_NOTIFY_CONNECTION, &Impl::OnConnection, &impl, MHD_OPTION_NOTIFY_COMPLETED, &Impl::OnCompleted, &impl,
      MHD_OPTION_EXTERNAL_LOGGER, &DiscardLog, nullptr, MHD_OPTION_UNESCAPE_CALLBACK, &UnescapePath, nullptr,
      MHD_OPTION_END);
  if (impl.daemon == nullptr) return Error{"the HTTP server could not start"};
  impl.listen_fd = -1;  // the daemon owns and closes it now
  std::unique_lock lock(impl.run_mutex);
  while (!impl.run_cv.wait_for(lock, std::chrono::milliseconds(250), [&] { return impl.stop_requested; })) {
    impl.CloseLateConnections();
  }
  lock.unlock();
  MHD_stop_daemon(impl.daemon);
  impl.daemon = nullptr;
  return Status::Ok();
}

void StatusServer::Stop() {
  if (!impl_) return;
  std::lock_guard lock(impl_->run_mutex);
  impl_->stop_requested = true;
  impl_->run_cv.notify_all();
}

}  // namespace segverify::server
