# Every bench/*.sh script run at a tiny size (seconds), so none of them rots: each finds the binary
# the way a person running it does (bench/bench_env.sh: SEGVERIFY_BUILD_DIR/verifier/segverify),
# builds or funds its input, runs segverify and computes its figures. The figures themselves are
# not checked here (timed tests would fail on a loaded machine); the bench READMEs hold them.
set(SEGVERIFY_BENCH_ENV ${CMAKE_COMMAND} -E env SEGVERIFY_BUILD_DIR=${PROJECT_BINARY_DIR})
add_test(NAME benchscripts.tree_build_bench
         COMMAND ${SEGVERIFY_BENCH_ENV} SPEED_SECONDS=1 bash ${PROJECT_SOURCE_DIR}/bench/tree_build_bench.sh 1000)
add_test(NAME benchscripts.proof_export_bench
         COMMAND ${SEGVERIFY_BENCH_ENV} RUNS=2 bash ${PROJECT_SOURCE_DIR}/bench/proof_export_bench.sh 1000)
add_test(NAME benchscripts.clients_bench
         COMMAND ${SEGVERIFY_BENCH_ENV} bash ${PROJECT_SOURCE_DIR}/bench/clients_bench.sh ${PROJECT_BINARY_DIR} 20)
add_test(NAME benchscripts.https_bench
         COMMAND ${SEGVERIFY_BENCH_ENV} bash ${PROJECT_SOURCE_DIR}/bench/https_bench.sh ${PROJECT_BINARY_DIR} 20 1)
add_test(NAME benchscripts.attest_bench
         COMMAND ${SEGVERIFY_BENCH_ENV} BENCH_NO_ESPLORA=1 bash ${PROJECT_SOURCE_DIR}/bench/attest_bench.sh 1000 12)
set_tests_properties(benchscripts.tree_build_bench benchscripts.proof_export_bench benchscripts.clients_bench
                     benchscripts.https_bench benchscripts.attest_bench PROPERTIES LABELS benchscripts TIMEOUT 300)
