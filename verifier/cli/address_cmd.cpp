// `segverify address inspect`: decodes one address and prints its type, canonical form and
// scriptPubKey (docs/DESIGN.md §Command line). An address that does not decode is exit 2
// with the decoder's reason.
#include <rapidjson/document.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "clients/http_transport.h"
#include "common/hex.h"
#include "common/json.h"
#include "common/printable.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/eth_code.h"
#include "verifier/cli/exit_codes.h"

namespace segverify::cli {
namespace {

struct InspectOptions {
  std::string chain;
  std::string address;
  std::optional<std::string> rpc;      // ethereum: a node to ask whether the address has code
  std::optional<std::uint64_t> block;  // with --rpc; default: the node's latest block
  bool json = false;
};

// Ordered (key, value) pairs: printed as "key: value" lines or as one flat JSON object.
using Fields = std::vector<std::pair<std::string, std::string>>;

void PrintFields(const Fields& fields, bool json) {
  if (!json) {
    for (const auto& [key, value] : fields) std::cout << key << ": " << Printable(value) << '\n';
    return;
  }
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  for (const auto& [key, value] : fields) {
    doc.AddMember(rapidjson::Value(key.c_str(), alloc), rapidjson::Value(value.c_str(), alloc), alloc);
  }
  std::cout << JsonToString(doc) << '\n';
}

int InspectBitcoin(const InspectOptions& options) {
  auto decoded = chain::DecodeBitcoinAddress(options.address);
  if (!decoded) return ReportError("address: invalid bitcoin address: " + decoded.error().message);
  Fields fields = {{"chain", "bitcoin"},
                   {"type", std::string(chain::ToString(decoded->type))},
                   {"address", decoded->canonical},
                   {"script_pubkey", ToHex(decoded->script_pubkey)},
                   {"network", std::string(chain::ToString(decoded->network))}};
  if (decoded->witness_version >= 0 && !options.json) {
    fields.emplace_back("witness_version", std::to_string(decoded->witness_version));
    fields.emplace_back("witness_program", ToHex(decoded->program));
  }
  PrintFields(fields, options.json);
  return kExitHolds;
}

int InspectEthereum(const InspectOptions& options);

// Without --chain: the chain whose decoder accepts the address. The forms cannot overlap in
// practice ("0x" is not Base58 nor Bech32), but if both ever accepted one, guessing could
// describe the wrong account: refuse and ask for --chain.
int InspectDetected(InspectOptions options) {
  const auto bitcoin = chain::DecodeBitcoinAddress(options.address);
  const auto ethereum = chain::DecodeEthereumAddress(options.address);
  if (bitcoin && ethereum) {
    return ReportError("address: " + options.address + " is both a bitcoin and an ethereum address; give --chain");
  }
  if (bitcoin)
    options.chain = "bitcoin";
  else if (ethereum)
    options.chain = "ethereum";
  else {
    // Neither: explain with the decoder of the chain the address looks like.
    const bool looks_ethereum = options.address.size() >= 2 && options.address[0] == '0' &&
                                (options.address[1] == 'x' || options.address[1] == 'X');
    return ReportError("address: not a bitcoin or ethereum address: " + (looks_ethereum
                                                                             ? "ethereum: " + ethereum.error().message
                                                                             : "bitcoin: " + bitcoin.error().message));
  }
  return options.chain == "bitcoin" ? InspectBitcoin(options) : InspectEthereum(options);
}

int InspectEthereum(const InspectOptions& options) {
  auto decoded = chain::DecodeEthereumAddress(options.address);
  if (!decoded) return ReportError("address: invalid ethereum address: " + decoded.error().message);
  if (!options.rpc) {
    // The address form alone cannot tell a contract from a key's account: only a node can.
    PrintFields({{"chain", "ethereum"},
                 {"type", "unknown"},
                 {"address", decoded->canonical},
                 {"note", "an EOA or a contract: the address alone cannot tell (give --rpc URL)"}},
                options.json);
    return kExitHolds;
  }
  auto transport = clients::MakeHttpTransport(*options.rpc, "", {}, "--rpc");
  if (!transport) return ReportError(transport.error().message);
  clients::EthereumClient node(std::move(*transport));
  auto code = ReadCodeAt(node, decoded->bytes, options.block);
  if (!code) return ReportError(code.error().message);
  PrintFields({{"chain", "ethereum"},
               {"type", code->has_code ? "contract" : "eoa"},
               {"address", decoded->canonical},
               {"block", std::to_string(code->block)}},
              options.json);
  return kExitHolds;
}

}  // namespace

void AddAddressCommands(CLI::App& root, int& exit_code) {
  CLI::App* group = root.add_subcommand("address", "Bitcoin and Ethereum address codecs");
  group->require_subcommand(1);

  auto options = std::make_shared<InspectOptions>();
  CLI::App* inspect = group->add_subcommand(
      "inspect", "Decode an address: type, canonical form, scriptPubKey (exit 2 if it is not a valid address)");
  inspect->add_option("--chain", options->chain, "bitcoin or ethereum (default: detected from the address)")
      ->check(CLI::IsMember({"bitcoin", "ethereum"}));
  inspect->add_option("address", options->address, "the address to decode")->required();
  inspect->add_option("--rpc", options->rpc, "ethereum: a JSON-RPC node, to tell a contract from an EOA");
  inspect->add_option("--block", options->block, "ethereum, with --rpc: the block to look at (default: latest)");
  inspect->add_flag("--json", options->json, "print one JSON object");
  inspect->callback([options, &exit_code] {
    if (options->chain.empty())
      exit_code = InspectDetected(*options);
    else
      exit_code = options->chain == "bitcoin" ? InspectBitcoin(*options) : InspectEthereum(*options);
  });
}

}  // namespace segverify::cli
