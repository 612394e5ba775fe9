// Pure helpers of the member pages (手机端): times and countdowns of the
// rotating 一码通, distances, check-in results and messages, labels. No DOM, no
// network: the tests call them directly (lib.test.ts).

import { ApiError } from '../api/client'
import type { Me } from '../api/types'
import { activityTypes, attendanceKinds } from '../lib/codes.gen'
import type { ActivityBrief, MyAttendance } from './api'

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000
const pad = (n: number) => String(n).padStart(2, '0')
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

/** A Date's wall clock in Asia/Shanghai, read with getUTC* methods. */
function shanghai(ms: number): Date {
  return new Date(ms + SHANGHAI_OFFSET_MS)
}

// ---- who is a member ----------------------------------------------------

/** A member's account (the member role, `member` in Me) uses the phone pages. */
export function isMember(me: Pick<Me, 'roles'> & { member?: unknown } | null | undefined): boolean {
  if (!me) return false
  return !!me.member || (me.roles ?? []).includes('member')
}

/** A member's own account with no staff role: it has only the phone pages. */
export function memberOnly(me: Pick<Me, 'roles'> & { member?: unknown } | null | undefined): boolean {
  return isMember(me) && (me?.roles ?? []).every((r) => r === 'member')
}

/** Where to go after logging in: a member to /m (or the /m page asked for), staff to the asked page or /; never back to a login page. */
export function homeAfterLogin(member: boolean, redirect: unknown): string {
  const safe =
    typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//') && !/^\/(m\/)?(login|activate)\b/.test(redirect)
      ? redirect
      : ''
  if (member) return safe === '/m' || safe.startsWith('/m/') || safe.startsWith('/m?') ? safe : '/m'
  return safe || '/'
}

// ---- greetings and times ------------------------------------------------

/** 早上好 / 上午好 / 中午好 / 下午好 / 晚上好 by the hour in Asia/Shanghai. */
export function greeting(now: Date = new Date()): string {
  const h = shanghai(now.getTime()).getUTCHours()
  if (h < 5) return '晚上好'
  if (h < 9) return '早上好'
  if (h < 11) return '上午好'
  if (h < 13) return '中午好'
  if (h < 18) return '下午好'
  return '晚上好'
}

/** The current year in Asia/Shanghai. */
export function currentYear(now: Date = new Date()): number {
  return shanghai(now.getTime()).getUTCFullYear()
}

/** The years a member can pick: this one and the `count - 1` before it, newest first. */
export function yearOptions(now: Date = new Date(), count = 5): number[] {
  const y = currentYear(now)
  return Array.from({ length: count }, (_, i) => y - i)
}

/** "2026年11月" for a month "2026-11". */
export function monthLabel(month: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})/.exec(month ?? '')
  return m ? `${m[1]}年${Number(m[2])}月` : ''
}

/** "11月27日 周五 14:00" in Asia/Shanghai; '' for empty, the input for garbage. */
export function formatDay(ts: string | null | undefined): string {
  if (!ts) return ''
  const ms = Date.parse(ts)
  if (Number.isNaN(ms)) return String(ts)
  const d = shanghai(ms)
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 周${WEEKDAYS[d.getUTCDay()]} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** A start and end: "11月27日 周五 14:00–16:00", the end's date added when it is another day. */
export function formatSpan(start: string | null | undefined, end?: string | null): string {
  const s = formatDay(start)
  if (!end || !s) return s
  const a = Date.parse(start as string)
  const b = Date.parse(end)
  if (Number.isNaN(b) || Number.isNaN(a)) return s
  const ds = shanghai(a)
  const de = shanghai(b)
  const sameDay =
    ds.getUTCFullYear() === de.getUTCFullYear() && ds.getUTCMonth() === de.getUTCMonth() && ds.getUTCDate() === de.getUTCDate()
  return sameDay ? `${s}–${pad(de.getUTCHours())}:${pad(de.getUTCMinutes())}` : `${s} 至 ${formatDay(end)}`
}

// ---- the rotating member code (一码通) -----------------------------------

/** Seconds (whole, ≥ 0) from now until a moment given in ms. */
export function secondsUntil(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000))
}

