/** The dashboard's job pages: every job by urgency, and one job with its history. */
import { Hono } from "hono";
import { jobHistory } from "../../incidents/job-history";
import { jobsByUrgency } from "../../jobs/store";
import { notFoundPage } from "../shell/not-found";
import { type DashboardEnv, nonce, signedInPage } from "../shell/page-context";
import { JobPage } from "./job-page";
import { JobsPage } from "./jobs-page";

export const jobPages = new Hono<DashboardEnv>();

jobPages.get("/jobs", signedInPage, async (c) =>
  c.html(<JobsPage nonce={nonce(c)} jobs={await jobsByUrgency(c.env.DB, 200)} />),
);

jobPages.get("/jobs/:id{[0-9]{1,15}}", signedInPage, async (c) => {
  const history = await jobHistory(c.env.DB, Number(c.req.param("id")));
  if (!history) return notFoundPage(c, true);
  return c.html(<JobPage nonce={nonce(c)} history={history} />);
});
