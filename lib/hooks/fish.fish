# gtc hook for fish (docs/hooks.md), printed by `gtc hook fish`. Load it with
#   gtc hook fish | source
# and call gtc_prompt in fish_prompt (a function: no process):
#   function fish_prompt; printf '%s%s> ' (gtc_prompt) (prompt_pwd); end
# An unchanged prompt runs no process: it reads one line from the hook file
# with builtins and compares. fish has no socket builtin, so a new
# directory, a changed environment or a moved generation costs one bash
# (its /dev/tcp to the loopback port, ~2 ms); without bash there is no segment.
# Nothing is trusted blindly (docs/hooks.md, threat model): the directory and
# the file must be this user's own and not symbolic links, the pid in the file
# must still be the process that started at the time the file says, an answer
# must start with the file's proof (which only the daemon sends), its text is
# rebuilt from safe characters, and a directory goes first in PATH only when
# this user owns it and it holds the toolchain answered.
set -g _gtc_hookfile @@HOOKFILE@@
set -g _gtc_rundir (string replace -r '/[^/]*$' '' -- $_gtc_hookfile)
set -g _gtc_switch @@SWITCH@@
set -g _gtc_start @@START@@
set -g _gtc_key ''
set -g _gtc_gen ''
set -g _gtc_added ''
set -g _gtc_started ''
set -g GTC_PROMPT ''
set -g GTC_TOOLCHAIN ''
set -g GTC_FLAGS ''

function gtc_prompt --description 'the gtc prompt segment'
    printf '%s' $GTC_PROMPT
end

# _gtc_esc prints $argv[1] escaped for a JSON string.
function _gtc_esc
    string join '\n' (string replace -a '\\' '\\\\' -- $argv[1] | string replace -a '"' '\\"')
end

# _gtc_untrusted: the hook file or an answer failed a check. Say so, use
# nothing from it, give back the user's PATH, start no daemon.
function _gtc_untrusted
    set -g GTC_PROMPT gtc:untrusted
    set -g GTC_TOOLCHAIN ''
    set -g GTC_FLAGS u
    set -g _gtc_key ''
    if test -n "$_gtc_added"
        set -gx PATH $argv
        set -g _gtc_added ''
    end
end

# _gtc_okdir D TC: may D go first in PATH? It must be a real directory this
# user owns, free of ":" and control characters, holding a go that is either
# this hook's own shim (a link in the private run directory) or the go of a
# GOROOT whose VERSION names TC. (fish's test sees only "owned by me": a
# toolchain owned by root is not switched to, unless the user is root.)
function _gtc_okdir
    set -l d $argv[1]
    string match -qr '^/[^:\x00-\x1f\x7f]*$' -- $d; or return 1
    test -d $d -a ! -L $d -a -O $d -a -x $d/go; or return 1
    set -l shim (string replace -- "$_gtc_rundir/shims/" '' $d)
    if test "$shim" != "$d"; and not string match -q '*/*' -- $shim
        test -L $d/go
        return
    end
    set -l root (string replace -r '/bin$' '' -- $d)
    test "$root" != "$d" -a -f $d/go -a ! -L $d/go -a -O $d/go -a -f $root/VERSION; or return 1
    read -l v <$root/VERSION
    test -n "$argv[2]" -a "$v" = "$argv[2]"
end

# _gtc_down: no daemon answers. Show nothing, give back the user's PATH and
# start a daemon in the background (at most every 10 s).
function _gtc_down
    set -g GTC_PROMPT ''
    set -g GTC_TOOLCHAIN ''
    set -g GTC_FLAGS ''
    set -g _gtc_key ''
    if test -n "$_gtc_added"
        set -gx PATH $argv
        set -g _gtc_added ''
    end
    test (count $_gtc_start) -gt 0; or return 0
    # fish has no clock without a process: start again after 20 prompts instead of 10 s.
    if test -n "$_gtc_started"; and test $_gtc_started -lt 20
        set -g _gtc_started (math $_gtc_started + 1)
        return 0
    end
    set -g _gtc_started 0
    if command -q setsid
        command setsid $_gtc_start </dev/null >/dev/null 2>&1 &
    else
        command $_gtc_start </dev/null >/dev/null 2>&1 &
    end
    disown 2>/dev/null
end

