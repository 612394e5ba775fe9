// Alerts (issue 5): 预警看板, 预警列表 and the workflow as 锦江区 staff; a rule's tuning as
// city staff (put back as it was); the top bar's 待办 count and the to-do page; the pages
// at phone width. Each run resolves one of the demo's open red alerts of 锦江区.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE, PHONE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'
import { assertNoHScroll, uniqueName } from '../lib/ui.mjs'

/** The list's rows as {level, reason, status}, once loaded. */
async function alertRows(page) {
  const table = page.getByTestId('alerts-table')
  await table.locator('.el-table__body tr').first().waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-testid="alerts-table"] .el-loading-mask:not([style*="display: none"])'))
  return table.locator('.el-table__body tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      level: tr.querySelector('[data-level]')?.getAttribute('data-level') ?? '',
      reason: tr.querySelector('[data-testid="alert-reason"]')?.textContent?.trim() ?? '',
      status: tr.querySelector('[data-testid="alert-status"]')?.textContent?.trim() ?? '',
    })),
  )
}

/** Runs one workflow step from the open drawer and waits for the drawer to show the new status. */
async function drawerStep(page, step, note, expectStatus) {
  const drawer = page.getByTestId('alert-drawer')
  await drawer.getByTestId(`alert-drawer-${step}`).click()
  const dialog = page.getByTestId('alert-action-dialog')
  await dialog.getByTestId('alert-action-note').waitFor()
  if (note !== undefined) await dialog.getByTestId('alert-action-note').fill(note)
  await dialog.getByTestId('alert-action-submit').click()
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid="alert-drawer-status"]')?.textContent?.trim() === s,
    expectStatus,
  )
}

