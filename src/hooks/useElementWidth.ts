import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The width of the element the returned ref is put on, followed as it resizes (the window, Grafana's side menu
 * docking). Undefined until measured, and where ResizeObserver reports nothing (jsdom).
 */
export function useElementWidth<T extends HTMLElement>(): [(element: T | null) => void, number | undefined] {
  const [width, setWidth] = useState<number>();
  const observer = useRef<ResizeObserver | undefined>(undefined);
  const ref = useCallback((element: T | null) => {
    observer.current?.disconnect();
    observer.current = undefined;
    if (!element) {
      return;
    }
    observer.current = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) {
        setWidth(Math.round(box.width));
      }
    });
    observer.current.observe(element);
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, width];
}
