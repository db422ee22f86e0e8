# Included from the top-level CMakeLists.txt when LADDER_FUZZ is ON, before
# any library is defined: every Ladder library is compiled with libFuzzer's
# coverage instrumentation and ASan+UBSan, so the fuzzers see (and check) the
# code they call. The fuzzer executables add -fsanitize=fuzzer at link time
# (fuzz/CMakeLists.txt). Only the fuzz targets are meant to be built in this
# configuration (`--target ladder_fuzzers`).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "LADDER_FUZZ needs clang (configure with CC=clang CXX=clang++)")
endif()
if(LADDER_SANITIZE)
  message(FATAL_ERROR "LADDER_FUZZ already enables ASan+UBSan; leave LADDER_SANITIZE off")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
add_link_options(-fsanitize=address,undefined)
