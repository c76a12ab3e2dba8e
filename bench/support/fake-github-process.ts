/**
 * The fake GitHub in its own process for benchmarks (so its request validation does not share an
 * event loop with the server being measured). Prints one JSON line: the API URL, the app's id and
 * key, and a signed-ready `pull_request.synchronize` payload for a PR whose report the bot can
 * build. Runs until killed.
 */
import { installTestApp, startFakeGitHub } from "../../support/fake-github/index.js";
import { createLocalRepo } from "../../support/github-repo.js";

const fake = await startFakeGitHub();
const app = installTestApp(fake, ["bench/iris"]);
const local = createLocalRepo({
  "trainyard.yaml":
    "models:\n  iris:\n    path: model.json\n    metrics: metrics.json\n    gates:\n      accuracy: { min: 0.9 }\n",
  "metrics.json": '{"accuracy":0.91}\n',
});
local.commit("tune", { "metrics.json": '{"accuracy":0.93}\n' });
await local.publish(fake.state, "bench/iris");
local.cleanup();
const pull = fake.state.createPull("bench/iris", { head: "tune" });
const payload = fake.webhooks.pullRequestPayload("synchronize", "bench/iris", pull.number);
process.stdout.write(
  `${JSON.stringify({ url: fake.url, appId: app.appId, privateKey: app.privateKey, payload })}\n`,
);
process.on("SIGTERM", () => {
  fake.stop().finally(() => process.exit(0));
});
