// The registry, as jinjiang: a child Party org created and dissolved again; 园区楼宇;
// a 两新组织 and a 党员 registered with valid codes after a wrong check character is
// refused beside its field. Names and codes are unique per run; the zone, the 两新组织
// and the 党员 stay, one more of each per run.
import { readFileSync } from 'node:fs'
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE, PHONE, SHOTS } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'
import { fillDate, uniqueName } from '../lib/ui.mjs'

// 统一社会信用代码 (GB 32100) for the 两新组织.
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** The GB 32100 check character of the first 17 characters. */
function usccCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i]
  return USCC_CHARSET[(31 - (sum % 31)) % 31]
}

/** A 锦江区 enterprise code no earlier run has used. */
function uniqueUSCC() {
  let body = '91510104MA'
  for (let i = 0; i < 7; i++) body += USCC_CHARSET[Math.floor(Math.random() * USCC_CHARSET.length)]
  return body + usccCheckChar(body)
}

// 公民身份号码 (GB 11643) for the 党员.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

/** The GB 11643 check character of the first 17 digits. */
function idCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return '10X98765432'[sum % 11]
}

/** A 锦江区 ID number born 1970–2000 with a random sequence. */
function randomIDNumber() {
  const birth = new Date(Date.UTC(1970, 0, 1) + Math.floor(Math.random() * (Date.UTC(2000, 11, 31) - Date.UTC(1970, 0, 1))))
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '')
  const seq = String(Math.floor(Math.random() * 1000)).padStart(3, '0')
  const body = '510104' + ymd + seq
  return { number: body + idCheckChar(body), year: birth.getUTCFullYear() }
}

