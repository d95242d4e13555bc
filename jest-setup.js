// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

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
