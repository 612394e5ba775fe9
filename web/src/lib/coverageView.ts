// 动态清零 page: rates, card figures and chart options, pure for tests.
import type { BreakdownRow, CoverageSummary, TrendPoint } from '../api/coverage'
import { coverageStates } from './codes.gen'

const [orgCoveredName, workCoveredName, uncoveredName] = ['org_covered', 'work_covered', 'uncovered'].map(
  (c) => coverageStates.find((s) => s.code === c)?.name ?? c,
)

/** part/total in percent with one decimal, "—" without a total. */
export function rate(part: number, total: number): string {
  if (!total) return '—'
  return `${(Math.round((part * 1000) / total) / 10).toFixed(1)}%`
}

export interface Card {
  key: string
  label: string
  value: number
  rate?: string
  tone?: 'success' | 'warning' | 'danger'
  tip?: string
}

/** The headline cards of the page. */
export function summaryCards(s: CoverageSummary): Card[] {
  return [
    { key: 'organizations', label: '两新组织', value: s.organizations },
    { key: 'in_scope', label: '目标范围内', value: s.in_scope, rate: rate(s.in_scope, s.organizations) },
    { key: 'org_covered', label: orgCoveredName, value: s.org_covered, rate: rate(s.org_covered, s.in_scope), tone: 'success' },
    { key: 'work_covered', label: workCoveredName, value: s.work_covered, rate: rate(s.work_covered, s.in_scope), tone: 'warning' },
    { key: 'uncovered', label: uncoveredName, value: s.uncovered, rate: rate(s.uncovered, s.in_scope), tone: 'danger' },
    { key: 'members', label: '在册党员', value: s.members },
    { key: 'members_unmanaged', label: '未纳入组织管理党员', value: s.members_unmanaged, tip: s.rule },
  ]
}

const palette = { org: '#67c23a', work: '#e6a23c', un: '#f56c6c' }

/** A stacked bar of the in-scope states of the first rows. */
export function breakdownChart(rows: BreakdownRow[], max = 20) {
  const top = rows.slice(0, max)
  const series = (name: string, color: string, pick: (r: BreakdownRow) => number) => ({
    name,
    type: 'bar',
    stack: 'in',
    itemStyle: { color },
    data: top.map(pick),
  })
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 72 },
    xAxis: { type: 'category', data: top.map((r) => r.name), axisLabel: { interval: 0, rotate: 40 } },
    yAxis: { type: 'value', name: '组织数' },
    series: [
      series(orgCoveredName, palette.org, (r) => r.in_scope.org_covered),
      series(workCoveredName, palette.work, (r) => r.in_scope.work_covered),
      series(uncoveredName, palette.un, (r) => r.in_scope.uncovered),
    ],
  }
}

/** The burndown: in-scope uncovered organizations by day, with the covered rate. */
export function trendChart(points: TrendPoint[]) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: points.map((p) => p.day) },
    yAxis: [
      { type: 'value', name: uncoveredName, minInterval: 1 },
      { type: 'value', name: '覆盖率%', max: 100 },
    ],
    series: [
      { name: uncoveredName, type: 'line', showSymbol: false, itemStyle: { color: palette.un }, areaStyle: { opacity: 0.1 }, data: points.map((p) => p.in_scope.uncovered) },
      {
        name: '两个覆盖率',
        type: 'line',
        yAxisIndex: 1,
        showSymbol: false,
        itemStyle: { color: palette.org },
        data: points.map((p) => {
          const t = p.in_scope.total
          return t ? Math.round(((p.in_scope.org_covered + p.in_scope.work_covered) * 1000) / t) / 10 : 0
        }),
      },
    ],
  }
}

/** Accepted codes typed one a line (or separated by commas) as a list. */
export function parseCodes(text: string): string[] {
  return text
    .split(/[\n,，;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}
