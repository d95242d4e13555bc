import React from 'react';
import type { InputAria } from '../../hooks/useInputAria';

/**
 * A Field's error message with an id, and the props that tie its control to it, and to `hintId` (what the field
 * accepts, shown under it). Grafana's Field renders its error without an id and its inputs style `invalid` without
 * saying it (nothing in @grafana/ui 12.4 sets aria-invalid), so a screen reader would hear neither on its own.
 */
export function fieldError(
  id: string,
  error: string | undefined,
  hintId?: string
): { message: React.ReactNode; aria: InputAria } {
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : undefined, hintId].filter(Boolean).join(' ');
  return {
    message: error && <span id={errorId}>{error}</span>,
    aria: { 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined },
  };
}
