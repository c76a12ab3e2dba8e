/** The `vMAJOR.MINOR.PATCH[-pre][+build]` versions GTO uses in tag names. Pure. */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
  build?: string;
}

/** The parts a version can be bumped by (CLI `--bump`, `models.<name>.bump`). */
export const BUMP_PARTS = ["major", "minor", "patch"] as const;
export type BumpPart = (typeof BUMP_PARTS)[number];

const NUM = "(0|[1-9]\\d*)";
const PRE_ID = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
/** The semver.org grammar (same as GTO's), with the leading `v` GTO requires. */
export const SEMVER_SOURCE = `v${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?`;
const SEMVER_RE = new RegExp(`^${SEMVER_SOURCE}$`);

export function parseSemVer(text: string): SemVer | undefined {
  const m = SEMVER_RE.exec(text);
  if (!m) return undefined;
  const numbers = [m[1], m[2], m[3]].map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return undefined;
  return {
    major: numbers[0] as number,
    minor: numbers[1] as number,
    patch: numbers[2] as number,
    ...(m[4] !== undefined ? { prerelease: m[4] } : {}),
    ...(m[5] !== undefined ? { build: m[5] } : {}),
  };
}

export function formatSemVer(v: SemVer): string {
  return `v${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ""}${v.build ? `+${v.build}` : ""}`;
}

/** Semver precedence (build metadata ignored). Invalid strings sort before valid ones. */
export function compareVersions(a: string, b: string): number {
  const x = parseSemVer(a);
  const y = parseSemVer(b);
  if (!x || !y) return x ? 1 : y ? -1 : a.localeCompare(b);
  return (
    x.major - y.major ||
    x.minor - y.minor ||
    x.patch - y.patch ||
    comparePrerelease(x.prerelease, y.prerelease)
  );
}

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1; // a release ranks above its prereleases
  if (b === undefined) return -1;
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const s = pa[i];
    const t = pb[i];
    if (s === undefined) return -1;
    if (t === undefined) return 1;
    const sn = /^\d+$/.test(s);
    const tn = /^\d+$/.test(t);
    if (sn && tn && Number(s) !== Number(t)) return Number(s) - Number(t);
    if (sn !== tn) return sn ? -1 : 1;
    if (s !== t) return s < t ? -1 : 1;
  }
  return 0;
}

/** The next version after `latest` (or the first version, v1.0.0, when there is none). */
export function bumpVersion(latest: string | undefined, part: BumpPart): string {
  const v = latest ? parseSemVer(latest) : undefined;
  if (!v) return "v1.0.0";
  if (part === "major") return formatSemVer({ major: v.major + 1, minor: 0, patch: 0 });
  if (part === "minor") return formatSemVer({ major: v.major, minor: v.minor + 1, patch: 0 });
  // A prerelease bumps to its own release: v1.2.0-rc.1 → v1.2.0.
  if (v.prerelease) return formatSemVer({ major: v.major, minor: v.minor, patch: v.patch });
  return formatSemVer({ major: v.major, minor: v.minor, patch: v.patch + 1 });
}
