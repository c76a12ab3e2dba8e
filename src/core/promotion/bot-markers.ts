/**
 * Durable records the stateless bot keeps in GitHub itself: a hidden, signed marker line in the
 * bot's own comments (see core/trust/signed-marker.ts). A record counts only when the comment was
 * written by our app AND its MAC verifies AND it names this repository and pull request — so
 * nobody can forge one by pasting, by getting the bot to echo text, or by posting as another
 * app, and a genuine one cannot be replayed on another pull request. Pure.
 *
 *   <!-- trainyard:approval {"repo":"acme/iris","pull":7,"sha":"…","models":["iris"],"by":"alice"} mac=… -->
 *   <!-- trainyard:deployment-pending {"repo":…,"pull":7,"runId":42,"environment":"production","sha":"…",…} mac=… -->
 *   <!-- trainyard:deployment-answered {"repo":…,"runId":42,"environment":"production","state":"approved","sha":"…"} mac=… -->
 */
import { z } from "zod";
import {
  type AppIdentity,
  type CommentAuthorship,
  formatSignedMarker,
  isOwnComment,
  type MarkerKey,
  readSignedMarkers,
} from "../trust/index.js";

/** What the bot needs to write and to trust markers: its identity and its marker key. */
export interface MarkerTrust {
  us: AppIdentity;
  key: MarkerKey;
  /** Told about every marker-looking line that failed verification (to log it). */
  onRejected?: (kind: string, line: string) => void;
}

// Each record's schema is both its TypeScript type and the check a verified marker must pass.
const approvalSchema = z.object({
  /** `owner/name`, lower case. */
  repo: z.string(),
  pull: z.number(),
  /** The exact commit approved: a deployment of any other commit needs its own approval. */
  sha: z.string(),
  /** Approved models; empty means every model of the pull request. */
  models: z.array(z.string()),
  by: z.string(),
});
export type ApprovalRecord = z.infer<typeof approvalSchema>;

const pendingDeploymentSchema = z.object({
  repo: z.string(),
  pull: z.number(),
  runId: z.number(),
  environment: z.string(),
  /** The deployed commit. */
  sha: z.string(),
  models: z.array(z.string()),
  callbackUrl: z.string(),
});
export type PendingDeployment = z.infer<typeof pendingDeploymentSchema>;

const answeredDeploymentSchema = z.object({
  repo: z.string(),
  runId: z.number(),
  environment: z.string(),
  state: z.enum(["approved", "rejected"]),
  sha: z.string(),
});
export type AnsweredDeployment = z.infer<typeof answeredDeploymentSchema>;

/** Which comment a sticky comment is (one per repo, pull request and purpose). */
const stickySchema = z.object({
  repo: z.string(),
  pull: z.number(),
  purpose: z.string(),
  /** The commit the comment speaks about. */
  sha: z.string(),
});
export type StickyRecord = z.infer<typeof stickySchema>;

interface Markers {
  approval: ApprovalRecord;
  "deployment-pending": PendingDeployment;
  "deployment-answered": AnsweredDeployment;
  sticky: StickyRecord;
}

export type MarkerKind = keyof Markers;

export type CommentLike = CommentAuthorship & { body?: string | null };

export const repoKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

export function formatMarker<K extends MarkerKind>(trust: MarkerTrust, kind: K, record: Markers[K]): string {
  return formatSignedMarker(trust.key, kind, record);
}

const schemas: { [K in MarkerKind]: z.ZodType<Markers[K]> } = {
  approval: approvalSchema,
  "deployment-pending": pendingDeploymentSchema,
  "deployment-answered": answeredDeploymentSchema,
  sticky: stickySchema,
};

function isRecordOf<K extends MarkerKind>(kind: K): (v: unknown) => v is Markers[K] {
  return (v): v is Markers[K] => schemas[kind].safeParse(v).success;
}

/** Verified records of `kind` in our own comments among `comments`, oldest comment first. */
export function readMarkers<K extends MarkerKind>(
  comments: readonly CommentLike[],
  trust: MarkerTrust,
  kind: K,
): Markers[K][] {
  const out: Markers[K][] = [];
  for (const comment of comments) {
    const body = comment.body ?? "";
    if (!body.includes(`<!-- trainyard:${kind} `)) continue;
    if (!isOwnComment(comment, trust.us)) {
      // Someone else's comment quoting a marker: never a record; not worth a log line each time.
      continue;
    }
    const reading = readSignedMarkers(trust.key, body, kind, isRecordOf(kind));
    for (const line of reading.rejected) trust.onRejected?.(kind, line);
    out.push(...reading.records);
  }
  return out;
}

/** The latest approval of `model` at exactly `sha` on this pull request, if any. */
export function findApproval(
  comments: readonly CommentLike[],
  trust: MarkerTrust,
  where: { repo: string; pull: number },
  sha: string,
  model: string,
): ApprovalRecord | undefined {
  return readMarkers(comments, trust, "approval")
    .filter((a) => a.repo === where.repo && a.pull === where.pull)
    .filter((a) => a.sha === sha && (a.models.length === 0 || a.models.includes(model)))
    .at(-1);
}

/** Deployment reviews the bot asked for on this pull request and has not answered yet. */
export function findPendingDeployments(
  comments: readonly CommentLike[],
  trust: MarkerTrust,
  where: { repo: string; pull: number },
): PendingDeployment[] {
  const answered = new Set(
    readMarkers(comments, trust, "deployment-answered")
      .filter((a) => a.repo === where.repo)
      .map((a) => `${a.runId}/${a.environment}`),
  );
  const seen = new Set<string>();
  return readMarkers(comments, trust, "deployment-pending").filter((p) => {
    const key = `${p.runId}/${p.environment}`;
    if (p.repo !== where.repo || p.pull !== where.pull) return false;
    if (answered.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** True when `comment` is our sticky comment for this repo, pull request and purpose. */
export function isStickyFor(
  comment: CommentLike,
  trust: MarkerTrust,
  where: { repo: string; pull: number; purpose: string },
): boolean {
  return readMarkers([comment], trust, "sticky").some(
    (s) => s.repo === where.repo && s.pull === where.pull && s.purpose === where.purpose,
  );
}
