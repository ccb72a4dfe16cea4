/**
 * People: who you are and your role, your personal API tokens (create one, revoke one), and for an admin
 * the roles given in D1 and by ADMINS, with a form to give or take one. Token values appear only on the
 * page answering their creation (./token-created-page.tsx).
 */
import type { Principal } from "../../people/principal";
import type { RoleGrant } from "../../people/role-store";
import { ROLES } from "../../people/roles";
import { DEFAULT_EXPIRES_IN } from "../../people/schema";
import type { ApiToken } from "../../people/token-store";
import { ColumnHeads, Layout } from "../shell/layout";
import { Time } from "../shell/time";

const TOKEN_COLUMNS = {
  name: "Name",
  role: "Role",
  owner: "Created by",
  expires: "Expires",
  state: "State",
  actions: "",
} as const;
const GRANT_COLUMNS = { subject: "Who", role: "Role", by: "Given by", actions: "" } as const;

export interface PeoplePageProps {
  nonce: string;
  principal: Principal;
  tokens: ApiToken[];
  /** Null unless the reader is an admin. */
  grants: RoleGrant[] | null;
  admins: string[];
  formNonce: string;
  now: string;
  notice?: string;
  error?: string;
}

function tokenState(token: ApiToken, now: string): string {
  if (token.revoked_at) return "revoked";
  if (token.expires_at && token.expires_at <= now) return "expired";
  return "active";
}

export function PeoplePage(props: PeoplePageProps) {
  const { actor, role } = props.principal;
  const canCreate = actor.kind !== "token" && role !== null;
  return (
    <Layout title="People" nonce={props.nonce}>
      <h1>People</h1>
      <p>
        Signed in as <strong>{actor.name}</strong>
        {actor.kind === "admin-token" ? " with the admin token" : ""}, role <strong>{role ?? "none"}</strong>.
      </p>
      {props.notice && <p class="card notice">{props.notice}</p>}
      {props.error && (
        <p class="card error" role="alert">
          {props.error}
        </p>
      )}
      <h2>Personal API tokens</h2>
      <p class="muted">
        For scripts and CI: <code>Authorization: Bearer itoc_pat_…</code>. A token is shown once, never
        outranks you, and can be revoked at once.
      </p>
      {canCreate && (
        <form method="post" action="/people/tokens" class="card">
          <input type="hidden" name="form_nonce" value={props.formNonce} />
          <label>
            Name
            <input name="name" required maxlength={100} />
          </label>
          <label>
            Role
            <select name="role">
              {ROLES.slice(0, ROLES.indexOf(role ?? "viewer") + 1).map((r) => (
                <option value={r}>{r}</option>
              ))}
            </select>
          </label>
          <label>
            Expires in (<code>30d</code>, <code>12h</code>; 1 hour to 366 days)
            <input name="expires_in" value={DEFAULT_EXPIRES_IN} required maxlength={8} />
          </label>
          <p>
            <button type="submit">Create token</button>
          </p>
        </form>
      )}
      <table class="stack" id="tokens">
        <ColumnHeads columns={TOKEN_COLUMNS} />
        <tbody>
          {props.tokens.map((token) => (
            <tr>
              <td data-label={TOKEN_COLUMNS.name}>{token.name}</td>
              <td data-label={TOKEN_COLUMNS.role}>{token.role}</td>
              <td data-label={TOKEN_COLUMNS.owner}>{token.created_by}</td>
              <td data-label={TOKEN_COLUMNS.expires}>
                {token.expires_at ? <Time iso={token.expires_at} /> : "never"}
              </td>
              <td data-label={TOKEN_COLUMNS.state}>{tokenState(token, props.now)}</td>
              <td data-label="Actions">
                {tokenState(token, props.now) === "active" && (
                  <form method="post" action={`/people/tokens/${token.id}/revoke`}>
                    <button type="submit" class="secondary" aria-label={`Revoke token ${token.name}`}>
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.tokens.length === 0 && <p class="muted">No tokens yet.</p>}
      {props.grants && <Roles grants={props.grants} admins={props.admins} />}
    </Layout>
  );
}

function Roles(props: { grants: RoleGrant[]; admins: string[] }) {
  return (
    <>
      <h2>Roles</h2>
      <p class="muted">
        By email, Access service token (<code>&lt;client id&gt;.access</code>) or Access group (
        <code>group:&lt;name&gt;</code>). Admins by the ADMINS var, whatever is below:{" "}
        {props.admins.length > 0 ? props.admins.join(", ") : "none"}.
      </p>
      <form method="post" action="/people/roles" class="card">
        <label>
          Who
          <input name="subject" required maxlength={254} />
        </label>
        <label>
          Role
          <select name="role">
            {ROLES.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </label>
        <p>
          <button type="submit">Give role</button>
        </p>
      </form>
      <table class="stack" id="roles">
        <ColumnHeads columns={GRANT_COLUMNS} />
        <tbody>
          {props.grants.map((grant) => (
            <tr>
              <td data-label={GRANT_COLUMNS.subject}>{grant.subject}</td>
              <td data-label={GRANT_COLUMNS.role}>{grant.role}</td>
              <td data-label={GRANT_COLUMNS.by}>{grant.updated_by}</td>
              <td data-label="Actions">
                <form method="post" action="/people/roles/remove">
                  <input type="hidden" name="subject" value={grant.subject} />
                  <button type="submit" class="secondary" aria-label={`Take ${grant.subject}'s role away`}>
                    Remove
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.grants.length === 0 && <p class="muted">Nobody has a role in D1 yet.</p>}
    </>
  );
}
