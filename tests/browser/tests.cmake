# Status page tests that run outside C++: node (web/*.js directly) and headless Chromium via
# playwright-core (node_modules pinned in package.json). Each gets the segverify binary to build
# its fixtures with `tree build` / `proof export` / `attest`, and to run `publish`, `serve` and
# `proof verify`. The faces test saves its screenshots in <build>/artifacts/faces/.
find_program(SEGVERIFY_NODE node)
if(SEGVERIFY_NODE)
  add_test(NAME browser.Sha256Fallback.FipsVectors
           COMMAND ${SEGVERIFY_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/sha256_fallback_test.mjs)
  add_test(NAME browser.ProofCheck.AgreesWithCliInNode
           COMMAND ${SEGVERIFY_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/proof_check_node_test.mjs $<TARGET_FILE:segverify>)
  add_test(NAME browser.StatusPage.ChromiumAgreesWithCli
           COMMAND ${SEGVERIFY_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/page_test.mjs $<TARGET_FILE:segverify>)
  add_test(NAME browser.PublicFaces.StaticAndServeInChromium
           COMMAND ${SEGVERIFY_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/faces_test.mjs $<TARGET_FILE:segverify>
                   ${CMAKE_BINARY_DIR} ${CMAKE_BINARY_DIR}/artifacts/faces)
  add_test(NAME browser.HonestPages.StatesInChromium
           COMMAND ${SEGVERIFY_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/honest_pages_test.mjs $<TARGET_FILE:segverify>
                   ${CMAKE_BINARY_DIR}/artifacts/honest)
  set_tests_properties(browser.Sha256Fallback.FipsVectors browser.ProofCheck.AgreesWithCliInNode
                       browser.HonestPages.StatesInChromium
                       browser.StatusPage.ChromiumAgreesWithCli browser.PublicFaces.StaticAndServeInChromium
                       PROPERTIES LABELS browser TIMEOUT 300)
endif()
