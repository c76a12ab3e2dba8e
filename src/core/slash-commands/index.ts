export * from "./find-command-lines.js";
export * from "./parse-slash-commands.js";
export * from "./render-help.js";
export * from "./parse-exp-command.js";
