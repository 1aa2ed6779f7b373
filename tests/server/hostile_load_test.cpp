// `segverify serve` on the open internet (docs/DESIGN.md §Public faces: serve survives on its own),
// against the real binary on loopback, each case bounded in count and time:
// - 64 clients sending their request a byte a second do not stop a normal client;
// - 10,000 idle connections neither stop a normal client nor grow memory without bound, and are
//   closed after the idle timeout;
// - 200 MB of request headers end in 431 or a closed connection, with memory bounded;
// - clients dripping their head, or their body, are closed at the head or body deadline;
// - the connection cap holds (open files stay under it) and idle connections make room;
// - a second serve on the same port exits 2.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "tests/server/serve_process.h"
#include "tests/server/server_harness.h"

namespace segverify::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class HostileLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_limit_ = RaiseTestFileLimit();
    tree_ = BuildTree(dir_.path(), "tree", "11");
    reports_ = dir_.File("reports");
    WriteReport(reports_, "2026-11", "PASS", tree_, "2026-11-01T00:00:00Z");
  }
  std::vector<std::string> State() const { return {"--state", dir_.File("history.sqlite")}; }

  // A normal client's GET: its status and how long it took.
  static std::pair<int, std::chrono::milliseconds> TimedGet(int port, const std::string& path) {
    const auto start = Clock::now();
    const int status = HttpGet(port, path).status;
    return {status, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
  }

  TempDir dir_;
  TreeFixture tree_;
  std::string reports_;
  std::size_t file_limit_ = 0;
};

TEST_F(HostileLoadTest, SixtyFourSlowClientsDoNotStarveANormalOne) {
  ServeProcess serve(reports_, State());
  constexpr int kSlow = 64;
  const std::string request = "GET /status.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: yes\r\n\r\n";
  std::vector<std::unique_ptr<Socket>> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<Socket>(serve.port()));
    ASSERT_TRUE(slow.back()->ok()) << i;
  }
  // Six rounds: every slow client sends one more byte, then a normal client asks for the status.
  std::size_t sent = 0;
  for (int round = 0; round < 6; ++round) {
    for (auto& s : slow) EXPECT_TRUE(s->Send(request.substr(sent, 1))) << "a slow client was dropped at byte " << sent;
    ++sent;
    const auto [status, took] = TimedGet(serve.port(), "/status.json");
    EXPECT_EQ(status, 200) << "round " << round;
    EXPECT_LT(took, 1000ms) << "round " << round;
    std::this_thread::sleep_for(1s);
  }
  // The slow clients are still being served, not starved either: finishing their request gets an answer.
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(slow[i]->Send(request.substr(sent)));
    auto answer = slow[i]->ReadResponse();
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
  }
}

TEST_F(HostileLoadTest, TenThousandIdleConnectionsDoNotStopANormalClient) {
  // Each side of every connection needs a descriptor: this process holds the client ends.
  const std::size_t connections = std::min<std::size_t>(10000, file_limit_ > 300 ? file_limit_ - 300 : 0);
  ASSERT_GE(connections, 1000u) << "open-file limit " << file_limit_ << " is too low for this test";
  if (connections < 10000)
    std::cout << "[ note ] open-file limit " << file_limit_ << ": " << connections << " connections\n";
  ServeProcess serve(reports_, {"--state", dir_.File("history.sqlite"), "--idle-timeout", "4",
                                "--max-connections-per-ip", "20000"});
  const long rss_before = serve.MemoryKb();
  std::vector<std::unique_ptr<Socket>> idle;
  idle.reserve(connections);
  const auto opening = Clock::now();
  for (std::size_t i = 0; i < connections; ++i) {
    idle.push_back(std::make_unique<Socket>(serve.port(), 5s));
    ASSERT_TRUE(idle.back()->ok()) << "connection " << i;
  }
  const auto opened_in = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - opening);
  ASSERT_LT(opened_in, 4000ms) << "opening took too long for the idle-timeout check below";
  for (int i = 0; i < 3; ++i) {
    const auto [status, took] = TimedGet(serve.port(), "/status.json");
    EXPECT_EQ(status, 200);
    EXPECT_LT(took, 1000ms);
  }
  const long rss_held = serve.MemoryKb();
  std::cout << "[ info ] " << connections << " idle connections opened in " << opened_in.count() << " ms; server RSS "
            << rss_before / 1024 << " MiB -> " << rss_held / 1024 << " MiB\n";
  EXPECT_LT(rss_held - rss_before, 200 * 1024) << "memory grows with idle connections beyond 20 KiB each";
  // Past the idle timeout, the server has closed them.
  std::this_thread::sleep_for(5s);
  std::size_t closed = 0;
  for (std::size_t i = 0; i < idle.size(); i += idle.size() / 100) closed += idle[i]->ClosedByPeer(100ms) ? 1u : 0u;
  EXPECT_GE(closed, 95u) << "idle connections are closed after the timeout";
  EXPECT_EQ(HttpGet(serve.port(), "/status.json").status, 200);
}

