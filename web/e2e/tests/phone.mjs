// The phone pages' own light bundle (issue 13) at 390×844: what the first
// phone page (/m/login) transfers, counted from the browser's network events
// with the real server's compression; a member's login, 一码通 and check-in on
// those pages without Element Plus; and who is sent where between the phone
// pages and the staff app.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE, PASSWORD, PHONE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'
import { assertNoHScroll, uniqueName } from '../lib/ui.mjs'

/** The aim for the first phone page: 200 KB transferred, headers included. */
const BUDGET = 200 * 1000

/**
 * Counts what a page transfers from now on: every response's bytes on the
 * wire (Network.loadingFinished's encodedDataLength: headers and the body as
 * sent) with its URL and Content-Encoding.
 */
async function countTransfers(page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  const byId = new Map()
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]))
    byId.set(e.requestId, { url: e.response.url, status: e.response.status, encoding: h['content-encoding'] || '', bytes: 0 })
  })
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId)
    if (r) r.bytes = e.encodedDataLength
  })
  return {
    list: () => [...byId.values()],
    total: () => [...byId.values()].reduce((n, r) => n + r.bytes, 0),
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`

/** Logs in on the phone login page (/m/login). */
async function phoneLogin(page, username) {
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(PASSWORD)
  await page.getByTestId('login-submit').click()
}

export async function run() {
  await scenario('the first phone page /m/login transfers at most 200 KB, compressed, without Element Plus', async (track) => {
    const page = track(await newPage(PHONE))
    const net = await countTransfers(page)
    await page.goto(`${BASE}/m/login`, { waitUntil: 'networkidle' })
    await page.getByTestId('login-username').waitFor()
    const list = net.list()
    const total = net.total()
    console.log(`  # /m/login: ${list.length} requests, ${kb(total)} transferred`)
    for (const r of list) console.log(`  #   ${r.status} ${r.encoding || 'identity'} ${kb(r.bytes)} ${r.url.replace(BASE, '')}`)
    assert(total <= BUDGET, `/m/login transferred ${total} bytes, over ${BUDGET}`)
    assert(!list.some((r) => /element-plus|EChart/.test(r.url)), 'the phone login loads Element Plus or ECharts')
    for (const r of list) {
      assert(r.status === 200, `${r.url} answered ${r.status}`)
      if (/\/assets\/.*\.(js|css)$/.test(r.url) && r.bytes > 2048) {
        assert(r.encoding === 'br', `${r.url} came ${r.encoding || 'uncompressed'}, not brotli`)
      }
    }
    await assertNoHScroll(page, '/m/login')
    await shot(page, 'm-login-390')

    // for comparison, the staff login: compressed too
    const staff = track(await newPage(PHONE))
    const staffNet = await countTransfers(staff)
    await staff.goto(`${BASE}/login`, { waitUntil: 'networkidle' })
    await staff.getByTestId('login-username').waitFor()
    const staffList = staffNet.list()
    console.log(`  # /login (staff): ${staffList.length} requests, ${kb(staffNet.total())} transferred`)
    const big = staffList.filter((r) => /element-plus.*\.js$/.test(r.url))
    assert(big.length === 1 && big[0].encoding === 'br', `Element Plus on the staff login: ${JSON.stringify(big)}`)
    await staff.context().close()
  })

  await scenario('a member logs in on the phone, shows the member code and checks in', async (track) => {
    // the branch's secretary plans an open activity starting now and prints its code
    const staff = track(await newPage())
    await loginOK(staff, 'branch')
    const branchMe = (await api(staff, 'GET', '/api/v1/me')).body
    const title = uniqueName('轻量手机页签到测试')
    const start = new Date(Math.floor(Date.now() / 1000) * 1000)
    const created = await api(staff, 'POST', '/api/v1/activities', {
      party_org_id: branchMe.party_org_id,
      type: 'theme_day',
      title,
      starts_at: start.toISOString().replace('.000Z', 'Z'),
      ends_at: new Date(start.getTime() + 2 * 3600 * 1000).toISOString().replace('.000Z', 'Z'),
      address: '成都市锦江区红星路二段70号',
      open: true,
      capacity: 5,
    })
    assert(created.status === 201, `POST /api/v1/activities answered ${created.status} ${JSON.stringify(created.body)}`)
    const code = (await api(staff, 'GET', `/api/v1/activities/${created.body.id}/checkin-code`)).body?.code
    assert(code, 'no check-in code')
    await staff.context().close()

    const page = track(await newPage(PHONE))
    const seen = []
    page.on('response', (r) => seen.push(r.url()))
    await page.goto(`${BASE}/m/login`)
    await phoneLogin(page, 'member')
    await page.waitForURL((u) => u.pathname === '/m')
    await page.getByTestId('m-home').waitFor()
    const me = (await api(page, 'GET', '/api/v1/me')).body
    assert((await page.getByTestId('m-home-name').innerText()).trim() === me.member.name, 'the greeting names someone else')
    await assertNoHScroll(page, '/m')
    await shot(page, 'm-home-390')

    await page.getByTestId('m-nav-code').click()
    await page.waitForURL((u) => u.pathname === '/m/code')
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="m-code-img"]')
      return img && img.complete && img.naturalWidth > 0 && !img.classList.contains('dim')
    })
    assert(/\d:\d\d/.test(await page.getByTestId('m-code-countdown').innerText()), 'no countdown on the code page')
    await page.waitForTimeout(300) // the image fades in
    await assertNoHScroll(page, '/m/code')
    await shot(page, 'm-code-390')

    await page.getByTestId('m-back').click()
    await page.getByTestId('m-nav-scan').click()
    await page.waitForURL((u) => u.pathname === '/m/scan')
    await page.getByTestId('m-scan-manual').fill(code)
    await page.getByTestId('m-scan-submit').click()
    await page.waitForFunction(
      () => document.querySelector('[data-testid="m-checkin-success"]') || document.querySelector('[data-testid="m-checkin-error"]'),
    )
    assert((await page.getByTestId('m-checkin-error').count()) === 0, `check-in refused: ${await page.getByTestId('m-checkin-error').innerText().catch(() => '')}`)
    assert((await page.getByTestId('m-checkin-title').innerText()).trim() === title, 'the check-in names another activity')
    assert((await page.getByTestId('m-checkin-status').innerText()).trim() === '签到成功', 'the first check-in is not 签到成功')
    await assertNoHScroll(page, '/m/scan')
    await shot(page, 'm-checkin-390')
    const heavy = seen.filter((u) => /element-plus|EChart/.test(u))
    assert(heavy.length === 0, `the phone pages loaded ${heavy.join(', ')}`)
  })

  await scenario('the phone pages and the staff app send each account to its own pages', async (track) => {
    // an asked phone page survives the login
    const page = track(await newPage(PHONE))
    await page.goto(`${BASE}/m/attendance`)
    await page.waitForURL((u) => u.pathname === '/m/login' && u.searchParams.get('redirect') === '/m/attendance')
    await phoneLogin(page, 'member2')
    await page.waitForURL((u) => u.pathname === '/m/attendance')
    await page.getByTestId('m-title').waitFor()
    // a member has no staff pages
    await page.goto(`${BASE}/members`)
    await page.waitForURL((u) => u.pathname === '/m')
    await page.getByTestId('m-logout').click()
    await page.waitForURL((u) => u.pathname === '/m/login')

    // a wrong password is said on the phone page
    await page.getByTestId('login-username').fill('member2')
    await page.getByTestId('login-password').fill('wrong-Password-1')
    await page.getByTestId('login-submit').click()
    await page.getByTestId('login-error').waitFor()
    assert((await page.getByTestId('login-error').innerText()).trim().length > 4, 'the refusal says nothing')
    await shot(page, 'm-login-error-390')
    await page.context().close()

    // staff who log in on the phone page go on to the staff app, and staff have no phone pages
    const staff = track(await newPage(PHONE))
    await staff.goto(`${BASE}/m/login`)
    await phoneLogin(staff, 'jinjiang')
    await staff.waitForURL((u) => u.pathname === '/')
    await staff.getByTestId('scope-name').waitFor()
    await staff.goto(`${BASE}/m/scan`)
    await staff.waitForURL((u) => u.pathname === '/')
    await staff.getByTestId('scope-name').waitFor()
  })
}
