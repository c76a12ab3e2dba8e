/**
 * A card someone wrote by hand has no `<!-- trainyard:manual … -->` regions, so regenerating it
 * would keep nothing of it. Before the first regeneration its body is wrapped, as it is, into one
 * manual region; the front matter stays (renderCard keeps the keys Trainyard does not manage).
 */
import { manualBegin, manualEnd, parseCard } from "./card-document.js";

export const ADOPTED_REGION = "hand-written";

export function adoptHandWrittenCard(previous: string, file: string): { text: string; adopted: boolean } {
  const card = parseCard(previous, file);
  if (card.manual.size > 0 || card.markerProblems.length > 0 || card.body.trim() === "") {
    return { text: previous, adopted: false };
  }
  const lines = previous.replace(/\r\n/g, "\n").split("\n");
  const head = lines.slice(0, card.bodyLine - 1).join("\n");
  const body = card.body.trim();
  const wrapped = `${manualBegin(ADOPTED_REGION)}\n${body}\n${manualEnd(ADOPTED_REGION)}\n`;
  return { text: head ? `${head}\n${wrapped}` : wrapped, adopted: true };
}
