import { describe, expect, it } from 'vitest'
import { breakdownChart, parseCodes, rate, summaryCards, trendChart } from './coverageView'

describe('coverage page helpers', () => {
  it('formats rates with one decimal and a dash without a total', () => {
    expect(rate(1, 3)).toBe('33.3%')
    expect(rate(2, 3)).toBe('66.7%')
    expect(rate(0, 0)).toBe('—')
  })

  it('builds the cards, rates over the in-scope figure, with the rule as the tooltip', () => {
    const cards = summaryCards({
      organizations: 10, in_scope: 8, org_covered: 4, work_covered: 2, uncovered: 2, members: 30, members_unmanaged: 1,
      members_unmanaged_by_reason: {}, as_of: '2026-11-27', rule: '规则',
    })
    expect(cards.find((c) => c.key === 'uncovered')?.rate).toBe('25.0%')
    expect(cards.find((c) => c.key === 'members_unmanaged')?.tip).toBe('规则')
  })

  it('stacks the in-scope states per row and draws the burndown', () => {
    const row = { key: '510104', name: '锦江区', drill: 'region', total: 5, org_covered: 1, work_covered: 1, uncovered: 3,
      in_scope: { total: 4, org_covered: 1, work_covered: 1, uncovered: 2 } }
    const o = breakdownChart([row])
    expect(o.xAxis.data).toEqual(['锦江区'])
    expect(o.series.map((s) => s.data[0])).toEqual([1, 1, 2])
    const t = trendChart([{ day: '2026-11-27', ...row }])
    expect(t.series[0].data).toEqual([2])
    expect(t.series[1].data).toEqual([50])
  })

  it('splits pasted codes', () => {
    expect(parseCodes('A, B\nC；D  ')).toEqual(['A', 'B', 'C', 'D'])
  })
})
