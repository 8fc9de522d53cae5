/** A collapsible section of the left column, its heading a button (open state in the store's ui slice). */
import type { ReactNode } from 'react';
import { selectOpen } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import type { PanelId } from '../../store/uiSlice.ts';

/** Props of {@link Section}. */
export interface SectionProps {
  id: PanelId;
  title: string;
  /** Shown beside the title when settings in the section wait for a reset. */
  pending?: boolean;
  children: ReactNode;
}

/** A titled, collapsible group of controls. */
export function Section({ id, title, pending = false, children }: SectionProps) {
  const open = useStore(selectOpen)[id];
  const toggle = useStore((s) => s.togglePanel);
  return (
    <section className="section" aria-labelledby={`section-${id}`}>
      <h2 className="section-title">
        <button id={`section-${id}`} type="button" aria-expanded={open} aria-controls={`section-${id}-body`} title={`${open ? 'Hide' : 'Show'} the ${title.toLowerCase()} settings`} onClick={() => toggle(id)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}
          {pending && <span className="pending-dot" title="Some settings here need a reset" />}
        </button>
      </h2>
      <div id={`section-${id}-body`} className="section-body" hidden={!open}>
        {children}
      </div>
    </section>
  );
}
