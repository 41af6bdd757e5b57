# reorg-guard: what the four hook files share. Sourced, never run on its own.
#
# The hooks decide in sh whether anything guarded is involved, so that most git commands
# never start node. What they need from the config (guarded paths, backup branch prefix,
# strict, where the CLI is) is in reorg-guard.env, a file reorg-guard writes into git's
# hooks directory and rewrites whenever a hook starts it.

# A hook that was here before reorg-guard runs first, with the hook's own input.
if [ -x "$0.before-reorg-guard" ]; then
  "$0.before-reorg-guard" "$@" || exit $?
fi

# REORG_GUARD=0 (or husky's HUSKY=0) skips every hook.
if [ "${REORG_GUARD-}" = 0 ] || [ "${HUSKY-}" = 0 ]; then exit 0; fi

rg_node=node rg_cli= rg_strict=0 rg_prefix= rg_fresh=0
rg_env=${RG_ENV:-${0%/*}/reorg-guard.env}

# Missing, or older than the config: leave every decision to reorg-guard, which rewrites it.
# (Hooks run at the top of the work tree, where the config lives.)
if [ -f "$rg_env" ] && ! [ reorg-guard.config.json -nt "$rg_env" ] && ! [ package.json -nt "$rg_env" ]; then
  . "$rg_env" && rg_fresh=1
fi
if [ "$rg_fresh" != 1 ]; then
  rg_guarded() { return 1; } # "maybe": reorg-guard looks itself
fi

# rg_run HOOK ARGS...: starts `reorg-guard hook HOOK ARGS...` and exits with its answer.
# A missing reorg-guard never blocks the git command, unless the config says strict.
rg_run() {
  rg_bin=node_modules/.bin/reorg-guard
  [ -f "$rg_bin" ] || rg_bin=$rg_cli
  [ -x "$rg_node" ] || rg_node=node
  if [ -n "$rg_bin" ] && [ -f "$rg_bin" ]; then
    # RG_FRESH=1: the sh check above was made with the current config, no need to look again.
    RG_ENV=$rg_env RG_FRESH=$rg_fresh "$rg_node" "$rg_bin" hook "$@" </dev/null
    rg_code=$?
    [ "$rg_code" = 126 ] || [ "$rg_code" = 127 ] || exit "$rg_code"
  fi
  echo "reorg-guard: cannot start reorg-guard, no backup taken: run 'npm install' or 'npx reorg-guard init'." >&2
  if [ "$rg_strict" = 1 ]; then
    echo "reorg-guard: blocked because \"strict\" is on; to go ahead without a backup: REORG_GUARD=0 git ..." >&2
    exit 1
  fi
  exit 0
}
