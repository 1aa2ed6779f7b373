#include "verifier/attest/attestation_config.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "common/file_io.h"
#include "common/json.h"
#include "common/sha256.h"
#include "ethproof/header.h"
#include "merkle/published_root.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/signature_checks.h"
#include "verifier/report/public_view.h"

namespace segverify::attest {
namespace {

constexpr std::string_view kConfigFormat = "segverify-attestation/1";

// The two documents the parser reads: the operator's config, and the public attestation that
// attest derives from it (attestation.json: no sources, a root in place of each liabilities file).
enum class ConfigKind { kPrivate, kPublic };

// A script tree of a "taproot" disclosure (docs/FORMAT.md §7): a leaf {"script","leaf_version"}
// (version 192, tapscript, when omitted) or an array of exactly two subtrees, at most BIP-341's
// 128 levels deep.
Result<chain::TapTree> ParseTapTree(const JsonValue& value, const std::string& origin, const std::string& path,
                                    std::size_t depth) {
  chain::TapTree tree;
  const JsonObjectReader none(value, origin, path);
  if (value.IsArray()) {
    if (value.Size() != 2) return none.ObjectError("a branch of a script tree is an array of exactly two subtrees");
    if (depth >= chain::kTapTreeMaxDepth) return none.ObjectError("the script tree is deeper than 128 levels");
    for (rapidjson::SizeType i = 0; i < 2; ++i) {
      auto branch = ParseTapTree(value[i], origin, JsonIndex(path, i), depth + 1);
      if (!branch) return branch.error();
      tree.branches.push_back(std::move(*branch));
    }
    return tree;
  }
  if (!value.IsObject()) {
    return none.ObjectError("expected a leaf {\"script\",\"leaf_version\"} or an array of two subtrees");
  }
  const JsonObjectReader leaf(value, origin, path);
  if (Status s = leaf.CheckOnlyKeys({"script", "leaf_version"}); !s) return s.error();
  auto hex = leaf.String("script");
  if (!hex) return hex.error();
  auto script = FromHex(*hex);
  if (!script) return leaf.FieldError("script", "expected hex");
  chain::TapLeaf out{chain::kTapscriptLeafVersion, std::move(*script)};
  if (leaf.Has("leaf_version")) {
    auto version = leaf.Uint64("leaf_version");
    if (!version) return version.error();
    // BIP-341: the low bit of the control block's first byte is the parity, so leaf versions are
    // even; 0x50 would read as an annex.
    if (*version > 0xfe || *version % 2 != 0 || *version == 0x50) {
      return leaf.FieldError("leaf_version", "expected an even number from 0 to 254, not 80 (192: tapscript)");
    }
    out.version = static_cast<std::uint8_t>(*version);
  }
  tree.leaf = std::move(out);
  return tree;
}

// {"internal_key": 64 hex (an x-only key on the curve), "tree": optional script tree}.
Result<chain::TaprootDisclosure> ParseTaprootDisclosure(const JsonObjectReader& t) {
  if (Status s = t.CheckOnlyKeys({"internal_key", "tree"}); !s) return s.error();
  auto hex = t.String("internal_key");
  if (!hex) return hex.error();
  auto key = FromHex(*hex);
  if (!key || key->size() != 32 || !chain::IsValidXOnlyKey(*key)) {
    return t.FieldError("internal_key", "expected 64 hex digits, the x coordinate of a secp256k1 point");
  }
  chain::TaprootDisclosure disclosure;
  std::copy(key->begin(), key->end(), disclosure.internal_key.begin());
  if (t.Has("tree")) {
    auto tree = t.Member("tree");
    if (!tree) return tree.error();
    auto parsed = ParseTapTree(**tree, t.origin(), JsonField(t.path(), "tree"), 0);
    if (!parsed) return parsed.error();
    disclosure.tree = std::move(*parsed);
  }
  return disclosure;
}

// Chain names become report keys and source labels: 1-32 characters of [a-z0-9_-].
bool IsValidChainName(std::string_view name) {
  return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

class ConfigParser {
 public:
  ConfigParser(const std::string& path, std::string base_dir, ConfigKind kind = ConfigKind::kPrivate)
      : path_(path), base_dir_(std::move(base_dir)), kind_(kind) {}

  Result<AttestationConfig> Parse(const JsonValue& root);

 private:
  Status ParseAssets(const JsonObjectReader& r, AttestationConfig& config);
  Status ParseChains(const JsonObjectReader& r, AttestationConfig& config);
  Result<ConfigChain> ParseChainEntry(const JsonObjectReader& c, const std::string& name);
  static Result<clients::EthReads> ParseReads(const JsonObjectReader& c, std::uint64_t chain_id);
  static Status ParseTokenReads(const JsonObjectReader& a, ConfigAsset& asset);
  Result<clients::SourceConfig> ParseSource(const JsonObjectReader& s, const ConfigChain& chain);
  std::string Resolve(const std::string& relative) const;
  Result<ConfigAddress> ParseAddress(const JsonValue& value, const std::string& json_path,
                                     const AttestationConfig& config);
  Result<std::vector<ConfigAddress>> ParseAddressList(const JsonObjectReader& r, std::string_view key,
                                                      const AttestationConfig& config);
  Status ParsePools(const JsonObjectReader& r, AttestationConfig& config);
  Status ParsePoolLiabilities(const JsonObjectReader& p, const AttestationConfig& config, ConfigPool& pool);
  Status ParseFirm(const JsonObjectReader& r, AttestationConfig& config);
  Error At(const std::string& json_path, const std::string& what) const {
    return Error{path_ + ": " + json_path + ": " + what};
  }

  std::string path_;
  std::string base_dir_;
  ConfigKind kind_;
};

Status ConfigParser::ParseAssets(const JsonObjectReader& r, AttestationConfig& config) {
  auto assets = r.Array("assets");
  if (!assets) return assets.error();
  if ((*assets)->Empty()) return r.FieldError("assets", "must list at least one asset");
  std::set<std::string> seen;
  std::map<std::array<std::uint8_t, 20>, std::string> contracts;  // contract -> symbol
  for (rapidjson::SizeType i = 0; i < (*assets)->Size(); ++i) {
    JsonObjectReader a((**assets)[i], path_, JsonIndex("assets", i));
    if (Status s =
            a.CheckOnlyKeys({"symbol", "decimals", "chain", "contract", "balance_slot", "balance_layout", "reads"});
        !s) {
      return s;
    }
    auto symbol = a.String("symbol");
    if (!symbol) return symbol.error();
    auto decimals = a.Uint64("decimals");
    if (!decimals) return decimals.error();
    auto spec = merkle::MakeAsset(*symbol, *decimals > 1000 ? 1000 : static_cast<long long>(*decimals));
    if (!spec) return a.ObjectError(spec.error().message);
    if (!seen.insert(spec->symbol).second) return a.FieldError("symbol", "duplicate asset " + spec->symbol);
    auto chain_name = a.String("chain");
    if (!chain_name) return chain_name.error();
    const ConfigChain* chain = config.FindChain(*chain_name);
    if (chain == nullptr) {
      if (segverify::ParseChain(*chain_name)) {
        return r.FieldError("chains",
                            "asset " + spec->symbol + " is on " + *chain_name + ", which has no entry in chains");
      }
      return a.FieldError("chain", "unknown chain \"" + *chain_name + "\" (not in chains)");
    }
    ConfigAsset asset{std::move(*spec), chain->chain, std::nullopt, chain->name, std::nullopt, false};
    if (a.Has("contract")) {
      if (chain->chain != Chain::kEthereum) return a.FieldError("contract", "only EVM assets have a contract");
      auto text = a.String("contract");
      if (!text) return text.error();
      auto contract = chain::DecodeEthereumAddress(*text);
      if (!contract) return a.FieldError("contract", contract.error().message);
      // Each ERC-20 contract once (compared as bytes: any letter case): under two symbols, the
      // same tokens would cover both columns.
      auto [first, inserted] = contracts.emplace(contract->bytes, asset.spec.symbol);
      if (!inserted) {
        return a.FieldError("contract", contract->canonical + " is already asset " + first->second +
                                            ": one token contract cannot be two assets");
      }
      asset.contract = contract->bytes;
    }
    if (Status s = ParseTokenReads(a, asset); !s) return s;
    config.assets.push_back(std::move(asset));
  }
  // One native asset per chain at most (two would read the same balance twice).
  for (const ConfigChain& c : config.chains) {
    int natives = 0;
    for (const auto& a : config.assets) natives += (a.chain_name == c.name && !a.contract) ? 1 : 0;
    if (natives > 1) return r.FieldError("assets", "more than one native asset on " + c.name);
  }
  return Status::Ok();
}

Status ConfigParser::ParseChains(const JsonObjectReader& r, AttestationConfig& config) {
  auto chains = r.Object("chains");
  if (!chains) return chains.error();
  std::set<std::uint64_t> chain_ids;
  for (const auto& member : (*chains)->GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    JsonObjectReader c(member.value, path_, JsonField("chains", name));
    if (!IsValidChainName(name)) return c.ObjectError("chain names are 1-32 characters of a-z 0-9 _ -");
    auto chain = ParseChainEntry(c, name);
    if (!chain) return chain.error();
    if (chain->chain == Chain::kEthereum && !chain_ids.insert(chain->chain_id).second) {
      return c.FieldError("chain_id", "chain id " + std::to_string(chain->chain_id) + " is configured twice");
    }
    config.chains.push_back(std::move(*chain));
  }
  return Status::Ok();
}

// One entry of "chains". "bitcoin" is Bitcoin; "ethereum" is the EVM chain with id 1; any other
// name must say "type":"evm" and a mainnet "chain_id".
Result<ConfigChain> ConfigParser::ParseChainEntry(const JsonObjectReader& c, const std::string& name) {
  if (Status s = c.CheckIsObject(); !s) return s.error();
  ConfigChain out;
  out.name = name;
  std::string type = name == "bitcoin" ? "bitcoin" : name == "ethereum" ? "evm" : "";
  if (c.Has("type")) {
    auto given = c.String("type");
    if (!given) return given.error();
    if (*given != "evm" && *given != "bitcoin")
      return c.FieldError("type", "unknown chain type \"" + *given + "\" (evm)");
    if (!type.empty() && *given != type) return c.FieldError("type", "chain " + name + " is of type " + type);
    if (*given == "bitcoin") return c.FieldError("type", "the bitcoin chain is named \"bitcoin\"");
    type = *given;
  }
  if (type.empty()) {
    return c.ObjectError("unknown chain \"" + name + "\": give \"type\":\"evm\" and a mainnet \"chain_id\"");
  }
  out.chain = type == "bitcoin" ? Chain::kBitcoin : Chain::kEthereum;
  const char* height_key = out.chain == Chain::kBitcoin ? "height" : "block";
  // A public attestation names no source: the re-checker brings their own.
  const bool with_sources = kind_ == ConfigKind::kPrivate;
  if (out.chain == Chain::kBitcoin) {
    Status keys = with_sources ? c.CheckOnlyKeys({"type", "height", "sources"}) : c.CheckOnlyKeys({"type", "height"});
    if (!keys) return keys.error();
  } else {
    Status keys = with_sources ? c.CheckOnlyKeys({"type", "chain_id", "block", "reads", "sources"})
                               : c.CheckOnlyKeys({"type", "chain_id", "block", "reads"});
    if (!keys) return keys.error();
    out.chain_id = kEthereumMainnetChainId;
    if (c.Has("chain_id") || name != "ethereum") {
      auto id = c.Uint64("chain_id");
      if (!id) return id.error();
      if (FindEvmMainnet(*id) == nullptr) {
        return c.FieldError("chain_id",
                            std::to_string(*id) + " is not a known EVM mainnet (attestations are mainnet only)");
      }
      if (name == "ethereum" && *id != kEthereumMainnetChainId) {
        return c.FieldError("chain_id", "the chain named ethereum is Ethereum mainnet, chain id 1");
      }
      out.chain_id = *id;
    }
    auto reads = ParseReads(c, out.chain_id);
    if (!reads) return reads.error();
    out.reads = *reads;
  }
  auto height = c.Uint64(height_key);
  if (!height) return height.error();
  out.height = *height;
  if (!with_sources) return out;
  auto sources = c.Array("sources");
  if (!sources) return sources.error();
  if ((*sources)->Empty()) return c.FieldError("sources", "needs at least one source");
  for (rapidjson::SizeType i = 0; i < (*sources)->Size(); ++i) {
    JsonObjectReader s((**sources)[i], path_, JsonIndex(JsonField(c.path(), "sources"), i));
    auto source = ParseSource(s, out);
    if (!source) return source.error();
    // Sources count as independent witnesses (agreed reads need two): one node listed twice is one.
    for (std::size_t j = 0; j < out.sources.size(); ++j) {
      if (out.sources[j].type == source->type && out.sources[j].url == source->url) {
        return s.ObjectError("the same node as sources[" + std::to_string(j) + "]: one source listed twice");
      }
    }
    source->label = name + " source " + std::to_string(i + 1);
    source->reads = out.reads;
    // Every client of this source (balances, contract reads, calls) shares its proven accounts.
    if (source->type == clients::SourceType::kEthereum)
      source->proven_accounts = std::make_shared<clients::ProvenAccountCache>();
    out.sources.push_back(std::move(*source));
  }
  return out;
}

// An ERC-20's "balance_slot" (0-255), "balance_layout" ("solidity", the default, or "vyper") and
// "reads" ("agreed" only: the token's balances cannot be proven from storage). Contracts only.
Status ConfigParser::ParseTokenReads(const JsonObjectReader& a, ConfigAsset& asset) {
  for (std::string_view key : {"balance_slot", "balance_layout", "reads"}) {
    if (a.Has(key) && !asset.contract) return a.FieldError(key, "only ERC-20 assets (with a contract) have it");
  }
  if (a.Has("reads")) {
    auto reads = a.String("reads");
    if (!reads) return reads.error();
    if (*reads != "agreed")
      return a.FieldError("reads", "an asset can only say \"agreed\" (proven is the chain's default)");
    asset.agreed_reads = true;
  }
  if (a.Has("balance_layout") && !a.Has("balance_slot")) return a.FieldError("balance_layout", "needs balance_slot");
  if (!a.Has("balance_slot")) return Status::Ok();
  if (asset.agreed_reads) return a.FieldError("balance_slot", "an asset with agreed reads has no slot to prove");
  auto slot = a.Uint64("balance_slot");
  if (!slot) return slot.error();
  if (*slot > 255) return a.FieldError("balance_slot", "expected a storage slot 0-255");
  clients::BalanceSlot balance_slot{*slot, ethproof::MappingLayout::kSolidity};
  if (a.Has("balance_layout")) {
    auto layout = a.String("balance_layout");
    if (!layout) return layout.error();
    if (*layout == "vyper") {
      balance_slot.layout = ethproof::MappingLayout::kVyper;
    } else if (*layout != "solidity") {
      return a.FieldError("balance_layout", "expected \"solidity\" or \"vyper\"");
    }
  }
  asset.balance_slot = balance_slot;
  return Status::Ok();
}

// A chain's "reads" (docs/FORMAT.md): "proven" (the default where the header encoding is known)
// or "agreed". Proven reads on a chain whose header cannot be hashed would fail every source, and
// agreed reads chosen silently would weaken the check: such a chain must say "agreed".
Result<clients::EthReads> ConfigParser::ParseReads(const JsonObjectReader& c, std::uint64_t chain_id) {
  const bool known = ethproof::KnownHeaderEncoding(chain_id).has_value();
  if (!c.Has("reads")) {
    if (known) return clients::EthReads::kProven;
    return c.ObjectError("chain id " + std::to_string(chain_id) +
                         ": its block headers cannot be checked here, so its reads cannot be proven: say "
                         "\"reads\":\"agreed\" (and give at least two independent sources)");
  }
  auto text = c.String("reads");
  if (!text) return text.error();
  if (*text == "agreed") return clients::EthReads::kAgreed;
  if (*text != "proven") return c.FieldError("reads", "expected \"proven\" or \"agreed\"");
  if (!known) {
    return c.FieldError("reads", "chain id " + std::to_string(chain_id) +
                                     ": its block headers cannot be checked here; only \"agreed\" reads are possible");
  }
  return clients::EthReads::kProven;
}

// A path in the config, relative to the config's directory.
std::string ConfigParser::Resolve(const std::string& relative) const {
  const std::filesystem::path p(relative);
  return p.is_absolute() ? p.string() : (std::filesystem::path(base_dir_) / p).string();
}

Result<clients::SourceConfig> ConfigParser::ParseSource(const JsonObjectReader& s, const ConfigChain& chain) {
  if (Status st = s.CheckOnlyKeys({"type", "url", "url_env", "auth", "cookie_file", "timeout_s", "ca_file", "batch"});
      !st) {
    return st.error();
  }
  auto type_name = s.String("type");
  if (!type_name) return type_name.error();
  auto type = clients::ParseSourceType(*type_name);
  if (!type || clients::ChainOf(*type) != chain.chain) {
    return s.FieldError("type", "unknown source type \"" + *type_name + "\" for " + chain.name);
  }
  // "url_env": the name of an environment variable holding the URL, so that the config file need
  // hold no provider key (docs/OPERATIONS.md §6).
  if (s.Has("url") == s.Has("url_env")) return s.ObjectError("give url or url_env (exactly one)");
  const std::string url_field = s.Has("url") ? "url" : "url_env";
  Result<std::string> url = s.String(url_field);
  if (!url) return url.error();
  if (url_field == "url_env") {
    const std::string name = *url;
    const bool valid_name =
        !name.empty() && name.size() <= 128 && !std::isdigit(static_cast<unsigned char>(name[0])) &&
        std::all_of(name.begin(), name.end(), [](char c) {
          return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
        });
    if (!valid_name) return s.FieldError("url_env", "expected an environment variable name (A-Z, 0-9, _)");
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') {
      return s.FieldError("url_env", "the environment variable " + name + " is not set");
    }
    url = std::string(value);
  }
  // The error never repeats the URL: it may hold a password or an API key.
  if (auto parsed = clients::ParseSourceUrl(*url); !parsed) {
    return s.FieldError(url_field,
                        parsed.error().message + (url_field == "url_env" ? " (the URL in the environment)" : ""));
  }
  clients::SourceConfig source;
  source.type = *type;
  source.url = *url;
  const bool core = *type == clients::SourceType::kBitcoinCore;
  if (s.Has("auth") || s.Has("cookie_file")) {
    if (!core) return s.ObjectError("auth and cookie_file are for bitcoin-core sources");
    if (s.Has("auth") && s.Has("cookie_file")) return s.ObjectError("give auth or cookie_file, not both");
  }
  if (s.Has("auth")) {
    auto auth = s.String("auth");
    if (!auth) return auth.error();
    source.auth = *auth;  // secret: never printed
  }
  if (s.Has("cookie_file")) {
    auto cookie = s.String("cookie_file");
    if (!cookie) return cookie.error();
    source.cookie_file = Resolve(*cookie);  // read when connecting: Core rewrites it at every start
  }
  if (s.Has("timeout_s")) {
    auto timeout = s.Member("timeout_s");
    if (!timeout) return timeout.error();
    const double seconds = (*timeout)->IsNumber() ? (*timeout)->GetDouble() : 0;
    if (!(seconds >= 0.1 && seconds <= 86400)) return s.FieldError("timeout_s", "expected seconds, from 0.1 to 86400");
    source.timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  }
  if (s.Has("ca_file")) {
    auto ca = s.String("ca_file");
    if (!ca) return ca.error();
    source.ca_file = Resolve(*ca);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(source.ca_file, ec)) return s.FieldError("ca_file", "no such file");
  }
  if (s.Has("batch")) {
    if (*type != clients::SourceType::kEthereum) return s.FieldError("batch", "only ethereum sources batch requests");
    auto batch = s.Uint64("batch");
    if (!batch) return batch.error();
    if (*batch < 1 || *batch > 1000) return s.FieldError("batch", "expected 1 to 1000 requests per batch (1 = none)");
    source.batch = static_cast<std::size_t>(*batch);
  }
  return source;
}

Result<ConfigAddress> ConfigParser::ParseAddress(const JsonValue& value, const std::string& json_path,
                                                 const AttestationConfig& config) {
  JsonObjectReader a(value, path_, json_path);
  if (Status s = a.CheckOnlyKeys({"chain", "address", "script", "taproot", "proof"}); !s) return s.error();
  ConfigAddress out;
  out.json_path = json_path;
  auto chain_name = a.String("chain");
  if (!chain_name) return chain_name.error();
  const ConfigChain* configured = config.FindChain(*chain_name);
  if (configured == nullptr) {
    if (segverify::ParseChain(*chain_name)) return a.FieldError("chain", *chain_name + " has no entry in chains");
    return a.FieldError("chain", "unknown chain \"" + *chain_name + "\"");
  }
  const Chain* chain = &configured->chain;
  out.chain = *chain;
  out.chain_name = configured->name;
  auto text = a.String("address");
  if (!text) return text.error();
  out.address = *text;
  if (*chain == Chain::kBitcoin) {
    auto decoded = chain::DecodeBitcoinAddress(*text);
    if (!decoded) return a.FieldError("address", decoded.error().message);
    if (decoded->network != chain::BitcoinNetwork::kMainnet) {
      return a.FieldError("address",
                          std::string(chain::ToString(decoded->network)) + " address in a mainnet attestation");
    }
    if (decoded->type == chain::BitcoinAddressType::kWitnessUnknown) {
      return a.FieldError("address",
                          "unknown address kind (witness version " + std::to_string(decoded->witness_version) + ")");
    }
    out.decoded = std::move(*decoded);
  } else {
    auto decoded = chain::DecodeEthereumAddress(*text);
    if (!decoded) return a.FieldError("address", decoded.error().message);
    out.decoded = std::move(*decoded);
  }
  if (a.Has("script")) {
    if (*chain != Chain::kBitcoin) return a.FieldError("script", "only Bitcoin addresses have a script");
    auto hex = a.String("script");
    if (!hex) return hex.error();
    auto bytes = FromHex(*hex);
    if (!bytes || bytes->empty()) return a.FieldError("script", "expected hex");
    out.script = std::move(*bytes);
  }
  if (a.Has("taproot")) {
    const auto* bitcoin = std::get_if<chain::BitcoinAddress>(&out.decoded);
    if (bitcoin == nullptr || bitcoin->type != chain::BitcoinAddressType::kP2tr) {
      return a.FieldError("taproot", "only p2tr addresses have a taproot disclosure");
    }
    auto taproot = a.Object("taproot");
    if (!taproot) return taproot.error();
    auto disclosure = ParseTaprootDisclosure(JsonObjectReader(**taproot, path_, JsonField(json_path, "taproot")));
    if (!disclosure) return disclosure.error();
    out.taproot = std::move(*disclosure);
  }
  if (a.Has("proof")) {
    auto proof = a.Object("proof");
    if (!proof) return proof.error();
    JsonObjectReader p(**proof, path_, JsonField(json_path, "proof"));
    if (Status s = p.CheckOnlyKeys({"type", "signature"}); !s) return s.error();
    auto type_name = p.String("type");
    if (!type_name) return type_name.error();
    auto type = chain::ParseProofType(*type_name);
    if (!type) return p.FieldError("type", "unknown proof type \"" + *type_name + "\"");
    const bool ethereum_type = *type == chain::ProofType::kEip191 || *type == chain::ProofType::kErc1271;
    if (ethereum_type != (*chain == Chain::kEthereum)) {
      return p.FieldError("type", *type_name + " proofs do not apply to " + *chain_name + " addresses");
    }
    auto signature = p.String("signature");
    if (!signature) return signature.error();
    out.proof_type = *type;
    out.signature = *signature;
  }
  return out;
}

Result<std::vector<ConfigAddress>> ConfigParser::ParseAddressList(const JsonObjectReader& r, std::string_view key,
                                                                  const AttestationConfig& config) {
  auto list = r.Array(key);
  if (!list) return list.error();
  std::vector<ConfigAddress> out;
  const std::string base = JsonField(r.path(), key);
  for (rapidjson::SizeType i = 0; i < (*list)->Size(); ++i) {
    auto address = ParseAddress((**list)[i], JsonIndex(base, i), config);
    if (!address) return address.error();
    out.push_back(std::move(*address));
  }
  return out;
}

Status ConfigParser::ParsePools(const JsonObjectReader& r, AttestationConfig& config) {
  auto pools = r.Array("pools");
  if (!pools) return pools.error();
  if ((*pools)->Empty()) return r.FieldError("pools", "needs at least one pool");
  std::set<std::string> names;
  for (rapidjson::SizeType i = 0; i < (*pools)->Size(); ++i) {
    JsonObjectReader p((**pools)[i], path_, JsonIndex("pools", i));
    Status keys = kind_ == ConfigKind::kPrivate ? p.CheckOnlyKeys({"name", "liabilities", "addresses"})
                                                : p.CheckOnlyKeys({"name", "root", "addresses"});
    if (!keys) return keys;
    ConfigPool pool;
    auto name = p.String("name");
    if (!name) return name.error();
    if (!IsValidPoolName(*name)) return p.FieldError("name", "pool names are 1-64 characters of A-Z a-z 0-9 . _ -");
    if (!names.insert(*name).second) return p.FieldError("name", "duplicate pool name \"" + *name + "\"");
    pool.name = *name;
    if (Status s = ParsePoolLiabilities(p, config, pool); !s) return s;
    auto addresses = ParseAddressList(p, "addresses", config);
    if (!addresses) return addresses.error();
    pool.addresses = std::move(*addresses);
    config.pools.push_back(std::move(pool));
  }
  return Status::Ok();
}

// A config's pool names its liabilities file; a public attestation's pool carries the root built
// from it instead: {"hash","sums","height"} for the config's assets, or null when the exchange's
// run could not build the tree.
Status ConfigParser::ParsePoolLiabilities(const JsonObjectReader& p, const AttestationConfig& config,
                                          ConfigPool& pool) {
  if (kind_ == ConfigKind::kPrivate) {
    auto liabilities = p.String("liabilities");
    if (!liabilities) return liabilities.error();
    pool.liabilities_path = Resolve(*liabilities);
    return Status::Ok();
  }
  auto root = p.Member("root");
  if (!root) return root.error();
  if ((*root)->IsNull()) return Status::Ok();
  auto object = p.Object("root");
  if (!object) return object.error();
  JsonObjectReader r(**object, path_, JsonField(p.path(), "root"));
  if (Status s = r.CheckOnlyKeys({"hash", "sums", "height"}); !s) return s;
  auto parsed = merkle::ReadRootFields(r, config.AssetSpecs());
  if (!parsed) return parsed.error();
  parsed->pool = pool.name;
  pool.root = std::move(*parsed);
  return Status::Ok();
}

Status ConfigParser::ParseFirm(const JsonObjectReader& r, AttestationConfig& config) {
  auto firm = r.Object("firm");
  if (!firm) return firm.error();
  JsonObjectReader f(**firm, path_, "firm");
  if (Status s = f.CheckOnlyKeys({"addresses", "keys"}); !s) return s;
  auto addresses = ParseAddressList(f, "addresses", config);
  if (!addresses) return addresses.error();
  config.firm_addresses = std::move(*addresses);
  if (f.Has("keys")) {
    auto keys = f.Array("keys");
    if (!keys) return keys.error();
    for (rapidjson::SizeType i = 0; i < (*keys)->Size(); ++i) {
      const JsonValue& v = (**keys)[i];
      const std::string where = JsonIndex("firm.keys", i);
      if (!v.IsString()) return At(where, "expected a public key in hex");
      auto key = FromHex(std::string_view(v.GetString(), v.GetStringLength()));
      if (!key || !chain::IsValidPublicKey(*key))
        return At(where, "not a valid secp256k1 public key (33 or 65 bytes hex)");
      config.firm_keys.push_back(std::move(*key));
    }
  }
  return Status::Ok();
}

Result<AttestationConfig> ConfigParser::Parse(const JsonValue& root) {
  AttestationConfig config;
  config.path = path_;
  JsonObjectReader r(root, path_, "");
  if (Status s = r.CheckFormat(kind_ == ConfigKind::kPrivate ? kConfigFormat : kPublicAttestationFormat); !s) {
    return s.error();
  }
  if (Status s = r.CheckOnlyKeys({"format", "id", "message", "as_of", "assets", "chains", "pools", "firm"}); !s)
    return s.error();
  auto id = r.String("id");
  if (!id) return id.error();
  if (id->empty()) return r.FieldError("id", "must not be empty");
  config.id = *id;
  auto message = r.String("message");
  if (!message) return message.error();
  if (message->empty()) return r.FieldError("message", "must not be empty");
  config.message = *message;
  if (r.Has("as_of")) {  // when the liabilities were taken (docs/FORMAT.md §7)
    auto as_of = r.String("as_of");
    if (!as_of) return as_of.error();
    if (!report::ParseUtcTime(*as_of)) {
      return r.FieldError("as_of", "expected a UTC time in ISO 8601, e.g. 2026-11-01T00:00:00Z");
    }
    config.as_of = *as_of;
  }
  if (Status s = ParseChains(r, config); !s) return s.error();
  if (Status s = ParseAssets(r, config); !s) return s.error();
  if (Status s = ParsePools(r, config); !s) return s.error();
  if (Status s = ParseFirm(r, config); !s) return s.error();
  return config;
}

}  // namespace

