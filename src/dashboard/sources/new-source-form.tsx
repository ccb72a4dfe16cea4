/** The sources page's form to add a Jenkins (admins only: {@link SourcesPage} shows it to them alone). */
import { MAX_SOURCE_NAME_LENGTH } from "../../sources/model";

export function NewSourceForm({ formNonce, error }: { formNonce: string; error?: string }) {
  return (
    <div class="card">
      <h2>Add a Jenkins</h2>
      <form class="filters" method="post" action="/sources">
        <input type="hidden" name="form_nonce" value={formNonce} />
        <label>
          Name
          <input
            type="text"
            name="name"
            required
            maxlength={MAX_SOURCE_NAME_LENGTH}
            placeholder="Jenkins (ci.example.com)"
          />
        </label>
        <label>
          <span>
            <input type="checkbox" name="quiet_lifecycle" value="true" /> Quiet lifecycle
          </span>
          <small>only failures open alerts</small>
        </label>
        <button type="submit">Create source</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
