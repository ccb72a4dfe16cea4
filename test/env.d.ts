declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TIGHT_RATE_LIMITER: RateLimit;
    MIGRATION_DB: D1Database;
    TIGHT_CEILING_LIMITER: RateLimit;
    /** ADMIN_TOKEN as shipped in .dev.vars.example (read by vitest.config.ts). */
    EXAMPLE_ADMIN_TOKEN: string;
    /** DESTINATIONS_KEY as shipped in .dev.vars.example (read by vitest.config.ts). */
    EXAMPLE_DESTINATIONS_KEY: string;
    /** The instant the clock starts at (test/clock-setup.ts), in the projects that fix one; else unset. */
    TEST_NOW?: string;
  }
}