export async function run() {
  // Creating a child Party org through the UI, then dissolving it (撤销) so
  // that reruns against a long-running demo do not pile them up.
  await scenario('jinjiang creates a child Party org and dissolves it', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    const me = (await api(page, 'GET', '/api/v1/me')).body
    await page.goto(`${BASE}/party-orgs`)
    await page.getByTestId('org-detail-name').filter({ hasText: me.party_org_name }).waitFor()
    await page.getByTestId('org-create-child').click()
    const dialog = page.locator('.el-dialog', { has: page.getByTestId('org-form-name') })
    await dialog.waitFor()
    const name = uniqueName('中共锦江区测试科技有限公司支部委员会')
    await page.getByTestId('org-form-name').fill(name)
    await dialog.getByTestId('org-form-type').click()
    await page.getByRole('option', { name: '党支部', exact: true }).click()
    // the region defaults to the parent's; pick one if it did not
    const regionText = await dialog.getByTestId('org-form-region').innerText()
    if (!regionText.trim() || regionText.includes('搜索')) {
      await dialog.getByTestId('org-form-region').click()
      await page.locator('.el-select-dropdown__item:visible').first().click()
    }
    await page.getByTestId('org-form-submit').click()
    await dialog.waitFor({ state: 'hidden' }).catch(async () => {
      const errs = await dialog.locator('.el-form-item__error').allTextContents()
      const msg = await page.locator('.el-message').allTextContents()
      throw new Error(`the form did not close: ${[...errs, ...msg].join('; ')}`)
    })
    const node = page.getByTestId('org-tree').locator('.node .name', { hasText: name })
    await node.waitFor({ state: 'visible' })
    await page.getByTestId('org-detail-name').filter({ hasText: name }).waitFor()
    // and the server has it under the root
    const res = await api(page, 'GET', `/api/v1/party-orgs?q=${encodeURIComponent(name)}`)
    assert(res.body?.items?.[0]?.parent_id === me.party_org_id, `created org not found under the root: ${JSON.stringify(res.body)}`)
    await shot(page, 'created-1366')

    // 撤销 it through the UI
    await page.getByTestId('org-dissolve').click()
    const dissolveDialog = page.locator('.el-dialog', { has: page.getByTestId('dissolve-reason') })
    await dissolveDialog.waitFor()
    await page.getByTestId('dissolve-reason').fill('浏览器测试结束，撤销测试组织')
    await page.getByTestId('dissolve-submit').click()
    await dissolveDialog.waitFor({ state: 'hidden' }).catch(async () => {
      const errs = await dissolveDialog.locator('.el-form-item__error').allTextContents()
      const msg = await page.locator('.el-message').allTextContents()
      throw new Error(`the dissolve dialog did not close: ${[...errs, ...msg].join('; ')}`)
    })
    await page.getByTestId('org-detail').getByText('已撤销').first().waitFor()
    // gone from the tree, which shows 现存 orgs by default …
    const statusText = await page.getByTestId('org-filter-status').innerText()
    assert(statusText.includes('现存'), `the status filter is "${statusText}", not 现存`)
    await node.waitFor({ state: 'detached' })
    // … and from a search among 现存 orgs
    const searched = page.waitForResponse(
      (r) => r.url().includes('/api/v1/party-orgs?') && new URL(r.url()).searchParams.get('q') === name,
    )
    await page.getByTestId('org-search').fill(name)
    await searched
    await page.getByTestId('org-search-results').waitFor()
    await page.getByTestId('org-search-empty').waitFor()
    const items = await page.getByTestId('org-search-item').count()
    assert(items === 0, `searching 现存 orgs for ${name} found ${items}`)
    const after = await api(page, 'GET', `/api/v1/party-orgs?q=${encodeURIComponent(name)}&status=active`)
    assert(after.body?.total === 0, `the dissolved org is still listed as 现存: ${JSON.stringify(after.body)}`)
  })

  // 园区楼宇: a district user sees its own district's zones and adds one.
  await scenario('jinjiang lists 锦江区 zones and creates one', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    await page.getByTestId('menu-zone').click()
    await page.waitForURL((u) => u.pathname === '/zones')
    const table = page.getByTestId('zones-table')
    await table.locator('.el-table__body tr').first().waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid="zones-table"] .el-loading-mask'))
    const JINJIANG = '510104'
    const checkRows = async () => {
      const rows = await table.locator('.el-table__body tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          text: tr.innerText,
          region: tr.querySelector('[data-testid="zone-region"]')?.getAttribute('data-region') ?? '',
          org: tr.querySelector('[data-testid="zone-org"]')?.textContent?.trim() ?? '',
        })),
      )
      assert(rows.length > 0, 'the zones table is empty')
      for (const r of rows) {
        assert(r.region.startsWith(JINJIANG), `a zone outside 锦江区 (region ${r.region}): ${r.text}`)
        assert(r.org.includes('锦江区'), `a zone managed outside 锦江区 (${r.org}): ${r.text}`)
      }
      return rows
    }
    const before = await checkRows()
    // the server agrees, beyond the first page too
    const all = await api(page, 'GET', '/api/v1/zones?page_size=200')
    assert(all.status === 200 && all.body.total >= before.length, `GET /api/v1/zones answered ${all.status}`)
    const foreign = all.body.items.filter((z) => !z.region.startsWith(JINJIANG) || !z.party_org_name.includes('锦江区'))
    assert(foreign.length === 0, `zones outside 锦江区: ${foreign.map((z) => z.name).join(', ')}`)
    await shot(page, 'zones-1366')

    // create one under a 锦江区 street
    await page.getByTestId('zone-create').click()
    const dialog = page.getByTestId('zone-form-dialog')
    await page.getByTestId('zone-form-name').waitFor()
    const name = uniqueName('锦江测试园区')
    await page.getByTestId('zone-form-name').fill(name)
    await page.getByTestId('zone-form-kind').click()
    await page.getByRole('option', { name: '园区', exact: true }).click()
    // the managing org: an area committee of 锦江区, found by name
    const orgSearch = page.getByTestId('zone-form-org-search')
    await orgSearch.click()
    await orgSearch.locator('input').fill('锦江区产业园区综合党委')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '锦江区产业园区综合党委' }).first().click()
    // the district is the user's own (锦江区); pick a street of it
    const district = page.getByTestId('zone-form-region-district')
    await page.waitForFunction(
      () => document.querySelector('[data-testid="zone-form-region-district"]')?.textContent?.includes('锦江区'),
    ).catch(async () => {
      await district.click()
      await page.getByRole('option', { name: '锦江区', exact: true }).click()
    })
    await page.getByTestId('zone-form-region-street').click()
    const streetOption = page.locator('.street-options .el-select-dropdown__item:visible').first()
    await streetOption.waitFor()
    const streetName = (await streetOption.innerText()).trim()
    await streetOption.click()
    await page.getByTestId('zone-form-address').fill('成都市锦江区测试路1号')
    if (SHOTS) await shot(page, 'zone-form-1366')
    await page.getByTestId('zone-form-submit').click()
    await dialog.waitFor({ state: 'hidden' }).catch(async () => {
      const errs = await dialog.locator('.el-form-item__error').allTextContents()
      const msg = await page.locator('.el-message').allTextContents()
      throw new Error(`the zone form did not close: ${[...errs, ...msg].join('; ')}`)
    })
    // listed: find it by name
    await page.getByTestId('zone-q').fill(name)
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/zones?') && new URL(r.url()).searchParams.get('q') === name)
    await page.getByTestId('zone-search').click()
    await answered
    const row = table.locator('.el-table__body tr', { has: page.getByTestId('zone-name').filter({ hasText: name }) })
    await row.first().waitFor()
    const rowText = await row.first().innerText()
    assert(rowText.includes(streetName), `the new zone's row does not show the street ${streetName}: ${rowText}`)
    assert(rowText.includes('锦江区产业园区综合党委'), `the new zone's row does not show its org: ${rowText}`)
    const rows = await checkRows()
    assert(rows.length === 1, `searching for ${name} found ${rows.length} rows`)

    // phone width: no sideways scrolling of the page
    const phone = await newPage(PHONE)
    try {
      await loginOK(phone, 'jinjiang')
      await phone.goto(`${BASE}/zones`)
      await phone.getByTestId('zones-table').locator('.el-table__body tr').first().waitFor()
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert(overflow <= 1, `the zones page is ${overflow}px wider than the phone screen`)
      await shot(phone, 'zones-390')
    } finally {
      await phone.context().close()
    }
  })

  // 两新组织: jinjiang registers an organization with a valid 统一社会信用代码
  // (a wrong check character is refused beside the field first), finds it in
  // the list and opens its detail.
  await scenario('jinjiang registers a 两新组织 and opens it', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    await page.getByTestId('menu-enterprise').click()
    await page.waitForURL((u) => u.pathname === '/organizations')
    const table = page.getByTestId('organizations-table')
    await table.waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid="organizations-table"] .el-loading-mask'))

    await page.getByTestId('organization-create').click()
    const dialog = page.getByTestId('organization-form-dialog')
    await page.getByTestId('organization-form-uscc').waitFor()
    const uscc = uniqueUSCC()
    const wrong = uscc.slice(0, 17) + USCC_CHARSET[(USCC_CHARSET.indexOf(uscc[17]) + 1) % USCC_CHARSET.length]
    const name = uniqueName('锦江测试科技有限公司')
    await page.getByTestId('organization-form-uscc').fill(wrong)
    await page.getByTestId('organization-form-name').fill(name)
    await page.getByTestId('organization-form-legal').fill('测试人')
    // the district is the user's own (锦江区); pick a street of it
    await page.waitForFunction(
      () => document.querySelector('[data-testid="organization-form-region-district"]')?.textContent?.includes('锦江区'),
    ).catch(async () => {
      await page.getByTestId('organization-form-region-district').click()
      await page.getByRole('option', { name: '锦江区', exact: true }).click()
    })
    await page.getByTestId('organization-form-region-street').click()
    const streetOption = page.locator('.street-options .el-select-dropdown__item:visible').first()
    await streetOption.waitFor()
    const streetName = (await streetOption.innerText()).trim()
    await streetOption.click()
    await page.getByTestId('organization-form-address').fill('成都市锦江区测试路8号')
    await page.getByTestId('organization-form-industry').click()
    await page.getByRole('option', { name: 'I 信息传输、软件和信息技术服务业', exact: true }).click()
    await page.getByTestId('organization-form-employees').locator('input').fill('60')
    await page.getByTestId('organization-form-flags').getByText('专精特新', { exact: true }).click()
    await page.getByTestId('organization-form-cross').click()
    const areaManager = '锦江区产业园区综合党委'
    const orgSearch = page.getByTestId('organization-form-area-manager-search')
    await orgSearch.click()
    await orgSearch.locator('input').fill(areaManager)
    await page.locator('.el-select-dropdown__item:visible', { hasText: areaManager }).first().click()
    await shot(page, 'organization-form-1366')

    // a wrong check character: the server's message beside 统一社会信用代码
    await page.getByTestId('organization-form-submit').click()
    const usccError = page.getByTestId('organization-form-uscc-item').locator('.el-form-item__error')
    await usccError.waitFor().catch(async () => {
      const msg = await page.locator('.el-message').allTextContents()
      throw new Error(`no message beside 统一社会信用代码: ${msg.join('; ')}`)
    })
    const errText = (await usccError.innerText()).trim()
    assert(errText.includes('校验位') && errText.includes(uscc[17]), `the message beside 统一社会信用代码 is "${errText}"`)
    const label = await page.getByTestId('organization-form-uscc-item').locator('.el-form-item__label').innerText()
    assert(label.includes('统一社会信用代码'), `the erroneous field is labelled "${label}"`)
    assert(await dialog.isVisible(), 'the dialog closed on a wrong code')
    await page.getByTestId('organization-form-uscc').scrollIntoViewIfNeeded()
    await shot(page, 'organization-form-error-1366')

    // the right code saves
    await page.getByTestId('organization-form-uscc').fill(uscc)
    await page.getByTestId('organization-form-submit').click()
    await dialog.waitFor({ state: 'hidden' }).catch(async () => {
      const errs = await dialog.locator('.el-form-item__error').allTextContents()
      const msg = await page.locator('.el-message').allTextContents()
      throw new Error(`the organization form did not close: ${[...errs, ...msg].join('; ')}`)
    })

    // listed: find it by its code
    await page.getByTestId('organization-q').fill(uscc)
    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/v1/organizations?') && new URL(r.url()).searchParams.get('q') === uscc,
    )
    await page.getByTestId('organization-search').click()
    await answered
    await page.waitForFunction(() => !document.querySelector('[data-testid="organizations-table"] .el-loading-mask'))
    const rows = table.locator('.el-table__body tr')
    assert((await rows.count()) === 1, `searching for ${uscc} found ${await rows.count()} rows`)
    const rowText = await rows.first().innerText()
    for (const want of [name, uscc, '非公企业', '存续/在业', streetName, areaManager, '60人']) {
      assert(rowText.includes(want), `the new organization's row does not show ${want}: ${rowText}`)
    }
    await page.getByTestId('organization-q').fill('')
    await page.getByTestId('organization-search').click()
    await page.waitForFunction(() => !document.querySelector('[data-testid="organizations-table"] .el-loading-mask'))
    await shot(page, 'organizations-1366')
    await page.getByTestId('organization-q').fill(uscc)
    await page.getByTestId('organization-search').click()
    await page.waitForFunction(() => !document.querySelector('[data-testid="organizations-table"] .el-loading-mask'))

    // the detail
    await table.getByTestId('organization-name').filter({ hasText: name }).click()
    await page.waitForURL((u) => /^\/organizations\/\d+$/.test(u.pathname))
    await page.getByTestId('organization-detail-name').filter({ hasText: name }).waitFor()
    const detail = page.getByTestId('organization-detail')
    assert((await page.getByTestId('organization-detail-uscc').innerText()).trim() === uscc, 'the detail shows another code')
    assert((await page.getByTestId('organization-detail-kind').innerText()).includes('非公企业'), 'the detail does not show 非公企业')
    const detailText = await detail.innerText()
    for (const want of ['登记信息', '规模与标签', '党建情况', '管理党组织', '专精特新', '50–99人', areaManager, streetName]) {
      assert(detailText.includes(want), `the detail does not show ${want}`)
    }
    // 两个覆盖: a new organization has no Party org and no 指导员/联络员 yet
    const coverageState = page.getByTestId('organization-coverage-state')
    await coverageState.waitFor()
    const stateText = (await coverageState.innerText()).trim()
    assert(stateText === '未覆盖', `the 两个覆盖 tag shows "${stateText}", not 未覆盖`)
    const stateClass = (await coverageState.getAttribute('class')) || ''
    assert(stateClass.includes('el-tag--danger'), `the 未覆盖 tag is not red: ${stateClass}`)
    assert((await detail.innerText()).includes('两个覆盖'), 'the detail has no 两个覆盖 section')
    const history = page.getByTestId('organization-history')
    await history.locator('.el-table__body tr').first().waitFor()
    const historyText = await history.innerText()
    assert(historyText.includes('新建') && historyText.includes('jinjiang'), `the history lacks the creation: ${historyText}`)
    await shot(page, 'organization-detail-1366')
    const detailPath = new URL(page.url()).pathname

    // phone width: list and detail without sideways scrolling
    const phone = await newPage(PHONE)
    try {
      await loginOK(phone, 'jinjiang')
      await phone.goto(`${BASE}/organizations`)
      await phone.getByTestId('organizations-table').locator('.el-table__body tr').first().waitFor()
      let overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert(overflow <= 1, `the organizations page is ${overflow}px wider than the phone screen`)
      await shot(phone, 'organizations-390')
      await phone.goto(`${BASE}${detailPath}`)
      await phone.getByTestId('organization-detail-name').waitFor()
      await phone.getByTestId('organization-history').locator('.el-table__body tr').first().waitFor()
      overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert(overflow <= 1, `the organization detail is ${overflow}px wider than the phone screen`)
      await shot(phone, 'organization-detail-390')
      await phone.getByTestId('organization-edit').click()
      await phone.getByTestId('organization-form-uscc').waitFor()
      await phone.waitForTimeout(400)
      await shot(phone, 'organization-form-390')
    } finally {
      await phone.context().close()
    }
  })

  // 党员: jinjiang registers a member with a valid 公民身份号码 (a wrong check
  // character is refused beside the field first); lists and the detail show the
  // number masked only, it is found by its last 4 characters, and jinjiang (no
  // pii.reveal) has no 查看明文 button.
  await scenario('jinjiang registers a 党员 and sees only the masked ID number', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    await page.getByTestId('menu-member').click()
    await page.waitForURL((u) => u.pathname === '/members')
    const table = page.getByTestId('members-table')
    await table.waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid="members-table"] .el-loading-mask'))
    const placeholder = await page.getByTestId('member-q').getAttribute('placeholder')
    assert(placeholder === '姓名（从姓开始）、身份证号后4位或手机号', `the search box says "${placeholder}"`)

    // The list exports as a workbook (masked: jinjiang has no plain-export role, so no such button).
    assert((await page.getByTestId('member-export-plain').count()) === 0, 'jinjiang is offered a plain export')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('member-export').click()])
    assert(/^党员-\d{8}\.xlsx$/.test(download.suggestedFilename()), `export named "${download.suggestedFilename()}"`)
    const saved = await download.path()
    const head = readFileSync(saved).subarray(0, 2).toString('latin1')
    assert(head === 'PK', `the export is not a workbook (starts with ${JSON.stringify(head)})`)

    const { number: id, year } = randomIDNumber()
    const checks = '10X98765432'
    const wrong = id.slice(0, 17) + checks[(checks.indexOf(id[17]) + 1) % checks.length]
    const last4 = id.slice(-4)
    const phone = '139' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0')
    const name = uniqueName('测试党员')

    await page.getByTestId('member-create').click()
    const dialog = page.getByTestId('member-form-dialog')
    await page.getByTestId('member-form-name').waitFor()
    await page.getByTestId('member-form-name').fill(name)
    await page.getByTestId('member-form-id-number').fill(wrong)
    await page.getByTestId('member-form-phone').fill(phone)
    await fillDate(page, 'member-form-joined-on-item', `${year + 20}-07-01`)
    await fillDate(page, 'member-form-full-member-on-item', `${year + 21}-07-01`)
    const org = '锦江区快递物流行业党委'
    const orgSearch = page.getByTestId('member-form-party-org-search')
    await orgSearch.click()
    await orgSearch.locator('input').fill(org)
    await page.locator('.el-select-dropdown__item:visible', { hasText: org }).first().click()
    await page.getByTestId('member-form-job').fill('快递员')
    await page.getByTestId('member-form-gig').click()
    await page.getByRole('option', { name: '快递员', exact: true }).click()
    await shot(page, 'member-form-1366')

    // a wrong check character: the server's message beside 公民身份号码
    await page.getByTestId('member-form-submit').click()
    const idError = page.getByTestId('member-form-id-number-item').locator('.el-form-item__error')
    await idError.waitFor().catch(async () => {
      const errs = await dialog.locator('.el-form-item__error').allTextContents()
      const msg = await page.locator('.el-message').allTextContents()
      throw new Error(`no message beside 公民身份号码: ${[...errs, ...msg].join('; ')}`)
    })
    const errText = (await idError.innerText()).trim()
    assert(errText.includes('校验位') && errText.includes(id[17]), `the message beside 公民身份号码 is "${errText}"`)
    assert(await dialog.isVisible(), 'the dialog closed on a wrong number')
    await page.getByTestId('member-form-id-number').scrollIntoViewIfNeeded()
    await shot(page, 'member-form-error-1366')

    // the right number saves
    await page.getByTestId('member-form-id-number').fill(id)
    await page.getByTestId('member-form-submit').click()
    await dialog.waitFor({ state: 'hidden' }).catch(async () => {
      const errs = await dialog.locator('.el-form-item__error').allTextContents()
      const msg = await page.locator('.el-message').allTextContents()
      throw new Error(`the member form did not close: ${[...errs, ...msg].join('; ')}`)
    })

    // found by the last 4 characters, shown masked
    const masked = `510104********${last4}`
    const maskedPhone = `${phone.slice(0, 3)}****${phone.slice(-4)}`
    await page.getByTestId('member-q').fill(last4)
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/members?') && new URL(r.url()).searchParams.get('q') === last4)
    await page.getByTestId('member-search').click()
    await answered
    await page.waitForFunction(() => !document.querySelector('[data-testid="members-table"] .el-loading-mask'))
    const row = table.locator('.el-table__body tr', { has: page.getByTestId('member-name').filter({ hasText: name }) })
    await row.first().waitFor()
    const rowText = await row.first().innerText()
    // gender and birth date come from the number
    const gender = Number(id[16]) % 2 === 1 ? '男' : '女'
    const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
    for (const want of [name, gender, masked, maskedPhone, '正式党员', '在册', org]) {
      assert(rowText.includes(want), `the new member's row does not show ${want}: ${rowText}`)
    }
    for (const idText of await table.getByTestId('member-id-number').allTextContents()) {
      assert(idText.trim().endsWith(last4), `searching for ${last4} listed ${idText}`)
    }
    let html = await page.content()
    assert(!html.includes(id) && !html.includes(phone), 'the list page holds the plain ID number or phone')
    await shot(page, 'members-1366')

    // the detail: masked, grouped, with its history, and no 查看明文 for jinjiang
    await row.first().click()
    await page.waitForURL((u) => /^\/members\/\d+$/.test(u.pathname))
    await page.getByTestId('member-detail-name').filter({ hasText: name }).waitFor()
    assert((await page.getByTestId('member-detail-id-number').innerText()).trim() === masked, 'the detail shows another ID number')
    assert((await page.getByTestId('member-detail-phone').innerText()).trim() === maskedPhone, 'the detail shows another phone')
    const detailText = await page.getByTestId('member-detail').innerText()
    for (const want of ['基本信息', '党籍信息', '工作与流动', '公民身份号码', org, '快递员', gender]) {
      assert(detailText.includes(want), `the detail does not show ${want}`)
    }
    // the birth date would give back what the mask hides: only a reveal shows it
    assert(!detailText.includes(birth) && !detailText.includes('出生日期'), 'the detail shows the birth date')
    const history = page.getByTestId('member-history')
    await history.locator('.el-table__body tr').first().waitFor()
    const historyText = await history.innerText()
    assert(historyText.includes('新建') && historyText.includes('jinjiang'), `the history lacks the creation: ${historyText}`)
    assert((await page.getByTestId('member-reveal').count()) === 0, 'jinjiang has a 查看明文 button')
    assert((await page.getByTestId('member-edit').count()) === 1, 'jinjiang has no 编辑 button')
    html = await page.content()
    assert(!html.includes(id) && !html.includes(phone), 'the detail page holds the plain ID number or phone')
    await shot(page, 'member-detail-1366')

    // the edit dialog shows the masked values as placeholders, never the plain ones
    await page.getByTestId('member-edit').click()
    await page.getByTestId('member-form-id-number').waitFor()
    assert((await page.getByTestId('member-form-id-number').inputValue()) === '', 'the edit form holds an ID number')
    const ph = await page.getByTestId('member-form-id-number').getAttribute('placeholder')
    assert(ph?.includes(masked), `the ID number's placeholder is "${ph}"`)
    html = await page.content()
    assert(!html.includes(id) && !html.includes(phone), 'the edit dialog holds the plain ID number or phone')
    const detailPath = new URL(page.url()).pathname

    // phone width: list and detail without sideways scrolling
    const phonePage = await newPage(PHONE)
    try {
      await loginOK(phonePage, 'jinjiang')
      await phonePage.goto(`${BASE}/members`)
      await phonePage.getByTestId('members-table').locator('.el-table__body tr').first().waitFor()
      let overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert(overflow <= 1, `the members page is ${overflow}px wider than the phone screen`)
      await shot(phonePage, 'members-390')
      await phonePage.goto(`${BASE}${detailPath}`)
      await phonePage.getByTestId('member-detail-name').waitFor()
      await phonePage.getByTestId('member-history').locator('.el-table__body tr').first().waitFor()
      overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert(overflow <= 1, `the member detail is ${overflow}px wider than the phone screen`)
      await shot(phonePage, 'member-detail-390')
      await phonePage.getByTestId('member-edit').click()
      await phonePage.getByTestId('member-form-id-number').waitFor()
      await phonePage.waitForTimeout(400)
      await shot(phonePage, 'member-form-390')
    } finally {
      await phonePage.context().close()
    }
  })
}
