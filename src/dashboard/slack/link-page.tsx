/**
 * The Slack page ({@link slackLinkPages}): confirming that the Slack user a one-time link names is the
 * signed-in person, and the Slack users already linked to them, each with an Unlink button.
 */
import type { SlackUser } from "../../slack/store";
import { Layout } from "../shell/layout";

export interface SlackLinkPageProps {
  nonce: string;
  code: string;
  /** The Slack user the code would link, or null (no code, or one used, expired or unknown). */
  user: SlackUser | null;
  links: (SlackUser & { linkedAt: string })[];
  notice?: string;
  error?: string;
}

export function SlackLinkPage(props: SlackLinkPageProps) {
  const { user } = props;
  return (
    <Layout title="Slack" nonce={props.nonce}>
      <div class="card narrow">
        <h1>Slack</h1>
        {props.notice && <p class="notice">{props.notice}</p>}
        {props.error && <p class="error">{props.error}</p>}
        {user && (
          <form method="post" action="/slack/link">
            <p>
              Slack user <strong>{user.userName}</strong> in <strong>{user.teamName || user.teamId}</strong>{" "}
              is me.
            </p>
            <input type="hidden" name="code" value={props.code} />
            <button type="submit">Link this Slack user to me</button>
          </form>
        )}
        <h2>Your Slack users</h2>
        {props.links.length === 0 && <p>None: press a button on an incident in Slack to link yours.</p>}
        <ul>
          {props.links.map((link) => (
            <li>
              {link.userName} in {link.teamName || link.teamId}
              <form method="post" action="/slack/unlink" class="inline">
                <input type="hidden" name="team" value={link.teamId} />
                <input type="hidden" name="user" value={link.userId} />
                <button type="submit">Unlink</button>
              </form>
            </li>
          ))}
        </ul>
      </div>
    </Layout>
  );
}
