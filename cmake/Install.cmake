# `cmake --install`: libravel, libravel_aot, its headers, ravelConfig.cmake + version file
# (target ravel::ravel), ravel.pc, and the ravel command.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS ravel RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ravel_lib EXPORT ravelTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
# What `ravel compile` links executables and libraries against: the
# installed ravel finds it in <prefix>/${CMAKE_INSTALL_LIBDIR}.
install(TARGETS ravel_aot LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ravel DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(RAVEL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ravel)
install(EXPORT ravelTargets NAMESPACE ravel:: DESTINATION ${RAVEL_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ravelConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/ravelConfig.cmake
                              INSTALL_DESTINATION ${RAVEL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ravelConfigVersion.cmake
                                  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ravelConfig.cmake ${PROJECT_BINARY_DIR}/ravelConfigVersion.cmake
        DESTINATION ${RAVEL_CMAKE_DIR})

set(RAVEL_PC_BLAS "")
foreach(lib ${BLAS_LIBRARIES})
  string(APPEND RAVEL_PC_BLAS " ${lib}")
endforeach()
# A shared libravel carries its dependencies; a static one makes the host
# link them (pkg-config --static lists them either way).
set(RAVEL_PC_DEPS "-L${LLVM_LIBRARY_DIR} -Wl,-rpath,${LLVM_LIBRARY_DIR} -lLLVM -lantlr4-runtime -lsleef${RAVEL_PC_BLAS} -lpthread")
if(RAVEL_STATIC_LIB)
  set(RAVEL_PC_STATIC_LIBS "${RAVEL_PC_DEPS}")
else()
  set(RAVEL_PC_STATIC_LIBS "")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/ravel.pc.in ${PROJECT_BINARY_DIR}/ravel.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/ravel.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
