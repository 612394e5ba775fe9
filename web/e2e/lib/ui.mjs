// Page and test-data helpers used by more than one feature.
import { assert } from './report.mjs'

/** A name no earlier run has used (the demo server may run for long). */
export function uniqueName(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase()
}

/** Types a date into the date picker of the form item `testid`. */
export async function fillDate(page, testid, value) {
  const el = page.getByTestId(testid).locator('input').first()
  await el.click()
  await el.fill(value)
  await el.press('Enter')
}

/** No horizontal scroll at phone width. */
export async function assertNoHScroll(page, where) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth])
  assert(sw <= cw, `${where} scrolls sideways at ${cw}px: ${sw}px wide`)
}
