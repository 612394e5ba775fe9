// Lists at every level (issue 13): the activity calendar of city and district
// staff shows the visible weeks with "+N" on crowded days, and 待办 counts what
// waits on the account, grouped by kind, most urgent first, each kind linking
// to its whole list. Screenshots at 1440×900 and 390×844 go to
// LIANXIN_SHOTS_DIR (default e2e/out) when LIANXIN_E2E_SHOTS=1.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE, OUT, PHONE, SHOTS } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { loginOK } from '../lib/session.mjs'
import { assertNoHScroll } from '../lib/ui.mjs'

const WIDE = { width: 1440, height: 900 }
const DIR = process.env.LIANXIN_SHOTS_DIR || OUT

async function snap(page, name) {
  if (!SHOTS) return
  mkdirSync(DIR, { recursive: true })
  await page.screenshot({ path: join(DIR, `${name}.png`) })
}

/** Today in Shanghai, YYYY-MM-DD. */
function todayShanghai() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** The days of this week (Monday first) up to Sunday. */
function thisWeek() {
  const today = new Date(`${todayShanghai()}T00:00:00Z`)
  const monday = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * 86400000)
  return Array.from({ length: 7 }, (_, i) => new Date(monday.getTime() + i * 86400000).toISOString().slice(0, 10))
}

const levelRank = { red: 3, orange: 2, yellow: 1, none: 0 }

/** domain/todo's order: red before yellow, overdue before due, oldest first. */
function before(a, b) {
  if (levelRank[a.level] !== levelRank[b.level]) return levelRank[a.level] > levelRank[b.level]
  if (a.overdue !== b.overdue) return a.overdue
  return a.since < b.since
}

async function itemsOf(group) {
  return group.getByTestId('todo-item').evaluateAll((els) =>
    els.map((e) => ({ level: e.dataset.level, overdue: e.dataset.overdue === '1', since: e.dataset.since || '' })),
  )
}

