/**
 * The environment for an npm a test starts in a temp project. Variables that an outer `npm run
 * test:all` exports (npm_config_local_prefix, npm_package_*, npm_lifecycle_*, INIT_CWD …) would
 * point the inner npm at this repository, and NODE_TEST_CONTEXT would tell child node processes
 * they are test workers. The cache location is kept: the offline installs depend on it. `extra`
 * is set on top (an npm that npm starts inherits it too).
 */
export function npmChildEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_') && !keep.has(lower)) continue;
    if (key === 'INIT_CWD' || key === 'NODE_TEST_CONTEXT' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
}
