#include "verifier/attest/attestation_config.h"

#include <filesystem>
#include <map>
#include <set>

#include "common/file_io.h"
#include "common/json.h"
#include "common/sha256.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/signature_checks.h"

namespace segverify::attest {
namespace {

constexpr std::string_view kConfigFormat = "segverify-attestation/1";

class ConfigParser {
 public:
  ConfigParser(const std::string& path, std::string base_dir) : path_(path), base_dir_(std::move(base_dir)) {}

  Result<AttestationConfig> Parse(const JsonValue& root);

 private:
  Status ParseAssets(const JsonObjectReader& r, AttestationConfig& config);
  Status ParseChains(const JsonObjectReader& r, AttestationConfig& config);
  Result<ConfigAddress> ParseAddress(const JsonValue& value, const std::string& json_path,
                                     const AttestationConfig& config);
  Result<std::vector<ConfigAddress>> ParseAddressList(const JsonObjectReader& r, std::string_view key,
                                                      const AttestationConfig& config);
  Status ParsePools(const JsonObjectReader& r, AttestationConfig& config);
  Status ParseFirm(const JsonObjectReader& r, AttestationConfig& config);
  Error At(const std::string& json_path, const std::string& what) const {
    return Error{path_ + ": " + json_path + ": " + what};
  }

