# The library layers (docs/ARCHITECTURE.md): no include crosses the arrows. The arrows are the
# links each library declares in CMake, written to layers.json here, once every library exists.
find_package(Python3 3.10 COMPONENTS Interpreter REQUIRED)
segverify_write_layer_graph(${PROJECT_BINARY_DIR}/layers.json)
add_test(NAME layers.IncludesFollowTheLayers
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/layers/check_includes.py ${PROJECT_SOURCE_DIR}
                 ${PROJECT_BINARY_DIR}/layers.json)
add_test(NAME layers.CheckerCatchesPlantedViolations
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/layers/check_includes.py --self-test)
set_tests_properties(layers.IncludesFollowTheLayers layers.CheckerCatchesPlantedViolations PROPERTIES LABELS layers TIMEOUT 60)
