// The second login factor (issue 11): enrol by QR, log in with a code and with a
// recovery code, the 安全管理员's reset, enrolment forced by a required role. The
// scenarios follow wuhou through one enrolment and its reset; the last puts the
// setting back as it was.
import { createHmac } from 'node:crypto'
import { api } from '../lib/api.mjs'
import { newPage } from '../lib/browser.mjs'
import { BASE } from '../lib/env.mjs'
import { assert, scenario } from '../lib/report.mjs'
import { login, loginOK } from '../lib/session.mjs'
import { shot } from '../lib/shots.mjs'

const TOTP_VIEW = { width: 1440, height: 900 }

// The codes are computed here from the secret the page shows (RFC 6238: HMAC-SHA1, 30 s, 6 digits).
function base32Bytes(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  const out = []
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(ch)
    if (i < 0) throw new Error(`not base32: ${s}`)
    value = (value << 5) | i
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

function totpCode(secret, step) {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(step))
  const sum = createHmac('sha1', base32Bytes(secret)).update(msg).digest()
  const off = sum[sum.length - 1] & 0x0f
  return String((sum.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

// The server accepts each time step once: every code here comes from a step
// after the last one used for that account, waiting for it when needed.
const totpUsed = new Map()
async function freshCode(username, secret) {
  const now = Math.floor(Date.now() / 30_000)
  const step = Math.max(now, (totpUsed.get(username) ?? -1) + 1)
  if (step > now + 1) await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 500))
  totpUsed.set(username, step)
  return totpCode(secret, step)
}

/** Enrols the logged-in account through the open dialog; returns the secret and the recovery codes. */
async function enrolInDialog(page, username, shotName) {
  const dialog = page.getByTestId('totp-dialog').locator('xpath=ancestor-or-self::*[contains(@class,"el-dialog")]').first()
  await page.getByTestId('totp-qr').waitFor()
  const secret = await page.getByTestId('totp-secret').getAttribute('data-secret')
  assert(secret && secret.length >= 32, `secret "${secret}"`)
  const qr = await page.getByTestId('totp-qr').getAttribute('src')
  assert(qr?.startsWith('data:image/png;base64,'), 'the QR image is not a PNG')
  if (shotName) await shot(page, shotName)
  await page.getByTestId('totp-code').fill(await freshCode(username, secret))
  await page.getByTestId('totp-confirm').click()
  await page.getByTestId('totp-recovery-codes').waitFor()
  const codes = (await page.getByTestId('totp-recovery-code').allTextContents()).map((c) => c.trim())
  assert(codes.length === 10 && codes.every((c) => /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/.test(c)), `recovery codes ${codes}`)
  if (shotName) await shot(page, `${shotName}-codes`)
  await page.getByTestId('totp-done').click()
  await dialog.waitFor({ state: 'hidden' })
  return { secret, codes }
}

async function secadminApi() {
  const page = await newPage(TOTP_VIEW)
  await loginOK(page, 'secadmin')
  return page
}

async function userByName(page, username) {
  const list = (await api(page, 'GET', `/api/v1/users?q=${encodeURIComponent(username)}&page_size=50`)).body
  const u = list?.items?.find((x) => x.username === username)
  assert(u, `no account ${username}`)
  return u
}

/** Leaves an account without a second factor (a run stopped half-way may have left one). */
async function resetIfEnrolled(username) {
  const sec = await secadminApi()
  try {
    const u = await userByName(sec, username)
    if (u.totp_enabled) {
      const r = await api(sec, 'DELETE', `/api/v1/users/${u.id}/totp`)
      assert(r.status === 204, `reset ${username}: ${r.status}`)
    }
  } finally {
    await sec.context().close()
  }
}

async function loggedIn(page) {
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.getByTestId('scope-name').waitFor()
}

async function logoutUI(page) {
  await page.getByTestId('logout').click()
  await page.waitForURL((u) => u.pathname.startsWith('/login'))
}

/** wuhou's enrolment, for the scenarios after the first. */
const totpRun = { secret: '', codes: [] }

async function secadminResetAudited(page) {
  const a = await newPage(TOTP_VIEW)
  try {
    await loginOK(a, 'auditor')
    const r = (await api(a, 'GET', '/api/v1/audit-events?action=totp_reset&page_size=5')).body
    return r?.items?.some((e) => e.username === 'secadmin')
  } finally {
    await a.context().close()
  }
}

export async function run() {
  await scenario('wuhou enrols a second factor by QR code and logs in with a code', async (track) => {
    await resetIfEnrolled('wuhou')
    const page = track(await newPage(TOTP_VIEW))
    await loginOK(page, 'wuhou')
    await page.getByTestId('user-menu').click()
    await page.getByTestId('totp-menu').click()
    Object.assign(totpRun, await enrolInDialog(page, 'wuhou', 'totp-enrol-1440'))
    const me = (await api(page, 'GET', '/api/v1/me')).body
    assert(me?.totp_enabled === true, 'GET /me does not show the second factor')
    await logoutUI(page)

    // The password alone no longer opens a session: the second step asks for the code.
    await login(page, 'wuhou')
    await page.getByTestId('login-code').waitFor()
    await shot(page, 'totp-login-step-1440')
    assert((await api(page, 'GET', '/api/v1/me')).status === 401, 'a session before the second factor')
    await page.getByTestId('login-code').fill(await freshCode('wuhou', totpRun.secret))
    await loggedIn(page)
  })

  await scenario('wuhou logs in with a recovery code, which works once', async (track) => {
    assert(totpRun.codes.length === 10, 'needs the enrolment scenario above')
    const page = track(await newPage(TOTP_VIEW))
    await login(page, 'wuhou')
    await page.getByTestId('login-use-recovery').click()
    await page.getByTestId('login-recovery').fill(totpRun.codes[0].toUpperCase())
    await shot(page, 'totp-login-recovery-1440')
    await page.getByTestId('login-verify').click()
    await loggedIn(page)
    await logoutUI(page)

    await login(page, 'wuhou')
    await page.getByTestId('login-use-recovery').click()
    await page.getByTestId('login-recovery').fill(totpRun.codes[0])
    await page.getByTestId('login-verify').click()
    const err = await page.getByTestId('login-error').textContent()
    assert(err?.includes('恢复码'), `a used recovery code answered "${err}"`)
    // The code still works (and clears the failure count).
    await page.getByTestId('login-use-recovery').click()
    await page.getByTestId('login-code').fill(await freshCode('wuhou', totpRun.secret))
    await loggedIn(page)
  })

  await scenario('the 安全管理员 resets wuhou\'s second factor in 账号管理', async (track) => {
    const page = track(await newPage(TOTP_VIEW))
    await loginOK(page, 'secadmin')
    await page.goto(`${BASE}/users`)
    await page.getByTestId('user-q').fill('wuhou')
    await page.getByTestId('user-q').press('Enter')
    const row = page.getByTestId('user-table').locator('tr', { has: page.locator('td', { hasText: /^wuhou$/ }) })
    await row.getByTestId('user-totp').filter({ hasText: '已启用' }).waitFor()
    await shot(page, 'totp-users-1440')
    await row.getByTestId('user-reset-totp').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    await box.getByRole('button', { name: '重置' }).click()
    await row.getByTestId('user-totp').filter({ hasText: '未启用' }).waitFor()
    const audit = await secadminResetAudited(page)
    assert(audit, 'the reset is not in the audit trail')

    const wuhou = await newPage(TOTP_VIEW)
    try {
      await loginOK(wuhou, 'wuhou') // the password alone again
    } finally {
      await wuhou.context().close()
    }
  })

  await scenario('a role the 安全管理员 requires it of enrols before anything else', async (track) => {
    const sec = await secadminApi()
    const before = (await api(sec, 'GET', '/api/v1/settings/second-factor')).body
    assert(Array.isArray(before?.required_roles), 'GET /settings/second-factor')
    try {
      await resetIfEnrolled('wuhou.committee')
      await sec.goto(`${BASE}/settings/security`)
      const box = sec.getByTestId('sf-role-committee_staff')
      await box.waitFor()
      if (!(await box.locator('input').isChecked())) await box.click()
      await sec.getByTestId('second-factor-save').click()
      await sec.locator('.el-message--success').first().waitFor()
      await shot(sec, 'totp-settings-1440')
      const now = (await api(sec, 'GET', '/api/v1/settings/second-factor')).body
      assert(now?.required_roles?.includes('committee_staff'), `saved ${JSON.stringify(now)}`)

      const page = track(await newPage(TOTP_VIEW))
      await loginOK(page, 'wuhou.committee')
      await page.getByTestId('totp-qr').waitFor()
      assert((await api(page, 'GET', '/api/v1/party-orgs')).status === 403, 'business data before enrolment')
      const enrolled = await enrolInDialog(page, 'wuhou.committee', 'totp-forced-1440')
      assert(enrolled.codes.length === 10, 'no recovery codes')
      assert((await api(page, 'GET', '/api/v1/party-orgs')).status === 200, 'still limited after enrolment')
    } finally {
      await api(sec, 'PUT', '/api/v1/settings/second-factor', { required_roles: before.required_roles })
      const u = await userByName(sec, 'wuhou.committee')
      if (u.totp_enabled) await api(sec, 'DELETE', `/api/v1/users/${u.id}/totp`)
      await sec.context().close()
    }
  })
}