export async function run() {
  await scenario('jinjiang works a red alert: dashboard, filtered list, drawer, acknowledge, resolve', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    // 预警看板 from the menu: the cards carry numbers, the total their sum
    await page.getByTestId('menu-alert-dashboard').click()
    await page.waitForURL((u) => u.pathname === '/alerts/dashboard')
    const cardValue = async (k) => {
      const v = page.getByTestId(`alert-card-${k}`).getByTestId('alert-card-value')
      await page.waitForFunction((k) => /\d/.test(document.querySelector(`[data-testid="alert-card-${k}"] [data-testid="alert-card-value"]`)?.textContent ?? ''), k)
      return Number((await v.innerText()).replace(/[^\d]/g, ''))
    }
    const [red, orange, yellow, total] = [await cardValue('red'), await cardValue('orange'), await cardValue('yellow'), await cardValue('total')]
    assert(total > 0, `the dashboard shows ${total} alerts for 锦江区`)
    assert(red + orange + yellow === total, `cards ${red}+${orange}+${yellow} do not sum to ${total}`)
    assert(red > 0, 'the demo data has no red alert in 锦江区')
    const asOf = await page.getByTestId('alert-dashboard-asof').innerText()
    assert(/\d{4}-\d{2}-\d{2}/.test(asOf), `the dashboard names no date: "${asOf}"`)
    await page.getByTestId('alert-by-rule').waitFor()
    await page.getByTestId('alert-trend').waitFor()
    await shot(page, 'alerts-dashboard-1366')

    // 预警列表 filtered to red through the level filter; the filter lands in the URL
    await page.getByTestId('menu-alert').click()
    await page.waitForURL((u) => u.pathname === '/alerts')
    await alertRows(page)
    await page.getByTestId('alerts-filter-level').click()
    await page.getByRole('option', { name: '红色', exact: true }).click()
    await page.waitForURL((u) => u.searchParams.get('level') === 'red')
    const reds = await alertRows(page)
    assert(reds.length > 0 && reds.every((r) => r.level === 'red'), `the red filter shows levels ${[...new Set(reds.map((r) => r.level))].join(',')}`)
    assert(reds.every((r) => r.reason), 'a red alert has no reason')
    const totalText = await page.getByTestId('alerts-total').innerText()
    assert(Number(totalText.replace(/[^\d]/g, '')) === red, `the list counts "${totalText}", the dashboard ${red} red`)
    await shot(page, 'alerts-list-1366')

    // the same URL plus status=open reproduces the list: open alerts only
    await page.goto(`${BASE}/alerts?level=red&status=open`)
    const open = await alertRows(page)
    assert(open.length > 0 && open.every((r) => r.level === 'red' && r.status === '待处理'), `level=red&status=open shows ${JSON.stringify(open.slice(0, 3))}`)
    const first = page.getByTestId('alerts-table').locator('.el-table__body tr').first()
    const reason = open[0].reason
    await first.getByTestId('alert-reason').click()
    const drawer = page.getByTestId('alert-drawer')
    await drawer.getByTestId('alert-drawer-reason').waitFor()
    const drawerReason = (await drawer.getByTestId('alert-drawer-reason').innerText()).trim()
    assert(drawerReason === reason, `the drawer says "${drawerReason}", the row "${reason}"`)
    await page.waitForURL((u) => /^\d+$/.test(u.searchParams.get('alert') ?? ''))
    const alertId = Number(new URL(page.url()).searchParams.get('alert'))
    await drawer.getByTestId('alert-drawer-events').waitFor()
    await shot(page, 'alerts-drawer-1366')

    // acknowledge, then resolve: a note is required
    await drawerStep(page, 'acknowledge', '已转交属地街道核实', '已确认')
    await drawer.getByTestId('alert-drawer-resolve').click()
    const dialog = page.getByTestId('alert-action-dialog')
    await dialog.getByTestId('alert-action-submit').click()
    await dialog.locator('.el-form-item__error', { hasText: '请填写处置情况' }).waitFor()
    const note = uniqueName('已督促召开支委会并补开党员大会')
    await dialog.getByTestId('alert-action-note').fill(note)
    await dialog.getByTestId('alert-action-submit').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="alert-drawer-status"]')?.textContent?.trim() === '已处置')
    await drawer.getByTestId('alert-drawer-events').getByText(note).waitFor()
    const history = await drawer.getByTestId('alert-drawer-events').innerText()
    assert(history.includes('确认') && history.includes('处置'), `the history lacks the steps: ${history}`)
    // the server agrees, and the row in the list shows the new status
    const after = await api(page, 'GET', `/api/v1/alerts/${alertId}`)
    assert(after.body?.status === 'resolved' && after.body?.note === note, `GET /alerts/${alertId} answered ${JSON.stringify(after.body)}`)
    await page.keyboard.press('Escape')
    await page.waitForURL((u) => !u.searchParams.has('alert'))
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="alerts-table"] [data-testid="alert-status"]')].some((e) => e.textContent.trim() === '已处置'),
    )
    // a stale version is refused with the server's message, shown in the dialog
    const stale = await api(page, 'POST', `/api/v1/alerts/${alertId}/reopen`, { note: '', version: after.body.version - 1 })
    assert(stale.status === 409 && /[\u4e00-\u9fa5]/.test(stale.body?.error?.message ?? ''), `a stale reopen answered ${stale.status} ${JSON.stringify(stale.body)}`)

    // the Party org's page lists it under 预警
    await page.goto(`${BASE}/party-orgs/${after.body.party_org_id}`)
    await page.getByTestId('org-detail').waitFor()
    await page.getByRole('tab', { name: '预警' }).click()
    const current = page.getByTestId('org-alerts-current')
    await current.getByText(reason).first().waitFor()
  })

  await scenario('city tunes a rule: an out-of-range value is refused on its field, a valid one saved', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'city')
    await page.getByTestId('menu-rule').click()
    await page.waitForURL((u) => u.pathname === '/alerts/rules')
    const card = page.getByTestId('rule-secretary_vacant')
    await card.waitFor()
    const before = (await api(page, 'GET', '/api/v1/rules')).body.find((r) => r.code === 'secretary_vacant')
    const red = before.values.red_days
    try {
      await card.getByTestId('rule-edit-secretary_vacant').click()
      const dialog = page.getByTestId('rule-dialog')
      const input = dialog.getByTestId('rule-input-red_days').locator('input')
      await input.fill('99999')
      await dialog.getByTestId('rule-save').click()
      const err = dialog.locator('.el-form-item__error')
      await err.first().waitFor()
      const shown = (await err.allTextContents()).map((t) => t.trim())
      // the server's word for the same value, on the same field
      const refused = await api(page, 'PATCH', '/api/v1/rules/secretary_vacant', { params: { red_days: 99999 }, version: before.version })
      assert(refused.status === 400, `PATCH with red_days 99999 answered ${refused.status}`)
      const serverMsg = refused.body?.error?.fields?.['params.red_days']
      assert(serverMsg && shown.includes(serverMsg), `the field shows ${JSON.stringify(shown)}, the server says "${serverMsg}"`)
      await shot(page, 'rules-error-1366')
      // a valid value is saved
      const next = red === 3650 ? red - 1 : red + 1
      await input.fill(String(next))
      await dialog.getByTestId('rule-save').click()
      await dialog.waitFor({ state: 'hidden' })
      await page.waitForFunction(
        (v) => document.querySelector('[data-testid="rule-param-secretary_vacant-red_days"]')?.textContent?.includes(`${v}天`),
        next,
      )
      const saved = (await api(page, 'GET', '/api/v1/rules')).body.find((r) => r.code === 'secretary_vacant')
      assert(saved.values.red_days === next, `the rule's red_days is ${saved.values.red_days}, expected ${next}`)
      // 立即评估 shows the run's summary
      await page.getByTestId('rules-run').click()
      const summary = page.getByTestId('rules-run-summary')
      await summary.waitFor()
      assert((await summary.innerText()).includes('未消除合计'), 'the run summary has no total')
    } finally {
      // leave the demo's tuning as it was
      const now = (await api(page, 'GET', '/api/v1/rules')).body.find((r) => r.code === 'secretary_vacant')
      if (now.values.red_days !== red) await api(page, 'PATCH', '/api/v1/rules/secretary_vacant', { params: { red_days: red }, version: now.version })
    }
  })

  await scenario('the top bar counts 待办 and /todo lists them; alert pages fit a phone', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    const link = page.getByTestId('todo-link')
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="todo-link"]')?.getAttribute('data-count')) > 0)
    const count = Number(await link.getAttribute('data-count'))
    const counts = (await api(page, 'GET', '/api/v1/todo/counts')).body
    assert(count === counts.total, `the top bar counts ${count}, the server ${counts.total}`)
    const badge = (await link.locator('.el-badge__content').innerText()).trim()
    assert(badge === (count > 99 ? '99+' : String(count)), `the badge says "${badge}" for ${count}`)
    await link.click()
    await page.waitForURL((u) => u.pathname === '/todo')
    const alertGroup = page.getByTestId('todo-group-alert')
    await alertGroup.getByTestId('todo-item').first().waitFor()
    const items = await alertGroup.getByTestId('todo-item').count()
    assert(items > 0 && items <= 10, `/todo lists ${items} alerts`)
    await shot(page, 'todo-1366')
    // an item opens the list with its drawer
    await alertGroup.getByTestId('todo-item').first().click()
    await page.waitForURL((u) => u.pathname === '/alerts' && u.searchParams.has('alert'))
    await page.getByTestId('alert-drawer-reason').waitFor()

    const phone = track(await newPage(PHONE))
    await loginOK(phone, 'jinjiang')
    for (const path of ['/alerts/dashboard', '/alerts?level=red', '/todo']) {
      await phone.goto(`${BASE}${path}`)
      if (path === '/alerts/dashboard') await phone.getByTestId('alert-card-total').waitFor()
      else if (path === '/todo') await phone.getByTestId('todo-group-alert').waitFor()
      else await alertRows(phone)
      await phone.waitForTimeout(300)
      await assertNoHScroll(phone, path)
      await shot(phone, `alerts${path.replace(/[^a-z]+/g, '-')}390`)
    }
  })
}
