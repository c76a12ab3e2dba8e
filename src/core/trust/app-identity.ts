/**
 * Which GitHub objects our own app wrote. Every check run carries the app that created it
 * (`app.id`): only ours count, never a run merely named `trainyard / …` (a workflow with
 * `checks: write` can post one). A comment counts when GitHub says it was performed via our app
 * (`performed_via_github_app.id`), or, where GitHub leaves that empty, when its author is our
 * app's bot account (`<slug>[bot]`, a login GitHub reserves to the app) and no other app wrote
 * it. Markers inside are verified on top (signed-marker.ts). Pure.
 */

export interface AppIdentity {
  /** The GitHub App's id (from `GET /app`). */
  appId: number;
  /** Its bot account, `<slug>[bot]`. */
  login: string;
}

export interface AppRef {
  id: number;
}

export interface CommentAuthorship {
  user?: { login: string; type?: string } | null;
  performed_via_github_app?: AppRef | null;
}

export function isOwnComment(comment: CommentAuthorship, us: AppIdentity): boolean {
  const via = comment.performed_via_github_app;
  if (via) return via.id === us.appId && comment.user?.login.toLowerCase() === us.login.toLowerCase();
  return comment.user?.type === "Bot" && comment.user.login.toLowerCase() === us.login.toLowerCase();
}

export function isOwnCheckRun(run: { app?: AppRef | null }, us: AppIdentity): boolean {
  return run.app?.id === us.appId;
}
