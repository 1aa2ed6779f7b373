# Installing the verifier without the developer setup (README "Install the verifier only"):
# `cmake --install BUILD [--prefix P]` puts the segverify binary in P/bin and the documentation in
# P/share/doc/segverify; the status page's scripts and style are embedded into the binary
# (web/CMakeLists.txt), and are also installed as files in P/share/segverify/web for readers who
# want to see what a published page runs. CPack turns the same install into a Debian package,
# segverify_<version>_amd64.deb (./scripts/package), with its library dependencies found by
# dpkg-shlibdeps, so that `apt install ./segverify_<version>_amd64.deb` pulls them in.
include(GNUInstallDirs)

install(TARGETS segverify RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES docs/FORMAT.md docs/SECURITY.md docs/OPERATIONS.md docs/STATUS-PAGE.md docs/ARCHITECTURE.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/images DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES web/app.js web/proof_check.js web/strict_json.js web/sha256.js web/embed.js
        DESTINATION ${CMAKE_INSTALL_DATADIR}/segverify/web)

set(CPACK_PACKAGE_NAME segverify)
set(CPACK_PACKAGE_VENDOR "segverify")
set(CPACK_PACKAGE_CONTACT "segverify maintainers <segverify@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Verifies that an exchange keeps client coins segregated (proofs, attestations, status pages)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # segverify_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGE_INSTALL_DIRECTORY segverify)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
