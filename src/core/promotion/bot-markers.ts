/**
 * Durable records the stateless bot keeps in GitHub itself: a hidden HTML-comment marker in the
 * bot's own replies, each on a line of its own. Only markers in comments written by the bot's
 * account count, so nobody can forge an approval by pasting a marker into their own comment. Pure.
 *
 *   <!-- trainyard:approval {"sha":"…","models":["iris"],"by":"alice"} -->
 *   <!-- trainyard:deployment-pending {"runId":42,"environment":"production","sha":"…","models":["iris"]} -->
 *   <!-- trainyard:deployment-answered {"runId":42,"environment":"production","state":"approved"} -->
 */

export interface ApprovalRecord {
  /** Head commit of the pull request when it was approved: later pushes need a new approval. */
  sha: string;
  /** Approved models; empty means every model of the pull request. */
  models: string[];
  by: string;
}

export interface PendingDeployment {
  runId: number;
  environment: string;
  sha: string;
  models: string[];
  callbackUrl: string;
}

export interface AnsweredDeployment {
  runId: number;
  environment: string;
  state: "approved" | "rejected";
}

interface Markers {
  approval: ApprovalRecord;
  "deployment-pending": PendingDeployment;
  "deployment-answered": AnsweredDeployment;
}

export type MarkerKind = keyof Markers;

export interface CommentLike {
  body?: string | null;
  user?: { login: string; type?: string } | null;
}

export function formatMarker<K extends MarkerKind>(kind: K, record: Markers[K]): string {
  // `--` cannot appear inside an HTML comment; JSON of our records never has it, but be sure.
  return `<!-- trainyard:${kind} ${JSON.stringify(record).replace(/--/g, "-\\u002d")} -->`;
}

/** Records of `kind` in comments authored by `botLogin`, oldest comment first. */
export function readMarkers<K extends MarkerKind>(
  comments: readonly CommentLike[],
  botLogin: string,
  kind: K,
  valid: (value: unknown) => value is Markers[K],
): Markers[K][] {
  // A marker must be a whole line of its own: the bot writes them so, and user text the bot
  // echoes in a reply sits inside a sentence, so it can never pass for one.
  const pattern = new RegExp(`^<!-- trainyard:${kind} (\\{[^\\n]*\\}) -->$`, "gm");
  const out: Markers[K][] = [];
  for (const comment of comments) {
    if (comment.user?.login.toLowerCase() !== botLogin.toLowerCase()) continue;
    for (const match of (comment.body ?? "").matchAll(pattern)) {
      try {
        const value: unknown = JSON.parse(match[1] as string);
        if (valid(value)) out.push(value);
      } catch {
        // Not ours after all (or hand-edited): a broken marker is simply no record.
      }
    }
  }
  return out;
}

export const isApprovalRecord = (v: unknown): v is ApprovalRecord =>
  isObject(v) && typeof v.sha === "string" && typeof v.by === "string" && isStringArray(v.models);

export const isPendingDeployment = (v: unknown): v is PendingDeployment =>
  isObject(v) &&
  typeof v.runId === "number" &&
  typeof v.environment === "string" &&
  typeof v.sha === "string" &&
  typeof v.callbackUrl === "string" &&
  isStringArray(v.models);

export const isAnsweredDeployment = (v: unknown): v is AnsweredDeployment =>
  isObject(v) &&
  typeof v.runId === "number" &&
  typeof v.environment === "string" &&
  (v.state === "approved" || v.state === "rejected");

/** The latest approval covering `model` at `sha`, if any. */
export function findApproval(
  comments: readonly CommentLike[],
  botLogin: string,
  sha: string,
  model: string,
): ApprovalRecord | undefined {
  return readMarkers(comments, botLogin, "approval", isApprovalRecord)
    .filter((a) => a.sha === sha && (a.models.length === 0 || a.models.includes(model)))
    .at(-1);
}

/** Deployment reviews the bot asked for and has not answered yet. */
export function findPendingDeployments(
  comments: readonly CommentLike[],
  botLogin: string,
): PendingDeployment[] {
  const answered = new Set(
    readMarkers(comments, botLogin, "deployment-answered", isAnsweredDeployment).map(
      (a) => `${a.runId}/${a.environment}`,
    ),
  );
  const seen = new Set<string>();
  return readMarkers(comments, botLogin, "deployment-pending", isPendingDeployment).filter((p) => {
    const key = `${p.runId}/${p.environment}`;
    if (answered.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}
