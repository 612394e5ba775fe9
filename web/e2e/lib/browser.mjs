// One headless chromium (Debian's, through playwright-core) for the whole run; every
// page gets a context of its own, so no cookie or storage passes from one to another.
import { chromium } from 'playwright-core'
import { CHROMIUM, DESKTOP, TIMEOUT } from './env.mjs'

let browser

export async function launch() {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

export async function closeBrowser() {
  await browser?.close()
}

export async function newPage(viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  context.setDefaultTimeout(TIMEOUT)
  const page = await context.newPage()
  page.on('pageerror', (e) => console.error(`  # page error: ${e.message}`))
  return page
}
