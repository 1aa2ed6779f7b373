#include "verifier/server/proof_request.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "common/hex.h"
#include "common/json.h"
#include "merkle/inclusion_proof.h"
#include "merkle/json_fields.h"

namespace segverify::server {

ProofRequestAnswer CheckProofRequest(std::string_view body, const std::vector<Hash256>& published_roots,
                                     const report::PublishedRoots& roots) {
  constexpr std::string_view kOrigin = "request body";
  // Parsed once on its own so "not JSON" (400) is told apart from "not a proof" (422).
  if (auto doc = ParseJson(body, kOrigin, JsonLimits{merkle::kMaxProofBytes, 16}); !doc) {
    return {ProofRequestOutcome::kNotJson, doc.error().message};
  }
  auto proof = merkle::ParseInclusionProof(body, kOrigin);
  if (!proof) return {ProofRequestOutcome::kNotAProof, proof.error().message};
  const merkle::ProofCheck check = merkle::VerifyInclusionProof(*proof, merkle::ExpectedRoot{});
  if (check.verdict != merkle::ProofVerdict::kValid) return {ProofRequestOutcome::kInvalid, check.reason};
  if (std::find(published_roots.begin(), published_roots.end(), proof->root.hash) == published_roots.end()) {
    if (const report::ListedRoot* replaced = FindSuperseded(roots, ToHex(proof->root.hash))) {
      return {ProofRequestOutcome::kSuperseded, SupersededSentence(*replaced)};
    }
    return {ProofRequestOutcome::kNotPublished, "root " + ToHex(proof->root.hash) + " is not a published root"};
  }
  return {ProofRequestOutcome::kValid, ""};
}

std::string ProofAnswerToJson(const ProofRequestAnswer& answer) {
  rapidjson::StringBuffer buffer;
  merkle::JsonWriter w(buffer);
  w.StartObject();
  w.Key("valid");
  w.Bool(answer.outcome == ProofRequestOutcome::kValid);
  if (answer.outcome != ProofRequestOutcome::kValid) {
    w.Key("error");
    WriteJsonString(w, answer.error);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace segverify::server
