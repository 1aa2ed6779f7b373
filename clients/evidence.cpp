#include "clients/evidence.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "clients/first_error.h"
#include "common/json.h"
#include "common/regular_file.h"

namespace segverify::clients {
namespace {

namespace fs = std::filesystem;

// The evidence file of a source, from how it is shown ("ethereum source 2 (https://host:443)" →
// "ethereum_source_2_https_host_443.jsonl.gz"): the label keeps two sources at one origin apart (two
// provider keys), and nothing secret is in the shown name to begin with.
std::string FileNameFor(const std::string& source) {
  std::string name;
  for (char c : source) {
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (keep) {
      name.push_back(c);
    } else if (!name.empty() && name.back() != '_') {
      name.push_back('_');
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return (name.empty() ? std::string("source") : name) + ".jsonl.gz";
}

// Inflates the evidence file `path` (gzip members, or plain text: zlib reads a file without a gzip
// header as it is), handing each piece to `sink`; more than `limit` bytes in all is an error, so a
// small file that would inflate to gigabytes stops at the limit.
template <typename Sink>
Status InflateEvidence(const std::string& path, std::uint64_t limit, Sink&& sink) {
  auto fd = OpenRegularFile(path);
  if (!fd) return Error{"evidence file " + fd.error().message, ProblemKind::kInput};
  gzFile in = gzdopen(*fd, "rb");
  if (in == nullptr) {
    ::close(*fd);
    return Error{"evidence file " + path + ": cannot read", ProblemKind::kInput};
  }
  std::vector<char> chunk(1u << 16);
  std::uint64_t total = 0;
  Status result = Status::Ok();
  while (true) {
    const int n = gzread(in, chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n < 0) {
      int code = Z_OK;
      const char* why = gzerror(in, &code);
      result = Error{"evidence file " + path + ": not readable gzip (" + std::string(why ? why : "error") + ")",
                     ProblemKind::kInput};
      break;
    }
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    if (total > limit) {
      result = Error{"evidence file " + path + ": more than " + std::to_string(limit >> 20) +
                         " MiB once inflated (evidence is capped per source)",
                     ProblemKind::kInput};
      break;
    }
    sink(std::string_view(chunk.data(), static_cast<std::size_t>(n)));
  }
  gzclose(in);
  return result;
}

// Appends `line` to `file` as one complete gzip member: a recording cut short by a crash keeps
// every exchange appended before it readable.
bool AppendCompressed(const std::string& file, const char* line, std::size_t size) {
  gzFile out = gzopen(file.c_str(), "abe");
  if (out == nullptr) return false;
  bool ok = true;
  while (size > 0 && ok) {
    // gzwrite takes an unsigned count: write in pieces so any size fits.
    const unsigned piece = static_cast<unsigned>(std::min<std::size_t>(size, 1u << 30));
    ok = gzwrite(out, line, piece) == static_cast<int>(piece);
    line += piece;
    size -= piece;
  }
  ok = ok && gzputc(out, '\n') == '\n';
  return gzclose(out) == Z_OK && ok;
}

std::string UtcNow() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Writes "method" and "params" (informative only): the JSON-RPC method of a call, "batch" and the
// list of methods for a batch, or the path of a GET.
void WriteMethodAndParams(rapidjson::Writer<rapidjson::StringBuffer>& w, const std::string& http_method,
                          const std::string& path, const std::string& body) {
  if (http_method == "POST") {
    auto doc = ParseJson(body, "request");
    if (doc && (*doc)->IsObject() && (*doc)->HasMember("method") && (**doc)["method"].IsString()) {
      w.Key("method");
      w.String((**doc)["method"].GetString());
      if ((*doc)->HasMember("params")) {
        w.Key("params");
        (**doc)["params"].Accept(w);
      }
      return;
    }
    if (doc && (*doc)->IsArray()) {
      w.Key("method");
      w.String("batch");
      w.Key("params");
      w.StartArray();
      for (const auto& call : (*doc)->GetArray()) {
        if (call.IsObject() && call.HasMember("method") && call["method"].IsString()) {
          w.String(call["method"].GetString());
        }
      }
      w.EndArray();
      return;
    }
  }
  w.Key("method");
  w.String(http_method.c_str());
  w.Key("params");
  w.String(path.c_str());
}

class RecordingTransport final : public Transport {
 public:
  RecordingTransport(std::unique_ptr<Transport> inner, std::shared_ptr<EvidenceLog> log)
      : inner_(std::move(inner)), log_(std::move(log)) {}

  const std::string& source() const override { return inner_->source(); }
  std::string WithoutSecrets(std::string text) const override { return inner_->WithoutSecrets(std::move(text)); }
  Result<HttpResponse> Get(const std::string& path) override { return Record("GET", path, "", inner_->Get(path)); }
  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    return Record("POST", path, body, inner_->Post(path, body));
  }
  Result<HttpResponse> PostWithTerms(const std::string& path, const std::string& body,
                                     const RequestTerms& terms) override {
    return Record("POST", path, body, inner_->PostWithTerms(path, body, terms));
  }
  // Not recorded (transport.h): watching requests bear on no verdict.
  std::unique_ptr<Transport> Watcher() const override { return inner_->Watcher(); }

 private:
  Result<HttpResponse> Record(const std::string& method, const std::string& path, const std::string& body,
                              Result<HttpResponse> answer) {
    if (!answer) return answer;
    if (Status s = log_->Append(inner_->source(), method, path, body, *answer); !s) return s.error();
    return answer;
  }

  std::unique_ptr<Transport> inner_;
  std::shared_ptr<EvidenceLog> log_;
};

class ReplayTransport final : public Transport {
 public:
  ReplayTransport(std::string source, std::shared_ptr<EvidenceReplay> replay)
      : source_(std::move(source)), replay_(std::move(replay)) {}

  const std::string& source() const override { return source_; }
  Result<HttpResponse> Get(const std::string& path) override { return replay_->Answer(source_, "GET", path, ""); }
  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    return replay_->Answer(source_, "POST", path, body);
  }

 private:
  std::string source_;
  std::shared_ptr<EvidenceReplay> replay_;
};

}  // namespace

Result<std::shared_ptr<EvidenceLog>> EvidenceLog::Open(const std::string& dir, std::uint64_t max_bytes_per_source) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    return Error{"evidence directory " + dir + ": cannot create (" + ec.message() + ")"};
  return std::shared_ptr<EvidenceLog>(new EvidenceLog(dir, max_bytes_per_source));
}

