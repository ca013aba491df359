import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@commerce/testing';
import { type Browser, chromium } from 'playwright-core';

/** Debian's `chromium` (apt-get install chromium); CHROMIUM_PATH to use another build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests write their screenshots (the key ones are copied to docs/admin/). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'e2e', '.artifacts', 'browser');

/** A headless Chromium from the system's package; no browser is downloaded. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // --no-sandbox: CI and the dev machines run the tests as root, where Chromium's sandbox refuses.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}

export const screenshotPath = (name: string) => join(SCREENSHOT_DIR, `${name}.png`);
