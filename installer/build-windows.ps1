# Builds dist\flexdesk-<version>-windows-x64-setup.exe: the one-folder app from a virtual
# environment of its own (like build-linux), its self-test run, then a per-user Inno Setup
# installer around it (no administrator rights). Used by .github/workflows/release.yml; runs
# the same on a developer's Windows machine with Python 3.11+ and Inno Setup 6.
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')

function Invoke-Checked([string]$Program, [string[]]$Arguments) {
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program failed with exit code $LASTEXITCODE" }
}

Remove-Item -Recurse -Force build\venv, build\pyinstaller, dist\flexdesk -ErrorAction SilentlyContinue
Invoke-Checked python @('-m', 'venv', 'build\venv')
Invoke-Checked build\venv\Scripts\python.exe @('-m', 'pip', 'install', '-q', '--disable-pip-version-check', '.[bundle]')
Invoke-Checked build\venv\Scripts\pyinstaller.exe @('--noconfirm', '--log-level', 'WARN',
    '--workpath', 'build\pyinstaller', '--distpath', 'dist', 'installer\flexdesk.spec')

# flexdesk.exe is a window app: what it prints reaches files, not this console.
$run = Start-Process -FilePath dist\flexdesk\flexdesk.exe -ArgumentList '--self-test' -Wait -PassThru `
    -NoNewWindow -RedirectStandardOutput build\self-test.txt -RedirectStandardError build\self-test-errors.txt
Get-Content build\self-test.txt, build\self-test-errors.txt
if ($run.ExitCode -ne 0) { throw "the bundle's self-test failed (exit code $($run.ExitCode))" }

$version = & build\venv\Scripts\python.exe -c "from importlib.metadata import version; print(version('flexdesk'))"
$iscc = Get-Command iscc.exe -ErrorAction SilentlyContinue
$iscc = if ($iscc) { $iscc.Source } else { Join-Path ${env:ProgramFiles(x86)} 'Inno Setup 6\ISCC.exe' }
Invoke-Checked $iscc @('/Qp', "/DAppVersion=$version", "/DSourceDir=$PWD\dist\flexdesk", "/O$PWD\dist",
    'installer\windows\flexdesk.iss')
Write-Host "built dist\flexdesk-$version-windows-x64-setup.exe (not code-signed: Windows SmartScreen asks users to confirm the first start)"
