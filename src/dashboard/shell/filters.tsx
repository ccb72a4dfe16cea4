/**
 * The list pages' filters (alerts, incidents): the form's fields, the job search behind the Job field,
 * and what an empty page says, naming the filters that matched nothing.
 */
import { findJobs, type JobRef } from "../../jobs/search";

/**
 * Jobs a search may match. The listing then looks its rows up job by job, so the bound keeps one
 * page's cost bounded; the page says when it was reached.
 */
export const JOB_MATCHES_SHOWN = 200;

/** A job search: what was typed, the jobs whose displayed path contains it, and whether there were more. */
export interface JobSearch {
  text: string;
  jobs: JobRef[];
  more: boolean;
}

/** The jobs matching `text` (no search without text). */
export async function searchJobs(db: D1Database, text: string | undefined): Promise<JobSearch | undefined> {
  if (!text) return undefined;
  const found = await findJobs(db, text, JOB_MATCHES_SHOWN + 1);
  return { text, jobs: found.slice(0, JOB_MATCHES_SHOWN), more: found.length > JOB_MATCHES_SHOWN };
}

/** The query without its empty fields (the filter form sends "Any" as an empty value). */
export const given = (query: Record<string, string>) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value));

/** The filters as a query string (unset ones left out). */
export const queryOf = (filters: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => !!entry[1]));

export function Select(props: { name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">Any</option>
        {props.options.map(([value, text]) => (
          <option value={value} selected={props.value === value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function JobField({ value }: { value?: string }) {
  return (
    <label>
      Job path contains
      <input type="search" name="job" value={value ?? ""} placeholder="acme/web-shop/feature/login" />
    </label>
  );
}

/** "The search matched more than 200 jobs…", when it did. */
export function JobMatchesNote({ search, noun }: { search?: JobSearch; noun: string }) {
  if (!search?.more) return null;
  return (
    <p class="muted" id="job-matches">
      More than {JOB_MATCHES_SHOWN} jobs have a path containing “{search.text}”: showing the {noun} of the{" "}
      {JOB_MATCHES_SHOWN} newest. Type more of the path to narrow it.
    </p>
  );
}

/** What each filter reads as in a sentence ("in state open"), in the sentence's order. */
export type FilterPhrases = Record<string, (value: string) => string>;

/**
 * "No alerts for job “x” in state open from source “CI”.": which filters matched nothing; or that no
 * job's path contains the search at all.
 */
export function nothingMatched(
  noun: string,
  filters: Record<string, string | undefined>,
  phrases: FilterPhrases,
  search?: JobSearch,
): string {
  if (search && search.jobs.length === 0) return `No job path contains “${search.text}”.`;
  const parts = Object.entries(phrases).flatMap(([name, phrase]) => {
    const value = filters[name];
    return value ? [phrase(value)] : [];
  });
  return `No ${noun}${parts.map((part) => ` ${part}`).join("")}.`;
}
