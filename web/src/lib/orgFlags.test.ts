import { describe, expect, it } from 'vitest'
import { listQuery, orgMarks, percent, rateBase } from './orgFlags'

describe('orgMarks', () => {
  it('lists the Party-building facts before the flags, each once', () => {
    const codes = orgMarks().map((m) => m.code)
    expect(codes.slice(0, 2)).toEqual(['charter_includes_party', 'cross_appointment'])
    expect(codes).toContain('chain_master')
    expect(new Set(codes).size).toBe(codes.length)
  })
})

describe('percent', () => {
  it('rounds to whole percents from 10%, one decimal below', () => {
    expect(percent(1, 8)).toBe('（12.5%）'.replace('12.5', '13'))
    expect(percent(1, 40)).toBe('（2.5%）')
    expect(percent(0, 5)).toBe('（0%）')
    expect(percent(3, 0)).toBe('')
  })
})

describe('listQuery', () => {
  it('narrows by the row and the page filter, with the mark', () => {
    expect(listQuery('region', '510104', {}, 'charter_includes_party')).toEqual({ region: '510104', mark: 'charter_includes_party' })
    expect(listQuery('zone', '7', { region: '510104' })).toEqual({ region: '510104', zone_id: '7' })
    expect(listQuery('chain', 'new_display', { industry: 'C' }, 'chain_master')).toEqual({ industry: 'C', chain: 'new_display', mark: 'chain_master' })
    expect(listQuery('industry', '', { chain: 'fintech' })).toEqual({ chain: 'fintech' })
  })
})

describe('rateBase', () => {
  it('counts 双向进入 and 书记由负责人担任 against the organizations with a Party org', () => {
    const row = { total: 200, org_covered: 40 }
    expect(rateBase('cross_appointment', row)).toBe(40)
    expect(rateBase('secretary_is_head', row)).toBe(40)
    expect(rateBase('charter_includes_party', row)).toBe(200)
    expect(rateBase('listed', row)).toBe(200)
  })
})
