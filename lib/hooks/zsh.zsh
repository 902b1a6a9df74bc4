# gtc hook for zsh (docs/hooks.md), printed by `gtc hook zsh`. Load it with
#   eval "$(gtc hook zsh)"
# and show the segment with ${GTC_PROMPT} (not $(gtc_prompt): that forks):
#   setopt prompt_subst; PROMPT='${GTC_PROMPT:+($GTC_PROMPT) }%~%# '
# No prompt runs a process. A prompt after an empty line reads one line from
# the hook file and compares; after a command, in a new directory or
# environment, or when the daemon's generation moved, it asks the daemon on
# its Unix socket through zsocket.
# Nothing is trusted blindly (docs/hooks.md, threat model): the directory and
# the file must be this user's own, not symbolic links, and (with zsh/stat's
# zstat builtin) without group or other permissions; the pid in the file must
# still be the process that started at the time the file says; an answer must
# start with the file's proof (which only the daemon sends), its text is
# rebuilt from safe characters, and a directory goes first in PATH only when
# this user (or root) owns it and it holds the toolchain answered.
if zmodload zsh/net/socket 2>/dev/null; then
typeset -g _gtc_sock=@@SOCKET@@
typeset -g _gtc_hookfile=@@HOOKFILE@@
typeset -g _gtc_rundir=${_gtc_hookfile%/*}
# Only the zstat builtin: loading all of zsh/stat would hide the stat command.
typeset -gi _gtc_zstat=0
zmodload -F zsh/stat b:zstat 2>/dev/null && _gtc_zstat=1
# sysread takes what has arrived in one system call; read takes one per byte.
typeset -gi _gtc_sysread=0
zmodload -F zsh/system b:sysread 2>/dev/null && _gtc_sysread=1
typeset -g _gtc_switch=@@SWITCH@@
typeset -ga _gtc_start
_gtc_start=(@@START@@)
typeset -g _gtc_key= _gtc_gen= _gtc_added= _gtc_started= _gtc_ran=
typeset -g GTC_PROMPT= GTC_TOOLCHAIN= GTC_FLAGS=
typeset -gi _gtc_proc=0
[[ -d /proc/$$ ]] && _gtc_proc=1

# gtc_prompt prints the segment (for scripts; in PROMPT use ${GTC_PROMPT}).
gtc_prompt() { print -rn -- "$GTC_PROMPT" }

# _gtc_esc sets REPLY to $1 escaped for a JSON string.
_gtc_esc() {
  REPLY=$1
  if [[ $REPLY == *[\\\"$'\n\t\r']* ]]; then
    REPLY=${REPLY//\\/\\\\}
    REPLY=${REPLY//\"/\\\"}
    REPLY=${REPLY//$'\n'/\\n}
    REPLY=${REPLY//$'\t'/\\t}
    REPLY=${REPLY//$'\r'/\\r}
  fi
}

# _gtc_own P TYPE [ROOT]: P exists, is not a symbolic link, is of TYPE (octal
# file type: 04 a directory, 010 a regular file), and is owned by this user
# (or, with ROOT, by root); with zstat also: no group or other permissions on
# what this user owns. No process, no message.
_gtc_own() {
  if (( ! _gtc_zstat )); then
    [[ -O $1 && ! -L $1 ]] && if [[ $2 == 04 ]]; then [[ -d $1 ]]; else [[ -f $1 ]]; fi
    return
  fi
  # (-e first: zstat would print an error for a missing file; zstat -L sees
  # a symbolic link as its own type.)
  [[ -e $1 ]] || return 1
  local -A h
  zstat -L -o -H h -- $1 || return 1
  (( (8#$h[mode] & 8#170000) == (8#$2 << 12) )) || return 1
  [[ $h[uid] == $EUID ]] && { (( ! (8#$h[mode] & 8#22) )) && [[ -n $3 ]] || (( ! (8#$h[mode] & 8#77) )) } && return 0
  [[ -n $3 && $h[uid] == 0 ]] && (( ! (8#$h[mode] & 8#22) ))
}

# _gtc_untrusted: the hook file or an answer failed a check. Say so, use
# nothing from it, give back the user's PATH, start no daemon.
_gtc_untrusted() {
  GTC_PROMPT=gtc:untrusted GTC_TOOLCHAIN= GTC_FLAGS=u _gtc_key=
  if [[ -n $_gtc_added ]]; then
    PATH=$1
    _gtc_added=
  fi
}

# _gtc_okdir D TC: may D go first in PATH? It must be a real directory of
# this user's (or root's, not writable by others), free of ":" and control
# characters, holding a go that is either this hook's own shim (a link in
# the private run directory) or the go of a GOROOT whose VERSION names TC.
_gtc_okdir() {
  local v=
  [[ $1 == /* && $1 != *[:$'\001'-$'\037'$'\177']* ]] && _gtc_own $1 04 root && [[ -x $1/go ]] ||
    return 1
  if [[ $1 == $_gtc_rundir/shims/* && ${1#$_gtc_rundir/shims/} != */* ]]; then
    [[ -L $1/go ]]
    return
  fi
  [[ $1 == */bin ]] && _gtc_own $1/go 010 root && [[ -f ${1%/bin}/VERSION ]] || return 1
  read -r v <${1%/bin}/VERSION
  [[ -n $2 && $v == $2 ]]
}

