/**
 * Showing each role only the controls it may use: whether the reader's role reaches the least role a
 * control's route checks ({@link pageFor}), and the short line shown in place of a hidden control. The
 * server refuses regardless; hiding only spares a reader a button that answers the 403 page.
 */
import type { Context } from "hono";
import { isAtLeast, type Role } from "../../people/roles";
import type { DashboardEnv } from "./page-context";

/** Whether the signed-in reader's role reaches `needed` (false before anyone is signed in). */
export const may = (c: Context<DashboardEnv>, needed: Role): boolean =>
  isAtLeast(c.get("principal")?.role ?? null, needed);

/** In place of a hidden control: "Creating sources needs the admin role." */
export function NeedsRole({ doing, needs }: { doing: string; needs: Role }) {
  return <p class="muted needs-role">{`${doing} needs the ${needs} role.`}</p>;
}
