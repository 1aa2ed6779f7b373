// SPDX-License-Identifier: MIT
// A minimal ERC-20 for the client tests: balanceOf/transfer per EIP-20, mint by the deployer.
// decimals() is 6, like USDT: the sample exchange lists it as USDT with 6 decimals, and attest checks
// decimals() at the pinned block (DESIGN.md "Assets and tokens").
pragma solidity ^0.8.0;

contract TestToken {
    uint8 public constant decimals = 6;
    address public owner;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor() {
        owner = msg.sender;
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "only owner");
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
