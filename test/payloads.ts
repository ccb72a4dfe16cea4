/**
 * Plugin payload builders, pure (no Workers imports) so Node scripts (the soak, the benchmark) can
 * use them as well as the tests.
 */

export const JSON_TYPE = "application/json;charset=UTF-8"; // exactly what the plugin sends

export interface BuildSpec {
  /** Jenkins full name: item names joined by `/` (a multibranch branch is `feature%2Fx`). */
  job?: string;
  number?: number;
  phase?: string;
  status?: string;
  timestamp?: number;
  displayName?: string;
  extra?: Record<string, unknown>;
}

/** `acme/web-shop` → `job/acme/job/web-shop/`, each item name raw-encoded as Jenkins does. */
export function jobPath(fullName: string): string {
  return fullName
    .split("/")
    .map((item) => `job/${encodeURIComponent(item)}/`)
    .join("");
}

/** A payload in the plugin's field order; `status` only when given, as Gson omits nulls. */
export function notification(spec: BuildSpec = {}): Record<string, unknown> {
  const job = spec.job ?? "payments-api";
  const number = spec.number ?? 129;
  const phase = spec.phase ?? "STARTED";
  const leaf = job.split("/").at(-1) ?? job;
  return {
    name: leaf,
    display_name: spec.displayName ?? decodeURIComponent(leaf),
    url: jobPath(job),
    build: {
      full_url: `https://ci.example.com/${jobPath(job)}${number}/`,
      number,
      queue_id: 4242,
      timestamp: spec.timestamp ?? 1_764_000_000_000 + number * 1000,
      duration: 0,
      phase,
      ...(spec.status ? { status: spec.status } : {}),
      url: `${jobPath(job)}${number}/`,
      scm: { url: "https://git.example.com/acme/payments.git", changes: [], culprits: [] },
      artifacts: {},
      ...spec.extra,
    },
  };
}

export const XML_TYPE = "application/xml;charset=UTF-8"; // exactly what the plugin sends for XML

/**
 * The body as the plugin's Gson writes it: compact, field order as given, HTML-safe escaping
 * (`<` `>` `&` `=` `'` as \u003c … ) and U+2028/U+2029 escaped.
 */
export function toPluginJson(document: unknown): string {
  return JSON.stringify(document).replace(
    /[<>&='\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const LISTS = new Set(["changes", "culprits", "failed_tests"]);
const camel = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** XStream's escaping, quirks mode included: control characters become (illegal) references. */
function escapeXml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (char) => {
    const named: Record<string, string> = {
      "&": "&amp;",
      "<": "&lt;",
      ">": "&gt;",
      '"': "&quot;",
      "'": "&apos;",
    };
    return named[char] ?? `&#x${char.charCodeAt(0).toString(16)};`;
  });
}

/**
 * The body as the plugin's XStream writes it (format reference §5): root <job>, camelCase elements,
 * lists as <string> children, maps as <entry> pairs, two-space indentation, no declaration.
 */
export function toPluginXml(document: Record<string, unknown>): string {
  const lines: string[] = [];
  const write = (key: string, value: unknown, depth: number) => {
    const pad = "  ".repeat(depth);
    const name = camel(key);
    if (value === undefined || value === null) return;
    if (Array.isArray(value) || LISTS.has(key)) {
      const items = value as unknown[];
      if (items.length === 0) return void lines.push(`${pad}<${name}/>`);
      lines.push(`${pad}<${name}>`);
      for (const item of items) lines.push(`${pad}  <string>${escapeXml(String(item))}</string>`);
      lines.push(`${pad}</${name}>`);
    } else if (typeof value === "object" && (key === "parameters" || key === "artifacts" || key === "map")) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) return void lines.push(`${pad}<${name}/>`);
      lines.push(`${pad}<${name}>`);
      for (const [k, v] of entries) {
        lines.push(`${pad}  <entry>`, `${pad}    <string>${escapeXml(k)}</string>`);
        if (typeof v === "object" && v !== null) write("map", v, depth + 2);
        else lines.push(`${pad}    <string>${escapeXml(String(v))}</string>`);
        lines.push(`${pad}  </entry>`);
      }
      lines.push(`${pad}</${name}>`);
    } else if (typeof value === "object") {
      lines.push(`${pad}<${name}>`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) write(k, v, depth + 1);
      lines.push(`${pad}</${name}>`);
    } else {
      lines.push(`${pad}<${name}>${escapeXml(String(value))}</${name}>`);
    }
  };
  lines.push("<job>");
  for (const [key, value] of Object.entries(document)) write(key, value, 1);
  lines.push("</job>");
  return lines.join("\n");
}
