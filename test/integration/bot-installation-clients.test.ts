import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { examplePayloads } from "../../support/fake-github/webhooks.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";

// One client per installation (bot/installation-octokits.ts): deliveries share it, yet every
// request still authenticates as its own installation, tokens are renewed when they expire, and
// no request carries the id of a delivery it does not belong to.

let h: BotHarness;
let secondInstallation: number;
const ONE = "acme/one";
const TWO = "beta/two";

interface Seen {
  delivery: string;
  client: unknown;
}
const seen: Seen[] = [];

beforeAll(async () => {
  h = await startBotHarness([ONE]);
  h.fake.state.createRepo({ owner: "beta", name: "two" });
  secondInstallation = h.fake.state.install([TWO], { contents: "read" }, h.app.appId).id;
  h.bot.probot.on("star.created", async (context) => {
    seen.push({ delivery: context.id, client: context.octokit });
    await context.octokit.rest.repos.get(context.repo());
  });
});

afterAll(async () => {
  await h?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
  expect(h.fake.failures).toEqual([]);
});

async function star(fullName: string) {
  const result = await h.fake.sendWebhook("star", h.fake.webhooks.eventPayload("star", "created", fullName));
  expect(result.status).toBe(202);
  return result.deliveryId;
}

const repoReads = () => h.fake.state.requests.filter((r) => r.operationId === "repos/get");
const tokensIssued = () =>
  h.fake.state.requests.filter((r) => r.operationId === "apps/create-installation-access-token").length;

describe("one GitHub client per installation", () => {
  it("shares a client between deliveries of an installation, each request authenticated as that installation and tagged with no other delivery", async () => {
    const from = seen.length;
    const readsBefore = repoReads().length;
    const deliveries = [await star(ONE), await star(ONE), await star(TWO), await star(ONE)];

    const clients = seen.slice(from).map((s) => s.client);
    expect(seen.slice(from).map((s) => s.delivery)).toEqual(deliveries);
    expect(clients[1]).toBe(clients[0]);
    expect(clients[3]).toBe(clients[0]);
    expect(clients[2]).not.toBe(clients[0]);

    const reads = repoReads().slice(readsBefore);
    expect(reads.map((r) => [r.status, r.installationId])).toEqual([
      [200, h.app.installationId],
      [200, h.app.installationId],
      [200, secondInstallation],
      [200, h.app.installationId],
    ]);
    // A shared client must not keep sending the first delivery's id on later deliveries' requests.
    reads.forEach((read, i) => {
      expect([undefined, deliveries[i]]).toContain(read.delivery);
    });
  });

  it("fetches a new installation token once the cached one has expired, through the same client", async () => {
    await star(ONE);
    const client = seen.at(-1)!.client;
    const issued = tokensIssued();
    const expired = [...h.fake.state.tokens.keys()];

    // Sixty-one minutes later: the token GitHub issued has expired (tokens live one hour).
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, "now").mockImplementation(() => realNow() + 61 * 60_000);
    h.fake.state.now = () => new Date(Date.now());
    try {
      for (const token of expired) {
        if (h.fake.state.tokens.get(token)!.installationId === h.app.installationId) {
          expect(h.fake.state.tokens.get(token)!.expiresAt).toBeLessThan(Date.now());
        }
      }
      await star(ONE);
      expect(seen.at(-1)!.client).toBe(client);
      expect(tokensIssued()).toBe(issued + 1);
      expect(repoReads().at(-1)).toMatchObject({ status: 200, installationId: h.app.installationId });
    } finally {
      h.fake.state.now = () => new Date();
    }
  });

  it("hands installation.deleted handlers Probot's unauthenticated client, not the shared one", async () => {
    await star(ONE);
    const shared = seen.at(-1)!.client;
    let given: { auth(): Promise<unknown> } | undefined;
    h.bot.probot.on("installation.deleted", async (context) => {
      given = context.octokit as unknown as { auth(): Promise<unknown> };
    });
    const example = examplePayloads("installation").find((e) => e.action === "deleted")!;
    const at = "2024-01-01T00:00:00Z";
    const installation = {
      ...(example.installation as object),
      id: h.app.installationId,
      created_at: at,
      updated_at: at,
    };
    const deleted = await h.fake.sendWebhook(
      "installation",
      h.fake.webhooks.eventPayload("installation", "deleted", ONE, { installation }),
    );
    expect(deleted.status).toBe(202);
    expect(given).toBeDefined();
    expect(given).not.toBe(shared);
    expect(await given!.auth()).toMatchObject({ type: "unauthenticated" });
  });
});
