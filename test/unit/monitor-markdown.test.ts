/** The Markdown monitoring report: verdict, worst features first, quality table, reasons. */
import { describe, expect, it } from "vitest";
import { buildMonitorReport, parseCsvTable, renderMonitorMarkdown } from "../../src/core/monitor/index.js";
import { csvText, seededNormal } from "../helpers/seeded-normal.js";

const thresholds = { psiMax: 0.2, ksPValueMin: 0.01, bins: 10 };

function report(shift: number, liveAccuracy?: number) {
  return buildMonitorReport({
    reference: parseCsvTable(
      csvText({ "a|b": seededNormal(1, 300), w: seededNormal(2, 300) }),
      "data/ref.csv",
    ),
    current: parseCsvTable(
      csvText({ "a|b": seededNormal(3, 200), w: seededNormal(4, 200, shift) }),
      "data/live/latest.csv",
    ),
    thresholds,
    ...(liveAccuracy === undefined
      ? {}
      : {
          gates: { accuracy: { min: 0.9 } },
          live: { file: "live.json", metrics: { accuracy: liveAccuracy } },
        }),
  });
}

describe("renderMonitorMarkdown", () => {
  it("renders a drifted report with the drifted feature first and the reasons", () => {
    const md = renderMonitorMarkdown(report(2, 0.7));
    expect(md).toMatch(/^## Trainyard monitor: ⚠️ drift or quality threshold crossed\n/);
    expect(md).toContain("Reference `data/ref.csv` (300 rows) vs current `data/live/latest.csv` (200 rows).");
    expect(md).toContain("1 of 2 features drifted.");
    const rows = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));
    expect(rows[0]).toBe("| feature | type | PSI | KS D | KS p-value | rows (missing) | status |");
    expect(rows[1]).toMatch(
      /^\| w \| numeric \| \*\*[\d.]+\*\* \| [\d.]+ \| \*\*[\de.-]+\*\* \| 200 \(0\) \| ❌ drifted \|$/,
    );
    expect(rows[2]).toMatch(/^\| a\\\|b \| numeric \| [\d.]+ \| .* \| ✅ stable \|$/);
    expect(md).toContain("### Live quality (`live.json`)");
    expect(md).toContain("| accuracy | min 0.9 | 0.7 | — | ❌ fail |");
    expect(md).toContain("### Why\n\n- w: PSI ");
    expect(md).toContain("- live quality: accuracy 0.7 is below the minimum 0.9");
  });

  it("renders a clean report without a reasons section", () => {
    const md = renderMonitorMarkdown(report(0));
    expect(md).toMatch(/^## Trainyard monitor: ✅ within thresholds\n/);
    expect(md).toContain("0 of 2 features drifted.");
    expect(md).not.toContain("### Why");
    expect(md).not.toContain("Live quality");
  });
});
