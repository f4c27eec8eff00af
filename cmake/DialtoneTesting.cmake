# Helpers to register tests with CTest under the labels unit, integration and e2e.
if(DIALTONE_BUILD_TESTS)
  enable_testing()
  include(Catch)
endif()

# dialtone_catch_test(NAME LABEL label SOURCES ... LIBS ...)
# One Catch2 executable; each TEST_CASE becomes a CTest test carrying LABEL.
function(dialtone_catch_test name)
  if(NOT DIALTONE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} dialtone_catch_main dialtone_warnings)
  catch_discover_tests(${name}
    PROPERTIES LABELS ${T_LABEL}
    TEST_PREFIX "${name}: "
    DISCOVERY_TIMEOUT 30)
endfunction()

# dialtone_script_test(NAME LABEL label COMMAND ...) registers a shell-driven test; LABEL takes
# one label or more (LABEL unit fuzz).
function(dialtone_script_test name)
  if(NOT DIALTONE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "TIMEOUT" "LABEL;COMMAND" ${ARGN})
  add_test(NAME ${name} COMMAND ${T_COMMAND})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABEL}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "DIALTONE_SOURCE_DIR=${PROJECT_SOURCE_DIR};DIALTONE_BUILD_DIR=${PROJECT_BINARY_DIR}")
endfunction()
