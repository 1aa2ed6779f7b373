// `segverify sig verify`: checks one ownership proof (docs/DESIGN.md §Command line).
// valid → exit 0 and "valid: ..." on stdout; invalid → exit 1 and "invalid: ..." on stdout;
// unsupported, malformed, or cannot check (node unreachable) → exit 2 with one line on stderr.
// With --json the verdict is also printed on stdout as one JSON object, whatever the exit code.
#include <rapidjson/document.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "clients/ethereum_client.h"
#include "clients/http_transport.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "common/json.h"
#include "common/printable.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/ownership.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/eth_code.h"
#include "verifier/cli/exit_codes.h"

namespace segverify::cli {
namespace {

constexpr std::size_t kMaxMessageFileBytes = 1u << 20;

struct SigVerifyOptions {
  std::string chain;
  std::string address;
  std::optional<std::string> message;
  std::optional<std::string> message_file;
  std::string signature;
  std::optional<std::string> type;
  std::optional<std::string> script_hex;
  std::optional<std::string> rpc;
  std::optional<std::uint64_t> block;
  std::string ca_file;
  std::optional<double> timeout_s;
  bool json = false;
};

int ExitCodeFor(chain::OwnershipVerdict verdict) {
  switch (verdict) {
    case chain::OwnershipVerdict::kValid:
      return kExitHolds;
    case chain::OwnershipVerdict::kInvalid:
      return kExitDoesNotHold;
    default:
      return kExitCannotCheck;
  }
}

void PrintJson(const chain::OwnershipClaim& claim, const chain::OwnershipResult& result) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  auto text = [&alloc](std::string_view s) { return JsonStringValue(s, alloc); };
  doc.AddMember("chain", text(ToString(claim.chain)), alloc);
  doc.AddMember("address", text(claim.address), alloc);
  if (claim.type) doc.AddMember("type", text(chain::ToString(*claim.type)), alloc);
  doc.AddMember("valid", result.ok(), alloc);
  doc.AddMember("verdict", text(chain::ToString(result.verdict)), alloc);
  doc.AddMember("reason", text(result.reason), alloc);
  rapidjson::Value keys(rapidjson::kArrayType);
  for (const Bytes& key : result.signer_keys) keys.PushBack(text(ToHex(key)), alloc);
  doc.AddMember("signer_keys", keys, alloc);
  std::cout << JsonToString(doc) << '\n';
}

// eth_call through the Ethereum client, pinned to the hash the node reports for `block` (the
// client re-checks that hash around the call, so a reorg mid-call is an error, not an answer).
chain::EthCall MakeEthCall(std::shared_ptr<clients::EthereumClient> client) {
  return [client](const std::array<std::uint8_t, 20>& to, const Bytes& calldata,
                  std::uint64_t block) -> Result<EthCallResult> {
    auto hash = client->BlockHash(block);
    if (!hash) return hash.error();
    return client->EthCall(to, calldata, clients::EthBlockPin{block, *hash});
  };
}

// Fills `claim` from the options; an Error names the option at fault.
Status BuildClaim(const SigVerifyOptions& options, chain::OwnershipClaim& claim) {
  auto chain = ParseChain(options.chain);
  if (!chain) return Error{"--chain: " + chain.error().message};
  claim.chain = *chain;
  claim.address = options.address;
  claim.signature = options.signature;
  if (options.message_file) {
    auto text = ReadFileLimited(*options.message_file, kMaxMessageFileBytes);
    if (!text) return Error{"--message-file: " + text.error().message};
    claim.message = std::move(*text);
  } else if (options.message) {
    claim.message = *options.message;
  } else {
    return Error{"one of --message or --message-file is required"};
  }
  if (options.type) {
    auto type = chain::ParseProofType(*options.type);
    if (!type) return Error{"--type: " + type.error().message};
    claim.type = *type;
  }
  if (options.script_hex) {
    auto script = FromHex(*options.script_hex);
    if (!script || script->empty()) return Error{"--script: expected the witness script as hex"};
    claim.witness_script = std::move(*script);
  }
  claim.block = options.block;
  if (claim.chain != Chain::kEthereum) return Status::Ok();
  if (!options.rpc) {
    // Without a node only EIP-191 can be checked: offline, detection cannot tell a contract from a
    // key's account and says "needs a node" rather than "invalid" (verifier/chain/ownership.h).
    if (claim.type == chain::ProofType::kErc1271) return Error{"--type erc1271 needs --rpc URL and --block N"};
    return Status::Ok();
  }
  if (!options.block) return Error{"--rpc needs --block N (the block the address is checked at)"};
  clients::HttpOptions http;
  http.ca_file = options.ca_file;
  if (options.timeout_s) http.timeout = std::chrono::milliseconds(static_cast<long long>(*options.timeout_s * 1000));
  auto transport = clients::MakeHttpTransport(*options.rpc, "", http, "--rpc");
  if (!transport) return Error{transport.error().message};
  auto client = std::make_shared<clients::EthereumClient>(std::move(*transport));
  claim.eth_call = MakeEthCall(client);
  // With a node, the address's code decides: a contract proves ownership with ERC-1271 only.
  if (auto address = chain::DecodeEthereumAddress(claim.address)) {
    auto code = ReadCodeAt(*client, address->bytes, options.block);
    if (!code) return Error{"cannot-check: cannot ask the node whether the address has code: " + code.error().message};
    claim.has_code = code->has_code;
  }
  return Status::Ok();
}

int RunSigVerify(const SigVerifyOptions& options) {
  chain::OwnershipClaim claim;
  if (Status built = BuildClaim(options, claim); !built) return ReportError(built.message());
  const chain::OwnershipResult result = chain::VerifyOwnership(claim);
  if (options.json) PrintJson(claim, result);
  const int code = ExitCodeFor(result.verdict);
  if (code == kExitCannotCheck) {
    return ReportError(std::string(chain::ToString(result.verdict)) + ": " + result.reason);
  }
  if (!options.json) std::cout << chain::ToString(result.verdict) << ": " << Printable(result.reason) << '\n';
  return code;
}

}  // namespace

