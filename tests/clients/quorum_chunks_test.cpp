// The quorum reads large address lists in chunks so that progress moves by addresses read
// (clients/quorum.h); the chunks must put every balance back at its own address. Checked on a
// real node (anvil) whose balances the test sets itself, with one request per address
// (eth_batch_size 1), so 45 addresses are read in three chunks (20, 20, 5).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "clients/quorum.h"
#include "tests/support/anvil.h"

namespace segverify::clients {
namespace {

using testing::AnvilNode;

std::string FreshAddress(unsigned n) { return testing::UnusedEthAddress(n, 0x2000u); }

TEST(QuorumChunks, EveryBalanceStaysWithItsAddressAndProgressCountsAddresses) {
  AnvilNode node;
  // wei = 1000 + index for a few addresses across the chunk boundaries, 0 elsewhere.
  const std::vector<unsigned> funded = {0, 19, 20, 21, 39, 40, 44};
  for (unsigned i : funded) {
    char wei[32];
    std::snprintf(wei, sizeof wei, "0x%x", 1000 + i);
    node.SetBalance(FreshAddress(i), wei);
  }
  node.Mine();
  BalanceQuery query;
  query.chain = Chain::kEthereum;
  query.height = 1;
  for (unsigned i = 0; i < 45; ++i) query.addresses.push_back({FreshAddress(i), ""});
  query.assets.push_back({"ETH", std::nullopt});
  SourceOptions options;
  options.expected_chain_id = 31337;
  options.eth_batch_size = 1;
  std::mutex mutex;
  std::vector<std::uint64_t> progress;
  auto result =
      ReadChainBalances(query, {{SourceType::kEthereum, node.url(), ""}, {SourceType::kEthereum, node.url(), ""}},
                        LiveTransports(), options, [&](std::string_view step, std::uint64_t done, std::uint64_t total) {
                          std::lock_guard lock(mutex);
                          EXPECT_EQ(step, "ethereum: reading balances");
                          EXPECT_EQ(total, 90u);  // 45 addresses x 2 sources
                          progress.push_back(done);
                        });
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->balances.size(), 45u);
  for (unsigned i = 0; i < 45; ++i) {
    const bool is_funded = std::find(funded.begin(), funded.end(), i) != funded.end();
    EXPECT_EQ(result->balances[i].address, FreshAddress(i));
    EXPECT_EQ(U128ToDecimal(result->balances[i].amount), is_funded ? std::to_string(1000 + i) : "0") << i;
  }
  // 0 at the pin, then 3 chunks per source: 7 updates, ending at 90.
  EXPECT_EQ(progress.size(), 7u);
  EXPECT_EQ(progress.front(), 0u);
  EXPECT_EQ(progress.back(), 90u);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));  // never backwards
}

}  // namespace
}  // namespace segverify::clients
