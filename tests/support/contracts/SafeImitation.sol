// SPDX-License-Identifier: MIT
// NOT a Safe, though it answers like one: getOwners, getThreshold, getModulesPaginated, VERSION and the
// fallback-handler storage slot look like a Safe 1.4.1's, while isValidSignature accepts ANY signature
// (an owner backdoor). Only its code hash gives it away. tests/attest uses it two ways: deployed on its
// own (a contract that imitates a Safe's getters) and as the singleton behind a real SafeProxy made by
// the official SafeProxyFactory (a genuine proxy in front of a non-canonical singleton).
pragma solidity ^0.8.0;

contract SafeImitation {
    // Slot 0 holds the singleton when this runs behind a SafeProxy (as Safe's Singleton.sol keeps it).
    address private singleton;
    address[] private owners;
    uint256 private threshold;

    // keccak256("fallback_manager.handler.address"), Safe 1.4.1 FallbackManager.
    bytes32 private constant FALLBACK_HANDLER_STORAGE_SLOT =
        0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5;
    address private constant SENTINEL = address(0x1);

    // The same signature as Safe 1.4.1's setup(), so one initializer serves either singleton.
    function setup(
        address[] calldata owners_,
        uint256 threshold_,
        address,
        bytes calldata,
        address fallbackHandler,
        address,
        uint256,
        address payable
    ) external {
        require(threshold == 0, "already set up");
        require(threshold_ > 0 && threshold_ <= owners_.length, "bad threshold");
        owners = owners_;
        threshold = threshold_;
        bytes32 slot = FALLBACK_HANDLER_STORAGE_SLOT;
        assembly {
            sstore(slot, fallbackHandler)
        }
    }

    function VERSION() external pure returns (string memory) {
        return "1.4.1";
    }

    function getOwners() external view returns (address[] memory) {
        return owners;
    }

    function getThreshold() external view returns (uint256) {
        return threshold;
    }

    function isOwner(address who) external view returns (bool) {
        for (uint256 i = 0; i < owners.length; i++) {
            if (owners[i] == who) return true;
        }
        return false;
    }

    // "No modules", exactly as a Safe answers it: an empty page whose next is the sentinel.
    function getModulesPaginated(address, uint256) external pure returns (address[] memory array, address next) {
        return (new address[](0), SENTINEL);
    }

    // The backdoor: every signature is "valid" (EIP-1271 and the legacy bytes variant).
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4) {
        return 0x1626ba7e;
    }

    function isValidSignature(bytes calldata, bytes calldata) external pure returns (bytes4) {
        return 0x20c13b0b;
    }

    receive() external payable {}
}
