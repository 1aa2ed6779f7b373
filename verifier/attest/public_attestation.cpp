#include "verifier/attest/public_attestation.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "common/hex.h"
#include "common/json.h"
#include "merkle/amount.h"
#include "verifier/chain/ethereum_address.h"

namespace segverify::attest {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void Text(Writer& w, std::string_view key, std::string_view value) {
  WriteJsonKey(w, key);
  WriteJsonString(w, value);
}

void WriteAssets(Writer& w, const std::vector<ConfigAsset>& assets) {
  WriteJsonKey(w, "assets");
  w.StartArray();
  for (const ConfigAsset& asset : assets) {
    w.StartObject();
    Text(w, "symbol", asset.spec.symbol);
    WriteJsonKey(w, "decimals");
    w.Int(asset.spec.decimals);
    Text(w, "chain", asset.chain_name);
    if (asset.contract) Text(w, "contract", chain::ToEip55(*asset.contract));
    if (asset.balance_slot) {
      WriteJsonKey(w, "balance_slot");
      w.Uint64(asset.balance_slot->slot);
      Text(w, "balance_layout", clients::ToString(asset.balance_slot->layout));
    }
    if (asset.agreed_reads) Text(w, "reads", "agreed");
    w.EndObject();
  }
  w.EndArray();
}

// Each chain's pin, without its sources.
void WriteChains(Writer& w, const std::vector<ConfigChain>& chains) {
  WriteJsonKey(w, "chains");
  w.StartObject();
  for (const ConfigChain& chain : chains) {
    WriteJsonKey(w, chain.name);
    w.StartObject();
    if (chain.chain == Chain::kBitcoin) {
      WriteJsonKey(w, "height");
    } else {
      Text(w, "type", "evm");
      WriteJsonKey(w, "chain_id");
      w.Uint64(chain.chain_id);
      Text(w, "reads", clients::ToString(chain.reads));
      WriteJsonKey(w, "block");
    }
    w.Uint64(chain.height);
    w.EndObject();
  }
  w.EndObject();
}

void WriteTapTree(Writer& w, const chain::TapTree& tree) {
  if (tree.leaf) {
    w.StartObject();
    Text(w, "script", ToHex(tree.leaf->script));
    WriteJsonKey(w, "leaf_version");
    w.Uint(tree.leaf->version);
    w.EndObject();
    return;
  }
  w.StartArray();
  for (const chain::TapTree& branch : tree.branches) WriteTapTree(w, branch);
  w.EndArray();
}

void WriteTaproot(Writer& w, const chain::TaprootDisclosure& taproot) {
  WriteJsonKey(w, "taproot");
  w.StartObject();
  Text(w, "internal_key", ToHex(taproot.internal_key));
  if (taproot.tree) {
    WriteJsonKey(w, "tree");
    WriteTapTree(w, *taproot.tree);
  }
  w.EndObject();
}

void WriteAddresses(Writer& w, const std::vector<ConfigAddress>& addresses) {
  WriteJsonKey(w, "addresses");
  w.StartArray();
  for (const ConfigAddress& a : addresses) {
    w.StartObject();
    Text(w, "chain", a.chain_name);
    Text(w, "address", a.address);
    if (a.script) Text(w, "script", ToHex(*a.script));
    if (a.taproot) WriteTaproot(w, *a.taproot);
    if (a.proof_type) {
      WriteJsonKey(w, "proof");
      w.StartObject();
      Text(w, "type", chain::ToString(*a.proof_type));
      Text(w, "signature", a.signature);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
}

void WriteRoot(Writer& w, const std::optional<merkle::PublishedRoot>& root) {
  WriteJsonKey(w, "root");
  if (!root) {
    w.Null();
    return;
  }
  w.StartObject();
  Text(w, "hash", ToHex(root->hash));
  WriteJsonKey(w, "sums");
  w.StartArray();
  for (std::size_t i = 0; i < root->sums.size(); ++i) {
    WriteJsonString(w, merkle::FormatAmount(root->sums[i], root->assets[i].decimals));
  }
  w.EndArray();
  WriteJsonKey(w, "height");
  w.Uint(root->height);
  w.EndObject();
}

}  // namespace

std::string PublicAttestationToJson(const AttestationConfig& config,
                                    const std::vector<std::optional<merkle::PublishedRoot>>& roots) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  Text(w, "format", kPublicAttestationFormat);
  Text(w, "id", config.id);
  Text(w, "message", config.message);
  WriteAssets(w, config.assets);
  WriteChains(w, config.chains);
  WriteJsonKey(w, "pools");
  w.StartArray();
  for (std::size_t p = 0; p < config.pools.size(); ++p) {
    w.StartObject();
    Text(w, "name", config.pools[p].name);
    WriteRoot(w, p < roots.size() ? roots[p] : std::nullopt);
    WriteAddresses(w, config.pools[p].addresses);
    w.EndObject();
  }
  w.EndArray();
  WriteJsonKey(w, "firm");
  w.StartObject();
  WriteAddresses(w, config.firm_addresses);
  WriteJsonKey(w, "keys");
  w.StartArray();
  for (const Bytes& key : config.firm_keys) WriteJsonString(w, ToHex(key));
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

Result<std::string> PublicAttestationId(std::string_view text, std::string_view origin) {
  auto attestation = ParsePublicAttestation(text, origin);
  if (!attestation) return attestation.error();
  return std::move(attestation->id);
}

}  // namespace segverify::attest
