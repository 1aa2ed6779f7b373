#include "verifier/cli/examples.h"

#include <sstream>
#include <string>
#include <string_view>

namespace segverify::cli {
namespace {

struct Example {
  std::string_view command;  // "proof verify": the path of subcommands
  std::string_view text;     // the footer: a sentence if needed, then "Example(s):" and commands
};

constexpr std::string_view kAttest =
    "OUT is replaced whole when the run reaches a verdict (PASS, FAIL, ERROR), and left as it was otherwise.\n"
    "Examples:\n"
    "  segverify attest attestation-2026-11.json --out site/2026-11 --nonce-key-file nonce.key\n"
    "  segverify attest attestation-2026-11.json --out site/2026-11 --replay site/2026-11/evidence";
constexpr std::string_view kServe =
    "Example:\n"
    "  segverify serve --report site/2026-11 --port 8080 --bind 127.0.0.1";
constexpr std::string_view kPublish =
    "Example (SITE keeps the history of the site it replaces):\n"
    "  segverify publish --report site/2026-11 --out public-site";
constexpr std::string_view kRecheck =
    "Give at least one node of your own for each chain the attestation pins (EVM state at a past block needs an\n"
    "archive node). Exit 0: holds, as published; 1: does not hold, or differs from what was published; 2: could\n"
    "not check.\n"
    "Examples:\n"
    "  segverify recheck https://status.example-exchange.com/ \\\n"
    "      --source bitcoin=esplora=https://blockstream.info/api \\\n"
    "      --source ethereum=ethereum=https://your-archive-node.example\n"
    "  segverify recheck site/ --source bitcoin=bitcoin-core=http://user:pass@127.0.0.1:8332 \\\n"
    "      --source ethereum=ethereum=http://127.0.0.1:8545";
constexpr std::string_view kSigVerify =
    "Examples (the first is BIP-322's own test vector):\n"
    "  segverify sig verify --chain bitcoin --address bc1q9vza2e8x573nczrlzms0wvx3gsqjx7vavgkx0l \\\n"
    "      --message 'Hello World' --signature \\\n"
    "      smpAkcwRAIgZRfIY3p7/DoVTty6YZbWS71bc5Vct9p9Fia83eRmw2QCICK/ENGfwLtptFluMGs2KsqoNSk89pO7F29zJLUx9a/sASECx/"
    "EgAxlkQpQ9hYjgGu6EBCPMVPwVIVJqO4XCsMvViHI=\n"
    "  segverify sig verify --chain ethereum --address 0x... --message-file message.txt --signature 0x... \\\n"
    "      --type erc1271 --rpc https://node.example --block 21000000";
constexpr std::string_view kBalances =
    "Example (every source must agree; the addresses come last):\n"
    "  segverify balances --chain ethereum --height 21000000 --source ethereum=https://node-a.example \\\n"
    "      --source ethereum=https://node-b.example --asset ETH:18 \\\n"
    "      --asset USDT:6:0xdAC17F958D2ee523a2206206994597C13D831ec7 0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359";
constexpr std::string_view kTreeBuild =
    "Example:\n"
    "  segverify tree build --liabilities spot.csv --assets BTC:8,ETH:18 --pool spot --out trees/spot";
constexpr std::string_view kProofExport =
    "Examples:\n"
    "  segverify proof export --tree trees/spot --account alice --out alice.json\n"
    "  segverify proof export --tree trees/spot --all --out proofs.jsonl";
constexpr std::string_view kProofVerify =
    "Examples:\n"
    "  segverify proof verify alice.json --root root.json\n"
    "  segverify proof verify alice.json --root-hash 0x<the published root hash>";
constexpr std::string_view kProof =
    "Examples:\n"
    "  segverify proof export --tree trees/spot --account alice --out alice.json\n"
    "  segverify proof verify alice.json --root trees/spot/root.json";
constexpr std::string_view kAddressInspect =
    "Examples:\n"
    "  segverify address inspect bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\n"
    "  segverify address inspect --chain ethereum --json 0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359";

// Command groups ("proof") show their subcommands' examples too.
constexpr Example kExamples[] = {
    {"attest", kAttest},
    {"serve", kServe},
    {"publish", kPublish},
    {"recheck", kRecheck},
    {"sig", kSigVerify},
    {"sig verify", kSigVerify},
    {"balances", kBalances},
    {"tree", kTreeBuild},
    {"tree build", kTreeBuild},
    {"proof", kProof},
    {"proof export", kProofExport},
    {"proof verify", kProofVerify},
    {"address", kAddressInspect},
    {"address inspect", kAddressInspect},
};

CLI::App* Find(CLI::App& root, std::string_view path) {
  CLI::App* app = &root;
  std::istringstream words{std::string(path)};
  for (std::string word; words >> word;) {
    try {
      app = app->get_subcommand(word);
    } catch (const CLI::OptionNotFound&) {
      return nullptr;  // a command this build does not have
    }
  }
  return app;
}

}  // namespace

void AddExamples(CLI::App& root) {
  for (const Example& example : kExamples) {
    if (CLI::App* command = Find(root, example.command)) command->footer(std::string(example.text));
  }
}

}  // namespace segverify::cli
