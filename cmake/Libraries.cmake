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
# compile; tests/layers/check_includes.py checks the same rule over the sources as a ctest.
#
# The layer graph is written once, here: the links each library declares. segverify_layer()
# registers a target and its folder, and segverify_write_layer_graph() writes what every
# registered target links to <build>/layers.json at configure time, which the checker reads
# (docs/ARCHITECTURE.md).
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
  segverify_layer(${target} ${ARG_FOLDER})
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE} segverify_warnings)
endfunction()

# Puts `target`, whose sources are in `folder`, into the layer graph.
function(segverify_layer target folder)
  set_property(GLOBAL APPEND PROPERTY SEGVERIFY_LAYER_TARGETS ${target})
  set_target_properties(${target} PROPERTIES SEGVERIFY_FOLDER ${folder})
endfunction()

# Writes `file`: {"<target>": {"folder": ..., "links": [...], "public_links": [...]}, ...} for every
# target segverify_layer() registered. "links" are all the target's direct links (what it sees),
# "public_links" the ones it passes on to whoever links it (what they see through it). Call it once
# every library is declared.
function(segverify_write_layer_graph file)
  get_property(targets GLOBAL PROPERTY SEGVERIFY_LAYER_TARGETS)
  set(entries "")
  foreach(target ${targets})
    get_target_property(folder ${target} SEGVERIFY_FOLDER)
    get_target_property(links ${target} LINK_LIBRARIES)
    get_target_property(public_links ${target} INTERFACE_LINK_LIBRARIES)
    set(fields "")
    foreach(kind links public_links)
      set(items "")
      if(${kind})
        foreach(item ${${kind}})
          # A static library's private links reach its users as $<LINK_ONLY:...>: linked, not seen.
          if(NOT item MATCHES "^\\$<LINK_ONLY:")
            list(APPEND items "\"${item}\"")
          endif()
        endforeach()
      endif()
      list(JOIN items ", " items)
      string(APPEND fields ", \"${kind}\": [${items}]")
    endforeach()
    list(APPEND entries "  \"${target}\": {\"folder\": \"${folder}\"${fields}}")
  endforeach()
  list(JOIN entries ",\n" entries)
  file(WRITE ${file} "{\n${entries}\n}\n")
endfunction()
