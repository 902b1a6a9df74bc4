# install.ps1: install gtc on Windows from a release without a checkout. Fetches
# gtc-windows-amd64.exe from the release's base URL, checks it against the release's SHA256SUMS,
# puts it in a user bin directory as gtc.exe (a running old gtc.exe is moved aside to gtc.exe.old,
# which Windows allows, then the new one is moved in) and prints the line that enables the hook.
#
#   powershell -ExecutionPolicy Bypass -File install.ps1 -Base URL [-BinDir DIR]
#
# URL is the directory holding SHA256SUMS and the assets (https; plain http only to this machine);
# $env:GTC_RELEASE_URL and $env:GTC_BIN_DIR are the defaults ($env:LOCALAPPDATA\Programs\gtc).
# Not run on the project's machines (no PowerShell there); scripts/install.sh is the tested twin.
param(
  [string]$Base = $env:GTC_RELEASE_URL,
  [string]$BinDir = $(if ($env:GTC_BIN_DIR) { $env:GTC_BIN_DIR } else { Join-Path $env:LOCALAPPDATA 'Programs\gtc' })
)
$ErrorActionPreference = 'Stop'
function Fail([string]$msg) { Write-Error "install.ps1: $msg"; exit 1 }

if (-not $Base) { Fail 'no release URL: pass -Base URL or set GTC_RELEASE_URL' }
$Base = $Base.TrimEnd('/')
if ($Base -notmatch '^(https://|file://|http://(127\.0\.0\.1|localhost|\[::1\])([:/]|$))') {
  Fail "release URL ${Base}: want https (plain http only to this machine), or a file: URL"
}
$arch = $env:PROCESSOR_ARCHITECTURE
if ($arch -ne 'AMD64') { Fail "no gtc binary for Windows ${arch}: want AMD64" }
$asset = 'gtc-windows-amd64.exe'

$tmp = Join-Path ([IO.Path]::GetTempPath()) ("gtc-install-" + [guid]::NewGuid())
New-Item -ItemType Directory $tmp | Out-Null
try {
  Invoke-WebRequest -UseBasicParsing "$Base/SHA256SUMS" -OutFile "$tmp\SHA256SUMS"
  $want = $null
  foreach ($line in Get-Content "$tmp\SHA256SUMS") {
    if ($line -match '^([0-9a-fA-F]{64}) [ *](.+)$' -and $Matches[2] -eq $asset) { $want = $Matches[1].ToLower() }
  }
  if (-not $want) { Fail "$Base/SHA256SUMS does not list $asset" }
  Invoke-WebRequest -UseBasicParsing "$Base/$asset" -OutFile "$tmp\$asset"
  $got = (Get-FileHash -Algorithm SHA256 "$tmp\$asset").Hash.ToLower()
  if ($got -ne $want) {
    Fail "checksum mismatch for $Base/${asset}: SHA256SUMS says $want, the download is $got; not installed"
  }
  New-Item -ItemType Directory -Force $BinDir | Out-Null
  $target = Join-Path $BinDir 'gtc.exe'
  if (Test-Path "$target.old") { Remove-Item -Force "$target.old" -ErrorAction SilentlyContinue }
  if (Test-Path $target) { Move-Item -Force $target "$target.old" }
  Move-Item "$tmp\$asset" $target
  Write-Output "installed gtc in $target (sha256 $got)"
  if (($env:PATH -split ';') -notcontains $BinDir) {
    Write-Output "put $BinDir in PATH: [Environment]::SetEnvironmentVariable('Path', `"$BinDir;`" + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')"
  }
  Write-Output 'enable the prompt hook, in $PROFILE: Invoke-Expression (& gtc hook pwsh | Out-String)'
} finally {
  Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}
