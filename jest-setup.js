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
