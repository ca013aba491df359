/* global jest */
// Whole-stack tests start several processes per file (see timeout-60s.js for why this is a file).
jest.setTimeout(120_000);
