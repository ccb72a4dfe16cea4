/** The words and minutes an incident names its deploys with (src/incidents/deploys-before.ts), as plain functions. */
import { describe, expect, it } from "vitest";
import type { Deploy } from "../../src/alerts/deploys";
import {
  DEPLOY_WINDOW_MS,
  deployBefore,
  deployWords,
  windowBefore,
} from "../../src/incidents/deploys-before";
import { factsOf } from "../../src/notify/content";
import { testContent } from "../../src/notify/test-content";
import { webhookPayload } from "../../src/notify/webhook/message";

const OPENED = "2027-02-10T09:00:30.000Z";
const deploy = (finishedAt: string, build = 212): Deploy => ({
  alert_id: 7,
  job: "acme/deploy-web",
  job_path: "acme/deploy-web",
  build_number: build,
  finished_at: finishedAt,
});

describe("deploy words", () => {
  it.each([
    ["2027-02-10T08:56:00.000Z", 4, "acme/deploy-web #212 finished 4 min before"],
    ["2027-02-10T08:56:30.001Z", 3, "acme/deploy-web #212 finished 3 min before"],
    ["2027-02-10T09:00:00.000Z", 0, "acme/deploy-web #212 finished less than a minute before"],
    ["2027-02-10T09:00:30.000Z", 0, "acme/deploy-web #212 finished less than a minute before"],
    ["2027-02-10T08:00:30.000Z", 60, "acme/deploy-web #212 finished 60 min before"],
  ])("a deploy finished at %s is %i whole minutes before: %s", (finishedAt, minutes, words) => {
    const named = deployBefore(deploy(finishedAt), OPENED);
    expect(named.minutes_before).toBe(minutes);
    expect(deployWords(named)).toBe(words);
  });

  it("names the job's path as displayed (a multibranch job's decoded branch)", () => {
    const named = deployBefore(
      {
        ...deploy("2027-02-10T08:50:30.000Z"),
        job: "acme/deploy/feature%2Fx",
        job_path: "acme/deploy/feature/x",
      },
      OPENED,
    );
    expect(deployWords(named)).toBe("acme/deploy/feature/x #212 finished 10 min before");
  });

  it("looks back one hour, its ends included", () => {
    expect(DEPLOY_WINDOW_MS).toBe(3_600_000);
    expect(windowBefore(OPENED)).toEqual({ from: "2027-02-10T08:00:30.000Z", to: OPENED });
  });
});

describe("deploys in notifications", () => {
  const content = testContent("https://itoc.example.com", new Date(OPENED));
  const named = [deploy("2027-02-10T08:56:00.000Z"), deploy("2027-02-10T08:30:00.000Z", 211)].map((d) =>
    deployBefore(d, OPENED),
  );

  it("one fact for every receiver, newest first, left out when there are none", () => {
    const facts = factsOf({ ...content, deploysBefore: named });
    expect(facts).toContainEqual([
      "Deploys before",
      "acme/deploy-web #212 finished 4 min before; acme/deploy-web #211 finished 30 min before",
    ]);
    expect(factsOf(content).map(([label]) => label)).not.toContain("Deploys before");
  });

  it("a structured field in the webhook's JSON, as the API answers it", () => {
    expect(webhookPayload({ ...content, deploysBefore: named }).deploys_before).toEqual([
      { ...deploy("2027-02-10T08:56:00.000Z"), minutes_before: 4 },
      { ...deploy("2027-02-10T08:30:00.000Z", 211), minutes_before: 30 },
    ]);
    expect(webhookPayload(content).deploys_before).toEqual([]);
  });
});
