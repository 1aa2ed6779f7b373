// The status server over loopback (docs/DESIGN.md §Status server and
// §Public faces): the same paths as `publish` plus the API, content types, ETag/304, CORS, CSP,
// keep-alive, proof checks with real CLI-made proofs, body limits (announced and chunked),
// malformed input, traversal, a bounded load run, reloading the report, failing closed, history
// by block time, and the history file being the only thing serve writes.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "tests/server/server_harness.h"

namespace segverify::testing {
namespace {

namespace fs = std::filesystem;

class StatusServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_ = BuildTree(dir_.path(), "tree", "11");
    reports_ = dir_.File("reports");
    WriteReport(reports_, "2026-11", "PASS", tree_, "2026-11-01T00:00:00Z");
  }

  TempDir dir_;
  TreeFixture tree_;
  std::string reports_;
};

std::string WithBalance(std::string proof, const std::string& from, const std::string& to) {
  const std::size_t at = proof.find(from);
  if (at != std::string::npos) proof.replace(at, from.size(), to);
  return proof;
}

TEST_F(StatusServerTest, StatusIsThePublicViewOfTheReport) {
  RunningServer server(reports_);
  for (const char* path : {"/api/status", "/status.json"}) {
    const HttpAnswer res = server.Get(path);
    EXPECT_EQ(res.status, 200) << path;
    EXPECT_EQ(res.Header("content-type"), "application/json") << path;
    EXPECT_EQ(res.Header("access-control-allow-origin"), "*") << path;
    auto doc = Json(res.body);
    EXPECT_STREQ((*doc)["format"].GetString(), "segverify-status/1");
    EXPECT_STREQ((*doc)["id"].GetString(), "2026-11");
    EXPECT_STREQ((*doc)["verdict"].GetString(), "PASS");
    EXPECT_EQ((*doc)["chains"]["bitcoin"]["height"].GetUint64(), 870000u);
    EXPECT_STREQ((*doc)["chains"]["bitcoin"]["block_time"].GetString(), "2026-11-01T00:00:00Z");
    // Sources are named by index, never by URL (DESIGN "Public faces").
    EXPECT_STREQ((*doc)["chains"]["bitcoin"]["sources"][1].GetString(), "bitcoin source 2");
    EXPECT_EQ(res.body.find("10.1.2.3"), std::string::npos) << res.body;
    EXPECT_EQ(std::string((*doc)["pools"][0]["root"]["hash"].GetString()), tree_.root_hash);
    EXPECT_STREQ((*doc)["pools"][0]["assets"][0]["reserves"].GetString(), "22");
    EXPECT_STREQ((*doc)["pools"][0]["addresses"][0]["balances"]["BTC"].GetString(), "22");
  }
}

TEST_F(StatusServerTest, ServesEveryFileOfThePublishedSite) {
  RunningServer server(reports_);
  const std::vector<std::pair<std::string, std::string>> files = {{"/", "text/html; charset=utf-8"},
                                                                  {"/index.html", "text/html; charset=utf-8"},
                                                                  {"/report.html", "text/html; charset=utf-8"},
                                                                  {"/report.json", "application/json"},
                                                                  {"/roots.json", "application/json"},
                                                                  {"/status.json", "application/json"},
                                                                  {"/badge.svg", "image/svg+xml"},
                                                                  {"/embed.js", "text/javascript; charset=utf-8"},
                                                                  {"/style.css", "text/css; charset=utf-8"},
                                                                  {"/app.js", "text/javascript; charset=utf-8"},
                                                                  {"/proof_check.js", "text/javascript; charset=utf-8"},
                                                                  {"/strict_json.js", "text/javascript; charset=utf-8"},
                                                                  {"/sha256.js", "text/javascript; charset=utf-8"}};
  for (const auto& [path, type] : files) {
    const HttpAnswer res = server.Get(path);
    EXPECT_EQ(res.status, 200) << path;
    EXPECT_EQ(res.Header("content-type"), type) << path;
    EXPECT_FALSE(res.body.empty()) << path;
    EXPECT_EQ(res.Header("x-content-type-options"), "nosniff") << path;
  }
  // HEAD: the headers only.
  const HttpAnswer head = HttpRequest(server.port(), "HEAD", "/index.html");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  // The embed script carries the status inline (it works without a request of its own).
  EXPECT_NE(server.Get("/embed.js").body.find(R"({"verdict":"PASS","id":"2026-11","date":"2026-11-01T00:00:00Z"})"),
            std::string::npos);
}

