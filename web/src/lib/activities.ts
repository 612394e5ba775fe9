// Organizational life (组织生活) for the staff pages: names of the codes, tags
// and colours, the ledger grid's layout, the calendar's buckets and the form
// body. Pure, with tests. The code lists mirror internal/domain/activity.go
// and compliance.go; the server's GET /meta lists win once loaded.
import type { ActivityInput, ActivityView, ComplianceLedger, MissingItem, PeriodCell } from '../api/activities'
import { formatTime, shanghaiToISO } from './format'

export interface ActivityTypeInfo {
  code: string
  name: string
  /** the ledger requirement a held activity of this type fulfils, or '' */
  counts: string
  /** several hosting Party orgs (联合主题党日) */
  multi_host: boolean
}

export const activityTypes: ActivityTypeInfo[] = [
  { code: 'members_meeting', name: '支部党员大会', counts: 'members_meeting', multi_host: false },
  { code: 'committee_meeting', name: '支委会', counts: 'committee_meeting', multi_host: false },
  { code: 'group_meeting', name: '党小组会', counts: 'group_meeting', multi_host: false },
  { code: 'party_lecture', name: '党课', counts: 'party_lecture', multi_host: false },
  { code: 'theme_day', name: '主题党日', counts: 'theme_day', multi_host: false },
  { code: 'joint_theme_day', name: '联合主题党日', counts: 'theme_day', multi_host: true },
  { code: 'life_meeting', name: '组织生活会', counts: 'life_meeting', multi_host: false },
  { code: 'member_review', name: '民主评议党员', counts: 'member_review', multi_host: false },
  { code: 'heart_talk', name: '谈心谈话', counts: '', multi_host: false },
  { code: 'question_solving', name: '党员出题·支部定题·党群破题', counts: '', multi_host: false },
  { code: 'joint_study', name: '共同学习', counts: '', multi_host: false },
  { code: 'major_matter_review', name: '重大事项前置研究', counts: '', multi_host: false },
  { code: 'volunteer_service', name: '志愿服务', counts: '', multi_host: false },
  { code: 'gov_enterprise', name: '政企互动', counts: '', multi_host: false },
]

export interface CodeName {
  code: string
  name: string
}

export const activityStatuses: CodeName[] = [
  { code: 'planned', name: '计划中' },
  { code: 'held', name: '已开展' },
  { code: 'cancelled', name: '已取消' },
]

export const attendanceKinds: CodeName[] = [
  { code: 'present', name: '出席' },
  { code: 'leave', name: '请假' },
  { code: 'absent', name: '缺席' },
]

export const checkinMethods: CodeName[] = [
  { code: 'activity_code', name: '扫活动码签到' },
  { code: 'member_code', name: '扫党员码签到' },
  { code: 'manual', name: '手工登记' },
]

export const requirements: CodeName[] = [
  { code: 'members_meeting', name: '支部党员大会' },
  { code: 'committee_meeting', name: '支委会' },
  { code: 'group_meeting', name: '党小组会' },
  { code: 'party_lecture', name: '党课' },
  { code: 'theme_day', name: '主题党日' },
  { code: 'life_meeting', name: '组织生活会' },
  { code: 'member_review', name: '民主评议党员' },
]

export const frequencies: CodeName[] = [
  { code: 'monthly', name: '每月' },
  { code: 'quarterly', name: '每季度' },
  { code: 'half_yearly', name: '每半年' },
  { code: 'yearly', name: '每年' },
  { code: 'off', name: '不考核' },
]

export const periodStatuses: CodeName[] = [
  { code: 'done', name: '已完成' },
  { code: 'missing', name: '缺项' },
  { code: 'in_progress', name: '进行中' },
  { code: 'not_started', name: '未开始' },
  { code: 'not_required', name: '不作要求' },
]

/** The name of a code in a list, or the code itself. */
export function nameIn(list: readonly CodeName[], code: string | null | undefined): string {
  if (!code) return ''
  return list.find((c) => c.code === code)?.name ?? code
}

