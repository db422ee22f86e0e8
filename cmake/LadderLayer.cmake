# ladder_layer(NAME SOURCES... DEPS ...): one static library per layer folder.
# The include root is src/, so code includes "crypto/musig.h" and the folder
# name tells the reader which layer a header belongs to.
function(ladder_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS" ${ARGN})
  add_library(ladder_${name} STATIC ${L_SOURCES})
  target_include_directories(ladder_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(ladder_${name} PUBLIC ${L_DEPS} PRIVATE ladder_warnings)
endfunction()

# ladder_test(NAME SOURCES... DEPS ... LABELS ...): one gtest executable,
# registered with CTest under the given labels (always also "unit" unless
# another tier label is given).
function(ladder_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main ladder_warnings)
  target_compile_definitions(${name} PRIVATE LADDER_VECTORS_DIR="${PROJECT_SOURCE_DIR}/../shared/vectors")
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "LADDER_VECTORS=${PROJECT_SOURCE_DIR}/../shared/vectors")
endfunction()
