/**
 * The `/incidents` answer's layout (pure): what a payload controls stays `plain_text`, each incident's
 * buttons have a block id of their own, and the list keeps Block Kit's 50 blocks whatever its length.
 */
import { describe, expect, it } from "vitest";
import type { UnresolvedIncident } from "../../src/incidents/unresolved";
import { incidentLine, incidentsAnswer, MAX_LISTED } from "../../src/slack/incident-list";

const incident = (id: number, changes: Partial<UnresolvedIncident> = {}): UnresolvedIncident => ({
  id,
  kind: "failure",
  source_id: "src",
  source_name: "ci",
  job_path: `acme/job-${id}`,
  branch: "main",
  state: "open",
  priority: "HIGH",
  opened_at: "2026-12-06T19:08:44.123Z",
  acknowledged_by: null,
  resolved_by: null,
  resolved_by_name: null,
  resolved_by_build: null,
  silenced: false,
  ...changes,
});

const links = { incident: (id: number) => `https://itoc.example.com/incidents/${id}`, dashboard: null };
const listing = (incidents: UnresolvedIncident[]) => ({ destinations: 1, incidents, complete: true });

describe("the /incidents answer", () => {
  it("shows a job's name as plain_text only, never in mrkdwn", () => {
    const hostile = incident(7, { job_path: "<!channel> *bold* <https://evil.example|x>" });
    const answer = incidentsAnswer(listing([hostile]), "C0ALPHA", links);
    const mrkdwn = JSON.stringify(
      answer.blocks
        .flatMap((b) => [b.text, ...((b.fields as unknown[]) ?? [])])
        .filter((t) => (t as { type?: string } | undefined)?.type === "mrkdwn"),
    );
    expect(mrkdwn).not.toContain("<!channel>");
    expect(mrkdwn).not.toContain("*bold*");
    expect(mrkdwn).not.toContain("evil");
    expect(JSON.stringify(answer.blocks)).toContain(
      '"type":"plain_text","text":"#7 · HIGH · <!channel> *bold*',
    );
    expect(answer.text).not.toContain("<");
  });

  it("names other kinds, who acknowledged, and a silence, with when it opened in UTC", () => {
    expect(
      incidentLine(
        incident(3, { kind: "source_silent", job_path: null, state: "acknowledged", acknowledged_by: "ann" }),
      ),
    ).toBe("#3 · HIGH · Source silent: source ci · acknowledged by ann · since 2026-12-06 19:08 UTC");
    expect(incidentLine(incident(4, { kind: "missed_build", priority: "MEDIUM", silenced: true }))).toBe(
      "#4 · MEDIUM · Missed build: acme/job-4 · open · silenced · since 2026-12-06 19:08 UTC",
    );
  });

  it("gives each incident's buttons their own block id, and keeps 50 blocks however many there are", () => {
    const many = Array.from({ length: 100 }, (_, i) => incident(i + 1));
    const answer = incidentsAnswer(listing(many), "C0ALPHA", links);
    expect(answer.blocks).toHaveLength(50);
    const ids = answer.blocks.filter((b) => b.type === "actions").map((b) => b.block_id);
    expect(new Set(ids).size).toBe(MAX_LISTED);
    expect(JSON.stringify(answer.blocks.at(-1))).toContain(`${100 - MAX_LISTED} more not shown here.`);
  });

  it("says when not every unresolved incident was looked at", () => {
    const answer = incidentsAnswer({ ...listing([incident(1)]), complete: false }, "C0ALPHA", links);
    expect(JSON.stringify(answer.blocks.at(-1))).toContain("there may be others");
  });
});
