// Secretary filings and terms (issue 5): branch files a new secretary, jinjiang
// approves it, then branch records an election. The second scenario works on the org
// of the first; a rerun withdraws what an earlier one left pending.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'
import { fillDate } from '../lib/ui.mjs'

const filingToday = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

/** Opens the 书记与换届 tab of a Party org's page. */
async function openSecretaryTab(page, orgId) {
  await page.goto(`${BASE}/party-orgs/${orgId}`)
  await page.getByTestId('org-detail').waitFor()
  await page.locator('.el-tabs__item', { hasText: '书记与换届' }).click()
  await page.getByTestId('org-secretary-terms').waitFor()
}

async function closedOrThrow(page, dialog) {
  await dialog.waitFor({ state: 'hidden' }).catch(async () => {
    const errs = await dialog.locator('.el-form-item__error').allTextContents()
    const msg = await page.locator('.el-message').allTextContents()
    throw new Error(`the dialog did not close: ${[...errs, ...msg].join('; ')}`)
  })
}

/** The org and the person of the filing, for the election after it. */
const filingRun = { org: 0, person: '' }

export async function run() {
  await scenario('branch files a new secretary; jinjiang approves it in 备案审批; the org shows it', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'branch')
    const me = (await api(page, 'GET', '/api/v1/me')).body
    const org = me.party_org_id
    filingRun.org = org
    // a rerun against a long-running demo: withdraw what an earlier run left pending
    const left = await api(page, 'GET', `/api/v1/secretary-filings?party_org_id=${org}&status=pending&kind=appointment`)
    for (const f of left.body?.items ?? []) await api(page, 'POST', `/api/v1/secretary-filings/${f.id}/withdraw`)
    const detail = (await api(page, 'GET', `/api/v1/party-orgs/${org}`)).body
    const members = (await api(page, 'GET', `/api/v1/members?party_org_id=${org}&status=full&standing=registered&page_size=200`)).body
    const person = (members?.items ?? []).find((m) => m.party_org_id === org && m.id !== detail.secretary_member_id)
    assert(person, `the branch ${detail.name} has no full member to file as its secretary`)
    filingRun.person = person.name

    await openSecretaryTab(page, org)
    await page.getByTestId('sec-appoint').click()
    const dialog = page.locator('.el-dialog', { has: page.getByTestId('filing-record') })
    await dialog.waitFor()
    await dialog.getByTestId('filing-member').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: person.name }).first().click()
    await fillDate(page, 'filing-meeting-on-item', filingToday)
    await page.getByTestId('filing-record').fill('支部党员大会选举产生（浏览器测试）')
    await page.getByTestId('filing-submit').click()
    await closedOrThrow(page, dialog)
    await page.getByTestId('sec-filings').locator('tr', { hasText: person.name }).filter({ hasText: '待审批' }).first().waitFor()
    const pending = (await api(page, 'GET', `/api/v1/secretary-filings?party_org_id=${org}&status=pending&kind=appointment`)).body
    const filing = pending?.items?.[0]
    assert(filing && filing.person_name === person.name, `the filing was not recorded: ${JSON.stringify(pending)}`)
    // the org's own staff cannot approve it
    const self = await api(page, 'POST', `/api/v1/secretary-filings/${filing.id}/approve`, { note: '自己批准' })
    assert(self.status === 403 && self.body?.error?.message?.includes('只有上级党组织'), `self-approval answered ${self.status} ${JSON.stringify(self.body)}`)

    // the district (the superior chain) approves it on 备案审批
    const boss = track(await newPage())
    await loginOK(boss, 'jinjiang')
    await boss.goto(`${BASE}/filings`)
    const row = boss.getByTestId('todo-filings').locator('tr', { hasText: detail.name }).filter({ hasText: person.name }).first()
    await row.waitFor()
    await shot(boss, 'filings-1366')
    await row.getByTestId('todo-filing-approve').click()
    const decision = boss.locator('.el-dialog', { has: boss.getByTestId('decision-text') })
    await decision.waitFor()
    await boss.getByTestId('decision-text').fill('同意')
    await boss.getByTestId('decision-submit').click()
    await closedOrThrow(boss, decision)
    const after = (await api(boss, 'GET', `/api/v1/secretary-filings/${filing.id}`)).body
    assert(after?.status === 'approved', `the filing is ${after?.status}`)

    await openSecretaryTab(boss, org)
    await boss.getByTestId('sec-current').filter({ hasText: person.name }).waitFor()
    await boss.locator('.el-tabs__item', { hasText: '变更记录' }).click()
    await boss.getByTestId('org-history').locator('tr', { hasText: '书记备案' }).first().waitFor()
    const history = await boss.getByTestId('org-history').innerText()
    assert(history.includes(person.name), 'the history does not show the new secretary')
  })

  await scenario('branch records an election and sees the new term', async (track) => {
    assert(filingRun.org, 'needs the filing scenario above')
    const page = track(await newPage())
    await loginOK(page, 'branch')
    await openSecretaryTab(page, filingRun.org)
    await page.getByTestId('term-election').click()
    const dialog = page.locator('.el-dialog', { has: page.getByTestId('election-submit') })
    await dialog.waitFor()
    for (const [testid, v] of [['election-expected', '5'], ['election-present', '5']]) {
      const input = page.getByTestId(testid).locator('input')
      await input.fill(v)
      await input.press('Tab')
    }
    await page.getByTestId('election-submit').click()
    await closedOrThrow(page, dialog)
    await page.getByTestId('term-start').filter({ hasText: filingToday }).waitFor()
    await page.getByTestId('term-elections').locator('tr', { hasText: filingToday }).first().waitFor()
    const state = await page.getByTestId('term-state').innerText()
    assert(state.includes('正常'), `the new term's state is ${state}`)
    await shot(page, 'secretary-terms-1366')
  })
}
