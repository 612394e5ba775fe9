// Personal data (issue 11): the birth date only by an audited reveal; an edit that
// does not retype the ID number.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'
import { uniqueName } from '../lib/ui.mjs'

export async function run() {
  // The birth date is shown only by an audited reveal, beside the plain number.
  await scenario('jinjiang.pii reveals a member: the birth date appears only then', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang.pii')
    const list = await api(page, 'GET', '/api/v1/members?page_size=1')
    const m = list.body?.items?.[0]
    assert(m && !('birth_date' in m), `the list carries a birth date: ${JSON.stringify(m)}`)
    await page.goto(`${BASE}/members/${m.id}`)
    await page.getByTestId('member-detail-name').waitFor()
    assert(!(await page.getByTestId('member-detail').innerText()).includes('出生日期'), 'the detail shows a 出生日期 row before the reveal')
    await page.getByTestId('member-reveal').click()
    await page.locator('.el-message-box').getByRole('button', { name: '查看' }).click()
    const birth = page.getByTestId('member-detail-birth-date')
    await birth.waitFor()
    const id = (await page.getByTestId('member-detail-id-number').innerText()).trim()
    assert(/^\d{17}[\dX]$/.test(id), `the revealed ID number is ${id}`)
    const want = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
    assert((await birth.innerText()).includes(want), `the revealed birth date is not ${want}`)
    await shot(page, 'member-reveal-1366')
    await page.getByTestId('member-hide').click()
    await birth.waitFor({ state: 'detached' })
  })

  // The edit form sends no birth date and no unchanged 入党日期, which the server
  // would refuse without the ID number: an edit of another field just saves.
  await scenario('jinjiang edits a member without retyping the ID number', async (track) => {
    const page = track(await newPage())
    await loginOK(page, 'jinjiang')
    const m = (await api(page, 'GET', '/api/v1/members?page_size=1')).body?.items?.[0]
    assert(m, 'jinjiang has no member')
    await page.goto(`${BASE}/members/${m.id}`)
    await page.getByTestId('member-detail-name').waitFor()
    await page.getByTestId('member-edit').click()
    const dialog = page.getByTestId('member-form-dialog')
    const job = uniqueName('岗位')
    await page.getByTestId('member-form-job').fill(job)
    await page.getByTestId('member-form-submit').click()
    await dialog.waitFor({ state: 'hidden' }).catch(async () => {
      const errs = await dialog.locator('.el-form-item__error').allTextContents()
      throw new Error(`the member form did not close: ${errs.join('; ')}`)
    })
    await page.getByTestId('member-detail').getByText(job, { exact: true }).first().waitFor()
  })
}
