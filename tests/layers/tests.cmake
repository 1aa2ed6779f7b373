# The library layers (docs/ARCHITECTURE.md): no include crosses the arrows.
find_package(Python3 3.10 COMPONENTS Interpreter REQUIRED)
add_test(NAME layers.IncludesFollowTheLayers
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/layers/check_includes.py ${PROJECT_SOURCE_DIR})
add_test(NAME layers.CheckerCatchesPlantedViolations
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/layers/check_includes.py --self-test)
set_tests_properties(layers.IncludesFollowTheLayers layers.CheckerCatchesPlantedViolations PROPERTIES LABELS layers TIMEOUT 60)
