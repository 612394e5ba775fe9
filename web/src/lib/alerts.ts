// 防瘫预警 pages: labels and colours of levels and states, the list's
// filters as a URL query and as an API query, chart options, the rule
// parameters' checks (the same as the server's domain.RuleDef.Validate), pure
// for tests.
import type { AlertLevel, AlertStatus, AlertTrendPoint, LevelCounts, Rule, RuleParamDef } from '../api/alerts'
import { alertActions, alertEvents, alertLevels, alertStatuses, alertStatusSteps, filingKinds, termChangeKinds } from './codes.gen'

// ---- levels -------------------------------------------------------------

/** The levels, worst first; `short` is the name's first character (红). */
export const levels: readonly { code: AlertLevel; name: string; short: string }[] = [...alertLevels]
  .reverse()
  .map((l) => ({ code: l.code, name: l.name, short: l.name.slice(0, 1) }))

/** The colours of the three levels: strong enough to tell apart at a glance. */
export const levelColors: Record<AlertLevel, string> = {
  red: '#d93026',
  orange: '#f08c00',
  yellow: '#e6c200',
}

// the domain lists the levels mildest first
const levelRank: Record<string, number> = Object.fromEntries(alertLevels.map((l, i) => [l.code, i + 1]))

export function levelName(level: string | null | undefined): string {
  return levels.find((l) => l.code === level)?.name ?? (level || '')
}

/** A level's tag: filled with its colour; dark text on yellow so it stays readable. */
export function levelStyle(level: string | null | undefined): Record<string, string> {
  const bg = levelColors[level as AlertLevel]
  if (!bg) return {}
  return { background: bg, borderColor: bg, color: level === 'yellow' ? '#3a3000' : '#fff' }
}

/** The worse of two levels ('' counts as none). */
export function worseLevel(a: string | null | undefined, b: string | null | undefined): string {
  return (levelRank[a ?? ''] ?? 0) >= (levelRank[b ?? ''] ?? 0) ? a ?? '' : b ?? ''
}

// ---- states and events --------------------------------------------------

const statusTags: Record<AlertStatus, 'danger' | 'warning' | 'success' | 'info'> = {
  open: 'danger',
  acknowledged: 'warning',
  resolved: 'success',
  closed: 'info',
}

export const statuses: { code: AlertStatus; name: string; tag: 'danger' | 'warning' | 'success' | 'info' }[] =
  alertStatuses.map((s) => ({ code: s.code, name: s.name, tag: statusTags[s.code] }))

/** The list's status filter: the server's 'current' (not closed by the engine) is the default. */
export const statusFilters: { code: string; name: string }[] = [
  { code: 'current', name: '未消除' },
  ...statuses.map((s) => ({ code: s.code, name: s.name })),
  { code: 'all', name: '全部' },
]

export function statusName(s: string | null | undefined): string {
  return statuses.find((x) => x.code === s)?.name ?? (s || '')
}

export function statusTag(s: string | null | undefined): 'danger' | 'warning' | 'success' | 'info' {
  return statuses.find((x) => x.code === s)?.tag ?? 'info'
}

const actionNames: Record<string, string> = Object.fromEntries(alertEvents.map((e) => [e.code, e.name]))

export function eventActionName(a: string | null | undefined): string {
  return actionNames[a ?? ''] ?? (a || '')
}

/** Who did a step: a user, or the engine's own runs (the scheduled job is "alert-job"). */
export function eventActor(username: string | null | undefined): string {
  if (!username) return '系统'
  return username === 'alert-job' ? '系统（定时评估）' : username
}

export type AlertActionKind = (typeof alertActions)[number]['code']

export const actionLabels = Object.fromEntries(alertActions.map((a) => [a.code, a.name])) as Record<AlertActionKind, string>

/**
 * The workflow steps a state allows (the server refuses the others with
 * 409), as the domain lists them: an open alert can be assigned,
 * acknowledged or resolved; an acknowledged one assigned or resolved; a
 * resolved one reopened while the rule still flags it; a closed one (the
 * cause is gone) nothing.
 */
