#include "verifier/cli/eth_code.h"

namespace segverify::cli {

Result<CodeAtBlock> ReadCodeAt(clients::EthereumClient& client, const EthAddress& address,
                               std::optional<std::uint64_t> block) {
  if (!block) {
    auto latest = client.LatestBlockNumber();
    if (!latest) return latest.error();
    block = *latest;
  }
  auto hash = client.BlockHash(*block);
  if (!hash) return hash.error();
  auto codes = client.Codes({address}, clients::EthBlockPin{*block, *hash});
  if (!codes) return codes.error();
  return CodeAtBlock{*block, !codes->front().empty()};
}

}  // namespace segverify::cli
