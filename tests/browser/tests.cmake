# Status page tests that run outside C++: node (web/*.js directly) and headless Chromium via
# playwright-core (node_modules pinned in package.json). Each gets the segverify binary to build
# its fixtures with `tree build` / `proof export` and to run `serve` and `proof verify`.
find_program(SEGVERIFY_NODE node)
if(SEGVERIFY_NODE)
  add_test(NAME browser.Sha256Fallback.FipsVectors
           COMMAND ${SEGVERIFY_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/sha256_fallback_test.mjs)
  add_test(NAME browser.ProofCheck.AgreesWithCliInNode
           COMMAND ${SEGVERIFY_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/proof_check_node_test.mjs $<TARGET_FILE:segverify>)
  add_test(NAME browser.StatusPage.ChromiumAgreesWithCli
           COMMAND ${SEGVERIFY_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/page_test.mjs $<TARGET_FILE:segverify>)
  set_tests_properties(browser.Sha256Fallback.FipsVectors browser.ProofCheck.AgreesWithCliInNode
                       browser.StatusPage.ChromiumAgreesWithCli PROPERTIES LABELS browser TIMEOUT 300)
endif()