TEST_F(HostileLoadTest, TwoHundredMegabytesOfHeadersEndIn431OrCloseWithMemoryBounded) {
  ServeProcess serve(reports_, State());
  const long rss_before = serve.MemoryKb();
  constexpr std::size_t kTotal = 200u << 20;
  constexpr int kThreads = 4;
  std::atomic<std::size_t> pushed{0};
  std::atomic<int> connections{0}, answered_431{0}, closed{0}, other{0};
  const std::string block = [] {
    std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
    std::string b;
    while (b.size() < (64u << 10)) b += line;
    return b;
  }();
  const auto start = Clock::now();
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&] {
      while (pushed.load() < kTotal && Clock::now() - start < 60s) {
        Socket socket(serve.port(), 5s);
        if (!socket.ok()) continue;
        ++connections;
        socket.Send("GET /status.json HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        // Headers without end, until the server stops taking them.
        while (pushed.load() < kTotal && socket.Send(block)) pushed += block.size();
        const std::string answer = socket.ReadAll();
        if (answer.rfind("HTTP/1.1 431", 0) == 0)
          ++answered_431;
        else if (answer.empty())
          ++closed;
        else
          ++other;
      }
    });
  }
  for (auto& t : senders) t.join();
  const long peak = serve.MemoryKb("VmHWM");
  std::cout << "[ info ] " << pushed.load() / (1 << 20) << " MiB of headers over " << connections.load()
            << " connections: " << answered_431.load() << " x 431, " << closed.load() << " closed; peak RSS "
            << peak / 1024 << " MiB (" << rss_before / 1024 << " MiB before)\n";
  EXPECT_GE(pushed.load(), kTotal);
  EXPECT_EQ(other.load(), 0) << "every connection ends in 431 or a close";
  EXPECT_GT(answered_431.load(), 0);
  EXPECT_LT(peak - rss_before, 64 * 1024) << "memory must stay bounded";
  EXPECT_EQ(HttpGet(serve.port(), "/status.json").status, 200);
  // Headers just under the bound are still served.
  const HttpAnswer big = HttpGet(serve.port(), "/badge.svg", {{"X-Big", std::string(48u << 10, 'b')}});
  EXPECT_EQ(big.status, 200);
}

TEST_F(HostileLoadTest, TheConnectionCapHoldsAndIdleConnectionsMakeRoom) {
  ServeProcess serve(reports_,
                     {"--state", dir_.File("history.sqlite"), "--max-connections", "50", "--idle-timeout", "2"});
  const std::size_t files_before = serve.OpenFiles();
  std::vector<std::unique_ptr<Socket>> idle;
  for (int i = 0; i < 120; ++i) idle.push_back(std::make_unique<Socket>(serve.port(), 5s));
  std::this_thread::sleep_for(500ms);
  EXPECT_LE(serve.OpenFiles(), files_before + 50 + 4) << "the server holds more connections than its cap";
  // Idle connections are closed after 2 s, so a normal client gets in.
  std::this_thread::sleep_for(3s);
  const auto [status, took] = TimedGet(serve.port(), "/status.json");
  EXPECT_EQ(status, 200);
  EXPECT_LT(took, 4000ms);
}

