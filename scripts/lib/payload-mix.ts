/**
 * A realistic stream of plugin deliveries for the benchmark: many jobs (plain, in folders,
 * multibranch), builds in flight interleaved, the four phases of each in order, mostly green with
 * some failures carrying test summaries, and 5 % exact duplicates (plugin retries).
 */
import { buildPayload } from "../../fixtures/payloads.ts";
import { random } from "../../fixtures/random.ts";

const JOBS = [
  "payments-api",
  "checkout",
  "acme/web-shop/main",
  "acme/web-shop/feature%2Flogin",
  "acme/web-shop/PR-1287",
  "platform/infra/terraform-plan",
  "mobile/ios/release%2F4.2",
  "data/nightly-etl",
];
const IN_FLIGHT = 64;

interface Build {
  job: string;
  number: number;
  phase: number;
  status: string;
}

export class PayloadMix {
  #rand: (() => number) | undefined;
  #builds: Build[] = [];
  #recent: string[] = [];
  #nextNumber = new Map<string, number>();

  constructor(seed = 42) {
    this.#rand = random(seed);
  }

  /** The next body to send. */
  next(): string {
    const rand = this.#rand as () => number;
    if (this.#recent.length > 0 && rand() < 0.05) {
      return this.#recent[Math.floor(rand() * this.#recent.length)] as string;
    }
    while (this.#builds.length < IN_FLIGHT) this.#builds.push(this.#newBuild(rand));
    const index = Math.floor(rand() * this.#builds.length);
    const build = this.#builds[index] as Build;
    const body = this.#body(build);
    build.phase += 1;
    if (build.phase === 4) this.#builds.splice(index, 1);
    this.#recent.push(body);
    if (this.#recent.length > 256) this.#recent.shift();
    return body;
  }

  #newBuild(rand: () => number): Build {
    const job = JOBS[Math.floor(rand() * JOBS.length)] as string;
    const number = (this.#nextNumber.get(job) ?? 1000) + 1;
    this.#nextNumber.set(job, number);
    const roll = rand();
    const status = roll < 0.8 ? "SUCCESS" : roll < 0.92 ? "FAILURE" : roll < 0.97 ? "UNSTABLE" : "ABORTED";
    return { job, number, phase: 0, status };
  }

  #body(build: Build): string {
    const phase = ["QUEUED", "STARTED", "COMPLETED", "FINALIZED"][build.phase] as string;
    const finished = build.phase >= 2;
    const failedTests = build.status === "FAILURE" || build.status === "UNSTABLE";
    return JSON.stringify(
      buildPayload({
        job: build.job,
        number: build.number,
        phase,
        status: finished ? build.status : undefined,
        timestamp: 1_764_000_000_000 + build.number * 600_000 + build.phase * 1000,
        extra: {
          duration: finished ? 184_000 : 0,
          scm: {
            url: "https://git.example.com/acme/payments.git",
            ...(finished
              ? { branch: "origin/main", commit: "4f1c2a9e0b7d3c6a5e8f9a0b1c2d3e4f5a6b7c8d" }
              : {}),
            changes: finished ? ["src/pay.ts", "src/refund.ts"] : [],
            culprits: finished ? ["alice", "bob"] : [],
          },
          parameters: { DEPLOY_ENV: "staging", DRY_RUN: "false" },
          notes: "",
          ...(finished && failedTests
            ? {
                test_summary: {
                  total: 1412,
                  failed: 3,
                  passed: 1401,
                  skipped: 8,
                  failed_tests: [
                    "com.acme.pay.RefundTest.refundsPartialCapture",
                    "com.acme.pay.RefundTest.rejectsDoubleRefund",
                    "com.acme.pay.LedgerTest.balancesAfterChargeback",
                  ],
                },
              }
            : {}),
        },
      }),
    );
  }
}
