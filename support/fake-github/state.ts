/**
 * Everything the fake GitHub knows, in memory. Tests read it directly to assert what the bot did
 * (`writes`, comments, check runs…) and seed it (repos, pulls, collaborators) without going
 * through the API.
 */
import {
  type GitObject,
  type GitObjectType,
  hashObject,
  parseCommit,
  parseTag,
  parseTree,
} from "./git-objects.js";

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  user: FakeUser;
  labels: string[];
  isPull: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface FakePull {
  number: number;
  head: { ref: string; sha: string; repo: string };
  base: { ref: string; sha: string; repo: string };
  draft: boolean;
  merged: boolean;
  mergeCommitSha: string | null;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
  /** The GitHub App the comment was written through (`performed_via_github_app`), if any. */
  app?: number | null;
}

export interface FakeReaction {
  id: number;
  subject: "issue" | "issue_comment";
  subjectId: number;
  content: string;
  user: FakeUser;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: string;
  completedAt: string | null;
  /** Id of the GitHub App that created the run (GitHub's `app`): every check run has one. */
  app: number;
}

export interface FakeDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  payload: unknown;
  description: string | null;
  creator: FakeUser;
  createdAt: string;
  /** GitHub's `production_environment` and `transient_environment` (auto_inactive skips both). */
  production: boolean;
  transient: boolean;
  statuses: FakeDeploymentStatus[];
}

export interface FakeDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  environmentUrl: string;
  logUrl: string;
  creator: FakeUser;
}

export interface FakeRepo {
  id: number;
  owner: FakeUser;
  name: string;
  fullName: string;
  defaultBranch: string;
  private: boolean;
  fork: boolean;
  objects: Map<string, GitObject>;
  refs: Map<string, string>;
  issues: Map<number, FakeIssue>;
  pulls: Map<number, FakePull>;
  comments: Map<number, FakeComment>;
  reactions: FakeReaction[];
  checkRuns: Map<number, FakeCheckRun>;
  deployments: Map<number, FakeDeployment>;
  environments: Set<string>;
  collaborators: Map<string, Permission>;
  dispatches: { event_type: string; client_payload: unknown }[];
  /** Answers given through the deployment protection rule API, in order. */
  protectionRuleReviews: { runId: number; environment_name: string; state: string; comment?: string }[];
}

export interface FakeInstallation {
  id: number;
  /** The app installed. */
  appId: number;
  account: FakeUser;
  repos: Set<string>;
  permissions: Record<string, string>;
}

export interface FakeApp {
  id: number;
  slug: string;
  name: string;
  publicKey: string;
  owner: FakeUser;
}

/** A token and what it may reach: an installation's repos, or an explicit list (GITHUB_TOKEN). */
export interface FakeToken {
  installationId?: number;
  /** The app acting with this token (an installation's app; GitHub Actions for GITHUB_TOKEN). */
  appId?: number;
  repos: Set<string>;
  actor: FakeUser;
  expiresAt: number;
}

/** GitHub Actions is itself a GitHub App: what GITHUB_TOKEN writes carries its identity. */
export const GITHUB_ACTIONS_APP_ID = 15368;

export interface WriteRecord {
  method: string;
  path: string;
  operationId: string;
  status: number;
  /** The installation whose token authenticated the request, if one did. */
  installationId?: number;
  /** The X-GitHub-Delivery header the client sent, if any (Probot tags requests with it). */
  delivery?: string;
}

export class FakeState {
  #nextId = 1000;
  readonly users = new Map<string, FakeUser>();
  readonly repos = new Map<string, FakeRepo>();
  readonly apps = new Map<number, FakeApp>();
  readonly installations = new Map<number, FakeInstallation>();
  readonly tokens = new Map<string, FakeToken>();
  /** Every successful mutating request (POST/PATCH/PUT/DELETE), in order. */
  readonly writes: WriteRecord[] = [];
  /** Every request, in order (method, path, status). */
  readonly requests: WriteRecord[] = [];
  /**
   * Injected failures: the next `times` requests to `operationId` get `status` (e.g. a 500 from
   * the collaborator-permission API) before any handler runs.
   */
  readonly faults: { operationId: string; status: number; times: number }[] = [];
  /**
   * Injected latency: the next `times` requests to `operationId` are answered `ms` after their
   * answer was computed — a stale read, which is how races between two clients open up.
   */
  /** Manifests confirmed on the registration page, by one-time code (see confirmManifest). */
  readonly manifestCodes = new Map<string, Record<string, unknown>>();
  readonly delays: { operationId: string; ms: number; times: number }[] = [];
  /**
   * A deterministic race: answers to `operationId` are held until `count` such requests have been
   * computed, then all are released together (each computed before any of the others' effects).
   */
  readonly barriers: { operationId: string; count: number; held: (() => void)[] }[] = [];
  /** Clock used for timestamps; tests may replace it. */
  now: () => Date = () => new Date();

