# tests/support/anvil.cpp drives anvil through the clients library's transport: link it so the
# static-library order puts clients after the test support.
target_link_libraries(segverify_test_support PUBLIC segverify::clients)
