import { useLayoutEffect } from 'react';

/** What a screen reader hears of a field beyond its name: whether it is invalid, and the ids of what explains it. */
export interface InputAria {
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/**
 * Sets `aria` on the input with id `id` (undefined values removed), for controls that do not pass them on: Grafana's
 * Combobox gives its input a fixed set of props, without aria-invalid or aria-describedby (@grafana/ui 12.4,
 * dist/esm/components/Combobox/Combobox.mjs, its `getInputProps` call). React leaves attributes it does not render
 * alone, so these stay until the next change.
 */
export function useInputAria(id: string, aria: InputAria): void {
  const invalid = aria['aria-invalid'];
  const describedBy = aria['aria-describedby'];
  useLayoutEffect(() => {
    const input = document.getElementById(id);
    if (!input) {
      return;
    }
    for (const [name, value] of [
      ['aria-invalid', invalid && 'true'],
      ['aria-describedby', describedBy],
    ] as const) {
      if (value) {
        input.setAttribute(name, value);
      } else {
        input.removeAttribute(name);
      }
    }
  }, [id, invalid, describedBy]);
}
