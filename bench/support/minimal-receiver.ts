/**
 * The baseline: a node:http receiver that only verifies X-Hub-Signature-256 (HMAC-SHA256,
 * constant-time compare) and answers 202. Secret from WEBHOOK_SECRET; prints `{"port":N}`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const secret = process.env.WEBHOOK_SECRET ?? "";
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const expected = Buffer.from(
      `sha256=${createHmac("sha256", secret).update(Buffer.concat(chunks)).digest("hex")}`,
    );
    const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    res.writeHead(ok ? 202 : 401).end();
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
