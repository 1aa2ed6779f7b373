// `segverify balances` on Bitcoin sources that answer garbage or truncated JSON (the Bitcoin test
// server's --fault modes), alone and beside an honest source: exit 2 naming the faulty source.
#include <gtest/gtest.h>

#include "tests/clients/bitcoin_test_server.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

MeasuredRun Balances(const std::vector<std::string>& sources, const TempDir& dir) {
  std::vector<std::string> args = {"balances", "--chain", "bitcoin", "--height", "100"};
  for (const auto& s : sources) {
    args.push_back("--source");
    args.push_back(s);
  }
  args.push_back(ChainAddresses().front().address);
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
      ExpectCannotCheck(Balances({type + "=" + faulty_url}, dir), faulty.url());
      ExpectCannotCheck(Balances({type + "=" + honest_url, type + "=" + faulty_url}, dir), faulty.url());
    }
  }
}

}  // namespace
}  // namespace segverify::testing
