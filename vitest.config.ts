import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";
import "./fixtures/slack-api.ts";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

/**
 * Instants the clock-dependent tests also run at (test/clock-setup.ts), so that a rule about days, weeks or
 * time zones that holds only on some days fails on every day: a weekday noon UTC, Sunday 22:30 in Berlin
 * (the weekly silence window "Mon/Sun 22:00–06:00" is open), and the night Berlin springs forward (02:00
 * CET does not exist; a silence created then spans the jump).
 */
const INSTANTS = [
  { name: "weekday-noon", at: "2027-01-13T12:00:00Z" },
  { name: "sunday-night-berlin", at: "2027-01-17T21:30:00Z" },
  { name: "dst-night-berlin", at: "2027-03-28T00:30:00Z" },
];

/** How long a queue consumer waits for a batch to fill in the tests (wrangler.toml: 1 s), in seconds. */
const QUEUE_BATCH_WAIT_S = 0.1;

/**
 * The pure rules (parsing, classifying, globs, policies, silences' windows, plans…): test files named
 * `*.unit.test.ts`, anywhere under test/. They import no `cloudflare:*` module, so they run in Node, in
 * seconds, without workerd (`npm run test:unit`); `npm test` runs them once, in the "unit" project.
 */
const UNIT_TESTS = "test/**/*.unit.test.ts";

/**
 * The tests that build times from the clock: run again under each of {@link INSTANTS}, except what they
 * tag "any-day".
 */
const TIME_DEPENDENT = [
  "test/routes/api-answers.test.ts",
  "test/silences/silences-api.test.ts",
  "test/dashboard/silences/silences.test.ts",
  "test/incidents/incidents.test.ts",
  "test/notify/notification-order.test.ts",
  "test/notify/notifications.test.ts",
  "test/heartbeats/heartbeat-cron.test.ts",
  "test/heartbeats/heartbeats.test.ts",
  "test/alerts/recoveries.test.ts",
  "test/operations/retention.test.ts",
  "test/sources/rotation.test.ts",
  "test/dashboard/shell/security.test.ts",
  "test/dashboard/sources/source-form.test.ts",
  "test/dashboard/shell/times.test.ts",
];

