/** The browser project's globalSetup: the world every browser test file shares ({@link setupSharedWorld}). */
export { setupSharedWorld as default } from "./harness.ts";
