/** The class names that hide the panels an embedded link asks to hide (share.css holds the rules). */
import { useLinkStore } from '../../store/share.ts';
import { EMBED_PANELS } from '../../share/schema.ts';

/** `embed-hide-<panel>` for every hidden panel, space-separated (empty when nothing is hidden). */
export function useEmbedClass(): string {
  const embed = useLinkStore((s) => s.embed);
  return EMBED_PANELS.filter((p) => embed[p])
    .map((p) => `embed-hide-${p}`)
    .join(' ');
}
