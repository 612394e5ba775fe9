// The run's settings, from the environment, and the viewports the features share.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BASE = (process.env.LIANXIN_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '')
export const PASSWORD = process.env.LIANXIN_DEMO_PASSWORD || ''
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
/** Screenshots: of failures always, of the main pages with LIANXIN_E2E_SHOTS=1. */
export const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'out')
export const SHOTS = process.env.LIANXIN_E2E_SHOTS === '1'
export const TIMEOUT = 15000

export const DESKTOP = { width: 1366, height: 768 }
export const PHONE = { width: 390, height: 844 }
