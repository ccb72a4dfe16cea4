/**
 * axe-core, the accessibility engine, run inside a dashboard page. It is evaluated through the
 * DevTools protocol rather than added as a `<script>`: the pages' CSP admits only their own nonce'd
 * script, and the check must not need the CSP relaxed.
 */
import axe from "axe-core";
import type { Page } from "playwright-core";

/** The critical and serious violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] }),
  );
  return results.violations
    .filter((violation) => violation.impact === "critical" || violation.impact === "serious")
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}) at ${node.target.join(" ")}: ${node.failureSummary ?? ""}`,
      ),
    );
}
