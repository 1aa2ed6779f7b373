// SPDX-License-Identifier: MIT
// An ERC-20 (https://eips.ethereum.org/EIPS/eip-20) whose decimals() is chosen at deployment, for the
// token-decimals checks (tests/attest). Test token: anyone may mint, so a fixture can fund any holder.
pragma solidity ^0.8.0;

import "Erc20Ledger.sol";

contract DecimalsToken is Erc20Ledger {
    uint8 public immutable decimals;

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