/** "0:45", "1:05" for a countdown in seconds. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  return `${Math.floor(s / 60)}:${pad(s % 60)}`
}

/**
 * When to fetch the next code, in ms from the moment the answer arrived: a
 * second after the server's `refresh_in` (seconds). It is relative, so a phone whose clock is off
 * still refreshes in time; `expires_at` is only a bound when refresh_in is
 * missing or too late: the fetch happens `marginMs` before the expiry as the
 * phone reckons it. Never sooner than `minMs` (no busy loop), never later than
 * a minute (the code rotates at least every minute).
 */
export function refreshDelayMs(
  refreshIn: number | null | undefined,
  expiresAt: string | null | undefined,
  nowMs: number,
  marginMs = 3000,
  minMs = 1000,
  lateMs = 1000,
): number {
  const candidates: number[] = []
  // refresh_in is whole seconds rounded down: a little later lands past the
  // server's rotation instead of fetching the same code twice
  if (typeof refreshIn === 'number' && Number.isFinite(refreshIn) && refreshIn >= 0) candidates.push(refreshIn * 1000 + lateMs)
  const exp = expiresAt ? Date.parse(expiresAt) : NaN
  if (!Number.isNaN(exp) && exp - nowMs > 0) candidates.push(exp - nowMs - marginMs)
  const d = candidates.length ? Math.min(...candidates) : 30_000
  return Math.min(60_000, Math.max(minMs, Math.round(d)))
}

/**
 * The code in a scanned QR text: the text itself, or the `code` parameter of
 * a link (a poster may carry a URL that opens this page with the code).
 */
export function extractCode(text: string | null | undefined): string {
  const t = (text ?? '').trim()
  if (!t) return ''
  if (/^https?:\/\//i.test(t)) {
    try {
      const u = new URL(t)
      const c = u.searchParams.get('code') ?? u.searchParams.get('c')
      if (c) return c.trim()
    } catch {
      /* not a URL after all */
    }
  }
  return t
}

// ---- distances ------------------------------------------------------------

/** "850 米", "1.2 公里", "12 公里"; '' when unknown. */
export function formatDistance(km: number | null | undefined): string {
  if (km === null || km === undefined || !Number.isFinite(km) || km < 0) return ''
  if (km < 1) {
    const m = Math.max(10, Math.round((km * 1000) / 10) * 10)
    return m >= 1000 ? '1.0 公里' : `${m} 米`
  }
  if (km < 10) return `${(Math.round(km * 10) / 10).toFixed(1)} 公里`
  return `${Math.round(km)} 公里`
}

export const RADIUS_OPTIONS = [1, 3, 5, 10, 20, 50] as const

/** A radius the API accepts (1–50 km; 5 when unset or garbage). */
export function clampRadius(v: unknown): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) return 5
  return Math.min(50, Math.max(1, Math.round(n)))
}

/** The Party org hosting an activity. */
export function hostOf(a: Pick<ActivityBrief, 'host_name'>): string {
  return a.host_name || ''
}

/** "余 3 个名额" / "名额已满" / '' (no capacity): guests take the places of an open activity. */
export function placesText(a: Pick<ActivityBrief, 'capacity' | 'guests'>): string {
  if (!(a.capacity > 0)) return ''
  const left = Math.max(0, a.capacity - a.guests)
  return left > 0 ? `余 ${left} 个名额` : '名额已满'
}

// ---- check-in results -------------------------------------------------------

export const RECOGNIZED_NOTE = '活动互认：计入本人所在党组织'

/**
 * Whether a check-in answer is a repeat: the attendance was already seen on
 * this page, or it was recorded well before this request was sent (the server
 * answers a repeat with the earlier attendance).
 */
