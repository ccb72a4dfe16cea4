import { describe, expect, it } from "vitest";
import { classify, PHASE_RANK } from "../../src/core/classify";
import { PHASES, PRIORITY_BY_STATUS, STATUSES } from "../../src/core/vocabulary";

describe("the priority table", () => {
  it("is the product's: FAILURE → HIGH; UNSTABLE, ABORTED, NOT_BUILT → MEDIUM; SUCCESS → LOW", () => {
    expect(PRIORITY_BY_STATUS).toEqual({
      FAILURE: "HIGH",
      UNSTABLE: "MEDIUM",
      ABORTED: "MEDIUM",
      NOT_BUILT: "MEDIUM",
      SUCCESS: "LOW",
    });
  });
});

describe("classify", () => {
  for (const phase of PHASES) {
    for (const status of [...STATUSES, undefined]) {
      const resolves = phase === "FINALIZED" && status === "SUCCESS";
      it(`${phase} with ${status ?? "no status"} is ${resolves ? "RESOLVE" : "ALERT"}`, () => {
        expect(classify(phase, status)).toEqual({
          kind: resolves ? "RESOLVE" : "ALERT",
          priority: status ? PRIORITY_BY_STATUS[status] : "LOW",
        });
      });
    }
  }

  it("never resolves a FINALIZED build without a status", () => {
    expect(classify("FINALIZED", undefined)).toEqual({ kind: "ALERT", priority: "LOW" });
  });
});

describe("phase order", () => {
  it("runs QUEUED < STARTED < COMPLETED < FINALIZED, with NONE below them all", () => {
    const order = [...PHASES].sort((a, b) => PHASE_RANK[a] - PHASE_RANK[b]);
    expect(order).toEqual(["NONE", "QUEUED", "STARTED", "COMPLETED", "FINALIZED"]);
  });
});
