// SPDX-License-Identifier: MIT
// A minimal ERC-20 for the client tests: balanceOf/transfer per EIP-20, mint by the deployer.
// decimals() is 6, like USDT: the sample exchange lists it as USDT with 6 decimals, and attest checks
// decimals() at the pinned block (docs/DESIGN.md §Assets and tokens).
pragma solidity ^0.8.0;

import "Erc20Ledger.sol";

contract TestToken is Erc20Ledger {
    uint8 public constant decimals = 6;
    address public owner;

    constructor() {
        owner = msg.sender;
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "only owner");
        _mint(to, amount);
    }
}

// Misbehaving tokens: the client must refuse each answer, never read a balance from it.
contract WideReturnToken {
    function balanceOf(address) external pure returns (uint256, uint256) {
        return (1, 2);  // 64 bytes of return data
    }
}

contract RevertingToken {
    function balanceOf(address) external pure returns (uint256) {
        revert("no balances here");
    }
}

contract HugeBalanceToken {
    function balanceOf(address) external pure returns (uint256) {
        return uint256(1) << 128;  // 2^128: does not fit an amount
    }
}
