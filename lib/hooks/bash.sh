# gtc hook for bash (docs/hooks.md), printed by `gtc hook bash`. Load it with
#   eval "$(gtc hook bash)"
# and show the segment with ${GTC_PROMPT} in PS1 (not $(gtc_prompt): that forks):
#   PS1='${GTC_PROMPT:+($GTC_PROMPT) }\w\$ '
# No prompt runs a process. A prompt after an empty line reads one line from
# the hook file and compares; after a command, in a new directory or
# environment, or when the daemon's generation moved, it asks the daemon
# through bash's /dev/tcp to a loopback port, with the token from that file.
# Nothing is trusted blindly (docs/hooks.md, threat model): the directory and
# the file must be this user's own and not symbolic links, the pid in the file
# must still be the process that started at the time the file says (a reused
# pid is not the daemon, so nothing is sent to whatever holds its old port),
# an answer must start with the file's proof (which only the daemon sends),
# its text is rebuilt from safe characters, and a directory goes first in PATH
# only when this user owns it and it holds the toolchain answered.
_gtc_hookfile=@@HOOKFILE@@
_gtc_rundir=${_gtc_hookfile%/*}
_gtc_switch=@@SWITCH@@
_gtc_start=(@@START@@)
_gtc_key=
_gtc_gen=
_gtc_added=
_gtc_started=
_gtc_ran=
_gtc_proc=0
[[ -d /proc/$$ ]] && _gtc_proc=1
GTC_PROMPT=
GTC_TOOLCHAIN=
GTC_FLAGS=

# gtc_prompt prints the segment (for scripts; in PS1 use ${GTC_PROMPT}).
gtc_prompt() { printf '%s' "$GTC_PROMPT"; }

# _gtc_esc sets _gtc_j to $1 escaped for a JSON string.
_gtc_esc() {
  _gtc_j=$1
  case $_gtc_j in
  *[\\\"]* | *$'\n'* | *$'\t'* | *$'\r'*)
    _gtc_j=${_gtc_j//\\/\\\\}
    _gtc_j=${_gtc_j//\"/\\\"}
    _gtc_j=${_gtc_j//$'\n'/\\n}
    _gtc_j=${_gtc_j//$'\t'/\\t}
    _gtc_j=${_gtc_j//$'\r'/\\r}
    ;;
  esac
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

# _gtc_okdir D TC: may D go first in PATH? It must be a real directory this
# user owns, free of ":" and control characters, holding a go that is either
# this hook's own shim (a link in the private run directory) or the go of a
# GOROOT whose VERSION names TC. (bash cannot see another owner without a
# process: a toolchain owned by root is not switched to, unless the user is root.)
_gtc_okdir() {
  local v=
  [[ $1 == /* && $1 != *[:$'\001'-$'\037'$'\177']* && -d $1 && ! -L $1 && -O $1 && -x $1/go ]] ||
    return 1
  if [[ $1 == "$_gtc_rundir/shims/"* && ${1#"$_gtc_rundir/shims/"} != */* ]]; then
    [[ -L $1/go ]]
    return
  fi
  [[ $1 == */bin && -f $1/go && ! -L $1/go && -O $1/go && -f ${1%/bin}/VERSION ]] || return 1
  read -r v <"${1%/bin}/VERSION"
  [[ -n $2 && $v == "$2" ]]
}