export function activityTypeName(code: string | null | undefined): string {
  return nameIn(activityTypes, code)
}

/** Types whose activity may link to the month's theme (they count as 主题党日). */
export function takesMonthlyTheme(type: string): boolean {
  return type === 'theme_day' || type === 'joint_theme_day'
}

export function isMultiHost(type: string): boolean {
  return activityTypes.find((t) => t.code === type)?.multi_host ?? false
}

export type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export function activityStatusTag(status: string | null | undefined): { text: string; type: TagType } {
  switch (status) {
    case 'planned':
      return { text: '计划中', type: 'primary' }
    case 'held':
      return { text: '已开展', type: 'success' }
    case 'cancelled':
      return { text: '已取消', type: 'info' }
  }
  return { text: status || '—', type: 'info' }
}

export function attendanceKindTag(kind: string | null | undefined): { text: string; type: TagType } {
  switch (kind) {
    case 'present':
      return { text: '出席', type: 'success' }
    case 'leave':
      return { text: '请假', type: 'warning' }
    case 'absent':
      return { text: '缺席', type: 'danger' }
  }
  return { text: '未登记', type: 'info' }
}

/** A rate in percent as the pages show it: "87.5%"; '—' when there is nothing due. */
export function rateText(rate: number | null | undefined, due?: number): string {
  if (due === 0 || rate === null || rate === undefined || Number.isNaN(rate)) return '—'
  return `${Math.round(rate * 10) / 10}%`
}

// ---- the compliance ledger grid ----

export interface PeriodStyle {
  /** CSS class of the cell: ledger-done, ledger-missing … */
  cls: string
  label: string
}

/** The colour (as a class) and name of a period's status. */
export function periodStyle(status: string): PeriodStyle {
  const known = ['done', 'missing', 'in_progress', 'not_started', 'not_required']
  return { cls: known.includes(status) ? `ledger-${status.replace('_', '-')}` : 'ledger-unknown', label: nameIn(periodStatuses, status) }
}

export interface GridCell extends PeriodCell {
  /** first month column, 1-based (1 = January) */
  col: number
  /** months covered */
  span: number
  cls: string
  label: string
  /** the short heading: 3月, 二季度, 上半年, 全年 */
  short: string
}

export interface GridRow {
  requirement: string
  name: string
  frequency: string
  frequencyName: string
  applies: boolean
  reason: string
  due: number
  done: number
  cells: GridCell[]
}

const quarterNames = ['一季度', '二季度', '三季度', '四季度']

/** The short heading of a period label (2026-03, 2026-Q2, 2026-H1, 2026). */
export function periodShort(period: string): string {
  let m = /^\d{4}-(\d{2})$/.exec(period)
  if (m) return `${Number(m[1])}月`
  m = /^\d{4}-Q([1-4])$/.exec(period)
  if (m) return quarterNames[Number(m[1]) - 1]
  m = /^\d{4}-H([12])$/.exec(period)
  if (m) return m[1] === '1' ? '上半年' : '下半年'
  if (/^\d{4}$/.test(period)) return '全年'
  return period
}

function monthOf(date: string): number {
  const m = /^\d{4}-(\d{2})-\d{2}/.exec(date)
  return m ? Number(m[1]) : 0
}

/**
 * Lays out a ledger on a 12-month grid: one row per requirement, each period
 * a cell spanning its months (a quarter three columns, the year twelve).
 */
export function ledgerGrid(ledger: ComplianceLedger | null | undefined): GridRow[] {
  if (!ledger) return []
  return (ledger.requirements ?? []).map((r) => ({
    requirement: r.requirement,
    name: nameIn(requirements, r.requirement),
    frequency: r.frequency,
    frequencyName: nameIn(frequencies, r.frequency),
    applies: r.applies,
    reason: r.reason ?? '',
    due: r.due,
    done: r.done,
    cells: (r.periods ?? []).map((p) => {
      const first = monthOf(p.start) || 1
      const last = monthOf(p.end) || first
      const st = periodStyle(p.status)
      return { ...p, col: first, span: Math.max(1, last - first + 1), cls: st.cls, label: st.label, short: periodShort(p.period) }
    }),
  }))
}

