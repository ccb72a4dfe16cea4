/**
 * Runs the Worker (and the test) at the instant vitest.config.ts names in TEST_NOW, when it names one: the
 * tests that build times from "now" run under a weekday noon, Sunday night in Berlin and a DST change that
 * way, whatever day the suite runs on. The tests and the Worker share one module graph inside workerd, so
 * {@link setClock} here moves the clock the Worker reads.
 */
import { env } from "cloudflare:workers";
import { setClock } from "../src/platform/clock";

if (env.TEST_NOW) setClock(new Date(env.TEST_NOW));
