// Screenshots of the main pages, saved only with LIANXIN_E2E_SHOTS=1.
import { join } from 'node:path'
import { OUT, SHOTS } from './env.mjs'

export async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: join(OUT, `${name}.png`) })
}
