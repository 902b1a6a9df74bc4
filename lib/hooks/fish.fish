# gtc hook for fish (docs/hooks.md), printed by `gtc hook fish`. Load it with
#   gtc hook fish | source
# and call gtc_prompt in fish_prompt (a function: no process):
#   function fish_prompt; printf '%s%s> ' (gtc_prompt) (prompt_pwd); end
# An unchanged prompt runs no process: it reads one line from the hook file
# with builtins and compares. fish has no socket builtin, so a new
# directory, a changed environment or a moved generation costs one bash
# (its /dev/tcp to the loopback port, ~2 ms); without bash there is no segment.
set -g _gtc_hookfile @@HOOKFILE@@
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
    set -l gen ''
    set -l port ''
    set -l token ''
    if test -r $_gtc_hookfile
        read dpid gen port token <$_gtc_hookfile
    end
    # Linux: the daemon's pid must be alive (elsewhere a refused port says it).
    if test -z "$dpid"; or begin
            test -d /proc/self; and not test -d /proc/$dpid
        end
        _gtc_down $p
        return 0
    end
    if test "$key" = "$_gtc_key" -a "$dpid.$gen" = "$_gtc_gen"
        return 0
    end

    set -l env '"PATH":"'(_gtc_esc (string join : -- $p))'"'
    for n in $names
        set -a env '"'$n'":"'(_gtc_esc (string join ' ' -- $$n))'"'
    end
    set -l req '{"jsonrpc":"2.0","id":1,"method":"prompt","params":{"token":"'$token'","pid":'$fish_pid',"shell":"fish","switch":'$_gtc_switch',"dir":"'(_gtc_esc $PWD)'","env":{'(string join , -- $env)'}}}'
    set -l answer
    if command -q bash
        set answer (command bash --norc --noprofile -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1; printf "%s\n" "$2" >&3; IFS= read -r -t 2 l <&3; printf "%s\n" "$l"' gtc $port $req 2>/dev/null)
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
    set -l f (string split -m 3 '|' -- $r)
    set -g GTC_FLAGS $f[1]
    set -g GTC_TOOLCHAIN $f[2]
    set -g GTC_PROMPT $f[3]
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
    set -g _gtc_gen "$dpid.$gen"
    set -g _gtc_started ''
end