// Clients that drip their request head a byte at a time never finish it: each byte used to reset the
// idle timeout, so they held their connections forever (16,500 of them locked every normal client
// out). The head must now arrive whole within --head-timeout, whatever arrives meanwhile.
TEST_F(HostileLoadTest, DrippersAreClosedAtTheHeadDeadlineWhateverTheySend) {
  ServeProcess serve(reports_, {"--state", dir_.File("history.sqlite"), "--head-timeout", "3", "--idle-timeout", "2"});
  constexpr std::uint32_t kAttacker = 0x7f000002;  // 127.0.0.2
  std::vector<std::unique_ptr<Socket>> drippers;
  for (int i = 0; i < 20; ++i) {
    drippers.push_back(std::make_unique<Socket>(serve.port(), 5s, kAttacker));
    ASSERT_TRUE(drippers.back()->ok()) << i;
  }
  const std::string head = "GET /status.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Drip: ";
  const auto start = Clock::now();
  std::size_t sent = 0;
  bool all_closed = false;
  while (Clock::now() - start < 12s && !all_closed) {
    all_closed = true;
    for (auto& d : drippers) {
      if (d->ok() && d->Send(std::string(1, sent < head.size() ? head[sent] : 'x'))) all_closed = false;
    }
    ++sent;
    std::this_thread::sleep_for(1s);  // under the 2 s idle timeout: activity never stops
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  std::cout << "[ info ] 20 drippers (a byte a second) closed after " << took.count() << " ms\n";
  EXPECT_TRUE(all_closed) << "drippers still connected after " << took.count() << " ms";
  EXPECT_LT(took, 9000ms);  // closed at 3 s; a client notices on its next send or two
  EXPECT_EQ(HttpGet(serve.port(), "/status.json").status, 200);
}

// A client that sends a whole head announcing a body, then drips the body a byte a second, is
// closed at the body deadline (--body-timeout, counted from the end of its head), which its bytes
// do not extend: it comes well inside the idle timeout every time. Meanwhile normal clients are
// served, both a page and a proof check on the endpoint the drippers hold.
TEST_F(HostileLoadTest, BodyDrippersAreClosedAtTheBodyDeadlineWhileOthersAreServed) {
  ServeProcess serve(reports_, {"--state", dir_.File("history.sqlite"), "--body-timeout", "3", "--idle-timeout", "2",
                                "--head-timeout", "10"});
  constexpr std::uint32_t kAttacker = 0x7f000002;  // 127.0.0.2
  std::vector<std::unique_ptr<Socket>> drippers;
  for (int i = 0; i < 10; ++i) {
    drippers.push_back(std::make_unique<Socket>(serve.port(), 5s, kAttacker));
    ASSERT_TRUE(drippers.back()->ok()) << i;
    ASSERT_TRUE(drippers.back()->Send(
        "POST /api/verify-proof HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n"));
  }
  const auto start = Clock::now();
  bool all_closed = false;
  std::optional<std::chrono::milliseconds> first_close;
  while (Clock::now() - start < 15s && !all_closed) {
    all_closed = true;
    for (auto& d : drippers) {
      if (d->ok() && d->Send("{")) {
        all_closed = false;
      } else if (!first_close) {
        first_close = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      }
    }
    const auto [status, took] = TimedGet(serve.port(), "/status.json");
    EXPECT_EQ(status, 200);
    EXPECT_LT(took, 2000ms);
    const HttpAnswer check = HttpRequest(serve.port(), "POST", "/api/verify-proof", tree_.alice_proof);
    EXPECT_EQ(check.status, 200) << check.body;
    std::this_thread::sleep_for(1s);  // under the 2 s idle timeout: activity never stops
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  std::cout << "[ info ] 10 body drippers (a byte a second) closed after " << took.count() << " ms (first noticed at "
            << first_close.value_or(took).count() << " ms)\n";
  EXPECT_TRUE(all_closed) << "body drippers still connected after " << took.count() << " ms";
  EXPECT_GE(first_close.value_or(took), 2500ms) << "closed before the body deadline";
  EXPECT_LT(took, 9000ms);  // closed at 3 s; a client notices on its next send or two
}

// One client address cannot take the whole connection cap: 200 connections from 127.0.0.2 against a
// cap of 150 leave room for a normal client at 127.0.0.1.
TEST_F(HostileLoadTest, OneAddressCannotTakeTheWholeConnectionCap) {
  ServeProcess serve(reports_, {"--state", dir_.File("history.sqlite"), "--max-connections", "150",
                                "--max-connections-per-ip", "100"});
  std::vector<std::unique_ptr<Socket>> flood;
  for (int i = 0; i < 200; ++i) flood.push_back(std::make_unique<Socket>(serve.port(), 5s, 0x7f000002));
  std::this_thread::sleep_for(500ms);
  const auto [status, took] = TimedGet(serve.port(), "/status.json");
  EXPECT_EQ(status, 200);
  EXPECT_LT(took, 2000ms);
}

// Two different Content-Length headers frame the body two ways: 400, never "the first one".
TEST_F(HostileLoadTest, TwoDifferentContentLengthsAre400) {
  ServeProcess serve(reports_, State());
  const std::string answer = RawExchange(serve.port(),
                                         "POST /api/verify-proof HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                         "Content-Length: 20\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
}

TEST_F(HostileLoadTest, ASecondServeOnTheSamePortExits2) {
  ServeProcess first(reports_, State());
  const CommandResult second = RunSegverify(
      {"serve", "--report", reports_, "--port", std::to_string(first.port()), "--state", dir_.File("second.sqlite")});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("already in use"), std::string::npos) << second.err;
  // The first one still answers, alone.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(HttpGet(first.port(), "/status.json").status, 200);
}

}  // namespace
}  // namespace segverify::testing
