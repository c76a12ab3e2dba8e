/**
 * The "which command needs what" table, derived from the same defaults and resolver the bot
 * enforces, so the help reply and the README cannot drift from the code.
 */
import { type ModelAccessConfig, productionStageOf, resolveAccessPolicy } from "./resolve-access-policy.js";

export interface CommandPermissionRow {
  command: string;
  permission: string;
  approvers: string;
}

export function describeCommandPermissions(config?: ModelAccessConfig): CommandPermissionRow[] {
  const production = productionStageOf(config);
  const other = resolveAccessPolicy(config, "promote", "any-other-stage");
  const prod = resolveAccessPolicy(config, "promote", production);
  const approve = resolveAccessPolicy(config, "approve");
  const retrain = resolveAccessPolicy(config, "retrain");
  const experiment = resolveAccessPolicy(config, "experiment");
  const gated =
    "must be in the model's `approvers` (users or `org/team`); with none listed, maintainers and admins only";
  return [
    { command: "`/trainyard help`", permission: "anyone", approvers: "—" },
    {
      command: "`/trainyard retrain [model]`",
      permission: `\`${retrain.requiredPermission}\``,
      approvers: "—",
    },
    {
      command: "`/trainyard exp <key=values>…` / `exp apply <name>`",
      permission: `\`${experiment.requiredPermission}\``,
      approvers: "—",
    },
    {
      command: "`/trainyard promote <model> <stage>` / `rollback` (unprotected stages)",
      permission: `\`${other.requiredPermission}\``,
      approvers: "—",
    },
    {
      command: `\`/trainyard promote <model> ${production}\` / \`rollback <model> ${production}\``,
      permission: `\`${prod.requiredPermission}\``,
      approvers: gated,
    },
    {
      command: "`/trainyard approve [model]`",
      permission: `\`${approve.requiredPermission}\``,
      approvers: approve.forbidSelf ? `${gated}; not the pull request's author` : gated,
    },
  ];
}

export function renderPermissionTable(rows: readonly CommandPermissionRow[]): string {
  const lines = ["| Command | Repository permission (at least) | Also |", "| --- | --- | --- |"];
  for (const row of rows) lines.push(`| ${row.command} | ${row.permission} | ${row.approvers} |`);
  lines.push("", "Bot accounts are always refused; if GitHub cannot tell us a permission, the answer is no.");
  return lines.join("\n");
}