export function actionsFor(status: string | null | undefined, canWrite: boolean): AlertActionKind[] {
  if (!canWrite) return []
  return [...(alertStatusSteps.find((s) => s.status === status)?.actions ?? [])]
}

/** "2026-05-12 起，已 198 天" — since when the condition holds. */
export function sinceText(a: { since?: string | null; days?: number | null }): string {
  if (!a.since) return '—'
  return typeof a.days === 'number' ? `${a.since} 起，已 ${a.days} 天` : `${a.since} 起`
}

// ---- the list's filters -------------------------------------------------

export interface AlertFilter {
  rule: string
  level: string
  /** a district or zone code (its streets included) */
  region: string
  /** a Party org id: its whole subtree (the committee filter) */
  under: number | null
  /** the committee's name, kept in the URL for the picker's label */
  underName: string
  status: string
  /** only alerts assigned to the caller */
  mine: boolean
  /** only what waits on the caller (待办): assigned to them, or unassigned at their org or its direct subordinates */
  waiting: boolean
  sort: string
}

export const sorts: { code: string; name: string }[] = [
  { code: '-level', name: '等级从高到低' },
  { code: 'since', name: '持续时间最长' },
  { code: '-opened_on', name: '最新产生' },
  { code: 'org', name: '按党组织' },
  { code: 'rule', name: '按规则' },
  { code: 'urgency', name: '紧急程度（待办）' },
]

export function emptyFilter(): AlertFilter {
  return { rule: '', level: '', region: '', under: null, underName: '', status: 'current', mine: false, waiting: false, sort: '-level' }
}

type RawQuery = Record<string, string | null | undefined | (string | null)[]>

function one(v: RawQuery[string]): string {
  if (Array.isArray(v)) return (v[0] ?? '').trim()
  return (v ?? '').trim()
}

function positiveInt(v: string): number | null {
  return /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : null
}

/** The filters and paging of a URL query (a shared link reproduces the list); bad values fall back to the defaults. */
export function filterFromQuery(q: RawQuery): { filter: AlertFilter; page: number; pageSize: number } {
  const f = emptyFilter()
  f.rule = one(q.rule)
  const level = one(q.level)
  f.level = levels.some((l) => l.code === level) ? level : ''
  f.region = /^\d{6,12}$/.test(one(q.region)) ? one(q.region) : ''
  f.under = positiveInt(one(q.under))
  f.underName = f.under ? one(q.under_name) : ''
  const status = one(q.status)
  f.status = statusFilters.some((s) => s.code === status) ? status : 'current'
  f.mine = one(q.mine) === '1'
  f.waiting = one(q.waiting) === '1'
  const sort = one(q.sort)
  f.sort = sorts.some((s) => s.code === sort) ? sort : '-level'
  const page = positiveInt(one(q.page)) ?? 1
  const size = positiveInt(one(q.page_size))
  return { filter: f, page, pageSize: size && [20, 50, 100, 200].includes(size) ? size : 20 }
}

/** The URL query of the filters: defaults left out so links stay short. */
export function filterToQuery(f: AlertFilter, page = 1, pageSize = 20): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.rule) q.rule = f.rule
  if (f.level) q.level = f.level
  if (f.region) q.region = f.region
  if (f.under) {
    q.under = String(f.under)
    if (f.underName) q.under_name = f.underName
  }
  if (f.status && f.status !== 'current') q.status = f.status
  if (f.mine) q.mine = '1'
  if (f.waiting) q.waiting = '1'
  if (f.sort && f.sort !== '-level') q.sort = f.sort
  if (page > 1) q.page = String(page)
  if (pageSize !== 20) q.page_size = String(pageSize)
  return q
}

/** The API's query of the filters (GET /alerts and /alerts.xlsx). */
export function filterToApi(f: AlertFilter): Record<string, string | number | undefined> {
  return {
    rule: f.rule || undefined,
    level: f.level || undefined,
    region: f.region || undefined,
    under: f.under ?? undefined,
    status: f.status || undefined,
    assignee: f.mine ? 'me' : undefined,
    waiting: f.waiting ? 'true' : undefined,
    sort: f.sort || undefined,
  }
}

// ---- charts -------------------------------------------------------------

type Counted = LevelCounts & { name: string }

