/**
 * The deploy chapter: the merge gave iris v1.1.0 the staging stage, and because staging has a
 * deploy hook (models.iris.deploy.staging in the example's trainyard.yaml) the app created a GitHub
 * deployment. GitHub would start deploy.yml for it; here the deploy action's runner runs on that
 * `deployment` event, fetches the version with every sha256 checked and runs the hook, which starts
 * the example's prediction server (examples/iris/src/serve.mjs). The demo asks it about a flower
 * and stops it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { run as deployAction } from "../../actions/deploy/runner.js";
import type { FakeDeployment } from "../../support/fake-github/state.js";
import type { Narrator } from "./narrator.js";
import { runActionStep } from "./run-action-step.js";
import { FULL_NAME, type World } from "./world.js";

/** Fisher's first flower: a setosa. */
const SETOSA = [5.1, 3.5, 1.4, 0.2];
const SERVER_STATE = join(".serve", "iris.json");

function stagingDeployments(world: World): FakeDeployment[] {
  return [...world.fake.state.repo(FULL_NAME).deployments.values()]
    .filter((d) => d.environment === "staging" && d.task === "deploy")
    .sort((a, b) => a.id - b.id);
}

/** The `deployment` event GitHub sends to the workflow for `d`. */
function deploymentEvent(world: World, d: FakeDeployment) {
  const base = world.fake.webhooks.eventPayload("deployment", "created", FULL_NAME);
  return {
    name: "deployment",
    payload: {
      ...base,
      deployment: {
        ...(base.deployment as object),
        id: d.id,
        sha: d.sha,
        ref: d.ref,
        task: d.task,
        environment: d.environment,
        payload: d.payload,
      },
    },
  };
}

export async function deployToStaging(world: World, n: Narrator): Promise<void> {
  n.chapter("staging deploys itself: the deploy hook starts a prediction server");
  const d = stagingDeployments(world).at(-1);
  n.check(
    d && (d.payload as { version?: string }).version === "v1.1.0",
    `the merge's staging assignment queued deployment ${d?.id} of iris v1.1.0 to \`staging\``,
  );
  n.say("GitHub starts deploy.yml on the `deployment` event; its deploy step runs in the workspace");
  // IRIS_PORT=0: any free port, so the demo never collides with a server already on 8787.
  const { value: step, output } = await n.quietly(`deploy action (deployment ${d.id})`, () =>
    runActionStep(world, deployAction, { event: deploymentEvent(world, d), env: { IRIS_PORT: "0" } }),
  );
  const server = join(world.workspace, SERVER_STATE);
  try {
    n.check(!step.failure, `the deploy action succeeded${step.failure ? ` (${step.failure})` : ""}`);
    const fetched = /iris v1\.1\.0: (\d+) file\(s\), (\d+) bytes, sha256 ([0-9a-f]{12})/.exec(output);
    n.check(fetched, "it fetched iris v1.1.0 from the store and verified its sha256");
    n.say(`fetched ${fetched[1]} file, ${fetched[2]} bytes, sha256 ${fetched[3]}…; the hook printed:`);
    n.show(
      output
        .split("\n")
        .filter((line) => /answers on|health check/.test(line))
        .join("\n"),
    );
    n.check(
      step.outputs.state === "success",
      `outputs: state=${step.outputs.state} version=${step.outputs.version}`,
    );
    n.say(`deployment ${d.id}'s statuses, as GitHub shows them on the environment:`);
    n.show(
      d.statuses
        .map(
          (s) => `${s.state.padEnd(11)} ${s.description}${s.environmentUrl ? `  → ${s.environmentUrl}` : ""}`,
        )
        .join("\n"),
    );
    n.check(
      d.statuses.map((s) => s.state).join(" → ") === "queued → in_progress → success",
      "queued → in_progress → success, in the order GitHub documents",
    );
    n.say("(environment_url is the hook's configured url; IRIS_PORT=0 let this server take a free port)");
    n.check(existsSync(server), `the hook recorded its server in ${SERVER_STATE}`);
    const { url } = JSON.parse(readFileSync(server, "utf8")) as { url: string };
    const response = await fetch(`${url}/predict`, {
      method: "POST",
      body: JSON.stringify({ instances: [SETOSA] }),
    });
    const answer = (await response.json()) as { predictions?: string[]; model?: { version?: string } };
    n.say(`POST ${url}/predict {"instances": [${JSON.stringify(SETOSA)}]} → ${JSON.stringify(answer)}`);
    n.check(
      answer.predictions?.[0] === "setosa" && answer.model?.version === "v1.1.0",
      "the deployed iris v1.1.0 calls Fisher's first flower a setosa",
    );
  } finally {
    // Stop the server whatever happened above: a demo must not leave a process behind.
    if (existsSync(server)) {
      execFileSync("node", ["src/serve.mjs", "stop"], { cwd: world.workspace, stdio: "ignore" });
    }
  }
  n.check(!existsSync(server), "and the demo stopped the server again");
}
