import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WarningRulesetValidationError, validateWarningRuleset } from './warning-ruleset.ts';
import type { WarningRuleset } from './warning-ruleset.ts';

/** `data/reference/warnings` of this checkout, found from this file rather than the cwd. */
export const DEFAULT_WARNING_RULESET_DIR = fileURLToPath(new URL('../../data/reference/warnings/', import.meta.url));

const FILE_PATTERN = /^ruleset-(.+)\.json$/;

/**
 * Reads and validates one warning ruleset file. Throws `WarningRulesetValidationError`
 * (problems prefixed with the file name) for invalid JSON or an invalid ruleset.
 */
export async function readWarningRulesetFile(file: string): Promise<WarningRuleset> {
  const name = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new WarningRulesetValidationError([`${name}: not valid JSON (${error.message})`]);
    }
    throw error;
  }
  try {
    return validateWarningRuleset(json);
  } catch (error) {
    if (error instanceof WarningRulesetValidationError) {
      throw new WarningRulesetValidationError(error.problems.map((problem) => `${name}${problem}`));
    }
    throw error;
  }
}

/**
 * Reads and validates every `ruleset-<version>.json` in `dir`, in file-name order. Throws
 * `WarningRulesetValidationError` listing the problems of every file, including a file whose
 * `version` differs from the one in its name, or no files at all.
 */
export async function loadWarningRulesets(dir: string = DEFAULT_WARNING_RULESET_DIR): Promise<WarningRuleset[]> {
  const names = (await readdir(dir)).filter((name) => FILE_PATTERN.test(name)).sort();
  if (names.length === 0) throw new WarningRulesetValidationError([`${dir}: no ruleset-<version>.json files`]);

  const problems: string[] = [];
  const rulesets: WarningRuleset[] = [];
  for (const name of names) {
    try {
      const ruleset = await readWarningRulesetFile(path.join(dir, name));
      if (ruleset.version !== FILE_PATTERN.exec(name)?.[1]) {
        problems.push(`${name}/version: "${ruleset.version}" is not the version in the file name`);
        continue;
      }
      rulesets.push(ruleset);
    } catch (error) {
      if (!(error instanceof WarningRulesetValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new WarningRulesetValidationError(problems);
  return rulesets;
}

/** The warning ruleset of `version` from `dir`; throws `WarningRulesetValidationError` when there is none. */
export async function loadWarningRuleset(
  version: string,
  dir: string = DEFAULT_WARNING_RULESET_DIR,
): Promise<WarningRuleset> {
  const ruleset = (await loadWarningRulesets(dir)).find((candidate) => candidate.version === version);
  if (!ruleset) throw new WarningRulesetValidationError([`${dir}: no warning ruleset with version "${version}"`]);
  return ruleset;
}
