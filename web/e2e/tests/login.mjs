// Login, the scope of the tree, the audit trail of logins and the phone layout.
// Accounts: jinjiang, city (one failed login, then a good one, so reruns never lock
// it), auditor. The auditor's scenario reads the logins of the two before it.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE, PASSWORD, PHONE, SHOTS } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { login, loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'

/** The tree's root label and all visible node labels. */
async function treeLabels(page) {
  const tree = page.getByTestId('org-tree')
  await tree.locator('.el-tree-node__content').first().waitFor()
  return tree.locator('.el-tree-node__content:visible .node .name').allTextContents()
}

export async function run() {
  // A district user sees only their district's subtree.
  await scenario('jinjiang sees only the 锦江区 subtree', async (track) => {
    const page = track(await newPage())
    await page.goto(`${BASE}/login`)
    await shot(page, 'login-1366')
    await loginOK(page, 'jinjiang')
    await shot(page, 'home-1366')
    const me = (await api(page, 'GET', '/api/v1/me')).body
    assert(me?.party_org_name, 'GET /api/v1/me has no party_org_name')
    const scope = (await page.getByTestId('scope-name').textContent())?.trim()
    assert(scope === me.party_org_name, `scope label "${scope}" is not "${me.party_org_name}"`)
    await page.goto(`${BASE}/party-orgs`)
    const tree = page.getByTestId('org-tree')
    const root = tree.locator('.el-tree-node').first().locator('.node .name').first()
    await root.waitFor()
    const rootName = (await root.textContent())?.trim()
    assert(rootName === me.party_org_name, `tree root is "${rootName}", expected "${me.party_org_name}"`)
    assert(rootName.includes('锦江'), `tree root "${rootName}" is not 锦江区's`)
    // wait for the root's children to load
    await page.waitForFunction(() => !document.querySelector('[data-testid="org-tree"] .is-loading'))
    await page.waitForTimeout(300)
    await shot(page, 'tree-1366')
    // Another district's own orgs are named after it ("青羊区快递物流行业党委");
    // a company's trade name may contain "青羊" anywhere, so look for "青羊区".
    const OTHER = '青羊区'
    const labels = await treeLabels(page)
    const qy = labels.filter((l) => l.includes(OTHER))
    assert(qy.length === 0, `${OTHER} nodes visible in the tree: ${qy.join(', ')}`)
    const bodyText = await tree.innerText()
    assert(!bodyText.includes(OTHER), `the tree mentions ${OTHER}`)
    // search
    const searched = page.waitForResponse(
      (r) => r.url().includes('/api/v1/party-orgs?') && new URL(r.url()).searchParams.get('q') === OTHER,
    )
    await page.getByTestId('org-search').fill(OTHER)
    await searched
    const results = page.getByTestId('org-search-results')
    await results.waitFor()
    await page.getByTestId('org-search-empty').waitFor()
    const items = await page.getByTestId('org-search-item').count()
    assert(items === 0, `search for ${OTHER} found ${items} results`)
    // the server agrees
    const res = await api(page, 'GET', `/api/v1/party-orgs?q=${encodeURIComponent(OTHER)}&under=${me.party_org_id}`)
    assert(res.status === 200 && res.body.total === 0, `API search for ${OTHER} returned ${res.status} total=${res.body?.total}`)
  })

  // A wrong password shows the server's message.
  await scenario('wrong password for city shows an error', async (track) => {
    const page = track(await newPage())
    await login(page, 'city', PASSWORD + 'x')
    const err = page.getByTestId('login-error')
    await err.waitFor()
    const text = (await err.textContent())?.trim() ?? ''
    assert(text.includes('密码'), `login error "${text}" does not mention 密码`)
    assert(page.url().includes('/login'), `left the login page: ${page.url()}`)
    // a good login afterwards resets the failure count, so reruns never lock the account
    await loginOK(page, 'city')
    await page.getByTestId('logout').click()
    await page.waitForURL((u) => u.pathname.startsWith('/login'))
  })

  // The auditor sees those logins in the audit trail.
  await scenario('auditor sees the login events', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'auditor')
    await page.goto(`${BASE}/audit`)
    const table = page.getByTestId('audit-table')
    await table.locator('.el-table__body tr').first().waitFor()
    const check = async (username, action, label) => {
      await page.getByTestId('audit-username').fill(username)
      const answered = page.waitForResponse(
        (r) => r.url().includes('/api/v1/audit-events?') && new URL(r.url()).searchParams.get('username') === username,
      )
      await page.getByTestId('audit-search').click()
      await answered
      await page.waitForFunction(() => !document.querySelector('[data-testid="audit-table"] .el-loading-mask'))
      const row = table.locator('.el-table__body tr', { has: page.locator(`[data-action="${action}"]`) })
      await row.first().waitFor().catch(() => {
        throw new Error(`no ${action} event of ${username} in the audit table`)
      })
      const text = await row.first().innerText()
      assert(text.includes(username), `row for ${action} does not show ${username}: ${text}`)
      assert(text.includes(label), `row for ${action} does not show ${label}: ${text}`)
    }
    await check('jinjiang', 'login', '登录')
    await check('city', 'login_failed', '登录失败')
    await check('city', 'login', '登录')
    await shot(page, 'audit-1366')
    // the verify button answers
    await page.getByTestId('audit-verify').click()
    await page.getByTestId('audit-verify-result').waitFor()
  })

  // Phone width: the menu collapses into a drawer, the cards remain.
  await scenario('phone layout shows the menu toggle and home cards', async (track) => {
    const page = track(await newPage(PHONE))
    await page.goto(`${BASE}/login`)
    await shot(page, 'login-390')
    await loginOK(page, 'jinjiang')
    const toggle = page.getByTestId('menu-toggle')
    await toggle.waitFor({ state: 'visible' })
    await page.getByTestId('home-cards').first().waitFor({ state: 'visible' })
    const cards = await page.locator('[data-testid^="card-"]:visible').count()
    assert(cards > 0, 'no home cards visible')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert(overflow <= 1, `page is ${overflow}px wider than the phone screen`)
    await shot(page, 'home-390')
    await toggle.click()
    const menu = page.locator('.menu-drawer [data-testid="menu-org"]')
    await menu.waitFor({ state: 'visible' })
    if (SHOTS) await page.waitForTimeout(500)
    await shot(page, 'menu-390')
    await menu.click()
    await page.waitForURL((u) => u.pathname.startsWith('/party-orgs'))
    await page.getByTestId('org-tree').locator('.el-tree-node').first().waitFor()
    await page.waitForTimeout(500)
    await shot(page, 'tree-390')
  })
}
