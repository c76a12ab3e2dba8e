/**
 * Bad input and bad luck: invalid pointers, path traversal (pointer, manifest, symlink), a corrupt
 * object at checkout, SIGKILL in the middle of `add`, and a full disk.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { serializeManifest } from "../../src/core/manifest.js";
import { oidFromHex } from "../../src/core/oid.js";
import { toIoError } from "../../src/io/fs/index.js";
import { LocalStore } from "../../src/io/store/index.js";
import { makeTempRepo, runCli, spawnCli, type TempRepo } from "../helpers/temp-repo.js";

let repo: TempRepo;
let store: LocalStore;
beforeEach(async () => {
  repo = makeTempRepo();
  await runCli(["init"], { cwd: repo.dir });
  store = new LocalStore(join(repo.dir, ".trainyard", "store"));
});
afterEach(() => repo.cleanup());

function objectFiles(): string[] {
  const base = join(store.root, "objects");
  if (!existsSync(base)) return [];
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("a folder that does not exist", () => {
  it("is a plain usage error, not an internal one", async () => {
    const result = await runCli(["status"], { cwd: join(repo.dir, "no-such-folder") });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^trainyard: folder .*no-such-folder does not exist/);
  });
});

describe("invalid pointers", () => {
  it("names file, line, column and key for a bad pointer value", async () => {
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data", "raw.ty"), "path: raw\nhash: sha256:1234\nsize: 10\n");
    const result = await runCli(["status"], { cwd: repo.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'trainyard: data/raw.ty:2:7 (key hash): invalid hash "sha256:1234": expected "sha256:" followed by 64 lowercase hex digits\n',
    );
  });

  it("names file, line and column for broken YAML, also in --json", async () => {
    writeFileSync(join(repo.dir, "x.ty"), "path: x\nsize: [1, 2\n");
    const result = await runCli(["checkout", "--json"], { cwd: repo.dir });
    expect(result.code).toBe(1);
    const error = result.json<{ ok: boolean; error: { code: string; message: string } }>();
    expect(error.ok).toBe(false);
    expect(error.error.code).toBe("pointer");
    expect(error.error.message).toMatch(/^x\.ty:\d+:\d+: invalid YAML: /);
  });
});

describe("path traversal", () => {
  it("refuses a pointer whose path escapes its folder, and writes nothing outside", async () => {
    const oid = await store.putBytes(Buffer.from("secret"));
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data", "evil.ty"), `path: ../../escaped.txt\nhash: ${oid}\nsize: 6\n`);
    const result = await runCli(["checkout"], { cwd: repo.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'data/evil.ty:1:7 (key path): path "../../escaped.txt" escapes its folder with ..',
    );
    expect(existsSync(join(repo.dir, "..", "escaped.txt"))).toBe(false);
  });

  it("refuses a manifest entry that escapes the folder, and writes nothing", async () => {
    const file = await store.putBytes(Buffer.from("payload"));
    // A hand-made manifest (serializeManifest does not validate) with a traversal entry.
    const text = serializeManifest([{ path: "../../../outside.txt", hash: file, size: 7, mode: 0o644 }]);
    const manifest = await store.putBytes(Buffer.from(text));
    writeFileSync(join(repo.dir, "d.ty"), `path: d\nhash: ${manifest}\nsize: 7\nfiles: 1\n`);
    const result = await runCli(["checkout", "d"], { cwd: repo.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'path "../../../outside.txt" escapes its folder with ..; refusing to use this manifest',
    );
    expect(existsSync(join(repo.dir, "d"))).toBe(false);
    expect(existsSync(join(repo.dir, "..", "..", "outside.txt"))).toBe(false);
  });

  it("refuses data reached through a symlinked folder that leads out of the repository", async () => {
    const outside = makeTempRepo({ git: false });
    try {
      writeFileSync(join(outside.dir, "data.csv"), "1,2\n");
      symlinkSync(outside.dir, join(repo.dir, "link"));
      const add = await runCli(["add", "link/data.csv"], { cwd: repo.dir });
      expect(add.code).toBe(1);
      expect(add.stderr).toContain("link/data.csv resolves outside the repository (through a symbolic link)");
      expect(readdirSync(outside.dir)).toEqual(["data.csv"]);
    } finally {
      outside.cleanup();
    }
  });

  it("refuses symlinks inside a tracked folder", async () => {
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data", "a.csv"), "a");
    symlinkSync("/etc/passwd", join(repo.dir, "data", "passwd"));
    const add = await runCli(["add", "data"], { cwd: repo.dir });
    expect(add.code).toBe(1);
    expect(add.stderr).toContain("data/passwd is a symbolic link");
    expect(existsSync(join(repo.dir, "data.ty"))).toBe(false);
  });
});

describe("corrupt objects", () => {
  async function corrupt(oid: `sha256:${string}`, how: "flip" | "truncate"): Promise<string> {
    const path = store.objectPath(oid);
    chmodSync(path, 0o644);
    const bytes = readFileSync(path);
    if (how === "flip") bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(path, how === "flip" ? bytes : bytes.subarray(0, bytes.length - 1));
    return path;
  }

  it("detects a corrupt file object on checkout and leaves the working file untouched", async () => {
    const file = join(repo.dir, "model.bin");
    writeFileSync(file, "version one");
    await runCli(["add", "model.bin"], { cwd: repo.dir });
    const v1 = readFileSync(`${file}.ty`, "utf8");
    writeFileSync(file, "version two!");
    await runCli(["add", "model.bin"], { cwd: repo.dir });
    const v1Oid = /hash: (\S+)/.exec(v1)![1] as `sha256:${string}`;
    const objectPath = await corrupt(v1Oid, "flip");
    writeFileSync(`${file}.ty`, v1); // as after `git checkout` of an older commit

    const result = await runCli(["checkout"], { cwd: repo.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`object ${objectPath} is corrupt`);
    expect(readFileSync(file, "utf8")).toBe("version two!");
    expect(readdirSync(repo.dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("detects a truncated object inside a folder and changes no file of the folder", async () => {
    const data = join(repo.dir, "data");
    mkdirSync(data);
    writeFileSync(join(data, "a.csv"), "a1");
    writeFileSync(join(data, "b.csv"), "b1");
    await runCli(["add", "data"], { cwd: repo.dir });
    const v1 = readFileSync(join(repo.dir, "data.ty"), "utf8");
    const bOid = oidFromHex(createHash("sha256").update("b1").digest("hex"));
    writeFileSync(join(data, "a.csv"), "a2");
    writeFileSync(join(data, "b.csv"), "b2");
    await runCli(["add", "data"], { cwd: repo.dir });
    const objectPath = await corrupt(bOid, "truncate");
    writeFileSync(join(repo.dir, "data.ty"), v1);

    const result = await runCli(["checkout", "--json"], { cwd: repo.dir });
    expect(result.code).toBe(1);
    expect(result.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: "corrupt",
    });
    expect(result.stdout).toContain(objectPath);
    expect(readFileSync(join(data, "a.csv"), "utf8")).toBe("a2");
    expect(readFileSync(join(data, "b.csv"), "utf8")).toBe("b2");
    expect(readdirSync(repo.dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
});

describe("interrupted add", () => {
  it("SIGKILL mid-add leaves no partial object under a final name; the next add succeeds", async () => {
    const big = join(repo.dir, "big.bin");
    const chunk = randomBytes(1024 * 1024);
    const fd = openSync(big, "w");
    for (let i = 0; i < 128; i++) writeSync(fd, chunk);
    closeSync(fd);

    const child = spawnCli(["add", "big.bin"], { cwd: repo.dir });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    const tmp = join(store.root, "tmp");
    let sawTemp = false;
    // Generous: on a loaded 2-core runner the CLI alone took over 30 s to reach its first write.
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline && child.exitCode === null) {
      if (existsSync(tmp) && readdirSync(tmp).length > 0) {
        sawTemp = true;
        child.kill("SIGKILL");
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await exited).toBe("SIGKILL");
    expect(sawTemp).toBe(true);
    expect(objectFiles()).toEqual([]);
    expect(existsSync(`${big}.ty`)).toBe(false);

    const again = await runCli(["add", "big.bin"], { cwd: repo.dir });
    expect(again.code).toBe(0);
    const oid = /hash: (\S+)/.exec(readFileSync(`${big}.ty`, "utf8"))![1] as `sha256:${string}`;
    expect((await store.readVerified(oid)).length).toBe(128 * 1024 * 1024);
    const gc = await runCli(["gc", "--json"], { cwd: repo.dir });
    expect(gc.json<{ local: { removed: number; kept: number } }>().local).toMatchObject({
      removed: 0,
      kept: 1,
    });
  }, 300_000);
});

describe("disk full", () => {
  it("maps a real ENOSPC from the kernel to a clear io error", () => {
    let thrown: unknown;
    const fd = openSync("/dev/full", "w");
    try {
      writeSync(fd, Buffer.alloc(16));
    } catch (error) {
      thrown = error;
    } finally {
      closeSync(fd);
    }
    const error = toIoError(thrown, "store object", "/x/objects/sha256/ab/cd");
    expect(error).toMatchObject({ code: "io" });
    expect(error.message).toBe(
      "cannot store object /x/objects/sha256/ab/cd: no space left on the device; nothing was changed — free some space and retry",
    );
  });

  const canMount = process.getuid?.() === 0 && spawnSync("mount", ["--version"]).status === 0;
  it.skipIf(!canMount)(
    "add onto a full store (a real 4 MiB tmpfs) fails clearly and loses nothing",
    async () => {
      const mountPoint = join(repo.dir, "..", `${repo.dir.split("/").pop()}-store`);
      mkdirSync(mountPoint);
      const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint]);
      if (mounted.status !== 0) throw new Error(`mount failed: ${mounted.stderr}`);
      const saved = process.env.TRAINYARD_STORE;
      process.env.TRAINYARD_STORE = mountPoint;
      try {
        writeFileSync(join(repo.dir, "small.csv"), "fits\n");
        expect((await runCli(["add", "small.csv"], { cwd: repo.dir })).code).toBe(0);
        const big = randomBytes(8 * 1024 * 1024);
        writeFileSync(join(repo.dir, "big.bin"), big);
        const result = await runCli(["add", "big.bin"], { cwd: repo.dir });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
          /^trainyard: cannot copy into the store .*big\.bin: no space left on the device; nothing was changed/,
        );
        expect(readFileSync(join(repo.dir, "big.bin")).equals(big)).toBe(true);
        expect(existsSync(join(repo.dir, "big.bin.ty"))).toBe(false);
        expect(readdirSync(join(mountPoint, "tmp"))).toEqual([]);
        const status = await runCli(["status", "--json"], { cwd: repo.dir });
        expect(status.json<{ clean: boolean }>().clean).toBe(true);
        rmSync(join(repo.dir, "small.csv"));
        expect((await runCli(["checkout"], { cwd: repo.dir })).code).toBe(0);
        expect(readFileSync(join(repo.dir, "small.csv"), "utf8")).toBe("fits\n");
      } finally {
        if (saved === undefined) delete process.env.TRAINYARD_STORE;
        else process.env.TRAINYARD_STORE = saved;
        spawnSync("umount", [mountPoint]);
        rmSync(mountPoint, { recursive: true, force: true });
      }
    },
  );
});
