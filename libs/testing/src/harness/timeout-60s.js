/* global jest */
// Jest ignores `testTimeout` inside a multi-project config, so the tiers that talk to real servers
// set theirs here (setupFilesAfterEnv), per test file.
jest.setTimeout(60_000);
