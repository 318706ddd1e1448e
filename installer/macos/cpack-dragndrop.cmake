# macOS disk image (DragNDrop). UNTESTED: no macOS machine builds QueueScope yet.
# Included from installer/CMakeLists.txt when APPLE, before include(CPack).
#
# Still needed before this produces a working image (see installer/README.md):
#  - MACOSX_BUNDLE on the queuescope target with an Info.plist (bundle identifier
#    io.github.queuescope.QueueScope, version ${PROJECT_VERSION}) and an .icns icon, and
#    install(TARGETS queuescope BUNDLE DESTINATION .) in app/CMakeLists.txt;
#  - the Qt frameworks and plugins inside the bundle: macdeployqt, e.g.
#    qt_generate_deploy_app_script() + install(SCRIPT ...) (Qt >= 6.3), plus hiredis,
#    QtKeychain and QCustomPlot dylibs;
#  - the window's module (queuescope-gui.so, a MODULE library) inside the bundle next to the
#    executable (Contents/MacOS), where the launcher looks first, and signed with it;
#  - code signing and notarisation for Gatekeeper.
set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "QueueScope ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT "UDZO")
set(CPACK_PACKAGE_FILE_NAME "QueueScope-${PROJECT_VERSION}-macos")
# A symlink to /Applications next to the bundle, so users can drag it across.
set(CPACK_DMG_DISABLE_APPLICATIONS_SYMLINK OFF)
