// BIP-322 (2.0.0) generic signed messages: verification of the simple and full variants.
//
// What is verified (everything else is kUnsupported — "inconclusive" in the BIP — never valid):
//  - P2WPKH: witness [sig, key]; key compressed (BIP-143 policy) and hashing to the program;
//    BIP-143 sighash with SIGHASH_ALL; ECDSA strict DER + low S.
//  - P2WSH m-of-n multisig: witness [empty dummy, sig_1..sig_m, witness script]; the script must
//    hash to the program and, when `witness_script` is given (the config's `script`), equal it.
//    Signatures are matched against the keys in order, as OP_CHECKMULTISIG does, and the number
//    of DISTINCT keys with a valid signature must reach the threshold (a script that repeats a
//    key cannot turn one signer into two).
//  - P2TR key path: witness [sig] (+ optional annex); 64-byte sig = SIGHASH_DEFAULT, 65 bytes
//    ending in 0x01 = SIGHASH_ALL, any other hash type invalid; BIP-341 sighash; BIP-340 Schnorr
//    against the address's output key.
//  - Full variant only: the same inside P2SH (P2SH-P2WPKH, P2SH-P2WSH multisig), where the
//    scriptSig must be exactly one push of the redeem script hashing to the address.
//  - The legacy variant (a BIP-137 signature) for P2PKH addresses, as BIP-322 permits.
// Not verified: proof-of-funds ("pof"), plain P2SH or P2PKH full signatures, script-path taproot,
// time-lock scripts, witness versions above 1, to_sign versions other than 0 and 2, to_sign with
// extra inputs.
// A full signature's nLockTime and first nSequence are not checked (BIP-322: "valid at time T and
// age S"); none of the scripts verified here contains a time lock, so they do not change validity.
#pragma once

#include <optional>
#include <string_view>

#include "common/hex.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ownership_result.h"

namespace segverify::chain {

OwnershipResult VerifyBip322(const chain::BitcoinAddress& address, std::string_view message,
                             std::string_view signature_text, const std::optional<Bytes>& witness_script);

}  // namespace segverify::chain
