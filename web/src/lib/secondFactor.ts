// The second login factor (动态口令) as the pages need it: the login's
// answer, what a person types, and the recovery codes to keep.
import type { LoginAnswer, Me } from '../api/types'

/** The password was right and the account logs in with a one-time password too. */
export function needsSecondFactor(a: LoginAnswer | null | undefined): boolean {
  return !!a && 'second_factor_required' in a && a.second_factor_required === true
}

/** The account's roles require a second factor it has not enrolled: only enrolment answers. */
export function mustEnrol(me: Me | null | undefined): boolean {
  return !!me && !!me.totp_required && !me.totp_enabled
}

/** The digits of a typed code (spaces and other characters dropped), at most six. */
export function codeDigits(s: string): string {
  return s.replace(/[^0-9０-９]/g, '').replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).slice(0, 6)
}

/** A secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ')
}

/** The text of the recovery codes file a person downloads and keeps. */
export function recoveryText(username: string, codes: string[], at: Date = new Date()): string {
  const day = at.toISOString().slice(0, 10)
  return [
    `两新党建工作平台 双因素认证恢复码`,
    `账号：${username}　生成日期：${day}`,
    `手机不在身边时，登录第二步可输入其中一个恢复码；每个恢复码只能使用一次。`,
    `请妥善保管，不要与他人共享。`,
    '',
    ...codes.map((c, i) => `${String(i + 1).padStart(2, ' ')}. ${c}`),
    '',
  ].join('\n')
}
