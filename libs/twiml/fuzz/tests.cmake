# The TwiML parser's libFuzzer target is a separate clang project (libs/twiml/fuzz/CMakeLists.txt), so
# it is not add_subdirectory()'d: CTest runs a script that builds it in $DIALTONE_BUILD_DIR/fuzz
# and fuzzes for DIALTONE_FUZZ_SECONDS (default 60). Included from libs/twiml/CMakeLists.txt.
dialtone_script_test(twiml_parser_fuzz LABEL unit fuzz TIMEOUT 600
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_twiml_fuzzer.sh)
