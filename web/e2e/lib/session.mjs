// Logging in through the login page as one of the demo's accounts.
import { api } from './api.mjs'
import { BASE, PASSWORD } from './env.mjs'

export async function login(page, username, password = PASSWORD) {
  await page.goto(`${BASE}/login`)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/** Logs a staff account in and waits for the main layout. */
export async function loginOK(page, username) {
  await login(page, username)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.getByTestId('scope-name').waitFor()
  await skipForcedPasswordChange(page)
}

// A demo account that must change its password is a server setting we do not
// want to change here; report it clearly.
async function skipForcedPasswordChange(page) {
  const me = await api(page, 'GET', '/api/v1/me')
  if (me.body?.must_change_password) throw new Error(`account ${me.body.username} must change its password first`)
}