# _gtc_down: no daemon answers. Show nothing, give back the user's PATH and
# start a daemon in the background (at most every 10 s).
_gtc_down() {
  GTC_PROMPT= GTC_TOOLCHAIN= GTC_FLAGS= _gtc_key=
  if [[ -n $_gtc_added ]]; then
    PATH=$1
    _gtc_added=
  fi
  ((${#_gtc_start[@]})) || return 0
  [[ -n $_gtc_started ]] && ((SECONDS - _gtc_started < 10)) && return 0
  _gtc_started=$SECONDS
  if type -P setsid >/dev/null; then
    (setsid "${_gtc_start[@]}" </dev/null >/dev/null 2>&1 &)
  else
    ("${_gtc_start[@]}" </dev/null >/dev/null 2>&1 &)
  fi
}

_gtc_hook() {
  local st=$? path=$PATH key n dpid= dstart= gen= port= token= proof= fd= line= r env ran=${_gtc_ran:-1}
  local ps tc text mark
  _gtc_ran=0
  # PS0 (expanded before each command, in this shell) sets _gtc_ran=1 through
  # the subscript of an array that is never set: it prints nothing.
  if [[ $PS0 != *'[_gtc_ran=1]'* ]]; then
    PS0='${_gtc_e[_gtc_ran=1]}'$PS0
    ran=1
  fi
  # The user's PATH: this hook's entry taken out (once, where it put it).
  if [[ -n $_gtc_added ]]; then
    if [[ :$path: == *":$_gtc_added:"* ]]; then
      path=:$path:
      path=${path/":$_gtc_added:"/:}
      path=${path#:}
      path=${path%:}
    else
      _gtc_key= # the user took it out: put it back
    fi
  fi
  key=$PWD$'\n'$path
  for n in HOME XDG_CONFIG_HOME TMPDIR ${!GO*}; do
    [[ ${!n@a} == *x* && -v $n ]] && key+=$'\n'$n=${!n}
  done
  # Builtins only, and no redirection of stderr (each costs an open of /dev/null).
  # The file must be this user's own and not a symbolic link before it is read
  # (another user's could be a FIFO, or endless); it is replaced by rename, so
  # it is missing only when no daemon runs.
  if ! [[ -O $_gtc_hookfile && ! -L $_gtc_hookfile ]]; then
    if [[ -e $_gtc_hookfile || -L $_gtc_hookfile ]]; then
      _gtc_untrusted "$path"
    else
      _gtc_down "$path"
    fi
    return $st
  fi
  # (IFS only for this read: a local IFS makes every prompt measurably slower.)
  IFS=' ' read -r dpid dstart gen port token proof <"$_gtc_hookfile"
  if [[ -z $proof ]] || ! if [[ $_gtc_proc == 1 ]]; then [[ -d /proc/$dpid ]]; else kill -0 "$dpid" 2>/dev/null; fi; then
    _gtc_down "$path"
    return $st
  fi
  # Nothing ran, nothing changed here, and the daemon saw no change: the
  # answer shown is still right. After a command, ask: the daemon takes the
  # events that command caused before it answers.
  [[ $ran == 0 && $key == "$_gtc_key" && $dpid.$dstart.$gen == "$_gtc_gen" ]] && return $st

  # Before anything is sent or used: the directory is this user's own and
  # not a symbolic link (the daemon's rule, as far as a builtin sees it: the
  # daemon makes it 0700 and the file 0600), and the pid is still the daemon,
  # the process that started at the time the file says (field 22 of
  # /proc/<pid>/stat, after the command name, which may hold spaces and
  # parentheses): a reused pid is another process, and its port may be
  # another user's.
  if ! [[ -O $_gtc_rundir && ! -L $_gtc_rundir ]]; then
    _gtc_untrusted "$path"
    return $st
  fi
  if [[ $_gtc_proc == 1 ]]; then
    # (bash reads a /proc file in one system call; a here-string would cost a
    # pipe and one read per byte.) The state is field 3, the start time 22.
    # After the last ") " only numbers and the state letter remain, so one
    # word split (no glob can match them) gives the fields: 2 times faster
    # than removing 19 words one by one.
    read -r ps <"/proc/$dpid/stat"
    ps=(${ps##*) })
    if [[ ${ps[0]} == [ZX] || ${ps[19]} != "$dstart" || -z $dstart ]]; then
      _gtc_down "$path"
      return $st
    fi
  fi

  _gtc_esc "$path"
  env="\"PATH\":\"$_gtc_j\""
  for n in HOME XDG_CONFIG_HOME TMPDIR ${!GO*}; do
    if [[ ${!n@a} == *x* && -v $n ]]; then
      _gtc_esc "${!n}"
      env+=",\"$n\":\"$_gtc_j\""
    fi
  done
  _gtc_esc "$PWD"
  if ! { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    _gtc_down "$path"
    return $st
  fi
  printf '{"jsonrpc":"2.0","id":1,"method":"prompt","params":{"token":"%s","pid":%s,"shell":"bash","switch":%s,"dir":"%s","env":{%s}}}\n' \
    "$token" "$$" "$_gtc_switch" "$_gtc_j" "$env" >&"$fd"
  # The daemon closes the connection after its answer: -N reads up to the end
  # in a few system calls, where reading up to a newline takes one per byte.
  IFS= read -r -t 2 -N 8192 line <&"$fd"
  exec {fd}>&-
  line=${line%%$'\n'*}
  case $line in
  *'"result":"'"$proof|"*'"}') ;;
  *'"result":'*)
    # An answer without the proof: not our daemon.
    _gtc_untrusted "$path"
    return $st
    ;;
  *)
    # An error (a stale token: the file is read again next time) or no answer.
    GTC_PROMPT= GTC_TOOLCHAIN= GTC_FLAGS= _gtc_key=
    return $st
    ;;
  esac
  r=${line#*'"result":"'"$proof|"}
  r=${r%\"\}}
  GTC_FLAGS=${r%%|*}
  r=${r#*|}
  tc=${r%%|*}
  r=${r#*|}
  text=${r%%|*}
  r=${r#*|}
  # Only safe characters reach the terminal: the toolchain's, and a mark the
  # daemon uses; anything else is not our daemon's answer.
  mark=${text#"$tc"}
  case $mark in
  '' | '↓' | '*' | '!' | '↓!' | '*!') ;;
  'go!') [[ -z $tc ]] || mark=? ;;
  *) mark=? ;;
  esac
  if [[ $mark == '?' || $GTC_FLAGS == *[!dpes]* ]] || { [[ $_gtc_switch == true && -n $r ]] && ! _gtc_okdir "$r" "$tc"; }; then
    _gtc_untrusted "$path"
    return $st
  fi
  GTC_TOOLCHAIN=${tc//[!A-Za-z0-9._+-]/?}
  GTC_PROMPT=$GTC_TOOLCHAIN$mark
  if [[ $_gtc_switch == true ]]; then
    if [[ -n $r ]]; then
      [[ $PATH == "$r:$path" ]] || PATH=$r:$path
      _gtc_added=$r
    else
      [[ $PATH == "$path" ]] || PATH=$path
      _gtc_added=
    fi
  fi
  _gtc_key=$key
  _gtc_gen=$dpid.$dstart.$gen
  _gtc_started=
  return $st
}

if [[ " ${PROMPT_COMMAND[*]:-} " != *[\ \;]_gtc_hook[\ \;]* ]]; then
  if ((BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1))); then
    PROMPT_COMMAND=(_gtc_hook "${PROMPT_COMMAND[@]}")
  else
    PROMPT_COMMAND="_gtc_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
  fi
fi
