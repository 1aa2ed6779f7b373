// SPDX-License-Identifier: MIT
// ERC-1271 contract wallets for the ownership tests (https://eips.ethereum.org/EIPS/eip-1271).
pragma solidity ^0.8.0;

// Valid iff the 65-byte signature (r, s, v) over `hash` recovers to the owner.
contract Vault1271 {
    bytes4 internal constant MAGIC = 0x1626ba7e;
    address public owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 65) return 0xffffffff;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        address signer = ecrecover(hash, v, r, s);
        return signer != address(0) && signer == owner ? MAGIC : bytes4(0xffffffff);
    }
}

// Always answers a value that is not the magic value.
contract WrongMagicVault {
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4) {
        return 0xdeadbeef;
    }
}

// Always reverts.
contract RevertingVault {
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4) {
        revert("signatures are not accepted");
    }
}
