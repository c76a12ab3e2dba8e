/**
 * A small HTTP prediction server for the iris model: what the deploy hook starts
 * (models.iris.deploy.staging in trainyard.yaml).
 *
 *   node src/serve.mjs start   start it in the background on the model the deploy action fetched
 *                              (TRAINYARD_MODEL_PATH), wait until it answers a prediction, record
 *                              it in .serve/iris.json and exit; a server already recorded there is
 *                              stopped first, so a redeploy replaces it
 *   node src/serve.mjs stop    stop the recorded server
 *   node src/serve.mjs serve   run in the foreground
 *
 * IRIS_PORT picks the port (default 8787; 0 takes any free one, the one taken is in .serve/iris.json).
 *
 *   curl -d '{"instances": [[5.1, 3.5, 1.4, 0.2]]}' http://127.0.0.1:8787/predict
 *   → {"predictions":["setosa"],"model":{"version":"v1.1.0","sha256":"…"}}
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { FEATURES } from "./lib/iris-io.mjs";
import { loadModel } from "./lib/model.mjs";

const STATE_DIR = ".serve";
const STATE_FILE = `${STATE_DIR}/iris.json`;
const HOST = "127.0.0.1";
const MAX_BODY = 64 * 1024;
const MAX_INSTANCES = 1000;
/** A flower every sensible iris model calls setosa: the health check before the hook succeeds. */
const SETOSA = [5.1, 3.5, 1.4, 0.2];

const command = process.argv[2] ?? "serve";
if (command === "serve") serve();
else if (command === "start") await start();
else if (command === "stop") await stop();
else {
  console.error(`usage: node src/serve.mjs start|stop|serve (got "${command}")`);
  process.exit(2);
}

function serve() {
  const modelPath = process.env.TRAINYARD_MODEL_PATH || "models/iris/model.json";
  const model = loadModel(modelPath);
  const about = {
    version: process.env.TRAINYARD_MODEL_VERSION ?? "unregistered",
    sha256: process.env.TRAINYARD_MODEL_SHA256 ?? "",
  };
  const server = createServer((request, response) => {
    const reply = (status, body) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "GET" && request.url === "/health") {
      return reply(200, { status: "ok", pid: process.pid, model: about });
    }
    if (request.method !== "POST" || request.url !== "/predict") {
      return reply(404, { error: "POST /predict or GET /health" });
    }
    let size = 0;
    const chunks = [];
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reply(413, { error: `the body is over ${MAX_BODY} bytes` });
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => {
      if (response.headersSent) return;
      const instances = parseInstances(Buffer.concat(chunks).toString("utf8"));
      if (typeof instances === "string") return reply(400, { error: instances });
      reply(200, { predictions: model.predict(instances), model: about });
    });
  });
  server.listen(Number(process.env.IRIS_PORT ?? 8787), HOST, () => {
    const { port } = server.address();
    console.log(`iris ${about.version} answers on http://${HOST}:${port}/predict (pid ${process.pid})`);
    process.send?.({ port });
  });
  const shutdown = () => server.close(() => process.exit(0));
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

/** `{ "instances": [[sepal_length, sepal_width, petal_length, petal_width], …] }`, or what is wrong. */
function parseInstances(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return "the body is not JSON";
  }
  const rows = body?.instances;
  const shape = `expected {"instances": [[${FEATURES.join(", ")}], …]}`;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > MAX_INSTANCES) {
    return `${shape} with 1 to ${MAX_INSTANCES} rows`;
  }
  const bad = rows.findIndex(
    (row) => !Array.isArray(row) || row.length !== FEATURES.length || !row.every(Number.isFinite),
  );
  return bad === -1 ? rows : `instances[${bad}]: ${shape}`;
}

async function start() {
  await stop();
  mkdirSync(STATE_DIR, { recursive: true });
  const log = openSync(`${STATE_DIR}/iris.log`, "a");
  // Its own process group, output to a file, no pipes to this hook: it outlives the deploy step.
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "serve"], {
    detached: true,
    stdio: ["ignore", log, log, "ipc"],
  });
  const port = await new Promise((resolve, reject) => {
    child.once("message", (message) => resolve(message.port));
    child.once("exit", (code) =>
      reject(new Error(`the server exited with ${code}; see ${STATE_DIR}/iris.log`)),
    );
  });
  child.disconnect();
  child.unref();
  const url = `http://${HOST}:${port}`;
  writeFileSync(STATE_FILE, `${JSON.stringify({ pid: child.pid, port, url }, null, 2)}\n`);
  const answer = await predict(url, [SETOSA]);
  if (answer.predictions?.[0] !== "setosa") {
    await stop();
    throw new Error(
      `health check: ${JSON.stringify(SETOSA)} was called ${JSON.stringify(answer)}, not setosa`,
    );
  }
  console.log(
    `iris ${answer.model.version} answers on ${url}/predict (pid ${child.pid}); health check passed`,
  );
}

async function predict(url, instances) {
  const response = await fetch(`${url}/predict`, { method: "POST", body: JSON.stringify({ instances }) });
  return response.json();
}

/** Stop the recorded server — only when the process on that port says it is that pid (no stray kill). */
async function stop() {
  if (!existsSync(STATE_FILE)) return;
  const { pid, url } = JSON.parse(readFileSync(STATE_FILE, "utf8"));
  rmSync(STATE_FILE);
  const health = await fetch(`${url}/health`)
    .then((r) => r.json())
    .catch(() => undefined);
  if (health?.pid !== pid) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  console.log(`stopped the iris server (pid ${pid})`);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
