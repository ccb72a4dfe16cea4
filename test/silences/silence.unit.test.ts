/**
 * Silences, pure (src/silences/rules.ts, src/platform/zoned-time.ts): wall time ↔ UTC across both DST
 * transitions in Europe/Berlin and America/New_York, weekly windows past midnight, a silence's span
 * cut short by ended_at, its status, and which incidents it matches.
 */
import { describe, expect, it } from "vitest";
import { canonicalTimeZone, parseInstant, parseWallTime, wallToUtc } from "../../src/platform/zoned-time";
import type { Recurrence } from "../../src/silences/recurrence";
import {
  isSilenced,
  isSilencing,
  matchesIncident,
  nextChange,
  type Silence,
  type SilenceMatch,
  silenceStatus,
  silencesAnything,
  silencing,
} from "../../src/silences/rules";

const at = (iso: string) => new Date(iso);
const utc = (wall: string, zone: string) => {
  const parsed = parseWallTime(wall);
  if (!parsed) throw new Error(`not a wall time: ${wall}`);
  return new Date(wallToUtc(parsed, zone)).toISOString();
};

let ids = 0;
function silence(fields: Partial<Omit<Silence, "match">> & { match?: Partial<SilenceMatch> } = {}): Silence {
  return {
    id: ++ids,
    starts_at: "2025-01-01T00:00:00.000Z",
    ends_at: "2025-12-31T00:00:00.000Z",
    recurrence: null,
    comment: "maintenance",
    created_by: null,
    created_at: "2025-01-01T00:00:00.000Z",
    ended_at: null,
    ...fields,
    match: { source_id: null, job: null, branch: null, ...fields.match },
  };
}

const weekly = (days: Recurrence["days"], from: string, to: string, time_zone: string) =>
  silence({ recurrence: { days, from, to, time_zone } });

/** The instants at which isSilencing changes, from `start` on, `count` of them. */
function changes(subject: Silence, start: string, count: number): string[] {
  const found: string[] = [];
  let after = at(start);
  for (let i = 0; i < count; i++) {
    const next = nextChange(subject, after);
    if (!next) break;
    found.push(next.toISOString());
    after = next;
  }
  return found;
}

