// A real Ethereum node for tests: anvil (npm @foundry-rs/anvil-linux-amd64, pinned in
// package.json) on a free 127.0.0.1 port, plus helpers to mine, fund, transact and deploy the
// Solidity contracts in tests/support/contracts/ (compiled with the pinned solc-js).
//
// Contract: the constructor returns once the node answers eth_chainId; the destructor (or Kill())
// stops the process and waits for it, so no node outlives its test. Helpers throw
// std::runtime_error on any failure (they are test scaffolding: the test then fails with that
// message). Genesis is deterministic (fixed timestamp), so two nodes with the same options start
// from the same block 0 hash.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace segverify::clients {
class JsonRpcClient;
}

namespace segverify::testing {

class AnvilNode {
 public:
  struct Options {
    std::uint64_t chain_id = 31337;
    std::uint64_t genesis_timestamp = 1700000000;
  };

  AnvilNode();
  explicit AnvilNode(const Options& options);
  ~AnvilNode();
  AnvilNode(const AnvilNode&) = delete;
  AnvilNode& operator=(const AnvilNode&) = delete;

  const std::string& url() const { return url_; }  // "http://127.0.0.1:<port>"
  int port() const { return port_; }
  // Stops the node now (SIGKILL) and waits for it: for "node died mid-run" tests.
  void Kill();

  // One JSON-RPC call; returns the "result" as compact JSON text. Throws on an error answer.
  std::string Rpc(const std::string& method, const std::string& params_json);

  std::uint64_t BlockNumber();
  void Mine(std::uint64_t blocks = 1);
  // anvil_setBalance; `wei_hex` is a QUANTITY like "0xde0b6b3a7640000".
  void SetBalance(const std::string& address, const std::string& wei_hex);
  // eth_sendTransaction from an unlocked dev account; anvil mines it at once. Returns the
  // receipt's contractAddress for a deployment (to empty), else the tx hash. Throws if it failed.
  std::string SendTransaction(const std::string& from, const std::string& to, const std::string& value_hex,
                              const std::string& data_hex);
  // Deploys contract `name` from tests/support/contracts/ with ABI-encoded constructor args appended
  // (hex, no 0x); returns its address (lower-case "0x...").
  std::string Deploy(const std::string& name, const std::string& constructor_args_hex = "",
                     const std::string& from = DevAccount(0));

  // Anvil's well-known unlocked dev accounts (0..9), lower-case "0x...".
  static std::string DevAccount(int index);

 private:
  void Start(const Options& options);

  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  std::string url_;
  std::unique_ptr<clients::JsonRpcClient> rpc_;
};

// Creation bytecode (hex, no 0x) of a contract in tests/support/contracts/*.sol. Compiled once with
// tests/support/contracts/compile.js and cached in the build directory, keyed by the sources' hash.
std::string ContractBytecode(const std::string& name);

// ABI words (64 hex digits, no 0x): an address, and a uint256 from a decimal string.
std::string AbiAddressWord(const std::string& address_hex);
std::string AbiUintWord(const std::string& decimal);

// An address no dev account or deployed contract uses: 0x00..00<base + n> (tests pick different
// bases so their addresses never meet).
std::string UnusedEthAddress(unsigned n, unsigned base);

// A free TCP port on 127.0.0.1 (bound then released; the caller binds it soon after).
int FreeLoopbackPort();

}  // namespace segverify::testing
