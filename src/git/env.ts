/**
 * The environment every git process gets, whichever way exec.ts starts it: the process
 * environment minus the variables simple-git guards (it refuses them), with the ones git
 * needs inside a hook allowed through.
 */

/**
 * Variables git sets for hooks (GIT_INDEX_FILE, GIT_DIR, ...) and the ones users rely on
 * for pushing (GIT_SSH_COMMAND, GIT_ASKPASS). simple-git 4 strips every inherited GIT_*
 * variable unless it is named here; inside a hook that would silently point git at the
 * wrong index.
 */
export const ALLOWED_ENV = [
  'GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_PREFIX',
  'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH',
  'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE',
  'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_COUNT',
  'GIT_CONFIG_PARAMETERS', 'GIT_CEILING_DIRECTORIES',
  'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_SSH_VARIANT', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_TERMINAL_PROMPT',
  'GIT_HTTP_USER_AGENT', 'GIT_SSL_NO_VERIFY', 'GIT_SSL_CAINFO', 'GIT_SSL_CAPATH', 'GIT_TRACE',
  'GIT_NO_REPLACE_OBJECTS', 'GIT_OPTIONAL_LOCKS', 'GIT_REFLOG_ACTION', 'GIT_PROTOCOL',
  // git's own traces, to see where a command's time goes (GIT_TRACE2_PERF=/tmp/perf.txt reorg-guard ...)
  'GIT_TRACE2', 'GIT_TRACE2_PERF', 'GIT_TRACE2_EVENT', 'GIT_TRACE_PERFORMANCE',
];
// Numbered config variables: the user's, and the ones a call adds after them.
for (let i = 0; i < 64; i++) ALLOWED_ENV.push(`GIT_CONFIG_KEY_${i}`, `GIT_CONFIG_VALUE_${i}`);
const ALLOWED = new Set(ALLOWED_ENV.map((k) => k.toLowerCase()));
/** Non-GIT_ variables simple-git also guards; never passed on (git needs none of them here). */
const GUARDED = new Set(['editor', 'visual', 'pager', 'prefix']);

/**
 * The sh hooks start node without NODE_EXTRA_CA_CERTS (node reads that file as it starts, and
 * reorg-guard opens no TLS connection) and keep its value here: git and what git starts (a
 * credential helper written in node, say) get it back.
 */
export const SAVED_CA_CERTS = 'RG_NODE_EXTRA_CA_CERTS';

/** The environment for git: the process environment, less what is guarded, plus the call's own. */
export function gitEnvironment(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...extra })) {
    const key = k.toLowerCase();
    if (v === undefined || ((key.startsWith('git_') || GUARDED.has(key)) && !ALLOWED.has(key))) continue;
    env[k] = v;
  }
  const saved = env[SAVED_CA_CERTS];
  if (saved !== undefined) {
    env.NODE_EXTRA_CA_CERTS = saved;
    delete env[SAVED_CA_CERTS];
  }
  return env;
}
