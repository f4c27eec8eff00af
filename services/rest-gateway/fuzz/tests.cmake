# rest-gateway's request parsing libFuzzer target is a separate clang project (fuzz/CMakeLists.txt),
# so it is not add_subdirectory()'d: CTest runs a script that builds it in
# $DIALTONE_BUILD_DIR/fuzz-rest and fuzzes for DIALTONE_FUZZ_SECONDS (default 60).
dialtone_script_test(rest_gateway_request_fuzz LABEL unit fuzz TIMEOUT 600
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_rest_fuzzer.sh)
