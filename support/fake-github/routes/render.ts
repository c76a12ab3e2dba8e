/**
 * The fields of GitHub's response shapes that carry meaning, built from the fake's state. The
 * server completes the rest from the schema (see fill-schema.ts) and validates the result.
 */
import type { FakeApp, FakeComment, FakeIssue, FakePull, FakeRepo, FakeState, FakeUser } from "../state.js";

export function renderUser(user: FakeUser, baseUrl: string) {
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    type: user.type,
    site_admin: false,
    url: `${baseUrl}/users/${encodeURIComponent(user.login)}`,
    html_url: `https://github.com/${encodeURIComponent(user.login)}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}`,
  };
}

/** GitHub's `integration` shape: who `app` on a check run and `performed_via_github_app` name. */
export function renderIntegration(app: FakeApp | undefined, baseUrl: string) {
  if (!app) return null;
  return {
    id: app.id,
    slug: app.slug,
    node_id: `A_${app.id}`,
    owner: renderUser(app.owner, baseUrl),
    name: app.name,
    description: null,
    external_url: `https://example.com/${app.slug}`,
    html_url: `https://github.com/apps/${app.slug}`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    permissions: {},
    events: [],
  };
}

export function renderRepo(repo: FakeRepo, baseUrl: string) {
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    owner: renderUser(repo.owner, baseUrl),
    private: repo.private,
    fork: repo.fork,
    visibility: repo.private ? "private" : "public",
    default_branch: repo.defaultBranch,
    url: `${baseUrl}/repos/${repo.fullName}`,
    html_url: `https://github.com/${repo.fullName}`,
  };
}

export function renderIssue(repo: FakeRepo, issue: FakeIssue, baseUrl: string) {
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length;
  return {
    id: issue.number + repo.id * 100_000,
    node_id: `I_${repo.id}_${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    user: renderUser(issue.user, baseUrl),
    labels: issue.labels.map((name, i) => ({
      id: i + 1,
      node_id: `L_${i}`,
      name,
      color: "ededed",
      default: false,
    })),
    comments,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: null,
    author_association: issue.user.login === repo.owner.login ? "OWNER" : "CONTRIBUTOR",
    url: `${baseUrl}/repos/${repo.fullName}/issues/${issue.number}`,
    html_url: `https://github.com/${repo.fullName}/${issue.isPull ? "pull" : "issues"}/${issue.number}`,
    repository_url: `${baseUrl}/repos/${repo.fullName}`,
    ...(issue.isPull
      ? { pull_request: { url: `${baseUrl}/repos/${repo.fullName}/pulls/${issue.number}` } }
      : {}),
  };
}

export function renderComment(state: FakeState, repo: FakeRepo, comment: FakeComment, baseUrl: string) {
  return {
    performed_via_github_app: renderIntegration(
      comment.app ? state.integration(comment.app) : undefined,
      baseUrl,
    ),
    id: comment.id,
    node_id: `IC_${comment.id}`,
    body: comment.body,
    user: renderUser(comment.user, baseUrl),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === "Bot" ? "NONE" : "CONTRIBUTOR",
    url: `${baseUrl}/repos/${repo.fullName}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${repo.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${baseUrl}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
  };
}

export function renderPull(state: FakeState, repo: FakeRepo, pull: FakePull, baseUrl: string) {
  const issue = repo.issues.get(pull.number)!;
  const side = (s: FakePull["head"]) => {
    const sideRepo = state.repo(s.repo);
    return {
      label: `${sideRepo.owner.login}:${s.ref}`,
      ref: s.ref,
      sha: s.sha,
      user: renderUser(sideRepo.owner, baseUrl),
      repo: renderRepo(sideRepo, baseUrl),
    };
  };
  return {
    ...renderIssue(repo, issue, baseUrl),
    id: repo.id * 100_000 + pull.number,
    node_id: `PR_${repo.id}_${pull.number}`,
    url: `${baseUrl}/repos/${repo.fullName}/pulls/${pull.number}`,
    html_url: `https://github.com/${repo.fullName}/pull/${pull.number}`,
    issue_url: `${baseUrl}/repos/${repo.fullName}/issues/${pull.number}`,
    state: pull.merged ? "closed" : issue.state,
    head: side(pull.head),
    base: side(pull.base),
    draft: pull.draft,
    merged: pull.merged,
    merge_commit_sha: pull.mergeCommitSha,
    merged_at: null,
    mergeable: true,
    mergeable_state: "clean",
    maintainer_can_modify: false,
    locked: false,
  };
}
