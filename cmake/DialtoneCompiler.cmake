# Compiler settings shared by every target: warnings, ccache, sanitizers (through presets).
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

# Applied to Dialtone's own targets only; generated protobuf code gets no -Werror.
add_library(dialtone_warnings INTERFACE)
target_compile_options(dialtone_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter
  # Designated initializers that leave members at their defaults are the intended style.
  -Wno-missing-field-initializers)
if(DIALTONE_WERROR)
  target_compile_options(dialtone_warnings INTERFACE -Werror)
endif()
