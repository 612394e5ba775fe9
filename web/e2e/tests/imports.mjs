// Excel import: a committed workbook with one bad row, refused whole, then
// imported with 跳过错误行 (a second run finds its good row unchanged).
import { fileURLToPath } from 'node:url'
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'

export async function run() {
  // Excel import: a file with one bad row is refused whole, its error shown
  // by row, column and reason; with 跳过错误行 the good row is imported.
  await scenario('jinjiang imports organizations from Excel', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    await page.getByTestId('menu-import').click()
    await page.waitForURL((u) => u.pathname === '/imports')
    const tpl = await page.getByTestId('import-template').getAttribute('href')
    const tplRes = await page.request.get(`${BASE}${tpl}`)
    assert(tplRes.ok() && (tplRes.headers()['content-type'] || '').includes('spreadsheetml'), `the template link ${tpl} answered ${tplRes.status()}`)

    const fixture = fileURLToPath(new URL('../fixtures/organizations-one-bad-row.xlsx', import.meta.url))
    await page.getByTestId('import-file').setInputFiles(fixture)
    await page.getByTestId('import-start').click()
    const status = page.getByTestId('import-status')
    await page.waitForFunction(() => ['done', 'rejected', 'failed'].includes(
      document.querySelector('[data-testid="import-status"]')?.getAttribute('data-status') ?? ''))
    assert((await status.getAttribute('data-status')) === 'rejected', `a file with a bad row ended ${await status.innerText()}`)
    const errors = page.getByTestId('import-errors').locator('.el-table__body tr')
    assert((await errors.count()) === 1, `the error table has ${await errors.count()} rows`)
    const errText = await errors.first().innerText()
    for (const want of ['3', 'A列 统一社会信用代码', '91510104MA7E000291', '校验位']) {
      assert(errText.includes(want), `the error row lacks "${want}": ${errText}`)
    }
    assert((await page.getByTestId('import-imported').innerText()) === '0', 'a refused file imported rows')
    const copy = await page.getByTestId('import-error-copy').getAttribute('href')
    const copyRes = await page.request.get(`${BASE}${copy}`)
    assert(copyRes.ok(), `the error copy answered ${copyRes.status()}`)
    await shot(page, 'import-rejected-1366')

    // again, importing the good row (a second run of the suite finds it unchanged)
    await page.getByTestId('import-skip').click()
    await page.getByTestId('import-start').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="import-status"]')?.getAttribute('data-status') === 'done'
      || document.querySelector('[data-testid="import-status"]')?.getAttribute('data-status') === 'failed')
    assert((await status.getAttribute('data-status')) === 'done', `the skip-invalid import ended ${await status.innerText()}`)
    const imported = Number(await page.getByTestId('import-imported').innerText())
    const unchanged = Number(await page.getByTestId('import-unchanged').innerText())
    assert(imported + unchanged === 1 && (await page.getByTestId('import-rejected').innerText()) === '1',
      `imported ${imported}, unchanged ${unchanged}: ${await page.getByTestId('import-counts').innerText()}`)
    const recent = page.getByTestId('import-recent').locator('.el-table__body tr')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="import-recent"] .el-table__body tr').length >= 2)
    assert((await recent.first().innerText()).includes('导入完成'), `the recent jobs start with ${await recent.first().innerText()}`)
    await shot(page, 'import-done-1366')

    // the imported organization is in the list
    const found = await api(page, 'GET', '/api/v1/organizations?q=91510104MA7E00010U')
    assert(found.body?.total === 1, `the imported organization is not listed: ${JSON.stringify(found.body)}`)
  })
}
