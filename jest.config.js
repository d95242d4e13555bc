// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  // the scaffold's jsdom environment, plus a quick exit for the worker process once it is idle (see the file)
  testEnvironment: '<rootDir>/jest-environment.js',
  // d3-color and friends ship .mjs files that jest cannot load untransformed.
  transform: { ...base.transform, '^.+\\.mjs$': swc },
  // The scaffold's react-inlinesvg mock spends seconds on a regex per inline illustration; see the replacement.
  // room for several 30 s waits (jest-setup.js) before a test is cut
  testTimeout: 120000,
  moduleNameMapper: { ...base.moduleNameMapper, 'react-inlinesvg': '<rootDir>/src/testing/inlineSvgMock.tsx' },
};
