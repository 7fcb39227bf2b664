; Windows installer for Easy Diffusion (NSIS 3). Built by `bun run package`
; when makensis is on PATH:
;   makensis -DVERSION=4.0.0 -DVIVERSION=4.0.0.0 -DSOURCE=<dir with easy-diffusion.exe and easy-diffusion.ico> -DSUBSYSTEM_OFFSET=<n> -DOUTFILE=<setup.exe> installer.nsi
; The tests (tests/wine/installer.test.ts) add -DCOMPRESSOR=zlib: LZMA takes
; ~90 s of CPU on the 125 MB exe; everything else is this same script.
;
; A 64-bit installer (amd64-unicode stubs): the app is x64-only, so the
; installer needs no 32-bit layer (WoW64 on Windows, wine32 under Wine), and
; it sees the real Program Files and registry, not the 32-bit views.
;
; Per-user install (no administrator prompt) into %LOCALAPPDATA%\Programs\Easy Diffusion,
; a Start-menu shortcut that opens the window, and the install folder on the
; user's PATH so `easy-diffusion --server` works in a terminal.
; Two programs: easy-diffusion.exe (console subsystem, for the terminal) and
; "Easy Diffusion.exe" (GUI subsystem: no console on a double-click), made here
; as a copy of the first with the PE header's Subsystem field (at SUBSYSTEM_OFFSET) set to 2.
; Uninstalling removes only what this installer wrote. The user's models,
; images and settings live in %LOCALAPPDATA%\Easy Diffusion and
; %APPDATA%\Easy Diffusion, which this script never touches.

Target amd64-unicode
!ifdef COMPRESSOR
  SetCompressor ${COMPRESSOR}
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef VIVERSION
  !error "pass -DVIVERSION=a.b.c.d"
!endif
!ifndef SOURCE
  !error "pass -DSOURCE=<folder with easy-diffusion.exe>"
!endif
!ifndef SUBSYSTEM_OFFSET
  !error "pass -DSUBSYSTEM_OFFSET=<byte offset of the PE Subsystem field>"
!endif
!ifndef OUTFILE
  !error "pass -DOUTFILE=<setup.exe>"
!endif

!define APPNAME "Easy Diffusion"
!define EXE "easy-diffusion.exe"
!define GUIEXE "Easy Diffusion.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\EasyDiffusion"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
Icon "${SOURCE}\easy-diffusion.ico"
UninstallIcon "${SOURCE}\easy-diffusion.ico"
ShowInstDetails show

VIProductVersion "${VIVERSION}"
VIAddVersionKey "ProductName" "${APPNAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APPNAME} installer"
VIAddVersionKey "LegalCopyright" "Easy Diffusion developers"

!include "MUI2.nsh"
!include "StrFunc.nsh"
${StrStr}
${UnStrRep}
!define MUI_ICON "${SOURCE}\easy-diffusion.ico"
!define MUI_UNICON "${SOURCE}\easy-diffusion.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUIEXE}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Install"
  SetOutPath "$INSTDIR"
  File "${SOURCE}\${EXE}"
  File "${SOURCE}\easy-diffusion.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; The GUI program: the same bytes with Subsystem = 2 (IMAGE_SUBSYSTEM_WINDOWS_GUI).
  CopyFiles /SILENT "$INSTDIR\${EXE}" "$INSTDIR\${GUIEXE}"
  FileOpen $0 "$INSTDIR\${GUIEXE}" a
  FileSeek $0 ${SUBSYSTEM_OFFSET} SET
  FileWriteByte $0 2
  FileClose $0

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${GUIEXE}" "" "$INSTDIR\easy-diffusion.ico" 0

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "Easy Diffusion developers"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\easy-diffusion.ico"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1

  ; Add the install folder to the user's PATH, unless it is there already or
  ; the PATH is too long for NSIS to rewrite without cutting it.
  ReadRegStr $0 HKCU "Environment" "Path"
  ${StrStr} $1 "$0" "$INSTDIR"
  StrCmp $1 "" 0 path_done
  StrLen $2 "$0"
  IntOp $2 $2 + 300
  IntCmp $2 ${NSIS_MAX_STRLEN} 0 0 path_too_long
  StrCmp $0 "" 0 +3
    WriteRegExpandStr HKCU "Environment" "Path" "$INSTDIR"
    Goto path_notify
  WriteRegExpandStr HKCU "Environment" "Path" "$0;$INSTDIR"
  path_notify:
  SendMessage ${HWND_BROADCAST} ${WM_WININICHANGE} 0 "STR:Environment" /TIMEOUT=5000
  Goto path_done
  path_too_long:
  DetailPrint "PATH is too long to change safely; run $INSTDIR\${EXE} --server by its full path."
  path_done:
SectionEnd

Section "Uninstall"
  ; Only the files this installer wrote; the data folders are left alone.
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${GUIEXE}"
  Delete "$INSTDIR\easy-diffusion.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"

  ReadRegStr $0 HKCU "Environment" "Path"
  ; A PATH read at the length limit may have been cut: leave it as it is.
  StrLen $2 "$0"
  IntOp $2 $2 + 1
  IntCmp $2 ${NSIS_MAX_STRLEN} unpath_done 0 unpath_done
  ${UnStrRep} $1 "$0" ";$INSTDIR" ""
  ${UnStrRep} $1 "$1" "$INSTDIR;" ""
  ${UnStrRep} $1 "$1" "$INSTDIR" ""
  StrCmp $1 $0 unpath_done
  WriteRegExpandStr HKCU "Environment" "Path" "$1"
  SendMessage ${HWND_BROADCAST} ${WM_WININICHANGE} 0 "STR:Environment" /TIMEOUT=5000
  unpath_done:
SectionEnd
