# gtc hook for PowerShell 7 (docs/hooks.md), printed by `gtc hook pwsh`. Load it with
#   Invoke-Expression (& gtc hook pwsh | Out-String)
# It wraps the current prompt function and sets $env:GTC_PROMPT; call
# gtc_prompt in your own prompt to show the segment. UNTESTED: no PowerShell
# on the machines gtc is developed on (docs/hooks.md says what was checked).
# An unchanged prompt runs no process: it reads one line from the hook file
# and compares. A new directory, a changed environment or a moved generation
# asks the daemon through .NET sockets (a Unix socket; the named pipe on
# Windows).
# Nothing is trusted blindly (docs/hooks.md, threat model): the directory and
# the file must be this user's own, not symbolic links, without group or
# other permissions (UnixStat, PowerShell 7.3+); the pid in the file must
# still be the process that started at the time the file says (Linux); an
# answer must start with the file's proof (which only the daemon sends), its
# text is rebuilt from safe characters, and a directory goes first in PATH
# only when this user (or root) owns it and it holds the toolchain answered.
# Windows: the file's ACLs are not checked (untested there).
function global:_gtc_uid {
  if ($IsWindows) { return -1 }
  try {
    foreach ($l in [System.IO.File]::ReadAllLines('/proc/self/status')) {
      if ($l -match '^Uid:\s+\d+\s+(\d+)') { return [int]$Matches[1] }
    }
  } catch { }
  try { return [int](& id -u) } catch { return -2 }
}

$global:_gtc = @{
  Sock = @@SOCKET@@
  HookFile = @@HOOKFILE@@
  Switch = @@SWITCH@@
  Start = @(@@START@@)
  Key = ''
  Gen = ''
  Added = ''
  Started = [datetime]::MinValue
  Prompt = ''
  Uid = (_gtc_uid)
  RunDir = ''
}
$global:_gtc.RunDir = [System.IO.Path]::GetDirectoryName($global:_gtc.HookFile)

# _gtc_own: P exists, is not a symbolic link, is a directory (Dir) or a file,
# is this user's own with no group or other bits, or, with Root, this user's
# or root's with no group or other write bits.
function global:_gtc_own([string]$P, [bool]$Dir, [bool]$Root = $false) {
  if ($IsWindows) { return $true }
  try { $i = Get-Item -LiteralPath $P -Force -ErrorAction Stop } catch { return $false }
  if ($i.LinkType -or $i.PSIsContainer -ne $Dir) { return $false }
  $st = $i.UnixStat
  if ($null -eq $st) { return $false }
  $mode = [int]$st.Mode
  $mine = $st.UserId -eq $global:_gtc.Uid
  if ($mine -and ($mode -band 63) -eq 0) { return $true } # 0o077
  return $Root -and ($mine -or $st.UserId -eq 0) -and ($mode -band 18) -eq 0 # 0o022
}

# _gtc_untrusted: the hook file or an answer failed a check. Say so, use
# nothing from it, give back the user's PATH, start no daemon.
function global:_gtc_untrusted([string]$Base) {
  $g = $global:_gtc
  $g.Prompt = 'gtc:untrusted'; $g.Key = ''
  $env:GTC_PROMPT = 'gtc:untrusted'; $env:GTC_TOOLCHAIN = ''; $env:GTC_FLAGS = 'u'
  if ($g.Added) { $env:PATH = $Base; $g.Added = '' }
}

# _gtc_okdir: may D go first in PATH? A real directory of this user's (or
# root's), free of ":" and control characters, holding a go that is either
# this hook's own shim (a link in the private run directory) or the go of a
# GOROOT whose VERSION names Tc.
function global:_gtc_okdir([string]$D, [string]$Tc) {
  if ($D -notmatch '^/[^:\x00-\x1f\x7f]*$' -or -not (_gtc_own $D $true $true)) { return $false }
  $shims = $global:_gtc.RunDir + '/shims/'
  if ($D.StartsWith($shims) -and -not $D.Substring($shims.Length).Contains('/')) {
    try { return [bool](Get-Item -LiteralPath "$D/go" -Force -ErrorAction Stop).LinkType } catch { return $false }
  }
  if (-not $D.EndsWith('/bin') -or -not (_gtc_own "$D/go" $false $true)) { return $false }
  try { $v = [System.IO.File]::ReadLines($D.Substring(0, $D.Length - 4) + '/VERSION') | Select-Object -First 1 } catch { return $false }
  return $Tc -ne '' -and $v -eq $Tc
}

function global:gtc_prompt { $global:_gtc.Prompt }

function global:_gtc_sep { [System.IO.Path]::PathSeparator }

function global:_gtc_down([string]$Base) {
  $g = $global:_gtc
  $g.Prompt = ''; $g.Key = ''
  $env:GTC_PROMPT = ''; $env:GTC_TOOLCHAIN = ''; $env:GTC_FLAGS = ''
  if ($g.Added) { $env:PATH = $Base; $g.Added = '' }
  if ($g.Start.Count -eq 0) { return }
  if (([datetime]::UtcNow - $g.Started).TotalSeconds -lt 10) { return }
  $g.Started = [datetime]::UtcNow
  try {
    $psi = [System.Diagnostics.ProcessStartInfo]::new($g.Start[0])
    foreach ($a in $g.Start[1..($g.Start.Count - 1)]) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    [void][System.Diagnostics.Process]::Start($psi)
  } catch { }
}

