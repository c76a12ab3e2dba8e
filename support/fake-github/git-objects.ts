/**
 * Git objects as GitHub stores them: content-addressed by the sha1 of `<type> <size>\0<body>`.
 * The fake keeps raw bodies and parses trees, commits and tags on demand, so objects imported
 * from a real repository and objects created through the git data API are the same thing.
 */
import { createHash } from "node:crypto";

export type GitObjectType = "blob" | "tree" | "commit" | "tag";

export interface GitObject {
  type: GitObjectType;
  body: Buffer;
}

export interface TreeEntry {
  mode: string;
  name: string;
  sha: string;
}

export interface GitSignature {
  name: string;
  email: string;
  date: string;
}

export interface ParsedCommit {
  tree: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
}

export interface ParsedTag {
  object: string;
  type: string;
  tag: string;
  tagger: GitSignature;
  message: string;
}

export function hashObject(type: GitObjectType, body: Buffer): string {
  return createHash("sha1").update(`${type} ${body.length}\0`).update(body).digest("hex");
}

export function parseTree(body: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    const nul = body.indexOf(0, space);
    const mode = body.toString("latin1", at, space);
    entries.push({
      mode: mode.length === 5 ? `0${mode}` : mode,
      name: body.toString("utf8", space + 1, nul),
      sha: body.toString("hex", nul + 1, nul + 21),
    });
    at = nul + 21;
  }
  return entries;
}

export function serializeTree(entries: TreeEntry[]): Buffer {
  // Git sorts tree entries by name, comparing directories as if their name ended in "/".
  const key = (e: TreeEntry) => (e.mode === "040000" ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return Buffer.concat(
    sorted.flatMap((e) => [
      Buffer.from(`${e.mode.replace(/^0/, "")} ${e.name}\0`, "utf8"),
      Buffer.from(e.sha, "hex"),
    ]),
  );
}

function parseSignature(text: string): GitSignature {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(text);
  if (!match) return { name: text, email: "", date: new Date(0).toISOString() };
  return {
    name: match[1]!,
    email: match[2]!,
    date: new Date(Number(match[3]) * 1000).toISOString().replace(/\.000Z$/, "Z"),
  };
}

export function formatSignature(sig: GitSignature): string {
  return `${sig.name} <${sig.email}> ${Math.floor(Date.parse(sig.date) / 1000)} +0000`;
}

function splitHeaders(body: Buffer): { headers: [string, string][]; message: string } {
  const text = body.toString("utf8");
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const headers = head
    .split("\n")
    .filter((line) => !line.startsWith(" ")) // continuation lines (gpgsig) are not needed here
    .map((line): [string, string] => {
      const space = line.indexOf(" ");
      return [line.slice(0, space), line.slice(space + 1)];
    });
  return { headers, message: split === -1 ? "" : text.slice(split + 2) };
}

export function parseCommit(body: Buffer): ParsedCommit {
  const { headers, message } = splitHeaders(body);
  const get = (name: string) => headers.find(([k]) => k === name)?.[1] ?? "";
  return {
    tree: get("tree"),
    parents: headers.filter(([k]) => k === "parent").map(([, v]) => v),
    author: parseSignature(get("author")),
    committer: parseSignature(get("committer")),
    message,
  };
}

export function serializeCommit(commit: ParsedCommit): Buffer {
  const lines = [`tree ${commit.tree}`, ...commit.parents.map((p) => `parent ${p}`)];
  lines.push(`author ${formatSignature(commit.author)}`, `committer ${formatSignature(commit.committer)}`);
  return Buffer.from(`${lines.join("\n")}\n\n${commit.message}`, "utf8");
}

export function parseTag(body: Buffer): ParsedTag {
  const { headers, message } = splitHeaders(body);
  const get = (name: string) => headers.find(([k]) => k === name)?.[1] ?? "";
  return {
    object: get("object"),
    type: get("type"),
    tag: get("tag"),
    tagger: parseSignature(get("tagger")),
    message,
  };
}

export function serializeTag(tag: ParsedTag): Buffer {
  const head = [
    `object ${tag.object}`,
    `type ${tag.type}`,
    `tag ${tag.tag}`,
    `tagger ${formatSignature(tag.tagger)}`,
  ];
  return Buffer.from(`${head.join("\n")}\n\n${tag.message}`, "utf8");
}
