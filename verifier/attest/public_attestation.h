// The public attestation, attestation.json ("segverify-public-attestation/1", docs/FORMAT.md §11):
// what anyone needs to re-check an attestation with their own nodes (docs/DESIGN.md §Public
// re-check).
//
// It is the attestation config as run, written field by field from the parsed config (so nothing
// the parser did not check, and nothing secret, can reach it): id, message, assets, each chain's
// height or block (with "type" and "chain_id" for EVM chains), each pool's name, its published root
// in place of the liabilities file ({"hash","sums","height"}, sums in whole units as decimal text;
// null when the run could not build the tree) and its addresses with their scripts and ownership
// proofs, and the firm's addresses and keys. No source (URL, credentials, CA file), no file path,
// no nonce key. ParsePublicAttestation (attestation_config.h) reads it back.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "merkle/published_root.h"
#include "verifier/attest/attestation_config.h"

namespace segverify::attest {

// `roots`: one per config.pools, in order (nullopt: that pool's tree could not be built). Pretty
// printed, ending in a newline; a deterministic function of its arguments.
std::string PublicAttestationToJson(const AttestationConfig& config,
                                    const std::vector<std::optional<merkle::PublishedRoot>>& roots);

// The id of a public attestation's text, read by ParsePublicAttestation with every field checked:
// what `publish` and `serve` hand the status site to vet DIR/attestation.json
// (server/site.h PublicAttestationReader).
[[nodiscard]] Result<std::string> PublicAttestationId(std::string_view text, std::string_view origin);

}  // namespace segverify::attest
