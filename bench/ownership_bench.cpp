// Ownership proof verification throughput on one core (Google Benchmark).
// Target: >= 15,000 verifications/s for BIP-137 and EIP-191; BIP-322 P2WPKH and P2TR
// reported. Each iteration is a whole verification from signature text (base64/hex decoding,
// message hashing, recovery or sighash + verification, address comparison); the address is
// decoded once outside the loop, as an attestation does per address.
// Vectors: bitcoinjs-message README (BIP-137), fixtures/vectors/eip191-ethers-vectors.json
// (EIP-191), bitcoin/bips bip-0322/basic-test-vectors.json (BIP-322).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "verifier/chain/bip137.h"
#include "verifier/chain/bip322.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/eip191.h"
#include "verifier/chain/ethereum_address.h"

namespace {

using namespace segverify;

chain::BitcoinAddress Btc(const char* text) {
  auto decoded = chain::DecodeBitcoinAddress(text);
  if (!decoded) std::abort();
  return *decoded;
}

// Fails the run loudly if a vector stops verifying: a benchmark of a failing path measures nothing.
void RequireValid(benchmark::State& state, const chain::OwnershipResult& result) {
  if (!result.ok()) state.SkipWithError(("vector does not verify: " + result.reason).c_str());
}

void BM_Bip137(benchmark::State& state) {
  const auto address = Btc("1F3sAm6ZtwLAUnj7d38pGFxtP3RVEvtsbV");
  const std::string message = "This is an example of a signed message.";
  const std::string sig = "H9L5yLFjti0QTHhPyFrZCT1V/MMnBtXKmoiKDZ78NDBjERki6ZTQZdSMCtkgoNmp17By9ItJr8o7ChX0XxY91nk=";
  RequireValid(state, chain::VerifyBip137(address, message, sig));
  for (auto _ : state) benchmark::DoNotOptimize(chain::VerifyBip137(address, message, sig));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Bip137);

void BM_Eip191(benchmark::State& state) {
  auto address = chain::DecodeEthereumAddress("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c");
  if (!address) std::abort();
  const std::string message;
  const std::string sig =
      "0xe69e62383070377b9c305f0a39dc0c6ed003afe3cded630af4b144ed3899147768106a3b2a064099d98a59d1e0ed06ec4bb6fb2d6c3306"
      "daa0db0cd9255cfc0d1b";
  RequireValid(state, chain::VerifyEip191(*address, message, sig));
  for (auto _ : state) benchmark::DoNotOptimize(chain::VerifyEip191(*address, message, sig));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Eip191);

void BM_Bip322P2wpkh(benchmark::State& state) {
  const auto address = Btc("bc1q9vza2e8x573nczrlzms0wvx3gsqjx7vavgkx0l");
  const std::string sig =
      "smpAkcwRAIgZRfIY3p7/DoVTty6YZbWS71bc5Vct9p9Fia83eRmw2QCICK/ENGfwLtptFluMGs2KsqoNSk89pO7F29zJLUx9a/sASECx/"
      "EgAxlkQpQ9hYjgGu6EBCPMVPwVIVJqO4XCsMvViHI=";
  RequireValid(state, chain::VerifyBip322(address, "Hello World", sig, std::nullopt));
  for (auto _ : state) benchmark::DoNotOptimize(chain::VerifyBip322(address, "Hello World", sig, std::nullopt));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Bip322P2wpkh);

void BM_Bip322P2tr(benchmark::State& state) {
  const auto address = Btc("bc1pss0zhytly75awhm6x2hhvd5lnzv3vssgrf9axfheq8ldyzn88ges79fler");
  const std::string sig = "AUCJYOwOjxYAvatTAGYaVlNXBVyFuc4MwNQkOuK2tl8xhfKDONd0NjfYyNSYcRqeCp8hsAnCEPHAVEkO9h6vbQ/R";
  RequireValid(state, chain::VerifyBip322(address, "No prefix fallback", sig, std::nullopt));
  for (auto _ : state) benchmark::DoNotOptimize(chain::VerifyBip322(address, "No prefix fallback", sig, std::nullopt));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Bip322P2tr);

}  // namespace

BENCHMARK_MAIN();