  std::string path_;
  std::string base_dir_;
};

Status ConfigParser::ParseAssets(const JsonObjectReader& r, AttestationConfig& config) {
  auto assets = r.Array("assets");
  if (!assets) return assets.error();
  if ((*assets)->Empty()) return r.FieldError("assets", "must list at least one asset");
  std::set<std::string> seen;
  std::map<std::array<std::uint8_t, 20>, std::string> contracts;  // contract -> symbol
  for (rapidjson::SizeType i = 0; i < (*assets)->Size(); ++i) {
    JsonObjectReader a((**assets)[i], path_, JsonIndex("assets", i));
    if (Status s = a.CheckOnlyKeys({"symbol", "decimals", "chain", "contract"}); !s) return s;
    auto symbol = a.String("symbol");
    if (!symbol) return symbol.error();
    auto decimals = a.Uint64("decimals");
    if (!decimals) return decimals.error();
    auto spec = merkle::MakeAsset(*symbol, *decimals > 1000 ? 1000 : static_cast<long long>(*decimals));
    if (!spec) return a.ObjectError(spec.error().message);
    if (!seen.insert(spec->symbol).second) return a.FieldError("symbol", "duplicate asset " + spec->symbol);
    auto chain_name = a.String("chain");
    if (!chain_name) return chain_name.error();
    auto chain = ParseChain(*chain_name);
    if (!chain) return a.FieldError("chain", "unknown chain \"" + *chain_name + "\" (bitcoin or ethereum)");
    ConfigAsset asset{std::move(*spec), *chain, std::nullopt};
    if (a.Has("contract")) {
      if (*chain != Chain::kEthereum) return a.FieldError("contract", "only Ethereum assets have a contract");
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
    config.assets.push_back(std::move(asset));
  }
  // One native asset per chain at most (two would read the same balance twice).
  for (Chain c : {Chain::kBitcoin, Chain::kEthereum}) {
    int natives = 0;
    for (const auto& a : config.assets) natives += (a.chain == c && !a.contract) ? 1 : 0;
    if (natives > 1) return r.FieldError("assets", "more than one native asset on " + std::string(ToString(c)));
  }
  return Status::Ok();
}

Status ConfigParser::ParseChains(const JsonObjectReader& r, AttestationConfig& config) {
  auto chains = r.Object("chains");
  if (!chains) return chains.error();
  JsonObjectReader cr(**chains, path_, "chains");
  if (Status s = cr.CheckOnlyKeys({"bitcoin", "ethereum"}); !s) return s;
  for (Chain chain : {Chain::kBitcoin, Chain::kEthereum}) {
    const std::string name(ToString(chain));
    if (!cr.Has(name)) continue;
    auto object = cr.Object(name);
    if (!object) return object.error();
    JsonObjectReader c(**object, path_, JsonField("chains", name));
    const char* height_key = chain == Chain::kBitcoin ? "height" : "block";
    if (Status s = c.CheckOnlyKeys({height_key, "sources"}); !s) return s;
    ConfigChain out;
    out.chain = chain;
    auto height = c.Uint64(height_key);
    if (!height) return height.error();
    out.height = *height;
    auto sources = c.Array("sources");
    if (!sources) return sources.error();
    if ((*sources)->Empty()) return c.FieldError("sources", "needs at least one source");
    for (rapidjson::SizeType i = 0; i < (*sources)->Size(); ++i) {
      JsonObjectReader s((**sources)[i], path_, JsonIndex(JsonField(c.path(), "sources"), i));
      if (Status st = s.CheckOnlyKeys({"type", "url", "auth"}); !st) return st;
      auto type_name = s.String("type");
      if (!type_name) return type_name.error();
      auto type = clients::ParseSourceType(*type_name);
      if (!type || clients::ChainOf(*type) != chain) {
        return s.FieldError("type", "unknown source type \"" + *type_name + "\" for " + name);
      }
      auto url = s.String("url");
      if (!url) return url.error();
      clients::SourceConfig source{*type, *url, ""};
      if (s.Has("auth")) {
        auto auth = s.String("auth");
        if (!auth) return auth.error();
        source.auth = *auth;  // secret: never printed
      }
      out.sources.push_back(std::move(source));
    }
    config.chains.push_back(std::move(out));
  }
  for (const auto& asset : config.assets) {
    if (config.FindChain(asset.chain) == nullptr) {
      return r.FieldError("chains", "asset " + asset.spec.symbol + " is on " + std::string(ToString(asset.chain)) +
                                        ", which has no entry in chains");
    }
  }
  return Status::Ok();
}

Result<ConfigAddress> ConfigParser::ParseAddress(const JsonValue& value, const std::string& json_path,
                                                 const AttestationConfig& config) {
  JsonObjectReader a(value, path_, json_path);
  if (Status s = a.CheckOnlyKeys({"chain", "address", "script", "proof"}); !s) return s.error();
  ConfigAddress out;
  out.json_path = json_path;
  auto chain_name = a.String("chain");
  if (!chain_name) return chain_name.error();
  auto chain = ParseChain(*chain_name);
  if (!chain) return a.FieldError("chain", "unknown chain \"" + *chain_name + "\"");
  if (config.FindChain(*chain) == nullptr) return a.FieldError("chain", *chain_name + " has no entry in chains");
  out.chain = *chain;
  auto text = a.String("address");
  if (!text) return text.error();
  out.address = *text;
  if (*chain == Chain::kBitcoin) {
    auto decoded = chain::DecodeBitcoinAddress(*text);
    if (!decoded) return a.FieldError("address", decoded.error().message);
    if (decoded->network != chain::BitcoinNetwork::kMainnet) {
      return a.FieldError("address", std::string(chain::ToString(decoded->network)) +
                                         " address in a mainnet attestation");
    }
    if (decoded->type == chain::BitcoinAddressType::kWitnessUnknown) {
      return a.FieldError("address", "unknown address kind (witness version " + std::to_string(decoded->witness_version) + ")");
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
    if (Status s = p.CheckOnlyKeys({"name", "liabilities", "addresses"}); !s) return s;
    ConfigPool pool;
    auto name = p.String("name");
    if (!name) return name.error();
    if (!IsValidPoolName(*name)) return p.FieldError("name", "pool names are 1-64 characters of A-Z a-z 0-9 . _ -");
    if (!names.insert(*name).second) return p.FieldError("name", "duplicate pool name \"" + *name + "\"");
    pool.name = *name;
    auto liabilities = p.String("liabilities");
    if (!liabilities) return liabilities.error();
    const std::filesystem::path lp(*liabilities);
    pool.liabilities_path = lp.is_absolute() ? lp.string() : (std::filesystem::path(base_dir_) / lp).string();
    auto addresses = ParseAddressList(p, "addresses", config);
    if (!addresses) return addresses.error();
    pool.addresses = std::move(*addresses);
    config.pools.push_back(std::move(pool));
  }
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
      if (!key || !chain::IsValidPublicKey(*key)) return At(where, "not a valid secp256k1 public key (33 or 65 bytes hex)");
      config.firm_keys.push_back(std::move(*key));
    }
  }
  return Status::Ok();
}

Result<AttestationConfig> ConfigParser::Parse(const JsonValue& root) {
  AttestationConfig config;
  config.path = path_;
  JsonObjectReader r(root, path_, "");
  if (Status s = r.CheckFormat(kConfigFormat); !s) return s.error();
  if (Status s = r.CheckOnlyKeys({"format", "id", "message", "assets", "chains", "pools", "firm"}); !s) return s.error();
  auto id = r.String("id");
  if (!id) return id.error();
  if (id->empty()) return r.FieldError("id", "must not be empty");
  config.id = *id;
  auto message = r.String("message");
  if (!message) return message.error();
  if (message->empty()) return r.FieldError("message", "must not be empty");
  config.message = *message;
  if (Status s = ParseAssets(r, config); !s) return s.error();
  if (Status s = ParseChains(r, config); !s) return s.error();
  if (Status s = ParsePools(r, config); !s) return s.error();
  if (Status s = ParseFirm(r, config); !s) return s.error();
  return config;
}

}  // namespace

const ConfigChain* AttestationConfig::FindChain(Chain chain) const {
  for (const auto& c : chains) {
    if (c.chain == chain) return &c;
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
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<AttestationConfig> LoadAttestationConfig(const std::string& path) {
  auto text = ReadFileLimited(path, 16u << 20);
  if (!text) return text.error();
  auto doc = ParseJson(*text, path, JsonLimits{16u << 20, 32});
  if (!doc) return doc.error();
  const std::string base = std::filesystem::path(path).parent_path().string();
  ConfigParser parser(path, base.empty() ? "." : base);
  auto config = parser.Parse(**doc);
  if (!config) return config.error();
  config->sha256 = ToHex(Sha256(*text));
  return config;
}

}  // namespace segverify::attest
