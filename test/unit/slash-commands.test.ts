import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  findCommandLines,
  isArtifactName,
  normalizeVersion,
  parseSlashCommands,
  renderHelp,
} from "../../src/core/slash-commands/index.js";

const commands = (body: string) => parseSlashCommands(body).map((c) => (c.ok ? c.command : c.reason));

describe("parseSlashCommands", () => {
  it.each([
    ["/trainyard promote iris production", { kind: "promote", model: "iris", stage: "production" }],
    [
      "/trainyard promote iris staging 1.2.0",
      { kind: "promote", model: "iris", stage: "staging", version: "v1.2.0" },
    ],
    [
      "/trainyard promote iris staging v2.0.10",
      { kind: "promote", model: "iris", stage: "staging", version: "v2.0.10" },
    ],
    ["/trainyard approve", { kind: "approve" }],
    ["/trainyard approve iris", { kind: "approve", model: "iris" }],
    ["/trainyard rollback iris production", { kind: "rollback", model: "iris", stage: "production" }],
    ["/trainyard retrain", { kind: "retrain" }],
    ["/trainyard retrain Churn_v2", { kind: "retrain", model: "Churn_v2" }],
    ["/trainyard help", { kind: "help" }],
    ["/trainyard", { kind: "help" }],
    ["   /trainyard   APPROVE   ", { kind: "approve" }],
    ["/trainyard\tapprove", { kind: "approve" }],
  ])("%j parses", (body, expected) => {
    expect(commands(body)).toEqual([expected]);
  });

  it.each([
    ["/trainyard promote iris", "expected `/trainyard promote <model> <stage> [version]`."],
    ["/trainyard promote iris prod 1.2", "`1.2` is not a version; expected something like v1.2.0."],
    ["/trainyard promote -iris prod", "`-iris` is not a valid model name"],
    ["/trainyard retrain team/churn", "`team/churn` is not a valid model name"],
    ["/trainyard rollback iris", "expected `/trainyard rollback <model> <stage>`."],
    ["/trainyard approve iris extra", "`approve` takes at most 1 argument."],
    ["/trainyard help me", "`help` takes no arguments."],
    ["/trainyard aprove", "unknown command `aprove`. Did you mean `approve`?"],
    ["/trainyard deploy", "unknown command `deploy`. Try `/trainyard help`."],
    ["/trainyard retrain ../../etc", "`../../etc` is not a valid model name"],
    ["/trainyard promote iris `x`", "`'x'` is not a valid stage name"],
  ])("%j is refused with a reason", (body, reason) => {
    const [parsed] = parseSlashCommands(body);
    expect(parsed?.ok).toBe(false);
    expect(parsed && !parsed.ok && parsed.reason).toContain(reason);
  });

  it("keeps line numbers and the typed text", () => {
    const parsed = parseSlashCommands("Looks good.\r\n\r\n/trainyard approve\n/trainyard retrain iris\n");
    expect(parsed.map((p) => [p.line, p.text])).toEqual([
      [3, "/trainyard approve"],
      [4, "/trainyard retrain iris"],
    ]);
  });

  it("clips long user text echoed in a reason", () => {
    const [parsed] = parseSlashCommands(`/trainyard ${"x".repeat(500)}`);
    expect(parsed && !parsed.ok && parsed.reason.length).toBeLessThan(120);
  });
});

describe("findCommandLines ignores quoted and illustrative text", () => {
  it.each([
    ["inline code", "Run `/trainyard approve` when ready"],
    ["inline code at line start", "`/trainyard approve`"],
    ["mid-sentence", "please /trainyard approve"],
    ["a longer word", "/trainyardx approve"],
    ["fenced code", "```\n/trainyard approve\n```"],
    ["fenced code with info string", "```sh\n/trainyard approve\n```"],
    ["tilde fence", "~~~~\n/trainyard approve\n~~~~"],
    ["unclosed fence", "```\n\n/trainyard approve"],
    ["a shorter closing fence does not close", "````\n```\n/trainyard approve\n````"],
    ["indented code (4 spaces)", "text\n\n    /trainyard approve"],
    ["indented code (tab)", "\t/trainyard approve"],
    ["quote", "> /trainyard approve"],
    ["nested quote", "> > /trainyard approve"],
    ["indented quote", "   > /trainyard approve"],
    ["lazy quote continuation", "> someone said\n/trainyard approve"],
    ["html comment", "<!--\n/trainyard approve\n-->"],
    ["one-line html comment", "<!-- /trainyard approve -->"],
    ["unclosed comment opened mid-line", "Looks good <!--\n/trainyard approve"],
    ["unclosed comment before the command on its line", "ok <!-- /trainyard approve"],
    ["quote continued by a list item", "> said\n- item\n/trainyard approve"],
    ["list item", "- /trainyard approve"],
    ["list item continuation", "1. item\n   /trainyard approve"],
    ["details body", "<details>\n<summary>log</summary>\n\n/trainyard approve\n\n</details>"],
    ["pre block", "<pre>\n/trainyard approve\n</pre>"],
    ["pre block after a blank line", "<pre>\n\n/trainyard approve\n\n</pre>"],
    ["inline details", "see <details>\n/trainyard approve"],
    ["self-closed details (HTML opens it anyway)", "<details/>\n\n/trainyard approve"],
    ["details tag spread over lines", "<details\n  open>\n\n/trainyard approve"],
    ["unclosed comment after a closed one", "<!-- a --> <!--\n/trainyard approve"],
    ["unclosed html comment block", "<!-- note\n\n/trainyard approve"],
    ["strikethrough", "~~/trainyard approve~~"],
    ["emphasis", "*/trainyard approve*"],
    ["link text", "[/trainyard approve](https://example.com)"],
    ["table cell", "| a |\n| - |\n/trainyard approve"],
    ["heading", "# /trainyard approve"],
    ["setext heading", "/trainyard approve\n---"],
  ])("%s", (_name, body) => {
    expect(findCommandLines(body)).toEqual([]);
  });

  it("finds a command once a <details> or <pre> element closes, and after void elements", () => {
    const body = "<details><summary>log</summary>\n\nhidden\n\n</details>\n\n<br>\n\n/trainyard approve";
    expect(findCommandLines(body).map((c) => c.rest)).toEqual(["approve"]);
  });

  it("finds commands after a fence closes, a quote ends, or a comment ends", () => {
    const body = [
      "```",
      "/trainyard promote iris production",
      "```",
      "/trainyard approve",
      "> /trainyard retrain",
      "",
      "/trainyard help",
      "<!-- marker -->",
      "/trainyard retrain iris",
    ].join("\n");
    expect(findCommandLines(body).map((c) => c.rest)).toEqual(["approve", "help", "retrain iris"]);
  });
});

