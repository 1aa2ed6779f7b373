# The sample-exchange launcher (tests/scenario/sample_exchange.mjs) stops its nodes on stdin EOF,
# SIGTERM, and even when SIGKILLed. (The attestation scenarios themselves run in tests/attest/.)
add_test(NAME scenario.LauncherLeavesNoProcessBehind
         COMMAND node ${PROJECT_SOURCE_DIR}/tests/scenario/launcher_cleanup_test.mjs ${CMAKE_BINARY_DIR})
set_tests_properties(scenario.LauncherLeavesNoProcessBehind PROPERTIES LABELS scenario TIMEOUT 180)

# The committed sample wallets, checked with the independent npm verifiers (not with segverify).
add_test(NAME scenario.SampleWalletsVerifyWithNpmOracles
         COMMAND node ${PROJECT_SOURCE_DIR}/tests/scenario/wallets_oracle_test.mjs)
set_tests_properties(scenario.SampleWalletsVerifyWithNpmOracles PROPERTIES LABELS scenario TIMEOUT 60)
