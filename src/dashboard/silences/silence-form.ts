/**
 * The dashboard's "New silence" form → the body `POST /api/silences` takes, checked by the same schema
 * (src/silences/schema.ts). The form's times are wall times (`datetime-local`) in the zone it
 * names, the same zone as its weekly window's; a refusal names the form's field, as labelled.
 */
import * as v from "valibot";
import { describeIssues } from "../../platform/issues";
import { canonicalTimeZone, parseWallTime, wallToUtc } from "../../platform/zoned-time";
import { type NewSilence, NewSilenceSchema } from "../../silences/schema";

/** The posted form: `days` may come several times. */
export type SilenceFormValues = Record<string, string | string[]>;

/** Each body field path → the form's label for it (the longest matching prefix names a refusal). */
const LABELS: [string, string][] = [
  ["match.source_id", "Source"],
  ["match.job", "Job"],
  ["match.branch", "Branch"],
  ["match", "Match"],
  ["starts_at", "Starts"],
  ["ends_at", "Ends"],
  ["comment", "Comment"],
  ["recurrence.days", "Days"],
  ["recurrence.from", "From"],
  ["recurrence.to", "To"],
  ["recurrence.time_zone", "Time zone"],
  ["recurrence", "Weekly window"],
  ["created_by", "Your name"],
];

export const labelOf = (path: string) =>
  LABELS.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1] ?? "Form";

const text = (values: SilenceFormValues, name: string) => {
  const value = values[name];
  return typeof value === "string" ? value.trim() : "";
};

/** The silence the form describes, or the sentence to show instead (naming the field). */
export function readSilenceForm(values: SilenceFormValues): { silence: NewSilence } | { error: string } {
  const zone = canonicalTimeZone(text(values, "time_zone") || "UTC");
  if (!zone) return { error: "Time zone: expected an IANA time zone, such as Europe/Berlin." };
  const instant = (name: string) => {
    const wall = parseWallTime(text(values, name));
    return wall ? new Date(wallToUtc(wall, zone)).toISOString() : undefined;
  };
  const starts = instant("starts");
  if (!starts) return { error: "Starts: expected a date and time." };
  const ends = instant("ends");
  if (!ends) return { error: "Ends: expected a date and time." };
  const days = [values.days ?? []].flat();
  const weekly = days.length > 0 || text(values, "from") !== "" || text(values, "to") !== "";
  const optional = (name: string) => text(values, name) || undefined;
  const body = {
    match: { source_id: optional("source_id"), job: optional("job"), branch: optional("branch") },
    starts_at: starts,
    ends_at: ends,
    comment: typeof values.comment === "string" ? values.comment : "",
    recurrence: weekly
      ? { days, from: text(values, "from"), to: text(values, "to"), time_zone: zone }
      : undefined,
    created_by: optional("created_by"),
  };
  const parsed = v.safeParse(NewSilenceSchema, body);
  if (parsed.success) return { silence: parsed.output };
  const [first] = describeIssues(NewSilenceSchema, parsed.issues);
  return { error: `${labelOf(first?.path ?? "")}: ${first?.message ?? "invalid"}.` };
}
