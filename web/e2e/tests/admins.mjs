// The 三员 (issue 11): accounts only, no business data. admin creates an account that
// secadmin then grants the personal-data role; the auditor reads only the trail.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'

async function menuItems(page) {
  await page.getByTestId('side-menu').waitFor()
  return (await page.getByTestId('side-menu').locator('[data-testid^="menu-"]').evaluateAll((els) => els.map((e) => e.dataset.testid))).sort()
}

/** Fails on any API answer of 403 while the page is used: the page asked for what its user may not read. */
function watchForbidden(page) {
  const seen = []
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() === 403) seen.push(`${r.request().method()} ${new URL(r.url()).pathname}`)
  })
  return seen
}

/** The account admin creates, for secadmin's grant. */
const adminRun = { username: '' }

export async function run() {
  await scenario('admin creates an account with a business role only, through the tree picker', async (track) => {
    const page = track(await newPage())
    const forbidden = watchForbidden(page)
    await loginOK(page, 'admin')
    const menu = await menuItems(page)
    assert(JSON.stringify(menu) === JSON.stringify(['menu-home', 'menu-user']), `admin's menu: ${menu}`)
    await page.getByTestId('card-users-total').waitFor()
    await shot(page, 'admin-home-1366')
    await page.getByTestId('menu-user').click()
    await page.waitForURL((u) => u.pathname === '/users')
    await page.getByTestId('user-table').locator('.el-table__body tr').first().waitFor()
    // another 三员 account offers no action
    const auditorRow = page.getByTestId('user-table').locator('.el-table__body tr', { hasText: '审计管理员' }).first()
    assert((await auditorRow.getByRole('button').count()) === 0, 'the auditor row offers actions to the admin')
    await page.getByTestId('user-create').click()
    const dialog = page.locator('.el-dialog', { has: page.getByTestId('user-create-roles') })
    await dialog.waitFor()
    const roles = await page.getByTestId('user-create-roles').innerText()
    assert(roles.includes('区(市)县两新工委工作人员') && !roles.includes('个人信息') && !roles.includes('管理员'), `roles offered: ${roles}`)
    adminRun.username = `e2e${Date.now().toString(36)}`
    const inputs = dialog.locator('.el-form-item input')
    await inputs.nth(0).fill(adminRun.username)
    await inputs.nth(1).fill('测试人员')
    // the scope: searched by name in the tree picker
    const picked = page.waitForResponse((r) => r.url().includes('/api/v1/org-tree?') && new URL(r.url()).searchParams.get('q') === '锦江区委')
    await dialog.locator('.org-picker .el-select').nth(1).click()
    await page.keyboard.type('锦江区委')
    await picked
    await page.locator('.el-select-dropdown__item:visible', { hasText: '锦江区委两新工委' }).first().click()
    await page.getByTestId('user-create-roles').getByText('区(市)县两新工委工作人员').click()
    await dialog.locator('input[type="password"]').fill('E2e#Check2026x')
    await dialog.getByRole('button', { name: '保存' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const res = await api(page, 'GET', `/api/v1/users?q=${adminRun.username}`)
    const u = res.body?.items?.[0]
    assert(u && u.roles.join() === 'district_staff' && u.party_org_name.includes('锦江区'), `created ${JSON.stringify(res.body)}`)
    assert(forbidden.length === 0, `the admin's pages asked for ${forbidden.join(', ')}`)
  })

  await scenario('secadmin grants the personal-data role to that account', async (track) => {
    assert(adminRun.username, 'needs the admin scenario above')
    const page = track(await newPage())
    const forbidden = watchForbidden(page)
    await loginOK(page, 'secadmin')
    const menu = await menuItems(page)
    assert(JSON.stringify(menu) === JSON.stringify(['menu-home', 'menu-lock', 'menu-user']), `secadmin's menu: ${menu}`)
    await page.goto(`${BASE}/users`)
    await page.getByTestId('user-q').fill(adminRun.username)
    await page.getByTestId('user-q').press('Enter')
    await page.getByTestId(`user-grant-${adminRun.username}`).click()
    const dialog = page.locator('.el-dialog', { has: page.getByTestId('user-grant-roles') })
    await dialog.waitFor()
    await page.getByTestId('user-grant-roles').getByText('个人信息明文查看').click()
    await shot(page, 'secadmin-grant-1366')
    await dialog.getByRole('button', { name: '保存' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const res = await api(page, 'GET', `/api/v1/users?q=${adminRun.username}`)
    assert(res.body?.items?.[0]?.roles.join() === 'district_staff,pii_viewer', `after the grant: ${JSON.stringify(res.body)}`)
    assert(forbidden.length === 0, `the secadmin's pages asked for ${forbidden.join(', ')}`)
  })

  await scenario('auditor sees the trail figures and nothing of the business', async (track) => {
    const page = track(await newPage())
    const forbidden = watchForbidden(page)
    await loginOK(page, 'auditor')
    const menu = await menuItems(page)
    assert(JSON.stringify(menu) === JSON.stringify(['menu-audit', 'menu-home']), `auditor's menu: ${menu}`)
    await page.getByTestId('card-audit-today').waitFor()
    const r = await api(page, 'GET', '/api/v1/party-orgs')
    assert(r.status === 403, `the auditor reads the Party orgs: ${r.status}`)
    assert(forbidden.length === 1, `the auditor's pages asked for ${forbidden.join(', ')}`)
  })
}
