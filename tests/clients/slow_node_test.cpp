// A node that answers only after the request's deadline: the clients give up (an Error naming the
// source, within about the timeout, never waiting for the answer) and the attestation is ERROR.
// Driven through the libraries with a 400 ms timeout: the CLI's own timeouts are minutes long
// (scantxoutset on a real node takes minutes), too long for the suite.
#include <chrono>

#include <gtest/gtest.h>

#include "clients/ethereum_client.h"
#include "clients/http_transport.h"
#include "tests/support/faulty_eth_node.h"
#include "verifier/attest/attestation.h"

namespace segverify::testing {
namespace {

constexpr double kDelaySeconds = 4.0;

clients::HttpOptions ShortTimeouts() {
  clients::HttpOptions options;
  options.timeout = std::chrono::milliseconds(400);
  options.connection_retries = 1;
  options.connection_backoff = std::chrono::milliseconds(10);
  return options;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The attestation of the minimal fault config, with short client timeouts, against `node`.
Result<report::Report> AttestAgainst(const FaultyEthNode& node, const TempDir& dir) {
  attest::AttestOptions options;
  options.config_path = WriteFaultConfig(dir, node.url());
  options.out_dir = dir.File("out");
  options.http = ShortTimeouts();
  return attest::RunAttestation(options);
}

TEST(SlowNode, ClientTimesOutNamingTheSource) {
  FaultyEthNode node("slow", 0, kDelaySeconds);
  auto transport = clients::MakeHttpTransport(node.url(), "", ShortTimeouts());
  ASSERT_TRUE(transport.ok()) << transport.error().message;
  clients::EthereumClient client(std::move(*transport));
  const auto start = std::chrono::steady_clock::now();
  auto chain_id = client.ChainId();
  ASSERT_FALSE(chain_id.ok()) << "a slow answer past the timeout was accepted";
  EXPECT_NE(chain_id.error().message.find(node.url()), std::string::npos) << chain_id.error().message;
  EXPECT_LT(SecondsSince(start), kDelaySeconds);
}

TEST(SlowNode, AttestationIsErrorNamingTheSource) {
  for (int after : {0, 2}) {
    SCOPED_TRACE("slow after " + std::to_string(after) + " requests");
    FaultyEthNode node("slow", after, kDelaySeconds);
    TempDir dir;
    auto report = AttestAgainst(node, dir);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(report->verdict, report::Verdict::kError);
    ASSERT_FALSE(report->problems.empty());
    EXPECT_NE(report->problems.front().line.find(node.url()), std::string::npos) << report->problems.front().line;
    // The problem is a value: which (a late answer), on which chain, from which source.
    EXPECT_EQ(report->problems.front().kind, ProblemKind::kTimedOut) << report->problems.front().line;
    EXPECT_EQ(report->problems.front().chain, "ethereum");
    EXPECT_EQ(report->problems.front().source, std::optional<std::size_t>(0));
  }
}

TEST(SlowNode, SameConfigPassesWhenTheNodeIsFastEnough) {
  FaultyEthNode node("slow", 0, 0.05);
  TempDir dir;
  auto report = AttestAgainst(node, dir);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, report::Verdict::kPass);
}

}  // namespace
}  // namespace segverify::testing
