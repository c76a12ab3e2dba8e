/**
 * The package as a team installs it: `npm pack` (which builds dist/ through `prepack`), then an
 * empty project installs the tarball with production dependencies only and no network.
 *
 * npm resolves a new dependency through registry metadata that `npm ci` never caches, so an
 * install with `--offline` needs a lockfile: the consumer's lockfile is our own production tree
 * (same versions, resolved URLs and integrity hashes) with the tarball at its top — what a team's
 * lockfile would hold after one online install. Every package then comes from the local cache.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface LockEntry {
  version?: string;
  dev?: boolean;
  [field: string]: unknown;
}

export interface PackedInstall {
  /** The consumer project; `node_modules/.bin/trainyard` is the installed command. */
  dir: string;
  tarball: string;
  /** Runs `npx trainyard …` in `cwd` (default: the consumer project). */
  npx(args: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): string;
}

export function packAndInstall(): PackedInstall {
  const base = mkdtempSync(join(tmpdir(), "ty-packed-"));
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", base], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as { filename: string }[];
  const tarball = join(base, packed[0]!.filename);
  const dir = join(base, "consumer");
  mkdirSync(dir);
  const ours = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const spec = `file:../${packed[0]!.filename}`;
  const production = Object.entries(lock.packages).filter(([path, entry]) => path !== "" && !entry.dev);
  writeFileSync(
    join(dir, "package.json"),
    // Our overrides keep two transitive dependencies on versions that run on Node 20 (see
    // package.json); overrides apply only at a project's root, so a consumer on Node 20 repeats them.
    `${JSON.stringify(
      { name: "consumer", private: true, dependencies: { trainyard: spec }, overrides: ours.overrides },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(dir, "package-lock.json"),
    `${JSON.stringify(
      {
        name: "consumer",
        lockfileVersion: 3,
        requires: true,
        packages: {
          "": { name: "consumer", dependencies: { trainyard: spec } },
          "node_modules/trainyard": {
            version: ours.version,
            resolved: spec,
            license: ours.license,
            dependencies: ours.dependencies,
            bin: ours.bin,
            engines: ours.engines,
          },
          ...Object.fromEntries(production.map(([path, entry]) => [path, { ...entry, dev: undefined }])),
        },
      },
      null,
      2,
    )}\n`,
  );
  execFileSync("npm", ["ci", "--omit=dev", "--offline", "--no-audit", "--no-fund"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return {
    dir,
    tarball,
    npx(args, options = {}) {
      return execFileSync("npx", ["--no-install", "trainyard", ...args], {
        cwd: options.cwd ?? dir,
        env: { ...process.env, ...options.env },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    },
  };
}
