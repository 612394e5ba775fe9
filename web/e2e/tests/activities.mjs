// 组织生活 and 三会一课台账, as the branch secretary. Every run plans a new activity.
import { join } from 'node:path'
import { newPage } from '../lib/browser.mjs'
import { BASE, OUT, SHOTS } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'
import { fillDate, uniqueName } from '../lib/ui.mjs'

/** Shanghai wall-clock "YYYY-MM-DD HH:mm:ss" of a time in ms. */
function shanghaiText(ms) {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ')
}

export async function run() {
  // 组织生活: a branch secretary plans a 主题党日 for today, shows its check-in
  // code and poster, marks a member present by hand; then opens 三会一课台账.
  await scenario('branch plans a 主题党日, shows its code and poster, marks attendance; 三会一课台账', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'branch')
    await page.getByTestId('menu-activity').click()
    await page.waitForURL((u) => u.pathname === '/activities')
    await page.getByTestId('activities-table').waitFor()

    // today, started a few minutes ago (so that attendance can be taken), two hours
    const now = Date.now()
    const today = shanghaiText(now).slice(0, 10)
    let start = now - 5 * 60 * 1000
    if (shanghaiText(start).slice(0, 10) !== today) start = Date.parse(`${today}T00:00:00+08:00`)
    const startText = shanghaiText(start).slice(0, 16) + ':00'
    const endText = shanghaiText(start + 2 * 3600 * 1000).slice(0, 16) + ':00'
    const title = uniqueName('测试主题党日')

    await page.getByTestId('activity-create').click()
    const dialog = page.getByTestId('activity-form-dialog')
    await page.getByTestId('activity-form-title').waitFor()
    const typeText = await page.getByTestId('activity-form-type').innerText()
    assert(typeText.includes('主题党日'), `the new activity's type is "${typeText}"`)
    await page.getByTestId('activity-form-title').fill(title)
    await fillDate(page, 'activity-form-starts-item', startText)
    await fillDate(page, 'activity-form-ends-item', endText)
    await page.getByTestId('activity-form-address').fill('党群服务中心二楼会议室')
    await shot(page, 'activity-form-1366')
    await page.getByTestId('activity-form-submit').click()
    await dialog.waitFor({ state: 'hidden' }).catch(async () => {
      const errs = await dialog.locator('.el-form-item__error, .el-alert').allTextContents()
      const msg = await page.locator('.el-message').allTextContents()
      throw new Error(`the activity form did not close: ${[...errs, ...msg].join('; ')}`)
    })

    // the detail
    await page.waitForURL((u) => /^\/activities\/\d+$/.test(u.pathname))
    await page.getByTestId('activity-detail-title').filter({ hasText: title }).waitFor()
    const fields = await page.getByTestId('activity-fields').innerText()
    for (const want of ['主题党日', today, '党群服务中心二楼会议室']) assert(fields.includes(want), `the detail does not show ${want}`)
    assert((await page.getByTestId('activity-detail-status').innerText()).includes('计划中'), 'the new activity is not 计划中')

    // the check-in code loads as an image
    await page.getByTestId('activity-qr').click()
    const qr = page.getByTestId('checkin-qr')
    await qr.waitFor()
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="checkin-qr"]')
      return img && img.complete && img.naturalWidth > 0
    })
    assert((await page.getByTestId('checkin-code').innerText()).trim().length > 10, 'no code text under the QR image')
    await shot(page, 'activity-qr-1366')
    await page.keyboard.press('Escape')
    await page.getByTestId('qr-dialog').waitFor({ state: 'hidden' })

    // the poster: no main layout, the large QR image, the call to scan
    const detailPath = new URL(page.url()).pathname
    const posterHref = await page.getByTestId('activity-poster').getAttribute('href')
    assert(posterHref === `${detailPath}/poster`, `the poster link is ${posterHref}`)
    const poster = await page.context().newPage()
    await poster.goto(`${BASE}${posterHref}`)
    await poster.getByTestId('poster-title').filter({ hasText: title }).waitFor()
    await poster.waitForFunction(() => {
      const img = document.querySelector('[data-testid="poster-qr"]')
      return img && img.complete && img.naturalWidth > 0
    })
    const qrSrc = await poster.getByTestId('poster-qr').getAttribute('src')
    assert(qrSrc.includes('size=600'), `the poster's QR image is ${qrSrc}`)
    const posterText = await poster.getByTestId('poster-page').innerText()
    for (const want of ['请使用党员手机扫码签到', '党群服务中心二楼会议室', '主题党日']) assert(posterText.includes(want), `the poster lacks ${want}`)
    assert((await poster.getByTestId('side-menu').count()) === 0, 'the poster shows the side menu')
    await poster.emulateMedia({ media: 'print' })
    assert(!(await poster.getByTestId('poster-print').isVisible()), 'the print button shows when printing')
    if (SHOTS) await poster.screenshot({ path: join(OUT, 'activity-poster-print.png'), fullPage: true })
    await poster.close()

    // a member marked present by hand: 实到 becomes 1
    const roster = page.getByTestId('roster-table')
    await roster.locator('.el-table__body tr').first().waitFor()
    assert((await page.getByTestId('stat-present').innerText()).trim() === '0', 'a new activity already has attendance')
    const marked = page.waitForResponse((r) => r.url().includes('/attendance') && r.request().method() === 'PUT')
    await roster.getByTestId('mark-present').first().click()
    const res = await marked
    assert(res.status() === 200, `marking present answered ${res.status()}: ${await res.text()}`)
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-present"]')?.textContent?.trim() === '1')
    assert((await roster.getByTestId('roster-kind').first().innerText()).includes('出席'), 'the marked member is not 出席')
    await shot(page, 'activity-detail-1366')

    // the list finds it
    await page.getByTestId('menu-activity').click()
    await page.getByTestId('activity-q').fill(title)
    await page.getByTestId('activity-search').click()
    await page.getByTestId('activities-table').getByTestId('activity-title').filter({ hasText: title }).waitFor()

    // 三会一课台账: the summary table
    await page.getByTestId('menu-ledger').click()
    await page.waitForURL((u) => u.pathname === '/compliance')
    const summary = page.getByTestId('compliance-summary')
    await summary.locator('.el-table__body tr').first().waitFor()
    await page.locator('[data-testid="compliance-bar"] canvas').waitFor()
    const summaryText = await summary.innerText()
    assert(/\d/.test(summaryText), `the summary shows no figures: ${summaryText}`)
    await shot(page, 'compliance-1366')
  })
}
