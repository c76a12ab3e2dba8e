/**
 * A token handed to git through its environment, never its command line: argv is readable by every
 * process on the machine (`ps`, /proc/<pid>/cmdline) and lands in traces, while a child's
 * environment is private to it. `GIT_CONFIG_COUNT` adds a credential helper for this one command
 * (nothing is written to .git/config), and the helper prints the token from a variable that only
 * git and the helper see. git asks the helper only when the server answers 401, so a checkout that
 * kept its own credentials (an `http.extraheader`) goes on using those.
 */

import { TrainyardError } from "../../core/errors.js";

/** The variable the helper reads; set only in git's own environment. */
export const GIT_TOKEN_VARIABLE = "TRAINYARD_GIT_TOKEN";

// Shell code run by git (`!` helpers go through sh); it answers `get` and ignores store/erase.
const HELPER = `!f() { test "$1" = get && echo username=x-access-token && echo "password=$${GIT_TOKEN_VARIABLE}"; }; f`;

/** Environment variables making git authenticate HTTPS requests with `token`. */
export function gitCredentialEnv(token: string): Record<string, string> {
  // git's credential protocol is line-based: a newline in the token would add fields of its own.
  if (/[\r\n\0]/.test(token)) throw new TrainyardError("usage", "the token contains a line break or NUL");
  return {
    GIT_CONFIG_COUNT: "2",
    // An empty value first clears helpers from other config (a stored credential must not win).
    GIT_CONFIG_KEY_0: "credential.helper",
    GIT_CONFIG_VALUE_0: "",
    GIT_CONFIG_KEY_1: "credential.helper",
    GIT_CONFIG_VALUE_1: HELPER,
    [GIT_TOKEN_VARIABLE]: token,
  };
}