describe("wall time in a time zone", () => {
  it("reads ordinary wall times with the offset in force", () => {
    expect(utc("2025-01-15T12:00", "Europe/Berlin")).toBe("2025-01-15T11:00:00.000Z");
    expect(utc("2025-07-15T12:00", "Europe/Berlin")).toBe("2025-07-15T10:00:00.000Z");
    expect(utc("2025-07-15T12:00", "America/New_York")).toBe("2025-07-15T16:00:00.000Z");
    expect(utc("2025-07-15T12:00", "UTC")).toBe("2025-07-15T12:00:00.000Z");
  });

  it("moves a wall time in the spring-forward gap forward by the gap", () => {
    // Berlin skips 02:00–03:00 on 2025-03-30; New York skips 02:00–03:00 on 2025-03-09.
    expect(utc("2025-03-30T02:30", "Europe/Berlin")).toBe("2025-03-30T01:30:00.000Z"); // 03:30 CEST
    expect(utc("2025-03-30T02:00", "Europe/Berlin")).toBe("2025-03-30T01:00:00.000Z"); // 03:00 CEST
    expect(utc("2025-03-09T02:30", "America/New_York")).toBe("2025-03-09T07:30:00.000Z"); // 03:30 EDT
  });

  it("takes the first occurrence of a wall time the fall-back repeats", () => {
    // Berlin repeats 02:00–03:00 on 2025-10-26; New York repeats 01:00–02:00 on 2025-11-02.
    expect(utc("2025-10-26T02:30", "Europe/Berlin")).toBe("2025-10-26T00:30:00.000Z"); // CEST
    expect(utc("2025-10-26T03:00", "Europe/Berlin")).toBe("2025-10-26T02:00:00.000Z"); // CET, once
    expect(utc("2025-11-02T01:30", "America/New_York")).toBe("2025-11-02T05:30:00.000Z"); // EDT
    expect(utc("2025-11-02T02:00", "America/New_York")).toBe("2025-11-02T07:00:00.000Z"); // EST
  });

  it("knows IANA zones and refuses offsets and made-up names", () => {
    expect(canonicalTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(canonicalTimeZone("europe/berlin")).toBe("Europe/Berlin");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    for (const name of ["+01:00", "Mars/Olympus_Mons", "", "Europe/Berlin\n"]) {
      expect(canonicalTimeZone(name), name).toBeUndefined();
    }
  });

  it("parses ISO 8601 timestamps with their zone, and only dates that exist", () => {
    expect(parseInstant("2025-03-29T22:00:00Z")).toBe(Date.parse("2025-03-29T22:00:00Z"));
    expect(parseInstant("2025-03-29T23:00+01:00")).toBe(Date.parse("2025-03-29T22:00:00Z"));
    expect(parseInstant("2025-03-29T17:00:00.123456-05:00")).toBe(Date.parse("2025-03-29T22:00:00.123Z"));
    expect(parseInstant("2024-02-29T00:00:00Z")).toBe(Date.parse("2024-02-29T00:00:00Z"));
    for (const text of [
      "2025-03-29T22:00:00", // no zone
      "2025-03-29",
      "2025-02-29T00:00:00Z",
      "2025-04-31T00:00:00Z",
      "2025-03-29T24:00:00Z",
      "2025-03-29T23:59:60Z",
      "2025-03-29T22:00:00+24:00",
      "29/03/2025 22:00 Z",
    ]) {
      expect(parseInstant(text), text).toBeUndefined();
    }
  });
});

describe("a silence's span", () => {
  const plain = silence({ starts_at: "2025-06-01T10:00:00.000Z", ends_at: "2025-06-01T12:00:00.000Z" });

  it("silences from starts_at up to (not at) ends_at", () => {
    expect(isSilencing(plain, at("2025-06-01T09:59:59.999Z"))).toBe(false);
    expect(isSilencing(plain, at("2025-06-01T10:00:00.000Z"))).toBe(true);
    expect(isSilencing(plain, at("2025-06-01T11:59:59.999Z"))).toBe(true);
    expect(isSilencing(plain, at("2025-06-01T12:00:00.000Z"))).toBe(false);
    expect(changes(plain, "2025-06-01T00:00:00Z", 5)).toEqual([
      "2025-06-01T10:00:00.000Z",
      "2025-06-01T12:00:00.000Z",
    ]);
  });

  it("is upcoming, then active, then ended", () => {
    expect(silenceStatus(plain, at("2025-06-01T09:00:00Z"))).toBe("upcoming");
    expect(silenceStatus(plain, at("2025-06-01T10:00:00Z"))).toBe("active");
    expect(silenceStatus(plain, at("2025-06-01T12:00:00Z"))).toBe("ended");
  });

  it("stops at ended_at when it was ended early, and never changes again", () => {
    const ended = { ...plain, ended_at: "2025-06-01T11:00:00.000Z" };
    expect(isSilencing(ended, at("2025-06-01T10:59:00Z"))).toBe(true);
    expect(isSilencing(ended, at("2025-06-01T11:00:00Z"))).toBe(false);
    expect(silenceStatus(ended, at("2025-06-01T11:00:00Z"))).toBe("ended");
    expect(nextChange(ended, at("2025-06-01T10:30:00Z"))?.toISOString()).toBe("2025-06-01T11:00:00.000Z");
    expect(nextChange(ended, at("2025-06-01T11:00:00Z"))).toBeNull();
    // Ended before it began: it never silences.
    const never = { ...plain, ended_at: "2025-06-01T09:00:00.000Z" };
    expect(silenceStatus(never, at("2025-06-01T09:30:00Z"))).toBe("ended");
    expect(isSilencing(never, at("2025-06-01T10:30:00Z"))).toBe(false);
  });
});

describe("weekly windows", () => {
  const weekendNights = weekly(["sat", "sun"], "22:00", "06:00", "Europe/Berlin");

  it("run from `from` on each listed day to `to` the next morning, across spring-forward in Berlin", () => {
    // Sat 29 March 22:00 CET → Sun 30 March 06:00 CEST (7 hours); Sun 22:00 CEST → Mon 06:00 CEST.
    expect(isSilencing(weekendNights, at("2025-03-29T20:59:59Z"))).toBe(false);
    expect(isSilencing(weekendNights, at("2025-03-29T21:00:00Z"))).toBe(true);
    expect(isSilencing(weekendNights, at("2025-03-30T01:30:00Z"))).toBe(true);
    expect(isSilencing(weekendNights, at("2025-03-30T03:59:59Z"))).toBe(true);
    expect(isSilencing(weekendNights, at("2025-03-30T04:00:00Z"))).toBe(false);
    expect(isSilencing(weekendNights, at("2025-03-28T21:30:00Z"))).toBe(false); // a Friday night
    expect(changes(weekendNights, "2025-03-29T12:00:00Z", 5)).toEqual([
      "2025-03-29T21:00:00.000Z",
      "2025-03-30T04:00:00.000Z",
      "2025-03-30T20:00:00.000Z",
      "2025-03-31T04:00:00.000Z",
      "2025-04-05T20:00:00.000Z",
    ]);
  });

  it("last an hour longer across fall-back in Berlin", () => {
    // Sat 25 October 22:00 CEST → Sun 26 October 06:00 CET: 9 hours.
    expect(changes(weekendNights, "2025-10-25T12:00:00Z", 2)).toEqual([
      "2025-10-25T20:00:00.000Z",
      "2025-10-26T05:00:00.000Z",
    ]);
    expect(isSilencing(weekendNights, at("2025-10-26T04:59:59Z"))).toBe(true);
  });

  it("follow New York's transitions too", () => {
    const saturdayNight = weekly(["sat"], "23:00", "03:00", "America/New_York");
    // Sat 8 March 23:00 EST → Sun 03:00 EDT: 3 hours; Sat 1 November 23:00 EDT → Sun 03:00 EST: 5 hours.
    expect(changes(saturdayNight, "2025-03-08T12:00:00Z", 2)).toEqual([
      "2025-03-09T04:00:00.000Z",
      "2025-03-09T07:00:00.000Z",
    ]);
    expect(changes(saturdayNight, "2025-11-01T12:00:00Z", 2)).toEqual([
      "2025-11-02T03:00:00.000Z",
      "2025-11-02T08:00:00.000Z",
    ]);
    // One that starts in the gap starts when the clock reads 03:30; one in the repeated hour, the first time.
    const inGap = weekly(["sun"], "02:30", "04:00", "America/New_York");
    expect(changes(inGap, "2025-03-08T12:00:00Z", 2)).toEqual([
      "2025-03-09T07:30:00.000Z",
      "2025-03-09T08:00:00.000Z",
    ]);
    const repeated = weekly(["sun"], "01:30", "02:00", "America/New_York");
    expect(changes(repeated, "2025-11-01T12:00:00Z", 2)).toEqual([
      "2025-11-02T05:30:00.000Z",
      "2025-11-02T07:00:00.000Z",
    ]);
  });

  it("take a whole day when `to` equals `from`, and join windows that touch", () => {
    const allDay = weekly(["mon"], "09:00", "09:00", "UTC");
    expect(changes(allDay, "2025-06-01T00:00:00Z", 2)).toEqual([
      "2025-06-02T09:00:00.000Z",
      "2025-06-03T09:00:00.000Z",
    ]);
    const always = silence({
      starts_at: "2025-06-01T10:00:00.000Z",
      ends_at: "2025-06-20T10:00:00.000Z",
      recurrence: {
        days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        from: "00:00",
        to: "00:00",
        time_zone: "Europe/Berlin",
      },
    });
    expect(changes(always, "2025-06-01T00:00:00Z", 5)).toEqual([
      "2025-06-01T10:00:00.000Z",
      "2025-06-20T10:00:00.000Z",
    ]);
  });

  it("are cut to the silence's span", () => {
    const cut = silence({
      starts_at: "2025-03-30T02:00:00.000Z",
      ends_at: "2025-04-05T22:00:00.000Z",
      recurrence: { days: ["sat", "sun"], from: "22:00", to: "06:00", time_zone: "Europe/Berlin" },
    });
    expect(isSilencing(cut, at("2025-03-30T01:59:00Z"))).toBe(false);
    expect(changes(cut, "2025-03-29T12:00:00Z", 5)).toEqual([
      "2025-03-30T02:00:00.000Z",
      "2025-03-30T04:00:00.000Z",
      "2025-03-30T20:00:00.000Z",
      "2025-03-31T04:00:00.000Z",
      "2025-04-05T20:00:00.000Z",
    ]);
    expect(nextChange(cut, at("2025-04-05T20:00:00Z"))?.toISOString()).toBe("2025-04-05T22:00:00.000Z");
    expect(nextChange(cut, at("2025-04-05T22:00:00Z"))).toBeNull();
  });

  it("may leave a span with no window at all", () => {
    const weekdaysOnly = {
      starts_at: "2025-06-07T00:00:00.000Z", // a Saturday
      ends_at: "2025-06-08T20:00:00.000Z",
      ended_at: null,
      recurrence: { days: ["mon" as const], from: "09:00", to: "17:00", time_zone: "UTC" },
    };
    expect(silencesAnything(weekdaysOnly)).toBe(false);
    expect(silencesAnything({ ...weekdaysOnly, ends_at: "2025-06-09T09:30:00.000Z" })).toBe(true);
  });
});

describe("which incidents a silence matches", () => {
  const failure = { sourceId: "s1", jobPath: "acme/web-shop/feature/login", branch: "feature/login" };
  const sourceSilent = { sourceId: "s1", jobPath: null, branch: null };

  it("matches everything when it names nothing", () => {
    expect(matchesIncident(silence(), failure)).toBe(true);
    expect(matchesIncident(silence(), sourceSilent)).toBe(true);
  });

  it("matches only its source when it names one", () => {
    expect(matchesIncident(silence({ match: { source_id: "s1" } }), failure)).toBe(true);
    expect(matchesIncident(silence({ match: { source_id: "s2" } }), failure)).toBe(false);
    expect(matchesIncident(silence({ match: { source_id: "s1" } }), sourceSilent)).toBe(true);
  });

  it("matches the job path as displayed, by glob, and only incidents with a job", () => {
    expect(matchesIncident(silence({ match: { job: "acme/**" } }), failure)).toBe(true);
    expect(matchesIncident(silence({ match: { job: "acme/*/feature/*" } }), failure)).toBe(true);
    expect(matchesIncident(silence({ match: { job: "acme/*" } }), failure)).toBe(false);
    expect(matchesIncident(silence({ match: { job: "**" } }), sourceSilent)).toBe(false);
  });

  it("matches the branch by glob, and only incidents with a branch", () => {
    expect(matchesIncident(silence({ match: { branch: "feature/*" } }), failure)).toBe(true);
    expect(matchesIncident(silence({ match: { branch: "main" } }), failure)).toBe(false);
    expect(matchesIncident(silence({ match: { branch: "**" } }), { ...failure, branch: null })).toBe(false);
    expect(matchesIncident(silence({ match: { branch: "**" } }), sourceSilent)).toBe(false);
  });

  it("silences an incident only when a matching silence silences at that instant", () => {
    const nights = weekly(["sat"], "22:00", "06:00", "UTC");
    const other = silence({ match: { source_id: "s2" } });
    const list = [other, nights];
    expect(isSilenced(list, failure, at("2025-06-07T23:00:00Z"))).toBe(true);
    expect(silencing(list, failure, at("2025-06-07T23:00:00Z"))?.id).toBe(nights.id);
    expect(isSilenced(list, failure, at("2025-06-07T21:00:00Z"))).toBe(false);
    expect(isSilenced([], failure, at("2025-06-07T23:00:00Z"))).toBe(false);
  });
});