// Property tests: the parser is total, and quoting/fencing any command disarms it.
const nameArb = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,12}$/);
const commandArb = fc.oneof(
  fc.tuple(nameArb, nameArb).map(([m, s]) => `/trainyard promote ${m} ${s}`),
  fc.constant("/trainyard approve"),
  nameArb.map((m) => `/trainyard retrain ${m}`),
  fc.tuple(nameArb, nameArb).map(([m, s]) => `/trainyard rollback ${m} ${s}`),
  fc.constant("/trainyard help"),
);

describe("properties", () => {
  it("never throws and returns at most one command per line", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (body) => {
        const parsed = parseSlashCommands(body);
        expect(parsed.length).toBeLessThanOrEqual(body.split(/\r\n?|\n/).length);
        for (const p of parsed) expect(p.ok || p.reason.length > 0).toBe(true);
      }),
    );
  });

  it("parses every well-formed command to a valid command", () => {
    fc.assert(
      fc.property(commandArb, (text) => {
        const parsed = parseSlashCommands(text);
        expect(parsed).toHaveLength(1);
        expect(parsed[0]?.ok).toBe(true);
      }),
    );
  });

  it("a command inside a fence, a quote or inline code is never found", () => {
    const wrap = fc.constantFrom(
      (c: string) => `\`\`\`\n${c}\n\`\`\``,
      (c: string) => `> ${c}`,
      (c: string) => `\`${c}\``,
      (c: string) => `    ${c}`,
      (c: string) => `<!--\n${c}\n-->`,
      (c: string) => `note <!--\n${c}`,
      (c: string) => `<!--\n\n${c}`,
      (c: string) => `> quoted\n- item\n${c}`,
      (c: string) => `<details>\n\n${c}\n\n</details>`,
      (c: string) => `<details><summary>more</summary>\n\n${c}\n</details>`,
      (c: string) => `<pre>\n\n${c}\n</pre>`,
      (c: string) => `- ${c}`,
      (c: string) => `~~${c}~~`,
    );
    fc.assert(
      fc.property(commandArb, wrap, fc.string({ maxLength: 40 }), (cmd, wrapper, prefix) => {
        // The prefix cannot open a fence/comment of its own that would swallow the wrapper.
        fc.pre(!/[`~<>]/.test(prefix) && !prefix.includes("/trainyard"));
        expect(findCommandLines(`${prefix}\n\n${wrapper(cmd)}`)).toEqual([]);
      }),
    );
  });

  it("a bare command between paragraphs of prose is found, on its own line", () => {
    const prose = fc.stringMatching(/^[A-Za-z][A-Za-z ,.]{0,40}$/);
    fc.assert(
      fc.property(prose, commandArb, prose, (before, cmd, after) => {
        const found = findCommandLines(`${before}\n\n${cmd}\n\n${after}`);
        expect(found).toEqual([{ line: 3, rest: cmd.slice("/trainyard ".length), text: cmd }]);
      }),
    );
  });

  it("names accepted by the parser are safe in a git ref", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        if (isArtifactName(s)) expect(s).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]*$/);
      }),
    );
  });

  it("normalizeVersion round-trips semver triples", () => {
    fc.assert(
      fc.property(fc.nat(999), fc.nat(999), fc.nat(999), fc.boolean(), (a, b, c, v) => {
        expect(normalizeVersion(`${v ? "v" : ""}${a}.${b}.${c}`)).toBe(`v${a}.${b}.${c}`);
      }),
    );
  });
});

describe("renderHelp", () => {
  it("lists every command and the default permissions", () => {
    const help = renderHelp();
    for (const verb of ["promote", "approve", "rollback", "retrain", "help"]) expect(help).toContain(verb);
    expect(help).toContain("`maintain`");
    expect(help).toContain("`write`");
    // The reply must never contain a live command line (the bot would read its own reply).
    expect(findCommandLines(help)).toEqual([]);
  });
});
