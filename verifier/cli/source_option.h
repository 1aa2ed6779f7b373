// A node given on the command line as `--source TYPE=URL` (balances) or `--source CHAIN=TYPE=URL`
// (recheck): the one parser of its TYPE=URL part.
#pragma once

#include <string>
#include <string_view>

#include "clients/chain_source.h"
#include "common/result.h"

namespace segverify::cli {

// "TYPE=URL": TYPE is bitcoin-core, esplora or ethereum; URL http or https. Bitcoin Core
// credentials come from the URL's user-info, else from the environment (SEGVERIFY_RPC_AUTH =
// user:pass), never from a separate option (where `ps` would show them). `n` (from 1) numbers the
// option in errors, which never repeat the URL. The label is left to the caller.
[[nodiscard]] Result<clients::SourceConfig> ParseSourceOption(std::string_view text, std::size_t n);

}  // namespace segverify::cli
