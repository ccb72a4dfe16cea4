/** Branch names as policies and silences match them, from `scm.branch` as Jenkins sends it. */

/**
 * `scm.branch` as a branch name, the form branch globs are written against:
 * - `refs/heads/main` → `main` and `refs/remotes/<any remote>/main` → `main` (full refs);
 * - `origin/main` → `main`: the Git plugin's GIT_BRANCH is `<remote>/<branch>`, and `origin` is its
 *   default remote name. No other first segment is stripped, because it cannot be told apart from a
 *   branch named with a slash (`feature/login`, a multibranch Pipeline's BRANCH_NAME, stays as it is);
 * - anything else as it is (`main`, `PR-42`, `refs/tags/v1`); null for no branch or a bare prefix.
 */
export function branchName(scmBranch: string | null): string | null {
  if (scmBranch === null) return null;
  const name = scmBranch.replace(/^(?:refs\/heads\/|refs\/remotes\/[^/]+\/|origin\/)/, "");
  return name === "" ? null : name;
}
