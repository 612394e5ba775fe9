// The members' phone pages (issue 4): check-in at phone width, 活动互认, the member's
// code, nearby activities, my org, the activation form, and a check-in by camera.
// The first scenario plans the activity the other two use.
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { login, loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'
import { assertNoHScroll, uniqueName } from '../lib/ui.mjs'

/** The members' pages are built for 375 px first. */
const MOBILE = { width: 375, height: 812 }
/** The activity the first scenario plans, and member's attendance at it. */
const mobile = {}

async function memberLogin(page, username) {
  await login(page, username)
  await page.waitForURL((u) => u.pathname === '/m')
  await page.getByTestId('m-home').waitFor()
  const me = (await api(page, 'GET', '/api/v1/me')).body
  assert(me?.member?.id, `${username}'s GET /api/v1/me has no member: ${JSON.stringify(me)}`)
  return me
}

async function phoneCheckin(page, code) {
  await page.getByTestId('m-scan-manual').fill(code)
  await page.getByTestId('m-scan-submit').click()
  await page.waitForFunction(
    () => document.querySelector('[data-testid="m-checkin-success"]') || document.querySelector('[data-testid="m-checkin-error"]'),
  )
  const err = page.getByTestId('m-checkin-error')
  if (await err.count()) throw new Error(`check-in refused: ${await err.innerText()}`)
  const card = page.getByTestId('m-checkin-success')
  return {
    id: await card.getAttribute('data-attendance-id'),
    repeat: (await card.getAttribute('data-repeat')) === '1',
    status: (await page.getByTestId('m-checkin-status').innerText()).trim(),
    title: (await page.getByTestId('m-checkin-title').innerText()).trim(),
    recognized: (await page.getByTestId('m-checkin-recognized').count()) > 0
      ? (await page.getByTestId('m-checkin-recognized').innerText()).trim() : '',
  }
}

export async function run() {
  // A 主题党日 of the demo `branch` org starting now, open, capacity 5; `member`
  // (of that org) checks in on /m/scan by typing the code, a repeat answers the
  // same attendance; `member2` (a Party org in 青羊区) checks in as a guest and
  // sees the 活动互认 note; the host sees member2 among its guests, recognized,
  // and member2's own record counts it. Every run plans a new activity.
  await scenario('members check in at phone width; a guest from 青羊区 is recognized', async (track) => {
    // the secretary plans a 主题党日 starting now (API, as the staff pages would)
    const staff = track(await newPage())
    await loginOK(staff, 'branch')
    const branchMe = (await api(staff, 'GET', '/api/v1/me')).body
    const title = uniqueName('手机签到测试主题党日')
    const start = new Date(Math.floor(Date.now() / 1000) * 1000)
    const created = await api(staff, 'POST', '/api/v1/activities', {
      party_org_id: branchMe.party_org_id,
      type: 'theme_day',
      title,
      starts_at: start.toISOString().replace('.000Z', 'Z'),
      ends_at: new Date(start.getTime() + 2 * 3600 * 1000).toISOString().replace('.000Z', 'Z'),
      address: '成都市锦江区红星路二段70号',
      latitude: 30.6598,
      longitude: 104.0833,
      open: true,
      capacity: 5,
    })
    assert(created.status === 201 && created.body?.id, `POST /api/v1/activities answered ${created.status} ${JSON.stringify(created.body)}`)
    const activityId = created.body.id
    const codeRes = await api(staff, 'GET', `/api/v1/activities/${activityId}/checkin-code`)
    assert(codeRes.status === 200 && codeRes.body?.code, `checkin-code answered ${codeRes.status} ${JSON.stringify(codeRes.body)}`)
    const code = codeRes.body.code
    const png = await staff.request.get(`${BASE}/api/v1/activities/${activityId}/checkin-code?format=png`)
    assert(png.ok() && (png.headers()['content-type'] || '').startsWith('image/png'), `the code's PNG answered ${png.status()}`)
    mobile.activity = { id: activityId, title, png: `data:image/png;base64,${(await png.body()).toString('base64')}` }
    // staff have none of the phone pages
    await staff.goto(`${BASE}/m/scan`)
    await staff.waitForURL((u) => u.pathname === '/')

    // unauthenticated, the phone pages lead to their own login page
    const phone = track(await newPage(MOBILE))
    await phone.goto(`${BASE}/m/scan`)
    await phone.waitForURL((u) => u.pathname === '/m/login')
    await phone.getByTestId('login-activate').waitFor()
    await shot(phone, 'm-login-375')

    // member logs in on /login and lands on /m
    const me1 = await memberLogin(phone, 'member')
    const home = await phone.getByTestId('m-home-name').innerText()
    assert(home.trim() === me1.member.name, `the greeting names "${home}", not ${me1.member.name}`)
    await assertNoHScroll(phone, '/m')
    await shot(phone, 'm-home-375')
    await phone.getByTestId('m-nav-scan').click()
    await phone.waitForURL((u) => u.pathname === '/m/scan')
    const first = await phoneCheckin(phone, code)
    assert(first.title === title, `the success card shows "${first.title}", not "${title}"`)
    assert(first.status === '签到成功', `the first check-in says "${first.status}"`)
    assert(!first.recognized, 'a member of the hosting org is shown the 活动互认 note')
    await assertNoHScroll(phone, '/m/scan')
    await shot(phone, 'm-checkin-375')
    // a repeat shows the same attendance
    const again = await phoneCheckin(phone, code)
    assert(again.id === first.id, `a repeat answered attendance ${again.id}, the first ${first.id}`)
    assert(again.repeat && again.status === '已签到', `a repeat says "${again.status}"`)
    mobile.memberAttendance = first.id
    const apiAgain = await api(phone, 'POST', '/api/v1/checkins', { code })
    assert(apiAgain.status === 200 && String(apiAgain.body?.id) === first.id, `a repeat over the API answered ${apiAgain.status} ${JSON.stringify(apiAgain.body)}`)

    // the member's code: the image loads
    await phone.getByTestId('m-back').click()
    await phone.waitForURL((u) => u.pathname === '/m')
    await phone.getByTestId('m-nav-code').click()
    await phone.waitForURL((u) => u.pathname === '/m/code')
    await phone.waitForFunction(() => {
      const img = document.querySelector('[data-testid="m-code-img"]')
      return img && img.complete && img.naturalWidth > 0
    })
    const note = await phone.getByTestId('m-code-note').innerText()
    assert(note.includes('截图无效，二维码每分钟自动更新'), `the code page says "${note}"`)
    assert(/\d:\d\d/.test(await phone.getByTestId('m-code-countdown').innerText()), 'no countdown on the code page')
    await assertNoHScroll(phone, '/m/code')
    await shot(phone, 'm-code-375')
    await phone.getByTestId('m-logout').click()
    await phone.waitForURL((u) => u.pathname === '/m/login')

    // member2, of a Party org in 青羊区, checks in as a guest
    const phone2 = track(await newPage(MOBILE))
    const me2 = await memberLogin(phone2, 'member2')
    assert(me2.member.party_org_id !== me1.member.party_org_id, 'member and member2 are in the same Party org')
    await phone2.getByTestId('m-nav-scan').click()
    await phone2.waitForURL((u) => u.pathname === '/m/scan')
    const guest = await phoneCheckin(phone2, code)
    assert(guest.title === title, `member2's success card shows "${guest.title}"`)
    assert(guest.recognized === '活动互认：计入本人所在党组织', `member2 sees "${guest.recognized}" as the 活动互认 note`)
    await shot(phone2, 'm-checkin-guest-375')
    // a closed activity of another org: refused with the server's message, nothing recorded
    const closed = await api(staff, 'POST', '/api/v1/activities', {
      party_org_id: branchMe.party_org_id,
      type: 'party_lecture',
      title: uniqueName('手机签到测试党课'),
      starts_at: start.toISOString().replace('.000Z', 'Z'),
      ends_at: new Date(start.getTime() + 3600 * 1000).toISOString().replace('.000Z', 'Z'),
      address: '成都市锦江区红星路二段70号',
      open: false,
    })
    assert(closed.status === 201, `POST a closed activity answered ${closed.status} ${JSON.stringify(closed.body)}`)
    const closedCode = (await api(staff, 'GET', `/api/v1/activities/${closed.body.id}/checkin-code`)).body.code
    const direct = await api(phone2, 'POST', '/api/v1/checkins', { code: closedCode })
    assert(direct.status === 403 && direct.body?.error?.message, `member2 at a closed activity: ${direct.status}`)
    await phone2.getByTestId('m-scan-manual').fill(closedCode)
    await phone2.getByTestId('m-scan-submit').click()
    await phone2.getByTestId('m-checkin-error').waitFor()
    const refused = (await phone2.getByTestId('m-checkin-error').innerText()).trim()
    assert(refused === direct.body.error.message, `the page says "${refused}", the server "${direct.body.error.message}"`)
    assert((await phone2.getByTestId('m-checkin-success').count()) === 0, 'a refused check-in shows a success card')
    const closedAtt = await api(staff, 'GET', `/api/v1/activities/${closed.body.id}/attendance`)
    assert((closedAtt.body.guests ?? []).length === 0, 'a refused check-in was recorded')

    // the host sees member2 among its guests, recognized; member on the roster, present
    const att = await api(staff, 'GET', `/api/v1/activities/${activityId}/attendance`)
    assert(att.status === 200, `GET attendance answered ${att.status}`)
    const g = (att.body.guests ?? []).find((r) => r.member_id === me2.member.id)
    assert(g && g.recognized === true && g.kind === 'present', `member2 among the guests: ${JSON.stringify(att.body.guests)}`)
    const r = (att.body.roster ?? []).find((x) => x.member_id === me1.member.id)
    assert(r && r.kind === 'present', `member on the roster: ${JSON.stringify(r)}`)
    // and it counts for member2's own org
    const mine = await api(phone2, 'GET', '/api/v1/my/attendance')
    assert(mine.status === 200 && mine.body.recognized >= 1, `member2's /my/attendance: ${JSON.stringify(mine.body)}`)
    assert(mine.body.items.some((i) => i.activity_id === activityId && i.recognized), 'member2\'s record lacks the activity')
    await phone2.goto(`${BASE}/m/attendance`)
    await phone2.getByTestId('m-att-item').first().waitFor()
    const shown = Number(await phone2.getByTestId('m-att-recognized').innerText())
    assert(shown === mine.body.recognized, `the page counts ${shown} recognized, the API ${mine.body.recognized}`)
    await assertNoHScroll(phone2, '/m/attendance')
    await shot(phone2, 'm-attendance-375')
    for (const p of [phone2, phone, staff]) await p.context().close().catch(() => {})
  })

  await scenario('member pages at phone width: nearby, my org, activation form', async (track) => {
    const page = track(await newPage(MOBILE))
    await page.context().grantPermissions(['geolocation'], { origin: BASE })
    await page.context().setGeolocation({ latitude: 30.6571, longitude: 104.0810 })
    await memberLogin(page, 'member2')
    await page.getByTestId('m-nav-nearby').click()
    await page.waitForURL((u) => u.pathname === '/m/nearby')
    await page.getByTestId('m-nearby-radius').selectOption('10')
    await page.getByTestId('m-nearby-locate').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="m-nearby-item"], [data-testid="m-nearby-empty"], [data-testid="m-nearby-error"]'))
    assert((await page.getByTestId('m-nearby-error').count()) === 0, `nearby: ${await page.getByTestId('m-nearby-error').innerText().catch(() => '')}`)
    if (mobile.activity) {
      const items = await page.getByTestId('m-nearby-item').allInnerTexts()
      const mineItem = items.find((t) => t.includes(mobile.activity.title))
      assert(mineItem, `the open activity is not among ${items.length} nearby ones`)
      assert(/(\d+ 米|\d+(\.\d)? 公里)/.test(mineItem), `no distance in "${mineItem}"`)
    }
    await assertNoHScroll(page, '/m/nearby')
    await shot(page, 'm-nearby-375')
    // a typed district
    await page.getByTestId('m-nearby-near').fill('锦江区')
    await page.getByTestId('m-nearby-search').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="m-nearby-results"] h2, [data-testid="m-nearby-error"]'))
    assert((await page.getByTestId('m-nearby-error').count()) === 0, `nearby 锦江区: ${await page.getByTestId('m-nearby-error').innerText().catch(() => '')}`)

    await page.goto(`${BASE}/m/org`)
    await page.getByTestId('m-org-name').waitFor()
    const org = (await api(page, 'GET', '/api/v1/my/org')).body
    // the contract's `name` is the org's; the server answers it as party_org_name
    const orgName = org.party_org_name || org.name
    assert((await page.getByTestId('m-org-name').innerText()).trim() === orgName, 'the org page names another org')
    assert((await page.getByTestId('m-org-secretary').innerText()).trim() === (org.secretary_name || '暂未设置'), 'the secretary is not shown')
    await shot(page, 'm-org-375')
    // staff pages are not for members
    await page.goto(`${BASE}/members`)
    await page.waitForURL((u) => u.pathname === '/m')
    await page.getByTestId('m-logout').click()
    await page.waitForURL((u) => u.pathname === '/m/login')

    // the activation form checks its fields before sending
    await page.getByTestId('login-activate').click()
    await page.waitForURL((u) => u.pathname === '/m/activate')
    await page.getByTestId('m-activate-username').fill('13800000000')
    await page.getByTestId('m-activate-password').fill('Aa@12345678')
    await page.getByTestId('m-activate-password2').fill('Aa@12345679')
    await page.getByTestId('m-activate-submit').click()
    await page.getByTestId('m-activate-error-code').waitFor()
    assert((await page.getByTestId('m-activate-error-password2').innerText()).includes('不一致'), 'mismatched passwords are not flagged')
    await assertNoHScroll(page, '/m/activate')
    await shot(page, 'm-activate-375')
  })

  // The camera path: the phone's camera is a canvas showing the activity's PNG
  // code; the page decodes it (BarcodeDetector or jsQR) and checks in with it.
  await scenario('member checks in by the camera from the PNG code', async (track) => {
    assert(mobile.activity?.png && mobile.memberAttendance, 'needs the check-in scenario above')
    const page = track(await newPage(MOBILE))
    await page.addInitScript((src) => {
      const img = new Image()
      img.src = src
      const canvas = document.createElement('canvas')
      canvas.width = 480
      canvas.height = 480
      const ctx = canvas.getContext('2d')
      const draw = () => {
        ctx.fillStyle = '#fff'
        ctx.fillRect(0, 0, 480, 480)
        if (img.complete && img.naturalWidth) ctx.drawImage(img, 80, 80, 320, 320)
      }
      setInterval(draw, 100)
      const getUserMedia = async () => {
        draw()
        return canvas.captureStream(10)
      }
      if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = getUserMedia
      else Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia } })
    }, mobile.activity.png)
    await memberLogin(page, 'member')
    await page.getByTestId('m-nav-scan').click()
    await page.getByTestId('m-checkin-success').waitFor()
    const card = page.getByTestId('m-checkin-success')
    assert((await card.getAttribute('data-attendance-id')) === mobile.memberAttendance, 'the camera check-in answered another attendance')
    assert((await page.getByTestId('m-checkin-title').innerText()).trim() === mobile.activity.title, 'the camera check-in names another activity')
    assert((await page.getByTestId('m-checkin-status').innerText()).trim() === '已签到', 'a repeat by camera is not shown as 已签到')
    // the camera is released once the code is read
    const live = await page.evaluate(() => {
      const v = document.querySelector('[data-testid="m-scan-video"]')
      return !!v?.srcObject
    })
    assert(!live, 'the camera is still attached after the check-in')
  })
}
