/**
 * One Octokit per installation instead of one per delivery. Probot asks its auth strategy for an
 * "event-octokit" on every delivery, and octokit-auth-probot answers with a new client each time
 * (all plugins set up again: throttling, retry, pagination, the REST methods): about a third of
 * the acknowledgement's CPU. This strategy wraps Probot's own and hands out the client it built
 * for the installation's first delivery. Nothing about the token changes: the shared client still
 * asks @octokit/auth-app for the installation token on every request, and auth-app keeps tokens
 * in Probot's cache, which drops them a minute before GitHub expires them, so a new one is fetched.
 *
 * Probot tags a client with the `X-GitHub-Delivery` of the delivery that created it, once per
 * client. A shared client would then send the first delivery's id on every later request, so the
 * shared client drops that header: GitHub keeps it undocumented, and requests from queued work
 * (which coalesces deliveries) belong to no single delivery anyway.
 */
import { createProbotAuth, type ProbotAuth } from "octokit-auth-probot";

type StrategyOptions = Parameters<typeof createProbotAuth>[0];
type AuthOptions = Parameters<ProbotAuth>[0];

/** Installations whose client is kept; beyond it the oldest is rebuilt when next needed. */
const MAX_CACHED_INSTALLATIONS = 1000;

interface EventRequest {
  type: "event-octokit";
  event: { name: string; payload: { action?: string; installation?: { id?: unknown } } };
}

interface HookedClient {
  hook: { before(name: "request", fn: (options: { headers: Record<string, unknown> }) => void): void };
}

export function createInstallationCachingAuth(options: StrategyOptions): ProbotAuth {
  const probotAuth = createProbotAuth(options);
  const clients = new Map<number, Promise<unknown>>();
  const auth = (authOptions: AuthOptions): Promise<unknown> => {
    if (authOptions.type !== "event-octokit") return probotAuth(authOptions);
    const { event } = authOptions as EventRequest;
    const id = event.payload.installation?.id;
    if (typeof id !== "number") return probotAuth(authOptions);
    if (event.name === "installation" && ["suspend", "deleted"].includes(String(event.payload.action))) {
      // Access was revoked: Probot answers with an unauthenticated client; forget ours.
      clients.delete(id);
      return probotAuth(authOptions);
    }
    const cached = clients.get(id);
    if (cached) return cached;
    const client = probotAuth(authOptions).then((built: HookedClient) => {
      built.hook.before("request", (request) => {
        delete request.headers["x-github-delivery"];
      });
      return built;
    });
    clients.set(id, client);
    client.catch(() => {
      if (clients.get(id) === client) clients.delete(id);
    });
    if (clients.size > MAX_CACHED_INSTALLATIONS) clients.delete(clients.keys().next().value as number);
    return client;
  };
  return Object.assign(auth, { hook: probotAuth.hook });
}
