// TLS for loopback tests: throw-away certificates made at test time with
// tests/support/servers/make_test_certs.sh (openssl), and tests/support/servers/tls_proxy.py to put https in front
// of an http node (anvil).
#pragma once

#include <stdexcept>
#include <string>

#include "tests/support/bitcoin_test_server.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {

// OUTDIR/ca.pem (the test CA), and for each leaf NAME.pem / NAME.key: "server" (127.0.0.1 and
// localhost, signed by the CA), "expired" (valid only in January 2020), "wronghost" (only
// example.invalid), "untrusted" (signed by other-ca.pem, which tests do not trust). Made once per
// test process, removed at its exit.
class TestCerts {
 public:
  static const TestCerts& Get() {
    static const TestCerts certs;
    return certs;
  }
  std::string CaFile() const { return dir_.File("ca.pem"); }
  std::string OtherCaFile() const { return dir_.File("other-ca.pem"); }
  std::string Cert(const std::string& name) const { return dir_.File(name + ".pem"); }
  std::string Key(const std::string& name) const { return dir_.File(name + ".key"); }
  // Flags that make a loopback test server speak https with the leaf `name`.
  std::vector<std::string> ServerFlags(const std::string& name = "server") const {
    return {"--tls-cert", Cert(name), "--tls-key", Key(name)};
  }

 private:
  TestCerts() {
    auto made = RunProgram("sh", {SourcePath("tests/support/servers/make_test_certs.sh"), dir_.path()});
    if (made.exit_code != 0) throw std::runtime_error("make_test_certs.sh failed: " + made.err);
  }
  TempDir dir_;
};

// https://127.0.0.1:<port> in front of `upstream` (an http URL), with the leaf `cert`.
class TlsProxy {
 public:
  explicit TlsProxy(const std::string& upstream, const std::string& cert = "server")
      : process_("python3",
                 {SourcePath("tests/support/servers/tls_proxy.py"), "--upstream", upstream, "--cert",
                  TestCerts::Get().Cert(cert), "--key", TestCerts::Get().Key(cert)},
                 true),
        url_("https://127.0.0.1:" + process_.FirstLine(10000)) {}

  const std::string& url() const { return url_; }

 private:
  ChildProcess process_;
  std::string url_;
};

// `segverify balances` of the test chain's first address from `server` as an Esplora source at
// height 120 (where it holds 0.6 BTC), for the https tests to add --ca-file to.
inline std::vector<std::string> EsploraBalancesArgs(const BitcoinTestServer& server) {
  return {"balances", "--chain", "bitcoin", "--source", "esplora=" + server.url(), "--height", "120",
          ChainAddresses()[0].address};
}

}  // namespace segverify::testing
