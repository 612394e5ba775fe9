import { describe, expect, it } from 'vitest'
import { dashboardSections } from './dashboard'

describe('dashboardSections', () => {
  it('is empty without data', () => {
    expect(dashboardSections(null)).toEqual([])
    expect(dashboardSections({})).toEqual([])
  })

  it('shows only the sections the answer has, in page order', () => {
    const s = dashboardSections({ audit: { today: 5, failures_today: 1 }, users: { total: 9, locked: 0, disabled: 2 } })
    expect(s.map((x) => x.title)).toEqual(['用户', '审计'])
    expect(s[0].cards).toEqual([
      { key: 'users-total', label: '用户数', value: 9, to: '/users' },
      { key: 'users-locked', label: '已锁定', value: 0, tone: 'warning' },
      { key: 'users-disabled', label: '已停用', value: 2, tone: 'info' },
    ])
    expect(s[1].cards.map((c) => [c.key, c.value, c.tone])).toEqual([
      ['audit-today', 5, undefined],
      ['audit-fail', 1, 'danger'],
    ])
  })

  it('counts missing figures as 0', () => {
    const s = dashboardSections({ terms: {} as never })
    expect(s[0].cards.map((c) => c.value)).toEqual([0, 0])
  })

  it('adds a card per org type in the meta order, unknown types last', () => {
    const s = dashboardSections(
      { party_orgs: { active: 10, dissolved: 1, by_type: { branch: 6, zzz: 1, work_committee: 3 } } },
      (c) => ({ branch: '党支部', work_committee: '两新工委' })[c] ?? c,
      ['work_committee', 'branch'],
    )
    expect(s[0].title).toBe('党组织')
    expect(s[0].cards.map((c) => `${c.key}:${c.label}:${c.value}`)).toEqual([
      'po-active:党组织总数:10',
      'po-dissolved:已撤销:1',
      'type-work_committee:两新工委:3',
      'type-branch:党支部:6',
      'type-zzz:zzz:1',
    ])
    expect(s[0].cards[0].to).toBe('/party-orgs')
  })
})
