# gtc hook for PowerShell 7 (docs/hooks.md), printed by `gtc hook pwsh`. Load it with
#   Invoke-Expression (& gtc hook pwsh | Out-String)
# It wraps the current prompt function and sets $env:GTC_PROMPT; call
# gtc_prompt in your own prompt to show the segment. UNTESTED: no PowerShell
# on the machines gtc is developed on (docs/hooks.md says what was checked).
# An unchanged prompt runs no process: it reads one line from the hook file
# and compares. A new directory, a changed environment or a moved generation
# asks the daemon through .NET sockets (a Unix socket; the named pipe on
# Windows).
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
  $line = $null
  try { $line = [System.IO.File]::ReadAllLines($g.HookFile)[0] } catch { }
  $f = if ($line) { $line.Split(' ') } else { @() }
  $alive = $false
  if ($f.Count -ge 4) { try { [void][System.Diagnostics.Process]::GetProcessById([int]$f[0]); $alive = $true } catch { } }
  if (-not $alive) { _gtc_down $base; return }
  $gen = "$($f[0]).$($f[1])"
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
  $parts = $res.Split('|', 4)
  $env:GTC_FLAGS = $parts[0]; $env:GTC_TOOLCHAIN = $parts[1]; $env:GTC_PROMPT = $parts[2]
  $g.Prompt = $parts[2]
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
