# `cmake --install` and the Debian package (cmake/Packaging.cmake): see install_test.sh.
find_program(SEGVERIFY_DPKG_DEB dpkg-deb)
if(SEGVERIFY_DPKG_DEB)
  add_test(NAME package.InstallAndDebian COMMAND ${PROJECT_SOURCE_DIR}/tests/package/install_test.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(package.InstallAndDebian PROPERTIES LABELS package TIMEOUT 300)
endif()
