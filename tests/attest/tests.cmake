# The Safe 1.4.1 vault fixture (tests/attest/safe_fixture.mjs) checked against real anvil nodes: the
# official contracts from npm at their canonical addresses and code hashes, Safes read back at the pin,
# ERC-1271 signatures the way the CompatibilityFallbackHandler checks them, look-alikes, tokens.
add_test(NAME vaults.SafeFixtureSelfTest
         COMMAND node ${PROJECT_SOURCE_DIR}/tests/attest/safe_fixture_selftest.mjs ${CMAKE_BINARY_DIR})
set_tests_properties(vaults.SafeFixtureSelfTest PROPERTIES LABELS vaults TIMEOUT 120)

# The contract-vault and token scenarios (tests/attest/vault_scenarios.cpp): the real `segverify
# attest` on one anvil world shared by every test in the binary (tests/attest/vault_world.mjs), so
# the binary is one ctest rather than one process (and one world) per test.
add_executable(segverify_vault_scenarios ${PROJECT_SOURCE_DIR}/tests/attest/vault_scenarios.cpp)
target_link_libraries(segverify_vault_scenarios PRIVATE segverify::attest segverify_test_support GTest::gtest_main
                                                        segverify_warnings)
add_test(NAME vaults.Scenarios COMMAND segverify_vault_scenarios)
set_tests_properties(vaults.Scenarios PROPERTIES LABELS vaults TIMEOUT 300)
