// Which command lines are test runs. Each pattern is a regular expression matched against the
// whole command line (after `cd …;`/`&&` chains and env assignments are allowed in front).
import { errorText } from '../util/errors';

/** The defaults of `dejafix.capture.testCommands`. */
export const DEFAULT_TEST_COMMANDS: readonly string[] = [
  String.raw`(^|[\s;&|(/])(py\.test|pytest)(\s|$)`,
  String.raw`\bpython[0-9.]*\s+-m\s+(pytest|unittest)\b`,
  String.raw`(^|[\s;&|(/])tox(\s|$)`,
  String.raw`\b(npm|pnpm|yarn|bun)\s+(run\s+)?test\b`,
  String.raw`\bnpx\s+(jest|vitest|mocha)\b`,
  String.raw`(^|[\s/;&|])(jest|vitest|mocha)(\s|$)`,
  String.raw`\bgo\s+test\b`,
  String.raw`\bcargo\s+(test|nextest)\b`,
  String.raw`\b(mvn|mvnw|\./mvnw)\b.*\b(test|verify)\b`,
  String.raw`\b(gradle|gradlew|\./gradlew)\b.*\b(test|check)\b`,
  String.raw`\bdotnet\s+test\b`,
  String.raw`\b(rspec|bundle\s+exec\s+rspec)\b`,
  String.raw`\b(phpunit|vendor/bin/phpunit)\b`,
  String.raw`\bctest\b`,
  String.raw`\bmake\s+(test|check)\b`,
];

export interface TestCommandMatcher {
  matches(commandLine: string): boolean;
  /** Patterns from the setting that are not valid regular expressions, with the reason. */
  readonly invalid: { pattern: string; reason: string }[];
}

/** Compiles the patterns once; an invalid one is reported, never thrown. Over-long lines never match. */
export function testCommandMatcher(patterns: readonly string[]): TestCommandMatcher {
  const compiled: RegExp[] = [];
  const invalid: { pattern: string; reason: string }[] = [];
  for (const p of patterns) {
    if (typeof p !== 'string' || p.length === 0 || p.length > 500) {
      invalid.push({ pattern: String(p).slice(0, 80), reason: 'must be a non-empty string of at most 500 characters' });
      continue;
    }
    try {
      compiled.push(new RegExp(p, 'i'));
    } catch (e) {
      invalid.push({ pattern: p, reason: errorText(e) });
    }
  }
  return {
    invalid,
    matches: (line) => line.length > 0 && line.length <= 10_000 && compiled.some((r) => r.test(line)),
  };
}
