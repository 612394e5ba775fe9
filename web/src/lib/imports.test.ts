import { describe, expect, it } from 'vitest'
import { cellPlace, finished, kindName, moreErrors, percent, statusName, statusTag } from './imports'

describe('import jobs', () => {
  it('names kinds and states in Chinese', () => {
    expect(kindName('organizations')).toBe('两新组织')
    expect(kindName('members')).toBe('党员')
    expect(statusName('rejected')).toBe('未导入')
    expect(statusTag('done')).toBe('success')
    expect(statusTag('failed')).toBe('danger')
    expect(statusTag('validating')).toBe('primary')
  })
  it('stops polling at an end state and fills the bar', () => {
    expect(finished({ status: 'importing' })).toBe(false)
    expect(finished({ status: 'rejected' })).toBe(true)
    expect(finished(null)).toBe(false)
    expect(percent({ status: 'validating', progress: 0.256 })).toBe(25)
    expect(percent({ status: 'rejected', progress: 0.5 })).toBe(100)
    expect(percent({ status: 'importing', progress: 1.7 })).toBe(100)
  })
  it('places a bad cell by column letter and header', () => {
    expect(cellPlace({ row: 3, column: 'V', header: '属地管理党组织', value: 'x', reason: 'y' })).toBe('V列 属地管理党组织')
    expect(cellPlace({ row: 3, column: '', header: '', value: '', reason: 'y' })).toBe('整行')
    expect(moreErrors({ errors: [], error_count: 3 })).toBe(3)
  })
})
