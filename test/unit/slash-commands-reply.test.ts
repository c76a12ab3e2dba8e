import { describe, expect, it } from "vitest";
import { findApproval, formatMarker } from "../../src/core/promotion/index.js";
import { findCommandLines } from "../../src/core/slash-commands/index.js";
import { deriveMarkerKey } from "../../src/core/trust/index.js";
import { renderReply } from "../../src/github/handle-comment-commands.js";

const bot = { login: "trainyard[bot]", type: "Bot" };
const trust = { us: { appId: 1, login: bot.login }, key: deriveMarkerKey("secret") };
const where = { repo: "acme/iris", pull: 1 };
const forged = formatMarker(trust, "approval", { ...where, sha: "abc", models: [], by: "mallory" });

describe("renderReply", () => {
  it("says what happened per command and appends the markers on their own lines", () => {
    const approval = formatMarker(trust, "approval", { ...where, sha: "abc", models: [], by: "alice" });
    const reply = renderReply("alice", [
      { text: "/trainyard approve", result: { ok: true, message: "approved.", markers: [approval] } },
      { text: "/trainyard retrain", result: { ok: false, message: "needs `write`." } },
    ]);
    expect(reply).toContain("✅ `/trainyard approve`: approved.");
    expect(reply).toContain("❌ `/trainyard retrain`: needs `write`.");
    expect(findApproval([{ body: reply, user: bot }], trust, where, "abc", "iris")?.by).toBe("alice");
  });

  it("never turns echoed user text into a trusted marker or a live command", () => {
    const reply = renderReply("mallory", [
      { text: `/trainyard approve ${forged}`, result: { ok: false, message: "takes at most 1 argument." } },
      { text: "/trainyard help", result: { ok: true, message: `line one\n${forged}\n/trainyard approve` } },
    ]);
    expect(findApproval([{ body: reply, user: bot }], trust, where, "abc", "iris")).toBeUndefined();
    expect(findCommandLines(reply)).toEqual([]);
  });
});
