// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { configure } from '@testing-library/dom';

// How long findBy*/waitFor keep looking before they fail. @grafana/ui tables and Scenes pages take seconds to render
// on a busy 2-core machine (a CI run failed at 10 s under load): this is patience, not a timing assertion, since a
// wait ends as soon as what it looks for is there. React Testing Library shares this one configuration.
configure({ asyncUtilTimeout: 30000 });

// Scenes' lazy loading uses IntersectionObserver, which jsdom lacks.
class IntersectionObserverStub {
  constructor(callback) {
    this.callback = callback;
  }
  observe(target) {
    this.callback([{ isIntersecting: true, target }], this);
  }
  unobserve() {}
  disconnect() {}
}
global.IntersectionObserver = IntersectionObserverStub;

// @grafana/ui's Combobox measures option text on a canvas; jsdom has no canvas.
HTMLCanvasElement.prototype.getContext = () => ({ measureText: (text) => ({ width: text.length * 8 }) });

// Scenes' panels size themselves with ResizeObserver, which jsdom lacks.
global.ResizeObserver = class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// Scenes' panels load their plugin through Grafana at run time; in unit tests an empty panel stands in (what the
// tests check is the query and the page around it, not the visualisation). Registered when a test first loads
// @grafana/runtime, not here: importing Grafana's packages costs seconds per test file, which tests of pure
// functions need not pay.
jest.mock('@grafana/runtime', () => {
  const runtime = jest.requireActual('@grafana/runtime');
  runtime.setPluginImportUtils({
    importPanelPlugin: (id) => {
      const { PanelPlugin } = jest.requireActual('@grafana/data');
      return Promise.resolve(Object.assign(new PanelPlugin(() => null), { meta: { id, info: { version: '1' } } }));
    },
    getPanelPluginFromCache: () => undefined,
  });
  return runtime;
});

// Floating UI places tooltips and menus from layout, which jsdom lacks (every rect is 0), so the positions it
// computes here mean nothing. Each one still walks the element's ancestors through jsdom's getComputedStyle, a pass
// over every style rule per ancestor: seconds per test file. Popups still mount and show their content; they keep
// the place Floating UI gives them before it measures.
jest.mock('@floating-ui/dom', () => ({ ...jest.requireActual('@floating-ui/dom'), autoUpdate: () => () => {} }));
