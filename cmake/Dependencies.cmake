# Every third-party library comes from Debian packages (see scripts/setup).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
pkg_check_modules(CRYPTOPP REQUIRED IMPORTED_TARGET libcrypto++)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)  # node requests (clients/http_transport.cpp)
pkg_check_modules(MICROHTTPD REQUIRED IMPORTED_TARGET libmicrohttpd)  # the status server (verifier/server)
find_package(SQLite3 REQUIRED)
find_package(ZLIB REQUIRED)  # evidence files are gzip (clients/evidence.cpp)

find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
add_library(segverify_rapidjson INTERFACE)
# RapidJSON's SSE4.2 whitespace skipping is safe on any x86-64 we build for; keep the portable path.
target_include_directories(segverify_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
target_compile_definitions(segverify_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)

find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
add_library(segverify_cli11 INTERFACE)
target_include_directories(segverify_cli11 SYSTEM INTERFACE ${CLI11_INCLUDE_DIR})

if(SEGVERIFY_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SEGVERIFY_BENCH)
  find_package(benchmark REQUIRED)
endif()
