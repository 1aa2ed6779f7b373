// Proxy variables (docs/DESIGN.md §Node transport): HTTP_PROXY for http nodes, HTTPS_PROXY for
// https
// nodes (a CONNECT tunnel: TLS stays end to end, the node's certificate is still checked), NO_PROXY
// for the hosts reached directly. The proxy is tests/support/servers/connect_proxy.py on loopback, which
// logs what it was asked; a proxy that cannot be reached shows that the variable is really used.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/support/bitcoin_test_server.h"
#include "tests/support/tls_test_support.h"
#include "tests/support/faulty_eth_node.h"

namespace segverify::testing {
namespace {

class Proxy {
 public:
  explicit Proxy(const std::string& log)
      : process_("python3", {SourcePath("tests/support/servers/connect_proxy.py"), "--request-log", log}, true),
        url_("http://127.0.0.1:" + process_.FirstLine(10000)) {}
  const std::string& url() const { return url_; }

 private:
  ChildProcess process_;
  std::string url_;
};

// Sets environment variables for the segverify runs of one test, and removes them after.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, std::string>> vars) {
    for (const auto& [name, value] : vars) {
      ::setenv(name, value.c_str(), 1);
      names_.push_back(name);
    }
  }
  ~ScopedEnv() {
    for (const char* name : names_) ::unsetenv(name);
  }

 private:
  std::vector<const char*> names_;
};

int Lines(const std::string& path) {
  int n = 0;
  if (!FileExists(path)) return 0;
  for (char c : ReadFile(path)) n += c == '\n' ? 1 : 0;
  return n;
}

std::vector<std::string> EthBalances(const FaultyEthNode& node) {
  return {"balances", "--chain", "ethereum", "--source", "ethereum=" + node.url(), "--height", "16", kFaultTestAddress};
}

TEST(Proxy, HttpProxyAndNoProxy) {
  TempDir dir;
  FaultyEthNode node("none");
  Proxy proxy(dir.File("proxy.log"));
  {
    ScopedEnv env({{"HTTP_PROXY", proxy.url()}});
    auto run = RunSegverify(EthBalances(node));
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(ReadFile(dir.File("proxy.log")).find("http://127.0.0.1:" + node.port() + "/"), std::string::npos);
  }
  const int through_proxy = Lines(dir.File("proxy.log"));
  EXPECT_GE(through_proxy, 3);  // chain id, pin, reads
  {
    ScopedEnv env({{"http_proxy", proxy.url()}, {"NO_PROXY", "127.0.0.1"}});
    auto run = RunSegverify(EthBalances(node));
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(Lines(dir.File("proxy.log")), through_proxy) << "NO_PROXY host went through the proxy";
  }
  {
    ScopedEnv env({{"HTTP_PROXY", "http://127.0.0.1:1"}});  // nothing listens there
    auto run = RunSegverify(EthBalances(node));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("ethereum source 1 (" + node.url() + ")"), std::string::npos) << run.err;
  }
}

TEST(Proxy, HttpsProxyTunnelsAndTheNodeCertificateIsStillChecked) {
  TempDir dir;
  const auto& certs = TestCerts::Get();
  BitcoinTestServer server(certs.ServerFlags());
  Proxy proxy(dir.File("proxy.log"));
  std::vector<std::string> args = EsploraBalancesArgs(server);
  ScopedEnv env({{"HTTPS_PROXY", proxy.url()}});
  auto untrusted = RunSegverify(args);  // the test CA is not in the system store, proxy or not
  EXPECT_EQ(untrusted.exit_code, 2);
  EXPECT_NE(untrusted.err.find("TLS certificate not accepted"), std::string::npos) << untrusted.err;
  args.insert(args.begin() + 1, {"--ca-file", certs.CaFile()});
  auto run = RunSegverify(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(
      ReadFile(dir.File("proxy.log")).find("\"CONNECT\", \"target\": \"127.0.0.1:" + std::to_string(server.port())),
      std::string::npos)
      << ReadFile(dir.File("proxy.log"));
}

}  // namespace
}  // namespace segverify::testing
