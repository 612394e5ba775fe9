// Scenarios and their report: "ok - name" or "not ok - name" (with the reason and a
// screenshot of the failed page) per scenario, then the counts.
import { join } from 'node:path'
import { OUT } from './env.mjs'

let passed = 0
let failed = 0

export function assert(cond, msg) {
  if (!cond) throw new Error(msg)
}

/**
 * Runs one scenario. fn receives track(page), which returns the page and marks it as the
 * one to photograph on failure; the last tracked page's context is closed afterwards.
 */
export async function scenario(name, fn) {
  let page
  const track = (p) => (page = p)
  try {
    await fn(track)
    passed++
    console.log(`ok - ${name}`)
  } catch (e) {
    failed++
    console.log(`not ok - ${name}`)
    console.log(`  # ${String(e?.message ?? e).split('\n').join('\n  # ')}`)
    if (page) {
      const file = join(OUT, `${name.replace(/[^\w\u4e00-\u9fa5-]+/g, '_')}.png`)
      await page.screenshot({ path: file, fullPage: true }).catch(() => {})
      console.log(`  # screenshot: ${file}`)
    }
  } finally {
    if (page) await page.context().close().catch(() => {})
  }
}

export function counts() {
  return { passed, failed }
}
