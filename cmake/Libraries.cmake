# How every segverify library is declared (docs/ARCHITECTURE.md).
#
# segverify_library(<name> FOLDER <dir> SOURCES <files...> [PUBLIC <targets...>] [PRIVATE <targets...>])
# makes the static library segverify_<name> with the alias segverify::<name>, from an explicit
# source list (no globbing: adding a file is a visible change to the build).
#
# Include roots: no target sees the repository root. Each library exports a directory of its own
# in the build tree that holds one symbolic link, <dir> -> the library's source folder, so its
# headers are included as "<dir>/file.h" (e.g. "verifier/chain/bip322.h") and a target sees exactly
# the headers of the libraries it links. An include across the layering therefore fails to
# compile; tests/tools/check_includes.py checks the same rule over the sources as a ctest.
function(segverify_include_root target folder)
  set(root ${PROJECT_BINARY_DIR}/include-roots/${target})
  get_filename_component(parent ${root}/${folder} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  if(NOT EXISTS ${root}/${folder})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${root})
endfunction()

function(segverify_library name)
  cmake_parse_arguments(ARG "" "FOLDER" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  set(target segverify_${name})
  list(TRANSFORM ARG_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/${ARG_FOLDER}/)
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(segverify::${name} ALIAS ${target})
  segverify_include_root(${target} ${ARG_FOLDER})
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE} segverify_warnings)
endfunction()
