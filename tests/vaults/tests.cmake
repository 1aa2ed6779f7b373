# The Safe 1.4.1 vault fixture (tests/vaults/safe_fixture.mjs) checked against real anvil nodes: the
# official contracts from npm at their canonical addresses and code hashes, Safes read back at the pin,
# ERC-1271 signatures the way the CompatibilityFallbackHandler checks them, look-alikes, tokens.
add_test(NAME vaults.SafeFixtureSelfTest
         COMMAND node ${PROJECT_SOURCE_DIR}/tests/vaults/safe_fixture_selftest.mjs ${CMAKE_BINARY_DIR})
set_tests_properties(vaults.SafeFixtureSelfTest PROPERTIES LABELS vaults TIMEOUT 120)
