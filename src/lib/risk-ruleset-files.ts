import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RulesetValidationError, validateRuleset } from './risk-rules.ts';
import type { Ruleset } from './risk-rules.ts';

/** `data/reference/risk` of this checkout, found from this file rather than the cwd. */
export const DEFAULT_RISK_RULESET_DIR = fileURLToPath(new URL('../../data/reference/risk/', import.meta.url));

const FILE_PATTERN = /^ruleset-(.+)\.json$/;

/**
 * Reads and validates one ruleset file. Throws `RulesetValidationError` (problems prefixed
 * with the file name) for invalid JSON or an invalid ruleset.
 */
export async function readRulesetFile(file: string): Promise<Ruleset> {
  const name = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new RulesetValidationError([`${name}: not valid JSON (${error.message})`]);
    throw error;
  }
  try {
    return validateRuleset(json);
  } catch (error) {
    if (error instanceof RulesetValidationError) {
      throw new RulesetValidationError(error.problems.map((problem) => `${name}${problem}`));
    }
    throw error;
  }
}

/**
 * Reads and validates every `ruleset-<version>.json` in `dir`, in file-name order. Throws
 * `RulesetValidationError` listing the problems of every file, including a file whose
 * `version` differs from the one in its name, a repeated version, or no files at all.
 */
export async function loadRulesets(dir: string = DEFAULT_RISK_RULESET_DIR): Promise<Ruleset[]> {
  const names = (await readdir(dir)).filter((name) => FILE_PATTERN.test(name)).sort();
  if (names.length === 0) throw new RulesetValidationError([`${dir}: no ruleset-<version>.json files`]);

  const problems: string[] = [];
  const rulesets: Ruleset[] = [];
  for (const name of names) {
    try {
      const ruleset = await readRulesetFile(path.join(dir, name));
      if (ruleset.version !== FILE_PATTERN.exec(name)?.[1]) {
        problems.push(`${name}/version: "${ruleset.version}" is not the version in the file name`);
        continue;
      }
      rulesets.push(ruleset);
    } catch (error) {
      if (!(error instanceof RulesetValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new RulesetValidationError(problems);
  return rulesets;
}

/** The ruleset of `version` from `dir`; throws `RulesetValidationError` when there is none. */
export async function loadRuleset(version: string, dir: string = DEFAULT_RISK_RULESET_DIR): Promise<Ruleset> {
  const ruleset = (await loadRulesets(dir)).find((candidate) => candidate.version === version);
  if (!ruleset) throw new RulesetValidationError([`${dir}: no ruleset with version "${version}"`]);
  return ruleset;
}
