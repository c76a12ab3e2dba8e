/**
 * Source of the hashing/walking worker, kept as a plain JS string so that `new Worker(src, {eval})`
 * works the same under tsx, vitest and the compiled build. Synchronous reads inside a worker are
 * much faster here than many `fs.promises` reads in flight.
 *
 * Messages in:  { id, op: "hash", files: [{ src, tmp?, sync? }] }   (tmp: also copy the bytes there)
 *               { id, op: "walk", root, dirs: string[], fileChunks: [{ id, names }] }
 * Messages out: { id, results: [{ hex, size } | { error: { code, message } }] }
 *               { id, walk: { paths, count, ino, size, mtime, mode, symlinks, others, segments } }
 * The same source also runs on the calling thread for small jobs (see walk-tree.ts).
 */
export const HASH_WORKER_SOURCE = String.raw`
const fs = require("node:fs");
const crypto = require("node:crypto");
const { parentPort } = require("node:worker_threads");
const CHUNK = 4 * 1024 * 1024;
let buffer = null;

function writeAll(fd, buf, length) {
  let done = 0;
  while (done < length) done += fs.writeSync(fd, buf, done, length - done);
}

function hashOne(src, tmp, sync) {
  buffer = buffer || Buffer.allocUnsafe(CHUNK);
  const fd = fs.openSync(src, "r");
  let out = -1;
  try {
    if (tmp) out = fs.openSync(tmp, "wx", 0o444);
    let n = fs.readSync(fd, buffer, 0, CHUNK, null);
    if (n < CHUNK && out < 0 && crypto.hash) {
      const extra = fs.readSync(fd, buffer, n, 1, null);
      // Small file, read whole: the one-shot digest avoids a Hash object per file.
      if (extra === 0) return { hex: crypto.hash("sha256", buffer.subarray(0, n), "hex"), size: n };
      n += extra; // a short read after all: keep that byte and go on
    }
    const hash = crypto.createHash("sha256");
    let size = 0;
    for (;;) {
      if (n === 0) break;
      hash.update(n === CHUNK ? buffer : buffer.subarray(0, n));
      if (out >= 0) writeAll(out, buffer, n);
      size += n;
      n = fs.readSync(fd, buffer, 0, CHUNK, null);
    }
    if (out >= 0 && sync) fs.fdatasyncSync(out);
    return { hex: hash.digest("hex"), size };
  } finally {
    fs.closeSync(fd);
    if (out >= 0) fs.closeSync(out);
  }
}

// Walk each start folder depth-first with entries sorted by name (folders as "name/"), which yields
// paths in code-unit order without a global sort; then stat each chunk of top-level file names.
// Each start folder or chunk is a segment with a signature over its files' (path, ino, size, mtime,
// mode), so an unchanged tree is recognised without looking at each file again.
function walk(root, dirs, fileChunks) {
  const paths = [], ino = [], size = [], mtime = [], mode = [], symlinks = [], others = [], segments = [];
  // The signature input is packed into one reused buffer (no per-file strings: less garbage).
  let sig = Buffer.allocUnsafe(1 << 20);
  let sigLength = 0;
  let maxMtime = 0n;
  const addFile = (childRel) => {
    const st = fs.lstatSync(root + "/" + childRel, { bigint: true });
    if (st.isSymbolicLink()) return symlinks.push(childRel);
    if (!st.isFile()) return others.push(childRel);
    const m = Number(st.mode & 0o777n);
    const i = Number(st.ino);
    const n = Number(st.size);
    paths.push(childRel);
    ino.push(i);
    size.push(n);
    mtime.push(st.mtimeNs);
    mode.push(m);
    if (st.mtimeNs > maxMtime) maxMtime = st.mtimeNs;
    if (sigLength + childRel.length * 3 + 32 > sig.length) {
      const bigger = Buffer.allocUnsafe(sig.length * 2 + childRel.length * 3);
      sig.copy(bigger, 0, 0, sigLength);
      sig = bigger;
    }
    sigLength += sig.write(childRel, sigLength);
    sig[sigLength++] = 0;
    sigLength = sig.writeDoubleLE(i, sigLength);
    sigLength = sig.writeDoubleLE(n, sigLength);
    sigLength = sig.writeBigInt64LE(st.mtimeNs, sigLength);
    sigLength = sig.writeUInt16LE(m, sigLength);
  };
  const visit = (rel) => {
    const keyed = fs.readdirSync(root + "/" + rel, { withFileTypes: true }).map((e) => [e.isDirectory() ? e.name + "/" : e.name, e]);
    keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [, entry] of keyed) {
      const childRel = rel + "/" + entry.name;
      if (entry.isDirectory()) visit(childRel);
      else if (entry.isFile()) addFile(childRel);
      else if (entry.isSymbolicLink()) symlinks.push(childRel);
      else others.push(childRel);
    }
  };
  const close = (id, first) => {
    const digest = crypto.createHash("sha256").update(sig.subarray(0, sigLength)).digest("hex");
    segments.push({ id, first, count: paths.length - first, sig: digest, maxMtime });
    sigLength = 0;
    maxMtime = 0n;
  };
  for (const dir of dirs) {
    const first = paths.length;
    visit(dir);
    close(dir + "/", first);
  }
  for (const chunk of fileChunks || []) {
    const first = paths.length;
    for (const name of chunk.names) addFile(name);
    close(chunk.id, first);
  }
  return {
    paths: paths.join("\0"),
    count: paths.length,
    ino: Float64Array.from(ino),
    size: Float64Array.from(size),
    mtime: BigInt64Array.from(mtime),
    mode: Uint16Array.from(mode),
    symlinks,
    others,
    segments,
  };
}

// parentPort is null when this source is evaluated on the calling thread (walk-tree.ts).
if (parentPort) parentPort.on("message", (msg) => {
  if (msg.op === "hash") {
    const results = msg.files.map((f) => {
      try {
        return hashOne(f.src, f.tmp, f.sync !== false);
      } catch (error) {
        return { error: { code: error.code, message: error.message } };
      }
    });
    parentPort.postMessage({ id: msg.id, results });
  } else if (msg.op === "walk") {
    try {
      const w = walk(msg.root, msg.dirs, msg.fileChunks);
      parentPort.postMessage({ id: msg.id, walk: w }, [w.ino.buffer, w.size.buffer, w.mtime.buffer, w.mode.buffer]);
    } catch (error) {
      parentPort.postMessage({ id: msg.id, error: { code: error.code, message: error.message } });
    }
  }
});
`;
