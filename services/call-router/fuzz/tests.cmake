# The SIP request path's libFuzzer target is a separate clang project (fuzz/CMakeLists.txt), so it
# is not add_subdirectory()'d: CTest runs a script that builds it in $DIALTONE_BUILD_DIR/fuzz-sip
# and fuzzes for DIALTONE_FUZZ_SECONDS (default 60). Labels unit and fuzz (-L fuzz: all fuzzers).
dialtone_script_test(call_router_sip_fuzz LABEL unit fuzz TIMEOUT 600
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_sip_fuzzer.sh)
