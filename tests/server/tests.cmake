# The server tests talk HTTP with cpp-httplib's client, so they need its compile definitions (the
# verifier links it privately).
if(TARGET segverify_server_tests)
  target_link_libraries(segverify_server_tests PRIVATE PkgConfig::HTTPLIB)
endif()
