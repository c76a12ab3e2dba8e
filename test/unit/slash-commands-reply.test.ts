import { describe, expect, it } from "vitest";
import { findApproval, formatMarker } from "../../src/core/promotion/index.js";
import { findCommandLines } from "../../src/core/slash-commands/index.js";
import { renderReply } from "../../src/github/handle-comment-commands.js";

const bot = { login: "trainyard[bot]", type: "Bot" };
const forged = formatMarker("approval", { sha: "abc", models: [], by: "mallory" });

describe("renderReply", () => {
  it("says what happened per command and appends the markers on their own lines", () => {
    const approval = formatMarker("approval", { sha: "abc", models: [], by: "alice" });
    const reply = renderReply("alice", [
      { text: "/trainyard approve", result: { ok: true, message: "approved.", markers: [approval] } },
      { text: "/trainyard retrain", result: { ok: false, message: "needs `write`." } },
    ]);
    expect(reply).toContain("✅ `/trainyard approve`: approved.");
    expect(reply).toContain("❌ `/trainyard retrain`: needs `write`.");
    expect(findApproval([{ body: reply, user: bot }], bot.login, "abc", "iris")?.by).toBe("alice");
  });

  it("never turns echoed user text into a trusted marker or a live command", () => {
    const reply = renderReply("mallory", [
      { text: `/trainyard approve ${forged}`, result: { ok: false, message: "takes at most 1 argument." } },
      { text: "/trainyard help", result: { ok: true, message: `line one\n${forged}\n/trainyard approve` } },
    ]);
    expect(findApproval([{ body: reply, user: bot }], bot.login, "abc", "iris")).toBeUndefined();
    expect(findCommandLines(reply)).toEqual([]);
  });
});
