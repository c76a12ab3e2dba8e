/** Issues, issue/PR comments and reactions (a PR is an issue for comments, as on GitHub). */
import type { FakeComment, FakeReaction } from "../state.js";
import { renderComment, renderIssue, renderUser } from "./render.js";
import { HttpError, paginate, type RouteContext, type RouteTable, requireValue } from "./types.js";

function findComment({ repo, params }: RouteContext): FakeComment {
  return requireValue(repo.comments.get(Number(params.comment_id)));
}

function renderReaction(reaction: FakeReaction, baseUrl: string) {
  return {
    id: reaction.id,
    node_id: `RE_${reaction.id}`,
    content: reaction.content,
    user: renderUser(reaction.user, baseUrl),
    created_at: "2026-01-01T00:00:00Z",
  };
}

function addReaction(ctx: RouteContext, subject: FakeReaction["subject"], subjectId: number) {
  const { repo, actor, body, state, baseUrl } = ctx;
  const existing = repo.reactions.find(
    (r) =>
      r.subject === subject && r.subjectId === subjectId && r.user === actor && r.content === body.content,
  );
  if (existing) return { status: 200, body: renderReaction(existing, baseUrl) };
  const reaction: FakeReaction = {
    id: state.nextId(),
    subject,
    subjectId,
    content: body.content,
    user: actor,
  };
  repo.reactions.push(reaction);
  return { status: 201, body: renderReaction(reaction, baseUrl) };
}

export const issueRoutes: RouteTable = {
  "issues/get": ({ repo, params, baseUrl }) => {
    const issue = requireValue(repo.issues.get(Number(params.issue_number)));
    return { status: 200, body: renderIssue(repo, issue, baseUrl) };
  },

  "issues/create": ({ state, repo, body, actor, baseUrl }) => {
    const labels = (body.labels ?? []).map((l: string | { name: string }) =>
      typeof l === "string" ? l : l.name,
    );
    const issue = state.createIssue(repo.fullName, {
      title: String(body.title),
      body: body.body,
      user: actor,
      labels,
    });
    return { status: 201, body: renderIssue(repo, issue, baseUrl) };
  },

  "issues/update": ({ state, repo, params, body, baseUrl }) => {
    const issue = requireValue(repo.issues.get(Number(params.issue_number)));
    if (body.title !== undefined) issue.title = String(body.title);
    if (body.body !== undefined) issue.body = body.body;
    if (body.state !== undefined) issue.state = body.state;
    if (body.labels !== undefined) {
      issue.labels = body.labels.map((l: string | { name: string }) => (typeof l === "string" ? l : l.name));
    }
    issue.updatedAt = state.timestamp();
    return { status: 200, body: renderIssue(repo, issue, baseUrl) };
  },

  "issues/list-for-repo": ({ repo, query, baseUrl }) => {
    const wanted = (query.state as string | undefined) ?? "open";
    const labels = typeof query.labels === "string" ? query.labels.split(",").filter(Boolean) : [];
    const issues = [...repo.issues.values()]
      .filter((i) => wanted === "all" || i.state === wanted)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .sort((a, b) => (query.direction === "asc" ? a.number - b.number : b.number - a.number));
    return { status: 200, body: paginate(issues, query).map((i) => renderIssue(repo, i, baseUrl)) };
  },

  "issues/list-comments": ({ state, repo, params, query, baseUrl }) => {
    requireValue(repo.issues.get(Number(params.issue_number)));
    const comments = state.commentsOn(repo.fullName, Number(params.issue_number));
    return {
      status: 200,
      body: paginate(comments, query).map((c) => renderComment(state, repo, c, baseUrl)),
    };
  },

  "issues/create-comment": ({ state, repo, params, body, actor, caller, baseUrl }) => {
    const issue = requireValue(repo.issues.get(Number(params.issue_number)));
    if (String(body.body).length > 65536)
      throw new HttpError(422, "Body is too long (maximum is 65536 characters)");
    const now = state.timestamp();
    const comment: FakeComment = {
      id: state.nextId(),
      issueNumber: issue.number,
      body: String(body.body),
      user: actor,
      createdAt: now,
      updatedAt: now,
      app: caller.kind === "token" ? (caller.token.appId ?? null) : null,
    };
    repo.comments.set(comment.id, comment);
    return { status: 201, body: renderComment(state, repo, comment, baseUrl) };
  },

  "issues/get-comment": (ctx) => ({
    status: 200,
    body: renderComment(ctx.state, ctx.repo, findComment(ctx), ctx.baseUrl),
  }),

  "issues/update-comment": (ctx) => {
    const comment = findComment(ctx);
    if (String(ctx.body.body).length > 65536) {
      throw new HttpError(422, "Body is too long (maximum is 65536 characters)");
    }
    comment.body = String(ctx.body.body);
    comment.updatedAt = ctx.state.timestamp();
    return { status: 200, body: renderComment(ctx.state, ctx.repo, comment, ctx.baseUrl) };
  },

  "issues/delete-comment": (ctx) => {
    ctx.repo.comments.delete(findComment(ctx).id);
    return { status: 204 };
  },

  "reactions/create-for-issue-comment": (ctx) => addReaction(ctx, "issue_comment", findComment(ctx).id),

  "reactions/create-for-issue": (ctx) => {
    const issue = requireValue(ctx.repo.issues.get(Number(ctx.params.issue_number)));
    return addReaction(ctx, "issue", issue.number);
  },

  "reactions/list-for-issue-comment": (ctx) => {
    const id = findComment(ctx).id;
    const reactions = ctx.repo.reactions.filter((r) => r.subject === "issue_comment" && r.subjectId === id);
    return { status: 200, body: reactions.map((r) => renderReaction(r, ctx.baseUrl)) };
  },
};
