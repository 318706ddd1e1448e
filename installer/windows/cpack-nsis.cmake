# Windows installer (NSIS + a ZIP). UNTESTED: no Windows machine builds QueueScope yet.
# Included from installer/CMakeLists.txt when WIN32, before include(CPack).
#
# Still needed before this produces a working installer (see installer/README.md):
#  - the Qt DLLs and plugins next to queuescope.exe: run windeployqt at install time, e.g.
#    qt_generate_deploy_app_script() + install(SCRIPT ...) in app/CMakeLists.txt (Qt >= 6.3);
#  - hiredis, QtKeychain and QCustomPlot DLLs (vcpkg: its applocal deployment does this);
#  - the window's module (queuescope-gui.dll) is looked for next to queuescope.exe first, then
#    in ..\lib\queuescope: installing it to bin\ as well keeps the DLL search simple;
#  - WIN32_EXECUTABLE on the target so the GUI opens no console window (the CLI then needs
#    AttachConsole to print), and an .ico file for CPACK_NSIS_MUI_ICON.
set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_NSIS_PACKAGE_NAME "QueueScope ${PROJECT_VERSION}")
set(CPACK_NSIS_DISPLAY_NAME "QueueScope")
set(CPACK_NSIS_PUBLISHER "QueueScope developers")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_HELP_LINK "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_CONTACT "dev@queuescope.invalid")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\queuescope.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# Offer to put bin\ on PATH so `queuescope check` works from a terminal.
set(CPACK_NSIS_MODIFY_PATH ON)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "bin")
set(CPACK_NSIS_MENU_LINKS "${PROJECT_HOMEPAGE_URL}" "QueueScope homepage")
set(CPACK_PACKAGE_FILE_NAME "QueueScope-${PROJECT_VERSION}-win64")
