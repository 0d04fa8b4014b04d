# ELMo inside RocksDB's build (included from CMakeLists.txt by patches/0001).
#
# ELMO_SOURCE_DIR points at the repository's elmo/ (the C11 tuner core, its own CMake project).
# Its objects and the C++ glue under utilities/elmo/ are compiled into both RocksDB libraries,
# which then link libcurl and cJSON. The `elmo_cli` target builds the `elmo` command-line tool against the shared library.

if(NOT ELMO_SOURCE_DIR)
  message(FATAL_ERROR "ELMO_SOURCE_DIR is not set: configure through ./build.sh")
endif()

find_package(CURL REQUIRED)  # here too: imported targets found in a subdirectory stay there
# The core's module objects (elmo/CMakeLists.txt), compiled with this build's flags.
add_subdirectory(${ELMO_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/elmo-core EXCLUDE_FROM_ALL)

file(GLOB ELMO_GLUE_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/utilities/elmo/*.cc)
foreach(lib ${ROCKSDB_STATIC_LIB} ${ROCKSDB_SHARED_LIB})
  if(TARGET ${lib})
    target_sources(${lib} PRIVATE ${ELMO_CORE_OBJECTS} ${ELMO_GLUE_SOURCES})
    target_include_directories(${lib} PRIVATE ${ELMO_SOURCE_DIR}/include ${ELMO_CJSON_INCLUDE})
    target_link_libraries(${lib} PRIVATE ${ELMO_CORE_LINK})
  endif()
endforeach()
list(APPEND THIRDPARTY_LIBS CURL::libcurl ${ELMO_CJSON_LIB})
include_directories(${ELMO_SOURCE_DIR}/include)

file(GLOB ELMO_CLI_SOURCES CONFIGURE_DEPENDS ${ELMO_SOURCE_DIR}/cli/*.c)
add_executable(elmo_cli ${ELMO_CLI_SOURCES})
set_target_properties(elmo_cli PROPERTIES OUTPUT_NAME elmo)
set_source_files_properties(${ELMO_CLI_SOURCES} PROPERTIES
  COMPILE_OPTIONS "-std=c11;-Wall;-Wextra;-Wno-unused-parameter")
target_include_directories(elmo_cli PRIVATE ${ELMO_SOURCE_DIR}/include ${ELMO_CJSON_INCLUDE})
target_link_libraries(elmo_cli ${ROCKSDB_SHARED_LIB})

# RocksDB's own tests for the upstream files our patches touch (options/configurable_helper.h,
# include/rocksdb/utilities/options_type.h, options/db_options.cc; patches/0006 adds the elmo_*
# keys' cases to options_test and options_settable_test). Debian's build type leaves WITH_TESTS off, so these
# are defined here, after RocksDB's CMakeLists.txt has defined testharness and gtest, and built
# only on request (./build.sh test): they are not part of the default build.
set(ELMO_UPSTREAM_TESTS
    options/configurable_test.cc
    options/options_settable_test.cc
    options/options_test.cc)
function(elmo_define_upstream_tests)
  foreach(src ${ELMO_UPSTREAM_TESTS})
    get_filename_component(exe ${src} NAME_WE)
    add_executable(${exe} EXCLUDE_FROM_ALL ${src})
    target_link_libraries(${exe} testharness gtest ${THIRDPARTY_LIBS} ${ROCKSDB_LIB})
  endforeach()
endfunction()
cmake_language(DEFER CALL elmo_define_upstream_tests)

# db_bench --benchmarks=elmotune (patches/0003): the flags-to-config glue of the offline tuner;
# --benchmarks=elmospec (patches/0004): the workload-spec runner; --benchmarks=elmoreplay
# (patches/0009): a query trace replayed as fast as possible.
function(elmo_add_db_bench_glue)
  if(TARGET db_bench)
    target_sources(db_bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/tools/elmo_tune.cc
                   ${CMAKE_CURRENT_SOURCE_DIR}/tools/elmo_spec_bench.cc
                   ${CMAKE_CURRENT_SOURCE_DIR}/tools/elmo_replay_bench.cc
                   ${CMAKE_CURRENT_SOURCE_DIR}/tools/elmo_base_db.cc)
  endif()
endfunction()
cmake_language(DEFER CALL elmo_add_db_bench_glue)
