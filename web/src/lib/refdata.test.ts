import { describe, expect, it } from 'vitest'
import { employeeBandOf, employeeBands, industries, nameOf, orgFlags, orgStatuses } from './refdata'

describe('refdata', () => {
  it('has the lists the registry needs', () => {
    expect(industries.map((c) => c.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST')
    expect(orgStatuses[0]).toEqual({ code: 'active', name: '存续/在业' })
    expect(orgFlags).toHaveLength(10)
    expect(employeeBands).toHaveLength(6)
  })
})

describe('nameOf', () => {
  it('names codes, keeps unknown ones', () => {
    expect(nameOf(industries, 'G')).toBe('交通运输、仓储和邮政业')
    expect(nameOf(orgStatuses, 'nope')).toBe('nope')
    expect(nameOf(orgStatuses, '')).toBe('')
    expect(nameOf(orgStatuses, null)).toBe('')
  })
})

describe('employeeBandOf', () => {
  it('matches the server cuts', () => {
    expect(employeeBandOf(0)).toBe('lt10')
    expect(employeeBandOf(9)).toBe('lt10')
    expect(employeeBandOf(10)).toBe('10_49')
    expect(employeeBandOf(49)).toBe('10_49')
    expect(employeeBandOf(50)).toBe('50_99')
    expect(employeeBandOf(299)).toBe('100_299')
    expect(employeeBandOf(300)).toBe('300_999')
    expect(employeeBandOf(1000)).toBe('1000_plus')
    expect(employeeBandOf(-1)).toBe('')
    expect(employeeBandOf(null)).toBe('')
  })
})