function levelSeries(rows: LevelCounts[], stack: string) {
  return levels.map((l) => ({
    name: l.name,
    type: 'bar',
    stack,
    itemStyle: { color: levelColors[l.code] },
    emphasis: { focus: 'series' },
    data: rows.map((r) => r[l.code] ?? 0),
  }))
}

/**
 * Stacked bars of the open alerts by level. Rules have long names: their
 * bars lie horizontally, worst on top; districts stand upright.
 */
export function levelBarChart(rows: Counted[], horizontal: boolean) {
  const names = rows.map((r) => r.name)
  if (horizontal) {
    const rev = [...rows].reverse()
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rev.map((r) => r.name), axisLabel: { width: 150, overflow: 'truncate' } },
      series: levelSeries(rev, 'level'),
    }
  }
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 40 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: levelSeries(rows, 'level'),
  }
}

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() + 1)
  return t.toISOString().slice(0, 10)
}

/** A day of the trend (the server dates every point). */
export type TrendDay = AlertTrendPoint & { date: string }

/**
 * The trend as continuous days: sorted, a day the server left out (no run
 * that day) carries the day before's figures, since alerts stay as they were
 * until the next evaluation.
 */
export function trendSeries(points: readonly AlertTrendPoint[] | null | undefined): TrendDay[] {
  const sorted = (points ?? []).filter((p): p is TrendDay => /^\d{4}-\d{2}-\d{2}$/.test(p.date ?? '')).sort((a, b) => (a.date < b.date ? -1 : 1))
  const out: TrendDay[] = []
  for (const p of sorted) {
    const prev = out[out.length - 1]
    if (prev && prev.date === p.date) {
      out[out.length - 1] = p
      continue
    }
    if (prev) {
      for (let d = nextDay(prev.date); d < p.date; d = nextDay(d)) out.push({ ...prev, date: d })
    }
    out.push(p)
  }
  return out
}

export function trendChart(points: readonly AlertTrendPoint[] | null | undefined) {
  const pts = trendSeries(points)
  const line = (name: string, color: string, pick: (p: LevelCounts) => number, area = false) => ({
    name,
    type: 'line',
    showSymbol: false,
    itemStyle: { color },
    lineStyle: { width: area ? 2 : 1.5 },
    areaStyle: area ? { opacity: 0.08 } : undefined,
    data: pts.map(pick),
  })
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: pts.map((p) => p.date), boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      line('合计', '#606266', (p) => p.total, true),
      ...levels.map((l) => line(l.name, levelColors[l.code], (p) => p[l.code] ?? 0)),
    ],
  }
}

/** The level a clicked bar stands for (its series' name), or ''. */
export function levelOfSeries(seriesName: string | undefined): string {
  return levels.find((l) => l.name === seriesName)?.code ?? ''
}

// ---- rules --------------------------------------------------------------

/** The stem of a rule's yellow_/orange_/red_ thresholds ('' for a fixed level). */
export function escalatingStem(r: Pick<Rule, 'escalating'>): string {
  return r.escalating ?? ''
}

/** How a rule grades: "黄/橙/红三级" or its fixed level. */
export function ruleLevelText(r: Pick<Rule, 'escalating' | 'params' | 'level'>): string {
  if (escalatingStem(r)) return '黄/橙/红三级'
  const keys = (r.params ?? []).map((p) => p.key)
  if (keys.includes('yellow_days') && keys.includes('orange_days')) return '黄/橙两级'
  return r.level ? `固定${levelName(r.level)}` : ''
}

/** A rule's current value of a parameter: the tuned value, else the default. */
export function paramValue(r: Pick<Rule, 'values'>, p: RuleParamDef): number {
  const v = r.values?.[p.key]
  return typeof v === 'number' ? v : p.default
}

/** "空缺天数（黄色）30天" for the rule card. */
export function paramText(r: Pick<Rule, 'values'>, p: RuleParamDef): string {
  return `${p.name} ${paramValue(r, p)}${p.unit}`
}

/**
 * Checks a rule's parameters as the server does (domain.RuleDef.Validate),
 * so the dialog can answer before saving: every value a whole number within
 * its range; then escalating thresholds that never get milder (one message,
 * the first broken step); 任期即将届满's orange reminder no earlier than its
 * yellow one. Keys are the server's ("params.<key>").
 */
