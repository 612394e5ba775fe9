// 重点产业链 and 党建情况统计: the 20 chains with their 行业党委, 链主 and
// organizations; city staff edit a chain; district staff name and end a
// 链主; the Party-building facts and flags counted by district, street, zone
// and chain, each count opening the organizations behind it.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE, PHONE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'
import { assertNoHScroll } from '../lib/ui.mjs'

const WIDE = { width: 1440, height: 900 }

/** The list total the organizations page shows ("共 N 条"). */
async function listTotal(page) {
  const r = await page.waitForResponse((x) => x.url().includes('/api/v1/organizations?') && x.request().method() === 'GET')
  return (await r.json()).total
}

export async function run() {
  await scenario('city reads the 20 chains, opens one chain\'s organizations and edits a chain', async (track) => {
    const page = track(await newPage(WIDE))
    await loginOK(page, 'city')
    await page.getByTestId('menu-chain').click()
    const rows = page.getByTestId('chains-table').locator('.el-table__body-wrapper tr')
    await page.getByTestId('chain-name').first().waitFor()
    assert((await rows.count()) === 20, `${await rows.count()} chains shown`)
    const committees = await page.getByTestId('chain-party-org').allTextContents()
    assert(committees.every((c) => c.endsWith('产业链党委')), `a chain without its 行业党委: ${committees.join('、')}`)
    const masters = await page.getByTestId('chain-master').count()
    assert(masters >= 20, `only ${masters} 链主 shown`)
    await shot(page, 'chains-city-1440')

    // 链上组织 opens the list narrowed to the chain.
    const n = Number(await page.getByTestId('chain-organizations').first().textContent())
    const listed = listTotal(page)
    await page.getByTestId('chain-organizations').first().click()
    await page.waitForURL((u) => u.pathname === '/organizations' && u.searchParams.get('chain') === 'integrated_circuit')
    const total = await listed
    assert(total >= n && total > 0, `the chain shows ${n} organizations, its list ${total}`)
    await page.getByTestId('organization-filter-chain').getByText('集成电路').waitFor()

    // Edit: an empty name is refused beside the field, a new name saved.
    await page.goto(`${BASE}/chains`)
    await page.getByTestId('chain-edit').nth(1).click()
    const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('chain-form-name') })
    await dialog.getByTestId('chain-form-name').fill('')
    await page.getByTestId('chain-form-submit').click()
    await dialog.getByText('请填写产业链名称').waitFor()
    await dialog.getByTestId('chain-form-name').fill('新型显示（柔性屏）')
    await shot(page, 'chains-edit-1440')
    await page.getByTestId('chain-form-submit').click()
    await page.getByTestId('chains-table').getByText('新型显示（柔性屏）').waitFor()
    const r = await api(page, 'GET', '/api/v1/industry-chains')
    assert(r.body[1].name === '新型显示（柔性屏）', `saved as ${r.body[1].name}`)
    await api(page, 'PATCH', `/api/v1/industry-chains/${r.body[1].id}`, { name: '新型显示' })
  })

  await scenario('jinjiang names an enterprise the 链主 of a chain and ends it', async (track) => {
    const page = track(await newPage(WIDE))
    await loginOK(page, 'jinjiang')
    // an enterprise of 锦江区 on no chain, not a 链主
    const list = await api(page, 'GET', '/api/v1/organizations?kind=enterprise&status=active&no_mark=chain_master&page_size=50')
    const org = list.body.items.find((o) => !o.chain)
    assert(org, 'no enterprise on no chain')
    await page.goto(`${BASE}/chains`)
    await page.getByTestId('chain-add-master').nth(7).click()
    const dialog = page.getByTestId('chain-master-dialog')
    await dialog.getByTestId('chain-master-org').click()
    await page.keyboard.type(org.name)
    await page.locator('.el-select-dropdown__item').filter({ hasText: org.name }).first().click()
    await page.getByTestId('chain-master-submit').click()
    const tag = page.getByTestId('chain-master').filter({ hasText: org.name })
    await tag.waitFor()
    const after = await api(page, 'GET', `/api/v1/organizations/${org.id}`)
    assert(after.body.chain_name === '航空发动机' && after.body.flags.includes('chain_master'), `organization now ${after.body.chain_name} ${after.body.flags}`)
    await shot(page, 'chains-master-1440')
    // The organization's page and form say its chain by name.
    await page.goto(`${BASE}/organizations/${org.id}`)
    await page.getByText('航空发动机').first().waitFor()
    // Ending it keeps the organization on the chain.
    await page.goto(`${BASE}/chains`)
    await tag.locator('.el-tag__close').click()
    await page.locator('.el-message-box').getByRole('button', { name: '取消链主' }).click()
    await tag.waitFor({ state: 'detached' })
    const ended = await api(page, 'GET', `/api/v1/organizations/${org.id}`)
    assert(ended.body.chain === 'aero_engine' && !ended.body.flags.includes('chain_master'), `after ending: ${ended.body.chain} ${ended.body.flags}`)
    assert((await page.getByTestId('chain-create').count()) === 0 && (await page.getByTestId('chain-edit').count()) === 0, 'district staff may edit chains')
  })

  await scenario('city counts the Party-building flags by district, street, zone and chain; a count opens its organizations', async (track) => {
    const page = track(await newPage(WIDE))
    await loginOK(page, 'city')
    await page.getByTestId('menu-flags').click()
    const table = page.getByTestId('flags-table')
    await table.getByText('合计').waitFor()
    const names = await page.getByTestId('flags-row-name').allTextContents()
    assert(names[0] === '锦江区' && names.length >= 20, `district rows: ${names.slice(0, 3).join('、')}… (${names.length})`)
    await shot(page, 'org-flags-city-1440')
    // 锦江区 breaks down into its streets.
    await page.getByTestId('flags-row-name').first().click()
    await page.getByTestId('flags-trail').getByText('锦江区').waitFor()
    // (an organization of the district with no street, as an import may leave, has a row of its own)
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="flags-row-name"]')].every((e) => /街道$|（未落到街道）$/.test(e.textContent.trim())))
    // A 党建入章 count opens exactly that many organizations.
    // (the first row with any: a district's row of organizations with no street may count none)
    const cells = page.getByTestId('flags-charter_includes_party')
    let cell = cells.nth(1)
    for (let i = 1; i < (await cells.count()); i++) {
      if (Number(await cells.nth(i).textContent()) > 0) {
        cell = cells.nth(i)
        break
      }
    }
    const count = Number(await cell.textContent())
    const listed = listTotal(page)
    await cell.click()
    await page.waitForURL((u) => u.pathname === '/organizations' && u.searchParams.get('mark') === 'charter_includes_party')
    // the list counts every status; the statistics only those that still exist
    assert((await listed) >= count && count > 0, `${count} counted, ${await listed} listed`)
    await page.getByTestId('organization-filter-mark').getByText('党建入章').waitFor()
    // the street by its name, not its code
    await page.getByTestId('organization-filter-region').getByText('街道').first().waitFor()
    await page.getByTestId('organization-name').first().waitFor()
    await shot(page, 'organizations-mark-1440')
    // Zones and chains show real figures, not only 未填.
    await page.goto(`${BASE}/org-flags`)
    await page.getByRole('tab', { name: '按园区楼宇' }).click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="flags-row-name"]').length > 5)
    await shot(page, 'org-flags-zones-1440')
    await page.getByRole('tab', { name: '按产业链' }).click()
    await page.getByTestId('flags-table').getByText('集成电路').waitFor()
    await page.getByTestId('flags-table').getByText('未标注产业链').waitFor()
    await shot(page, 'org-flags-chains-1440')
  })

  await scenario('the chains and the statistics on a phone', async (track) => {
    const page = track(await newPage(PHONE))
    await loginOK(page, 'jinjiang')
    await page.goto(`${BASE}/chains`)
    await page.getByTestId('chain-name').first().waitFor()
    await assertNoHScroll(page, 'chains on a phone')
    await shot(page, 'chains-phone-390')
    await page.goto(`${BASE}/org-flags`)
    // one district's staff start with its streets
    await page.getByTestId('flags-trail').getByText('锦江区').waitFor()
    await page.getByTestId('flags-table').getByText('合计').waitFor()
    await assertNoHScroll(page, 'the statistics on a phone')
    await shot(page, 'org-flags-phone-390')
  })
}
