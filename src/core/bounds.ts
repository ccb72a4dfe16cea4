/**
 * Every field a payload controls, cut to a documented size before anything is derived or stored
 * (docs/operations.md "Limits"). Display fields are cut, never a reason to refuse: Jenkins does not resend a
 * refused delivery, so a 400 would be a lost alert. The identity (`build.number`, and the job read
 * from `url` by `jobIdentity`) is validated instead; once the job is read, a `url` over its limit is
 * cut like any text, and the stored body carries the job's key. Cut strings end with "…"; lists keep
 * their first items; the paths of what was cut are returned, so the stored body can say so.
 *
 * Sizes are in bytes as stored and served: UTF-8 inside a JSON string, escapes counted (a control
 * character is six bytes, `"` two), so a limit bounds rows and answers whatever the characters.
 *
 * What admins write is bounded where it is validated: globs ({@link MAX_GLOB_LENGTH} and its
 * neighbours), a policy's lists ({@link MAX_GLOBS}), silences in force ({@link MAX_SILENCES_IN_FORCE})
 * and destinations ({@link MAX_DESTINATIONS}); docs/operations.md "Limits" lists them all.
 */
import type { JenkinsPayload } from "./payload";

export const LIMITS = {
  /** `name`, `display_name`, `build.display_name`, `scm.branch`, bytes. */
  name: 256,
  /** `scm.commit`, bytes (a SHA-1 is 40, SHA-256 64). */
  commit: 128,
  /** `build.full_url`, `build.url`, `scm.url`: longer ones are dropped (a cut link is a wrong link). */
  link: 2048,
  /** `scm.culprits`: items, and bytes each. */
  culprits: 20,
  culprit: 128,
  /** `test_summary.failed_tests`: items, and bytes each. */
  failedTests: 20,
  failedTest: 256,
  /** `scm.changes` (file paths): items, and bytes each. */
  changes: 50,
  change: 256,
  /** `build.parameters` and `build.artifacts`: entries (an artifact's own map: 4); keys and values, bytes each. */
  entries: 50,
  artifactEntries: 4,
  key: 256,
  value: 1024,
  /**
   * `url`, bytes, once its job is read: Jenkins' longest is ~12 KB (a full name within PATH_MAX, each
   * byte encoded in three characters, plus views), so this cuts only what no Jenkins sends.
   */
  url: 16 * 1024,
  /** `build.notes`, bytes. */
  notes: 4096,
  /** `build.log`: its last 32 KiB (the end of a console is where the failure is). */
  logBytes: 32 * 1024,
} as const;

const ELLIPSIS = "…";

export interface Bounded {
  payload: JenkinsPayload;
  /** Dotted paths of the fields that were cut, e.g. `build.scm.culprits`. */
  cut: string[];
  /** How many changed files the build had: `scm.changes` as sent, before it was cut. */
  changesCount: number | null;
}

