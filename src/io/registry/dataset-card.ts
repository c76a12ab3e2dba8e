/**
 * Regenerate or check a dataset's card (`trainyard card` on a `type: dataset` artifact). The card
 * says what the data holds, so the data is read from the working tree: every file of the dataset
 * (a file, or a folder walked without following links), each table summarized through the
 * content-addressed summary cache. The rendering is pure core.
 */
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { checkCard } from "../../core/card/check-card.js";
import { buildCardInput } from "../../core/card/card-input.js";
import { sha256Text } from "../../core/card/render-card.js";
import { datasetInfo, type DatasetFile, renderDatasetCard } from "../../core/card/render-dataset-card.js";
import type { Config } from "../../core/config/schema.js";
import { tableFormatOf } from "../../core/data-summary/parse-table.js";
import { errnoCode, TrainyardError } from "../../core/errors.js";
import { LOCK_FILE } from "../../core/file-names.js";
import { parseLock } from "../../core/lock.js";
import { parsePointer, pointerPathFor } from "../../core/pointer.js";
import { isInsideDir } from "../../core/safe-path.js";
import { describeBytes, MAX_DESCRIBE_BYTES } from "../tables/index.js";
import { openRepo, readBytesAt, readFileAt, tryResolveCommit, WORKTREE } from "../git/index.js";

type DatasetSpec = Config["models"][string];

/** Files whose names start with a dot (`.gitignore`, editor files) are not data, as on the Hub. */
const hidden = (rel: string) => rel.split("/").some((part) => part.startsWith("."));

/** The dataset's files, relative to the dataset (a single file is named by its base name). */
interface ListedFile {
  rel: string;
  file: string;
  size: number;
  link: boolean;
}

async function listDataset(root: string, dataPath: string): Promise<ListedFile[]> {
  const abs = path.join(root, dataPath);
  const info = await lstat(abs).catch((thrown: unknown) => {
    if (errnoCode(thrown) === "ENOENT") return undefined;
    throw thrown;
  });
  if (!info) {
    throw new TrainyardError(
      "card",
      `dataset ${dataPath} is not in the working tree; produce it (trainyard run) or fetch it (trainyard pull) first`,
    );
  }
  // A dataset that is itself a link must stay inside the project: its bytes go into a public card.
  const real = await realpath(abs);
  if (!isInsideDir(await realpath(root), real)) {
    throw new TrainyardError("card", `${dataPath} resolves outside the project; refusing to read it`);
  }
  const target = await stat(real);
  if (!target.isDirectory())
    return [{ rel: path.basename(dataPath), file: dataPath, size: target.size, link: false }];
  const entries = await readdir(abs, { recursive: true, withFileTypes: true });
  const out: ListedFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(abs, full).split(path.sep).join("/");
    if (hidden(rel)) continue;
    const file = path.posix.join(dataPath.split(path.sep).join("/"), rel);
    out.push({
      rel,
      file,
      size: entry.isFile() ? (await lstat(full)).size : 0,
      link: entry.isSymbolicLink(),
    });
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

/** Every file of the dataset, with its summary when it is a table Trainyard reads. */
export async function readDatasetFiles(
  root: string,
  dataPath: string,
  cardFile?: string,
): Promise<DatasetFile[]> {
  const repo = openRepo(root);
  const files: DatasetFile[] = [];
  // A card kept inside the dataset's folder (as on the Hub) describes the data; it is not data.
  const listed = (await listDataset(root, dataPath)).filter(
    (e) => !cardFile || e.file !== path.posix.normalize(cardFile),
  );
  for (const entry of listed) {
    const base = { path: entry.rel, bytes: entry.size };
    const format = tableFormatOf(entry.rel);
    if (entry.link) files.push({ ...base, note: "a symbolic link; not read" });
    else if (!format)
      files.push({ ...base, note: "not a table Trainyard reads (CSV, TSV, JSON Lines, Parquet)" });
    else if (entry.size > MAX_DESCRIBE_BYTES)
      files.push({ ...base, note: `larger than ${MAX_DESCRIBE_BYTES / 1048576} MiB; not summarized` });
    else {
      const bytes = await readBytesAt(root, WORKTREE, entry.file);
      if (!bytes) {
        files.push({ ...base, note: "vanished while it was read" });
        continue;
      }
      try {
        const { summary } = await describeBytes(repo, bytes, format, entry.file);
        files.push({ ...base, bytes: bytes.length, summary });
      } catch (thrown) {
        if (!(thrown instanceof TrainyardError)) throw thrown;
        files.push({ ...base, bytes: bytes.length, note: thrown.message });
      }
    }
  }
  return files;
}

/** The card's lineage: commit, lock, the lock's data and params, and the dataset's own pointer. */
async function datasetLineage(root: string, name: string, spec: DatasetSpec) {
  const [lockText, commit, pointerText] = await Promise.all([
    readFileAt(root, WORKTREE, LOCK_FILE),
    tryResolveCommit(root, "HEAD"),
    readFileAt(root, WORKTREE, pointerPathFor(spec.path)),
  ]);
  const { lineage } = buildCardInput({
    model: name,
    spec,
    metrics: {},
    ...(lockText ? { lock: parseLock(lockText), lockHash: sha256Text(lockText) } : {}),
    ...(commit ? { commit } : {}),
  });
  if (pointerText !== undefined) {
    const pointer = parsePointer(pointerText, pointerPathFor(spec.path));
    const data = Object.entries({ ...lineage.data, [spec.path]: pointer.hash }).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    return { ...lineage, data: Object.fromEntries(data) };
  }
  return lineage;
}

/** The dataset card's text, rendered from the data on disk and the current card (if any). */
export async function renderDatasetCardAt(
  root: string,
  name: string,
  spec: DatasetSpec,
  current: string | undefined,
  file: string,
): Promise<string> {
  const [files, lineage] = await Promise.all([
    readDatasetFiles(root, spec.path, file),
    datasetLineage(root, name, spec),
  ]);
  return renderDatasetCard(
    {
      name,
      ...(spec.license ? { license: spec.license } : {}),
      ...(spec.tags ? { tags: spec.tags } : {}),
      ...(spec.task_categories ? { task_categories: spec.task_categories } : {}),
      ...(spec.description ? { description: spec.description } : {}),
      files,
      lineage,
    },
    current,
    file,
  );
}

/** Problems of a dataset card, judged against the data's own splits and row counts. */
export async function checkDatasetCardText(root: string, spec: DatasetSpec, text: string, file: string) {
  const files = await readDatasetFiles(root, spec.path, file).catch((thrown: unknown) => {
    // Without the data the card can still be checked for shape, not for staleness.
    if (thrown instanceof TrainyardError) return undefined;
    throw thrown;
  });
  return checkCard(text, file, { type: "dataset", ...(files ? { datasetInfo: datasetInfo(files) } : {}) });
}
