# Independent Python reference of the Merkle-sum tree (tests/tools/reference_tree.py) and its
# cross-check against the C++ `segverify tree build` / `proof export` / `proof verify`.
find_package(Python3 3.10 COMPONENTS Interpreter REQUIRED)
find_program(SEGVERIFY_OPENSSL openssl REQUIRED)
set(SEGVERIFY_REFTREE_DIR ${PROJECT_SOURCE_DIR}/tests/merkle)

# The reference on its own: amounts, CSV, tree, verifier (hand-written and OpenSSL-made vectors).
add_test(NAME reftree.reference_selftest
  COMMAND ${Python3_EXECUTABLE} ${SEGVERIFY_REFTREE_DIR}/reference_selftest.py)

# Worked example recomputed with the openssl CLI alone, against the fixture and the C++.
add_test(NAME reftree.worked_example_openssl
  COMMAND bash ${SEGVERIFY_REFTREE_DIR}/worked_example_openssl.sh ${PROJECT_SOURCE_DIR} $<TARGET_FILE:segverify>)

# Random trees, proofs and tampering: C++ and reference must agree bit for bit.
add_test(NAME reftree.crosscheck
  COMMAND ${Python3_EXECUTABLE} ${SEGVERIFY_REFTREE_DIR}/crosscheck.py --segverify $<TARGET_FILE:segverify>)

# The shuffled leaf order: the committed known answers (fixtures/vectors/leaf-shuffle.json, which
# merkle.LeafShuffle.* holds the C++ to) are exactly what the independent Python reference computes.
add_test(NAME reftree.leaf_shuffle_vectors
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/tools/leaf_shuffle_vectors.py
          --check ${PROJECT_SOURCE_DIR}/fixtures/vectors/leaf-shuffle.json)

set_tests_properties(reftree.reference_selftest reftree.worked_example_openssl reftree.crosscheck
                     reftree.leaf_shuffle_vectors
  PROPERTIES LABELS reftree TIMEOUT 120)
