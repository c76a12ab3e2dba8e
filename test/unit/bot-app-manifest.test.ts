import { readFileSync } from "node:fs";
import type { Probot } from "probot";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { handlerModules } from "../../bot/handlers/index.js";
import { createWorkQueue } from "../../bot/work-queue.js";

it("bot/app.yml subscribes to exactly the events the handlers listen to (minimal, and nothing missed)", () => {
  const listened = new Set<string>();
  // Only `on` is used at registration time; collect the event names it receives.
  const recorder = {
    on: (names: string | string[]) => {
      for (const name of [names].flat()) listened.add(name.split(".")[0]!);
    },
  } as unknown as Probot;
  const queue = createWorkQueue({ error: () => undefined });
  for (const register of handlerModules) register(recorder, { queue, markerKey: Buffer.alloc(32) });
  const manifest = parse(readFileSync(new URL("../../bot/app.yml", import.meta.url), "utf8"));
  expect(new Set(manifest.default_events)).toEqual(listened);
  expect(manifest.default_permissions.metadata).toBe("read");
  // Write access is granted deliberately: widening it means changing this list too.
  const writes = Object.entries(manifest.default_permissions).filter(([, level]) => level === "write");
  expect(writes.map(([scope]) => scope).sort()).toEqual(["checks", "contents", "deployments", "issues"]);
});
