import { createRequire as __trainyardCreateRequire } from "node:module";
const require = __trainyardCreateRequire(import.meta.url);

// src/io/hashing/hash-worker.ts
import { parentPort } from "node:worker_threads";

// src/core/errors.ts
function toError(thrown) {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === "string" ? thrown : JSON.stringify(thrown));
}
function errnoCode(thrown) {
  if (typeof thrown === "object" && thrown !== null && "code" in thrown) {
    const code = thrown.code;
    return typeof code === "string" ? code : void 0;
  }
  return void 0;
}

// src/io/hashing/hash-core.ts
import { createHash, hash as oneShotHash } from "node:crypto";
import {
  closeSync,
  fdatasyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  writeSync
} from "node:fs";
var CORE_CHUNK_BYTES = 1024 * 1024;
var UNREADABLE_NAME = "TRAINYARD_UNREADABLE_NAME";
function lstatListed(root, childRel) {
  try {
    return lstatSync(`${root}/${childRel}`);
  } catch (thrown) {
    if (errnoCode(thrown) !== "ENOENT" || !childRel.includes("�")) throw thrown;
    const shown = JSON.stringify(childRel);
    throw Object.assign(
      new Error(
        `the file name ${shown} is not valid UTF-8 (shown with U+FFFD): rename it so it can be versioned`
      ),
      { code: UNREADABLE_NAME }
    );
  }
}
var sharedBuffer;
function reusedBuffer() {
  if (!sharedBuffer) sharedBuffer = Buffer.allocUnsafe(CORE_CHUNK_BYTES);
  return sharedBuffer;
}
function writeAll(fd, buffer, length) {
  let done = 0;
  while (done < length) done += writeSync(fd, buffer, done, length - done);
}
function hashFileSyncCore(job, buffer = reusedBuffer()) {
  const chunk = buffer.length;
  const fd = openSync(job.src, "r");
  let out = -1;
  try {
    if (job.tmp) out = openSync(job.tmp, "wx", 292);
    let n = readSync(fd, buffer, 0, chunk, null);
    if (n < chunk && out < 0) {
      const extra = readSync(fd, buffer, n, 1, null);
      if (extra === 0) return { hex: oneShotHash("sha256", buffer.subarray(0, n), "hex"), size: n };
      n += extra;
    }
    const hash = createHash("sha256");
    let size = 0;
    while (n > 0) {
      hash.update(n === chunk ? buffer : buffer.subarray(0, n));
      if (out >= 0) writeAll(out, buffer, n);
      size += n;
      n = readSync(fd, buffer, 0, chunk, null);
    }
    if (out >= 0 && job.sync !== false) fdatasyncSync(out);
    return { hex: hash.digest("hex"), size };
  } finally {
    closeSync(fd);
    if (out >= 0) closeSync(out);
  }
}
function walkFolders(root, share) {
  const paths = [];
  const ino = [];
  const size = [];
  const mtime = [];
  const mode = [];
  const symlinks = [];
  const others = [];
  const segments = [];
  let sig = Buffer.allocUnsafe(1 << 20);
  let sigLength = 0;
  let maxMtime = 0;
  const addFile = (childRel, known) => {
    const st = known ?? lstatListed(root, childRel);
    if (st.isSymbolicLink()) return void symlinks.push(childRel);
    if (!st.isFile()) return void others.push(childRel);
    const m = st.mode & 511;
    const i = st.ino;
    const n = st.size;
    const ms = st.mtimeMs;
    paths.push(childRel);
    ino.push(i);
    size.push(n);
    mtime.push(ms);
    mode.push(m);
    if (ms > maxMtime) maxMtime = ms;
    if (sigLength + childRel.length * 3 + 32 > sig.length) {
      const bigger = Buffer.allocUnsafe(sig.length * 2 + childRel.length * 3);
      sig.copy(bigger, 0, 0, sigLength);
      sig = bigger;
    }
    sigLength += sig.write(childRel, sigLength);
    sig[sigLength++] = 0;
    sigLength = sig.writeDoubleLE(i, sigLength);
    sigLength = sig.writeDoubleLE(n, sigLength);
    sigLength = sig.writeDoubleLE(ms, sigLength);
    sigLength = sig.writeUInt16LE(m, sigLength);
  };
  const visit = (rel) => {
    const keyed = readdirSync(`${root}/${rel}`).map((name) => {
      const childRel = `${rel}/${name}`;
      const st = lstatListed(root, childRel);
      return { key: st.isDirectory() ? `${name}/` : name, childRel, st };
    });
    keyed.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    for (const { childRel, st } of keyed) {
      if (st.isDirectory()) visit(childRel);
      else addFile(childRel, st);
    }
  };
  const close = (id, first) => {
    const digest = createHash("sha256").update(sig.subarray(0, sigLength)).digest("hex");
    segments.push({ id, first, count: paths.length - first, sig: digest, maxMtime });
    sigLength = 0;
    maxMtime = 0;
  };
  for (const dir of share.dirs) {
    const first = paths.length;
    visit(dir);
    close(`${dir}/`, first);
  }
  for (const chunk of share.fileChunks) {
    const first = paths.length;
    for (const name of chunk.names) addFile(name);
    close(chunk.id, first);
  }
  return {
    paths: paths.join("\0"),
    count: paths.length,
    ino: Float64Array.from(ino),
    size: Float64Array.from(size),
    mtime: Float64Array.from(mtime),
    mode: Uint16Array.from(mode),
    symlinks,
    others,
    segments
  };
}

// src/io/hashing/hash-worker.ts
function describe(thrown) {
  const code = errnoCode(thrown);
  return { ...code ? { code } : {}, message: toError(thrown).message };
}
var port = parentPort;
if (!port) throw new Error("hash-worker.ts runs as a worker thread only");
port.on("message", (request) => {
  if (request.op === "hash") {
    const results = request.files.map((job) => {
      try {
        return hashFileSyncCore(job);
      } catch (thrown) {
        return { error: describe(thrown) };
      }
    });
    port.postMessage({ id: request.id, results });
    return;
  }
  try {
    const walk = walkFolders(request.root, request);
    port.postMessage({ id: request.id, walk }, [
      walk.ino.buffer,
      walk.size.buffer,
      walk.mtime.buffer,
      walk.mode.buffer
    ]);
  } catch (thrown) {
    port.postMessage({ id: request.id, error: describe(thrown) });
  }
});