export function boundPayload(payload: JenkinsPayload): Bounded {
  const cut: string[] = [];
  const text = (value: string, max: number, path: string) => {
    const kept = cutText(value, max);
    if (kept !== value) cut.push(path);
    return kept;
  };
  const optionalText = (value: string | null | undefined, max: number, path: string) =>
    value == null ? value : text(value, max, path);
  const link = (value: string | null | undefined, path: string) => {
    if (value == null || jsonBytes(value) <= LIMITS.link) return value;
    cut.push(path);
    return null;
  };
  const list = (values: string[] | null | undefined, items: number, max: number, path: string) => {
    if (values == null) return values;
    const kept = values.slice(0, items).map((value) => cutText(value, max));
    if (values.length > items || kept.some((value, i) => value !== values[i])) cut.push(path);
    return kept;
  };
  const map = <T>(record: Record<string, T> | null | undefined, path: string, value: (v: T) => T) => {
    if (record == null) return record;
    const entries = Object.entries(record);
    const kept = entries
      .slice(0, LIMITS.entries)
      .map(([k, v]) => [cutText(k, LIMITS.key), value(v)] as const);
    const bounded = Object.fromEntries(kept) as Record<string, T>;
    if (entries.length > LIMITS.entries || JSON.stringify(bounded) !== JSON.stringify(record)) cut.push(path);
    return bounded;
  };
  const cutValue = (value: string) => cutText(value, LIMITS.value);

  const { build } = payload;
  const { scm, test_summary: tests } = build;
  const log = build.log == null ? build.log : logTail(build.log);
  if (log !== build.log) cut.push("build.log");
  const bounded: JenkinsPayload = {
    ...payload,
    name: text(payload.name, LIMITS.name, "name"),
    url: text(payload.url, LIMITS.url, "url"),
    display_name: optionalText(payload.display_name, LIMITS.name, "display_name"),
    build: {
      ...build,
      full_url: link(build.full_url, "build.full_url"),
      url: link(build.url, "build.url"),
      display_name: optionalText(build.display_name, LIMITS.name, "build.display_name"),
      scm: scm && {
        ...scm,
        url: link(scm.url, "build.scm.url"),
        branch: optionalText(scm.branch, LIMITS.name, "build.scm.branch"),
        commit: optionalText(scm.commit, LIMITS.commit, "build.scm.commit"),
        changes: list(scm.changes, LIMITS.changes, LIMITS.change, "build.scm.changes"),
        culprits: list(scm.culprits, LIMITS.culprits, LIMITS.culprit, "build.scm.culprits"),
      },
      parameters: map(build.parameters, "build.parameters", cutValue),
      artifacts: map(build.artifacts, "build.artifacts", (inner) =>
        Object.fromEntries(
          Object.entries(inner)
            .slice(0, LIMITS.artifactEntries)
            .map(([k, v]) => [cutText(k, LIMITS.key), cutValue(v)]),
        ),
      ),
      log,
      notes: optionalText(build.notes, LIMITS.notes, "build.notes"),
      test_summary: tests && {
        ...tests,
        failed_tests: list(
          tests.failed_tests,
          LIMITS.failedTests,
          LIMITS.failedTest,
          "build.test_summary.failed_tests",
        ),
      },
    },
  };
  return { payload: bounded, cut, changesCount: scm?.changes?.length ?? null };
}

/** `value` cut to at most `max` bytes (see above), the last of them "…"; never splits a character. */
export function cutText(value: string, max: number): string {
  // No character costs more than six bytes: most values need no measuring.
  if (value.length * 6 <= max) return value;
  if (jsonBytes(value) <= max) return value;
  const room = max - 3; // "…" is three bytes
  let used = 0;
  let end = 0;
  while (end < value.length) {
    const pair = isHighSurrogate(value.charCodeAt(end)) && isLowSurrogate(value.charCodeAt(end + 1));
    const cost = pair ? 4 : unitBytes(value.charCodeAt(end));
    if (used + cost > room) break;
    used += cost;
    end += pair ? 2 : 1;
  }
  return value.slice(0, end) + ELLIPSIS;
}

/** The bytes `value` takes as a JSON string's content, in UTF-8 (what D1 stores and the API serves). */
export function jsonBytes(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isHighSurrogate(code) && isLowSurrogate(value.charCodeAt(i + 1))) {
      bytes += 4;
      i += 1;
    } else {
      bytes += unitBytes(code);
    }
  }
  return bytes;
}

/** One UTF-16 unit's bytes in a JSON string: escapes for controls, quote and backslash; lone surrogates escaped. */
function unitBytes(code: number): number {
  if (code < 0x20) return code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 2 : 6;
  if (code === 0x22 || code === 0x5c) return 2;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdfff) return 6;
  return 3;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The last LIMITS.logBytes of a console log, starting on a character boundary. */
function logTail(log: string): string {
  // A UTF-8 character is at most 3 bytes per UTF-16 unit: short logs need no encoding.
  if (log.length * 3 <= LIMITS.logBytes) return log;
  const bytes = new TextEncoder().encode(log);
  if (bytes.byteLength <= LIMITS.logBytes) return log;
  let start = bytes.byteLength - LIMITS.logBytes;
  // Skip UTF-8 continuation bytes (10xxxxxx).
  while (((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return new TextDecoder().decode(bytes.subarray(start));
}