Status EvidenceLog::Append(const std::string& source, const std::string& http_method, const std::string& path,
                           const std::string& request_body, const HttpResponse& response) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("source");
  WriteJsonString(w, source);
  w.Key("http");
  w.String(http_method.c_str());
  w.Key("path");
  WriteJsonString(w, path);
  WriteMethodAndParams(w, http_method, path, request_body);
  w.Key("request");
  WriteJsonString(w, request_body);
  w.Key("status");
  w.Int(response.status);
  if (!response.content_type.empty()) {  // names a wrong-kind answer in a replay as it was named live
    w.Key("content_type");
    WriteJsonString(w, response.content_type);
  }
  w.Key("response");
  WriteJsonString(w, response.body);
  w.Key("time");
  w.String(UtcNow().c_str());
  w.EndObject();

  std::lock_guard<std::mutex> lock(mutex_);
  std::string file = dir_ + "/" + FileNameFor(source);
  auto [entry, first_append] = written_.try_emplace(file, 0);
  std::uint64_t& written = entry->second;
  if (first_append && fs::exists(file)) {
    // Appending to an earlier recording (balances --evidence into the same DIR): what it holds
    // counts against the cap, which bounds what a replay of the file inflates to.
    Status counted = InflateEvidence(file, max_bytes_, [&](std::string_view piece) { written += piece.size(); });
    if (!counted) written = max_bytes_;
  }
  if (written + buffer.GetSize() + 1 > max_bytes_) {
    const std::string failure = source + ": answers larger than " + std::to_string(max_bytes_ >> 20) +
                                " MiB in all; not recorded (evidence is capped per source)";
    if (first_failure_.empty()) first_failure_ = failure;
    return Error{failure, ProblemKind::kMalformedAnswer};
  }
  written += buffer.GetSize() + 1;
  if (!AppendCompressed(file, buffer.GetString(), buffer.GetSize())) {
    const std::string failure = "evidence file " + file + ": write failed";
    if (first_failure_.empty()) first_failure_ = failure;
    return Error{failure};
  }
  return Status::Ok();
}

