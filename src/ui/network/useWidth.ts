/** The content width of an element, followed with a ResizeObserver, so a view can be drawn to its panel's width. */
import { useEffect, useRef, useState, type RefObject } from 'react';

/** A ref to attach and the element's current content width in CSS pixels (`fallback` until measured). */
export function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry.contentRect.width);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
