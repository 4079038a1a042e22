#!/bin/sh
# dist/hook.sh — the fast path of Dejafix's agent hook (POSIX sh; `dejafix connect` writes it):
#   sh /…/dist/hook.sh <node> </…/hook.js> <agent> [--store DIR] [other hook.js options]
# A Node process cannot start in under ~100 ms, so when this store's warm server is up (started by
# a session's first prompt; see src/cli/hook/warmServer.ts) the event on stdin goes to it through
# `curl --unix-socket` and no Node starts. The server handles tool calls itself, exactly as the
# Node hook would, and hands every other event back untouched. Otherwise — DEJAFIX_HOOK_WARM=0, no
# curl, no server, a socket not owned by this user, or a handed-back event — `<node> <hook.js>
# <agent> …` runs as before, with the same stdin. Nothing but the hook's own output reaches stdout;
# it always exits 0. Stdin is never written to disk.
[ $# -ge 2 ] || exit 0
node=$1
hook=$2
shift 2
nl='
'
fallback() {
  "$node" "$hook" "$@"
  exit 0
}

# The agent and --store as hook.js reads them (options that take a value skip it).
agent=
store=
skip=
for a in "$@"; do
  case $skip in
  --store) store=$a ;;
  esac
  if [ -n "$skip" ]; then skip= && continue; fi
  case $a in
  --store | --budget | --min-relevance | --socket) skip=$a ;;
  --store=*) store=${a#--store=} ;;
  --*) ;;
  *) [ -n "$agent" ] || agent=$a ;;
  esac
done

[ "${DEJAFIX_HOOK_WARM-}" != 0 ] || fallback "$@"
case $agent in '' | *[!a-z-]*) fallback "$@" ;; esac
case $store in '' | /*) ;; *) fallback "$@" ;; esac
case $hook in /*) ;; *) fallback "$@" ;; esac
case "$store$hook${DEJAFIX_HOOK_DIR-}${DEJAFIX_STORE-}${HOME-}${XDG_DATA_HOME-}" in *"$nl"*) fallback "$@" ;; esac
command -v curl >/dev/null 2>&1 || fallback "$@"

# The socket: <tmpdir>/dejafix-<uid>/warm-<cksum of "<store>\n<hook.js>">.sock (src/cli/hook/warmPath.ts),
# in a folder and as a socket owned by this user (no other user can have made them).
t=${DEJAFIX_WARM_DIR:-${TMPDIR:-${TMP:-${TEMP:-/tmp}}}}
[ "$t" = / ] || t=${t%/}
k=$(printf '%s\n%s' "$store" "$hook" | cksum)
k=${k%% *}
sock=
for d in "$t"/dejafix-[0-9]*; do
  if [ -d "$d" ] && [ ! -h "$d" ] && [ -O "$d" ]; then
    sock=$d/warm-$k.sock
    break
  fi
done
[ -n "$sock" ] && [ -S "$sock" ] && [ ! -h "$sock" ] && [ -O "$sock" ] || fallback "$@"

# -T - streams stdin only once connected: when the server is gone (exit 7), stdin is untouched.
r=$(curl -q -s --noproxy '*' --unix-socket "$sock" -m 12 -X POST -T - \
  -H 'Expect:' -H 'X-Dejafix-Hook: 1' -H "X-Dejafix-Store: =$store" \
  -H "X-Dejafix-Env-Dejafix-Hook-Dir: =${DEJAFIX_HOOK_DIR-}" -H "X-Dejafix-Env-Dejafix-Store: =${DEJAFIX_STORE-}" \
  -H "X-Dejafix-Env-Home: =${HOME-}" -H "X-Dejafix-Env-Xdg-Data-Home: =${XDG_DATA_HOME-}" \
  "http://localhost/hook/$agent" 2>/dev/null
  echo " $?")
code=${r##* }
r=${r% *}
case $r in
"dejafix-hook/1 ok$nl"*)
  printf '%s' "${r#*"$nl"}"
  exit 0
  ;;
"dejafix-hook/1 again$nl"*)
  printf '%s' "${r#*"$nl"}" | "$node" "$hook" "$@"
  exit 0
  ;;
esac
# Not connected (7) or curl without --unix-socket (2): stdin was not read. Anything else: the server may
# have taken the event, so it is not handled twice.
case $code in 2 | 7) fallback "$@" ;; esac
exit 0
