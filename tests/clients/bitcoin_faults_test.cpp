// `segverify balances` on Bitcoin sources that answer garbage or truncated JSON (the Bitcoin test
// server's --fault modes), alone and beside an honest source: exit 2 naming the faulty source.
#include <gtest/gtest.h>

#include "tests/support/bitcoin_test_server.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

MeasuredRun Balances(const std::vector<std::string>& sources, const TempDir& dir) {
  std::vector<std::string> args = {"balances", "--chain", "bitcoin"};
  for (const auto& s : sources) {
    args.push_back("--source");
    args.push_back(s);
  }
  // --source takes several values: an option must follow it before the address.
  args.insert(args.end(), {"--height", "100", ChainAddresses().front().address});
  return RunSegverifyMeasured(args, dir, std::chrono::seconds(30));
}

TEST(BitcoinFaults, HonestSourcesAgree) {
  BitcoinTestServer honest({"--tip", "100"});
  TempDir dir;
  auto run = Balances({"bitcoin-core=" + honest.core_url(), "esplora=" + honest.url()}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST(BitcoinFaults, GarbageOrTruncatedAnswersAreErrorsNamingTheSource) {
  BitcoinTestServer honest({"--tip", "100"});
  for (const std::string fault : {"garbage", "truncated"}) {
    BitcoinTestServer faulty({"--tip", "100", "--fault", fault});
    for (const std::string type : {"bitcoin-core", "esplora"}) {
      SCOPED_TRACE(fault + " " + type);
      const std::string faulty_url = type == "esplora" ? faulty.url() : faulty.core_url();
      const std::string honest_url = type == "esplora" ? honest.url() : honest.core_url();
      TempDir dir;
      for (const auto& sources : {std::vector<std::string>{type + "=" + faulty_url},
                                  std::vector<std::string>{type + "=" + honest_url, type + "=" + faulty_url}}) {
        auto run = Balances(sources, dir);
        ExpectCannotCheck(run, faulty.url());
        EXPECT_EQ(run.err.find("user:pass"), std::string::npos) << "credentials in an error: " << run.err;
      }
    }
  }
}

}  // namespace
}  // namespace segverify::testing
