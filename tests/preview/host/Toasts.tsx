// Grafana shows appEvents alerts as toasts; the preview lists them in a fixed box so the test can read them.
import { AppEvents } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';
import React, { isValidElement, useEffect, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  kind: 'success' | 'warning' | 'error';
  parts: ReactNode[];
}

const kinds = [
  ['success', AppEvents.alertSuccess],
  ['warning', AppEvents.alertWarning],
  ['error', AppEvents.alertError],
] as const;

function asNode(part: unknown): ReactNode {
  return typeof part === 'string' || isValidElement(part) ? part : JSON.stringify(part);
}

export function Toasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    let next = 0;
    const subscriptions = kinds.map(([kind, event]) =>
      getAppEvents().subscribe({ type: event.name } as never, (e: { payload?: unknown }) => {
        const parts = Array.isArray(e.payload) ? e.payload : [e.payload];
        setToasts((list) => [...list, { id: next++, kind, parts: parts.filter(Boolean).map(asNode) }]);
      })
    );
    return () => subscriptions.forEach((s) => s.unsubscribe());
  }, []);

  return (
    <div style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 10000, display: 'grid', gap: 8, maxWidth: 420 }}>
      {toasts.map((toast) => (
        <div
          key={toast.id}
          role="status"
          data-testid={`preview-toast-${toast.kind}`}
          style={{
            padding: '8px 12px',
            borderRadius: 4,
            color: '#fff',
            background: toast.kind === 'success' ? '#1a7f4b' : toast.kind === 'warning' ? '#b26a00' : '#c4162a',
          }}
        >
          {toast.parts.map((part, i) => (
            <div key={i}>{part}</div>
          ))}
        </div>
      ))}
    </div>
  );
}
