// SPDX-License-Identifier: MIT
// An ERC-20 (https://eips.ethereum.org/EIPS/eip-20) whose decimals() is chosen at deployment, for the
// token-decimals checks (tests/vaults). Test token: anyone may mint, so a fixture can fund any holder.
pragma solidity ^0.8.0;

contract DecimalsToken {
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
        totalSupply += amount;
        emit Transfer(address(0), to, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        require(balanceOf[msg.sender] >= amount, "insufficient balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }
}