export function validateRuleParams(
  r: Pick<Rule, 'code' | 'escalating' | 'descending' | 'params'>,
  values: Record<string, number | null | undefined>,
): Record<string, string> {
  const errors: Record<string, string> = {}
  const v: Record<string, number> = {}
  for (const p of r.params ?? []) {
    const x = values[p.key]
    if (x === null || x === undefined || Number.isNaN(x)) {
      errors[`params.${p.key}`] = `请填写${p.name}`
      continue
    }
    if (!Number.isInteger(x)) {
      errors[`params.${p.key}`] = `${p.name}应为整数`
      continue
    }
    if (x < p.min || x > p.max) {
      errors[`params.${p.key}`] = `${p.name}应在${p.min}到${p.max}${p.unit}之间`
      continue
    }
    v[p.key] = x
  }
  if (Object.keys(errors).length) return errors
  const st = escalatingStem(r)
  if (st && `yellow_${st}` in v && `orange_${st}` in v && `red_${st}` in v) {
    const y = v[`yellow_${st}`]
    const o = v[`orange_${st}`]
    const rd = v[`red_${st}`]
    if (r.descending && o > y) errors[`params.orange_${st}`] = '橙色阈值不能高于黄色阈值'
    else if (r.descending && rd > o) errors[`params.red_${st}`] = '红色阈值不能高于橙色阈值'
    else if (!r.descending && o < y) errors[`params.orange_${st}`] = '橙色阈值不能低于黄色阈值'
    else if (!r.descending && rd < o) errors[`params.red_${st}`] = '红色阈值不能低于橙色阈值'
  }
  if (r.code === 'term_ending' && !Object.keys(errors).length && v.orange_days > v.yellow_days) {
    errors['params.orange_days'] = '橙色提醒应比黄色提醒更临近届满（天数更少）'
  }
  return errors
}

/** Only the parameters that differ from the rule's current values (a PATCH sends just those). */
export function changedParams(r: Pick<Rule, 'values' | 'params'>, values: Record<string, number | null | undefined>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of r.params ?? []) {
    const x = values[p.key]
    if (typeof x === 'number' && x !== paramValue(r, p)) out[p.key] = x
  }
  return out
}

// ---- to-do --------------------------------------------------------------

/** The top bar's badge text: '' for nothing to do, "99+" beyond 99. */
export function badgeText(total: number | null | undefined): string {
  if (!total || total < 0) return ''
  return total > 99 ? '99+' : String(total)
}

/** 书记就任备案 / 书记离任备案 */
export function filingKindName(k: string | null | undefined): string {
  const name = filingKinds.find((f) => f.code === k)?.name
  return name ? `书记${name}` : k ? `书记备案（${k}）` : '书记备案'
}

export interface TodoTermRow {
  party_org_id: number
  party_org_name: string
  deadline: string
  /** negative: overdue by that many days */
  days_left: number | null
}

/**
 * A term of the to-do list, whichever shape the server sends: the to-do's
 * own ({party_org_id, party_org_name, deadline, days_left}) or a Party org
 * ({id, name, term_end, postponed_to}); days left are counted from today
 * when the server does not say.
 */
export function todoTerm(t: Record<string, unknown>, today: string): TodoTermRow {
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  const id = Number(t.party_org_id ?? t.id ?? 0)
  const deadline = str(t.deadline) || (str(t.postponed_to) > str(t.term_end) ? str(t.postponed_to) : str(t.term_end))
  let days: number | null = typeof t.days_left === 'number' ? t.days_left : null
  if (days === null && /^\d{4}-\d{2}-\d{2}$/.test(deadline) && /^\d{4}-\d{2}-\d{2}$/.test(today)) {
    days = Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86400000)
  }
  return { party_org_id: id, party_org_name: str(t.party_org_name) || str(t.name), deadline, days_left: days }
}

export function termChangeKindName(k: string | null | undefined): string {
  return termChangeKinds.find((t) => t.code === k)?.name ?? (k ? `换届请示（${k}）` : '换届请示')
}