function global:_gtc_hook {
  $g = $global:_gtc
  $sep = _gtc_sep
  $entries = [System.Collections.Generic.List[string]]::new([string[]]@($env:PATH -split [regex]::Escape($sep)))
  if ($g.Added) {
    $i = $entries.IndexOf($g.Added)
    if ($i -ge 0) { $entries.RemoveAt($i) } else { $g.Key = '' }
  }
  $base = $entries -join $sep
  $names = @(Get-ChildItem env: | Where-Object { $_.Name -like 'GO*' -or $_.Name -in 'HOME', 'XDG_CONFIG_HOME', 'TMPDIR', 'USERPROFILE', 'APPDATA', 'TMP', 'TEMP', 'PATHEXT' } | Sort-Object Name)
  $envMap = [ordered]@{ PATH = $base }
  foreach ($n in $names) { if ($n.Name -ne 'PATH' -and $n.Name -ne 'Path') { $envMap[$n.Name] = $n.Value } }
  $cwd = (Get-Location -PSProvider FileSystem).ProviderPath
  $key = $cwd + "`n" + (($envMap.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join "`n")
  if (-not (Test-Path -LiteralPath $g.HookFile)) { _gtc_down $base; return }
  # The daemon's rule for its directory and files (owner = this user, no
  # group or other bits, not a symbolic link).
  if (-not ((_gtc_own $g.RunDir $true) -and (_gtc_own $g.HookFile $false))) { _gtc_untrusted $base; return }
  $line = $null
  try { $line = [System.IO.File]::ReadAllLines($g.HookFile)[0] } catch { }
  # <pid> <start time> <generation> <port> <token> <proof>
  $f = if ($line) { $line.Split(' ') } else { @() }
  $alive = $false
  if ($f.Count -ge 6) {
    if (Test-Path -LiteralPath '/proc/self/stat') {
      # Alive, and the same process: its start time (field 22 of
      # /proc/<pid>/stat, after the command name).
      try {
        $t = [System.IO.File]::ReadAllText("/proc/$([int]$f[0])/stat")
        $sf = $t.Substring($t.LastIndexOf(') ') + 2).Split(' ')
        $alive = $sf.Count -gt 19 -and $sf[0] -notin 'Z', 'X' -and $sf[19] -eq $f[1]
      } catch { }
    } else {
      try { [void][System.Diagnostics.Process]::GetProcessById([int]$f[0]); $alive = $true } catch { }
    }
  }
  if (-not $alive) { _gtc_down $base; return }
  $proof = $f[5]
  $gen = "$($f[0]).$($f[1]).$($f[2])"
  if ($key -eq $g.Key -and $gen -eq $g.Gen) { return }

  $req = [ordered]@{
    jsonrpc = '2.0'; id = 1; method = 'prompt'
    params = [ordered]@{ pid = $PID; shell = 'pwsh'; switch = [bool]$g.Switch; dir = $cwd; env = $envMap }
  } | ConvertTo-Json -Compress -Depth 5
  $answer = $null
  try {
    if ($g.Sock.StartsWith('\\.\pipe\')) {
      $stream = [System.IO.Pipes.NamedPipeClientStream]::new('.', $g.Sock.Substring(9), [System.IO.Pipes.PipeDirection]::InOut)
      $stream.Connect(2000)
    } else {
      $s = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
      $s.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new($g.Sock))
      $s.ReceiveTimeout = 2000
      $stream = [System.Net.Sockets.NetworkStream]::new($s, $true)
    }
    $w = [System.IO.StreamWriter]::new($stream, [System.Text.UTF8Encoding]::new($false), 4096, $true)
    $w.Write($req + "`n"); $w.Flush()
    $r = [System.IO.StreamReader]::new($stream, [System.Text.UTF8Encoding]::new($false))
    $answer = $r.ReadLine()
    $stream.Dispose()
  } catch { _gtc_down $base; return }
  $res = $null
  try { $res = ($answer | ConvertFrom-Json).result } catch { }
  if ($null -eq $res) { $g.Prompt = ''; $g.Key = ''; return }
  # An answer without the proof is not our daemon's.
  $parts = ([string]$res).Split('|', 5)
  if ($parts.Count -lt 5 -or $parts[0] -ne $proof) { _gtc_untrusted $base; return }
  $parts = $parts[1..4]
  # Only safe characters reach the terminal: the toolchain's, and a mark the
  # daemon uses; anything else is not our daemon's answer.
  $tc = $parts[1]
  $mark = if ($parts[2].StartsWith($tc, [System.StringComparison]::Ordinal)) { $parts[2].Substring($tc.Length) } else { '?' }
  if ($mark -eq 'go!' -and $tc -ne '') { $mark = '?' }
  if ($mark -cnotin '', '↓', '*', '!', '↓!', '*!', 'go!' -or $parts[0] -cmatch '[^dpes]' -or
    ($g.Switch -and $parts[3] -and -not (_gtc_okdir $parts[3] $tc))) {
    _gtc_untrusted $base; return
  }
  $tc = $tc -replace '[^A-Za-z0-9._+-]', '?'
  $env:GTC_FLAGS = $parts[0]; $env:GTC_TOOLCHAIN = $tc; $env:GTC_PROMPT = $tc + $mark
  $g.Prompt = $tc + $mark
  if ($g.Switch) {
    if ($parts[3]) { $env:PATH = $parts[3] + $sep + $base; $g.Added = $parts[3] }
    else { $env:PATH = $base; $g.Added = '' }
  }
  $g.Key = $key; $g.Gen = $gen; $g.Started = [datetime]::MinValue
}

if (-not $global:_gtc_prev_prompt) {
  $global:_gtc_prev_prompt = $function:prompt
  function global:prompt {
    try { _gtc_hook } catch { }
    & $global:_gtc_prev_prompt
  }
}