export default defineConfig(async () => {
  // The real migrations, applied by test/apply-migrations.ts: tests never carry a schema of their own.
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  // The placeholder a newcomer copies into .dev.vars, which the Worker must refuse as ADMIN_TOKEN.
  const devVarsExample = readFileSync(path.join(import.meta.dirname, ".dev.vars.example"), "utf8");
  const exampleAdminToken = /^ADMIN_TOKEN=(.*)$/m.exec(devVarsExample)?.[1] ?? "";
  const exampleDestinationsKey = /^DESTINATIONS_KEY=(.*)$/m.exec(devVarsExample)?.[1] ?? "";
  // wrangler.toml's queue consumers as Miniflare reads them, each waiting at most QUEUE_BATCH_WAIT_S for a
  // batch to fill instead of a second: every hop of a delivery (events, then notifications) waited that
  // second in the tests. Sizes, retries and dead-letter queues stay wrangler.toml's.
  const { queueConsumers = {} } = unstable_getMiniflareWorkerOptions("./wrangler.toml").workerOptions;
  const testQueueConsumers = Object.fromEntries(
    Object.entries(queueConsumers).map(([queue, consumer]) => [
      queue,
      { ...consumer, maxBatchTimeout: QUEUE_BATCH_WAIT_S },
    ]),
  );
  function workersProject(instant?: (typeof INSTANTS)[number]) {
    return {
      plugins: [
        // A function, to read what globalSetup started (the Slack Web API stand-in's port).
        cloudflareTest(({ inject }) => ({
          wrangler: { configPath: "./wrangler.toml" },
          miniflare: {
            bindings: {
              TEST_MIGRATIONS: migrations,
              // At least 32 characters: the Worker refuses weaker admin tokens.
              ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
              EXAMPLE_ADMIN_TOKEN: exampleAdminToken,
              // One AES-256 key (32 bytes, base64), id k1: what DESTINATIONS_KEY holds.
              DESTINATIONS_KEY: "k1:dGVzdC1kZXN0aW5hdGlvbnMta2V5LTAxMjM0NTY3ODk=",
              EXAMPLE_DESTINATIONS_KEY: exampleDestinationsKey,
              // Loopback receivers over plain http (scripts/lib/receivers-setup.ts): allowed in tests
              // (docs/notifications.md "ALLOW_PRIVATE_DESTINATIONS"); the tests of the refusals set
              // "false" themselves.
              ALLOW_PRIVATE_DESTINATIONS: "true",
              // Seconds, not hours: the tests watch a whole retry schedule.
              NOTIFY_RETRY_SCHEDULE: "1s,1s,1s",
              // Slack app destinations post to the stand-in for Slack's Web API (scripts/lib/slack-api-server.ts).
              SLACK_API_BASE: `${inject("slackApi")}/api`,
              // The instant the clock starts at (test/clock-setup.ts); the real one when unset.
              ...(instant && { TEST_NOW: instant.at }),
            },
            queueConsumers: testQueueConsumers,
            // A database of its own for the migration test, which starts from an older schema.
            d1Databases: { MIGRATION_DB: "migration-test" },
            // Real limiters with tiny budgets, swapped in by the rate-limit tests.
            ratelimits: {
              TIGHT_RATE_LIMITER: { namespace_id: "9999", simple: { limit: 3, period: 60 } },
              TIGHT_CEILING_LIMITER: { namespace_id: "9998", simple: { limit: 3, period: 60 } },
            },
          },
        })),
      ],
      test: {
        name: instant ? `workers@${instant.name}` : "workers",
        setupFiles: ["./test/apply-migrations.ts", "./test/clock-setup.ts"],
        // Notification receivers on loopback, run by Node (scripts/lib/receivers-setup.ts).
        globalSetup: ["./scripts/lib/receivers-setup.ts"],
        // Some tests wait for the queue consumer (batches of up to a second) on a shared machine.
        testTimeout: 30_000,
        // In a clock-dependent file, a describe or test that builds no time from the clock says so with this
        // tag: the instants skip it, as it would pass or fail the same on any day.
        tags: [
          { name: "any-day", description: "builds no time from the clock", skip: instant !== undefined },
        ],
        include: instant ? TIME_DEPENDENT : ["test/**/*.test.ts"],
        exclude: [...configDefaults.exclude, UNIT_TESTS],
      },
    };
  }
  return {
    test: {
      // Vitest's own default (one worker a core, less one) gives a 2-core machine a single worker: one test
      // file at a time, each waiting on queues and receivers. Two overlap those waits; three did not help
      // there, as starting a workerd per file is CPU-bound (docs/performance.md "The test suite").
      maxWorkers: Math.max(2, availableParallelism() - 1),
      projects: [
        // Behaviour tests, inside workerd: the whole suite on the real clock, and the tests that build times
        // from "now" again at fixed instants.
        workersProject(),
        ...INSTANTS.map(workersProject),
        {
          // The pure rules in Node: no workerd, no bindings. Pinned to UTC, the only zone workerd has.
          test: {
            name: "unit",
            environment: "node",
            include: [UNIT_TESTS],
            env: { TZ: "UTC" },
          },
        },
        {
          // End to end against `wrangler dev`: the dashboard in a real browser (Debian's Chromium), and
          // the README tour (its examples and the guides' in docs/).
          test: {
            name: "browser",
            environment: "node",
            include: ["e2e/**/*.test.ts"],
            // One `wrangler dev` and one Chromium for all the files (e2e/harness.ts): starting them is
            // most of what a browser test file costs.
            globalSetup: ["./e2e/world-setup.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // No `fileParallelism: false`: Vitest would run these files alone, after every other project;
            // side by side with them, the browser's waits overlap the workerd files' (docs/performance.md
            // "The test suite"). Each file keeps to its own source and jobs in the shared world.
          },
        },
        {
          // The scripts in Node: the Node.js preflight, command lines and usage, the dev banner.
          test: {
            name: "tools",
            environment: "node",
            include: ["scripts/**/*.test.ts"],
            // Each test starts Node processes; bench and soak load Miniflare even for --help.
            testTimeout: 30_000,
          },
        },
      ],
    },
  };
});
