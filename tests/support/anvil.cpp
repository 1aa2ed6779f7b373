#include "tests/support/anvil.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "clients/http_transport.h"
#include "clients/json_rpc.h"
#include "common/hex.h"
#include "common/json.h"
#include "common/sha256.h"
#include "common/u128.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

// Anvil's default mnemonic ("test test ... junk") accounts 0..9.
constexpr const char* kDevAccounts[] = {
    "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
    "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
    "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
    "0x976ea74026e726554db657fa54763abd0c3a0aa9", "0x14dc79964da2c08b23698b3d3cc7ca32193d9955",
    "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f", "0xa0ee7a142d267c1f36714e4a8f75612f20a79720"};

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::string ContractsCachePath(const std::string& sources_hash) {
  namespace fs = std::filesystem;
  fs::path build_dir = fs::path(SEGVERIFY_BINARY).parent_path().parent_path();
  return (build_dir / ("test-contracts-" + sources_hash.substr(0, 16) + ".json")).string();
}

}  // namespace

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

AnvilNode::AnvilNode() : AnvilNode(Options{}) {}

AnvilNode::AnvilNode(const Options& options) { Start(options); }

AnvilNode::~AnvilNode() { Kill(); }

void AnvilNode::Start(const Options& options) {
  const std::string anvil = SourcePath("node_modules/.bin/anvil");
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreeLoopbackPort();
    url_ = "http://127.0.0.1:" + std::to_string(port_);
    process_ = std::make_unique<ChildProcess>(
        anvil,
        std::vector<std::string>{"--host", "127.0.0.1", "--port", std::to_string(port_), "--chain-id",
                                 std::to_string(options.chain_id), "--timestamp",
                                 std::to_string(options.genesis_timestamp), "--silent"},
        false);
    clients::HttpOptions http;
    http.connection_retries = 0;
    http.connect_timeout = std::chrono::milliseconds(500);
    auto transport = clients::MakeHttpTransport(url_, "", http);
    if (!transport) throw std::runtime_error(transport.error().message);
    rpc_ = std::make_unique<clients::JsonRpcClient>(std::move(transport.value()));
    for (int i = 0; i < 200 && process_->Running(); ++i) {
      auto reply = rpc_->Call({"eth_chainId", "[]"});
      if (reply && !reply->is_error) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    process_->Kill();  // port taken or too slow: try another port
  }
  throw std::runtime_error("anvil did not start");
}

void AnvilNode::Kill() {
  if (process_) process_->Kill();
}

std::string AnvilNode::Rpc(const std::string& method, const std::string& params_json) {
  auto reply = rpc_->Call({method, params_json});
  if (!reply) throw std::runtime_error("anvil " + method + ": " + reply.error().message);
  if (reply->is_error) throw std::runtime_error("anvil " + method + ": " + reply->error_message);
  return reply->result_json;
}

std::uint64_t AnvilNode::BlockNumber() {
  std::string text = Rpc("eth_blockNumber", "[]");
  auto n = U128FromHexQuantity(text.substr(1, text.size() - 2));
  if (!n) throw std::runtime_error("eth_blockNumber: " + text);
  return static_cast<std::uint64_t>(*n);
}

void AnvilNode::Mine(std::uint64_t blocks) { (void)Rpc("anvil_mine", "[" + std::to_string(blocks) + "]"); }

void AnvilNode::SetBalance(const std::string& address, const std::string& wei_hex) {
  (void)Rpc("anvil_setBalance", "[" + Quoted(address) + "," + Quoted(wei_hex) + "]");
}

std::string AnvilNode::SendTransaction(const std::string& from, const std::string& to, const std::string& value_hex,
                                       const std::string& data_hex) {
  std::string tx = "{\"from\":" + Quoted(from);
  if (!to.empty()) tx += ",\"to\":" + Quoted(to);
  if (!value_hex.empty()) tx += ",\"value\":" + Quoted(value_hex);
  if (!data_hex.empty()) tx += ",\"data\":" + Quoted("0x" + data_hex);
  tx += "}";
  std::string hash = Rpc("eth_sendTransaction", "[" + tx + "]");
  // Anvil mines the transaction right away, but the receipt may take a moment to appear.
  std::string receipt_text = "null";
  for (int i = 0; i < 500 && receipt_text == "null"; ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    receipt_text = Rpc("eth_getTransactionReceipt", "[" + hash + "]");
  }
  auto receipt = ParseJson(receipt_text, "receipt");
  if (!receipt || !(*receipt)->IsObject()) throw std::runtime_error("no receipt for " + hash);
  const auto& r = **receipt;
  if (!r.HasMember("status") || std::string(r["status"].GetString()) != "0x1") {
    throw std::runtime_error("transaction failed: " + receipt_text);
  }
  if (to.empty()) return r["contractAddress"].GetString();
  return hash.substr(1, hash.size() - 2);
}

std::string AnvilNode::Deploy(const std::string& name, const std::string& constructor_args_hex,
                              const std::string& from) {
  return SendTransaction(from, "", "", ContractBytecode(name) + constructor_args_hex);
}

std::string AnvilNode::DevAccount(int index) {
  if (index < 0 || index > 9) throw std::runtime_error("anvil has dev accounts 0..9");
  return kDevAccounts[index];
}

std::string ContractBytecode(const std::string& name) {
  namespace fs = std::filesystem;
  std::string all_sources;
  for (const auto& entry : fs::directory_iterator(SourcePath("tests/support/contracts"))) {
    if (entry.path().extension() == ".sol" || entry.path().filename() == "compile.js") {
      all_sources += entry.path().filename().string() + "\n" + ReadFile(entry.path().string());
    }
  }
  Hash256 digest = Sha256(std::string_view(all_sources));
  std::string cache = ContractsCachePath(ToHex(digest));
  if (!FileExists(cache)) {
    CommandResult compiled = RunProgram("node", {SourcePath("tests/support/contracts/compile.js")});
    if (compiled.exit_code != 0) throw std::runtime_error("solc failed: " + compiled.err);
    // Written under a temporary name then renamed, so concurrent tests never read half a file.
    std::string temp = cache + ".tmp-" + std::to_string(::getpid());
    WriteFile(temp, compiled.out);
    fs::rename(temp, cache);
  }
  auto doc = ParseJson(ReadFile(cache), cache);
  if (!doc) throw std::runtime_error(doc.error().message);
  const auto& contracts = **doc;
  if (!contracts.HasMember(name.c_str())) throw std::runtime_error("no contract " + name + " in tests/support/contracts");
  return contracts[name.c_str()]["bytecode"].GetString();
}

std::string AbiAddressWord(const std::string& address_hex) {
  std::string digits = address_hex.substr(0, 2) == "0x" ? address_hex.substr(2) : address_hex;
  if (digits.size() != 40) throw std::runtime_error("not an address: " + address_hex);
  return std::string(24, '0') + digits;
}

std::string AbiUintWord(const std::string& decimal) {
  auto value = U128FromDecimal(decimal);
  if (!value) throw std::runtime_error("not a u128: " + decimal);
  unsigned char bytes[16];
  U128ToBigEndian(*value, bytes);
  return std::string(32, '0') + ToHex(std::span<const std::uint8_t>(bytes, 16));
}

std::string UnusedEthAddress(unsigned n, unsigned base) {
  char buf[43];
  std::snprintf(buf, sizeof buf, "0x%040x", n + base);
  return buf;
}

}  // namespace segverify::testing