TEST_F(StatusServerTest, PageShowsTheVerdictInWordsUnderAContentSecurityPolicy) {
  RunningServer server(reports_);
  const HttpAnswer res = server.Get("/");
  EXPECT_NE(res.body.find("<strong id=\"verdict\">PASS</strong>"), std::string::npos);
  EXPECT_NE(res.body.find("<span id=\"verdict-words\">holds</span>"), std::string::npos);
  EXPECT_NE(res.body.find("1 November 2026, 00:00 UTC"), std::string::npos);
  EXPECT_NE(res.body.find("Example Exchange attestation 2026-11"), std::string::npos);
  EXPECT_NE(res.body.find("https://mempool.space/address/bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
            std::string::npos);
  EXPECT_NE(res.body.find("Vault: Safe 1.4.1, 2 of 3 owners, no firm owners, no modules"), std::string::npos);
  EXPECT_NE(res.body.find("<textarea id=\"proof\""), std::string::npos);
  EXPECT_NE(res.body.find("<button id=\"verify\""), std::string::npos);
  EXPECT_NE(res.body.find("id=\"proof-file\""), std::string::npos);
  EXPECT_NE(res.body.find("id=\"verify-result\""), std::string::npos);
  // Relative URLs only: the same page works from a published directory on any static server.
  EXPECT_EQ(res.body.find("src=\"/"), std::string::npos);
  EXPECT_EQ(res.body.find("href=\"/"), std::string::npos);
  const std::string csp = res.Header("content-security-policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(server.Get("/report.html").Header("content-security-policy").find("default-src 'none'"), std::string::npos);
}

TEST_F(StatusServerTest, OnlyJsonBadgeAndEmbedAreOpenToOtherOrigins) {
  RunningServer server(reports_);
  for (const char* path :
       {"/api/status", "/api/roots", "/status.json", "/roots.json", "/report.json", "/badge.svg", "/embed.js"}) {
    EXPECT_EQ(server.Get(path).Header("access-control-allow-origin"), "*") << path;
    const HttpAnswer preflight = HttpRequest(server.port(), "OPTIONS", path);
    EXPECT_EQ(preflight.status, 204) << path;
    EXPECT_EQ(preflight.Header("access-control-allow-origin"), "*") << path;
  }
  for (const char* path : {"/", "/index.html", "/report.html", "/app.js"}) {
    EXPECT_EQ(server.Get(path).Header("access-control-allow-origin"), "") << path;
  }
}

TEST_F(StatusServerTest, BadgeAndStatusCarryEtagsAndAnswer304) {
  RunningServer server(reports_);
  for (const char* path : {"/badge.svg", "/api/status", "/index.html"}) {
    const HttpAnswer first = server.Get(path);
    const std::string etag = first.Header("etag");
    ASSERT_FALSE(etag.empty()) << path;
    const HttpAnswer again = server.Get(path, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(server.Get(path, {{"If-None-Match", "\"something-else\""}}).status, 200) << path;
  }
  const HttpAnswer badge = server.Get("/badge.svg");
  EXPECT_NE(badge.body.find("PASS 2026-11"), std::string::npos);
  EXPECT_EQ(badge.body.find("FAIL"), std::string::npos);
}

TEST_F(StatusServerTest, KeepsConnectionsAlive) {
  RunningServer server(reports_);
  Socket socket(server.port());
  ASSERT_TRUE(socket.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(socket.Send("GET /badge.svg HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto answer = socket.ReadResponse();
    ASSERT_TRUE(answer) << "request " << i;
    EXPECT_EQ(answer->status, 200);
    EXPECT_NE(answer->Header("connection"), "close");
  }
}

TEST_F(StatusServerTest, VerifyProofValidTamperedAndUnpublished) {
  RunningServer server(reports_);
  const HttpAnswer valid = server.Post("/api/verify-proof", tree_.alice_proof);
  EXPECT_EQ(valid.status, 200);
  EXPECT_EQ(valid.body, "{\"valid\":true}");

  const HttpAnswer bad = server.Post("/api/verify-proof", WithBalance(tree_.alice_proof, "\"0.5\"", "\"0.6\""));
  EXPECT_EQ(bad.status, 200);
  auto doc = Json(bad.body);
  EXPECT_FALSE((*doc)["valid"].GetBool());
  EXPECT_NE(std::string((*doc)["error"].GetString()).find("root"), std::string::npos);

  const TreeFixture other = BuildTree(dir_.path(), "unpublished", "33");
  auto answer = Json(server.Post("/api/verify-proof", other.alice_proof).body);
  EXPECT_FALSE((*answer)["valid"].GetBool());
  EXPECT_NE(std::string((*answer)["error"].GetString()).find("not a published root"), std::string::npos);
}

TEST_F(StatusServerTest, MalformedRequestsAre4xxAndTheServerKeepsServing) {
  RunningServer server(reports_);
  EXPECT_EQ(server.Post("/api/verify-proof", "this is not json").status, 400);
  const HttpAnswer nested = server.Post("/api/verify-proof", std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_GE(nested.status, 400);
  EXPECT_LT(nested.status, 500);
  const HttpAnswer not_proof = server.Post("/api/verify-proof", "{\"format\":\"segverify-proof/1\"}");
  EXPECT_EQ(not_proof.status, 422);
  EXPECT_NE(not_proof.body.find("\"valid\":false"), std::string::npos);
  EXPECT_EQ(server.Post("/api/verify-proof", "").status, 400);
  EXPECT_EQ(server.Post("/api/status", "{}").status, 405);
  EXPECT_EQ(HttpRequest(server.port(), "PUT", "/index.html", "x").status, 405);
  EXPECT_EQ(HttpRequest(server.port(), "DELETE", "/report.json").status, 405);
  // Not HTTP at all: no request to answer, the connection is closed.
  EXPECT_EQ(RawExchange(server.port(), "NONSENSE\r\n\r\n"), "");
  for (const char* request : {"GET / FOO\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n"}) {
    const std::string answer = RawExchange(server.port(), request);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << request << ": " << answer.substr(0, 40);
  }
  EXPECT_EQ(RawExchange(server.port(), "GET / HTTP/9.9\r\nHost: x\r\n\r\n").rfind("HTTP/1.1 505", 0), 0u);
  EXPECT_EQ(server.Get("/api/status").status, 200);
}

TEST_F(StatusServerTest, BodiesOverOneMebibyteAreRefusedUnread) {
  RunningServer server(reports_);
  // Announced: 413 before the body is read.
  Socket announced(server.port());
  ASSERT_TRUE(announced.Send("POST /api/verify-proof HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n"));
  auto answer = announced.ReadResponse();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
  EXPECT_TRUE(announced.ClosedByPeer(std::chrono::seconds(5)));

  // Chunked: cut off past 1 MiB (the connection is closed), never buffered whole. The sender
  // stops being able to send long before its 64 MiB are out.
  Socket chunked(server.port());
  ASSERT_TRUE(chunked.Send("POST /api/verify-proof HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  std::size_t sent = 0;
  while (sent < (64u << 20) && chunked.Send(chunk)) sent += 0x10000;
  EXPECT_LT(sent, 64u << 20) << "the server kept reading a body past 1 MiB";
  EXPECT_EQ(server.Get("/api/status").status, 200);

  // Chunked, a client that sends its whole body (17 chunks of 64 KiB: 1 MiB + 64 KiB) and then
  // reads: it gets 413 as an announced body does, not a closed connection it cannot tell from a
  // crash.
  Socket over(server.port());
  ASSERT_TRUE(over.Send("POST /api/verify-proof HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  for (int i = 0; i < 17; ++i) over.Send(chunk);
  over.Send("0\r\n\r\n");
  auto refused = over.ReadResponse();
  ASSERT_TRUE(refused) << "a chunked body over the limit got no answer";
  EXPECT_EQ(refused->status, 413);
  EXPECT_NE(refused->body.find("request body larger than 1048576 bytes"), std::string::npos) << refused->body;

  // Exactly at the limit is read (and is then simply not a proof).
  const HttpAnswer at_limit = server.Post("/api/verify-proof", std::string(1u << 20, ' '));
  EXPECT_EQ(at_limit.status, 400);
}

TEST_F(StatusServerTest, NoPathOutsideTheSite) {
  RunningServer server(reports_);
  for (const char* path :
       {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "//etc/passwd",
        "/reports/report.json", "/.segverify-history.sqlite", "/.segverify-site", "/api/../../etc/passwd",
        "/app.js/../../etc/passwd", "/tree/root.json", "/report.json/", "/REPORT.JSON", "/report.json%2f..",
        "/%00/etc/passwd"}) {
    const std::string answer =
        RawExchange(server.port(), std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_GE(answer.size(), 12u) << path;
    const int status = std::stoi(answer.substr(9, 3));
    EXPECT_GE(status, 400) << path;
    EXPECT_LT(status, 500) << path;
    EXPECT_EQ(answer.find("root:"), std::string::npos) << path;
    EXPECT_EQ(answer.find("SQLite"), std::string::npos) << path;
  }
  const std::string absolute =
      RawExchange(server.port(), "GET http://127.0.0.1/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(absolute.find("root:"), std::string::npos);
  EXPECT_EQ(absolute.find("HTTP/1.1 200"), std::string::npos) << absolute.substr(0, 40);
}

TEST_F(StatusServerTest, BoundedLoadRunAllSucceed) {
  RunningServer server(reports_);
  constexpr int kClients = 20;
  constexpr int kRequestsPerClient = 50;  // 1,000 requests, 20 concurrent keep-alive clients
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      Socket socket(server.port());
      const char* paths[] = {"/api/status", "/badge.svg", "/roots.json", "/", "/embed.js"};
      for (int i = 0; i < kRequestsPerClient; ++i) {
        if (!socket.Send(std::string("GET ") + paths[(c + i) % 5] + " HTTP/1.1\r\nHost: x\r\n\r\n")) return;
        auto answer = socket.ReadResponse();
        if (!answer) return;
        if (answer->status == 200) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequestsPerClient);
}

TEST_F(StatusServerTest, TheReportInTheDirectoryIsCurrentAndEarlierOnesAreHistory) {
  RunningServer server(reports_);
  const TreeFixture next = BuildTree(dir_.path(), "next", "44");
  WriteReport(reports_, "2026-12", "FAIL", next, "2026-12-01T00:00:00Z");
  std::string id;
  for (int i = 0; i < 100 && id != "2026-12"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto doc = Json(server.Get("/api/status").body);
    id = (*doc)["id"].IsString() ? (*doc)["id"].GetString() : "";
  }
  EXPECT_EQ(id, "2026-12");
  EXPECT_STREQ((*Json(server.Get("/api/status").body))["verdict"].GetString(), "FAIL");
  EXPECT_NE(server.Get("/badge.svg").body.find("FAIL 2026-12"), std::string::npos);
  auto roots = RootsList(server.Get("/api/roots").body);
  ASSERT_EQ(roots->Size(), 2u);
  EXPECT_STREQ((*roots)[0]["id"].GetString(), "2026-12");
  EXPECT_STREQ((*roots)[0]["verdict"].GetString(), "FAIL");
  EXPECT_STREQ((*roots)[1]["id"].GetString(), "2026-11");
  EXPECT_STREQ((*roots)[1]["verdict"].GetString(), "PASS");
  EXPECT_STREQ((*roots)[1]["attested_at"].GetString(), "2026-11-01T00:00:00Z");
  // The earlier attestation's proofs stay valid (its root is still published).
  EXPECT_EQ(server.Post("/api/verify-proof", tree_.alice_proof).body, "{\"valid\":true}");
  // The page lists both attestations with their verdicts.
  const std::string page = server.Get("/").body;
  EXPECT_NE(page.find("2026-12"), std::string::npos);
  EXPECT_NE(page.find("1 November 2026, 00:00 UTC</span><strong>2026-11</strong>"), std::string::npos) << page;
}

// Re-running an attestation under the same id (the normal fix after an ERROR) replaces that id's
// run: its earlier roots are listed as superseded, and a proof of the earlier run is not valid
// (docs/FORMAT.md "roots.json").
TEST_F(StatusServerTest, ARerunUnderTheSameIdSupersedesTheEarlierRun) {
  RunningServer server(reports_);
  EXPECT_EQ(server.Post("/api/verify-proof", tree_.alice_proof).body, "{\"valid\":true}");
  const TreeFixture rerun = BuildTree(dir_.path(), "rerun", "66");
  WriteReport(reports_, "2026-11", "PASS", rerun, "2026-11-01T00:00:00Z");
  std::string hash;
  for (int i = 0; i < 100 && hash != rerun.root_hash; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto roots = RootsList(server.Get("/api/roots").body);
    hash = roots->Size() == 1 ? (*roots)[0]["hash"].GetString() : "";
  }
  ASSERT_EQ(hash, rerun.root_hash);
  auto superseded = RootsList(server.Get("/api/roots").body, "superseded");
  ASSERT_EQ(superseded->Size(), 1u);
  EXPECT_EQ(std::string((*superseded)[0]["hash"].GetString()), tree_.root_hash);
  EXPECT_TRUE((*superseded)[0]["superseded_at"].IsString());
  auto answer = Json(server.Post("/api/verify-proof", tree_.alice_proof).body);
  EXPECT_FALSE((*answer)["valid"].GetBool());
  const std::string error = (*answer)["error"].GetString();
  EXPECT_NE(error.find("this proof belongs to a run of 2026-11 that was replaced on "), std::string::npos) << error;
  EXPECT_NE(error.find("; ask for your proof of the current run"), std::string::npos) << error;
  EXPECT_EQ(server.Post("/api/verify-proof", rerun.alice_proof).body, "{\"valid\":true}");
  EXPECT_NE(server.Get("/").body.find("an earlier run of 2026-11 was replaced on "), std::string::npos);
}

// "2026-9" > "2026-10" as text: the history must go by the pinned blocks' time instead, and the
// current verdict is the report in the directory, whatever its id.
TEST_F(StatusServerTest, HistoryIsOrderedByBlockTimeNotByIdText) {
  const TreeFixture september = BuildTree(dir_.path(), "september", "55");
  const TreeFixture october = BuildTree(dir_.path(), "october", "66");
  const std::string state = dir_.File("history.sqlite");
  {
    WriteReport(reports_, "2026-9", "PASS", september, "2026-09-01T00:00:00Z");
    RunningServer server(reports_, [&](server::ServerOptions& o) { o.history_path = state; });
  }
  WriteReport(reports_, "2026-10", "ERROR", october, "2026-10-01T00:00:00Z");
  RunningServer server(reports_, [&](server::ServerOptions& o) { o.history_path = state; });
  auto status = Json(server.Get("/api/status").body);
  EXPECT_STREQ((*status)["id"].GetString(), "2026-10");
  EXPECT_STREQ((*status)["verdict"].GetString(), "ERROR");
  auto roots = RootsList(server.Get("/api/roots").body);
  ASSERT_EQ(roots->Size(), 2u);
  EXPECT_STREQ((*roots)[0]["id"].GetString(), "2026-10");
  EXPECT_STREQ((*roots)[1]["id"].GetString(), "2026-9");
  EXPECT_NE(server.Get("/badge.svg").body.find("ERROR 2026-10"), std::string::npos);
}

TEST_F(StatusServerTest, AnInvalidReportFailsClosedWithoutNamingServerPaths) {
  RunningServer server(reports_);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  WriteFile(reports_ + "/report.json.tmp",
            "{\"format\":\"segverify-report/1\",\"id\":\"2026-12\",\"verdict\":\"PASS\"}");
  fs::rename(reports_ + "/report.json.tmp", reports_ + "/report.json");
  std::string verdict;
  for (int i = 0; i < 100 && verdict != "ERROR"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    verdict = (*Json(server.Get("/api/status").body))["verdict"].GetString();
  }
  EXPECT_EQ(verdict, "ERROR");
  auto doc = Json(server.Get("/api/status").body);
  EXPECT_NE(std::string((*doc)["error"].GetString()).find("report.json"), std::string::npos);
  EXPECT_EQ(std::string((*doc)["error"].GetString()).find(dir_.path()), std::string::npos) << "no server paths";
  const std::string page = server.Get("/").body;
  EXPECT_NE(page.find("<strong id=\"verdict\">ERROR</strong>"), std::string::npos);
  EXPECT_EQ(page.find(dir_.path()), std::string::npos);
  EXPECT_EQ(server.Get("/report.json").status, 404);  // nothing to publish
  // The roots published before stay published.
  EXPECT_EQ(server.Post("/api/verify-proof", tree_.alice_proof).body, "{\"valid\":true}");
}

TEST_F(StatusServerTest, EmptyDirectoryIsErrorNeverPass) {
  TempDir empty;
  RunningServer server(empty.path());
  EXPECT_STREQ((*Json(server.Get("/api/status").body))["verdict"].GetString(), "ERROR");
  EXPECT_NE(server.Get("/badge.svg").body.find("ERROR"), std::string::npos);
  EXPECT_NE(server.Get("/").body.find("could not be checked"), std::string::npos);
}

TEST_F(StatusServerTest, ErrorRunShowsNoShortfallNoNodeUrlNoConfigPath) {
  WriteReport(reports_, "2026-12", "ERROR", tree_);
  RunningServer server(reports_);
  for (const std::string path : {"/", "/report.html", "/status.json", "/report.json", "/embed.js", "/roots.json"}) {
    const std::string body = server.Get(path).body;
    // (embed.js's code holds the words of every verdict; what it shows is its inline status.)
    if (path != "/embed.js") {
      EXPECT_EQ(body.find("does not hold"), std::string::npos) << path;
    }
    EXPECT_EQ(body.find("127.0.0.1"), std::string::npos) << path;
    EXPECT_EQ(body.find("10.1.2.3"), std::string::npos) << path;
    EXPECT_EQ(body.find("://127"), std::string::npos) << path;
    EXPECT_EQ(body.find("pools[0]"), std::string::npos) << path;
    EXPECT_EQ(body.find("\"covered\":false"), std::string::npos) << path;
  }
  const std::string page = server.Get("/").body;
  EXPECT_NE(page.find("ethereum source 1 could not be reached"), std::string::npos);
  EXPECT_NE(page.find("could not be checked"), std::string::npos);
  EXPECT_NE(page.find("unknown"), std::string::npos);
}

// serve writes its history file and nothing else; by default it lives in DIR and survives DIR
// being replaced whole (as `attest --out DIR` does).
TEST_F(StatusServerTest, WritesOnlyItsHistoryWhichSurvivesTheDirectoryBeingReplaced) {
  auto listing = [](const std::string& dir) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
    return names;
  };
  const std::string state_dir = dir_.File("state");
  fs::create_directories(state_dir);
  {
    RunningServer server(reports_, [&](server::ServerOptions& o) { o.history_path = state_dir + "/h.sqlite"; });
    EXPECT_EQ(server.Get("/").status, 200);
  }
  EXPECT_EQ(listing(reports_), (std::set<std::string>{"report.json"}));
  EXPECT_EQ(listing(state_dir), (std::set<std::string>{"h.sqlite"}));

  RunningServer server(reports_);  // default: DIR/.segverify-history.sqlite
  EXPECT_EQ(listing(reports_), (std::set<std::string>{"report.json", ".segverify-history.sqlite"}));
  // attest --out replaces DIR whole: a new directory without the history takes its place.
  const std::string fresh = dir_.File("fresh");
  const TreeFixture next = BuildTree(dir_.path(), "next", "77");
  WriteReport(fresh, "2026-12", "PASS", next, "2026-12-01T00:00:00Z");
  fs::rename(reports_, dir_.File("old"));
  fs::rename(fresh, reports_);
  std::size_t roots = 0;
  for (int i = 0; i < 100 && roots != 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    roots = RootsList(server.Get("/api/roots").body)->Size();
  }
  EXPECT_EQ(roots, 2u) << "the earlier attestation stays in the history";
  EXPECT_TRUE(FileExists(reports_ + "/.segverify-history.sqlite"));
}

TEST(ServeCommand, MissingReportDirectoryIsExit2) {
  auto result = RunSegverify({"serve", "--report", "/nonexistent/segverify-reports", "--port", "0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("/nonexistent/segverify-reports"), std::string::npos) << result.err;
}

TEST(ServeCommand, UnopenableStateFileIsExit2) {
  TempDir dir;
  auto result = RunSegverify({"serve", "--report", dir.path(), "--port", "0", "--state", "/nonexistent/dir/h.sqlite"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--state"), std::string::npos) << result.err;
}

TEST(ServeCommand, HelpListsOptions) {
  auto result = RunSegverify({"serve", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* option : {"--report", "--bind", "--port", "--state", "--max-connections", "--idle-timeout"}) {
    EXPECT_NE(result.out.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace segverify::testing
