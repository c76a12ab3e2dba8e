import type { Caller } from "../app-auth.js";
import type { FakeRepo, FakeState, FakeUser } from "../state.js";

export interface RouteContext {
  state: FakeState;
  params: Record<string, string>;
  query: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: the body was validated against GitHub's schema already
  body: any;
  caller: Caller;
  /** Set on repository routes once the caller is known to reach the repository. */
  repo: FakeRepo;
  /** Who the write is attributed to (the app's bot user, github-actions[bot] …). */
  actor: FakeUser;
  baseUrl: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export type RouteHandler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

/** operationId (as in GitHub's description, e.g. `issues/create-comment`) → handler. */
export type RouteTable = Record<string, RouteHandler>;

/** Thrown by handlers for GitHub-style error answers (`{ message }`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (): never => {
  throw new HttpError(404, "Not Found");
};

export function requireValue<T>(value: T | undefined | null, status = 404, message = "Not Found"): T {
  if (value === undefined || value === null) throw new HttpError(status, message);
  return value;
}

export function paginate<T>(items: T[], query: Record<string, unknown>): T[] {
  const perPage = Number(query.per_page ?? 30);
  const page = Number(query.page ?? 1);
  return items.slice((page - 1) * perPage, page * perPage);
}
