// SPDX-License-Identifier: MIT
// Tokens for the proven ERC-20 balance tests (docs/FORMAT.md "Proven Ethereum reads"): where a
// token keeps its balances decides which storage proof backs balanceOf.
pragma solidity ^0.8.0;

// Balances in a mapping at slot 3 laid out as Vyper does (keccak256(pad32(slot) ‖ pad32(holder)),
// Vyper docs "Storage layout"), written by hand since the tests have no Vyper compiler.
contract VyperLayoutToken {
    uint8 public constant decimals = 6;

    function _entry(address holder) internal pure returns (bytes32) {
        return keccak256(abi.encode(uint256(3), holder));
    }

    function mint(address to, uint256 amount) external {
        bytes32 entry = _entry(to);
        assembly {
            sstore(entry, add(sload(entry), amount))
        }
    }

    function balanceOf(address holder) external view returns (uint256 amount) {
        bytes32 entry = _entry(holder);
        assembly {
            amount := sload(entry)
        }
    }
}

// A rebasing token: balanceOf is shares times an index, not a storage word (like stETH or an
// aToken). Its balances cannot be proven from storage; the asset must say "reads":"agreed".
contract RebasingToken {
    uint8 public constant decimals = 6;
    mapping(address => uint256) public shares;

    function mint(address to, uint256 amount) external {
        shares[to] += amount;
    }

    function balanceOf(address holder) external view returns (uint256) {
        return shares[holder] * 11 / 10;
    }
}
