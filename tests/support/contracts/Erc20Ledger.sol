// SPDX-License-Identifier: MIT
// The balance ledger of the test tokens: balanceOf/transfer/totalSupply and the Transfer event per
// EIP-20 (https://eips.ethereum.org/EIPS/eip-20). Each token adds its decimals() and who may mint.
pragma solidity ^0.8.0;

abstract contract Erc20Ledger {
    // Storage: totalSupply in slot 0, balanceOf in slot 1 (the benchmarks write balances there).
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    function transfer(address to, uint256 amount) external returns (bool) {
        require(balanceOf[msg.sender] >= amount, "insufficient balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function _mint(address to, uint256 amount) internal {
        balanceOf[to] += amount;
        totalSupply += amount;
        emit Transfer(address(0), to, amount);
    }
}
