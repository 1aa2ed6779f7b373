// The status server over loopback (DESIGN.md "Status server" + "Precise rules → Status server"):
// routes, content types, ETag/304, CORS, CSP, proof checks with real CLI-made proofs, body limits
// (plain and chunked), malformed input, traversal, a bounded load run, and reloading reports.
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/json.h"
#include "tests/server/server_harness.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

class StatusServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_ = BuildTree(dir_.path(), "tree", "11");
    reports_ = dir_.File("reports");
    WriteReport(reports_, "2026-11", "PASS", tree_);
  }

  TempDir dir_;
  TreeFixture tree_;
  std::string reports_;
};

std::unique_ptr<JsonDocument> Json(const std::string& body) {
  auto doc = ParseJson(body, "response");
  if (!doc) ADD_FAILURE() << doc.error().message << " in " << body;
  return doc ? std::move(*doc) : std::make_unique<JsonDocument>();
}

// Sends raw bytes on a fresh connection and returns what the server answers (until it closes).
std::string RawExchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buffer[4096];
    ssize_t n;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

TEST_F(StatusServerTest, StatusIsTheReportAsJson) {
  RunningServer server(reports_);
  auto res = server.Client()->Get("/api/status");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), "*");
  auto doc = Json(res->body);
  EXPECT_STREQ((*doc)["format"].GetString(), "segverify-status/1");
  EXPECT_STREQ((*doc)["id"].GetString(), "2026-11");
  EXPECT_STREQ((*doc)["verdict"].GetString(), "PASS");
  EXPECT_EQ((*doc)["chains"]["bitcoin"]["height"].GetUint64(), 870000u);
  EXPECT_EQ(std::string((*doc)["pools"][0]["root"]["hash"].GetString()), tree_.root_hash);
  EXPECT_STREQ((*doc)["pools"][0]["assets"][0]["reserves"].GetString(), "22");
}

TEST_F(StatusServerTest, PageShowsVerdictUnderAContentSecurityPolicy) {
  RunningServer server(reports_);
  auto res = server.Client()->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(res->body.find("id=\"verdict\" class=\"verdict verdict-PASS\">PASS</strong>"), std::string::npos);
  EXPECT_NE(res->body.find("<textarea id=\"proof\""), std::string::npos);
  EXPECT_NE(res->body.find("<button id=\"verify\""), std::string::npos);
  EXPECT_NE(res->body.find("id=\"verify-result\""), std::string::npos);
  const std::string csp = res->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  for (const char* script : {"/app.js", "/proof_check.js", "/sha256.js", "/strict_json.js", "/style.css", "/embed.js"}) {
    auto asset = server.Client()->Get(script);
    ASSERT_TRUE(asset) << script;
    EXPECT_EQ(asset->status, 200) << script;
    EXPECT_FALSE(asset->body.empty()) << script;
  }
  EXPECT_EQ(server.Client()->Get("/embed.js")->get_header_value("Access-Control-Allow-Origin"), "*");
}

