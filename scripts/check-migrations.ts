/**
 * `npm run lint` runs this: a migration runs against the Worker version still live (predeploy migrates
 * before the new code is uploaded), so it must be additive. A `DROP` or `RENAME` (of a table, column,
 * index or trigger) is refused unless the statement carries, on its own line just above it, a marker
 * naming the release that stopped using what it removes:
 *
 *   -- destructive: unused since <release>
 *
 * Prints one line per offending statement and exits 1; silent and 0 when every migration is additive.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const DESTRUCTIVE = /\b(DROP\s+(TABLE|COLUMN|INDEX|TRIGGER|VIEW)|RENAME\s+(TO|COLUMN))\b/i;
const MARKER = /^\s*--\s*destructive:\s*unused since\s+\S+/i;

export interface Finding {
  file: string;
  line: number;
  statement: string;
}

/** Destructive statements without a marker in one migration's text. */
export function findUnmarked(file: string, sql: string): Finding[] {
  const lines = sql.split("\n");
  const findings: Finding[] = [];
  lines.forEach((text, index) => {
    const code = text.replace(/--.*$/, "");
    if (!DESTRUCTIVE.test(code)) return;
    if (MARKER.test(lines[index - 1] ?? "")) return;
    findings.push({ file, line: index + 1, statement: code.trim() });
  });
  return findings;
}

export function checkMigrations(dir = "migrations"): Finding[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort()
    .flatMap((name) => findUnmarked(path.join(dir, name), readFileSync(path.join(dir, name), "utf8")));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const findings = checkMigrations();
  for (const { file, line, statement } of findings) {
    console.error(
      `${file}:${line}: "${statement}" is destructive: the Worker still live runs on the new schema ` +
        "(migrations/README.md). Stop using it first, then mark the line above it with " +
        '"-- destructive: unused since <release>".',
    );
  }
  process.exitCode = findings.length > 0 ? 1 : 0;
}