void AddSigCommands(CLI::App& root, int& exit_code) {
  CLI::App* sig = root.add_subcommand("sig", "Ownership proofs (signatures over a message)");
  sig->require_subcommand(1);
  auto options = std::make_shared<SigVerifyOptions>();
  CLI::App* verify = sig->add_subcommand(
      "verify", "Check that a signature proves control of an address (exit 0 valid, 1 invalid, 2 cannot check)");
  verify->add_option("--chain", options->chain, "bitcoin or ethereum")->required();
  verify->add_option("--address", options->address, "The address the signature is for")->required();
  auto* message = verify->add_option("--message", options->message, "The signed message, exactly");
  auto* message_file =
      verify->add_option("--message-file", options->message_file, "Read the signed message from a file (bytes as-is)");
  message->excludes(message_file);
  verify->add_option("--signature", options->signature, "Base64 (Bitcoin) or 0x-hex (Ethereum) signature")->required();
  verify->add_option("--type", options->type,
                     "bip137, bip322, eip191 or erc1271 (default: detect; an Ethereum contract needs --rpc)");
  verify->add_option("--script", options->script_hex, "P2WSH witness script (hex) the address must commit to");
  verify->add_option("--rpc", options->rpc,
                     "Ethereum JSON-RPC URL, http or https: tells a contract from an EOA, asks erc1271");
  verify->add_option("--block", options->block, "Block number to check the address at (with --rpc)");
  verify
      ->add_option("--ca-file", options->ca_file,
                   "PEM file of the CAs to trust for an https --rpc (default: the system store)")
      ->check(CLI::ExistingFile);
  verify->add_option("--timeout", options->timeout_s, "Deadline of every --rpc request, in seconds (default 60)")
      ->check(CLI::Range(0.1, 86400.0));
  verify->add_flag("--json", options->json, "Print the verdict as JSON");
  verify->callback([options, &exit_code] { exit_code = RunSigVerify(*options); });
}

}  // namespace segverify::cli
