// Debian's chromium driven by playwright-core (Playwright's own browser download does not work on
// these machines). `.ci/run` installs chromium with apt-get when it is missing; under CI a missing
// browser fails the run, elsewhere the browser tests are reported as skipped with the reason.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBoolean } from '@regiograph/shared';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots and downloads the browser tests leave behind (git-ignored). */
export const ARTIFACTS_DIR = path.join(__dirname, 'artifacts');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (readBoolean('CI', false))
    throw new Error(
      `chromium is missing at ${CHROMIUM_PATH}: install it with apt-get install -y chromium (.ci/run does) or set CHROMIUM_PATH`,
    );
  console.warn(
    `Browser tests skipped: no chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH). CI never skips them.`,
  );
  return false;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** How the browser presents itself: a desktop window unless told otherwise (a phone: its size and touch). */
export interface BrowserOptions {
  viewport?: { width: number; height: number };
  hasTouch?: boolean;
  isMobile?: boolean;
  /** CSS px to device px: 2 to 3 on a phone. */
  deviceScaleFactor?: number;
}

/** What every window of the browser tests starts with: downloads kept, a desktop size, German. */
const CONTEXT_DEFAULTS = { acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: 'de-DE' };

/** A fresh browser with a new, empty profile directory. */
export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'regiograph-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    ...CONTEXT_DEFAULTS,
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One chromium whose windows are contexts of their own: each with its own cookies, storage, clock and device. */
export interface SharedBrowser extends Browser {
  /** A new, empty context of the same chromium, a desktop window unless told otherwise; close it after use. */
  newContext(options?: BrowserOptions): Promise<Browser>;
}

/**
 * One chromium for a whole test file: `context` is its desktop window, and a test that needs a phone or
 * a clock of its own opens a context with `newContext` instead of starting another chromium (each
 * chromium costs the file several CPU s to start and to run).
 */
export async function launchSharedBrowser(): Promise<SharedBrowser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const chromiumBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
  const newContext = async (options: BrowserOptions = {}): Promise<Browser> => {
    const context = await chromiumBrowser.newContext({ ...CONTEXT_DEFAULTS, ...options });
    return { context, close: () => context.close() };
  };
  const { context } = await newContext();
  return { context, newContext, close: () => chromiumBrowser.close() };
}
