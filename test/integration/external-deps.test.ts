/**
 * Data outside the repository, with real parts: an `s3://` dep on the loopback moto server (a
 * versioned bucket), an `http://` dep and `import-url` against a node:http server on loopback
 * serving ETags, and the attacks: credentials in URLs, `..`/absolute targets, redirects to
 * another host or to file://, and a download whose bytes disagree with the server's sha256.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PutBucketVersioningCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeS3Project, runCli } from "../helpers/s3-project.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "ext-data";
const COPY = `import { writeFileSync } from "node:fs";
writeFileSync("out.txt", "ran " + Date.now());
`;

interface Served {
  body: string;
  etag?: string;
}

describe("external deps and import-url (moto S3, loopback HTTP)", () => {
  let s3: S3TestServer;
  let http: Server;
  let base: string;
  const served = new Map<string, Served>();
  const requests: string[] = [];

  const cli = async (cwd: string, ...args: string[]) => runCli(cwd, args, s3.env);
  const putRaw = (body: string) =>
    s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: "raw.csv", Body: body }));

  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    await s3
      .client()
      .send(
        new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }),
      );
    http = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const port = (http.address() as AddressInfo).port;
      if (req.url === "/to-other-host") {
        res.writeHead(302, { location: `http://localhost:${port}/data.csv` }).end();
      } else if (req.url === "/to-file") {
        res.writeHead(302, { location: "file:///etc/passwd" }).end();
      } else if (req.url === "/moved") {
        res.writeHead(301, { location: "/data.csv" }).end();
      } else if (req.url === "/tampered.csv") {
        const claimed = createHash("sha256").update("the real data\n").digest("base64");
        res.writeHead(200, { etag: '"t1"', "repr-digest": `sha-256=:${claimed}:` }).end("forged data\n");
      } else {
        const item = served.get(req.url ?? "");
        if (!item) return void res.writeHead(404).end();
        res.writeHead(200, { ...(item.etag ? { etag: item.etag } : {}), "content-length": item.body.length });
        res.end(req.method === "HEAD" ? undefined : item.body);
      }
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await s3?.stop();
    await new Promise((resolve) => http?.close(resolve));
  });

  async function project(deps: string[]): Promise<string> {
    const dir = await makeS3Project(s3, "ext-store", "p");
    writeFileSync(join(dir, "copy.mjs"), COPY);
    const stage = `stages:\n  use:\n    cmd: node copy.mjs\n    deps: [${[...deps.map((d) => JSON.stringify(d)), "copy.mjs"].join(", ")}]\n    outs: [out.txt]\n`;
    writeFileSync(join(dir, "trainyard.yaml"), stage + readFileSync(join(dir, "trainyard.yaml"), "utf8"));
    return dir;
  }

  async function stale(dir: string): Promise<string[]> {
    const plan = await cli(dir, "plan", "--json");
    expect(plan.code, plan.stderr).toBe(0);
    return JSON.parse(plan.stdout)
      .levels.flat()
      .map((s: { stage: string }) => s.stage);
  }

  it("an s3:// dep: a new object version makes the stage stale, no change keeps it up to date", async () => {
    await putRaw("a,b\n1,2\n");
    const dir = await project([`s3://${BUCKET}/raw.csv`]);
    const first = await cli(dir, "run");
    expect(first.code, first.stderr).toBe(0);
    const lock = readFileSync(join(dir, "trainyard.lock"), "utf8");
    expect(lock).toContain(`path: s3://${BUCKET}/raw.csv`);
    expect(lock).toMatch(/etag: .+/);
    expect(lock).toMatch(/version_id: .+/);
    expect(await stale(dir)).toEqual([]);
    const status = await cli(dir, "status", "--fail-if-stale");
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const again = await cli(dir, "run", "--json");
    expect(JSON.parse(again.stdout).stages[0].action).toBe("up-to-date");

    // The same bytes uploaded again are a new object version (versioned bucket): stale.
    await putRaw("a,b\n1,2\n");
    expect(await stale(dir)).toEqual(["use"]);
    const reported = await cli(dir, "status");
    expect(reported.stdout).toContain(`dep s3://${BUCKET}/raw.csv changed`);
    expect((await cli(dir, "status", "--fail-if-stale")).code).not.toBe(0);
    expect((await cli(dir, "run")).code).toBe(0);
    expect(await stale(dir)).toEqual([]);
  }, 180_000);

  it("an http:// dep follows the ETag the server sends", async () => {
    served.set("/dep.csv", { body: "x\n1\n", etag: '"v1"' });
    const dir = await project([`${base}/dep.csv`]);
    expect((await cli(dir, "run")).code).toBe(0);
    expect(readFileSync(join(dir, "trainyard.lock"), "utf8")).toContain(`etag: '"v1"'`);
    requests.length = 0;
    expect(await stale(dir)).toEqual([]);
    // Only a HEAD was needed to know nothing changed.
    expect(requests).toEqual(["HEAD /dep.csv"]);
    served.set("/dep.csv", { body: "x\n2\n", etag: '"v2"' });
    expect(await stale(dir)).toEqual(["use"]);
  }, 120_000);

  it("import-url then update: downloads only when the upstream version changed", async () => {
    served.set("/iris.csv", { body: "sepal\n5.1\n", etag: '"e1"' });
    const dir = await project([]);
    const imported = await cli(dir, "import-url", `${base}/iris.csv`, "data/iris.csv", "--json");
    expect(imported.code, imported.stderr).toBe(0);
    expect(readFileSync(join(dir, "data/iris.csv"), "utf8")).toBe("sepal\n5.1\n");
    const pointer = readFileSync(join(dir, "data/iris.csv.ty"), "utf8");
    const sha = createHash("sha256").update("sepal\n5.1\n").digest("hex");
    expect(pointer).toContain(`hash: sha256:${sha}`);
    expect(pointer).toContain(`url: ${base}/iris.csv`);
    expect(pointer).toContain(`etag: '"e1"'`);

    requests.length = 0;
    const same = await cli(dir, "update", "data/iris.csv", "--json");
    expect(JSON.parse(same.stdout).imports[0].action).toBe("unchanged");
    expect(requests).toEqual(["HEAD /iris.csv"]);

    served.set("/iris.csv", { body: "sepal\n6.3\n", etag: '"e2"' });
    const moved = await cli(dir, "update", "--json");
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout).imports[0].action).toBe("downloaded");
    expect(readFileSync(join(dir, "data/iris.csv"), "utf8")).toBe("sepal\n6.3\n");
    expect(readFileSync(join(dir, "data/iris.csv.ty"), "utf8")).toContain(`etag: '"e2"'`);
  }, 120_000);

  it("import-url from s3:// records the object's version", async () => {
    await putRaw("k\n9\n");
    const dir = await project([]);
    const r = await cli(dir, "import-url", `s3://${BUCKET}/raw.csv`, "raw.csv");
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "raw.csv"), "utf8")).toBe("k\n9\n");
    expect(readFileSync(join(dir, "raw.csv.ty"), "utf8")).toMatch(/version_id: .+/);
  }, 120_000);

  describe("attacks", () => {
    let dir: string;
    const nothingWritten = () => {
      expect(readdirSync(dir).filter((f) => f.endsWith(".ty") || f.startsWith("got"))).toEqual([]);
      const tmp = join(dir, ".trainyard/tmp");
      expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
    };
    beforeAll(async () => {
      served.set("/data.csv", { body: "d\n", etag: '"d1"' });
      dir = await project([]);
    });

    it("a URL with credentials is refused and never printed", async () => {
      for (const url of [
        `http://alice:hunter2@127.0.0.1:1/data.csv`,
        `${base}/data.csv?token=hunter2`,
        `${base}/data.csv?X-Amz-Signature=hunter2`,
      ]) {
        const r = await cli(dir, "import-url", url, "got.csv");
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).not.toContain("hunter2");
        expect(r.stderr).toMatch(/credential/);
      }
      writeFileSync(
        join(dir, "trainyard.yaml"),
        readFileSync(join(dir, "trainyard.yaml"), "utf8").replace(
          "deps: [copy.mjs]",
          `deps: ["http://bob:hunter2@127.0.0.1/x", copy.mjs]`,
        ),
      );
      const status = await cli(dir, "status");
      expect(status.code).toBe(1);
      expect(status.stdout + status.stderr).not.toContain("hunter2");
      expect(status.stderr).toContain("stages.use.deps[0]");
      writeFileSync(
        join(dir, "trainyard.yaml"),
        readFileSync(join(dir, "trainyard.yaml"), "utf8").replace(`"http://bob:hunter2@127.0.0.1/x", `, ""),
      );
      nothingWritten();
    }, 60_000);

    it("refuses .. and absolute targets before downloading", async () => {
      requests.length = 0;
      for (const target of ["../escape.csv", "/tmp/ty-abs.csv", "a/../../b.csv"]) {
        const r = await cli(dir, "import-url", `${base}/data.csv`, target);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/target/);
      }
      expect(requests).toEqual([]);
      expect(existsSync("/tmp/ty-abs.csv")).toBe(false);
    }, 60_000);

    it("does not follow a redirect to another host or to file://, but follows one on the same host", async () => {
      for (const path of ["/to-other-host", "/to-file"]) {
        const r = await cli(dir, "import-url", `${base}${path}`, "got.csv");
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("is not followed");
      }
      expect(requests).not.toContain("GET /data.csv");
      nothingWritten();
      const ok = await cli(dir, "import-url", `${base}/moved`, "got.csv");
      expect(ok.code, ok.stderr).toBe(0);
      expect(readFileSync(join(dir, "got.csv"), "utf8")).toBe("d\n");
    }, 60_000);

    it("refuses a tampered download (sha256 mismatch) and writes nothing", async () => {
      const r = await cli(dir, "import-url", `${base}/tampered.csv`, "tampered.csv");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("the server vouches for");
      const pinned = await cli(
        dir,
        "import-url",
        `${base}/data.csv`,
        "pinned.csv",
        "--sha256",
        "0".repeat(64),
      );
      expect(pinned.code).toBe(1);
      expect(pinned.stderr).toContain("expected");
      for (const f of ["tampered.csv", "tampered.csv.ty", "pinned.csv", "pinned.csv.ty"])
        expect(existsSync(join(dir, f))).toBe(false);
      const tmp = join(dir, ".trainyard/tmp");
      expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
    }, 60_000);
  });
});
