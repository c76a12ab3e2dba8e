/** The `/trainyard help` reply. Pure; the permission table comes from the enforced defaults. */
import {
  describeCommandPermissions,
  type ModelAccessConfig,
  renderPermissionTable,
} from "../authorization/index.js";

export function renderHelp(config?: ModelAccessConfig): string {
  return [
    "**Trainyard commands** (one per line, at the start of the line, outside code blocks and quotes):",
    "",
    "- `/trainyard promote <model> <stage> [version]`: assign a version (default: the latest) to a stage",
    "- `/trainyard approve [model]`: approve this pull request's model versions for production",
    "- `/trainyard rollback <model> <stage>`: put the previous version back in a stage",
    "- `/trainyard retrain [model]`: start the training workflow (`repository_dispatch: trainyard-retrain`)",
    "- `/trainyard exp key=value[,value…] …`: run every variant of the sweep as an Actions matrix (`repository_dispatch: trainyard-experiments`) and rank them in one comment",
    "- `/trainyard exp apply <name>`: commit that experiment's params and lock to this pull request's branch (nothing is retrained)",
    "- `/trainyard help`: this message",
    "",
    renderPermissionTable(describeCommandPermissions(config)),
  ].join("\n");
}
