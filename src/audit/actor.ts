/**
 * Who did something, as the audit log and an incident's timeline name them. Set on every authenticated
 * request (src/people's authentication) and passed down to the action, which records it with the change.
 */

/**
 * - `person`: a person signed in through Cloudflare Access (`name` is the verified email).
 * - `service`: an Access service token (`name` is its common name): an automation identity.
 * - `token`: a personal API token (`name` is `<token name> (<creator>)`).
 * - `admin-token`: the ADMIN_TOKEN, by API or through the dashboard's sign-in (`name` is "admin token", or
 *   the label typed at sign-in after it, which proves nothing).
 * - `system`: the Worker itself (the cron's retention, a 410 disabling a destination).
 */
export const ACTOR_KINDS = ["person", "service", "token", "admin-token", "system"] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface Actor {
  kind: ActorKind;
  /** The verified identity (an email, a common name, a token's name); never a secret. */
  name: string;
  /** The client's address as Cloudflare saw it (`CF-Connecting-IP`); null where there is none. */
  ip: string | null;
  /** Where a person acted from when not the dashboard or the API: `slack` for a linked Slack user's button. */
  via?: "slack";
}

/** The name the admin token's actor carries when no label was given. */
export const ADMIN_TOKEN_ACTOR = "admin token";

/** The Worker acting on its own. */
export const SYSTEM: Actor = { kind: "system", name: "system", ip: null };

/** How a timeline entry or a page names the actor: verified names as they are, the admin token as such. */
export function actorLabel(actor: Pick<Actor, "kind" | "name" | "via">): string {
  if (actor.via === "slack") return `${actor.name} via Slack`;
  if (actor.kind !== "admin-token" || actor.name === ADMIN_TOKEN_ACTOR) return actor.name;
  return `${actor.name} (admin token)`;
}
