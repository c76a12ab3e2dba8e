/** A registry history entry from one tag, for the fold in registry-state.ts. Pure. */
import type { RegistryEvent, TagRecord } from "./registry-state.js";
import type { RegistryTag } from "./tag-grammar.js";
import type { TagMessage } from "./tag-message.js";

/**
 * One history entry, its fields in their long-standing order. Built field by field rather than by
 * spreading a base event: this runs once per tag, and the spreads were most of the fold's per-tag
 * time (--cpu-prof, 5,000 tags, Node 20: applyEvent ~10 ms → ~2 ms).
 */
export function historyEvent(
  record: TagRecord,
  tag: RegistryTag,
  message: TagMessage,
  actor: string | undefined,
  version?: string,
  stage?: string,
): RegistryEvent {
  const event: RegistryEvent = {
    tag: record.name,
    action: tag.action,
    artifact: tag.artifact,
    commit: record.commit,
    date: record.date,
    message,
  };
  if (tag.counter !== undefined) event.counter = tag.counter;
  if (actor) event.actor = actor;
  if (version !== undefined) event.version = version;
  if (stage !== undefined) event.stage = stage;
  return event;
}
