// Day one of a deployment (issue 13): a district's streets and communities
// kept on their own page, the Party-org tree loaded from Excel (template,
// a file refused with its errors, a tree whose children come first, the
// export imported again unchanged), and the 党小组 of a branch. Every run
// leaves what it made, and a second run finds it unchanged or makes more.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE, PHONE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'

const WIDE = { width: 1440, height: 900 }
const fixture = (name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

/** Starts the import of a file and waits for its job (not the one shown before) to end. */
async function importFile(page, path) {
  const name = path.split('/').pop()
  await page.getByTestId('import-file').setInputFiles(path)
  await page.getByTestId('import-start').click()
  await page.waitForFunction((name) => {
    const result = document.querySelector('[data-testid="import-result"]')
    const status = document.querySelector('[data-testid="import-status"]')?.getAttribute('data-status') ?? ''
    return result?.textContent.includes(name) && ['done', 'rejected', 'failed'].includes(status)
  }, name)
  return page.getByTestId('import-status').getAttribute('data-status')
}

export async function run() {
  await scenario('jinjiang keeps 锦江区\'s streets and communities', async (track) => {
    const page = track(await newPage(WIDE))
    await loginOK(page, 'jinjiang')
    await page.getByTestId('menu-region').click()
    await page.waitForURL((u) => u.pathname === '/regions')
    const streets = page.getByTestId('regions-streets').locator('.el-table__body tr')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="regions-streets"] .el-table__body tr').length >= 11)
    const names = await page.getByTestId('regions-street-name').allInnerTexts()
    for (const own of ['锦官驿街道', '锦华路街道', '春熙路街道', '三圣街道']) assert(names.includes(own), `锦江区 lacks ${own}: ${names}`)
    for (const foreign of ['洛带', '簇桥', '崇阳']) assert(!names.some((n) => n.includes(foreign)), `a street of another district: ${names}`)
    assert(await page.getByTestId('regions-district').locator('input').isDisabled(), 'a district account may pick another district')

    // 锦华路街道 (510104019) and a new community under it, with the code proposed
    await streets.filter({ hasText: '510104019' }).first().click()
    await page.getByTestId('regions-community-title').filter({ hasText: '锦华路街道' }).waitFor()
    await page.getByTestId('regions-add-community').click()
    const code = await page.getByTestId('region-form-code').inputValue()
    assert(/^510104019\d{3}$/.test(code), `the proposed code is ${code}`)
    // a code of another district first: refused beside the field
    await page.getByTestId('region-form-code').fill('510105019001')
    await page.getByTestId('region-form-name').fill('越界社区')
    await page.getByTestId('region-form-submit').click()
    const codeError = page.getByTestId('region-form-dialog').locator('.el-form-item__error').first()
    await codeError.waitFor()
    assert((await codeError.innerText()).length > 4, 'no reason beside the code')
    await shot(page, 'dayone-region-error-1440')
    await page.getByTestId('region-form-code').fill(code)
    await page.getByTestId('region-form-name').fill('晨辉社区')
    await page.getByTestId('region-form-submit').click()
    const communities = page.getByTestId('regions-communities').locator('.el-table__body tr')
    await communities.filter({ hasText: code }).waitFor()

    // renamed, with its history
    await communities.filter({ hasText: code }).getByTestId('regions-community-edit').click()
    await page.getByTestId('region-form-name').fill('晨辉社区居委会')
    await page.getByTestId('region-form-submit').click()
    await communities.filter({ hasText: code }).filter({ hasText: '晨辉社区居委会' }).waitFor()
    await communities.filter({ hasText: code }).getByTestId('regions-community-edit').click()
    await page.getByTestId('region-history').locator('.el-table__body tr').first().waitFor()
    const hist = await page.getByTestId('region-history').innerText()
    assert(hist.includes('晨辉社区居委会'), `the history: ${hist}`)
    await page.keyboard.press('Escape')
    await shot(page, 'dayone-regions-1440')
    const r = await api(page, 'GET', `/api/v1/regions/${code}`)
    assert(r.status === 200 && r.body.parent_code === '510104019' && r.body.level === 'community', `the community: ${JSON.stringify(r.body)}`)

    // on a phone the two lists stack, nothing wider than the screen
    const phone = track(await newPage(PHONE))
    await loginOK(phone, 'jinjiang')
    await phone.goto(`${BASE}/regions`)
    await phone.waitForFunction(() => document.querySelectorAll('[data-testid="regions-streets"] .el-table__body tr').length >= 11)
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth)
    assert(wide <= 390, `the page is ${wide}px wide on a phone`)
    await shot(phone, 'dayone-regions-390')
  })

  await scenario('jinjiang loads Party orgs from Excel', async (track) => {
    const page = track(await newPage(WIDE))
    await loginOK(page, 'jinjiang')
    await page.goto(`${BASE}/imports?kind=party-orgs`)
    await page.getByTestId('import-kind-party-orgs').waitFor()
    assert(await page.getByTestId('import-kind-party-orgs').locator('input').isChecked(), 'the page did not open on 党组织')
    assert((await page.getByTestId('import-kind-hint').innerText()).includes('镇街社区 → 党组织'), 'no load order shown')
    const tpl = await page.getByTestId('import-template').getAttribute('href')
    assert(tpl.endsWith('/templates/party-orgs.xlsx'), `the template link is ${tpl}`)
    const tplRes = await page.request.get(`${BASE}${tpl}`)
    assert(tplRes.ok() && (tplRes.headers()['content-type'] || '').includes('spreadsheetml'), `the template answered ${tplRes.status()}`)

    // a file with a row naming an unknown parent and one whose parent is ambiguous: refused whole
    assert((await importFile(page, fixture('party-orgs-bad-parent.xlsx'))) === 'rejected', 'a file with bad references was not refused')
    const errors = await page.getByTestId('import-errors').locator('.el-table__body tr').allInnerTexts()
    assert(errors.length === 2, `errors: ${errors}`)
    assert(errors.some((e) => e.includes('上级党组织') && e.includes('不存在')), `no unknown parent: ${errors}`)
    assert(errors.some((e) => e.includes('2 行名为')), `no ambiguous parent: ${errors}`)
    assert(await page.getByTestId('import-error-copy').isVisible(), 'no error copy')
    await shot(page, 'dayone-partyorgs-rejected-1440')

    // a tree whose branches come before their committee: built in one import
    assert((await importFile(page, fixture('party-orgs-tree.xlsx'))) === 'done', 'the tree was not imported')
    const imported = Number(await page.getByTestId('import-imported').innerText())
    const unchanged = Number(await page.getByTestId('import-unchanged').innerText())
    assert(imported + unchanged === 3, `imported ${imported}, unchanged ${unchanged}`)
    await shot(page, 'dayone-partyorgs-done-1440')
    const found = await api(page, 'GET', '/api/v1/party-orgs?q=' + encodeURIComponent('锦华数智科技有限公司第一党支部'))
    assert(found.body?.items?.[0]?.parent_name === '锦华数智科技有限公司委员会', `the branch sits under ${JSON.stringify(found.body?.items?.[0])}`)

    // the tree page's export, imported again: nothing changes
    await page.goto(`${BASE}/party-orgs`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('org-export').click()])
    const path = await download.path()
    assert(readFileSync(path).subarray(0, 2).toString() === 'PK', 'the export is no workbook')
    await page.getByTestId('org-import').click()
    await page.waitForURL((u) => u.pathname === '/imports')
    assert((await importFile(page, path)) === 'done', 'the export did not import')
    assert(Number(await page.getByTestId('import-imported').innerText()) === 0, 'the unedited export changed something')
    assert(Number(await page.getByTestId('import-unchanged').innerText()) > 100, 'the export re-imported few rows')
  })

  await scenario('branch staff set up a 党小组 and assign its members', async (track) => {
    const page = track(await newPage(WIDE))
    await loginOK(page, 'branch')
    const me = await api(page, 'GET', '/api/v1/me')
    await page.goto(`${BASE}/party-orgs/${me.body.party_org_id}`)
    await page.getByRole('tab', { name: '党小组' }).click()
    await page.getByTestId('org-groups').waitFor()
    const name = `第${Date.now() % 100000}党小组`
    await page.getByTestId('org-group-create').click()
    await page.getByTestId('org-group-form-name').fill(name)
    await page.getByTestId('org-group-form-leader').click()
    await page.locator('.el-select-dropdown__item:visible').first().click()
    await page.getByTestId('org-group-submit').click()
    const row = page.getByTestId('org-groups-table').locator('.el-table__body tr').filter({ hasText: name })
    await row.waitFor()
    assert((await page.getByTestId('org-groups-summary').innerText()).includes('每月应召开党小组会'), 'no 党小组会 owed')

    await row.getByTestId('org-group-members').click()
    const boxes = page.getByTestId('org-group-member')
    await boxes.first().waitFor()
    const n = Math.min(3, await boxes.count())
    for (let i = 0; i < n; i++) {
      if (!(await boxes.nth(i).locator('input').isChecked())) await boxes.nth(i).click()
    }
    await page.waitForTimeout(300) // the checkboxes' transition
    await shot(page, 'dayone-group-members-1440')
    await page.getByTestId('org-group-members-submit').click()
    await page.waitForFunction(([n, name]) => [...document.querySelectorAll('[data-testid="org-groups-table"] .el-table__body tr')]
      .some((tr) => tr.textContent.includes(name) && Number(tr.querySelector('[data-testid="org-group-count"]')?.textContent) >= n), [n, name])
    await page.waitForFunction(() => !document.querySelector('[data-testid="org-groups"] .el-loading-mask'))
    await shot(page, 'dayone-groups-1440')

    const ledger = await api(page, 'GET', `/api/v1/compliance?party_org_id=${me.body.party_org_id}`)
    assert(ledger.body?.facts?.has_groups === true, `the ledger does not see the groups: ${JSON.stringify(ledger.body?.facts)}`)

    // dissolved at the end, so that the branch's groups do not pile up
    await row.getByTestId('org-group-dissolve').click()
    await page.getByTestId('org-group-dissolve-submit').click()
    await row.filter({ hasText: '已撤销' }).waitFor()
  })
}
