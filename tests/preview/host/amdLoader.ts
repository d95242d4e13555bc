// Loads the built plugin the way Grafana's SystemJS AMD loader does: module.js calls the global `define` with the
// names of its externals, and the special "module" dependency tells webpack's public path where its chunks live.
import { sharedModules } from './sharedModules';

type Factory = (...deps: unknown[]) => unknown;

export function loadAmdModule(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const define = (...args: unknown[]) => {
      const factory = args[args.length - 1] as Factory;
      const deps = (args.find(Array.isArray) as string[] | undefined) ?? [];
      const missing = deps.filter((name) => name !== 'module' && !(name in sharedModules));
      if (missing.length > 0) {
        reject(new Error(`module.js needs modules the preview host does not share: ${missing.join(', ')}`));
        return;
      }
      const resolved = deps.map((name) => (name === 'module' ? { id: url, uri: url } : sharedModules[name]));
      try {
        resolve(factory(...resolved) as Record<string, unknown>);
      } catch (err) {
        reject(err);
      }
    };
    define.amd = {};
    Object.assign(window, { define });

    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.appendChild(script);
  });
}
