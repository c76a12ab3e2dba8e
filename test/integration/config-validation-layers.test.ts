/**
 * Every invalid config in test/fixtures/invalid-configs goes through both layers: the CLI (must
 * reject all of them, with file:line:col) and the committed JSON Schema under ajv (must reject the
 * ones a schema can express: paths, enums, required pairs, unknown keys, duplicate list entries).
 * Each fixture's first line says which it is; the test prints the table of who catches what.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const FIXTURES = "test/fixtures/invalid-configs";
const schema = JSON.parse(readFileSync("schema/trainyard.schema.json", "utf8")) as object;
const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

interface Outcome {
  fixture: string;
  expected: "schema" | "cli-only";
  cli: string | undefined;
  schema: string | undefined;
}

const repos: TempRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.cleanup();
});

async function check(fixture: string): Promise<Outcome> {
  const text = readFileSync(join(FIXTURES, fixture), "utf8");
  const expected = /^# schema: rejects/.test(text) ? "schema" : "cli-only";
  const repo = makeTempRepo({ prefix: "trainyard-layers-" });
  repos.push(repo);
  writeFileSync(join(repo.dir, "trainyard.yaml"), text);
  const r = await runCli(["status"], { cwd: repo.dir });
  const cli = r.code === 0 ? undefined : r.stderr.trim().split("\n")[0];
  const valid = validate(parse(text) ?? {});
  const first = validate.errors?.[0];
  return {
    fixture: fixture.replace(/\.yaml$/, ""),
    expected,
    cli,
    schema: valid ? undefined : `${first?.instancePath || "/"} ${first?.message ?? ""}`,
  };
}

describe("invalid configs: which layer catches what", () => {
  it("the CLI rejects every fixture, the JSON Schema every one a schema can express", async () => {
    const fixtures = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".yaml"))
      .sort();
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    const outcomes: Outcome[] = [];
    for (const f of fixtures) outcomes.push(await check(f));
    const table = [
      "| fixture | CLI | JSON Schema (ajv) |",
      "| --- | --- | --- |",
      ...outcomes.map(
        (o) => `| ${o.fixture} | ${o.cli ? "rejects" : "ACCEPTS"} | ${o.schema ? "rejects" : "accepts"} |`,
      ),
    ].join("\n");
    console.log(`${table}\n`);
    for (const o of outcomes) {
      expect(o.cli, `${o.fixture}: the CLI must reject it`).toMatch(/trainyard\.yaml:\d+:\d+/);
      expect(o.schema !== undefined, `${o.fixture}: schema ${o.schema ?? "accepts"}`).toBe(
        o.expected === "schema",
      );
    }
    const caught = outcomes.filter((o) => o.schema).length;
    expect(caught).toBe(outcomes.filter((o) => o.expected === "schema").length);
  });

  it("the schema accepts valid DVC layouts the CLI accepts (wdir with ../, cache: false, other params files)", () => {
    const valid = parse(`stages:
  train:
    wdir: src
    cmd: node train.js
    deps: [../data/raw.csv, train.js]
    params: [train.lr, {tuning.yaml: [depth]}]
    outs: [../models/m.bin, {../reports/r.txt: {cache: false}}]
metrics: [eval/metrics.json]
store:
  default: team
  remotes:
    team: { url: s3://my-bucket/store, endpoint: http://127.0.0.1:9000 }
`);
    expect(validate(valid), JSON.stringify(validate.errors)).toBe(true);
  });
});
