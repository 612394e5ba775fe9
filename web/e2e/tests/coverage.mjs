// 两个覆盖 / 动态清零: the city's cards, charts, drill-down and export, an
// instructor assigned to an uncovered organization; 锦江区 sees only its own figures.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'

export async function run() {
  // 两个覆盖 / 动态清零: the city sees cards and charts, drills into 锦江区 and
  // exports the uncovered list; 锦江区 sees only its own figures.
  await scenario('city opens 两个覆盖, drills into 锦江区 and exports', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'city')
    await page.getByTestId('menu-coverage').click()
    await page.getByTestId('coverage-card-uncovered').waitFor()
    await page.locator('[data-testid="coverage-bar"] canvas').waitFor()
    await page.locator('[data-testid="coverage-trend"] canvas').waitFor()
    const cityCount = await page.getByTestId('coverage-card-organizations').locator('.value').textContent()
    await page.getByTestId('coverage-breakdown').getByText('锦江区', { exact: true }).click()
    await page.getByTestId('coverage-trail').getByText('锦江区').waitFor()
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="coverage-card-organizations"] .value')?.textContent !== n,
      cityCount,
    )
    await shot(page, 'coverage-jinjiang-1366')
    const download = page.waitForEvent('download')
    await page.getByTestId('coverage-export').click()
    const file = await download
    assert((await file.suggestedFilename()).endsWith('.xlsx'), 'the export is not a workbook')
    await page.getByTestId('coverage-uncovered').locator('.el-table__body tr').first().click()
    await page.waitForURL((u) => /\/organizations\/\d+$/.test(u.pathname))
    const state = page.getByTestId('organization-coverage-state')
    await state.waitFor()
    assert((await state.textContent()).includes('未覆盖'), 'an organization of the uncovered list is not 未覆盖')
    // An instructor assigned from today makes it 工作覆盖.
    await page.getByTestId('coverage-assign').click()
    await page.getByTestId('coverage-assign-person').fill('测试指导员')
    await page.getByTestId('coverage-assign-save').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="organization-coverage-state"]')?.textContent?.includes('工作覆盖'))
  })

  await scenario('jinjiang sees only 锦江区 coverage figures', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    await page.goto(`${BASE}/coverage`)
    await page.getByTestId('coverage-card-uncovered').waitFor()
    const rows = page.getByTestId('coverage-breakdown').locator('.el-table__body tr')
    await rows.first().waitFor()
    const names = await rows.locator('td:first-child').allTextContents()
    assert(names.length === 1 && names[0].includes('锦江区'), `jinjiang sees districts ${names.join('、')}`)
    const r = await api(page, 'GET', '/api/v1/coverage')
    const total = await page.getByTestId('coverage-card-organizations').locator('.value').textContent()
    assert(total === r.body.organizations.toLocaleString('zh-CN'), `card ${total} vs API ${r.body.organizations}`)
    assert((await page.getByTestId('coverage-settings').count()) === 0, 'district staff see the city settings')
  })
}
