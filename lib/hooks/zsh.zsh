# gtc hook for zsh (docs/hooks.md), printed by `gtc hook zsh`. Load it with
#   eval "$(gtc hook zsh)"
# and show the segment with ${GTC_PROMPT} (not $(gtc_prompt): that forks):
#   setopt prompt_subst; PROMPT='${GTC_PROMPT:+($GTC_PROMPT) }%~%# '
# No prompt runs a process. A prompt after an empty line reads one line from
# the hook file and compares; after a command, in a new directory or
# environment, or when the daemon's generation moved, it asks the daemon on
# its Unix socket through zsocket.
if zmodload zsh/net/socket 2>/dev/null; then
typeset -g _gtc_sock=@@SOCKET@@
typeset -g _gtc_hookfile=@@HOOKFILE@@
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
  local p=$PATH key n dpid= gen= port= token= fd line r env REPLY ran=${_gtc_ran:-1}
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
  # No redirection of stderr (each costs an open of /dev/null): the file is
  # replaced by rename, so it is missing only when no daemon runs.
  [[ -r $_gtc_hookfile ]] && read -r dpid gen port token <$_gtc_hookfile
  if [[ -z $dpid ]] || ! if (( _gtc_proc )); then [[ -d /proc/$dpid ]]; else kill -0 $dpid 2>/dev/null; fi; then
    _gtc_down $p
    return 0
  fi
  # Nothing ran, nothing changed here, and the daemon saw no change: the
  # answer shown is still right. After a command, ask: the daemon takes the
  # events that command caused before it answers.
  [[ $ran == 0 && $key == $_gtc_key && $dpid.$gen == $_gtc_gen ]] && return 0

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
  read -r -t 2 -u $fd line
  exec {fd}>&-
  if [[ $line != *'"result":"'*'"}' ]]; then
    # An error or no answer: ask again next time.
    GTC_PROMPT= GTC_TOOLCHAIN= GTC_FLAGS= _gtc_key=
    return 0
  fi
  r=${line#*\"result\":\"}
  r=${r%\"\}}
  GTC_FLAGS=${r%%|*}
  r=${r#*|}
  GTC_TOOLCHAIN=${r%%|*}
  r=${r#*|}
  GTC_PROMPT=${r%%|*}
  r=${r#*|}
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
  _gtc_gen=$dpid.$gen
  _gtc_started=
  return 0
}

typeset -ga precmd_functions preexec_functions
precmd_functions=(_gtc_hook ${precmd_functions:#_gtc_hook})
preexec_functions=(_gtc_preexec ${preexec_functions:#_gtc_preexec})
else
  print -ru2 -- "gtc: zsh/net/socket is not available: no gtc prompt hook"
fi