  nextId(): number {
    this.#nextId += 1;
    return this.#nextId;
  }

  timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  }

  user(login: string, type: FakeUser["type"] = login.endsWith("[bot]") ? "Bot" : "User"): FakeUser {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.nextId(), type };
      this.users.set(login, user);
    }
    return user;
  }

  createRepo(options: {
    owner: string;
    name: string;
    defaultBranch?: string;
    private?: boolean;
    fork?: boolean;
  }) {
    const fullName = `${options.owner}/${options.name}`;
    const repo: FakeRepo = {
      id: this.nextId(),
      owner: this.user(options.owner),
      name: options.name,
      fullName,
      defaultBranch: options.defaultBranch ?? "main",
      private: options.private ?? false,
      fork: options.fork ?? false,
      objects: new Map(),
      refs: new Map(),
      issues: new Map(),
      pulls: new Map(),
      comments: new Map(),
      reactions: [],
      checkRuns: new Map(),
      deployments: new Map(),
      environments: new Set(),
      collaborators: new Map([[options.owner, "admin"]]),
      dispatches: [],
      protectionRuleReviews: [],
    };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  repo(fullName: string): FakeRepo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`fake GitHub: no repository ${fullName}`);
    return repo;
  }

  findRepo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /**
   * The app-registration page: a person confirmed this manifest on GitHub, which redirects to the
   * manifest's `redirect_url` with the returned one-time code (exchanged within an hour, once).
   */
  confirmManifest(manifest: Record<string, unknown>): string {
    const code = `manifest-${this.nextId()}-${Math.random().toString(36).slice(2, 10)}`;
    this.manifestCodes.set(code, manifest);
    return code;
  }

  registerApp(options: { id: number; slug: string; publicKey: string; owner?: string }): FakeApp {
    const app: FakeApp = {
      id: options.id,
      slug: options.slug,
      name: options.slug,
      publicKey: options.publicKey,
      owner: this.user(options.owner ?? "trainyard-org", "Organization"),
    };
    this.apps.set(app.id, app);
    return app;
  }

  /** An app by id, including GitHub Actions' own (which has no key: it never signs a JWT here). */
  integration(appId: number): FakeApp | undefined {
    if (appId === GITHUB_ACTIONS_APP_ID && !this.apps.has(appId)) {
      return {
        id: GITHUB_ACTIONS_APP_ID,
        slug: "github-actions",
        name: "GitHub Actions",
        publicKey: "",
        owner: this.user("github", "Organization"),
      };
    }
    return this.apps.get(appId);
  }

  /** Installs an app (default: the first registered) on these repositories; returns the installation. */
  install(repos: string[], permissions: Record<string, string> = {}, appId?: number): FakeInstallation {
    const first = this.repo(repos[0]!);
    const installation: FakeInstallation = {
      id: this.nextId(),
      appId: appId ?? [...this.apps.keys()][0] ?? 0,
      account: first.owner,
      repos: new Set(repos.map((r) => this.repo(r).fullName)),
      permissions,
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  /** A token like Actions' GITHUB_TOKEN: reaches only the listed repos, acts as github-actions[bot]. */
  addToken(token: string, repos: string[], actor = "github-actions[bot]"): void {
    this.tokens.set(token, {
      repos: new Set(repos.map((r) => this.repo(r).fullName)),
      ...(actor === "github-actions[bot]" ? { appId: GITHUB_ACTIONS_APP_ID } : {}),
      actor: this.user(actor),
      expiresAt: Number.POSITIVE_INFINITY,
    });
  }

  addObject(repo: FakeRepo, type: GitObjectType, body: Buffer): string {
    const sha = hashObject(type, body);
    repo.objects.set(sha, { type, body });
    return sha;
  }

  object(repo: FakeRepo, sha: string, type?: GitObjectType): GitObject | undefined {
    const object = repo.objects.get(sha);
    return object && (!type || object.type === type) ? object : undefined;
  }

  /** Resolves a branch, tag, full ref or sha to a commit sha (peeling annotated tags). */
  resolveCommit(repo: FakeRepo, ref: string): string | undefined {
    const candidates = [ref, `refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`];
    let sha = candidates.map((c) => repo.refs.get(c)).find(Boolean);
    if (!sha && /^[0-9a-f]{40}$/.test(ref) && repo.objects.has(ref)) sha = ref;
    for (let depth = 0; sha && depth < 10; depth += 1) {
      const object = repo.objects.get(sha);
      if (object?.type !== "tag") return object?.type === "commit" ? sha : undefined;
      sha = parseTag(object.body).object;
    }
    return undefined;
  }

  /** Walks a commit's tree to a path; "" is the root tree. */
  lookupPath(repo: FakeRepo, commitSha: string, path: string): { sha: string; mode: string } | undefined {
    const commit = this.object(repo, commitSha, "commit");
    if (!commit) return undefined;
    let current = { sha: parseCommit(commit.body).tree, mode: "040000" };
    for (const part of path.split("/").filter(Boolean)) {
      const tree = this.object(repo, current.sha, "tree");
      if (!tree) return undefined;
      const entry = parseTree(tree.body).find((e) => e.name === part);
      if (!entry) return undefined;
      current = { sha: entry.sha, mode: entry.mode };
    }
    return current;
  }

  /** Opens a pull request from head (a branch of this repo, or of a fork) into base. */
  createPull(
    fullName: string,
    options: { head: string; base?: string; title?: string; body?: string; user?: string; headRepo?: string },
  ): FakePull {
    const repo = this.repo(fullName);
    const headRepo = options.headRepo ? this.repo(options.headRepo) : repo;
    const baseRef = options.base ?? repo.defaultBranch;
    const headSha = this.resolveCommit(headRepo, options.head);
    const baseSha = this.resolveCommit(repo, baseRef);
    if (!headSha || !baseSha) throw new Error(`fake GitHub: cannot resolve ${options.head} or ${baseRef}`);
    const number = this.#nextNumber(repo);
    const now = this.timestamp();
    repo.issues.set(number, {
      number,
      title: options.title ?? `PR ${number}`,
      body: options.body ?? null,
      state: "open",
      user: this.user(options.user ?? repo.owner.login),
      labels: [],
      isPull: true,
      createdAt: now,
      updatedAt: now,
    });
    const pull: FakePull = {
      number,
      head: { ref: options.head, sha: headSha, repo: headRepo.fullName },
      base: { ref: baseRef, sha: baseSha, repo: repo.fullName },
      draft: false,
      merged: false,
      mergeCommitSha: null,
    };
    repo.pulls.set(number, pull);
    this.#syncPullRef(repo, headRepo, pull);
    return pull;
  }

  /** Moves a PR's head to the head branch's current commit (what a push to it does). */
  syncPull(fullName: string, number: number): FakePull {
    const repo = this.repo(fullName);
    const pull = repo.pulls.get(number);
    if (!pull) throw new Error(`fake GitHub: no pull #${number} in ${fullName}`);
    const headRepo = this.repo(pull.head.repo);
    const sha = this.resolveCommit(headRepo, pull.head.ref);
    if (!sha) throw new Error(`fake GitHub: head ${pull.head.ref} vanished`);
    pull.head.sha = sha;
    this.#syncPullRef(repo, headRepo, pull);
    return pull;
  }

  createIssue(
    fullName: string,
    options: { title: string; body?: string | null; user: FakeUser; labels?: string[] },
  ) {
    const repo = this.repo(fullName);
    const number = this.#nextNumber(repo);
    const now = this.timestamp();
    const issue: FakeIssue = {
      number,
      title: options.title,
      body: options.body ?? null,
      state: "open",
      user: options.user,
      labels: options.labels ?? [],
      isPull: false,
      createdAt: now,
      updatedAt: now,
    };
    repo.issues.set(number, issue);
    return issue;
  }

  /** Comments on an issue or PR, oldest first. */
  commentsOn(fullName: string, issueNumber: number): FakeComment[] {
    return [...this.repo(fullName).comments.values()]
      .filter((c) => c.issueNumber === issueNumber)
      .sort((a, b) => a.id - b.id);
  }

  #nextNumber(repo: FakeRepo): number {
    return repo.issues.size === 0 ? 1 : Math.max(...repo.issues.keys()) + 1;
  }

  // GitHub copies a fork's head commits into the base repo under refs/pull/N/head.
  #syncPullRef(repo: FakeRepo, headRepo: FakeRepo, pull: FakePull) {
    if (headRepo !== repo) for (const [sha, object] of headRepo.objects) repo.objects.set(sha, object);
    repo.refs.set(`refs/pull/${pull.number}/head`, pull.head.sha);
  }
}