export async function run() {
  for (const who of ['city', 'jinjiang']) {
    await scenario(`the calendar shows this week's activities to ${who} staff, with "+N" on crowded days`, async (track) => {
      const page = track(await newPage(WIDE))
      await loginOK(page, who)
      await page.goto(`${BASE}/activities`)
      await page.getByTestId('activities-table').waitFor()
      await page.getByTestId('activity-mode-calendar').click()
      const cal = page.getByTestId('activities-calendar')
      await cal.waitFor()
      await page.waitForFunction(() => [...document.querySelectorAll('.cal-cell')].some((c) => Number(c.getAttribute('data-total')) > 0))
      assert(!(await cal.innerText()).includes('仅显示前'), 'the calendar still says it shows only the first items')

      // this week, as the server counts it for this account
      const week = thisWeek()
      const days = (await api(page, 'GET', `/api/v1/activities/calendar?from=${week[0]}&to=${week[6]}&per_day=3`)).body
      assert(Array.isArray(days) && days.length === 7, `the calendar API answered ${JSON.stringify(days).slice(0, 200)}`)
      const busy = days.filter((d) => d.total > 0)
      assert(busy.length > 0, `no activity this week for ${who}`)
      for (const d of days) {
        const cell = page.locator(`.cal-cell[data-day="${d.date}"]`)
        if ((await cell.count()) === 0) continue // a week across two months: the other month's grid
        const shown = await cell.getByTestId('calendar-activity').count()
        assert(shown === Math.min(3, d.total), `${d.date}: ${shown} shown of ${d.total}`)
        const more = cell.getByTestId('calendar-more')
        if (d.total > 3) {
          assert((await more.innerText()).trim() === `+${d.total - 3}`, `${d.date}: "+N" says ${await more.innerText()}`)
          // seen, not clipped by the cell
          const [c, m] = [await cell.boundingBox(), await more.boundingBox()]
          assert(m && c && m.y + m.height <= c.y + c.height + 1, `${d.date}: "+N" is cut off`)
        }
        else assert((await more.count()) === 0, `${d.date}: "+N" on a day of ${d.total}`)
      }
      await snap(page, `calendar-${who}-1440`)

      // a crowded day's "+N" opens that day's whole list
      const crowded = busy.find((d) => d.total > 3)
      if (who === 'city') assert(crowded, 'no crowded day this week for the city')
      if (crowded && (await page.locator(`.cal-cell[data-day="${crowded.date}"]`).count()) > 0) {
        await page.locator(`.cal-cell[data-day="${crowded.date}"]`).getByTestId('calendar-more').click()
        await page.getByTestId('activities-table').waitFor()
        const pager = page.locator('.el-pagination__total')
        await pager.waitFor()
        await page.waitForFunction((n) => document.querySelector('.el-pagination__total')?.textContent?.includes(String(n)), crowded.total)
        const list = (await api(page, 'GET', `/api/v1/activities?from=${crowded.date}&to=${crowded.date}&page_size=1`)).body
        assert(list.total === crowded.total, `the day's list holds ${list.total}, its cell said ${crowded.total}`)
        await snap(page, `calendar-${who}-day-list-1440`)
      }

      // a phone shows each day's count, which opens the day's list
      const phone = track(await newPage(PHONE))
      await loginOK(phone, who)
      await phone.goto(`${BASE}/activities`)
      await phone.getByTestId('activity-mode-calendar').click()
      const busiest = busy.reduce((a, b) => (b.total > a.total ? b : a))
      const cell = phone.locator(`.cal-cell[data-day="${busiest.date}"]`)
      if ((await cell.count()) > 0) {
        await cell.getByTestId('calendar-total').filter({ hasText: String(busiest.total) }).waitFor()
      }
      await assertNoHScroll(phone, '/activities (calendar)')
      await snap(phone, `calendar-${who}-390`)
    })
  }

  for (const who of ['city', 'jinjiang', 'committee', 'branch']) {
    await scenario(`待办 of ${who}: what waits on the account, by kind, most urgent first, each kind linking to its list`, async (track) => {
      const page = track(await newPage(WIDE))
      await loginOK(page, who)
      const counts = (await api(page, 'GET', '/api/v1/todo/counts')).body
      const link = page.getByTestId('todo-link')
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="todo-link"]')?.getAttribute('data-count')) === n, counts.total)
      // the badge is no longer every alert of the scope
      const all = (await api(page, 'GET', '/api/v1/alerts?page_size=1')).body
      if (who === 'city') assert(counts.alerts < all.total, `the city's badge counts ${counts.alerts} alerts of ${all.total}`)
      await link.click()
      await page.waitForURL((u) => u.pathname === '/todo')
      await page.getByTestId('todo-total').filter({ hasText: String(counts.total.toLocaleString('zh-CN')) }).waitFor()
      const todo = (await api(page, 'GET', '/api/v1/todo')).body
      const groups = page.locator('[data-testid^="todo-group-"][data-count]')
      if (todo.groups.length === 0) {
        await page.getByTestId('todo-empty').waitFor()
      } else {
        await groups.first().waitFor()
      }
      assert((await groups.count()) === todo.groups.length, `${await groups.count()} groups shown, ${todo.groups.length} answered`)
      let sum = 0
      let prevFirst = null
      for (let i = 0; i < todo.groups.length; i++) {
        const g = todo.groups[i]
        sum += g.count
        const card = page.getByTestId(`todo-group-${g.kind}`)
        assert(Number(await card.getAttribute('data-count')) === g.count, `${g.kind}: the card counts ${await card.getAttribute('data-count')}`)
        const items = await itemsOf(card)
        assert(items.length === Math.min(10, g.count), `${g.kind}: ${items.length} items of ${g.count}`)
        for (let j = 1; j < items.length; j++) assert(!before(items[j], items[j - 1]), `${g.kind}: item ${j} is more urgent than ${j - 1}`)
        if (prevFirst) assert(!before(items[0], prevFirst), `${g.kind} is more urgent than the group above it`)
        prevFirst = items[0]
      }
      assert(sum === counts.total, `the groups hold ${sum}, the badge ${counts.total}`)
      await snap(page, `todo-${who}-1440`)

      // each kind links to its whole list, filtered the same way
      for (const g of todo.groups) {
        await page.goto(`${BASE}/todo`)
        await page.getByTestId(`todo-group-${g.kind}`).getByTestId('todo-group-all').click()
        if (g.kind === 'alert') {
          await page.waitForURL((u) => u.pathname === '/alerts' && u.searchParams.get('waiting') === '1')
          await page.getByTestId('alerts-total').filter({ hasText: `共 ${g.count} 条预警` }).waitFor()
          await snap(page, `todo-${who}-alerts-list-1440`)
        } else if (g.kind === 'returned') {
          await page.waitForURL((u) => u.pathname === '/filings' && u.searchParams.get('status') === 'returned')
        } else {
          await page.waitForURL((u) => u.pathname === '/filings' && u.searchParams.get('waiting') === '1')
          const table = page.getByTestId(g.kind === 'filing' ? 'todo-filings' : 'todo-changes')
          if ((await table.count()) > 0) await table.waitFor()
        }
      }

      const phone = track(await newPage(PHONE))
      await loginOK(phone, who)
      await phone.goto(`${BASE}/todo`)
      await phone.getByTestId('todo-total').waitFor()
      if (todo.groups.length) await phone.locator('[data-testid^="todo-group-"][data-count]').first().waitFor()
      await assertNoHScroll(phone, '/todo')
      await snap(phone, `todo-${who}-390`)
    })
  }
}