# _gtc_down: no daemon answers. Show nothing, give back the user's PATH and
# start a daemon in the background (at most every 10 s).
_gtc_down() {
  GTC_PROMPT= GTC_TOOLCHAIN= GTC_FLAGS= _gtc_key=
  if [[ -n $_gtc_added ]]; then
    PATH=$1
    _gtc_added=
  fi
  (( $#_gtc_start )) || return 0
  [[ -n $_gtc_started ]] && (( SECONDS - _gtc_started < 10 )) && return 0
  _gtc_started=$SECONDS
  if (( $+commands[setsid] )); then
    (setsid $_gtc_start </dev/null >/dev/null 2>&1 &)
  else
    ($_gtc_start </dev/null >/dev/null 2>&1 &!)
  fi
}

_gtc_preexec() { _gtc_ran=1 }

_gtc_hook() {
  emulate -L zsh
  local p=$PATH key n dpid= dstart= gen= port= token= proof= fd line r env REPLY ran=${_gtc_ran:-1}
  local ps= tc text mark
  local -a f
  _gtc_ran=0
  # The user's PATH: this hook's entry taken out (once, where it put it).
  if [[ -n $_gtc_added ]]; then
    if [[ :$p: == *:"$_gtc_added":* ]]; then
      p=:$p:
      p=${p/:"$_gtc_added":/:}
      p=${p#:}
      p=${p%:}
    else
      _gtc_key= # the user took it out: put it back
    fi
  fi
  key=$PWD$'\n'$p
  for n in HOME XDG_CONFIG_HOME TMPDIR ${(ko)parameters[(I)GO*]}; do
    [[ ${parameters[$n]} == *-export* ]] && key+=$'\n'$n=${(P)n}
  done
  # No redirection of stderr (each costs an open of /dev/null). The file must
  # be this user's own, with no group or other bits and not a symbolic link,
  # before it is read (another user's could be a FIFO, or endless); it is
  # replaced by rename, so it is missing only when no daemon runs.
  if ! _gtc_own $_gtc_hookfile 010; then
    if [[ -e $_gtc_hookfile || -L $_gtc_hookfile ]]; then
      _gtc_untrusted $p
    else
      _gtc_down $p
    fi
    return 0
  fi
  # $(<file) reads without a process, in a few system calls (zsh's read
  # takes one per byte, and a /proc file is made anew for each).
  f=(${(s: :)$(<$_gtc_hookfile)})
  dpid=$f[1] dstart=$f[2] gen=$f[3] port=$f[4] token=$f[5] proof=$f[6]
  if [[ -z $proof ]] || ! if (( _gtc_proc )); then [[ -d /proc/$dpid ]]; else kill -0 $dpid 2>/dev/null; fi; then
    _gtc_down $p
    return 0
  fi
  # Nothing ran, nothing changed here, and the daemon saw no change: the
  # answer shown is still right. After a command, ask: the daemon takes the
  # events that command caused before it answers.
  [[ $ran == 0 && $key == $_gtc_key && $dpid.$dstart.$gen == $_gtc_gen ]] && return 0

  # Before anything is sent or used: the directory (which holds the socket)
  # is this user's own, 0700, not a symbolic link, and the pid is still the
  # daemon, the process that started at the time the file says (field 22 of
  # /proc/<pid>/stat, after the command name, which may hold spaces and
  # parentheses): a reused pid is another process.
  if ! _gtc_own $_gtc_rundir 04; then
    _gtc_untrusted $p
    return 0
  fi
  if (( _gtc_proc )); then
    ps=$(</proc/$dpid/stat)
    f=(${(s: :)${ps##*) }})
    if [[ $f[1] == [ZX] || $f[20] != $dstart || -z $dstart ]]; then
      _gtc_down $p
      return 0
    fi
  fi

  _gtc_esc $p
  env="\"PATH\":\"$REPLY\""
  for n in HOME XDG_CONFIG_HOME TMPDIR ${(ko)parameters[(I)GO*]}; do
    if [[ ${parameters[$n]} == *-export* ]]; then
      _gtc_esc ${(P)n}
      env+=",\"$n\":\"$REPLY\""
    fi
  done
  _gtc_esc $PWD
  local dir=$REPLY
  if ! zsocket $_gtc_sock 2>/dev/null; then
    _gtc_down $p
    return 0
  fi
  fd=$REPLY
  print -r -u $fd -- "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompt\",\"params\":{\"pid\":$$,\"shell\":\"zsh\",\"switch\":$_gtc_switch,\"dir\":\"$dir\",\"env\":{$env}}}"
  if (( _gtc_sysread )); then
    line=
    while sysread -i $fd -t 2 r; do
      line+=$r
      [[ $line == *$'\n'* || $#line -gt 8192 ]] && break
    done
    line=${line%%$'\n'*}
  else
    read -r -t 2 -u $fd line
  fi
  exec {fd}>&-
  if [[ $line != *'"result":"'$proof'|'*'"}' ]]; then
    if [[ $line == *'"result":'* ]]; then
      # An answer without the proof: not our daemon.
      _gtc_untrusted $p
    else
      # An error or no answer: ask again next time.
      GTC_PROMPT= GTC_TOOLCHAIN= GTC_FLAGS= _gtc_key=
    fi
    return 0
  fi
  r=${line#*\"result\":\"$proof|}
  r=${r%\"\}}
  GTC_FLAGS=${r%%|*}
  r=${r#*|}
  tc=${r%%|*}
  r=${r#*|}
  text=${r%%|*}
  r=${r#*|}
  # Only safe characters reach the terminal (nor a % for prompt escapes):
  # the toolchain's, and a mark the daemon uses; anything else is not our
  # daemon's answer.
  mark=${text#$tc}
  case $mark in
  '' | '↓' | '*' | '!' | '↓!' | '*!') ;;
  'go!') [[ -z $tc ]] || mark='?' ;;
  *) mark='?' ;;
  esac
  if [[ $mark == '?' || $GTC_FLAGS == *[^dpes]* ]] || { [[ $_gtc_switch == true && -n $r ]] && ! _gtc_okdir $r $tc }; then
    _gtc_untrusted $p
    return 0
  fi
  GTC_TOOLCHAIN=${tc//[^A-Za-z0-9._+-]/?}
  GTC_PROMPT=$GTC_TOOLCHAIN$mark
  if [[ $_gtc_switch == true ]]; then
    if [[ -n $r ]]; then
      [[ $PATH == "$r:$p" ]] || PATH=$r:$p
      _gtc_added=$r
    else
      [[ $PATH == "$p" ]] || PATH=$p
      _gtc_added=
    fi
  fi
  _gtc_key=$key
  _gtc_gen=$dpid.$dstart.$gen
  _gtc_started=
  return 0
}

typeset -ga precmd_functions preexec_functions
precmd_functions=(_gtc_hook ${precmd_functions:#_gtc_hook})
preexec_functions=(_gtc_preexec ${preexec_functions:#_gtc_preexec})
else
  print -ru2 -- "gtc: zsh/net/socket is not available: no gtc prompt hook"
fi
