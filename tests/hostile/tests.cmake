# The fuzz entries (fuzz/entries/) are compiled into the hostile tests too, so every input kept
# in tests/hostile/corpus/<target>/ replays through the same code with any compiler, in the
# normal suite and under the sanitizers (fuzz_regressions_test.cpp).
if(TARGET segverify_hostile_tests)
  file(GLOB SEGVERIFY_HOSTILE_FUZZ_ENTRIES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/entries/*.cpp)
  target_sources(segverify_hostile_tests PRIVATE ${SEGVERIFY_HOSTILE_FUZZ_ENTRIES})
endif()