TEST_F(StatusServerTest, BadgeAndStatusCarryEtagsAndAnswer304) {
  RunningServer server(reports_);
  for (const char* path : {"/badge.svg", "/api/status"}) {
    auto first = server.Client()->Get(path);
    ASSERT_TRUE(first) << path;
    const std::string etag = first->get_header_value("ETag");
    ASSERT_FALSE(etag.empty()) << path;
    auto again = server.Client()->Get(path, {{"If-None-Match", etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304) << path;
    EXPECT_TRUE(again->body.empty());
    auto other = server.Client()->Get(path, {{"If-None-Match", "\"something-else\""}});
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200) << path;
  }
  auto badge = server.Client()->Get("/badge.svg");
  EXPECT_EQ(badge->get_header_value("Content-Type"), "image/svg+xml");
  EXPECT_NE(badge->body.find("PASS"), std::string::npos);
  EXPECT_NE(badge->body.find("2026-11"), std::string::npos);
  EXPECT_EQ(badge->body.find("FAIL"), std::string::npos);
}

TEST_F(StatusServerTest, RootsListEveryReportNewestFirstAndOlderReportsDoNotChangeTheVerdict) {
  const TreeFixture older = BuildTree(dir_.path(), "older", "22");
  WriteReport(reports_, "2026-10", "FAIL", older);
  RunningServer server(reports_);
  auto res = server.Client()->Get("/api/roots");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  auto doc = Json(res->body);
  ASSERT_TRUE(doc->IsArray());
  ASSERT_EQ(doc->Size(), 2u);
  EXPECT_STREQ((*doc)[0]["id"].GetString(), "2026-11");
  EXPECT_EQ(std::string((*doc)[0]["hash"].GetString()), tree_.root_hash);
  EXPECT_STREQ((*doc)[0]["pool"].GetString(), "spot");
  EXPECT_EQ((*doc)[0]["height"].GetUint(), tree_.height);
  EXPECT_STREQ((*doc)[1]["id"].GetString(), "2026-10");
  EXPECT_EQ(std::string((*doc)[1]["hash"].GetString()), older.root_hash);
  auto status = Json(server.Client()->Get("/api/status")->body);
  EXPECT_STREQ((*status)["id"].GetString(), "2026-11");
  EXPECT_STREQ((*status)["verdict"].GetString(), "PASS");
}

TEST_F(StatusServerTest, VerifyProofValidTamperedAndUnpublished) {
  RunningServer server(reports_);
  auto valid = server.Client()->Post("/api/verify-proof", tree_.alice_proof, "application/json");
  ASSERT_TRUE(valid);
  EXPECT_EQ(valid->status, 200);
  EXPECT_EQ(valid->body, "{\"valid\":true}");

  std::string tampered = tree_.alice_proof;
  const std::size_t at = tampered.find("\"0.5\"");
  ASSERT_NE(at, std::string::npos);
  tampered.replace(at, 5, "\"0.6\"");
  auto bad = server.Client()->Post("/api/verify-proof", tampered, "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 200);
  auto doc = Json(bad->body);
  EXPECT_FALSE((*doc)["valid"].GetBool());
  EXPECT_NE(std::string((*doc)["error"].GetString()).find("root"), std::string::npos);

  const TreeFixture other = BuildTree(dir_.path(), "unpublished", "33");
  auto unpublished = server.Client()->Post("/api/verify-proof", other.alice_proof, "application/json");
  ASSERT_TRUE(unpublished);
  auto answer = Json(unpublished->body);
  EXPECT_FALSE((*answer)["valid"].GetBool());
  EXPECT_NE(std::string((*answer)["error"].GetString()).find("not a published root"), std::string::npos);
}

TEST_F(StatusServerTest, MalformedBodiesAre4xxOrInvalid) {
  RunningServer server(reports_);
  auto garbage = server.Client()->Post("/api/verify-proof", "this is not json", "application/json");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto nested = server.Client()->Post("/api/verify-proof", deep, "application/json");
  ASSERT_TRUE(nested);
  EXPECT_GE(nested->status, 400);
  EXPECT_LT(nested->status, 500);
  auto not_proof = server.Client()->Post("/api/verify-proof", "{\"format\":\"segverify-proof/1\"}", "application/json");
  ASSERT_TRUE(not_proof);
  EXPECT_GE(not_proof->status, 400);
  EXPECT_LT(not_proof->status, 500);
  EXPECT_NE(not_proof->body.find("\"valid\":false"), std::string::npos);
  auto empty = server.Client()->Post("/api/verify-proof", "", "application/json");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  auto wrong_method = server.Client()->Post("/api/status", "{}", "application/json");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  const std::string bad_request_line = RawExchange(server.port(), "NONSENSE\r\n\r\n");
  EXPECT_EQ(bad_request_line.rfind("HTTP/1.1 400", 0), 0u) << bad_request_line;
  // Still serving after all of the above.
  EXPECT_EQ(server.Client()->Get("/api/status")->status, 200);
}

TEST_F(StatusServerTest, BodiesOverOneMebibyteAreRefused) {
  RunningServer server(reports_);
  const std::string big(2u << 20, 'a');
  auto res = server.Client()->Post("/api/verify-proof", big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);

  // Chunked: the server must stop at 1 MiB (413 or a closed connection), never buffer it all.
  std::size_t sent = 0;
  auto chunked = server.Client()->Post(
      "/api/verify-proof",
      [&](std::size_t, httplib::DataSink& sink) {
        const std::string chunk(64u << 10, 'a');
        if (sent >= (2u << 20)) {
          sink.done();
          return true;
        }
        sent += chunk.size();
        return sink.write(chunk.data(), chunk.size());
      },
      "application/json");
  if (chunked) {
    EXPECT_EQ(chunked->status, 413);
  }
  EXPECT_EQ(server.Client()->Get("/api/status")->status, 200);
}

TEST_F(StatusServerTest, NoPathOutsideTheReportDirectory) {
  RunningServer server(reports_);
  for (const char* path : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
                           "//etc/passwd", "/2026-11/report.json", "/reports/2026-11/report.json",
                           "/.segverify-history.sqlite", "/api/../../etc/passwd", "/app.js/../../etc/passwd",
                           "/index.html"}) {
    const std::string answer = RawExchange(server.port(), std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_GE(answer.size(), 12u) << path;
    const int status = std::stoi(answer.substr(9, 3));
    EXPECT_GE(status, 400) << path;
    EXPECT_LT(status, 500) << path;
    EXPECT_EQ(answer.find("root:"), std::string::npos) << path;
    EXPECT_EQ(answer.find("segverify-report/1"), std::string::npos) << path;
  }
  const std::string absolute = RawExchange(server.port(), "GET http://127.0.0.1/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(absolute.find("root:"), std::string::npos);
  EXPECT_EQ(absolute.find("HTTP/1.1 200"), std::string::npos) << absolute.substr(0, 40);
}

TEST_F(StatusServerTest, BoundedLoadRunAllSucceed) {
  RunningServer server(reports_);
  constexpr int kClients = 20;
  constexpr int kRequestsPerClient = 50;  // 1,000 requests, 20 concurrent
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto client = server.Client();
      const char* paths[] = {"/api/status", "/badge.svg", "/api/roots", "/"};
      for (int i = 0; i < kRequestsPerClient; ++i) {
        auto res = client->Get(paths[(c + i) % 4]);
        if (res && res->status == 200) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequestsPerClient);
}

TEST_F(StatusServerTest, NewReportIsPickedUpWithoutRestart) {
  RunningServer server(reports_);
  const TreeFixture next = BuildTree(dir_.path(), "next", "44");
  WriteReport(reports_, "2026-12", "FAIL", next);
  std::string id;
  for (int i = 0; i < 100 && id != "2026-12"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto doc = Json(server.Client()->Get("/api/status")->body);
    id = (*doc)["id"].IsString() ? (*doc)["id"].GetString() : "";
  }
  EXPECT_EQ(id, "2026-12");
  auto status = Json(server.Client()->Get("/api/status")->body);
  EXPECT_STREQ((*status)["verdict"].GetString(), "FAIL");
  EXPECT_NE(server.Client()->Get("/badge.svg")->body.find("FAIL 2026-12"), std::string::npos);
  auto roots = Json(server.Client()->Get("/api/roots")->body);
  ASSERT_EQ(roots->Size(), 2u);
  EXPECT_STREQ((*roots)[0]["id"].GetString(), "2026-12");
}

TEST_F(StatusServerTest, NewerUnreadableReportFailsClosed) {
  RunningServer server(reports_);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a strictly newer mtime
  std::filesystem::create_directories(reports_ + "/2026-12");
  WriteFile(reports_ + "/2026-12/report.json", "{\"format\":\"segverify-report/1\",\"id\":\"2026-12\",\"verdict\":\"PASS\"}");
  std::string verdict;
  for (int i = 0; i < 100 && verdict != "ERROR"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto doc = Json(server.Client()->Get("/api/status")->body);
    verdict = (*doc)["verdict"].GetString();
  }
  EXPECT_EQ(verdict, "ERROR");
  auto doc = Json(server.Client()->Get("/api/status")->body);
  EXPECT_NE(std::string((*doc)["error"].GetString()).find("2026-12/report.json"), std::string::npos);
  EXPECT_EQ(std::string((*doc)["error"].GetString()).find(dir_.path()), std::string::npos) << "no server paths";
  EXPECT_NE(server.Client()->Get("/")->body.find(">ERROR</strong>"), std::string::npos);
}

TEST_F(StatusServerTest, EmptyDirectoryIsErrorNeverPass) {
  TempDir empty;
  RunningServer server(empty.path());
  auto doc = Json(server.Client()->Get("/api/status")->body);
  EXPECT_STREQ((*doc)["verdict"].GetString(), "ERROR");
  EXPECT_NE(server.Client()->Get("/badge.svg")->body.find("ERROR"), std::string::npos);
}

TEST(ServeCommand, MissingReportDirectoryIsExit2) {
  auto result = RunSegverify({"serve", "--report", "/nonexistent/segverify-reports", "--port", "0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("/nonexistent/segverify-reports"), std::string::npos) << result.err;
}

TEST(ServeCommand, HelpListsOptions) {
  auto result = RunSegverify({"serve", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("--report"), std::string::npos);
  EXPECT_NE(result.out.find("--bind"), std::string::npos);
}

}  // namespace
}  // namespace segverify::testing
