/**
 * Write sweep values into the params file's YAML text, keeping its comments and layout. A key that
 * the params file does not already hold is refused with a did-you-mean hint: a typo in `-S` must
 * not silently run the default. Pure: text in, text out.
 */
import { isMap, parseDocument } from "yaml";
import { didYouMean } from "../config/did-you-mean.js";
import { paramKeys } from "../config/params.js";
import { TrainyardError } from "../errors.js";
import type { Overrides } from "./sweep.js";

export function applyParamOverrides(text: string, file: string, overrides: Overrides): string {
  const doc = parseDocument(text);
  if (doc.errors.length || !isMap(doc.contents)) {
    throw new TrainyardError("config", `${file} is not a YAML mapping of params`, { file });
  }
  const keys = paramKeys(doc.toJS());
  for (const [key, value] of overrides) {
    const path = key.split(".");
    const current: unknown = doc.getIn(path, false);
    if (current === undefined || isMap(current)) {
      throw new TrainyardError(
        "usage",
        `-S ${key}: ${file} has no param ${JSON.stringify(key)}${isMap(current) ? " (it is a section)" : ""}${didYouMean(key, keys)}`,
        { file },
      );
    }
    doc.setIn(path, value);
  }
  return doc.toString();
}