const ConfigChain* AttestationConfig::FindChain(std::string_view name) const {
  for (const auto& c : chains) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<merkle::AssetSpec> AttestationConfig::AssetSpecs() const {
  std::vector<merkle::AssetSpec> out;
  for (const auto& a : assets) out.push_back(a.spec);
  return out;
}

bool IsValidPoolName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<AttestationConfig> LoadAttestationConfig(const std::string& path) {
  auto text = ReadFileLimited(path, report::kMaxPublishedFileBytes);
  if (!text) return text.error();
  auto doc = ParseJson(*text, path, JsonLimits{report::kMaxPublishedFileBytes, 32});
  if (!doc) return doc.error();
  const std::string base = std::filesystem::path(path).parent_path().string();
  ConfigParser parser(path, base.empty() ? "." : base);
  auto config = parser.Parse(**doc);
  if (!config) return config.error();
  config->sha256 = ToHex(Sha256(*text));
  return config;
}

Result<AttestationConfig> ParsePublicAttestation(std::string_view text, std::string_view origin) {
  auto doc = ParseJson(text, origin, JsonLimits{report::kMaxPublishedFileBytes, 32});
  if (!doc) return doc.error();
  ConfigParser parser(std::string(origin), ".", ConfigKind::kPublic);
  auto config = parser.Parse(**doc);
  if (!config) return config.error();
  config->sha256 = ToHex(Sha256(text));
  return config;
}

}  // namespace segverify::attest
