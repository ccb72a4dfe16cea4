/**
 * Every API operation × every role: anonymous is 401, a role below the operation's is 403 (saying which
 * role it needs), the operation's role and above get through (whatever the operation then answers: a 400
 * for the empty body, a 404 for the made-up id). The operations come from the OpenAPI document, which
 * test/routes/openapi.test.ts holds to the routes; an operation missing from {@link NEEDS} fails here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../src/people/roles";
import { api, callWorker } from "../helpers";
import { bearer, JSON_HEADERS, tokenFor } from "./people-helpers";

/** The least role each operation needs, by operationId. */
const NEEDS: Record<string, Role> = {
  listAlerts: "viewer",
  getAlert: "viewer",
  listIncidents: "viewer",
  getIncident: "viewer",
  acknowledgeIncident: "responder",
  resolveIncident: "responder",
  sendNotificationAgain: "responder",
  createSilence: "responder",
  listSilences: "viewer",
  getSilence: "viewer",
  endSilence: "responder",
  listJobs: "viewer",
  listFlakyTests: "viewer",
  getJob: "viewer",
  getJobHistory: "viewer",
  getInsights: "viewer",
  setJobHeartbeat: "admin",
  learnJobHeartbeat: "admin",
  getStats: "viewer",
  listDeadLetters: "viewer",
  getDeadLetter: "viewer",
  discardDeadLetter: "admin",
  replayDeadLetter: "admin",
  createDestination: "admin",
  listDestinations: "viewer",
  reencryptDestinations: "admin",
  getDestination: "viewer",
  changeDestination: "admin",
  deleteDestination: "admin",
  testDestination: "admin",
  createSource: "admin",
  listSources: "viewer",
  getSource: "viewer",
  changeSource: "admin",
  revokeSource: "admin",
  rotateSource: "admin",
  listPeople: "admin",
  getPerson: "admin",
  putPerson: "admin",
  deletePerson: "admin",
  createToken: "viewer",
  listTokens: "viewer",
  revokeToken: "viewer",
  getOpenApiDocument: "viewer",
  listAudit: "admin",
};

/** Made-up values for path parameters: well formed, naming nothing. */
const PARAMS: Record<string, string> = {
  id: "999999",
  notification: "999999",
  subject: "nobody@example.com",
};
const UUID_PATHS = ["/api/sources/{id}", "/api/sources/{id}/rotate", "/api/tokens/{id}"];

interface Operation {
  path: string;
  method: string;
  operationId: string;
}

function concretePath({ path }: Operation): string {
  const uuid = "00000000-0000-4000-8000-000000000000";
  return path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === "id" && UUID_PATHS.includes(path) ? uuid : (PARAMS[name] ?? "x"),
  );
}

function call(op: Operation, headers: Record<string, string>) {
  const write = op.method !== "get";
  return callWorker(concretePath(op), {
    method: op.method.toUpperCase(),
    headers: { ...headers, ...(write ? JSON_HEADERS : {}) },
    body: write ? "{}" : undefined,
  });
}

let operations: Operation[] = [];
const tokens = new Map<Role, string>();

beforeAll(async () => {
  const doc = (await (await api("/api/openapi.json")).json()) as {
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, { operationId }]) => ({ path, method, operationId })),
  );
  for (const role of ROLES) tokens.set(role, (await tokenFor(role)).value);
});

describe("the API's role table", () => {
  it("names the least role of every operation in the document", () => {
    expect(operations.map((op) => op.operationId).filter((id) => !(id in NEEDS))).toEqual([]);
    expect(Object.keys(NEEDS).filter((id) => !operations.some((op) => op.operationId === id))).toEqual([]);
  });

  it("answers 401 to anonymous callers of every operation", async () => {
    for (const op of operations) expect((await call(op, {})).status, op.operationId).toBe(401);
  });

  it.each(ROLES)("lets a %s through exactly where its role reaches", async (role) => {
    const rank = ROLES.indexOf(role);
    for (const op of operations) {
      const needed = NEEDS[op.operationId] as Role;
      const res = await call(op, bearer(tokens.get(role) ?? ""));
      if (rank >= ROLES.indexOf(needed)) {
        expect([401, 403], `${role} ${op.operationId}: ${res.status}`).not.toContain(res.status);
      } else {
        expect(res.status, `${role} ${op.operationId}`).toBe(403);
        const problem = (await res.json()) as { detail: string };
        expect(problem.detail).toContain(`Your role (${role}) cannot do this: it needs ${needed}.`);
      }
    }
  });
});
