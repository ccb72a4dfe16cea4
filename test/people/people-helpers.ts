/** Personal tokens of each role, made through the API with the admin token, for tests that act as someone. */
import { ROLES, type Role } from "../../src/people/roles";
import { api } from "../helpers";

export const JSON_HEADERS = { "Content-Type": "application/json" };

/** A new personal token of `role` (created by the admin token), and its id. */
export async function tokenFor(role: Role, name = `${role} token`): Promise<{ id: string; value: string }> {
  const res = await api("/api/tokens", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ name, role }),
  });
  if (res.status !== 201) throw new Error(`token not created: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string; token: string };
  return { id: body.id, value: body.token };
}

export const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });

/** One person of each role, given it through the API: `<role>-of-the-<label>@example.com`. */
export async function peopleOfEachRole(label: string): Promise<(role: Role) => string> {
  const person = (role: Role) => `${role}-of-the-${label}@example.com`;
  for (const role of ROLES) {
    const res = await api(`/api/people/${person(role)}`, {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ role }),
    });
    if (res.status !== 200) throw new Error(`role not given: ${res.status} ${await res.text()}`);
  }
  return person;
}