export function isRepeat(att: Pick<MyAttendance, 'id' | 'at'> & { repeat?: boolean }, sentAtMs: number, seen: Iterable<number> = [], slackMs = 5000): boolean {
  if (typeof att.repeat === 'boolean') return att.repeat // the server says so
  for (const id of seen) if (id === att.id) return true
  const at = Date.parse(att.at)
  return !Number.isNaN(at) && at < sentAtMs - slackMs
}

/** The status line of a successful check-in. */
export function checkinTitle(att: Pick<MyAttendance, 'kind'>, repeat: boolean): string {
  if (repeat) return '已签到'
  if (att.kind && att.kind !== 'present') return `已记录：${attendanceKindLabel(att.kind)}`
  return '签到成功'
}

const CHECKIN_MESSAGES: Record<number, string> = {
  400: '签到码无效，请扫描活动现场的签到码',
  403: '该活动不对本组织以外的党员开放，无法签到',
  404: '活动不存在',
  409: '活动已取消或名额已满，无法签到',
  410: '签到码已过期或签到尚未开始',
}
const CHECKIN_BY_CODE: Record<string, number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, gone: 410 }

// The client's own fallbacks (api/client.ts): when one of these is all we
// have, a check-in specific sentence is clearer.
const GENERIC = new Set([
  '提交的数据有误',
  '没有权限执行此操作',
  '记录不存在或不在您的数据范围内',
  '数据已被他人修改，请刷新后重试',
  '请求失败',
])

/** The Chinese sentence to show when a check-in fails: the server's own, else one by status or code. */
export function checkinErrorMessage(e: unknown): string {
  if (!(e instanceof ApiError)) return '签到失败，请稍后再试'
  const status = CHECKIN_MESSAGES[e.status] ? e.status : (CHECKIN_BY_CODE[e.code] ?? 0)
  if (e.message && !GENERIC.has(e.message)) return e.message
  return CHECKIN_MESSAGES[status] ?? e.message ?? '签到失败，请稍后再试'
}

// ---- labels ------------------------------------------------------------------

const KIND_LABELS: Record<string, string> = Object.fromEntries(attendanceKinds.map((k) => [k.code, k.name]))
export function attendanceKindLabel(kind: string | null | undefined): string {
  return kind ? (KIND_LABELS[kind] ?? kind) : '未记录'
}

// The phone's own words for domain.CheckinMethods (the staff pages use the domain's names).
const METHOD_LABELS: Record<string, string> = {
  activity_code: '扫码签到',
  member_code: '组织者扫码',
  manual: '现场登记',
}
export function checkinMethodLabel(method: string | null | undefined): string {
  return method ? (METHOD_LABELS[method] ?? method) : ''
}

const TYPE_LABELS: Record<string, string> = Object.fromEntries(activityTypes.map((t) => [t.code, t.name]))
export function activityTypeLabel(type: string | null | undefined, name?: string | null): string {
  if (name) return name
  return type ? (TYPE_LABELS[type] ?? type) : ''
}

// ---- activation ---------------------------------------------------------------

export interface ActivateForm {
  username: string
  code: string
  password: string
  password2: string
}

/** Checks the activation form before sending it; field → message (empty when fine). */
export function validateActivate(f: ActivateForm): Record<string, string> {
  const errs: Record<string, string> = {}
  const u = f.username.trim()
  if (!u) errs.username = '请输入手机号或身份证号'
  else if (!/^1\d{10}$/.test(u) && !/^\d{17}[\dXx]$/.test(u)) errs.username = '请输入 11 位手机号或 18 位身份证号'
  if (!f.code.trim()) errs.code = '请输入激活码'
  // the password policy (length, classes) is the server's: its message comes back in error.fields
  if (!f.password) errs.password = '请设置新密码'
  if (!f.password2) errs.password2 = '请再次输入新密码'
  else if (f.password && f.password !== f.password2) errs.password2 = '两次输入的密码不一致'
  return errs
}
