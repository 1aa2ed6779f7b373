#include "verifier/cli/eth_code.h"

#include "clients/ethereum_client.h"
#include "clients/http_transport.h"

namespace segverify::cli {

Result<CodeAtBlock> ReadCodeAt(const std::string& rpc_url, const EthAddress& address,
                               std::optional<std::uint64_t> block) {
  auto transport = clients::MakeHttpTransport(rpc_url, "");
  if (!transport) return transport.error();
  clients::EthereumClient client(std::move(*transport));
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
