# Ownership proofs against a real Ethereum node: anvil + an ERC-1271 wallet compiled with solc-js,
# driven through `segverify sig verify` (tests/chain/erc1271_anvil.js starts and kills anvil).
add_test(NAME ownership.Erc1271Anvil.SigVerifyAgainstDeployedWallet
         COMMAND node ${PROJECT_SOURCE_DIR}/tests/chain/erc1271_anvil.js $<TARGET_FILE:segverify>)
set_tests_properties(ownership.Erc1271Anvil.SigVerifyAgainstDeployedWallet PROPERTIES LABELS ownership TIMEOUT 180)
