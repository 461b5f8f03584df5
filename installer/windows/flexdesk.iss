; Inno Setup script: a per-user installer for the one-folder build in dist\flexdesk.
; No administrator rights: installs into %LOCALAPPDATA%\Programs\flexdesk, adds a Start menu
; entry for the current user, and registers an uninstaller under "Installed apps". The user's
; drafts and settings (%LOCALAPPDATA%\flexdesk) are not part of it and stay on uninstall.
;
; Built by .github/workflows/release.yml:
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\flexdesk /Odist installer\windows\flexdesk.iss

#ifndef AppVersion
  #error Pass the version: /DAppVersion=X.Y.Z
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\flexdesk"
#endif

[Setup]
; The same id for every release, so that a new version replaces the old one in place.
AppId={{885A4B27-4FFB-4B18-84A8-B4111809C3B4}
AppName=flexdesk
AppVersion={#AppVersion}
AppVerName=flexdesk {#AppVersion}
AppPublisher=flexdesk
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={autopf}\flexdesk
DisableDirPage=auto
DisableProgramGroupPage=yes
OutputBaseFilename=flexdesk-{#AppVersion}-windows-x64-setup
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\flexdesk.exe
UninstallDisplayName=flexdesk
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "Put flexdesk on the &desktop"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the whole app: no module of the old version may linger beside the new.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\flexdesk"; Filename: "{app}\flexdesk.exe"; AppUserModelID: "flexdesk"
Name: "{autodesktop}\flexdesk"; Filename: "{app}\flexdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\flexdesk.exe"; Description: "Start flexdesk"; Flags: nowait postinstall skipifsilent
