import type { Ruleset } from '../../lib/risk-rules.ts';
import { loadRulesets } from '../../lib/risk-ruleset-files.ts';

/**
 * The shipped rulesets (`data/reference/risk/ruleset-<version>.json`), read and validated
 * once per process. Rulesets are reviewed like code and change only with a release, so they
 * are not copied into the database; every assessment stores the `rulesetVersion` it used.
 */
let loading: Promise<ReadonlyMap<string, Ruleset>> | undefined;

function rulesets(): Promise<ReadonlyMap<string, Ruleset>> {
  loading ??= loadRulesets().then(
    (list) => new Map(list.map((ruleset) => [ruleset.version, ruleset])),
    (error: unknown) => {
      loading = undefined; // let a later call retry and report the problem again
      throw error;
    },
  );
  return loading;
}

/** `v2` sorts after `v1` and `v10` after `v9`. */
function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export async function loadCurrentRuleset(): Promise<Ruleset> {
  const all = [...(await rulesets()).values()].sort((a, b) => compareVersions(a.version, b.version));
  const newest = all.at(-1);
  // loadRulesets refuses an empty directory, so there is always one.
  if (newest === undefined) throw new Error('No risk ruleset is shipped');
  return newest;
}

export async function findRuleset(version: string): Promise<Ruleset | undefined> {
  return (await rulesets()).get(version);
}