/** A gap as a tag: "2026-Q2 党课". */
export function missingLabel(m: MissingItem): string {
  return `${m.period} ${nameIn(requirements, m.requirement)}`
}

// ---- the calendar ----

/** The Shanghai date (YYYY-MM-DD) of a timestamp. */
export function shanghaiDay(ts: string): string {
  return formatTime(ts).slice(0, 10)
}

/** Activities by the Shanghai date of their start, each day in start order. */
export function bucketByDay<T extends { starts_at: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const a of [...items].sort((x, y) => Date.parse(x.starts_at) - Date.parse(y.starts_at))) {
    const d = shanghaiDay(a.starts_at)
    if (!d) continue
    const list = out.get(d)
    if (list) list.push(a)
    else out.set(d, [a])
  }
  return out
}

const pad = (n: number) => String(n).padStart(2, '0')

function ymd(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/**
 * The from/to filter dates of a month's calendar grid: the month widened by
 * six days either way, so the neighbouring days a grid shows are filled too.
 */
export function calendarRange(month: string): { from: string; to: string } {
  const m = /^(\d{4})-(\d{2})/.exec(month)
  if (!m) return { from: '', to: '' }
  const y = Number(m[1])
  const mo = Number(m[2]) - 1
  return { from: ymd(new Date(Date.UTC(y, mo, 1 - 6))), to: ymd(new Date(Date.UTC(y, mo + 1, 0 + 6))) }
}

/** The local calendar date of a Date picked in the calendar widget (YYYY-MM-DD). */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

// ---- the activity form ----

/**
 * The form's model: the API's input with times as Shanghai wall-clock texts
 * "YYYY-MM-DD HH:mm:ss", no Party org until one is picked, and "held" as a
 * switch instead of the status.
 */
export type ActivityForm = Omit<ActivityInput, 'party_org_id' | 'status'> & {
  party_org_id: number | null
  held: boolean
}

/** A start and end for a new activity: from `now` (rounded up to 10 minutes), two hours. */
export function defaultTimes(now: Date = new Date()): { starts_at: string; ends_at: string } {
  const step = 10 * 60 * 1000
  const start = Math.ceil(now.getTime() / step) * step
  return { starts_at: formatTime(new Date(start).toISOString()), ends_at: formatTime(new Date(start + 2 * 3600 * 1000).toISOString()) }
}

export function emptyActivityForm(partyOrgId: number | null = null, now: Date = new Date()): ActivityForm {
  return {
    party_org_id: partyOrgId,
    co_host_ids: [],
    type: 'theme_day',
    title: '',
    theme: '',
    monthly_theme_id: null,
    ...defaultTimes(now),
    address: '',
    latitude: null,
    longitude: null,
    open: false,
    capacity: 0,
    agenda: '',
    held: false,
    minutes: '',
    resolutions: '',
    question: '',
    decision: '',
    outcome: '',
  }
}

/** The form of an existing activity (times shown in Shanghai). */
export function activityToForm(a: ActivityView): ActivityForm {
  return {
    party_org_id: a.party_org_id,
    co_host_ids: [...(a.co_host_ids ?? [])],
    type: a.type,
    title: a.title ?? '',
    theme: a.theme ?? '',
    monthly_theme_id: a.monthly_theme_id ?? a.monthly_theme?.id ?? null,
    starts_at: formatTime(a.starts_at),
    ends_at: formatTime(a.ends_at),
    address: a.address ?? '',
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
    open: !!a.open,
    capacity: a.capacity ?? 0,
    agenda: a.agenda ?? '',
    held: a.status === 'held',
    minutes: a.minutes ?? '',
    resolutions: a.resolutions ?? '',
    question: a.question ?? '',
    decision: a.decision ?? '',
    outcome: a.outcome ?? '',
  }
}

const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/**
 * The API body of the form. Fields that do not apply to the type are
 * cleared (co-hosts but for 联合主题党日, the monthly theme but for 主题党日,
 * the three 出题/定题/破题 fields but for that type), as is the capacity of a
 * closed activity and the minutes of one not recorded as held.
 */
export function activityPayload(f: ActivityForm): ActivityInput {
  const qs = f.type === 'question_solving'
  return {
    party_org_id: f.party_org_id ?? 0,
    co_host_ids: isMultiHost(f.type) ? f.co_host_ids.filter((id) => id !== f.party_org_id) : [],
    type: f.type,
    title: f.title.trim(),
    theme: f.theme.trim(),
    monthly_theme_id: takesMonthlyTheme(f.type) ? f.monthly_theme_id : null,
    starts_at: shanghaiToISO(f.starts_at),
    ends_at: shanghaiToISO(f.ends_at),
    address: f.address.trim(),
    latitude: num(f.latitude),
    longitude: num(f.longitude),
    open: f.open,
    capacity: f.open ? f.capacity : 0,
    agenda: f.agenda.trim(),
    status: f.held ? 'held' : 'planned',
    minutes: f.held ? f.minutes.trim() : '',
    resolutions: f.held ? f.resolutions.trim() : '',
    question: qs ? f.question.trim() : '',
    decision: qs ? f.decision.trim() : '',
    outcome: qs ? f.outcome.trim() : '',
  }
}

/** The body that records a planned activity as held with its minutes and resolutions. */
export function heldPayload(a: ActivityView, minutes: string, resolutions: string): ActivityInput & { version: number } {
  const f = activityToForm(a)
  f.held = true
  f.minutes = minutes
  f.resolutions = resolutions
  return { ...activityPayload(f), version: a.version }
}

/** The monthly theme of a start time's month (YYYY-MM in Shanghai), if the list has it. */
export function themeMonth(startsAt: string): string {
  const m = /^(\d{4}-\d{2})/.exec(startsAt)
  return m ? m[1] : ''
}

/** The Shanghai wall-clock time "YYYY-MM-DD HH:mm" of a timestamp, for display. */
export function shortTime(ts: string | null | undefined): string {
  return formatTime(ts).slice(0, 16)
}

/** "2026-06-01 09:00 – 11:00", or both dates when the activity spans days. */
export function timeSpan(start: string, end: string): string {
  const s = shortTime(start)
  const e = shortTime(end)
  if (!s) return ''
  if (!e) return s
  return s.slice(0, 10) === e.slice(0, 10) ? `${s} – ${e.slice(11)}` : `${s} – ${e}`
}

/** The year's twelve months with their themes (empty where none is set). */
export function yearMonths<T extends { month: string }>(year: number, themes: readonly T[]): { month: string; label: string; theme: T | null }[] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = `${year}-${pad(i + 1)}`
    return { month, label: `${i + 1}月`, theme: themes.find((t) => t.month === month) ?? null }
  })
}

// ---- the compliance summary chart ----

/** The bar of completion rates by district or committee (rates below 60% in red, 90% and above in green). */
export function complianceChart(rows: readonly { name: string; rate: number; due: number }[], max = 30) {
  const top = rows.slice(0, max)
  const colour = (r: number) => (r >= 90 ? '#67c23a' : r >= 60 ? '#e6a23c' : '#f56c6c')
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${v}%` },
    grid: { left: 48, right: 16, top: 24, bottom: 80 },
    xAxis: { type: 'category', data: top.map((r) => r.name), axisLabel: { interval: 0, rotate: 40 } },
    yAxis: { type: 'value', name: '完成率(%)', max: 100 },
    series: [
      {
        name: '完成率',
        type: 'bar',
        data: top.map((r) => ({ value: r.due ? Math.round(r.rate * 10) / 10 : 0, itemStyle: { color: colour(r.rate) } })),
      },
    ],
  }
}
