// Starts tests/support/servers/lying_eth_proxy.py (a JSON-RPC front that forwards to a real node and lies
// in the way named by `lie`) on a free loopback port for one test; stopped and waited for on
// destruction.
#pragma once

#include <string>

#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {

class LyingFront {
 public:
  LyingFront(const std::string& upstream, const std::string& lie)
      : process_("python3", {SourcePath("tests/support/servers/lying_eth_proxy.py"), "--upstream", upstream, "--lie", lie},
                 true),
        url_("http://127.0.0.1:" + process_.FirstLine(10000)) {}
  const std::string& url() const { return url_; }

 private:
  ChildProcess process_;
  std::string url_;
};

}  // namespace segverify::testing
