/** GET /healthz: the Worker is up. It touches no binding, so it stays cheap to poll. */
import { Hono } from "hono";
import type { AppEnv } from "../platform/env";

export const health = new Hono<AppEnv>();

health.get("/", (c) => c.json({ status: "ok" }));
