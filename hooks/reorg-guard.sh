# reorg-guard: what the hook files share. Sourced, never run on its own.
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

# Missing, or older than the config (its guarded paths may be out of date): leave the
# decision to reorg-guard, which rewrites it. Hooks run at the top of the work tree.
[ -f "$rg_env" ] && . "$rg_env"
if [ -f "$rg_env" ] && ! [ reorg-guard.config.json -nt "$rg_env" ] && ! [ package.json -nt "$rg_env" ]; then
  rg_fresh=1
else
  rg_guarded() { return 1; } # "maybe": reorg-guard looks itself
fi

# rg_run HOOK ARGS...: starts `reorg-guard hook HOOK ARGS...` and exits with its answer: the
# project's own reorg-guard (node_modules/.bin), else the one that wrote reorg-guard.env, else
# the package this hook file belongs to.
# A missing reorg-guard never blocks the git command, unless the config says strict.
rg_run() {
  [ -x "$rg_node" ] || rg_node=node
  # RG_FRESH=1: the sh check above used the current config, no need to look again.
  export RG_ENV="$rg_env" RG_FRESH="$rg_fresh"
  # node reads NODE_EXTRA_CA_CERTS as it starts (~80 ms with a system bundle), yet reorg-guard
  # opens no TLS connection: node starts without it, the git commands it runs get it back.
  if [ -n "${NODE_EXTRA_CA_CERTS-}" ]; then
    export RG_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS=
  fi
  rg_code=127
  if [ -x node_modules/.bin/reorg-guard ]; then
    node_modules/.bin/reorg-guard hook "$@" </dev/null
    rg_code=$?
  elif [ -n "$rg_cli" ] && [ -f "$rg_cli" ]; then
    "$rg_node" "$rg_cli" hook "$@" </dev/null
    rg_code=$?
  elif [ -f "${0%/*}/../dist/cli.js" ]; then
    # no reorg-guard.env yet, run from another work tree's node_modules: the CLI beside this file
    "$rg_node" "${0%/*}/../dist/cli.js" hook "$@" </dev/null
    rg_code=$?
  fi
  [ "$rg_code" = 0 ] && exit 0
  # 1: reorg-guard blocks, as "strict" asks; it said why. Anything else: it could not run.
  [ -f "$rg_env" ] && . "$rg_env" # it may have rewritten it: "strict" as the config says now
  [ "$rg_code" = 1 ] || echo "reorg-guard: could not run reorg-guard, no backup taken: run 'npm install' or 'npx reorg-guard init'." >&2
  # A hook that runs after git's work is done (post-commit: rg_blocks=0) has nothing to block.
  if [ "$rg_strict" = 1 ] && [ "${rg_blocks-1}" = 1 ]; then
    [ "$rg_code" = 1 ] || echo "reorg-guard: blocked because \"strict\" is on; to go ahead without a backup: REORG_GUARD=0 git ..." >&2
    exit 1
  fi
  exit 0
}