function _gtc_hook --on-event fish_prompt
    set -l p $PATH
    # The user's PATH: this hook's entry taken out (once, where it put it).
    if test -n "$_gtc_added"
        if set -l i (contains -i -- $_gtc_added $p)
            set -e p[$i]
        else
            set -g _gtc_key '' # the user took it out: put it back
        end
    end
    set -l names (set -nx | string match -r '^(?:GO.*|HOME|XDG_CONFIG_HOME|TMPDIR)$')
    set -l key $PWD (string join : -- $p)
    for n in $names
        set -a key "$n="(string join ' ' -- $$n)
    end
    set key (string join \n -- $key)
    set -l dpid ''
    set -l dstart ''
    set -l gen ''
    set -l port ''
    set -l token ''
    set -l proof ''
    if not test -e $_gtc_hookfile -o -L $_gtc_hookfile
        _gtc_down $p
        return 0
    end
    # The daemon's rule (owner = this user, not a symbolic link), as far as
    # fish's test can see it: the daemon makes the directory 0700, the file 0600.
    if not test -O $_gtc_rundir -a ! -L $_gtc_rundir -a -O $_gtc_hookfile -a ! -L $_gtc_hookfile -a -f $_gtc_hookfile
        _gtc_untrusted $p
        return 0
    end
    read dpid dstart gen port token proof <$_gtc_hookfile
    if test -z "$proof"
        _gtc_down $p
        return 0
    end
    # Linux: alive, and the same process: its start time (field 22 of
    # /proc/<pid>/stat, after the command name, which may hold spaces and
    # parentheses). Elsewhere only the proof in the answer says it.
    if test -d /proc/self
        set -l ps ''
        test -r /proc/$dpid/stat; and read ps </proc/$dpid/stat
        set -l f (string replace -r '^.*\) ' '' -- $ps | string split ' ')
        if test (count $f) -lt 20; or string match -qr '^[ZX]$' -- $f[1]; or test "$f[20]" != "$dstart"
            _gtc_down $p
            return 0
        end
    end
    if test "$key" = "$_gtc_key" -a "$dpid.$dstart.$gen" = "$_gtc_gen"
        return 0
    end

    set -l env '"PATH":"'(_gtc_esc (string join : -- $p))'"'
    for n in $names
        set -a env '"'$n'":"'(_gtc_esc (string join ' ' -- $$n))'"'
    end
    set -l req '{"jsonrpc":"2.0","id":1,"method":"prompt","params":{"token":"'$token'","pid":'$fish_pid',"shell":"fish","switch":'$_gtc_switch',"dir":"'(_gtc_esc $PWD)'","env":{'(string join , -- $env)'}}}'
    set -l answer
    if command -q bash
        set answer (command bash --norc --noprofile -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1; printf "%s\n" "$2" >&3; IFS= read -r -t 2 -N 8192 l <&3; printf "%s" "$l"' gtc $port $req 2>/dev/null)
    end
    set -l r (string match -r '"result":"(.*)"}$' -- $answer)[2]
    if test -z "$r"
        if test -z "$answer"
            _gtc_down $p
        else
            set -g GTC_PROMPT ''
            set -g _gtc_key ''
        end
        return 0
    end
    # An answer without the proof is not our daemon's.
    set -l f (string split -m 4 '|' -- $r)
    if test (count $f) -lt 5 -o "$f[1]" != "$proof"
        _gtc_untrusted $p
        return 0
    end
    set -e f[1]
    # Only safe characters reach the terminal: the toolchain's, and a mark
    # the daemon uses; anything else is not our daemon's answer.
    set -l mark $f[3]
    if test -n "$f[2]"
        set mark '?'
        set -l n (string length -- $f[2])
        if test "$(string sub -l $n -- $f[3])" = "$f[2]"
            set mark "$(string sub -s (math $n + 1) -- $f[3])"
        end
    end
    switch "$mark"
        case '' '↓' '\*' '!' '↓!' '\*!'
        case 'go!'
            test -z "$f[2]"; or set mark '?'
        case '*'
            set mark '?'
    end
    if test "$mark" = '?'; or string match -qr '[^dpes]' -- $f[1]; or begin
            test "$_gtc_switch" = true -a -n "$f[4]"; and not _gtc_okdir $f[4] $f[2]
        end
        _gtc_untrusted $p
        return 0
    end
    set -g GTC_FLAGS $f[1]
    set -g GTC_TOOLCHAIN (string replace -ra '[^A-Za-z0-9._+-]' '?' -- $f[2])
    set -g GTC_PROMPT "$GTC_TOOLCHAIN$mark"
    if test "$_gtc_switch" = true
        if test -n "$f[4]"
            set -gx PATH $f[4] $p
            set -g _gtc_added $f[4]
        else
            set -gx PATH $p
            set -g _gtc_added ''
        end
    end
    set -g _gtc_key $key
    set -g _gtc_gen "$dpid.$dstart.$gen"
    set -g _gtc_started ''
end
