import type { Ruleset } from '../../lib/risk-rules.ts';
import { loadRulesets } from '../../lib/risk-ruleset-files.ts';

/**
 * The shipped rulesets (`data/reference/risk/ruleset-<version>.json`), read and validated
 * once per process. Rulesets are reviewed like code and change only with a release, so they
 * are not copied into the database; every assessment stores the `rulesetVersion` it used.
 */
interface LoadedRulesets {
  byVersion: ReadonlyMap<string, Ruleset>;
  /** The newest version: what new assessments use. */
  current: Ruleset;
}

let loading: Promise<LoadedRulesets> | undefined;

/** `v2` sorts after `v1` and `v10` after `v9`. */
function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function rulesets(): Promise<LoadedRulesets> {
  loading ??= loadRulesets().then(
    (list) => {
      const sorted = list.slice().sort((a, b) => compareVersions(a.version, b.version));
      const current = sorted.at(-1);
      // loadRulesets refuses an empty directory, so there is always one.
      if (current === undefined) throw new Error('No risk ruleset is shipped');
      return { byVersion: new Map(sorted.map((ruleset) => [ruleset.version, ruleset])), current };
    },
    (error: unknown) => {
      loading = undefined; // let a later call retry and report the problem again
      throw error;
    },
  );
  return loading;
}

export async function loadCurrentRuleset(): Promise<Ruleset> {
  return (await rulesets()).current;
}

export async function findRuleset(version: string): Promise<Ruleset | undefined> {
  return (await rulesets()).byVersion.get(version);
}
