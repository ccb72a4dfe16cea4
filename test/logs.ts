/**
 * The Worker's log lines, captured in tests instead of printed: `npm test` stays quiet, and a test
 * asserts on the lines it expects (a fault's error line, a rejection's line) rather than letting them
 * scroll by looking like failures. The Worker logs one JSON object a line; each is parsed and kept
 * with the console method that wrote it.
 *
 * `logsOfEachTest()` for a whole file (each test sees its own lines); `captureLogs()` for a stretch
 * of one test. Both restore the console themselves.
 */
import { afterAll, beforeAll, beforeEach, onTestFinished, vi } from "vitest";

const LEVELS = ["debug", "info", "log", "warn", "error"] as const;
export type Level = (typeof LEVELS)[number];

/** One line: its JSON fields (or `text` when it was not JSON) and the console method. */
export type LogLine = Record<string, unknown> & { level: Level };

export interface Logs {
  /** Every line captured so far, oldest first. */
  readonly lines: LogLine[];
  /** The lines whose `event` (or, for older lines, `message`) is `name`, without their level. */
  named(name: string): Record<string, unknown>[];
  /** The `event` (or `message`) of every line, in order: a test's log at a glance. */
  names(): unknown[];
}

function parse(level: Level, args: unknown[]): LogLine {
  const [first] = args;
  if (args.length === 1 && typeof first === "string" && first.startsWith("{")) {
    try {
      return { level, ...(JSON.parse(first) as Record<string, unknown>) };
    } catch {
      // not JSON after all
    }
  }
  return { level, text: args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" ") };
}

const nameOf = (line: LogLine) => line.event ?? line.message ?? line.text;

function start(): Logs & { restore(): void; clear(): void } {
  const lines: LogLine[] = [];
  const spies = LEVELS.map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(parse(level, args));
    }),
  );
  return {
    lines,
    named: (name) =>
      lines.filter((line) => nameOf(line) === name).map(({ level: _level, ...fields }) => fields),
    names: () => lines.map(nameOf),
    clear: () => {
      lines.length = 0;
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** Captures from now until the current test ends. */
export function captureLogs(): Logs {
  const logs = start();
  onTestFinished(logs.restore);
  return logs;
}

/**
 * Captures for the whole file, from before its first hook to after its last, so lines written between
 * tests (a queue consumer finishing in the background) are caught too; `lines` holds the current
 * test's (those written before it, by `beforeAll` or an earlier test's background work, are dropped).
 */
export function logsOfEachTest(): Logs {
  let logs: ReturnType<typeof start> | undefined;
  beforeAll(() => {
    logs = start();
  });
  beforeEach(() => logs?.clear());
  afterAll(() => logs?.restore());
  const current = () => {
    if (!logs) throw new Error("logsOfEachTest() is read before the file's tests run");
    return logs;
  };
  return {
    get lines() {
      return current().lines;
    },
    named: (name) => current().named(name),
    names: () => current().names(),
  };
}