Status EvidenceLog::FirstFailure() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (first_failure_.empty()) return Status::Ok();
  return Error{first_failure_};
}

Result<std::string> ReadEvidenceFile(const std::string& path, std::uint64_t max_bytes) {
  std::string text;
  Status read = InflateEvidence(path, max_bytes, [&](std::string_view piece) { text += piece; });
  if (!read) return read.error();
  return text;
}

std::unique_ptr<Transport> MakeRecordingTransport(std::unique_ptr<Transport> inner, std::shared_ptr<EvidenceLog> log) {
  return std::make_unique<RecordingTransport>(std::move(inner), std::move(log));
}

Result<std::shared_ptr<EvidenceReplay>> EvidenceReplay::Load(const std::string& dir,
                                                             std::uint64_t max_bytes_per_source) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error{"evidence directory " + dir + ": not a directory"};
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const auto ends_with = [&](const std::string& tail) {
      return name.size() > tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (ends_with(".jsonl.gz") || ends_with(".jsonl")) files.push_back(entry.path());
  }
  if (ec) return Error{"evidence directory " + dir + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  auto replay = std::make_shared<EvidenceReplay>();
  for (const auto& file : files) {
    auto text = ReadEvidenceFile(file.string(), max_bytes_per_source);
    if (!text) return text.error();
    std::size_t line_number = 0;
    for (std::size_t at = 0; at < text->size();) {
      std::size_t end = text->find('\n', at);
      if (end == std::string::npos) end = text->size();
      const std::string_view line(text->data() + at, end - at);
      at = end + 1;
      ++line_number;
      if (line.empty()) continue;
      std::string origin = file.string() + ":" + std::to_string(line_number);
      // A line holds one answer (at most the transport's body cap) and its framing.
      auto doc = ParseJson(line, origin, JsonLimits{kMaxEvidenceBytesPerSource, JsonLimits{}.max_depth});
      if (!doc) return doc.error();
      JsonObjectReader reader(**doc, origin, "");
      auto source = reader.String("source");
      auto http = reader.String("http");
      auto path = reader.String("path");
      auto request = reader.String("request");
      auto status = reader.Uint64("status");
      auto response = reader.String("response");
      if (auto e = FirstError(source, http, path, request, status, response)) return *e;
      if (*status > 999) return Error{origin + ": status: out of range"};
      std::string content_type;  // absent in recordings made before it was kept, and for answers without one
      if (reader.Has("content_type")) {
        auto type = reader.String("content_type");
        if (!type) return type.error();
        content_type = std::move(*type);
      }
      replay->answers_[Key{*source, *http, *path, *request}].push_back(
          HttpResponse{static_cast<int>(*status), std::move(response.value()), std::move(content_type)});
    }
  }
  return replay;
}

Result<HttpResponse> EvidenceReplay::Answer(const std::string& source, const std::string& http_method,
                                            const std::string& path, const std::string& request_body) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = answers_.find(Key{source, http_method, path, request_body});
  if (it == answers_.end() || it->second.empty()) {
    return Error{source + ": " + http_method + " " + path + " is not in the recording", ProblemKind::kInput};
  }
  HttpResponse answer = std::move(it->second.front());
  it->second.pop_front();
  return answer;
}

std::unique_ptr<Transport> MakeReplayTransport(std::string source_display, std::shared_ptr<EvidenceReplay> replay) {
  return std::make_unique<ReplayTransport>(std::move(source_display), std::move(replay));
}

}  // namespace segverify::clients
